"""Interaction: explorers that wire the figures of :mod:`conv1x1.draw` to sliders.

Every explorer follows the same pattern (see :class:`Explorer`):

* the figure is built **once**; the artists that change are kept and
  updated in place (``set_data``, ``set_text``, ...), never redrawn from
  nothing;
* on a slider move only those artists are redrawn over a saved background
  (blitting) and the frame is PNG-encoded into an ``ipywidgets.Image``;
* errors inside callbacks are shown in the explorer itself, never lost;
* displaying an explorer also leaves a static PNG of its figure in the saved
  notebook, so readers without a kernel (GitHub, nbviewer, an untrusted
  notebook) still see it.
"""

from __future__ import annotations

import base64
import html
import struct
import traceback
import zlib
from typing import Any, Callable

import ipywidgets as widgets
import numpy as np

from . import draw
from .core import as_real_array, example_filters, example_volume, lecture_image

__all__ = [
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
    image : ipywidgets.Image
        The rendered figure.
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
        self._animated = list(animated)
        for artist in self._animated:
            artist.set_animated(True)
        self._background = None
        width, height = self.figure.canvas.get_width_height()
        self.image = widgets.Image(
            format="png",
            layout=widgets.Layout(width=f"{width}px", max_width="100%", height="auto"),
        )
        self.image.add_class("conv1x1-figure")
        self.status = widgets.HTML(value="")
        self.description = description
        header = widgets.HTML(f"<b>{html.escape(description)}</b>"
                              + (f" {html.escape(self.instructions)}" if self.instructions else ""))
        boxes = widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([header, boxes, self.image, self.status])
        self.widget.add_class("conv1x1-explorer")
        for control in controls.values():
            control.observe(self._on_change, names="value")
        self.render(full=True)

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
        canvas = self.figure.canvas
        if full or self._background is None:
            canvas.draw()                   # static artists only: animated ones are skipped
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._animated:
            self.figure.draw_artist(artist)
        png = encode_png(np.asarray(canvas.buffer_rgba()))
        self.image.value = png
        return png

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


def _slider(kind: Callable, description: str, value, minimum, maximum, step=1, **kwargs) -> widgets.Widget:
    """A slider whose label is read out by screen readers and which works with arrow keys."""
    return kind(
        value=value, min=minimum, max=maximum, step=step, description=description,
        continuous_update=True, style={"description_width": "initial"},
        layout=widgets.Layout(width="260px"), tooltip=description, **kwargs,
    )


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

    instructions = "Move the weight; switch ReLU on; choose the cell whose arithmetic is written out."

    def __init__(self, image: Any = None, weight: float = 2.0, relu: bool = False, pixel: tuple[int, int] = (0, 0)):
        image = lecture_image() if image is None else image
        image = as_real_array(image, "image")
        if image.ndim != 2:
            raise ValueError(f"image must be a 2-D single-channel image (H, W); got shape {image.shape}")
        self.figure = draw.new_figure((10, 4.2))
        limit = 3.0
        self.view = draw.plot_pixel_product(image, weight, pixel, relu=relu, fig=self.figure,
                                            vmax=limit * float(np.max(np.abs(image))) or 1.0)
        height, width = image.shape
        controls = {
            "weight": _slider(widgets.FloatSlider, "filter weight w", float(weight), -limit, limit, 0.5,
                              readout_format=".1f"),
            "relu": _switch("apply ReLU", bool(relu)),
            "i": _slider(widgets.IntSlider, "row i", int(pixel[0]), 0, height - 1),
            "j": _slider(widgets.IntSlider, "column j", int(pixel[1]), 0, width - 1),
        }
        self._start(controls, self.view.animated_artists(),
                    description="One channel: output = ReLU(w · x) at every pixel.")

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
            "i": _slider(widgets.IntSlider, "row i", d.pixel[0], 0, d.height - 1),
            "j": _slider(widgets.IntSlider, "column j", d.pixel[1], 0, d.width - 1),
            "filter": _slider(widgets.IntSlider, "filter f", d.filter, 0, d.n_filters - 1),
            "relu": _switch("apply ReLU", relu),
        }
        self._start(controls, d.animated_artists(),
                    description=f"Many channels: output[i, j, f] = ReLU(x[i, j, :] · w[:, f] + b[f]), "
                                f"{d.channels} channels, {d.n_filters} filters.")

    def _apply(self, control, value) -> None:
        c = self.controls
        self.diagram.update(pixel=(c["i"].value, c["j"].value), filter=c["filter"].value,
                            activation="relu" if c["relu"].value else None)
