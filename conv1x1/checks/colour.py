"""Checks of lessons 07 and 08: colour mixes on a photo, and learning a 1×1 layer.

:func:`check_colour_mix` checks a colour filter or 3 → 3 mix written for one
of :data:`COLOUR_TASKS` (channels in B, G, R order, percentages, the other
grey standard of :data:`GREY_STANDARDS`, a transposed bank);
:func:`check_gradient` the gradient of the mean squared error;
:func:`check_learned_bank` weights learned by least squares, told which
grey standard they are closest to.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ..compute.core import COLOUR_MIXES, GREY_FILTER, conv1x1, format_significant
from ..compute.learn import fit_least_squares, mse_gradient
from .feedback import Feedback, Mistake, as_numbers, check_array, matches

__all__ = ["COLOUR_TASKS", "GREY_STANDARDS", "check_colour_mix", "check_gradient", "check_learned_bank"]

_RGB = ("R", "G", "B")

#: The two standard grey (luma) filters, R, G, B weights: SDTV's BT.601 (:data:`conv1x1.compute.core.GREY_FILTER`,
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
        or a preset of :data:`conv1x1.compute.core.COLOUR_MIXES` such as
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
    arr = as_numbers(answer) if answer is not Ellipsis and answer is not None else None
    if (feedback.correct or arr is None or arr.shape != expected.shape or expected.ndim != 2
            or any(m.value is not None and matches(arr, m.value, 1e-3, 1e-3) for m in mistakes)):
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
        The expected answer is :func:`conv1x1.compute.learn.fit_least_squares` of ``x``
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
    arr = as_numbers(answer) if feedback.answered else None
    if feedback.correct and named:
        return Feedback(True, _closest_candidate(arr, named))
    if (arr is not None and not feedback.correct and arr.shape == expected.shape
            and np.allclose(arr, expected, atol=0.05)
            and not any(m.value is not None and matches(arr, m.value, 1e-6, 1e-6) for m in mistakes)):
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
