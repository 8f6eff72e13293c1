"""Binder, checked from here: the README's badges, and the environment Binder would build.

Binder builds a conda environment from ``environment.yml``, runs ``postBuild`` (which installs the
kit) and opens the badge's ``urlpath``. Without conda, the closest check is: a fresh virtual
environment with the same packages from PyPI (conda-forge names translated; installed with uv),
``postBuild`` run in it, and the start lesson (and the lesson the Voila badge opens) executed there. The
environment is cached under ``build/``, keyed by a hash of ``environment.yml`` and ``postBuild``,
so only the first run after a change installs anything; without a network that run is skipped.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from browser.kit_browser import isolated_env, read_lesson
from test_environment import conda_requirements
from uv import find_uv_bin

ROOT = Path(__file__).resolve().parent.parent
START_LESSON = "notebooks/00_start_here.ipynb"
BINDER_URL = re.compile(r"https://mybinder\.org/v2/[^\s)\]\"'<>]+")
BUILD_DIR = ROOT / "build"

RUN_LESSONS = """
import os, sys
import nbformat
from nbclient import NotebookClient

for path in sys.argv[1:]:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": os.path.dirname(path)}})
    client.execute()  # raises CellExecutionError, with the traceback, if a cell fails
    print("ran", path)
"""


def binder_links(markdown: str | None = None) -> list[tuple[str, str]]:
    """(interface, file) for every Binder link in the README (or ``markdown``): ("lab", "notebooks/...")
    from ``urlpath=lab/tree/notebooks/...``, ("voila", ...) from ``urlpath=voila/render/...``."""
    links = []
    text = (ROOT / "README.md").read_text() if markdown is None else markdown
    for url in BINDER_URL.findall(text):
        urlpath = parse_qs(urlparse(url).query).get("urlpath", [""])[0]
        for interface, prefix in (("lab", "lab/tree/"), ("voila", "voila/render/")):
            if urlpath.startswith(prefix):
                links.append((interface, urlpath.removeprefix(prefix)))
                break
        else:
            links.append(("unknown", urlpath))
    return links


def test_binder_links_are_read_from_badges():
    markdown = (
        "[![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/o/r/main"
        "?urlpath=lab%2Ftree%2Fnotebooks%2F00_start_here.ipynb) and "
        "[Voila](https://mybinder.org/v2/gh/o/r/main?urlpath=voila/render/notebooks/03_gpu_batching.ipynb) "
        "[old](https://mybinder.org/v2/gh/o/r/main?filepath=x.ipynb)"
    )
    assert binder_links(markdown) == [
        ("lab", "notebooks/00_start_here.ipynb"),
        ("voila", "notebooks/03_gpu_batching.ipynb"),
        ("unknown", ""),
    ]


def test_readme_binder_badges_open_existing_lessons():
    links = binder_links()
    assert [link for link in links if link[0] == "unknown"] == [], (
        "urlpath must be lab/tree/... or voila/render/..."
    )
    missing = [file for _, file in links if not (ROOT / file).is_file()]
    assert missing == [], "Binder links to files that do not exist"
    assert ("lab", START_LESSON) in links, "a badge should open JupyterLab on the start lesson"
    voila = [file for interface, file in links if interface == "voila"]
    assert voila and all(read_lesson(ROOT / file).dashboards for file in voila), (
        "a badge should open a lesson with a dashboard in Voila"
    )


def test_postbuild_installs_the_kit_without_its_dependencies():
    # environment.yml brings every dependency; postBuild must not pull others from PyPI.
    post_build = ROOT / "postBuild"
    assert os.access(post_build, os.X_OK), "postBuild must be executable"
    assert "pip install --no-deps -e ." in post_build.read_text()


def pip_requirements() -> list[str]:
    """environment.yml's packages as pip requirements (``python`` and ``pip`` left out)."""
    return [f"{name}{spec}" for name, spec in sorted(conda_requirements().items())]


def _environment_key() -> str:
    digest = hashlib.sha256()
    for name in ("environment.yml", "postBuild"):
        digest.update((ROOT / name).read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:16]


def _index_reachable() -> bool:
    """Whether pip's index answers (PyPI unless PIP_INDEX_URL names another)."""
    index = urlparse(os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple"))
    try:
        with socket.create_connection((index.hostname, index.port or 443), timeout=10):
            return True
    except OSError:
        return False


def binder_environment() -> Path:
    """The cached virtual environment built as Binder would build it; build it if needed."""
    venv = BUILD_DIR / f"binder-env-{_environment_key()}"
    python = venv / "bin" / "python"
    if (venv / ".ready").is_file():
        return python
    if not _index_reachable():
        pytest.skip(
            "no network to PyPI: cannot build the Binder environment (cached under build/ once built)"
        )
    shutil.rmtree(venv, ignore_errors=True)
    for old in BUILD_DIR.glob("binder-env-*"):  # environments of older environment.yml files
        shutil.rmtree(old, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # uv installs the same requirements from the same index as pip would, in seconds instead of
    # a minute (it unpacks wheels in parallel and links them from its cache). postBuild then runs
    # the environment's own pip, as on Binder.
    uv = [find_uv_bin(), "pip", "install", "--quiet", "--python", str(python)]
    if os.environ.get("PIP_INDEX_URL"):  # uv reads no pip settings: pass pip's index on
        uv += ["--index-url", os.environ["PIP_INDEX_URL"]]
    subprocess.run([*uv, *pip_requirements()], check=True)
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run([str(ROOT / "postBuild")], cwd=ROOT, env=env, check=True)
    (venv / ".ready").touch()
    return python


@pytest.mark.slow
def test_binder_environment_builds_the_kit_and_runs_the_start_lesson(tmp_path):
    python = binder_environment()
    env = isolated_env(tmp_path)  # the Binder environment's kernel, no user-level Jupyter settings
    where = subprocess.run(
        [str(python), "-c", "import tokenomics; print(tokenomics.__file__)"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(ROOT / "tokenomics"), (
        "postBuild did not install this kit"
    )
    lessons = [START_LESSON] + [file for interface, file in binder_links() if interface == "voila"]
    ran = subprocess.run(
        [str(python), "-c", RUN_LESSONS, *[str(ROOT / lesson) for lesson in dict.fromkeys(lessons)]],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert ran.returncode == 0, (
        f"a lesson failed in the Binder environment:\n{ran.stdout}\n{ran.stderr[-5000:]}"
    )
