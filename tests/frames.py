"""Decoding explorer frames in tests (a module of its own: every conftest.py is named conftest)."""

from __future__ import annotations

import io

import numpy as np


def decode(png: bytes) -> np.ndarray:
    """An explorer frame (PNG bytes) as an (H, W, 3) uint8 array."""
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
