"""Exercise checks: compare a learner's answer with the expected one, and say why it differs.

Every check returns a :class:`Feedback`, which a notebook shows as a coloured
box (and as plain text elsewhere). A correct answer is said to be correct; a
wrong one is told *what* differs and given a hint aimed at the likely mistake
(COURSE.md, "Exercises"):

* output shape ``(H, W, C)`` instead of ``(H, W)``: the channel sum was forgotten;
* filter matrix ``(F, C)`` instead of ``(C, F)``: transposed;
* channels-first ``(C, H, W)`` instead of channels-last;
* ReLU or bias forgotten (or added when not asked for);
* cost off by the kernel area ``k²`` or by a channel count.

An answer left as ``...`` (or ``None``) gets "not answered yet".

The reference solutions live in :mod:`conv1x1.solutions`; the tests run every
check against them and against typical wrong answers.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .core import conv1x1, conv_cost

__all__ = [
    "Feedback",
    "Mistake",
    "check_array",
    "check_conv_output",
    "check_cost",
    "check_filter_bank",
    "check_number",
    "check_pixel",
]


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


def _not_answered(what: str) -> Feedback:
    return Feedback(False, f"replace the ... with your {what}, then run the cell again.", answered=False)


def _as_numbers(answer: Any) -> np.ndarray | None:
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _matches(answer: np.ndarray, value: Any, atol: float, rtol: float) -> bool:
    value = np.asarray(value, dtype=float)
    return answer.shape == value.shape and bool(np.allclose(answer, value, atol=atol, rtol=rtol))


def check_array(
    answer: Any,
    expected: Any,
    *,
    what: str = "answer",
    mistakes: Sequence[Mistake] = (),
    atol: float = 1e-6,
    rtol: float = 1e-6,
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
    """
    if answer is Ellipsis or answer is None:
        return _not_answered(what)
    arr = _as_numbers(answer)
    expected = np.asarray(expected, dtype=float)
    if arr is None:
        return Feedback(False, f"your {what} must be an array of numbers; got {type(answer).__name__}.",
                        "build it with NumPy, e.g. np.array(...) or an expression on the arrays given.")
    if _matches(arr, expected, atol, rtol):
        return Feedback(True, f"your {what} has shape {expected.shape} and every value matches.")
    for mistake in mistakes:
        if mistake.value is not None and _matches(arr, mistake.value, atol, rtol):
            return Feedback(False, mistake.message, mistake.hint)
    for mistake in mistakes:
        if mistake.value is None and mistake.shape == arr.shape:
            return Feedback(False, mistake.message, mistake.hint)
    if arr.shape != expected.shape:
        return Feedback(False, f"your {what} has shape {arr.shape}, expected {expected.shape}.",
                        "print the shape of each array you combine and follow the axes: (H, W, C) @ (C, F) gives (H, W, F).")
    wrong = ~np.isclose(arr, expected, atol=atol, rtol=rtol)
    index = tuple(int(k) for k in np.argwhere(wrong)[0])
    where = f" at index {index}" if index else ""
    return Feedback(
        False,
        f"the shape {arr.shape} is right, but {int(wrong.sum())} of {wrong.size} values differ; "
        f"first{where}: you have {_fmt(arr[index])}, expected {_fmt(expected[index])}.",
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
) -> Feedback:
    """Compare a single number with the expected one, diagnosing known mistakes."""
    if answer is Ellipsis or answer is None:
        return _not_answered(what)
    arr = _as_numbers(answer)
    if arr is None or arr.size != 1:
        got = type(answer).__name__ if arr is None else f"an array of shape {arr.shape}"
        return Feedback(False, f"your {what} must be a single number; got {got}.",
                        "if you have an array of terms, add them up with .sum().")
    value = float(arr.reshape(()))
    if np.isclose(value, expected, rtol=rtol, atol=atol):
        return Feedback(True, f"{_fmt(expected)} is right.")
    for mistake in mistakes:
        if mistake.value is not None and np.isclose(value, float(mistake.value), rtol=rtol, atol=atol):
            return Feedback(False, mistake.message, mistake.hint)
    ratio = value / expected if expected else float("nan")
    return Feedback(False, f"you have {_fmt(value)}, expected {_fmt(expected)} ({ratio:.3g}× the right value).",
                    "write the formula as a product of the sizes involved and check each factor.")


# --------------------------------------------------------------------------
# Convolution outputs
# --------------------------------------------------------------------------
def _conv_mistakes(x: np.ndarray, w: np.ndarray, b: Any, activation: str | None) -> list[Mistake]:
    expected = conv1x1(x, w, b, activation=activation)
    act = "relu" if activation else None
    mistakes: list[Mistake] = []
    unsummed = x[..., :, None] * (w if w.ndim == 2 else w[:, None])     # (..., C, F): products, not summed
    if w.ndim == 1:
        unsummed = unsummed[..., 0]
    mistakes.append(Mistake(
        unsummed,
        f"your output has shape {unsummed.shape}: you multiplied each channel by its weight but did not add the "
        f"products up. The output should have shape {expected.shape}: one number per pixel"
        + (" and filter." if w.ndim == 2 else "."),
        "a 1×1 filter takes a dot product over the channels: sum the element-wise products along the channel axis "
        "(or use x @ w).",
        shape=unsummed.shape if unsummed.shape != expected.shape else None,
    ))
    mistakes.append(Mistake(
        None,
        f"your output has shape {x.shape}, the input's: the channel sum seems to be missing. "
        f"The output should have shape {expected.shape}.",
        "a 1×1 filter takes a dot product over the channels: sum the element-wise products along the channel axis.",
        shape=x.shape if x.shape != expected.shape else None,
    ))
    if expected.ndim >= 3:
        first = np.moveaxis(expected, -1, -3)
        mistakes.append(Mistake(
            first,
            f"your output is channels-first {first.shape}; the course uses channels-last {expected.shape}.",
            "move the channel axis last with np.moveaxis(out, 0, -1) (or compute with channels-last input).",
        ))
    if w.ndim == 2 and w.shape[0] == w.shape[1]:
        mistakes.append(Mistake(
            conv1x1(x, w.T, b, activation=act),
            "the values match a transposed filter matrix: you used w as (F, C).",
            "a bank of F filters is a (C, F) matrix whose column f is filter f: use w, not w.T.",
        ))
    if activation == "relu":
        mistakes.append(Mistake(conv1x1(x, w, b), "the negative values should have been set to 0: ReLU is missing.",
                                "apply np.maximum(..., 0) after adding the bias."))
        if b is not None:
            mistakes.append(Mistake(conv1x1(x, w, None, activation="relu"),
                                    "the values are off by the bias: the bias b is missing.",
                                    "add b (one number per filter) before the ReLU."))
            mistakes.append(Mistake(conv1x1(x, w), "both the bias and the ReLU are missing.",
                                    "add b, then apply np.maximum(..., 0)."))
            mistakes.append(Mistake(np.maximum(conv1x1(x, w), 0) + b,
                                    "you added the bias after the ReLU; it goes before.",
                                    "compute ReLU(x · w + b), in that order."))
    else:
        mistakes.append(Mistake(conv1x1(x, w, b, activation="relu"),
                                "you applied a ReLU, but this exercise asks for the output without one.",
                                "leave the negative values as they are."))
        if b is not None:
            mistakes.append(Mistake(conv1x1(x, w), "the values are off by the bias: the bias b is missing.",
                                    "add b, one number per filter."))
    return mistakes


def check_conv_output(answer: Any, x: Any, w: Any, b: Any = None, activation: str | None = None) -> Feedback:
    """Check the output of a 1×1 convolution of ``x`` with ``w`` (and ``b``, ReLU).

    Parameters
    ----------
    answer : array_like
        The learner's output: ``(H, W)`` for one filter, ``(H, W, F)`` for a bank.
    x : array_like (H, W, C)
        The input the exercise gives.
    w : array_like (C,) or (C, F)
        The filter or filter bank the exercise gives.
    b : scalar or (F,), optional
        The bias the exercise gives.
    activation : None or "relu"
        Whether the exercise asks for ReLU.
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    expected = conv1x1(x, w, b, activation=activation)
    return check_array(answer, expected, what="output", mistakes=_conv_mistakes(x, w, b, activation))


def check_pixel(answer: Any, x: Any, w: Any, i: int, j: int, b: Any = None, activation: str | None = "relu") -> Feedback:
    """Check the output at one pixel ``(i, j)``: a number for one filter, ``(F,)`` for a bank."""
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    full = conv1x1(x, w, b, activation=activation)
    expected = full[i, j]
    column = x[i, j, :]
    mistakes = [
        Mistake(column * w if w.ndim == 1 else column[:, None] * w,
                f"these are the {x.shape[-1]} element-wise products of the column and the filter, not yet added up.",
                "sum them: the dot product is (column * w).sum(), or column @ w."),
        Mistake(full[j, i] if j < full.shape[0] and i < full.shape[1] else None,
                f"that is the output at pixel ({j}, {i}): row and column are swapped.",
                "x[i, j, :] is row i, column j."),
    ]
    if activation == "relu":
        mistakes.append(Mistake(conv1x1(x, w, b)[i, j], "the ReLU is missing: negative values become 0.",
                                "apply max(..., 0) to the sum plus bias."))
        if b is not None:
            mistakes.append(Mistake(conv1x1(x, w, None, activation="relu")[i, j], "the bias is missing.",
                                    "add b before the ReLU."))
    what = f"output at pixel ({i}, {j})"
    numbers = _as_numbers(answer) if answer is not Ellipsis else None
    if np.ndim(expected) == 0 and (numbers is None or numbers.size == 1):
        scalar_mistakes = [m for m in mistakes if m.value is not None and np.ndim(m.value) == 0]
        return check_number(answer, float(expected), what=what, mistakes=scalar_mistakes, rtol=1e-6, atol=1e-6)
    return check_array(answer, expected, what=what, mistakes=mistakes)


def check_filter_bank(answer: Any, expected: Any, *, what: str = "filter bank") -> Feedback:
    """Check a filter (C,) or filter bank (C, F) the learner wrote or learned."""
    expected = np.asarray(expected, dtype=float)
    mistakes = []
    if expected.ndim == 2:
        mistakes.append(Mistake(
            expected.T,
            f"your {what} is transposed: it has shape {expected.T.shape} = (F, C) with filters as rows.",
            f"a bank of F filters is a (C, F) matrix, here {expected.shape}: column f is filter f. Use .T.",
        ))
    if expected.ndim == 1:
        mistakes.append(Mistake(expected[:, None], f"your {what} has an extra axis: shape {expected.shape + (1,)}.",
                                f"one filter is a vector of shape {expected.shape}; use .ravel()."))
    return check_array(answer, expected, what=what, mistakes=mistakes, atol=1e-3, rtol=1e-3)


# --------------------------------------------------------------------------
# Cost
# --------------------------------------------------------------------------
def check_cost(
    answer: Any,
    height: int,
    width: int,
    in_channels: int,
    out_channels: int,
    kernel_size: int = 1,
    *,
    quantity: str = "multiplications",
    bias: bool = True,
) -> Feedback:
    """Check a cost computed by hand: ``quantity`` is "multiplications" or "parameters".

    Recognises a cost off by the kernel area (k² or k), by the input or output
    channel count, parameters that grew with the image size, and a forgotten
    (or unwanted) bias.
    """
    if quantity not in ("multiplications", "parameters"):
        raise ValueError(f"quantity must be 'multiplications' or 'parameters'; got {quantity!r}")
    cost = conv_cost(height, width, in_channels, out_channels, kernel_size, bias=bias)
    expected = getattr(cost, quantity)
    k2 = kernel_size * kernel_size
    mistakes: list[Mistake] = []
    if quantity == "multiplications":
        base = cost.multiplications
        if kernel_size > 1:
            mistakes += [
                Mistake(base / k2, f"this is off by the kernel area {kernel_size}×{kernel_size} = {k2}.",
                        f"each output value is a dot product over k·k·C_in = {k2 * in_channels} inputs, not C_in."),
                Mistake(base / kernel_size, f"this is off by a factor {kernel_size}: the kernel area is k², not k.",
                        f"a {kernel_size}×{kernel_size} filter has {k2} positions per channel."),
            ]
        mistakes += [
            Mistake(base / in_channels, f"this is off by the number of input channels ({in_channels}).",
                    "each filter reaches through all C_in channels: multiply by C_in."),
            Mistake(base / out_channels, f"this is off by the number of output channels ({out_channels}).",
                    "every filter (there are C_out of them) is applied at every pixel: multiply by C_out."),
            Mistake(base / (height * width), "this is the cost at one pixel; the filter is applied at every pixel.",
                    f"multiply by H·W = {height * width}."),
        ]
    else:
        weights, biases = cost.weights, cost.biases
        mistakes += [
            Mistake(weights / k2 + biases if kernel_size > 1 else None,
                    f"this is off by the kernel area {kernel_size}×{kernel_size} = {k2}.",
                    f"each filter has k·k·C_in = {k2 * in_channels} weights."),
            Mistake(weights / in_channels + biases, f"this is off by the number of input channels ({in_channels}).",
                    "each filter has one weight per input channel (per kernel position)."),
            Mistake(weights * height * width + biases,
                    "parameters do not depend on the image size: the same filters are shared by every pixel.",
                    "leave H and W out: weights = k·k·C_in·C_out."),
        ]
        if bias:
            mistakes.append(Mistake(weights, f"the {biases} biases are missing.", "add one bias per filter (C_out)."))
        else:
            mistakes.append(Mistake(weights + out_channels, "this counts biases, but this layer has none.",
                                    "count the weights only: k·k·C_in·C_out."))
    return check_number(answer, expected, what=f"number of {quantity}", mistakes=mistakes)
