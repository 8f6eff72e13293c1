"""Execute the lessons in place and store them with small, reproducible outputs.

Usage::

    python scripts/execute_notebooks.py                 # every notebooks/*.ipynb
    python scripts/execute_notebooks.py notebooks/03b_does_the_model_match_reality.ipynb

Each notebook runs top to bottom in a fresh kernel whose working directory is ``notebooks/``
(as when a student opens it). Widget state is not stored, and ``metadata.widgets`` and the
execution timing metadata are stripped; the ids of widget views (random on every run; the
widgets live only while a kernel runs) and object addresses in their text are replaced by
fixed ones. So a re-run of unchanged code gives an unchanged file.

What each widget output showed when its cell ran is stored in the output's metadata, under
``"tokenomics"``: ``{"views": [view]}``, the view made by :mod:`tokenomics.widget_views` from
the widget states the kernel sent (a chart's Vega-Lite spec, a dashboard's controls, readouts
and charts at their starting setting). The website (``make book``) is drawn from these views
without running anything. nbval does not compare output metadata (only the output's data), and
a notebook viewer does not show it: JupyterLab and nbconvert's HTML show a lesson exactly as
they did without it, and Voila runs the lesson afresh. A cell run again in JupyterLab gets new
outputs without views; ``make book`` then stops and names the cell.
Prints each notebook's wall time; exits non-zero if a notebook fails.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import uuid
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tokenomics.widget_views import VIEW_KEY, view_from_states

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
ADDRESS = re.compile(r" at 0x[0-9a-f]+>")


def strip_volatile_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove widget state and execution timings, and fix widget view ids (they change on every run)."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
        if cell.cell_type != "code":
            continue
        for index, output in enumerate(cell.get("outputs", [])):
            output.get("metadata", {}).pop("execution", None)
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is not None:
                view["model_id"] = uuid.uuid5(uuid.NAMESPACE_URL, f"{cell.get('id')}/{index}").hex
                text = output["data"].get("text/plain")
                if text is not None:
                    output["data"]["text/plain"] = ADDRESS.sub(" at 0x0>", "".join(text))
    return nb


def store_views(client: NotebookClient, cell: nbformat.NotebookNode) -> None:
    """Put the view of every widget output of ``cell`` in that output's metadata.

    Called as each cell finishes, so a view is the widget as the cell showed it (a later cell
    that moves a control does not change it). ``client.widget_state`` holds every state the
    kernel has sent so far.
    """
    for output in cell.get("outputs", []):
        view = output.get("data", {}).get(WIDGET_VIEW)
        if view is None:
            continue
        output.setdefault("metadata", {})[VIEW_KEY] = {
            "views": [view_from_states(client.widget_state, view["model_id"])]
        }


def executed(path: Path, timeout: int = 120) -> nbformat.NotebookNode:
    """The notebook at ``path`` run top to bottom in a fresh kernel, as it would be stored."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        # The states are collected to make each widget output's view; they are not stored.
        store_widget_state=True,
        # A cell's printed lines in one output, however the kernel flushed them (as nbval compares).
        coalesce_streams=True,
    )
    client.on_cell_executed = lambda cell, **_: store_views(client, cell)
    client.execute()
    return strip_volatile_metadata(nb)


def execute(path: Path, timeout: int = 120) -> float:
    """Execute the notebook at ``path`` in place; return the wall time in seconds."""
    start = time.perf_counter()
    nb = executed(path, timeout)
    seconds = time.perf_counter() - start
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks to run (default: notebooks/*.ipynb)")
    parser.add_argument("--timeout", type=int, default=120, help="seconds allowed per cell (default 120)")
    args = parser.parse_args(argv)
    paths = args.paths or sorted(p.relative_to(ROOT) for p in NOTEBOOKS.glob("*.ipynb"))
    failed = []
    for path in paths:
        try:
            seconds = execute((ROOT / path).resolve() if not path.is_absolute() else path, args.timeout)
        except CellExecutionError as error:
            failed.append(path)
            print(f"FAILED {path}\n{error}", file=sys.stderr)
            continue
        print(f"{seconds:6.1f} s  {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
