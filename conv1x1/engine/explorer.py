"""The base class of every explorer: a figure built once, its controls, and the frame the browser shows.

An explorer of the course is a subclass of :class:`Explorer`: its ``__init__`` builds the figure and the
controls and hands them to ``Explorer.__init__``; its methods say what the figure shows for a state
(:meth:`Explorer.update`, the words) and what a click, an arrow key or the sweep selects. The base class
owns the rest: observing the controls, drawing a frame over a saved background, sending it, errors shown
to the learner. The helpers here (:func:`slider`, :func:`switch`, :func:`on_off`, :func:`pixel_choice`,
:func:`nudge_pixel`) are the building blocks the explorers share; :mod:`conv1x1.explore` has the five.
"""

from __future__ import annotations

import html
import traceback
from typing import Any, Callable, Mapping, Sequence

import ipywidgets as widgets
import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..compute.core import format_number
from ..compute.validate import check_choice, check_int, real, short_repr
from . import controls as controls_
from .layouts import Arrangement, Layouts, shown
from .render import FastText, in_draw_order
from .static_figure import figure_html, split

__all__ = ["ARROWS", "CAPTION_PIXELS", "Explorer", "State", "add_caption", "nudge_pixel", "on_off", "pixel_choice",
           "slider", "switch"]

#: An explorer's state: every control's value, by the control's name (what :meth:`Explorer.state` returns).
State = Mapping[str, Any]


class Explorer:
    """A figure built once, its controls, and the frame the browser shows: the base class of every explorer.

    A subclass builds its figure and its controls, passes them to ``Explorer.__init__`` and overrides the
    methods that say what its figure shows; the state is the controls' values (:meth:`state`), and
    everything else an explorer shows is computed from it. On every move the base class calls
    :meth:`settle`, :meth:`update`, then draws the changed artists over a saved background and sends the
    browser the parts of the frame that changed, with the words (:meth:`headline`, :meth:`caption`,
    :meth:`describe`). Errors raised by these methods are shown in the explorer, never lost.

    ==============================  ================================================================
    Override                        to say
    ==============================  ================================================================
    ``update(state, changed)``      required: set the figure's artists for ``state``, after the
                                    control ``changed`` moved (None: draw it anew)
    ``headline(state)``             required: the sentence over the figure (the formula shown)
    ``caption(state)``              required: the state in words, drawn under the figure
                                    ("Showing: ..."), so that a saved picture says what it shows
    ``describe()``                  the figure's numbers in words, as its view describes them
    ``settle(state, changed)``      controls that follow another (a preset sets nine weights)
    ``control_rows()``              the controls' rows (default: one wrapping row)
    ``pick(x, y)``                  what a click on the figure selects (then the figure says so)
    ``nudge(state, key)``           what an arrow key selects (then the figure takes arrow keys)
    ``sweep_to(step)``              the sweep's step ``step`` (with ``sweep_steps`` > 0)
    ``photo_boxes()``               where photos are drawn (sent as JPEG)
    ``slide_layout()``              the figure's layout on a slide
    ==============================  ================================================================

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure, made with :func:`conv1x1.draw.style.new_figure` (not registered with pyplot).
    animated : sequence of Artist
        The artists :meth:`update` changes: redrawn on every move, over a saved background.
    controls : dict of str to widget
        The controls, by name (made with :func:`slider`, :func:`switch` or
        :class:`conv1x1.engine.controls.Dropdown`).
    instructions : str, default ""
        Shown after the headline: what to do with the controls.
    sweep_steps : int, default 0
        How many steps the filter sweep has (0: no sweep): a play/pause button then calls
        :meth:`sweep_to` with 0, 1, ... in turn.

    Attributes
    ----------
    controls, figure, instructions
        As given. Setting ``controls[name].value`` updates the figure exactly as the browser does.
    image : conv1x1.engine.controls.FigureView
        The rendered figure (``image.value`` is the PNG, ``image.alt`` its alt text).
    header : ipywidgets.HTML
        The headline and the instructions, over the controls.
    status : ipywidgets.HTML
        Empty, or the error raised by the last move.
    sweeper : conv1x1.engine.controls.Sweep or None
        The sweep's play/pause button, with ``sweep_steps`` > 0.
    widget : ipywidgets.VBox
        Header, controls, sweep, image and status, as displayed.
    last_error : Exception or None
        The error raised by the last move, if any.
    """

    def __init__(self, figure: Figure, animated: Sequence[Artist], controls: dict[str, widgets.Widget], *,
                 instructions: str = "", sweep_steps: int = 0):
        if not isinstance(figure, Figure):
            raise TypeError(f"figure must be a matplotlib Figure; got {short_repr(figure)}")
        if isinstance(animated, (str, bytes)) or not all(isinstance(a, Artist) for a in animated):
            raise TypeError(f"animated must be a sequence of matplotlib Artists; got {short_repr(animated)}")
        if not isinstance(controls, dict) or not all(isinstance(n, str) and hasattr(c, "value")
                                                     for n, c in controls.items()):
            raise TypeError(f"controls must be a dict of name to control (a widget with a value); "
                            f"got {short_repr(controls)}")
        if not isinstance(instructions, str):
            raise TypeError(f"instructions must be a string; got {short_repr(instructions)}")
        sweep_steps = check_int(sweep_steps, "sweep_steps", minimum=0)
        self.figure = figure
        self.controls = controls
        self.instructions = instructions
        self.last_error: Exception | None = None
        self._caption = add_caption(figure)
        self._layouts: Layouts | None = None          # the notebook and slide layouts (see arrange)
        # blitting draws the animated artists after the static ones, one by one: draw them in the order a
        # full draw of the figure would, so that what is in front in the static figure stays in front
        self._animated = in_draw_order(figure, [*animated, self._caption])
        for artist in self._animated:
            artist.set_animated(True)
        self._background = None
        self.image = controls_.FigureView(arrows=self._overrides("nudge"),
                                          hint="Click a cell to choose that pixel; with the figure focused, "
                                               "arrow keys move it." if self._overrides("pick") else "")
        self.image.on_event = self.handle
        self.status = widgets.HTML(value="")
        self.header = widgets.HTML(self._header_html(self.headline(self.state())))
        self.sweeper, self._sweep_owns = None, set()
        if sweep_steps:
            self.sweeper = controls_.Sweep(count=sweep_steps)
            self.sweeper.observe(self._on_sweep, names="step")
        sweeper = [self.sweeper] if self.sweeper is not None else []
        self.widget = widgets.VBox([self.header, *self.control_rows(), *sweeper, self.image, self.status])
        self.widget.add_class("conv1x1-explorer")
        for control in controls.values():
            control.observe(self._on_change, names="value")
        self.render(full=True)

    # -- what a subclass says (override) --------------------------------------
    def update(self, state: State, changed: str | None) -> None:
        """Set the figure's artists for ``state``, after the control ``changed`` moved (None: a redraw of
        the same state, after a layout change). Required."""
        raise NotImplementedError(f"{type(self).__name__} must define update(state, changed): what the figure "
                                  "shows for the controls' values")

    def headline(self, state: State) -> str:
        """What the explorer shows, one sentence that follows the state (the formula shown, say): over the
        figure, and the start of its alt text. Required."""
        raise NotImplementedError(f"{type(self).__name__} must define headline(state): one sentence saying "
                                  "what the explorer shows")

    def caption(self, state: State) -> str:
        """The state in words, drawn under the figure ("Showing: ..."), so that a saved static picture says
        which state it shows. Required."""
        raise NotImplementedError(f"{type(self).__name__} must define caption(state): the state in words, "
                                  "'Showing: ...'")

    def describe(self) -> str:
        """The figure's numbers in words, as its view describes them (``view.describe()``): the first line
        ends the alt text ("sum of 32 products −25.2, plus bias 0.5 is −24.7, ReLU gives 0"), the rest is
        the long description, under the figure in a ``<details>`` a screen reader can open. Default: ''."""
        return ""

    def settle(self, state: State, changed: str | None) -> dict[str, Any]:
        """The state after the control ``changed`` moved, with the controls that follow it set (a preset
        sets nine weights; a kind of layer sets the sizes it needs). The base class sets the controls whose
        values differ before calling :meth:`update`, so that the learner sees them follow, in one frame.
        Default: ``state`` as it is (no control follows another)."""
        return dict(state)

    def control_rows(self) -> list[widgets.Widget]:
        """The controls, as rows shown over the figure. Default: every control, in one wrapping row."""
        return [widgets.HBox(list(self.controls.values()), layout=widgets.Layout(flex_flow="row wrap"))]

    def pick(self, x: float, y: float) -> dict[str, Any] | None:
        """The control values a click on the figure at display point ``(x, y)`` selects (matplotlib's pixels,
        from the bottom left: ``{"i": 2, "j": 3}``), or None where there is nothing to pick. An explorer
        that overrides this says so in the figure's tooltip."""
        return None

    def nudge(self, state: State, key: str) -> dict[str, Any] | None:
        """The control values an arrow key ("ArrowUp", ...) pressed on the focused figure moves to, or None.
        An explorer that overrides this gets the arrow keys of the focused figure."""
        return None

    def sweep_to(self, step: int) -> dict[str, Any]:
        """Show step ``step`` of the filter sweep (0 .. ``sweep_steps`` - 1, in raster order: the output
        computed up to that pixel, the rest empty) and return the control values that follow it
        (``{"i": .., "j": ..}``). Moving any other control pauses the sweep (the output so far is shown
        again for the new setting); choosing a pixel (those controls, a click, a key) ends it. Required
        with ``sweep_steps`` > 0."""
        raise NotImplementedError(f"{type(self).__name__} has a sweep (sweep_steps > 0) and must define "
                                  "sweep_to(step)")

    def photo_boxes(self) -> Sequence[tuple[int, int, int, int]]:
        """Where photos are drawn, as ``(left, top, right, bottom)`` pixel boxes of the frame: those parts of
        a move are sent as JPEG (every other part is lossless). Default: none."""
        return ()

    def slide_layout(self) -> Arrangement | None:
        """The figure's layout on a slide (its size, a box for each Axes or None to leave it out, a text
        floor): what :meth:`arrange` applies when the notebook is presented. Default None: the figure
        keeps its notebook layout on a slide."""
        return None

    def _overrides(self, method: str) -> bool:
        """Whether this explorer defines ``method`` itself (a click or an arrow key then does something)."""
        return getattr(type(self), method) is not getattr(Explorer, method)

    # -- the state --------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """The controls' current values, by name: the explorer's one state."""
        return {name: control.value for name, control in self.controls.items()}

    def set(self, values: dict[str, Any]) -> None:
        """Set several controls at once and draw one frame (a click sets the row and the column)."""
        if not isinstance(values, Mapping):
            raise TypeError(f"values must be a dict of control name to value; got {short_repr(values)}")
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"values must name controls of this explorer ({', '.join(self.controls)}); "
                             f"got {sorted(unknown)}")
        changed = [name for name, value in values.items() if self.controls[name].value != value]
        if not changed:
            return
        self._set_controls({name: values[name] for name in changed})
        self._guarded(lambda: self._apply(changed[0]))

    def _set_controls(self, values: State) -> None:
        """Set controls to values the explorer chose itself: a click's pixel, the pixel a sweep reached, the
        controls :meth:`settle` makes follow another. Each control's observer is held off while it is set,
        so that the change is not taken for the learner's move: one move, one :meth:`update`, one frame."""
        for name, value in values.items():
            control = self.controls[name]
            if control.value == value:
                continue
            control.unobserve(self._on_change, names="value")
            try:
                control.value = value
            finally:
                control.observe(self._on_change, names="value")

    def _settle_and_update(self, changed: str | None) -> None:
        """The controls that follow ``changed`` set (:meth:`settle`), then the figure's artists (:meth:`update`)."""
        state = self.settle(self.state(), changed)
        self._set_controls(state)
        self.update(state, changed)

    # -- the learner's moves ------------------------------------------------------
    def _on_change(self, change: dict) -> None:
        """A control's new value, from the learner (the browser) or from code: applied, errors shown."""
        name = next((n for n, c in self.controls.items() if c is change["owner"]), None)
        self._guarded(lambda: self._apply(name))

    def click(self, x: float, y: float) -> None:
        """A click on the figure at ``(x, y)``, in the figure's pixels from its top left corner (as the
        browser sends it): selects what is there (a pixel), as the learner's click does. Errors are shown
        in the explorer, as for every move."""
        def pick() -> None:
            height = self.figure.canvas.get_width_height()[1]
            values = self.pick(real(x, "x"), height - real(y, "y"))
            if values:
                self.set(values)
        self._guarded(pick)

    def press(self, key: str) -> None:
        """A key pressed on the focused figure ("ArrowUp", ...): moves the chosen pixel one step, as the
        learner's arrow key does; any other key does nothing."""
        def nudge() -> None:
            values = self.nudge(self.state(), str(key))
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
            moved = self.sweep_to(step)
            self._sweep_owns = set(moved)
            self._set_controls(moved)
            self.render()
            self.sweeper.shown = step
        self._guarded(advance)

    def _apply(self, name: str | None) -> None:
        """The control ``name`` moved: pause or end a sweep, draw the new state, render one frame."""
        sweep = self.sweeper
        swept = sweep is not None and 0 <= sweep.step < sweep.count - 1         # a sweep in progress
        if swept and name in self._sweep_owns:        # the learner takes the pixel: the sweep ends
            sweep.stop()
            swept = False
        elif swept:                                   # any other control pauses it where it is
            sweep.playing = False
        self._settle_and_update(name)
        if swept:                                     # ... showing what it has computed so far, anew
            self._set_controls(self.sweep_to(sweep.step))
        elif sweep is not None and sweep.step >= 0:   # a finished sweep: the next move starts afresh
            sweep.stop()
        self.render()

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

    # -- the layout: notebook or slides -------------------------------------------
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
        controls. An explorer without a slide layout (:meth:`slide_layout` None) keeps its figure as it is."""
        layout = check_choice(layout, "layout", list(Layouts.NAMES))
        if self._layouts is None:                    # still as built: made on the first switch to slides
            if layout == "notebook" or self.slide_layout() is None:
                return
            self._layouts = Layouts(self.figure, lambda: self.slide_layout(), rule=self._caption.rule,
                                    caption_height=CAPTION_PIXELS / self.figure.dpi)
        try:
            changed = self._layouts.apply(layout)
        finally:
            self._background = None          # the next render draws the whole figure anew
        if changed:
            self._redraw()

    def _redraw(self) -> None:
        """Draw the state shown anew, in full: the views redo what depends on their size (the bars'
        hatching), and a sweep under way keeps its place (a layout change is not a learner's move)."""
        self._settle_and_update(None)
        sweep = self.sweeper
        if sweep is not None and 0 <= sweep.step < sweep.count - 1:
            self._set_controls(self.sweep_to(sweep.step))
        self.render(full=True)

    # -- drawing -----------------------------------------------------------
    def render(self, full: bool = False) -> None:
        """Redraw the changed artists over the saved background and send the browser what changed.

        ``full=True`` redraws everything (and saves a new background).
        The frame goes to :attr:`image`, which sends the browser only what changed.
        """
        state = self.state()
        self.header.value = self._header_html(self.headline(state))   # sent only when it changed (ReLU switched)
        self._caption.set_text(self.caption(state))
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
        self.image.send_frame(np.asarray(canvas.buffer_rgba()), photos=self.photo_boxes())

    def _header_html(self, headline: str) -> str:
        # the instructions in a span of their own: a slide leaves them out (the teacher says them)
        return (f"<b>{html.escape(headline)}</b>"
                + (f" <span class='conv1x1-instructions'>{html.escape(self.instructions)}</span>"
                   if self.instructions else ""))

    def alt_text(self) -> str:
        """What the figure shows now, in words, for screen readers (the image's alt text): the headline,
        every control's value by its label, and the figure's main numbers."""
        values = ", ".join(f"{control.description} = {_short(control.value)}" for control in self.controls.values())
        numbers = self.result()
        return f"{self.headline(self.state())} Showing {values}." + (f" {numbers}" if numbers else "")

    def result(self) -> str:
        """The figure's main numbers in a sentence (the first line of :meth:`describe`): what a polite live
        region announces after a move, and how the alt text ends."""
        numbers = self._described()[0]
        return numbers if not numbers or numbers.endswith(".") else numbers + "."

    def long_description(self) -> str:
        """Every number of the figure in words (:meth:`describe` after its first line), or ''."""
        return self._described()[1]

    def _described(self) -> tuple[str, str]:
        """:meth:`describe` as (first line, the rest), computed once per frame."""
        if getattr(self, "_words", None) is None:
            self._words = split(self.describe())
        return self._words

    # -- display -----------------------------------------------------------
    def __repr__(self) -> str:
        values = ", ".join(f"{name}={_short(value)}" for name, value in self.state().items())
        return f"{type(self).__name__}({values})"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """The live widget, plus a static PNG for readers without a kernel."""
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/plain"] = f"{self!r}: {self.headline(self.state())}"
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
                       color="#222222", transform=figure.dpi_scale_trans)
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


def nudge_pixel(controls: dict, state: State, key: str) -> dict | None:
    """The pixel one step (each slider's own step) from the one in ``state`` in the arrow's direction,
    kept inside the sliders' ranges ("i" and "j" of ``controls``); None for another key."""
    if key not in ARROWS:
        return None
    out = {}
    for name, delta in zip(("i", "j"), ARROWS[key]):
        control = controls[name]
        out[name] = int(min(max(state[name] + delta * control.step, control.min), control.max))
    return out
