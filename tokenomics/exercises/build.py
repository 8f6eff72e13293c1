"""Write the exercise notebooks, student and solution versions, from the exercise modules.

One source per exercise: each question's prompt, starting code, solution, hints and check live
in its lesson's module; this module turns an :class:`~tokenomics.exercises.ExerciseSet` into
two notebooks that differ only in their answer cells (and the dashboard views kept for the website).

Usage (``make exercises``)::

    python -m tokenomics.exercises.build        # writes exercises/ and exercises/solutions/

Notebooks are written without outputs and with fixed cell ids, so rebuilding unchanged
exercises gives identical files (a test checks that the committed notebooks are up to date).
In the student version, a question's ``show`` cell (``q1-show``) carries, in its metadata, the
view of the dashboard it shows at its starting setting (:mod:`tokenomics.widget_views`): the
website draws it from there.

Examples
--------
>>> from tokenomics.exercises import exercise_set
>>> nb = notebook(exercise_set("batching"), with_solutions=False)
>>> nb.cells[1].source.splitlines()[0]
'from tokenomics.exercises import ____, bind'
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import functools
import io
import json
import sys
from pathlib import Path

import ipywidgets
import nbformat

from tokenomics.exercises import LESSONS, ExerciseSet, exercise_set
from tokenomics.exercises.markdown import escape_prices
from tokenomics.widget_views import VIEW_KEY, view_of

ROOT = Path(__file__).resolve().parents[2]
EXERCISES_DIR = ROOT / "exercises"
SOLUTIONS_DIR = EXERCISES_DIR / "solutions"

HOW_IT_WORKS = """\
**How it works.** Run the set-up cell first. Replace each `____` with your answer (code that
computes it is best) and run the cell, then run `q1.check()` to see whether it is *correct*,
*not yet* right, or *not attempted*. `q1.hint()` gives a first hint, `q1.hint(2)` the next; `q1.solution()`
shows a worked answer. A failed check never gives the answer away, so use the hints first."""

SOLUTIONS_NOTE = """\
**Solutions.** This notebook holds the worked answer in every answer cell; every check below
passes. It is written by `make exercises` from the same source as the student version."""

CLOSING = """\
## When you are done

Restart the kernel and run all cells (*Kernel → Restart Kernel and Run All Cells*): every check
should say *Correct*. Save the notebook and hand it in as your instructor asks; they can grade a
folder of notebooks with `python -m tokenomics.exercises.grade`."""


def _markdown(cell_id: str, text: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(escape_prices(text.strip()))
    cell.id = cell_id
    return cell


def _code(cell_id: str, source: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source.strip())
    cell.id = cell_id
    return cell


@functools.cache
def _views_text(setup_code: str, show: str) -> str:
    imports = [node for node in ast.parse(setup_code).body if isinstance(node, (ast.Import, ast.ImportFrom))]
    namespace: dict = {}
    exec(compile(ast.Module(body=imports, type_ignores=[]), "<set-up imports>", "exec"), namespace)
    with contextlib.redirect_stdout(io.StringIO()):
        shown = eval(compile(show.strip(), "<show>", "eval"), namespace)
    return json.dumps([view_of(shown)] if isinstance(shown, ipywidgets.Widget) else [])


def show_views(setup_code: str, show: str) -> list[dict]:
    """The view of the widget a question's ``show`` expression gives, or ``[]`` if it is no widget.

    Only the imports of ``setup_code`` run first (not its ``bind(globals())``).

    >>> views = show_views("from ipywidgets import HTML", "HTML('<b>42</b>')")
    >>> [(view["widget"], view["value"]) for view in views]
    [('HTML', '<b>42</b>')]
    """
    return json.loads(_views_text(setup_code, show))


def notebook(exercises: ExerciseSet, with_solutions: bool) -> nbformat.NotebookNode:
    """The exercise notebook of ``exercises``: the student version, or the solution version.

    Parameters
    ----------
    exercises : ExerciseSet
        The lesson's exercises.
    with_solutions : bool
        True for the solution version (worked answers in the answer cells).

    Returns
    -------
    nbformat.NotebookNode
        A notebook without outputs; cells have fixed ids (``q1-answer``, ``q1-check``, ...).
    """
    lesson_link = ("../../notebooks/" if with_solutions else "../notebooks/") + exercises.lesson
    opening = [
        f"# {exercises.title}",
        f"Exercises for the lesson [{exercises.lesson}]({lesson_link}).",
        SOLUTIONS_NOTE if with_solutions else HOW_IT_WORKS,
        exercises.introduction.strip(),
    ]
    cells = [_markdown("opening", "\n\n".join(opening)), _code("setup", exercises.setup_code)]
    for question in exercises.questions:
        name = question.name
        cells.append(
            _markdown(
                f"{name}-prompt", f"## {question.number}. {question.title}\n\n{question.prompt.strip()}"
            )
        )
        if question.show.strip():
            shown = _code(f"{name}-show", question.show)
            if not with_solutions:  # the website shows the student version
                shown.metadata[VIEW_KEY] = {"views": show_views(exercises.setup_code, question.show)}
            cells.append(shown)
        answer = question.solution_code if with_solutions else question.starter_code
        cells.append(_code(f"{name}-answer", answer))
        cells.append(_code(f"{name}-check", f"{name}.check()"))
        cells.append(_code(f"{name}-help", f"# {name}.hint()\n# {name}.solution()"))
    cells.append(_markdown("closing", CLOSING))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.nbformat_minor = 5
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "tokenomics": {"exercises": exercises.module.rsplit(".", 1)[-1], "solutions": with_solutions},
    }
    return nb


def paths(name: str) -> tuple[Path, Path]:
    """The student and solution notebook paths of the lesson module ``name``."""
    lesson = exercise_set(name).lesson
    return EXERCISES_DIR / lesson, SOLUTIONS_DIR / lesson


def as_text(nb: nbformat.NotebookNode) -> str:
    """The notebook as the text written to disk."""
    return nbformat.writes(nb) + "\n"


def write_all(names=LESSONS) -> list[Path]:
    """Write the student and solution notebooks of every lesson in ``names``; return their paths."""
    written = []
    for name in names:
        exercises = exercise_set(name)
        for path, with_solutions in zip(paths(name), (False, True), strict=True):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(as_text(notebook(exercises, with_solutions)), encoding="utf-8")
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the exercise notebooks from the exercise modules.")
    parser.add_argument(
        "names", nargs="*", default=list(LESSONS), help=f"lesson modules (default: all of {LESSONS})"
    )
    args = parser.parse_args(argv)
    for path in write_all(args.names):
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
