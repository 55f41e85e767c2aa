"""PyTorch for the tests that compare with it: optional on a laptop, required in CI.

PyTorch is not a dependency of the course. Tests that need it call
:func:`import_torch`: without PyTorch they are skipped, and say why, unless
the environment variable ``CONV1X1_REQUIRE_TORCH=1`` is set (CI sets it after
``pip install torch==2.13.0``; see docs/developers.md for the CPU build), in which case they fail:
CI must fail rather than skip what it is meant to run.
"""

from __future__ import annotations

import os

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
