"""Exercise checks of lessons 03 and 04: every solution passes, typical wrong answers get their hint."""

from __future__ import annotations

import numpy as np
import pytest

from conv1x1 import checks, conv1x1
from conv1x1.solutions import EXERCISES

OURS = [e for e in EXERCISES if e.lesson in ("03", "04")]


def test_lessons_03_and_04_have_exercises():
    assert {e.lesson for e in OURS} == {"03", "04"}
    assert len([e for e in OURS if e.lesson == "03"]) >= 3 and len([e for e in OURS if e.lesson == "04"]) >= 3


@pytest.mark.parametrize("exercise", OURS, ids=lambda e: f"{e.lesson}-{e.name}")
def test_reference_solutions_are_correct(exercise):
    feedback = exercise.check(exercise.solve(**exercise.data), **exercise.data)
    assert feedback.correct, str(feedback)
    assert feedback.label == "Correct"


@pytest.mark.parametrize("exercise", OURS, ids=lambda e: f"{e.lesson}-{e.name}")
@pytest.mark.parametrize("answer", [..., None])
def test_unanswered_is_not_answered_yet(exercise, answer):
    feedback = exercise.check(answer, **exercise.data)
    assert not feedback.correct and not feedback.answered and "Not answered yet" in str(feedback)


def wrong(feedback: checks.Feedback, *phrases: str) -> None:
    """A wrong answer: marked wrong, with a hint, and the message says what is wrong."""
    assert not feedback.correct and feedback.answered, str(feedback)
    assert feedback.hint, f"no hint for: {feedback}"
    text = (feedback.message + " " + feedback.hint).lower()
    for phrase in phrases:
        assert phrase.lower() in text, f"{phrase!r} not in: {feedback}"


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


def test_parameter_count_mistakes():
    sizes = dict(height=56, width=56, in_channels=256, out_channels=64, kernel_size=1, quantity="parameters")  # 03.3
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


BOTTLENECK = dict(height=28, width=28, in_channels=256, out_channels=128, kernel_size=3, bottleneck=32)  # 03.4
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


# -- 04: the widest bottleneck that still pays ------------------------------------------
LAYER = dict(height=28, width=28, in_channels=256, out_channels=128, kernel_size=3)   # the same layer as 04.1


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


# -- 04: einsum -----------------------------------------------------------------------
def einsum_data():
    return next(e.data for e in OURS if e.name == "einsum_batch")


@pytest.mark.parametrize("answer, phrases", [
    ("hwc,cf->hwf", ["x has 4 axes", "batch axis first"]),
    ("nhwc,cf", ["alphabetical order", "after '->'"]),
    ("nhwc,cf->nhwcf", ["channel letter 'c' is in the output", "leave the channel letter out"]),
    ("nhwc,fc->nhwf", ["cannot run this string", "channel axis comes first"]),
    ("nhwc,cf->nhfw", ["wrong order", "order the letters"]),
    ("nhwc,cf->nwf", ["shape (2, 4, 6)", "only the channel axis is summed"]),
    ("nhwc,cfg->nhwf", ["w has 2 axes"]),
    ("nhwc->nhw", ["1 operand", "comma"]),
    (42, ["subscripts string", "quotes"]),
])
def test_einsum_mistakes(answer, phrases):
    wrong(checks.check_einsum(answer, **einsum_data()), *phrases)


def test_einsum_any_letters_are_fine():
    data = einsum_data()
    assert data["x"].shape == (2, 3, 4, 5) and data["w"].shape == (5, 6)
    for answer in ["nhwc,cf->nhwf", "abcd,de->abce", " n h w c , c f -> n h w f "]:
        assert checks.check_einsum(answer, **data).correct, answer
    single = checks.check_einsum("hwc,cf->hwf", x=data["x"][0], w=data["w"])
    assert single.correct


# -- 04: collapsing two linear layers -----------------------------------------------------
def layer_data():
    filters = next(e.data for e in OURS if e.name == "collapse_filters")
    bias = next(e.data for e in OURS if e.name == "collapse_bias")
    return filters["w1"], filters["w2"], bias["b1"], bias["b2"]


def test_the_collapsed_layer_is_the_two_layers():
    w1, w2, b1, b2 = layer_data()
    assert np.array_equal(w2, next(e.data for e in OURS if e.name == "collapse_bias")["w2"])
    x = np.random.default_rng(3).standard_normal((4, 5, w1.shape[0]))
    two = conv1x1(conv1x1(x, w1, b1), w2, b2)
    one = conv1x1(x, w1 @ w2, b1 @ w2 + b2)
    assert np.allclose(two, one)


def test_collapsed_filter_mistakes():
    w1, w2, _, _ = layer_data()
    assert checks.check_collapsed_filters(w1 @ w2, w1, w2).correct
    wrong(checks.check_collapsed_filters((w1 @ w2).T, w1, w2), "transposed", "w1 first")
    wrong(checks.check_collapsed_filters(w1, w1, w2), "w1 alone")
    wrong(checks.check_collapsed_filters(w2, w1, w2), "w2 alone")
    wrong(checks.check_collapsed_filters(w1.T @ w1, w1, w2), "middle size")
    wrong(checks.check_collapsed_filters(w1 @ w2 + 1, w1, w2), "values differ")


def test_collapsed_bias_mistakes():
    _, w2, b1, b2 = layer_data()
    assert checks.check_collapsed_bias(b1 @ w2 + b2, w2, b1, b2).correct
    wrong(checks.check_collapsed_bias(b2, w2, b1, b2), "b2 alone", "b1 @ w2")
    wrong(checks.check_collapsed_bias(b1 @ w2, w2, b1, b2), "b2", "missing")
    wrong(checks.check_collapsed_bias(b1, w2, b1, b2), "first layer's bias")
    square = np.eye(3)
    wrong(checks.check_collapsed_bias(b2 + b2, 3 * square, b2, b2), "added to b2 directly")


# -- 04: weights for a framework --------------------------------------------------------
def test_framework_weight_mistakes():
    w = next(e.data for e in OURS if e.name == "pytorch_weights")["w"]
    C, F = w.shape
    assert (C, F) == (5, 3)
    assert checks.check_framework_weights(w.T[:, :, None, None], w).correct
    assert checks.check_framework_weights(w.T.reshape(F, C, 1, 1), w).correct
    wrong(checks.check_framework_weights(w.reshape(F, C, 1, 1), w), "scrambled", "transpose first")
    wrong(checks.check_framework_weights(w[None, None], w), "Keras's Conv2D layout")
    wrong(checks.check_framework_weights(w[:, :, None, None], w), "(C, F, 1, 1)", "transpose")
    wrong(checks.check_framework_weights(w.T, w), "nn.Linear layout", "1×1 kernel axes")
    wrong(checks.check_framework_weights(w.T[None, None], w), "wrong order")
    assert checks.check_framework_weights(w[None, None], w, "keras").correct
    wrong(checks.check_framework_weights(w.T[None, None], w, "keras"), "(1, 1, F, C)", "do not transpose")
    wrong(checks.check_framework_weights(w.T[:, :, None, None], w, "keras"), "nn.Conv2d layout")
    wrong(checks.check_framework_weights(w.reshape(F, C), w, "pytorch-linear"), "scrambled")
    with pytest.raises(ValueError, match=r"w must be a filter bank \(C, F\); got shape \(5,\)"):
        checks.check_framework_weights(np.zeros((1, 5, 1, 1)), np.zeros(5))
    with pytest.raises(ValueError, match="framework must be one of"):
        checks.check_framework_weights(w.T, w, "mxnet")


def test_shrink_channels_mistakes():
    data = next(e.data for e in OURS if e.name == "shrink_channels")
    x, w = data["x"], data["w"]
    assert x.shape == (8, 8, 12) and w.shape == (12, 3)
    wrong(checks.check_conv_output(conv1x1(x, w), **data), "relu is missing")
    wrong(checks.check_conv_output(x[..., :, None] * w, **data), "did not add the products up")
    wrong(checks.check_conv_output(np.moveaxis(conv1x1(x, w, activation="relu"), -1, 0), **data), "channels-first")


# -- the notebooks pose the exercises that solutions.py solves ------------------------------
@pytest.mark.parametrize("lesson, notebook", [("03", "03-shrinking-channels.ipynb"), ("04", "04-network-in-network.ipynb")])
def test_notebook_exercises_use_the_data_of_the_reference_solutions(lesson, notebook):
    """Each exercise cell, with its `...` replaced by the reference answer, says "Correct".

    The reference answer is computed from EXERCISES' data and checked with the notebook's data,
    so this fails if the two drift apart (or if the cell checks something else).
    """
    import json
    from pathlib import Path

    import conv1x1

    path = Path(__file__).resolve().parent.parent / "notebooks" / notebook
    cells = ["".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
             if c["cell_type"] == "code" and "answer = ...  # your code here" in "".join(c["source"])]
    exercises = [e for e in OURS if e.lesson == lesson]
    assert len(cells) == len(exercises)
    namespace = {"np": np, "checks": checks, "example_volume": conv1x1.example_volume,
                 "example_filters": conv1x1.example_filters}       # shared: cells may reuse earlier data
    for source, exercise in zip(cells, exercises):
        namespace["reference_answer"] = exercise.solve(**exercise.data)
        lines = [("answer = reference_answer" if line.startswith("answer = ...") else line)
                 for line in source.splitlines()]
        body = "\n".join(lines)
        # the check call is the cell's last expression (it may span lines): evaluate it
        start = body.index("checks.check_")
        exec(body[:start], namespace)
        feedback = eval(body[start:], namespace)
        assert feedback.correct, f"{exercise.name}: {feedback}"
