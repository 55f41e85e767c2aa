"""The computation: 1×1 convolutions in NumPy.

This module imports NumPy only, so the arithmetic of the course can be used
(and tested) without matplotlib or ipywidgets. It holds the operation, one
pixel step by step, the number formatters, the example data and the colour
mixes; the cost of layers is in :mod:`conv1x1.compute.cost`, learning a 1×1 layer in
:mod:`conv1x1.compute.learn`.

Notation, as in the lecture: volumes are channels-last, ``(H, W, C)``, or a
batch ``(N, H, W, C)``. A bank of ``F`` filters of size 1×1×C is a ``(C, F)``
matrix whose column ``f`` is filter ``f``; one filter is a ``(C,)`` vector.
The output at pixel ``(i, j)`` for filter ``f`` is
``relu(x[i, j, :] @ w[:, f] + b[f])``.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from .validate import (
    as_real_array,
    check_activation,
    check_int,
    pixel_index,
    real,
    short_repr,
)

__all__ = [
    "ACTIVATIONS",
    "LECTURE_IMAGE",
    "as_real_array",
    "conv1x1",
    "conv1x1_loops",
    "example_filters",
    "example_volume",
    "lecture_image",
    "PixelSteps",
    "format_number",
    "format_significant",
    "format_significant_pair",
    "format_values",
    "MINUS",
    "pixel_steps",
    "relu",
    # lesson 07
    "COLOUR_MIXES",
    "GREY_FILTER",
    "colour_mix",
    # lesson 09
    "block_diagonal",
    "depthwise_conv",
]

#: The 6×6 single-channel image from the lecture notes (introduced in lesson 01).
LECTURE_IMAGE = np.array(
    [
        [1, 2, 3, 6, 5, 8],
        [3, 5, 5, 1, 3, 4],
        [2, 1, 3, 4, 9, 3],
        [4, 7, 8, 5, 7, 9],
        [1, 5, 3, 7, 4, 8],
        [5, 4, 9, 8, 3, 5],
    ],
    dtype=np.int64,
)
LECTURE_IMAGE.setflags(write=False)

#: Activations understood by :func:`conv1x1` (``None`` means the identity).
ACTIVATIONS = (None, "relu")


# --------------------------------------------------------------------------
# Input checking: see :mod:`conv1x1.compute.validate`
# --------------------------------------------------------------------------
def _prepare(x: Any, w: Any, b: Any, activation: Any):
    """Check and convert the arguments shared by :func:`conv1x1` and the loops.

    Returns ``(x, w, b, activation)`` with ``x`` of ndim 3 or 4, ``w`` of ndim 1
    or 2, and ``b`` None or broadcastable to the output's last axis.
    """
    # Arrays fix the dtype; lists and scalars follow it (like NumPy's weak
    # Python scalars), so float32 input stays float32 with a list of weights.
    arrays = [v for v in (x, w, b) if isinstance(v, np.ndarray) and v.dtype.kind == "f"]
    dtype = np.result_type(*arrays) if arrays else np.dtype(np.float64)
    if dtype == np.float16:
        dtype = np.dtype(np.float32)
    x = as_real_array(x, "x", dtype=dtype)
    w = as_real_array(w, "w", dtype=dtype)
    activation = check_activation(activation)

    if x.ndim not in (3, 4):
        raise ValueError(
            f"x must be a channels-last volume (H, W, C) or a batch (N, H, W, C); "
            f"got {x.ndim} dimension{'s' if x.ndim != 1 else ''} with shape {x.shape}"
            + (". A single-channel image (H, W) needs a channel axis: x[..., None]" if x.ndim == 2 else "")
        )
    if w.ndim not in (1, 2):
        raise ValueError(
            f"w must be one filter (C,) or a bank of filters (C, F); got "
            f"{w.ndim} dimensions with shape {w.shape}"
            + (". A 1×1 filter bank is a matrix; squeeze the 1×1 axes first" if w.ndim == 4 else "")
        )
    channels = x.shape[-1]
    if w.shape[0] != channels:
        hint = ""
        if w.ndim == 2 and w.shape[1] == channels:
            hint = f"; w looks transposed: a bank of {w.shape[0]} filters is (C, F) = ({channels}, {w.shape[0]}), try w.T"
        elif x.shape[-3] == w.shape[0]:
            hint = "; x looks channels-first (C, H, W): move the channel axis last with np.moveaxis(x, 0, -1)"
        raise ValueError(
            f"x has {channels} channels (x has shape {x.shape}) but w expects "
            f"{w.shape[0]} (w has shape {w.shape}){hint}"
        )
    if b is not None:
        b = as_real_array(b, "b", dtype=dtype)
        n_filters = w.shape[1] if w.ndim == 2 else None
        if b.ndim == 0:
            pass
        elif n_filters is not None and b.shape == (n_filters,):
            pass
        elif n_filters is None and b.shape == (1,):
            b = b[0]
        else:
            expected = "a scalar" if n_filters is None else f"a scalar or shape ({n_filters},)"
            raise ValueError(
                f"b must be {expected}, one bias per filter; got shape {b.shape} "
                f"for w of shape {w.shape}"
            )
    return x, w, b, activation


# --------------------------------------------------------------------------
# The operation
# --------------------------------------------------------------------------
def relu(x: Any) -> np.ndarray:
    """Rectified linear unit, ``max(x, 0)`` element-wise.

    Parameters
    ----------
    x : array_like
        Real numbers of any shape. Integers become float64.

    Returns
    -------
    numpy.ndarray
        Same shape as ``x``.
    """
    x = as_real_array(x, "x")
    return np.maximum(x, x.dtype.type(0))   # a zero of x's own type: float32 stays float32 under NumPy 1.x too


def conv1x1(x: Any, w: Any, b: Any = None, *, activation: str | None = None) -> np.ndarray:
    """A 1×1 convolution: the same dense layer applied at every pixel.

    Computed as one matrix product, ``x.reshape(-1, C) @ w``: the form that
    deep-learning frameworks run.

    Parameters
    ----------
    x : array_like, shape (H, W, C) or (N, H, W, C)
        Channels-last input volume, or a batch of them.
    w : array_like, shape (C,) or (C, F)
        One filter, or a bank of ``F`` filters (column ``f`` is filter ``f``).
    b : None, scalar or array_like of shape (F,), optional
        Bias added to each filter's output.
    activation : None or "relu", optional
        Applied after the bias.

    Returns
    -------
    numpy.ndarray
        Shape ``x.shape[:-1]`` for one filter, ``x.shape[:-1] + (F,)`` for a
        bank. Integer input gives float64; float32 input stays float32.

    Raises
    ------
    ValueError
        Wrong number of dimensions, channel mismatch between ``x`` and ``w``,
        bias of the wrong length, unknown activation, ragged lists.
    TypeError
        Non-numeric, boolean, complex or object input.

    Examples
    --------
    >>> conv1x1([[[1.0, 2.0]]], [10.0, 1.0]).tolist()
    [[12.0]]
    """
    x, w, b, activation = _prepare(x, w, b, activation)
    channels = x.shape[-1]
    out = x.reshape(-1, channels) @ w
    if b is not None:
        out += b
    if activation == "relu":
        np.maximum(out, 0, out=out)
    return out.reshape(x.shape[:-1] + w.shape[1:])


def conv1x1_loops(x: Any, w: Any, b: Any = None, *, activation: str | None = None) -> np.ndarray:
    """A 1×1 convolution written as plain loops: the version to read.

    Same contract as :func:`conv1x1` (shapes, dtypes, errors), but computed
    pixel by pixel and filter by filter, with the channel sum spelt out. It is
    slow: use it on small volumes to see what :func:`conv1x1` computes.
    """
    x, w, b, activation = _prepare(x, w, b, activation)
    single_image, single_filter = x.ndim == 3, w.ndim == 1
    batch = x[np.newaxis] if single_image else x          # (N, H, W, C)
    bank = w[:, np.newaxis] if single_filter else w        # (C, F)
    bias = np.zeros(bank.shape[1], dtype=x.dtype) if b is None else np.broadcast_to(b, bank.shape[1])
    n_images, height, width, channels = batch.shape
    n_filters = bank.shape[1]

    out = np.zeros((n_images, height, width, n_filters), dtype=x.dtype)
    for n in range(n_images):
        for i in range(height):
            for j in range(width):
                column = batch[n, i, j, :]                 # the 1×1×C column at pixel (i, j)
                for f in range(n_filters):
                    total = bias[f]
                    for c in range(channels):              # dot product over the channels
                        total += column[c] * bank[c, f]
                    if activation == "relu":
                        total = max(total, 0)
                    out[n, i, j, f] = total

    if single_filter:
        out = out[..., 0]
    if single_image:
        out = out[0]
    return out


# --------------------------------------------------------------------------
# One pixel, step by step (lesson 02)
# --------------------------------------------------------------------------
#: The minus sign figures use (U+2212): a hyphen is shorter and reads as a dash next to digits.
MINUS = "\N{MINUS SIGN}"


def format_number(value: Any, digits: int = 2, *, minus: str = MINUS) -> str:
    """One number as the course writes it: at most ``digits`` decimals, trailing zeros dropped.

    This is the package's formatter of decimals at a fixed precision: figures, explorers' captions and
    alt text and the lessons' printed steps all use it, so that numbers of one picture line up. For
    counts and for values of any size in a sentence (feedback, costs) use :func:`format_significant`.
    A value that rounds to zero is ``"0"``, never ``"−0"`` (the product −0.4 × 0 is −0.0 in floating
    point). Figures write the minus sign as U+2212; printed text passes ``minus="-"``.

    >>> format_number(-1.25), format_number(2.0), format_number(-0.001), format_number(0.5, minus="-")
    ('−1.25', '2', '0', '0.5')

    Raises
    ------
    TypeError
        ``value`` is not a real number, or ``digits`` not an integer.
    ValueError
        ``digits`` is negative.
    """
    digits = check_int(digits, "digits", minimum=0)
    if not isinstance(minus, str):
        raise TypeError(f"minus must be a string (the minus sign to write); got {short_repr(minus)}")
    value = real(value, "value")
    if not np.isfinite(value):
        return str(value).replace("-", minus)
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if float(text) == 0:        # "-0", "-0.0": a negative zero, or a small value rounded to zero
        return "0"
    return text.replace("-", minus)


def format_significant(value: Any, digits: int = 3) -> str:
    """One number in a sentence: whole numbers exact with thousands separators, others to ``digits`` significant digits.

    Whole numbers are written exactly, grouped (``16,448``, never ``16448`` or ``1.64e+04``); others
    with ``digits`` significant digits, but never fewer than their whole part and one decimal
    (``0.000956``, ``2.35``, ``16,448.3``), without trailing zeros; never ``"-0"``; an ASCII minus.

    Which formatter to use: this one for counts and for numbers of any magnitude written in words,
    where the size matters more than alignment (the exercise checks' feedback, :class:`ConvCost`);
    :func:`format_number` for values at a fixed number of decimals that sit next to each other
    (figures, captions, printed steps); :func:`format_significant_pair` for two numbers that must not
    look equal ("you have 9.0001, expected 9").

    >>> format_significant(16448), format_significant(0.00095629), format_significant(2.34567)
    ('16,448', '0.000956', '2.35')
    >>> format_significant(16449.66), format_significant(-0.0), format_significant(0.2126, 4)
    ('16,449.7', '0', '0.2126')

    Raises
    ------
    TypeError
        ``value`` is not a real number, or ``digits`` not an integer.
    ValueError
        ``digits`` is less than 1.
    """
    digits = check_int(digits, "digits")
    v = real(value, "value")
    if not np.isfinite(v):
        return str(v)
    if v.is_integer():
        return f"{int(v):,}"
    magnitude = math.floor(math.log10(abs(v)))
    text = f"{v:,.{max(digits - 1 - magnitude, 1)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_significant_pair(a: Any, b: Any, digits: int = 3) -> tuple[str, str]:
    """``a`` and ``b`` by :func:`format_significant`, with as many more digits as tell them apart.

    Feedback never says "you have 9, expected 9" for 9.0001 and 9; equal values stay short.

    >>> format_significant_pair(9.0001, 9)
    ('9.0001', '9')
    >>> format_significant_pair(2.34567, 2.34567)
    ('2.35', '2.35')
    """
    digits = check_int(digits, "digits")
    for d in range(digits, 18):
        left, right = format_significant(a, d), format_significant(b, d)
        if left != right or real(a, "a") == real(b, "b"):
            break
    return left, right


def format_values(values: Any, digits: int = 2) -> list[str]:
    """Numbers as the lessons print them: whole numbers without a decimal point, never "-0".

    >>> format_values([1.0, -0.0, 2.5, -0.123])
    ['1', '0', '2.5', '-0.12']

    At most ``digits`` decimals, trailing zeros dropped, an ASCII minus (see :func:`format_number`).
    """
    arr = as_real_array(values, "values").ravel()
    digits = check_int(digits, "digits", minimum=0)
    return [format_number(v, digits, minus="-") for v in arr.tolist()]


class PixelSteps(NamedTuple):
    """Every number of one output value of a 1×1 convolution (see :func:`pixel_steps`).

    ``column`` and ``weights`` are ``(C,)``; ``products = column * weights``;
    ``total`` is their sum (the dot product ``column · weights``); ``z = total + bias``;
    ``output`` is ``relu(z)`` or ``z``; ``one_filter`` says whether ``w`` was one filter ``(C,)``.
    """

    pixel: tuple[int, int]
    filter: int
    column: np.ndarray
    weights: np.ndarray
    products: np.ndarray
    total: float
    bias: float
    z: float
    activation: str | None
    output: float
    one_filter: bool = False

    def __str__(self) -> str:
        i, j = self.pixel
        f = self.filter
        weight = "w[c]" if self.one_filter else f"w[c, {f}]"     # as the learner indexes the w they gave
        rows = [(f"x[{i}, {j}, c]", format_values(self.column)), (weight, format_values(self.weights)),
                ("product", format_values(self.products))]
        width = max(len(t) for _, texts in rows for t in texts)
        label = max(len(name) for name, _ in rows)
        lines = []
        per_line = 16
        channels = len(self.column)
        for start in range(0, channels, per_line):
            stop = min(start + per_line, channels)
            lines.append(f"channels c = {start}..{stop - 1}")
            for name, texts in rows:
                lines.append(f"  {name:<{label}}  " + " ".join(f"{t:>{width}}" for t in texts[start:stop]))
        total, bias, z, out = (format_values([v], 2)[0] for v in (self.total, self.bias, self.z, self.output))
        sign = "-" if self.bias < 0 else "+"
        bias_abs = format_values([abs(self.bias)], 2)[0]
        result = f"sum of the {channels} products = {total};  {sign} bias {bias_abs} = {z}"
        if self.activation == "relu":
            result += f";  ReLU({z}) = {out}"
        lines.append(result)
        return "\n".join(lines)


def pixel_steps(x: Any, w: Any, b: Any = None, *, pixel: tuple[int, int], filter: int = 0,
                activation: str | None = "relu") -> PixelSteps:
    """What a 1×1 convolution computes at one pixel for one filter, every number kept.

    Parameters
    ----------
    x : array_like, shape (H, W, C)
        Input volume, channels last.
    w : array_like, shape (C,) or (C, F)
        One filter, or a bank whose column ``filter`` is used.
    b : scalar or array_like (F,), optional
        Bias (default 0).
    pixel : (int, int)
        Row ``i`` and column ``j``.
    filter : int, default 0
        Which filter of the bank.
    activation : None or "relu", default "relu"

    Returns
    -------
    PixelSteps
        ``print()`` it to see the column, the weights and the products lined
        up channel by channel, then the sum, the bias and the ReLU. Its
        ``output`` equals ``conv1x1(x, w, b, activation=activation)[i, j, filter]``.

    Raises
    ------
    ValueError, TypeError
        As :func:`conv1x1` for ``x``, ``w``, ``b``; for a pixel outside the
        image or a filter index outside the bank.
    """
    x, w, b, activation = _prepare(x, w, b, activation)
    if x.ndim != 3:
        raise ValueError(f"x must be one volume (H, W, C) here; got shape {x.shape}")
    if not (isinstance(pixel, (tuple, list)) and len(pixel) == 2):
        raise TypeError(f"pixel must be a pair (i, j) of row and column indices; got {short_repr(pixel)}")
    i, j = pixel_index(pixel[0], pixel[1], x.shape)
    bank = w[:, np.newaxis] if w.ndim == 1 else w
    f = check_int(filter, "filter", minimum=0)
    if f >= bank.shape[1]:
        raise ValueError(f"filter must be in 0..{bank.shape[1] - 1} (w has {bank.shape[1]} filters); got {f}")
    bias = 0.0 if b is None else float(np.broadcast_to(b, bank.shape[1])[f])
    column = x[i, j, :].copy()
    weights = bank[:, f].copy()
    products = column * weights
    total = float(products.sum())
    z = total + bias
    output = max(z, 0.0) if activation == "relu" else z
    return PixelSteps((i, j), f, column, weights, products, total, bias, z, activation, output, w.ndim == 1)


# --------------------------------------------------------------------------
# Example data
# --------------------------------------------------------------------------
def lecture_image() -> np.ndarray:
    """The lecture's 6×6 single-channel image, as a fresh int array (lesson 01)."""
    return LECTURE_IMAGE.copy()


def example_volume(height: int = 6, width: int = 6, channels: int = 32, *, seed: int = 0) -> np.ndarray:
    """A deterministic ``(height, width, channels)`` volume of small integers.

    Channel 0 is the lecture image when the size is 6×6; the other channels
    hold integers 0..9 from a seeded generator, so every value is easy to read
    and to multiply by hand (lesson 02).
    """
    height = check_int(height, "height")
    width = check_int(width, "width")
    channels = check_int(channels, "channels")
    rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
    volume = rng.integers(0, 10, size=(height, width, channels)).astype(np.float64)
    if (height, width) == LECTURE_IMAGE.shape:
        volume[:, :, 0] = LECTURE_IMAGE
    return volume


def example_filters(channels: int = 32, filters: int | None = None, *, seed: int = 1) -> np.ndarray:
    """Deterministic filter weights in [-1, 1] with one decimal (lesson 02).

    Returns one filter ``(channels,)`` when ``filters`` is None, else a bank
    ``(channels, filters)``.
    """
    channels = check_int(channels, "channels")
    shape: tuple[int, ...] = (channels,)
    if filters is not None:
        shape = (channels, check_int(filters, "filters"))
    rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
    return rng.integers(-10, 11, size=shape) / 10.0


# --------------------------------------------------------------------------
# Lesson 07: colour mixing
# --------------------------------------------------------------------------
def _read_only(values: Any) -> np.ndarray:
    arr = np.array(values, dtype=np.float64)
    arr.setflags(write=False)
    return arr


#: The luma filter of ITU-R BT.601 (lesson 07): grey = 0.299 R + 0.587 G + 0.114 B, a (3,) filter.
GREY_FILTER = _read_only([0.299, 0.587, 0.114])

#: Named 3 → 3 colour mixes as (C, F) filter banks (lesson 07): ``w[c, f]`` is how much input
#: channel c (R, G, B) adds to output channel f, so column f is the filter making output channel f.
#: Colour-science books write the same maps as ``out = M @ rgb``, with M of shape (F, C): w = M.T.
COLOUR_MIXES: dict[str, np.ndarray] = {
    "identity": _read_only(np.eye(3)),
    "grey": _read_only(np.repeat(GREY_FILTER[:, None], 3, axis=1)),       # every output channel is grey
    "swap red and blue": _read_only([[0, 0, 1], [0, 1, 0], [1, 0, 0]]),
    "sepia": _read_only(np.array([[0.393, 0.769, 0.189],                   # M: rows are output R, G, B
                                  [0.349, 0.686, 0.168],
                                  [0.272, 0.534, 0.131]]).T),
    "RGB to YIQ": _read_only(np.array([[0.299, 0.587, 0.114],              # Y: the grey filter
                                       [0.596, -0.274, -0.322],            # I: orange against blue
                                       [0.211, -0.523, 0.312]]).T),        # Q: purple against green
}


def colour_mix(name: str) -> np.ndarray:
    """The named colour mix as a fresh (3, 3) ``(C, F)`` filter bank (see :data:`COLOUR_MIXES`).

    Raises
    ------
    TypeError, ValueError
        If ``name`` is not a string naming one of :data:`COLOUR_MIXES`.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, one of {sorted(COLOUR_MIXES)}; got {short_repr(name)}")
    if name not in COLOUR_MIXES:
        raise ValueError(f"name must be one of {sorted(COLOUR_MIXES)}; got {name!r}")
    return COLOUR_MIXES[name].copy()


# --------------------------------------------------------------------------
# Lesson 09: depthwise and grouped layers
# --------------------------------------------------------------------------
def depthwise_conv(x: Any, w: Any, *, stride: int = 1) -> np.ndarray:
    """A depthwise k×k convolution with 'same' zero padding: channel c filtered by ``w[:, :, c]`` alone.

    Parameters
    ----------
    x : array_like, shape (H, W, C)
        Channels-last input.
    w : array_like, shape (k, k, C)
        One k×k filter per channel, k odd (a cross-correlation, as in every framework).
    stride : int, default 1
        The output is ``ceil(H / stride) × ceil(W / stride) × C``.

    >>> x = np.arange(18.0).reshape(3, 3, 2)
    >>> w = np.zeros((3, 3, 2)); w[1, 1] = [2.0, -1.0]        # the centre tap only: x times 2 and times -1
    >>> depthwise_conv(x, w)[1, 1].tolist()
    [16.0, -9.0]

    Raises
    ------
    TypeError, ValueError
        ``x`` not (H, W, C), ``w`` not (k, k, C) with k odd and the same C, or a bad stride.
    """
    x = as_real_array(x, "x")
    w = as_real_array(w, "w")
    if x.ndim != 3:
        raise ValueError(f"x must be one channels-last volume (H, W, C); got shape {x.shape}")
    if w.ndim != 3 or w.shape[0] != w.shape[1] or w.shape[0] % 2 == 0:
        raise ValueError(f"w must hold one k×k filter per channel, shape (k, k, C) with k odd; got shape {w.shape}")
    if w.shape[2] != x.shape[2]:
        raise ValueError(f"x has {x.shape[2]} channels but w has filters for {w.shape[2]} (w has shape {w.shape})")
    stride = check_int(stride, "stride")
    k = w.shape[0]
    p = k // 2
    padded = np.pad(x, ((p, p), (p, p), (0, 0)))
    height, width = x.shape[:2]
    out = np.zeros((height, width, x.shape[2]), dtype=np.result_type(x, w))
    for di in range(k):                       # k² shifted copies, each times its weight, channel by channel
        for dj in range(k):
            out += padded[di:di + height, dj:dj + width, :] * w[di, dj, :]
    return out[::stride, ::stride]


def block_diagonal(*blocks: Any) -> np.ndarray:
    """The (C_in, C_out) weight matrix of a grouped 1×1 convolution: block g on the diagonal, zeros elsewhere.

    Block g is the ``(C_in / groups, C_out / groups)`` bank of group g: its outputs read only its inputs.

    >>> block_diagonal([[1, 2]], [[3, 4]]).tolist()
    [[1.0, 2.0, 0.0, 0.0], [0.0, 0.0, 3.0, 4.0]]
    """
    if not blocks:
        raise ValueError("block_diagonal needs at least one block (C_in / groups, C_out / groups)")
    arrays = [as_real_array(b, f"blocks[{g}]") for g, b in enumerate(blocks)]
    for g, b in enumerate(arrays):
        if b.ndim != 2 or b.shape != arrays[0].shape:
            raise ValueError(f"blocks[{g}] must be a 2-D bank of the same shape as blocks[0] {arrays[0].shape}; "
                             f"got shape {b.shape}")
    rows, cols = arrays[0].shape
    out = np.zeros((rows * len(arrays), cols * len(arrays)))
    for g, b in enumerate(arrays):
        out[g * rows:(g + 1) * rows, g * cols:(g + 1) * cols] = b
    return out
