"""Learning a 1×1 convolution from examples (lesson 08).

A 1×1 convolution without bias or ReLU is a linear map applied at every
pixel, so learning it from input pixels ``x`` (..., C) and targets ``y``
(..., F) is linear regression: :func:`fit_least_squares` solves it exactly,
:func:`fit_gradient_descent` the way a network is trained, on the mean
squared error :func:`mse_loss` with its gradient :func:`mse_gradient`.
NumPy only, like :mod:`conv1x1.compute.core`.
"""

from __future__ import annotations

import numbers
from typing import Any, NamedTuple

import numpy as np

from .core import format_significant
from .validate import as_real_array, check_int, short_repr

__all__ = ["GradientDescentFit", "fit_gradient_descent", "fit_least_squares", "mse_gradient", "mse_loss"]


def _pixel_rows(x: Any, y: Any, w: Any = None) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, bool]:
    """Check a learning problem and flatten it to pixel rows.

    ``x`` is (..., C); ``y`` is (..., F), or (...) for one filter; ``w`` is
    (C, F), or (C,) for one filter. Returns ``(X, Y, W, single)`` with X
    (P, C), Y (P, F), W (C, F) or None, and ``single`` True when ``y`` has
    no filter axis.
    """
    x = as_real_array(x, "x", dtype=np.float64)
    y = as_real_array(y, "y", dtype=np.float64)
    if x.ndim < 2:
        raise ValueError(
            f"x must hold pixels with a channel axis last: (H, W, C), (N, H, W, C) or (P, C); got shape {x.shape}"
        )
    lead, channels = x.shape[:-1], x.shape[-1]
    if y.shape == lead:
        single = True
    elif y.ndim == x.ndim and y.shape[:-1] == lead:
        single = False
    else:
        hint = ""
        if y.ndim == x.ndim and y.shape[1:] == lead:
            hint = "; y looks channels-first (F, H, W): move its channel axis last with np.moveaxis(y, 0, -1)"
        elif y.ndim == x.ndim and y.shape[:-1] == lead[::-1]:
            hint = "; y's height and width are swapped"
        raise ValueError(
            f"y must have one target per pixel and output channel: shape {lead + ('F',)} (or {lead} for one "
            f"filter) to match x of shape {x.shape}; got shape {y.shape}{hint}"
        )
    X = x.reshape(-1, channels)
    Y = y.reshape(-1, 1) if single else y.reshape(-1, y.shape[-1])
    if X.shape[0] == 0:
        raise ValueError(f"x must hold at least one pixel; got shape {x.shape}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(Y))):
        bad = "x" if not np.all(np.isfinite(X)) else "y"
        raise ValueError(f"{bad} must hold finite numbers; it has NaN or infinite values")
    W = None
    if w is not None:
        W = as_real_array(w, "w", dtype=np.float64)
        expected = (channels,) if single else (channels, Y.shape[1])
        if W.shape != expected:
            hint = ""
            if W.ndim == 2 and W.shape == expected[::-1]:
                hint = f"; w looks transposed: a bank is (C, F) = {expected}, try w.T"
            raise ValueError(f"w must have shape {expected} (C, F) for x with {channels} channels and y with "
                             f"{Y.shape[1]} output channel{'s' if Y.shape[1] != 1 else ''}; got shape "
                             f"{W.shape}{hint}")
        W = W.reshape(channels, -1)
    return X, Y, W, single


def mse_loss(x: Any, y: Any, w: Any) -> float:
    """Mean squared error of the 1×1 convolution ``x @ w`` against the target ``y``.

    ``L(w) = mean((x @ w - y)²)``, the mean over every pixel and output channel
    (what ``np.mean`` and PyTorch's ``MSELoss`` compute). No bias, no ReLU.

    Parameters
    ----------
    x : array_like, shape (..., C)
        Input pixels, channels last: (H, W, C), (N, H, W, C) or (P, C).
    y : array_like, shape (..., F), or (...) for one filter
        Target values, one per pixel and output channel.
    w : array_like, shape (C, F), or (C,) for one filter
        The filter bank.

    Returns
    -------
    float

    Raises
    ------
    ValueError, TypeError
        Shapes that do not match (with a hint for a transposed ``w`` or a
        channels-first ``y``), non-finite or non-numeric values.
    """
    X, Y, W, _ = _pixel_rows(x, y, w)
    residual = X @ W - Y
    return float(np.mean(residual * residual))


def mse_gradient(x: Any, y: Any, w: Any) -> np.ndarray:
    """Gradient of :func:`mse_loss` with respect to the weights.

    With X the (P, C) matrix of pixels and Y the (P, F) targets,
    ``L = ||X w - Y||² / (P F)`` and ``dL/dw = 2 Xᵀ (X w - Y) / (P F)``: entry
    ``[c, f]`` sums, over the pixels, input channel c times the error of
    output channel f.

    Parameters
    ----------
    x, y, w : array_like
        As in :func:`mse_loss`.

    Returns
    -------
    numpy.ndarray
        Same shape as ``w``: (C, F), or (C,) for one filter.
    """
    X, Y, W, single = _pixel_rows(x, y, w)
    grad = 2.0 * (X.T @ (X @ W - Y)) / Y.size
    return grad[:, 0] if single else grad


def fit_least_squares(x: Any, y: Any) -> np.ndarray:
    """The filter bank that best maps the input pixels to the targets (least squares).

    Solves ``min_w ||X w - Y||²`` exactly (``np.linalg.lstsq``): each output
    channel f is a linear regression of the target channel on the C input
    channels, over all pixels. With a target made by a filter bank and no
    noise, this recovers that bank (up to rounding).

    Parameters
    ----------
    x : array_like, shape (..., C)
        Input pixels, channels last: (H, W, C), (N, H, W, C) or (P, C).
    y : array_like, shape (..., F), or (...) for one filter
        Targets, one per pixel and output channel.

    Returns
    -------
    numpy.ndarray
        The (C, F) bank, or a (C,) filter when ``y`` has no channel axis.

    Raises
    ------
    ValueError
        Mismatched shapes, non-finite values, or pixels that do not determine
        the weights (fewer independent colours than channels, e.g. a grey
        image whose R, G and B are equal).

    Examples
    --------
    >>> x = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> fit_least_squares(x, x @ np.array([[2.0], [3.0]])).round(6).tolist()
    [[2.0], [3.0]]
    """
    X, Y, _, single = _pixel_rows(x, y)
    w, _, rank, _ = np.linalg.lstsq(X, Y, rcond=None)
    if rank < X.shape[1]:
        raise ValueError(
            f"the pixels of x span only {rank} of its {X.shape[1]} channel directions, so the weights are not "
            f"determined (x has {X.shape[0]} pixels; e.g. a grey image has R = G = B): use pixels with "
            f"more varied colours"
        )
    return w[:, 0] if single else w


class GradientDescentFit(NamedTuple):
    """The result of :func:`fit_gradient_descent`."""

    w: np.ndarray
    """The learned weights, (C, F) or (C,)."""
    losses: np.ndarray
    """The loss before each step and after the last: ``steps + 1`` values."""


def fit_gradient_descent(
    x: Any,
    y: Any,
    *,
    learning_rate: float,
    steps: int,
    w0: Any = None,
) -> GradientDescentFit:
    """Learn a filter bank by gradient descent on the mean squared error.

    Starting from ``w0`` (default zeros), repeat ``steps`` times::

        w = w - learning_rate * mse_gradient(x, y, w)

    which is what training a 1×1 convolution layer (no bias, no ReLU) with
    full-batch gradient descent does.

    Parameters
    ----------
    x : array_like, shape (..., C)
        Input pixels, channels last.
    y : array_like, shape (..., F), or (...) for one filter
        Targets.
    learning_rate : float
        Step size, > 0. Steps larger than ``2 / λ_max`` (λ_max the largest
        eigenvalue of ``2 XᵀX / (P F)``, the loss's curvature) diverge.
    steps : int
        Number of steps, >= 1.
    w0 : array_like, shape (C, F) or (C,), optional
        Starting weights; default zeros.

    Returns
    -------
    GradientDescentFit
        ``(w, losses)``: the learned weights and the loss history
        (``steps + 1`` values, the first at ``w0``).

    Raises
    ------
    ValueError, TypeError
        Bad shapes or values (as :func:`mse_loss`), a learning rate that is
        not a positive number or a step count that is not a positive integer,
        or a learning rate so large that the loss blows up (the message gives
        the largest stable one).
    """
    X, Y, W, single = _pixel_rows(x, y, w0)
    if isinstance(learning_rate, (bool, np.bool_)) or not isinstance(learning_rate, numbers.Real):
        raise TypeError(f"learning_rate must be a positive number; got {short_repr(learning_rate)}")
    if not (np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"learning_rate must be a positive number; got {learning_rate}")
    steps = check_int(steps, "steps")
    w = np.zeros((X.shape[1], Y.shape[1])) if W is None else W.copy()
    scale = 2.0 / Y.size
    # The loss is quadratic: steps above 2 / (largest curvature) grow it at every step, however slowly
    # at first, so say so before starting instead of after a slow blow-up.
    curvature = float(np.linalg.eigvalsh(scale * (X.T @ X)).max())
    if curvature > 0 and learning_rate > 2 / curvature:
        raise ValueError(
            f"learning_rate={learning_rate} is too large for this data: gradient descent diverges for steps "
            f"above 2 / {format_significant(curvature, 4)} = {format_significant(2 / curvature)} (the largest "
            f"curvature of the loss), the loss growing at every step; use a smaller learning_rate"
        )
    # The same steps, computed from the C × C and C × F sums that X w - Y expands into, read once from the
    # pixels: a step then costs C × C × F multiplications instead of two passes over every pixel (lesson 08's
    # 800 steps on a 600 × 512 photo: 22 s -> a few ms). ||X w - Y||² = Σ w·(XᵀX w) - 2 Σ w·(XᵀY) + ||Y||².
    gram, cross, total = X.T @ X, X.T @ Y, float(np.sum(Y * Y))
    losses = np.empty(steps + 1)
    for step in range(steps + 1):
        xw = gram @ w
        losses[step] = max(float(np.sum(w * xw) - 2 * np.sum(w * cross) + total), 0.0) / Y.size
        if not np.isfinite(losses[step]):
            raise ValueError(f"gradient descent diverged: the loss became {losses[step]} after {step} steps; "
                             f"use a smaller learning_rate than {learning_rate}")
        if step < steps:
            w -= learning_rate * scale * (xw - cross)
    return GradientDescentFit(w[:, 0] if single else w, losses)
