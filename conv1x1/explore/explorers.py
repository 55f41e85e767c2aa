"""Interaction: explorers that wire the figures of :mod:`conv1x1.draw` to controls.

Each explorer is a subclass of :class:`conv1x1.engine.explorer.Explorer` that reads top to bottom:

* ``__init__`` checks its arguments, builds the **figure** once (a view of :mod:`conv1x1.draw`) and its
  **controls** (:mod:`conv1x1.engine.controls`: native, labelled range inputs and selects that screen
  readers announce by name and arrow keys move), and hands them to ``Explorer.__init__`` with the
  artists that change and the instructions;
* :meth:`~conv1x1.engine.explorer.Explorer.update` sets the view for the controls' values (the view's own
  ``update``): the state is the controls' values, nothing else;
* ``headline``, ``caption`` and ``describe`` put the state in words: a sentence over the figure (the
  formula shown), a caption drawn under it ("Showing: ..."), the figure's numbers for the alt text and
  the long description;
* and, where the explorer has them: ``settle`` (controls that follow another: a preset sets nine
  weights), ``pick`` and ``nudge`` (a click, an arrow key choose the pixel), ``sweep_to`` (the filter
  sweep), ``photo_boxes``, ``control_rows`` and ``slide_layout``.

On every move only the changed artists are redrawn over a saved background (blitting), and
:class:`conv1x1.engine.controls.FigureView` sends the browser only the parts of the frame that changed.
Errors inside callbacks are shown in the explorer itself, never lost. Displaying an explorer also leaves
a static picture (with its alt text and description) in the saved notebook, so readers without a
kernel still see it, with its caption.

A slider move passes: the control's ``value`` trait → the base class (:meth:`Explorer.settle`, then
:meth:`Explorer.update`) → the view's ``update`` (which asks the model, :class:`conv1x1.compute.model.Layer`,
for the pixel's numbers and sets its artists) → :meth:`Explorer.render` (blit) → ``FigureView.send_frame``
(the changed rectangles and the figure's words, in one message).

:data:`conv1x1.explore.registry.EXPLORERS` lists every explorer of the course, with a tour of its controls:
the tests, the latency benchmark and the accessibility checks all take the explorers from it. A new
explorer subclasses :class:`Explorer`, makes its controls with :func:`slider` and :func:`switch`, and is
added to the registry.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..compute.core import (
    COLOUR_MIXES,
    example_filters,
    example_volume,
    format_number,
    lecture_image,
)
from ..compute.validate import (
    as_real_array,
    check_bool,
    check_choice,
    check_int,
    check_real,
    pixel_pair,
)
from ..draw.costchart import plot_cost
from ..draw.diagram import plot_dot_product
from ..draw.grids import plot_grid, plot_pixel_product
from ..draw.style import CMAP_SIGNED, HIGHLIGHT, new_figure
from ..engine import controls as controls_
from ..engine.explorer import (
    Explorer,
    State,
    nudge_pixel,
    on_off,
    pixel_choice,
    slider,
    switch,
)
from ..engine.layouts import Arrangement

__all__ = ["ColourMixExplorer", "CostExplorer", "DotProductExplorer", "WeightExplorer"]


def diagram_sweep_steps(d) -> int:
    """How many steps the filter sweep of a dot-product diagram ``d`` takes: one a pixel on a grid of
    numbers; on a picture, one a shown row (a photo's 600 rows shown as 360: 360 steps, not 307,200)."""
    return d.height * d.width if d.small else len(d.output_view.rows.ravel())


def sweep_diagram(d, step: int) -> dict:
    """Show step ``step`` of the filter sweep of a dot-product diagram ``d``: the output computed up to that
    pixel (on a picture, to the end of that shown row), the rest empty. Returns the pixel reached, as the
    values of the explorer's "i" and "j" controls."""
    step = check_int(step, "step", minimum=0, maximum=diagram_sweep_steps(d) - 1)
    if d.small:
        (i, j), computed = divmod(step, d.width), step + 1
    else:
        cols = d.output_view.cols
        (i, j), computed = (int(d.output_view.rows.ravel()[step]), int(cols[-1])), (step + 1) * len(cols)
    d.update(pixel=(i, j), computed=computed)
    return {"i": i, "j": j}


# --------------------------------------------------------------------------
# Lesson 01
# --------------------------------------------------------------------------
class WeightExplorer(Explorer):
    """Lesson 01: a 1×1 filter on one channel is a multiplication by its weight.

    Sliders set the weight ``w`` and the pixel followed; a switch applies ReLU.
    The output grid (numbers and colours) updates live.

    Parameters
    ----------
    image : array_like (H, W), optional
        Single-channel image; default the lecture's 6×6 image.
    weight : float, default 2.0
        Initial weight, in -3..3 (the slider's range, steps of 0.5).
    relu : bool, default False
        Start with ReLU on.
    pixel : (int, int), default (0, 0)
        The cell the arithmetic is written out for.
    """

    LIMIT = 3.0

    def __init__(self, image: Any = None, weight: float = 2.0, relu: bool = False, pixel: tuple[int, int] = (0, 0)):
        image = as_real_array(lecture_image() if image is None else image, "image")
        if image.ndim != 2 or image.size == 0:
            raise ValueError(f"image must be a 2-D single-channel image (H, W); got shape {image.shape}")
        weight = check_real(weight, "weight", minimum=-self.LIMIT, maximum=self.LIMIT)
        relu = check_bool(relu, "relu")
        pixel = pixel_pair(pixel, image.shape)
        figure = new_figure((10, 4.2))
        # one colour scale for input and output, covering every weight the slider allows: fixed across moves
        top = self.LIMIT * float(np.max(np.abs(image))) or 1.0
        self.view = plot_pixel_product(image, weight, pixel, relu=relu, fig=figure, vmin=-top, vmax=top)
        height, width = image.shape
        controls = {
            "weight": slider(controls_.FloatSlider, "filter weight w", weight, -self.LIMIT, self.LIMIT, 0.5,
                              decimals=1),
            "relu": switch("apply ReLU", relu),
            "i": slider(controls_.IntSlider, "row i", pixel[0], 0, height - 1),
            "j": slider(controls_.IntSlider, "column j", pixel[1], 0, width - 1),
        }
        super().__init__(figure, self.view.animated_artists(), controls, sweep_steps=height * width,
                         instructions="Move the weight; switch ReLU on; click a cell (or use the sliders) to "
                                      "choose the pixel whose arithmetic is written out.")

    def update(self, state: State, changed: str | None) -> None:
        self.view.update(weight=state["weight"], relu=state["relu"], pixel=(state["i"], state["j"]))

    def headline(self, state: State) -> str:
        return f"One channel: output = {'ReLU(w × x)' if state['relu'] else 'w × x'} at every pixel."

    def caption(self, state: State) -> str:
        return (f"Showing: filter weight w = {format_number(state['weight'])}, ReLU {on_off(state['relu'])}, "
                f"pixel (i, j) = ({state['i']}, {state['j']})")

    def describe(self) -> str:
        return self.view.describe()

    def pick(self, x: float, y: float) -> dict | None:
        return pixel_choice(self.view.pixel_at(x, y))

    def nudge(self, state: State, key: str) -> dict | None:
        return nudge_pixel(self.controls, state, key)

    def sweep_to(self, step: int) -> dict:
        i, j = divmod(step, self.view.image.shape[1])
        state = self.state()
        self.view.update(weight=state["weight"], relu=state["relu"], pixel=(i, j), computed=step + 1)
        return {"i": i, "j": j}

    def slide_layout(self) -> Arrangement:
        # as it is, every text at least 10 pt: the slide draws it at 1.12× (15.5 px)
        return Arrangement((10, 4.2), {}, text=10)

    @property
    def output(self) -> np.ndarray:
        """The output grid currently shown."""
        return self.view.output()


# --------------------------------------------------------------------------
# Lesson 02
# --------------------------------------------------------------------------
class DotProductExplorer(Explorer):
    """Lesson 02: the per-pixel dot product, for any pixel and any filter.

    Sliders choose the pixel ``(i, j)`` and the filter ``f``; a switch turns
    the ReLU on and off. Every part of :class:`conv1x1.draw.diagram.DotProductDiagram`
    follows at once.

    Parameters
    ----------
    x : array_like (H, W, C), optional
        Input volume; default :func:`conv1x1.example_volume` (6×6×32).
    w : array_like (C,) or (C, F), optional
        Filter bank; default :func:`conv1x1.example_filters` with 4 filters.
    b : scalar or (F,), optional
        Biases (default 0).
    pixel : (int, int), default (0, 0)
    filter : int, default 0
    relu : bool, default True
    input_title : str, optional
        Title over the input.
    """

    def __init__(self, x: Any = None, w: Any = None, b: Any = None, *, pixel=(0, 0), filter: int = 0,
                 relu: bool = True, input_title: str | None = None):
        x = example_volume() if x is None else x
        if w is None:
            x = as_real_array(x, "x")
            if x.ndim != 3:
                raise ValueError(f"x must be one channels-last volume (H, W, C); got shape {x.shape}")
            w = example_filters(x.shape[-1], 4)
        relu = check_bool(relu, "relu")
        figure = new_figure((12, 8))
        self.diagram = d = plot_dot_product(x, w, b, pixel=pixel, filter=filter,
                                            activation="relu" if relu else None, fig=figure, input_title=input_title)
        controls = {
            "i": slider(controls_.IntSlider, "row i", d.pixel[0], 0, d.height - 1),
            "j": slider(controls_.IntSlider, "column j", d.pixel[1], 0, d.width - 1),
            "filter": slider(controls_.IntSlider, "filter f", d.filter, 0, d.n_filters - 1),
            "relu": switch("apply ReLU", relu),
        }
        changes = ("pixel", "filter", "activation") + (("bias",) if np.any(d.b) else ())
        super().__init__(figure, d.animated_artists(changes), controls, sweep_steps=diagram_sweep_steps(d),
                         instructions="Click a pixel of the input or the output (or use the sliders), choose a "
                                      "filter; every part of the diagram follows.")

    def update(self, state: State, changed: str | None) -> None:
        self.diagram.update(pixel=(state["i"], state["j"]), filter=state["filter"],
                            activation="relu" if state["relu"] else None)

    def headline(self, state: State) -> str:
        formula = "x[i, j, :] · w[:, f] + b[f]"
        if state["relu"]:
            formula = f"ReLU({formula})"
        return (f"Many channels: output[i, j, f] = {formula} (· is the dot product over the "
                f"{self.diagram.channels} channels), {self.diagram.n_filters} filters.")

    def caption(self, state: State) -> str:
        return (f"Showing: pixel (i, j) = ({state['i']}, {state['j']}), filter f = {state['filter']}, "
                f"ReLU {on_off(state['relu'])}")

    def describe(self) -> str:
        return self.diagram.describe()

    def pick(self, x: float, y: float) -> dict | None:
        return pixel_choice(self.diagram.pixel_at(x, y))

    def nudge(self, state: State, key: str) -> dict | None:
        return nudge_pixel(self.controls, state, key)

    def sweep_to(self, step: int) -> dict:
        return sweep_diagram(self.diagram, step)

    def slide_layout(self) -> Arrangement | None:
        return dot_product_slides(self.diagram) if _fits_dot_product_slide(self.diagram) else None


# --------------------------------------------------------------------------
# Lessons 03 and 04
# --------------------------------------------------------------------------
class CostExplorer(Explorer):
    """Lessons 03–04: what a k×k convolution costs, directly or through a 1×1 bottleneck.

    Sliders set the height H and width W, the channels in and out, the kernel
    size k and the bottleneck width B. The boxes (to scale), the exact
    multiplication and weight counts and the bars of
    :class:`conv1x1.draw.costchart.CostChart` follow at once; the bars' axes are
    fixed, so a move never rescales them.

    Parameters
    ----------
    height, width : int, default 28
        Spatial size (1..64 on the sliders).
    in_channels : int, default 192
        C_in (1..512).
    out_channels : int, default 32
        C_out (1..512).
    kernel_size : int, default 5
        k, odd (1, 3, 5 or 7).
    bottleneck : int, default 16
        B, the channels after the 1×1 convolution (1..256).
    """

    #: control name -> (label, minimum, maximum, step)
    RANGES = {
        "height": ("height H", 1, 64, 1),
        "width": ("width W", 1, 64, 1),
        "in_channels": ("channels in C_in", 1, 512, 1),
        "out_channels": ("channels out C_out", 1, 512, 1),
        "kernel_size": ("kernel k (k×k)", 1, 7, 2),
        "bottleneck": ("bottleneck B", 1, 256, 1),
    }
    #: control name -> the symbol the caption uses for it
    SYMBOLS = {"height": "H", "width": "W", "in_channels": "C_in", "out_channels": "C_out", "kernel_size": "k",
               "bottleneck": "B"}

    def __init__(self, height: int = 28, width: int = 28, in_channels: int = 192, out_channels: int = 32,
                 kernel_size: int = 5, bottleneck: int = 16):
        values = dict(height=height, width=width, in_channels=in_channels, out_channels=out_channels,
                      kernel_size=kernel_size, bottleneck=bottleneck)
        for name, value in values.items():
            label, lo, hi, step = self.RANGES[name]
            value = check_int(value, name, minimum=lo)
            if value > hi or (value - lo) % step:
                allowed = "an odd integer" if step == 2 else "an integer"
                raise ValueError(f"{name} must be {allowed} in {lo}..{hi} (the slider's range); got {value}")
        figure = new_figure((11, 6.2))
        self.chart = plot_cost(**values, fig=figure)
        controls = {name: slider(controls_.IntSlider, label, values[name], lo, hi, step)
                    for name, (label, lo, hi, step) in self.RANGES.items()}
        super().__init__(figure, self.chart.animated_artists(), controls,
                         instructions="Move the sizes; the boxes, the counts and the bars follow.")

    def update(self, state: State, changed: str | None) -> None:
        self.chart.update(**state)

    def headline(self, state: State) -> str:
        return "Cost calculator: a k×k convolution, direct or after a 1×1 bottleneck."

    def caption(self, state: State) -> str:
        return "Showing: " + ", ".join(f"{self.SYMBOLS[name]} = {value}" for name, value in state.items())

    def describe(self) -> str:
        return self.chart.describe()

    def slide_layout(self) -> Arrangement:
        return cost_slides(self.chart)

    @property
    def cost(self):
        """The :class:`conv1x1.BottleneckCost` currently shown."""
        return self.chart.cost


# --------------------------------------------------------------------------
# Lesson 07
# --------------------------------------------------------------------------
#: Names of the three colour channels, in the order of the channel axis.
RGB_NAMES = ("R", "G", "B")


class ColourMixExplorer(Explorer):
    """Lesson 07: colour mixing on a real photo is a 1×1 convolution with a 3×3 filter bank.

    Nine sliders set the mixing matrix: ``w[R→G]`` is ``w[c=0, f=1]``, how
    much input red adds to output green (column f of ``w`` is the filter that
    makes output channel f). A drop-down sets all nine at once to a named
    preset (:data:`conv1x1.compute.core.COLOUR_MIXES`), drawn in a single frame.
    Sliders choose the pixel ``(i, j)`` and the output channel ``f`` the
    per-pixel diagram (lesson 02's) follows. The figure also shows the matrix
    with its numbers and the pixel's colour before and after.

    The output is the convolution of the full-size photo; the pictures are
    shown at the size they take on screen. There is no ReLU; outputs outside
    0..1 are clipped for display only.

    Parameters
    ----------
    preset : str, default "sepia"
        A name in :data:`conv1x1.compute.core.COLOUR_MIXES`; ignored when ``w`` is given.
    w : array_like (3, 3), optional
        The mixing matrix ``(C, F)``, entries in -1..1 (the sliders' range),
        rounded to 3 decimals (as the sliders show them).
    image : array_like (H, W, 3), optional
        RGB values in 0..1; default the full-size photo from
        :func:`conv1x1.compute.data.load_photo` (600×512×3).
    pixel : (int, int), default (339, 90)
        The pixel followed (default: on a red stripe of the flag).
    filter : int, default 0
        The output channel f the diagram follows.
    """

    CUSTOM = "custom"
    LIMIT = 1.0
    #: control names of the weights, [c][f]: WEIGHT_NAMES[0][1] == "w[R→G]"
    WEIGHT_NAMES = tuple(tuple(f"w[{c}→{f}]" for f in RGB_NAMES) for c in RGB_NAMES)
    #: control name of each weight -> its (c, f) in the matrix
    WEIGHT_INDEX = {name: (c, f) for c, row in enumerate(WEIGHT_NAMES) for f, name in enumerate(row)}

    def __init__(self, preset: str | None = "sepia", *, w: Any = None, image: Any = None,
                 pixel: tuple[int, int] = (339, 90), filter: int = 0):
        if w is None:
            w = COLOUR_MIXES[check_choice(preset, "preset", list(COLOUR_MIXES))]
        w = np.round(as_real_array(w, "w", dtype=np.float64), 3)    # as the sliders show them
        if w.shape != (3, 3):
            raise ValueError(f"w must be a 3×3 mixing matrix (C, F) = (3, 3); got shape {w.shape}")
        if not np.all(np.abs(w) <= self.LIMIT):
            c, f = (int(k) for k in np.argwhere(~(np.abs(w) <= self.LIMIT))[0])
            raise ValueError(f"w's entries must be in -{self.LIMIT:g}..{self.LIMIT:g} (the sliders' range); "
                             f"got w[{c}, {f}] = {w[c, f]}")
        if image is None:
            from ..compute.data import load_photo

            image = load_photo()
        image = as_real_array(image, "image")
        if image.ndim != 3 or image.shape[2] != 3 or image.size == 0:
            raise ValueError(f"image must be an RGB picture (H, W, 3); got shape {image.shape}")
        figure = new_figure((12, 8))
        # scales that cover every slider position, so colours and bars stay comparable across moves
        top = self.LIMIT * max(float(np.max(np.abs(image))), 1e-12)
        self.diagram = d = plot_dot_product(
            image, w, pixel=pixel, filter=filter, activation=None, fig=figure,
            input_title=f"input photo x: {image.shape[0]}×{image.shape[1]}×3",
            digits=3,                                # the weights read as in the matrix: 0.393, not 0.39
            weight_range=self.LIMIT, product_range=top,
            channel_labels=[f"{c} ({name})" for c, name in enumerate(RGB_NAMES)])
        self.matrix, self.matrix_column, self.swatches = _matrix_and_swatches(figure, d.w, self.LIMIT)
        self._follow_diagram()

        controls: dict[str, widgets.Widget] = {
            "preset": controls_.Dropdown(options=[*COLOUR_MIXES, self.CUSTOM], value=_preset_of(w, self.CUSTOM),
                                         description="preset", tooltip="preset mixing matrix"),
        }
        for name, (c, f) in self.WEIGHT_INDEX.items():
            # arrow keys move by 0.01 (200 presses end to end); a preset's 3 decimals are kept exactly
            controls[name] = slider(controls_.FloatSlider, name, float(w[c, f]), -self.LIMIT, self.LIMIT, 0.01,
                                     decimals=3, tooltip=f"weight w[c={c}, f={f}]: how much input {RGB_NAMES[c]} "
                                                         f"adds to output {RGB_NAMES[f]}")
        # a photo's 600 rows: steps of 3 pixels, so that the keyboard crosses it in 200 presses
        controls["i"] = slider(controls_.IntSlider, "pixel row i", d.pixel[0], 0, d.height - 1,
                                max(1, -(-(d.height - 1) // 200)))
        controls["j"] = slider(controls_.IntSlider, "pixel column j", d.pixel[1], 0, d.width - 1,
                                max(1, -(-(d.width - 1) // 200)))
        controls["filter"] = slider(controls_.IntSlider, "output channel f", d.filter, 0, 2)
        animated = [*d.animated_artists(("pixel", "filter", "weights")), *self.matrix.artists(),
                    self.matrix_column, *self.swatches]
        super().__init__(figure, animated, controls, sweep_steps=diagram_sweep_steps(d),
                         instructions="Choose a preset, or move the nine weights: w[R→G] is how much input red "
                                      "adds to output green. Click the photo (or use the sliders) to choose the "
                                      "pixel, and choose the output channel f the diagram follows.")

    def settle(self, state: State, changed: str | None) -> dict[str, Any]:
        """A preset sets the nine weights; a weight moved names the preset whose matrix the weights now are,
        or "custom"."""
        if changed == "preset" and state["preset"] != self.CUSTOM:
            w = COLOUR_MIXES[state["preset"]]
            return {**state, **{name: float(w[cf]) for name, cf in self.WEIGHT_INDEX.items()}}
        if changed in self.WEIGHT_INDEX:
            return {**state, "preset": _preset_of(self._matrix_of(state), self.CUSTOM)}
        return dict(state)

    def update(self, state: State, changed: str | None) -> None:
        self.diagram.update(w=self._matrix_of(state), pixel=(state["i"], state["j"]), filter=state["filter"])
        self._follow_diagram()

    def _matrix_of(self, state: State) -> np.ndarray:
        """The mixing matrix (C, F) the weights of ``state`` make, rounded as the sliders show them."""
        return np.round([[state[name] for name in row] for row in self.WEIGHT_NAMES], 3)

    def headline(self, state: State) -> str:
        return ("Colour mixing is a 1×1 convolution: output[i, j, f] = x[i, j, :] · w[:, f] at every pixel of "
                "the photo, with one 3×3 matrix w.")

    def caption(self, state: State) -> str:
        weights = "custom weights (the matrix w)" if state["preset"] == self.CUSTOM else f"preset {state['preset']}"
        f = state["filter"]
        return (f"Showing: {weights}, pixel (i, j) = ({state['i']}, {state['j']}), output channel f = {f} "
                f"({RGB_NAMES[f]})")

    def describe(self) -> str:
        return self.diagram.describe() + "\n" + self.matrix.describe("the mixing matrix w (C×F)")

    def control_rows(self) -> list[widgets.Widget]:
        # the weights as the matrix they form: row c (input), column f (output)
        c = self.controls
        return [widgets.HBox([c[n] for n in ("preset", "i", "j", "filter")],
                             layout=widgets.Layout(flex_flow="row wrap")),
                widgets.HTML("weights w[c→f]: row = input channel c, column = output channel f"),
                widgets.GridBox([c[n] for n in self.WEIGHT_INDEX],
                                layout=widgets.Layout(grid_template_columns="repeat(3, 270px)"))]

    def pick(self, x: float, y: float) -> dict | None:
        return pixel_choice(self.diagram.pixel_at(x, y))

    def nudge(self, state: State, key: str) -> dict | None:
        return nudge_pixel(self.controls, state, key)

    def sweep_to(self, step: int) -> dict:
        moved = sweep_diagram(self.diagram, step)
        self._follow_diagram()
        return moved

    def photo_boxes(self) -> list:
        return self.diagram.photo_boxes()

    def slide_layout(self) -> Arrangement:
        return colour_mix_slides(self.diagram, self.matrix.ax, self.swatches[0].axes)

    def _follow_diagram(self) -> None:
        """The matrix, its column f outlined and the pixel's two colours, as the diagram now shows them."""
        d = self.diagram
        (i, j), f = d.pixel, d.filter
        self.matrix.set_values(d.w)
        self.matrix_column.set_x(f - 0.5)
        self.swatches[0].set_facecolor(np.clip(d.x[i, j], 0, 1))
        self.swatches[1].set_facecolor(np.clip(d.pixel_output(), 0, 1))

    @property
    def w(self) -> np.ndarray:
        """The mixing matrix (C, F) currently applied (a copy)."""
        return self.diagram.w.copy()

    @property
    def output(self) -> np.ndarray:
        """The whole (H, W, 3) output at full resolution, before clipping."""
        return self.diagram.output


def _preset_of(w: np.ndarray, custom: str) -> str:
    """The name of the preset whose matrix is ``w``, or ``custom``."""
    return next((name for name, bank in COLOUR_MIXES.items() if np.array_equal(bank, w)), custom)


def _matrix_and_swatches(fig: Figure, w: np.ndarray, limit: float):
    """The mixing matrix as a grid of numbers with column f outlined, and the pixel's two colour swatches."""
    fw, fh = fig.get_size_inches()
    ax = fig.add_axes((0.95 / fw, 0.75 / fh, 1.9 / fw, 1.9 / fh))
    matrix = plot_grid(w, ax=ax, vmin=-limit, vmax=limit, cmap=CMAP_SIGNED, digits=3, fontsize=9)
    ax.set_xticks([0, 1, 2], [f"{f} ({n})" for f, n in enumerate(RGB_NAMES)])
    ax.set_yticks([0, 1, 2], [f"{c} ({n})" for c, n in enumerate(RGB_NAMES)])
    ax.set_xlabel("output channel f", fontsize=9)
    ax.set_ylabel("input channel c", fontsize=9)
    ax.set_title("the mixing matrix w (C×F);\ncolumn f is the filter for output f", fontsize=10)
    column = ax.add_patch(Rectangle((-0.5, -0.5), 1, 3, fill=False, edgecolor=HIGHLIGHT, linewidth=3, zorder=5))
    ax = fig.add_axes((9.9 / fw, 0.75 / fh, 1.8 / fw, 1.9 / fh))
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 1.15)
    ax.set_axis_off()
    ax.set_title("the pixel's colour", fontsize=10)
    swatches = []
    for k, label in enumerate(("input\nx[i, j, :]", "output\n(clipped)")):
        swatches.append(ax.add_patch(Rectangle((0.1 + k, 0.3), 0.8, 0.8, edgecolor="#333333", linewidth=0.8)))
        ax.text(0.5 + k, 0.25, label, ha="center", va="top", fontsize=9)
    return matrix, column, swatches


# --------------------------------------------------------------------------
# On slides (Explorer.arrange): the same figures, laid out for 1280×720 with no text under the body text
# --------------------------------------------------------------------------
#: The width of an explorer's figure on a slide, in inches (1,110 px at 100 dpi: a 1280×720 slide's
#: cell, its margins taken off).
SLIDE_WIDTH = 11.1


def _strip_rows(d, left: float, width: float, bottom: float, row: float, gap: float) -> dict:
    """The strips of a dot-product diagram stacked half over half (channels 0–15 over 16–31): their
    boxes, the bottom half lowest. ``gap`` leaves room for the lower half's label, "c = 16–31"."""
    boxes, halves = {}, d.strips.halves()
    spans = len(d.strips.spans)
    for p in range(spans):
        base = bottom + (spans - 1 - p) * (3 * row + gap)
        for k, grids in enumerate(halves):
            boxes[grids[p].ax] = (left, base + (2 - k) * row, width, row)
    return boxes


def _fits_dot_product_slide(d) -> bool:
    """Whether :func:`dot_product_slides` was sized for this diagram: a 6×6 grid of numbers with up to 32
    channels (a larger volume keeps its notebook figure on a slide, rather than a slide with numbers
    shrunk below the body text)."""
    return d.small and d.height <= 6 and d.width <= 6 and d.channels <= 32


def dot_product_slides(d) -> Arrangement:
    """Lesson 02's diagram on a slide (11.1 × 5.05 inches under its controls): the input volume and the
    sum above the strips, whose halves (channels 0–15, 16–31) are stacked so that every number has
    room at 11 pt; the output grid on the right. The bars (they repeat the products) and the output
    stack are left out. Sized for the lesson's volumes (6×6, up to 32 channels: see
    :func:`_fits_dot_product_slide`)."""
    axes = {d.input.ax: (0.2, 2.45, 2.6, 2.3), d.equation.ax: (3.0, 2.45, 4.2, 2.3),
            d.output_view.ax: (7.7, 0.55, 2.9, 2.9), d.bars.ax: None, d.stack.ax: None}   # "−24.7" fits at 11 pt
    axes.update(_strip_rows(d, left=1.15, width=6.4, bottom=0.1, row=0.25, gap=0.3))
    note = d.input.parts.get("note")      # "depth not to scale: 32 channels ...": wider than the volume at 11 pt
    return Arrangement((SLIDE_WIDTH, 5.05), axes, reveal=d.strips.slide_only, hide=[note] if note else [])


def colour_mix_slides(d, matrix_ax, swatches_ax) -> Arrangement:
    """Lesson 07's figure on a slide (11.1 × 4.25 inches under its nine weight sliders): the two photos,
    the sum between them, the strips under it and the pixel's colours. The matrix (the sliders show
    it), the bars and the output stack are left out."""
    axes = {d.input.ax: (0.2, 1.45, 2.6, 2.4), d.equation.ax: (2.95, 1.45, 2.6, 2.4),
            d.output_view.ax: (5.7, 1.45, 2.6, 2.4), swatches_ax: (8.6, 1.45, 2.3, 1.9),
            matrix_ax: None, d.bars.ax: None, d.stack.ax: None}
    axes.update(_strip_rows(d, left=1.3, width=4.2, bottom=0.1, row=0.27, gap=0.3))
    return Arrangement((SLIDE_WIDTH, 4.25), axes, reveal=d.strips.slide_only)


def cost_slides(chart) -> Arrangement:
    """Lesson 04's calculator on a slide. Under six sliders the slide holds 565 px of height, so the
    figure is drawn at 0.87 of its size: its text is 12 pt (the slide's 14 px body text there), and it
    is 12.6 inches wide, the width the slide gives at that scale, so that the counts beside the bars
    keep their room at 12 pt. The boxes keep their inches (they are drawn to scale in them)."""
    return Arrangement((12.6, 6.2), {chart.ax_boxes: (0.2, 3.2, 10.6, 2.45), chart.ax_mult: (1.55, 1.95, 4.6, 0.85),
                                     chart.ax_weights: (1.55, 0.5, 4.6, 0.85)}, text=12)
