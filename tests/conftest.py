"""Shared test setup: headless matplotlib, figures closed after each test (frames.py decodes PNGs)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    """Figures made with pyplot by a test are closed after it."""
    yield
    plt.close("all")
