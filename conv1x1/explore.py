"""Interaction: explorers that wire the figures of :mod:`conv1x1.draw` to sliders.

Every explorer follows the same pattern (see :class:`Explorer`):

* the figure is built **once**; the artists that change are kept and
  updated in place (``set_data``, ``set_text``, ...), never redrawn from
  nothing;
* on a slider move only those artists are redrawn over a saved background
  (blitting) and the frame is PNG-encoded into a
  :class:`conv1x1.controls.FigureView` (an ``<img>`` with alt text);
* sliders are :mod:`conv1x1.controls` sliders: native, labelled range inputs
  that screen readers announce by name and arrow keys move;
* errors inside callbacks are shown in the explorer itself, never lost;
* displaying an explorer also leaves a static PNG of its figure in the saved
  notebook, so readers without a kernel (GitHub, nbviewer, an untrusted
  notebook) still see it; a caption line drawn under every figure
  ("Showing: filter weight w = 2, ReLU off, pixel (i, j) = (0, 0)") says
  which state that picture shows;
* the description over the figure (and the image's alt text) states the
  formula actually shown: ``ReLU(...)`` only while ReLU is on.
"""

from __future__ import annotations

import base64
import html
import struct
import traceback
import zlib
from typing import Any

import ipywidgets as widgets
import numpy as np

from . import controls as controls_
from . import draw
from .core import as_real_array, example_filters, example_volume, lecture_image

__all__ = [
    "ColourMixExplorer",
    "CostExplorer",
    "DotProductExplorer",
    "Explorer",
    "WeightExplorer",
    "encode_png",
]


def encode_png(rgba: np.ndarray, level: int = 1) -> bytes:
    """Encode an ``(H, W, 4)`` uint8 RGBA frame as an RGB PNG, fast.

    Rows are stored unfiltered and compressed with zlib at ``level`` 1: about
    2.5× faster than Pillow's default encoder for a figure, at the same size
    (figures are mostly flat colour, which compresses well without filters).
    """
    rgba = np.asarray(rgba)
    if rgba.ndim != 3 or rgba.shape[2] not in (3, 4) or rgba.dtype != np.uint8:
        raise ValueError(f"rgba must be a uint8 array (H, W, 3 or 4); got {rgba.dtype} array of shape {rgba.shape}")
    height, width = rgba.shape[:2]
    rows = np.empty((height, 1 + 3 * width), dtype=np.uint8)
    rows[:, 0] = 0                                           # filter type 0: none
    rows[:, 1:].reshape(height, width, 3)[:] = rgba[:, :, :3]
    data = zlib.compress(rows, level)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


class Explorer:
    """A figure built once, its controls, and the rendered frame.

    Subclasses build ``self.figure`` and the controls, then call
    :meth:`_start` with the artists that :meth:`_apply` changes. Moving a
    control calls :meth:`_apply` (which updates artists in place) and
    :meth:`render` (which redraws only those artists and encodes the frame).

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        The explorer's figure (not registered with pyplot).
    controls : dict of str to ipywidgets.Widget
        The controls, by name; setting ``controls[name].value`` updates the
        figure exactly as moving it in the browser does.
    image : conv1x1.controls.FigureView
        The rendered figure (``image.value`` is the PNG, ``image.alt`` its alt text).
    status : ipywidgets.HTML
        Empty, or the error raised by the last update.
    widget : ipywidgets.VBox
        Controls, image and status, as displayed.
    last_error : Exception or None
        The error raised by the last update, if any.
    """

    #: Shown above the figure: what to do with the controls.
    instructions = ""

    def _start(self, controls: dict[str, widgets.Widget], animated: list, *, description: str) -> None:
        self.controls = controls
        self.last_error: Exception | None = None
        self._description = description
        self.description = self.current_description()
        self._caption = _add_caption(self.figure)
        # blitting draws the animated artists after the static ones, one by one: draw them in the order a
        # full draw of the figure would, so that what is in front in the static figure stays in front
        self._animated = _in_draw_order(self.figure, [*animated, self._caption])
        for artist in self._animated:
            artist.set_animated(True)
        self._background = None
        width, _ = self.figure.canvas.get_width_height()
        self.image = controls_.FigureView(width=width)
        self.status = widgets.HTML(value="")
        self._header = widgets.HTML(self._header_html())
        boxes = widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([self._header, boxes, self.image, self.status])
        self.widget.add_class("conv1x1-explorer")
        for control in controls.values():
            control.observe(self._on_change, names="value")
        self.render(full=True)

    def _header_html(self) -> str:
        return (f"<b>{html.escape(self.description)}</b>"
                + (f" {html.escape(self.instructions)}" if self.instructions else ""))

    def current_description(self) -> str:
        """What the explorer shows, as one sentence that follows the state (the formula shown, say).

        Subclasses whose formula changes with a control (ReLU on or off) override this; by default it is
        the description given to :meth:`_start`.
        """
        return self._description

    def caption(self) -> str:
        """The controls' values in words, drawn under the figure ("Showing: ...").

        A saved notebook keeps the last frame as a static picture: this line says which state it shows.
        Subclasses word it for their controls; by default it is ``label = value`` for every control.
        """
        return "Showing: " + ", ".join(f"{control.description} = {_short(control.value)}"
                                       for control in self.controls.values())

    # -- callbacks ---------------------------------------------------------
    def _on_change(self, change: dict) -> None:
        """Apply a control's new value; any error is shown, never lost."""
        try:
            self._apply(change["owner"], change["new"])
            self.render()
        except Exception as err:  # shown to the learner in the explorer
            self.last_error = err
            self.status.value = (
                "<div role='alert' style='color:#a00000; white-space:pre-wrap'>"
                f"<b>⚠ {html.escape(type(err).__name__)}:</b> {html.escape(str(err))}"
                "<details><summary>traceback</summary><pre>"
                f"{html.escape(traceback.format_exc())}</pre></details></div>"
            )
        else:
            if self.last_error is not None:
                self.last_error = None
                self.status.value = ""

    def _apply(self, control: widgets.Widget, value: Any) -> None:
        raise NotImplementedError

    def state(self) -> dict[str, Any]:
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    # -- drawing -----------------------------------------------------------
    def render(self, full: bool = False) -> bytes:
        """Redraw the changed artists over the saved background and encode the frame.

        ``full=True`` redraws everything (and saves a new background).
        Returns the PNG bytes, which are also put into :attr:`image`.
        """
        description = self.current_description()
        if description != self.description:          # the formula shown changed (ReLU switched, say)
            self.description = description
            self._header.value = self._header_html()
        self._caption.set_text(self.caption())
        canvas = self.figure.canvas
        if full or self._background is None:
            canvas.draw()                   # static artists only: animated ones are skipped
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._animated:
            self.figure.draw_artist(artist)
        png = encode_png(np.asarray(canvas.buffer_rgba()))
        with self.image.hold_sync():          # one message: the picture and what it shows, in words
            self.image.value = png
            self.image.alt = self.alt_text()
        return png

    def alt_text(self) -> str:
        """What the figure shows now, in words, for screen readers (the image's alt text)."""
        values = ", ".join(f"{control.description} = {_short(control.value)}" for control in self.controls.values())
        return f"{self.description} Showing {values}."

    # -- display -----------------------------------------------------------
    def __repr__(self) -> str:
        values = ", ".join(f"{name}={_short(value)}" for name, value in self.state().items())
        return f"{type(self).__name__}({values})"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """The live widget, plus a static PNG for readers without a kernel."""
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/plain"] = f"{self!r}: {self.description}"
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        return bundle


def _short(value: Any) -> str:
    if isinstance(value, float):
        return draw.format_number(value, 3).replace(draw.MINUS, "-")
    return repr(value)


#: Height of the caption strip added under every explorer's figure, in pixels at the figure's dpi.
CAPTION_PIXELS = 30
CAPTION_FONTSIZE = 10.5


def _add_caption(figure) -> draw.FastText:
    """Grow ``figure`` by a strip at the bottom and put an empty caption line in it.

    Everything already drawn keeps its place on screen: axes, and figure-level texts placed in figure
    fractions, are moved up by the strip, so the figure above the strip is unchanged to the pixel.
    """
    from matplotlib.lines import Line2D

    dpi = figure.dpi
    width, height = figure.get_size_inches()
    extra = CAPTION_PIXELS / dpi
    figure.set_size_inches(width, height + extra)
    total = height + extra

    def lift(y: float) -> float:                      # a figure fraction, kept at its place from the top
        return (y * height + extra) / total

    for ax in figure.axes:
        box = ax.get_position(original=True)
        ax.set_position((box.x0, lift(box.y0), box.width, box.height * height / total))
    for artist in [*figure.texts, *figure.artists]:
        if artist.get_transform() in (figure.transFigure, figure.transSubfigure) and hasattr(artist, "get_position"):
            x, y = artist.get_position()
            artist.set_position((x, lift(y)))
    # a thin rule between the figure and its caption (static: drawn once, in the background)
    rule = extra - 3 / dpi                           # inside the strip: the figure above is untouched
    figure.add_artist(Line2D([0.1, width - 0.1], [rule, rule], transform=figure.dpi_scale_trans,
                             color="#cccccc", linewidth=0.8))
    caption = draw.FastText(0.15, extra / 2, "", ha="left", va="center", fontsize=CAPTION_FONTSIZE,
                            color="#222222", transform=figure.dpi_scale_trans, segments=", ")
    figure.add_artist(caption)
    return caption


def _in_draw_order(figure, artists: list) -> list:
    """``artists`` sorted in the order :meth:`Figure.draw` draws them.

    A figure draws its children sorted by zorder (stable: ties keep the order they were added in), and
    each Axes does the same with its own children. Blitting draws artists one by one, so it must follow
    the same order, or an artist behind another in the full figure ends up in front of it (the output
    stack of lesson 02 did that). Artists not found in the figure's tree keep their order, at the end.
    """
    from matplotlib.axes import Axes

    rank: dict[int, int] = {}

    def visit(children) -> None:
        for child in sorted(children, key=lambda a: a.get_zorder()):
            rank[id(child)] = len(rank)
            if isinstance(child, Axes):
                visit([a for a in child.get_children() if a is not child.patch])

    visit([a for a in figure.get_children() if a is not figure.patch])
    last = len(rank)
    return sorted(artists, key=lambda a: rank.get(id(a), last))


def _slider(kind: type, description: str, value, minimum, maximum, step=1, *,
            readout_format: str | None = None) -> widgets.Widget:
    """A labelled slider (:mod:`conv1x1.controls`): screen readers say what it sets, arrow keys move it.

    ``kind`` is :class:`conv1x1.controls.IntSlider` or ``FloatSlider``; ``readout_format`` like
    ``".1f"`` sets the decimals a float slider shows and announces (default 2).
    """
    decimals = 0 if kind is controls_.IntSlider else int(readout_format.strip(".f")) if readout_format else 2
    return kind(value=value, min=minimum, max=maximum, step=step, description=description,
                tooltip=description, decimals=decimals)


def _switch(description: str, value: bool) -> widgets.Checkbox:
    return widgets.Checkbox(value=value, description=description, indent=False,
                            layout=widgets.Layout(width="auto"), tooltip=description)


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
        Initial weight (the slider covers -3..3 in steps of 0.5).
    relu : bool, default False
        Start with ReLU on.
    pixel : (int, int), default (0, 0)
        The cell the arithmetic is written out for.
    """

    instructions = "Move the weight; switch ReLU on; choose the pixel whose arithmetic is written out."

    def __init__(self, image: Any = None, weight: float = 2.0, relu: bool = False, pixel: tuple[int, int] = (0, 0)):
        image = lecture_image() if image is None else image
        image = as_real_array(image, "image")
        if image.ndim != 2:
            raise ValueError(f"image must be a 2-D single-channel image (H, W); got shape {image.shape}")
        self.figure = draw.new_figure((10, 4.2))
        limit = 3.0
        # one colour scale for input and output, covering every weight the slider allows: fixed across moves
        top = limit * float(np.max(np.abs(image))) or 1.0
        self.view = draw.plot_pixel_product(image, weight, pixel, relu=relu, fig=self.figure, vmin=-top, vmax=top)
        height, width = image.shape
        controls = {
            "weight": _slider(controls_.FloatSlider, "filter weight w", float(weight), -limit, limit, 0.5,
                              readout_format=".1f"),
            "relu": _switch("apply ReLU", bool(relu)),
            "i": _slider(controls_.IntSlider, "row i", int(pixel[0]), 0, height - 1),
            "j": _slider(controls_.IntSlider, "column j", int(pixel[1]), 0, width - 1),
        }
        self._start(controls, self.view.animated_artists(), description="")

    def current_description(self) -> str:
        formula = "ReLU(w × x)" if self.controls["relu"].value else "w × x"
        return f"One channel: output = {formula} at every pixel."

    def caption(self) -> str:
        c = self.controls
        return (f"Showing: filter weight w = {draw.format_number(c['weight'].value)}, "
                f"ReLU {'on' if c['relu'].value else 'off'}, pixel (i, j) = ({c['i'].value}, {c['j'].value})")

    def _apply(self, control, value) -> None:
        c = self.controls
        self.view.update(weight=c["weight"].value, relu=c["relu"].value, pixel=(c["i"].value, c["j"].value))

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
    the ReLU on and off. Every part of :class:`conv1x1.draw.DotProductDiagram`
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
    """

    instructions = "Choose a pixel and a filter; every part of the diagram follows."

    def __init__(self, x: Any = None, w: Any = None, b: Any = None, *, pixel=(0, 0), filter: int = 0,
                 relu: bool = True, input_title: str | None = None):
        x = example_volume() if x is None else x
        w = example_filters(np.shape(x)[-1], 4) if w is None else w
        self.figure = draw.new_figure((12, 8))
        self.diagram = draw.plot_dot_product(x, w, b, pixel=pixel, filter=filter,
                                             activation="relu" if relu else None, fig=self.figure,
                                             input_title=input_title)
        d = self.diagram
        controls = {
            "i": _slider(controls_.IntSlider, "row i", d.pixel[0], 0, d.height - 1),
            "j": _slider(controls_.IntSlider, "column j", d.pixel[1], 0, d.width - 1),
            "filter": _slider(controls_.IntSlider, "filter f", d.filter, 0, d.n_filters - 1),
            "relu": _switch("apply ReLU", relu),
        }
        self._start(controls, d.animated_artists(), description="")

    def current_description(self) -> str:
        d = self.diagram
        formula = "x[i, j, :] · w[:, f] + b[f]"
        if self.controls["relu"].value:
            formula = f"ReLU({formula})"
        return (f"Many channels: output[i, j, f] = {formula} (· is the dot product over the {d.channels} "
                f"channels), {d.n_filters} filters.")

    def caption(self) -> str:
        c = self.controls
        return (f"Showing: pixel (i, j) = ({c['i'].value}, {c['j'].value}), filter f = {c['filter'].value}, "
                f"ReLU {'on' if c['relu'].value else 'off'}")

    def _apply(self, control, value) -> None:
        c = self.controls
        self.diagram.update(pixel=(c["i"].value, c["j"].value), filter=c["filter"].value,
                            activation="relu" if c["relu"].value else None)


# --------------------------------------------------------------------------
# Lesson 03
# --------------------------------------------------------------------------
from .validate import check_int  # noqa: E402  (kept with the lesson that uses it)


class CostExplorer(Explorer):
    """Lesson 03: what a k×k convolution costs, directly or through a 1×1 bottleneck.

    Sliders set the height H and width W, the channels in and out, the kernel
    size k and the bottleneck width B. The boxes (to scale), the exact
    multiplication and weight counts and the bar charts of
    :class:`conv1x1.draw.CostChart` follow at once. The bar charts have fixed
    logarithmic axes covering every slider position, so a move never
    rescales an axis.

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

    instructions = "Move the sizes; the boxes, the counts and the bars follow."

    #: control name -> (label, minimum, maximum, step)
    RANGES = {
        "height": ("height H", 1, 64, 1),
        "width": ("width W", 1, 64, 1),
        "in_channels": ("channels in C_in", 1, 512, 1),
        "out_channels": ("channels out C_out", 1, 512, 1),
        "kernel_size": ("kernel k (k×k)", 1, 7, 2),
        "bottleneck": ("bottleneck B", 1, 256, 1),
    }

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
        self.figure = draw.new_figure((11, 6.2))
        self.chart = draw.plot_cost(**values, fig=self.figure)
        controls = {name: _slider(controls_.IntSlider, label, values[name], lo, hi, step)
                    for name, (label, lo, hi, step) in self.RANGES.items()}
        self._start(controls, self.chart.animated_artists(),
                    description="Cost calculator: a k×k convolution, direct or after a 1×1 bottleneck.")

    def _apply(self, control, value) -> None:
        self.chart.update(**{name: c.value for name, c in self.controls.items()})

    #: control name -> the symbol the caption uses for it
    SYMBOLS = {"height": "H", "width": "W", "in_channels": "C_in", "out_channels": "C_out", "kernel_size": "k",
               "bottleneck": "B"}

    def caption(self) -> str:
        return "Showing: " + ", ".join(f"{self.SYMBOLS[name]} = {c.value}" for name, c in self.controls.items())

    @property
    def cost(self):
        """The :class:`conv1x1.BottleneckCost` currently shown."""
        return self.chart.cost


# --------------------------------------------------------------------------
# Lesson 05
# --------------------------------------------------------------------------
import matplotlib.colors  # noqa: E402  (kept with the lesson that uses them)
from matplotlib.patches import Rectangle  # noqa: E402

from .core import COLOUR_MIXES  # noqa: E402

#: Names of the three colour channels, in the order of the channel axis.
RGB_NAMES = ("R", "G", "B")


class ColourMixExplorer(Explorer):
    """Lesson 05: colour mixing on a real photo is a 1×1 convolution with a 3×3 filter bank.

    Nine sliders set the mixing matrix: ``w[R→G]`` is ``w[c=0, f=1]``, how
    much input red adds to output green (column f of ``w`` is the filter that
    makes output channel f). A drop-down sets all nine at once to a named
    preset (:data:`conv1x1.core.COLOUR_MIXES`), drawn in a single frame.
    Sliders choose the pixel ``(i, j)`` and the output channel ``f`` the
    per-pixel diagram (:class:`conv1x1.draw.DotProductDiagram`, lesson 02's)
    follows. The figure also shows the matrix with its numbers and the
    pixel's colour before and after.

    The convolution is computed on the whole full-size photo at every move;
    the pictures are shown at the size they take on screen. There is no
    ReLU; outputs outside 0..1 are clipped for display only.

    Parameters
    ----------
    preset : str, default "sepia"
        A name in :data:`conv1x1.core.COLOUR_MIXES`; ignored when ``w`` is given.
    w : array_like (3, 3), optional
        The mixing matrix ``(C, F)``, entries in -1..1 (the sliders' range),
        rounded to 3 decimals (as the sliders show them).
    image : array_like (H, W, 3), optional
        RGB values in 0..1; default the full-size photo from
        :func:`conv1x1.data.load_photo` (600×512×3).
    pixel : (int, int), default (339, 90)
        The pixel followed (default: on a red stripe of the flag).
    filter : int, default 0
        The output channel f the diagram follows.
    """

    instructions = ("Choose a preset, or move the nine weights: w[R→G] is how much input red adds to output "
                    "green. Choose the pixel (i, j) and the output channel f the diagram follows.")
    CUSTOM = "custom"
    LIMIT = 1.0
    #: control names of the weights, [c][f]: WEIGHT_NAMES[0][1] == "w[R→G]"
    WEIGHT_NAMES = tuple(tuple(f"w[{c}→{f}]" for f in RGB_NAMES) for c in RGB_NAMES)

    def __init__(self, preset: str | None = "sepia", *, w: Any = None, image: Any = None,
                 pixel: tuple[int, int] = (339, 90), filter: int = 0):
        if w is None:
            if preset not in COLOUR_MIXES:
                raise ValueError(f"preset must be one of {list(COLOUR_MIXES)} (or give w); got {preset!r}")
            w = COLOUR_MIXES[preset]
        w = np.round(as_real_array(w, "w", dtype=np.float64), 3)    # as the sliders show them
        if w.shape != (3, 3):
            raise ValueError(f"w must be a 3×3 mixing matrix (C, F) = (3, 3); got shape {w.shape}")
        if np.any(np.abs(w) > self.LIMIT):
            c, f = (int(k) for k in np.argwhere(np.abs(w) > self.LIMIT)[0])
            raise ValueError(f"w's entries must be in -{self.LIMIT:g}..{self.LIMIT:g} (the sliders' range); "
                             f"got w[{c}, {f}] = {w[c, f]}")
        if image is None:
            from .data import load_photo

            image = load_photo()
        image = as_real_array(image, "image")
        if image.ndim != 3 or image.shape[2] != 3:
            raise ValueError(f"image must be an RGB picture (H, W, 3); got shape {image.shape}")

        self.figure = fig = draw.new_figure((12, 8))
        self.diagram = d = draw.plot_dot_product(
            image, w, pixel=pixel, filter=filter, activation=None, fig=fig,
            input_title=f"input photo x: {image.shape[0]}×{image.shape[1]}×3",
            digits=3)                                # the weights read as in the matrix: 0.393, not 0.39
        d.ax_bars.set_xticks([0, 1, 2], [f"{c} ({name})" for c, name in enumerate(RGB_NAMES)])
        d.ax_bars.set_xlabel("input channel c", fontsize=9)
        # scales that cover every slider position (the diagram fits them to the first weights)
        top = self.LIMIT * max(float(np.max(np.abs(image))), 1e-12)
        d.ax_bars.set_ylim(-1.05 * top, 1.05 * top)
        d.strip_w.norm = matplotlib.colors.Normalize(-self.LIMIT, self.LIMIT)
        d.strip_prod.norm = matplotlib.colors.Normalize(-top, top)
        d.update()                                         # recolour the strips on these scales
        self._build_extras()

        names = [n for row in self.WEIGHT_NAMES for n in row]
        controls: dict[str, widgets.Widget] = {
            "preset": controls_.Dropdown(options=[*COLOUR_MIXES, self.CUSTOM], value=self._preset_of(w),
                                         description="preset", tooltip="preset mixing matrix"),
        }
        for (c, f), name in zip(np.ndindex(3, 3), names):
            # arrow keys move by 0.01 (200 presses end to end); a preset's 3 decimals are kept exactly
            slider = _slider(controls_.FloatSlider, name, float(w[c, f]), -self.LIMIT, self.LIMIT, 0.01,
                             readout_format=".3f")
            slider.tooltip = (f"weight w[c={c}, f={f}]: how much input {RGB_NAMES[c]} adds to output "
                              f"{RGB_NAMES[f]}")
            controls[name] = slider
        # a photo's 600 rows: steps of 3 pixels, so that the keyboard crosses it in 200 presses
        controls["i"] = _slider(controls_.IntSlider, "pixel row i", d.pixel[0], 0, d.height - 1,
                                max(1, -(-(d.height - 1) // 200)))
        controls["j"] = _slider(controls_.IntSlider, "pixel column j", d.pixel[1], 0, d.width - 1,
                                max(1, -(-(d.width - 1) // 200)))
        controls["filter"] = _slider(controls_.IntSlider, "output channel f", d.filter, 0, 2)
        self._quiet = False
        self._weight_index = {n: (c, f) for (c, f), n in zip(np.ndindex(3, 3), names)}
        self._show_extras()
        # with no bias and no ReLU, four texts of the diagram never change here ("+ bias" 0, "no ReLU",
        # the photo's title): drawn once in the background, not on every frame
        constant = {id(d.eq_values[1]), id(d.eq_values[3]), id(d.relu_label)} | (set() if d.small else {id(d.ax_out.title)})
        animated = [a for a in d.animated_artists() if id(a) not in constant]
        self._start(controls, [*animated, *self._extra_artists()],
                    description="Colour mixing is a 1×1 convolution: output[i, j, f] = x[i, j, :] · w[:, f] "
                                "at every pixel of the photo, with one 3×3 matrix w.")
        # lay the weights out as the matrix they form: row c (input), column f (output)
        header, _, image_widget, status = self.widget.children
        weights = widgets.GridBox([controls[n] for n in names],
                                  layout=widgets.Layout(grid_template_columns="repeat(3, 270px)"))
        weights_label = widgets.HTML("weights w[c→f]: row = input channel c, column = output channel f")
        top = widgets.HBox([controls[n] for n in ("preset", "i", "j", "filter")],
                           layout=widgets.Layout(flex_flow="row wrap"))
        self.widget.children = (header, top, weights_label, weights, image_widget, status)

    # -- the matrix and the pixel's colours ----------------------------------
    def _build_extras(self) -> None:
        fig = self.figure
        fw, fh = fig.get_size_inches()
        ax = fig.add_axes((0.95 / fw, 0.75 / fh, 1.9 / fw, 1.9 / fh))
        self.matrix = draw.plot_grid(self.diagram.w, ax=ax, vmin=-self.LIMIT, vmax=self.LIMIT,
                                     cmap=draw.CMAP_SIGNED, digits=3, fontsize=9)
        ax.set_xticks([0, 1, 2], [f"{f} ({n})" for f, n in enumerate(RGB_NAMES)])
        ax.set_yticks([0, 1, 2], [f"{c} ({n})" for c, n in enumerate(RGB_NAMES)])
        ax.set_xlabel("output channel f", fontsize=9)
        ax.set_ylabel("input channel c", fontsize=9)
        ax.set_title("the mixing matrix w (C×F);\ncolumn f is the filter for output f", fontsize=10)
        self.matrix_column = Rectangle((-0.5, -0.5), 1, 3, fill=False, edgecolor=draw.HIGHLIGHT, linewidth=3,
                                       zorder=5)
        ax.add_patch(self.matrix_column)

        ax = fig.add_axes((9.9 / fw, 0.75 / fh, 1.8 / fw, 1.9 / fh))
        ax.set_xlim(0, 2)
        ax.set_ylim(0, 1.15)
        ax.set_axis_off()
        ax.set_title("the pixel's colour", fontsize=10)
        self.swatches = []
        for k, label in enumerate(("input\nx[i, j, :]", "output\n(clipped)")):
            patch = Rectangle((0.1 + k, 0.3), 0.8, 0.8, edgecolor="#333333", linewidth=0.8)
            ax.add_patch(patch)
            ax.text(0.5 + k, 0.25, label, ha="center", va="top", fontsize=9)
            self.swatches.append(patch)

    def _extra_artists(self) -> list:
        return [*self.matrix.artists(), self.matrix_column, *self.swatches]

    def _show_extras(self) -> None:
        d = self.diagram
        (i, j), f = d.pixel, d.filter
        self.matrix.set_values(d.w)
        self.matrix_column.set_x(f - 0.5)
        self.swatches[0].set_facecolor(np.clip(d.x[i, j], 0, 1))
        self.swatches[1].set_facecolor(np.clip(d.pixel_output(), 0, 1))

    # -- state -----------------------------------------------------------------
    @classmethod
    def _preset_of(cls, w: np.ndarray) -> str:
        for name, bank in COLOUR_MIXES.items():
            if np.array_equal(bank, w):
                return name
        return cls.CUSTOM

    def _weights(self) -> np.ndarray:
        return np.round([[self.controls[n].value for n in row] for row in self.WEIGHT_NAMES], 3)

    def _on_change(self, change: dict) -> None:
        if self._quiet:                 # a preset sets nine sliders: one frame, not nine
            return
        name = change["owner"].description
        if name in self._weight_index and round(change["new"], 3) == self.diagram.w[self._weight_index[name]]:
            return                      # the same weight to the 3 decimals shown (a front end sent back
                                        # the value a preset set, with rounding noise): nothing to redraw
        super()._on_change(change)

    def _set_quietly(self, values: dict[str, Any]) -> None:
        self._quiet = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._quiet = False

    def _apply(self, control, value) -> None:
        c = self.controls
        w = None
        if control is c["preset"]:
            if value != self.CUSTOM:
                w = COLOUR_MIXES[value]
                self._set_quietly({name: float(w[cf]) for name, cf in self._weight_index.items()})
        elif control not in (c["i"], c["j"], c["filter"]):
            w = self._weights()
            self._set_quietly({"preset": self._preset_of(w)})
        self.diagram.update(w=w, pixel=(c["i"].value, c["j"].value), filter=c["filter"].value)
        self._show_extras()

    def caption(self) -> str:
        c = self.controls
        preset = c["preset"].value
        weights = "custom weights (the matrix w)" if preset == self.CUSTOM else f"preset {preset}"
        f = c["filter"].value
        return (f"Showing: {weights}, pixel (i, j) = ({c['i'].value}, {c['j'].value}), "
                f"output channel f = {f} ({RGB_NAMES[f]})")

    @property
    def w(self) -> np.ndarray:
        """The mixing matrix (C, F) currently applied (a copy)."""
        return self.diagram.w.copy()

    @property
    def output(self) -> np.ndarray:
        """The whole (H, W, 3) output at full resolution, before clipping."""
        return self.diagram.output
