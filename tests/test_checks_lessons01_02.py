"""Exercise checks of lessons 01 (one channel) and 02 (many channels): typical wrong answers get their hint."""

from __future__ import annotations

import numpy as np
import pytest
from checks_support import exercise, wrong

from conv1x1 import checks, conv1x1, example_filters, example_volume, lecture_image

X1 = lecture_image()[:, :, None].astype(float)          # lesson 01's x: the lecture image as 6×6×1


# -- 01.1 triple ---------------------------------------------------------------------------
def test_one_channel_output_with_a_channel_axis_is_told_to_drop_it():
    data = exercise("triple").data
    fb = checks.check_conv_output(X1 * 3, **data)
    wrong(fb, "shape (6, 6, 1)", "no channel axis: (6, 6)", "x[:, :, 0]", "[..., 0]")
    assert "did not add the products up" not in fb.message and "x @ w" not in fb.hint
    wrong(checks.check_conv_output(X1 * 2, **data), "no channel axis")      # any (6, 6, 1) answer


def test_many_channels_keep_the_channel_sum_message():
    x, bank = example_volume(), example_filters(32, 4)
    fb = checks.check_conv_output(x[..., None] * bank, x=x, w=bank)
    wrong(fb, "(6, 6, 32, 4)", "did not add the products up", "x @ w")
    wrong(checks.check_conv_output(x * 2, x=x, w=example_filters(32)), "the input's", "channel sum")


def test_wrong_values_say_where():
    answer = X1[:, :, 0] * 3
    answer[4, 2] += 1
    fb = checks.check_conv_output(answer, **exercise("triple").data)
    wrong(fb, "1 of 36 values differ", "(4, 2)", "you have 10, expected 9")


# -- 01.2 invert_with_bias: 9 − x, clipped at 0 ---------------------------------------------
def test_invert_with_bias_is_nine_minus_the_image():
    data = exercise("invert_with_bias").data
    assert data["w"] == [-1.0] and data["b"] == 9.0 and data["activation"] == "relu"
    assert checks.check_conv_output(9 - lecture_image(), **data).correct


@pytest.mark.parametrize("answer, phrases", [
    (np.maximum(-X1[:, :, 0], 0), ["bias b is missing", "before the ReLU"]),
    (np.maximum(-X1[:, :, 0], 0) + 9, ["bias after the ReLU"]),
    (-X1[:, :, 0], ["both the bias and the ReLU are missing"]),
    (9 - X1, ["shape (6, 6, 1)", "no channel axis"]),
    (X1[:, :, 0] + 9, ["weight with the opposite sign", "[-1]"]),
])
def test_invert_with_bias_mistakes(answer, phrases):
    wrong(checks.check_conv_output(answer, **exercise("invert_with_bias").data), *phrases)


# -- 01.3 shift_with_bias, and ReLU/bias mistakes on signed inputs ----------------------------
def test_forgotten_relu_and_bias():
    data = exercise("shift_with_bias").data
    wrong(checks.check_conv_output(np.maximum(X1[:, :, 0], 0), **data), "bias b is missing")
    wrong(checks.check_conv_output(np.maximum(X1[:, :, 0] + 4, 0), **data), "bias with the opposite sign")
    signed = X1 - 3                      # negative values: forgetting ReLU too is now visible
    wrong(checks.check_conv_output(signed[:, :, 0], x=signed, w=[1.0], b=-4.0, activation="relu"),
          "both the bias and the ReLU are missing")
    wrong(checks.check_conv_output(np.maximum(signed[:, :, 0], 0) - 4, x=signed, w=[1.0], b=-4.0,
                                   activation="relu"), "bias after the ReLU")
    wrong(checks.check_conv_output(signed[:, :, 0] * -1.5, x=signed, w=[-1.5], activation="relu"), "ReLU is missing")


def test_relu_applied_when_not_asked():
    x = X1 - 5
    wrong(checks.check_conv_output(np.maximum(x[:, :, 0] * 2, 0), x=x, w=[2.0]), "asks for the output without one")


# -- 02.1 one_pixel --------------------------------------------------------------------------
def test_one_pixel_is_a_pixel_whose_output_only_the_right_dot_product_gives():
    """Lesson 02's exercise 1: a positive output (the diagram and the printed grid show it), so that a
    computation that comes out negative, whatever its mistake, is not marked right as 0 would be."""
    data = exercise("one_pixel").data
    x, w, i, j, b = data["x"], data["w"], data["i"], data["j"], data["b"]
    assert np.array_equal(w, example_filters(32, 4)[:, 0]) and (i, j) not in ((1, 2), (2, 1))
    z = float(x[i, j] @ w + b)
    assert z == pytest.approx(10.1)
    assert checks.check_pixel(z, **data).correct and not checks.check_pixel(0.0, **data).correct
    wrong(checks.check_pixel(z - b, **data), "the bias is missing")
    wrong(checks.check_pixel(x[i, j] * w, **data), "not yet added up", "column @ w")
    wrong(checks.check_pixel(max(float(x[j, i] @ w) + b, 0), **data), "row and column are swapped")
    wrong(checks.check_pixel(z + 1, **data), "1 more than the right value", f"x[{i}, {j}, c]", "max(..., 0)")


def test_forgotten_relu_at_a_pixel_is_named():
    data = {**exercise("one_pixel").data, "i": 3, "j": 5}          # a pixel whose sum plus bias is negative
    x, w, i, j, b = data["x"], data["w"], data["i"], data["j"], data["b"]
    z = float(x[i, j] @ w + b)
    wrong(checks.check_pixel(z, **data), "you forgot the ReLU", "-8.1 is negative", "max(..., 0)")
    wrong(checks.check_pixel(z - b, **data), "forgot both the bias and the ReLU")


def test_pixel_checks_on_other_pixels_and_banks():
    x, w = example_volume(), example_filters(32)
    wrong(checks.check_pixel(float(x[1, 3] @ w), x=x, w=w, i=1, j=3, b=0.5), "bias is missing")
    wrong(checks.check_pixel(float(x[0, 0] @ w) + 0.5, x=x, w=w, i=0, j=0, b=0.5), "you forgot the ReLU",
          "-21.1 is negative")
    bank = example_filters(32, 4)
    wrong(checks.check_pixel(x[0, 0] @ bank, x=x, w=bank, i=0, j=0), "you forgot the ReLU", "negative values")
    assert checks.check_pixel(np.maximum(x[0, 0] @ bank, 0), x=x, w=bank, i=0, j=0).correct


def test_pixel_check_rejects_a_pixel_outside_the_image():
    x, bank = example_volume(), example_filters(32, 4)
    with pytest.raises(ValueError, match=r"i must be a row index in 0..5; got 9"):
        checks.check_pixel(1.0, x=x, w=bank, i=9, j=0)
    with pytest.raises(ValueError, match=r"j must be an integer >= 0; got -1"):
        checks.check_pixel(1.0, x=x, w=bank, i=0, j=-1)


# -- 02.2 whole_volume -------------------------------------------------------------------------
def test_whole_volume_mistakes():
    data = exercise("whole_volume").data
    x, w, b = data["x"], data["w"], data["b"]
    right = np.maximum(x @ w + b, 0)
    assert checks.check_conv_output(right, **data).correct
    wrong(checks.check_conv_output(x[..., None] * w, **data), "(6, 6, 32, 4)", "did not add the products up")
    wrong(checks.check_conv_output(np.moveaxis(right, -1, 0), **data), "channels-first (4, 6, 6)", "np.moveaxis")
    wrong(checks.check_conv_output(x @ w + b, **data), "ReLU is missing")
    wrong(checks.check_conv_output(np.maximum(x @ w, 0), **data), "bias b is missing")
    wrong(checks.check_conv_output(np.maximum(x @ w, 0) + b, **data), "bias after the ReLU")


def test_transposed_square_filter_bank():
    x, w = example_volume(), example_filters(32, 32)
    wrong(checks.check_conv_output(conv1x1(x, w.T), x=x, w=w), "transposed filter matrix", "(C, F)")


def test_check_filter_bank_transposed_and_extra_axis():
    bank = example_filters(32, 4)
    wrong(checks.check_filter_bank(bank.T, bank), "transposed", "(4, 32)", ".T")
    wrong(checks.check_filter_bank(bank[:, 0][:, None], bank[:, 0]), "extra axis")
    assert checks.check_filter_bank(bank, bank)
