"""Charts that draw offline, without rebuilding the drawing code in every Python process.

An altair ``JupyterChart`` draws with Vega's JavaScript. Offline (no CDN), altair has vl-convert
bundle that JavaScript into one module when a process first shows a chart: 1-3 s of CPU in
every kernel, for the same 0.9 MB each time. :func:`enable_offline_charts` keeps the bundle in
a cache file, keyed by what it is built from (altair's widget code and the altair and vl-convert
versions), and builds it only when that file is missing or unreadable.

Examples
--------
>>> enable_offline_charts()
>>> alt.JupyterChart._is_offline
True
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import altair as alt
import vl_convert
from altair.jupyter.jupyter_chart import load_js_src


def bundle_cache_dir() -> Path:
    """Where the bundle is kept: ``$XDG_CACHE_HOME/tokenomics-kit`` (``~/.cache/tokenomics-kit``)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tokenomics-kit"


def bundle_path() -> Path:
    """The cache file of the bundle for the installed altair and vl-convert."""
    key = hashlib.sha256(
        f"{alt.__version__}\n{vl_convert.__version__}\n{load_js_src()}".encode()
    ).hexdigest()[:16]
    return bundle_cache_dir() / f"jupyterchart-offline-{key}.js"


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


def enable_offline_charts() -> None:
    """Make every ``JupyterChart`` of this process draw offline, from the cached bundle if any.

    The same as ``altair.JupyterChart.enable_offline()``, whose result it caches: on a cache
    miss it calls that and stores the bundle it built.
    """
    if alt.JupyterChart._is_offline:
        return
    path = bundle_path()
    try:
        bundle = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        bundle = ""
    if bundle:
        alt.JupyterChart._esm = bundle
        alt.JupyterChart._is_offline = True
        return
    alt.JupyterChart.enable_offline()
    _store(path, alt.JupyterChart._esm)
