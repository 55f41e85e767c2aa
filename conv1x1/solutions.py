"""Reference solutions to the exercises, written the way a learner would.

Each function takes the exercise's data and returns the answer; the tests
pass them through :mod:`conv1x1.checks` (they must be marked correct), so no
solution goes untested. :data:`EXERCISES` lists every exercise in the order
the notebooks pose them: which lesson (``"01"`` for
``notebooks/01-*.ipynb``), the data, the check and the solution. A notebook's
exercise cell builds the same data from the package, ends with
``answer = ...  # your code here`` and calls the check as
``checks.check_...(answer, **data)``.

A teacher can withhold them (docs/teachers.md, "Without the reference solutions"): with ``CONV1X1_SOLUTIONS=withheld``
in the environment, importing this module raises ImportError saying so; a handout made
by ``python -m conv1x1.teach handout`` replaces this file. The checks never use it.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import numpy as np

from .teach import WITHHELD_BY_SWITCH, solutions_withheld

if solutions_withheld():
    raise ImportError(WITHHELD_BY_SWITCH)

from . import checks  # noqa: E402  (after the switch: a withheld import stops above)
from .compute.core import example_filters, example_volume, lecture_image  # noqa: E402


class Exercise(NamedTuple):
    """One exercise: its lesson, its data, how it is checked and solved."""

    lesson: str
    name: str
    data: dict[str, Any]
    check: Callable[..., checks.Feedback]
    solve: Callable[..., Any]


# -- lesson 01: one channel -----------------------------------------------------------------
def triple(image: np.ndarray) -> np.ndarray:
    """01.1: the image convolved with the 1×1 filter [3]: every value times 3."""
    return image * 3.0


def invert_with_bias(image: np.ndarray) -> np.ndarray:
    """01.2: weight -1, bias 9, ReLU: 9 − x, clipped at 0 (the lecture image's values are 1..9, so none is)."""
    return np.maximum(image * -1.0 + 9.0, 0)


def shift_with_bias(image: np.ndarray) -> np.ndarray:
    """01.3: filter [1] with bias -4 and ReLU: keeps only what is above 4."""
    return np.maximum(image * 1.0 - 4, 0)


def _lesson01_image() -> np.ndarray:
    return lecture_image()[:, :, None].astype(float)


# -- lesson 02: many channels ---------------------------------------------------------------
def one_pixel(x: np.ndarray, w: np.ndarray, i: int, j: int, b: float) -> float:
    """02.1: one output value by hand: dot product of the pixel's column with the filter, plus bias, ReLU."""
    column = x[i, j, :]
    return max(float(np.sum(column * w)) + b, 0.0)


def whole_volume(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """02.2: the whole (H, W, F) output at once: ``@`` takes the dot product over x's last axis at every pixel."""
    return np.maximum(x @ w + b, 0)


#: 02.1's pixel: its output, 10.1, is positive, so only the right dot product passes (at a pixel whose
#: output is 0, any computation that came out negative would pass too).
ONE_PIXEL = (1, 4)

def _trained_torch_weight() -> np.ndarray:
    """05.2: an nn.Conv2d(5, 3, kernel_size=1).weight, (F, C, 1, 1), made so that the cell does not show its answer."""
    return np.round(np.random.default_rng(6).uniform(-1, 1, (3, 5, 1, 1)), 1)


EXERCISES: list[Exercise] = [
    Exercise("01", "triple", {"x": _lesson01_image(), "w": [3.0]},
             checks.check_conv_output, lambda x, w: triple(x[:, :, 0])),
    Exercise("01", "invert_with_bias", {"x": _lesson01_image(), "w": [-1.0], "b": 9.0, "activation": "relu"},
             checks.check_conv_output, lambda x, w, b, activation: invert_with_bias(x[:, :, 0])),
    Exercise("01", "shift_with_bias", {"x": _lesson01_image(), "w": [1.0], "b": -4.0, "activation": "relu"},
             checks.check_conv_output, lambda x, w, b, activation: shift_with_bias(x[:, :, 0])),
    Exercise("02", "one_pixel", {"x": example_volume(), "w": example_filters(32, 4)[:, 0],
                                 "i": ONE_PIXEL[0], "j": ONE_PIXEL[1], "b": 0.5},
             checks.check_pixel, one_pixel),
    Exercise("02", "whole_volume", {"x": example_volume(), "w": example_filters(32, 4),
                                    "b": np.array([0.5, -1.0, 0.0, 2.0]), "activation": "relu"},
             checks.check_conv_output, lambda x, w, b, activation: whole_volume(x, w, b)),
]


# -- lesson 03: shrinking channels, and what a convolution costs ----------------------------
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


# -- lesson 04: the bottleneck --------------------------------------------------------------
def bottleneck_multiplications(height: int, width: int, in_channels: int, out_channels: int, kernel_size: int,
                               bottleneck: int) -> int:
    """04.1: the 1×1 layer C_in → B plus the k×k layer B → C_out, both at every pixel."""
    reduce = height * width * bottleneck * in_channels
    conv = height * width * out_channels * kernel_size * kernel_size * bottleneck
    return reduce + conv


def bottleneck_crossover(height: int, width: int, in_channels: int, out_channels: int, kernel_size: int) -> int:
    """04.2: the widest B whose path (1×1 then k×k) still needs fewer multiplications than the direct k×k.

    The path costs H·W·B·(C_in + k²·C_out), growing with B; try wider and
    wider bottlenecks while the next one is still cheaper.
    """
    direct = height * width * out_channels * kernel_size * kernel_size * in_channels
    widest = 0
    while bottleneck_multiplications(height, width, in_channels, out_channels, kernel_size, widest + 1) < direct:
        widest += 1
    return widest


# -- lesson 05: one operation, many names ---------------------------------------------------
def einsum_batch(x: np.ndarray, w: np.ndarray) -> str:
    """05.1: the subscripts for a batch (N, H, W, C) times (C, F): c is summed, everything else kept."""
    return "nhwc,cf->nhwf"


def torch_to_ours(w_framework: np.ndarray, framework: str = "pytorch") -> np.ndarray:
    """05.2: PyTorch's Conv2d weight is (F, C, 1, 1): drop the two 1×1 axes, then transpose to our (C, F)."""
    return w_framework[:, :, 0, 0].T


# -- lesson 06: Network in Network: stacking 1×1 layers -------------------------------------
def collapse_three_filters(w_a: np.ndarray, w_b: np.ndarray, w_c: np.ndarray) -> np.ndarray:
    """06.1: ((x @ w_a) @ w_b) @ w_c = x @ (w_a @ w_b @ w_c): three linear 1×1 layers are one, (6, 2)."""
    return w_a @ w_b @ w_c


def collapse_three_bias(ws: list[np.ndarray], bs: list[np.ndarray]) -> np.ndarray:
    """06.2: each bias passes through the layers after it: ((b_a @ w_b + b_b) @ w_c + b_c)."""
    w_a, w_b, w_c = ws
    b_a, b_b, b_c = bs
    return (b_a @ w_b + b_b) @ w_c + b_c


def narrow_rank(ws: list[np.ndarray]) -> int:
    """06.3: 6 → 2 → 6 collapses to a 6×6 matrix, but everything passed through 2 channels: rank 2."""
    w_down, w_up = ws
    return int(np.linalg.matrix_rank(w_down @ w_up))


def _lesson05_batch() -> np.ndarray:
    return np.stack([example_volume(3, 4, 5, seed=0), example_volume(3, 4, 5, seed=1)])


def _lesson06_layers() -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Three 1×1 layers 6 → 4 → 3 → 2 (no ReLU) and their biases: the data of 06.1 and 06.2."""
    ws = [example_filters(6, 4, seed=2), example_filters(4, 3, seed=3), example_filters(3, 2, seed=7)]
    bs = [np.array([0.5, 0.9, 0.8, 0.0]), np.array([0.4, 0.6, -1.0]), np.array([0.5, -0.4])]
    return ws, bs


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
    Exercise("04", "bottleneck_multiplications", {"height": 28, "width": 28, "in_channels": 256,
                                                  "out_channels": 128, "kernel_size": 3, "bottleneck": 32},
             checks.check_bottleneck_cost, bottleneck_multiplications),
    Exercise("04", "bottleneck_crossover", {"height": 28, "width": 28, "in_channels": 256,
                                            "out_channels": 128, "kernel_size": 3},
             checks.check_bottleneck_crossover, bottleneck_crossover),
    Exercise("05", "einsum_batch", {"x": _lesson05_batch(), "w": example_filters(5, 6)},
             checks.check_einsum, einsum_batch),
    Exercise("05", "torch_to_ours", {"w_framework": _trained_torch_weight(),
                                     "framework": "pytorch"},
             checks.check_from_framework_weights, torch_to_ours),
    Exercise("06", "collapse_three_filters", dict(zip(("w_a", "w_b", "w_c"), _lesson06_layers()[0])),
             lambda answer, w_a, w_b, w_c: checks.check_collapsed_filters(answer, w_a, w_b, w_c),
             collapse_three_filters),
    Exercise("06", "narrow_rank", {"ws": [example_filters(6, 2, seed=9), example_filters(2, 6, seed=10)]},
             checks.check_rank, narrow_rank),
    # optional, in the lesson's 'going further' section
    Exercise("06", "collapse_three_bias", dict(zip(("ws", "bs"), _lesson06_layers())),
             checks.check_collapsed_bias, collapse_three_bias),
]


# -- lesson 07: colour mixing is a 1×1 convolution ------------------------------------------
def grey709_as_3x3(task: str = "grey BT.709") -> np.ndarray:
    """07.1: every column is the BT.709 filter, so every output channel is the same grey: still 3 channels."""
    grey = np.array([0.2126, 0.7152, 0.0722])
    return np.column_stack([grey, grey, grey])


def rotate_channels(task: str = "rotate channels") -> np.ndarray:
    """07.2: column f is the filter for output f: output R takes G, output G takes B, output B takes R."""
    w = np.zeros((3, 3))
    w[1, 0] = 1.0       # input G -> output R
    w[2, 1] = 1.0       # input B -> output G
    w[0, 2] = 1.0       # input R -> output B
    return w


# -- lesson 08: learning a 1×1 layer --------------------------------------------------------
def loss_gradient(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """08.1: L = mean((X w − Y)²) over all P·F values, so dL/dw = 2 Xᵀ(X w − Y) / (P·F)."""
    X = x.reshape(-1, x.shape[-1])
    Y = y.reshape(-1, w.shape[1])
    return 2 * X.T @ (X @ w - Y) / Y.size


def pillow_filter(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """08.2: least squares over all pixels: the filter that best turns the colours into Pillow's grey.

    It comes out as BT.601's [0.299, 0.587, 0.114] to within 0.0005, far
    from BT.709's [0.2126, 0.7152, 0.0722].
    """
    X = x.reshape(-1, 3)
    return np.linalg.lstsq(X, y.reshape(-1), rcond=None)[0]


def _lesson08_patch() -> tuple[np.ndarray, np.ndarray]:
    """Every 100th row and column of the photo (6×6×3), and its sepia version: data for 08.1."""
    from .compute.core import colour_mix, conv1x1
    from .compute.data import load_photo

    x = load_photo()[::100, ::100]
    return x, conv1x1(x, colour_mix("sepia"))


def _lesson08_grey_pair() -> dict[str, np.ndarray]:
    from .compute.data import load_photo, pillow_grey

    return {"x": load_photo(), "y": pillow_grey()}


EXERCISES += [
    Exercise("07", "grey709_as_3x3", {"task": "grey BT.709"}, checks.check_colour_mix, grey709_as_3x3),
    Exercise("07", "rotate_channels", {"task": "rotate channels"}, checks.check_colour_mix, rotate_channels),
    Exercise("08", "pillow_filter", dict(_lesson08_grey_pair(), candidates=checks.GREY_STANDARDS),
             checks.check_learned_bank, lambda x, y, candidates: pillow_filter(x, y)),
    # optional, in the lesson's 'going further' section
    Exercise("08", "gradient", dict(zip(("x", "y"), _lesson08_patch()), w=np.eye(3)),
             checks.check_gradient, loss_gradient),
]


# -- lessons 09 and 10: depthwise-separable layers, MobileNet -----------------------------
def separable_multiplications(height: int, width: int, in_channels: int, out_channels: int, kernel_size: int,
                              stride: int) -> int:
    """10.1: the depthwise k×k runs at the output's pixels (stride 2 halves them), then the 1×1 there too."""
    out_h, out_w = -(-height // stride), -(-width // stride)
    depthwise = out_h * out_w * in_channels * kernel_size * kernel_size
    pointwise = out_h * out_w * in_channels * out_channels
    return depthwise + pointwise


def layer_roles(layers: dict) -> dict:
    """09.1: a layer mixes channels when each filter reads several channels (C_in / g > 1); it sees
    neighbours when its kernel is larger than 1×1."""
    return {"mixes channels": "".join(n for n, s in layers.items() if s["in_channels"] // s["groups"] > 1),
            "sees neighbours": "".join(n for n, s in layers.items() if s["kernel_size"] > 1)}


def cost_ratio(in_channels: int, out_channels: int, kernel_size: int) -> float:
    """09.2: (H W C_in k² + H W C_in C_out) / (H W C_in C_out k²) = 1/C_out + 1/k²."""
    return 1 / out_channels + 1 / kernel_size**2


#: 09.1's four layers: A standard 3×3, B depthwise 3×3, C pointwise 1×1, D depthwise 1×1.
LAYERS_09 = {
    "A": {"in_channels": 32, "out_channels": 64, "kernel_size": 3, "groups": 1},
    "B": {"in_channels": 32, "out_channels": 32, "kernel_size": 3, "groups": 32},
    "C": {"in_channels": 32, "out_channels": 64, "kernel_size": 1, "groups": 1},
    "D": {"in_channels": 32, "out_channels": 32, "kernel_size": 1, "groups": 32},
}

EXERCISES += [
    Exercise("09", "layer_roles", {"layers": LAYERS_09}, checks.check_layer_roles, layer_roles),
    Exercise("09", "cost_ratio", {"in_channels": 128, "out_channels": 256, "kernel_size": 3},
             checks.check_cost_ratio, cost_ratio),
    Exercise("10", "separable_multiplications", {"height": 40, "width": 40, "in_channels": 128, "out_channels": 256,
                                                 "kernel_size": 3, "stride": 2},
             checks.check_separable_cost, separable_multiplications),
]
