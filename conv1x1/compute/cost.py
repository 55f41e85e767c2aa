"""Cost of convolution layers: multiplications and parameters, direct and through a 1×1 bottleneck.

Lessons 03 and 04 count what a convolution costs (:func:`conv_cost`) and how
much a 1×1 bottleneck in front of a k×k convolution saves
(:func:`bottleneck_cost`); lesson 09 adds grouped and depthwise layers, a
stride and padding. By default a layer is stride 1 with 'same' padding, so the
output has the input's height and width. What is counted, and what is not, is
stated once, in :data:`COUNTING_RULES`. NumPy only, like :mod:`conv1x1.compute.core`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .core import format_significant
from .validate import check_int, short_repr

__all__ = ["BottleneckCost", "COUNTING_RULES", "ConvCost", "bottleneck_cost", "conv_cost", "conv_output_size"]

#: How the course counts a layer's cost: the one statement the lessons, the explorers and the counters
#: of :mod:`conv1x1.compute.count` follow.
COUNTING_RULES = (
    "Multiply-adds (\"multiplications\", the papers' Mult-Adds): one for every weight at every output "
    "position, a product added into a sum; the zeros of the padding are counted too. "
    "FLOPs = 2 × multiply-adds (one multiplication and one addition each). "
    "Biases are parameters when a layer has them, but never multiply-adds (a bias is added, not multiplied). "
    "Parameters are the weights and biases of convolutions and fully connected layers; batch normalisation's "
    "scale and shift are not among them (PyTorch counts them: count_module shows both). "
    "Activations (ReLU), batch normalisation, pooling and other element-wise operations (adding, scaling) are "
    "not counted."
)


class ConvCost(NamedTuple):
    """Cost of one convolution layer (see :func:`conv_cost` and :data:`COUNTING_RULES`)."""

    multiplications: int
    parameters: int
    weights: int
    biases: int
    output_shape: tuple[int, ...]             # (H, W, C) from conv_cost

    @property
    def multiply_adds(self) -> int:
        """The multiply-adds: the same count as ``multiplications`` (each product is added into a sum)."""
        return self.multiplications

    @property
    def flops(self) -> int:
        """Floating-point operations, 2 × multiply-adds (one multiplication and one addition each)."""
        return 2 * self.multiplications

    def __str__(self) -> str:
        mults, params, weights, biases = map(format_significant, (self.multiplications, self.parameters,
                                                                   self.weights, self.biases))
        shape = "×".join(map(str, self.output_shape))       # (H, W, C); other lengths from count_module
        return f"{mults} multiplications, {params} parameters ({weights} weights + {biases} biases), output {shape}"


def conv_output_size(size: int, kernel_size: int = 1, stride: int = 1, padding: int | str = "same",
                     *, name: str = "height") -> int:
    """The output's height (or width) of a convolution: ``(size + 2·padding − k) // stride + 1``.

    ``padding="same"`` pads just enough that the output is ``ceil(size / stride)`` (``size`` itself at
    stride 1), as TensorFlow's "SAME" and, for odd k, PyTorch's ``padding=k // 2`` do; ``"valid"`` is no
    padding; an integer p pads p zeros on every side.

    >>> conv_output_size(224, 3, stride=2), conv_output_size(224, 3, stride=2, padding=1)
    (112, 112)
    >>> conv_output_size(6, 3, padding="valid")
    4

    Raises
    ------
    TypeError, ValueError
        A size that is not a positive integer, an unknown padding, a stride larger than ``size``, or a
        kernel larger than the padded input; the message names ``name`` (the argument it came from).
    """
    size = check_int(size, name)
    kernel_size = check_int(kernel_size, "kernel_size")
    stride = check_int(stride, "stride")
    if stride > size:
        raise ValueError(f"stride must be at most the input's {name} ({size}); got {stride}")
    if isinstance(padding, str):
        if padding == "same":
            return -(-size // stride)
        if padding != "valid":
            raise ValueError(f"padding must be 'same', 'valid' or an integer >= 0; got {padding!r}")
        padding = 0
    padding = check_int(padding, "padding", minimum=0)
    if kernel_size > size + 2 * padding:
        raise ValueError(f"kernel_size must be at most the padded input's {name}, {size} + 2 × {padding} = "
                         f"{size + 2 * padding}; got {kernel_size}")
    return (size + 2 * padding - kernel_size) // stride + 1


def conv_cost(
    height: int,
    width: int,
    in_channels: int,
    out_channels: int,
    kernel_size: int = 1,
    *,
    bias: bool = True,
    groups: int = 1,
    stride: int = 1,
    padding: int | str = "same",
) -> ConvCost:
    """Multiplications and parameters of a convolution layer (rules: :data:`COUNTING_RULES`).

    Every one of the ``H_out × W_out × out_channels`` outputs is a dot product
    of length ``kernel_size² × in_channels / groups``, so

    * multiplications (multiply-adds) = H_out · W_out · C_out · k² · C_in / g
    * weights = k² · (C_in / g) · C_out, biases = C_out (if ``bias``)

    With ``groups`` g the channels are split into g groups; each output channel reads only the
    C_in / g input channels of its group. ``groups=in_channels`` is a *depthwise* convolution (one
    k×k filter per channel when ``out_channels == in_channels``).

    Parameters
    ----------
    height, width : int
        Spatial size of the input.
    in_channels, out_channels : int
        Channels in and out (``out_channels`` is the number of filters).
    kernel_size : int, default 1
        Filters are ``kernel_size × kernel_size × in_channels / groups``.
    bias : bool, default True
        Whether each filter has a bias.
    groups : int, default 1
        Must divide both channel counts.
    stride : int, default 1
        Step between output positions; at most the input's height and width.
    padding : "same", "valid" or int, default "same"
        See :func:`conv_output_size`.

    Returns
    -------
    ConvCost
        ``(multiplications, parameters, weights, biases, output_shape)``; ``.multiply_adds`` and
        ``.flops`` (2 × multiply-adds) too.

    Raises
    ------
    TypeError, ValueError
        A size that is not an integer >= 1, groups that do not divide both channel counts, a stride or
        kernel larger than the input; the message names the argument.

    Examples
    --------
    >>> conv_cost(28, 28, 192, 32).multiplications
    4816896
    >>> conv_cost(28, 28, 192, 32).parameters
    6176
    >>> conv_cost(112, 112, 64, 64, 3, groups=64, stride=2, bias=False)     # depthwise 3×3, stride 2
    ConvCost(multiplications=1806336, parameters=576, weights=576, biases=0, output_shape=(56, 56, 64))
    """
    height = check_int(height, "height")
    width = check_int(width, "width")
    in_channels = check_int(in_channels, "in_channels")
    out_channels = check_int(out_channels, "out_channels")
    kernel_size = check_int(kernel_size, "kernel_size")
    if not isinstance(bias, (bool, np.bool_)):
        raise TypeError(f"bias must be True or False; got {short_repr(bias)}")
    groups = check_int(groups, "groups")
    for channels, name in ((in_channels, "in_channels"), (out_channels, "out_channels")):
        if channels % groups:
            raise ValueError(f"groups must divide {name} ({channels}) and the other channel count; got groups = "
                             f"{groups}, which leaves {channels} % {groups} = {channels % groups} channels over")
    out_height = conv_output_size(height, kernel_size, stride, padding, name="height")
    out_width = conv_output_size(width, kernel_size, stride, padding, name="width")
    weights = kernel_size * kernel_size * (in_channels // groups) * out_channels
    biases = out_channels if bias else 0
    return ConvCost(
        multiplications=out_height * out_width * weights,
        parameters=weights + biases,
        weights=weights,
        biases=biases,
        output_shape=(out_height, out_width, out_channels),
    )


class BottleneckCost(NamedTuple):
    """A direct k×k convolution against a 1×1 bottleneck followed by the k×k."""

    direct: ConvCost
    reduce: ConvCost
    conv: ConvCost

    @property
    def multiplications(self) -> int:
        """Multiplications of the bottleneck path (1×1 then k×k)."""
        return self.reduce.multiplications + self.conv.multiplications

    @property
    def parameters(self) -> int:
        """Parameters of the bottleneck path (1×1 then k×k)."""
        return self.reduce.parameters + self.conv.parameters

    @property
    def saving(self) -> float:
        """How many times fewer multiplications the bottleneck path needs."""
        return self.direct.multiplications / self.multiplications

    def __str__(self) -> str:
        """Both paths' multiplications and parameters, and the saving, numbers as :class:`ConvCost` writes them.

        >>> print(bottleneck_cost(28, 28, 192, 32, kernel_size=5, bottleneck=16))  # doctest: +NORMALIZE_WHITESPACE
        bottleneck path: 12,443,648 multiplications, 15,872 parameters;
        direct: 120,422,400 multiplications, 153,600 parameters; 9.68 times fewer multiplications
        """
        return (f"bottleneck path: {format_significant(self.multiplications)} multiplications, "
                f"{format_significant(self.parameters)} parameters; direct: "
                f"{format_significant(self.direct.multiplications)} multiplications, "
                f"{format_significant(self.direct.parameters)} parameters; "
                f"{format_significant(self.saving)} times fewer multiplications")


def bottleneck_cost(
    height: int,
    width: int,
    in_channels: int,
    out_channels: int,
    kernel_size: int,
    bottleneck: int,
    *,
    bias: bool = False,
) -> BottleneckCost:
    """Cost of a k×k convolution, direct or after a 1×1 bottleneck.

    The bottleneck path is a 1×1 convolution ``in_channels → bottleneck``
    followed by the k×k convolution ``bottleneck → out_channels``.

    Examples
    --------
    >>> c = bottleneck_cost(28, 28, 192, 32, kernel_size=5, bottleneck=16)
    >>> c.direct.multiplications, c.multiplications
    (120422400, 12443648)
    """
    bottleneck = check_int(bottleneck, "bottleneck")
    return BottleneckCost(
        direct=conv_cost(height, width, in_channels, out_channels, kernel_size, bias=bias),
        reduce=conv_cost(height, width, in_channels, bottleneck, 1, bias=bias),
        conv=conv_cost(height, width, bottleneck, out_channels, kernel_size, bias=bias),
    )
