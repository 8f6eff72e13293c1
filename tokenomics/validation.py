"""Input checks shared by every public function of the kit.

Each check turns its input into a float numpy array (so the models broadcast over
arrays) and raises a :class:`ValueError` that names the parameter, the offending
value and the allowed range. A student who passes a negative batch size sees::

    ValueError: batch_size must be > 0 (got -4)

instead of a NaN chart or a numpy warning from deep inside a formula.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import inspect
import numbers
import sys
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


def _short(value) -> str:
    """A value written for an error message: its repr, cut to 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _number_error(name: str, value, why: str = "") -> ValueError:
    kind = type(value).__name__
    return ValueError(f"{name} must be a number or an array of numbers{why} (got {kind} {_short(value)})")


def _to_float(name: str, element) -> float:
    """One element of an object array as a float: real numbers only, never bool or text."""
    if isinstance(element, (bool, np.bool_)) or not isinstance(element, numbers.Real):
        raise _number_error(name, element)
    try:
        return float(element)
    except OverflowError:
        raise ValueError(
            f"{name} is too large to compute with (got an integer of {len(str(abs(int(element))))} "
            f"digits; the largest allowed is about {sys.float_info.max:.3g})"
        ) from None


def as_array(name: str, value) -> np.ndarray:
    """Convert ``value`` to a float array of real numbers, rejecting everything else.

    Rejected, each with a ValueError that names ``name``: None, bool (True is not 1 here),
    text (even "0.25"), complex numbers, other objects, integers too large for a float,
    empty arrays and NaN.

    Examples
    --------
    >>> as_array("batch_size", [1, 2]).tolist()
    [1.0, 2.0]
    >>> as_array("batch_size", True)
    Traceback (most recent call last):
    ...
    ValueError: batch_size must be a number or an array of numbers, not a bool (got bool True)
    >>> as_array("ttft_s", "0.25")
    Traceback (most recent call last):
    ...
    ValueError: ttft_s must be a number or an array of numbers, not text (got str '0.25')
    """
    if value is None:
        raise ValueError(f"{name} is required (got None)")
    if isinstance(value, (bool, np.bool_)):
        raise _number_error(name, value, ", not a bool")
    if isinstance(value, (str, bytes)):
        raise _number_error(name, value, ", not text")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):  # ragged nested lists
        raise _number_error(name, value) from None
    if raw.dtype.kind == "b":
        raise _number_error(name, value, ", not bools")
    if raw.dtype.kind in "US":
        raise _number_error(name, value, ", not text")
    if raw.dtype.kind == "O":
        array = np.array([_to_float(name, element) for element in raw.flat], dtype=float).reshape(raw.shape)
    elif raw.dtype.kind in "iuf":
        array = raw.astype(float)
    else:  # complex, datetime, void ...
        raise _number_error(name, value, ", real-valued")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty (got {_short(value)})")
    if np.isnan(array).any():
        raise ValueError(f"{name} must not contain NaN (got {_short(value)})")
    return array


def scalar(name: str, value) -> float:
    """Check that ``value`` is one real number (not an array) and return it as a float.

    Examples
    --------
    >>> scalar("n_points", 40)
    40.0
    >>> scalar("context_tokens", [[1, 2], [3, 4]])
    Traceback (most recent call last):
    ...
    ValueError: context_tokens must be one number, not an array of shape (2, 2)
    """
    array = as_array(name, value)
    if array.ndim:
        raise ValueError(f"{name} must be one number, not an array of shape {array.shape}")
    return float(array)


def count(name: str, value, *, minimum: int = 1, maximum: int | None = None) -> int:
    """Check that ``value`` is one whole number from ``minimum`` to ``maximum`` and return it as an int.

    Examples
    --------
    >>> count("hours", 24)
    24
    >>> count("hours", 2.5)
    Traceback (most recent call last):
    ...
    ValueError: hours must be a whole number >= 1 (got 2.5)
    >>> count("n_points", 10**18, minimum=2, maximum=10_000)
    Traceback (most recent call last):
    ...
    ValueError: n_points must be <= 10,000 (got 1e+18)
    """
    number = float(whole(name, scalar(name, value), minimum=minimum))
    if maximum is not None and number > maximum:
        raise ValueError(f"{name} must be <= {maximum:,} (got {number:g})")
    return int(number)


def broadcast(**arrays: np.ndarray) -> list[np.ndarray]:
    """Broadcast arrays against each other; on a shape mismatch name the parameters and their shapes.

    Examples
    --------
    >>> [a.shape for a in broadcast(batch_size=np.ones(3), context_tokens=np.ones((2, 1)))]
    [(2, 3), (2, 3)]
    >>> broadcast(latency_s=np.ones(3), ttft_s=np.ones(2))
    Traceback (most recent call last):
    ...
    ValueError: latency_s and ttft_s must have shapes that broadcast together (got (3,) and (2,))
    """
    shapes = {name: np.shape(array) for name, array in arrays.items()}
    try:
        return list(np.broadcast_arrays(*arrays.values()))
    except ValueError:
        names = list(shapes)
        listed = ", ".join(names[:-1]) + " and " + names[-1]
        got = ", ".join(str(shape) for shape in list(shapes.values())[:-1])
        raise ValueError(
            f"{listed} must have shapes that broadcast together (got {got} and {list(shapes.values())[-1]})"
        ) from None


def _non_finite(result, allow_inf: bool) -> bool:
    """Whether a result (a number, an array, a tuple of them or a dataclass of them) is not finite."""
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return any(_non_finite(getattr(result, f.name), allow_inf) for f in dataclasses.fields(result))
    if isinstance(result, tuple):
        return any(_non_finite(item, allow_inf) for item in result)
    if isinstance(result, (bool, np.bool_)) or not isinstance(result, (float, np.floating, np.ndarray)):
        return False
    array = np.asarray(result)
    if array.dtype.kind != "f":
        return False
    return bool(np.isnan(array).any() if allow_inf else (~np.isfinite(array)).any())


class ExtremeInputError(ValueError):
    """Finite inputs so extreme that a formula's result is not a finite number in floating point."""


NUMPY_SHAPE_ERRORS = ("operands could not be broadcast", "shape mismatch")
"""How numpy's own messages for arrays of shapes that do not broadcast together begin."""


def _shape_error(function_name: str, arguments: dict) -> ValueError:
    """The error for array arguments whose shapes do not broadcast: every array parameter, with its shape."""
    shapes = {
        name: np.shape(value)
        for name, value in arguments.items()
        if np.ndim(value) > 0 and not isinstance(value, (str, bytes))
    }
    listed = ", ".join(f"{name} {shape}" for name, shape in shapes.items())
    return ValueError(
        f"{function_name}: the shapes of {listed} do not broadcast together (use equal shapes, or scalars)"
    )


def finite_result(function=None, *, allow_inf: bool = False):
    """Decorate a model function so that extreme inputs give a clear error, never inf or a warning.

    The function runs with numpy's floating-point warnings silenced; if its result holds a
    non-finite number (NaN, or inf unless ``allow_inf``), the decorator raises a ValueError
    naming the inputs, which were finite but too extreme for the formula in floating point
    (an :class:`ExtremeInputError`; raised inside another decorated function, it is reported
    with the outer function's inputs, the ones the caller passed). Array arguments whose
    shapes do not broadcast together give a ValueError that names each of them with its
    shape, instead of numpy's message that names none.

    Examples
    --------
    >>> @finite_result
    ... def revenue_usd(price_usd_per_mtok, tokens):
    ...     return positive("price_usd_per_mtok", price_usd_per_mtok) * positive("tokens", tokens)
    >>> revenue_usd(1e300, 1e300)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tokenomics.validation.ExtremeInputError: revenue_usd: the inputs price_usd_per_mtok=1e+300, ...
    """
    if function is None:
        return functools.partial(finite_result, allow_inf=allow_inf)
    signature = inspect.signature(function)

    @functools.wraps(function)
    def checked(*args, **kwargs):
        try:
            with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
                result = function(*args, **kwargs)
        except ExtremeInputError:  # from a model function this one calls: name this one's inputs
            result = np.nan
        except ValueError as error:
            if not str(error).startswith(NUMPY_SHAPE_ERRORS):
                raise
            raise _shape_error(function.__name__, signature.bind(*args, **kwargs).arguments) from None
        if _non_finite(result, allow_inf):
            bound = signature.bind(*args, **kwargs)
            inputs = ", ".join(
                f"{key}={_short(value)}" for key, value in bound.arguments.items() if key != "self"
            )
            raise ExtremeInputError(
                f"{function.__name__}: the inputs {inputs} are too extreme: the result is not a finite number"
            )
        return result

    return checked


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
