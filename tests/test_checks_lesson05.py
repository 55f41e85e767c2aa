"""Lesson 05's exercise checks: typical wrong answers get the hint aimed at them."""

from __future__ import annotations

import numpy as np
import pytest

from conv1x1 import checks, colour_mix, conv1x1, solutions
from conv1x1.data import load_photo, pillow_grey

GREY = solutions.grey_filter()
SWAP = solutions.swap_red_blue()
ROTATE = solutions.rotate_channels()


def test_lesson05_exercises_are_listed_with_solutions():
    names = {e.name for e in solutions.EXERCISES if e.lesson == "05"}
    assert {"grey_filter", "swap_red_blue", "rotate_channels", "loss_gradient", "learn_grey_filter"} <= names


# -- colour filters ----------------------------------------------------------------------------------------
def test_grey_filter_right_and_unanswered():
    assert checks.check_colour_mix([0.299, 0.587, 0.114], "grey filter")
    fb = checks.check_colour_mix(..., "grey filter")
    assert not fb.answered and "Not answered yet" in str(fb)


@pytest.mark.parametrize("answer, message, hint", [
    ([0.114, 0.587, 0.299], "order B, G, R", "index 0 is red"),
    ([29.9, 58.7, 11.4], "percentages", "0.299"),
    ([1 / 3, 1 / 3, 1 / 3], "plain average", "green"),
    ([[0.299], [0.587], [0.114]], "extra axis: shape (3, 1)", ".ravel()"),
    ([[0.299, 0.587, 0.114]], "row of shape (1, 3)", ".ravel()"),
    (colour_mix("grey"), "3 → 3 bank", "single filter"),
    ([0.3, 0.6, 0.2], "values differ", ""),
])
def test_grey_filter_mistakes(answer, message, hint):
    fb = checks.check_colour_mix(answer, "grey filter")
    assert not fb and message in fb.message, fb
    assert hint in fb.hint


def test_swap_red_blue_right_and_wrong():
    assert checks.check_colour_mix(SWAP, "swap red and blue")
    assert checks.check_colour_mix(SWAP.T, "swap red and blue"), "a swap is its own transpose: both are right"
    fb = checks.check_colour_mix(np.eye(3), "swap red and blue")
    assert not fb and "identity" in fb.message
    swap_red_green = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1.0]])
    fb = checks.check_colour_mix(swap_red_green, "swap red and blue")
    assert not fb and "column f = 0, the filter making output R" in fb.message
    assert "output R = R×0 + G×1 + B×0" in fb.message
    assert "'swap red and blue'" in fb.hint


def test_transposed_matrix_gets_the_transposed_hint():
    fb = checks.check_colour_mix(ROTATE.T, "rotate channels")
    assert not fb and "transposed" in fb.message and "Use .T" in fb.hint
    fb = checks.check_colour_mix(colour_mix("sepia").T, "sepia")
    assert not fb and "transposed" in fb.message


def test_reversed_channels_in_a_bank():
    sepia = colour_mix("sepia")
    fb = checks.check_colour_mix(sepia[::-1, ::-1], "sepia")
    assert not fb and "B, G, R" in fb.message


def test_colour_mix_unknown_task():
    with pytest.raises(ValueError, match=r"task must be one of \[.*'rotate channels'.*\]; got 'rotate'"):
        checks.check_colour_mix(ROTATE, "rotate")


# -- the gradient ------------------------------------------------------------------------------------------
X = load_photo()[::100, ::100]
Y = conv1x1(X, colour_mix("sepia"))
W = np.eye(3)
GRAD = solutions.loss_gradient(X, Y, W)


def test_gradient_right():
    assert checks.check_gradient(GRAD, X, Y, W)


@pytest.mark.parametrize("answer, message", [
    (GRAD / 2, "factor 2"),
    (-GRAD, "sign is flipped"),
    (GRAD * Y.size, "sum of squares"),
    (GRAD * 3, "not over the output channels"),
    (GRAD.T, "transposed"),
    (conv1x1(X, W) - Y, "product with the inputs is missing"),
])
def test_gradient_mistakes(answer, message):
    fb = checks.check_gradient(answer, X, Y, W)
    assert not fb and message in fb.message, fb


# -- least squares ------------------------------------------------------------------------------------------
PHOTO = load_photo()[::4, ::4]
GREY_TARGET = pillow_grey()[::4, ::4]
LEARNED = solutions.learn_grey_filter(PHOTO, GREY_TARGET)


def test_learned_filter_right():
    assert checks.check_learned_bank(LEARNED, PHOTO, GREY_TARGET)
    X2 = PHOTO.reshape(-1, 3)
    normal_equations = np.linalg.solve(X2.T @ X2, X2.T @ GREY_TARGET.ravel())
    assert checks.check_learned_bank(normal_equations, PHOTO, GREY_TARGET), "another correct way"


def test_learned_filter_mistakes():
    X2, y2 = PHOTO.reshape(-1, 3), GREY_TARGET.reshape(-1)
    fb = checks.check_learned_bank(np.linalg.lstsq(X2, y2, rcond=None), PHOTO, GREY_TARGET)
    assert not fb and "tuple of 4" in fb.message and "[0]" in fb.hint
    fb = checks.check_learned_bank(LEARNED[:, None], PHOTO, GREY_TARGET)
    assert not fb and "extra axis" in fb.message
    fb = checks.check_learned_bank(np.round(LEARNED, 2), PHOTO, GREY_TARGET)
    assert not fb and "close" in fb.message and "lstsq" in fb.hint
    fb = checks.check_learned_bank([1.0, 0.0, 0.0], PHOTO, GREY_TARGET)
    assert not fb and "values differ" in fb.message


def test_learned_bank_backwards_and_transposed():
    x = load_photo()[::10, ::10]
    hidden = np.array([[0.6, 0.1, -0.2], [0.3, 0.7, 0.2], [-0.1, 0.1, 0.9]])
    y = conv1x1(x, hidden)
    assert checks.check_learned_bank(hidden, x, y)
    fb = checks.check_learned_bank(hidden.T, x, y)
    assert not fb and "transposed" in fb.message
    fb = checks.check_learned_bank(np.linalg.inv(hidden), x, y)
    assert not fb and "wrong way round" in fb.message
