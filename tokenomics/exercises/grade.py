"""Run handed-in exercise notebooks, each in its own sandbox, and report every question's status.

Usage::

    python -m tokenomics.exercises.grade submissions/*.ipynb            # a table on screen
    python -m tokenomics.exercises.grade submissions/*.ipynb --csv grades.csv

How a notebook is graded:

1. The grader reads it (an unreadable, empty or foreign file is an error row, and the run goes
   on) and sends its code cells to :mod:`tokenomics.exercises.runner` in a fresh sandbox
   (:mod:`tokenomics.exercises.sandbox`): no network, the kit read-only, a throwaway folder, a
   wall clock for the whole notebook, a memory limit and an output cap; every process the
   notebook started ends with it.
2. The cells run top to bottom in a fresh kernel (a student's error does not stop the run). Then
   the grader's last step turns every answer into plain data (:mod:`tokenomics.exercises.answers`),
   marked with a secret made for this notebook and unknown to its code.
3. Outside the sandbox, the grader's own copy of the questions judges those answers: code in the
   notebook can replace ``evaluate`` or print status lines, and neither changes a grade. A report
   without the secret, a printed imitation of it, or questions the lesson does not have make the
   row a "tampering" error.

Without bubblewrap the grader refuses to run unless told ``--no-sandbox``. The instructor's guide
(``docs/instructors/README.md``) says what the sandbox protects against and what it does not.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pandas as pd

import tokenomics
from tokenomics import data
from tokenomics.exercises import LESSONS, answers, sandbox
from tokenomics.exercises.sandbox import Limits, SandboxUnavailable

MAX_NOTEBOOK_MB = 20
"""A handed-in file larger than this is not read (an exercise notebook is well under 1 MB)."""

_RUNNER = ["-I", "-m", "tokenomics.exercises.runner"]


@dataclass(frozen=True)
class Graded:
    """The outcome of grading one exercise notebook.

    Attributes
    ----------
    path : Path
        The notebook.
    lesson : str
        Its exercise module, e.g. ``"batching"`` ("" if the file does not say).
    statuses : dict
        ``{"q1": "correct", "q2": "not yet", ...}``; empty for an error row.
    errors : list of str
        ``"<cell id>: <exception name>: <message>"`` for every cell that raised.
    outputs : dict
        The text shown by each cell, by cell id (what a student saw).
    error : str or None
        Why the notebook could not be graded (a "tampering: ..." reason among them); None if it was.
    """

    path: Path
    lesson: str
    statuses: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    outputs: dict = field(default_factory=dict)
    error: str | None = None


class _NotGradable(Exception):
    """A handed-in file that is not an exercise notebook the grader can run."""


def read(path: Path) -> tuple[nbformat.NotebookNode, str]:
    """The notebook at ``path`` and the lesson its metadata names; :class:`_NotGradable` if none."""
    try:
        size_bytes = path.stat().st_size
        if size_bytes > MAX_NOTEBOOK_MB * 1_000_000:
            raise _NotGradable(f"the file is larger than {MAX_NOTEBOOK_MB} MB")
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise _NotGradable(f"the file cannot be read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise _NotGradable("the file is not text (is it an .ipynb notebook?)") from None
    if not text.strip():
        raise _NotGradable("the file is empty")
    try:
        notebook = nbformat.reads(text, as_version=4)
        metadata = notebook.metadata.get("tokenomics", {})
        lesson = metadata.get("exercises") if isinstance(metadata, dict) else None
        cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
        if not all(isinstance(cell.source, str) for cell in cells):
            raise ValueError("a code cell's source is not text")
    except Exception as error:  # nbformat raises many kinds for a file that is not a notebook
        raise _NotGradable(f"the file is not a readable notebook ({type(error).__name__}: {error})") from None
    if lesson is None:
        raise _NotGradable(
            "its metadata names no exercise lesson: it was not made from one of the kit's exercise notebooks"
        )
    if lesson not in LESSONS:
        raise _NotGradable(
            f"its metadata names an unknown lesson {lesson!r} (the kit's: {', '.join(LESSONS)})"
        )
    return notebook, lesson


def _request(notebook, lesson: str, nonce: str, limits: Limits, sandboxed: bool) -> bytes:
    cells = [
        {"id": str(cell.get("id") or f"cell-{number}"), "source": cell.source}
        for number, cell in enumerate(notebook.cells, start=1)
        if cell.cell_type == "code"
    ]
    request = {
        "lesson": lesson,
        "nonce": nonce,
        "cells": cells,
        "memory_bytes": limits.memory_bytes,
        "cpu_s": limits.cpu_s,
        "processes": limits.processes if sandboxed else None,
        "max_output_bytes": limits.max_output_bytes,
    }
    return json.dumps(request).encode("utf-8")


def _events(stdout: bytes) -> list[dict]:
    events = []
    for line in stdout.decode("utf-8", errors="replace").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue  # a line cut short by the cap or by a kill
        if isinstance(event, dict):
            events.append(event)
    return events


def run(path: Path | str, limits: Limits | None = None, sandboxed: bool = True) -> Graded:
    """Grade the exercise notebook at ``path``.

    Parameters
    ----------
    path : Path or str
        A handed-in exercise notebook (its metadata names the lesson).
    limits : Limits, optional
        Wall clock, memory and output cap for this notebook (:class:`~tokenomics.exercises.sandbox.Limits`).
    sandboxed : bool
        False runs the notebook without a sandbox (``--no-sandbox``).

    Returns
    -------
    Graded
        An error row (``error`` set, no statuses) if the notebook could not be read, run or trusted.

    Raises
    ------
    SandboxUnavailable
        If ``sandboxed`` and the sandbox cannot be set up on this machine.
    """
    path = Path(path)
    limits = limits or Limits()
    try:
        notebook, lesson = read(path)
    except _NotGradable as reason:
        return Graded(path=path, lesson="", error=str(reason))
    if sandboxed:
        sandbox.check()
    nonce = secrets.token_hex(16)
    command = [sys.executable, *_RUNNER]
    finished = sandbox.run(command, _request(notebook, lesson, nonce, limits, sandboxed), limits, sandboxed)
    return _judged(path, lesson, nonce, finished, limits)


def _judged(path: Path, lesson: str, nonce: str, finished: sandbox.Finished, limits: Limits) -> Graded:
    """The row for one run: statuses judged here, or the reason there are none."""
    events = _events(finished.stdout)
    started = [event.get("id") for event in events if event.get("event") == "cell"]
    where = f" (in cell {started[-1]})" if started else ""
    done = next((event for event in events if event.get("event") == "done"), None)
    cells = done.get("cells", []) if done else []
    outputs = {cell["id"]: cell["text"] for cell in cells}
    errors = [f"{cell['id']}: {error}" for cell in cells for error in cell["errors"]]

    def row(error: str | None, statuses: dict | None = None) -> Graded:
        return Graded(path, lesson, statuses or {}, errors, outputs, error)

    if finished.timed_out:
        return row(f"timed out after {limits.timeout_s:g} s{where}")
    if finished.over_cap:
        return row(f"the output is over the cap of {limits.max_output_mb:g} MB{where}")
    if done is None:
        said = finished.stderr.strip().splitlines()[-1:] or ["no message"]
        return row(f"the run ended without a result{where}: {said[0]}")
    if done.get("problem"):
        return row(str(done["problem"]))
    for cell in cells:
        if any(error.startswith("MemoryError") for error in cell["errors"]):
            return row(f"ran out of memory (the limit is {limits.memory_mb} MiB) in cell {cell['id']}")
    shown = [
        *((f"cell {cell['id']}", cell["text"]) for cell in cells),
        ("code run during the grader's last step", done.get("report_output", "")),
    ]
    for where_shown, text in shown:
        if any(mark in text for mark in answers.MARKS):
            return row(f"tampering: {where_shown} printed a line imitating the grader's report")
    if done.get("report_error"):
        return row(f"the answers could not be collected: {done['report_error']}")
    try:
        statuses = answers.judge(lesson, answers.parse(str(done.get("report") or ""), nonce))
    except answers.TamperingError as error:
        return row(f"tampering: {error}")
    return row(None, statuses)


def kit_digest() -> str:
    """A digest of the kit's code and data files, to notice a notebook changing them on disk."""
    digest = hashlib.sha256()
    for folder in (Path(tokenomics.__file__).resolve().parent, data.DATASETS_DIR.resolve()):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def grade_all(paths: list[Path], limits: Limits | None = None, sandboxed: bool = True) -> list[Graded]:
    """Grade every notebook; a notebook that cannot be graded is an error row, never a stop.

    If the kit's files change on disk during a notebook's run (possible only without the
    sandbox), that notebook is reported as tampering and the rest are not run: their kernels
    would import the changed kit.
    """
    graded = []
    before = kit_digest()
    for number, path in enumerate(paths):
        try:
            result = run(path, limits, sandboxed)
        except SandboxUnavailable:
            raise
        except Exception as error:  # a fault of the grader's own: still a row, and the run goes on
            result = Graded(Path(path), "", error=f"the grader failed ({type(error).__name__}: {error})")
        if kit_digest() != before:
            graded.append(
                Graded(
                    Path(path),
                    result.lesson,
                    error="tampering: the kit's files changed on disk during its run",
                )
            )
            graded += [
                Graded(Path(rest), "", error="not graded: the kit's files changed on disk during the run")
                for rest in paths[number + 1 :]
            ]
            break
        graded.append(result)
    return graded


def table(graded: list[Graded]) -> pd.DataFrame:
    """One row per notebook: each question's status, the number correct, cells that raised, any error."""
    rows = []
    for result in graded:
        row = {"notebook": str(result.path), "lesson": result.lesson}
        row.update(result.statuses)
        row["correct"] = sum(status == "correct" for status in result.statuses.values())
        row["questions"] = len(result.statuses)
        row["cells_that_raised"] = len(result.errors)
        row["error"] = " ".join((result.error or "").split())  # one line in the CSV
        rows.append(row)
    return pd.DataFrame(rows)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` atomically: readers see the old file or the whole new one."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644  # mkstemp's own mode is 0o600
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            frame.to_csv(stream, index=False)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tokenomics.exercises.grade",
        description="Run exercise notebooks, each in its own sandbox, and report every question's status.",
    )
    parser.add_argument("paths", nargs="+", type=Path, help="exercise notebooks to grade")
    parser.add_argument("--csv", type=Path, help="also write the table to this CSV file")
    defaults = Limits()
    parser.add_argument(
        "--timeout",
        type=float,
        default=defaults.timeout_s,
        help="seconds allowed per notebook (default %(default)g)",
    )
    parser.add_argument(
        "--memory-mb",
        type=int,
        default=defaults.memory_mb,
        help="memory per process, MiB (default %(default)d)",
    )
    parser.add_argument(
        "--max-output-mb",
        type=float,
        default=defaults.max_output_mb,
        help="output allowed per notebook, MB (default %(default)g)",
    )
    parser.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run the notebooks unconfined, with your files and the network (only notebooks you trust)",
    )
    args = parser.parse_args(argv)
    try:
        limits = Limits(timeout_s=args.timeout, memory_mb=args.memory_mb, max_output_mb=args.max_output_mb)
    except ValueError as error:
        parser.error(str(error))
    if args.csv and not os.access(args.csv.resolve().parent, os.W_OK):
        parser.error(f"--csv: cannot write to the folder {args.csv.resolve().parent}")
    if not args.no_sandbox:
        try:
            sandbox.check()
        except SandboxUnavailable as error:
            print(f"{parser.prog}: {error}", file=sys.stderr)
            return 2
    graded = grade_all(args.paths, limits, sandboxed=not args.no_sandbox)
    result = table(graded)
    if args.csv:
        write_csv(result, args.csv)
    with pd.option_context("display.width", 200, "display.max_columns", None):
        print(result.drop(columns="error").fillna("").to_string(index=False))
    for item in graded:
        for error in item.errors:
            print(f"{item.path}: {error}", file=sys.stderr)
        if item.error:
            print(f"{item.path}: {item.error}", file=sys.stderr)
    return 1 if any(item.error for item in graded) else 0


if __name__ == "__main__":
    sys.exit(main())
