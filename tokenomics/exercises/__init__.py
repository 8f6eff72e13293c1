"""Exercises with instant feedback, one module per lesson.

Each lesson's module (for example :mod:`tokenomics.exercises.batching`) defines its questions
``q1``, ``q2``, ... and an :class:`ExerciseSet` named ``EXERCISES``. That module is the single
source of an exercise: the student notebook ``exercises/<lesson>.ipynb`` and the solution
notebook ``exercises/solutions/<lesson>.ipynb`` are both written from it by ``make exercises``
(:mod:`tokenomics.exercises.build`), and ``q1.solution()`` shows the same code that the solution
notebook runs.

In a notebook::

    from tokenomics.exercises import ____, bind
    from tokenomics.exercises.batching import q1, q2

    bind(globals())
    largest_batch = ____   # the student's answer goes here
    q1.check()             # correct / not yet / not attempted
    q1.hint()              # graded hints: q1.hint(2), ...
    q1.solution()          # the worked answer

Examples
--------
>>> from tokenomics.exercises import exercise_set
>>> exercise_set("batching").lesson
'03_gpu_batching.ipynb'
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from tokenomics.exercises.questions import (
    STATUSES,
    ChoiceQuestion,
    FunctionQuestion,
    KeyIdea,
    NumberQuestion,
    OpenQuestion,
    Question,
    Result,
    ____,
    bind,
    direction_of_change,
)

# The exercise modules, in teaching order (the lessons' dashboard modules have the same names).
LESSONS = ("start", "market", "providers", "batching", "calibration", "efficiency", "strategy")

__all__ = [
    "LESSONS",
    "STATUSES",
    "ChoiceQuestion",
    "ExerciseSet",
    "FunctionQuestion",
    "KeyIdea",
    "NumberQuestion",
    "OpenQuestion",
    "Question",
    "Result",
    "____",
    "bind",
    "direction_of_change",
    "exercise_set",
]


@dataclass(frozen=True)
class ExerciseSet:
    """The exercises of one lesson: what the exercise notebook is written from.

    Parameters
    ----------
    module : str
        The module that defines the questions as ``q1``, ``q2``, ...
    lesson : str
        The lesson's notebook file name in ``notebooks/``; the exercise notebooks take the same name.
    title : str
        The notebook's title.
    introduction : str
        Markdown shown after the title: what the exercises practise.
    setup : str
        Code run once after the imports (more imports, shared objects); may be empty.
    questions : tuple of Question
        Numbered 1, 2, ... in order.
    """

    module: str
    lesson: str
    title: str
    introduction: str
    setup: str
    questions: tuple[Question, ...]

    def __post_init__(self):
        numbers = [question.number for question in self.questions]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"questions must be numbered 1, 2, ... in order, not {numbers}")

    @property
    def setup_code(self) -> str:
        """The notebook's set-up cell: the blank and the questions, the set's own set-up, :func:`bind`."""
        names = ", ".join(question.name for question in self.questions)
        imports = f"from tokenomics.exercises import ____, bind\nfrom {self.module} import {names}"
        own_setup = f"\n{self.setup.strip()}" if self.setup.strip() else ""
        return f"{imports}{own_setup}\n\nbind(globals())  # lets q1.check() read your answers"


def exercise_set(name: str) -> ExerciseSet:
    """The :class:`ExerciseSet` of the lesson module ``name`` (one of :data:`LESSONS`)."""
    if name not in LESSONS:
        raise ValueError(f"name must be one of {LESSONS}, not {name!r}")
    return importlib.import_module(f"tokenomics.exercises.{name}").EXERCISES
