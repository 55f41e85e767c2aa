"""The computation: conv1x1 and its loop version, relu, the cost of layers (conv1x1.compute.cost), and their errors."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conv1x1 import (
    LECTURE_IMAGE,
    bottleneck_cost,
    conv1x1,
    conv1x1_loops,
    conv_cost,
    example_filters,
    example_volume,
    lecture_image,
    relu,
)
from conv1x1.compute.core import format_number, format_significant, format_significant_pair

# -- the lecture's numbers ---------------------------------------------------


def test_lecture_image_doubled():
    out = conv1x1(lecture_image()[:, :, None], [2])
    assert out.shape == (6, 6)
    assert out[0].tolist() == [2, 4, 6, 12, 10, 16]
    assert out[-1].tolist() == [10, 8, 18, 16, 6, 10]
    assert LECTURE_IMAGE[0].tolist() == [1, 2, 3, 6, 5, 8]
    assert LECTURE_IMAGE[-1].tolist() == [5, 4, 9, 8, 3, 5]


def test_lecture_costs():
    one = conv_cost(28, 28, 192, 32)
    assert one.multiplications == 4_816_896
    assert one.parameters == 6_176 and one.weights == 6_144 and one.biases == 32
    assert one.output_shape == (28, 28, 32)
    direct = conv_cost(28, 28, 192, 32, 5, bias=False)
    assert direct.multiplications == 120_422_400
    assert direct.parameters == 153_600
    reduce = conv_cost(28, 28, 192, 16, 1, bias=False)
    conv = conv_cost(28, 28, 16, 32, 5, bias=False)
    assert reduce.multiplications == 2_408_448
    assert conv.multiplications == 10_035_200
    assert reduce.multiplications + conv.multiplications == 12_443_648
    assert reduce.parameters + conv.parameters == 15_872


def test_bottleneck_cost_matches_parts():
    c = bottleneck_cost(28, 28, 192, 32, kernel_size=5, bottleneck=16)
    assert c.direct.multiplications == 120_422_400
    assert c.multiplications == 12_443_648
    assert c.parameters == 15_872
    assert c.saving == pytest.approx(120_422_400 / 12_443_648)


def test_conv_cost_str_is_readable():
    assert str(conv_cost(28, 28, 192, 32)) == (
        "4,816,896 multiplications, 6,176 parameters (6,144 weights + 32 biases), output 28×28×32"
    )


def test_bottleneck_cost_str_groups_the_counts_like_conv_cost():
    text = str(bottleneck_cost(56, 56, 256, 256, kernel_size=3, bottleneck=64))
    assert text == ("bottleneck path: 513,802,240 multiplications, 163,840 parameters; direct: 1,849,688,064 "
                    "multiplications, 589,824 parameters; 3.6 times fewer multiplications")


# -- the formatters ------------------------------------------------------------

@pytest.mark.parametrize("value, digits, text", [
    (16448, 3, "16,448"),
    (16448.0, 3, "16,448"),
    (np.int64(12_443_648), 3, "12,443,648"),
    (3, 3, "3"),
    (-0.0, 3, "0"),
    (0.00095629, 3, "0.000956"),
    (0.00095629, 2, "0.00096"),
    (2.34567, 3, "2.35"),
    (0.5, 3, "0.5"),
    (-21.1, 3, "-21.1"),
    (16448.3, 3, "16,448.3"),
    (16449.66, 3, "16,449.7"),
    (9.96, 1, "10"),
    (209.454545, 5, "209.45"),
    (0.2126, 4, "0.2126"),
    (float("nan"), 3, "nan"),
])
def test_format_significant_groups_whole_numbers_and_keeps_significant_digits(value, digits, text):
    assert format_significant(value, digits) == text


def test_format_significant_pair_adds_digits_until_the_numbers_differ():
    assert format_significant_pair(9.0001, 9) == ("9.0001", "9")
    left, right = format_significant_pair(2.0004, 2.0005)
    assert left != right and len(left + right) <= 7                          # apart, with as few digits as that takes
    assert format_significant_pair(16448, 16448.0) == ("16,448", "16,448")
    assert format_significant_pair(1 / 3, 1 / 3) == ("0.333", "0.333")        # equal values stay short


def test_the_two_formatters_differ_in_what_they_keep():
    # format_number: a fixed number of decimals (figures line up); format_significant: significant digits
    assert format_number(0.000956, 2) == "0" and format_significant(0.000956) == "0.000956"
    assert format_number(16448.0) == "16448" and format_significant(16448.0) == "16,448"
    assert format_number(-1.5) == "\N{MINUS SIGN}1.5" and format_significant(-1.5) == "-1.5"


@pytest.mark.parametrize("call, error, message", [
    (lambda: format_significant("3"), TypeError, r"value must be a real number; got '3' \(str\)"),
    (lambda: format_significant(np.ones(2)), TypeError, r"value must be a single real number; got an array of shape \(2,\)"),
    (lambda: format_significant(True), TypeError, r"value must be a real number; got True \(bool\)"),
    (lambda: format_significant(3.5, 0), ValueError, r"digits must be an integer >= 1; got 0"),
    (lambda: format_significant(3.5, 2.0), TypeError, r"digits must be an integer; got 2\.0 \(float\)"),
    (lambda: format_significant_pair(1, None), TypeError, r"value must be a real number; got None"),
])
def test_format_significant_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


# -- shapes, dtypes, the contract --------------------------------------------


@pytest.mark.parametrize("fn", [conv1x1, conv1x1_loops])
def test_shapes(fn):
    x = np.ones((5, 4, 3))
    assert fn(x, np.ones(3)).shape == (5, 4)
    assert fn(x, np.ones((3, 7))).shape == (5, 4, 7)
    assert fn(np.ones((2, 5, 4, 3)), np.ones((3, 7))).shape == (2, 5, 4, 7)
    assert fn(np.ones((2, 5, 4, 3)), np.ones(3)).shape == (2, 5, 4)


@pytest.mark.parametrize("fn", [conv1x1, conv1x1_loops])
def test_dtypes(fn):
    assert fn(np.ones((2, 2, 3), dtype=np.int32), np.ones(3, dtype=np.int64)).dtype == np.float64
    assert fn(np.ones((2, 2, 3), dtype=np.float32), np.ones((3, 2), dtype=np.float32)).dtype == np.float32
    # lists follow the array's dtype, like NumPy's Python scalars
    assert fn(np.ones((2, 2, 3), dtype=np.float32), [1, 2, 3], b=0.5).dtype == np.float32
    assert fn([[[1, 2]]], [[1], [2]]).dtype == np.float64


@pytest.mark.parametrize("fn", [conv1x1, conv1x1_loops])
def test_bias_and_relu(fn):
    x = np.array([[[1.0, -2.0]]])
    w = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert fn(x, w).tolist() == [[[1.0, -2.0]]]
    assert fn(x, w, [1.0, 1.0]).tolist() == [[[2.0, -1.0]]]
    assert fn(x, w, 3.0, activation="relu").tolist() == [[[4.0, 1.0]]]
    assert fn(x, w, activation="relu").tolist() == [[[1.0, 0.0]]]
    assert fn(x, w[:, 0], 0.5).tolist() == [[1.5]]


def test_relu():
    assert relu([-1, 0, 2]).tolist() == [0.0, 0.0, 2.0]
    assert relu(np.float32(-3)).dtype == np.float32
    with pytest.raises(TypeError, match="x must hold real numbers, not booleans"):
        relu([True, False])


def test_does_not_modify_inputs():
    x = example_volume()
    w = example_filters(32, 4)
    x0, w0 = x.copy(), w.copy()
    conv1x1(x, w, np.ones(4), activation="relu")
    assert np.array_equal(x, x0) and np.array_equal(w, w0)


def test_example_data_is_deterministic():
    assert np.array_equal(example_volume(), example_volume())
    assert np.array_equal(example_volume()[:, :, 0], LECTURE_IMAGE)
    assert example_filters(32, 4).shape == (32, 4)
    assert np.all(np.abs(example_filters(32)) <= 1)


# -- properties ----------------------------------------------------------------

small = st.integers(1, 5)
values = st.floats(-100, 100, allow_nan=False, width=64)


@st.composite
def problems(draw):
    n, h, w, c, f = (draw(small) for _ in range(5))
    batch = draw(st.booleans())
    shape = (n, h, w, c) if batch else (h, w, c)
    x = draw(hnp.arrays(np.float64, shape, elements=values))
    single = draw(st.booleans())
    wt = draw(hnp.arrays(np.float64, (c,) if single else (c, f), elements=values))
    b = draw(st.one_of(st.none(), values, hnp.arrays(np.float64, () if single else (f,), elements=values)))
    act = draw(st.sampled_from([None, "relu"]))
    return x, wt, b, act


@settings(max_examples=150, deadline=None)
@given(problems())
def test_fast_equals_loops_and_einsum(problem):
    x, w, b, act = problem
    fast = conv1x1(x, w, b, activation=act)
    slow = conv1x1_loops(x, w, b, activation=act)
    ref = np.einsum("...c,cf->...f", x, w if w.ndim == 2 else w[:, None])
    if w.ndim == 1:
        ref = ref[..., 0]
    if b is not None:
        ref = ref + b
    if act == "relu":
        ref = np.maximum(ref, 0)
    assert fast.shape == slow.shape == ref.shape
    scale = 1 + np.abs(x).max() * np.abs(w).max() * x.shape[-1]
    np.testing.assert_allclose(fast, slow, atol=1e-9 * scale)
    np.testing.assert_allclose(fast, ref, atol=1e-9 * scale)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_linear_in_w(data):
    h, w_, c, f = (data.draw(small) for _ in range(4))
    x = data.draw(hnp.arrays(np.float64, (h, w_, c), elements=values))
    w1 = data.draw(hnp.arrays(np.float64, (c, f), elements=values))
    w2 = data.draw(hnp.arrays(np.float64, (c, f), elements=values))
    a = data.draw(st.floats(-10, 10))
    lhs = conv1x1(x, a * w1 + w2)
    rhs = a * conv1x1(x, w1) + conv1x1(x, w2)
    np.testing.assert_allclose(lhs, rhs, atol=1e-6 * (1 + np.abs(lhs).max()))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_each_pixel_is_a_dense_layer(data):
    h, w_, c, f = (data.draw(small) for _ in range(4))
    x = data.draw(hnp.arrays(np.float64, (h, w_, c), elements=values))
    w = data.draw(hnp.arrays(np.float64, (c, f), elements=values))
    b = data.draw(hnp.arrays(np.float64, (f,), elements=values))
    out = conv1x1(x, w, b, activation="relu")
    i, j = data.draw(st.integers(0, h - 1)), data.draw(st.integers(0, w_ - 1))
    np.testing.assert_allclose(out[i, j], np.maximum(w.T @ x[i, j] + b, 0), atol=1e-6 * (1 + np.abs(out).max()))


@settings(max_examples=60, deadline=None)
@given(small, small, small, small, st.integers(1, 7), st.booleans())
def test_cost_formula(h, w, cin, cout, k, bias):
    cost = conv_cost(h, w, cin, cout, k, bias=bias)
    assert cost.multiplications == h * w * cout * k * k * cin
    assert cost.parameters == k * k * cin * cout + (cout if bias else 0)


# -- errors: named argument, what it got, what was expected ------------------------

BAD_CALLS = [
    (lambda: conv1x1(np.ones((6, 6)), [1.0]), ValueError, r"x must be .*\(H, W, C\).* got 2 dimensions with shape \(6, 6\).*x\[\.\.\., None\]"),
    (lambda: conv1x1(np.ones((1, 2, 6, 6, 3)), np.ones(3)), ValueError, r"x must be .* got 5 dimensions"),
    (lambda: conv1x1(np.ones((6, 6, 3)), np.ones((3, 2, 1, 1))), ValueError, r"w must be one filter \(C,\) or a bank .* got 4 dimensions"),
    (lambda: conv1x1(np.ones((6, 6, 16)), np.ones((32, 8))), ValueError, r"x has 16 channels .* but w expects 32 \(w has shape \(32, 8\)\)"),
    (lambda: conv1x1(np.ones((6, 6, 32)), np.ones((8, 32))), ValueError, r"w looks transposed.*try w\.T"),
    (lambda: conv1x1(np.ones((32, 6, 6)), np.ones((32, 8))), ValueError, r"x looks channels-first"),
    (lambda: conv1x1(np.ones((6, 6, 3)), np.ones((3, 4)), np.ones(3)), ValueError, r"b must be a scalar or shape \(4,\).* got shape \(3,\)"),
    (lambda: conv1x1(np.ones((6, 6, 3)), np.ones(3), np.ones(2)), ValueError, r"b must be a scalar.* got shape \(2,\)"),
    (lambda: conv1x1(np.ones((6, 6, 3)), np.ones(3), activation="tanh"), ValueError, r"activation must be None or 'relu'; got 'tanh'"),
    (lambda: conv1x1(np.ones((6, 6, 3)), np.ones(3), activation=1), TypeError, r"activation must be None or 'relu'; got 1 \(int\)"),
    (lambda: conv1x1(np.ones((6, 6, 3), dtype=bool), np.ones(3)), TypeError, r"x must hold real numbers, not booleans"),
    (lambda: conv1x1(np.ones((6, 6, 3)), np.ones(3) * 1j), TypeError, r"w must hold real numbers, not complex"),
    (lambda: conv1x1(np.array([[["a", "b"]]]), [1, 2]), TypeError, r"x must be an array of real numbers; got .*dtype <U1"),
    (lambda: conv1x1(np.empty((2, 2, 2), dtype=object), [1, 2]), TypeError, r"x must be an array of real numbers.*object"),
    (lambda: conv1x1([[[1, 2], [3]]], [1, 2]), ValueError, r"x must be a rectangular array .* ragged"),
    (lambda: conv1x1(None, [1, 2]), TypeError, r"x must be an array of real numbers; got None"),
    (lambda: conv1x1(np.ones((2, 2, 2)), [1, 2], "x"), TypeError, r"b must be an array of real numbers"),
    (lambda: conv1x1_loops(np.ones((6, 6, 16)), np.ones((32, 8))), ValueError, r"x has 16 channels"),
    (lambda: conv_cost(-28, 28, 192, 32), ValueError, r"height must be an integer >= 1; got -28"),
    (lambda: conv_cost(28, 0, 192, 32), ValueError, r"width must be an integer >= 1; got 0"),
    (lambda: conv_cost(28, 28, 19.5, 32), TypeError, r"in_channels must be an integer; got 19\.5 \(float\)"),
    (lambda: conv_cost(28, 28, 192, True), TypeError, r"out_channels must be an integer; got True \(bool\)"),
    (lambda: conv_cost(28, 28, 192, 32, "5"), TypeError, r"kernel_size must be an integer; got '5' \(str\)"),
    (lambda: conv_cost(28, 28, 192, 32, bias=1), TypeError, r"bias must be True or False; got 1 \(int\)"),
    (lambda: bottleneck_cost(28, 28, 192, 32, 5, bottleneck=0), ValueError, r"bottleneck must be an integer >= 1; got 0"),
    (lambda: example_volume(channels=0), ValueError, r"channels must be an integer >= 1"),
    (lambda: example_filters(32, seed="a"), TypeError, r"seed must be an integer; got 'a' \(str\)"),
]


@pytest.mark.parametrize("call, error, message", BAD_CALLS, ids=[m[:40] for _, _, m in BAD_CALLS])
def test_bad_input_gets_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_numpy_integers_are_sizes():
    assert conv_cost(np.int64(2), 2, 2, 2).multiplications == 16


def test_computation_imports_without_matplotlib_or_ipywidgets():
    code = (
        "import sys; sys.modules['matplotlib'] = None; sys.modules['ipywidgets'] = None\n"
        "import conv1x1, conv1x1.compute.core, conv1x1.compute.cost, conv1x1.compute.learn, conv1x1.compute.model, conv1x1.compute.validate\n"
        "print(conv1x1.conv1x1([[[1.0, 2.0]]], [1.0, 1.0]).tolist())"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[[3.0]]"


# -- the package's layout: short modules that use each other's public names only ---------------

PACKAGE = Path(__file__).resolve().parent.parent / "conv1x1"


def test_no_module_imports_another_modules_private_names():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                offenders += [f"{path.relative_to(PACKAGE)}: from {'.' * node.level}{node.module or ''} import "
                              f"{alias.name}" for alias in node.names if alias.name.startswith("_")]
    assert not offenders, "\n".join(offenders)


def test_every_module_is_at_most_800_lines():
    lengths = {str(p.relative_to(PACKAGE)): len(p.read_text(encoding="utf-8").splitlines())
               for p in PACKAGE.rglob("*.py")}
    assert {name: n for name, n in lengths.items() if n > 800} == {}
