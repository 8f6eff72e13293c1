"""Links between pages as the site lays them out, from links written between the kit's files.

The lessons, guide and READMEs link to each other by their paths in the repository
(``../../exercises/03_gpu_batching.ipynb``). :class:`Layout` knows where each file lands on
the site and rewrites every relative link: to the page a file became, to the page standing for
a folder (``exercises/`` is the list of exercises), to an asset copied as is (pictures), or
else to the file in the repository on GitHub (solutions, code).

Examples
--------
>>> from book.config import Site
>>> layout = Layout(Site("owner/kit", "main", "https://mybinder.org", "https://hub.example.edu"),
...                 pages={"README.md": "index.md", "notebooks/a.ipynb": "notebooks/a.ipynb"},
...                 folders={}, assets=set())
>>> layout.rewrite("[lesson](notebooks/a.ipynb) [code](tokenomics/kpi.py)", "README.md")
'[lesson](notebooks/a.ipynb) [code](https://github.com/owner/kit/blob/main/tokenomics/kpi.py)'
>>> layout.href("notebooks/a.ipynb", "README.md")
'notebooks/a.html'
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from book.config import Site

LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
"""The target of a Markdown link or image, ``[text](target)`` (as ``tests/test_docs.py`` reads them)."""

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_REMOTE_IMAGE_IN_LINK = re.compile(r"\[!\[([^\]]*)\]\(https?://[^)\s]+\)\]\(([^)\s]+)\)")
_REMOTE_IMAGE = re.compile(r"!\[([^\]]*)\]\((https?://[^)\s]+)\)")


def without_remote_images(markdown: str) -> str:
    """Markdown that makes the browser fetch no image from another host: a remote image inside a
    link (a Binder badge) becomes the link's text, any other remote image a link to it.

    >>> without_remote_images("[![Binder: lesson 0](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/x)")
    '[Binder: lesson 0](https://mybinder.org/v2/x)'
    """
    markdown = _REMOTE_IMAGE_IN_LINK.sub(r"[\1](\2)", markdown)
    return _REMOTE_IMAGE.sub(r"[\1](\2)", markdown)


@dataclass
class Layout:
    """Where the kit's files land on the site.

    Attributes
    ----------
    site : Site
        The published addresses (for links to files that are not on the site).
    pages : dict of str to str
        Repository path of a file -> the site's source path of the page showing it
        (``"README.md"`` -> ``"index.md"``; a dataset's CSV -> its page).
    folders : dict of str to str
        Repository folder -> the page that stands for it (``"exercises"`` -> ``"exercises/index.md"``).
    assets : set of str
        Repository paths copied to the same path on the site (pictures).
    """

    site: Site
    pages: dict[str, str]
    folders: dict[str, str]
    assets: set[str] = field(default_factory=set)

    def resolve(self, target: str, from_repo_path: str) -> str:
        """The repository path a relative link in ``from_repo_path`` points to."""
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_repo_path), target))
        return "" if joined == "." else joined

    def _locate(self, target: str, from_repo_path: str) -> tuple[str, str]:
        """("page", site path), ("asset", site path), ("away", URL) or ("as written", target)."""
        if _SCHEME.match(target) or target.startswith("#"):
            return "as written", target
        path = target.partition("#")[0]
        repo_path = self.resolve(path, from_repo_path)
        if repo_path in self.pages:
            return "page", self.pages[repo_path]
        if repo_path.rstrip("/") in self.folders:
            return "page", self.folders[repo_path.rstrip("/")]
        if repo_path in self.assets:
            return "asset", repo_path
        return "away", self.site.file_url(repo_path + ("/" if path.endswith("/") else ""))

    def _relative(self, site_path: str, from_repo_path: str) -> str:
        here = posixpath.dirname(self.pages.get(from_repo_path, from_repo_path))
        return posixpath.relpath(site_path, here or ".")

    def link(self, target: str, from_repo_path: str) -> str:
        """The link target as written in the Markdown of the page ``from_repo_path`` became."""
        kind, where = self._locate(target, from_repo_path)
        if kind in ("as written", "away"):
            return where if kind == "as written" else where + _fragment(target)
        return self._relative(where, from_repo_path) + _fragment(target)

    def href(self, target: str, from_repo_path: str) -> str:
        """The link as an HTML ``href``: a page's ``.md`` or ``.ipynb`` becomes its ``.html``."""
        kind, where = self._locate(target, from_repo_path)
        if kind == "page":
            where = posixpath.splitext(where)[0] + ".html"
        if kind in ("page", "asset"):
            return self._relative(where, from_repo_path) + _fragment(target)
        return where if kind == "as written" else where + _fragment(target)

    def rewrite(self, markdown: str, from_repo_path: str) -> str:
        """Every relative link and image in ``markdown`` (written in ``from_repo_path``), for the site;
        remote images become links (see :func:`without_remote_images`)."""
        markdown = without_remote_images(markdown)
        return LINK_TARGET.sub(lambda match: f"]({self.link(match.group(1), from_repo_path)})", markdown)


def _fragment(target: str) -> str:
    """``#part`` of a link target, or ``""``."""
    _, hash_, fragment = target.partition("#")
    return hash_ + fragment
