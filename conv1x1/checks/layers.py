"""Checks of lessons 05 and 06: one operation under many names, and stacked 1×1 layers.

Lesson 05: an ``np.einsum`` subscripts string (:func:`check_einsum`), and our
``(C, F)`` bank written in a framework's layout and back
(:func:`check_framework_weights`, :func:`check_from_framework_weights`: a
reshape in place of a transpose, the other frameworks' layouts).

Lesson 06: 1×1 layers without ReLU between them collapse into one; the
single layer's matrix (:func:`check_collapsed_filters`), its bias
(:func:`check_collapsed_bias`) and its rank (:func:`check_rank`).
"""

from __future__ import annotations

import itertools
from typing import Any, Sequence

import numpy as np

from ..compute.core import conv1x1, format_significant, format_significant_pair
from ..compute.export import FRAMEWORKS, check_framework, framework_weights, weight_shape
from .feedback import Feedback, Mistake, as_numbers, check_array, kind_of, not_answered

__all__ = ["check_collapsed_bias", "check_collapsed_filters", "check_einsum", "check_framework_weights",
           "check_from_framework_weights", "check_rank"]


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
        return not_answered("subscripts string")
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
    :func:`conv1x1.compute.export.framework_weights`. Recognises a reshape used in
    place of a transpose (right shape, scrambled weights) and the other
    frameworks' layouts.
    """
    w = np.asarray(w, dtype=float)
    if w.ndim != 2:
        raise ValueError(f"w must be a filter bank (C, F); got shape {w.shape}")
    expected = framework_weights(w, framework)
    name = framework.lower()
    C, F = w.shape
    layers = {"pytorch": "PyTorch's nn.Conv2d", "pytorch-linear": "PyTorch's nn.Linear", "keras": "Keras's Conv2D"}
    target = f"{layers[name]} layout {weight_shape(name, C, F)}"
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
                mistakes.append(Mistake(value, f"this is {layers[other]} layout {value.shape}; "
                                               f"the exercise asks for {target}.",
                                        f"for {layers[name]} the order is: {order}."))
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
    name = check_framework(framework)
    wf = np.asarray(w_framework, dtype=float)
    shape = {"pytorch": "(F, C, 1, 1)", "pytorch-linear": "(F, C)", "keras": "(1, 1, C, F)"}[name]
    fits = {"pytorch": wf.ndim == 4 and wf.shape[2:] == (1, 1), "pytorch-linear": wf.ndim == 2,
            "keras": wf.ndim == 4 and wf.shape[:2] == (1, 1)}[name]
    if not fits:
        raise ValueError(f"w_framework must be {name}'s layout {shape}; got shape {wf.shape}")
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
        return not_answered(what)
    if isinstance(answer, (bool, np.bool_)):
        return Feedback(False, f"your answer is {answer}; the question asks for a number, the rank, from which the "
                               "yes-or-no question follows.", "np.linalg.matrix_rank(the collapsed matrix).")
    arr = as_numbers(answer)
    if arr is None or arr.size != 1:
        got = kind_of(answer) if arr is None else f"an array of shape {arr.shape}"
        looks = " (a matrix, perhaps the collapsed matrix itself)" if arr is not None and arr.ndim == 2 else ""
        return Feedback(False, f"your answer is {got}{looks}; the question asks for its rank, a single number.",
                        "np.linalg.matrix_rank(...) of the collapsed matrix gives it.")
    value = float(arr.reshape(()))
    if not np.isfinite(value):
        return Feedback(False, f"your rank is {value}, not a finite number; a rank counts independent columns.",
                        "np.linalg.matrix_rank(...) of the collapsed matrix gives it: a whole number.")
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
