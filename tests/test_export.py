"""conv1x1.compute.export: the PyTorch and Keras code it prints, the weight layouts, and its errors (lesson 05).

The printed PyTorch and Keras code is executed and compared with conv1x1: PyTorch's
with PyTorch, Keras's with real Keras 3 running on PyTorch (KERAS_BACKEND=torch), both
required in CI (CONV1X1_REQUIRE_TORCH=1: see tests/torch_support.py).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conv1x1 import conv1x1
from conv1x1.compute.export import FRAMEWORKS, check_framework, export_code, framework_weights, print_export, weight_shape
from torch_support import REQUIRE_ENV, import_keras, import_torch

# Keras 3.15 on PyTorch 2.13 converts a tensor with np.array(tensor), and Tensor.__array__ takes no copy
# keyword, so NumPy 2 warns: inside Keras and PyTorch, not in the printed code.
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword")

RNG = np.random.default_rng(0)
X = RNG.standard_normal((5, 4, 6))
W = RNG.standard_normal((6, 3))
B = RNG.standard_normal(3)


def run(code: str, **names) -> np.ndarray:
    namespace = dict(names)
    exec(compile(code, "<export_code>", "exec"), namespace)
    return namespace["y"]


# -- PyTorch: the printed code runs and computes conv1x1 ------------------------------


CASES = [
    pytest.param(W, B, None, id="bank+bias"),
    pytest.param(W, None, None, id="bank, no bias"),
    pytest.param(W, B, "relu", id="bank+bias+relu"),
    pytest.param(W, 0.5, "relu", id="scalar bias"),
    pytest.param(W[:, 0], -0.25, None, id="one filter"),
]


@pytest.mark.parametrize("framework", ["pytorch", "pytorch-linear"])
@pytest.mark.parametrize("w, b, activation", CASES)
def test_printed_pytorch_code_computes_conv1x1(framework, w, b, activation):
    import_torch()
    code = export_code(w, b, framework=framework, activation=activation)
    y = run(code, w=w, b=b, x=X)
    expected = conv1x1(X, w, b, activation=activation)
    assert y.shape == expected.shape
    # PyTorch computes in float32: equal to float32 precision, not exactly
    assert np.allclose(y, expected, rtol=1e-5, atol=1e-5)


def test_printed_code_reads_the_variables_it_names():
    import_torch()
    code = export_code(W, B, w_name="filters", b_name="biases", x_name="volume")
    y = run(code, filters=W, biases=B, volume=X)
    assert np.allclose(y, conv1x1(X, W, B), rtol=1e-5, atol=1e-5)


def test_pytorch_code_builds_a_conv2d_with_kernel_size_1_in_the_pytorch_layout():
    torch = import_torch()
    namespace = {"w": W, "b": B, "x": X}
    exec(export_code(W, B), namespace)
    conv = namespace["conv"]
    assert isinstance(conv, torch.nn.Conv2d)
    assert conv.kernel_size == (1, 1) and conv.in_channels == 6 and conv.out_channels == 3
    assert tuple(conv.weight.shape) == (3, 6, 1, 1) == weight_shape("pytorch", 6, 3)
    assert np.allclose(conv.weight.detach().numpy()[:, :, 0, 0], W.T)


def test_pytorch_code_text():
    code = export_code(np.zeros((192, 32)), np.zeros(32), activation="relu")
    assert "nn.Conv2d(in_channels=192, out_channels=32, kernel_size=1, bias=True)" in code
    assert "(F, C, 1, 1) = (32, 192, 1, 1)" in code
    assert "np.asarray(w).T.reshape(32, 192, 1, 1)" in code
    assert "nn.Sequential(conv, nn.ReLU())" in code
    assert "bias=False" in export_code(np.zeros((192, 32)))
    assert "conv.bias" not in export_code(np.zeros((192, 32)))
    linear = export_code(np.zeros((192, 32)), framework="pytorch-linear")
    assert "nn.Linear(in_features=192, out_features=32, bias=False)" in linear and "(F, C) = (32, 192)" in linear


# -- Keras 3, for real, on PyTorch -----------------------------------------------------------


@pytest.mark.parametrize("w, b, activation", CASES)
def test_printed_keras_code_computes_conv1x1(w, b, activation):
    import_keras()
    code = export_code(w, b, framework="keras", activation=activation)
    y = run(code, w=w, b=b, x=X)
    expected = conv1x1(X, w, b, activation=activation)
    assert y.shape == expected.shape
    assert np.allclose(y, expected, rtol=1e-5, atol=1e-5)


def test_missing_keras_fails_when_required_and_skips_otherwise(monkeypatch):
    import_torch()
    monkeypatch.setitem(sys.modules, "keras", None)      # import keras now raises ImportError
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match=f"{REQUIRE_ENV}=1 but Keras cannot be imported"):
        import_keras()
    monkeypatch.setenv(REQUIRE_ENV, "0")
    with pytest.raises(pytest.skip.Exception, match="Keras is optional"):
        import_keras()


@pytest.fixture
def channels_first():
    """Keras set to channels first for the whole session, as a learner's notebook may have done."""
    keras = import_keras()
    before = keras.config.image_data_format()
    keras.config.set_image_data_format("channels_first")
    yield
    keras.config.set_image_data_format(before)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_printed_code_takes_lists_and_ignores_keras_data_format(framework, channels_first):
    """The docstring promises array_like w and b: nested lists included; Keras's code says channels_last."""
    code = export_code(W.tolist(), B.tolist(), framework=framework, activation="relu")
    y = run(code, w=W.tolist(), b=B.tolist(), x=X.tolist())
    assert np.allclose(y, conv1x1(X, W, B, activation="relu"), rtol=1e-5, atol=1e-5)
    one = run(export_code(W[:, 0].tolist(), 0.5, framework=framework), w=W[:, 0].tolist(), b=0.5, x=X)
    assert np.allclose(one, conv1x1(X, W[:, 0], 0.5), rtol=1e-5, atol=1e-5)


@settings(max_examples=15, deadline=None)
@given(c=st.integers(1, 6), f=st.integers(1, 6), bias=st.sampled_from(["none", "scalar", "vector"]),
       relu=st.booleans(), seed=st.integers(0, 1000))
def test_every_framework_computes_conv1x1_on_random_banks(c, f, bias, relu, seed):
    import_keras()
    rng = np.random.default_rng(seed)
    w, x = rng.standard_normal((c, f)), rng.standard_normal((3, 2, c))
    b = {"none": None, "scalar": 0.25, "vector": rng.standard_normal(f)}[bias]
    activation = "relu" if relu else None
    expected = conv1x1(x, w, b, activation=activation)
    for framework in FRAMEWORKS:
        y = run(export_code(w, b, framework=framework, activation=activation), w=w, b=b, x=x)
        assert np.allclose(y, expected, rtol=1e-5, atol=1e-5), framework


def test_keras_code_text():
    code = export_code(np.zeros((192, 32)), np.zeros(32), framework="keras", activation="relu")
    assert ('keras.layers.Conv2D(filters=32, kernel_size=1, use_bias=True, activation="relu", '
            'data_format="channels_last")') in code
    assert "(1, 1, C, F) = (1, 1, 192, 32)" in code
    assert "np.reshape(w, (1, 1, 192, 32))" in code


# -- layouts --------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(c=st.integers(1, 8), f=st.integers(1, 8), seed=st.integers(0, 1000))
def test_framework_weights_put_each_weight_where_the_framework_expects_it(c, f, seed):
    w = np.random.default_rng(seed).standard_normal((c, f))
    torch_w = framework_weights(w, "pytorch")
    keras_w = framework_weights(w, "keras")
    linear_w = framework_weights(w, "pytorch-linear")
    assert torch_w.shape == weight_shape("pytorch", c, f) == (f, c, 1, 1)
    assert keras_w.shape == weight_shape("keras", c, f) == (1, 1, c, f)
    assert linear_w.shape == weight_shape("pytorch-linear", c, f) == (f, c)
    for ci in range(c):
        for fi in range(f):
            assert torch_w[fi, ci, 0, 0] == keras_w[0, 0, ci, fi] == linear_w[fi, ci] == w[ci, fi]
    assert np.shares_memory(framework_weights(w, "keras"), w) is False


def test_one_filter_is_a_bank_of_one():
    assert framework_weights(np.arange(4.0), "pytorch").shape == (1, 4, 1, 1)
    assert framework_weights(np.arange(4.0), "keras").shape == (1, 1, 4, 1)


def test_print_export_prints_each_framework_with_its_layout(capsys):
    print_export(np.zeros((192, 32)), np.zeros(32))
    out = capsys.readouterr().out
    assert "# ---- PyTorch, nn.Conv2d: weight 32×192×1×1 ----" in out
    assert "# ---- Keras, Conv2D: weight 1×1×192×32 ----" in out
    assert out.index("PyTorch") < out.index("Keras")
    print_export(np.zeros((3, 2)), frameworks="pytorch-linear")
    out = capsys.readouterr().out
    assert "nn.Linear" in out and "Keras" not in out and "weight 2×3" in out


def test_export_module_does_not_import_torch():
    code = "import sys, conv1x1.compute.export; print('torch' in sys.modules, 'matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


# -- errors name the argument, what it got and what was expected -----------------------


@pytest.mark.parametrize("call, error, message", [
    (lambda: export_code(np.zeros((2, 3, 4))), ValueError, r"w must be one filter \(C,\) or a bank of filters \(C, F\); got shape \(2, 3, 4\)"),
    (lambda: export_code(np.zeros((3, 2, 1, 1))), ValueError, r"PyTorch's \(F, C, 1, 1\) layout: use w\[:, :, 0, 0\]\.T"),
    (lambda: export_code(np.zeros((1, 1, 2, 3))), ValueError, r"Keras's \(1, 1, C, F\) layout: use w\[0, 0\]"),
    (lambda: export_code(np.zeros((0, 3))), ValueError, r"w must hold at least one weight; got shape \(0, 3\)"),
    (lambda: export_code(W, np.zeros(4)), ValueError, r"b must be a scalar or have shape \(3,\), one bias per filter; got shape \(4,\)"),
    (lambda: export_code(W, framework="tensorflow"), ValueError, r"framework must be one of 'pytorch', 'pytorch-linear', 'keras'; got 'tensorflow'"),
    (lambda: export_code(W, framework=2), TypeError, r"framework must be one of .*; got 2 \(int\)"),
    (lambda: export_code(W, activation="tanh"), ValueError, r"activation must be None or 'relu'; got 'tanh'"),
    (lambda: export_code(W, w_name="my weights"), ValueError, r"w_name must be a Python variable name such as 'w'; got 'my weights'"),
    (lambda: export_code(W, x_name="lambda"), ValueError, r"x_name must be a Python variable name"),
    (lambda: export_code("abc"), TypeError, r"w must be an array of real numbers"),
    (lambda: framework_weights(W, "jax"), ValueError, r"framework must be one of"),
    (lambda: weight_shape("pytorch", 0, 3), ValueError, r"in_channels must be an integer >= 1; got 0"),
    (lambda: print_export(W, frameworks=("pytorch", "caffe")), ValueError, r"got 'caffe'"),
    (lambda: check_framework(None), TypeError, r"framework must be one of 'pytorch', 'pytorch-linear', 'keras'; got None"),
])
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_listed_framework_is_accepted_in_any_case(framework, capsys):
    assert check_framework(framework.upper()) == framework
    w = RNG.standard_normal((4, 2))
    converted = framework_weights(w, framework.title())
    assert converted.shape == weight_shape(framework.upper(), 4, 2) and converted.size == w.size
    assert export_code(w, framework=framework.upper()) == export_code(w, framework=framework)
    print_export(w, frameworks=framework.upper())
    assert "# ---- " in capsys.readouterr().out
