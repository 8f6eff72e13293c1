"""Where the kit is published (``docs/site.toml``) and the launch links built from it.

One file names the repository, its branch, the BinderHub and the JupyterHub; the website's
launch buttons and the README's Binder badges are both generated from it.

Examples
--------
>>> site = Site(repository="owner/kit", branch="main", binderhub="https://mybinder.org",
...             jupyterhub="https://hub.example.edu")
>>> site.binder_url("notebooks/00_start_here.ipynb")
'https://mybinder.org/v2/gh/owner/kit/main?urlpath=lab/tree/notebooks/00_start_here.ipynb'
>>> site.binder_url("notebooks/03_gpu_batching.ipynb", interface="voila")
'https://mybinder.org/v2/gh/owner/kit/main?urlpath=voila/render/notebooks/03_gpu_batching.ipynb'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the backport named in the test extra
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
SITE_TOML = ROOT / "docs" / "site.toml"

PLACEHOLDER_REPOSITORY = "OWNER/REPO"
"""What ``repository`` says until the kit's address is set."""

PLACEHOLDER_HUB_SUFFIX = ".example"
"""A JupyterHub address on this reserved top-level name is a placeholder."""

INTERFACES = {"lab": "lab/tree/", "voila": "voila/render/"}
"""How Binder and nbgitpuller open a file: in JupyterLab, or as a Voila dashboard."""

_REPOSITORY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Site:
    """The kit's published addresses (see ``docs/site.toml``).

    Attributes
    ----------
    repository : str
        ``owner/name`` on GitHub (``OWNER/REPO`` while it is not set).
    branch : str
        The branch Binder and JupyterHub check out.
    binderhub : str
        The BinderHub's address, ``https://mybinder.org``.
    jupyterhub : str
        The JupyterHub's address, for nbgitpuller links.
    """

    repository: str
    branch: str
    binderhub: str
    jupyterhub: str

    def __post_init__(self):
        if not _REPOSITORY.fullmatch(self.repository):
            raise ValueError(f"repository must be owner/name on GitHub (got {self.repository!r})")
        for name in ("binderhub", "jupyterhub"):
            value = getattr(self, name)
            if not value.startswith("https://"):
                raise ValueError(f"{name} must be an https:// address (got {value!r})")
        if not self.branch or any(char.isspace() for char in self.branch):
            raise ValueError(f"branch must be a branch name (got {self.branch!r})")

    @property
    def placeholders(self) -> list[str]:
        """The settings still at their placeholder value (empty once the kit is published)."""
        found = []
        if self.repository == PLACEHOLDER_REPOSITORY:
            found.append("repository")
        host = self.jupyterhub.removeprefix("https://").split("/", 1)[0]
        if host.endswith(PLACEHOLDER_HUB_SUFFIX):
            found.append("jupyterhub")
        return found

    @property
    def repository_url(self) -> str:
        return f"https://github.com/{self.repository}"

    def file_url(self, path: str) -> str:
        """The file or folder ``path`` (relative to the repository's root) on GitHub."""
        kind = "tree" if path.endswith("/") or not Path(path).suffix else "blob"
        return f"{self.repository_url}/{kind}/{self.branch}/{path.strip('/')}"

    def binder_url(self, path: str, interface: str = "lab") -> str:
        """Binder opening ``path`` in JupyterLab (``interface="lab"``) or Voila (``"voila"``)."""
        prefix = _interface(interface)
        return f"{self.binderhub.rstrip('/')}/v2/gh/{self.repository}/{self.branch}?urlpath={prefix}{path}"

    def jupyterhub_url(self, path: str, interface: str = "lab") -> str:
        """nbgitpuller on the JupyterHub: clone (or update) the repository, then open ``path``.

        >>> Site("owner/kit", "main", "https://mybinder.org", "https://hub.example.edu").jupyterhub_url(
        ...     "notebooks/00_start_here.ipynb")  # doctest: +NORMALIZE_WHITESPACE
        'https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fowner%2Fkit&branch=main&urlpath=lab%2Ftree%2Fkit%2Fnotebooks%2F00_start_here.ipynb'
        """
        folder = self.repository.split("/", 1)[1]  # nbgitpuller clones into the repository's name
        query = urlencode(
            {
                "repo": self.repository_url,
                "branch": self.branch,
                "urlpath": f"{_interface(interface)}{folder}/{path}",
            },
            quote_via=quote,
        )
        return f"{self.jupyterhub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def _interface(interface: str) -> str:
    if interface not in INTERFACES:
        raise ValueError(f"interface must be one of {sorted(INTERFACES)} (got {interface!r})")
    return INTERFACES[interface]


def load_site(path: Path = SITE_TOML) -> Site:
    """Read ``docs/site.toml``; a missing or unknown setting is a ``KeyError`` naming it."""
    values = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    expected = {"repository", "branch", "binderhub", "jupyterhub"}
    missing, unknown = expected - set(values), set(values) - expected
    if missing or unknown:
        raise KeyError(
            f"{path} must set exactly {sorted(expected)} "
            f"(missing {sorted(missing)}, unknown {sorted(unknown)})"
        )
    return Site(**{name: str(values[name]) for name in expected})
