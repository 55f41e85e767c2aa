"""Exercise checks of lessons 05 (one operation, many names) and 06 (Network in Network): mistakes get their hint."""

from __future__ import annotations

import numpy as np
import pytest
from checks_support import exercise, wrong

from conv1x1 import checks, conv1x1, example_filters
from conv1x1.compute.export import framework_weights


# -- 05.1 einsum -----------------------------------------------------------------------------
def einsum_data():
    return exercise("einsum_batch").data


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
    assert checks.check_einsum("hwc,cf->hwf", x=data["x"][0], w=data["w"]).correct


# -- 05.2 torch_to_ours: PyTorch's (F, C, 1, 1) back to our (C, F) ----------------------------
W_OURS = exercise("torch_to_ours").data["w_framework"][:, :, 0, 0].T   # the bank behind the exercise's weight


def test_torch_to_ours_data_is_a_conv2d_weight_of_our_bank():
    data = exercise("torch_to_ours").data
    w_torch = data["w_framework"]
    assert w_torch.shape == (3, 5, 1, 1) and data["framework"] == "pytorch"
    assert np.array_equal(w_torch, framework_weights(W_OURS, "pytorch"))
    assert checks.check_from_framework_weights(W_OURS, w_torch).correct
    assert checks.check_from_framework_weights(w_torch.squeeze().T, w_torch).correct
    assert checks.check_from_framework_weights(w_torch.reshape(3, 5).T, w_torch).correct


@pytest.mark.parametrize("convert, phrases", [
    (lambda w: w.reshape(5, 3), ["weights are scrambled", "reshape keeps the numbers", "w_torch[:, :, 0, 0].T"]),
    (lambda w: w, ["unchanged", "(3, 5, 1, 1)", "1×1 kernel axes are still there", "drop the 1×1 axes"]),
    (lambda w: np.swapaxes(w, 0, 1), ["1×1 kernel axes are still there", "(5, 3, 1, 1)", "drop them"]),
    (lambda w: w.reshape(5, 3, 1, 1), ["still has the two 1×1 kernel axes", "(5, 3, 1, 1)"]),
    (lambda w: w.T, ["reverses all four axes", "(1, 1, 5, 3)"]),
    (lambda w: w[:, :, 0, 0], ["(F, C) = (3, 5)", "still rows", "column f is filter f"]),
    (lambda w: w.squeeze(), ["(F, C) = (3, 5)", "transpose"]),
    (lambda w: np.zeros((2, 2)), ["shape (2, 2), expected (5, 3)", "without 1×1 axes"]),
])
def test_torch_to_ours_mistakes(convert, phrases):
    w_torch = exercise("torch_to_ours").data["w_framework"]
    wrong(checks.check_from_framework_weights(convert(w_torch), w_torch), *phrases)


def test_from_other_frameworks_and_bad_input():
    keras = framework_weights(W_OURS, "keras")
    assert checks.check_from_framework_weights(keras[0, 0], keras, "keras").correct
    wrong(checks.check_from_framework_weights(keras, keras, "keras"), "still there", "w_keras[0, 0]")
    wrong(checks.check_from_framework_weights(keras[0, 0].T, keras, "keras"), "nothing needs transposing")
    linear = framework_weights(W_OURS, "pytorch-linear")
    assert checks.check_from_framework_weights(linear.T, linear, "pytorch-linear").correct
    wrong(checks.check_from_framework_weights(linear, linear, "pytorch-linear"), "still rows", "w_linear.T")
    wrong(checks.check_from_framework_weights(linear.reshape(5, 3), linear, "pytorch-linear"), "scrambled")
    with pytest.raises(ValueError, match=r"w_framework must be pytorch's layout \(F, C, 1, 1\); got shape \(5, 3\)"):
        checks.check_from_framework_weights(W_OURS, W_OURS)
    with pytest.raises(ValueError, match="framework must be one of"):
        checks.check_from_framework_weights(W_OURS, W_OURS, "mxnet")


def test_framework_weight_mistakes():
    """The other direction, our bank into a framework's layout, stays public API."""
    w = W_OURS
    C, F = w.shape
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


# -- 06.1 and 06.2: three 1×1 layers without ReLU collapse into one ------------------------------
def layers():
    data = exercise("collapse_three_filters").data
    ws = [data["w_a"], data["w_b"], data["w_c"]]
    bias_data = exercise("collapse_three_bias").data
    assert all(np.array_equal(a, b) for a, b in zip(ws, bias_data["ws"])), "06.1 and 06.2 use the same layers"
    return ws, bias_data["bs"]


def test_the_collapsed_layer_is_the_three_layers():
    (w_a, w_b, w_c), (b_a, b_b, b_c) = layers()
    assert [w.shape for w in (w_a, w_b, w_c)] == [(6, 4), (4, 3), (3, 2)]
    assert np.array_equal(w_c, example_filters(3, 2, seed=7)) and np.array_equal(b_c, [0.5, -0.4])
    x = np.random.default_rng(3).standard_normal((4, 5, 6))
    three = conv1x1(conv1x1(conv1x1(x, w_a, b_a), w_b, b_b), w_c, b_c)
    one = conv1x1(x, w_a @ w_b @ w_c, (b_a @ w_b + b_b) @ w_c + b_c)
    assert np.allclose(three, one)


@pytest.mark.parametrize("answer, phrases", [
    (lambda a, b, c: (a @ b @ c).T, ["transposed", "(2, 6)", "w₁ @ w₂ @ w₃", "does not even run", "2 ≠ 4"]),
    (lambda a, b, c: c.T @ b.T @ a.T, ["transposed", "reverse order"]),
    (lambda a, b, c: a @ b, ["only the first and second layers", "the third (3 → 2) is missing"]),
    (lambda a, b, c: b @ c, ["only the second and third layers", "the first (6 → 4) is missing"]),
    (lambda a, b, c: a, ["first layer's matrix alone", "are missing"]),
    (lambda a, b, c: c, ["third layer's matrix alone"]),
    (lambda a, b, c: b @ b.T, ["4×4", "middle layer's size"]),
    (lambda a, b, c: a @ b @ c + 1, ["values differ"]),
    (lambda a, b, c: np.ones((2, 5)), ["shape (2, 5), expected (6, 2)", "6 → 4 → 3 → 2", "does not even run"]),
])
def test_collapsed_filter_mistakes(answer, phrases):
    ws, _ = layers()
    wrong(checks.check_collapsed_filters(answer(*ws), *ws), *phrases)


def test_collapsed_filters_still_work_for_two_layers():
    w1, w2 = example_filters(6, 4, seed=2), example_filters(4, 3, seed=3)
    assert checks.check_collapsed_filters(w1 @ w2, w1, w2).correct
    wrong(checks.check_collapsed_filters((w1 @ w2).T, w1, w2), "transposed", "w₁ @ w₂")
    wrong(checks.check_collapsed_filters(w1, w1, w2), "first layer's matrix alone", "second (4 → 3) is missing")
    wrong(checks.check_collapsed_filters(w2, w1, w2), "second layer's matrix alone")
    wrong(checks.check_collapsed_filters(w1.T @ w1, w1, w2), "middle layer's size")


def test_collapsed_filters_reject_layers_that_do_not_chain():
    with pytest.raises(ValueError, match=r"the second layer's matrix has shape \(3, 2\), so it reads 3 channels, "
                                         r"but the first layer's \(6, 4\) makes 4"):
        checks.check_collapsed_filters(np.zeros((6, 2)), np.zeros((6, 4)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"the first layer's matrix must be a \(C_in, C_out\) filter bank; "
                                         r"got shape \(6,\)"):
        checks.check_collapsed_filters(np.zeros((6, 2)), np.zeros(6), np.zeros((6, 2)))


@pytest.mark.parametrize("answer, phrases", [
    (lambda ws, bs: bs[2], ["last layer's bias alone", "(b₁ @ w₂ + b₂) @ w₃ + b₃"]),
    (lambda ws, bs: bs[1] @ ws[2] + bs[2], ["the first layer's bias is missing", "passes through the matrices"]),
    (lambda ws, bs: bs[0] @ ws[1] @ ws[2] + bs[2], ["the second layer's bias is missing"]),
    (lambda ws, bs: (bs[0] @ ws[1] + bs[1]) @ ws[2], ["the third layer's bias is missing"]),
    (lambda ws, bs: bs[0] @ ws[1] + bs[1], ["bias after the first two layers", "not through the third"]),
    (lambda ws, bs: bs[0], ["first layer's bias (4 numbers", "still passes through the later layers"]),
    (lambda ws, bs: np.zeros(5), ["shape (5,), expected (2,)", "its bias has 2 numbers"]),
])
def test_collapsed_bias_mistakes(answer, phrases):
    ws, bs = layers()
    wrong(checks.check_collapsed_bias(answer(ws, bs), ws, bs), *phrases)


def test_collapsed_bias_on_square_layers_the_plain_sum_and_a_skipped_matrix():
    ws = [2 * np.eye(3), np.diag([1.0, 2.0, 3.0]), np.ones((3, 3))]
    bs = [np.array([1.0, 2.0, 3.0]), np.array([0.5, 0.0, 1.0]), np.array([1.0, 1.0, 1.0])]
    assert checks.check_collapsed_bias((bs[0] @ ws[1] + bs[1]) @ ws[2] + bs[2], ws, bs).correct
    wrong(checks.check_collapsed_bias(bs[0] + bs[1] + bs[2], ws, bs), "added the biases up directly")
    wrong(checks.check_collapsed_bias(bs[0] @ ws[1] + bs[1] + bs[2], ws, bs), "not passed through its matrix")


def test_collapsed_bias_for_two_layers_and_bad_input():
    w1, w2 = example_filters(6, 4, seed=2), example_filters(4, 3, seed=3)
    b1, b2 = example_filters(4, seed=4), example_filters(3, seed=5)
    assert checks.check_collapsed_bias(b1 @ w2 + b2, [w1, w2], [b1, b2]).correct
    wrong(checks.check_collapsed_bias(b2, [w1, w2], [b1, b2]), "last layer's bias alone", "b₁ @ w₂ + b₂")
    wrong(checks.check_collapsed_bias(b1 @ w2, [w1, w2], [b1, b2]), "second layer's bias is missing")
    with pytest.raises(ValueError, match="ws has 2 matrices but bs has 1 biases"):
        checks.check_collapsed_bias(b2, [w1, w2], [b1])
    with pytest.raises(ValueError, match=r"the second layer's bias must have shape \(3,\).*got shape \(4,\)"):
        checks.check_collapsed_bias(b2, [w1, w2], [b1, b1])
    with pytest.raises(TypeError, match=r"ws must be a sequence of the layers' matrices"):
        checks.check_collapsed_bias(b2, w2, [b1, b2])


# -- 06.3 narrow_rank --------------------------------------------------------------------------
def test_narrow_rank_is_two():
    ws = exercise("narrow_rank").data["ws"]
    assert [w.shape for w in ws] == [(6, 2), (2, 6)]
    assert np.linalg.matrix_rank(ws[0] @ ws[1]) == 2
    fb = checks.check_rank(2, ws)
    assert fb.correct and "6 → 2 → 6" in fb.message and "cannot be just any 6 → 6 map" in fb.message
    assert checks.check_rank(np.int64(2), ws).correct


@pytest.mark.parametrize("answer, phrases", [
    (6, ["need not have full rank", "everything passes through 2 channels"]),
    ("matrix", ["array of shape (6, 6)", "its rank, a single number", "np.linalg.matrix_rank"]),
    (36, ["number of entries"]),
    (2.5, ["not a whole number"]),
    (False, ["asks for a number"]),
    (3, ["another rank", "6 → 2 → 6"]),
])
def test_narrow_rank_mistakes(answer, phrases):
    ws = exercise("narrow_rank").data["ws"]
    wrong(checks.check_rank(ws[0] @ ws[1] if answer == "matrix" else answer, ws), *phrases)
