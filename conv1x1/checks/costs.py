"""Checks of lessons 03 and 04: the cost of a layer, of a 1×1 bottleneck path, and the widest bottleneck that pays.

Each check recomputes the count with :mod:`conv1x1.compute.cost` and recognises the
counts that typical slips give: off by the kernel area (k² or k), by a
channel count or by the image size, parameters for multiplications, biases
counted or forgotten, one layer of the bottleneck path alone, off by one.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..compute.core import format_significant
from ..compute.cost import bottleneck_cost, conv_cost
from .feedback import Feedback, Mistake, as_numbers, check_number, kind_of, not_answered

__all__ = ["check_bottleneck_cost", "check_bottleneck_crossover", "check_cost"]


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
        return not_answered(what)
    arr = as_numbers(answer)
    if arr is None or arr.size != 1 or isinstance(answer, (bool, np.bool_)):
        got = kind_of(answer) if arr is None or arr.size == 1 else f"an array of shape {arr.shape}"
        return Feedback(False, f"your {what} must be a single number of channels; got {got}.",
                        "compare the two costs for each B, or solve B × (C_in + k² × C_out) < k² × C_in × C_out for B.")
    value = float(arr.reshape(()))
    if not np.isfinite(value):
        return Feedback(False, f"your {what} is {value}, not a finite number of channels.",
                        "compare the two costs for each B, or solve B × (C_in + k² × C_out) < k² × C_in × C_out for B.")
    if abs(value) > 1000 * in_channels * out_channels:  # no cost worth writing out: far wider than any saving
        return Feedback(False, f"your {what} is more than 1,000 times C_in × C_out: far wider than any bottleneck "
                               "that saves multiplications.",
                        "solve B × (C_in + k² × C_out) < k² × C_in × C_out for B.")

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
