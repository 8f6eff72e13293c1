"""The README's Binder badges, written from ``docs/site.toml`` (``make badges``).

The block between :data:`START` and :data:`END` in the README is generated; everything else in
the README is left as it is. ``tests/test_site_config.py`` fails when the block and
``docs/site.toml`` disagree.

Examples
--------
>>> from book.config import Site
>>> site = Site("owner/kit", "main", "https://mybinder.org", "https://hub.example.edu")
>>> lab = "https://mybinder.org/v2/gh/owner/kit/main?urlpath=lab/tree/notebooks/00_start_here.ipynb"
>>> lab in badge_block(site)
True
"""

from __future__ import annotations

from pathlib import Path

from book.config import ROOT, Site

START = "<!-- Binder badges, written from docs/site.toml by `make badges`: edit that file, not these -->"
END = "<!-- end of the Binder badges -->"

LAB_LESSON = "notebooks/00_start_here.ipynb"
"""The lesson the JupyterLab badge opens: the start page."""

VOILA_LESSON = "notebooks/03_gpu_batching.ipynb"
"""The lesson the Voila badge opens: one with dashboards."""


def badge_block(site: Site) -> str:
    """The README's lines between :data:`START` and :data:`END` (markers excluded)."""
    badge = f"{site.binderhub.rstrip('/')}/badge_logo.svg"
    lines = [
        "Or try it in the browser, with nothing to install:",
        f"[![Binder: the lessons in JupyterLab]({badge})]({site.binder_url(LAB_LESSON)})",
        "the lessons in JupyterLab, from lesson 0 ·",
        f"[![Binder: dashboards in Voila]({badge})]({site.binder_url(VOILA_LESSON, 'voila')})",
        "lesson 3's dashboards in Voila. Binder builds the kit from `environment.yml` and `postBuild`;",
        "the first launch after a change takes a few minutes.",
    ]
    if "repository" in site.placeholders:
        lines += [
            f"(`{site.repository}` is a placeholder for the repository's path on GitHub, which this",
            "copy does not record: set `repository` in [`docs/site.toml`](docs/site.toml), then run",
            "`make badges`.)",
        ]
    return "\n".join(lines)


def with_badges(readme: str, site: Site) -> str:
    """``readme`` with its badge block rewritten; a ``ValueError`` if its markers are missing."""
    if readme.count(START) != 1 or readme.count(END) != 1 or readme.index(START) > readme.index(END):
        raise ValueError(f"the README must hold the badge markers once each, in order:\n{START}\n{END}")
    before, rest = readme.split(START, 1)
    _, after = rest.split(END, 1)
    return f"{before}{START}\n{badge_block(site)}\n{END}{after}"


def write_badges(readme_path: Path = ROOT / "README.md", site: Site | None = None) -> bool:
    """Rewrite the README's badges from ``docs/site.toml``; return whether the file changed."""
    from book.config import load_site

    site = site or load_site()
    old = readme_path.read_text(encoding="utf-8")
    new = with_badges(old, site)
    if new != old:
        readme_path.write_text(new, encoding="utf-8")
    return new != old
