"""Reference solutions to the exercises, written the way a learner would.

Each function takes the exercise's data and returns the answer; the tests
pass them through :mod:`conv1x1.checks` (they must be marked correct), so no
solution goes untested. :data:`EXERCISES` lists every exercise: which lesson,
the data, the check and the solution.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import numpy as np

from . import checks
from .core import example_filters, example_volume, lecture_image


class Exercise(NamedTuple):
    """One exercise: its lesson, its data, how it is checked and solved."""

    lesson: str
    name: str
    data: dict[str, Any]
    check: Callable[..., checks.Feedback]
    solve: Callable[..., Any]


# -- lesson 01 --------------------------------------------------------------
def triple(image: np.ndarray) -> np.ndarray:
    """01.1: the image convolved with the 1×1 filter [3]: every value times 3."""
    return image * 3.0


def negative_then_relu(image: np.ndarray) -> np.ndarray:
    """01.2: the filter [-1.5] followed by ReLU: all zeros for a non-negative image."""
    return np.maximum(image * -1.5, 0)


def shift_with_bias(image: np.ndarray) -> np.ndarray:
    """01.3: filter [1] with bias -4 and ReLU: keeps only what is above 4."""
    return np.maximum(image * 1.0 - 4, 0)


# -- lesson 02 --------------------------------------------------------------
def one_pixel(x: np.ndarray, w: np.ndarray, i: int, j: int, b: float) -> float:
    """02.1: one output value by hand: dot product of the pixel's column with the filter, plus bias, ReLU."""
    column = x[i, j, :]
    return max(float(np.sum(column * w)) + b, 0.0)


def whole_volume(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """02.2: the whole (H, W, F) output: one matrix product over all pixels."""
    height, width, channels = x.shape
    out = x.reshape(height * width, channels) @ w + b
    return np.maximum(out, 0).reshape(height, width, w.shape[1])


def _lesson01_image() -> np.ndarray:
    return lecture_image()[:, :, None].astype(float)


EXERCISES: list[Exercise] = [
    Exercise("01", "triple", {"x": _lesson01_image(), "w": [3.0]},
             checks.check_conv_output, lambda x, w: triple(x[:, :, 0])),
    Exercise("01", "negative_then_relu", {"x": _lesson01_image(), "w": [-1.5], "activation": "relu"},
             checks.check_conv_output, lambda x, w, activation: negative_then_relu(x[:, :, 0])),
    Exercise("01", "shift_with_bias", {"x": _lesson01_image(), "w": [1.0], "b": -4.0, "activation": "relu"},
             checks.check_conv_output, lambda x, w, b, activation: shift_with_bias(x[:, :, 0])),
    Exercise("02", "one_pixel", {"x": example_volume(), "w": example_filters(32), "i": 1, "j": 3, "b": 0.5},
             checks.check_pixel, one_pixel),
    Exercise("02", "whole_volume", {"x": example_volume(), "w": example_filters(32, 4),
                                   "b": np.array([0.5, -1.0, 0.0, 2.0]), "activation": "relu"},
             checks.check_conv_output, lambda x, w, b, activation: whole_volume(x, w, b)),
]


# -- lesson 03 --------------------------------------------------------------
def shrink_channels(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """03.1: 8×8×12 → 8×8×3 with three 1×1×12 filters and ReLU: reshape, multiply, reshape back."""
    height, width, channels = x.shape
    return np.maximum(x.reshape(-1, channels) @ w, 0).reshape(height, width, w.shape[1])


def conv_multiplications(height: int, width: int, in_channels: int, out_channels: int, kernel_size: int,
                         **_: Any) -> int:
    """03.2: every one of the H·W·C_out outputs is a dot product of length k·k·C_in."""
    return height * width * out_channels * (kernel_size * kernel_size * in_channels)


def conv_parameters(height: int, width: int, in_channels: int, out_channels: int, kernel_size: int,
                    **_: Any) -> int:
    """03.3: k·k·C_in weights per filter, C_out filters, one bias each; H and W do not matter."""
    return kernel_size * kernel_size * in_channels * out_channels + out_channels


def bottleneck_multiplications(height: int, width: int, in_channels: int, out_channels: int, kernel_size: int,
                               bottleneck: int) -> int:
    """03.4: the 1×1 layer C_in → B plus the k×k layer B → C_out, both at every pixel."""
    reduce = height * width * bottleneck * in_channels
    conv = height * width * out_channels * kernel_size * kernel_size * bottleneck
    return reduce + conv


# -- lesson 04 --------------------------------------------------------------
def einsum_batch(x: np.ndarray, w: np.ndarray) -> str:
    """04.1: the subscripts for a batch (N, H, W, C) times (C, F): c is summed, everything else kept."""
    return "nhwc,cf->nhwf"


def collapse_filters(w1: np.ndarray, w2: np.ndarray) -> np.ndarray:
    """04.2: (x @ w1) @ w2 = x @ (w1 @ w2): two linear 1×1 layers are one."""
    return w1 @ w2


def collapse_bias(w2: np.ndarray, b1: np.ndarray, b2: np.ndarray) -> np.ndarray:
    """04.3: (x @ w1 + b1) @ w2 + b2 = x @ (w1 @ w2) + (b1 @ w2 + b2)."""
    return b1 @ w2 + b2


def pytorch_weights(w: np.ndarray, framework: str = "pytorch") -> np.ndarray:
    """04.4: PyTorch's nn.Conv2d wants (F, C, 1, 1): transpose, then add the two 1×1 axes."""
    return w.T[:, :, None, None]


def _lesson04_batch() -> np.ndarray:
    return np.stack([example_volume(3, 4, 5, seed=0), example_volume(3, 4, 5, seed=1)])


EXERCISES += [
    Exercise("03", "shrink_channels", {"x": example_volume(8, 8, 12, seed=3), "w": example_filters(12, 3, seed=4),
                                      "activation": "relu"},
             checks.check_conv_output, lambda x, w, activation: shrink_channels(x, w)),
    Exercise("03", "conv_multiplications", {"height": 14, "width": 14, "in_channels": 64, "out_channels": 128,
                                           "kernel_size": 3, "quantity": "multiplications"},
             checks.check_cost, conv_multiplications),
    Exercise("03", "conv_parameters", {"height": 56, "width": 56, "in_channels": 256, "out_channels": 64,
                                      "kernel_size": 1, "quantity": "parameters"},
             checks.check_cost, conv_parameters),
    Exercise("03", "bottleneck_multiplications", {"height": 28, "width": 28, "in_channels": 256,
                                                 "out_channels": 128, "kernel_size": 3, "bottleneck": 32},
             checks.check_bottleneck_cost, bottleneck_multiplications),
    Exercise("04", "einsum_batch", {"x": _lesson04_batch(), "w": example_filters(5, 6)},
             checks.check_einsum, einsum_batch),
    Exercise("04", "collapse_filters", {"w1": example_filters(6, 4, seed=2), "w2": example_filters(4, 3, seed=3)},
             checks.check_collapsed_filters, collapse_filters),
    Exercise("04", "collapse_bias", {"w2": example_filters(4, 3, seed=3), "b1": example_filters(4, seed=4),
                                    "b2": example_filters(3, seed=5)},
             checks.check_collapsed_bias, collapse_bias),
    Exercise("04", "pytorch_weights", {"w": example_filters(5, 3, seed=6), "framework": "pytorch"},
             checks.check_framework_weights, pytorch_weights),
]


# -- lesson 05 --------------------------------------------------------------
def grey_filter(task: str = "grey filter") -> np.ndarray:
    """05.1: one filter, 3 → 1 channel: BT.601 luma weights in the order R, G, B."""
    return np.array([0.299, 0.587, 0.114])


def swap_red_blue(task: str = "swap red and blue") -> np.ndarray:
    """05.2: output R takes input B (w[2, 0] = 1), G stays (w[1, 1] = 1), output B takes input R (w[0, 2] = 1)."""
    w = np.zeros((3, 3))
    w[2, 0] = 1.0
    w[1, 1] = 1.0
    w[0, 2] = 1.0
    return w


def rotate_channels(task: str = "rotate channels") -> np.ndarray:
    """05.3: column f is the filter for output f: output R takes G, output G takes B, output B takes R."""
    w = np.zeros((3, 3))
    w[1, 0] = 1.0       # input G -> output R
    w[2, 1] = 1.0       # input B -> output G
    w[0, 2] = 1.0       # input R -> output B
    return w


def loss_gradient(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """05.4: L = mean((X w − Y)²) over all P·F values, so dL/dw = 2 Xᵀ(X w − Y) / (P·F)."""
    X = x.reshape(-1, x.shape[-1])
    Y = y.reshape(-1, w.shape[1])
    return 2 * X.T @ (X @ w - Y) / Y.size


def learn_grey_filter(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """05.5: least squares over all pixels: the filter that best turns the colours into Pillow's grey."""
    X = x.reshape(-1, 3)
    return np.linalg.lstsq(X, y.reshape(-1), rcond=None)[0]


def _lesson05_patch() -> tuple[np.ndarray, np.ndarray]:
    """Every 100th row and column of the photo (6×6×3), and its sepia version: data for 05.4."""
    from .core import colour_mix, conv1x1
    from .data import load_photo

    x = load_photo()[::100, ::100]
    return x, conv1x1(x, colour_mix("sepia"))


def _lesson05_grey_pair() -> dict[str, np.ndarray]:
    from .data import load_photo, pillow_grey

    return {"x": load_photo(), "y": pillow_grey()}


EXERCISES += [
    Exercise("05", "grey_filter", {"task": "grey filter"}, checks.check_colour_mix, grey_filter),
    Exercise("05", "swap_red_blue", {"task": "swap red and blue"}, checks.check_colour_mix, swap_red_blue),
    Exercise("05", "rotate_channels", {"task": "rotate channels"}, checks.check_colour_mix, rotate_channels),
    Exercise("05", "loss_gradient", dict(zip(("x", "y"), _lesson05_patch()), w=np.eye(3)),
             checks.check_gradient, loss_gradient),
    Exercise("05", "learn_grey_filter", _lesson05_grey_pair(), checks.check_learned_bank, learn_grey_filter),
]
