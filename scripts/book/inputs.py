"""What the site is built from, and whether a built site is older than it (no heavy imports here).

The built site keeps a hash of its inputs (:data:`STAMP`); ``tests/browser/test_site.py`` reads
it to skip a rebuild, and :func:`book.build.ensure_built` to decide on one.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = ROOT / "build" / "book"

STAMP = ".kit-inputs"
"""File in the built site holding the hash of the inputs it was built from."""

INPUT_GLOBS = (
    "README.md",
    "CHANGELOG.md",
    "CONTRIBUTING.md",
    "LICENSE*",
    "pyproject.toml",
    "notebooks/*.ipynb",
    "exercises/*.ipynb",
    "docs/**/*",
    "datasets/*",
    "scripts/book/*.py",
    "scripts/build_book.py",
)
"""What the site is built from: a change to any of these makes :func:`book.build.ensure_built` rebuild.

The kit's code is not among them: the charts come from the views stored in the notebooks."""


def input_files() -> list[Path]:
    """Every file the site is built from, sorted (Jupyter's checkpoint copies and caches left out)."""
    found = set()
    for pattern in INPUT_GLOBS:
        for path in ROOT.glob(pattern):
            parts = path.relative_to(ROOT).parts
            if path.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in parts):
                found.add(path)
    return sorted(found)


def inputs_hash() -> str:
    """A hash of the site's inputs: their paths and contents."""
    digest = hashlib.sha256()
    for path in input_files():
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def is_fresh(out: Path = OUT_DIR) -> bool:
    """Whether the site in ``out`` was built from the inputs as they are now."""
    stamp = out / STAMP
    return stamp.is_file() and stamp.read_text().strip() == inputs_hash()


def build_if_stale(timeout_s: float = 900) -> subprocess.CompletedProcess:
    """Run ``scripts/build_book.py --if-stale`` in its own process (what the tests build with).

    Returns the finished process: ``returncode`` 0 when the site in :data:`OUT_DIR` is fresh,
    ``stdout`` and ``stderr`` for the build log.
    """
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_book.py"), "--if-stale"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout_s,
    )
