"""Exercise checks of lessons 03 (shrinking channels, cost) and 04 (the bottleneck): wrong answers get their hint."""

from __future__ import annotations

import numpy as np
import pytest
from checks_support import exercise, wrong

from conv1x1 import checks, conv1x1


def test_shrink_channels_mistakes():
    data = exercise("shrink_channels").data
    x, w = data["x"], data["w"]
    assert x.shape == (8, 8, 12) and w.shape == (12, 3)
    wrong(checks.check_conv_output(conv1x1(x, w), **data), "relu is missing")
    wrong(checks.check_conv_output(x[..., :, None] * w, **data), "did not add the products up")
    wrong(checks.check_conv_output(np.moveaxis(conv1x1(x, w, activation="relu"), -1, 0), **data), "channels-first")


# -- 03: cost -------------------------------------------------------------------------
SIZES = dict(height=14, width=14, in_channels=64, out_channels=128, kernel_size=3)   # 03.2
RIGHT = 14 * 14 * 128 * 9 * 64


def test_cost_off_by_the_kernel_area_or_a_channel_count_gets_its_hint():
    assert checks.check_cost(RIGHT, **SIZES).correct
    wrong(checks.check_cost(RIGHT // 9, **SIZES), "kernel area 3×3 = 9")
    wrong(checks.check_cost(RIGHT // 3, **SIZES), "k², not k")
    wrong(checks.check_cost(RIGHT // 64, **SIZES), "input channels (64)")
    wrong(checks.check_cost(RIGHT // 128, **SIZES), "output channels (128)")
    wrong(checks.check_cost(RIGHT // (14 * 14), **SIZES), "one pixel")
    wrong(checks.check_cost(RIGHT + 1, **SIZES), "expected 14,450,688", "1 more than the right value")
    wrong(checks.check_cost(9 * 64 * 128 + 128, **SIZES), "number of parameters", "not of multiplications")
    wrong(checks.check_cost(RIGHT + 14 * 14 * 128, **SIZES), "a bias is added, not multiplied")
    wrong(checks.check_cost(RIGHT * 7, **SIZES), "(7 times the right value)")
    wrong(checks.check_cost(5, **SIZES), "about 1/2,900,000 of the right value")


def test_cost_feedback_writes_every_number_with_thousands_separators():
    import re

    sizes = dict(height=56, width=56, in_channels=256, out_channels=64, kernel_size=3)
    answers = [1, 12_345, 56 * 56 * 64 * 9 * 256 // 9, 56 * 56 * 64 * 9 * 256 // 64, 9 * 256 * 64]
    for quantity in ("multiplications", "parameters"):
        for answer in answers:
            feedback = checks.check_cost(answer, **sizes, quantity=quantity)
            text = feedback.message + " " + feedback.hint
            assert not re.search(r"\d{4}", text), text
            assert "e+" not in text and "×the" not in text, text


def test_exercise_data_is_what_the_tests_use():
    assert {k: v for k, v in exercise("conv_multiplications").data.items() if k != "quantity"} == SIZES
    assert exercise("bottleneck_multiplications").data == BOTTLENECK
    assert exercise("bottleneck_crossover").data == LAYER


def test_parameter_count_mistakes():
    sizes = dict(height=56, width=56, in_channels=256, out_channels=64, kernel_size=1, quantity="parameters")  # 03.3
    assert exercise("conv_parameters").data == sizes
    right = 256 * 64 + 64
    assert checks.check_cost(right, **sizes).correct
    wrong(checks.check_cost(256 * 64, **sizes), "64 biases are missing")
    wrong(checks.check_cost(256 * 64 * 56 * 56 + 64, **sizes), "do not depend on the image size")
    feedback = checks.check_cost((256 * 64 + 64) * 56 * 56, **sizes)
    wrong(feedback, "parameters do not depend on the image size", "every pixel shares the same filters")
    assert "times the right value" not in feedback.message and "e+03" not in feedback.message
    wrong(checks.check_cost(256 * 64 * 56 * 56, **sizes), "image size", "64 biases are missing, too")
    wrong(checks.check_cost(56 * 56 * 64 * 256, **sizes), "image size")
    wrong(checks.check_cost(64 + 64, **sizes), "input channels (256)")


# -- 04: the bottleneck ----------------------------------------------------------------
BOTTLENECK = dict(height=28, width=28, in_channels=256, out_channels=128, kernel_size=3, bottleneck=32)  # 04.1
REDUCE = 28 * 28 * 32 * 256
CONV = 28 * 28 * 128 * 9 * 32
DIRECT = 28 * 28 * 128 * 9 * 256


def test_bottleneck_cost_mistakes():
    assert checks.check_bottleneck_cost(REDUCE + CONV, **BOTTLENECK).correct
    wrong(checks.check_bottleneck_cost(DIRECT, **BOTTLENECK), "direct 3×3")
    wrong(checks.check_bottleneck_cost(CONV, **BOTTLENECK), "3×3 layer alone", "1×1 layer")
    wrong(checks.check_bottleneck_cost(REDUCE, **BOTTLENECK), "1×1 layer alone")
    wrong(checks.check_bottleneck_cost(REDUCE + DIRECT, **BOTTLENECK), "all 256 input channels", "32-channel")
    wrong(checks.check_bottleneck_cost(REDUCE + CONV // 9, **BOTTLENECK), "kernel area 3×3 = 9")
    wrong(checks.check_bottleneck_cost(REDUCE + CONV // 3, **BOTTLENECK), "k², not k")
    wrong(checks.check_bottleneck_cost((REDUCE + CONV) // (28 * 28), **BOTTLENECK), "one pixel")




LAYER = dict(height=28, width=28, in_channels=256, out_channels=128, kernel_size=3)   # 04.2: the same layer as 04.1


def test_bottleneck_crossover_is_209_for_the_exercise_layer():
    direct = 28 * 28 * 9 * 256 * 128
    path = [28 * 28 * B * (256 + 9 * 128) for B in (209, 210)]
    assert path[0] < direct <= path[1]
    feedback = checks.check_bottleneck_crossover(209, **LAYER)
    assert feedback.correct and "230,709,248" in feedback.message and "231,211,008" in feedback.message
    assert checks.check_bottleneck_crossover(np.int64(209), **LAYER).correct
    assert checks.check_bottleneck_crossover(209.0, **LAYER).correct


@pytest.mark.parametrize("answer, phrases", [
    (210, ["off by one", "231,813,120", "not cheaper"]),
    (256, ["tempting rule", "B ≥ C_in", "1×1 layer's own cost"]),
    (255, ["below C_in", "1×1 layer's own cost", "B < C_in"]),
    (209.45, ["where the two costs are equal", "whole number; round down"]),
    (209.4545, ["whole number; round down"]),
    (120.5, ["not a whole number", "round down"]),
    (153, ["kernel area as k = 3, not k² = 9"]),
    (100, ["cheaper, but wider bottlenecks are cheaper too"]),
    (300, ["not fewer"]),
    (0, ["at least one channel"]),
    ([209, 210], ["single number", "shape (2,)"]),
])
def test_bottleneck_crossover_mistakes(answer, phrases):
    wrong(checks.check_bottleneck_crossover(answer, **LAYER), *phrases)


def test_bottleneck_cost_the_lecture_numbers():
    lecture = dict(height=28, width=28, in_channels=192, out_channels=32, kernel_size=5, bottleneck=16)
    feedback = checks.check_bottleneck_cost(12_443_648, **lecture)
    assert feedback.correct and "12,443,648" in feedback.message
    assert checks.check_bottleneck_cost(15_872, **lecture, quantity="weights").correct
    wrong(checks.check_bottleneck_cost(15_872 + 16 + 32, **lecture, quantity="weights"), "biases")
    wrong(checks.check_bottleneck_cost(15_872 * 784, **lecture, quantity="weights"), "image size")
    wrong(checks.check_bottleneck_cost(153_600, **lecture, quantity="weights"), "direct 5×5")
    with pytest.raises(ValueError, match="quantity must be 'multiplications' or 'weights'; got 'flops'"):
        checks.check_bottleneck_cost(1, **lecture, quantity="flops")


def test_cost_the_lecture_numbers():
    lecture = (28, 28, 192, 32, 5)                       # the lecture's 5×5 layer, 28×28×192 → 28×28×32
    assert checks.check_cost(120_422_400, *lecture).correct
    wrong(checks.check_cost(4_816_896, *lecture), "kernel area 5×5 = 25")
    wrong(checks.check_cost(24_084_480, *lecture), "the kernel area is k², not k")
    wrong(checks.check_cost(627_200, *lecture), "input channels (192)")
    wrong(checks.check_cost(3_763_200, *lecture), "output channels (32)")
    one = (28, 28, 192, 32)
    assert checks.check_cost(6_176, *one, quantity="parameters").correct
    wrong(checks.check_cost(6_144, *one, quantity="parameters"), "biases are missing")
    wrong(checks.check_cost(6_144 * 784 + 32, *one, quantity="parameters"), "do not depend on the image size")
    wrong(checks.check_cost(6_176, *one, quantity="parameters", bias=False), "counts biases")
    assert checks.check_cost(6_144, *one, quantity="parameters", bias=False).correct
    wrong(checks.check_cost(6_144 * 784, *one, quantity="parameters", bias=False), "do not depend on the image size")
    with pytest.raises(ValueError, match="quantity must be 'multiplications' or 'parameters'; got 'flops'"):
        checks.check_cost(1, 1, 1, 1, 1, quantity="flops")
