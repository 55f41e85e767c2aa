"""Explorers: the course's figures wired to controls, one module per kind of explorer.

The lessons use them as ``explore.WeightExplorer()`` and friends (``from conv1x1 import explore``).

===================================  ==============================================================
:mod:`conv1x1.explore.explorers`     lessons 01, 02, 04 and 07: :class:`WeightExplorer`,
                                     :class:`DotProductExplorer`, :class:`CostExplorer`,
                                     :class:`ColourMixExplorer`
:mod:`conv1x1.explore.layer_kind`    lesson 09: :class:`LayerKindExplorer`
:mod:`conv1x1.explore.registry`      every explorer with a tour of its controls (:data:`EXPLORERS`),
                                     which the tests, the benchmarks and the slide tools walk
===================================  ==============================================================

Each is a :class:`conv1x1.engine.explorer.Explorer`: the engine draws its frames and sends them.
"""

from __future__ import annotations

from ..compute.core import format_number
from ..engine.explorer import (
           ARROWS,
           CAPTION_PIXELS,
           Explorer,
           add_caption,
           nudge_pixel,
           on_off,
           pixel_choice,
           slider,
           switch,
)
from .explorers import (
           ColourMixExplorer,
           CostExplorer,
           DotProductExplorer,
           WeightExplorer,
)
from .layer_kind import LayerKindExplorer

__all__ = ["ARROWS", "CAPTION_PIXELS", "ColourMixExplorer", "CostExplorer", "DotProductExplorer", "Explorer",
           "LayerKindExplorer", "WeightExplorer", "add_caption", "format_number", "nudge_pixel", "on_off",
           "pixel_choice", "slider", "switch"]
