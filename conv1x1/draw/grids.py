"""Grids of numbers and pictures: :func:`plot_grid`, lesson 01's :func:`plot_pixel_product`, :func:`plot_picture`.

Every function takes ``ax=None`` (or ``fig=None``), creates a figure only when none is given, never
calls ``plt.show()``, and returns the artists it made as an object whose ``set_*``/``update`` methods
change them in place (what the explorers call on every move). Every grid cell shows its value as text
as well as colour; a label too wide for its cell is shrunk, then shortened, never dropped
(:class:`conv1x1.engine.render.CellGrid`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import matplotlib
import matplotlib.colors as mcolors
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Rectangle
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import IdentityTransform

from ..compute.core import conv1x1, format_number
from ..compute.validate import (
    as_real_array,
    check_int,
    check_range,
    check_real,
    short_repr,
    pixel_pair,
)
from ..engine.render import CellGrid, FastText, add_fast_text
from .alt import row_text, split
from .style import CMAP_SIGNED, HIGHLIGHT, axes_or_new, norm_for

#: The colour of a cell not computed yet (a sweep in progress): light grey, no number.
EMPTY_CELL = (0.93, 0.93, 0.93, 1.0)

__all__ = ["EMPTY_CELL", "Grid", "PathArrow", "Picture", "PixelProduct", "plot_grid", "plot_picture", "plot_pixel_product",
           "swept"]


@dataclass
class Grid:
    """The artists of a grid drawn by :func:`plot_grid`, updatable in place."""

    ax: Axes
    cells: CellGrid
    highlight: Rectangle
    cmap: Any
    norm: Any
    digits: int = 2
    highlighted: tuple[int, int] | None = None

    def set_values(self, values: Any) -> None:
        """Show new values (same shape): colours and numbers. A NaN is a cell not computed yet: it is
        drawn empty (light grey, no number), never as 0."""
        values = np.asarray(values, dtype=float)
        if values.shape != self.cells.shape:
            raise ValueError(f"values must have shape {self.cells.shape} like the grid; got {values.shape}")
        empty = np.isnan(values)
        rgba = self.cmap(self.norm(values))
        rgba[empty] = EMPTY_CELL
        strings = np.array(["" if np.isnan(v) else format_number(v, self.digits) for v in values.ravel()],
                           dtype=object)
        luminance = rgba[..., :3] @ np.array([0.2126, 0.7152, 0.0722])
        text_rgb = np.where((luminance > 0.45)[..., None], 0.0, 1.0) * np.ones(3)
        self.cells.set_cells(strings.reshape(values.shape), rgba, text_rgb, values=values, digits=self.digits,
                            cmap=self.cmap)
        self.values = values

    @property
    def texts(self) -> np.ndarray:
        """The labels shown in the cells, as strings (same shape as the values)."""
        return self.cells.strings

    def set_highlight(self, i: int | None, j: int | None = None) -> None:
        """Outline cell ``(i, j)``; ``None`` hides the outline."""
        if i is None:
            self.highlight.set_visible(False)
            self.highlighted = None
            return
        self.highlight.set_xy((j - 0.5, i - 0.5))
        self.highlight.set_visible(True)
        self.highlighted = (int(i), int(j))

    def describe(self, title: str | None = None) -> str:
        """The grid in words, from the numbers it shows: its shape, range and first row, then every row.

        ``title`` names it (default: its Axes' title). The rows are the labels as drawn in the cells.
        """
        title = title if title is not None else " ".join(self.ax.get_title().split())
        height, width = self.cells.shape
        values = np.asarray(self.values, dtype=float)
        lo, hi = (format_number(v, self.digits) for v in (values.min(), values.max()))
        shape = f"{height}×{width} grid of numbers" if height > 1 else f"a row of {width} numbers"
        marked = ""
        if self.highlighted is not None:
            i, j = self.highlighted
            marked = f", cell ({i}, {j}) outlined: {self.texts[i, j]}"
        first = f"; row 0: {row_text(self.texts[0], 12)}" + ("; …" if height > 1 else "")
        head = f"{title + ': ' if title else ''}{shape}, values {lo} to {hi}{marked}{first}"
        return head + "\n" + "\n".join(f"row {i}: {row_text(row)}" for i, row in enumerate(self.texts))

    def artists(self) -> list:
        """The artists that :meth:`set_values` and :meth:`set_highlight` change."""
        return [self.cells, self.highlight]

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The cell ``(i, j)`` under the display point ``(x, y)`` (pixels from the figure's bottom left,
        as matplotlib's events give them), or None outside the grid. Mapped through the Axes' own
        transform, so it holds wherever the grid is drawn."""
        if not self.ax.bbox.contains(x, y):
            return None
        column, row = self.ax.transData.inverted().transform((x, y))
        i, j = int(np.floor(row + 0.5)), int(np.floor(column + 0.5))
        height, width = self.cells.shape
        return (i, j) if 0 <= i < height and 0 <= j < width else None


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
    if values.size == 0:
        raise ValueError(f"values must hold at least one number; got an empty array of shape {values.shape}")
    if cmap is not None and not (isinstance(cmap, mcolors.Colormap) or
                                 (isinstance(cmap, str) and cmap in matplotlib.colormaps)):
        raise ValueError(f"cmap must be the name of a matplotlib colour map (like 'cividis') or a Colormap; "
                         f"got {short_repr(cmap)}")
    if check_real(fontsize, "fontsize") <= 0:
        raise ValueError(f"fontsize must be a positive number of points; got {fontsize!r}")
    if aspect not in ("equal", "auto"):
        raise ValueError(f"aspect must be 'equal' or 'auto'; got {aspect!r}")
    if highlight is not None:
        highlight = pixel_pair(highlight, values.shape, "highlight")
    ax = axes_or_new(ax, figsize=(0.5 * values.shape[1] + 1.5, 0.5 * values.shape[0] + 1))
    cmap, norm = norm_for(values, vmin, vmax, cmap)
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
    ax.tick_params(labelsize=9, length=2)     # 9 pt: a slide draws a still figure with it at its body text
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



def swept(values: np.ndarray, computed: int | None) -> np.ndarray:
    """``values`` (H, W) with only the first ``computed`` cells in raster order kept, the rest NaN (not
    computed yet); all of them for None."""
    if computed is None:
        return values
    height, width = values.shape[:2]
    computed = check_int(computed, "computed", minimum=0, maximum=height * width)
    out = np.array(values, dtype=float)
    out.reshape(height * width, -1)[computed:] = np.nan      # a picture's pixel: all its channels
    return out


# --------------------------------------------------------------------------
# Lesson 01: one input cell × weight = one output cell
# --------------------------------------------------------------------------
class PathArrow(FancyArrowPatch):
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
    figure_title: Any = None        # the figure's suptitle, when ``title`` is None (made by the first update)

    def animated_artists(self) -> list:
        """Every artist that :meth:`update` changes (for blitting), in drawing order."""
        extra = [self.relu_text] if self.relu_text is not None else []
        title = self.title if self.title is not None else self.figure_title
        return [*self.out.artists(), self.inp.highlight, self.equation, self.weight_text, *extra, *self.arrows,
                title]

    def output(self) -> np.ndarray:
        return conv1x1(self.image[:, :, None], [self.weight], activation="relu" if self.relu else None)

    def pixel_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The pixel whose input or output cell is under display point ``(x, y)``, or None."""
        return self.inp.cell_at(x, y) or self.out.cell_at(x, y)

    def describe(self) -> str:
        """The figure in words: the filter, the pixel's arithmetic as written, then both grids in full."""
        title = (self.title if self.title is not None else self.figure_title).get_text().strip()
        inp, out = self.inp.describe("input x"), self.out.describe("output")
        arithmetic = "; ".join(line.strip() for line in self.equation.get_text().splitlines())
        short = f"{title}. Pixel {self.pixel}: {arithmetic}. {split(out)[0]}"
        return short + "\n" + inp + "\n" + out

    def update(self, *, weight: float | None = None, relu: bool | None = None, pixel=None,
               computed: int | None = None) -> None:
        """Change the weight, the ReLU switch or the chosen pixel, in place.

        ``computed``: show only the first ``computed`` output cells in raster order (row by row), the
        others empty, as a filter sweeping the image has left them; None shows the whole output.
        """
        if weight is not None:
            self.weight = check_real(weight, "weight")
        if relu is not None:
            self.relu = bool(relu)
        if pixel is not None:
            self.pixel = pixel_pair(pixel, self.image.shape)
        i, j = self.pixel
        out = self.output()
        self.out.set_values(swept(out, computed))
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
        elif self.figure_title is None:
            self.figure_title = self.fig.suptitle(title, fontsize=12)
        else:           # set_text only: suptitle() would put it back at its default place
            self.figure_title.set_text(title)


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
    weight_text = add_fast_text(ax_mid, 0.5, 0.62, "", ha="center", va="center", fontsize=22, weight="bold")
    relu_text = add_fast_text(ax_mid, 0.5, 0.47, "", ha="center", va="center", fontsize=13, weight="bold")
    equation = add_fast_text(ax_mid, 0.5, 0.12, "", ha="center", va="center", fontsize=10)
    title = FastText(0.5, 0.98, "", ha="center", va="top", fontsize=12, transform=fig.transFigure)
    fig.add_artist(title)
    from matplotlib import patheffects

    # a white halo keeps the arrows visible where they run over dark cells
    style = dict(arrowstyle="-|>", color=HIGHLIGHT, linewidth=1.5, mutation_scale=14,
                 path_effects=[patheffects.withStroke(linewidth=4, foreground="white"), patheffects.Normal()])
    arrows = [PathArrow(**style), PathArrow(**style)]
    for arrow in arrows:
        fig.add_artist(arrow)
    view = PixelProduct(fig=fig, image=image, inp=inp, out=out, equation=equation, weight_text=weight_text,
                        arrows=arrows, relu_text=relu_text, ax_mid=ax_mid, title=title)
    view.update(weight=weight, relu=relu, pixel=pixel)
    return view



# --------------------------------------------------------------------------
# Photos and their channels (lessons 07 and 08)
# --------------------------------------------------------------------------
class Picture:
    """What :func:`plot_picture` drew: the ``AxesImage`` (every attribute of it is reachable here,
    ``picture.get_cmap()``), the Axes, and :meth:`describe`."""

    def __init__(self, image: Any, data: np.ndarray, pixel: tuple[int, int] | None):
        self.image, self.ax, self.pixel = image, image.axes, pixel
        self._data = data

    def __getattr__(self, name: str) -> Any:          # the AxesImage's own methods, as before
        return getattr(self.image, name)

    def describe(self) -> str:
        """The picture in words: its shape, what its channels are, their value ranges, the marked pixel."""
        data = self._data
        title = " ".join(self.ax.get_title().split())
        height, width = data.shape[:2]
        digits = 3
        if data.ndim == 3:
            kind = f"colour picture {height}×{width}×3 (RGB, clipped to 0..1 for display)"
            ranges = "; ".join(f"{name} {format_number(data[:, :, c].min(), digits)} to "
                               f"{format_number(data[:, :, c].max(), digits)} (mean {format_number(data[:, :, c].mean(), digits)})"
                               for c, name in enumerate(("red", "green", "blue")))
        else:
            cmap = self.image.get_cmap().name
            scale = {"gray": "grey from black to white", CMAP_SIGNED: "orange positive, purple negative, white 0"}
            kind = f"one channel {height}×{width}, drawn in {scale.get(cmap, cmap)}"
            ranges = (f"values {format_number(data.min(), digits)} to {format_number(data.max(), digits)} "
                      f"(mean {format_number(data.mean(), digits)})")
        marked = ""
        if self.pixel is not None:
            i, j = self.pixel
            marked = (f"; pixel ({i}, {j}) at the centre of a white square {_square_width(height, width)} pixels wide: "
                      f"{row_text(np.atleast_1d(data[i, j]))}")
        overall = f"values {format_number(data.min(), digits)} to {format_number(data.max(), digits)}"
        short = f"{title + ': ' if title else ''}{kind}, {overall if data.ndim == 3 else ranges}{marked}"
        return short + "\n" + f"{kind}; {ranges}{marked}"


def _square_width(height: int, width: int) -> str:
    """The width, in the picture's pixels, of the square that marks a pixel (:func:`plot_picture`), in words."""
    size = max(height, width) / 16
    return f"{size:.0f}" if size >= 2 else f"{size:.1g}"


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
    Picture
        The ``AxesImage`` drawn (its methods are the picture's: ``get_cmap()``, ...) with
        ``short_repr()``.

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
        raise TypeError(f"colorbar must be True, False or None; got {short_repr(colorbar)}")
    height, width = image.shape[:2]
    ax = axes_or_new(ax, figsize=(4, 4 * height / width))
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
            cmap, norm = norm_for(image, lo, hi, None)
            shown = ax.imshow(image, cmap=cmap, norm=norm, interpolation="antialiased")
    if colorbar if colorbar is not None else image.ndim == 2:
        bar = ax.figure.colorbar(shown, ax=ax, fraction=0.046, pad=0.03)
        bar.ax.tick_params(labelsize=9)
        if shown.get_cmap().name == CMAP_SIGNED:
            bar.set_label("orange > 0, purple < 0", fontsize=9)
    if pixel is not None:
        i, j = pixel = pixel_pair(pixel, image.shape)
        size = max(height, width) / 16     # a square around the pixel, wide enough not to hide it (_square_width)
        for colour, lw in (("black", 3.5), ("white", 1.5)):
            ax.add_patch(Rectangle((j - size / 2, i - size / 2), size, size, fill=False, edgecolor=colour,
                                   linewidth=lw))
    ax.set_xlabel("column j", fontsize=9)
    ax.set_ylabel("row i", fontsize=9)
    ax.tick_params(labelsize=9)
    if title:
        ax.set_title(title, fontsize=10)
    return Picture(shown, image, pixel)
