"""PyTorch (and Keras on it) for the tests that compare with them: optional on a laptop, required in CI.

PyTorch is not a dependency of the course. Tests that need it call
:func:`import_torch`: without PyTorch they are skipped, and say why, unless
the environment variable ``CONV1X1_REQUIRE_TORCH=1`` is set (CI sets it after
``pip install torch==2.13.0``; see docs/developers.md for the CPU build), in which case they fail:
CI must fail rather than skip what it is meant to run. :func:`import_keras` does the same for
Keras 3 (in the ``test`` extra), which runs on PyTorch here: ``KERAS_BACKEND=torch``.
"""

from __future__ import annotations

import os
import sys
import tempfile

import pytest

REQUIRE_ENV = "CONV1X1_REQUIRE_TORCH"


def torch_required() -> bool:
    """True when the environment says the PyTorch tests must run (CI)."""
    return os.environ.get(REQUIRE_ENV, "").strip() == "1"


def import_torch():
    """Import and return torch; skip the test without it, or fail if it is required."""
    if torch_required():
        try:
            import torch
        except ImportError as err:
            pytest.fail(f"{REQUIRE_ENV}=1 but PyTorch cannot be imported ({err}); install it with "
                        "pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu",
                        pytrace=False)
        return torch
    return pytest.importorskip(
        "torch", reason=f"PyTorch is optional and not installed here; set {REQUIRE_ENV}=1 to make this a failure")


def import_keras():
    """Import and return Keras 3 on PyTorch's back end; skip the test without it, or fail if PyTorch is required.

    Keras reads its back end once, when first imported: this sets ``KERAS_BACKEND=torch`` first, and fails if
    Keras was already imported with another. Its config file goes to a temporary ``KERAS_HOME`` unless one is set.
    """
    import_torch()
    if "keras" not in sys.modules:
        os.environ["KERAS_BACKEND"] = "torch"
        os.environ.setdefault("KERAS_HOME", os.path.join(tempfile.gettempdir(), "conv1x1-keras-home"))
    try:
        import keras
    except ImportError as err:
        if torch_required():
            pytest.fail(f"{REQUIRE_ENV}=1 but Keras cannot be imported ({err}); it is in the test extra: "
                        "pip install -e '.[test]'", pytrace=False)
        pytest.skip(f"Keras is optional and not installed here; set {REQUIRE_ENV}=1 to make this a failure")
    if keras.backend.backend() != "torch":
        pytest.fail(f"Keras was imported with the {keras.backend.backend()!r} back end; these tests run it on PyTorch "
                    "(KERAS_BACKEND=torch before the first import of keras)", pytrace=False)
    return keras
