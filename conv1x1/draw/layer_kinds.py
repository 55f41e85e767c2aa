"""Lesson 09's figures: one layer, four kinds (standard, grouped, depthwise, pointwise).

* :class:`ReadsView` (:func:`plot_reads`): the input and output volumes as boxes, the values one output
  value reads marked on the input (its k×k window × the channels of its group) and that output value
  marked on the output;
* :class:`ConnectionsView` (:func:`plot_connections`): the layer's weights as a C_in × C_out grid of
  which input channel each output channel reads: full, block-diagonal (grouped) or diagonal (depthwise);
* :class:`LayerKindView` (:func:`plot_layer_kind`): both, with the layer's weights and multiply-adds;

Every view is built once; ``update(...)`` changes its artists in place, ``animated_artists()`` lists
them and ``short_repr()`` says in words, with its numbers, what the view shows (a figure's text
alternative). The numbers come from :func:`conv1x1.compute.cost.conv_cost` and :func:`conv1x1.compute.count.values_read`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import matplotlib.colors as mcolors
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Rectangle

from ..compute.cost import conv_cost
from ..compute.count import layer_kind, values_read
from ..compute.validate import check_int, pixel_pair, short_repr
from ..engine.render import CellGrid, FastText, add_fast_text
from .style import HIGHLIGHT, POSITIVE, axes_or_new
from .volumes import DEPTH_DIRECTION, depth_note, draw_box, move_box

__all__ = ["ConnectionsView", "KIND_NAMES", "LayerKindView", "MAX_CHANNELS", "ReadsView", "SIZE", "plot_connections",
           "plot_layer_kind", "plot_reads"]

#: The four kinds of convolution layer the explorer switches between.
KIND_NAMES = ("standard", "grouped", "depthwise", "pointwise")
#: What each kind of layer sees, in words.
SEES = {
    "standard": "sees neighbours and all channels at once",
    "grouped": "sees neighbours and only the channels of its group: groups never meet",
    "depthwise": "sees neighbours, one channel at a time: no channel mixing",
    "pointwise": "sees all channels at one pixel: it does the channel mixing",
}
SIZE = 6                        # the volumes are 6×6 (the lecture's image size); stride 1, 'same' padding
MAX_CHANNELS = 16
_DEPTH = 0.45                   # drawing units per channel (height and width: 1 unit per pixel)
_INPUT_X, _OUTPUT_X, _BASE_Y = 1.0, 23.5, 1.0
_INPUT_COLOUR, _OUTPUT_COLOUR, _WEIGHT_COLOUR, _OUTSIDE_COLOUR = "#9db4d6", "#d9d9d9", "#0072b2", "#e8e8e8"


def _layer(in_channels: Any, out_channels: Any, kernel_size: Any, groups: Any, pixel: Any, channel: Any):
    """Checked sizes, the layer's cost and what output [i, j, channel] reads."""
    for value, name in ((in_channels, "in_channels"), (out_channels, "out_channels"), (groups, "groups")):
        check_int(value, name, maximum=MAX_CHANNELS)
    kernel_size = check_int(kernel_size, "kernel_size", maximum=SIZE - 1 if SIZE % 2 == 0 else SIZE)
    if kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be odd (1, 3 or 5: a window centred on its pixel); got {kernel_size}")
    kind = layer_kind(kernel_size, in_channels, out_channels, groups)
    cost = conv_cost(SIZE, SIZE, in_channels, out_channels, kernel_size, groups=groups, bias=False)
    reads = values_read(pixel_pair(pixel, (SIZE, SIZE)), channel, height=SIZE, width=SIZE, in_channels=in_channels,
                        out_channels=out_channels, kernel_size=kernel_size, groups=groups)
    return kind, cost, reads


def _a(number: int) -> str:
    """The article before a number said aloud: "an" 8, 11, 18, 80, 800, 11,000; "a" 1, 12, 16, 100."""
    digits = str(number)
    return "an" if digits.startswith("8") or (len(digits) % 3 == 2 and digits[:2] in ("11", "18")) else "a"


def _channels(r: range) -> str:
    return f"channel {r.start}" if len(r) == 1 else f"channels {r.start}–{r.stop - 1}"


class ReadsView:
    """The input and output volumes (6×6×C_in and 6×6×C_out, to one scale) and what one output value reads.

    Use :func:`plot_reads`. :meth:`update` changes any size, the pixel or the output channel in place.
    """

    def __init__(self, ax: Axes, in_channels: int, out_channels: int, kernel_size: int, groups: int,
                 pixel: tuple[int, int], channel: int, *, title: str | None = None):
        self.ax = ax
        ax.set_xlim(0, 35)
        ax.set_ylim(-2.2, 11.8)
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.set_title(title if title is not None else
                     "the input and output volumes: orange, the values one output value reads", fontsize=10.5)
        for x0 in (_INPUT_X, _OUTPUT_X):            # the front faces' 6×6 pixels (channel 0): never move
            lines = [[(x0 + t, _BASE_Y), (x0 + t, _BASE_Y + SIZE)] for t in range(1, SIZE)]
            lines += [[(x0, _BASE_Y + t), (x0 + SIZE, _BASE_Y + t)] for t in range(1, SIZE)]
            ax.add_collection(LineCollection(lines, colors="#555555", linewidths=0.4, zorder=1.5))
        self.boxes = [draw_box(ax, x0, _BASE_Y, SIZE, SIZE, 1, colour, alpha=0.45, zorder=1)
                      for x0, colour in ((_INPUT_X, _INPUT_COLOUR), (_OUTPUT_X, _OUTPUT_COLOUR))]
        self.slices = [LineCollection([], colors="#555555", linewidths=0.4, zorder=1.6) for _ in range(2)]
        for lines in self.slices:
            ax.add_collection(lines)
        self.read_box = draw_box(ax, 0, 0, 1, 1, 1, POSITIVE, alpha=0.9, zorder=3)
        self.out_box = draw_box(ax, 0, 0, 1, 1, 1, POSITIVE, alpha=0.95, zorder=3)
        ax.add_patch(FancyArrowPatch((13.4, 4.0), (22.1, 4.0), arrowstyle="-|>", mutation_scale=14,
                                     color=HIGHLIGHT, linewidth=1.3))
        self.labels = [add_fast_text(ax, x0 + SIZE / 2, _BASE_Y - 0.4, "", ha="center", va="top", fontsize=9.5)
                       for x0 in (_INPUT_X, _OUTPUT_X)]
        self.arrow_label = add_fast_text(ax, 17.75, 4.6, "", ha="center", va="bottom", fontsize=9.5)
        ax.text(35, -2.2, depth_note(_DEPTH, 8), ha="right", va="bottom", fontsize=7.5, color="#555555")
        self.update(in_channels, out_channels, kernel_size, groups, pixel, channel)

    def update(self, in_channels: int, out_channels: int, kernel_size: int, groups: int, pixel: tuple[int, int],
               channel: int) -> None:
        """Show another layer, pixel or output channel (every argument checked, named in errors)."""
        self.kind, self.cost, self.reads = _layer(in_channels, out_channels, kernel_size, groups, pixel, channel)
        self.sizes = dict(in_channels=in_channels, out_channels=out_channels, kernel_size=kernel_size, groups=groups)
        self.pixel, self.channel = tuple(pixel), channel
        for faces, lines, x0, channels in zip(self.boxes, self.slices, (_INPUT_X, _OUTPUT_X),
                                              (in_channels, out_channels)):
            move_box(faces, x0, _BASE_Y, SIZE, SIZE, channels * _DEPTH)
            segments = []
            for c in range(1, channels):
                dx, dy = DEPTH_DIRECTION * c * _DEPTH
                top = _BASE_Y + SIZE + dy
                segments += [[(x0 + dx, top), (x0 + SIZE + dx, top)],
                             [(x0 + SIZE + dx, _BASE_Y + dy), (x0 + SIZE + dx, top)]]
            lines.set_segments(segments)
        r = self.reads
        dx, dy = DEPTH_DIRECTION * r.channels.start * _DEPTH
        move_box(self.read_box, _INPUT_X + r.cols.start + dx, _BASE_Y + SIZE - r.rows.stop + dy, len(r.cols),
                 len(r.rows), len(r.channels) * _DEPTH)
        i, j = self.pixel
        dx, dy = DEPTH_DIRECTION * channel * _DEPTH
        move_box(self.out_box, _OUTPUT_X + j + dx, _BASE_Y + SIZE - i - 1 + dy, 1, 1, _DEPTH)
        self.labels[0].set_text(f"input {SIZE}×{SIZE}×{in_channels}")
        self.labels[1].set_text(f"output {SIZE}×{SIZE}×{out_channels}")
        k = kernel_size
        # four short lines: the longest channel range never reaches the volumes on either side
        self.arrow_label.set_text(f"output[{i}, {j}, {channel}] reads\na {k}×{k} window\n× {_channels(r.channels)}\n"
                                  f"= {k}² × {len(r.channels)} = {r.count} values")

    def animated_artists(self) -> list:
        """Every artist :meth:`update` changes."""
        return [*(p for faces in self.boxes for p in faces), *self.slices, *self.read_box, *self.out_box,
                *self.labels, self.arrow_label]

    def describe(self) -> str:
        """What the view shows, in words, with its numbers."""
        r, (i, j), k = self.reads, self.pixel, self.sizes["kernel_size"]
        window = f"{len(r.rows)}×{len(r.cols)} inside the image" if (len(r.rows), len(r.cols)) != (k, k) else "all inside the image, no padding read"
        return (f"A {self.kind} {k}×{k} layer, groups = {self.sizes['groups']}: input {SIZE}×{SIZE}×"
                f"{self.sizes['in_channels']} to output {SIZE}×{SIZE}×{self.sizes['out_channels']}. Output value "
                f"[{i}, {j}, {self.channel}] reads the {k}×{k} window around pixel ({i}, {j}) ({window}) in "
                f"{_channels(r.channels)}: {r.count} values. It {SEES[self.kind]}.")


def plot_reads(in_channels: int = 4, out_channels: int = 8, kernel_size: int = 3, groups: int = 1, *,
               pixel: tuple[int, int] = (2, 3), channel: int = 0, ax: Axes | None = None,
               title: str | None = None) -> ReadsView:
    """Draw the values one output value of a 6×6 stride-1 'same' convolution reads (lesson 09).

    Parameters
    ----------
    in_channels, out_channels : int
        C_in and C_out, 1..16.
    kernel_size : int
        k: 1, 3 or 5.
    groups : int
        g, dividing both channel counts (``groups=in_channels``: depthwise).
    pixel, channel : (int, int), int
        The output value ``output[i, j, channel]`` followed.
    ax : Axes, optional
        Where to draw; a new figure is made if None.

    Raises
    ------
    TypeError, ValueError
        A size out of range, groups that do not divide the channels, a pixel or channel outside the output.
    """
    ax = axes_or_new(ax, figsize=(9, 3.8))
    return ReadsView(ax, in_channels, out_channels, kernel_size, groups, pixel, channel, title=title)


def _channel_ticks(n: int) -> list[int]:
    """Every channel up to 8 (0 2 4 6 7 reads as a gap); beyond, every quarter and the last."""
    step = 1 if n <= 8 else n // 4
    return [t for t in range(n) if t % step == 0 or t == n - 1]


class ConnectionsView:
    """The layer's weights as a C_in × C_out grid: blue where output channel f (column) reads input channel c
    (row), white where it cannot; orange, the channels the followed output channel reads.

    ``capacity`` (C_in, C_out) fixes the grid's size, so that an explorer can change the channels in place;
    cells beyond the layer's channels are grey.
    """

    def __init__(self, ax: Axes, in_channels: int, out_channels: int, groups: int, channel: int | None = None,
                 *, capacity: tuple[int, int] | None = None, title: str | None = None):
        self.ax = ax
        rows, cols = capacity if capacity is not None else (in_channels, out_channels)
        self.capacity = (check_int(rows, "capacity[0]"), check_int(cols, "capacity[1]"))
        ax.set_xlim(-0.5, cols - 0.5)
        ax.set_ylim(rows - 0.5, -0.5)
        ax.set_aspect("equal")
        ax.set_facecolor("#aaaaaa")                       # seen between the cells: the grid's lines
        self.cells = CellGrid(ax, (rows, cols), fontsize=8)     # painted without resampling: fast to update
        ax.add_artist(self.cells)
        ax.set_xticks(_channel_ticks(cols))
        ax.set_yticks(_channel_ticks(rows))
        ax.tick_params(labelsize=8)
        ax.set_xlabel("output channel f", fontsize=9)
        ax.set_ylabel("input channel c", fontsize=9)
        ax.set_title(title if title is not None else "weights: blue where output f\n(column) reads input c (row);\ngrey: no such channel",
                     fontsize=10)
        self.outline = ax.add_patch(Rectangle((-0.5, -0.5), 1, 1, fill=False, edgecolor=HIGHLIGHT, linewidth=2,
                                              zorder=5))
        self.update(in_channels, out_channels, groups, channel)

    def update(self, in_channels: int, out_channels: int, groups: int, channel: int | None = None) -> None:
        """Show another layer (and followed output channel, or none)."""
        rows, cols = self.capacity
        in_channels = check_int(in_channels, "in_channels", maximum=rows)
        out_channels = check_int(out_channels, "out_channels", maximum=cols)
        layer_kind(1, in_channels, out_channels, groups)               # checks that groups divide both
        self.sizes = (in_channels, out_channels, groups)
        self.mask = np.kron(np.eye(groups, dtype=bool), np.ones((in_channels // groups, out_channels // groups), bool))
        rgb = np.empty((rows, cols, 3))
        rgb[:] = mcolors.to_rgb(_OUTSIDE_COLOUR)
        rgb[:in_channels, :out_channels] = (1.0, 1.0, 1.0)
        rgb[:in_channels, :out_channels][self.mask] = mcolors.to_rgb(_WEIGHT_COLOUR)
        self.channel = None if channel is None else check_int(channel, "channel", minimum=0, maximum=out_channels - 1)
        if channel is not None:
            read = np.flatnonzero(self.mask[:, channel])
            rgb[read, channel] = mcolors.to_rgb(POSITIVE)
            self.outline.set_bounds(channel - 0.5, read[0] - 0.5, 1, len(read))
        self.outline.set_visible(channel is not None)
        self.cells.set_cells(np.full((rows, cols), "", dtype=object), rgb, rgb)

    def animated_artists(self) -> list:
        return [self.cells, self.outline]

    def describe(self) -> str:
        """What the grid shows, in words, with its numbers."""
        c_in, c_out, g = self.sizes
        pairs = int(self.mask.sum())
        if g == 1:
            shape = "every cell has a weight: every output channel reads every input channel"
        elif g == c_in:
            shape = (f"one weight per column, on the diagonal{'s' if c_out > c_in else ''}: each output channel reads "
                     f"one input channel")
        else:
            shape = (f"{g} blocks of {c_in // g}×{c_out // g} on the diagonal: an output channel reads only the "
                     f"{c_in // g} input channels of its group")
        rows, cols = self.capacity
        where = ("" if (rows, cols) == (c_in, c_out) else
                 f" (the top left {c_in}×{c_out} of a {rows}×{cols} grid; the rest, grey, are channels the layer "
                 f"does not have)")
        text = (f"{_a(c_in).capitalize()} {c_in}×{c_out} grid of input channel (row) against output channel (column){where}, "
                f"groups = {g}: {shape}; {pairs} of {c_in * c_out} pairs have a weight.")
        if self.channel is not None:
            read = np.flatnonzero(self.mask[:, self.channel])
            text += f" Output channel {self.channel} reads {_channels(range(read[0], read[-1] + 1))}."
        return text


def plot_connections(in_channels: int, out_channels: int, groups: int = 1, *, channel: int | None = None,
                     ax: Axes | None = None, title: str | None = None) -> ConnectionsView:
    """Draw which input channels each output channel of a (grouped) convolution reads (lesson 09).

    A standard or pointwise layer fills the grid, a grouped one is block-diagonal, a depthwise one
    diagonal. ``channel`` marks the input channels one output channel reads.

    Raises
    ------
    TypeError, ValueError
        Channels that are not integers >= 1, groups that do not divide them, a channel outside the output.
    """
    ax = axes_or_new(ax, figsize=(3.2, 3.2))
    return ConnectionsView(ax, in_channels, out_channels, groups, channel, title=title)


class LayerKindView:
    """Lesson 09's figure: :class:`ReadsView`, :class:`ConnectionsView` (16×16) and the layer's cost in numbers."""

    FIGSIZE = (12, 5.6)

    def __init__(self, fig: Figure, in_channels: int, out_channels: int, kernel_size: int, groups: int,
                 pixel: tuple[int, int], channel: int):
        if not isinstance(fig, Figure):
            raise TypeError(f"fig must be a matplotlib Figure or None; got {short_repr(fig)}")
        self.fig = fig
        fw, fh = fig.get_size_inches()

        def axes(left, bottom, width, height):
            return fig.add_axes((left / fw, bottom / fh, width / fw, height / fh))

        self.reads = ReadsView(axes(0.1, 1.75, 8.9, 3.55), in_channels, out_channels, kernel_size, groups, pixel,
                               channel)
        self.connections = ConnectionsView(axes(9.6, 2.3, 2.15, 2.15), in_channels, out_channels, groups, channel,
                                           capacity=(MAX_CHANNELS, MAX_CHANNELS))
        self.lines = [FastText(0.3 / fw, (1.5 - 0.27 * k) / fh, "", fontsize=10.5, va="center",
                               weight="bold" if k == 0 else "normal", transform=fig.transFigure) for k in range(5)]
        for line in self.lines:
            fig.add_artist(line)
        self.note = fig.text(0.3 / fw, 0.12 / fh, "Counted by one rule (conv1x1.COUNTING_RULES): a multiply-add per weight per "
                 "output pixel, the padding's zeros included; FLOPs = 2 × multiply-adds; no biases here.",
                 fontsize=8.5, color="#444444")
        self._write()

    def update(self, in_channels: int, out_channels: int, kernel_size: int, groups: int, pixel: tuple[int, int],
               channel: int) -> None:
        """Show another layer, pixel or output channel, in place."""
        self.reads.update(in_channels, out_channels, kernel_size, groups, pixel, channel)
        self.connections.update(in_channels, out_channels, groups, channel)
        self._write()

    def _write(self) -> None:
        for line, text in zip(self.lines, self._cost_lines()):
            line.set_text(text)

    def _cost_lines(self) -> list[str]:
        """The five lines of words and counts under the drawings."""
        r = self.reads
        s, cost = r.sizes, r.cost
        c_in, c_out, k, g = s["in_channels"], s["out_channels"], s["kernel_size"], s["groups"]
        standard = conv_cost(SIZE, SIZE, c_in, c_out, k, bias=False)
        share = Fraction(cost.multiplications, standard.multiplications)        # 1/g: each filter reads C_in/g
        compared = ("with g = 1 this is that standard layer" if share == 1 else
                    f"this layer needs {share.numerator}/{share.denominator} of them")
        return [f"A {r.kind} {k}×{k} convolution, groups g = {g}: {SIZE}×{SIZE}×{c_in} → "
                f"{SIZE}×{SIZE}×{c_out}. It {SEES[r.kind]}.",
                f"weights: k² × C_in/g × C_out = {k}² × {c_in // g} × {c_out} = {cost.weights:,}",
                f"multiply-adds: H × W × weights = {SIZE} × {SIZE} × {cost.weights:,} = "
                f"{cost.multiplications:,}   (FLOPs: 2 × that = {cost.flops:,})",
                f"one output value is a dot product of k² × C_in/g = {k}² × {c_in // g} = "
                f"{r.reads.count} input values",
                f"a standard {k}×{k} layer of the same sizes: {standard.multiplications:,} "
                f"multiply-adds; {compared}"]

    def animated_artists(self) -> list:
        return [*self.reads.animated_artists(), *self.connections.animated_artists(), *self.lines]

    def describe(self) -> str:
        """What the figure shows, in words, with its numbers."""
        cost = self.reads.cost
        # first line: the alt text; then the details: the counts written under the drawings, and the grid
        return (f"{self.reads.describe()} The layer has {cost.weights:,} weights and {cost.multiplications:,} "
                f"multiply-adds.\nUnder the drawings: " + "; ".join(self._cost_lines()[1:]) +
                f".\nThe grid on the right: {self.connections.describe()}")


def plot_layer_kind(in_channels: int = 4, out_channels: int = 8, kernel_size: int = 3, groups: int = 1, *,
                    pixel: tuple[int, int] = (2, 3), channel: int = 0, fig: Figure | None = None) -> LayerKindView:
    """Draw one layer of a kind (lesson 09): what one output value reads, the weights grid and the cost.

    Sizes as :func:`plot_reads` (channels up to 16); ``fig`` an empty figure of about 12×5.6 inches.
    """
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=LayerKindView.FIGSIZE)
    return LayerKindView(fig, in_channels, out_channels, kernel_size, groups, pixel, channel)


# --------------------------------------------------------------------------
# the explorer
# --------------------------------------------------------------------------
