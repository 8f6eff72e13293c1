"""Input checks shared by every public function of the kit.

Each check turns its input into a float numpy array (so the models broadcast over
arrays) and raises a :class:`ValueError` that names the parameter, the offending
value and the allowed range. A student who passes a negative batch size sees::

    ValueError: batch_size must be > 0 (got -4)

instead of a NaN chart or a numpy warning from deep inside a formula.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import numpy as np


class UnknownNameError(KeyError):
    """A catalog or dataset name that does not exist; the message lists the close matches."""

    def __str__(self) -> str:  # KeyError would print the message inside quotes
        return str(self.args[0])


def unknown_name(kind: str, name: str, known: Iterable[str]) -> UnknownNameError:
    """Build the error for an unknown ``name`` of a ``kind`` ("accelerator", "dataset", ...).

    Examples
    --------
    >>> print(unknown_name("accelerator", "H10", ["H100-SXM", "H20", "B200"]))
    unknown accelerator 'H10'; close matches: 'H20', 'H100-SXM'; all: 'H100-SXM', 'H20', 'B200'
    """
    known = list(known)
    close = difflib.get_close_matches(str(name), known, n=3, cutoff=0.4)
    hint = f"; close matches: {', '.join(repr(c) for c in close)}" if close else ""
    return UnknownNameError(f"unknown {kind} {name!r}{hint}; all: {', '.join(repr(k) for k in known)}")


def _first_offender(values: np.ndarray, bad: np.ndarray) -> str:
    """Return the first element of ``values`` where ``bad`` is true, written as a short number."""
    return f"{np.asarray(values)[np.asarray(bad)].flat[0]:g}"


def as_array(name: str, value) -> np.ndarray:
    """Convert ``value`` to a float array, rejecting text, None and NaN.

    Examples
    --------
    >>> as_array("batch_size", [1, 2]).tolist()
    [1.0, 2.0]
    """
    if value is None:
        raise ValueError(f"{name} is required (got None)")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers (got {value!r})") from None
    if array.size == 0:
        raise ValueError(f"{name} must not be empty (got {value!r})")
    if np.isnan(array).any():
        raise ValueError(f"{name} must not contain NaN (got {value!r})")
    return array


def positive(name: str, value, *, allow_zero: bool = False, allow_inf: bool = False) -> np.ndarray:
    """Check that every element is > 0 (or >= 0 with ``allow_zero``) and finite.

    Examples
    --------
    >>> positive("n_gpus", 8).item()
    8.0
    >>> positive("n_gpus", 0)
    Traceback (most recent call last):
    ...
    ValueError: n_gpus must be > 0 (got 0)
    """
    array = as_array(name, value)
    if not allow_inf and np.isinf(array).any():
        raise ValueError(f"{name} must be finite (got {_first_offender(array, np.isinf(array))})")
    bad = array < 0 if allow_zero else array <= 0
    if bad.any():
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be {bound} (got {_first_offender(array, bad)})")
    return array


def whole(name: str, value, *, minimum: int = 1) -> np.ndarray:
    """Check that every element is a whole number >= ``minimum`` (a count of sequences, GPUs, tokens).

    Examples
    --------
    >>> whole("batch_size", [1, 64]).tolist()
    [1.0, 64.0]
    >>> whole("batch_size", 2.5)
    Traceback (most recent call last):
    ...
    ValueError: batch_size must be a whole number >= 1 (got 2.5)
    """
    array = as_array(name, value)
    bad = ~np.isfinite(array) | (array < minimum) | (array != np.round(array))
    if bad.any():
        raise ValueError(f"{name} must be a whole number >= {minimum} (got {_first_offender(array, bad)})")
    return array


def between(
    name: str,
    value,
    low: float,
    high: float,
    *,
    include_low: bool = True,
    include_high: bool = True,
) -> np.ndarray:
    """Check that every element lies in the interval from ``low`` to ``high``.

    Examples
    --------
    >>> between("mbu", 0.9, 0, 1, include_low=False).item()
    0.9
    >>> between("utilization", 1.2, 0, 1, include_high=False)
    Traceback (most recent call last):
    ...
    ValueError: utilization must be in [0, 1) (got 1.2)
    """
    array = as_array(name, value)
    too_low = array < low if include_low else array <= low
    too_high = array > high if include_high else array >= high
    bad = too_low | too_high
    if bad.any():
        interval = f"{'[' if include_low else '('}{low:g}, {high:g}{']' if include_high else ')'}"
        raise ValueError(f"{name} must be in {interval} (got {_first_offender(array, bad)})")
    return array


def one_of(name: str, value: str, allowed: Iterable[str]) -> str:
    """Check that ``value`` is one of the ``allowed`` words.

    Examples
    --------
    >>> one_of("weight_precision", "fp8", ["bf16", "fp8"])
    'fp8'
    >>> one_of("weight_precision", "int3", ["bf16", "fp8"])
    Traceback (most recent call last):
    ...
    ValueError: weight_precision must be one of 'bf16', 'fp8' (got 'int3')
    """
    allowed = list(allowed)
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name} must be one of {choices} (got {value!r})")
    return value


def scalar_or_array(result: np.ndarray):
    """Return a Python float for 0-d results and the array otherwise, so scalars stay scalars."""
    result = np.asarray(result)
    return result.item() if result.ndim == 0 else result
