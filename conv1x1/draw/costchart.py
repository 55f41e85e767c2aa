"""Cost figures: lessons 03 and 04's k×k convolution, directly or through a 1×1 bottleneck; lesson 10's
network, layer by layer.

:class:`CostChart` draws the three volumes to one scale and two bar charts (multiplications and
weights as shares of the direct convolution's), with the exact counts from :func:`conv1x1.bottleneck_cost`;
:meth:`CostChart.update` changes any size in place.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrow, Rectangle

from ..compute.cost import bottleneck_cost
from ..compute.count import KINDS, NetworkCount
from ..compute.validate import check_int, short_repr
from ..engine.render import FastText, add_fast_text
from .style import HIGHLIGHT, axes_or_new
from .volumes import DEPTH_DIRECTION, depth_note, draw_box, move_box

__all__ = ["COST_COLOURS", "COST_SHARE_MAX", "CostChart", "KIND_COLOURS", "LayerCostChart", "plot_cost",
           "plot_layer_costs"]


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
            raise TypeError(f"fig must be a matplotlib Figure or None; got {short_repr(fig)}")
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
            self.boxes.append(draw_box(self.ax_boxes, 0, 0, 1, 1, 1, colour, alpha=0.9))
            self.box_labels.append(add_fast_text(self.ax_boxes, 0, 0, "", ha="center", va="top", fontsize=10))
        self.box_arrows, self.arrow_labels = [], []
        for _ in range(2):
            # a plain polygon (1 unit = 0.1 inch): a third of a FancyArrowPatch's drawing time, every move
            arrow = FancyArrow(0, 0, 1, 0, width=0.2, head_width=1.1, head_length=1.4, length_includes_head=True,
                               color=HIGHLIGHT, linewidth=0)
            self.ax_boxes.add_patch(arrow)
            self.box_arrows.append(arrow)
            self.arrow_labels.append(add_fast_text(self.ax_boxes, 0, 0, "", ha="center", va="bottom", fontsize=9.5))
        self.ax_boxes.text(10 * box_w, 10 * box_h, "height and width drawn to one scale;\n"
                           + depth_note(_BOX_DEPTH_SCALE, 16).replace(" drawn as", "\ndrawn as"),
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
            # cut at spaces, so a new count costs a bitmap of the new number only (cached pieces: "=", "×", ...)
            self.bar_values[quantity] = [add_fast_text(ax, 1.03, k - 0.14, "", transform=ytrans, ha="left",
                                                       va="center", fontsize=9.5, weight="bold")
                                         for k in range(2)]
            self.bar_formulas[quantity] = [add_fast_text(ax, 1.03, k + 0.3, "", transform=ytrans, ha="left",
                                                         va="center", fontsize=8, color="#444444")
                                           for k in range(2)]
            self.off_scale[quantity] = add_fast_text(ax, top - 0.015, 1.0, "", ha="right", va="center",
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

    def describe(self) -> str:
        """The chart in words, from the counts it shows: the saving, then each bar's count and formula."""
        cost, s = self.cost, self.sizes
        H, W, C, F, k, B = (s["height"], s["width"], s["in_channels"], s["out_channels"], s["kernel_size"],
                            s["bottleneck"])
        direct, reduce, conv = cost.direct, cost.reduce, cost.conv
        short = (f"Cost of a {k}×{k} convolution {H}×{W}×{C} → {H}×{W}×{F}: directly "
                 f"{direct.multiplications:,} multiplications and {direct.weights:,} weights; through a 1×1 "
                 f"bottleneck to {B} channels {reduce.multiplications + conv.multiplications:,} multiplications "
                 f"({_percent(self.shares['multiplications'])} of direct) and {reduce.weights + conv.weights:,} "
                 f"weights ({_percent(self.shares['weights'])})")
        lines = ["; ".join(line.strip() for line in self.title.get_text().splitlines()),
                 "boxes (height and width to one scale): " + ", then ".join(
                     " ".join(label.get_text().split()) for label in self.box_labels),
                 "steps: " + "; ".join(" ".join(label.get_text().split()) for label in self.arrow_labels)]
        for quantity in ("multiplications", "weights"):
            for row, value, formula in zip(_COST_ROWS, self.bar_values[quantity], self.bar_formulas[quantity]):
                lines.append(f"{quantity}, {' '.join(row.split())}: {value.get_text()} {formula.get_text()}")
            if self.off_scale[quantity].get_text():
                lines.append(f"{quantity}: {self.off_scale[quantity].get_text().rstrip(' »')}")
        return short + "\n" + "\n".join(lines)

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
            move_box(faces, x, label_h, w, h, d)
            dx, dy = DEPTH_DIRECTION * d
            label.set_position((x + w / 2, label_h - 0.3))    # under the front face
            ends.append((x, x + w + dx, label_h + (h + dy) / 2))
            x += w + dx + gap
        for k, (arrow, text) in enumerate(zip(self.box_arrows, self.arrow_labels)):
            start, end = ends[k][1] + 1.0, ends[k + 1][0] - 1.0
            y = label_h + 2.0
            arrow.set_data(x=start, y=y, dx=end - start, dy=0)
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


#: Colours of the layer kinds in :func:`plot_layer_costs`: the 1×1 (pointwise) layers in the cost
#: chart's green for a 1×1 convolution, the depthwise k×k in its blue for a k×k one (Okabe-Ito colours).
KIND_COLOURS = dict(zip(KINDS, ("#4d4d4d", "#cc79a7", COST_COLOURS["conv"], COST_COLOURS["reduce"], "#999999",
                                "#e69f00")))


class LayerCostChart:
    """A network's multiply-adds layer by layer, one bar per layer coloured by its kind (lesson 10).

    Attributes
    ----------
    network : conv1x1.compute.count.NetworkCount
        What is drawn.
    bars : BarContainer
        One bar per layer, top to bottom in the network's order.
    """

    def __init__(self, network: NetworkCount, ax: Axes | None = None, title: str | None = None):
        if not isinstance(network, NetworkCount):
            raise TypeError("network must be a NetworkCount (from count_layers or count_module); "
                            f"got {short_repr(network)}")
        if title is not None and not isinstance(title, str):
            raise TypeError(f"title must be a string or None; got {short_repr(title)}")
        self.network = network
        # 9 inches: on a slide, drawn as wide as makes its 9 pt names the body text's size, it fits the slide
        self.ax = ax = axes_or_new(ax, (9, 0.22 * len(network.layers) + 1.4))
        layers = network.layers
        millions = [layer.multiply_adds / 1e6 for layer in layers]
        self.bars = ax.barh(range(len(layers)), millions, color=[KIND_COLOURS[layer.kind] for layer in layers],
                            height=0.75)
        ax.set_yticks(range(len(layers)), [layer.name for layer in layers], fontsize=9)
        ax.set_ylim(len(layers) - 0.5, -0.5)                                   # the first layer on top
        ax.set_xlabel("multiply-adds, in millions")
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        shares = network.shares()
        handles = [Rectangle((0, 0), 1, 1, color=KIND_COLOURS[kind]) for kind in shares]
        ax.legend(handles, [f"{kind}: {100 * m:.2f}% of the multiply-adds" for kind, (m, _) in shares.items()],
                  loc="upper right", fontsize=9, framealpha=0.9)      # inside, over the short bars at the top
        ax.set_title(title if title is not None else
                     f"Multiply-adds of each of the {len(layers)} layers ({network.multiply_adds:,} in all)",
                     fontsize=11)

    def describe(self) -> str:
        """The chart in words: the share of each kind of layer, then every bar's count."""
        net = self.network
        kinds = []
        for kind, (m, _) in net.by_kind().items():
            of_kind = [layer for layer in net.layers if layer.kind == kind]
            most = max(layer.multiply_adds for layer in of_kind)
            tops = [layer.name for layer in of_kind if layer.multiply_adds == most]
            if len(of_kind) == 1:
                largest = ""
            elif len(tops) == 1:
                largest = f", the largest {tops[0]} with {most:,}"
            else:
                largest = f", the largest {most:,} each in {len(tops)} layers ({', '.join(tops)})"
            kinds.append(f"{kind}: {len(of_kind)} layer{'s' if len(of_kind) > 1 else ''}, {m:,} "
                         f"({100 * m / net.multiply_adds:.2f}%){largest}")
        head = (f"Bar chart of the multiply-adds of each of {len(net.layers)} layers, {net.multiply_adds:,} in all, "
                f"coloured by kind: " + "; ".join(kinds) + ".")
        bars = "; ".join(f"{layer.name} ({layer.kind}) {layer.multiply_adds:,}" for layer in net.layers)
        return f"{head}\nEvery bar, top to bottom: {bars}."


def plot_layer_costs(network: NetworkCount, ax: Axes | None = None, *, title: str | None = None) -> LayerCostChart:
    """Draw a counted network's multiply-adds, one bar per layer, coloured by kind (lesson 10).

    Parameters
    ----------
    network : NetworkCount
        From :func:`conv1x1.count_layers` or :func:`conv1x1.count_module`.
    ax : Axes, optional
        Where to draw; a new figure if None.
    title : str, optional
        Instead of the default title (the number of layers and the total).

    Raises
    ------
    TypeError
        ``network`` is not a NetworkCount, ``ax`` not an Axes, ``title`` not a string.

    Examples
    --------
    >>> from conv1x1 import count_layers, mobilenet_v1_layers
    >>> chart = plot_layer_costs(count_layers(mobilenet_v1_layers(), input_shape=(224, 224, 3)))
    >>> chart.describe().splitlines()[0][:72]
    'Bar chart of the multiply-adds of each of 28 layers, 568,740,352 in all,'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    return LayerCostChart(network, ax, title)
