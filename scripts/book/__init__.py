"""The kit as a static website (``make book``): lessons, exercises, guide, glossary and datasets.

Built offline with Sphinx and myst-nb from the lessons' stored outputs; nothing is run, and
neither the kit nor a kernel is imported. The lessons' charts are ``altair.JupyterChart``
widgets whose state is not stored; ``make notebooks`` stores with each of them its view (the
chart's Vega-Lite spec, a dashboard's controls and readouts; :mod:`tokenomics.widget_views`),
and the page draws the spec with vega-embed, served from the site itself. Dashboards appear at
their starting setting, with their controls described and launch buttons to use them live.

- :mod:`book.config`: where the kit is published (``docs/site.toml``) and the launch links.
- :mod:`book.badges`: the README's Binder badges, generated from ``docs/site.toml``.
- :mod:`book.stored`: the views of what the lessons and exercises show, read from the notebooks.
- :mod:`book.widgets`: static HTML from a view: charts to draw, readouts, described controls.
- :mod:`book.links`: links between pages as the site lays them out.
- :mod:`book.notebooks`: a lesson or exercise notebook as the site shows it.
- :mod:`book.datasets`: a page per dataset, from ``datasets/datapackage.json``.
- :mod:`book.assets`: Vega, Vega-Lite, vega-embed and MathJax, copied from Python packages.
- :mod:`book.inputs`: what the site is built from, and whether a built site is older.
- :mod:`book.build`: the whole build, and a rebuild only when its inputs changed.
"""
