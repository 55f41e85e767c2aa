"""conv1x1 computes what PyTorch's nn.Conv2d(kernel_size=1) and nn.Linear compute (lesson 05).

Skipped without PyTorch, failed instead when CONV1X1_REQUIRE_TORCH=1 (CI):
see tests/torch_support.py.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conv1x1 import conv1x1
from conv1x1.compute.export import framework_weights
from torch_support import REQUIRE_ENV, import_torch, torch_required


@pytest.fixture
def torch():
    return import_torch()


def torch_conv(torch, x, w, b=None, *, relu=False, dtype=None):
    """x (N, H, W, C) through nn.Conv2d(C, F, kernel_size=1), back to (N, H, W, F), as NumPy."""
    dtype = dtype or torch.float64
    C, F = w.shape
    conv = torch.nn.Conv2d(C, F, kernel_size=1, bias=b is not None).to(dtype)
    with torch.no_grad():
        conv.weight.copy_(torch.as_tensor(framework_weights(w, "pytorch")))
        if b is not None:
            conv.bias.copy_(torch.as_tensor(b))
        y = conv(torch.as_tensor(x, dtype=dtype).permute(0, 3, 1, 2))
        if relu:
            y = torch.relu(y)
    return y.permute(0, 2, 3, 1).numpy()


def torch_linear(torch, x, w, b=None, *, dtype=None):
    dtype = dtype or torch.float64
    C, F = w.shape
    linear = torch.nn.Linear(C, F, bias=b is not None).to(dtype)
    with torch.no_grad():
        linear.weight.copy_(torch.as_tensor(framework_weights(w, "pytorch-linear")))
        if b is not None:
            linear.bias.copy_(torch.as_tensor(b))
        return linear(torch.as_tensor(x, dtype=dtype)).numpy()


def test_torch_is_installed_when_ci_requires_it():
    """In CI (CONV1X1_REQUIRE_TORCH=1) a missing PyTorch is a failure, never a skip."""
    if not torch_required():
        pytest.skip(f"{REQUIRE_ENV} is not set: PyTorch is optional here")
    import_torch()   # fails if torch is missing


def test_missing_torch_fails_when_required_and_skips_otherwise(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)       # import torch now raises ImportError
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match=REQUIRE_ENV):
        import_torch()
    monkeypatch.setenv(REQUIRE_ENV, "0")
    with pytest.raises(pytest.skip.Exception, match="PyTorch is optional"):
        import_torch()


def test_conv2d_kernel_size_1_equals_conv1x1(torch):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 7, 5, 12))
    w = rng.standard_normal((12, 4))
    b = rng.standard_normal(4)
    expected = conv1x1(x, w, b)
    # float64 in both: only the order of the additions differs
    assert np.allclose(torch_conv(torch, x, w, b), expected, rtol=1e-12, atol=1e-12)
    assert np.allclose(torch_conv(torch, x, w, b, relu=True), conv1x1(x, w, b, activation="relu"),
                       rtol=1e-12, atol=1e-12)
    # float32, as frameworks run by default: agreement to float32 precision, not better
    y32 = torch_conv(torch, x, w, b, dtype=torch.float32)
    assert y32.dtype == np.float32
    assert np.allclose(y32, expected, rtol=1e-5, atol=1e-5)
    assert not np.allclose(y32, expected, rtol=1e-12, atol=1e-12)


def test_linear_on_every_pixel_equals_conv1x1(torch):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((6, 6, 32))
    w = rng.standard_normal((32, 8))
    b = rng.standard_normal(8)
    assert np.allclose(torch_linear(torch, x, w, b), conv1x1(x, w, b), rtol=1e-12, atol=1e-12)
    # and one pixel's column through nn.Linear is that pixel of the 1×1 convolution
    assert np.allclose(torch_linear(torch, x[2, 3], w, b), conv1x1(x, w, b)[2, 3], rtol=1e-12, atol=1e-12)


def test_a_plain_reshape_of_the_weights_would_be_wrong(torch):
    """The transpose in framework_weights matters: reshaping (C, F) to (F, C, 1, 1) scrambles the filters."""
    rng = np.random.default_rng(2)
    x = rng.standard_normal((1, 3, 3, 5))
    w = rng.standard_normal((5, 3))
    conv = torch.nn.Conv2d(5, 3, kernel_size=1, bias=False).double()
    with torch.no_grad():
        conv.weight.copy_(torch.as_tensor(w.reshape(3, 5, 1, 1)))
        y = conv(torch.as_tensor(x).permute(0, 3, 1, 2)).permute(0, 2, 3, 1).numpy()
    assert not np.allclose(y, conv1x1(x, w))


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 2), h=st.integers(1, 5), w_=st.integers(1, 5), c=st.integers(1, 9), f=st.integers(1, 9),
       seed=st.integers(0, 2**32 - 1), bias=st.booleans())
def test_agreement_for_any_shape(n, h, w_, c, f, seed, bias):
    torch = import_torch()
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, h, w_, c))
    w = rng.standard_normal((c, f))
    b = rng.standard_normal(f) if bias else None
    expected = conv1x1(x, w, b)
    assert np.allclose(torch_conv(torch, x, w, b), expected, rtol=1e-10, atol=1e-10)
    assert np.allclose(torch_linear(torch, x, w, b), expected, rtol=1e-10, atol=1e-10)
