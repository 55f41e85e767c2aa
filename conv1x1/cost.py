"""Cost of convolution layers: multiplications and parameters, direct and through a 1×1 bottleneck.

Lessons 03 and 04 count what a convolution costs (:func:`conv_cost`) and how
much a 1×1 bottleneck in front of a k×k convolution saves
(:func:`bottleneck_cost`). Layers are stride 1 with 'same' padding, so the
output has the input's height and width. NumPy only, like :mod:`conv1x1.core`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .core import format_significant
from .validate import check_int, describe

__all__ = ["BottleneckCost", "ConvCost", "bottleneck_cost", "conv_cost"]


class ConvCost(NamedTuple):
    """Cost of one stride-1 'same' convolution layer (see :func:`conv_cost`)."""

    multiplications: int
    parameters: int
    weights: int
    biases: int
    output_shape: tuple[int, int, int]

    def __str__(self) -> str:
        h, w, c = self.output_shape
        mults, params, weights, biases = map(format_significant, (self.multiplications, self.parameters,
                                                                   self.weights, self.biases))
        return f"{mults} multiplications, {params} parameters ({weights} weights + {biases} biases), output {h}×{w}×{c}"


def conv_cost(
    height: int,
    width: int,
    in_channels: int,
    out_channels: int,
    kernel_size: int = 1,
    *,
    bias: bool = True,
) -> ConvCost:
    """Multiplications and parameters of a stride-1 'same' convolution.

    Every one of the ``height × width × out_channels`` outputs is a dot product
    of length ``kernel_size² × in_channels``, so

    * multiplications = H · W · C_out · k² · C_in
    * weights = k² · C_in · C_out, biases = C_out (if ``bias``)

    Parameters
    ----------
    height, width : int
        Spatial size of the input (and, for 'same' padding, the output).
    in_channels, out_channels : int
        Channels in and out (``out_channels`` is the number of filters).
    kernel_size : int, default 1
        Filters are ``kernel_size × kernel_size × in_channels``.
    bias : bool, default True
        Whether each filter has a bias.

    Returns
    -------
    ConvCost
        ``(multiplications, parameters, weights, biases, output_shape)``.

    Examples
    --------
    >>> conv_cost(28, 28, 192, 32).multiplications
    4816896
    >>> conv_cost(28, 28, 192, 32).parameters
    6176
    """
    height = check_int(height, "height")
    width = check_int(width, "width")
    in_channels = check_int(in_channels, "in_channels")
    out_channels = check_int(out_channels, "out_channels")
    kernel_size = check_int(kernel_size, "kernel_size")
    if not isinstance(bias, (bool, np.bool_)):
        raise TypeError(f"bias must be True or False; got {describe(bias)}")
    weights = kernel_size * kernel_size * in_channels * out_channels
    biases = out_channels if bias else 0
    return ConvCost(
        multiplications=height * width * out_channels * kernel_size * kernel_size * in_channels,
        parameters=weights + biases,
        weights=weights,
        biases=biases,
        output_shape=(height, width, out_channels),
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
