"""Checking arguments: the one place where every public function's input is validated.

Every module of the package (computing, drawing, explorers, export, checks)
calls these, so a bad argument gets the same kind of message everywhere: a
``TypeError`` or ``ValueError`` that names the argument, says what it got
and what was expected, and never a NumPy, matplotlib or traitlets internal
message.

>>> check_int(3, "channels")
3
>>> check_int(0, "channels")
Traceback (most recent call last):
...
ValueError: channels must be an integer >= 1; got 0
>>> check_real("2", "weight")
Traceback (most recent call last):
...
TypeError: weight must be a real number; got '2' (str)
"""

from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np

__all__ = [
    "as_real_array",
    "check_activation",
    "check_bool",
    "check_choice",
    "check_int",
    "check_range",
    "check_real",
    "check_texts",
    "pixel_index",
    "pixel_pair",
    "real",
    "short_repr",
]


def short_repr(value: Any) -> str:
    """``value`` as an error message quotes it: its repr (cut at 60 characters) and its type.

    >>> short_repr("2")
    "'2' (str)"
    >>> short_repr(np.zeros((2, 3)))
    'an array of shape (2, 3) and dtype float64'
    """
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def as_real_array(value: Any, name: str, *, dtype: np.dtype | None = None) -> np.ndarray:
    """Convert ``value`` to a real floating-point array, or raise a clear error.

    Parameters
    ----------
    value : array_like
        Numbers: an ndarray, a (nested) list or a scalar.
    name : str
        The argument's name, used in error messages.
    dtype : numpy dtype, optional
        Convert to this floating dtype. By default float32 and float64 arrays
        keep their dtype, and integers (and float16) become float64.

    Returns
    -------
    numpy.ndarray
        A floating-point array (not necessarily a copy).

    Raises
    ------
    TypeError
        If the value holds booleans, complex numbers, strings or other objects.
    ValueError
        If nested lists are ragged (rows of different lengths).
    """
    if value is None:
        raise TypeError(f"{name} must be an array of real numbers; got None")
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as err:
        raise ValueError(
            f"{name} must be a rectangular array of real numbers; got a ragged "
            f"sequence whose rows have different lengths ({short_repr(value)})"
        ) from err
    kind = arr.dtype.kind
    if kind == "b":
        raise TypeError(
            f"{name} must hold real numbers, not booleans; got {short_repr(value)}. "
            f"Convert with {name}.astype(float) if you mean 0 and 1."
        )
    if kind == "c":
        raise TypeError(f"{name} must hold real numbers, not complex ones; got {short_repr(value)}")
    if kind not in "iuf":
        raise TypeError(
            f"{name} must be an array of real numbers; got {short_repr(value)} "
            f"(dtype {arr.dtype}, expected integers or floats)"
        )
    if dtype is not None:
        return arr.astype(dtype, copy=False)
    if kind in "iu" or arr.dtype == np.float16:
        return arr.astype(np.float64)
    return arr


def check_int(value: Any, name: str, *, minimum: int = 1, maximum: int | None = None) -> int:
    """``value`` as an int in ``minimum..maximum``, or a clear error naming ``name``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {short_repr(value)}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be an integer in {minimum}..{maximum}; got {value}")
    return int(value)


def real(value: Any, name: str) -> float:
    """``value`` as a float (inf and nan allowed), or a TypeError naming ``name``."""
    if isinstance(value, (str, bytes, bool, np.bool_)) or np.iscomplexobj(value):
        raise TypeError(f"{name} must be a real number; got {short_repr(value)}")
    if isinstance(value, np.ndarray) and value.ndim:
        raise TypeError(f"{name} must be a single real number; got {short_repr(value)}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number; got {short_repr(value)}") from None


def check_real(value: Any, name: str, *, minimum: float | None = None, maximum: float | None = None) -> float:
    """``value`` as a finite float (in ``minimum..maximum`` when given), or a clear error naming ``name``."""
    number = real(value, name)
    if not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number; got {number}")
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        low = "" if minimum is None else f"{minimum:g}"
        high = "" if maximum is None else f"{maximum:g}"
        raise ValueError(f"{name} must be a number in {low}..{high}; got {number:g}")
    return number


def check_bool(value: Any, name: str) -> bool:
    """``value`` as a bool (True, False, or a NumPy bool), or a TypeError naming ``name``."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {short_repr(value)}")
    return bool(value)


def check_choice(value: Any, name: str, options: Sequence[Any]) -> Any:
    """``value`` if it is one of ``options``, or a ValueError naming ``name`` and listing them."""
    if isinstance(value, (str, type(None), int)) and value in options:
        return value
    raise ValueError(f"{name} must be one of {', '.join(repr(o) for o in options)}; got {short_repr(value)}")


def pixel_index(i: Any, j: Any, shape: tuple[int, ...]) -> tuple[int, int]:
    """``(i, j)`` as ints, or a clear error if it is no pixel of an image of ``shape`` (H, W, ...).

    Not to be confused with :func:`conv1x1.checks.check_pixel`, which checks a learner's answer."""
    height, width = shape[0], shape[1]
    i = check_int(i, "i", minimum=0)
    j = check_int(j, "j", minimum=0)
    if i >= height:
        raise ValueError(f"i must be a row index in 0..{height - 1}; got {i}")
    if j >= width:
        raise ValueError(f"j must be a column index in 0..{width - 1}; got {j}")
    return i, j


def pixel_pair(pixel: Any, shape: tuple[int, ...], name: str = "pixel") -> tuple[int, int]:
    """``pixel`` as a checked ``(i, j)`` inside ``shape``, or a clear error naming ``name``."""
    if isinstance(pixel, (str, bytes)) or not hasattr(pixel, "__len__") or len(pixel) != 2:
        raise TypeError(f"{name} must be a pair (i, j) of a row and a column index; got {short_repr(pixel)}")
    return pixel_index(pixel[0], pixel[1], shape)


def check_activation(activation: Any) -> str | None:
    """``None`` or ``"relu"`` (any case), or a clear error."""
    if activation is None:
        return None
    if not isinstance(activation, str):
        raise TypeError(f"activation must be None or 'relu'; got {short_repr(activation)}")
    if activation.lower() != "relu":
        raise ValueError(f"activation must be None or 'relu'; got {activation!r}")
    return "relu"


def check_range(vmin: Any, vmax: Any) -> tuple[float | None, float | None]:
    """Optional colour limits as floats, checked: ``vmin < vmax`` when both are given."""
    lo = None if vmin is None else check_real(vmin, "vmin")
    hi = None if vmax is None else check_real(vmax, "vmax")
    if lo is not None and hi is not None and lo >= hi:
        raise ValueError(f"vmin must be less than vmax; got vmin = {lo:g}, vmax = {hi:g}")
    return lo, hi


def check_texts(values: Any, name: str, count: int, what: str) -> list[str]:
    """``values`` as a list of ``count`` strings, or a clear error naming ``name``."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise TypeError(f"{name} must be a sequence of strings, {what}; got {short_repr(values)}")
    values = list(values)
    if len(values) != count:
        raise ValueError(f"{name} must have {count} entries, {what}; got {len(values)}")
    for k, value in enumerate(values):
        if not isinstance(value, str):
            raise TypeError(f"{name}[{k}] must be a string; got {short_repr(value)}")
    return values
