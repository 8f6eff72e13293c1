"""The exercise framework, and every lesson's exercises tested both ways.

- the question kinds judge answers as promised, never raise on a student's answer and never
  reveal the expected value in a failure;
- each lesson has at least four questions of mixed kinds; the committed notebooks are what
  ``make exercises`` writes;
- run as notebooks, the solutions pass every check and the student versions run top to bottom
  with every check "not attempted" (each lesson's own test file gives known wrong answers).
"""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest
from exercise_checks import answers_from_code, reveals_expected

from tokenomics.exercises import (
    LESSONS,
    ChoiceQuestion,
    ExerciseSet,
    FunctionQuestion,
    KeyIdea,
    NumberQuestion,
    OpenQuestion,
    Result,
    ____,
    bind,
    build,
    exercise_set,
    grade,
    questions,
    sandbox,
)
from tokenomics.exercises.markdown import escape_prices

TESTS = Path(__file__).parent


def sandbox_works() -> bool:
    try:
        sandbox.check()
    except sandbox.SandboxUnavailable:
        return False
    return True


# The notebooks run in the grader's sandbox where it can be set up (always in CI); elsewhere
# without it: these tests are about the questions, tests/test_grading_safety.py about the sandbox.
SANDBOXED = sandbox_works()


def number_question(**overrides) -> NumberQuestion:
    settings = dict(
        number=1,
        title="Seconds in a day",
        prompt="How many seconds are there in a day?",
        variable="seconds_per_day",
        unit="seconds",
        expected=lambda: 86_400.0,
        solution_code="seconds_per_day = 24 * 3600",
        hints=("Hours times seconds per hour.", "24 x 3,600."),
    )
    settings.update(overrides)
    return NumberQuestion(**settings)


CHOICE = ChoiceQuestion(
    number=2,
    title="Direction",
    prompt="Does it rise or fall?",
    variable="direction",
    options=("rises", "falls"),
    expected=lambda: "falls",
    solution_code='direction = "falls"',
    hints=("Think.",),
)

FUNCTION = FunctionQuestion(
    number=3,
    title="Double",
    prompt="Write double(x).",
    variable="double",
    starter="def double(x):\n    return ____",
    solution_code="def double(x):\n    return 2 * x",
    reference=lambda x: 2 * x,
    cases=(dict(x=1.0), dict(x=-3.5)),
    unit="whatever x is in",
    hints=("Multiply.",),
)

OPEN = OpenQuestion(
    number=4,
    title="Why",
    prompt="Why are big batches cheap?",
    variable="why",
    key_ideas=(
        KeyIdea("weights are shared", (r"weights?",)),
        KeyIdea("users get slower", (r"slow",)),
    ),
    model_answer="The weights are read once per step for every sequence in the batch; users get slower.",
    min_words=8,
)


# -- numbers -------------------------------------------------------------------------------------


def test_a_blank_or_missing_answer_is_not_attempted():
    q = number_question()
    assert q.evaluate(____).status == "not attempted"
    assert q.evaluate(questions._MISSING).status == "not attempted"


@pytest.mark.parametrize(
    "answer", [86_400, 86_400.0, np.float64(86_500.0), np.int64(86_400), np.array([86_400.0])]
)
def test_a_number_within_the_tolerance_is_correct(answer):
    assert number_question().evaluate(answer).status == "correct"


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (None, "None"),
        ("86400", "text"),
        (True, "True or False"),
        ([86_400], "list"),
        (np.array([1.0, 2.0]), "2 values"),
        (float("nan"), "not a finite number"),
        (88_000, "within 1%"),
        (86_400_000, "factor of about 1,000"),
        (1440, "factor of about 60"),
        (-86_400, "wrong sign"),
    ],
)
def test_a_wrong_number_gets_a_hint_not_the_answer(answer, says):
    q = number_question()
    result = q.evaluate(answer)
    assert result.status == "not yet"
    assert says in result.message
    assert "seconds" in result.message or "hint" in result.message
    assert not reveals_expected(q, result.message)


def test_an_exact_answer_is_described_as_exact():
    result = number_question(rel_tol=0.0).evaluate(86_401)
    assert result.status == "not yet" and "equal to" in result.message


def test_an_object_that_breaks_the_check_gets_a_hint():
    class Broken:
        def to_numpy(self):
            raise RuntimeError("no numbers here")

    result = number_question().evaluate(Broken())
    assert result.status == "not yet"
    assert "RuntimeError" in result.message and "hint" in result.message


# -- choices, functions, open questions -----------------------------------------------------------


def test_a_choice_ignores_case_and_spaces():
    assert CHOICE.evaluate("  Falls ").status == "correct"


@pytest.mark.parametrize(
    ("answer", "says"), [("rises", "not what the model gives"), ("up", '"rises", "falls"'), (3, "int")]
)
def test_a_wrong_choice_gets_a_hint(answer, says):
    result = CHOICE.evaluate(answer)
    assert result.status == "not yet" and says in result.message


def test_a_wrong_option_does_not_name_the_right_one():
    assert not reveals_expected(CHOICE, CHOICE.evaluate("rises").message)


def test_a_function_that_agrees_with_the_kit_is_correct():
    assert FUNCTION.evaluate(lambda x: x + x).status == "correct"


def test_a_function_still_returning_the_blank_is_not_attempted():
    assert FUNCTION.evaluate(lambda x: ____).status == "not attempted"


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (lambda x: 1 / 0, "ZeroDivisionError"),
        (lambda y: 2 * y, "TypeError"),
        (lambda x: None, "returned None"),
        (lambda x: "2x", "text"),
        (lambda x: 3 * x, "does not give the kit's result"),
        (2.0, "def double"),
    ],
)
def test_a_wrong_function_gets_a_hint_not_a_traceback(answer, says):
    result = FUNCTION.evaluate(answer)
    assert result.status == "not yet" and says in result.message


@pytest.mark.parametrize(
    ("answer", "status", "says"),
    [
        ("Weights, slow.", "not yet", "too short"),
        ("Big batches are cheap because the GPU stays busy all day long.", "not yet", "0 of the 2"),
        (
            "Big batches are cheap because the weights are shared by everyone in the batch.",
            "not yet",
            "1 of the 2",
        ),
        (
            "The weights are read once for the whole batch, so it is cheap, but each user is slower.",
            "correct",
            "q4.solution()",
        ),
        (42, "not yet", "text in quotes"),
    ],
)
def test_an_open_answer_is_checked_for_its_key_ideas(answer, status, says):
    result = OPEN.evaluate(answer)
    assert result.status == status and says in result.message


def test_the_model_answer_of_an_open_question_is_its_solution_code():
    namespace = {}
    exec(OPEN.solution_code, namespace)
    assert OPEN.evaluate(namespace["why"]).status == "correct"
    assert "Key ideas" in OPEN.solution_markdown()


# -- what the student calls -----------------------------------------------------------------------


def test_check_reads_the_bound_notebook(capsys, monkeypatch):
    monkeypatch.setattr(questions, "_namespace", None)
    q = number_question()
    q.check()
    assert "run the set-up cell" in capsys.readouterr().out
    notebook_globals = {"seconds_per_day": 24 * 3600}
    bind(notebook_globals)
    q.check()
    assert capsys.readouterr().out.startswith("Correct")
    notebook_globals["seconds_per_day"] = ____
    q.check()
    assert capsys.readouterr().out.startswith("Not attempted")
    del notebook_globals["seconds_per_day"]
    q.check()
    assert capsys.readouterr().out.startswith("Not attempted")
    q.check(1.0)
    assert capsys.readouterr().out.startswith("Not yet")


def test_bind_needs_a_mapping():
    with pytest.raises(TypeError, match="namespace must be a mapping"):
        bind(["not", "globals"])


@pytest.mark.parametrize(
    ("level", "says"),
    [
        (1, "Hint 1 of 2"),
        (2, "Hint 2 of 2"),
        (3, "only 2 hints"),
        (0, "from 1 to 2"),
        ("next", "from 1 to 2"),
    ],
)
def test_hints_are_graded(capsys, level, says):
    number_question().hint(level)
    assert says in capsys.readouterr().out


def test_solution_shows_the_worked_code(capsys):
    number_question().solution()
    assert "seconds_per_day = 24 * 3600" in capsys.readouterr().out


def test_a_result_renders_as_html_with_its_status():
    result = Result("not yet", "`x` < y")
    assert str(result) == "Not yet: `x` < y"
    assert "Not yet" in result._repr_html_() and "<code>x</code> &lt; y" in result._repr_html_()
    with pytest.raises(ValueError, match="status must be one of"):
        Result("maybe", "")


def test_bad_definitions_are_refused():
    with pytest.raises(ValueError, match="variable must be a Python name"):
        number_question(variable="two words")
    with pytest.raises(ValueError, match="numbered 1, 2"):
        ExerciseSet(module="m", lesson="l", title="t", introduction="", setup="", questions=(CHOICE,))
    with pytest.raises(ValueError, match="name must be one of"):
        exercise_set("nonsense")


# -- every lesson's exercises --------------------------------------------------------------------


@pytest.mark.parametrize("name", LESSONS)
def test_each_lesson_has_at_least_four_questions_of_mixed_kinds(name):
    exercises = exercise_set(name)
    kinds = [type(question) for question in exercises.questions]
    assert len(kinds) >= 4
    assert NumberQuestion in kinds or FunctionQuestion in kinds, "compute something with the package"
    assert ChoiceQuestion in kinds, "change a model input and predict the effect"
    assert OpenQuestion in kinds, "one open question with a model answer"
    assert any(question.show.strip() for question in exercises.questions), "read a dashboard or chart"
    assert (Path(build.ROOT) / "notebooks" / exercises.lesson).exists()


@pytest.mark.parametrize("name", LESSONS)
def test_each_question_is_importable_under_its_notebook_name_and_has_hints(name):
    module = importlib.import_module(f"tokenomics.exercises.{name}")
    for question in exercise_set(name).questions:
        assert getattr(module, question.name) is question
        assert question.hints, f"{question.name} needs at least one hint"


@pytest.mark.parametrize("name", LESSONS)
def test_solutions_pass_and_blanks_are_not_attempted_in_process(name):
    exercises = exercise_set(name)
    solved = answers_from_code(exercises, {q.name: q.solution_code for q in exercises.questions})
    blank = answers_from_code(exercises, {q.name: q.starter_code for q in exercises.questions})
    for question in exercises.questions:
        assert question.evaluate(solved[question.name]).status == "correct", question.name
        assert question.evaluate(blank[question.name]).status == "not attempted", question.name


@pytest.mark.parametrize("name", LESSONS)
def test_each_lesson_tests_a_known_wrong_answer_to_every_question(name):
    wrong = importlib.import_module(f"test_exercises_{name}").WRONG_ANSWERS
    assert sorted(wrong) == sorted(q.name for q in exercise_set(name).questions)


@pytest.mark.parametrize("name", LESSONS)
@pytest.mark.parametrize("with_solutions", [False, True], ids=["student", "solution"])
def test_the_committed_notebooks_are_what_make_exercises_writes(name, with_solutions):
    path = build.paths(name)[with_solutions]
    assert path.read_text(encoding="utf-8") == build.as_text(
        build.notebook(exercise_set(name), with_solutions)
    ), f"{path.name} is out of date: run `make exercises`"


def graded(path) -> grade.Graded:
    """The exercise notebook at ``path`` graded as an instructor grades it (in the sandbox where
    there is one); each test grades its own notebook, so the test workers share them out."""
    result = grade.run(path, sandboxed=SANDBOXED)
    assert result.error is None, f"{path.name} could not be graded: {result.error}"
    return result


@pytest.mark.slow
@pytest.mark.parametrize("name", LESSONS)
def test_the_student_notebook_runs_and_every_check_says_not_attempted(name):
    student = graded(build.paths(name)[0])
    assert student.errors == []
    assert set(student.statuses.values()) == {"not attempted"}
    for question in exercise_set(name).questions:
        assert student.outputs[f"{question.name}-check"].startswith("Not attempted"), question.name


@pytest.mark.slow
@pytest.mark.parametrize("name", LESSONS)
def test_the_solution_notebook_passes_every_check(name):
    solution = graded(build.paths(name)[1])
    assert solution.errors == []
    assert set(solution.statuses.values()) == {"correct"}
    for question in exercise_set(name).questions:
        assert solution.outputs[f"{question.name}-check"].startswith("Correct"), question.name


@pytest.mark.slow
def test_grading_reports_a_table_and_the_cells_that_raised(tmp_path, capsys):
    student = build.notebook(exercise_set("batching"), with_solutions=False)
    for cell in student.cells:
        if cell.id == "q1-answer":
            cell.source = "largest_batch = 1 / 0"
        if cell.id == "q2-answer":
            cell.source = "utilization_at_5_s = 0.5"
    path = tmp_path / "student.ipynb"
    path.write_text(build.as_text(student), encoding="utf-8")
    csv = tmp_path / "grades.csv"
    assert grade.main([str(path), "--csv", str(csv), *([] if SANDBOXED else ["--no-sandbox"])]) == 0
    table = csv.read_text()
    assert "q1" in table.splitlines()[0] and "not yet" in table and "not attempted" in table
    assert "q1-answer: ZeroDivisionError" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("markdown", "escaped"),
    [
        (r"$0.55 and $2.19 per million", r"\\$0.55 and \\$2.19 per million"),
        (r"the other $N - 1$ tokens, at $2 each", r"the other $N - 1$ tokens, at \\$2 each"),
        (r"$$\text{\$/Mtok} = x$$ costs $3", r"$$\text{\$/Mtok} = x$$ costs \\$3"),
        (r"`price = $2` and $5", r"`price = $2` and \\$5"),
        (r"half-escaped \$2 and \$3", r"half-escaped \\$2 and \\$3"),
        (r"a formula $\text{\$}/v$ stays", r"a formula $\text{\$}/v$ stays"),
        ("$4 here.\n\nAnd $x$ there", "\\\\$4 here.\n\nAnd $x$ there"),
    ],
)
def test_prices_are_escaped_and_formulas_kept(markdown, escaped):
    assert escape_prices(markdown) == escaped
    assert escape_prices(escaped) == escaped


def test_prices_in_hints_and_results_are_not_set_as_maths():
    hint = questions._Markdown("costs $2 and $3")._repr_markdown_()
    assert hint == r"costs \\$2 and \\$3"
    assert "<span>$</span>2" in Result("correct", "costs $2 and $3")._repr_html_()
