"""Exercise checks of lessons 09 and 10 (depthwise-separable layers, MobileNet): wrong answers get their hint, garbage gets feedback."""

from __future__ import annotations

import numpy as np
import pytest
from checks_support import exercise, wrong

from conv1x1 import checks

SIZES = dict(height=40, width=40, in_channels=128, out_channels=256, kernel_size=3, stride=2)    # lesson 10, at 160×160
DEPTHWISE = 20 * 20 * 128 * 9
POINTWISE = 20 * 20 * 128 * 256
RIGHT = DEPTHWISE + POINTWISE


def test_exercise_data_is_what_the_tests_use():
    assert exercise("separable_multiplications").data == SIZES
    assert RIGHT == 13_568_000


def test_separable_cost_mistakes_get_their_hint():
    assert checks.check_separable_cost(RIGHT, **SIZES).correct
    wrong(checks.check_separable_cost(20 * 20 * 128 * 9 * 128 + POINTWISE, **SIZES), "one channel only")
    wrong(checks.check_separable_cost(20 * 20 * 256 * 9 * 128 + POINTWISE, **SIZES), "standard k×k convolution")
    wrong(checks.check_separable_cost(20 * 20 * 256 * 9 * 128, **SIZES), "the standard k×k convolution")
    wrong(checks.check_separable_cost(DEPTHWISE, **SIZES), "pointwise 1×1 part is missing")
    wrong(checks.check_separable_cost(POINTWISE, **SIZES), "depthwise part is missing")
    wrong(checks.check_separable_cost(40 * 40 * (128 * 9 + 128 * 256), **SIZES), "stride 2 makes the output 20×20")
    wrong(checks.check_separable_cost(40 * 40 * 128 * 9 + POINTWISE, **SIZES), "depthwise part uses the input's")
    wrong(checks.check_separable_cost(DEPTHWISE + 40 * 40 * 128 * 256, **SIZES), "pointwise part uses the input's")
    wrong(checks.check_separable_cost(2 * RIGHT, **SIZES), "FLOPs")
    wrong(checks.check_separable_cost(128 * 9 + 128 * 256, **SIZES), "weights, not its multiply-adds")
    wrong(checks.check_separable_cost(RIGHT + 1, **SIZES), "1 more than the right value", "add the two parts")


@pytest.mark.parametrize("garbage", ["abc", [1, 2], {"a": 1}, np.ones((2, 2)), object(), float("nan"), float("inf"), -1, 1e300])
def test_garbage_gets_feedback_never_a_traceback(garbage):
    for exercise_name in ("separable_multiplications", "layer_roles", "cost_ratio"):
        e = exercise(exercise_name)
        feedback = e.check(garbage, **e.data)
        assert not feedback.correct and feedback.message, (exercise_name, garbage)


LAYERS = exercise("layer_roles").data


def test_a_number_that_is_not_finite_is_told_so():
    wrong(checks.check_separable_cost(float("nan"), **SIZES), "not a finite number")
    wrong(checks.check_number(float("inf"), 3), "not a finite number")


def test_layer_roles_accepts_strings_lists_and_sets():
    right = {"mixes channels": "AC", "sees neighbours": "AB"}
    assert checks.check_layer_roles(right, **LAYERS).correct
    assert checks.check_layer_roles({"mixes channels": ["c", "a"], "sees neighbours": {"B", "A"}}, **LAYERS).correct
    assert checks.check_layer_roles({"mixes channels": "A, C", "sees neighbours": "A B"}, **LAYERS).correct
    assert checks.check_layer_roles({"mixes channels": "CA", "sees neighbours": "BA"}, **LAYERS).correct   # any order


def test_layer_roles_form_hint_does_not_give_the_answer_away():
    feedback = checks.check_layer_roles("AC AB", **LAYERS)
    assert "<letters>" in feedback.hint and "any order" in feedback.hint
    assert '"AC"' not in feedback.hint and '"AB"' not in feedback.hint


def test_layer_roles_mistakes_are_named():
    wrong(checks.check_layer_roles({"mixes channels": "ABC", "sees neighbours": "AB"}, **LAYERS),
          "layer B (depthwise) is included", "reads C_in / g = 1 channel")
    wrong(checks.check_layer_roles({"mixes channels": "AC", "sees neighbours": "ABC"}, **LAYERS),
          "layer C (pointwise) is included", "1×1")
    wrong(checks.check_layer_roles({"mixes channels": "A", "sees neighbours": "AB"}, **LAYERS), "layer C", "left out")
    wrong(checks.check_layer_roles({"mixes channels": "ACD", "sees neighbours": "AB"}, **LAYERS), "layer D (depthwise)")
    wrong(checks.check_layer_roles({"mixes channels": "AC"}, **LAYERS), "keys")
    wrong(checks.check_layer_roles({"mixes channels": "AE", "sees neighbours": "AB"}, **LAYERS), "letters of the layers")
    wrong(checks.check_layer_roles({"mixes channels": 3, "sees neighbours": "AB"}, **LAYERS), "letters of the layers")
    wrong(checks.check_layer_roles("AC AB", **LAYERS), "must be a dict")


COST_RATIO = exercise("cost_ratio").data


def test_cost_ratio_mistakes():
    right = 1 / 256 + 1 / 9
    assert checks.check_cost_ratio(right, **COST_RATIO).correct
    assert checks.check_cost_ratio(0.115, **COST_RATIO).correct          # rounded to 3 digits
    wrong(checks.check_cost_ratio(1 / right, **COST_RATIO), "times fewer")
    wrong(checks.check_cost_ratio(1 / 9, **COST_RATIO), "1/k² = 1/9 alone")
    wrong(checks.check_cost_ratio(1 / 256, **COST_RATIO), "1/C_out = 1/256 alone")
    wrong(checks.check_cost_ratio(1 / 128 + 1 / 9, **COST_RATIO), "uses C_in = 128")
    wrong(checks.check_cost_ratio(0.2, **COST_RATIO), "expected 0.115")
