"""The charts' JavaScript, bundled for offline use once and then read from a cache file.

A chart widget draws with Vega's JavaScript. Offline (no CDN), vl-convert bundles the widget's
code with vega-embed into one module: 1-3 s of CPU, for the same 0.9 MB, in every Python process
that shows a chart (each kernel). :func:`offline_bundle` keeps the bundle in a cache file, keyed
by what it is built from (the widget's code, the Vega-Lite version and vl-convert's version), and
builds it only when that file is missing or unreadable.

Examples
--------
>>> path = bundle_path("export default {};")
>>> path.parent == bundle_cache_dir(), path.suffix
(True, '.js')
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import vl_convert
from altair.utils._importers import vl_version_for_vl_convert


def bundle_cache_dir() -> Path:
    """Where bundles are kept: ``$XDG_CACHE_HOME/tokenomics-kit`` (``~/.cache/tokenomics-kit``)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tokenomics-kit"


def bundle_path(source: str) -> Path:
    """The cache file of the bundle of ``source`` (JavaScript) for the installed vl-convert."""
    key = f"{vl_convert.__version__}\n{vl_version_for_vl_convert()}\n{source}"
    return bundle_cache_dir() / f"chart-bundle-{hashlib.sha256(key.encode()).hexdigest()[:16]}.js"


def _store(path: Path, bundle: str) -> None:
    """Write ``bundle`` to ``path`` whole (a temporary file, then a rename), or not at all."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(bundle)
        os.replace(temporary, path)
    except OSError:  # a read-only or full home (a sandbox): the next process builds it again
        return


def offline_bundle(source: str) -> str:
    """``source`` bundled with what it imports (vega-embed), as ``vl_convert.javascript_bundle``
    bundles it, read from the cache file when there is one.

    Parameters
    ----------
    source : str
        An ES module that imports from the packages vl-convert carries (``vega-embed``, ...).

    Returns
    -------
    str
        One self-contained ES module.
    """
    path = bundle_path(source)
    try:
        bundle = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        bundle = ""
    if bundle:
        return bundle
    bundle = vl_convert.javascript_bundle(source, vl_version=vl_version_for_vl_convert())
    _store(path, bundle)
    return bundle
