"""A notebook's answers as plain data, so that the grader judges them outside the student's kernel.

The grader never asks the student's kernel for a status: code in that kernel could replace
``evaluate`` or print a status line of its own. Instead the grader's last step, run in the kernel,
turns the value of every question's variable into plain data (:func:`report`): a number, a piece
of text, the blank, the type of anything else, and for a function question what the function
returned on each of the question's inputs. The grader, in its own process, rebuilds a stand-in
for each value (:func:`restore_answer`) and lets its own copy of the question judge it
(:func:`judge`). A stand-in is judged as the value itself would be, so the statuses are the same
as ``q1.check()`` shows in the notebook.

Examples
--------
>>> from tokenomics.exercises import ____
>>> describe(____), describe(0.5), describe("falls")
({'kind': 'blank'}, {'kind': 'number', 'value': 0.5}, {'kind': 'text', 'value': 'falls'})
>>> restore(describe([1, 2]))
<a list>
"""

from __future__ import annotations

import json
import numbers

import numpy as np

from tokenomics.exercises import exercise_set
from tokenomics.exercises.questions import _MISSING, Blank, FunctionQuestion, Question, ____

MARK = "tokenomics-answers:"
"""Starts the line the grader's last step returns: ``MARK + nonce + ":" + JSON``."""

MARKS = (MARK, "tokenomics-exercise-statuses:")
"""Lines a notebook's own cells have no reason to print: the report's mark, and the old one."""

_MAX_TEXT_CHARS = 200_000  # an open answer is a few hundred words
_MAX_MESSAGE_CHARS = 1_000  # the message of an exception a student's function raised
_MAX_NAME_CHARS = 100  # a type's name


class TamperingError(ValueError):
    """A report that the grader's own last step could not have written."""


# -- in the student's kernel -----------------------------------------------------------------------


def describe(value) -> dict:
    """``value`` as plain data that :func:`restore` turns back into an equivalent stand-in.

    Parameters
    ----------
    value : object
        A student's answer, or what a student's function returned.

    Returns
    -------
    dict
        ``{"kind": ...}`` and the data that kind needs; JSON-serialisable.
    """
    try:
        if value is _MISSING:
            return {"kind": "missing"}
        if isinstance(value, Blank):
            return {"kind": "blank"}
        if value is None:
            return {"kind": "none"}
        if isinstance(value, bool | np.bool_):
            return {"kind": "bool", "value": bool(value)}
        if isinstance(value, np.ndarray) or hasattr(value, "to_numpy"):
            values = np.asarray(value.to_numpy() if hasattr(value, "to_numpy") else value).ravel()
            item = describe(values[0]) if values.size == 1 else None
            return {"kind": "array", "size": int(values.size), "item": item}
        if isinstance(value, str):
            return {"kind": "text", "value": str(value)[:_MAX_TEXT_CHARS]}
        if isinstance(value, numbers.Real):
            return {"kind": "number", "value": float(value)}
        return {"kind": "other", "type": type(value).__name__[:_MAX_NAME_CHARS]}
    except Exception as error:  # a strange object: judged as one that breaks the check
        return {"kind": "broken", "error": f"{type(error).__name__}: {error}"[:_MAX_MESSAGE_CHARS]}


def describe_answer(question: Question, value) -> dict:
    """Like :func:`describe`, and for a function question, what the function gives on each input."""
    if isinstance(question, FunctionQuestion) and callable(value) and not isinstance(value, Blank):
        results = []
        for arguments in question.cases:
            try:
                returned = value(**arguments)
            except Exception as error:
                results.append(
                    {
                        "kind": "error",
                        "type": type(error).__name__[:_MAX_NAME_CHARS],
                        "message": str(error)[:_MAX_MESSAGE_CHARS],
                    }
                )
            else:
                results.append(describe(returned))
        return {"kind": "function", "results": results}
    return describe(value)


class _Line:
    """Text whose ``repr`` is the text itself, so that the kernel returns it unquoted."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


def report(lesson: str, nonce: str) -> _Line:
    """The grader's last step, run in the student's kernel: every answer of ``lesson`` as data.

    Parameters
    ----------
    lesson : str
        The exercise module, e.g. ``"batching"``.
    nonce : str
        The grader's secret for this notebook; the grader accepts only a line that carries it.
    """
    from IPython import get_ipython

    namespace = get_ipython().user_ns
    answers = {
        question.name: describe_answer(question, namespace.get(question.variable, _MISSING))
        for question in exercise_set(lesson).questions
    }
    return _Line(f"{MARK}{nonce}:{json.dumps(answers)}")


# -- in the grader ---------------------------------------------------------------------------------


def _stand_in_type(name: str) -> type:
    return type(str(name)[:_MAX_NAME_CHARS] or "object", (), {"__repr__": lambda self: f"<a {name}>"})


class _Broken:
    """Stands in for an object that broke :func:`describe`: it breaks the check the same way."""

    def __init__(self, error: str):
        self.error = error

    def to_numpy(self):
        raise RuntimeError(self.error)


def restore(description: dict):
    """A value that every question judges as it judged the value ``description`` was made from."""
    kind = description["kind"]
    if kind == "missing":
        return _MISSING
    if kind == "blank":
        return ____
    if kind == "none":
        return None
    if kind == "bool":
        return bool(description["value"])
    if kind == "text":
        return str(description["value"])
    if kind == "number":
        return float(description["value"])
    if kind == "array":
        size = int(description["size"])
        if size != 1:
            return np.zeros(max(size, 0))
        item = restore(description["item"])
        return np.array([item], dtype=None if isinstance(item, float | str | bool) else object)
    if kind == "other":
        return _stand_in_type(description["type"])()
    if kind == "broken":
        return _Broken(str(description["error"]))
    raise TamperingError(f"an answer of an unknown kind {kind!r}")


def _stand_in_exception(description: dict) -> Exception:
    name = str(description["type"])[:_MAX_NAME_CHARS] or "Exception"
    return type(name, (Exception,), {})(str(description["message"]))


def restore_answer(question: Question, description: dict):
    """The stand-in for one question's answer; a function answer replays what it returned."""
    if description["kind"] != "function":
        return restore(description)
    results = description["results"]
    if not isinstance(question, FunctionQuestion) or len(results) != len(question.cases):
        raise TamperingError(f"{question.name}: a function answer that the grader did not ask for")
    replies = [
        _stand_in_exception(result) if result["kind"] == "error" else restore(result) for result in results
    ]
    cases = list(question.cases)

    def replay(**arguments):
        reply = replies[cases.index(arguments)]
        if isinstance(reply, Exception):
            raise reply
        return reply

    return replay


def parse(line: str, nonce: str) -> dict:
    """The answers in the report ``line``, checked to carry this notebook's ``nonce``.

    Raises
    ------
    TamperingError
        If the line is not one the grader's last step writes for this notebook.
    """
    prefix = f"{MARK}{nonce}:"
    if not line.startswith(prefix):
        raise TamperingError("the answers' report does not carry the grader's secret for this notebook")
    try:
        answers = json.loads(line[len(prefix) :])
    except ValueError as error:
        raise TamperingError(f"the answers' report is not valid JSON ({error})") from None
    if not isinstance(answers, dict):
        raise TamperingError("the answers' report is not a mapping of questions to answers")
    return answers


def judge(lesson: str, answers: dict) -> dict:
    """Every question's status, judged by the grader's own questions of ``lesson``.

    Parameters
    ----------
    lesson : str
        The exercise module, e.g. ``"batching"``.
    answers : dict
        ``{question name: description}`` from :func:`parse`.

    Returns
    -------
    dict
        ``{"q1": "correct", "q2": "not yet", ...}``.

    Raises
    ------
    TamperingError
        If the report names questions the lesson does not have, or leaves some out.
    """
    questions = exercise_set(lesson).questions
    names = [question.name for question in questions]
    if sorted(answers) != sorted(names):
        raise TamperingError(f"the answers' report names questions {sorted(answers)}, not {names}")
    statuses = {}
    for question in questions:
        try:
            stand_in = restore_answer(question, answers[question.name])
        except (KeyError, TypeError, ValueError) as error:
            raise TamperingError(f"{question.name}: a malformed answer ({error})") from None
        statuses[question.name] = question.evaluate(stand_in).status
    return statuses
