"""An explorer: a figure built once, its controls, an update function, and the frame the browser shows.

:class:`Explorer` is composed of parts given to it (no methods to override): see :mod:`conv1x1.explore`
for the pattern and the course's explorers. The helpers here (:func:`slider`, :func:`switch`,
:func:`on_off`, :func:`pixel_choice`, :func:`nudge_pixel`) are the building blocks they share.
"""

from __future__ import annotations

import html
import traceback
from typing import Any, Callable, Mapping, Sequence

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..compute.core import format_number
from ..compute.validate import check_choice
from . import controls as controls_
from .layouts import Arrangement, Layouts, shown
from .render import FastText, in_draw_order
from .static_figure import figure_html, split

__all__ = ["ARROWS", "CAPTION_PIXELS", "Explorer", "Values", "add_caption", "nudge_pixel", "on_off", "pixel_choice",
           "slider", "switch"]

Values = Mapping[str, Any]


class Explorer:
    """A figure built once, its controls, an update function, and the rendered frame.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure, made with :func:`conv1x1.draw.style.new_figure` (not registered with pyplot).
    animated : list of Artist
        The artists ``update`` changes: redrawn on every move, over a saved background.
    controls : dict of str to widget
        The controls, by name.
    update : callable (values, changed) -> dict or None
        Called with every control's value (by name) and the name of the control that moved; updates
        the figure's artists. It may return ``{name: value}`` for other controls that follow; they are
        set without triggering ``update`` again.
    describe : callable (values) -> str
        What the explorer shows, one sentence that follows the state (the formula shown, say).
    caption : callable (values) -> str
        The state in words, drawn under the figure ("Showing: ..."), so that a saved static picture
        says which state it shows.
    instructions : str
        Shown after the description: what to do with the controls.
    details : callable () -> str, optional
        The figure's numbers in words, as its view describes them (``view.describe``): the first line
        ends the alt text ("sum of 32 products −25.2, plus bias 0.5 is −24.7, ReLU gives 0"), the rest
        is the long description, under the figure in a ``<details>`` a screen reader can open.
    layout : callable (controls) -> list of widgets, optional
        Rows of controls, in order (default: all controls in one wrapping row).
    pick : callable (x, y) -> dict or None, optional
        A click on the figure at display point ``(x, y)`` (pixels, matplotlib's: from the bottom left)
        -> the control values it selects (``{"i": 2, "j": 3}``), or None where nothing is to pick.
    nudge : callable (values, key) -> dict or None, optional
        An arrow key ("ArrowUp", ...) pressed on the focused figure -> the control values it moves to.
    sweep : (count, callable step -> dict), optional
        A filter sweep over ``count`` pixels in raster order, played by a play/pause button: step k
        shows the output computed up to pixel k (the rest empty) and returns the control values that
        follow it (``{"i": .., "j": ..}``). Moving any other control pauses it (the output so far is
        shown again for the new setting); choosing a pixel (those controls, a click, a key) ends it.
    photos : callable () -> list of boxes, optional
        Where photos are drawn, as ``(left, top, right, bottom)`` pixel boxes of the frame: those parts
        of a move are sent as JPEG (every other part is lossless).
    slides : callable () -> conv1x1.engine.layouts.Arrangement, optional
        The figure's layout on a slide: what :meth:`arrange` applies when the notebook is presented
        (the figure's view asks for it when jupyterlab-deck presents the notebook, and for the notebook
        layout back when it stops).

    Attributes
    ----------
    controls, figure
        As given. Setting ``controls[name].value`` updates the figure exactly as the browser does.
    image : conv1x1.engine.controls.FigureView
        The rendered figure (``image.value`` is the PNG, ``image.alt`` its alt text).
    status : ipywidgets.HTML
        Empty, or the error raised by the last update.
    widget : ipywidgets.VBox
        Description, controls, image and status, as displayed.
    last_error : Exception or None
        The error raised by the last update, if any.
    """

    def __init__(self, figure: Figure, animated: Sequence, controls: dict[str, widgets.Widget],
                 update: Callable[[Values, str | None], dict | None], *, describe: Callable[[Values], str],
                 caption: Callable[[Values], str], instructions: str = "",
                 layout: Callable[[dict], list] | None = None, details: Callable[[], str] | None = None,
                 pick: Callable[[float, float], dict | None] | None = None,
                 nudge: Callable[[Values, str], dict | None] | None = None,
                 photos: Callable[[], list] | None = None,
                 sweep: tuple[int, Callable[[int], dict]] | None = None,
                 slides: Callable[[], Arrangement] | None = None):
        self.figure = figure
        self._details = details
        self.controls = controls
        self._update, self._describe, self._caption_of = update, describe, caption
        self._pick, self._nudge, self._photos = pick, nudge, photos
        self.instructions = instructions
        self.last_error: Exception | None = None
        self._quiet = False
        self.description = describe(self.state())
        self._caption = add_caption(figure)
        if slides is not None and not callable(slides):
            raise TypeError(f"slides must be a function returning an Arrangement, or None; got {slides!r}")
        self._layouts = None if slides is None else Layouts(figure, slides, caption_height=CAPTION_PIXELS / figure.dpi,
                                                            rule=self._caption.rule)
        # blitting draws the animated artists after the static ones, one by one: draw them in the order a
        # full draw of the figure would, so that what is in front in the static figure stays in front
        self._animated = in_draw_order(figure, [*animated, self._caption])
        for artist in self._animated:
            artist.set_animated(True)
        self._background = None
        self.image = controls_.FigureView(arrows=nudge is not None,
                                          hint="Click a cell to choose that pixel; with the figure focused, "
                                               "arrow keys move it." if pick is not None else "")
        self.image.on_event = self.handle
        self.status = widgets.HTML(value="")
        self._header = widgets.HTML(self._header_html())
        self.sweeper, self._sweep_owns = None, set()
        if sweep is not None:
            count, self._sweep_to = sweep
            self.sweeper = controls_.Sweep(count=count)
            self.sweeper.observe(self._on_sweep, names="step")
        rows = layout(controls) if layout is not None else [
            widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap"))]
        sweeper = [self.sweeper] if self.sweeper is not None else []
        self.widget = widgets.VBox([self._header, *rows, *sweeper, self.image, self.status])
        self.widget.add_class("conv1x1-explorer")
        for control in controls.values():
            control.observe(self._on_change, names="value")
        self.render(full=True)

    def _header_html(self) -> str:
        # the instructions in a span of their own: a slide leaves them out (the teacher says them)
        return (f"<b>{html.escape(self.description)}</b>"
                + (f" <span class='conv1x1-instructions'>{html.escape(self.instructions)}</span>"
                   if self.instructions else ""))

    def state(self) -> dict[str, Any]:
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def caption(self) -> str:
        """The state in words, as drawn under the figure."""
        return self._caption_of(self.state())

    # -- callbacks ---------------------------------------------------------
    def _on_change(self, change: dict) -> None:
        """Apply a control's new value; any error is shown, never lost."""
        if self._quiet:                  # a control set by the update itself: one frame, not several
            return
        name = next((n for n, c in self.controls.items() if c is change["owner"]), None)
        self._guarded(lambda: self._apply(name))

    def set(self, values: dict[str, Any]) -> None:
        """Set several controls at once and draw one frame (a click sets the row and the column)."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"values must name controls of this explorer ({', '.join(self.controls)}); "
                             f"got {sorted(unknown)}")
        changed = [name for name, value in values.items() if self.controls[name].value != value]
        if not changed:
            return
        self._set_quietly({name: values[name] for name in changed})
        self._guarded(lambda: self._apply(changed[0]))

    @property
    def layout(self) -> str:
        """How the figure is laid out now: "notebook", or "slides" while the notebook is presented."""
        return "notebook" if self._layouts is None else self._layouts.name

    @property
    def arrangement(self) -> Arrangement | None:
        """The slide layout while it is on (its size, boxes and text floor), else None."""
        return None if self._layouts is None else self._layouts.applied

    def arrange(self, layout: str) -> None:
        """Lay the figure out for ``layout``, "notebook" or "slides", and show it: same state, same
        controls. An explorer without a slide layout keeps its figure as it is."""
        layout = check_choice(layout, "layout", list(Layouts.NAMES))
        if self._layouts is None:
            return
        try:
            changed = self._layouts.apply(layout)
        finally:
            self._background = None          # the next render draws the whole figure anew
        if changed:
            self._redraw()

    def _redraw(self) -> None:
        """Draw the state shown anew, in full: the views redo what depends on their size (the bars'
        hatching), and a sweep under way keeps its place (a layout change is not a learner's move)."""
        follow = self._update(self.state(), None)
        if follow:
            self._set_quietly(follow)
        sweep = self.sweeper
        if sweep is not None and 0 <= sweep.step < sweep.count - 1:
            self._set_quietly(self._sweep_to(sweep.step))
        self.render(full=True)

    def click(self, x: float, y: float) -> None:
        """A click on the figure at ``(x, y)``, in the figure's pixels from its top left corner (as the
        browser sends it): selects what is there (a pixel), as the learner's click does. Errors are shown
        in the explorer, as for every move."""
        def pick() -> None:
            if self._pick is not None:
                height = self.figure.canvas.get_width_height()[1]
                values = self._pick(float(x), height - float(y))
                if values:
                    self.set(values)
        self._guarded(pick)

    def press(self, key: str) -> None:
        """A key pressed on the focused figure ("ArrowUp", ...): moves the chosen pixel one step, as the
        learner's arrow key does; any other key does nothing."""
        def nudge() -> None:
            if self._nudge is not None:
                values = self._nudge(self.state(), str(key))
                if values:
                    self.set(values)
        self._guarded(nudge)

    def handle(self, message: dict) -> None:
        """A message from the figure's view in the browser: ``{"event": "click", "x", "y"}``,
        ``{"event": "key", "key"}`` or ``{"event": "layout", "name"}`` (jupyterlab-deck started or ended
        the talk). Anything else is ignored; errors are shown in the explorer, never lost."""
        event = message.get("event") if isinstance(message, dict) else None
        if event == "click":
            self.click(message.get("x", float("nan")), message.get("y", float("nan")))
        elif event == "key":
            self.press(str(message.get("key")))
        elif event == "layout":
            self._guarded(lambda: self.arrange(str(message.get("name"))))

    def _on_sweep(self, change: dict) -> None:
        """The sweep reached step ``change["new"]``: show it, then tell the browser it is drawn."""
        step = change["new"]
        if step < 0:
            return

        def advance() -> None:
            moved = self._sweep_to(step)
            self._sweep_owns = set(moved)
            self._set_quietly(moved)
            self.render()
            self.sweeper.shown = step
        self._guarded(advance)

    def _apply(self, name: str | None) -> None:
        sweep = self.sweeper
        swept = sweep is not None and 0 <= sweep.step < sweep.count - 1         # a sweep in progress
        if swept and name in self._sweep_owns:        # the learner takes the pixel: the sweep ends
            sweep.stop()
            swept = False
        elif swept:                                   # any other control pauses it where it is
            sweep.playing = False
        follow = self._update(self.state(), name)
        if follow:
            self._set_quietly(follow)
        if swept:                                     # ... showing what it has computed so far, anew
            self._set_quietly(self._sweep_to(sweep.step))
        elif sweep is not None and sweep.step >= 0:   # a finished sweep: the next move starts afresh
            sweep.stop()
        self.render()

    def _set_quietly(self, values: dict[str, Any]) -> None:
        self._quiet = True
        try:
            for other, value in values.items():
                self.controls[other].value = value
        finally:
            self._quiet = False

    def _guarded(self, action: Callable[[], None]) -> None:
        try:
            action()
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

    # -- drawing -----------------------------------------------------------
    def render(self, full: bool = False) -> None:
        """Redraw the changed artists over the saved background and send the browser what changed.

        ``full=True`` redraws everything (and saves a new background).
        The frame goes to :attr:`image`, which sends the browser only what changed.
        """
        values = self.state()
        description = self._describe(values)
        if description != self.description:          # the formula shown changed (ReLU switched, say)
            self.description = description
            self._header.value = self._header_html()
        self._caption.set_text(self._caption_of(values))
        canvas = self.figure.canvas
        if full or self._background is None:
            canvas.draw()                   # static artists only: animated ones are skipped
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._animated:
            if shown(artist):                  # not in an Axes the slide layout leaves out
                self.figure.draw_artist(artist)
        self._words = None                     # the figure's description, made once per frame (below)
        self.image.alt = self.alt_text()       # the words go with the picture, in one message
        self.image.description = self.long_description()
        self.image.live = self.result()
        self.image.send_frame(np.asarray(canvas.buffer_rgba()), photos=self._photos() if self._photos else ())

    def alt_text(self) -> str:
        """What the figure shows now, in words, for screen readers (the image's alt text): the explorer,
        every control's value by its label, and the figure's main numbers."""
        values = ", ".join(f"{control.description} = {_short(control.value)}" for control in self.controls.values())
        numbers = self.result()
        return f"{self.description} Showing {values}." + (f" {numbers}" if numbers else "")

    def result(self) -> str:
        """The figure's main numbers in a sentence (the first line of its description): what a polite live
        region announces after a move, and how the alt text ends."""
        numbers = self._split_details()[0]
        return numbers if not numbers or numbers.endswith(".") else numbers + "."

    def long_description(self) -> str:
        """Every number of the figure in words (the view's description after its first line), or ''."""
        return self._split_details()[1]

    def _split_details(self) -> tuple[str, str]:
        """The view's description as (first line, the rest), computed once per frame."""
        if self._details is None:
            return "", ""
        if getattr(self, "_words", None) is None:
            self._words = split(self._details())
        return self._words

    # -- display -----------------------------------------------------------
    def __repr__(self) -> str:
        values = ", ".join(f"{name}={_short(value)}" for name, value in self.state().items())
        return f"{type(self).__name__}({values})"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """The live widget, plus a static PNG for readers without a kernel."""
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/plain"] = f"{self!r}: {self.description}"
        # the static figure (where no kernel runs the widget: nbconvert, nbviewer, GitHub) as an <img> with
        # its alt text and the numbers in words; stored once, as HTML, not again as image/png
        long = self.long_description()
        bundle["text/html"] = figure_html(self.image.value, self.alt_text() + ("\n" + long if long else ""))
        return bundle


def _short(value: Any) -> str:
    return format_number(value, 3, minus="-") if isinstance(value, float) else repr(value)


#: Height of the caption strip added under every explorer's figure, in pixels at the figure's dpi.
CAPTION_PIXELS = 30
CAPTION_FONTSIZE = 10.5


def add_caption(figure: Figure) -> FastText:
    """Grow ``figure`` by a strip at the bottom and put an empty caption line in it.

    Everything already drawn keeps its place on screen: axes, and figure-level texts placed in figure
    fractions, are moved up by the strip, so the figure above the strip is unchanged to the pixel.
    """
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
    line = figure.add_artist(Line2D([0.1, width - 0.1], [rule, rule], transform=figure.dpi_scale_trans,
                                    color="#cccccc", linewidth=0.8))
    caption = FastText(0.15, extra / 2, "", ha="left", va="center", fontsize=CAPTION_FONTSIZE,
                       color="#222222", transform=figure.dpi_scale_trans, segments=", ")
    figure.add_artist(caption)
    caption.rule = line                  # kept, to stretch it when a slide layout changes the figure's width
    return caption


def slider(kind: type, description: str, value, minimum, maximum, step=1, *, decimals: int | None = None,
            tooltip: str | None = None) -> widgets.Widget:
    """A labelled slider (:mod:`conv1x1.engine.controls`): screen readers say what it sets, arrow keys move it.

    ``kind`` is :class:`conv1x1.engine.controls.IntSlider` or ``FloatSlider``; ``decimals`` is how many a float
    slider shows and announces (default 2).
    """
    if decimals is None:
        decimals = 0 if kind is controls_.IntSlider else 2
    return kind(value=value, min=minimum, max=maximum, step=step, description=description,
                tooltip=tooltip or description, decimals=decimals)


def switch(description: str, value: bool) -> widgets.Checkbox:
    """A labelled checkbox, named natively for screen readers."""
    return widgets.Checkbox(value=value, description=description, indent=False,
                            layout=widgets.Layout(width="auto"), tooltip=description)


def on_off(value: bool) -> str:
    """A switch's state in a caption: "on" or "off"."""
    return "on" if value else "off"


#: The arrow keys, as steps of (row i, column j).
ARROWS = {"ArrowUp": (-1, 0), "ArrowDown": (1, 0), "ArrowLeft": (0, -1), "ArrowRight": (0, 1)}


def pixel_choice(pixel: tuple[int, int] | None) -> dict | None:
    """A picked pixel as the values of the explorer's "i" and "j" controls (None: nothing picked)."""
    return None if pixel is None else {"i": pixel[0], "j": pixel[1]}


def nudge_pixel(controls: dict, values: Values, key: str) -> dict | None:
    """The pixel one step (each slider's own step) from the current one in the arrow's direction,
    kept inside the sliders' ranges; None for another key."""
    if key not in ARROWS:
        return None
    out = {}
    for name, delta in zip(("i", "j"), ARROWS[key]):
        control = controls[name]
        out[name] = int(min(max(values[name] + delta * control.step, control.min), control.max))
    return out
