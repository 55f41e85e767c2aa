"""Exercise checks: compare a learner's answer with the expected one, and say why it differs.

Every check returns a :class:`Feedback`, which a notebook shows as a coloured
box (and as plain text elsewhere). A correct answer is said to be correct; a
wrong one is told *what* differs and given a hint aimed at the likely mistake
(COURSE.md, "Exercises"), for example:

* output shape ``(H, W, C)`` instead of ``(H, W)``: the channel sum was forgotten
  (on one channel: the channel axis was kept);
* filter matrix ``(F, C)`` instead of ``(C, F)``: transposed;
* channels-first ``(C, H, W)`` instead of channels-last;
* ReLU or bias forgotten (or added when not asked for);
* cost off by the kernel area ``k²``, by a channel count or by the image size;
* a framework's weights reshaped instead of transposed;
* stacked layers or biases combined in the wrong order, or only some of them;
* one grey standard (BT.601, BT.709) given for the other.

An answer left as ``...`` (or ``None``) gets "not answered yet". Every number
in a message is written by one formatter, :func:`conv1x1.core.format_significant`:
whole numbers with thousands separators (``16,448``), others to three
significant digits.

The reference solutions live in :mod:`conv1x1.solutions`; the tests run every
check against them and against typical wrong answers.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from .core import conv1x1, format_significant, format_significant_pair
from .cost import bottleneck_cost, conv_cost
from . import validate

__all__ = [
    "COLOUR_TASKS",
    "GREY_STANDARDS",
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
    "check_from_framework_weights",
    "check_number",
    "check_pixel",
    "check_rank",
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


def _compared(value: float, expected: float) -> str:
    """How far ``value`` is from ``expected``, in words.

    "7 times the right value", "1/9 of the right value", "about 1/2,900,000 of
    the right value"; within a factor 2, or across zero, the difference:
    "164 more than the right value".
    """
    r = value / expected if expected else 0.0
    if r <= 0 or 0.5 < r < 2:
        return f"{format_significant(abs(value - expected))} {'more' if value > expected else 'less'} than the right value"
    factor = max(r, 1 / r)
    if abs(factor - round(factor)) <= 1e-9 * factor:
        about, number = "", format_significant(round(factor))
    else:
        about, number = "about ", format_significant(round(factor, 1 - math.floor(math.log10(factor))))   # 2 significant digits
    return f"{about}{number} times the right value" if r > 1 else f"{about}1/{number} of the right value"


def _matches(answer: np.ndarray, value: Any, atol: float, rtol: float) -> bool:
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
    """
    if answer is Ellipsis or answer is None:
        return _not_answered(what)
    arr = _as_numbers(answer)
    if arr is None or arr.size != 1:
        got = type(answer).__name__ if arr is None else f"an array of shape {arr.shape}"
        return Feedback(False, f"your {what} must be a single number; got {got}.",
                        "if you have an array of terms, add them up with .sum().")
    value = float(arr.reshape(()))
    if np.isclose(value, expected, rtol=rtol, atol=atol):
        return Feedback(True, f"{format_significant(expected)} is right.")
    for mistake in mistakes:
        if mistake.value is not None and np.isclose(value, float(mistake.value), rtol=rtol, atol=atol):
            return Feedback(False, mistake.message, mistake.hint)
    have, want = format_significant_pair(value, expected)
    return Feedback(False, f"you have {have}, expected {want} ({_compared(value, expected)}).", hint)


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
                                f"the filter's weight{'s are' if w.size > 1 else ' is'} "
                                f"[{', '.join(map(format_significant, w))}]: keep the sign."))
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
    i, j = validate.check_pixel(i, j, full.shape)
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
            forgot = (f"you forgot the ReLU: x[{i}, {j}, :] @ w + b = {format_significant(z)} is negative, and ReLU turns "
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
        return check_number(answer, float(expected), what=what, mistakes=scalar_mistakes, rtol=1e-6, atol=1e-6,
                            hint=f"recompute it: multiply x[{i}, {j}, c] by w[c] for every channel c, add the "
                                 "products up" + (", add b" if b is not None else "")
                                 + (", then apply max(..., 0)." if activation == "relu" else "."))
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
                        f"each output value is a dot product over k × k × C_in = {format_significant(k2 * in_channels)} inputs, "
                        "not C_in."),
                Mistake(base / kernel_size, f"this is off by a factor {kernel_size}: the kernel area is k², not k.",
                        f"a {kernel_size}×{kernel_size} filter has {k2} positions per channel."),
            ]
        mistakes += [
            Mistake(base / in_channels, f"this is off by the number of input channels ({format_significant(in_channels)}).",
                    "each filter reaches through all C_in channels: multiply by C_in."),
            Mistake(base / out_channels, f"this is off by the number of output channels ({format_significant(out_channels)}).",
                    "every filter (there are C_out of them) is applied at every pixel: multiply by C_out."),
            Mistake(base / pixels, "this is the cost at one pixel, without H × W: the filters are applied at every "
                    "pixel.", f"multiply by H × W = {height} × {width} = {format_significant(pixels)}."),
            Mistake(cost.weights + out_channels,
                    "this is the number of parameters (weights and biases), not of multiplications: each weight is "
                    "used once at every pixel, and a bias is added, not multiplied.",
                    f"multiply the weights by H × W = {format_significant(pixels)} and leave the biases out."),
            Mistake(base + pixels * out_channels,
                    "this counts the biases too, but a bias is added, not multiplied.",
                    f"leave out the H × W × C_out = {format_significant(pixels * out_channels)} bias additions."),
        ]
    else:
        weights, biases = cost.weights, cost.biases
        image_size = ("parameters do not depend on the image size: every pixel shares the same filters, so H × W "
                      "does not belong in the count.")
        mistakes += [
            Mistake(weights / k2 + biases if kernel_size > 1 else None,
                    f"this is off by the kernel area {kernel_size}×{kernel_size} = {k2}.",
                    f"each filter has k × k × C_in = {format_significant(k2 * in_channels)} weights."),
            Mistake(weights / in_channels + biases,
                    f"this is off by the number of input channels ({format_significant(in_channels)}).",
                    "each filter has one weight per input channel (per kernel position)."),
            Mistake((weights + biases) * pixels, image_size,
                    f"leave H and W out: {_parameter_formula(kernel_size, bias)}."),
            Mistake(weights * pixels + biases, image_size,
                    f"leave H and W out: {_parameter_formula(kernel_size, bias)}."),
            Mistake(weights * pixels, image_size + (f" (The {format_significant(biases)} biases are missing, too.)" if bias else ""),
                    f"leave H and W out: {_parameter_formula(kernel_size, bias)}."),
        ]
        if bias:
            mistakes.append(Mistake(weights, f"the {format_significant(biases)} biases are missing: these are the weights alone.",
                                    f"add one bias per filter: C_out = {format_significant(out_channels)}."))
        else:
            mistakes.append(Mistake(weights + out_channels, "this counts biases, but this layer has none.",
                                    "count the weights only: k × k × C_in × C_out."))
    return check_number(answer, expected, what=f"number of {quantity}", mistakes=mistakes)


def _parameter_formula(kernel_size: int, bias: bool) -> str:
    weights = "k × k × C_in × C_out" if kernel_size > 1 else "C_in × C_out"
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
    if quantity not in ("multiplications", "weights"):
        raise ValueError(f"quantity must be 'multiplications' or 'weights'; got {quantity!r}")
    cost = bottleneck_cost(height, width, in_channels, out_channels, kernel_size, bottleneck)
    reduce, conv, direct = (getattr(c, quantity) for c in (cost.reduce, cost.conv, cost.direct))
    expected = reduce + conv
    k, k2, B = kernel_size, kernel_size * kernel_size, bottleneck
    first = "H × W × B × C_in" if quantity == "multiplications" else "C_in × B"
    second = "H × W × C_out × k² × B" if quantity == "multiplications" else "k² × B × C_out"
    mistakes = [
        Mistake(direct, f"this is the cost of the direct {k}×{k} convolution, without the bottleneck.",
                f"add the two layers of the bottleneck path: the 1×1 to {format_significant(B)} channels, then the {k}×{k}."),
        Mistake(conv, f"this is the {k}×{k} layer alone: the 1×1 layer that shrinks the channels to {format_significant(B)} "
                "costs too.", f"add the 1×1 layer: {first}."),
        Mistake(reduce, f"this is the 1×1 layer alone: the {k}×{k} layer after it costs too.",
                f"add the {k}×{k} layer on the {format_significant(B)}-channel bottleneck: {second}."),
        Mistake(reduce + direct, f"the {k}×{k} layer is counted on all {format_significant(in_channels)} input channels, "
                f"but it reads the {format_significant(B)}-channel bottleneck.",
                f"in the {k}×{k} layer, each filter is {k}×{k}×{format_significant(B)}: {second}."),
    ]
    if k > 1:
        mistakes += [
            Mistake(reduce + conv / k2, f"the {k}×{k} layer is off by the kernel area {k}×{k} = {k2}.",
                    f"each of its filters has k × k × B = {format_significant(k2 * B)} weights."),
            Mistake(reduce + conv / k, f"the {k}×{k} layer is off by a factor {k}: the kernel area is k², not k.",
                    f"a {k}×{k} filter has {k2} positions per channel."),
        ]
    if quantity == "weights":
        mistakes += [
            Mistake(expected + B + out_channels, "this counts the biases; the lecture counts weights only.",
                    f"leave out the {format_significant(B)} + {format_significant(out_channels)} biases."),
            Mistake(expected * height * width, "weights do not depend on the image size: every pixel shares them.",
                    "leave H and W out of the weight count."),
        ]
    else:
        mistakes.append(Mistake(expected / (height * width),
                                "this is the cost at one pixel, without H × W; both layers run at every pixel.",
                                f"multiply by H × W = {height} × {width} = {format_significant(height * width)}."))
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
    convolution B → C_out) needs ``H × W × B × (C_in + k² × C_out)``
    multiplications, the direct k×k ``H × W × k² × C_in × C_out``; the answer is the
    largest whole B with the first strictly smaller (H × W cancels).

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
    direct = conv_cost(height, width, in_channels, out_channels, kernel_size, bias=False).multiplications
    k, k2 = kernel_size, kernel_size * kernel_size
    per_channel = height * width * (in_channels + k2 * out_channels)      # the bottleneck path's cost per unit of B
    expected = (direct - 1) // per_channel                               # the largest B with B × per_channel < direct
    exact = direct / per_channel
    what = "widest bottleneck B"
    if answer is Ellipsis or answer is None:
        return _not_answered(what)
    arr = _as_numbers(answer)
    if arr is None or arr.size != 1 or isinstance(answer, (bool, np.bool_)):
        got = type(answer).__name__ if arr is None or arr.size == 1 else f"an array of shape {arr.shape}"
        return Feedback(False, f"your {what} must be a single number of channels; got {got}.",
                        "compare the two costs for each B, or solve B × (C_in + k² × C_out) < k² × C_in × C_out for B.")
    value = float(arr.reshape(()))

    def path(b: int) -> int:
        return bottleneck_cost(height, width, in_channels, out_channels, kernel_size, b).multiplications

    formula = "B × (C_in + k² × C_out) < k² × C_in × C_out"
    if not value.is_integer():
        if abs(value - exact) < 0.06:
            message = (f"{format_significant(value, 5)} is where the two costs are equal (B = {format_significant(exact, 5)}). "
                       "B counts channels: a whole number; round down.")
        else:
            message = f"{format_significant(value, 5)} is not a whole number, and B counts channels: a whole number; round down."
        return Feedback(False, message, f"the widest bottleneck is the largest whole B with {formula}.")
    b = int(value)
    if b == expected:
        return Feedback(True, f"{format_significant(b)} is right: at B = {format_significant(b)} the bottleneck path needs {format_significant(path(b))} "
                              f"multiplications, fewer than the direct {k}×{k} convolution's {format_significant(direct)}; at "
                              f"B = {format_significant(b + 1)} it would need {format_significant(path(b + 1))}. (H × W cancels: {formula}.)")
    if b < 1:
        return Feedback(False, f"B = {format_significant(b)} is not a bottleneck: it needs at least one channel.",
                        f"look for the largest whole B with {formula}.")
    cheaper, cost = path(b) < direct, path(b)
    both = (f"at B = {format_significant(b)} the bottleneck path needs {format_significant(cost)} multiplications, the direct {k}×{k} "
            f"{format_significant(direct)}")
    only_conv = (f"This leaves out the 1×1 layer's own cost, H × W × C_in × B = {format_significant(height * width * in_channels)} × B: "
                 f"counting only the {k}×{k} layer, B × k² × C_out < k² × C_in × C_out gives B < C_in.")
    specific = {
        expected + 1: (f"off by one: {both}, so B = {format_significant(b)} is the first width that is not cheaper.",
                       "the question asks for the widest B that still needs fewer multiplications."),
        in_channels: ("that is C_in, from the tempting rule \"the bottleneck costs more once B ≥ C_in\"; "
                      f"but {both}. " + only_conv,
                      f"write the bottleneck path's cost as a function of B and solve {formula}."),
        in_channels - 1: (f"that is the widest B below C_in: {both}. " + only_conv,
                          f"add the 1×1 layer's cost H × W × B × C_in and solve {formula}."),
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


# --------------------------------------------------------------------------
# Lesson 05: one operation, many names (einsum, framework layouts)
# --------------------------------------------------------------------------
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


def check_from_framework_weights(answer: Any, w_framework: Any, framework: str = "pytorch") -> Feedback:
    """Check a framework's 1×1 weights converted back to our ``(C, F)`` filter bank.

    Parameters
    ----------
    answer : array_like (C, F)
        The learner's bank: column f is filter f.
    w_framework : array_like
        The framework's weights: ``(F, C, 1, 1)`` for "pytorch"
        (``nn.Conv2d(C, F, kernel_size=1).weight``), ``(F, C)`` for
        "pytorch-linear" (``nn.Linear``), ``(1, 1, C, F)`` for "keras"
        (``Conv2D(F, 1)``'s kernel).
    framework : {"pytorch", "pytorch-linear", "keras"}, default "pytorch"

    Returns
    -------
    Feedback
        Recognises a reshape used instead of a transpose (right shape,
        scrambled weights), the 1×1 kernel axes not dropped (the array
        unchanged, or transposed but still 4-D), ``(F, C)`` not transposed,
        and ``.T`` applied to the 4-D array (which reverses all four axes).
        Hints write the framework's array as ``w_torch`` (``w_linear``,
        ``w_keras``), the name the lesson gives it.

    Raises
    ------
    ValueError
        If ``w_framework`` does not have the framework's layout, or the
        framework is unknown.
    """
    from .export import check_framework

    name = check_framework(framework)
    wf = np.asarray(w_framework, dtype=float)
    layout = {"pytorch": "(F, C, 1, 1)", "pytorch-linear": "(F, C)", "keras": "(1, 1, C, F)"}[name]
    fits = {"pytorch": wf.ndim == 4 and wf.shape[2:] == (1, 1), "pytorch-linear": wf.ndim == 2,
            "keras": wf.ndim == 4 and wf.shape[:2] == (1, 1)}[name]
    if not fits:
        raise ValueError(f"w_framework must be {name}'s layout {layout}; got shape {wf.shape}")
    if name == "pytorch":
        expected = wf[:, :, 0, 0].T
    elif name == "pytorch-linear":
        expected = wf.T
    else:
        expected = wf[0, 0]
    C, F = expected.shape
    array = {"pytorch": "w_torch", "pytorch-linear": "w_linear", "keras": "w_keras"}[name]
    to_ours = {"pytorch": f"{array}[:, :, 0, 0].T", "pytorch-linear": f"{array}.T", "keras": f"{array}[0, 0]"}[name]
    mistakes: list[Mistake] = []
    if name in ("pytorch", "pytorch-linear"):
        mistakes.append(Mistake(
            wf.reshape(C, F),
            f"the shape ({C}, {F}) is right but the weights are scrambled: reshape keeps the numbers in the order "
            "they are stored, so it does not turn the framework's rows (filters) into our columns.",
            f"transpose instead: {to_ours}" + (" (drop the two 1×1 axes, then .T)." if name == "pytorch" else "."),
        ))
        mistakes.append(Mistake(
            expected.T,
            f"this is (F, C) = ({F}, {C}): the filters are still rows. Ours is (C, F) = ({C}, {F}): column f is "
            "filter f.", f"transpose it: {to_ours}.",
        ))
    if name == "pytorch":
        mistakes += [
            Mistake(wf, f"this is PyTorch's array unchanged, (F, C, 1, 1) = {wf.shape}: the two 1×1 kernel axes are "
                        "still there and the filters are still rows.",
                    f"drop the 1×1 axes and transpose: {to_ours} (or {array}.reshape({F}, {C}).T)."),
            Mistake(np.swapaxes(wf, 0, 1), f"the filters and channels are swapped, but the two 1×1 kernel axes are "
                                           f"still there: shape {(C, F, 1, 1)}; ours is ({C}, {F}).",
                    f"drop them: {to_ours}, or .reshape({C}, {F}) after the transpose."),
            Mistake(wf.T, f"this is .T of the 4-axis array: it reverses all four axes, giving (1, 1, C, F) = "
                          f"{(1, 1, C, F)}, Keras's layout; ours has no 1×1 axes.",
                    f"drop the 1×1 axes first, then transpose the (F, C) matrix: {to_ours}."),
            Mistake(None, f"your array still has the two 1×1 kernel axes: shape {(C, F, 1, 1)}; ours is ({C}, {F}).",
                    f"drop them: {to_ours}.", shape=(C, F, 1, 1)),
        ]
    if name == "keras":
        mistakes += [
            Mistake(wf, f"this is Keras's array unchanged, (1, 1, C, F) = {wf.shape}: the two 1×1 kernel axes are "
                        "still there.", f"drop them: {to_ours}."),
            Mistake(wf[0, 0].T, f"this is (F, C) = ({F}, {C}): Keras already keeps our order (C, F) behind the "
                                "kernel axes, so nothing needs transposing.", f"only drop the 1×1 axes: {to_ours}."),
        ]
    if F != C:
        mistakes.append(Mistake(None, f"your array is (F, C) = ({F}, {C}): the filters are rows. Ours is (C, F) = "
                                      f"({C}, {F}): column f is filter f.", f"transpose: {to_ours}.", shape=(F, C)))
    return check_array(answer, expected, what="filter bank", mistakes=mistakes,
                       shape_hint=f"our filter bank is (C, F) = ({C}, {F}), without 1×1 axes: {to_ours}.")


# --------------------------------------------------------------------------
# Lesson 06: stacked 1×1 layers without ReLU collapse into one
# --------------------------------------------------------------------------
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_SUB_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUBSCRIPTS = {k: str(k).translate(_SUB_DIGITS) for k in range(1, 100)}          # 3 -> "₃", as in w₃
_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _ordinal(k: int) -> str:
    """0 -> "first": layer k of a stack, counted from 1 in words."""
    return _ORDINALS[k] if k < len(_ORDINALS) else f"{k + 1}th"


def _layer_matrices(ws: Sequence[Any], name: str = "ws") -> list[np.ndarray]:
    """The layers' (C_k, C_k+1) matrices as float arrays, checked to chain."""
    if isinstance(ws, np.ndarray) and ws.ndim == 2:
        raise TypeError(f"{name} must be a sequence of the layers' matrices, e.g. [w_a, w_b]; got one array of "
                        f"shape {ws.shape}")
    mats = [np.asarray(w, dtype=float) for w in ws]
    if not mats:
        raise ValueError(f"{name} must hold at least one layer's matrix; got none")
    for k, m in enumerate(mats):
        if m.ndim != 2:
            raise ValueError(f"the {_ordinal(k)} layer's matrix must be a (C_in, C_out) filter bank; got shape "
                             f"{m.shape}")
    for k in range(1, len(mats)):
        if mats[k].shape[0] != mats[k - 1].shape[1]:
            raise ValueError(f"the {_ordinal(k)} layer's matrix has shape {mats[k].shape}, so it reads "
                             f"{mats[k].shape[0]} channels, but the {_ordinal(k - 1)} layer's {mats[k - 1].shape} "
                             f"makes {mats[k - 1].shape[1]}")
    return mats


def _chain(mats: Sequence[np.ndarray]) -> str:
    """Channel counts through the layers: "6 → 4 → 3"."""
    return " → ".join(str(n) for n in [mats[0].shape[0]] + [m.shape[1] for m in mats])


def _product(mats: Sequence[np.ndarray]) -> np.ndarray:
    out = mats[0]
    for m in mats[1:]:
        out = out @ m
    return out


def check_collapsed_filters(answer: Any, *ws: Any) -> Feedback:
    """Check the single ``(C, F)`` matrix equal to 1×1 layers ``ws`` applied in order, with no ReLU between them.

    Parameters
    ----------
    answer : array_like (C, F)
        The learner's matrix: it should be ``ws[0] @ ws[1] @ ...``.
    *ws : array_like
        The layers' filter banks in the order they are applied, each
        ``(C_k, C_k+1)``: two or more, e.g. ``check_collapsed_filters(answer,
        w_a, w_b, w_c)``.

    Returns
    -------
    Feedback
        Recognises the product transposed (the matrices multiplied in reverse
        order, transposed so that the shapes match; straight reverse order
        does not even run), only some of the layers multiplied, and a square
        matrix of a middle layer's size.

    Raises
    ------
    ValueError
        If a matrix is not 2-D or a layer does not read the channels the
        previous one makes.
    """
    mats = _layer_matrices(ws)
    n = len(mats)
    expected = _product(mats)
    in_order = " @ ".join(f"w{_SUBSCRIPTS[k + 1]}" for k in range(n))
    order = (f"multiply the matrices in the order the layers are applied, the first layer's on the left: "
             f"{in_order}.")
    if n > 1 and mats[-1].shape[1] != mats[-2].shape[0]:
        order += (f" The other order does not even run: w{_SUBSCRIPTS[n]} @ w{_SUBSCRIPTS[n - 1]} multiplies shapes "
                  f"{mats[-1].shape} and {mats[-2].shape}, and {mats[-1].shape[1]} ≠ {mats[-2].shape[0]}.")
    mistakes = []
    if expected.shape[0] != expected.shape[1] or not np.allclose(expected, expected.T):
        mistakes.append(Mistake(expected.T, f"your matrix is transposed: shape {expected.T.shape} = (F, C), "
                                            "the filters as rows (the matrices taken in reverse order and "
                                            "transposed).", order))
    for start in range(n):
        for stop in range(start + 1, n + 1):
            if stop - start == n:
                continue
            part = mats[start:stop]
            missing = [k for k in range(n) if not start <= k < stop]
            if stop - start == 1:
                what = f"this is the {_ordinal(start)} layer's matrix alone ({_chain(part)})"
            else:
                what = (f"this multiplies only the {' and '.join(_ordinal(k) for k in range(start, stop))} layers "
                        f"({_chain(part)})")
            names = " and ".join(f"the {_ordinal(k)} ({_chain(mats[k:k + 1])})" for k in missing)
            mistakes.append(Mistake(_product(part), f"{what}: {names} {'is' if len(missing) == 1 else 'are'} "
                                                    "missing.", order))
    middle = sorted({m.shape[1] for m in mats[:-1]} - {expected.shape[0]})
    for size in middle:
        mistakes.append(Mistake(None, f"your matrix has shape {size}×{size}: a middle layer's size, not C×F = "
                                      f"{expected.shape[0]}×{expected.shape[1]}.",
                                f"the layers go {_chain(mats)}, so the single layer is (C, F) = {expected.shape}: "
                                + order, shape=(size, size)))
    return check_array(answer, expected, what="combined filter bank", mistakes=mistakes,
                       shape_hint=f"the layers go {_chain(mats)}, so the single layer is (C, F) = {expected.shape}; "
                                  + order)


def check_collapsed_bias(answer: Any, ws: Sequence[Any], bs: Sequence[Any]) -> Feedback:
    """Check the bias of the single layer equal to the 1×1 layers ``(ws[k], bs[k])`` applied in order, no ReLU.

    Each bias is added after its layer, so it passes through every later
    layer's matrix: for three layers the single layer's bias is
    ``(bs[0] @ ws[1] + bs[1]) @ ws[2] + bs[2]``.

    Parameters
    ----------
    answer : array_like (F,)
        The learner's bias.
    ws : sequence of array_like
        The layers' filter banks in order, each ``(C_k, C_k+1)`` (the first
        one is not needed for the bias, but naming all keeps the call clear).
    bs : sequence of array_like
        The layers' biases in the same order, ``bs[k]`` of shape ``(C_k+1,)``.

    Returns
    -------
    Feedback
        Recognises the last bias alone, one layer's bias forgotten, the bias
        of the first layers only (not yet through the later layers' matrices),
        a later matrix skipped, and the biases simply added up.

    Raises
    ------
    ValueError
        If ``ws`` and ``bs`` differ in length, or a bias does not have one
        entry per output channel of its layer.
    """
    mats = _layer_matrices(ws)
    n = len(mats)
    if isinstance(bs, np.ndarray) and bs.ndim == 1:
        raise TypeError(f"bs must be a sequence of the layers' biases, e.g. [b_a, b_b]; got one array of shape "
                        f"{bs.shape}")
    biases = [np.asarray(b, dtype=float) for b in bs]
    if len(biases) != n:
        raise ValueError(f"bs must hold one bias per layer: ws has {n} matrices but bs has {len(biases)} biases")
    for k, (m, b) in enumerate(zip(mats, biases)):
        if b.shape != (m.shape[1],):
            raise ValueError(f"the {_ordinal(k)} layer's bias must have shape ({m.shape[1]},), one per output "
                             f"channel of its matrix {m.shape}; got shape {b.shape}")

    def combined(bias_list: Sequence[np.ndarray], mat_list: Sequence[np.ndarray], upto: int = n) -> np.ndarray:
        out = bias_list[0]
        for m, b in zip(mat_list[1:upto], bias_list[1:upto]):
            out = out @ m + b
        return out

    expected = combined(biases, mats)
    formula = f"b{_SUBSCRIPTS[1]}"
    for k in range(2, n + 1):
        formula = f"{'(' + formula + ')' if k > 2 else formula} @ w{_SUBSCRIPTS[k]} + b{_SUBSCRIPTS[k]}"
    rule = f"each bias is added after its layer, so it passes through the matrices of all later layers: {formula}."
    mistakes = []
    if n > 1:
        mistakes.append(Mistake(biases[-1], "this is the last layer's bias alone: the earlier biases are added "
                                            "before the later layers, so they pass through those layers' matrices "
                                            "and end up in the output too.", rule))
    for k in range(n):
        without = [np.zeros_like(b) if i == k else b for i, b in enumerate(biases)]
        later = "" if k == n - 1 else " it passes through the matrices of the layers after it."
        mistakes.append(Mistake(combined(without, mats), f"the {_ordinal(k)} layer's bias is missing.",
                                f"add it after the {_ordinal(k)} layer;{later}" if later else
                                f"add the {_ordinal(k)} layer's own bias at the end."))
    for upto in range(1, n):
        if upto == 1:
            message = (f"this is the first layer's bias ({biases[0].size} numbers, one per channel after the "
                       "first layer): it still passes through the later layers.")
        else:
            count = _NUMBER_WORDS[upto] if upto < len(_NUMBER_WORDS) else format_significant(upto)
            message = (f"this is the bias after the first {count} layers, shape {(mats[upto - 1].shape[1],)}: it "
                       f"has passed through the {' and '.join(_ordinal(k) for k in range(1, upto))} layer's matrix "
                       f"but not through the {' and '.join(_ordinal(k) for k in range(upto, n))}.")
        mistakes.append(Mistake(combined(biases, mats, upto), message, rule))
    for skip in range(1, n):
        if mats[skip].shape[0] == mats[skip].shape[1]:
            skipped = [np.eye(m.shape[0]) if i == skip else m for i, m in enumerate(mats)]
            mistakes.append(Mistake(combined(biases, skipped), f"the biases before the {_ordinal(skip)} layer "
                                    "were added, but not passed through its matrix.", rule))
    if n > 1 and all(b.shape == biases[0].shape for b in biases):
        mistakes.append(Mistake(sum(biases), "you added the biases up directly, but each one passes through the "
                                             "later layers' matrices first.", rule))
    return check_array(answer, expected, what="combined bias", mistakes=mistakes,
                       shape_hint=f"the single layer makes {expected.size} channels, so its bias has "
                                  f"{expected.size} numbers; {rule}")


def check_rank(answer: Any, ws: Sequence[Any]) -> Feedback:
    """Check the rank of the single matrix that 1×1 layers ``ws`` (no ReLU) collapse into.

    Parameters
    ----------
    answer : int
        The learner's rank (``np.linalg.matrix_rank`` of the collapsed matrix).
    ws : sequence of array_like
        The layers' filter banks in the order they are applied, e.g.
        ``[w_down, w_up]`` for 6 → 2 → 6.

    Returns
    -------
    Feedback
        Recognises full rank assumed (everything passes through the narrowest
        layer), the matrix itself given instead of its rank, its number of
        entries, a non-integer and a True/False answer.
    """
    mats = _layer_matrices(ws)
    collapsed = _product(mats)
    expected = int(np.linalg.matrix_rank(collapsed))
    C, F = collapsed.shape
    narrowest = min(m.shape[1] for m in mats[:-1]) if len(mats) > 1 else min(C, F)
    what = "rank"
    if answer is Ellipsis or answer is None:
        return _not_answered(what)
    if isinstance(answer, (bool, np.bool_)):
        return Feedback(False, f"your answer is {answer}; the question asks for a number, the rank, from which the "
                               "yes-or-no question follows.", "np.linalg.matrix_rank(the collapsed matrix).")
    arr = _as_numbers(answer)
    if arr is None or arr.size != 1:
        got = type(answer).__name__ if arr is None else f"an array of shape {arr.shape}"
        looks = " (a matrix, perhaps the collapsed matrix itself)" if arr is not None and arr.ndim == 2 else ""
        return Feedback(False, f"your answer is {got}{looks}; the question asks for its rank, a single number.",
                        "np.linalg.matrix_rank(...) of the collapsed matrix gives it.")
    value = float(arr.reshape(()))
    chain = _chain(mats)
    if value == expected:
        return Feedback(True, f"{expected} is right: the layers go {chain}, so the collapsed {C}×{F} matrix has "
                              f"rank {expected}. Every output is a mix of only {expected} numbers per pixel, so this "
                              f"single layer cannot be just any {C} → {F} map.")
    if not value.is_integer():
        return Feedback(False, f"{format_significant_pair(value, round(value))[0]} is not a whole number; a rank counts "
                               "independent columns.",
                        "np.linalg.matrix_rank(...) of the collapsed matrix gives it.")
    if value == min(C, F) and expected < value:
        return Feedback(False, f"a {C}×{F} matrix need not have full rank {min(C, F)}: everything passes through "
                               f"{narrowest} channels ({chain}), so the collapsed matrix has rank at most "
                               f"{narrowest}.", "compute it: np.linalg.matrix_rank(...) of the collapsed matrix.")
    if value == C * F:
        return Feedback(False, f"{format_significant(value)} is the number of entries of the {C}×{F} matrix, not its rank.",
                        "the rank counts independent columns: np.linalg.matrix_rank(...).")
    return Feedback(False, f"you have {format_significant(value)}, but the collapsed {C}×{F} matrix has another rank.",
                    f"the layers go {chain}: compute np.linalg.matrix_rank of the product of their matrices.")


# --------------------------------------------------------------------------
# Lessons 07 and 08: colour mixing on a photo, and learning a 1×1 layer
# --------------------------------------------------------------------------
from .core import COLOUR_MIXES, GREY_FILTER  # noqa: E402
from .learn import fit_least_squares, mse_gradient  # noqa: E402

_RGB = ("R", "G", "B")

#: The two standard grey (luma) filters, R, G, B weights: SDTV's BT.601 (:data:`conv1x1.core.GREY_FILTER`,
#: what Pillow uses) and HDTV's BT.709. Pass it to :func:`check_learned_bank` as ``candidates`` (lesson 08).
GREY_STANDARDS: dict[str, np.ndarray] = {
    "BT.601": GREY_FILTER,
    "BT.709": np.array([0.2126, 0.7152, 0.0722]),
}
_STANDARD_USE = {"BT.601": "the SDTV standard", "BT.709": "the HDTV standard"}

#: What :func:`check_colour_mix` knows: the colour presets, one grey filter, a BT.709 grey that keeps three
#: channels, and a rotation of the channels.
COLOUR_TASKS: dict[str, np.ndarray] = {
    "grey filter": GREY_FILTER,                                  # one filter (3,): 3 → 1 channel
    **COLOUR_MIXES,
    # every column is the BT.709 filter: all three output channels show the same grey (lesson 07)
    "grey BT.709": np.repeat(GREY_STANDARDS["BT.709"][:, None], 3, axis=1),
    # output R takes input G, output G takes input B, output B takes input R: w[(f + 1) % 3, f] = 1
    "rotate channels": np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]),
}


def _in_words(column: np.ndarray) -> str:
    """``[0.5, 0, 1]`` -> ``"R×0.5 + G×0 + B×1"``: a filter as the mix it makes."""
    return " + ".join(f"{name}×{format_significant(v, 4)}" for name, v in zip(_RGB, column))


def _weights(filter_: np.ndarray) -> str:
    """``[0.2126, 0.7152, 0.0722]`` -> ``"[0.2126, 0.7152, 0.0722]"``."""
    return "[" + ", ".join(format_significant(v, 4) for v in filter_) + "]"


def _grey_standard(filter_: np.ndarray) -> str | None:
    """The name of the grey standard ``filter_`` is (to 1e-3), or None."""
    return next((name for name, value in GREY_STANDARDS.items() if np.allclose(filter_, value, atol=1e-3)), None)


def check_colour_mix(answer: Any, task: str) -> Feedback:
    """Check a colour filter (3,) or colour mix (3, 3) written for a named task (lesson 07).

    Parameters
    ----------
    answer : array_like
        The learner's filter: ``(3,)`` for ``"grey filter"``, else a ``(C, F) = (3, 3)``
        bank whose column f is the filter making output channel f.
    task : str
        A key of :data:`COLOUR_TASKS`: ``"grey filter"`` (BT.601, 3 → 1),
        ``"grey BT.709"`` (3 → 3, every output channel BT.709's grey),
        ``"rotate channels"`` (output R takes input G, G takes B, B takes R)
        or a preset of :data:`conv1x1.core.COLOUR_MIXES` such as
        ``"swap red and blue"``.

    Returns
    -------
    Feedback
        Besides a transposed bank and an extra axis, recognises channels
        written in the order B, G, R, weights written as percentages, the
        identity (nothing mixed), a plain average instead of the grey weights,
        the other grey standard (BT.601 for BT.709 and the other way round),
        one filter where a 3 → 3 bank was asked for and the other way round;
        otherwise it names the first output channel whose filter is wrong and
        what that filter mixes.

    Raises
    ------
    ValueError
        If ``task`` is not a key of :data:`COLOUR_TASKS`.
    """
    if task not in COLOUR_TASKS:
        raise ValueError(f"task must be one of {list(COLOUR_TASKS)}; got {task!r}")
    expected = np.asarray(COLOUR_TASKS[task], dtype=float)
    what = "filter" if expected.ndim == 1 else "filter bank"
    # one filter repeated in every column: every output channel shows the same mix (a grey that stays 3 channels)
    shared = expected[:, 0] if expected.ndim == 2 and np.allclose(expected, expected[:, :1]) else None
    standard = _grey_standard(expected if expected.ndim == 1 else shared) if (
        expected.ndim == 1 or shared is not None) else None
    mistakes: list[Mistake] = []
    if shared is not None:
        mistakes.append(Mistake(
            expected.T,
            "your rows are all equal instead of your columns: you put the filter in the rows, so the bank is "
            "transposed. Each output channel f is then (R + G + B) times one weight: a tinted picture, not grey.",
            f"column f is the filter that makes output channel f: every column must be {_weights(shared)}.",
        ))
    elif expected.ndim == 2 and not np.allclose(expected, expected.T):
        mistakes.append(Mistake(
            expected.T,
            f"your {what} is transposed: its rows are the filters. Read as (C, F) it sends the colours the "
            "other way round.",
            "a bank is a (C, F) matrix: w[c, f] is how much input channel c adds to output channel f, so column f "
            "is the filter making output f. Use .T.",
        ))
    if standard is not None:
        for other, weights in GREY_STANDARDS.items():
            if other != standard:
                mistakes.append(Mistake(
                    weights if expected.ndim == 1 else np.repeat(weights[:, None], 3, axis=1),
                    f"these are the {other} weights {_weights(weights)} ({_STANDARD_USE[other]}); the task asks "
                    f"for {standard} ({_STANDARD_USE[standard]}): {_weights(GREY_STANDARDS[standard])}.",
                    f"both standards weigh green most and blue least, but by different amounts: use {standard}'s.",
                ))
                if expected.ndim == 2:
                    mistakes.append(Mistake(
                        np.repeat(weights[None, :], 3, axis=0),
                        f"two things: these are the {other} weights ({_STANDARD_USE[other]}; the task asks for "
                        f"{standard}, {_STANDARD_USE[standard]}), and they are in the rows instead of the columns.",
                        f"column f is the filter that makes output channel f: every column must be "
                        f"{_weights(GREY_STANDARDS[standard])}.",
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
    grey = expected if expected.ndim == 1 else shared
    if grey is not None and not np.allclose(grey, grey.mean()):
        average = np.full(3, grey.sum() / 3)
        mistakes.append(Mistake(average if expected.ndim == 1 else np.repeat(average[:, None], 3, axis=1),
                                "this weighs R, G and B equally: a plain average.",
                                "eyes are most sensitive to green and least to blue; the grey filter weighs the "
                                f"channels differently: {_weights(grey)}" + (f" in {standard}." if standard else ".")))
    if shared is not None:
        mistakes += [
            Mistake(shared, "this is the single filter, shape (3,): it makes one grey channel. The task keeps a "
                            "3-channel picture: a (3, 3) bank whose three columns are all this filter.",
                    "repeat the filter in every column: with g the filter, np.column_stack([g, g, g]) or "
                    "np.repeat(g[:, None], 3, axis=1)."),
            Mistake(None, "your answer has shape (3,): one filter, which makes one grey channel. The task keeps a "
                          "3-channel picture: a (3, 3) bank, one filter per output channel.",
                    f"every column is the filter g = {_weights(shared)}: np.column_stack([g, g, g]).", shape=(3,)),
            Mistake(None, "your bank has one column, shape (3, 1): one output channel. The task keeps three.",
                    f"every column is the filter g = {_weights(shared)}: np.column_stack([g, g, g]).", shape=(3, 1)),
        ]
    flipped = expected[::-1] if expected.ndim == 1 else expected[::-1, ::-1]
    if not np.allclose(flipped, expected):
        mistakes.append(Mistake(flipped, "your channels are in the order B, G, R.",
                                "the channel axis of an image from matplotlib is R, G, B: index 0 is red."))
    mistakes.append(Mistake(expected * 100, "your weights are percentages: they are 100 times too large.",
                            "divide by 100: 29.9 % is 0.299."))
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
    """Check the gradient of the mean squared error ``mean((x @ w - y)²)`` at ``w`` (lesson 08).

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
                "the error is x × w − y (prediction minus target); gradient descent then subtracts the gradient."),
        Mistake(expected * pixels * outputs, f"this is the gradient of the sum of squares, {format_significant(pixels * outputs)} "
                "times too large: the loss is a mean.",
                f"divide by the number of values averaged, P × F = {format_significant(pixels * outputs)}."),
        Mistake(None, f"your gradient has the shape of the errors {residual.shape}, one per pixel: the product with "
                "the inputs is missing.", "the gradient has one entry per weight: multiply the errors by x "
                f"and sum over the pixels, Xᵀ(Xw − Y), shape {expected.shape}.",
                shape=residual.shape if residual.shape != expected.shape else None),
    ]
    if outputs > 1:
        mistakes.append(Mistake(expected * outputs, f"this is {format_significant(outputs)} times too large: it averages over the "
                                "pixels but not over the output channels.", f"the loss is the mean of all P × F = "
                                f"{format_significant(pixels * outputs)} squared errors."))
        if expected.shape[0] == expected.shape[1]:
            mistakes.append(Mistake(expected.T, "your gradient is transposed.",
                                    "it has the shape of w, (C, F): entry [c, f] pairs input channel c with the "
                                    "error of output f, so it is Xᵀ(Xw − Y), not (Xw − Y)ᵀX."))
    return check_array(answer, expected, what="gradient", mistakes=mistakes, atol=1e-9, rtol=1e-6)


def check_learned_bank(answer: Any, x: Any, y: Any, *, candidates: Mapping[str, Any] | None = None) -> Feedback:
    """Check weights learned by least squares from inputs ``x`` and targets ``y`` (lesson 08).

    Parameters
    ----------
    answer : array_like (C,) or (C, F)
        The learner's weights: a filter when ``y`` has no channel axis, else a bank.
    x : array_like (..., C)
        The input pixels.
    y : array_like (...) or (..., F)
        The targets.
    candidates : mapping of str to array_like, optional
        Named filters the question asks to tell apart, such as
        :data:`GREY_STANDARDS`; a correct answer is then told which one the
        learned weights are closest to, and by how much each differs.

    Returns
    -------
    Feedback
        The expected answer is :func:`conv1x1.learn.fit_least_squares` of ``x``
        and ``y``. Recognises the whole tuple that ``np.linalg.lstsq``
        returns, the map fitted the wrong way round (from ``y`` to ``x``), a
        transposed bank, an extra axis, weights from gradient descent that
        stopped short, and a candidate typed in instead of learned.

    Raises
    ------
    ValueError
        If a candidate does not have the shape of the learned weights.
    """
    expected = fit_least_squares(x, y)
    named = {name: np.asarray(value, dtype=float) for name, value in (candidates or {}).items()}
    for name, value in named.items():
        if value.shape != expected.shape:
            raise ValueError(f"candidates[{name!r}] must have the shape of the learned weights {expected.shape}; "
                             f"got shape {value.shape}")
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
    for name, value in named.items():
        mistakes.append(Mistake(value, f"these are exactly {name}'s weights {_weights(value)}: typed in, or "
                                       "rounded? The exercise asks for the least squares weights themselves; the "
                                       "feedback then says which standard they are closest to.",
                                "fit them and keep them unrounded: np.linalg.lstsq(X, Y, rcond=None)[0], with X "
                                "the pixels (P, C) and Y the targets."))
    feedback = check_array(answer, expected, what="learned filter" if expected.ndim == 1 else "learned filter bank",
                           mistakes=mistakes, atol=1e-6, rtol=1e-6)
    arr = _as_numbers(answer) if feedback.answered else None
    if feedback.correct and named:
        return Feedback(True, _closest_candidate(arr, named))
    if (arr is not None and not feedback.correct and arr.shape == expected.shape
            and np.allclose(arr, expected, atol=0.05)
            and not any(m.value is not None and _matches(arr, m.value, 1e-6, 1e-6) for m in mistakes)):
        return Feedback(False, f"close (within {format_significant(np.max(np.abs(arr - expected)), 2)}), but not the least "
                        "squares solution: gradient descent that stopped early, or rounded weights?",
                        "least squares gives the exact minimum in one step: np.linalg.lstsq(X, Y, rcond=None)[0].")
    return feedback


def _closest_candidate(weights: np.ndarray, candidates: Mapping[str, np.ndarray]) -> str:
    """"your weights 0.299 0.587 0.114 are BT.601's (largest difference 0.00046); BT.709's differ by up to 0.13"."""
    gaps = {name: float(np.max(np.abs(weights - value))) for name, value in candidates.items()}
    best = min(gaps, key=gaps.__getitem__)
    others = "; ".join(f"{name}'s differ by up to {format_significant(gap, 2)}" for name, gap in gaps.items() if name != best)
    return (f"your weights {' '.join(format_significant(v) for v in weights.ravel())} are {best}'s (largest difference "
            f"{format_significant(gaps[best], 2)})" + (f"; {others}." if others else "."))
