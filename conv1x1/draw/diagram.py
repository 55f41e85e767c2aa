"""Lesson 02's per-pixel dot-product diagram: views over a :class:`conv1x1.compute.model.Layer`.

The diagram is composed of small views, each drawing one part of one pixel's computation and each
updated in place from the numbers of :meth:`conv1x1.compute.model.Layer.step`:

* the input: a box with the pixel's 1×1×C column marked (:class:`VolumeView`), or, for a photo,
  the picture with the pixel marked by a square (:class:`PictureView`);
* :class:`StripsView`: the column, the filter's weights and their products as numbered cells;
* :class:`BarsView`: each product as a signed bar (orange up, purple hatched down);
* :class:`EquationView`: the sum, the bias, z, the ReLU and the output value;
* the output, whole: a grid of numbers with the cell outlined (:class:`OutputGridView`) up to 12×12
  pixels, a picture beyond (:class:`PictureView`);
* :class:`StackView`: the output volume H×W×F with slice f marked.

:class:`DotProductDiagram` places them on one figure and joins the equation to the output cell with an
arrow. Pictures are shown at the size they take on screen: the model convolves only the shown pixels.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..compute.core import PixelSteps, format_number
from ..compute.model import Layer
from ..compute.validate import check_real, check_texts, short_repr
from ..engine.render import FastText, ScreenImage, add_fast_text, points_up
from .alt import row_text
from .grids import EMPTY_CELL, Grid, PathArrow, plot_grid, swept
from .style import HIGHLIGHT, NEGATIVE, POSITIVE, norm_for
from .volumes import plot_volume

__all__ = ["BarsView", "DotProductDiagram", "EquationView", "OutputGridView", "PictureView", "StackView",
           "StripsView", "VolumeView", "plot_dot_product"]

#: Up to this many pixels (12×12), images are drawn as grids of numbers; larger ones as pictures.
SMALL_IMAGE = 144
#: Inches: the narrowest cell of the dot-product strips (fits "−.3" at 6 pt).
MIN_STRIP_CELL = 0.16
#: What can change between frames of a diagram (see :meth:`DotProductDiagram.animated_artists`).
CHANGES = ("pixel", "filter", "weights", "bias", "activation")


def _arrow_style(width: float) -> dict:
    """A black arrow with a white halo: visible where it runs over dark cells."""
    return dict(arrowstyle="-|>", color=HIGHLIGHT, linewidth=width, mutation_scale=16,
                path_effects=[patheffects.withStroke(linewidth=4, foreground="white"), patheffects.Normal()])


def _title(ax: Axes, fontsize: float = 11) -> FastText:
    """A title over ``ax`` that changes with the state: drawn from cached glyphs (a plain Text costs ~1 ms)."""
    return add_fast_text(ax, 0.5, 1.0, "", ha="center", va="bottom", fontsize=fontsize,
                         transform=ax.transAxes + points_up(ax.figure, 6))


class VolumeView:
    """The input as a see-through box, the pixel's 1×1×C column marked inside it."""

    def __init__(self, ax: Axes, shape: tuple[int, int, int], title: str):
        height, width, channels = shape
        self.ax, self.shape = ax, shape
        self.parts = plot_volume(shape, ax=ax, pixel=(0, 0), label=f"input x: {height}×{width}×{channels}")
        ax.set_title(title, fontsize=11)
        self.parts.title = title

    def set_step(self, step: PixelSteps) -> None:
        self.parts["set_pixel"](*step.pixel)

    def pixel_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The pixel of the box's front face under display point ``(x, y)``, or None."""
        if not self.ax.bbox.contains(x, y):
            return None
        u, v = self.ax.transData.inverted().transform((x, y))
        height, width = self.shape[:2]
        j, i = int(np.floor(u)), height - 1 - int(np.floor(v))
        return (i, j) if 0 <= i < height and 0 <= j < width else None

    def describe(self) -> str:
        return self.parts.describe()

    def artists(self) -> list:
        grid = [self.parts["grid"]] if "grid" in self.parts else []
        return [*self.parts["column"], *self.parts["faces"], *grid]   # the box is redrawn over the moving column


class PictureView:
    """A picture (RGB, or one channel in the course's colour rule) with one pixel marked by a square around it.

    Only as many pixels are kept as the Axes has screen pixels (:attr:`rows`, :attr:`cols`: the ones
    nearest-neighbour resampling would pick), so a frame resamples and encodes no more than is seen.
    """

    def __init__(self, ax: Axes, height: int, width: int, title: str = ""):
        self.ax, self.height, self.width = ax, height, width
        ax.set_xticks([])
        ax.set_yticks([])
        self.title = _title(ax)
        self.title.set_text(title)
        fig_w, fig_h = ax.figure.get_size_inches() * ax.figure.dpi
        box = ax.get_position()
        scale = min(1.0, box.width * fig_w / width, box.height * fig_h / height)
        n_rows, n_cols = (max(1, int(round(n * scale))) for n in (height, width))
        self.rows = ((np.arange(n_rows) + 0.5) * height / n_rows).astype(np.intp)[:, None]
        self.cols = ((np.arange(n_cols) + 0.5) * width / n_cols).astype(np.intp)
        self.extent = (-0.5, width - 0.5, height - 0.5, -0.5)          # data coordinates: full-size pixels
        self.image = None
        size = max(height, width) / 16        # a square around the pixel, wide enough not to hide it
        self.halo = ax.add_patch(Rectangle((0, 0), size, size, fill=False, edgecolor="black", linewidth=4.5, zorder=4))
        self.ring = ax.add_patch(Rectangle((0, 0), size, size, fill=False, edgecolor="white", linewidth=2.5, zorder=5))

    def set_image(self, shown: np.ndarray, *, vmin: float | None = None, vmax: float | None = None) -> None:
        """Show ``shown``, the picture at :attr:`rows`, :attr:`cols`: RGB (clipped to 0..1) or one channel.
        NaN pixels (not computed yet, in a sweep) are light grey in RGB, blank in one channel."""
        if shown.ndim == 3:
            rgba = np.full(shown.shape[:2] + (4,), 255, dtype=np.uint8)
            rgba[:, :, :3] = np.clip(np.nan_to_num(shown), 0, 1) * 255 + 0.5
            rgba[np.isnan(shown).any(axis=2), :3] = np.round(np.array(EMPTY_CELL[:3]) * 255)   # not computed yet
            if self.image is None:
                self.image = ScreenImage(self.ax, interpolation="nearest", extent=self.extent, origin="upper")
                self.ax.add_image(self.image)
                self.ax.set_xlim(self.extent[:2])
                self.ax.set_ylim(self.extent[2:])
                self.ax.set_aspect("equal")
            self.image.set_data(rgba)
        elif self.image is None:
            cmap, norm = norm_for(shown, vmin, vmax)
            self.image = self.ax.imshow(shown, cmap=cmap, norm=norm, interpolation="nearest", extent=self.extent)
        else:
            self.image.set_data(shown)

    def set_pixel(self, i: int, j: int) -> None:
        size = self.ring.get_width()
        for patch in (self.ring, self.halo):
            patch.set_xy((j - size / 2, i - size / 2))
        self.pixel = (i, j)

    def describe(self) -> str:
        """The picture in words: its title, size and the pixel marked (at the centre of a white square)."""
        title = " ".join(self.title.get_text().split())
        pixel = getattr(self, "pixel", None)
        size = self.ring.get_width()
        marked = (f", pixel {pixel} at the centre of a white square {size:.0f} pixels wide" if pixel is not None
                  else "")
        return f"{title + ': ' if title else ''}a picture of {self.height}×{self.width} pixels{marked}"

    def anchor(self, i: int, j: int) -> list:
        """Where an arrow to pixel (i, j) ends: its centre."""
        return [(self.ax, (j, i))]

    def pixel_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The picture's pixel under display point ``(x, y)``, or None outside it."""
        if not self.ax.bbox.contains(x, y):
            return None
        u, v = self.ax.transData.inverted().transform((x, y))
        i, j = int(np.floor(v + 0.5)), int(np.floor(u + 0.5))
        return (i, j) if 0 <= i < self.height and 0 <= j < self.width else None

    def box(self) -> tuple[float, float, float, float]:
        """Where the picture is in the frame: ``(left, top, right, bottom)`` pixels from the top left."""
        height = self.ax.figure.canvas.get_width_height()[1]
        bbox = self.ax.bbox
        return bbox.x0, height - bbox.y1, bbox.x1, height - bbox.y0

    def artists(self, *, image: bool = True) -> list:
        return ([self.image] if image else []) + [self.halo, self.ring, self.title]


class OutputGridView:
    """The output slice f as a grid of numbers, cell (i, j) outlined; row numbers on the right."""

    def __init__(self, ax: Axes, values: np.ndarray, vmin: float, vmax: float):
        self.grid: Grid = plot_grid(values, ax=ax, vmin=vmin, vmax=vmax, digits=1, fontsize=9)
        ax.yaxis.tick_right()               # the arrow comes in from the left and crosses no label
        ax.yaxis.set_label_position("right")
        self.ax = ax
        self.title = _title(ax)

    def set_image(self, values: np.ndarray, **_: Any) -> None:
        self.grid.set_values(values)

    def describe(self) -> str:
        return self.grid.describe(" ".join(self.title.get_text().split()))

    def set_pixel(self, i: int, j: int) -> None:
        self.grid.set_highlight(i, j)

    def pixel_at(self, x: float, y: float) -> tuple[int, int] | None:
        return self.grid.cell_at(x, y)

    def anchor(self, i: int, j: int) -> list:
        """Along the line between rows i − 1 and i, to the cell's top left corner: no number crossed."""
        return [(self.ax, (-0.5, i - 0.5)), (self.ax, (j - 0.5, i - 0.5))]

    def artists(self, *, image: bool = True) -> list:
        return [*self.grid.artists(), self.title]


class StripsView:
    """The pixel's column, the filter's weights and their products: three rows of numbered cells.

    A cell is at least :data:`MIN_STRIP_CELL` wide, so that its number fits (shortened at worst). With
    more channels than fit, a window of the first ones is shown and its range is written over it.
    """

    LABELS = ("x[i, j, c]", "w[c, f]", "x × w")        # × element-wise; · is kept for the dot product
    #: More channels than this are drawn as two halves side by side (one row to the eye), so that a
    #: slide can stack the halves and give each number twice the room (:meth:`halves`).
    HALF = 16

    def __init__(self, fig: Figure, left: float, bottom: float, width: float, height: float, *, channels: int,
                 shown: int, ranges: Sequence[tuple[float, float]], digits: int):
        fw, fh = fig.get_size_inches()
        fontsize = 9 if channels <= 16 else 7.5
        self.shown, self.channels = shown, channels
        cut = -(-shown // 2) if shown > self.HALF else shown
        self.spans = [(0, cut)] + ([(cut, shown)] if cut < shown else [])     # channels of each half
        self.grids: list[Grid] = []            # strip by strip, half by half
        for k, (label, (lo, hi)) in enumerate(zip(self.LABELS, ranges)):
            for start, end in self.spans:
                ax = fig.add_axes(((left + width * start / shown) / fw, (bottom + (2 - k) * height) / fh,
                                   width * (end - start) / shown / fw, height / fh))
                grid = plot_grid(np.zeros((1, end - start)), ax=ax, labels=False, vmin=lo, vmax=hi, digits=digits,
                                 fontsize=fontsize, aspect="auto")
                ax.set_yticks([0], [label] if start == 0 else [""], fontsize=9)
                ax.tick_params(length=0)
                self.grids.append(grid)
        n = len(self.spans)
        self._halves = [self.grids[k:k + n] for k in range(0, len(self.grids), n)]     # made once, read every move
        # for a slide that stacks the halves: each half's channels, and the second half's row labels
        self.slide_only: list = []
        if len(self.spans) == 2:
            for p, (start, end) in enumerate(self.spans):
                ax = self.grids[p].ax
                self.slide_only.append(ax.text(1.0, 1.0, f"c = {start}–{end - 1}", transform=ax.transAxes,
                                               ha="right", va="bottom", fontsize=9, visible=False))
            for label, grids in zip(self.LABELS, self.halves()):
                ax = grids[1].ax
                self.slide_only.append(ax.text(-0.01, 0.5, label, transform=ax.transAxes, ha="right",
                                               va="center", fontsize=9, visible=False))
        top = self.grids[0].ax
        top.set_title(f"the pixel's 1×1×{channels} column, the filter's {channels} weights, and their products",
                      fontsize=10, loc="left")
        self.window_note = None
        if shown < channels:
            self.window_note = self.grids[len(self.spans) - 1].ax.set_title(
                f"channels 0–{shown - 1} of {channels} shown; the sum uses all {channels}", fontsize=9.5,
                loc="right", color="#a00000", weight="bold")

    def halves(self) -> list[list[Grid]]:
        """The grids of each strip (x, w, x × w), one per half: ``[[x 0–15, x 16–31], [w ...], ...]``."""
        return self._halves

    def set_step(self, step: PixelSteps) -> None:
        for grids, values in zip(self.halves(), (step.column, step.weights, step.products)):
            for grid, (start, end) in zip(grids, self.spans):
                grid.set_values(values[None, start:end])

    def describe(self) -> str:
        """The three strips in words, their numbers as drawn."""
        window = f"channels 0–{self.shown - 1} of {self.channels} shown" if self.shown < self.channels \
            else f"all {self.channels} channels"
        rows = [f"{label}: {row_text(texts)}" for label, texts in zip(self.LABELS, self.texts().values())]
        return f"the pixel's column, the filter's weights and their products ({window})\n" + "\n".join(rows)

    def texts(self) -> dict[str, list[str]]:
        """The numbers shown in each strip, as drawn."""
        return {name: [text for grid in grids for text in grid.texts[0].tolist()]
                for name, grids in zip(("column", "weights", "products"), self.halves())}

    def artists(self, changes: Sequence[str] = CHANGES) -> list:
        strips = self.halves() if {"pixel", "filter"} & set(changes) else self.halves()[1:]
        return [a for grids in strips for grid in grids for a in grid.artists()]


def _largest(heights: np.ndarray, extreme: float) -> str:
    """The channel whose bar reaches ``extreme``, and its height: "channel 8, 9"; every channel when bars
    tie (equal to rounding), so that the words never name one bar of two equal ones: "channels 24 and 25,
    −8.1 each"."""
    tied = [int(c) for c in np.flatnonzero(np.isclose(heights, extreme, rtol=1e-9, atol=0.0))]
    value = format_number(extreme, 3)
    if len(tied) == 1:
        return f"channel {tied[0]}, {value}"
    names = ", ".join(map(str, tied[:-1])) + f" and {tied[-1]}"
    return f"channels {names}, {value} each"


class BarsView:
    """Each channel's contribution ``x[i, j, c] × w[c, f]`` as a signed bar, aligned with the strips."""

    def __init__(self, ax: Axes, *, channels: int, shown: int, limit: float,
                 channel_labels: Sequence[str] | None = None):
        self.ax, self.shown = ax, shown
        self.positive = ax.add_collection(PolyCollection([], facecolors=POSITIVE, edgecolors="#333333",
                                                         linewidths=0.6))
        self.negative = ax.add_collection(PolyCollection([], facecolors=NEGATIVE, edgecolors="#333333",
                                                         linewidths=0.6))
        # negative bars are also hatched, so that the sign does not rest on colour alone. Drawn as lines:
        # Agg fills a hatch pattern slowly (2.8 ms a frame for 16 bars; these lines take 0.2 ms)
        self.hatch = ax.add_collection(LineCollection([], colors="#ffffff", linewidths=1.0, antialiaseds=False))
        # the zero line lies under the bars (their edges draw it again), so it stays in the background
        ax.axhline(0, color="#333333", linewidth=0.8, zorder=0.5)
        ax.set_xlim(-0.5, shown - 0.5)
        ax.set_ylim(-limit * 1.05, limit * 1.05)
        if channel_labels is not None:
            ax.set_xticks(np.arange(shown), channel_labels)
            ax.set_xlabel("input channel c", fontsize=9)
        else:
            ax.set_xticks(np.arange(shown) if shown <= 32 else np.arange(0, shown, 4))
            ax.set_xlabel("channel c" if shown == channels else f"channel c (0–{shown - 1} of {channels} shown)",
                          fontsize=9)
        ax.tick_params(labelsize=7)
        ax.set_ylabel("contribution", fontsize=9)
        ax.set_title("each channel's contribution x[i, j, c] × w[c, f]: "
                     "positive up (orange), negative down (purple, hatched)", fontsize=9)

    #: Inches between the hatch lines of a negative bar (measured across).
    HATCH_SPACING = 0.06

    def set_step(self, step: PixelSteps) -> None:
        products = step.products[:self.shown]
        for bars, chosen in ((self.positive, products >= 0), (self.negative, products < 0)):
            c = np.flatnonzero(chosen)
            bars.set_verts([[(k - 0.4, 0), (k + 0.4, 0), (k + 0.4, v), (k - 0.4, v)] for k, v in zip(c, products[c])])
        negative = np.flatnonzero(products < 0)
        self.hatch.set_segments(self._hatch(negative - 0.4, negative + 0.4, products[negative]))

    def _hatch(self, lefts: np.ndarray, rights: np.ndarray, bottoms: np.ndarray) -> list:
        """Lines at 45° on the page ("///") across each bar from 0 down to its value, in data coordinates.

        The slope and spacing are computed in inches from the Axes' size, so the pattern is the same at
        any dpi and lines up from one bar to the next."""
        box = self.ax.get_position()
        width_in, height_in = self.ax.figure.get_size_inches()
        (x0, x1), (y0, y1) = self.ax.get_xlim(), self.ax.get_ylim()
        ux, uy = box.width * width_in / (x1 - x0), box.height * height_in / (y1 - y0)    # inches per unit
        step = self.HATCH_SPACING * np.sqrt(2)                  # along y: lines Y = X + c, in inches
        segments = []
        for left, right, bottom in zip(lefts * ux, rights * ux, bottoms * uy):
            for c in np.arange(np.floor((bottom - right) / step) * step, -left, step):
                start, end = max(left, bottom - c), min(right, -c)
                if end > start:
                    segments.append([(start / ux, (start + c) / uy), (end / ux, (end + c) / uy)])
        return segments

    def describe(self) -> str:
        """The bars in words: how many are positive and negative, and the largest of each."""
        h = self.heights()
        words = [f"{self.shown} bars of the contributions x × w: {int(np.sum(h > 0))} up (positive), "
                 f"{int(np.sum(h < 0))} down (negative), {int(np.sum(h == 0))} zero"]
        if np.any(h > 0):
            words.append(f"largest up: {_largest(h, h.max())}")
        if np.any(h < 0):
            words.append(f"largest down: {_largest(h, h.min())}")
        return "; ".join(words)

    def heights(self) -> np.ndarray:
        """The bars' signed heights, by channel (as drawn)."""
        out = np.zeros(self.shown)
        for bars in (self.positive, self.negative):
            for path in bars.get_paths():
                x0, top = path.vertices[0, 0], path.vertices[2, 1]
                out[int(round(x0 + 0.4))] = top
        return out

    def artists(self) -> list:
        return [self.positive, self.negative, self.hatch]


class EquationView:
    """The sum of the products, the bias, z, the ReLU and the output value, with a title naming the pixel."""

    LABELS = ("sum of the {C} products", "+ bias b[f]", "= z", "ReLU(z) = max(z, 0)", "output[i, j, f]")
    NAMES = ("sum", "bias", "z", "relu", "output")

    def __init__(self, ax: Axes, channels: int):
        self.ax, self.channels = ax, channels
        ax.set_axis_off()
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        self.values: list[FastText] = []
        for k, text in enumerate(self.LABELS):
            y = self.row(k)
            if k == 3:      # says which: "ReLU(z) = max(z, 0)" only while a ReLU is applied
                self.relu_label = add_fast_text(ax, 0.66, y, text, ha="right", va="center", fontsize=10)
            else:           # static: drawn once, in the background
                ax.text(0.66, y, text.format(C=channels), ha="right", va="center", fontsize=10)
            self.values.append(add_fast_text(ax, 0.7, y, "", ha="left", va="center", fontsize=11,
                                             weight="bold" if k == 4 else "normal"))
        ax.plot([0.08, 0.95], [self.row(3.5)] * 2, color="#999999", linewidth=0.6)
        self.title = _title(ax)

    @staticmethod
    def row(k: float) -> float:
        return 0.78 - 0.13 * k

    def set_step(self, step: PixelSteps) -> None:
        relu = step.activation == "relu"
        values = (step.total, step.bias, step.z, step.output if relu else None, step.output)
        for text, value in zip(self.values, values):
            text.set_text("(output = z)" if value is None else format_number(value, 3))
        self.relu_label.set_text("ReLU(z) = max(z, 0)" if relu else "no ReLU")
        self.title.set_text(f"pixel (i, j) = {step.pixel}, filter f = {step.filter}")

    def texts(self) -> dict[str, str]:
        return {name: text.get_text() for name, text in zip(self.NAMES, self.values)}

    def describe(self) -> str:
        """The pixel's sum, bias, ReLU and output, as written: "pixel (2, 1), filter 0: sum of 32 products
        −25.2, plus bias 0.5 is −24.7, ReLU gives 0"."""
        t = self.texts()
        title = self.title.get_text().replace("pixel (i, j) = ", "pixel ").replace("filter f = ", "filter ")
        end = (f", ReLU gives {t['relu']}" if self.relu_label.get_text() != "no ReLU"
               else f", no ReLU: the output is {t['output']}")
        return (f"{title}: sum of the {self.channels} products {t['sum']}, plus bias {t['bias']} is "
                f"{t['z']}{end}")

    def anchor(self) -> tuple[Axes, tuple[float, float]]:
        return self.ax, (0.9, self.row(4))

    def artists(self, changes: Sequence[str] = CHANGES) -> list:
        if {"bias", "activation"} & set(changes):
            return [*self.values, self.relu_label, self.title]
        return [self.values[0], self.values[2], self.values[4], self.title]   # bias and "no ReLU" stay


class StackView:
    """The output volume H×W×F as a stack of slices, slice f marked."""

    def __init__(self, ax: Axes, shape: tuple[int, int, int], *, to_scale: bool):
        height, width, filters = self.shape = shape
        self.ax = ax
        if to_scale:
            self.parts = plot_volume(shape, ax=ax, channel=0, label=f"output {height}×{width}×{filters}",
                                     depth_scale=min(1.0, 8 / filters))
        else:       # a sketch: a photo's 600×512 pixels are not drawn to the scale of its channels
            self.parts = plot_volume((6, 6, filters), ax=ax, channel=0, depth_scale=min(1.0, 8 / filters),
                                     label=f"output {height}×{width}×{filters}\n(not to scale)", scale_note=False)
        self.title = add_fast_text(ax, 0.5, 1.0, "", ha="center", va="bottom", fontsize=10,
                                   transform=ax.transAxes + points_up(ax.figure, 6))

    def set_filter(self, f: int) -> None:
        self.parts["set_channel"](f)
        self.title.set_text(f"output volume\nslice f = {f}")
        self.filter = f

    def describe(self) -> str:
        height, width, filters = self.shape
        return (f"the output volume {height}×{width}×{filters}: {filters} slices, one per filter, "
                f"slice f = {self.filter} marked")

    def artists(self) -> list:
        return [*(p for slab in self.parts["slices"] for p in slab), self.title]


class DotProductDiagram:
    """The per-pixel dot-product diagram, built once and updated in place.

    One figure shows the input volume with pixel ``(i, j)`` marked; that pixel's 1×1×C column as C
    numbered values; filter ``f``'s C weights; the C element-wise products (as numbers and as signed
    bars); their sum, the bias and the ReLU; and an arrow to output cell ``(i, j)`` of the output,
    which is shown whole. A small box shows the output volume H×W×F with slice ``f`` marked.

    Use :func:`plot_dot_product` to make one; :meth:`update` changes the pixel, filter, weights, bias
    or activation. :attr:`layer` is the model shown (:class:`conv1x1.compute.model.Layer`).
    """

    def __init__(self, x: Any, w: Any, b: Any = None, *, pixel=(0, 0), filter: int = 0,
                 activation: str | None = "relu", fig: Figure | None = None, input_title: str | None = None,
                 digits: int | None = None, weight_range: float | None = None, product_range: float | None = None,
                 channel_labels: Sequence[str] | None = None):
        if digits is not None and (isinstance(digits, bool) or not isinstance(digits, (int, np.integer))
                                   or not 0 <= digits <= 6):
            raise ValueError(f"digits must be None or an integer in 0..6 (decimals in the strips); got {digits!r}")
        if fig is not None and not isinstance(fig, Figure):
            raise TypeError(f"fig must be a matplotlib Figure or None; got {short_repr(fig)}")
        if input_title is not None and not isinstance(input_title, str):
            raise TypeError(f"input_title must be a string or None; got {short_repr(input_title)}")
        self.layer = layer = Layer(x, w, b, activation)
        ranges = {}
        for name, value in (("weight_range", weight_range), ("product_range", product_range)):
            if value is not None and check_real(value, name) <= 0:
                raise ValueError(f"{name} must be a positive number or None; got {short_repr(value)}")
            ranges[name] = None if value is None else float(value)
        if channel_labels is not None:
            channel_labels = check_texts(channel_labels, "channel_labels", layer.channels, "one per input channel")
        H, W, C = layer.x.shape
        self.small = H * W <= SMALL_IMAGE
        self.photo = not self.small and C == 3
        if fig is None:
            import matplotlib.pyplot as plt

            fig = plt.figure(figsize=(12, 8))
        self.fig = fig
        fw, fh = fig.get_size_inches()

        def axes(left, bottom, width, height):  # inches -> figure fraction
            return fig.add_axes((left / fw, bottom / fh, width / fw, height / fh))

        top_h, top_y = 3.6, fh - 4.2
        ax_in, ax_eq, ax_out = axes(0.35, top_y, 3.3, top_h), axes(3.75, top_y, 2.75, top_h), axes(6.7, top_y, 3.3, top_h)
        if self.photo:
            self.input = PictureView(ax_in, H, W, input_title or f"input x: {H}×{W}×{C}")
            self.input.set_image(layer.x[self.input.rows, self.input.cols])
        else:
            self.input = VolumeView(ax_in, (H, W, C), input_title or "input volume")

        room = fw - 1.4
        shown = C if C * MIN_STRIP_CELL <= room else max(8, int(room / MIN_STRIP_CELL) // 8 * 8)
        strip_w = min(room, 0.62 * shown)
        left = 1.1 + (room - strip_w) / 2
        strip_h = float(np.clip(strip_w / shown, 0.25, 0.42))
        bottom = top_y - 0.75 - 3 * strip_h
        xmax = float(np.max(np.abs(layer.x))) or 1.0
        wmax = ranges["weight_range"] or float(np.max(np.abs(layer.w))) or 1.0
        pmax = ranges["product_range"] or xmax * wmax
        self.strips = StripsView(fig, left, bottom, strip_w, strip_h, channels=C, shown=shown,
                                 ranges=((min(0.0, float(np.min(layer.x))), xmax), (-wmax, wmax), (-pmax, pmax)),
                                 digits=digits if digits is not None else 2 if C <= 8 else 1)
        self.bars = BarsView(axes(left, 0.45, strip_w, max(bottom - 0.95, 1.0)), channels=C, shown=shown,
                             limit=pmax, channel_labels=channel_labels)
        self.equation = EquationView(ax_eq, C)
        # the output's colour scale: from the values before the activation, so it stays when ReLU is toggled
        lo, hi = layer.linear_range()
        top = max(abs(lo), abs(hi)) or 1.0
        self._out_scale = dict(vmin=-top if lo < 0 else 0.0, vmax=top)
        if self.small:
            self.output_view = OutputGridView(ax_out, layer.output()[:, :, 0], **self._out_scale)
        else:
            self.output_view = PictureView(ax_out, H, W)
        self.arrow = PathArrow(**_arrow_style(1.6))
        fig.add_artist(self.arrow)
        self.stack = StackView(axes(10.5, top_y + 0.5, 1.45, top_h - 0.9), (H, W, layer.n_filters),
                               to_scale=self.small)
        self.pixel, self.filter = (0, 0), 0
        self._shown_picture = None
        self.update(pixel=pixel, filter=filter)

    # -- the state, as the model holds it ----------------------------------------
    x = property(lambda self: self.layer.x, doc="The input volume (H, W, C).")
    w = property(lambda self: self.layer.w, doc="The filter bank (C, F) shown (read-only).")
    b = property(lambda self: self.layer.b, doc="The biases (F,) (read-only).")
    activation = property(lambda self: self.layer.activation, doc="None or 'relu'.")
    height = property(lambda self: self.layer.height)
    width = property(lambda self: self.layer.width)
    channels = property(lambda self: self.layer.channels)
    n_filters = property(lambda self: self.layer.n_filters)

    @property
    def output(self) -> np.ndarray:
        """The whole output (H, W, F), computed once per layer."""
        return self.layer.output()

    def pixel_output(self) -> np.ndarray:
        """The (F,) outputs at the chosen pixel."""
        i, j = self.pixel
        return self.layer.output_at(slice(i, i + 1), slice(j, j + 1))[0, 0]

    def update(self, *, pixel=None, filter: int | None = None, activation: Any = "keep", w: Any = None,
               b: Any = None, computed: int | None = None) -> None:
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
            New weights (same shape) and biases.
        computed : int, optional
            Show only the first ``computed`` output cells in raster order, the others empty: the filter
            sweeping the image has not reached them yet (None: the whole output). On a picture, the
            cells are the pixels shown (see :attr:`PictureView.rows`), so a sweep can go a shown row
            at a time.
        """
        layer = self.layer.replace(w=w, b=b, **({} if activation == "keep" else {"activation": activation}))
        step = layer.step(self.pixel if pixel is None else pixel, self.filter if filter is None else filter)
        self.layer, self.pixel, self.filter = layer, step.pixel, step.filter
        self.step = step
        i, j = step.pixel
        f = step.filter
        if self.photo:
            self.input.set_pixel(i, j)
        else:
            self.input.set_step(step)
        self.strips.set_step(step)
        self.bars.set_step(step)
        self.equation.set_step(step)
        out = self.output_view
        picture = (layer, None if self.photo and layer.n_filters == 3 else f)
        if self.small:
            out.set_image(swept(layer.output()[:, :, f], computed))
        elif picture != self._shown_picture or computed is not None:    # weights, bias, ReLU, f or a sweep
            shown = layer.output_at(out.rows, out.cols)
            shown = shown if picture[1] is None else shown[:, :, f]
            out.set_image(swept(shown, computed), **self._out_scale)
        self._shown_picture = None if computed is not None else picture     # a swept picture is redrawn after
        out.set_pixel(i, j)
        relu = " after ReLU" if layer.activation == "relu" else ""
        out.title.set_text(f"output{relu} as RGB, clipped to 0..1" if picture[1] is None and not self.small
                           else f"output[:, :, {f}]{relu}")
        self.arrow.set_corners([self.equation.anchor(), *out.anchor(i, j)])
        self.stack.set_filter(f)

    def pixel_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The pixel under display point ``(x, y)`` (pixels from the figure's bottom left) in the input or
        the output, or None: what a click on the figure selects."""
        return self.input.pixel_at(x, y) or self.output_view.pixel_at(x, y)

    def photo_boxes(self) -> list[tuple[float, float, float, float]]:
        """Where photos are drawn, ``(left, top, right, bottom)`` from the frame's top left."""
        views = [v for v in (self.input, self.output_view) if isinstance(v, PictureView)]
        return [v.box() for v in views if self.photo]

    def shown(self) -> dict[str, Any]:
        """The numbers the figure shows now, as drawn: the strips', the equation's and the output grid's."""
        out = {**self.strips.texts(), **self.equation.texts(), "pixel": self.pixel, "filter": self.filter}
        if self.small:
            out["output grid"] = self.output_view.grid.texts.copy()
        return out

    def describe(self) -> str:
        """The diagram in words, from the numbers it shows: the pixel's sum, bias and ReLU first, then
        every part (input, strips, bars, output, output volume)."""
        input_view = self.input.describe()
        parts = [input_view, self.strips.describe(), self.bars.describe(), self.equation.describe(),
                 self.output_view.describe(), self.stack.describe()]
        H, W, C = self.layer.x.shape
        short = (f"Dot-product diagram, {self.equation.describe()}; input {H}×{W}×{C}, output "
                 f"{H}×{W}×{self.n_filters}")
        return short + "\n" + "\n".join(parts)

    def animated_artists(self, changes: Sequence[str] = CHANGES) -> list:
        """The artists that :meth:`update` may change when ``changes`` (a subset of :data:`CHANGES`) do.

        An explorer whose controls never change the bias or the activation passes the others, and the
        texts that depend on those alone are drawn once, in the background.
        """
        unknown = set(changes) - set(CHANGES)
        if unknown:
            raise ValueError(f"changes must be among {CHANGES}; got {sorted(unknown)}")
        arts = [*self.strips.artists(changes), *self.bars.artists(), *self.equation.artists(changes),
                *self.stack.artists(), *self.output_view.artists()]
        arts += self.input.artists() if not self.photo else self.input.artists(image=False)
        return arts + [self.arrow]


def plot_dot_product(x: Any, w: Any, b: Any = None, *, pixel=(0, 0), filter: int = 0,
                     activation: str | None = "relu", fig: Figure | None = None, input_title: str | None = None,
                     digits: int | None = None, weight_range: float | None = None,
                     product_range: float | None = None, channel_labels: Sequence[str] | None = None
                     ) -> DotProductDiagram:
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
        Decimals at most in the column, weight and product strips (default 2 up to 8 channels, else 1).
        A label too wide for its cell is shrunk, then shortened; with more channels than fit, the
        first ones are shown and the figure says how many.
    weight_range, product_range : float, optional
        The colour scales of the weight and product strips (±range) and the bars' axis (±product_range).
        Default: from the weights given. An explorer whose weights change fixes them to cover every
        slider position, so colours and bars stay comparable.
    channel_labels : sequence of str, optional
        Tick labels of the bars, one per input channel (``["0 (R)", "1 (G)", "2 (B)"]``).

    Raises
    ------
    TypeError, ValueError
        An argument of the wrong type, shape or range, named in the message.
    """
    return DotProductDiagram(x, w, b, pixel=pixel, filter=filter, activation=activation, fig=fig,
                             input_title=input_title, digits=digits, weight_range=weight_range,
                             product_range=product_range, channel_labels=channel_labels)
