"""pixel_steps: one output value with every number kept, and how it prints."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from conv1x1 import conv1x1, example_filters, example_volume, format_values, pixel_steps

X = example_volume()
BANK = example_filters(32, 4)
B = np.array([0.5, -1.0, 0.0, 2.0])


@settings(max_examples=60, deadline=None)
@given(i=st.integers(0, 5), j=st.integers(0, 5), f=st.integers(0, 3), relu=st.booleans())
def test_output_is_the_convolution_at_that_pixel(i, j, f, relu):
    activation = "relu" if relu else None
    steps = pixel_steps(X, BANK, B, pixel=(i, j), filter=f, activation=activation)
    assert np.isclose(steps.output, conv1x1(X, BANK, B, activation=activation)[i, j, f])
    assert np.array_equal(steps.products, X[i, j] * BANK[:, f])
    assert np.isclose(steps.total, X[i, j] @ BANK[:, f]) and np.isclose(steps.z, steps.total + B[f])


def test_one_filter_vector_and_no_bias():
    w = BANK[:, 0]
    steps = pixel_steps(X, w, pixel=(1, 2), activation=None)
    assert steps.bias == 0 and np.isclose(steps.output, X[1, 2] @ w)


def test_printed_lines_up_channels_and_never_shows_negative_zero():
    text = str(pixel_steps(X, BANK, B, pixel=(1, 2)))
    assert "-0 " not in text + " " and "-0.0" not in text
    assert "channels c = 0..15" in text and "channels c = 16..31" in text
    assert text.splitlines()[-1] == "sum of the 32 products = 14.8;  + bias 0.5 = 15.3;  ReLU(15.3) = 15.3"
    # each product sits under its column value and weight: same column width on the three rows
    rows = text.splitlines()[1:4]
    assert len({len(r) for r in rows}) == 1


def test_negative_bias_is_written_as_a_subtraction():
    text = str(pixel_steps(X, BANK, B, pixel=(1, 2), filter=1))
    assert "- bias 1 =" in text.splitlines()[-1]


def test_format_values():
    assert format_values([1.0, -0.0, 2.5, -0.123, -0.001]) == ["1", "0", "2.5", "-0.12", "0"]
    assert format_values(3.14159, 3) == ["3.142"]


@pytest.mark.parametrize("kwargs, message", [
    (dict(pixel=(6, 0)), "i must be a row index in 0..5; got 6"),
    (dict(pixel=5), "pixel must be a pair (i, j)"),
    (dict(pixel=(0, 0), filter=4), "filter must be in 0..3 (w has 4 filters); got 4"),
    (dict(pixel=(0, 0), filter=-1), "filter must be an integer >= 0; got -1"),
])
def test_bad_input_names_the_argument(kwargs, message):
    with pytest.raises((ValueError, TypeError)) as err:
        pixel_steps(X, BANK, B, **kwargs)
    assert message in str(err.value)


def test_bad_volume_shape():
    with pytest.raises(ValueError, match="one volume"):
        pixel_steps(X[None], BANK, pixel=(0, 0))
    with pytest.raises(ValueError, match="digits must be an integer >= 0"):
        format_values([1.0], -1)


def test_the_weights_row_is_named_as_the_learner_indexes_w():
    assert "  w[c]  " in str(pixel_steps(X, BANK[:, 0], 0.5, pixel=(1, 2)))
    assert "  w[c, 2]  " in str(pixel_steps(X, BANK, B, pixel=(1, 2), filter=2))
