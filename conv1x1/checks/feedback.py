"""Feedback, and the two comparisons every exercise check is built on.

:class:`Feedback` is what a check returns; :class:`Mistake` describes a
typical wrong answer. :func:`check_array` and :func:`check_number` compare an
answer with the expected one and try the mistakes in order, so each lesson's
check (in :mod:`conv1x1.checks.pixels`, ``costs``, ``layers``, ``colour``) is
a list of mistakes plus, where a message needs more, its own words.
:func:`not_answered`, :func:`as_numbers`, :func:`kind_of` and :func:`matches` are the
small helpers those checks share: every check answers any answer, NaN, infinity and objects that
are not numbers included, with feedback, never with an exception.

Every number in a message is written by
:func:`conv1x1.compute.core.format_significant` (two numbers that must not look equal
by :func:`conv1x1.compute.core.format_significant_pair`).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from ..compute.core import format_significant, format_significant_pair

__all__ = ["Feedback", "Mistake", "as_numbers", "check_array", "check_number", "kind_of", "matches", "not_answered"]


@dataclass(frozen=True)
class Feedback:
    """The result of a check: shown as a box in a notebook, truthy when correct."""

    correct: bool
    message: str
    hint: str = ""
    answered: bool = True

    def __bool__(self) -> bool:
        return self.correct

    @property
    def label(self) -> str:
        if not self.answered:
            return "Not answered yet"
        return "Correct" if self.correct else "Not yet"

    def __str__(self) -> str:
        mark = "✔" if self.correct else ("…" if not self.answered else "✘")
        text = f"{mark} {self.label}: {self.message}"
        if self.hint:
            text += f"\n  Hint: {self.hint}"
        return text

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour, background = (("#1b5e20", "#e8f5e9") if self.correct else
                               ("#5d4037", "#fff8e1") if not self.answered else ("#8a1c1c", "#fdecea"))
        hint = f"<br><b>Hint:</b> {html.escape(self.hint)}" if self.hint else ""
        return (f"<div role='status' style='border-left:4px solid {colour}; background:{background}; "
                f"color:{colour}; padding:6px 10px'><b>{self.label}:</b> {html.escape(self.message)}{hint}</div>")


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: what it would be, and what to tell the learner.

    ``value`` is the array (or number) the mistake produces; ``None`` means
    the mistake is recognised by ``shape`` alone.
    """

    value: Any
    message: str
    hint: str
    shape: tuple[int, ...] | None = None


def not_answered(what: str) -> Feedback:
    """The feedback for an answer left as ``...`` or None: "replace the ... with your {what}"."""
    return Feedback(False, f"replace the ... with your {what}, then run the cell again.", answered=False)


def as_numbers(answer: Any) -> np.ndarray | None:
    """``answer`` as a float array, or None when it is not real numbers.

    None for a string (even ``"12"``), a ragged list, True or False, complex numbers, an integer too
    large for a float, or an object NumPy cannot read, whatever it raises. A PyTorch tensor counts as
    its values, gradients or not. NaN and infinity are numbers here: the checks then say they are not
    finite.

    >>> as_numbers([1, 2]), as_numbers("12"), as_numbers(True), as_numbers(10**400)
    (array([1., 2.]), None, None, None)
    """
    if isinstance(answer, (bool, np.bool_, str, bytes)):
        return None
    try:
        detach = getattr(answer, "detach", None)
        if callable(detach):                            # a PyTorch tensor: its values, as NumPy
            answer = detach().cpu().numpy()
        raw = np.asarray(answer)
        if raw.dtype.kind not in "iufO":                 # not True/False, complex, text, dates
            return None
        return raw.astype(float)
    except Exception:                                    # whatever the object raises, it is not numbers
        return None


def kind_of(answer: Any) -> str:
    """What an answer that is not numbers is, in a few words, for "got ..." in a message.

    >>> kind_of("abc"), kind_of(True), kind_of(1j), kind_of(-10**400)
    ('str', 'True, a yes-or-no value', 'complex numbers', 'a whole number of 401 digits, too large for a float')
    """
    if isinstance(answer, (bool, np.bool_)):
        return f"{bool(answer)}, a yes-or-no value"
    if isinstance(answer, int) and abs(answer) > 2 ** 1023:
        return f"a whole number of {len(str(abs(answer)))} digits, too large for a float"
    try:
        kind = np.asarray(answer).dtype.kind if not isinstance(answer, (str, bytes)) else ""
    except Exception:
        kind = ""
    return {"c": "complex numbers", "b": "an array of True/False values"}.get(kind, type(answer).__name__)


def _compared(value: float, expected: float) -> str:
    """How far ``value`` is from ``expected``, in words.

    "7 times the right value", "1/9 of the right value", "about 1/2,900,000 of
    the right value"; within a factor 2, or across zero, the difference:
    "164 more than the right value".
    """
    r = value / expected if expected else 0.0
    if r <= 0 or 0.5 < r < 2:
        return f"{format_significant(abs(value - expected))} {'more' if value > expected else 'less'} than the right value"
    if not 1e-12 < r < 1e12:                           # far off: no factor of a dozen digits
        return "more than a million million times the right value" if r > 1 else (
            "less than a millionth of a millionth of the right value")
    factor = max(r, 1 / r)
    if abs(factor - round(factor)) <= 1e-9 * factor:
        about, number = "", format_significant(round(factor))
    else:
        about, number = "about ", format_significant(round(factor, 1 - math.floor(math.log10(factor))))   # 2 significant digits
    return f"{about}{number} times the right value" if r > 1 else f"{about}1/{number} of the right value"


def matches(answer: np.ndarray, value: Any, atol: float, rtol: float) -> bool:
    """Whether ``answer`` has the shape of ``value`` and every entry is close to it."""
    value = np.asarray(value, dtype=float)
    return answer.shape == value.shape and bool(np.allclose(answer, value, atol=atol, rtol=rtol))


_SHAPE_HINT = "print the shape of each array you combine and follow the axes: (H, W, C) @ (C, F) gives (H, W, F)."


def check_array(
    answer: Any,
    expected: Any,
    *,
    what: str = "answer",
    mistakes: Sequence[Mistake] = (),
    atol: float = 1e-6,
    rtol: float = 1e-6,
    shape_hint: str = _SHAPE_HINT,
) -> Feedback:
    """Compare an array answer with the expected array, diagnosing known mistakes.

    Parameters
    ----------
    answer : array_like
        The learner's answer (``...`` or None when not answered yet).
    expected : array_like
        The right answer.
    what : str
        What the answer is, in words ("output", "filter bank").
    mistakes : sequence of Mistake
        Typical wrong answers, tried in order when the answer is wrong.
    atol, rtol : float
        Tolerances: floats computed in another order agree only to rounding.
    shape_hint : str
        The hint for an answer of the wrong shape that no mistake explains.

    Examples
    --------
    >>> print(check_array([[1, 2]], [[1, 3]]))
    ✘ Not yet: the shape (1, 2) is right, but 1 of 2 values differ; first at index (0, 1): you have 2, expected 3.
      Hint: recompute that one value by hand and compare it with your code's steps.
    """
    if answer is Ellipsis or answer is None:
        return not_answered(what)
    arr = as_numbers(answer)
    expected = np.asarray(expected, dtype=float)
    if arr is None:
        return Feedback(False, f"your {what} must be an array of numbers; got {kind_of(answer)}.",
                        "build it with NumPy, e.g. np.array(...) or an expression on the arrays given.")
    if matches(arr, expected, atol, rtol):
        return Feedback(True, f"your {what} has shape {expected.shape} and every value matches.")
    for mistake in mistakes:
        if mistake.value is not None and matches(arr, mistake.value, atol, rtol):
            return Feedback(False, mistake.message, mistake.hint)
    for mistake in mistakes:
        if mistake.value is None and mistake.shape == arr.shape:
            return Feedback(False, mistake.message, mistake.hint)
    if arr.shape != expected.shape:
        return Feedback(False, f"your {what} has shape {arr.shape}, expected {expected.shape}.", shape_hint)
    if not np.all(np.isfinite(arr)):
        bad = ~np.isfinite(arr)
        index = tuple(int(k) for k in np.argwhere(bad)[0])
        return Feedback(False, f"the shape {arr.shape} is right, but {format_significant(bad.sum())} of "
                               f"{format_significant(bad.size)} values are not finite numbers; first"
                               f"{f' at index {index}' if index else ''}: {arr[index]}.",
                        "look for a division by zero, an overflow, or a value never set (np.empty) in your code.")
    wrong = ~np.isclose(arr, expected, atol=atol, rtol=rtol)
    index = tuple(int(k) for k in np.argwhere(wrong)[0])
    where = f" at index {index}" if index else ""
    have, want = format_significant_pair(arr[index], expected[index])
    return Feedback(
        False,
        f"the shape {arr.shape} is right, but {format_significant(wrong.sum())} of {format_significant(wrong.size)} values differ; "
        f"first{where}: you have {have}, expected {want}.",
        "recompute that one value by hand and compare it with your code's steps.",
    )


def check_number(
    answer: Any,
    expected: float,
    *,
    what: str = "answer",
    mistakes: Sequence[Mistake] = (),
    rtol: float = 1e-9,
    atol: float = 1e-9,
    hint: str = "write the formula as a product of the sizes involved and check each factor.",
) -> Feedback:
    """Compare a single number with the expected one, diagnosing known mistakes.

    ``hint`` is given with a wrong number that no mistake explains; the
    message then says how far off it is, in words ("7 times the right value").

    >>> print(check_number(16448, 16448))
    ✔ Correct: 16,448 is right.
    >>> print(check_number(114688, 16448, what="number of parameters"))
    ✘ Not yet: you have 114,688, expected 16,448 (about 7 times the right value).
      Hint: write the formula as a product of the sizes involved and check each factor.
    """
    if answer is Ellipsis or answer is None:
        return not_answered(what)
    arr = as_numbers(answer)
    if arr is None or arr.size != 1:
        got = kind_of(answer) if arr is None else f"an array of shape {arr.shape}"
        return Feedback(False, f"your {what} must be a single number; got {got}.",
                        "if you have an array of terms, add them up with .sum().")
    value = float(arr.reshape(()))
    if not np.isfinite(value):
        return Feedback(False, f"your {what} is {value}, not a finite number.",
                        "look for a division by zero or an overflow in your expression.")
    if np.isclose(value, expected, rtol=rtol, atol=atol):
        return Feedback(True, f"{format_significant(expected)} is right.")
    for mistake in mistakes:
        if mistake.value is not None and np.isclose(value, float(mistake.value), rtol=rtol, atol=atol):
            return Feedback(False, mistake.message, mistake.hint)
    have, want = format_significant_pair(value, expected)
    return Feedback(False, f"you have {have}, expected {want} ({_compared(value, expected)}).", hint)
