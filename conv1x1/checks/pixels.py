"""Checks of lessons 01 and 02: 1×1 convolution outputs, one pixel, a filter bank.

:func:`check_conv_output` recognises the channel sum forgotten, channels-first
output, a transposed bank, ReLU or bias forgotten or misplaced and a sign
flipped; :func:`check_pixel` the products not added up, row and column
swapped and the ReLU or bias forgotten at one pixel; :func:`check_filter_bank`
a transposed bank or an extra axis.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..compute import validate
from ..compute.core import conv1x1, format_significant
from .feedback import Feedback, Mistake, as_numbers, check_array, check_number

__all__ = ["check_conv_output", "check_filter_bank", "check_pixel"]


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
    i, j = validate.pixel_index(i, j, full.shape)
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
    numbers = as_numbers(answer) if answer is not Ellipsis else None
    if np.ndim(expected) == 0 and (numbers is None or numbers.size == 1):
        scalar_mistakes = [m for m in mistakes if m.value is not None and np.ndim(m.value) == 0]
        return check_number(answer, float(expected), what=what, mistakes=scalar_mistakes, rtol=1e-6, atol=1e-6,
                            hint=f"recompute it: multiply x[{i}, {j}, c] by the filter's weight for channel c, for "
                                 "every c, add the products up" + (", add b" if b is not None else "")
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
