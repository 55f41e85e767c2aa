"""Accessible controls and the figure view used by the explorers (anywidget).

ipywidgets 8.1 sliders are drawn with noUiSlider: the handle a screen reader
lands on has ``role="slider"`` but no accessible name (its visible
description is not associated with it), so assistive technology announces
only "slider". These controls are native HTML instead:

* :class:`IntSlider` / :class:`FloatSlider`: an ``<input type="range">``
  named by a ``<label for=...>``, with its value shown in an ``<output>`` and
  announced through ``aria-valuetext`` (formatted, not a raw float). Arrow
  keys, Page Up/Down, Home and End work as in any browser.
* :class:`Dropdown`: a ``<select>`` named by its ``<label for=...>``; arrow
  keys change the choice (ipywidgets' drop-down loses them to the notebook).
* :class:`FigureView`: the explorer's rendered figure as a ``<canvas>`` painted
  in patches (only the rectangles a move changed), whose ``aria-label`` says
  what the figure currently shows.

Their Python API follows ipywidgets (``value``, ``min``, ``max``, ``step``,
``description``, ``observe``), so explorers and tests use them the same way.
anywidget ships its front-end as a prebuilt JupyterLab / Notebook 7
extension; each widget's JavaScript and CSS are files of this package
(``conv1x1/engine/static/``), sent with the widget, so nothing is fetched at run time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anywidget
import traitlets

__all__ = ["Dropdown", "FigureView", "FloatSlider", "IntSlider", "Sweep"]

_STATIC = Path(__file__).resolve().parent / "static"


def _static(name: str) -> str:
    """A front-end file of the engine (``static/``), as the text anywidget sends to the browser."""
    return (_STATIC / name).read_text(encoding="utf-8")


def _module(name: str) -> str:
    """A widget's ES module: the helpers every control shares (``common.js``), then its own file."""
    return _static("common.js") + "\n" + _static(name)


class _Labelled(anywidget.AnyWidget):
    """What every control shares: a description that names it (required), a tooltip, disabled."""

    description = traitlets.Unicode("").tag(sync=True)
    tooltip = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)

    def __init__(self, *, description: str = "", **kwargs):
        if not description:
            raise ValueError(f"description must name what the {type(self).__name__} sets "
                             "(screen readers read it); got ''")
        super().__init__(description=description, **kwargs)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(description={self.description!r}, value={self.value!r})"


class _Slider(_Labelled):
    _esm = _module("slider.js")
    _css = _static("slider.css")
    continuous_update = traitlets.Bool(True).tag(sync=True)
    readout = traitlets.Bool(True).tag(sync=True)
    decimals = traitlets.Int(0).tag(sync=True)

    def __init__(self, value: Any, min: Any, max: Any, step: Any = 1, description: str = "", **kwargs):
        if not min <= max:
            raise ValueError(f"min must be <= max; got min={min!r}, max={max!r}")
        if not step > 0:
            raise ValueError(f"step must be > 0; got {step!r}")
        super().__init__(min=min, max=max, step=step, description=description, **kwargs)
        self.value = value

    @traitlets.validate("value")
    def _clamp(self, proposal):
        value = proposal["value"]
        if not self.min - 1e-12 <= value <= self.max + 1e-12:
            raise traitlets.TraitError(f"{self.description} must be in {self.min}..{self.max}; got {value!r}")
        return self._normalise(value)

    @staticmethod
    def _normalise(value):
        return value


class IntSlider(_Slider):
    """An integer slider with an accessible name: ``<input type="range">`` labelled by its description."""

    value = traitlets.Int(0).tag(sync=True)
    min = traitlets.Int(0).tag(sync=True)
    max = traitlets.Int(10).tag(sync=True)
    step = traitlets.Int(1).tag(sync=True)


class FloatSlider(_Slider):
    """A float slider with an accessible name; ``decimals`` sets how its value is shown and announced."""

    value = traitlets.Float(0.0).tag(sync=True)
    min = traitlets.Float(0.0).tag(sync=True)
    max = traitlets.Float(1.0).tag(sync=True)
    step = traitlets.Float(0.1).tag(sync=True)

    @staticmethod
    def _normalise(value):
        return round(float(value), 10)   # 0.30000000000000004 from the browser's step arithmetic -> 0.3




class Dropdown(_Labelled):
    """A choice among strings: a native ``<select>`` labelled by its description, keyboard-operable."""

    _esm = _module("dropdown.js")
    _css = _static("dropdown.css")
    options = traitlets.List(traitlets.Unicode()).tag(sync=True)
    value = traitlets.Unicode("").tag(sync=True)

    def __init__(self, options: list[str], value: str, description: str, **kwargs):
        super().__init__(options=list(options), description=description, **kwargs)
        self.value = value

    @traitlets.validate("value")
    def _known(self, proposal):
        if proposal["value"] not in self.options:
            raise traitlets.TraitError(f"{self.description} must be one of {self.options}; got {proposal['value']!r}")
        return proposal["value"]





class FigureView(anywidget.AnyWidget):
    """The explorer's figure: a canvas painted in patches, its words, a polite live region, and under it
    a closed ``<details>`` with its long description (every number of the figure in words).

    :meth:`send_frame` takes a whole rendered frame (RGBA), finds what changed since the last one and sends
    only that (:class:`conv1x1.engine.render.TileEncoder`). ``alt`` is the figure's text alternative (the
    canvas's ``aria-label``), ``live`` the short result a screen reader announces after a move,
    ``description`` the long description, ``hint`` the tooltip. Clicks (in the figure's pixels) and
    arrow keys on the focused figure (when ``arrows`` is on) come back as :attr:`on_event` calls.
    :attr:`value` is the last frame as a PNG, for the static picture a saved notebook keeps;
    :attr:`frame` counts the frames shown; :attr:`bytes_sent` and :attr:`words_sent` are what the last one
    sent (its images, and its words, which travel in the same message).
    """

    _esm = _module("figure.js")
    _css = _static("figure.css")
    alt = traitlets.Unicode("")                 # sent with the pixels of each frame, not synced apart
    live = traitlets.Unicode("")
    description = traitlets.Unicode("")
    hint = traitlets.Unicode("").tag(sync=True)
    summary = traitlets.Unicode("The figure in numbers").tag(sync=True)
    arrows = traitlets.Bool(False).tag(sync=True)
    frame = traitlets.Int(0)

    def __init__(self, **kwargs):
        from .render import TileEncoder

        super().__init__(**kwargs)
        self._tiles = TileEncoder()
        self._rgba = None
        self._png: bytes | None = None
        self.photos: Any = ()
        self.on_event = None
        self.on_msg(self._message)
        self.bytes_sent = self.words_sent = 0

    def send_frame(self, rgba: Any, *, photos: Any = ()) -> None:
        """Send a new frame: the patches that changed since the last one; count the frame."""
        patches = self._tiles.patches(rgba, photos)
        self._rgba = self._tiles.last
        self._png = None
        self.photos = photos
        self._send_patches(patches, self.frame + 1)
        self.frame += 1

    @property
    def rgba(self) -> Any:
        """The frame shown, as the (H, W, 4) array of its pixels (rows from the top), or None before the first."""
        return self._rgba

    @property
    def value(self) -> bytes:
        """The frame shown, as a PNG (encoded when asked for)."""
        if self._png is None:
            if self._rgba is None:
                return b""
            from .render import encode_png

            self._png = encode_png(self._rgba)
        return self._png

    def _send_patches(self, sheets: list, frame: int, announce: bool = True) -> None:
        if not sheets or self._rgba is None:
            return
        height, width = self._rgba.shape[:2]
        buffers = [sheet.data for sheet in sheets]
        self.bytes_sent = sum(len(b) for b in buffers)
        words = {"alt": self.alt, "live": self.live, "description": self.description}
        self.words_sent = len(json.dumps(words).encode())
        self.send({"kind": "patch", "frame": frame, "width": width, "height": height, "words": words,
                   "announce": announce, "sheets": [{"mime": sheet.mime, "rects": sheet.rects} for sheet in sheets]},
                  buffers)

    def _message(self, widget, content: dict, buffers: list) -> None:
        if content.get("event") == "ready":          # a new view of this figure: paint it whole
            self._send_patches(self._tiles.whole(self.photos), self.frame, announce=False)
        elif self.on_event is not None:
            self.on_event(content)




class Sweep(anywidget.AnyWidget):
    """Play / pause a sweep of the filter over every pixel, with a speed, as a native button and select.

    ``step`` is the pixel reached (raster order; -1: no sweep), ``count`` how many there are, ``shown``
    the last step the kernel has drawn: the browser sends the next step only after that, ``interval``
    ms later. It never starts by itself.
    """

    _esm = _module("sweep.js")
    _css = _static("sweep.css")
    playing = traitlets.Bool(False).tag(sync=True)
    step = traitlets.Int(-1).tag(sync=True)
    shown = traitlets.Int(-1).tag(sync=True)
    count = traitlets.Int(0).tag(sync=True)
    interval = traitlets.Int(300).tag(sync=True)

    def stop(self) -> None:
        """End the sweep: not playing, no step (the figure shows the whole output again)."""
        with self.hold_sync():
            self.playing = False
            self.step = -1
            self.shown = -1
