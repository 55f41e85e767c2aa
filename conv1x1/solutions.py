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
