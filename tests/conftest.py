"""Shared test helpers: headless matplotlib, PNG decoding, closing figures."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402


def decode(png: bytes) -> np.ndarray:
    """An explorer frame (PNG bytes) as an (H, W, 3) uint8 array."""
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


@pytest.fixture(autouse=True)
def close_figures():
    """Figures made with pyplot by a test are closed after it."""
    yield
    plt.close("all")
