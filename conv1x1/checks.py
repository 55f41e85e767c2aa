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
import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .core import _check_pixel, conv1x1, conv_cost

__all__ = [
    "COLOUR_TASKS",
    "Feedback",
    "Mistake",
    "check_array",
    "check_colour_mix",
    "check_gradient",
    "check_learned_bank",
    "check_bottleneck_cost",
    "check_bottleneck_crossover",
    "check_collapsed_bias",
    "check_collapsed_filters",
    "check_conv_output",
    "check_cost",
    "check_einsum",
    "check_filter_bank",
    "check_framework_weights",
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


def _fmt(value: Any, digits: int = 3) -> str:
    """A number as every message writes it: the one formatter of this module.

    Whole numbers are written exactly, with thousands separators (``16,448``,
    never ``16448`` or ``1.64e+04``); others with ``digits`` significant
    digits but never fewer than their whole part (``0.000956``, ``2.35``,
    ``16,448.3``), without trailing zeros.
    """
    v = float(value)
    if not math.isfinite(v):
        return str(v)
    if v.is_integer():
        return f"{int(v):,}"
    magnitude = math.floor(math.log10(abs(v)))
    text = f"{v:,.{max(digits - 1 - magnitude, 0)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _fmt_pair(a: Any, b: Any, digits: int = 3) -> tuple[str, str]:
    """``a`` and ``b`` with as few digits as tell them apart (never "you have 9, expected 9")."""
    for d in range(digits, 18):
        left, right = _fmt(a, d), _fmt(b, d)
        if left != right or float(a) == float(b):
            break
    return left, right


def _compared(value: float, expected: float) -> str:
    """How far ``value`` is from ``expected``, in words.

    "7 times the right value", "1/9 of the right value", "about 1/2,900,000 of
    the right value"; within a factor 2, or across zero, the difference:
    "164 more than the right value".
    """
    r = value / expected if expected else 0.0
    if r <= 0 or 0.5 < r < 2:
        return f"{_fmt(abs(value - expected))} {'more' if value > expected else 'less'} than the right value"
    factor = max(r, 1 / r)
    if abs(factor - round(factor)) <= 1e-9 * factor:
        about, number = "", _fmt(round(factor))
    else:
        about, number = "about ", _fmt(round(factor, 1 - math.floor(math.log10(factor))))   # 2 significant digits
    return f"{about}{number} times the right value" if r > 1 else f"{about}1/{number} of the right value"


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
    shape_hint: str = "print the shape of each array you combine and follow the axes: (H, W, C) @ (C, F) gives (H, W, F).",
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
        return Feedback(False, f"your {what} has shape {arr.shape}, expected {expected.shape}.", shape_hint)
    wrong = ~np.isclose(arr, expected, atol=atol, rtol=rtol)
    index = tuple(int(k) for k in np.argwhere(wrong)[0])
    where = f" at index {index}" if index else ""
    have, want = _fmt_pair(arr[index], expected[index])
    return Feedback(
        False,
        f"the shape {arr.shape} is right, but {_fmt(wrong.sum())} of {_fmt(wrong.size)} values differ; "
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
    have, want = _fmt_pair(value, expected)
    return Feedback(False, f"you have {have}, expected {want} ({_compared(value, expected)}).",
                    "write the formula as a product of the sizes involved and check each factor.")


# --------------------------------------------------------------------------
# Convolution outputs
# --------------------------------------------------------------------------
def _conv_mistakes(x: np.ndarray, w: np.ndarray, b: Any, activation: str | None) -> list[Mistake]:
    expected = conv1x1(x, w, b, activation=activation)
    act = "relu" if activation else None
    mistakes: list[Mistake] = []
    channels = x.shape[-1]
    if channels == 1 and w.ndim == 1:
        # One channel: "the channel sum is missing" makes no sense (there is nothing to add up), and
        # x @ w is not taught yet. What is wrong is the extra axis of length 1.
        mistakes.append(Mistake(
            None,
            f"your output has shape {x.shape}; one filter gives one number per pixel, so the output has no "
            f"channel axis: {expected.shape}.",
            "take the image itself, x[:, :, 0], times the weight (or drop the last axis with [..., 0]).",
            shape=x.shape,
        ))
    else:
        unsummed = x[..., :, None] * (w if w.ndim == 2 else w[:, None])     # (..., C, F): products, not summed
        if w.ndim == 1:
            unsummed = unsummed[..., 0]
        mistakes.append(Mistake(
            unsummed,
            f"your output has shape {unsummed.shape}: you multiplied each channel by its weight but did not add "
            f"the products up. The output should have shape {expected.shape}: one number per pixel"
            + (" and filter." if w.ndim == 2 else "."),
            "a 1×1 filter takes a dot product over the channels: sum the element-wise products along the channel "
            "axis (or use x @ w).",
            shape=unsummed.shape if unsummed.shape != expected.shape else None,
        ))
        mistakes.append(Mistake(
            None,
            f"your output has shape {x.shape}, the input's: the channel sum seems to be missing. "
            f"The output should have shape {expected.shape}.",
            "a 1×1 filter takes a dot product over the channels: sum the element-wise products along the channel "
            "axis.",
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
    if w.ndim == 1 and np.any(w != 0):
        mistakes.append(Mistake(conv1x1(x, -w, b, activation=act),
                                "your values match the weight with the opposite sign.",
                                f"the filter's weight{'s are' if w.size > 1 else ' is'} {list(map(_fmt, w))}: "
                                "keep the sign."))
    if b is not None and np.any(np.asarray(b) != 0):
        mistakes.append(Mistake(conv1x1(x, w, -np.asarray(b, dtype=float), activation=act),
                                "your values match the bias with the opposite sign.",
                                "add b as it is given (a negative bias is subtracted by adding it)."))
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

    Returns
    -------
    Feedback
        Recognises the channel sum forgotten (on one channel: the channel
        axis kept), channels-first output, a transposed square bank, ReLU or
        bias forgotten or misplaced, and a weight or bias with the wrong sign.
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    expected = conv1x1(x, w, b, activation=activation)
    return check_array(answer, expected, what="output", mistakes=_conv_mistakes(x, w, b, activation))


def check_pixel(answer: Any, x: Any, w: Any, i: int, j: int, b: Any = None, activation: str | None = "relu") -> Feedback:
    """Check the output at one pixel ``(i, j)``: a number for one filter, ``(F,)`` for a bank.

    Parameters
    ----------
    answer : float or array_like (F,)
        The learner's value of ``relu(x[i, j, :] @ w + b)`` (without ReLU if
        ``activation`` is None).
    x : array_like (H, W, C)
    w : array_like (C,) or (C, F)
    i, j : int
        Row and column of the pixel.
    b : scalar or (F,), optional
    activation : None or "relu", default "relu"

    Returns
    -------
    Feedback
        Recognises products not added up, row and column swapped, and the
        ReLU, the bias or both forgotten ("you forgot the ReLU" when the
        answer is the negative sum plus bias).

    Raises
    ------
    ValueError
        If ``(i, j)`` is not a pixel of ``x``.
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    full = conv1x1(x, w, b, activation=activation)
    i, j = _check_pixel(i, j, full.shape)
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
        z = conv1x1(x, w, b)[i, j]
        if np.ndim(z) == 0:
            forgot = (f"you forgot the ReLU: x[{i}, {j}, :] @ w + b = {_fmt(z)} is negative, and ReLU turns "
                      "negative values into 0.")
        else:
            forgot = f"you forgot the ReLU: the negative values of x[{i}, {j}, :] @ w + b must become 0."
        mistakes.append(Mistake(z, forgot, "apply max(..., 0) to the sum plus bias."))
        if b is not None:
            mistakes.append(Mistake(conv1x1(x, w, None, activation="relu")[i, j], "the bias is missing.",
                                    "add b before the ReLU."))
            mistakes.append(Mistake(conv1x1(x, w)[i, j], "you forgot both the bias and the ReLU: this is the dot "
                                    "product alone.", "add b, then apply max(..., 0)."))
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

    Parameters
    ----------
    answer : number
        The learner's count.
    height, width, in_channels, out_channels, kernel_size : int
        The layer: a stride-1 'same' k×k convolution from H×W×C_in to H×W×C_out.
    quantity : {"multiplications", "parameters"}
    bias : bool, default True
        Whether the layer's filters have biases (counted as parameters).

    Returns
    -------
    Feedback
        Recognises a cost off by the kernel area (k² or k), by the input or
        output channel count, multiplications at one pixel only, the
        parameters given for the multiplications (and the other way round),
        parameters that grew with the image size (with or without biases), and
        a forgotten (or unwanted) bias. Other wrong counts are told how far
        off they are, in words.

    Raises
    ------
    ValueError
        If ``quantity`` is neither "multiplications" nor "parameters".
    """
    if quantity not in ("multiplications", "parameters"):
        raise ValueError(f"quantity must be 'multiplications' or 'parameters'; got {quantity!r}")
    cost = conv_cost(height, width, in_channels, out_channels, kernel_size, bias=bias)
    expected = getattr(cost, quantity)
    k2 = kernel_size * kernel_size
    pixels = height * width
    mistakes: list[Mistake] = []
    if quantity == "multiplications":
        base = cost.multiplications
        if kernel_size > 1:
            mistakes += [
                Mistake(base / k2, f"this is off by the kernel area {kernel_size}×{kernel_size} = {k2}.",
                        f"each output value is a dot product over k·k·C_in = {_fmt(k2 * in_channels)} inputs, "
                        "not C_in."),
                Mistake(base / kernel_size, f"this is off by a factor {kernel_size}: the kernel area is k², not k.",
                        f"a {kernel_size}×{kernel_size} filter has {k2} positions per channel."),
            ]
        mistakes += [
            Mistake(base / in_channels, f"this is off by the number of input channels ({_fmt(in_channels)}).",
                    "each filter reaches through all C_in channels: multiply by C_in."),
            Mistake(base / out_channels, f"this is off by the number of output channels ({_fmt(out_channels)}).",
                    "every filter (there are C_out of them) is applied at every pixel: multiply by C_out."),
            Mistake(base / pixels, "this is the cost at one pixel, without H·W: the filters are applied at every "
                    "pixel.", f"multiply by H·W = {height}·{width} = {_fmt(pixels)}."),
            Mistake(cost.weights + out_channels,
                    "this is the number of parameters (weights and biases), not of multiplications: each weight is "
                    "used once at every pixel, and a bias is added, not multiplied.",
                    f"multiply the weights by H·W = {_fmt(pixels)} and leave the biases out."),
            Mistake(base + pixels * out_channels,
                    "this counts the biases too, but a bias is added, not multiplied.",
                    f"leave out the H·W·C_out = {_fmt(pixels * out_channels)} bias additions."),
        ]
    else:
        weights, biases = cost.weights, cost.biases
        image_size = ("parameters do not depend on the image size: every pixel shares the same filters, so H·W "
                      "does not belong in the count.")
        mistakes += [
            Mistake(weights / k2 + biases if kernel_size > 1 else None,
                    f"this is off by the kernel area {kernel_size}×{kernel_size} = {k2}.",
                    f"each filter has k·k·C_in = {_fmt(k2 * in_channels)} weights."),
            Mistake(weights / in_channels + biases,
                    f"this is off by the number of input channels ({_fmt(in_channels)}).",
                    "each filter has one weight per input channel (per kernel position)."),
            Mistake((weights + biases) * pixels, image_size,
                    f"leave H and W out: {_parameter_formula(kernel_size, bias)}."),
            Mistake(weights * pixels + biases, image_size,
                    f"leave H and W out: {_parameter_formula(kernel_size, bias)}."),
            Mistake(weights * pixels, image_size + (f" (The {_fmt(biases)} biases are missing, too.)" if bias else ""),
                    f"leave H and W out: {_parameter_formula(kernel_size, bias)}."),
        ]
        if bias:
            mistakes.append(Mistake(weights, f"the {_fmt(biases)} biases are missing: these are the weights alone.",
                                    f"add one bias per filter: C_out = {_fmt(out_channels)}."))
        else:
            mistakes.append(Mistake(weights + out_channels, "this counts biases, but this layer has none.",
                                    "count the weights only: k·k·C_in·C_out."))
    return check_number(answer, expected, what=f"number of {quantity}", mistakes=mistakes)


def _parameter_formula(kernel_size: int, bias: bool) -> str:
    weights = "k·k·C_in·C_out" if kernel_size > 1 else "C_in·C_out"
    return f"{weights} weights + C_out biases" if bias else f"{weights} weights"


# --------------------------------------------------------------------------
# Lessons 03 and 04: bottleneck cost, and how wide a bottleneck still pays
# --------------------------------------------------------------------------
def check_bottleneck_cost(
    answer: Any,
    height: int,
    width: int,
    in_channels: int,
    out_channels: int,
    kernel_size: int,
    bottleneck: int,
    *,
    quantity: str = "multiplications",
) -> Feedback:
    """Check the cost of a 1×1 bottleneck path: a 1×1 convolution to ``bottleneck`` channels, then k×k.

    ``quantity`` is "multiplications" or "weights" (no biases, as in the
    lecture). Recognises the direct k×k cost, one of the two layers alone,
    the k×k layer counted on C_in instead of the bottleneck, a cost off by the
    kernel area, biases counted and weights multiplied by the image size.

    Raises
    ------
    ValueError
        If ``quantity`` is neither "multiplications" nor "weights".
    """
    from .core import bottleneck_cost

    if quantity not in ("multiplications", "weights"):
        raise ValueError(f"quantity must be 'multiplications' or 'weights'; got {quantity!r}")
    cost = bottleneck_cost(height, width, in_channels, out_channels, kernel_size, bottleneck)
    reduce, conv, direct = (getattr(c, quantity) for c in (cost.reduce, cost.conv, cost.direct))
    expected = reduce + conv
    k, k2, B = kernel_size, kernel_size * kernel_size, bottleneck
    first = "H·W·B·C_in" if quantity == "multiplications" else "C_in·B"
    second = "H·W·C_out·k²·B" if quantity == "multiplications" else "k²·B·C_out"
    mistakes = [
        Mistake(direct, f"this is the cost of the direct {k}×{k} convolution, without the bottleneck.",
                f"add the two layers of the bottleneck path: the 1×1 to {_fmt(B)} channels, then the {k}×{k}."),
        Mistake(conv, f"this is the {k}×{k} layer alone: the 1×1 layer that shrinks the channels to {_fmt(B)} "
                "costs too.", f"add the 1×1 layer: {first}."),
        Mistake(reduce, f"this is the 1×1 layer alone: the {k}×{k} layer after it costs too.",
                f"add the {k}×{k} layer on the {_fmt(B)}-channel bottleneck: {second}."),
        Mistake(reduce + direct, f"the {k}×{k} layer is counted on all {_fmt(in_channels)} input channels, "
                f"but it reads the {_fmt(B)}-channel bottleneck.",
                f"in the {k}×{k} layer, each filter is {k}×{k}×{_fmt(B)}: {second}."),
    ]
    if k > 1:
        mistakes += [
            Mistake(reduce + conv / k2, f"the {k}×{k} layer is off by the kernel area {k}×{k} = {k2}.",
                    f"each of its filters has k·k·B = {_fmt(k2 * B)} weights."),
            Mistake(reduce + conv / k, f"the {k}×{k} layer is off by a factor {k}: the kernel area is k², not k.",
                    f"a {k}×{k} filter has {k2} positions per channel."),
        ]
    if quantity == "weights":
        mistakes += [
            Mistake(expected + B + out_channels, "this counts the biases; the lecture counts weights only.",
                    f"leave out the {_fmt(B)} + {_fmt(out_channels)} biases."),
            Mistake(expected * height * width, "weights do not depend on the image size: every pixel shares them.",
                    "leave H and W out of the weight count."),
        ]
    else:
        mistakes.append(Mistake(expected / (height * width),
                                "this is the cost at one pixel, without H·W; both layers run at every pixel.",
                                f"multiply by H·W = {height}·{width} = {_fmt(height * width)}."))
    what = "number of multiplications" if quantity == "multiplications" else "number of weights"
    return check_number(answer, expected, what=what, mistakes=mistakes)


def check_bottleneck_crossover(
    answer: Any,
    height: int,
    width: int,
    in_channels: int,
    out_channels: int,
    kernel_size: int,
) -> Feedback:
    """Check the widest bottleneck B for which the bottleneck path needs fewer multiplications than the direct k×k.

    The bottleneck path (a 1×1 convolution C_in → B, then the k×k
    convolution B → C_out) needs ``H·W·B·(C_in + k²·C_out)``
    multiplications, the direct k×k ``H·W·k²·C_in·C_out``; the answer is the
    largest whole B with the first strictly smaller (H·W cancels).

    Parameters
    ----------
    answer : int
        The learner's B.
    height, width, in_channels, out_channels, kernel_size : int
        The layer: H×W×C_in → H×W×C_out with k×k filters.

    Returns
    -------
    Feedback
        Recognises the first B that is no longer cheaper (off by one), the
        tempting rule "the bottleneck costs more once B ≥ C_in", an answer
        that leaves out the 1×1 layer's own cost, the kernel area taken as k
        instead of k², and a non-integer (the exact crossover, not rounded
        down); any other B is told whether it is cheaper or not, with both
        costs.
    """
    from .core import bottleneck_cost

    direct = conv_cost(height, width, in_channels, out_channels, kernel_size, bias=False).multiplications
    k, k2 = kernel_size, kernel_size * kernel_size
    per_channel = height * width * (in_channels + k2 * out_channels)      # the bottleneck path's cost per unit of B
    expected = (direct - 1) // per_channel                               # the largest B with B·per_channel < direct
    exact = direct / per_channel
    what = "widest bottleneck B"
    if answer is Ellipsis or answer is None:
        return _not_answered(what)
    arr = _as_numbers(answer)
    if arr is None or arr.size != 1 or isinstance(answer, (bool, np.bool_)):
        got = type(answer).__name__ if arr is None or arr.size == 1 else f"an array of shape {arr.shape}"
        return Feedback(False, f"your {what} must be a single number of channels; got {got}.",
                        "compare the two costs for each B, or solve B·(C_in + k²·C_out) < k²·C_in·C_out for B.")
    value = float(arr.reshape(()))

    def path(b: int) -> int:
        return bottleneck_cost(height, width, in_channels, out_channels, kernel_size, b).multiplications

    formula = "B·(C_in + k²·C_out) < k²·C_in·C_out"
    if not value.is_integer():
        if abs(value - exact) < 0.06:
            message = (f"{_fmt(value, 5)} is where the two costs are equal (B = {_fmt(exact, 5)}). "
                       "B counts channels: a whole number; round down.")
        else:
            message = f"{_fmt(value, 5)} is not a whole number, and B counts channels: a whole number; round down."
        return Feedback(False, message, f"the widest bottleneck is the largest whole B with {formula}.")
    b = int(value)
    if b == expected:
        return Feedback(True, f"{_fmt(b)} is right: at B = {_fmt(b)} the bottleneck path needs {_fmt(path(b))} "
                              f"multiplications, fewer than the direct {k}×{k} convolution's {_fmt(direct)}; at "
                              f"B = {_fmt(b + 1)} it would need {_fmt(path(b + 1))}. (H·W cancels: {formula}.)")
    if b < 1:
        return Feedback(False, f"B = {_fmt(b)} is not a bottleneck: it needs at least one channel.",
                        f"look for the largest whole B with {formula}.")
    cheaper, cost = path(b) < direct, path(b)
    both = f"at B = {_fmt(b)} the bottleneck path needs {_fmt(cost)} multiplications, the direct {k}×{k} {_fmt(direct)}"
    only_conv = (f"This leaves out the 1×1 layer's own cost, H·W·C_in·B = {_fmt(height * width * in_channels)}·B: "
                 f"counting only the {k}×{k} layer, B·k²·C_out < k²·C_in·C_out gives B < C_in.")
    specific = {
        expected + 1: (f"off by one: {both}, so B = {_fmt(b)} is the first width that is not cheaper.",
                       "the question asks for the widest B that still needs fewer multiplications."),
        in_channels: (f"that is C_in, from the tempting rule \"the bottleneck costs more once B ≥ C_in\"; but {both}. "
                      + only_conv, f"write the bottleneck path's cost as a function of B and solve {formula}."),
        in_channels - 1: (f"that is the widest B below C_in: {both}. " + only_conv,
                          f"add the 1×1 layer's cost H·W·B·C_in and solve {formula}."),
        (k * in_channels * out_channels - 1) // (in_channels + k * out_channels):
            (f"this takes the kernel area as k = {k}, not k² = {k2}: {both}.",
             f"a {k}×{k} filter has {k2} positions per channel; solve {formula}."),
    }
    if b in specific:
        message, hint = specific[b]
        return Feedback(False, message, hint)
    if cheaper:
        return Feedback(False, f"{both}: cheaper, but wider bottlenecks are cheaper too.",
                        f"find the widest: the largest whole B with {formula}.")
    return Feedback(False, f"{both}: not fewer.", f"find the largest whole B with {formula}.")


def check_einsum(answer: Any, x: Any, w: Any) -> Feedback:
    """Check an ``np.einsum`` subscripts string that computes the 1×1 convolution of ``x`` with ``w``.

    ``answer`` is the string (e.g. ``"hwc,cf->hwf"`` for a single volume);
    it is run as ``np.einsum(answer, x, w)`` and the result compared with
    :func:`conv1x1.conv1x1`. Recognises implicit output order, a channel
    letter kept in the output (nothing summed), the filter axes swapped,
    letter counts that do not match the arrays and a wrong axis summed.
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    expected = conv1x1(x, w)
    if answer is Ellipsis or answer is None:
        return _not_answered("subscripts string")
    if not isinstance(answer, str):
        return Feedback(False, f"your answer must be the subscripts string for np.einsum; got {type(answer).__name__}.",
                        "write it in quotes, one letter per axis, like 'ij,jk->ik' for a matrix product.")
    text = answer.replace(" ", "")
    inputs, arrow, output = text.partition("->")
    operands = inputs.split(",")
    axes = "(N, H, W, C)" if x.ndim == 4 else "(H, W, C)"
    if len(operands) != 2:
        return Feedback(False, f"your string names {len(operands)} operand{'s' * (len(operands) != 1)}; "
                               "np.einsum gets two here, x and w.",
                        "separate the letters of x and of w with one comma.")
    if len(operands[0]) != x.ndim:
        return Feedback(False, f"x has {x.ndim} axes {axes}, but your string gives it {len(operands[0])} "
                               f"letter{'s' * (len(operands[0]) != 1)} ('{operands[0]}').",
                        f"use one letter per axis of x: {x.ndim} letters" + (", the batch axis first." if x.ndim == 4 else "."))
    if len(operands[1]) != w.ndim:
        return Feedback(False, f"w has {w.ndim} axes (C, F), but your string gives it {len(operands[1])} "
                               f"letter{'s' * (len(operands[1]) != 1)} ('{operands[1]}').",
                        "use two letters for w: its channel axis, then its filter axis.")
    try:
        result = np.einsum(text, x, w)
    except (ValueError, TypeError) as err:
        channel = operands[0][-1]
        hint = "give the same letter to the axes that are multiplied together: x's last axis and w's first."
        if channel in operands[1] and operands[1].index(channel) == 1:
            hint = f"w is (C, F): its channel axis comes first, so its letters start with '{channel}'."
        return Feedback(False, f"np.einsum cannot run this string; it says: {str(err).strip().rstrip('.')}.", hint)
    if not arrow:
        if result.shape != expected.shape:
            return Feedback(False, f"without '->' np.einsum puts the remaining axes in alphabetical order, "
                                   f"which gives shape {result.shape}, not {expected.shape}.",
                            "write the output letters explicitly after '->', in the order of the output's axes.")
    if np.shape(result) == expected.shape and np.allclose(result, expected):
        return Feedback(True, f"np.einsum('{text}', x, w) has shape {expected.shape} and matches conv1x1(x, w).")
    channel = operands[0][-1]
    if result.ndim == expected.ndim + 1 and channel in output:
        return Feedback(False, f"the channel letter '{channel}' is in the output, so nothing is summed: "
                               f"the result has shape {result.shape}.",
                        "every letter left out after '->' is summed over: leave the channel letter out.")
    letters = output if arrow else "".join(sorted(c for c in inputs.replace(",", "") if inputs.count(c) == 1))
    summed_right = operands[0][-1] == operands[1][0] and sorted(letters) == sorted(operands[0][:-1] + operands[1][1])
    if summed_right and result.shape != expected.shape:
        return Feedback(False, f"the right numbers, but the axes are in the wrong order: shape {result.shape}, "
                               f"expected {expected.shape}.",
                        "order the letters after '->' like the output's axes: the same as x's, with the filter "
                        "letter in place of the channel letter.")
    if result.shape != expected.shape:
        return Feedback(False, f"the result has shape {result.shape}, expected {expected.shape}: a letter that is "
                               "not in the output is summed over, and here the wrong axes were.",
                        "only the channel axis is summed: every other letter of x, and w's filter letter, "
                        "must appear after '->'.")
    return Feedback(False, f"the shape {result.shape} is right but the values differ from conv1x1(x, w).",
                    "x's channel letter and w's first letter must be the same: that is the sum of the dot product.")


def check_collapsed_filters(answer: Any, w1: Any, w2: Any) -> Feedback:
    """Check the single ``(C, F)`` matrix equal to a 1×1 layer ``w1`` (C, M) followed by ``w2`` (M, F), no ReLU."""
    w1 = np.asarray(w1, dtype=float)
    w2 = np.asarray(w2, dtype=float)
    expected = w1 @ w2
    mistakes = [
        Mistake(expected.T, f"your matrix is transposed: shape {expected.T.shape} = (F, C).",
                "x @ w1 @ w2 = x @ (w1 @ w2): multiply in the order the layers are applied, w1 first."),
        Mistake(w1, "this is w1 alone: the second layer is missing.", "multiply w1 by w2."),
        Mistake(w2, "this is w2 alone: the first layer is missing.", "multiply w1 by w2."),
        Mistake(None, f"your matrix has shape {w1.shape[1]}×{w1.shape[1]}: the middle size, not C×F.",
                "w1 is (C, M) and w2 is (M, F); their product w1 @ w2 is (C, F).",
                shape=(w1.shape[1], w1.shape[1])),
    ]
    return check_array(answer, expected, what="combined filter bank", mistakes=mistakes)


def check_collapsed_bias(answer: Any, w2: Any, b1: Any, b2: Any) -> Feedback:
    """Check the bias of the single layer equal to ``(w1, b1)`` then ``(w2, b2)`` without ReLU: ``b1 @ w2 + b2``."""
    w2 = np.asarray(w2, dtype=float)
    b1 = np.asarray(b1, dtype=float)
    b2 = np.asarray(b2, dtype=float)
    expected = b1 @ w2 + b2
    mistakes = [
        Mistake(b2, "this is b2 alone: b1 is added before the second layer, so it passes through w2 too.",
                "(x @ w1 + b1) @ w2 + b2 = x @ (w1 @ w2) + (b1 @ w2 + b2)."),
        Mistake(b1 @ w2, "b2, the second layer's own bias, is missing.", "add b2 after passing b1 through w2."),
        Mistake(b1, f"this is b1, the first layer's bias: it has {b1.size} entries, one per middle channel.",
                "pass it through the second layer (b1 @ w2) and add b2."),
    ]
    if b1.shape == b2.shape:
        mistakes.append(Mistake(b1 + b2, "b1 was added to b2 directly, but b1 passes through w2 first.",
                                "use b1 @ w2 + b2."))
    return check_array(answer, expected, what="combined bias", mistakes=mistakes)


def check_framework_weights(answer: Any, w: Any, framework: str = "pytorch") -> Feedback:
    """Check our ``(C, F)`` bank ``w`` rewritten in a framework's layout.

    ``framework`` is "pytorch" (``nn.Conv2d``: ``(F, C, 1, 1)``),
    "pytorch-linear" (``(F, C)``) or "keras" (``(1, 1, C, F)``); see
    :func:`conv1x1.export.framework_weights`. Recognises a reshape used in
    place of a transpose (right shape, scrambled weights) and the other
    frameworks' layouts.
    """
    from .export import FRAMEWORKS, framework_weights, weight_layout

    w = np.asarray(w, dtype=float)
    if w.ndim != 2:
        raise ValueError(f"w must be a filter bank (C, F); got shape {w.shape}")
    expected = framework_weights(w, framework)
    name = framework.lower()
    C, F = w.shape
    layouts = {"pytorch": "PyTorch's nn.Conv2d", "pytorch-linear": "PyTorch's nn.Linear", "keras": "Keras's Conv2D"}
    target = f"{layouts[name]} layout {weight_layout(name, C, F)}"
    order = {"pytorch": "filters, channels, then the two 1×1 kernel axes", "pytorch-linear": "filters, then channels",
             "keras": "the two 1×1 kernel axes, channels, then filters"}[name]
    mistakes = []
    if name in ("pytorch", "pytorch-linear"):
        mistakes.append(Mistake(
            w.reshape(expected.shape),
            "the shape is right but the weights are scrambled: reshape keeps the order of the numbers in memory, "
            "it does not move filter f to row f.",
            "transpose first, then add the 1×1 axes: w.T.reshape(...) or w.T[:, :, None, None]."
            if name == "pytorch" else "transpose: w.T.",
        ))
    for other in FRAMEWORKS:
        if other != name:
            value = framework_weights(w, other)
            if value.shape != expected.shape:
                mistakes.append(Mistake(value, f"this is {layouts[other]} layout {value.shape}; "
                                               f"the exercise asks for {target}.",
                                        f"for {layouts[name]} the order is: {order}."))
    if name == "pytorch":
        mistakes += [Mistake(None, f"your array has shape {shape} = (F, C): the two 1×1 kernel axes are missing.",
                             "add them at the end: (F, C, 1, 1).", shape=shape) for shape in [(F, C)] if (F, C) != (C, F)]
        mistakes.append(Mistake(w[:, :, None, None], f"your array is (C, F, 1, 1) = {(C, F, 1, 1)}; "
                                                     f"PyTorch puts the filters first: (F, C, 1, 1).",
                                "transpose w before adding the 1×1 axes."))
    if name == "keras":
        mistakes.append(Mistake(w.T[None, None], f"your array is (1, 1, F, C) = {(1, 1, F, C)}; Keras keeps "
                                                 "our order (C, F) behind the kernel axes.",
                                "do not transpose: add the two 1×1 axes in front of w."))
    import itertools

    for shape in sorted(set(itertools.permutations(expected.shape)) - {expected.shape}):
        mistakes.append(Mistake(None, f"your array has shape {shape}: the right axes in the wrong order for {target}.",
                                f"the order is: {order}.", shape=shape))
    return check_array(answer, expected, what=f"array for {target}", mistakes=mistakes)


# --------------------------------------------------------------------------
# Lesson 05: colour filters on a photo, and learning them
# --------------------------------------------------------------------------
from .core import COLOUR_MIXES, GREY_FILTER, fit_least_squares, mse_gradient  # noqa: E402

_RGB = ("R", "G", "B")

#: What :func:`check_colour_mix` knows: the colour presets, one grey filter, and a rotation of the channels.
COLOUR_TASKS: dict[str, np.ndarray] = {
    "grey filter": GREY_FILTER,                                  # one filter (3,): 3 → 1 channel
    **COLOUR_MIXES,
    # output R takes input G, output G takes input B, output B takes input R: w[(f + 1) % 3, f] = 1
    "rotate channels": np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]),
}


def _in_words(column: np.ndarray) -> str:
    """``[0.5, 0, 1]`` -> ``"R×0.5 + G×0 + B×1"``: a filter as the mix it makes."""
    return " + ".join(f"{name}×{_fmt(round(float(v), 4))}" for name, v in zip(_RGB, column))


def check_colour_mix(answer: Any, task: str) -> Feedback:
    """Check a colour filter (3,) or colour mix (3, 3) written for a named task (lesson 05).

    Parameters
    ----------
    answer : array_like
        The learner's filter: ``(3,)`` for ``"grey filter"``, else a ``(C, F) = (3, 3)``
        bank whose column f is the filter making output channel f.
    task : str
        A key of :data:`COLOUR_TASKS`: ``"grey filter"``, ``"rotate channels"``
        (output R takes input G, G takes B, B takes R) or a preset of
        :data:`conv1x1.core.COLOUR_MIXES` such as ``"swap red and blue"``.

    Besides a transposed bank and an extra axis, it recognises channels
    written in the order B, G, R, weights written as percentages, the
    identity (nothing mixed), a plain average instead of the grey weights,
    and a 3 → 3 bank where one filter was asked for; otherwise it names the
    first output channel whose filter is wrong and what that filter mixes.
    """
    if task not in COLOUR_TASKS:
        raise ValueError(f"task must be one of {list(COLOUR_TASKS)}; got {task!r}")
    expected = np.asarray(COLOUR_TASKS[task], dtype=float)
    what = "filter" if expected.ndim == 1 else "filter bank"
    mistakes: list[Mistake] = []
    if expected.ndim == 2 and not np.allclose(expected, expected.T):
        mistakes.append(Mistake(
            expected.T,
            f"your {what} is transposed: its rows are the filters. Read as (C, F) it sends the colours the "
            "other way round.",
            "a bank is a (C, F) matrix: w[c, f] is how much input channel c adds to output channel f, so column f "
            "is the filter making output f. Use .T.",
        ))
    if expected.ndim == 1:
        mistakes += [
            Mistake(expected[:, None], "your filter has an extra axis: shape (3, 1).",
                    "one filter is a vector of shape (3,); use .ravel()."),
            Mistake(expected[None, :], "your filter is a row of shape (1, 3).",
                    "one filter is a vector of shape (3,); use .ravel()."),
            Mistake(np.repeat(expected[:, None], 3, axis=1),
                    "this is a 3 → 3 bank (every output channel grey); the task asks for one filter, 3 → 1.",
                    "give the single filter, a vector of shape (3,): one weight per input channel."),
        ]
        if not np.allclose(expected, expected.mean()):
            mistakes.append(Mistake(np.full(3, expected.sum() / 3),
                                    "this weighs R, G and B equally: a plain average.",
                                    "eyes are most sensitive to green and least to blue; the grey filter "
                                    "weighs the channels differently (0.299, 0.587, 0.114 in BT.601)."))
    flipped = expected[::-1] if expected.ndim == 1 else expected[::-1, ::-1]
    if not np.allclose(flipped, expected):
        mistakes.append(Mistake(flipped, "your channels are in the order B, G, R.",
                                "the channel axis of an image from matplotlib is R, G, B: index 0 is red."))
    mistakes.append(Mistake(expected * 100, "your weights are percentages: they are 100 times too large.",
                            "write 29.9 % as 0.299."))
    if expected.ndim == 2 and not np.allclose(expected, np.eye(3)):
        mistakes.append(Mistake(np.eye(3), "this is the identity: every output channel copies its own input "
                                "channel, so the colours do not change.",
                                "column f is the filter for output f: put the weights of the input channels "
                                "that output f should show in column f."))
    feedback = check_array(answer, expected, what=what, mistakes=mistakes, atol=1e-3, rtol=1e-3)
    arr = _as_numbers(answer) if answer is not Ellipsis and answer is not None else None
    if (feedback.correct or arr is None or arr.shape != expected.shape or expected.ndim != 2
            or any(m.value is not None and _matches(arr, m.value, 1e-3, 1e-3) for m in mistakes)):
        return feedback
    f = int(np.flatnonzero(~np.all(np.isclose(arr, expected, atol=1e-3, rtol=1e-3), axis=0))[0])
    return Feedback(
        False,
        f"the shape (3, 3) is right, but column f = {f}, the filter making output {_RGB[f]}, is not: it computes "
        f"output {_RGB[f]} = {_in_words(arr[:, f])}.",
        f"column f lists how much of each input channel (R, G, B) goes into output channel f; ask what output "
        f"{_RGB[f]} should show for the task '{task}'.",
    )


def check_gradient(answer: Any, x: Any, y: Any, w: Any) -> Feedback:
    """Check the gradient of the mean squared error ``mean((x @ w - y)²)`` at ``w`` (lesson 05).

    Recognises the factor 2 forgotten, the sign flipped (``y - x @ w``), a sum
    instead of a mean (or a mean over pixels only), the transpose, and the
    residuals returned without the product with ``x``.
    """
    expected = mse_gradient(x, y, w)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    channels = x.shape[-1]
    pixels = x.size // channels
    outputs = y.size // pixels
    residual = conv1x1(x, w) - y
    mistakes = [
        Mistake(expected / 2, "this is half the gradient: the factor 2 from the square is missing.",
                "d(e²)/de = 2e."),
        Mistake(-expected, "the sign is flipped: this points uphill.",
                "the error is x·w − y (prediction minus target); gradient descent then subtracts the gradient."),
        Mistake(expected * pixels * outputs, f"this is the gradient of the sum of squares, {pixels * outputs} times "
                "too large: the loss is a mean.", f"divide by the number of values averaged, P·F = {pixels * outputs}."),
        Mistake(None, f"your gradient has the shape of the errors {residual.shape}, one per pixel: the product with "
                "the inputs is missing.", "the gradient has one entry per weight: multiply the errors by x "
                f"and sum over the pixels, Xᵀ(Xw − Y), shape {expected.shape}.",
                shape=residual.shape if residual.shape != expected.shape else None),
    ]
    if outputs > 1:
        mistakes.append(Mistake(expected * outputs, f"this is {outputs} times too large: it averages over the pixels "
                                "but not over the output channels.", f"the loss is the mean of all P·F = "
                                f"{pixels * outputs} squared errors."))
        if expected.shape[0] == expected.shape[1]:
            mistakes.append(Mistake(expected.T, "your gradient is transposed.",
                                    "it has the shape of w, (C, F): entry [c, f] pairs input channel c with the "
                                    "error of output f, so it is Xᵀ(Xw − Y), not (Xw − Y)ᵀX."))
    return check_array(answer, expected, what="gradient", mistakes=mistakes, atol=1e-9, rtol=1e-6)


def check_learned_bank(answer: Any, x: Any, y: Any) -> Feedback:
    """Check weights learned by least squares from inputs ``x`` and targets ``y`` (lesson 05).

    The expected answer is :func:`conv1x1.core.fit_least_squares` of ``x`` and
    ``y``. Recognises the whole tuple that ``np.linalg.lstsq`` returns, the
    map fitted the wrong way round (from ``y`` to ``x``), a transposed bank,
    an extra axis, and weights from gradient descent that stopped short.
    """
    expected = fit_least_squares(x, y)
    if isinstance(answer, tuple) and len(answer) == 4:
        return Feedback(False, "this is the whole result of np.linalg.lstsq: a tuple of 4 things "
                        "(solution, residuals, rank, singular values).",
                        "keep the solution only: np.linalg.lstsq(X, Y, rcond=None)[0].")
    mistakes: list[Mistake] = []
    x_arr, y_arr = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    try:
        backwards = fit_least_squares(y_arr if y_arr.ndim == x_arr.ndim else y_arr[..., None], x_arr)
    except ValueError:        # y may not determine x (e.g. one grey channel for three colours)
        backwards = None
    if backwards is not None:
        mistakes.append(Mistake(backwards, "this maps the target back to the input: the regression was done "
                                "the wrong way round.", "solve X w ≈ Y for w, with X the input pixels (P, C) "
                                "and Y the targets: np.linalg.lstsq(X, Y)."))
    if expected.ndim == 2 and not np.allclose(expected, expected.T):
        mistakes.append(Mistake(expected.T, "your bank is transposed.",
                                "a bank is (C, F): column f is the filter for output f. Use .T."))
    if expected.ndim == 1:
        mistakes.append(Mistake(expected[:, None], "your filter has an extra axis: shape (C, 1).",
                                "one filter is a vector (C,): use .ravel(), or fit y.reshape(-1) instead of "
                                "y.reshape(-1, 1)."))
    feedback = check_array(answer, expected, what="learned filter" if expected.ndim == 1 else "learned filter bank",
                           mistakes=mistakes, atol=1e-6, rtol=1e-6)
    arr = _as_numbers(answer) if not feedback.correct and feedback.answered else None
    if (arr is not None and arr.shape == expected.shape and np.allclose(arr, expected, atol=0.05)
            and not any(m.value is not None and _matches(arr, m.value, 1e-6, 1e-6) for m in mistakes)):
        return Feedback(False, f"close (within {_fmt(float(np.max(np.abs(arr - expected))))}), but not the least "
                        "squares solution: gradient descent that stopped early, or rounded weights?",
                        "least squares gives the exact minimum in one step: np.linalg.lstsq(X, Y, rcond=None)[0].")
    return feedback
