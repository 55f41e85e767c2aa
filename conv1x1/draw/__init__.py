"""Drawing: every figure of the course, in one namespace (matplotlib).

The lessons call ``draw.plot_grid(...)`` and friends; the code lives in small modules by what it draws:

================================  ========================================================
:mod:`conv1x1.draw.grids`         grids of numbers (:func:`plot_grid`), lesson 01's
                                  :func:`plot_pixel_product`, photos (:func:`plot_picture`)
:mod:`conv1x1.draw.volumes`       volumes as boxes (:func:`plot_volume`, :func:`plot_volumes`)
:mod:`conv1x1.draw.diagram`       lesson 02's per-pixel dot-product diagram
                                  (:func:`plot_dot_product`), composed of views over a
                                  :class:`conv1x1.compute.model.Layer`
:mod:`conv1x1.draw.costchart`     lessons 03–04's cost figure (:func:`plot_cost`), lesson 10's
                                  network layer by layer (:func:`plot_layer_costs`)
:mod:`conv1x1.draw.layer_kinds`   lesson 09's layer kinds (:func:`plot_reads`,
                                  :func:`plot_connections`, :func:`plot_layer_kind`)
:mod:`conv1x1.draw.alt`           text alternatives: every drawing's ``describe()`` in words,
                                  and :func:`show`, which displays a figure with them
:mod:`conv1x1.draw.style`         colour maps and colours, one rule for all
================================  ========================================================

The fast artists the figures use (cached text, cell grids) come from the frame engine,
:mod:`conv1x1.engine.render`; nothing here imports a widget library.

Every function follows matplotlib's advice for reusable plots: it takes ``ax=None`` (or ``fig=None``
for multi-panel figures), creates one only when none is given, uses the object-oriented API, never
calls ``plt.show()``, never touches global ``rcParams``, and returns the artists it made, with methods
that change them in place (what the explorers of :mod:`conv1x1.explore` call on every move).

Every drawing has a ``describe()`` method: what it shows, in words, with its numbers (a grid's values
row by row, a cost chart's counts), computed from the data it draws. A lesson shows a figure with
``draw.show(drawing)`` or ``draw.show(fig, *drawings)``, which displays it as an image whose ``alt``
text is the short description, with the full one under it, in every front end and in static HTML.

Colour maps are colour-blind safe: values >= 0 in ``cividis`` from 0, signed values in ``PuOr_r``
centred on 0 (orange positive, purple negative). Every grid cell also shows its value as text. In
figure text, ``·`` is the dot product only and ``×`` an ordinary or element-wise product; no label
shows a negative zero.
"""

from __future__ import annotations

from ..compute.core import MINUS, format_number
from ..engine.render import MIN_FONTSIZE, CellGrid, FastText
from .alt import describe_axes, describe_figure, show
from .costchart import (
    COST_COLOURS,
    COST_SHARE_MAX,
    CostChart,
    LayerCostChart,
    plot_cost,
    plot_layer_costs,
)
from .diagram import DotProductDiagram, plot_dot_product
from .grids import (
    Grid,
    Picture,
    PixelProduct,
    plot_grid,
    plot_picture,
    plot_pixel_product,
)
from .layer_kinds import plot_connections, plot_layer_kind, plot_reads
from .style import (
    CMAP_SEQUENTIAL,
    CMAP_SIGNED,
    HIGHLIGHT,
    NEGATIVE,
    POSITIVE,
    new_figure,
)
from .volumes import VOLUME_COLOURS, Volume, Volumes, plot_volume, plot_volumes

__all__ = [
    "CMAP_SEQUENTIAL",
    "CMAP_SIGNED",
    "COST_COLOURS",
    "COST_SHARE_MAX",
    "HIGHLIGHT",
    "MINUS",
    "MIN_FONTSIZE",
    "NEGATIVE",
    "POSITIVE",
    "VOLUME_COLOURS",
    "CellGrid",
    "CostChart",
    "DotProductDiagram",
    "FastText",
    "Grid",
    "LayerCostChart",
    "Picture",
    "PixelProduct",
    "Volume",
    "Volumes",
    "describe_axes",
    "describe_figure",
    "format_number",
    "new_figure",
    "plot_connections",
    "plot_cost",
    "plot_layer_costs",
    "plot_dot_product",
    "plot_grid",
    "plot_layer_kind",
    "plot_picture",
    "plot_pixel_product",
    "plot_reads",
    "plot_volume",
    "plot_volumes",
    "show",
]
