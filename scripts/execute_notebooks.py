"""Execute the lessons in place and store them with small, reproducible outputs.

Usage::

    python scripts/execute_notebooks.py                 # every notebooks/*.ipynb
    python scripts/execute_notebooks.py notebooks/03b_does_the_model_match_reality.ipynb

Each notebook runs top to bottom in a fresh kernel whose working directory is ``notebooks/``
(as when a student opens it). Widget state is not stored, and ``metadata.widgets`` and the
execution timing metadata are stripped; the ids of widget views (random on every run; the
widgets live only while a kernel runs) and object addresses in their text are replaced by
fixed ones. So a re-run of unchanged code gives an unchanged file.
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


def execute(path: Path, timeout: int = 120) -> float:
    """Execute the notebook at ``path`` in place; return the wall time in seconds."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=False,
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    nbformat.write(strip_volatile_metadata(nb), path)
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
