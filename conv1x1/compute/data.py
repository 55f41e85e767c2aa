"""Real images that ship with installed packages, loaded offline (lessons 07 and 08).

The course must run without a network, so its photo comes from matplotlib's
own sample data: ``grace_hopper.jpg``, a 600×512 colour portrait of the
computer scientist Grace Hopper, installed with matplotlib. Nothing is
downloaded. Decoding uses matplotlib (which reads JPEG through Pillow, one of
its dependencies); this is why the loader is not in :mod:`conv1x1.compute.core`, which
needs NumPy only.
"""

from __future__ import annotations

import functools

import numpy as np

__all__ = ["PHOTO_NAME", "load_photo", "pillow_grey"]

#: The file in matplotlib's sample data that :func:`load_photo` reads.
PHOTO_NAME = "grace_hopper.jpg"


@functools.lru_cache(maxsize=1)
def _photo_bytes() -> np.ndarray:
    """The decoded photo as read-only uint8 (600, 512, 3), decoded once per session."""
    import matplotlib.cbook as cbook
    import matplotlib.image as mimage

    with cbook.get_sample_data(PHOTO_NAME) as file:
        pixels = mimage.imread(file, format="jpeg")
    pixels = np.ascontiguousarray(pixels[:, :, :3], dtype=np.uint8)
    pixels.setflags(write=False)
    return pixels


def load_photo(dtype: type | np.dtype = np.float64) -> np.ndarray:
    """Grace Hopper's portrait from matplotlib's sample data, as RGB floats in [0, 1].

    Parameters
    ----------
    dtype : float dtype, default float64
        float64 or float32 (float32 halves the memory and is faster to mix).

    Returns
    -------
    numpy.ndarray, shape (600, 512, 3)
        A fresh, writable, channels-last array: ``photo[i, j]`` is the
        (R, G, B) colour of pixel row i, column j, each in [0, 1] (the JPEG's
        0..255 divided by 255).

    Raises
    ------
    TypeError
        If ``dtype`` is not a floating-point type.
    FileNotFoundError
        If matplotlib was installed without its sample data.

    Examples
    --------
    >>> photo = load_photo()
    >>> photo.shape, photo.dtype.name
    ((600, 512, 3), 'float64')
    """
    try:
        dtype = np.dtype(dtype)
    except TypeError as err:
        raise TypeError(f"dtype must be a floating-point type such as np.float64; got {dtype!r}") from err
    if dtype.kind != "f":
        raise TypeError(f"dtype must be a floating-point type such as np.float64 or np.float32; got {dtype}")
    return _photo_bytes().astype(dtype) / dtype.type(255)


def pillow_grey() -> np.ndarray:
    """The photo turned grey by Pillow, an independent implementation (lesson 07).

    Pillow's ``Image.convert("L")`` computes, on the 0..255 values in integer
    arithmetic, ``L = (R·19595 + G·38470 + B·7471 + 0x8000) >> 16``: the
    BT.601 weights of :data:`conv1x1.compute.core.GREY_FILTER` in 16-bit fixed point
    (19595/65536 ≈ 0.299, ...), rounded to an integer. So it agrees with the
    exact weighted sum to within about half a grey level (0.501 at worst over
    all colours).

    Returns
    -------
    numpy.ndarray, shape (600, 512)
        Floats in [0, 1] (Pillow's 0..255 divided by 255).
    """
    from PIL import Image

    grey = Image.fromarray(np.asarray(_photo_bytes())).convert("L")    # uint8 (H, W, 3): RGB
    return np.asarray(grey, dtype=np.float64) / 255.0
