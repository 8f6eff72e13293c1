"""The grader against hostile and broken notebooks (issue 16's attacks, each as a tiny notebook).

- a notebook cannot raise its grade: replacing ``evaluate``, printing a status line from a
  ``pre_run_cell`` hook, imitating or replacing the grader's report gain nothing, and forgery is
  reported as tampering;
- it cannot reach outside its sandbox: the kit and files outside its folder stay unchanged, a
  detached process does not outlive grading, a network connection fails;
- a notebook that cannot be read or run is an error row with the reason, and the other notebooks
  of the same run are still graded; the wall clock holds for the whole notebook.

The answers' round trip (a value described in the kernel, restored and judged in the grader)
is tested without a kernel: it must give the status the value itself gets.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from tokenomics.exercises import (
    ChoiceQuestion,
    FunctionQuestion,
    KeyIdea,
    NumberQuestion,
    OpenQuestion,
    ____,
    answers,
    grade,
    questions,
    sandbox,
)
from tokenomics.exercises.sandbox import Limits

LESSON = "batching"  # its q5 is a function, q4 a choice, q6 an open question; the rest numbers

# A student who answers q5 right and q6 too briefly: what every "control" notebook must get.
CONTROL_CELLS = [
    "def usd_per_mtok(usd_per_gpu_hour, tokens_per_s_per_gpu):\n"
    "    return usd_per_gpu_hour / (tokens_per_s_per_gpu * 3600) * 1e6",
    'why_big_batches = "because"',
]
CONTROL_STATUSES = {
    "q1": "not attempted",
    "q2": "not attempted",
    "q3": "not attempted",
    "q4": "not attempted",
    "q5": "correct",
    "q6": "not yet",
}
BLANK_STATUSES = dict.fromkeys(CONTROL_STATUSES, "not attempted")


def sandbox_problem() -> str:
    try:
        sandbox.check()
    except sandbox.SandboxUnavailable as error:
        return str(error)
    return ""


needs_sandbox = pytest.mark.skipif(bool(sandbox_problem()), reason=sandbox_problem() or "")


def write_notebook(path: Path, cells: list[str], lesson: str | None = LESSON) -> Path:
    notebook = nbformat.v4.new_notebook()
    if lesson is not None:
        notebook.metadata["tokenomics"] = {"exercises": lesson}
    for number, source in enumerate(cells, start=1):
        cell = nbformat.v4.new_code_cell(source)
        cell.id = f"cell-{number}"
        notebook.cells.append(cell)
    nbformat.write(notebook, path)
    return path


# -- the answers' round trip, without a kernel ------------------------------------------------------

NUMBER = NumberQuestion(
    number=1, title="t", prompt="p", variable="x", unit="seconds", expected=lambda: 86_400.0, solution_code=""
)
CHOICE = ChoiceQuestion(
    number=2,
    title="t",
    prompt="p",
    variable="c",
    options=("rises", "falls"),
    expected=lambda: "falls",
    solution_code="",
)
FUNCTION = FunctionQuestion(
    number=3,
    title="t",
    prompt="p",
    variable="f",
    solution_code="",
    reference=lambda x: 2 * x,
    cases=(dict(x=1.0), dict(x=-3.5)),
    unit="u",
)
OPEN = OpenQuestion(
    number=4,
    title="t",
    prompt="p",
    variable="o",
    key_ideas=(KeyIdea("weights", (r"weights?",)),),
    model_answer="m",
    min_words=3,
)


class Broken:
    def to_numpy(self):
        raise RuntimeError("no numbers here")


ADDRESS = re.compile(r" at 0x[0-9a-f]+")
"""Object addresses in test ids differ between test workers, which must collect the same ids."""

VALUES = [
    ____,
    questions._MISSING,
    None,
    True,
    np.bool_(False),
    86_400,
    86_400.0,
    np.float64(86_500.0),
    np.int64(1440),
    -86_400.0,
    float("nan"),
    "86400",
    " Falls ",
    "rises",
    "the weights are shared",
    np.array([86_400.0]),
    np.array(["falls"]),
    np.array([1.0, 2.0]),
    pd.Series([86_400.0]),
    [86_400],
    {"a": 1},
    Broken(),
    lambda x: 2 * x,
    lambda x: x + x + 1e-9,
    lambda x: ____,
    lambda x: 1 / 0,
    lambda y: 2 * y,
    lambda x: None,
    lambda x: "2x",
    lambda x: np.array([2 * x]),
    lambda x: [2 * x],
]


@pytest.mark.parametrize("question", [NUMBER, CHOICE, FUNCTION, OPEN], ids=lambda q: type(q).__name__)
@pytest.mark.parametrize("value", VALUES, ids=lambda value: ADDRESS.sub(" at 0x", repr(value)))
def test_a_restored_answer_gets_the_status_of_the_answer_itself(question, value):
    description = json.loads(json.dumps(answers.describe_answer(question, value)))
    stand_in = answers.restore_answer(question, description)
    assert question.evaluate(stand_in).status == question.evaluate(value).status


def test_a_report_without_the_secret_or_with_made_up_questions_is_tampering():
    nonce = "a" * 32
    good = {name: {"kind": "blank"} for name in CONTROL_STATUSES}
    line = f"{answers.MARK}{nonce}:{json.dumps(good)}"
    assert answers.judge(LESSON, answers.parse(line, nonce)) == BLANK_STATUSES
    with pytest.raises(answers.TamperingError, match="secret"):
        answers.parse(line, "b" * 32)
    with pytest.raises(answers.TamperingError, match="names questions"):
        answers.judge(LESSON, {**good, "q9": {"kind": "number", "value": 1.0}})
    with pytest.raises(answers.TamperingError, match="did not ask for"):
        answers.judge(LESSON, {**good, "q1": {"kind": "function", "results": []}})
    with pytest.raises(answers.TamperingError, match="unknown kind"):
        answers.judge(LESSON, {**good, "q2": {"kind": "status", "value": "correct"}})


# -- files that are not exercise notebooks: error rows before any kernel starts ----------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "the file is empty"),
        ("{not json", "not a readable notebook"),
        ('["a", "list"]', "not a readable notebook"),
        (b"\xff\xfe\x00binary", "not text"),
    ],
)
def test_a_file_that_is_not_a_notebook_is_an_error_row(tmp_path, content, reason):
    path = tmp_path / "submission.ipynb"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = grade.run(path)
    assert result.statuses == {} and reason in result.error


def test_a_notebook_without_the_lesson_or_for_an_unknown_one_is_an_error_row(tmp_path):
    bare = grade.run(write_notebook(tmp_path / "bare.ipynb", ["x = 1"], lesson=None))
    assert "names no exercise lesson" in bare.error
    unknown = grade.run(write_notebook(tmp_path / "unknown.ipynb", ["x = 1"], lesson="chemistry"))
    assert "unknown lesson 'chemistry'" in unknown.error


def test_without_a_sandbox_the_grader_refuses_and_names_no_sandbox(tmp_path, monkeypatch, capsys):
    notebook = write_notebook(tmp_path / "student.ipynb", CONTROL_CELLS)
    csv = tmp_path / "grades.csv"
    monkeypatch.setenv("PATH", str(tmp_path))  # no bwrap on it
    sandbox._problem.cache_clear()
    try:
        assert grade.main([str(notebook), "--csv", str(csv)]) == 2
    finally:
        sandbox._problem.cache_clear()
    said = capsys.readouterr().err
    assert "cannot grade safely" in said and "bubblewrap" in said and "--no-sandbox" in said
    assert not csv.exists()


def test_a_csv_that_cannot_be_written_is_refused_before_grading(tmp_path, capsys):
    notebook = write_notebook(tmp_path / "student.ipynb", CONTROL_CELLS)
    with pytest.raises(SystemExit):
        grade.main([str(notebook), "--csv", str(tmp_path / "no such folder" / "grades.csv")])
    assert "cannot write to the folder" in capsys.readouterr().err


def test_a_bwrap_that_cannot_make_namespaces_is_explained(tmp_path, monkeypatch):
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    sandbox._problem.cache_clear()
    try:
        with pytest.raises(sandbox.SandboxUnavailable) as refused:
            sandbox.check()
    finally:
        sandbox._problem.cache_clear()
    said = str(refused.value)
    assert "setting up uid map: Permission denied" in said
    assert "user namespaces" in said and "--no-sandbox" in said


# -- hostile and broken notebooks, graded in runs of several -----------------------------------------


@pytest.fixture(scope="module")
def outside(tmp_path_factory) -> dict:
    """Things outside the sandbox a notebook will try to reach: a file, a listening socket."""
    folder = tmp_path_factory.mktemp("outside")
    victim = folder / "grades.csv"
    victim.write_text("the instructor's file\n", encoding="utf-8")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    accepted = []

    def serve():
        while not stop.is_set():
            try:
                accepted.append(server.accept())
            except OSError:
                continue

    stop = threading.Event()
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield {"victim": victim, "port": server.getsockname()[1], "accepted": accepted, "token": uuid.uuid4().hex}
    stop.set()
    thread.join()
    server.close()


def attacks(outside: dict) -> dict[str, list[str]]:
    checker = Path(questions.__file__)
    attempt = (
        "def attempt(what, action):\n"
        "    try:\n"
        "        action()\n"
        "        print(what, 'done')\n"
        "    except OSError as error:\n"
        "        print(what, 'refused', type(error).__name__)\n"
    )
    forged = json.dumps({f"q{n}": "correct" for n in range(1, 10)})
    return {
        "replace_evaluate": [
            "from tokenomics.exercises import questions\n"
            "always = lambda self, answer: questions.Result('correct', 'well done')\n"
            "questions.Question.evaluate = always\n"
            "questions.FunctionQuestion.evaluate = always",
            "from tokenomics.exercises.batching import q1\nq1.check(0)",
        ],
        "forged_hook": [
            "def forge(info):\n"
            f"    print('tokenomics-exercise-statuses:' + {forged!r})\n"
            "get_ipython().events.register('pre_run_cell', forge)",
            "x = 1",
        ],
        "imitated_report": [f"print('{answers.MARK}' + '0' * 32 + ':{{}}')"],
        "replaced_report": [
            "import json\nfrom tokenomics.exercises import answers\n"
            "numbers = {f'q{n}': {'kind': 'number', 'value': 1.0} for n in range(1, 7)}\n"
            "def report(lesson, nonce):\n"
            "    return answers._Line(answers.MARK + nonce + ':' + json.dumps(numbers))\n"
            "answers.report = report",
        ],
        # one notebook tries every way out of its sandbox, a cell each
        "escape": [
            attempt,
            f"attempt('patch', lambda: open({str(checker)!r}, 'a').write("
            '\'\\nQuestion.evaluate = lambda self, answer: Result("correct", "")\\n\'))',
            "import os, sys, tokenomics\n"
            f"attempt('overwrite', lambda: open({str(outside['victim'])!r}, 'w').write('gone'))\n"
            f"attempt('delete', lambda: os.remove({str(checker)!r}))\n"
            "kit = os.path.dirname(tokenomics.__file__)\n"
            "attempt('kit', lambda: open(os.path.join(kit, 'new.py'), 'w'))\n"
            "attempt('python', lambda: open(os.path.join(sys.prefix, 'new.txt'), 'w'))\n"
            "attempt('own folder', lambda: open('notes.txt', 'w').write('mine'))",
            "import subprocess\n"
            f"command = [sys.executable, '-c', 'import time; time.sleep(120)', {outside['token']!r}]\n"
            "subprocess.Popen(command,\n"
            "                 start_new_session=True, stdin=subprocess.DEVNULL,\n"
            "                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)",
            "import socket\n"
            f"address = ('127.0.0.1', {outside['port']})\n"
            "attempt('connect', lambda: socket.create_connection(address, timeout=2))",
        ],
        "infinite_loop": ["import time\nwhile True:\n    time.sleep(0.1)"],  # forever, without hogging a core
        "kernel_exit": ["import os\nos._exit(3)"],
        "huge_output": ["print('x' * 50_000_000)"],
        "memory_blowup": ["hoard = bytearray(6 * 2**30)"],
    }


# The blank notebook follows the one that tried to patch the checker, in the same run.
HOSTILE = ["replace_evaluate", "forged_hook", "imitated_report", "replaced_report", "escape", "blank"]
BROKEN = ["empty", "infinite_loop", "kernel_exit", "huge_output", "memory_blowup", "control"]
# Time enough for a tiny notebook on a loaded machine (its lesson's import alone can take 10 s),
# and no more: the infinite loop in the same run waits all of it out.
BROKEN_LIMITS = Limits(timeout_s=30, memory_mb=2048, max_output_mb=2)
WALL_CLOCK_LIMITS = Limits(timeout_s=5)


def processes_holding(token: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and token in (entry / "cmdline").read_bytes().decode(errors="replace"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def runs(tmp_path_factory, outside) -> dict:
    """Two runs of several notebooks (hostile ones, broken ones) and the wall-clock test, two at a time."""
    folder = tmp_path_factory.mktemp("submissions")
    cells = {**attacks(outside), "control": CONTROL_CELLS, "blank": ["x = 1"]}
    (folder / "empty.ipynb").write_text("", encoding="utf-8")
    for name, sources in cells.items():
        write_notebook(folder / f"{name}.ipynb", sources)
    write_notebook(folder / "ten_sleeps.ipynb", ["import time\ntime.sleep(2)"] * 10)
    checker = Path(questions.__file__)
    checker_before = checker.read_bytes()

    def grade_run(names: list[str], limits: Limits) -> dict:
        results = grade.grade_all([folder / f"{name}.ipynb" for name in names], limits)
        return dict(zip(names, results, strict=True))

    def timed():
        started = time.monotonic()
        result = grade.run(folder / "ten_sleeps.ipynb", WALL_CLOCK_LIMITS)
        return result, time.monotonic() - started

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            hostile = pool.submit(grade_run, HOSTILE, Limits(timeout_s=120))
            broken = pool.submit(grade_run, BROKEN, BROKEN_LIMITS)
            wall_clock = pool.submit(timed)
            results = {**hostile.result(), **broken.result()}
            results["ten_sleeps"], results["ten_sleeps_s"] = wall_clock.result()
        results["checker_after"] = checker.read_bytes()
        results["detached_alive"] = processes_holding(outside["token"])
    finally:
        if checker.read_bytes() != checker_before:  # only if the sandbox failed: undo the patch
            checker.write_bytes(checker_before)
    results["checker_before"] = checker_before
    return results


@pytest.mark.slow
@needs_sandbox
def test_the_control_notebooks_are_graded_as_a_student_would_be(runs):
    assert runs["control"].error is None and runs["control"].statuses == CONTROL_STATUSES


@pytest.mark.slow
@needs_sandbox
def test_replacing_evaluate_gains_nothing(runs):
    result = runs["replace_evaluate"]
    assert result.outputs["cell-2"].startswith("Correct")  # the notebook fooled itself...
    assert result.error is None and result.statuses == BLANK_STATUSES  # ...not the grader


@pytest.mark.slow
@needs_sandbox
@pytest.mark.parametrize("name", ["forged_hook", "imitated_report"])
def test_a_printed_status_line_gains_nothing_and_is_reported(runs, name):
    result = runs[name]
    assert result.statuses == {}
    assert result.error.startswith("tampering:") and "imitating the grader's report" in result.error
    assert grade.table([result])["correct"].tolist() == [0]


@pytest.mark.slow
@needs_sandbox
def test_a_replaced_report_is_judged_as_answers_not_taken_as_grades(runs):
    result = runs["replaced_report"]
    assert result.error is None
    assert "correct" not in result.statuses.values()


@pytest.mark.slow
@needs_sandbox
def test_patching_the_checker_fails_and_does_not_reach_the_next_notebook(runs):
    assert "patch refused OSError" in runs["escape"].outputs["cell-2"]
    assert runs["checker_after"] == runs["checker_before"]
    assert runs["blank"].error is None and runs["blank"].statuses == BLANK_STATUSES


@pytest.mark.slow
@needs_sandbox
def test_writing_outside_its_folder_fails_and_leaves_the_files_unchanged(runs, outside):
    shown = runs["escape"].outputs["cell-3"]
    for what in ("overwrite", "delete", "kit", "python"):
        assert f"{what} refused" in shown, shown
    assert "own folder done" in shown
    assert outside["victim"].read_text(encoding="utf-8") == "the instructor's file\n"
    assert Path(questions.__file__).exists()
    assert not (Path(questions.__file__).parents[1] / "new.py").exists()
    assert not (Path(sys.prefix) / "new.txt").exists()


@pytest.mark.slow
@needs_sandbox
def test_a_detached_process_does_not_outlive_grading(runs):
    assert runs["escape"].error is None
    assert runs["escape"].outputs["cell-4"].startswith("<Popen")  # it was started
    assert runs["detached_alive"] == []


@pytest.mark.slow
@needs_sandbox
def test_a_network_connection_fails(runs, outside):
    assert "connect refused" in runs["escape"].outputs["cell-5"]
    assert outside["accepted"] == []


@pytest.mark.slow
@needs_sandbox
@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty", "the file is empty"),
        ("infinite_loop", "timed out after 30 s (in cell cell-1)"),
        ("kernel_exit", "the kernel died (in cell cell-1)"),
        ("huge_output", "the output is over the cap of 2 MB"),
        ("memory_blowup", "ran out of memory (the limit is 2048 MiB) in cell cell-1"),
    ],
)
def test_a_notebook_that_cannot_run_is_an_error_row_and_the_run_goes_on(runs, name, reason):
    assert runs[name].statuses == {}
    assert reason in runs[name].error
    assert runs["control"].statuses == CONTROL_STATUSES  # graded last, in the same run


@pytest.mark.slow
@needs_sandbox
def test_the_wall_clock_holds_for_the_whole_notebook(runs):
    result, elapsed_s = runs["ten_sleeps"], runs["ten_sleeps_s"]
    assert result.error.startswith("timed out after 5 s")
    # Ten 2-second cells would take 20 s or more: stopping well before that shows the limit held for
    # the whole notebook (not per cell), with room for a busy machine's start-up and clean-up.
    assert elapsed_s < 15


@pytest.mark.slow
@needs_sandbox
def test_the_csv_has_a_row_for_every_notebook_and_is_written_whole(tmp_path, capsys):
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json", encoding="utf-8")
    control = write_notebook(tmp_path / "control.ipynb", CONTROL_CELLS)
    csv = tmp_path / "grades.csv"
    csv.write_text("an older table\n", encoding="utf-8")
    assert grade.main([str(broken), str(control), "--csv", str(csv)]) == 1  # 1: a notebook is an error row
    table = pd.read_csv(csv, keep_default_na=False)
    assert table["notebook"].tolist() == [str(broken), str(control)]
    assert "not a readable notebook" in table["error"][0] and table["error"][1] == ""
    assert table["correct"].tolist() == [0, 1]
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []  # no temp file left
    assert "not a readable notebook" in capsys.readouterr().err


@pytest.mark.slow
def test_without_the_sandbox_when_told_the_grades_are_the_same(tmp_path):
    result = grade.run(write_notebook(tmp_path / "control.ipynb", CONTROL_CELLS), sandboxed=False)
    assert result.error is None and result.statuses == CONTROL_STATUSES
