"""Exercise checks: solutions pass, typical mistakes get the hint aimed at them."""

from __future__ import annotations

import numpy as np
import pytest

from conv1x1 import checks, conv1x1, example_filters, example_volume, lecture_image, solutions

EXERCISES = solutions.EXERCISES


@pytest.mark.parametrize("exercise", EXERCISES, ids=[f"{e.lesson}-{e.name}" for e in EXERCISES])
def test_every_solution_passes_its_check(exercise):
    answer = exercise.solve(**exercise.data)
    feedback = exercise.check(answer, **exercise.data)
    assert feedback.correct, str(feedback)
    assert str(feedback).startswith("✔ Correct")


@pytest.mark.parametrize("exercise", EXERCISES, ids=[f"{e.lesson}-{e.name}" for e in EXERCISES])
def test_unanswered_exercise_says_so(exercise):
    feedback = exercise.check(..., **exercise.data)
    assert not feedback.correct and not feedback.answered
    assert "Not answered yet" in str(feedback)


def test_every_lesson_has_exercises():
    lessons = {e.lesson for e in EXERCISES}
    assert {"01", "02"} <= lessons


# -- lesson 01 ---------------------------------------------------------------------------
X1 = lecture_image()[:, :, None].astype(float)


def test_one_channel_output_with_a_channel_axis_is_told_to_drop_it():
    fb = checks.check_conv_output(X1 * 3, x=X1, w=[3.0])
    assert not fb and "shape (6, 6, 1)" in fb.message and "no channel axis: (6, 6)" in fb.message
    assert "did not add the products up" not in fb.message and "x @ w" not in fb.hint
    assert "x[:, :, 0]" in fb.hint and "[..., 0]" in fb.hint


def test_forgotten_relu_and_bias():
    fb = checks.check_conv_output(X1[:, :, 0] * -1.5, x=X1, w=[-1.5], activation="relu")
    assert not fb and "ReLU is missing" in fb.message
    fb = checks.check_conv_output(np.maximum(X1[:, :, 0], 0), x=X1, w=[1.0], b=-4.0, activation="relu")
    assert not fb and "bias b is missing" in fb.message
    signed = X1 - 3                      # negative values: forgetting ReLU too is now visible
    fb = checks.check_conv_output(signed[:, :, 0], x=signed, w=[1.0], b=-4.0, activation="relu")
    assert "both the bias and the ReLU are missing" in fb.message
    fb = checks.check_conv_output(np.maximum(signed[:, :, 0], 0) - 4, x=signed, w=[1.0], b=-4.0, activation="relu")
    assert "bias after the ReLU" in fb.message


def test_relu_applied_when_not_asked():
    x = X1 - 5
    fb = checks.check_conv_output(np.maximum(x[:, :, 0] * 2, 0), x=x, w=[2.0])
    assert "asks for the output without one" in fb.message


def test_wrong_values_say_where():
    wrong = X1[:, :, 0] * 3
    wrong[4, 2] += 1
    fb = checks.check_conv_output(wrong, x=X1, w=[3.0])
    assert "1 of 36 values differ" in fb.message and "(4, 2)" in fb.message
    assert "you have 10, expected 9" in fb.message


# -- lesson 02 ---------------------------------------------------------------------------
X = example_volume()
BANK = example_filters(32, 4)
B = np.array([0.5, -1.0, 0.0, 2.0])


def test_unsummed_products_for_a_bank():
    fb = checks.check_conv_output(X[..., None] * BANK, x=X, w=BANK, b=B, activation="relu")
    assert "(6, 6, 32, 4)" in fb.message and "did not add the products up" in fb.message


def test_channels_first_output():
    right = conv1x1(X, BANK, B, activation="relu")
    fb = checks.check_conv_output(np.moveaxis(right, -1, 0), x=X, w=BANK, b=B, activation="relu")
    assert "channels-first (4, 6, 6)" in fb.message and "np.moveaxis" in fb.hint


def test_input_shaped_output_means_no_channel_sum():
    fb = checks.check_conv_output(X * 2, x=X, w=BANK)
    assert "the input's" in fb.message and "channel sum" in fb.message


def test_transposed_square_filter_bank():
    w = example_filters(32, 32)
    fb = checks.check_conv_output(conv1x1(X, w.T), x=X, w=w)
    assert "transposed filter matrix" in fb.message and "(C, F)" in fb.hint


def test_check_filter_bank_transposed_and_extra_axis():
    fb = checks.check_filter_bank(BANK.T, BANK)
    assert not fb and "transposed" in fb.message and "(4, 32)" in fb.message and ".T" in fb.hint
    fb = checks.check_filter_bank(BANK[:, 0][:, None], BANK[:, 0])
    assert "extra axis" in fb.message
    assert checks.check_filter_bank(BANK, BANK)


def test_pixel_checks():
    w = example_filters(32)
    column = X[1, 3]
    fb = checks.check_pixel(column * w, x=X, w=w, i=1, j=3, b=0.5)
    assert "not yet added up" in fb.message
    pre = float(column @ w)
    fb = checks.check_pixel(pre, x=X, w=w, i=1, j=3, b=0.5)
    assert "bias is missing" in fb.message
    swapped = max(float(X[3, 1] @ w) + 0.5, 0)
    fb = checks.check_pixel(swapped, x=X, w=w, i=1, j=3, b=0.5)
    assert "row and column are swapped" in fb.message
    fb = checks.check_pixel(X[0, 0] @ w - 100, x=X, w=w, i=0, j=0, b=0.5)
    assert not fb and "expected" in fb.message
    fb = checks.check_pixel(float(X[0, 0] @ w) + 0.5, x=X, w=w, i=0, j=0, b=0.5)
    assert "you forgot the ReLU" in fb.message and "-21.1 is negative" in fb.message


def test_pixel_check_rejects_a_pixel_outside_the_image():
    with pytest.raises(ValueError, match=r"i must be a row index in 0..5; got 9"):
        checks.check_pixel(1.0, x=X, w=BANK, i=9, j=0)
    with pytest.raises(ValueError, match=r"j must be an integer >= 0; got -1"):
        checks.check_pixel(1.0, x=X, w=BANK, i=0, j=-1)


# -- cost ---------------------------------------------------------------------------------


def test_cost_checks():
    assert checks.check_cost(120_422_400, 28, 28, 192, 32, 5)
    assert "kernel area 5×5 = 25" in checks.check_cost(4_816_896, 28, 28, 192, 32, 5).message
    assert "the kernel area is k², not k" in checks.check_cost(24_084_480, 28, 28, 192, 32, 5).message
    assert "input channels (192)" in checks.check_cost(627_200, 28, 28, 192, 32, 5).message
    assert "output channels (32)" in checks.check_cost(3_763_200, 28, 28, 192, 32, 5).message
    assert checks.check_cost(6_176, 28, 28, 192, 32, quantity="parameters")
    assert "biases are missing" in checks.check_cost(6_144, 28, 28, 192, 32, quantity="parameters").message
    assert "do not depend on the image size" in checks.check_cost(
        6_144 * 784 + 32, 28, 28, 192, 32, quantity="parameters").message
    assert "counts biases" in checks.check_cost(6_176, 28, 28, 192, 32, quantity="parameters", bias=False).message
    with pytest.raises(ValueError, match="quantity must be 'multiplications' or 'parameters'; got 'flops'"):
        checks.check_cost(1, 1, 1, 1, 1, quantity="flops")


# -- feedback ------------------------------------------------------------------------------


def test_feedback_renders_as_text_and_html():
    ok = checks.check_number(3, 3)
    assert bool(ok) and str(ok) == "✔ Correct: 3 is right."
    bad = checks.check_number(4, 3)
    assert not bad and "Hint:" in str(bad)
    html = bad._repr_html_()
    assert "role='status'" in html and "Not yet" in html and "<b>Hint:</b>" in html
    assert "&lt;" in checks.Feedback(False, "a <b>", "x")._repr_html_()


def test_non_numeric_answers_get_told():
    fb = checks.check_conv_output("abc", x=X1, w=[3.0])
    assert not fb and "must be an array of numbers; got str" in fb.message
    fb = checks.check_number([1, 2], 3)
    assert "single number" in fb.message and "(2,)" in fb.message
