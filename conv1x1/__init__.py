"""conv1x1: an interactive course on 1×1 convolutions ("Network in Network").

The lessons' names, short and stable. The top level holds the computation
(:mod:`conv1x1.compute`, NumPy only)::

    from conv1x1 import conv1x1, conv1x1_loops, relu, conv_cost

Figures, explorers and exercise checks are subpackages, imported when used::

    from conv1x1 import draw, explore, checks

The layers, each importing only those above it: :mod:`conv1x1.compute`
(NumPy), :mod:`conv1x1.engine` (frames; its ``render`` and ``layouts``
matplotlib only), :mod:`conv1x1.draw` (figures, no widgets),
:mod:`conv1x1.explore` (explorers), :mod:`conv1x1.checks` (exercise
feedback), and the course itself: :mod:`conv1x1.teach` (a class's link and
handout) and :mod:`conv1x1.solutions` (reference solutions).
``tests/test_layers.py`` holds the rule.
"""

from .compute.core import (  # lesson 07  # lesson 09
    COLOUR_MIXES,
    GREY_FILTER,
    LECTURE_IMAGE,
    PixelSteps,
    block_diagonal,
    colour_mix,
    conv1x1,
    conv1x1_loops,
    depthwise_conv,
    example_filters,
    example_volume,
    format_values,
    lecture_image,
    pixel_steps,
    relu,
)
from .compute.cost import (  # lesson 09
    COUNTING_RULES,
    BottleneckCost,
    ConvCost,
    bottleneck_cost,
    conv_cost,
    conv_output_size,
)
from .compute.count import (  # lesson 10
    MOBILENET_V1_PAPER,
    Conv,
    Dense,
    count_layers,
    count_module,
    layer_kind,
    mobilenet_v1_layers,
)
from .compute.data import load_photo, pillow_grey  # lessons 07 and 08
from .compute.export import export_code, framework_weights, print_export  # lesson 05
from .compute.learn import (  # lesson 08
    fit_gradient_descent,
    fit_least_squares,
    mse_gradient,
    mse_loss,
)

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
    "MOBILENET_V1_PAPER",
    "export_code",
    "framework_weights",
    "load_photo",
    "pillow_grey",
    "print_export",
]
