"""A lesson or exercise notebook as the site shows it: launch buttons, drawn charts, site links.

The site's copy of a notebook differs from the stored one in four ways, and nothing else:

- a row of launch buttons under its title: JupyterLab on Binder, Voila on Binder (lessons with
  a dashboard), the JupyterHub through nbgitpuller, and a download of the ``.ipynb``;
- each widget output (a chart or a dashboard, stored without its state) is replaced by static
  HTML drawn from the view stored with it (:mod:`book.stored`, :mod:`book.widgets`); a
  dashboard also says that its controls work in the live notebook and links there;
- an exercise cell that shows a dashboard gets that dashboard, at its starting setting, as its
  output, from the view stored in the cell (exercises are stored unrun);
- links between the kit's files point to the pages those files became (:mod:`book.links`).
"""

from __future__ import annotations

import html

import nbformat

from book.config import Site
from book.links import Layout
from book.stored import VIEW_KEY, WIDGET_VIEW
from book.widgets import has_controls, render


def launch_links(site: Site, repo_path: str, voila: bool) -> list[tuple[str, str, str]]:
    """(label, address, title) of each launch button for the notebook at ``repo_path``."""
    links = [("JupyterLab on Binder", site.binder_url(repo_path), "Run it in JupyterLab on mybinder.org")]
    if voila:
        links.append(
            (
                "Voila on Binder",
                site.binder_url(repo_path, "voila"),
                "Its dashboards, code hidden, on mybinder.org",
            )
        )
    links.append(("JupyterHub", site.jupyterhub_url(repo_path), "Open it on your JupyterHub (nbgitpuller)"))
    return links


def placeholder_note(site: Site) -> str:
    """A sentence saying which launch addresses are still placeholders, or ``""``."""
    if not site.placeholders:
        return ""
    names = " and ".join(f"<code>{name}</code>" for name in site.placeholders)
    return (
        f'<span class="kit-launch-note">The launch links use placeholder addresses until {names} '
        "is set in <code>docs/site.toml</code>.</span>"
    )


def launch_bar(site: Site, repo_path: str, voila: bool) -> str:
    """The row of launch buttons under a notebook's title (raw HTML in a Markdown cell)."""
    file_name = repo_path.rsplit("/", 1)[-1]
    buttons = [
        f'<a class="kit-launch-button" href="{html.escape(url, quote=True)}" title="{title}">{label}</a>'
        for label, url, title in launch_links(site, repo_path, voila)
    ]
    buttons.append(
        f'<a class="kit-launch-button" href="{file_name}" download="{file_name}" '
        f'title="The notebook file, to open in your own Jupyter">Download .ipynb</a>'
    )
    note = placeholder_note(site)
    return (
        '<div class="kit-launch" role="group" aria-label="Run this notebook">'
        '<span class="kit-launch-label">Run this notebook:</span>' + "".join(buttons) + note + "</div>"
    )


def dashboard_html(view: dict, site: Site, repo_path: str, voila: bool) -> str:
    """A dashboard at its starting setting, with a note on where its controls work."""
    anchors = [
        f'<a href="{html.escape(url, quote=True)}">{label}</a>'
        for label, url, _ in launch_links(site, repo_path, voila)
    ]
    live = ", ".join(anchors[:-1]) + " or " + anchors[-1]
    return (
        '<div class="kit-dashboard">'
        '<p class="kit-dashboard-note"><strong>A live dashboard, shown at its starting setting.</strong> '
        "Here its controls are only described; open the notebook in "
        f"{live} to move them: each move reruns the kit's model and redraws the chart.</p>"
        f"{render(view)}</div>"
    )


def output_html(view: dict, site: Site, repo_path: str, voila: bool) -> str:
    """What the site shows for a widget output's view: a dashboard, or a figure of its charts."""
    if has_controls(view):
        return dashboard_html(view, site, repo_path, voila)
    return f'<div class="kit-figure">{render(view)}</div>'


def _title_split(cell) -> tuple[str, str]:
    lines = cell.source.split("\n", 1)
    if not lines[0].startswith("# "):
        return "", cell.source
    return lines[0], lines[1] if len(lines) > 1 else ""


def site_notebook(
    notebook: nbformat.NotebookNode,
    repo_path: str,
    layout: Layout,
    shown: dict[int, list[dict]],
    voila: bool,
) -> nbformat.NotebookNode:
    """The site's copy of ``notebook`` (stored at ``repo_path``); ``shown`` maps cells to the
    views of the widgets they display, in order (:mod:`book.stored`). The notebook passed in
    is not changed.

    Raises
    ------
    ValueError
        When a cell has more or fewer widget outputs than views.
    """
    copy = nbformat.from_dict(notebook)
    copy.metadata.pop("widgets", None)
    site = layout.site
    for index, cell in enumerate(copy.cells):
        cell.metadata.pop(VIEW_KEY, None)
        if cell.cell_type == "markdown":
            cell.source = layout.rewrite(cell.source, repo_path)
        if index not in shown:
            continue
        html_of = [{"text/html": output_html(view, site, repo_path, voila)} for view in shown[index]]
        widget_outputs = [out for out in cell.outputs if WIDGET_VIEW in out.get("data", {})]
        if not widget_outputs:
            cell.outputs.extend(nbformat.v4.new_output("display_data", data=data) for data in html_of)
            continue
        if len(widget_outputs) != len(html_of):
            raise ValueError(
                f"{repo_path}, cell {index}: {len(widget_outputs)} widget outputs but {len(html_of)} views"
            )
        for out, data in zip(widget_outputs, html_of, strict=True):
            out["data"] = data
            out["metadata"] = {}
    first = next((i for i, cell in enumerate(copy.cells) if cell.cell_type == "markdown"), None)
    bar = nbformat.v4.new_markdown_cell(launch_bar(site, repo_path, voila), id="kit-site-launch")
    if first is None:
        copy.cells.insert(0, bar)
        return copy
    title, rest = _title_split(copy.cells[first])
    if title:
        copy.cells[first].source = title
        after = [bar, nbformat.v4.new_markdown_cell(rest, id="kit-site-intro")] if rest.strip() else [bar]
        copy.cells[first + 1 : first + 1] = after
    else:
        copy.cells.insert(first, bar)
    return copy
