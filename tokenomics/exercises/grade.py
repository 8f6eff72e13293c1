"""Run exercise notebooks and report every question's status: for instructors and for the tests.

Each notebook runs top to bottom in a fresh kernel (a student's error does not stop the run);
then every question of its lesson judges the answer the notebook holds. The statuses come from
running the code, not from the outputs saved in the file, so a notebook cannot claim answers it
does not compute.

Usage::

    python -m tokenomics.exercises.grade submissions/*.ipynb            # a table on screen
    python -m tokenomics.exercises.grade submissions/*.ipynb --csv grades.csv

Only run notebooks you are willing to execute: a notebook is a program.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd
from nbclient import NotebookClient

from tokenomics.exercises import exercise_set

_REPORT_MARK = "tokenomics-exercise-statuses:"


@dataclass(frozen=True)
class Graded:
    """The outcome of running one exercise notebook.

    Attributes
    ----------
    path : Path
        The notebook.
    lesson : str
        Its exercise module, e.g. ``"batching"``.
    statuses : dict
        ``{"q1": "correct", "q2": "not yet", ...}``.
    errors : list of str
        ``"<cell id>: <exception name>: <message>"`` for every cell that raised.
    outputs : dict
        The text shown by each cell, by cell id (what a student saw).
    """

    path: Path
    lesson: str
    statuses: dict
    errors: list
    outputs: dict


def report_statuses(name: str) -> None:
    """Print the status of every question of lesson ``name`` (run inside the graded kernel)."""
    questions = exercise_set(name).questions
    statuses = {q.name: q.evaluate(q.bound_answer()).status for q in questions}
    print(_REPORT_MARK + json.dumps(statuses))


def _cell_text(cell) -> str:
    """Every text a cell showed: streams, plain-text results, error lines."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in ("display_data", "execute_result"):
            parts.append(output.data.get("text/plain", ""))
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}")
    return "".join(parts)


def run(path: Path | str, timeout: int = 120) -> Graded:
    """Run the exercise notebook at ``path`` and judge every answer in it.

    Parameters
    ----------
    path : Path or str
        An exercise notebook written by :mod:`tokenomics.exercises.build` (its metadata names
        the lesson).
    timeout : int
        Seconds allowed per cell.

    Returns
    -------
    Graded
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    name = nb.metadata.get("tokenomics", {}).get("exercises")
    if name is None:
        raise ValueError(f"{path} is not an exercise notebook: its metadata names no lesson")
    report = nbformat.v4.new_code_cell(
        f"from tokenomics.exercises.grade import report_statuses\nreport_statuses({name!r})"
    )
    report.id = "grade-report"
    nb.cells.append(report)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=False,
    )
    client.execute()
    errors = [
        f"{cell.id}: {output.ename}: {output.evalue}"
        for cell in nb.cells[:-1]
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]
    report_text = _cell_text(nb.cells[-1])
    if _REPORT_MARK not in report_text:
        raise RuntimeError(f"{path}: the questions could not be judged: {report_text.strip()}")
    statuses = json.loads(report_text.split(_REPORT_MARK, 1)[1].strip().splitlines()[0])
    outputs = {cell.id: _cell_text(cell) for cell in nb.cells[:-1] if cell.cell_type == "code"}
    return Graded(path=path, lesson=name, statuses=statuses, errors=errors, outputs=outputs)


def table(graded: list[Graded]) -> pd.DataFrame:
    """One row per notebook: each question's status, the number correct, and cells that raised."""
    rows = []
    for result in graded:
        row = {"notebook": str(result.path), "lesson": result.lesson}
        row.update(result.statuses)
        row["correct"] = sum(status == "correct" for status in result.statuses.values())
        row["questions"] = len(result.statuses)
        row["cells_that_raised"] = len(result.errors)
        rows.append(row)
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run exercise notebooks and report every question's status.")
    parser.add_argument("paths", nargs="+", type=Path, help="exercise notebooks to grade")
    parser.add_argument("--csv", type=Path, help="also write the table to this CSV file")
    parser.add_argument("--timeout", type=int, default=120, help="seconds allowed per cell (default 120)")
    args = parser.parse_args(argv)
    graded = [run(path, args.timeout) for path in args.paths]
    result = table(graded)
    with pd.option_context("display.width", 200, "display.max_columns", None):
        print(result.to_string(index=False))
    for item in graded:
        for error in item.errors:
            print(f"{item.path}: {error}", file=sys.stderr)
    if args.csv:
        result.to_csv(args.csv, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
