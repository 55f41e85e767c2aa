"""Exercise checks: compare a learner's answer with the expected one, and say why it differs.

Every check returns a :class:`Feedback`, which a notebook shows as a coloured
box (and as plain text elsewhere). A correct answer is said to be correct; a
wrong one is told *what* differs and given a hint aimed at the likely mistake,
for example:

* output shape ``(H, W, C)`` instead of ``(H, W)``: the channel sum was forgotten
  (on one channel: the channel axis was kept);
* filter matrix ``(F, C)`` instead of ``(C, F)``: transposed;
* channels-first ``(C, H, W)`` instead of channels-last;
* ReLU or bias forgotten (or added when not asked for);
* cost off by the kernel area ``k²``, by a channel count or by the image size;
* a framework's weights reshaped instead of transposed;
* stacked layers or biases combined in the wrong order, or only some of them;
* one grey standard (BT.601, BT.709) given for the other.

An answer left as ``...`` (or ``None``) gets "not answered yet". Every number
in a message is written by one formatter, :func:`conv1x1.compute.core.format_significant`:
whole numbers with thousands separators (``16,448``), others to three
significant digits.

The checks are grouped by lesson: :mod:`.pixels` (lessons 01 and 02),
:mod:`.costs` (03 and 04), :mod:`.layers` (05 and 06), :mod:`.colour` (07 and
08), :mod:`.separable` (09), all built on :mod:`.feedback` (:class:`Feedback`, :class:`Mistake`,
:func:`check_array`, :func:`check_number`). Import them from here::

    from conv1x1 import checks
    checks.check_conv_output(answer, x, w)

The reference solutions live in :mod:`conv1x1.solutions`; the tests run every
check against them and against typical wrong answers.
"""

from .colour import (
                     COLOUR_TASKS,
                     GREY_STANDARDS,
                     check_colour_mix,
                     check_gradient,
                     check_learned_bank,
)
from .costs import check_bottleneck_cost, check_bottleneck_crossover, check_cost
from .feedback import Feedback, Mistake, check_array, check_number
from .layers import (
                     check_collapsed_bias,
                     check_collapsed_filters,
                     check_einsum,
                     check_framework_weights,
                     check_from_framework_weights,
                     check_rank,
)
from .pixels import check_conv_output, check_filter_bank, check_pixel
from .separable import check_cost_ratio, check_layer_roles, check_separable_cost

__all__ = [
    "COLOUR_TASKS",
    "GREY_STANDARDS",
    "Feedback",
    "Mistake",
    "check_array",
    "check_colour_mix",
    "check_gradient",
    "check_learned_bank",
    "check_bottleneck_cost",
    "check_bottleneck_crossover",
    "check_collapsed_bias",
    "check_collapsed_filters",
    "check_conv_output",
    "check_cost",
    "check_einsum",
    "check_filter_bank",
    "check_framework_weights",
    "check_from_framework_weights",
    "check_number",
    "check_pixel",
    "check_rank",
    "check_layer_roles",
    "check_cost_ratio",
    "check_separable_cost",
]
