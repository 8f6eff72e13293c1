"""Sphinx settings for the kit's website (``make book``; see ``scripts/book``).

The build copies this file into the generated sources (``build/.book-build-*/src``) and passes
the kit's version with ``-D``. Nothing here fetches anything: notebooks are not executed, no
intersphinx, no fonts or scripts from a CDN (Vega and MathJax are served from ``_static``).
"""

from pathlib import Path

project = "Token Economics kit"
author = "The Token Economics kit contributors"
copyright = "the Token Economics kit contributors. Lessons and guide: CC BY 4.0; code: MIT; data: CC BY 4.0"

extensions = ["myst_nb"]

# Notebooks are shown with their stored outputs, never run.
nb_execution_mode = "off"
# No widget manager from a CDN: charts are drawn by kit-charts.js from the specs the build wrote.
nb_ipywidgets_js = {}
nb_merge_streams = True

myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

exclude_patterns = ["_extra", "**/.ipynb_checkpoints"]

html_theme = "sphinx_book_theme"
html_title = "Token Economics kit"
html_static_path = ["_static"]
html_extra_path = ["_extra"]
html_css_files = ["kit-site.css"]
html_favicon = "_static/favicon.svg"
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": False,
    "use_fullscreen_button": True,
    "use_repository_button": False,
    "use_source_button": False,
    "use_issues_button": False,
    "use_edit_page_button": False,
    # A dataset's page is a wide table of every row: give it the whole width (its pages are
    # named one by one, as the theme warns about a page matching two wildcards).
    "secondary_sidebar_items": {
        "**": ["page-toc.html"],
        **{f"datasets/{page.stem}": [] for page in Path(__file__).parent.glob("datasets/*.md")},
    },
}

# MathJax 2 from the site itself (jupyter-server-mathjax's copy), set up as classic Jupyter does.
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
mathjax2_config = {
    "tex2jax": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]], "processEscapes": True},
    "HTML-CSS": {"availableFonts": [], "imageFont": None, "preferredFont": None, "webFont": "STIX-Web"},
    "menuSettings": {"zoom": "None"},
}


def _charts_where_drawn(app, pagename, templatename, context, doctree):
    """Load Vega (900 kB) and kit-charts.js only on the pages that have a chart to draw.

    The bundle declares top-level names (one is "_", as Sphinx's own scripts do): as a module it
    keeps them to itself. Modules run in order, so kit-charts.js finds window.vegaEmbed.
    """
    if 'class="kit-chart"' in context.get("body", ""):
        app.add_js_file("vega/vega-bundle.js", type="module")
        app.add_js_file("kit-charts.js", type="module")


def setup(app):
    app.connect("html-page-context", _charts_where_drawn)
