"""Export a filter bank to deep-learning frameworks (introduced in lesson 05).

A 1×1 convolution is the same operation in every framework, but each one
stores the weights in its own layout:

* this course, ``conv1x1(x, w, b)``: ``(C, F)``, column f is filter f;
* PyTorch, ``nn.Conv2d(C, F, kernel_size=1)``: ``(F, C, 1, 1)``, filters first;
* PyTorch, ``nn.Linear(C, F)``: ``(F, C)``;
* Keras, ``Conv2D(F, kernel_size=1)``: ``(1, 1, C, F)``, kernel axes first.

:func:`export_code` writes the Python code that builds the equivalent layer,
loads our ``(C, F)`` weights into it and applies it to a channels-last volume
``x`` of shape ``(H, W, C)``; :func:`print_export` prints it.
:func:`framework_weights` converts the weights with NumPy alone.

This module imports NumPy only: the code it writes imports the framework,
not this module, so it works whether or not PyTorch or Keras is installed.
"""

from __future__ import annotations

import keyword
from typing import Any

import numpy as np

from .validate import as_real_array, check_activation, check_int, short_repr

__all__ = ["FRAMEWORKS", "check_framework", "export_code", "framework_weights", "print_export", "weight_shape"]

#: Frameworks :func:`export_code` can write code for.
FRAMEWORKS = ("pytorch", "pytorch-linear", "keras")


def check_framework(framework: Any) -> str:
    """``framework`` as one of :data:`FRAMEWORKS` (case ignored), for every function taking a framework name.

    >>> check_framework("PyTorch")
    'pytorch'

    Raises
    ------
    TypeError
        ``framework`` is not a string.
    ValueError
        ``framework`` is not one of :data:`FRAMEWORKS`.
    """
    if not isinstance(framework, str):
        raise TypeError(f"framework must be one of {', '.join(map(repr, FRAMEWORKS))}; got {short_repr(framework)}")
    name = framework.lower()
    if name not in FRAMEWORKS:
        raise ValueError(f"framework must be one of {', '.join(map(repr, FRAMEWORKS))}; got {framework!r}")
    return name


def _check_bank(w: Any) -> tuple[np.ndarray, int, int]:
    """``w`` as a (C,) or (C, F) float array, with C and F."""
    w = as_real_array(w, "w")
    if w.ndim not in (1, 2):
        hint = ""
        if w.ndim == 4 and w.shape[2:] == (1, 1):
            hint = "; that looks like PyTorch's (F, C, 1, 1) layout: use w[:, :, 0, 0].T"
        elif w.ndim == 4 and w.shape[:2] == (1, 1):
            hint = "; that looks like Keras's (1, 1, C, F) layout: use w[0, 0]"
        raise ValueError(f"w must be one filter (C,) or a bank of filters (C, F); got shape {w.shape}{hint}")
    if w.size == 0:
        raise ValueError(f"w must hold at least one weight; got shape {w.shape}")
    channels = w.shape[0]
    filters = w.shape[1] if w.ndim == 2 else 1
    return w, channels, filters


def _check_bias(b: Any, filters: int) -> np.ndarray | None:
    if b is None:
        return None
    b = as_real_array(b, "b")
    if b.shape not in ((), (filters,)):
        raise ValueError(f"b must be a scalar or have shape ({filters},), one bias per filter; got shape {b.shape}")
    return b


def _check_name(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.isidentifier() or keyword.iskeyword(value):
        raise ValueError(f"{name} must be a Python variable name such as 'w'; got {value!r}")
    return value


def weight_shape(framework: str, in_channels: int, out_channels: int) -> tuple[int, ...]:
    """The shape a framework stores a bank of 1×1 filters in.

    Parameters
    ----------
    framework : {"pytorch", "pytorch-linear", "keras"}
    in_channels, out_channels : int
        C and F: the bank is our ``(C, F)`` matrix.

    Returns
    -------
    tuple of int
        ``(F, C, 1, 1)`` for PyTorch's ``nn.Conv2d``, ``(F, C)`` for
        ``nn.Linear``, ``(1, 1, C, F)`` for Keras's ``Conv2D``.

    Examples
    --------
    >>> weight_shape("pytorch", 192, 32)
    (32, 192, 1, 1)
    >>> weight_shape("keras", 192, 32)
    (1, 1, 192, 32)
    """
    framework = check_framework(framework)
    c = check_int(in_channels, "in_channels")
    f = check_int(out_channels, "out_channels")
    return {"pytorch": (f, c, 1, 1), "pytorch-linear": (f, c), "keras": (1, 1, c, f)}[framework]


def framework_weights(w: Any, framework: str = "pytorch") -> np.ndarray:
    """Our ``(C, F)`` filter bank in the layout a framework expects.

    Parameters
    ----------
    w : array_like, shape (C,) or (C, F)
        One filter or a bank of F filters (one filter counts as F = 1).
    framework : {"pytorch", "pytorch-linear", "keras"}

    Returns
    -------
    numpy.ndarray
        A new array of shape :func:`weight_shape` gives: PyTorch's
        ``(F, C, 1, 1)`` is the *transpose* of our matrix with two 1×1 axes
        added (a plain reshape would scramble the weights); Keras's
        ``(1, 1, C, F)`` is our matrix with two 1×1 axes in front.

    Raises
    ------
    ValueError, TypeError
        ``w`` is not a (C,) or (C, F) array of real numbers, or the framework
        is unknown.
    """
    framework = check_framework(framework)
    w, c, f = _check_bank(w)
    bank = w.reshape(c, f)
    if framework == "keras":
        return bank.reshape(1, 1, c, f).copy()
    transposed = np.ascontiguousarray(bank.T)                  # (F, C): filter f is row f
    return transposed if framework == "pytorch-linear" else transposed.reshape(f, c, 1, 1)


def export_code(
    w: Any,
    b: Any = None,
    *,
    framework: str = "pytorch",
    activation: str | None = None,
    w_name: str = "w",
    b_name: str = "b",
    x_name: str = "x",
) -> str:
    """Python code for the framework layer equivalent to ``conv1x1(x, w, b, activation=...)``.

    The code builds the layer with the right sizes, loads the weights from
    the variables ``w`` (our ``(C, F)`` layout) and ``b`` into it in the
    layout the framework expects, and applies it to ``x``, a channels-last
    ``(H, W, C)`` volume, leaving the result in ``y`` as a NumPy array of
    shape ``(H, W, F)`` (``(H, W)`` for one filter), like :func:`conv1x1`.
    The frameworks compute in float32, so ``y`` agrees with :func:`conv1x1`
    to about 1e-6 relative, not exactly.

    Parameters
    ----------
    w : array_like, shape (C,) or (C, F)
        The filter bank; only its shape is written into the code (the values
        are read from the variable named ``w_name`` when the code runs).
    b : None, scalar or array_like of shape (F,), optional
        The biases; None writes a layer without bias.
    framework : {"pytorch", "pytorch-linear", "keras"}, default "pytorch"
        ``nn.Conv2d(kernel_size=1)``, ``nn.Linear`` applied to every pixel, or
        Keras's ``Conv2D(kernel_size=1)``.
    activation : None or "relu", optional
        Add a ReLU after the layer.
    w_name, b_name, x_name : str
        The variable names the code reads.

    Returns
    -------
    str
        The code, ready for ``print`` or ``exec``.

    Raises
    ------
    ValueError, TypeError
        Bad shapes or types for ``w`` or ``b``, an unknown framework or
        activation, or a variable name that is not a Python identifier.

    Examples
    --------
    >>> code = export_code(np.ones((192, 32)))
    >>> print(next(line for line in code.splitlines() if line.startswith("conv = ")))
    conv = nn.Conv2d(in_channels=192, out_channels=32, kernel_size=1, bias=False)
    """
    framework = check_framework(framework)
    w, c, f = _check_bank(w)
    b = _check_bias(b, f)
    activation = check_activation(activation)
    wn, bn, xn = (_check_name(v, n) for v, n in ((w_name, "w_name"), (b_name, "b_name"), (x_name, "x_name")))
    has_bias = b is not None
    # np.reshape and np.asarray take whatever array_like w and b are (nested lists included) as NumPy arrays
    bank = f"np.reshape({wn}, ({c}, {f}))" if w.ndim == 1 else f"np.asarray({wn})"
    what = (f"One filter of 1×1×{c}: our {wn} has shape ({c},), a bank with F = 1." if w.ndim == 1
            else f"A bank of {f} filters of 1×1×{c}: our {wn} has shape (C, F) = ({c}, {f}).")
    lines: list[str]
    if framework in ("pytorch", "pytorch-linear"):
        lines = ["import numpy as np", "import torch", "from torch import nn", "", f"# {what}"]
        if framework == "pytorch":
            lines += [
                f"conv = nn.Conv2d(in_channels={c}, out_channels={f}, kernel_size=1, bias={has_bias})",
                f"# PyTorch keeps the weight as (F, C, 1, 1) = ({f}, {c}, 1, 1): filters first, so transpose.",
                "with torch.no_grad():",
                f"    conv.weight.copy_(torch.as_tensor({bank}.T.reshape({f}, {c}, 1, 1)))",
            ]
        else:
            lines += [
                f"conv = nn.Linear(in_features={c}, out_features={f}, bias={has_bias})",
                f"# nn.Linear keeps the weight as (F, C) = ({f}, {c}): our matrix transposed.",
                "with torch.no_grad():",
                f"    conv.weight.copy_(torch.as_tensor({bank}.T))",
            ]
        if has_bias:
            lines.append(f"    conv.bias.copy_(torch.as_tensor({bn}))")
        layer = "nn.Sequential(conv, nn.ReLU())" if activation else "conv"
        lines += ["", f"layer = {layer}"]
        if framework == "pytorch":
            lines += [
                "# PyTorch is channels-first: (H, W, C) -> a batch (1, C, H, W), and back to (H, W, F).",
                f"inputs = torch.as_tensor(np.asarray({xn}), dtype=torch.float32).permute(2, 0, 1)[None]",
                "with torch.no_grad():",
                "    y = layer(inputs)[0].permute(1, 2, 0).numpy()",
            ]
        else:
            lines += [
                "# nn.Linear acts on the last axis, so it runs on every pixel of (H, W, C) at once.",
                f"inputs = torch.as_tensor(np.asarray({xn}), dtype=torch.float32)",
                "with torch.no_grad():",
                "    y = layer(inputs).numpy()",
            ]
    else:
        act = ', activation="relu"' if activation else ""
        lines = [
            "import numpy as np",
            "import keras",
            "",
            f"# {what}",
            f"conv = keras.layers.Conv2D(filters={f}, kernel_size=1, use_bias={has_bias}{act}, "
            'data_format="channels_last")',
            f"conv.build((None, None, None, {c}))",
            f"# Keras keeps the kernel as (1, 1, C, F) = (1, 1, {c}, {f}): our matrix behind two 1×1 axes.",
        ]
        weights = f"np.reshape({wn}, (1, 1, {c}, {f}))"
        if has_bias:   # Keras wants one bias per filter: spread a scalar bias only when there is one
            weights += f", np.full(({f},), {bn})" if b.ndim == 0 else f", np.reshape({bn}, ({f},))"
        lines += [
            f"conv.set_weights([{weights}])",
            "# Channels last like this course, whatever keras.config.image_data_format() says: (H, W, C) -> (1, H, W, C).",
            f"y = keras.ops.convert_to_numpy(conv(np.asarray({xn}, dtype=\"float32\")[None]))[0]",
        ]
    if w.ndim == 1:
        lines.append("y = y[..., 0]  # one filter: (H, W), like conv1x1")
    return "\n".join(lines) + "\n"


def print_export(
    w: Any,
    b: Any = None,
    *,
    frameworks: str | tuple[str, ...] = ("pytorch", "keras"),
    activation: str | None = None,
    **names: str,
) -> None:
    """Print the equivalent layer code for one or more frameworks (see :func:`export_code`).

    Each block starts with a comment line naming the framework and the
    weight layout it expects.
    """
    if isinstance(frameworks, str):
        frameworks = (frameworks,)
    w_arr, c, f = _check_bank(w)
    blocks = []
    for framework in frameworks:
        name = check_framework(framework)
        shape = "×".join(map(str, weight_shape(name, c, f)))
        title = {"pytorch": "PyTorch, nn.Conv2d", "pytorch-linear": "PyTorch, nn.Linear",
                 "keras": "Keras, Conv2D"}[name]
        code = export_code(w_arr, b, framework=name, activation=activation, **names)
        blocks.append(f"# ---- {title}: weight {shape} ----\n{code}")
    print("\n".join(blocks), end="")
