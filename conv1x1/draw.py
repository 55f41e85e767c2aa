"""Drawing: grids of numbers, per-pixel diagrams and volumes (matplotlib).

Every function follows matplotlib's advice for reusable plots: it takes
``ax=None`` (or ``fig=None`` for multi-panel figures), creates one only when
none is given, uses the object-oriented API, never calls ``plt.show()``, never
touches global ``rcParams``, and returns the artists it made. The returned
objects have ``set_*`` methods that change those artists in place, which is
what the explorers in :mod:`conv1x1.explore` call on every slider move.

Colour maps are colour-blind safe and follow one rule everywhere: values
>= 0 in ``cividis`` from 0, signed values in ``PuOr_r`` centred on 0 (orange
positive, purple negative; it avoids red against green). Functions that draw
grids or pictures take ``vmin``/``vmax`` so that figures showing the same
numbers can share one scale. Every grid cell also shows its value as text: a
label too wide for its cell is shrunk, then shortened, never dropped (see
:class:`CellGrid`). In figure text, ``·`` is the dot product only and ``×``
an ordinary or element-wise product; no label shows a negative zero.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Sequence

import matplotlib
import matplotlib.colors as mcolors
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
from matplotlib.image import AxesImage
from matplotlib.transforms import IdentityTransform
from matplotlib.figure import Figure
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.patches import FancyArrowPatch, Polygon, Rectangle
from matplotlib.path import Path
from matplotlib.text import Text

from .core import MINUS, conv1x1, format_number
from .validate import (as_real_array, check_int, check_pixel, check_range, check_real, check_texts, describe,
                       pixel_pair, real)

__all__ = [
    "CMAP_SEQUENTIAL",
    "CMAP_SIGNED",
    "COST_COLOURS",
    "COST_SHARE_MAX",
    "MIN_FONTSIZE",
    "VOLUME_COLOURS",
    "CellGrid",
    "CostChart",
    "FastText",
    "DotProductDiagram",
    "Grid",
    "PixelProduct",
    "ScreenImage",
    "format_number",
    "new_figure",
    "plot_cost",
    "plot_dot_product",
    "plot_grid",
    "plot_picture",
    "plot_pixel_product",
    "plot_volume",
    "plot_volumes",
]

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
    fig = Figure(figsize=figsize, dpi=dpi, layout=None)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    return fig


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"ax must be a matplotlib Axes or None; got {describe(ax)}")
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def _norm_for(values: np.ndarray, vmin: float | None, vmax: float | None, cmap: str | None):
    """Pick a colour map and normalisation, one rule for every grid of the course.

    Non-negative values: ``cividis`` from 0 (or ``vmin``) to the largest value (or ``vmax``). Values
    or a ``vmin`` below 0: ``PuOr_r`` centred on 0, from −m to m with m the largest magnitude, so that
    orange is positive and purple negative. Two grids given the same ``vmin``/``vmax`` colour a number
    alike.
    """
    vmin, vmax = check_range(vmin, vmax)
    lo = min(0.0, float(np.min(values))) if vmin is None else float(vmin)
    hi = float(np.max(values)) if vmax is None else float(vmax)
    signed = lo < 0
    if cmap is None:
        cmap = CMAP_SIGNED if signed else CMAP_SEQUENTIAL
    if signed:
        bound = max(abs(lo), abs(hi), 1e-12)
        return cmap, mcolors.Normalize(-bound, bound)
    if hi <= lo:
        hi = lo + 1.0
    return cmap, mcolors.Normalize(lo, hi)


# --------------------------------------------------------------------------
# A grid of numbers
# --------------------------------------------------------------------------
@functools.lru_cache(maxsize=8192)
def _text_bitmap(text: str, size: float, dpi: float, weight: str = "normal") -> tuple[np.ndarray, float]:
    """One line of text as an anti-aliased alpha bitmap (uint8) and its descent in pixels, cached.

    Rendered once by the same FreeType font object the Agg renderer uses, so
    it looks exactly like matplotlib's text. Grids (:class:`CellGrid`) and
    explorer labels (:class:`FastText`) paste these bitmaps instead of laying
    out and rasterising a Text artist on every draw (about 40× faster).
    """
    from matplotlib.backends.backend_agg import get_hinting_flag
    from matplotlib.font_manager import findfont, get_font

    prop = FontProperties(size=size, weight=weight)
    font = get_font(findfont(prop))
    font.clear()
    font.set_size(prop.get_size_in_points(), dpi)
    font.set_text(text, 0, flags=get_hinting_flag())
    font.draw_glyphs_to_bitmap(antialiased=True)
    mask = np.array(font.get_image(), dtype=np.uint8)
    mask.setflags(write=False)
    return mask, font.get_descent() / 64.0


#: The smallest font size a cell label is shrunk to (points): still legible at 100 dpi.
MIN_FONTSIZE = 6.0
_FONT_STEP = 0.5


def _abbreviations(value: float, digits: int) -> list[str]:
    """Shorter ways to write ``value`` than ``format_number(value, digits)``, longest first.

    Fewer decimals, then no leading zero (``−.3`` for −0.34), then thousands and millions (``1.2k``).
    A shortening that would turn a non-zero value into ``0`` is left out: a cell must not lie.
    """
    full = format_number(value, digits)
    out: list[str] = []

    def add(text: str) -> None:
        if text not in out and text != full and len(text) <= len(full) and (text != "0" or full == "0"):
            out.append(text)

    for d in range(digits - 1, -1, -1):
        add(format_number(value, d))
    for d in range(digits, 0, -1):
        text = format_number(value, d)
        if text.lstrip(MINUS).startswith("0."):
            add(text.replace("0.", ".", 1))
    magnitude = abs(value)
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if magnitude >= scale:
            for d in (1, 0):
                add(format_number(value / scale, d) + suffix)
            break
    return out


@functools.lru_cache(maxsize=16384)
def _largest_fitting_size(text: str, fontsize: float, width: int, height: int, dpi: float) -> float:
    """The largest font size, from ``fontsize`` down in 0.5 pt steps to :data:`MIN_FONTSIZE`, at which
    ``text`` fits in a ``width`` × ``height`` pixel box; 0 if it does not fit even at the smallest."""
    size = fontsize
    while size >= MIN_FONTSIZE - 1e-9:
        mask = _text_bitmap(text, size, dpi)[0]
        if mask.shape[0] <= height and mask.shape[1] <= width:
            return size
        size = round(size - _FONT_STEP, 2)
    return 0.0


class CellGrid(Artist):
    """Coloured cells, each labelled with its value, drawn fast.

    With the Agg renderer (PNG output and the explorers) the cells are painted
    and the labels pasted from cached glyph bitmaps into one overlay image: no
    resampling and no text layout on each draw. Other renderers (SVG, PDF)
    get ordinary rectangles and text.

    A label never silently disappears. All labels of the grid are drawn at
    one size: the largest, from ``fontsize`` down to :data:`MIN_FONTSIZE`,
    at which they all fit their cells. A label that does not fit even then
    is abbreviated (fewer decimals, ``−.3``, ``1.2k``); a cell too small for
    any of those shows ``…`` and the grid writes across itself how many
    numbers it could not show. After a draw, :attr:`drawn` holds the text
    drawn in each cell, :attr:`drawn_fontsize` its size and :attr:`hidden`
    how many cells show ``…`` instead of their number.
    """

    def __init__(self, ax: Axes, shape: tuple[int, int], fontsize: float):
        super().__init__()
        self.axes = ax
        self.set_figure(ax.figure)
        self.set_transform(ax.transData)
        self.shape = shape
        self.fontsize = fontsize
        self.strings = np.full(shape, "", dtype=object)
        self.values: np.ndarray | None = None
        self.digits = 2
        self.cell_rgb = np.zeros(shape + (3,), dtype=np.uint8)
        self.text_rgb = np.zeros(shape + (3,), dtype=np.uint8)
        self.drawn = np.full(shape, "", dtype=object)
        self.drawn_fontsize = float(fontsize)
        self.hidden = 0
        self.set_zorder(2)

    def set_cells(self, strings: np.ndarray, cell_rgb: np.ndarray, text_rgb: np.ndarray, *,
                  values: np.ndarray | None = None, digits: int | None = None) -> None:
        """Set the labels and the cell and text colours (floats in 0..1).

        ``values`` (the numbers the labels show) and ``digits`` let a label that does not fit its cell
        be written shorter; without them it can only be shrunk or replaced by ``…``.
        """
        self.strings = strings
        self.values = None if values is None else np.asarray(values, dtype=float)
        if digits is not None:
            self.digits = digits
        self.cell_rgb = (np.asarray(cell_rgb)[..., :3] * 255).round().astype(np.uint8)
        self.text_rgb = (np.asarray(text_rgb)[..., :3] * 255).round().astype(np.uint8)
        self.stale = True

    def _edges(self) -> tuple[np.ndarray, np.ndarray]:
        height, width = self.shape
        trans = self.get_transform()
        xs = trans.transform(np.column_stack([np.arange(width + 1) - 0.5, np.zeros(width + 1)]))[:, 0]
        ys = trans.transform(np.column_stack([np.zeros(height + 1), np.arange(height + 1) - 0.5]))[:, 1]
        return xs, ys

    def _fit(self, room: np.ndarray, dpi: float) -> tuple[np.ndarray, float]:
        """The label of every cell and the one font size they are drawn at.

        ``room`` is ``(H, W, 2)``: each cell's inner width and height in pixels. Sets :attr:`hidden`.
        """
        labels = self.drawn = np.array(self.strings, dtype=object, copy=True)
        size = float(self.fontsize)
        for (i, j), text in np.ndenumerate(self.strings):
            if text:
                size = min(size, _largest_fitting_size(text, self.fontsize, int(room[i, j, 0]), int(room[i, j, 1]),
                                                       dpi) or MIN_FONTSIZE)
        self.hidden = 0
        if size == MIN_FONTSIZE:           # some labels may still not fit: write them shorter
            for (i, j), text in np.ndenumerate(self.strings):
                if not text:
                    continue
                width, height = int(room[i, j, 0]), int(room[i, j, 1])
                if _largest_fitting_size(text, size, width, height, dpi):
                    continue
                shorter = _abbreviations(self.values[i, j], self.digits) if self.values is not None else []
                for candidate in [*shorter, "…"]:
                    if _largest_fitting_size(candidate, size, width, height, dpi):
                        labels[i, j] = candidate
                        break
                else:
                    labels[i, j] = "…"
                if labels[i, j] == "…":
                    self.hidden += 1
        self.drawn_fontsize = size
        return labels, size

    def draw(self, renderer) -> None:
        if not self.get_visible():
            return
        from matplotlib.backends.backend_agg import RendererAgg

        if not isinstance(renderer, RendererAgg):
            self._draw_vector(renderer)
            return
        xs, ys = self._edges()
        x0, y1 = int(np.floor(min(xs))), int(np.ceil(max(ys)))
        width_px = int(np.ceil(max(xs))) - x0
        height_px = y1 - int(np.floor(min(ys)))
        overlay = np.zeros((height_px, width_px, 4), dtype=np.uint8)
        cols = np.round(np.sort(xs) - x0).astype(int)
        rows = np.round(y1 - ys).astype(int)            # top of row i in image rows
        gap = 1 if min(np.diff(cols).min(), np.diff(rows).min()) > 6 else 0
        dpi = renderer.dpi
        room = np.stack(np.broadcast_arrays(np.diff(cols)[None, :] - gap, np.diff(rows)[:, None] - gap), axis=-1)
        labels, size = self._fit(room, dpi)
        canvas_h = int(renderer.height)     # a float in matplotlib 3.8
        boxes = {}
        for i in range(self.shape[0]):
            top, bottom = rows[i], rows[i + 1]
            for j in range(self.shape[1]):
                left, right = cols[j], cols[j + 1]
                cell = overlay[top + gap:bottom, left + gap:right]
                cell[..., :3] = self.cell_rgb[i, j]
                cell[..., 3] = 255
                text = labels[i, j]
                if not text:
                    continue
                mask = _text_bitmap(text, size, dpi)[0]
                # only "…" in a cell too small even for it can overflow: keep it inside its cell
                mask = mask[:max(bottom - top - gap, 0), :max(right - left - gap, 0)]
                mh, mw = mask.shape
                ty = (top + gap + bottom - mh) // 2
                tx = (left + gap + right - mw) // 2
                alpha = mask[..., None].astype(np.uint16)
                region = overlay[ty:ty + mh, tx:tx + mw, :3]
                region[:] = (region * (255 - alpha) + self.text_rgb[i, j] * alpha) // 255
                # where the label is, in the canvas's pixel rows (from the top) and columns
                boxes[i, j] = (x0 + tx, canvas_h - y1 + ty, x0 + tx + mw, canvas_h - y1 + ty + mh)
        self.label_boxes = boxes
        gc = renderer.new_gc()
        gc.set_clip_rectangle(self.axes.bbox)
        renderer.draw_image(gc, x0, y1 - height_px, overlay[::-1])
        gc.restore()
        if self.hidden:
            self._note(renderer)
        self.stale = False

    def _note(self, renderer) -> None:
        """Say, across the grid, that some cells could not show their number."""
        total = sum(1 for text in self.strings.ravel() if text)
        note = Text(0.5, 0.5, f"{self.hidden} of {total} numbers do not fit their cells (shown as …):\n"
                              "enlarge the figure to read them", ha="center", va="center", fontsize=8,
                    transform=self.axes.transAxes, bbox=dict(boxstyle="round", facecolor="white", alpha=0.9))
        note.set_figure(self.figure)
        note.draw(renderer)

    def _draw_vector(self, renderer) -> None:
        """Cells and labels as ordinary artists, for vector output (SVG, PDF)."""
        xs, ys = self._edges()
        widths, heights = np.abs(np.diff(xs)), np.abs(np.diff(ys))       # of column j, of row i
        room = np.stack(np.broadcast_arrays(widths[None, :], heights[:, None]), axis=-1)
        labels, size = self._fit(np.floor(room), renderer.dpi)
        for (i, j), text in np.ndenumerate(labels):
            rect = Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=self.cell_rgb[i, j] / 255,
                             edgecolor="white", transform=self.get_transform())
            rect.set_figure(self.figure)
            rect.draw(renderer)
            label = Text(j, i, text, ha="center", va="center", fontsize=size,
                         color=self.text_rgb[i, j] / 255, transform=self.get_transform())
            label.set_figure(self.figure)
            label.draw(renderer)
        if self.hidden:
            self._note(renderer)


@dataclass
class Grid:
    """The artists of a grid drawn by :func:`plot_grid`, updatable in place."""

    ax: Axes
    cells: CellGrid
    highlight: Rectangle
    cmap: Any
    norm: Any
    digits: int = 2

    def set_values(self, values: Any) -> None:
        """Show new values (same shape): colours and numbers."""
        values = np.asarray(values, dtype=float)
        if values.shape != self.cells.shape:
            raise ValueError(f"values must have shape {self.cells.shape} like the grid; got {values.shape}")
        rgba = self.cmap(self.norm(values))
        strings = np.array([format_number(v, self.digits) for v in values.ravel()], dtype=object)
        luminance = rgba[..., :3] @ np.array([0.2126, 0.7152, 0.0722])
        text_rgb = np.where((luminance > 0.45)[..., None], 0.0, 1.0) * np.ones(3)
        self.cells.set_cells(strings.reshape(values.shape), rgba, text_rgb, values=values, digits=self.digits)
        self.cells.cmap = self.cmap       # what the cells are coloured with (checked by the tests)
        self.values = values

    @property
    def texts(self) -> np.ndarray:
        """The labels shown in the cells, as strings (same shape as the values)."""
        return self.cells.strings

    def set_highlight(self, i: int | None, j: int | None = None) -> None:
        """Outline cell ``(i, j)``; ``None`` hides the outline."""
        if i is None:
            self.highlight.set_visible(False)
            return
        self.highlight.set_xy((j - 0.5, i - 0.5))
        self.highlight.set_visible(True)

    def artists(self) -> list:
        """The artists that :meth:`set_values` and :meth:`set_highlight` change."""
        return [self.cells, self.highlight]


def plot_grid(
    values: Any,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    cmap: str | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    highlight: tuple[int, int] | None = None,
    digits: int = 2,
    fontsize: float = 10,
    labels: bool = True,
    aspect: str = "equal",
) -> Grid:
    """Draw a 2-D array as coloured cells, each showing its value as text.

    Parameters
    ----------
    values : array_like, shape (H, W)
        The numbers to show.
    ax : Axes, optional
        Where to draw; a new figure is made if None.
    title : str, optional
        Axes title.
    cmap : str, optional
        Colour map; default ``cividis`` (from 0) for values >= 0 and the
        diverging ``PuOr_r`` (centred on 0: orange positive, purple negative)
        when the values or ``vmin`` go below 0.
    vmin, vmax : float, optional
        Colour range (default: from 0, or the smallest value, to the largest).
        Fix it when values will change, and give two grids the same range so
        that a number has one colour in both.
    highlight : (int, int), optional
        Outline this cell (row, column).
    digits : int, default 2
        Decimal places at most in the cell labels.
    fontsize : float, default 10
        Size of the numbers; shrunk (to 6 pt at least) when a label does not
        fit its cell, then the label is shortened (see :class:`CellGrid`).
    labels : bool, default True
        Label the axes "row i" and "column j" with tick numbers.
    aspect : {"equal", "auto"}, default "equal"
        "auto" lets cells fill the Axes (used for the strips of a diagram).

    Returns
    -------
    Grid
        The image, texts and highlight rectangle, with ``set_values`` and
        ``set_highlight`` to change them in place.
    """
    values = as_real_array(values, "values")
    if values.ndim != 2:
        raise ValueError(f"values must be a 2-D array (H, W); got shape {values.shape}")
    if cmap is not None and not (isinstance(cmap, mcolors.Colormap) or
                                 (isinstance(cmap, str) and cmap in matplotlib.colormaps)):
        raise ValueError(f"cmap must be the name of a matplotlib colour map (like 'cividis') or a Colormap; "
                         f"got {describe(cmap)}")
    if check_real(fontsize, "fontsize") <= 0:
        raise ValueError(f"fontsize must be a positive number of points; got {fontsize!r}")
    if aspect not in ("equal", "auto"):
        raise ValueError(f"aspect must be 'equal' or 'auto'; got {aspect!r}")
    if highlight is not None:
        highlight = pixel_pair(highlight, values.shape, "highlight")
    ax = _axes(ax, figsize=(0.5 * values.shape[1] + 1.5, 0.5 * values.shape[0] + 1))
    cmap, norm = _norm_for(values, vmin, vmax, cmap)
    height, width = values.shape
    cells = CellGrid(ax, values.shape, fontsize)
    ax.add_artist(cells)
    ax.set_xlim(-0.5, width - 0.5)
    ax.set_ylim(height - 0.5, -0.5)
    ax.set_aspect(aspect)
    for spine in ax.spines.values():
        spine.set_visible(False)
    from matplotlib import patheffects

    # black with a thin white rim: visible on the darkest cells too
    rect = Rectangle((-0.5, -0.5), 1, 1, fill=False, edgecolor=HIGHLIGHT, linewidth=3, visible=False, zorder=5,
                     path_effects=[patheffects.withStroke(linewidth=4.5, foreground="white"), patheffects.Normal()])
    ax.add_patch(rect)
    ax.set_xticks(np.arange(width))
    ax.set_yticks(np.arange(height))
    ax.set_xticks(np.arange(width + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(height + 1) - 0.5, minor=True)
    ax.tick_params(which="minor", length=0)
    ax.tick_params(labelsize=8, length=2)
    if labels:
        ax.set_xlabel("column j", fontsize=9)
        ax.set_ylabel("row i", fontsize=9)
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=11)
    grid = Grid(ax=ax, cells=cells, highlight=rect, cmap=matplotlib.colormaps[cmap] if isinstance(cmap, str) else cmap,
                norm=norm, digits=digits)
    grid.set_values(values)
    if highlight is not None:
        grid.set_highlight(*highlight)
    return grid


# --------------------------------------------------------------------------
# Lesson 01: one input cell × weight = one output cell
# --------------------------------------------------------------------------
class _PathArrow(FancyArrowPatch):
    """An arrow along a polyline whose corners are given in the data coordinates of different Axes.

    The corners are turned into screen positions when the arrow is drawn, after the Axes have their
    final places (``aspect="equal"`` moves them at draw time), so the arrow can run along the lines
    between grid cells instead of across the numbers in them.
    """

    def __init__(self, **kwargs: Any):
        super().__init__(path=Path([(0, 0), (1, 1)]), transform=IdentityTransform(), **kwargs)
        self.corners: list[tuple[Axes, tuple[float, float]]] = []

    def set_corners(self, corners: list[tuple[Axes, tuple[float, float]]]) -> None:
        """The polyline: ``(axes, (x, y))`` pairs, from the tail to the head."""
        self.corners = list(corners)
        self.stale = True

    def draw(self, renderer) -> None:
        points = [ax.transData.transform(xy) for ax, xy in self.corners]
        kept = [points[0]] + [p for q, p in zip(points, points[1:]) if np.hypot(*(p - q)) > 0.5]
        self._path_original = Path(np.array(kept))
        super().draw(renderer)


@dataclass
class PixelProduct:
    """Artists of :func:`plot_pixel_product`, updatable in place."""

    fig: Figure
    image: np.ndarray
    inp: Grid
    out: Grid
    equation: Text
    weight_text: Text
    arrows: list
    weight: float = 2.0
    relu: bool = False
    pixel: tuple[int, int] = (0, 0)
    relu_text: Any = None
    ax_mid: Axes | None = None
    title: Any = None

    def animated_artists(self) -> list:
        """Every artist that :meth:`update` changes (for blitting), in drawing order."""
        extra = [self.relu_text] if self.relu_text is not None else []
        title = self.title if self.title is not None else self.fig._suptitle
        return [*self.out.artists(), self.inp.highlight, self.equation, self.weight_text, *extra, *self.arrows,
                title]

    def output(self) -> np.ndarray:
        return conv1x1(self.image[:, :, None], [self.weight], activation="relu" if self.relu else None)

    def update(self, *, weight: float | None = None, relu: bool | None = None, pixel=None) -> None:
        """Change the weight, the ReLU switch or the chosen pixel, in place."""
        if weight is not None:
            self.weight = check_real(weight, "weight")
        if relu is not None:
            self.relu = bool(relu)
        if pixel is not None:
            self.pixel = pixel_pair(pixel, self.image.shape)
        i, j = self.pixel
        out = self.output()
        self.out.set_values(out)
        self.inp.set_highlight(i, j)
        self.out.set_highlight(i, j)
        w = format_number(self.weight)
        if self.relu_text is None:       # built by an older layout: one text for both
            self.weight_text.set_text(f"× {w}" + ("\nthen ReLU" if self.relu else ""))
        else:
            self.weight_text.set_text(f"× {w}")
            self.relu_text.set_text("then ReLU" if self.relu else "")
        pre = self.image[i, j] * self.weight
        factor = f"({w})" if self.weight < 0 and w != "0" else w       # 1 × (−1.5), not 1 × −1.5
        line = f"x[{i}, {j}] × w = {format_number(self.image[i, j])} × {factor} = {format_number(pre)}"
        if self.relu:
            line += f"\nReLU({format_number(pre)}) = {format_number(out[i, j])}"
        self.equation.set_text(line)
        # along the lines between the cells: from the input cell's top right corner out of the grid, and into
        # the output grid to the output cell's top left corner, so that no number is crossed
        height, width = self.image.shape
        mid = self.ax_mid or self.arrows[0].corners[-1][0]
        self.arrows[0].set_corners([(self.inp.ax, (j + 0.5, i - 0.5)), (self.inp.ax, (width - 0.5, i - 0.5)),
                                    (mid, (0.04, 0.62))])
        self.arrows[1].set_corners([(mid, (0.96, 0.62)), (self.out.ax, (-0.5, i - 0.5)),
                                    (self.out.ax, (j - 0.5, i - 0.5))])
        title = (f"A 1×1 filter [{w}]" + (" with ReLU" if self.relu else "")
                 + ": every output pixel comes from one input pixel")
        if self.title is not None:
            self.title.set_text(title)
        elif self.fig._suptitle is None:
            self.fig.suptitle(title, fontsize=12)
        else:           # set_text only: suptitle() would put it back at its default place
            self.fig._suptitle.set_text(title)


def plot_pixel_product(
    image: Any,
    weight: float = 2.0,
    pixel: tuple[int, int] = (0, 0),
    *,
    relu: bool = False,
    fig: Figure | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
) -> PixelProduct:
    """Lesson 01's per-pixel view: input grid, ``× w`` (and ReLU), output grid.

    One input cell is joined by arrows to the one output cell it makes, with
    the arithmetic written out: a 1×1 filter never looks at neighbours. The
    arrows run along the lines between cells, so they cross no number.

    Input and output share one colour scale, so a number has the same colour
    in both grids: ``cividis`` from 0 when the scale holds no negative value,
    otherwise ``PuOr_r`` centred on 0 (orange positive, purple negative), as
    in :func:`plot_grid`.

    Parameters
    ----------
    image : array_like, shape (H, W)
        A single-channel image.
    weight : float
        The 1×1 filter's only weight.
    pixel : (int, int)
        The cell (row i, column j) to follow.
    relu : bool
        Apply ReLU after the multiplication.
    fig : Figure, optional
        Draw into this (empty) figure; a new one is made if None.
    vmin, vmax : float, optional
        The colour scale of both grids. Fix them when the weight will change
        (an explorer covers every weight its slider allows), so colours stay
        comparable. Default: from 0, or the smallest value shown, to the
        largest value shown, input and output together.

    Raises
    ------
    TypeError, ValueError
        ``image`` not a 2-D array of real numbers, ``weight``, ``vmin`` or
        ``vmax`` not a finite number, ``vmin >= vmax``, or a pixel outside
        the image.
    """
    image = as_real_array(image, "image")
    if image.ndim != 2:
        raise ValueError(f"image must be a 2-D single-channel image (H, W); got shape {image.shape}")
    weight = check_real(weight, "weight")
    vmin, vmax = check_range(vmin, vmax)
    pixel = pixel_pair(pixel, image.shape)
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(10, 4.2))
    ax_in, ax_mid, ax_out = fig.subplots(1, 3, width_ratios=[1, 0.55, 1])
    fig.subplots_adjust(left=0.06, right=0.95, bottom=0.13, top=0.8, wspace=0.15)
    output = conv1x1(image[:, :, None], [weight], activation="relu" if relu else None)
    shown = np.concatenate([image.ravel(), output.ravel()])
    lo = min(0.0, float(shown.min())) if vmin is None else vmin
    hi = float(shown.max()) if vmax is None else vmax
    if hi <= lo:
        hi = lo + 1.0
    inp = plot_grid(image, ax=ax_in, title="input x (6×6×1)" if image.shape == (6, 6) else "input x",
                    vmin=lo, vmax=hi)
    out = plot_grid(output, ax=ax_out, title=f"output ({image.shape[0]}×{image.shape[1]})", vmin=lo, vmax=hi)
    # the output's row numbers on its right: the arrow comes in from the left and crosses no label
    ax_out.yaxis.tick_right()
    ax_out.yaxis.set_label_position("right")
    ax_mid.set_axis_off()
    ax_mid.set_xlim(0, 1)
    ax_mid.set_ylim(0, 1)
    # the texts that change are FastText: pasted from cached glyphs, a fraction of a millisecond a move
    weight_text = _fast_text(ax_mid, 0.5, 0.62, "", ha="center", va="center", fontsize=22, weight="bold")
    relu_text = _fast_text(ax_mid, 0.5, 0.47, "", ha="center", va="center", fontsize=13, weight="bold")
    equation = _fast_text(ax_mid, 0.5, 0.12, "", ha="center", va="center", fontsize=10)
    title = FastText(0.5, 0.98, "", ha="center", va="top", fontsize=12, transform=fig.transFigure)
    fig.add_artist(title)
    from matplotlib import patheffects

    # a white halo keeps the arrows visible where they run over dark cells
    style = dict(arrowstyle="-|>", color=HIGHLIGHT, linewidth=1.5, mutation_scale=14,
                 path_effects=[patheffects.withStroke(linewidth=4, foreground="white"), patheffects.Normal()])
    arrows = [_PathArrow(**style), _PathArrow(**style)]
    for arrow in arrows:
        fig.add_artist(arrow)
    view = PixelProduct(fig=fig, image=image, inp=inp, out=out, equation=equation, weight_text=weight_text,
                        arrows=arrows, relu_text=relu_text, ax_mid=ax_mid, title=title)
    view.update(weight=weight, relu=relu, pixel=pixel)
    return view


# --------------------------------------------------------------------------
# Volumes drawn as boxes
# --------------------------------------------------------------------------
DEPTH_DIRECTION = np.array([0.6, 0.45])


def _fraction(ratio: float) -> str:
    """A scale ratio in words for a figure note: ``1/4``, ``1/5.3``, ``2×``, ``the same``."""
    if abs(ratio - 1) < 0.005:
        return "the same as"
    if ratio < 1:
        inverse = 1 / ratio
        return f"1/{inverse:.0f}" if abs(inverse - round(inverse)) < 0.05 else f"1/{inverse:.1f}"
    return f"{ratio:.0f}×" if abs(ratio - round(ratio)) < 0.05 else f"{ratio:.1f}×"


def _box_faces(x0: float, y0: float, width: float, height: float, depth: float) -> list[list[tuple]]:
    """Front, top and side faces of a box in oblique projection."""
    dx, dy = DEPTH_DIRECTION * depth
    front = [(x0, y0), (x0 + width, y0), (x0 + width, y0 + height), (x0, y0 + height)]
    top = [(x0, y0 + height), (x0 + width, y0 + height), (x0 + width + dx, y0 + height + dy), (x0 + dx, y0 + height + dy)]
    side = [(x0 + width, y0), (x0 + width + dx, y0 + dy), (x0 + width + dx, y0 + height + dy), (x0 + width, y0 + height)]
    return [front, top, side]


def _move_box(faces: list[Polygon], *box: float) -> None:
    """Move a box drawn by :func:`_box` in place."""
    for poly, points in zip(faces, _box_faces(*box)):
        poly.set_xy(points)


def _box(ax: Axes, x0: float, y0: float, width: float, height: float, depth: float,
         colour: str, *, alpha: float = 1.0, edge: str = "#333333", zorder: float = 1) -> list[Polygon]:
    """A box in oblique projection: front face at (x0, y0), depth up and right."""
    rgb = np.array(mcolors.to_rgb(colour))
    faces = []
    for points, shade in zip(_box_faces(x0, y0, width, height, depth), (1.0, 0.85, 0.7)):
        poly = Polygon(points, closed=True, facecolor=(*(rgb * shade), alpha), edgecolor=edge,
                       linewidth=0.8, zorder=zorder)
        ax.add_patch(poly)
        faces.append(poly)
    return faces


def plot_volume(
    shape: Sequence[int],
    *,
    ax: Axes | None = None,
    pixel: tuple[int, int] | None = None,
    channel: int | None = None,
    title: str | None = None,
    label: str | None = None,
    colour: str = "#9db4d6",
    depth_scale: float | None = None,
    scale_note: bool = True,
) -> dict:
    """Draw an ``(H, W, C)`` volume as a box, optionally marking one pixel's column or one channel.

    Parameters
    ----------
    shape : (int, int, int)
        Height, width and channels.
    ax : Axes, optional
        Where to draw; a new figure is made if None.
    pixel : (int, int), optional
        Mark the 1×1×C column at (row, column) that a 1×1 filter reads; the
        box is drawn see-through so the column shows inside it.
    channel : int, optional
        Draw the volume as a stack of channel slices, this one marked (up to
        16 slices are drawn one by one; more are grouped).
    title, label : str, optional
        Axes title; text under the box (default ``"H×W×C"``).
    colour : str
        Face colour of the box.
    depth_scale : float, optional
        Drawing units per channel (default: the depth is drawn at most about
        as long as the width). Height and width are 1 unit per pixel.
    scale_note : bool, default True
        Label the depth edge "channels" and write under the box the depth's
        scale against height and width (computed: "depth: channels, drawn at
        1/5.3 the scale of height and width"), so the box is honest about it.

    Returns
    -------
    dict
        The artists: ``"faces"``, ``"column"`` (with ``pixel``) or
        ``"slices"`` (with ``channel``), and ``"set_pixel"`` /
        ``"set_channel"`` functions that move the mark in place.
    """
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__") or len(shape) != 3:
        raise ValueError(f"shape must be (H, W, C); got {shape!r}")
    height, width, channels = (check_int(v, name) for v, name in zip(shape, ("H", "W", "C")))
    if not mcolors.is_color_like(colour):
        raise ValueError(f"colour must be a matplotlib colour; got {colour!r}")
    ax = _axes(ax, figsize=(4, 3.5))
    if depth_scale is None:
        depth_scale = min(1.0, 1.2 * width / channels)
    depth_scale = check_real(depth_scale, "depth_scale")
    if depth_scale <= 0:
        raise ValueError(f"depth_scale must be a positive number of drawing units per channel; got {depth_scale:g}")
    depth = channels * depth_scale
    dx, dy = DEPTH_DIRECTION * depth
    artists: dict = {}
    if channel is not None:
        # slices from the back to the front, so nearer ones hide farther ones
        n_slabs = min(channels, 16)
        per_slab = channels / n_slabs
        slabs = []
        for k in reversed(range(n_slabs)):
            ox, oy = DEPTH_DIRECTION * k * per_slab * depth_scale
            slabs.append(_box(ax, ox, oy, width, height, per_slab * depth_scale * 0.8, colour, zorder=1 + (n_slabs - k) / n_slabs))
        slabs.reverse()                                   # slabs[k] is slice group k
        artists["slices"] = slabs

        def set_channel(c: int) -> None:
            c = check_int(c, "channel", minimum=0)
            if c >= channels:
                raise ValueError(f"channel must be in 0..{channels - 1}; got {c}")
            chosen = int(c // per_slab)
            for k, faces in enumerate(slabs):
                rgb = np.array(mcolors.to_rgb(POSITIVE if k == chosen else colour))
                for poly, shade in zip(faces, (1.0, 0.85, 0.7)):
                    poly.set_facecolor((*(rgb * shade), 1.0))

        set_channel(channel)
        artists["set_channel"] = set_channel
        artists["faces"] = slabs[0]
    else:
        if pixel is not None:
            column = _box(ax, 0, 0, 1, 1, depth, POSITIVE, zorder=1)
            artists["column"] = column

            def set_pixel(i: int, j: int) -> None:
                i, j = check_pixel(i, j, (height, width))
                _move_box(column, j, height - 1 - i, 1, 1, depth)

            set_pixel(*pixel)
            artists["set_pixel"] = set_pixel
        artists["faces"] = _box(ax, 0, 0, width, height, depth, colour, alpha=0.45 if pixel is not None else 0.85, zorder=2)
        if pixel is not None and height * width <= 400:     # pixel grid on the front face
            segments = [[(k, 0), (k, height)] for k in range(1, width)] + [[(0, k), (width, k)] for k in range(1, height)]
            artists["grid"] = ax.add_collection(LineCollection(segments, colors="#333333", linewidths=0.4, zorder=2.5))
    ax.text(width / 2 + dx / 2, -0.8, label if label is not None else f"{height}×{width}×{channels}",
            ha="center", va="top", fontsize=10)
    if scale_note:
        import textwrap

        artists["depth_label"] = _depth_label(ax, 0, 0, width, height, depth, "channels", fontsize=7.5,
                                              edge="top" if channel is not None else "bottom")
        fig_width = ax.figure.get_size_inches()[0]
        chars = int(np.clip(ax.get_position().width * fig_width * 16, 20, 60))     # about 16 a inch at 7.5 pt
        artists["note"] = ax.annotate(textwrap.fill(_depth_note(depth_scale), chars), xy=(width / 2 + dx / 2, -0.8),
                                      xytext=(0, -15), textcoords="offset points", ha="center", va="top",
                                      fontsize=7.5, color="#555555", annotation_clip=False)
    ax.set_xlim(-1, width + dx + 1)
    ax.set_ylim(-2.5, height + dy + 1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=11)
    return artists


#: Default face colours of plot_volumes: Okabe-Ito, without the orange that marks what is chosen.
VOLUME_COLOURS = ("#9db4d6", "#009e73", "#56b4e9", "#cc79a7", "#f0e442")


def _drawn_depth_ratio(depth_scale: float) -> float:
    """How long a channel is drawn, against a pixel of height or width, on screen.

    The depth recedes along :data:`DEPTH_DIRECTION`, whose length (0.75) shortens it further
    (an oblique projection): with ``depth_scale`` 0.25 a channel is drawn 0.1875 as long as a pixel.
    """
    return float(depth_scale * np.hypot(*DEPTH_DIRECTION))


def _depth_note(depth_scale: float) -> str:
    """What the depth of the boxes means, and its scale against height and width, in words."""
    ratio = _drawn_depth_ratio(depth_scale)
    if abs(ratio - 1) < 0.005:
        return "depth: channels, drawn to the same scale as height and width"
    return f"depth: channels, drawn at {_fraction(ratio)} the scale of height and width"


def _depth_label(ax: Axes, x0: float, y0: float, width: float, height: float, depth: float, text: str, *,
                 edge: str = "bottom", **kwargs: Any) -> Text:
    """Write ``text`` along one of the box's receding edges (the depth, i.e. channel, axis), outside the
    box: under its bottom-right edge (``edge="bottom"``) or over its top-left edge (``"top"``)."""
    dx, dy = DEPTH_DIRECTION * depth
    angle = float(np.degrees(np.arctan2(DEPTH_DIRECTION[1], DEPTH_DIRECTION[0])))
    if edge == "bottom":
        x, y, va, side = x0 + width + dx / 2, y0 + dy / 2, "top", 1.0
    else:
        x, y, va, side = x0 + dx / 2, y0 + height + dy / 2, "bottom", -1.0
    # 2.5 points off the edge, outwards: the box's lines never touch the letters
    from matplotlib.transforms import ScaledTranslation

    normal = np.array([DEPTH_DIRECTION[1], -DEPTH_DIRECTION[0]]) / np.hypot(*DEPTH_DIRECTION) * side * 2.5 / 72
    offset = ScaledTranslation(normal[0], normal[1], ax.figure.dpi_scale_trans)
    return ax.text(x, y, text, rotation=angle, rotation_mode="anchor", ha="center", va=va,
                   transform=ax.transData + offset, fontsize=kwargs.pop("fontsize", 8), color=kwargs.pop("color", "#333333"),
                   **kwargs)


def plot_volumes(
    shapes: Sequence[Sequence[int]],
    labels: Sequence[str] | None = None,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    depth_scale: float = 0.25,
    colours: Sequence[str] | None = None,
    steps: Sequence[str] | None = None,
    min_size: float | None = None,
) -> list[dict]:
    """Draw several ``(H, W, C)`` volumes side by side, to one scale.

    Height and width are drawn 1 unit per pixel; depth (channels) is drawn
    with ``depth_scale`` units per channel, the same for every box, so the
    boxes compare honestly. The figure says so: the first box's depth edge is
    labelled "channels", and a note under the boxes gives the depth's scale
    against height and width (computed from ``depth_scale``). Each box is
    labelled with its shape.

    Parameters
    ----------
    shapes : sequence of (int, int, int)
        The volumes, height × width × channels.
    labels : sequence of str, optional
        A line under each box, under its shape.
    ax : Axes, optional
        Where to draw; a new figure is made if None.
    title : str, optional
        Axes title.
    depth_scale : float, default 0.25
        Drawing units per channel (height and width: 1 unit per pixel).
    colours : sequence of str, optional
        Face colours, used in turn; default :data:`VOLUME_COLOURS` (no
        orange: the course keeps it for what is chosen).
    steps : sequence of str, optional
        One label per arrow between consecutive boxes (``len(shapes) - 1``):
        the boxes become a chain, each arrow saying the step that turns one
        volume into the next (``"1×1 conv + ReLU"``).
    min_size : float, optional
        Smallest height and width a box's front is drawn with, in drawing
        units, so a 1×1×10 box stays visible beside 8×8 ones. Default: a
        quarter of the tallest box. A box drawn larger than to scale is marked
        ``*`` under its shape, and the note says so. 0 draws every box to
        scale. (Depth is always to scale: a channel is never less than
        ``depth_scale``.)

    Returns
    -------
    list of dict
        Per box, ``"faces"`` (its polygons); with ``steps``, also ``"arrow"``
        and ``"step"`` on every box but the last.

    Raises
    ------
    TypeError, ValueError
        A shape that is not three integers >= 1, labels, colours or steps of
        the wrong length or type, or a depth_scale or min_size that is not a
        positive number.
    """
    if isinstance(shapes, (str, bytes)) or not hasattr(shapes, "__len__"):
        raise TypeError(f"shapes must be a sequence of (H, W, C) shapes; got {describe(shapes)}")
    if len(shapes) == 0:
        raise ValueError("shapes must list at least one (H, W, C) shape; got none")
    labels = check_texts(labels, "labels", len(shapes), "one entry per shape") if labels is not None else [""] * len(shapes)
    colours = list(colours) if colours is not None else list(VOLUME_COLOURS)
    if len(colours) == 0:
        raise ValueError("colours must list at least one colour; got none")
    for k, colour in enumerate(colours):
        if not mcolors.is_color_like(colour):
            raise ValueError(f"colours[{k}] must be a matplotlib colour; got {colour!r}")
    if steps is not None:
        steps = check_texts(steps, "steps", len(shapes) - 1, "one per arrow between consecutive shapes")
    depth_scale = check_real(depth_scale, "depth_scale")
    if depth_scale <= 0:
        raise ValueError(f"depth_scale must be a positive number of drawing units per channel; got {depth_scale:g}")
    checked = []
    for k, shape in enumerate(shapes):
        if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__") or len(shape) != 3:
            raise ValueError(f"shapes[{k}] must be (H, W, C); got {shape!r}")
        checked.append(tuple(check_int(v, f"shapes[{k}]") for v in shape))
    tallest = max(h for h, _, _ in checked)
    if min_size is None:
        min_size = tallest / 4
    min_size = check_real(min_size, "min_size")
    if min_size < 0:
        raise ValueError(f"min_size must be >= 0 drawing units; got {min_size:g}")
    ax = _axes(ax, figsize=(3.2 * len(shapes), 3.5))
    extents = [max(w, min_size) + DEPTH_DIRECTION[0] * c * depth_scale for _, w, c in checked]
    gap = 12.0 if steps is None else max(12.0, 0.45 * max(extents), 2.2 * tallest)
    x0, top = 0.0, 0.0
    out = []
    enlarged = False
    for k, ((height, width, channels), label) in enumerate(zip(checked, labels)):
        drawn = [max(height, min_size), max(width, min_size), channels * depth_scale]
        grown = drawn[:2] != [height, width]
        enlarged = enlarged or grown
        h, w, depth = drawn
        faces = _box(ax, x0, 0, w, h, depth, colours[k % len(colours)], alpha=0.9)
        dx, dy = DEPTH_DIRECTION * depth
        ax.text(x0 + (w + dx) / 2, -2, f"{height}×{width}×{channels}" + ("*" if grown else ""), ha="center",
                va="top", fontsize=11, weight="bold")
        label_y = -2 - 0.09 * (tallest + 30)
        if label:
            ax.text(x0 + (w + dx) / 2, label_y, label, ha="center", va="top", fontsize=10)
        if k == 0:
            _depth_label(ax, x0, 0, w, h, depth, "channels", edge="top")
        out.append({"faces": faces, "box": (x0, w, h, depth)})
        x0 += w + dx + gap
        top = max(top, h + dy)
    if steps is not None:
        y = min(h for _, _, h, _ in (v["box"] for v in out)) / 2
        for k, step in enumerate(steps):
            (xa, wa, _, da), (xb, _, _, _) = out[k]["box"], out[k + 1]["box"]
            start, end = xa + wa + DEPTH_DIRECTION[0] * da + 0.08 * gap, xb - 0.08 * gap
            arrow = FancyArrowPatch((start, y), (end, y), arrowstyle="-|>", mutation_scale=14, color=HIGHLIGHT,
                                    linewidth=1.4)
            ax.add_patch(arrow)
            text = ax.text((start + end) / 2, y + 0.6, _wrap_step(step), ha="center", va="bottom", fontsize=9,
                           linespacing=1.1)
            out[k]["arrow"], out[k]["step"] = arrow, text
    for item in out:
        item.pop("box")
    note = _depth_note(depth_scale) + ("; * front drawn larger than to scale, to be visible" if enlarged else "")
    # under the labels, whatever the scale: placed in points below the label line
    below = 30 if any(labels) else 16
    ax.annotate(note, xy=(0.5, label_y if any(labels) else -2), xycoords=("axes fraction", "data"),
                xytext=(0, -below), textcoords="offset points", ha="center", va="top", fontsize=8, color="#555555",
                annotation_clip=False)
    ax.set_xlim(-3, x0 - gap + 3)
    ax.set_ylim(-0.3 * (top + 10), top + 3)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=12)
    return out


def _wrap_step(step: str, width: int = 12) -> str:
    """An arrow's label on at most a few short lines: ``3×3 conv\\n+ ReLU``."""
    if len(step) <= width:
        return step
    if " + " in step:
        head, tail = step.split(" + ", 1)
        return head + "\n+ " + tail
    import textwrap

    return textwrap.fill(step, width + 4)


# --------------------------------------------------------------------------
# Lesson 02: the per-pixel dot-product diagram
# --------------------------------------------------------------------------
SMALL_IMAGE = 144     # up to 12×12 pixels, images are drawn as grids of numbers
MIN_STRIP_CELL = 0.16  # inches: the narrowest cell of the dot-product strips (fits "−.3" at 6 pt)


class ScreenImage(AxesImage):
    """An image whose RGBA bytes are already at the size it takes on screen.

    With the Agg renderer (PNG output and the explorers) it is pasted as it
    is, with no resampling and no colour conversion, which saves several
    milliseconds per frame for a photo; in any other case (vector output, a
    different size, a zoomed axes) it is drawn as an ordinary AxesImage.
    """

    def make_image(self, renderer, magnification=1.0, unsampled=False):
        from matplotlib.backends.backend_agg import RendererAgg

        A = self._A
        if (isinstance(renderer, RendererAgg) and magnification == 1.0 and not unsampled
                and A.dtype == np.uint8 and A.ndim == 3 and A.shape[2] == 4 and self.origin == "upper"):
            x1, x2, y1, y2 = self.get_extent()         # left, right, bottom, top: the y axis points down
            (left, bottom), (right, top) = self.get_transform().transform([(x1, y1), (x2, y2)])
            fig_w, fig_h = renderer.get_canvas_width_height()
            if (abs(right - left - A.shape[1]) <= 1 and abs(top - bottom - A.shape[0]) <= 1
                    and left >= 0 and bottom >= 0 and right <= fig_w + 1 and top <= fig_h + 1):
                return A[::-1], round(left), round(bottom), IdentityTransform()
        return super().make_image(renderer, magnification, unsampled)


class DotProductDiagram:
    """The per-pixel dot-product diagram, built once and updated in place.

    One figure shows the input volume with pixel ``(i, j)`` marked; that
    pixel's 1×1×C column as C numbered values; filter ``f``'s C weights; the C
    element-wise products (as numbers and as signed bars); their sum, the
    bias and the ReLU; and an arrow to output cell ``(i, j)`` of the output,
    which is shown whole. A small box shows the output volume H×W×F as a
    stack with slice ``f`` marked.

    Small images (up to 12×12) are drawn as grids of numbers; larger ones
    (photos) as pictures with the pixel marked.

    Use :func:`plot_dot_product` to make one; call :meth:`update` to change
    the pixel, filter, weights, bias or activation.
    """

    def __init__(self, x: Any, w: Any, b: Any = None, *, pixel=(0, 0), filter: int = 0,
                 activation: str | None = "relu", fig: Figure | None = None,
                 input_title: str | None = None, digits: int | None = None):
        if digits is not None and (isinstance(digits, bool) or not isinstance(digits, (int, np.integer))
                                   or not 0 <= digits <= 6):
            raise ValueError(f"digits must be None or an integer in 0..6 (decimals in the strips); got {digits!r}")
        if fig is not None and not isinstance(fig, Figure):
            raise TypeError(f"fig must be a matplotlib Figure or None; got {describe(fig)}")
        self._digits = digits
        self.x = as_real_array(x, "x")
        if self.x.ndim != 3:
            raise ValueError(f"x must be one channels-last volume (H, W, C); got shape {self.x.shape}")
        self.height, self.width, self.channels = self.x.shape
        self.small = self.height * self.width <= SMALL_IMAGE
        # a photo (3 channels, more than 12×12 pixels) is shown as a picture; any other input as a box
        self.photo = not self.small and self.channels == 3
        self._set_weights(w, b)
        self.activation = activation
        self._output: np.ndarray | None = None     # the whole output, computed when first asked for
        self._version = 1                          # tells _draw_state the picture must change
        if fig is None:
            import matplotlib.pyplot as plt

            fig = plt.figure(figsize=(12, 8))
        self.fig = fig
        self.pixel = (0, 0)
        self.filter = 0
        self._build(input_title)
        self.update(pixel=pixel, filter=filter)

    # -- state -------------------------------------------------------------
    def _set_weights(self, w: Any, b: Any) -> None:
        w = as_real_array(w, "w")
        if w.ndim == 1:
            w = w[:, None]
        if w.ndim != 2 or w.shape[0] != self.channels:
            raise ValueError(
                f"w must be one filter ({self.channels},) or a bank ({self.channels}, F) for x with "
                f"{self.channels} channels; got shape {w.shape}"
            )
        if hasattr(self, "w") and w.shape != self.w.shape:
            raise ValueError(f"w must keep its shape {self.w.shape}; got {w.shape}")
        n_filters = w.shape[1]
        b = np.zeros(n_filters) if b is None else as_real_array(b, "b")
        if b.shape not in ((), (n_filters,)):
            raise ValueError(f"b must be a scalar or have shape ({n_filters},), one per filter; got shape {b.shape}")
        self.w, self.b = w, np.broadcast_to(b, (n_filters,)).copy()

    @property
    def n_filters(self) -> int:
        return self.w.shape[1]

    # -- building ----------------------------------------------------------
    def _build(self, input_title: str | None) -> None:
        fig, C = self.fig, self.channels
        fw, fh = fig.get_size_inches()

        def axes(left, bottom, width, height):  # inches -> figure fraction
            return fig.add_axes((left / fw, bottom / fh, width / fw, height / fh))

        top_h, top_y = 3.6, fh - 4.2
        self.ax_in = axes(0.35, top_y, 3.3, top_h)
        self.ax_eq = axes(3.75, top_y, 2.75, top_h)
        self.ax_out = axes(6.7, top_y, 3.3, top_h)
        self.ax_stack = axes(10.5, top_y + 0.5, 1.45, top_h - 0.9)

        # the input: a box with the pixel's column marked, or the picture
        H, W = self.height, self.width
        if not self.photo:
            self.volume = plot_volume((H, W, C), ax=self.ax_in, pixel=(0, 0), label=f"input x: {H}×{W}×{C}")
            self.ax_in.set_title(input_title or "input volume", fontsize=11)
            self.marker_in = None
        else:
            self._picture(self.ax_in, self.x, input_title or f"input x: {H}×{W}×{C}")
            self.marker_in = self._marker(self.ax_in)

        # the three strips: column, weights, products. A cell is at least MIN_STRIP_CELL wide, so that its
        # number fits (shortened at worst); channels beyond what fits are left out, and the figure says so
        room = fw - 1.4
        shown = C if C * MIN_STRIP_CELL <= room else max(8, int(room / MIN_STRIP_CELL) // 8 * 8)
        self.shown_channels = shown
        strip_w = min(room, 0.62 * shown)
        cell = strip_w / shown
        left = 1.1 + (room - strip_w) / 2
        strip_h = float(np.clip(cell, 0.25, 0.42))
        bottom = top_y - 0.75 - 3 * strip_h
        wmax = float(np.max(np.abs(self.w))) or 1.0
        xmax = float(np.max(np.abs(self.x))) or 1.0
        pmax = xmax * wmax
        digits = self._digits if self._digits is not None else 2 if C <= 8 else 1
        fs = 9 if C <= 16 else 7.5
        rows = []
        labels = ("x[i, j, c]", "w[c, f]", "x × w")       # × element-wise; · is kept for the dot product
        ranges = ((min(0.0, float(np.min(self.x))), xmax), (-wmax, wmax), (-pmax, pmax))
        for k, (label, (lo, hi)) in enumerate(zip(labels, ranges)):
            ax = axes(left, bottom + (2 - k) * strip_h, strip_w, strip_h)
            grid = plot_grid(np.zeros((1, shown)), ax=ax, labels=False, vmin=lo, vmax=hi, digits=digits,
                             fontsize=fs, aspect="auto")
            ax.set_yticks([0])
            ax.set_yticklabels([label], fontsize=9)
            ax.tick_params(length=0)
            rows.append(grid)
        self.strip_col, self.strip_w, self.strip_prod = rows
        rows[0].ax.set_title(f"the pixel's 1×1×{C} column, the filter's {C} weights, and their products",
                             fontsize=10, loc="left")
        self.omitted_note = None
        if shown < C:
            self.omitted_note = rows[0].ax.set_title(
                f"channels 0–{shown - 1} of {C} shown; the sum uses all {C}", fontsize=9.5, loc="right",
                color="#a00000", weight="bold")

        # signed bars of the products, aligned with the strips
        self.ax_bars = axes(left, 0.45, strip_w, max(bottom - 0.95, 1.0))
        self.bars_pos = PolyCollection([], facecolors=POSITIVE, edgecolors="#333333", linewidths=0.6)
        self.bars_neg = PolyCollection([], facecolors=NEGATIVE, edgecolors="#333333", linewidths=0.6, hatch="///")
        self.ax_bars.add_collection(self.bars_pos)
        self.ax_bars.add_collection(self.bars_neg)
        # the zero line lies under the bars (their edges draw it again where they stand), so it can stay in
        # the background an explorer blits over
        self.zero_line = self.ax_bars.axhline(0, color="#333333", linewidth=0.8, zorder=0.5)
        self.ax_bars.set_xlim(-0.5, shown - 0.5)
        self.ax_bars.set_ylim(-pmax * 1.05, pmax * 1.05)
        self.ax_bars.set_xticks(np.arange(shown) if shown <= 32 else np.arange(0, shown, 4))
        self.ax_bars.tick_params(labelsize=7)
        self.ax_bars.set_xlabel("channel c" if shown == C else f"channel c (0–{shown - 1} of {C} shown)",
                                fontsize=9)
        self.ax_bars.set_ylabel("contribution", fontsize=9)
        self.ax_bars.set_title("each channel's contribution x[i, j, c] × w[c, f]: "
                               "positive up (orange), negative down (purple, hatched)", fontsize=9)

        # the sum, bias and ReLU
        self.ax_eq.set_axis_off()
        self.ax_eq.set_xlim(0, 1)
        self.ax_eq.set_ylim(0, 1)
        # static labels (drawn once) and short values (updated): few glyphs per frame
        eq_labels = (f"sum of the {C} products", "+ bias b[f]", "= z", "ReLU(z) = max(z, 0)", "output[i, j, f]")
        self.eq_values = []
        for k, text in enumerate(eq_labels):
            y = 0.78 - 0.13 * k
            if k == 3:   # the ReLU row says which: "ReLU(z) = max(z, 0)" only while a ReLU is applied
                self.relu_label = _fast_text(self.ax_eq, 0.66, y, text, ha="right", va="center", fontsize=10)
            else:
                self.ax_eq.text(0.66, y, text, ha="right", va="center", fontsize=10)
            self.eq_values.append(_fast_text(self.ax_eq, 0.7, y, "", ha="left", va="center", fontsize=11,
                                             weight="bold" if k == 4 else "normal"))
        self.ax_eq.plot([0.08, 0.95], [0.78 - 0.13 * 3.5] * 2, color="#999999", linewidth=0.6)
        self.eq_title = _fast_text(self.ax_eq, 0.5, 1.0, "", ha="center", va="bottom", fontsize=11,
                                   transform=self.ax_eq.transAxes + _points_up(self.fig, 6))

        # the output, whole, with the cell marked
        out = self.output[:, :, 0]
        if self.small or self.n_filters != 3:  # colour scale from the pre-activation range: fixed when ReLU is toggled
            linear = conv1x1(self.x, self.w, self.b)
            omax = float(np.max(np.abs(linear))) or 1.0
            lo = -omax if float(np.min(linear)) < 0 else 0.0
        if self.small:
            self.out_grid = plot_grid(out, ax=self.ax_out, vmin=lo, vmax=omax, digits=1, fontsize=9)
            # row numbers on the right: the arrow comes in from the left and crosses no label
            self.ax_out.yaxis.tick_right()
            self.ax_out.yaxis.set_label_position("right")
            target = self.ax_out
        else:
            self.out_grid = None
            scale = {} if self.n_filters == 3 else {"vmin": lo, "vmax": omax}
            self._out_image = self._picture(self.ax_out, self._output_picture(), "", **scale)
            self.marker_out = self._marker(self.ax_out)
            target = self.ax_out
        from matplotlib import patheffects

        style = dict(arrowstyle="-|>", color=HIGHLIGHT, linewidth=1.6, mutation_scale=16,
                     path_effects=[patheffects.withStroke(linewidth=4, foreground="white"), patheffects.Normal()])
        self.arrow = _PathArrow(**style)
        fig.add_artist(self.arrow)

        # the output volume as a stack, slice f marked
        F = self.n_filters
        if self.small:
            self.stack = plot_volume((H, W, F), ax=self.ax_stack, channel=0, label=f"output {H}×{W}×{F}",
                                     depth_scale=min(1.0, 8 / F))
        else:       # a sketch: a photo's 600×512 pixels are not drawn to the scale of its channels
            self.stack = plot_volume((6, 6, F), ax=self.ax_stack, channel=0, depth_scale=min(1.0, 8 / F),
                                     label=f"output {H}×{W}×{F}\n(not to scale)", scale_note=False)
        self.ax_stack.set_title("", fontsize=10)

    def animated_artists(self) -> list:
        """Every artist that :meth:`update` changes (for blitting), in drawing order."""
        arts = [*self.strip_col.artists(), *self.strip_w.artists(), *self.strip_prod.artists(),
                self.bars_pos, self.bars_neg, *self.eq_values, self.relu_label, self.eq_title,
                self.ax_out.title, *(p for slab in self.stack["slices"] for p in slab), self.ax_stack.title]
        if not self.photo:  # the see-through box and its grid are redrawn over the moving column
            arts += [*self.volume["column"], *self.volume["faces"], *([self.volume["grid"]] if "grid" in self.volume else [])]
        else:
            arts += [self.marker_in._halo, self.marker_in]
        if self.small:
            arts += self.out_grid.artists()
        else:
            arts += [self._out_image, self.marker_out._halo, self.marker_out]
        return arts + [self.arrow]

    @property
    def output(self) -> np.ndarray:
        """The whole output ``(H, W, F)``, computed on first use after a change of weights or ReLU.

        A frame needs only the shown pixels (:meth:`_shown_output`) and the chosen one
        (:meth:`pixel_output`), so on a photo the full convolution is not redone on every move.
        """
        if self._output is None:
            self._output = self._convolve_blocks(self.x)
        return self._output

    def pixel_output(self) -> np.ndarray:
        """The ``(F,)`` outputs at the chosen pixel."""
        if self._output is not None:
            return self._output[self.pixel]
        i, j = self.pixel
        return self._convolve_blocks(self.x[i:i + 1, j:j + 1])[0, 0]

    def _convolve_blocks(self, x: np.ndarray) -> np.ndarray:
        """Convolve ``x`` with the diagram's bank (an all-zero bias is skipped: costly on a photo).

        A photo is convolved in blocks of about 16,384 pixels: OpenBLAS runs a product that small
        on one thread. A whole photo at once is split over threads, and on a busy machine (a
        shared classroom server, say) those threads wait for free cores: a move then took
        40-170 ms instead of 30 ms in the latency benchmark. The result is the same, bit for bit."""
        b = self.b if np.any(self.b) else None
        height, width = x.shape[:2]
        if height * width <= 16384:
            return conv1x1(x, self.w, b, activation=self.activation)
        out = np.empty((height, width, self.n_filters), dtype=np.result_type(x, self.w))
        rows = max(1, 16384 // width)
        for top in range(0, height, rows):
            out[top:top + rows] = conv1x1(x[top:top + rows], self.w, b, activation=self.activation)
        return out

    def _picture(self, ax: Axes, image: np.ndarray, title: str, *, vmin: float | None = None,
                 vmax: float | None = None):
        ax.set_title(title, fontsize=11)
        ax.set_xticks([])
        ax.set_yticks([])
        extent = (-0.5, self.width - 0.5, self.height - 0.5, -0.5)    # data coordinates: full-size pixels
        if image.ndim == 3 and image.shape[2] == 3:
            picture = ScreenImage(ax, interpolation="nearest", extent=extent, origin="upper")
            picture.set_data(self._for_display(image))
            ax.add_image(picture)
            ax.set_xlim(extent[:2])
            ax.set_ylim(extent[2:])
            ax.set_aspect("equal")
            return picture
        shown = self._for_display(image)
        cmap, norm = _norm_for(shown, vmin, vmax, None)      # the course's rule: cividis from 0, or PuOr_r
        return ax.imshow(shown, cmap=cmap, norm=norm, interpolation="nearest", extent=extent)

    def _display_grid(self) -> tuple[np.ndarray, np.ndarray]:
        """Rows and columns of the pixels shown: as many as the picture's axes has screen pixels,
        picked as nearest-neighbour resampling would pick them. So each frame resamples (and
        encodes) no more pixels than are shown."""
        if not hasattr(self, "_display_rows"):
            fig_w, fig_h = self.fig.get_size_inches() * self.fig.dpi
            box = self.ax_in.get_position()
            scale = min(1.0, box.width * fig_w / self.width, box.height * fig_h / self.height)
            n_rows, n_cols = (max(1, int(round(n * scale))) for n in (self.height, self.width))
            self._display_rows = ((np.arange(n_rows) + 0.5) * self.height / n_rows).astype(np.intp)[:, None]
            self._display_cols = ((np.arange(n_cols) + 0.5) * self.width / n_cols).astype(np.intp)
            self._display_x = self.x[self._display_rows, self._display_cols]
        return self._display_rows, self._display_cols

    def _for_display(self, image: np.ndarray, *, shown: bool = False) -> np.ndarray:
        """A full-size picture (or, with ``shown``, one already at the shown pixels) ready to show.
        RGB pictures are clipped to 0..1 and sent as RGBA bytes."""
        rows, cols = self._display_grid()
        if not shown:
            image = image[rows, cols]
        if image.ndim == 3 and image.shape[2] == 3:
            rgba = np.full(image.shape[:2] + (4,), 255, dtype=np.uint8)
            rgba[:, :, :3] = np.clip(image, 0, 1) * 255 + 0.5
            return rgba
        return image

    def _output_picture(self) -> np.ndarray:
        if self.n_filters == 3:
            return self.output
        return self.output[:, :, self.filter]

    def _shown_output(self) -> np.ndarray:
        """The output picture at the shown pixels only. A 1×1 convolution works pixel by pixel, so
        convolving the shown input pixels gives exactly the full output at those pixels, for a
        fraction of the cost of picking them out of it."""
        self._display_grid()
        out = self._convolve_blocks(self._display_x)
        return self._for_display(out if self.n_filters == 3 else out[:, :, self.filter], shown=True)

    def _marker(self, ax: Axes) -> Rectangle:
        size = max(self.height, self.width) / 16     # a ring around the pixel, wide enough not to hide it
        rect = Rectangle((0, 0), size, size, fill=False, edgecolor="white", linewidth=2.5, zorder=5)
        ax.add_patch(rect)
        rect._halo = Rectangle((0, 0), size, size, fill=False, edgecolor="black", linewidth=4.5, zorder=4)
        ax.add_patch(rect._halo)
        return rect

    @staticmethod
    def _move_marker(rect: Rectangle, i: int, j: int) -> None:
        size = rect.get_width()
        for r in (rect, rect._halo):
            r.set_xy((j - size / 2, i - size / 2))

    # -- updating ----------------------------------------------------------
    def update(self, *, pixel=None, filter: int | None = None, activation: Any = "keep",
               w: Any = None, b: Any = None) -> None:
        """Change what the diagram shows; every part follows, in place.

        Parameters
        ----------
        pixel : (int, int), optional
            The pixel (row i, column j).
        filter : int, optional
            Which filter of the bank the diagram follows.
        activation : None or "relu", optional
            Switch the ReLU off (None) or on.
        w, b : array_like, optional
            New weights (same shape) and biases; the output is recomputed.
        """
        recompute = False
        if w is not None or b is not None:
            self._set_weights(self.w if w is None else w, self.b if b is None else b)
            recompute = True
        if activation != "keep":
            if activation not in (None, "relu"):
                raise ValueError(f"activation must be None or 'relu'; got {activation!r}")
            recompute = recompute or activation != self.activation
            self.activation = activation
        if recompute:
            self._output = None
            self._version += 1
        if pixel is not None:
            self.pixel = check_pixel(pixel[0], pixel[1], self.x.shape)
        if filter is not None:
            f = check_int(filter, "filter", minimum=0)
            if f >= self.n_filters:
                raise ValueError(f"filter must be in 0..{self.n_filters - 1}; got {f}")
            self.filter = f
        self._draw_state()

    def _draw_state(self) -> None:
        (i, j), f, C = self.pixel, self.filter, self.channels
        column = self.x[i, j, :]
        weights = self.w[:, f]
        products = column * weights
        total = float(products.sum())
        pre = total + float(self.b[f])
        out = float(self.pixel_output()[f])

        if not self.photo:
            self.volume["set_pixel"](i, j)
        else:
            self._move_marker(self.marker_in, i, j)
        n = self.shown_channels
        self.strip_col.set_values(column[None, :n])
        self.strip_w.set_values(weights[None, :n])
        self.strip_prod.set_values(products[None, :n])
        for bars, chosen in ((self.bars_pos, products[:n] >= 0), (self.bars_neg, products[:n] < 0)):
            c = np.flatnonzero(chosen)
            bars.set_verts([[(k - 0.4, 0), (k + 0.4, 0), (k + 0.4, v), (k - 0.4, v)] for k, v in zip(c, products[c])])

        values = [total, float(self.b[f]), pre, out if self.activation == "relu" else None, out]
        for text, value in zip(self.eq_values, values):
            text.set_text("(output = z)" if value is None else format_number(value, 3))
        self.relu_label.set_text("ReLU(z) = max(z, 0)" if self.activation == "relu" else "no ReLU")
        self.eq_title.set_text(f"pixel (i, j) = ({i}, {j}), filter f = {f}")

        if self.small:
            self.out_grid.set_values(self.output[:, :, f])
            self.out_grid.set_highlight(i, j)
        else:
            shown = (self._version, None if self.n_filters == 3 else f)
            if shown != getattr(self, "_shown", None):       # the picture changed: weights, bias, ReLU or f
                self._out_image.set_data(self._shown_output())
                self._shown = shown
            self._move_marker(self.marker_out, i, j)
        relu = " after ReLU" if self.activation == "relu" else ""
        if not self.small and self.n_filters == 3:   # the picture shows all three channels
            self.ax_out.set_title(f"output{relu} as RGB, clipped to 0..1", fontsize=11)
        else:
            self.ax_out.set_title(f"output[:, :, {f}]{relu}", fontsize=11)
        start = (self.ax_eq, (0.9, 0.78 - 0.13 * 4))
        if self.small:   # along the line between rows i - 1 and i, to the cell's top left corner: no number crossed
            self.arrow.set_corners([start, (self.ax_out, (-0.5, i - 0.5)), (self.ax_out, (j - 0.5, i - 0.5))])
        else:            # to the marked pixel of the picture
            self.arrow.set_corners([start, (self.ax_out, (j, i))])
        self.stack["set_channel"](f)
        self.ax_stack.set_title(f"output volume\nslice f = {f}", fontsize=10)


def plot_dot_product(x: Any, w: Any, b: Any = None, *, pixel=(0, 0), filter: int = 0,
                     activation: str | None = "relu", fig: Figure | None = None,
                     input_title: str | None = None, digits: int | None = None) -> DotProductDiagram:
    """Draw the per-pixel dot-product diagram (see :class:`DotProductDiagram`).

    Parameters
    ----------
    x : array_like, shape (H, W, C)
        Channels-last input volume.
    w : array_like, shape (C,) or (C, F)
        One filter or a bank of filters.
    b : scalar or array_like of shape (F,), optional
        Biases.
    pixel : (int, int)
        The pixel (row i, column j) to follow.
    filter : int
        Which filter of the bank to show.
    activation : None or "relu"
        Apply ReLU after the bias.
    fig : Figure, optional
        An empty figure to draw into (about 12×8 inches); made if None.
    input_title : str, optional
        Title over the input (default "input volume", or the photo's shape).
    digits : int, optional
        Decimals at most in the column, weight and product strips (default 2
        up to 8 channels, else 1). A label too wide for its cell is shrunk,
        then shortened (see :class:`CellGrid`); with more channels than fit,
        the first ones are shown and the figure says how many.
    """
    return DotProductDiagram(x, w, b, pixel=pixel, filter=filter, activation=activation, fig=fig,
                             input_title=input_title, digits=digits)


# --------------------------------------------------------------------------
# Lesson 03: what a convolution costs, direct or through a 1×1 bottleneck
# --------------------------------------------------------------------------
class FastText(Artist):
    """Text drawn from cached glyph bitmaps: for labels an explorer changes on every move.

    matplotlib lays out and rasterises a ``Text`` glyph by glyph on every
    draw (about 1 ms for a short label); this artist pastes one cached bitmap
    per line instead (a few hundredths of a millisecond once cached). It
    supports what the explorers need: several lines, ``ha``/``va``
    alignment, colour, font size and weight, and a plain ``background``
    box. Vector renderers (SVG, PDF) get an ordinary ``Text`` with the same
    properties.

    With ``segments`` (a separator such as ``", "``) each line is cut after
    every separator and the pieces are cached and pasted one after another:
    a long line of which one piece changes per move (an explorer's caption)
    then costs one short new bitmap, not a whole new line.
    """

    def __init__(self, x: float, y: float, text: str = "", *, fontsize: float = 10, color: Any = "black",
                 ha: str = "left", va: str = "baseline", weight: str = "normal", linespacing: float = 1.2,
                 transform=None, zorder: float = 3, segments: str | None = None, background: Any = None):
        super().__init__()
        if ha not in ("left", "center", "right"):
            raise ValueError(f"ha must be 'left', 'center' or 'right'; got {ha!r}")
        if va not in ("top", "center", "bottom", "baseline"):
            raise ValueError(f"va must be 'top', 'center', 'bottom' or 'baseline'; got {va!r}")
        self._x, self._y = x, y
        self._text = str(text)
        self.fontsize, self.weight, self.ha, self.va, self.linespacing = fontsize, weight, ha, va, linespacing
        if segments is not None and (not isinstance(segments, str) or not segments.strip()):
            raise ValueError(f"segments must be None or a separator with a visible character, like ', '; "
                             f"got {segments!r}")
        self.segments = segments
        if background is not None and not mcolors.is_color_like(background):
            raise ValueError(f"background must be None or a matplotlib colour; got {background!r}")
        self.background = None if background is None else (np.array(mcolors.to_rgba(background)) * 255).round().astype(np.uint8)
        self.set_color(color)
        if transform is not None:
            self.set_transform(transform)
        self.set_zorder(zorder)
        self.set_clip_on(False)       # it is never clipped, so bbox_inches="tight" must keep it in

    def set_text(self, text: Any) -> None:
        self._text = str(text)
        self.stale = True

    def get_text(self) -> str:
        return self._text

    def set_position(self, xy: tuple[float, float]) -> None:
        self._x, self._y = xy
        self.stale = True

    def get_position(self) -> tuple[float, float]:
        return self._x, self._y

    def set_color(self, color: Any) -> None:
        self._rgb = (np.array(mcolors.to_rgb(color)) * 255).round().astype(np.uint8)
        self._color = color
        self.stale = True

    def _as_text(self) -> Text:
        text = Text(self._x, self._y, self._text, fontsize=self.fontsize, color=self._color, ha=self.ha,
                    va=self.va, weight=self.weight, linespacing=self.linespacing, transform=self.get_transform())
        if self.background is not None:
            text.set_bbox(dict(facecolor=self.background / 255, edgecolor="none", pad=1))
        text.set_figure(self.figure)
        return text

    def draw(self, renderer) -> None:
        if not self.get_visible() or not self._text:
            return
        from matplotlib.backends.backend_agg import RendererAgg

        if not isinstance(renderer, RendererAgg):
            self._as_text().draw(renderer)
            return
        gc = renderer.new_gc()
        for box, pieces in self._layout(renderer.dpi):
            if self.background is not None:        # a plain box behind the line, 2 px around the glyphs
                (left, bottom), (width, height) = box
                patch = np.empty((int(round(height)) + 4, int(round(width)) + 4, 4), dtype=np.uint8)
                patch[:] = self.background
                renderer.draw_image(gc, int(round(left)) - 2, int(round(bottom)) - 2, patch)
            for mask, left, bottom in pieces:
                rgba = np.empty(mask.shape + (4,), dtype=np.uint8)
                rgba[..., :3] = self._rgb
                rgba[..., 3] = mask
                renderer.draw_image(gc, int(round(left)), int(round(bottom)), rgba[::-1])
        gc.restore()
        self.stale = False

    def _layout(self, dpi: float) -> list:
        """Where each line goes, in display pixels: ``((left, bottom), (width, height))`` of the line and
        its pieces as ``(bitmap, left, bottom)``."""
        size_px = self.fontsize * dpi / 72
        line_h = 1.2 * size_px * self.linespacing
        ascent, descent = 0.93 * size_px, 0.24 * size_px          # DejaVu Sans metrics
        lines = self._text.split("\n")
        x, y = self.get_transform().transform((self._x, self._y))
        block = ascent + (len(lines) - 1) * line_h + descent
        top = {"top": y, "center": y + block / 2, "bottom": y + block, "baseline": y + ascent}[self.va]
        gap = 0.4 * size_px                 # a space in DejaVu Sans (0.32 em) and the comma's right bearing
        out = []
        for k, line in enumerate(lines):
            if not line.strip():
                continue
            pieces = [_text_bitmap(piece, self.fontsize, dpi, self.weight) for piece in self._pieces(line)]
            pieces = [(mask, line_descent) for mask, line_descent in pieces if mask.size]
            if not pieces:
                continue
            width = sum(mask.shape[1] for mask, _ in pieces) + gap * (len(pieces) - 1)
            line_left = {"left": x, "center": x - width / 2, "right": x - width}[self.ha]
            baseline = top - ascent - k * line_h
            placed, left = [], line_left
            for mask, line_descent in pieces:
                placed.append((mask, left, baseline - line_descent))
                left += mask.shape[1] + gap
            out.append((((line_left, baseline - descent), (width, ascent + descent)), placed))
        return out

    def get_window_extent(self, renderer=None):
        """The text's box in display pixels (so ``bbox_inches="tight"`` keeps it)."""
        from matplotlib.transforms import Bbox

        if not self.get_visible() or not self._text:
            return Bbox.null()
        dpi = renderer.dpi if renderer is not None else self.figure.dpi
        boxes = [box for box, _ in self._layout(dpi)]
        if not boxes:
            return Bbox.null()
        return Bbox.union([Bbox.from_bounds(*origin, *size) for origin, size in boxes])

    def _pieces(self, line: str) -> list[str]:
        """The line cut after each separator (kept, without its trailing spaces), or the line whole."""
        if not self.segments:
            return [line]
        parts = line.split(self.segments)
        mark = self.segments.rstrip()
        return [part + mark for part in parts[:-1]] + [parts[-1]]


def _points_up(fig: Figure, points: float):
    """A translation ``points`` up, to place a text like a title above its Axes."""
    from matplotlib.transforms import ScaledTranslation

    return ScaledTranslation(0, points / 72, fig.dpi_scale_trans)


def _fast_text(ax: Axes, x: float, y: float, text: str = "", **kwargs) -> FastText:
    """Add a :class:`FastText` to ``ax`` (in data coordinates unless ``transform`` is given)."""
    artist = FastText(x, y, text, **kwargs)
    ax.add_artist(artist)
    return artist


#: Okabe-Ito colours of the cost chart: direct path, 1×1 reduction, k×k on the bottleneck, their total.
#: (Orange is kept for what is chosen or positive elsewhere in the course, so the 1×1 part is green.)
COST_COLOURS = {"direct": "#4d4d4d", "reduce": "#009e73", "conv": "#56b4e9", "total": "#999999"}
_COST_ROWS = ("direct k×k", "1×1, then k×k")
_BOX_DEPTH_SCALE = 0.25          # drawing units per channel (as plot_volumes): 1 unit per pixel
#: The bar axes of the cost chart end at this share of the direct convolution's cost (1.25 = 125 %).
COST_SHARE_MAX = 1.25


def _percent(share: float) -> str:
    """A share (1.0 = 100 %) as a short percentage: ``100%``, ``10.3%``, ``0.41%``, ``51,200%``."""
    p = 100 * share
    if p >= 100:
        return f"{p:,.0f}%"
    if p >= 1:
        return f"{p:.1f}%"
    return f"{p:.2g}%"


def _times(ratio: float) -> str:
    return f"{ratio:.2f}×" if ratio < 10 else f"{ratio:,.0f}×"


class CostChart:
    """Lesson 03's cost figure, built once and updated in place.

    Top: three volumes as boxes drawn to one scale (input H×W×C_in, the
    bottleneck H×W×B after the 1×1 convolution, the output H×W×C_out after
    the k×k convolution), each labelled with its shape. Bottom: two bar
    charts, multiplications and weights, on linear axes that measure each
    path as a share of the direct k×k convolution's count: the direct bar is
    100 %, the bottleneck bar is split into its 1×1 part and its k×k part, so
    a 10× saving looks 10× shorter. Exact counts, their share and their
    formulas are written beside the bars. The title gives the saving.
    Weights are counted without biases, as in the lecture.

    The axes never rescale: they end at :data:`COST_SHARE_MAX` (125 %). A
    bottleneck path that costs more runs to the end of the axis and says, on
    the bar, how many times the direct cost it is ("off scale: 1.24× the
    direct cost"), so no bar misleads.

    Use :func:`plot_cost` to make one; :meth:`update` changes any size.
    """

    def __init__(self, height: int, width: int, in_channels: int, out_channels: int, kernel_size: int,
                 bottleneck: int, *, fig: Figure | None = None):
        if fig is None:
            import matplotlib.pyplot as plt

            fig = plt.figure(figsize=(11, 6.2))
        if not isinstance(fig, Figure):
            raise TypeError(f"fig must be a matplotlib Figure or None; got {describe(fig)}")
        self.fig = fig
        self.sizes: dict[str, int] = {}
        self._set_sizes(height=height, width=width, in_channels=in_channels, out_channels=out_channels,
                        kernel_size=kernel_size, bottleneck=bottleneck)
        self._build()
        self.update()

    def _set_sizes(self, **sizes: Any) -> None:
        for name, value in sizes.items():
            if value is not None:
                self.sizes[name] = check_int(value, name)

    # -- building ----------------------------------------------------------
    def _build(self) -> None:
        fig = self.fig
        fw, fh = fig.get_size_inches()

        def axes(left, bottom, width, height):  # inches -> figure fraction
            return fig.add_axes((left / fw, bottom / fh, width / fw, height / fh))

        # boxes: 1 data unit = 0.1 inch both ways, so the drawing is to scale without set_aspect
        box_w, box_h = fw - 0.4, 2.45
        self.ax_boxes = axes(0.2, fh - 0.55 - box_h, box_w, box_h)
        self.ax_boxes.set_xlim(0, 10 * box_w)
        self.ax_boxes.set_ylim(0, 10 * box_h)
        self.ax_boxes.set_axis_off()
        self._box_area = (10 * box_w, 10 * box_h)
        self.boxes, self.box_labels = [], []
        for key in ("input", "reduce", "conv"):
            colour = "#9db4d6" if key == "input" else COST_COLOURS[key]
            self.boxes.append(_box(self.ax_boxes, 0, 0, 1, 1, 1, colour, alpha=0.9))
            self.box_labels.append(_fast_text(self.ax_boxes, 0, 0, "", ha="center", va="top", fontsize=10))
        self.box_arrows, self.arrow_labels = [], []
        for _ in range(2):
            arrow = FancyArrowPatch((0, 0), (1, 0), arrowstyle="-|>", mutation_scale=14, color=HIGHLIGHT, linewidth=1.4)
            self.ax_boxes.add_patch(arrow)
            self.box_arrows.append(arrow)
            self.arrow_labels.append(_fast_text(self.ax_boxes, 0, 0, "", ha="center", va="bottom", fontsize=9.5))
        self.ax_boxes.text(10 * box_w, 10 * box_h, "height and width drawn to one scale;\n"
                           + _depth_note(_BOX_DEPTH_SCALE).replace(" drawn at", "\ndrawn at"),
                           ha="right", va="top", fontsize=8, color="#555555")

        # two bar charts on fixed linear axes, in shares of the direct convolution; counts to the right
        self.bars, self.bar_values, self.bar_formulas, self.off_scale = {}, {}, {}, {}
        top = COST_SHARE_MAX
        panels = (("multiplications", 1.95), ("weights", 0.5))
        for quantity, bottom in panels:
            ax = axes(1.45, bottom, 4.9, 0.85)
            ax.set_xlim(0, top)
            ax.set_ylim(1.55, -0.55)
            direct = Rectangle((0, -0.3), 1, 0.6, facecolor=COST_COLOURS["direct"], edgecolor="#333333",
                               linewidth=0.6)
            reduce = Rectangle((0, 0.7), 0, 0.6, facecolor=COST_COLOURS["reduce"], edgecolor="#333333",
                               linewidth=0.6)
            conv = Rectangle((0, 0.7), 0, 0.6, facecolor=COST_COLOURS["conv"], edgecolor="#333333",
                             linewidth=0.6, hatch="//")
            for patch in (direct, reduce, conv):
                ax.add_patch(patch)
            ax.set_yticks([0, 1])
            ax.set_yticklabels(_COST_ROWS, fontsize=9)
            ticks = np.arange(0, top + 1e-9, 0.25)
            ax.set_xticks(ticks, [f"{100 * t:.0f}%" for t in ticks])
            ax.tick_params(axis="x", labelsize=8)
            ax.axvline(1.0, color="#777777", linewidth=0.8, linestyle=":", zorder=0.5)
            ax.set_title(f"{quantity}" + (" (no biases)" if quantity == "weights" else "")
                         + ", as a share of the direct convolution's", fontsize=10, loc="left")
            if quantity == "weights":
                ax.set_xlabel("share of the direct k×k convolution's count (linear scale)", fontsize=9)
            ytrans = ax.get_yaxis_transform()
            self.bars[quantity] = [direct, reduce, conv]
            self.bar_values[quantity] = [_fast_text(ax, 1.03, k - 0.14, "", transform=ytrans, ha="left",
                                                    va="center", fontsize=9.5, weight="bold") for k in range(2)]
            self.bar_formulas[quantity] = [_fast_text(ax, 1.03, k + 0.3, "", transform=ytrans, ha="left",
                                                      va="center", fontsize=8, color="#444444") for k in range(2)]
            self.off_scale[quantity] = _fast_text(ax, top - 0.015, 1.0, "", ha="right", va="center",
                                                  fontsize=8.5, weight="bold", background="white")
        self.ax_mult = self.bars["multiplications"][0].axes
        self.ax_weights = self.bars["weights"][0].axes
        from matplotlib.patches import Patch

        self.ax_mult.legend(handles=[Patch(facecolor=COST_COLOURS["direct"], edgecolor="#333333", label="direct k×k"),
                                     Patch(facecolor=COST_COLOURS["reduce"], edgecolor="#333333", label="1×1 to B"),
                                     Patch(facecolor=COST_COLOURS["conv"], edgecolor="#333333", hatch="//",
                                           label="k×k on B")],
                            loc="lower left", bbox_to_anchor=(1.02, 1.0), ncols=3, fontsize=8, frameon=False,
                            borderaxespad=0.1, handlelength=1.2, columnspacing=1.0)
        self.title = FastText(0.5, 1 - 0.1 / fh, "", ha="center", va="top", fontsize=11.5, linespacing=1.2,
                              transform=fig.transFigure)
        fig.add_artist(self.title)

    def animated_artists(self) -> list:
        """Every artist that :meth:`update` changes (for blitting), in drawing order."""
        return [*(p for faces in self.boxes for p in faces), *self.box_labels, *self.box_arrows, *self.arrow_labels,
                *self.bars["multiplications"][1:], *self.bars["weights"][1:], *self.bar_values["multiplications"],
                *self.bar_values["weights"], *self.bar_formulas["multiplications"], *self.bar_formulas["weights"],
                *self.off_scale.values(), self.title]

    # -- updating ----------------------------------------------------------
    def update(self, **sizes: int) -> None:
        """Change any of ``height``, ``width``, ``in_channels``, ``out_channels``,
        ``kernel_size``, ``bottleneck``; boxes, bars and numbers follow in place."""
        unknown = set(sizes) - {"height", "width", "in_channels", "out_channels", "kernel_size", "bottleneck"}
        if unknown:
            raise TypeError(f"update() got unknown sizes {sorted(unknown)}; expected height, width, in_channels, "
                            f"out_channels, kernel_size or bottleneck")
        self._set_sizes(**sizes)
        from .core import bottleneck_cost

        s = self.sizes
        self.cost = cost = bottleneck_cost(**s)
        H, W, C, F, k, B = (s["height"], s["width"], s["in_channels"], s["out_channels"], s["kernel_size"],
                            s["bottleneck"])
        self._place_boxes([(H, W, C), (H, W, B), (H, W, F)])
        self.box_labels[0].set_text(f"input\n{H}×{W}×{C}")
        self.box_labels[1].set_text(f"after the 1×1\n{H}×{W}×{B}")
        self.box_labels[2].set_text(f"output\n{H}×{W}×{F}")
        self.arrow_labels[0].set_text(f"1×1 conv,\n{B} filters 1×1×{C}")
        self.arrow_labels[1].set_text(f"{k}×{k} conv,\n{F} filters {k}×{k}×{B}")

        counts = {
            "multiplications": (cost.direct.multiplications, cost.reduce.multiplications, cost.conv.multiplications),
            "weights": (cost.direct.weights, cost.reduce.weights, cost.conv.weights),
        }
        formulas = {
            "multiplications": (f"= {H} × {W} × {F} × {k}² × {C}",
                                f"= {H} × {W} × {B} × {C} + {H} × {W} × {F} × {k}² × {B}"),
            "weights": (f"= {k}² × {C} × {F}", f"= {C} × {B} + {k}² × {B} × {F}"),
        }
        self.shares = {}
        for quantity, (direct, reduce, conv) in counts.items():
            total = reduce + conv
            shares = (reduce / direct, total / direct)
            self.shares[quantity] = shares[1]
            _, reduce_bar, conv_bar = self.bars[quantity]
            reduce_bar.set_width(min(shares[0], COST_SHARE_MAX))
            conv_bar.set_x(min(shares[0], COST_SHARE_MAX))
            conv_bar.set_width(min(shares[1], COST_SHARE_MAX) - min(shares[0], COST_SHARE_MAX))
            self.off_scale[quantity].set_text(
                f"off scale: {_times(shares[1])} the direct cost »" if shares[1] > COST_SHARE_MAX else "")
            values, how = self.bar_values[quantity], self.bar_formulas[quantity]
            values[0].set_text(f"{direct:,} (100%)")
            values[1].set_text(f"{total:,} ({_percent(shares[1])}) = {reduce:,} + {conv:,}")
            how[0].set_text(formulas[quantity][0])
            how[1].set_text(formulas[quantity][1])

        def ratio(r: float) -> str:
            return f"{r:.1f}× fewer" if r >= 1 else f"{1 / r:.1f}× more"

        weights = cost.direct.weights / (cost.reduce.weights + cost.conv.weights)
        self.title.set_text(f"A {k}×{k} convolution {H}×{W}×{C} → {H}×{W}×{F}: directly, or through a 1×1 "
                            f"bottleneck to {B} channels first\nthe bottleneck path needs {ratio(cost.saving)} "
                            f"multiplications and {ratio(weights)} weights")

    def _place_boxes(self, shapes: list[tuple[int, int, int]]) -> None:
        """Fit the three boxes, to one common scale, into the fixed drawing area."""
        area_w, area_h = self._box_area
        gap, label_h, top_room = 17.0, 4.5, 0.5       # screen units (0.1 inch): arrows, labels under boxes
        sizes = [(w, h, c * _BOX_DEPTH_SCALE) for h, w, c in shapes]
        raw_w = sum(w + DEPTH_DIRECTION[0] * d for w, _, d in sizes)
        raw_h = max(h + DEPTH_DIRECTION[1] * d for _, h, d in sizes)
        scale = min((area_w - 2 * gap - 2) / raw_w, (area_h - label_h - top_room) / raw_h)
        x = (area_w - 2 * gap - raw_w * scale) / 2
        ends = []
        for faces, label, (w, h, d) in zip(self.boxes, self.box_labels, sizes):
            w, h, d = w * scale, h * scale, d * scale
            _move_box(faces, x, label_h, w, h, d)
            dx, dy = DEPTH_DIRECTION * d
            label.set_position((x + w / 2, label_h - 0.3))    # under the front face
            ends.append((x, x + w + dx, label_h + (h + dy) / 2))
            x += w + dx + gap
        for k, (arrow, text) in enumerate(zip(self.box_arrows, self.arrow_labels)):
            start, end = ends[k][1] + 1.0, ends[k + 1][0] - 1.0
            y = label_h + 2.0
            arrow.set_positions((start, y), (end, y))
            text.set_position(((start + end) / 2, y + 1.0))


def plot_cost(
    height: int = 28,
    width: int = 28,
    in_channels: int = 192,
    out_channels: int = 32,
    kernel_size: int = 5,
    bottleneck: int = 16,
    *,
    fig: Figure | None = None,
) -> CostChart:
    """Draw the cost of a k×k convolution, direct or after a 1×1 bottleneck (lesson 03).

    See :class:`CostChart`. The defaults are the lecture's example: a 5×5
    convolution 28×28×192 → 28×28×32, directly or through 16 channels.

    Parameters
    ----------
    height, width : int
        Spatial size, kept by every layer ('same' convolutions, stride 1).
    in_channels, out_channels : int
        C_in and C_out.
    kernel_size : int
        k: the spatial convolution is k×k.
    bottleneck : int
        B: channels after the 1×1 convolution.
    fig : Figure, optional
        An empty figure of about 11×6.2 inches to draw into; made if None.

    Raises
    ------
    TypeError, ValueError
        A size that is not an integer >= 1.
    """
    return CostChart(height, width, in_channels, out_channels, kernel_size, bottleneck, fig=fig)


# --------------------------------------------------------------------------
# Lesson 05: photos and their channels
# --------------------------------------------------------------------------
def plot_picture(
    image: Any,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    pixel: tuple[int, int] | None = None,
    colorbar: bool | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
):
    """Show a photo ``(H, W, 3)`` or one channel ``(H, W)``, with labelled axes.

    RGB pictures are clipped to 0..1 (a colour mix can leave that range). A
    single channel is drawn

    * in grey from 0 (black) to 1 (white) when its values lie in 0..1 (a
      brightness, like a photo's red channel);
    * with ``cividis`` from 0 to its largest value when it is non-negative
      but goes above 1;
    * with the diverging ``PuOr_r`` map centred on 0 when it has negative
      values (YIQ's I and Q channels, say): **orange is positive, purple is
      negative**, white is 0. ``PuOr_r`` is ``PuOr`` reversed: ``PuOr`` runs
      from orange (low) to purple (high). The scale is symmetric and taken
      from the data, ±max|v|, so a channel of small values (Q spans about
      −0.15..0.23) still shows its contrast.

    Parameters
    ----------
    image : array_like, shape (H, W, 3) or (H, W)
        The picture, channels last.
    ax : Axes, optional
        Where to draw; a new figure is made if None.
    title : str, optional
        Axes title.
    pixel : (int, int), optional
        Mark this pixel (row i, column j) with a small square.
    colorbar : bool, optional
        Add a colour bar; default True for a single channel, False for RGB.
    vmin, vmax : float, optional
        The colour scale of a single channel, to compare several pictures on
        one scale. A scale that reaches below 0 is drawn with ``PuOr_r``
        centred on 0, from −m to m with m = max(|vmin|, |vmax|). Not for RGB
        pictures, whose values are colours.

    Returns
    -------
    matplotlib.image.AxesImage

    Raises
    ------
    TypeError, ValueError
        ``image`` not a (H, W) or (H, W, 3) array of real numbers, a ``vmin``
        or ``vmax`` that is not a number (or ``vmin >= vmax``), ``vmin`` or
        ``vmax`` with an RGB picture, or a ``pixel`` outside the picture.
    """
    image = as_real_array(image, "image")
    if not (image.ndim == 2 or (image.ndim == 3 and image.shape[2] == 3)):
        raise ValueError(f"image must be an RGB picture (H, W, 3) or one channel (H, W); got shape {image.shape}")
    lo, hi = check_range(vmin, vmax)
    if image.ndim == 3 and (lo is not None or hi is not None):
        raise ValueError("vmin and vmax set the scale of a single channel (H, W); an RGB picture (H, W, 3) is "
                         f"drawn as colours, clipped to 0..1 (got vmin = {vmin!r}, vmax = {vmax!r})")
    if colorbar is not None and not isinstance(colorbar, (bool, np.bool_)):
        raise TypeError(f"colorbar must be True, False or None; got {describe(colorbar)}")
    height, width = image.shape[:2]
    ax = _axes(ax, figsize=(4, 4 * height / width))
    if image.ndim == 3:
        shown = ax.imshow(np.clip(image, 0, 1), interpolation="antialiased")
    else:
        data_lo, data_hi = float(np.min(image)), float(np.max(image))
        top = data_hi if hi is None else hi
        bottom = data_lo if lo is None else lo
        if data_lo >= 0 and bottom >= 0 and top <= 1:           # a brightness
            shown = ax.imshow(image, cmap="gray", vmin=0.0 if lo is None else lo, vmax=1.0 if hi is None else hi,
                              interpolation="antialiased")
        else:                                                   # the course's rule: cividis from 0, or PuOr_r
            cmap, norm = _norm_for(image, lo, hi, None)
            shown = ax.imshow(image, cmap=cmap, norm=norm, interpolation="antialiased")
    if colorbar if colorbar is not None else image.ndim == 2:
        bar = ax.figure.colorbar(shown, ax=ax, fraction=0.046, pad=0.03)
        bar.ax.tick_params(labelsize=8)
        if shown.get_cmap().name == CMAP_SIGNED:
            bar.set_label("orange > 0, purple < 0", fontsize=8)
    if pixel is not None:
        i, j = pixel_pair(pixel, image.shape)
        size = max(height, width) / 16     # a ring around the pixel, wide enough not to hide it
        for colour, lw in (("black", 3.5), ("white", 1.5)):
            ax.add_patch(Rectangle((j - size / 2, i - size / 2), size, size, fill=False, edgecolor=colour,
                                   linewidth=lw))
    ax.set_xlabel("column j", fontsize=9)
    ax.set_ylabel("row i", fontsize=9)
    ax.tick_params(labelsize=8)
    if title:
        ax.set_title(title, fontsize=10)
    return shown
