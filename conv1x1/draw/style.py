"""The course's look, in one place: colour maps, colours, and how figures and Axes are made.

Colour maps are colour-blind safe and follow one rule everywhere (:func:`norm_for`): values >= 0 in
``cividis`` from 0, signed values in ``PuOr_r`` centred on 0 (orange positive, purple negative; it
avoids red against green). Every view of :mod:`conv1x1.draw` takes its colours from here.
"""

from __future__ import annotations

from typing import Any

import matplotlib.colors as mcolors
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..compute.validate import check_range, check_real, short_repr

__all__ = ["CMAP_SEQUENTIAL", "CMAP_SIGNED", "HIGHLIGHT", "NEGATIVE", "POSITIVE", "axes_or_new", "new_figure",
           "norm_for"]

#: Sequential map for values >= 0 (perceptually uniform, colour-blind safe).
CMAP_SEQUENTIAL = "cividis"
#: Diverging map for signed values (purple/orange: safe for red-green colour blindness).
CMAP_SIGNED = "PuOr_r"

POSITIVE = "#e69f00"  # Okabe-Ito orange: marks, positive contributions
NEGATIVE = "#5e3c99"  # purple; negative bars are also hatched and point down
HIGHLIGHT = "#111111"


def new_figure(figsize: tuple[float, float], dpi: float = 100) -> Figure:
    """A figure that is not registered with pyplot.

    Explorers draw into such figures so that nothing is displayed twice and
    no global pyplot state is touched. ``display(fig)`` still shows it.
    """
    if isinstance(figsize, (str, bytes)) or not hasattr(figsize, "__len__") or len(figsize) != 2:
        raise TypeError(f"figsize must be a pair (width, height) of inches; got {short_repr(figsize)}")
    width, height = (check_real(v, name, minimum=0.1) for v, name in zip(figsize, ("figsize[0]", "figsize[1]")))
    dpi = check_real(dpi, "dpi", minimum=1)
    fig = Figure(figsize=(width, height), dpi=dpi, layout=None)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    return fig


def axes_or_new(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """``ax`` if it is an Axes; a new pyplot figure's Axes of ``figsize`` if it is None; else a TypeError."""
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"ax must be a matplotlib Axes or None; got {short_repr(ax)}")
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def norm_for(values: np.ndarray, vmin: float | None, vmax: float | None, cmap: Any = None):
    """Pick a colour map and normalisation, one rule for every grid of the course.

    Non-negative values: ``cividis`` from 0 (or ``vmin``) to the largest value (or ``vmax``). Values
    or a ``vmin`` below 0: ``PuOr_r`` centred on 0, from −m to m with m the largest magnitude, so that
    orange is positive and purple negative. Two grids given the same ``vmin``/``vmax`` colour a number
    alike.
    """
    vmin, vmax = check_range(vmin, vmax)
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]          # cells not computed yet (nan) take no part in the scale
    lo = min(0.0, float(finite.min(initial=0.0))) if vmin is None else float(vmin)
    hi = float(finite.max(initial=0.0)) if vmax is None else float(vmax)
    signed = lo < 0
    if cmap is None:
        cmap = CMAP_SIGNED if signed else CMAP_SEQUENTIAL
    if signed:
        bound = max(abs(lo), abs(hi), 1e-12)
        return cmap, mcolors.Normalize(-bound, bound)
    if hi <= lo:
        hi = lo + 1.0
    return cmap, mcolors.Normalize(lo, hi)
