"""conv1x1: an interactive course on 1×1 convolutions ("Network in Network").

The top level holds the computation (NumPy only)::

    from conv1x1 import conv1x1, conv1x1_loops, relu, conv_cost

Drawing, interaction, export and exercise checks are submodules, imported
when used::

    from conv1x1 import draw, explore, controls, export, data, checks, solutions
"""

from .core import (
    LECTURE_IMAGE,
    conv1x1,
    conv1x1_loops,
    example_filters,
    example_volume,
    PixelSteps,
    format_values,
    lecture_image,
    pixel_steps,
    relu,
)
from .cost import BottleneckCost, ConvCost, bottleneck_cost, conv_cost
from .core import COLOUR_MIXES, GREY_FILTER, colour_mix  # lesson 07
from .learn import fit_gradient_descent, fit_least_squares, mse_gradient, mse_loss  # lesson 08
from .core import block_diagonal, depthwise_conv  # lesson 09
from .cost import COUNTING_RULES, conv_output_size  # lesson 09
from .count import Conv, Dense, count_layers, count_module, layer_kind, mobilenet_v1_layers  # lesson 10

__version__ = "0.1.0"

__all__ = [
    "BottleneckCost",
    "ConvCost",
    "LECTURE_IMAGE",
    "bottleneck_cost",
    "conv1x1",
    "conv1x1_loops",
    "conv_cost",
    "example_filters",
    "example_volume",
    "lecture_image",
    "PixelSteps",
    "format_values",
    "pixel_steps",
    "relu",
    "COLOUR_MIXES",
    "GREY_FILTER",
    "colour_mix",
    "fit_gradient_descent",
    "fit_least_squares",
    "mse_gradient",
    "mse_loss",
    "COUNTING_RULES",
    "Conv",
    "Dense",
    "block_diagonal",
    "conv_output_size",
    "count_layers",
    "count_module",
    "depthwise_conv",
    "layer_kind",
    "mobilenet_v1_layers",
]
