"""Lessons 07 and 08's computation: colour mixes as filter banks, and learning a 1×1 convolution."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from conv1x1 import (
    COLOUR_MIXES,
    GREY_FILTER,
    colour_mix,
    conv1x1,
    fit_gradient_descent,
    fit_least_squares,
    mse_gradient,
    mse_loss,
)
from conv1x1.compute.data import load_photo, pillow_grey

RNG = np.random.default_rng(5)
X = RNG.random((12, 10, 3))                          # a small, well-conditioned "photo"
HIDDEN = np.array([[0.6, 0.1, -0.2], [0.3, 0.7, 0.2], [-0.1, 0.1, 0.9]])
Y = conv1x1(X, HIDDEN)


# -- the photo -------------------------------------------------------------------------------------------
def test_photo_is_the_full_size_rgb_portrait_in_0_1():
    photo = load_photo()
    assert photo.shape == (600, 512, 3) and photo.dtype == np.float64
    assert photo.min() == 0.0 and photo.max() == 1.0
    assert np.allclose(photo * 255, np.round(photo * 255)), "values are the JPEG's bytes / 255"
    assert load_photo(np.float32).dtype == np.float32
    photo[0, 0] = -1                                 # a fresh copy each time: the cache is not touched
    assert load_photo()[0, 0, 0] >= 0


def test_photo_dtype_errors():
    with pytest.raises(TypeError, match=r"dtype must be a floating-point type .* got int64"):
        load_photo(np.int64)


def test_pillow_grey_agrees_with_the_grey_filter_to_its_rounding():
    diff = np.abs(conv1x1(load_photo(), GREY_FILTER) - pillow_grey())
    assert diff.max() <= 0.5 / 255 + 1e-9            # Pillow rounds to whole 0..255 values
    assert diff.max() > 0                            # ... so it is another computation, not ours


# -- colour mixes ---------------------------------------------------------------------------------------
def test_colour_mixes_are_c_by_f_banks():
    assert set(COLOUR_MIXES) == {"identity", "grey", "swap red and blue", "sepia", "RGB to YIQ"}
    for name, w in COLOUR_MIXES.items():
        assert w.shape == (3, 3) and not w.flags.writeable, name
    pixel = np.array([[[0.2, 0.5, 0.9]]])            # R, G, B
    assert conv1x1(pixel, COLOUR_MIXES["identity"]).ravel().tolist() == pytest.approx([0.2, 0.5, 0.9])
    assert conv1x1(pixel, COLOUR_MIXES["swap red and blue"]).ravel().tolist() == pytest.approx([0.9, 0.5, 0.2])
    grey = 0.299 * 0.2 + 0.587 * 0.5 + 0.114 * 0.9
    assert conv1x1(pixel, COLOUR_MIXES["grey"]).ravel() == pytest.approx([grey] * 3)
    # column f is the filter for output f: sepia's output R is 0.393 R + 0.769 G + 0.189 B
    assert conv1x1(pixel, COLOUR_MIXES["sepia"])[0, 0, 0] == pytest.approx(0.393 * 0.2 + 0.769 * 0.5 + 0.189 * 0.9)
    yiq = conv1x1(pixel, COLOUR_MIXES["RGB to YIQ"]).ravel()
    assert yiq[0] == pytest.approx(grey)             # Y is the grey filter
    assert conv1x1(np.ones((1, 1, 3)), COLOUR_MIXES["RGB to YIQ"]).ravel()[1:] == pytest.approx([0, 0])  # white: no colour


def test_colour_mix_returns_a_copy_and_names_the_choices():
    w = colour_mix("sepia")
    w[0, 0] = 5
    assert COLOUR_MIXES["sepia"][0, 0] == 0.393
    with pytest.raises(ValueError, match=r"name must be one of \[.*'sepia'.*\]; got 'Sepia'"):
        colour_mix("Sepia")
    with pytest.raises(TypeError, match=r"name must be a string"):
        colour_mix(3)


# -- least squares ---------------------------------------------------------------------------------------
def test_least_squares_recovers_a_known_bank_exactly_without_noise():
    w = fit_least_squares(X, Y)
    assert w.shape == (3, 3)
    assert np.allclose(w, HIDDEN, atol=1e-12)
    assert mse_loss(X, Y, w) < 1e-25


def test_least_squares_on_the_photo_recovers_every_preset():
    photo = load_photo()[::8, ::8]
    for name, bank in COLOUR_MIXES.items():
        assert np.allclose(fit_least_squares(photo, conv1x1(photo, bank)), bank, atol=1e-9), name


def test_least_squares_one_filter_and_other_layouts():
    y = conv1x1(X, HIDDEN[:, 1])                     # (H, W): one filter
    assert fit_least_squares(X, y).shape == (3,)
    assert np.allclose(fit_least_squares(X, y), HIDDEN[:, 1])
    batch = np.stack([X, X[::-1]])                   # (N, H, W, C)
    assert np.allclose(fit_least_squares(batch, conv1x1(batch, HIDDEN)), HIDDEN)
    rows = X.reshape(-1, 3)                          # (P, C)
    assert np.allclose(fit_least_squares(rows, rows @ HIDDEN), HIDDEN)


def test_least_squares_with_noise_is_the_best_fit():
    noisy = Y + np.random.default_rng(1).normal(0, 0.05, Y.shape)
    w = fit_least_squares(X, noisy)
    assert np.abs(w - HIDDEN).max() < 0.1
    assert np.allclose(mse_gradient(X, noisy, w), 0, atol=1e-12), "the minimum: the gradient vanishes"
    assert mse_loss(X, noisy, w) <= mse_loss(X, noisy, HIDDEN)


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, (20, 3), elements=st.floats(-2, 2)), arrays(np.float64, (3, 2), elements=st.floats(-2, 2)))
def test_least_squares_inverts_the_convolution(x, w):
    if np.linalg.svd(x, compute_uv=False)[-1] < 1e-2:   # only pixels that determine the weights
        return
    assert np.allclose(fit_least_squares(x, x @ w), w, atol=1e-7)


# -- loss and gradient ------------------------------------------------------------------------------------
def test_loss_is_the_mean_of_all_squared_errors():
    w = np.eye(3)
    assert mse_loss(X, Y, w) == pytest.approx(np.mean((conv1x1(X, w) - Y) ** 2))
    assert mse_loss(X, Y, HIDDEN) == pytest.approx(0, abs=1e-28)


@pytest.mark.parametrize("single", [False, True])
def test_gradient_matches_finite_differences(single):
    rng = np.random.default_rng(2)
    w = rng.normal(size=3) if single else rng.normal(size=(3, 3))
    y = Y[..., 0] if single else Y
    grad = mse_gradient(X, y, w)
    assert grad.shape == w.shape
    numeric = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        step = np.zeros_like(w)
        step[index] = 1e-6
        numeric[index] = (mse_loss(X, y, w + step) - mse_loss(X, y, w - step)) / 2e-6
    assert np.allclose(grad, numeric, atol=1e-7)


def test_gradient_is_zero_at_the_hidden_bank():
    assert np.allclose(mse_gradient(X, Y, HIDDEN), 0, atol=1e-14)


# -- gradient descent --------------------------------------------------------------------------------------
def test_gradient_descent_loss_decreases_and_gets_close():
    fit = fit_gradient_descent(X, Y, learning_rate=1.0, steps=3000)
    assert fit.losses.shape == (3001,)
    assert fit.losses[0] == pytest.approx(mse_loss(X, Y, np.zeros((3, 3))))
    assert np.all(np.diff(fit.losses) <= 1e-15), "a small enough step never increases a quadratic loss"
    assert fit.losses[-1] < 1e-6 * fit.losses[0]
    assert np.abs(fit.w - HIDDEN).max() < 1e-3
    assert fit.losses[-1] == pytest.approx(mse_loss(X, Y, fit.w))


def test_gradient_descent_one_step_is_one_gradient_step():
    w0 = np.eye(3)
    fit = fit_gradient_descent(X, Y, learning_rate=0.5, steps=1, w0=w0)
    assert np.allclose(fit.w, w0 - 0.5 * mse_gradient(X, Y, w0))
    assert np.array_equal(w0, np.eye(3)), "w0 is not changed in place"


def test_gradient_descent_one_filter():
    fit = fit_gradient_descent(X, Y[..., 2], learning_rate=1.0, steps=2000)
    assert fit.w.shape == (3,) and np.allclose(fit.w, HIDDEN[:, 2], atol=1e-3)


def test_gradient_descent_reports_divergence_with_the_stable_step():
    with pytest.raises(ValueError, match=r"learning_rate=50 is too large for this data: gradient descent "
                                         r"diverges for steps above 2 / [\d.]+ = [\d.]+ "):
        fit_gradient_descent(X, Y, learning_rate=50, steps=500)


def test_a_step_just_above_the_limit_is_reported_too():
    """Just above the limit the loss grows slowly (no blow-up within the steps): still an error."""
    Xf, Yf = X.reshape(-1, 3), Y.reshape(-1, 3)
    limit = 2 / np.linalg.eigvalsh(2 / Yf.size * (Xf.T @ Xf)).max()
    fit = fit_gradient_descent(X, Y, learning_rate=0.99 * limit, steps=50)      # below: fine
    assert fit.losses[-1] < fit.losses[0]
    with pytest.raises(ValueError, match="too large for this data"):
        fit_gradient_descent(X, Y, learning_rate=1.02 * limit, steps=50)


# -- bad input --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, error, message", [
    (lambda: fit_least_squares(X, Y[:, :5]), ValueError,
     r"y must have one target per pixel and output channel: shape \(12, 10, 'F'\) .* got shape \(12, 5, 3\)"),
    (lambda: fit_least_squares(X, np.moveaxis(Y, -1, 0)), ValueError, r"y looks channels-first"),
    (lambda: fit_least_squares(X, Y.transpose(1, 0, 2)), ValueError, r"height and width are swapped"),
    (lambda: fit_least_squares(X[0, 0], Y[0, 0]), ValueError, r"x must hold pixels with a channel axis last"),
    (lambda: fit_least_squares(np.ones((4, 4, 3)), Y[:4, :4]), ValueError,
     r"the pixels of x span only 1 of its 3 channel directions"),
    (lambda: fit_least_squares(np.where(X > 0.5, np.nan, X), Y), ValueError, r"x must hold finite numbers"),
    (lambda: fit_least_squares(X, "abc"), TypeError, r"y must be an array of real numbers"),
    (lambda: mse_loss(X, Y, HIDDEN[:2]), ValueError, r"w must have shape \(3, 3\) \(C, F\) .* got shape \(2, 3\)"),
    (lambda: mse_gradient(X, Y[..., :2], np.ones((2, 3))), ValueError, r"w looks transposed: .* try w.T"),
    (lambda: fit_gradient_descent(X, Y, learning_rate=0, steps=5), ValueError,
     r"learning_rate must be a positive number; got 0"),
    (lambda: fit_gradient_descent(X, Y, learning_rate="fast", steps=5), TypeError,
     r"learning_rate must be a positive number; got 'fast' \(str\)"),
    (lambda: fit_gradient_descent(X, Y, learning_rate=0.1, steps=0), ValueError,
     r"steps must be an integer >= 1; got 0"),
    (lambda: fit_gradient_descent(X, Y, learning_rate=0.1, steps=2.5), TypeError, r"steps must be an integer"),
])
def test_bad_input_errors_name_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("single", [False, True])
def test_gradient_descent_takes_the_steps_it_says_pixel_by_pixel(single):
    """fit_gradient_descent computes its steps from XᵀX and XᵀY (fast): they are the steps
    ``w -= learning_rate * mse_gradient(x, y, w)``, and the losses mse_loss's, to rounding."""
    rng = np.random.default_rng(3)
    x = rng.random((40, 30, 3))
    y = x @ rng.normal(size=(3, 2)) + 0.05 * rng.normal(size=(40, 30, 2))
    if single:
        y = y[..., 0]
    fit = fit_gradient_descent(x, y, learning_rate=0.5, steps=25)
    w, losses = np.zeros((3,) if single else (3, 2)), []
    for _ in range(25):
        losses.append(mse_loss(x, y, w))
        w = w - 0.5 * mse_gradient(x, y, w)
    losses.append(mse_loss(x, y, w))
    assert np.allclose(fit.w, w, rtol=1e-12, atol=1e-14) and fit.w.shape == w.shape
    assert np.allclose(fit.losses, losses, rtol=1e-10, atol=1e-15)
