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
* :class:`FigureView`: the explorer's rendered figure as an ``<img>`` whose
  ``alt`` text says what the figure currently shows.

Their Python API follows ipywidgets (``value``, ``min``, ``max``, ``step``,
``description``, ``observe``), so explorers and tests use them the same way.
anywidget ships its front-end as a prebuilt JupyterLab / Notebook 7
extension; the JavaScript below is inline, so nothing is fetched at run time.
"""

from __future__ import annotations

import json
from typing import Any

import anywidget
import traitlets

__all__ = ["Dropdown", "FigureView", "FloatSlider", "IntSlider", "Sweep"]

# A control's own keys must not reach the notebook's shortcuts (in command mode the arrows move
# between cells), which would cancel the control's step. JupyterLab handles shortcuts on the
# bubbling keydown: stopping it at the control is enough. Notebook 7 handles them on the capturing
# keydown at the document, before the control sees the key; Lumino skips a key coming from an
# element marked data-lm-suppress-shortcuts, so the window (first in the capture) marks the control
# for its own keys only (Shift+Enter, Ctrl+S still work from it).
_COMMON_JS = r"""
function labelled(el, className, tag) {
  // a <label for=id> naming the control: screen readers announce the control by it
  const id = "conv1x1-" + Math.random().toString(36).slice(2);
  el.classList.add(className);
  const label = document.createElement("label");
  label.htmlFor = id;
  const control = document.createElement(tag);
  control.id = id;
  return [label, control];
}

function guardKeys(control, keys) {
  const own = new Set(keys);
  const stop = (event) => { if (own.has(event.key)) event.stopPropagation(); };
  const mark = (event) => {
    if (event.target === control) control.toggleAttribute("data-lm-suppress-shortcuts", own.has(event.key));
  };
  control.addEventListener("keydown", stop);
  window.addEventListener("keydown", mark, true);
  return () => window.removeEventListener("keydown", mark, true);
}
"""

_SLIDER_ESM = _COMMON_JS + r"""
function render({ model, el }) {
  const [label, input] = labelled(el, "conv1x1-slider", "input");
  input.type = "range";
  const output = document.createElement("output");
  output.htmlFor = input.id;
  output.setAttribute("aria-hidden", "true");   // the value is announced through aria-valuetext
  const format = (v) => {
    const d = model.get("decimals");
    return Number(v).toFixed(d).replace("-", "\u2212");
  };
  function show() {
    label.textContent = model.get("description");
    input.min = model.get("min");
    input.max = model.get("max");
    input.step = model.get("step");
    input.value = model.get("value");
    input.disabled = model.get("disabled");
    input.title = model.get("tooltip") || model.get("description");
    const text = format(model.get("value"));
    output.textContent = text;
    input.setAttribute("aria-valuetext", text);
  }
  function send() {
    model.set("value", Number(input.value));
    model.save_changes();
  }
  input.addEventListener("input", () => {
    output.textContent = format(input.value);
    if (model.get("continuous_update")) send();
  });
  input.addEventListener("change", send);
  const unguard = guardKeys(input, ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown",
                                    "PageUp", "PageDown", "Home", "End"]);
  model.on("change", show);
  show();
  el.append(label, input, output);
  return () => {
    model.off("change", show);
    unguard();
  };
}
export default { render };
"""

_SLIDER_CSS = """
.conv1x1-slider { display: inline-flex; align-items: center; gap: 0.5em; margin: 2px 1.2em 2px 0; }
.conv1x1-slider label { white-space: nowrap; }
.conv1x1-slider input[type=range] { width: 9em; }
.conv1x1-slider output { min-width: 3em; font-variant-numeric: tabular-nums; }
.conv1x1-slider input[type=range]:focus-visible { outline: 2px solid #1a5fb4; outline-offset: 2px; }
"""


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
    _esm = _SLIDER_ESM
    _css = _SLIDER_CSS
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


_DROPDOWN_ESM = _COMMON_JS + r"""
function render({ model, el }) {
  const [label, select] = labelled(el, "conv1x1-dropdown", "select");
  function show() {
    label.textContent = model.get("description");
    select.replaceChildren(...model.get("options").map((text) => new Option(text, text)));
    select.value = model.get("value");
    select.disabled = model.get("disabled");
    select.title = model.get("tooltip") || model.get("description");
  }
  select.addEventListener("change", () => { model.set("value", select.value); model.save_changes(); });
  const unguard = guardKeys(select, ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "PageUp", "PageDown",
                                     "Home", "End"]);
  model.on("change", show);
  show();
  el.append(label, select);
  return () => { model.off("change", show); unguard(); };
}
export default { render };
"""


class Dropdown(_Labelled):
    """A choice among strings: a native ``<select>`` labelled by its description, keyboard-operable."""

    _esm = _DROPDOWN_ESM
    _css = """
.conv1x1-dropdown { display: inline-flex; align-items: center; gap: 0.5em; margin: 2px 1.2em 2px 0; }
.conv1x1-dropdown select:focus-visible { outline: 2px solid #1a5fb4; outline-offset: 2px; }
"""
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


_FIGURE_ESM = r"""
function render({ model, el }) {
  // The figure is a canvas that the kernel paints in patches: a move sends only the rectangles that
  // changed, packed in one sheet per codec (lossless PNG; JPEG inside photos), drawn in the order sent.
  const canvas = document.createElement("canvas");
  canvas.className = "conv1x1-figure";
  canvas.setAttribute("role", "img");
  canvas.tabIndex = 0;                     // focus it to move the chosen pixel with the arrow keys
  canvas.style.maxWidth = "100%";
  canvas.style.height = "auto";
  // the result after a move, announced politely by a screen reader (visually hidden)
  const live = document.createElement("div");
  live.className = "conv1x1-live";
  live.setAttribute("aria-live", "polite");
  // every number of the figure in words, for a screen reader to open; not read out by default
  const details = document.createElement("details");
  details.className = "conv1x1-figure-details";
  const summary = document.createElement("summary");
  summary.textContent = model.get("summary");
  const text = document.createElement("pre");
  text.style.whiteSpace = "pre-wrap";
  details.append(summary, text);
  const context = canvas.getContext("2d");
  let queue = Promise.resolve();
  // the figure's words come with its pixels, in the same message: the label never runs ahead of the picture
  function describe(words) {
    canvas.setAttribute("aria-label", words.alt);
    canvas.title = model.get("hint");
    text.textContent = words.description;
    details.hidden = !words.description;
  }
  function paint(msg, buffers) {
    if (!msg || msg.kind !== "patch") return;
    const decoded = msg.sheets.map((sheet, k) => createImageBitmap(new Blob([buffers[k]], { type: sheet.mime })));
    queue = queue.then(() => Promise.all(decoded)).then((bitmaps) => {
      if (canvas.width !== msg.width || canvas.height !== msg.height) {
        canvas.width = msg.width;
        canvas.height = msg.height;
        canvas.style.setProperty("--conv1x1-aspect", String(msg.width / msg.height));   // tools/slides.py's fit
      }
      bitmaps.forEach((bitmap, k) => {
        for (const [sx, sy, w, h, x, y] of msg.sheets[k].rects) context.drawImage(bitmap, sx, sy, w, h, x, y, w, h);
        bitmap.close();
      });
      canvas.dataset.frame = String(msg.frame);
      describe(msg.words);
      if (msg.announce) live.textContent = msg.words.live;
    }).catch((err) => console.error("conv1x1 figure:", err));
  }
  model.on("msg:custom", paint);
  canvas.addEventListener("click", (event) => {
    const box = canvas.getBoundingClientRect();
    if (!box.width || !box.height) return;
    model.send({ event: "click", x: (event.clientX - box.left) * canvas.width / box.width,
                 y: (event.clientY - box.top) * canvas.height / box.height });
  });
  const keys = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"]);
  canvas.addEventListener("keydown", (event) => {
    if (!keys.has(event.key) || !model.get("arrows")) return;
    event.preventDefault();
    model.send({ event: "key", key: event.key });
  });
  const unguard = guardKeys(canvas, [...keys]);
  describe({ alt: "", description: "" });
  el.append(canvas, live, details);
  // Presented with jupyterlab-deck (its notebook panel then has the class jp-Deck): ask the kernel for
  // the figure's slide layout (larger text, fewer parts), and for the notebook layout when the talk ends.
  // (null at first: a new view always says which layout it shows, so a page reloaded during a talk,
  // or the notebook reopened after one, gets its figure back in the notebook layout)
  let panel = null, watcher = null, presenting = null;
  const follow = () => {
    const now = panel.classList.contains("jp-Deck");
    if (now === presenting) return;
    presenting = now;
    model.send({ event: "layout", name: now ? "slides" : "notebook" });
  };
  // How much of its notebook cell lies above the figure (code, text, controls): a slide's stylesheet
  // (tools/slides.py) sizes the figure to the height left under it, with --conv1x1-aspect.
  const place = () => {
    const scope = canvas.closest(".jp-Cell") || el.parentElement;
    if (!scope) return;
    const above = canvas.getBoundingClientRect().top - scope.getBoundingClientRect().top;
    canvas.style.setProperty("--conv1x1-above", `${Math.max(0, Math.round(above))}px`);
    if (panel === null && (panel = canvas.closest(".jp-NotebookPanel")) !== null) {
      watcher = new MutationObserver(follow);
      watcher.observe(panel, { attributes: true, attributeFilter: ["class"] });
      follow();
    }
  };
  const resized = new ResizeObserver(place);
  resized.observe(el.parentElement || el);
  model.send({ event: "ready" });          // a new view: ask for the whole frame
  return () => {
    model.off("msg:custom", paint);
    resized.disconnect();
    if (watcher !== null) watcher.disconnect();
    unguard();
  };
}
export default { render };
"""

_FIGURE_CSS = """
.conv1x1-figure:focus { outline: 3px solid #1a5fb4; outline-offset: 2px; }
.conv1x1-figure-details summary:focus-visible { outline: 2px solid #1a5fb4; outline-offset: 2px; }
.conv1x1-live { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
                clip-path: inset(50%); white-space: nowrap; }
"""


class FigureView(anywidget.AnyWidget):
    """The explorer's figure: a canvas painted in patches, its words, a polite live region, and under it
    a closed ``<details>`` with its long description (every number of the figure in words).

    :meth:`show` takes a whole rendered frame (RGBA), finds what changed since the last one and sends
    only that (:class:`conv1x1.engine.render.TileEncoder`). ``alt`` is the figure's text alternative (the
    canvas's ``aria-label``), ``live`` the short result a screen reader announces after a move,
    ``description`` the long description, ``hint`` the tooltip. Clicks (in the figure's pixels) and
    arrow keys on the focused figure (when ``arrows`` is on) come back as :attr:`on_event` calls.
    :attr:`value` is the last frame as a PNG, for the static picture a saved notebook keeps;
    :attr:`frame` counts the frames shown; :attr:`bytes_sent` and :attr:`words_sent` are what the last one
    sent (its images, and its words, which travel in the same message).
    """

    _esm = _COMMON_JS + _FIGURE_ESM
    _css = _FIGURE_CSS
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

    def show(self, rgba: Any, *, photos: Any = ()) -> None:
        """Show a new frame: send the patches that changed, count the frame."""
        patches = self._tiles.patches(rgba, photos)
        self._rgba = self._tiles.last
        self._png = None
        self.photos = photos
        self._send_patches(patches, self.frame + 1)
        self.frame += 1

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


_SWEEP_ESM = _COMMON_JS + r"""
function render({ model, el }) {
  // Play moves the filter across every pixel in raster order. The browser asks for the next step only
  // once the kernel has drawn the last one (it sets "shown"), so a busy or interrupted kernel stops the
  // sweep, and leaving the notebook (this view removed) stops its timer.
  el.classList.add("conv1x1-sweep");
  const button = document.createElement("button");
  button.type = "button";
  const [label, speed] = labelled(document.createElement("span"), "conv1x1-sweep-speed", "select");
  label.textContent = "sweep speed";
  for (const [name, ms] of [["slow", 700], ["medium", 300], ["fast", 80]]) speed.append(new Option(name, String(ms)));
  const status = document.createElement("span");
  status.className = "conv1x1-sweep-status";
  let timer = null;
  function show() {
    const playing = model.get("playing");
    button.textContent = playing ? "⏸ Pause the sweep" : "▶ Play the sweep";
    button.setAttribute("aria-pressed", String(playing));
    speed.value = String(model.get("interval"));
    const step = model.get("step"), count = model.get("count");
    status.textContent = step < 0 ? "" : `pixel ${step + 1} of ${count}`;
  }
  function next() {
    timer = null;
    if (!model.get("playing") || model.get("shown") !== model.get("step")) return;
    const step = model.get("step") + 1;
    if (step >= model.get("count")) { model.set("playing", false); model.save_changes(); return; }
    model.set("step", step);
    model.save_changes();
  }
  function schedule() {
    if (timer === null && model.get("playing") && model.get("shown") === model.get("step"))
      timer = setTimeout(next, model.get("interval"));
  }
  button.addEventListener("click", () => {
    const playing = !model.get("playing");
    model.set("playing", playing);
    if (playing && (model.get("step") < 0 || model.get("step") >= model.get("count") - 1)) model.set("step", 0);
    model.save_changes();
  });
  speed.addEventListener("change", () => { model.set("interval", Number(speed.value)); model.save_changes(); });
  const onChange = () => { show(); schedule(); };
  model.on("change", onChange);
  show();
  schedule();
  el.append(button, label, speed, status);
  return () => { model.off("change", onChange); if (timer !== null) clearTimeout(timer); };
}
export default { render };
"""


class Sweep(anywidget.AnyWidget):
    """Play / pause a sweep of the filter over every pixel, with a speed, as a native button and select.

    ``step`` is the pixel reached (raster order; -1: no sweep), ``count`` how many there are, ``shown``
    the last step the kernel has drawn: the browser sends the next step only after that, ``interval``
    ms later. It never starts by itself.
    """

    _esm = _SWEEP_ESM
    _css = """
.conv1x1-sweep { display: flex; align-items: center; gap: 0.8em; margin: 4px 0; }
.conv1x1-sweep button:focus-visible, .conv1x1-sweep select:focus-visible { outline: 2px solid #1a5fb4;
  outline-offset: 2px; }
.conv1x1-sweep-status { font-variant-numeric: tabular-nums; color: #333; }
"""
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
