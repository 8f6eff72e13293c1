"""Exercise questions with instant feedback: ``q1.check()``, ``q1.hint()``, ``q1.solution()``.

A question knows the name of the variable that holds the student's answer, how to judge it and
how to explain it. :func:`bind` tells the questions where the notebook keeps its variables (its
``globals()``), so ``q1.check()`` needs no argument; ``q1.check(value)`` judges a value directly.

Every check ends in one of three statuses:

- ``"correct"``;
- ``"not yet"``: a wrong value, a wrong type, ``None``, or a function that raised; the message
  says what to look at, never what the expected value is;
- ``"not attempted"``: the answer is still the blank ``____``.

The expected values are computed by the kit's models when the check runs, never typed in.

Four kinds of question:

- :class:`NumberQuestion`: a number in a stated unit, within a relative tolerance;
- :class:`ChoiceQuestion`: one of a few words (for example "rises" or "falls");
- :class:`FunctionQuestion`: a function the student writes, called on a few inputs;
- :class:`OpenQuestion`: a few sentences, checked roughly for the key ideas and then compared
  by the student with a model answer.

Examples
--------
>>> q = NumberQuestion(number=1, title="Two plus two", prompt="What is 2 + 2?", variable="total",
...                    unit="apples", expected=lambda: 4, solution_code="total = 2 + 2")
>>> q.evaluate(____).status
'not attempted'
>>> q.evaluate(5).status
'not yet'
>>> q.evaluate(4.0).status
'correct'
"""

from __future__ import annotations

import html
import math
import numbers
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from tokenomics.exercises.markdown import escape_prices

CORRECT = "correct"
NOT_YET = "not yet"
NOT_ATTEMPTED = "not attempted"
STATUSES = (CORRECT, NOT_YET, NOT_ATTEMPTED)

# Okabe-Ito colours, as in the charts: bluish green, orange, grey.
_COLOURS = {CORRECT: "#009E73", NOT_YET: "#E69F00", NOT_ATTEMPTED: "#999999"}
_CODE = re.compile(r"`([^`]+)`")  # `name` in a message is shown as code


class Blank:
    """The placeholder ``____`` that a student replaces with an answer."""

    def __repr__(self) -> str:
        return "____"


____ = Blank()

_MISSING = object()  # no answer passed to check(): read the bound namespace instead
_namespace: Mapping | None = None


def bind(namespace: Mapping) -> None:
    """Tell every question where the notebook keeps its variables.

    Parameters
    ----------
    namespace : mapping
        The notebook's ``globals()``. ``q1.check()`` then reads the answer from it.
    """
    global _namespace
    if not isinstance(namespace, Mapping):
        raise TypeError(f"namespace must be a mapping such as globals(), not {type(namespace).__name__}")
    _namespace = namespace


@dataclass(frozen=True)
class Result:
    """What a check found: a status from :data:`STATUSES` and a message for the student."""

    status: str
    message: str

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")

    def __str__(self) -> str:
        return f"{self.status.capitalize()}: {self.message}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = _COLOURS[self.status]
        message = _CODE.sub(r"<code>\1</code>", html.escape(self.message))
        message = message.replace("$", "<span>$</span>")  # Jupyter would set "$2 ... $3" as maths
        return (
            f'<div style="border-left: 4px solid {colour}; padding: 0.2em 0.6em;">'
            f'<strong style="color: {colour};">{self.status.capitalize()}</strong>: '
            f"{message}</div>"
        )


class _Markdown:
    """Text shown as Markdown in a notebook and as plain text elsewhere."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return escape_prices(self.text)


def _show(item) -> None:
    """Display ``item`` richly in a notebook; print it elsewhere."""
    try:
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython comes with every notebook install
        print(item)
    else:
        display(item)


def _describe(value) -> str:
    """A short description of a value's type for a message (never the value of an expected answer)."""
    return type(value).__name__


@dataclass(frozen=True, kw_only=True)
class Question:
    """A question with feedback; see the subclasses for the kinds of answer.

    Parameters
    ----------
    number : int
        Its number in the exercise notebook; it is called ``q<number>`` there.
    title : str
        A few words, shown as the question's heading.
    prompt : str
        The question, in Markdown.
    variable : str
        The name of the variable (or function) that holds the student's answer.
    solution_code : str
        Worked code that defines ``variable``; the solution notebook runs it and
        :meth:`solution` shows it.
    hints : tuple of str
        Graded hints: the first nudges, the last nearly gives the method away.
    explanation : str
        Why the answer is what it is; shown with a correct answer and with the solution.
    starter : str, optional
        The student's starting code; by default ``<variable> = ____``.
    show : str, optional
        Code that both versions run just before the answer, for example a dashboard to read.
    """

    number: int
    title: str
    prompt: str
    variable: str
    solution_code: str
    hints: tuple[str, ...] = ()
    explanation: str = ""
    starter: str | None = None
    show: str = ""

    def __post_init__(self):
        if not self.variable.isidentifier():
            raise ValueError(f"variable must be a Python name, not {self.variable!r}")
        if self.number < 1:
            raise ValueError(f"number must be 1 or more, not {self.number}")

    @property
    def name(self) -> str:
        """The name the exercise notebook gives the question, e.g. ``"q1"``."""
        return f"q{self.number}"

    @property
    def starter_code(self) -> str:
        """The code the student starts from."""
        return self.starter if self.starter is not None else f"{self.variable} = ____"

    # -- judging ---------------------------------------------------------------------------------

    def evaluate(self, answer) -> Result:
        """Judge ``answer`` and return a :class:`Result`; never raises for a student's answer."""
        if answer is _MISSING or isinstance(answer, Blank):
            return Result(
                NOT_ATTEMPTED,
                f"replace ____ with your answer in `{self.variable}` and run that cell (if it shows an "
                "error, mend the line it points to and run it again), then check again.",
            )
        if answer is None:
            return Result(
                NOT_YET,
                f"`{self.variable}` is None. A function that prints instead of returning gives None; "
                f"assign the answer itself. {self._more_help()}",
            )
        try:
            return self._judge(answer)
        except Exception as error:  # a strange object must give a hint, not a traceback
            return Result(
                NOT_YET,
                f"checking `{self.variable}` failed with {type(error).__name__}: {error}. "
                f"Is it the kind of answer the question asks for? {self._more_help()}",
            )

    def bound_answer(self):
        """The student's answer as the bound notebook holds it (or the blank if there is none)."""
        if _namespace is None or self.variable not in _namespace:
            return _MISSING
        return _namespace[self.variable]

    def _judge(self, answer) -> Result:  # pragma: no cover - every kind of question defines it
        raise NotImplementedError

    def _more_help(self) -> str:
        return (
            f"{self.name}.hint() gives a hint."
            if self.hints
            else f"{self.name}.solution() shows a worked answer."
        )

    def _correct(self, opening: str = "well done.") -> Result:
        return Result(CORRECT, f"{opening} {self.explanation}".strip())

    # -- what the student calls -----------------------------------------------------------------

    def check(self, answer=_MISSING) -> None:
        """Show whether the answer is correct, not yet correct, or not attempted.

        Parameters
        ----------
        answer : optional
            The answer to judge; by default the variable named by the question in the bound
            notebook (see :func:`bind`).
        """
        if answer is _MISSING:
            if _namespace is None:
                _show(Result(NOT_ATTEMPTED, "run the set-up cell at the top of the notebook first."))
                return
            answer = self.bound_answer()
        _show(self.evaluate(answer))

    def hint(self, level: int = 1) -> None:
        """Show hint number ``level`` (1 is the gentlest)."""
        if not self.hints:
            _show(_Markdown(f"No hint for this one: `{self.name}.solution()` shows a worked answer."))
            return
        if isinstance(level, bool) or not isinstance(level, int) or level < 1:
            _show(
                _Markdown(
                    f"Ask for a hint by its number, from 1 to {len(self.hints)}: `{self.name}.hint(2)`."
                )
            )
            return
        if level > len(self.hints):
            _show(
                _Markdown(
                    f"There are only {len(self.hints)} hints. `{self.name}.solution()` shows a worked answer."
                )
            )
            return
        following = (
            f" (`{self.name}.hint({level + 1})` for the next)"
            if level < len(self.hints)
            else f" (the last; `{self.name}.solution()` shows a worked answer)"
        )
        _show(_Markdown(f"**Hint {level} of {len(self.hints)}**{following}: {self.hints[level - 1]}"))

    def solution(self) -> None:
        """Show the worked answer and why it is right."""
        _show(_Markdown(self.solution_markdown()))

    def solution_markdown(self) -> str:
        """The worked answer as Markdown."""
        text = f"**Solution to {self.name}**\n\n```python\n{self.solution_code.strip()}\n```"
        return f"{text}\n\n{self.explanation}" if self.explanation else text


# ---------------------------------------------------------------------------------------------
# Numbers

_UNIT_SLIPS = {
    1e3: "a factor of about 1,000 (milli- or kilo-?)",
    1e6: "a factor of about a million (mega-?)",
    1e9: "a factor of about a billion (giga-?)",
    100.0: "a factor of about 100 (a percent instead of a fraction, or the other way round?)",
    3600.0: "a factor of about 3,600 (seconds and hours?)",
    60.0: "a factor of about 60 (seconds and minutes?)",
}


def _as_number(answer) -> float | str:
    """``answer`` as a float, or a message saying why it is not a single number."""
    if isinstance(answer, bool | np.bool_):
        return "is True or False; the question asks for a number"
    if isinstance(answer, np.ndarray) or hasattr(answer, "to_numpy"):  # an array, or a pandas Series
        values = np.asarray(answer.to_numpy() if hasattr(answer, "to_numpy") else answer).ravel()
        if values.size != 1:
            return f"holds {values.size} values; the question asks for a single number"
        answer = values[0]
    if isinstance(answer, str):
        return "is text (a str); write the number itself, without quotes"
    if not isinstance(answer, numbers.Real):
        return f"is a {_describe(answer)}; the question asks for a number"
    value = float(answer)
    if not math.isfinite(value):
        return f"is {value}, not a finite number"
    return value


@dataclass(frozen=True, kw_only=True)
class NumberQuestion(Question):
    """A question whose answer is a number in a stated unit.

    Parameters
    ----------
    unit : str
        The unit the answer is in, named in every message (e.g. "seconds", "sequences").
    expected : callable
        Returns the answer, computed with the kit's models when the check runs.
    rel_tol : float
        Accepted relative error, 0.01 by default: enough for reading a chart or rounding.
    abs_tol : float
        Accepted absolute error, for answers near zero.
    """

    unit: str
    expected: Callable[[], float]
    rel_tol: float = 0.01
    abs_tol: float = 0.0

    def _judge(self, answer) -> Result:
        value = _as_number(answer)
        if isinstance(value, str):
            return Result(NOT_YET, f"`{self.variable}` {value} (in {self.unit}). {self._more_help()}")
        target = float(self.expected())
        if self._close(value, target):
            return self._correct()
        for factor, slip in _UNIT_SLIPS.items():
            if self._close(value / factor, target) or self._close(value * factor, target):
                return Result(
                    NOT_YET,
                    f"`{self.variable}` is off by {slip}: the answer is in {self.unit}.",
                )
        if target != 0 and value != 0 and math.copysign(1, value) != math.copysign(1, target):
            return Result(NOT_YET, f"`{self.variable}` has the wrong sign. {self._more_help()}")
        return Result(
            NOT_YET,
            f"`{self.variable}` is not {self._tolerance_text()} the kit's answer "
            f"(the answer is in {self.unit}). {self._more_help()}",
        )

    def _tolerance_text(self) -> str:
        if self.rel_tol > 0:
            return f"within {self.rel_tol * 100:g}% of"
        if self.abs_tol > 0:
            return f"within {self.abs_tol:g} of"
        return "equal to"

    def _close(self, value: float, target: float) -> bool:
        return math.isclose(value, target, rel_tol=self.rel_tol, abs_tol=self.abs_tol)


# ---------------------------------------------------------------------------------------------
# Choices


@dataclass(frozen=True, kw_only=True)
class ChoiceQuestion(Question):
    """A question answered with one of a few words.

    Parameters
    ----------
    options : tuple of str
        The accepted answers (compared without case or surrounding spaces).
    expected : callable
        Returns the right option, computed with the kit's models when the check runs.
    """

    options: tuple[str, ...]
    expected: Callable[[], str]

    def __post_init__(self):
        super().__post_init__()
        if len(self.options) < 2:
            raise ValueError(f"options must hold at least two answers, not {self.options!r}")

    @property
    def starter_code(self) -> str:
        if self.starter is not None:
            return self.starter
        listed = ", ".join(f'"{option}"' for option in self.options)
        return f"{self.variable} = ____  # one of {listed}"

    def _judge(self, answer) -> Result:
        listed = ", ".join(f'"{option}"' for option in self.options)
        if not isinstance(answer, str):
            return Result(
                NOT_YET, f"`{self.variable}` is a {_describe(answer)}; answer with one of {listed}."
            )
        chosen = answer.strip().lower()
        if chosen not in {option.lower() for option in self.options}:
            return Result(NOT_YET, f"`{self.variable}` should be one of {listed}.")
        if chosen == self.expected().lower():
            return self._correct()
        return Result(NOT_YET, f"that is not what the model gives. {self._more_help()}")


def direction_of_change(
    before: float,
    after: float,
    words: tuple[str, str, str] = ("goes up", "goes down", "stays the same"),
    rel_tol: float = 1e-3,
) -> str:
    """Which way a quantity moved, in the words of a prediction question.

    Parameters
    ----------
    before, after : float
        The model's value before and after the change of input.
    words : tuple of str
        The words for up, down and unchanged, as the question's options spell them.
    rel_tol : float
        A relative change smaller than this counts as unchanged (0.1% by default).

    Examples
    --------
    >>> direction_of_change(59.1, 43.5, ("rises", "falls", "stays the same"))
    'falls'
    """
    up, down, same = words
    if math.isclose(after, before, rel_tol=rel_tol):
        return same
    return up if after > before else down


# ---------------------------------------------------------------------------------------------
# Functions


def _format_call(arguments: Mapping) -> str:
    return ", ".join(f"{name}={value!r}" for name, value in arguments.items())


@dataclass(frozen=True, kw_only=True)
class FunctionQuestion(Question):
    """A question answered by writing a function.

    Parameters
    ----------
    reference : callable
        The kit's own function with the same parameters; the student's is compared with it.
    cases : tuple of dict
        Keyword arguments to call both functions with.
    unit : str
        The unit of the result, named in the messages.
    rel_tol : float
        Accepted relative error of each result.
    """

    reference: Callable
    cases: tuple[dict, ...]
    unit: str
    rel_tol: float = 1e-6

    def __post_init__(self):
        super().__post_init__()
        if not self.cases:
            raise ValueError("cases must hold at least one set of arguments")

    def evaluate(self, answer) -> Result:
        if callable(answer) and not isinstance(answer, Blank):
            first = self._call(answer, self.cases[0])
            if isinstance(first, Blank):
                return Result(
                    NOT_ATTEMPTED, f"`{self.variable}` still returns ____: write its body, then check again."
                )
        return super().evaluate(answer)

    @staticmethod
    def _call(function, arguments):
        try:
            return function(**arguments)
        except Exception as error:
            return error

    def _judge(self, answer) -> Result:
        if not callable(answer):
            return Result(
                NOT_YET,
                f"`{self.variable}` is a {_describe(answer)}; define it with `def {self.variable}(...)`.",
            )
        for arguments in self.cases:
            result = self._call(answer, arguments)
            call = f"`{self.variable}({_format_call(arguments)})`"
            if isinstance(result, Exception):
                return Result(
                    NOT_YET,
                    f"{call} raised {type(result).__name__}: {result}. Check the parameter names and "
                    f"the arithmetic. {self._more_help()}",
                )
            if result is None:
                return Result(NOT_YET, f"{call} returned None: does the function end with `return`?")
            value = _as_number(result)
            if isinstance(value, str):
                return Result(NOT_YET, f"{call} returns a value that {value} (in {self.unit}).")
            if not math.isclose(
                value, float(self.reference(**arguments)), rel_tol=self.rel_tol, abs_tol=1e-12
            ):
                return Result(
                    NOT_YET,
                    f"{call} does not give the kit's result (in {self.unit}). {self._more_help()}",
                )
        return self._correct(f"your function agrees with the kit on {len(self.cases)} inputs.")


# ---------------------------------------------------------------------------------------------
# Open questions


@dataclass(frozen=True)
class KeyIdea:
    """An idea a good answer to an open question contains, and words that show it.

    Parameters
    ----------
    idea : str
        The idea in a few words, shown in hints.
    patterns : tuple of str
        Regular expressions (case-insensitive); the idea counts as present if any matches.
    """

    idea: str
    patterns: tuple[str, ...]

    def found_in(self, text: str) -> bool:
        return any(re.search(pattern, text, flags=re.IGNORECASE) for pattern in self.patterns)


@dataclass(frozen=True, kw_only=True)
class OpenQuestion(Question):
    """A question answered in a few sentences, compared with a model answer.

    The check is rough on purpose: it looks for the key ideas by their words, says how many it
    found, and sends the student to the model answer. It is feedback, not a grade.

    Parameters
    ----------
    key_ideas : tuple of KeyIdea
        What a good answer contains.
    model_answer : str
        A good answer, in Markdown; the solution notebook uses it as its answer.
    min_words : int
        Fewer words than this is "not yet".
    """

    key_ideas: tuple[KeyIdea, ...]
    model_answer: str
    min_words: int = 25
    solution_code: str = ""  # written from the model answer

    def __post_init__(self):
        super().__post_init__()
        if not self.key_ideas:
            raise ValueError("key_ideas must hold at least one idea")
        # Frozen dataclass: set the derived solution code once, here.
        object.__setattr__(self, "solution_code", f'{self.variable} = """\n{self.model_answer.strip()}\n"""')

    @property
    def starter_code(self) -> str:
        if self.starter is not None:
            return self.starter
        return f'{self.variable} = ____  # your answer as text: """..."""'

    def _judge(self, answer) -> Result:
        if not isinstance(answer, str):
            return Result(
                NOT_YET, f"`{self.variable}` is a {_describe(answer)}; write your answer as text in quotes."
            )
        words = len(answer.split())
        if words < self.min_words:
            return Result(
                NOT_YET, f"{words} words is too short to make the argument: write at least {self.min_words}."
            )
        found = sum(idea.found_in(answer) for idea in self.key_ideas)
        if found < len(self.key_ideas):
            return Result(
                NOT_YET,
                f"your answer touches {found} of the {len(self.key_ideas)} key ideas (a rough check by "
                f"keywords). {self._more_help()}",
            )
        return self._correct(
            f"your answer touches all {len(self.key_ideas)} key ideas (a rough check by keywords, "
            f"not a grade). Compare it with the model answer: {self.name}.solution()."
        )

    def solution_markdown(self) -> str:
        ideas = "\n".join(f"- {idea.idea}" for idea in self.key_ideas)
        text = f"**A model answer to {self.name}**\n\n{self.model_answer.strip()}\n\n**Key ideas**\n\n{ideas}"
        return f"{text}\n\n{self.explanation}" if self.explanation else text
