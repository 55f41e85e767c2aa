"""The model a diagram or an explorer shows: one 1×1 layer applied to one input (NumPy only).

A :class:`Layer` holds an input volume ``x`` (H, W, C), a bank ``w`` (C, F), biases ``b`` (F,) and an
activation. It answers the questions the views ask, and nothing else:

* :meth:`Layer.step` — every number of one output value (:func:`conv1x1.pixel_steps`): the pixel's
  column, the filter's weights, their products, the sum, the bias, z and the output;
* :meth:`Layer.output` — the whole output (H, W, F), computed once per layer;
* :meth:`Layer.output_at` — the output at chosen rows and columns only. A 1×1 convolution works
  pixel by pixel, so this is exactly the whole output at those pixels, for a fraction of the cost:
  a photo's explorer shows only as many pixels as its figure has screen pixels.

A layer never changes: :meth:`Layer.replace` returns a new one (new weights, biases or activation),
so a cached output can never be stale.

>>> import numpy as np
>>> layer = Layer(np.arange(12.0).reshape(2, 2, 3), [[1, 0], [0, 1], [-1, 1]], b=[0.5, 0])
>>> layer.output()[1, 1]                 # ReLU(9 − 11 + 0.5), ReLU(10 + 11)
array([ 0., 21.])
>>> step = layer.step((1, 1), 0)
>>> step.total, step.z, step.output
(-2.0, -1.5, 0.0)
>>> layer.replace(activation=None).step((1, 1), 0).output
-1.5
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from .core import PixelSteps, conv1x1, pixel_steps
from .validate import as_real_array, check_activation, check_int, pixel_pair

__all__ = ["Layer"]

_KEEP = object()


class Layer:
    """A 1×1 convolution layer (``w``, ``b``, activation) applied to one input ``x``; immutable.

    Parameters
    ----------
    x : array_like, shape (H, W, C)
        The input volume, channels last.
    w : array_like, shape (C,) or (C, F)
        One filter or a bank of F filters (column f is filter f).
    b : scalar or array_like (F,), optional
        Biases (default 0).
    activation : None or "relu", default "relu"

    Raises
    ------
    TypeError, ValueError
        An argument of the wrong type or shape, named in the message.
    """

    def __init__(self, x: Any, w: Any, b: Any = None, activation: Any = "relu"):
        x = x if isinstance(x, np.ndarray) and x.dtype.kind == "f" else as_real_array(x, "x")
        if x.ndim != 3:
            raise ValueError(f"x must be one channels-last volume (H, W, C); got shape {x.shape}")
        if x.size == 0:
            raise ValueError(f"x must hold at least one pixel and one channel; got shape {x.shape}")
        self.x = x
        self.height, self.width, self.channels = x.shape
        w = as_real_array(w, "w")
        if w.ndim == 1:
            w = w[:, None]
        if w.ndim != 2 or w.shape[0] != self.channels or w.shape[1] == 0:
            raise ValueError(f"w must be one filter ({self.channels},) or a bank ({self.channels}, F) for x with "
                             f"{self.channels} channels; got shape {w.shape}")
        n_filters = w.shape[1]
        b = np.zeros(n_filters) if b is None else as_real_array(b, "b")
        if b.shape not in ((), (n_filters,)):
            raise ValueError(f"b must be a scalar or have shape ({n_filters},), one per filter; got shape {b.shape}")
        self.w = w.copy()
        self.b = np.broadcast_to(b, (n_filters,)).astype(float)
        self.w.setflags(write=False)
        self.b.setflags(write=False)
        self.activation = check_activation(activation)
        self._output: np.ndarray | None = None

    @property
    def n_filters(self) -> int:
        """F, the number of filters (output channels)."""
        return self.w.shape[1]

    def replace(self, *, w: Any = None, b: Any = None, activation: Any = _KEEP) -> "Layer":
        """A layer on the same input with new weights (same shape), biases or activation.

        Returns ``self`` when nothing changes, so that a cached output is kept.
        """
        new_w = self.w if w is None else as_real_array(w, "w")
        if new_w.ndim == 1 and self.w.shape[1] == 1:
            new_w = new_w[:, None]
        if new_w.shape != self.w.shape:
            raise ValueError(f"w must keep its shape {self.w.shape}; got {new_w.shape}")
        new_b = self.b if b is None else b
        new_activation = self.activation if activation is _KEEP else check_activation(activation)
        if (w is None or np.array_equal(new_w, self.w)) and (b is None or np.array_equal(
                np.broadcast_to(as_real_array(b, "b"), self.b.shape), self.b)) and new_activation == self.activation:
            return self
        return Layer(self.x, new_w, new_b, new_activation)

    def step(self, pixel: Any, filter: int = 0) -> PixelSteps:
        """Every number of output ``[i, j, filter]`` (see :func:`conv1x1.pixel_steps`)."""
        pixel = pixel_pair(pixel, self.x.shape)
        f = check_int(filter, "filter", minimum=0, maximum=self.n_filters - 1)
        return pixel_steps(self.x, self.w, self.b, pixel=pixel, filter=f, activation=self.activation)

    def output(self) -> np.ndarray:
        """The whole output (H, W, F), computed on first use (read-only)."""
        if self._output is None:
            self._output = self._convolve(self.x)
            self._output.setflags(write=False)
        return self._output

    def output_at(self, rows: Any, cols: Any) -> np.ndarray:
        """The output at the pixels ``x[rows, cols]`` picks (NumPy indexing), without computing the rest."""
        if self._output is not None:
            return self._output[rows, cols]
        return self._convolve(self.x[rows, cols])

    def linear_range(self) -> tuple[float, float]:
        """Smallest and largest value before the activation (``x · w + b``) over the whole output."""
        linear = self.output() if self.activation is None else self.replace(activation=None).output()
        return float(np.min(linear)), float(np.max(linear))

    def _convolve(self, x: np.ndarray) -> np.ndarray:
        """``conv1x1`` of ``x`` with this layer, BLAS on one thread (see :func:`_one_blas_thread`)."""
        b = self.b if np.any(self.b) else None        # an all-zero bias is skipped: costly on a photo
        with _one_blas_thread():
            return conv1x1(x, self.w, b, activation=self.activation)

    def __repr__(self) -> str:
        return (f"Layer(x: {self.height}×{self.width}×{self.channels}, w: {self.channels}×{self.n_filters}, "
                f"activation={self.activation!r})")


@functools.lru_cache(maxsize=1)
def _blas_controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _one_blas_thread():
    """A context in which NumPy's BLAS runs on one thread.

    An explorer's frame convolves at most a few hundred thousand pixels (a photo at its on-screen size):
    a product that small gains nothing from threads, and on a busy machine (a shared classroom server,
    a Binder pod, two cores running tests) OpenBLAS's threads wait for free cores: the lesson 07
    explorer's median move took 51 ms instead of 23 ms in the latency benchmark. threadpoolctl switches
    the threads off for the call and back on after it (about 0.15 ms).
    """
    return _blas_controller().limit(limits=1, user_api="blas")
