"""Exercise checks of lessons 07 (colour mixing) and 08 (learning a 1×1 layer): wrong answers get their hint."""

from __future__ import annotations

import numpy as np
import pytest
from checks_support import exercise, wrong

from conv1x1 import checks, colour_mix, conv1x1
from conv1x1.compute.data import load_photo, pillow_grey

BT601 = np.array([0.299, 0.587, 0.114])
BT709 = np.array([0.2126, 0.7152, 0.0722])
ROTATE = exercise("rotate_channels").solve()


def test_grey_standards_keep_white_white_and_weigh_green_most():
    """What the feedback says of them: white stays white, green weighs most and blue least, by different amounts."""
    for name, weights in checks.GREY_STANDARDS.items():
        assert conv1x1(np.ones((1, 1, 3)), weights)[0, 0] == pytest.approx(1), name
        assert weights[1] > weights[0] > weights[2], name
    assert not np.allclose(*checks.GREY_STANDARDS.values(), atol=1e-3)     # told apart by check_learned_bank
    assert checks.check_colour_mix(checks.GREY_STANDARDS["BT.601"], "grey filter")    # lesson 07's grey is BT.601


# -- 07.1 grey709_as_3x3 ----------------------------------------------------------------------
def test_grey709_as_3x3_every_column_is_the_bt709_filter():
    assert exercise("grey709_as_3x3").data == {"task": "grey BT.709"}
    bank = np.column_stack([BT709, BT709, BT709])
    assert checks.check_colour_mix(bank, "grey BT.709").correct
    grey = conv1x1(load_photo()[::50, ::50], bank)
    assert np.allclose(grey[..., 0], grey[..., 1]) and np.allclose(grey[..., 0], grey[..., 2])


@pytest.mark.parametrize("answer, phrases", [
    (colour_mix("grey"), ["BT.601 weights [0.299, 0.587, 0.114]", "SDTV", "BT.709", "HDTV",
                          "[0.2126, 0.7152, 0.0722]"]),
    (np.tile(BT709[:, None], 3).T, ["rows are all equal instead of your columns", "transposed",
                                    "column f is the filter that makes output channel f"]),
    (colour_mix("grey").T, ["BT.601", "in the rows instead of the columns", "column f is the filter"]),
    (BT709, ["single filter, shape (3,)", "3-channel picture", "(3, 3)", "np.column_stack"]),
    (BT601, ["shape (3,)", "3-channel picture"]),
    (BT709[:, None], ["shape (3, 1)", "one output channel"]),
    (np.full((3, 3), 1 / 3), ["plain average", "[0.2126, 0.7152, 0.0722] in BT.709"]),
    (np.tile(BT709[:, None], 3) * 100, ["percentages"]),
    (np.tile(BT709[::-1, None], 3), ["order B, G, R"]),
    (np.eye(3), ["identity"]),
])
def test_grey709_as_3x3_mistakes(answer, phrases):
    wrong(checks.check_colour_mix(answer, "grey BT.709"), *phrases)


# -- the "grey filter" task (3 → 1) stays public API -------------------------------------------
def test_grey_filter_right_and_unanswered():
    assert checks.check_colour_mix([0.299, 0.587, 0.114], "grey filter")
    fb = checks.check_colour_mix(..., "grey filter")
    assert not fb.answered and "Not answered yet" in str(fb)


@pytest.mark.parametrize("answer, phrases", [
    (BT709, ["BT.709 weights [0.2126, 0.7152, 0.0722]", "HDTV", "task asks for BT.601", "SDTV"]),
    ([0.114, 0.587, 0.299], ["order B, G, R", "index 0 is red"]),
    ([29.9, 58.7, 11.4], ["percentages", "0.299"]),
    ([1 / 3, 1 / 3, 1 / 3], ["plain average", "green"]),
    ([[0.299], [0.587], [0.114]], ["extra axis: shape (3, 1)", ".ravel()"]),
    ([[0.299, 0.587, 0.114]], ["row of shape (1, 3)", ".ravel()"]),
    (colour_mix("grey"), ["3 → 3 bank", "single filter"]),
    ([0.3, 0.6, 0.2], ["values differ"]),
])
def test_grey_filter_mistakes(answer, phrases):
    wrong(checks.check_colour_mix(answer, "grey filter"), *phrases)


def test_swap_red_blue_right_and_wrong():
    swap = colour_mix("swap red and blue")
    assert checks.check_colour_mix(swap, "swap red and blue")
    assert checks.check_colour_mix(swap.T, "swap red and blue"), "a swap is its own transpose: both are right"
    wrong(checks.check_colour_mix(np.eye(3), "swap red and blue"), "identity")
    swap_red_green = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1.0]])
    wrong(checks.check_colour_mix(swap_red_green, "swap red and blue"), "column f = 0, the filter making output R",
          "output R = R×0 + G×1 + B×0", "'swap red and blue'")


# -- 07.2 rotate_channels ------------------------------------------------------------------------
def test_rotate_channels_mistakes():
    assert checks.check_colour_mix(ROTATE, "rotate channels").correct
    wrong(checks.check_colour_mix(ROTATE.T, "rotate channels"), "transposed", "Use .T")
    wrong(checks.check_colour_mix(np.eye(3), "rotate channels"), "identity")
    wrong(checks.check_colour_mix(ROTATE * 100, "rotate channels"), "percentages")


def test_transposed_and_reversed_colour_mixes():
    sepia = colour_mix("sepia")
    wrong(checks.check_colour_mix(sepia.T, "sepia"), "transposed")
    wrong(checks.check_colour_mix(sepia[::-1, ::-1], "sepia"), "B, G, R")


def test_colour_mix_unknown_task():
    with pytest.raises(ValueError, match=r"task must be one of \[.*'grey BT.709'.*'rotate channels'.*\]; got 'rotate'"):
        checks.check_colour_mix(ROTATE, "rotate")


# -- 08.1 the gradient --------------------------------------------------------------------------
def gradient_data():
    return exercise("gradient").data


def test_gradient_data_is_a_sepia_patch_of_the_photo():
    data = gradient_data()
    x, y, w = data["x"], data["y"], data["w"]
    assert x.shape == (6, 6, 3) and np.array_equal(x, load_photo()[::100, ::100])
    assert np.allclose(y, conv1x1(x, colour_mix("sepia"))) and np.array_equal(w, np.eye(3))


@pytest.mark.parametrize("change, phrase", [
    (lambda g, y: g / 2, "factor 2"),
    (lambda g, y: -g, "sign is flipped"),
    (lambda g, y: g * y.size, "sum of squares"),
    (lambda g, y: g * 3, "not over the output channels"),
    (lambda g, y: g.T, "transposed"),
])
def test_gradient_mistakes(change, phrase):
    data = gradient_data()
    right = exercise("gradient").solve(**data)
    assert checks.check_gradient(right, **data)
    wrong(checks.check_gradient(change(right, data["y"]), **data), phrase)


def test_gradient_without_the_inputs():
    data = gradient_data()
    errors = conv1x1(data["x"], data["w"]) - data["y"]
    wrong(checks.check_gradient(errors, **data), "product with the inputs is missing")


# -- 08.2 pillow_filter: which standard did Pillow use? ---------------------------------------------
PHOTO = load_photo()
BY_PILLOW = pillow_grey()
LEARNED = np.linalg.lstsq(PHOTO.reshape(-1, 3), BY_PILLOW.reshape(-1), rcond=None)[0]


def test_pillow_filter_data():
    data = exercise("pillow_filter").data
    assert np.array_equal(data["x"], PHOTO) and np.array_equal(data["y"], BY_PILLOW)
    assert data["candidates"] is checks.GREY_STANDARDS


def test_pillow_filter_correct_feedback_answers_the_question():
    fb = checks.check_learned_bank(LEARNED, PHOTO, BY_PILLOW, candidates=checks.GREY_STANDARDS)
    assert fb.correct, fb
    assert str(fb) == ("✔ Correct: your weights 0.299 0.587 0.114 are BT.601's (largest difference 0.00046); "
                       "BT.709's differ by up to 0.13.")
    X = PHOTO.reshape(-1, 3)
    normal_equations = np.linalg.solve(X.T @ X, X.T @ BY_PILLOW.ravel())
    assert checks.check_learned_bank(normal_equations, PHOTO, BY_PILLOW, candidates=checks.GREY_STANDARDS)


@pytest.mark.parametrize("answer, phrases", [
    (BT601, ["exactly BT.601's weights", "typed in, or rounded", "least squares"]),
    (BT709, ["exactly BT.709's weights"]),
    (LEARNED + 0.002, ["close (within 0.002)", "lstsq"]),
    (LEARNED[:, None], ["extra axis"]),
    ([1.0, 0.0, 0.0], ["values differ"]),
])
def test_pillow_filter_mistakes(answer, phrases):
    wrong(checks.check_learned_bank(answer, PHOTO, BY_PILLOW, candidates=checks.GREY_STANDARDS), *phrases)


def test_pillow_filter_the_whole_lstsq_tuple():
    fb = checks.check_learned_bank(np.linalg.lstsq(PHOTO.reshape(-1, 3), BY_PILLOW.reshape(-1), rcond=None),
                                   PHOTO, BY_PILLOW, candidates=checks.GREY_STANDARDS)
    wrong(fb, "tuple of 4", "[0]")


def test_candidates_must_have_the_shape_of_the_weights():
    with pytest.raises(ValueError, match=r"candidates\['RGB'\] must have the shape of the learned weights \(3,\); "
                                         r"got shape \(3, 3\)"):
        checks.check_learned_bank(LEARNED, PHOTO, BY_PILLOW, candidates={"RGB": np.eye(3)})


def test_learned_bank_without_candidates_backwards_and_transposed():
    small, target = PHOTO[::4, ::4], BY_PILLOW[::4, ::4]
    learned = np.linalg.lstsq(small.reshape(-1, 3), target.reshape(-1), rcond=None)[0]
    assert str(checks.check_learned_bank(learned, small, target)).startswith("✔ Correct: your learned filter")
    wrong(checks.check_learned_bank(np.round(learned, 2), small, target), "close", "lstsq")
    x = load_photo()[::10, ::10]
    hidden = np.array([[0.6, 0.1, -0.2], [0.3, 0.7, 0.2], [-0.1, 0.1, 0.9]])
    y = conv1x1(x, hidden)
    assert checks.check_learned_bank(hidden, x, y)
    wrong(checks.check_learned_bank(hidden.T, x, y), "transposed")
    wrong(checks.check_learned_bank(np.linalg.inv(hidden), x, y), "wrong way round")
