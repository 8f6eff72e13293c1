"""Helpers the exercise tests share: run answer code as a notebook would, and judge it."""

from __future__ import annotations

import re

from tokenomics.exercises import ChoiceQuestion, ExerciseSet, NumberQuestion, Question


def answers_from_code(exercises: ExerciseSet, answer_code: dict[str, str]) -> dict:
    """Run the set-up cell, then each question's shown cell and answer code, in one namespace.

    Returns ``{question name: the value of its variable afterwards}``, as ``q.check()`` would see it.
    """
    namespace: dict = {}
    exec(exercises.setup_code, namespace)
    answers = {}
    for question in exercises.questions:
        if question.show.strip():
            exec(question.show, namespace)
        exec(answer_code[question.name], namespace)
        answers[question.name] = namespace.get(question.variable)
    return answers


def _number_forms(value: float) -> set[str]:
    """How a message could write ``value``: to two significant digits or more (a lone "1" is no leak)."""
    forms = {
        repr(value),
        f"{value:g}",
        f"{value:.2g}",
        f"{value:.3g}",
        f"{value:.2f}",
        f"{value:.3f}",
        f"{value:,.2f}",
    }
    if abs(value) >= 10:
        forms.add(f"{value:,.0f}")
    if value == int(value):
        forms.add(str(int(value)))  # a whole-number answer (a batch of 8) is a leak even as one digit
    return {form for form in forms if form.strip("0.,-")}


def reveals_expected(question: Question, message: str) -> bool:
    """Whether ``message`` shows the question's expected answer."""
    if isinstance(question, NumberQuestion):
        forms = _number_forms(float(question.expected()))
        return any(re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d])", message) for form in forms)
    if isinstance(question, ChoiceQuestion):
        return question.expected().lower() in message.lower()
    return False


def assert_wrong_answers_fail(exercises: ExerciseSet, wrong_answer_code: dict[str, str]) -> None:
    """Every question has a known wrong answer, and it fails its check without revealing the answer."""
    names = [question.name for question in exercises.questions]
    assert sorted(wrong_answer_code) == sorted(names), "give a known wrong answer for every question"
    answers = answers_from_code(exercises, wrong_answer_code)
    for question in exercises.questions:
        result = question.evaluate(answers[question.name])
        assert result.status == "not yet", f"{question.name}: {result}"
        assert not reveals_expected(question, result.message), f"{question.name} reveals its answer: {result}"
