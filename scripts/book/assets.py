"""The JavaScript the site serves itself, copied from Python packages at build time, with licences.

- Vega, Vega-Lite and vega-embed: one bundle written by ``vl-convert-python`` (already a
  dependency of the kit, and what ``altair.JupyterChart`` uses offline), for the Vega-Lite
  version altair writes. Licences: vl-convert's own (from its package) and those of the bundled
  libraries (``docs/site/vega-licenses.txt``).
- MathJax 2, for the lessons' formulas: the copy ``jupyter-server-mathjax`` ships, with its
  Apache-2.0 licence.

Nothing is fetched: a page needs no network to draw a chart or a formula.
"""

from __future__ import annotations

import importlib.metadata
import shutil
from pathlib import Path

import altair as alt
import vl_convert

SITE_DIR = Path(__file__).resolve().parents[2] / "docs" / "site"
BUNDLED_LICENSES = SITE_DIR / "vega-licenses.txt"

VEGA_DIR = "vega"
"""Where the Vega scripts go, under the site's ``_static``."""

MATHJAX_DIR = "mathjax"
"""Where MathJax goes, under the site's ``_static``."""


def vega_lite_version() -> str:
    """The Vega-Lite version altair writes its specs for, as vl-convert names it: ``"v6_4"``."""
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return f"v{major}_{minor}"


def _package_license(distribution: str) -> str:
    """The licence text a Python package ships in its metadata."""
    files = importlib.metadata.distribution(distribution).files or []
    for file in files:
        if Path(str(file)).name.upper().startswith(("LICENSE", "LICENCE")):
            return file.read_text()
    raise FileNotFoundError(f"the package {distribution} ships no licence file")


def write_vega(static_dir: Path) -> Path:
    """Write ``vega-bundle.js`` and ``LICENSES.txt`` into ``static_dir/vega``; return the bundle."""
    target = static_dir / VEGA_DIR
    target.mkdir(parents=True, exist_ok=True)
    bundle = target / "vega-bundle.js"
    bundle.write_text(vl_convert.javascript_bundle(vl_version=vega_lite_version()), encoding="utf-8")
    versions = (
        f"Vega {vl_convert.get_vega_version()}, Vega-Lite {vega_lite_version()[1:].replace('_', '.')}, "
        f"vega-embed {vl_convert.get_vega_embed_version()}, bundled by vl-convert-python "
        f"{importlib.metadata.version('vl-convert-python')}"
    )
    licences = (
        f"{versions}\n\n{BUNDLED_LICENSES.read_text(encoding='utf-8')}\n"
        "-----------------------------------------------------------------------------\n"
        "vl-convert-python (which writes the bundle): BSD-3-Clause\n\n"
        f"{_package_license('vl-convert-python')}\n"
    )
    (target / "LICENSES.txt").write_text(licences, encoding="utf-8")
    return bundle


def copy_mathjax(static_dir: Path) -> Path:
    """Copy MathJax 2 (from ``jupyter-server-mathjax``) into ``static_dir/mathjax``; return its script."""
    import jupyter_server_mathjax

    source = Path(jupyter_server_mathjax.__file__).parent / "static"
    target = static_dir / MATHJAX_DIR
    shutil.copytree(source, target, dirs_exist_ok=True)
    if not (target / "LICENSE").is_file():
        (target / "LICENSE").write_text(_package_license("jupyter-server-mathjax"), encoding="utf-8")
    return target / "MathJax.js"
