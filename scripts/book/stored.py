"""What each cell of a lesson or an exercise displays, read from the notebook as stored.

Nothing is run: a lesson's widget outputs (charts and dashboards) carry their views, stored by
``make notebooks`` (``scripts/execute_notebooks.py``) in each output's metadata; an exercise
notebook is stored unrun, and a cell of it that shows a dashboard carries the dashboard's view
in the cell's metadata, written by ``make exercises``. See :mod:`tokenomics.widget_views`.

Examples
--------
>>> import nbformat
>>> view = {"widget": "HTML", "value": "<b>42</b>"}
>>> out = nbformat.v4.new_output("execute_result", execution_count=1,
...     data={WIDGET_VIEW: {"model_id": "0"}}, metadata={VIEW_KEY: {"views": [view]}})
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("board", outputs=[out])])
>>> lesson_views(nb, "lesson.ipynb")
{0: [{'widget': 'HTML', 'value': '<b>42</b>'}]}
"""

from __future__ import annotations

import nbformat

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
VIEW_KEY = "tokenomics"
"""Where views are stored, as ``{"views": [...]}`` (:data:`tokenomics.widget_views.VIEW_KEY`)."""


class MissingView(ValueError):
    """A widget output (or an exercise's dashboard cell) without its stored view."""


def _views(metadata: dict) -> list[dict] | None:
    return (metadata.get(VIEW_KEY) or {}).get("views")


def lesson_views(notebook: nbformat.NotebookNode, name: str) -> dict[int, list[dict]]:
    """{cell index: the view of each widget output of that cell, in order}.

    Raises
    ------
    MissingView
        When a widget output has no view, naming the notebook (``name``) and the cell: the
        lesson was run without ``make notebooks`` (in JupyterLab, say) or before views were stored.
    """
    shown: dict[int, list[dict]] = {}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if WIDGET_VIEW not in output.get("data", {}):
                continue
            views = _views(output.get("metadata", {}))
            if not views:
                raise MissingView(
                    f"{name}, cell {index}: a widget output without its stored view (the chart's "
                    "spec), so the website cannot draw it; run `make notebooks` to re-run the "
                    "lessons and store their outputs"
                )
            shown.setdefault(index, []).extend(views)
    return shown


SHOW_CELL_SUFFIX = "-show"
"""An exercise cell that shows something has an id ending so (``q1-show``); it carries its views."""


def exercise_views(notebook: nbformat.NotebookNode, name: str) -> dict[int, list[dict]]:
    """{cell index: the views stored in the cell's metadata} of an exercise notebook (stored unrun).

    Every ``-show`` cell must carry its views (an empty list when it shows no widget).

    Raises
    ------
    MissingView
        When one has none, naming the notebook and the cell: run ``make exercises``.
    """
    shown: dict[int, list[dict]] = {}
    for index, cell in enumerate(notebook.cells):
        views = _views(cell.get("metadata", {}))
        if views is None and str(cell.get("id", "")).endswith(SHOW_CELL_SUFFIX):
            raise MissingView(
                f"{name}, cell {index} ({cell.get('id')}): it shows a dashboard but has no stored "
                "view of it, so the website cannot draw it; run `make exercises`"
            )
        if views:
            shown[index] = views
    return shown
