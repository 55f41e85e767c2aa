"""conv1x1.compute.validate: every error names the argument, says what it got and what was expected.

Each public function of the package checks its input with these validators, so
their messages are what a learner reads after a slip: "<name> must be <what is
expected>; got <what was given>", never a NumPy internal message.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from conv1x1.compute.validate import (as_real_array, check_activation, check_bool, check_choice, check_int,
                              check_range, check_real, check_texts, pixel_index, pixel_pair, real, short_repr)

# (call, error, argument name, what was expected, what it got)
BAD = [
    (lambda: as_real_array([True, False], "x"), TypeError, "x", "real numbers, not booleans", "[True, False] (list)"),
    (lambda: as_real_array([1j], "w"), TypeError, "w", "real numbers, not complex ones", "[1j] (list)"),
    (lambda: as_real_array([[1, 2], [3]], "x"), ValueError, "x", "a rectangular array", "a ragged sequence"),
    (lambda: as_real_array(None, "b"), TypeError, "b", "an array of real numbers", "None"),
    (lambda: as_real_array(["a"], "y"), TypeError, "y", "an array of real numbers", "['a'] (list)"),
    (lambda: check_int(2.5, "channels"), TypeError, "channels", "an integer", "2.5 (float)"),
    (lambda: check_int(True, "channels"), TypeError, "channels", "an integer", "True (bool)"),
    (lambda: check_int(-1, "seed", minimum=0), ValueError, "seed", "an integer >= 0", "-1"),
    (lambda: check_int(9, "filter", minimum=0, maximum=3), ValueError, "filter", "an integer in 0..3", "9"),
    (lambda: real("2", "weight"), TypeError, "weight", "a real number", "'2' (str)"),
    (lambda: real(np.ones(3), "weight"), TypeError, "weight", "a single real number", "an array of shape (3,)"),
    (lambda: real(1j, "weight"), TypeError, "weight", "a real number", "1j (complex)"),
    (lambda: check_real(float("nan"), "vmin"), ValueError, "vmin", "a finite number", "nan"),
    (lambda: check_real(2.0, "alpha", minimum=0, maximum=1), ValueError, "alpha", "a number in 0..1", "2"),
    (lambda: check_bool(1, "bias"), TypeError, "bias", "True or False", "1 (int)"),
    (lambda: check_choice("tanh", "activation", (None, "relu")), ValueError, "activation", "one of None, 'relu'",
     "'tanh' (str)"),
    (lambda: check_choice([1], "mode", ("a", "b")), ValueError, "mode", "one of 'a', 'b'", "[1] (list)"),
    (lambda: pixel_index(6, 0, (6, 6)), ValueError, "i", "a row index in 0..5", "6"),
    (lambda: pixel_index(0, 8, (6, 8)), ValueError, "j", "a column index in 0..7", "8"),
    (lambda: pixel_index(0, -1, (6, 6)), ValueError, "j", "an integer >= 0", "-1"),
    (lambda: pixel_index(0, 1.0, (6, 6)), TypeError, "j", "an integer", "1.0 (float)"),
    (lambda: pixel_pair(5, (6, 6)), TypeError, "pixel", "a pair (i, j)", "5 (int)"),
    (lambda: pixel_pair("ab", (6, 6), name="start"), TypeError, "start", "a pair (i, j)", "'ab' (str)"),
    (lambda: pixel_pair((1, 2, 3), (6, 6)), TypeError, "pixel", "a pair (i, j)", "(1, 2, 3) (tuple)"),
    (lambda: check_activation("tanh"), ValueError, "activation", "None or 'relu'", "'tanh'"),
    (lambda: check_activation(1), TypeError, "activation", "None or 'relu'", "1 (int)"),
    (lambda: check_range(2, 1), ValueError, "vmin", "less than vmax", "vmin = 2, vmax = 1"),
    (lambda: check_range("a", 1), TypeError, "vmin", "a real number", "'a' (str)"),
    (lambda: check_texts("abc", "labels", 3, "one per channel"), TypeError, "labels",
     "a sequence of strings, one per channel", "'abc' (str)"),
    (lambda: check_texts(["a", "b"], "labels", 3, "one per channel"), ValueError, "labels",
     "3 entries, one per channel", "2"),
    (lambda: check_texts(["a", 2, "c"], "labels", 3, "one per channel"), TypeError, "labels[1]", "a string",
     "2 (int)"),
]


@pytest.mark.parametrize("call, error, name, expected, got", BAD, ids=[f"{n}: {g}" for _, _, n, _, g in BAD])
def test_each_error_names_the_argument_what_was_expected_and_what_it_got(call, error, name, expected, got):
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    assert message.startswith(f"{name} must "), message
    head, _, tail = message.partition("; got ")
    assert expected in head, message
    assert tail.startswith(got), message


def test_short_repr_cuts_long_values_and_summarises_arrays():
    assert short_repr("x" * 100) == repr("x" * 100)[:57] + "... (str)"
    assert short_repr(np.zeros((2, 3), dtype=np.float32)) == "an array of shape (2, 3) and dtype float32"


def test_valid_input_comes_back_normalised():
    assert check_int(np.int64(3), "channels") == 3 and type(check_int(np.int64(3), "channels")) is int
    assert check_activation("ReLU") == "relu" and check_activation(None) is None
    assert pixel_pair(np.array([1, 2]), (6, 6)) == (1, 2)
    assert check_range(None, 1) == (None, 1.0)
    assert check_bool(np.bool_(True), "bias") is True
    assert as_real_array([1, 2], "x").dtype == np.float64
    assert as_real_array(np.ones(2, dtype=np.float32), "x").dtype == np.float32
    assert as_real_array([1, 2], "x", dtype=np.float32).dtype == np.float32


def test_no_validator_leaks_a_numpy_message():
    """The messages are the package's own words: no NumPy or Python internals such as "could not convert"."""
    for call, error, *_ in BAD:
        with pytest.raises(error) as info:
            call()
        assert not re.search(r"could not convert|setting an array element|inhomogeneous", str(info.value))
