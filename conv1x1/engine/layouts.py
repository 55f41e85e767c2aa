"""A second layout of an explorer's figure, for slides: the same artists, rearranged and legible.

A figure made for the notebook is read at arm's length, about 1,100 px wide, with tick labels at 7-9
points. Presented at 1280×720 under its controls it is drawn at half that size, and its smallest text
shrinks to a third of the slide's body text. :class:`Arrangement` says how the same figure is laid
out on a slide instead: its size in inches (the height left under the controls), where each Axes
goes (or that it is left out), and a floor for every text in it. :class:`Layouts` applies it to the
live figure and undoes it, so the explorer keeps its state, its controls and its artists when a
teacher starts or stops presenting (:meth:`conv1x1.engine.explorer.Explorer.arrange`).

Nothing is rebuilt: Axes are moved (their data, transforms and picking follow), texts are raised to
the floor, and what is left out is hidden and moved off the figure, so that a click never lands on
it. :func:`text_sizes` lists the size of every text a draw of the figure shows: the tests check the
floor with it, and :func:`conv1x1.draw.alt.bundle` gives every still figure its smallest text, so that a
slide can draw it at the body text's size. A drawing module: matplotlib only, no widgets.
"""

from __future__ import annotations

from typing import Any, Mapping, NamedTuple, Sequence

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from ..compute.validate import check_real, short_repr
from .render import CellGrid, FastText

__all__ = ["Arrangement", "Layouts", "SLIDE_TEXT", "shown", "text_sizes"]

#: The smallest text on a slide, in points: at the figure's 100 dpi, 15.3 px drawn at full size, and
#: still the 14 px of a 1280×720 slide's body text when the slide shows the figure at 92% of it.
SLIDE_TEXT = 11.0


class Arrangement(NamedTuple):
    """How an explorer's figure is laid out on a slide.

    ``size`` is the figure's ``(width, height)`` in inches, without the caption strip that
    :func:`conv1x1.engine.explorer.add_caption` keeps at the bottom. ``axes`` maps an Axes of the figure to
    its box ``(left, bottom, width, height)`` in inches from the bottom left of that area, or to None
    to leave it out; an Axes not named keeps its place as a fraction of the figure. Every text is
    raised to at least ``text`` points (tick labels, titles, cells' numbers, captions). The artists of
    ``reveal`` (hidden in the notebook: a label a stacked layout needs) are made visible, those of
    ``hide`` (a note too long for the slide) are hidden.
    """

    size: tuple[float, float]
    axes: Mapping[Axes, tuple[float, float, float, float] | None]
    text: float = SLIDE_TEXT
    reveal: Sequence[Artist] = ()
    hide: Sequence[Artist] = ()


def _texts(figure: Figure) -> list:
    return figure.findobj(lambda a: isinstance(a, (Text, FastText, CellGrid)))


def shown(artist) -> bool:
    """Whether a draw of the figure shows ``artist``: it and its Axes (if any) are visible."""
    if not artist.get_visible():
        return False
    ax = getattr(artist, "axes", None)
    return ax is None or ax.get_visible()


def text_sizes(figure: Figure, *, draw: bool = True) -> list[tuple[float, str]]:
    """``(points, text)`` of every text the figure shows, smallest first, after drawing it once
    (``draw=False``: the figure was just drawn, as it is now).

    Grids of numbers count at the size their labels were drawn (:attr:`CellGrid.drawn_fontsize`),
    so a grid that had to shrink its numbers to fit its cells counts at the shrunk size.
    """
    if not isinstance(figure, Figure):
        raise TypeError(f"figure must be a matplotlib Figure; got {short_repr(figure)}")
    if draw:
        figure.canvas.draw()
    # tick labels count only where the axis draws them (not on an Axes set_axis_off, nor stale ticks)
    ticks, drawn = set(), set()
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                ticks.update((id(tick.label1), id(tick.label2)))
            if ax.axison and axis.get_visible():
                drawn.update(id(label) for label in axis.get_ticklabels(which="both"))
    out = []
    for artist in _texts(figure):
        if not shown(artist) or (id(artist) in ticks and id(artist) not in drawn):
            continue
        if isinstance(artist, CellGrid):
            if any(str(s) for s in artist.strings.ravel()):
                out.append((float(artist.drawn_fontsize), "numbers of a grid"))
        elif artist.get_text().strip():
            out.append((float(_size(artist)), artist.get_text()))
    return sorted(out, key=lambda pair: pair[0])


class Layouts:
    """The notebook layout of a figure (as built) and its slide layout, switched in place.

    ``caption_height`` is the strip (inches) at the bottom that the arrangement leaves alone;
    ``rule`` the line across its top, stretched to the new width.
    """

    NAMES = ("notebook", "slides")

    def __init__(self, figure: Figure, arrangement: Any, *, caption_height: float = 0.0, rule=None):
        if not isinstance(figure, Figure):
            raise TypeError(f"figure must be a matplotlib Figure; got {short_repr(figure)}")
        if not callable(arrangement):
            raise TypeError(f"arrangement must be a function returning an Arrangement; got {short_repr(arrangement)}")
        self.figure = figure
        self._arrangement = arrangement          # a callable () -> Arrangement, called on the first switch
        self._caption_height = caption_height
        self._rule = rule
        self._saved: dict | None = None
        self.name = "notebook"
        self.applied: Arrangement | None = None          # the slide layout, while it is on

    def apply(self, name: str) -> bool:
        """Lay the figure out as ``name`` ("notebook" or "slides"); False when it already was."""
        if name not in self.NAMES:
            raise ValueError(f"name must be one of {list(self.NAMES)}; got {short_repr(name)}")
        if name == self.name:
            return False
        if name == "slides":
            arrangement = self._checked(self._arrangement())     # before anything changes
            self._saved = self._save()
            try:
                self._arrange(arrangement)
            except BaseException:
                self._restore(self._saved)                        # never left half arranged
                raise
            self.applied = arrangement
        else:
            self._restore(self._saved)
            self.applied = None
        self.name = name
        return True

    # -- the notebook layout, saved and restored --------------------------------------------------
    def _save(self) -> dict:
        fig = self.figure
        return {
            "size": tuple(fig.get_size_inches()),
            "axes": {ax: (ax.get_position(original=True).bounds, ax.get_visible()) for ax in fig.axes},
            "texts": {a: _size(a) for a in _texts(fig)},
            "ticks": {},                     # tick label sizes the arrangement raised (filled by _arrange)
            "rule": None if self._rule is None else list(self._rule.get_xdata()),
            "visible": {},                   # the artists an arrangement shows or hides (filled by _arrange)
        }

    def _restore(self, saved: dict) -> None:
        fig = self.figure
        fig.set_size_inches(saved["size"])
        for ax, (bounds, visible) in saved["axes"].items():
            ax.set_position(bounds)
            ax.set_visible(visible)
        for (ax, axis), size in saved["ticks"].items():
            ax.tick_params(axis=axis, which="both", labelsize=size)
        _set_sizes(saved["texts"])
        if self._rule is not None:
            self._rule.set_xdata(saved["rule"])
        for artist, visible in saved["visible"].items():
            artist.set_visible(visible)

    def _checked(self, arrangement: Any) -> Arrangement:
        """``arrangement``, if it can be applied to this figure; else a TypeError or ValueError naming the
        field that is wrong."""
        if not isinstance(arrangement, Arrangement):
            raise TypeError(f"the slide layout must be an Arrangement; got {short_repr(arrangement)}")
        size = arrangement.size
        if isinstance(size, (str, bytes)) or not hasattr(size, "__len__") or len(size) != 2:
            raise TypeError(f"size must be (width, height) in inches; got {short_repr(size)}")
        for v, name in zip(size, ("size[0]", "size[1]")):
            check_real(v, name, minimum=1)
        check_real(arrangement.text, "text", minimum=1)
        if not isinstance(arrangement.axes, Mapping):
            raise TypeError(f"axes must map each Axes to a box or None; got {short_repr(arrangement.axes)}")
        for ax, box in arrangement.axes.items():
            if ax not in self.figure.axes:
                raise ValueError(f"axes names an Axes that is not in the figure: {short_repr(ax)}")
            if box is None:
                continue
            if isinstance(box, (str, bytes)) or not hasattr(box, "__len__") or len(box) != 4:
                raise ValueError(f"an Axes' box must be (left, bottom, width, height) in inches; got {short_repr(box)}")
            left, bottom, width, height = (check_real(v, "box") for v in box)
            if width <= 0 or height <= 0:
                raise ValueError(f"an Axes' box must have a width and a height > 0; got {box!r}")
        for field in ("reveal", "hide"):
            for artist in getattr(arrangement, field):
                if not isinstance(artist, Artist) or artist.figure is not self.figure:
                    raise ValueError(f"{field} must hold artists of this figure; got {short_repr(artist)}")
        return arrangement

    def _arrange(self, arrangement: Arrangement) -> None:
        fig = self.figure
        width, height = (float(v) for v in arrangement.size)
        strip = self._caption_height
        total = height + strip
        fig.set_size_inches(width, total)
        for ax, box in arrangement.axes.items():
            if box is None:          # left out: hidden, and off the figure, so that no click picks it
                ax.set_visible(False)
                ax.set_position((-2.0, -2.0, 0.5, 0.5))
                continue
            left, bottom, w, h = box
            ax.set_position((left / width, (bottom + strip) / total, w / width, h / total))
        floor = float(arrangement.text)
        for ax in fig.axes:
            for axis in ("x", "y"):
                size = _tick_size(ax, axis)
                if size is not None and size < floor:
                    self._saved["ticks"][ax, axis] = size
                    ax.tick_params(axis=axis, which="both", labelsize=floor)
        _set_sizes({a: floor for a in _texts(fig)}, at_least=True)
        if self._rule is not None:
            self._rule.set_xdata([0.1, width - 0.1])
        for artists, visible in ((arrangement.reveal, True), (arrangement.hide, False)):
            for artist in artists:
                self._saved["visible"].setdefault(artist, artist.get_visible())
                artist.set_visible(visible)


def _tick_size(ax: Axes, axis: str) -> float | None:
    labels = (ax.xaxis if axis == "x" else ax.yaxis).get_ticklabels(which="both")
    return float(labels[0].get_fontsize()) if labels else None


def _size(artist) -> float:
    """A text's size in points (FastText and CellGrid keep it as an attribute, Text behind a getter)."""
    return artist.fontsize if isinstance(artist, (FastText, CellGrid)) else artist.get_fontsize()


def _set_sizes(sizes: Mapping, *, at_least: bool = False) -> None:
    for artist, size in sizes.items():
        size = max(_size(artist), size) if at_least else size
        if isinstance(artist, (FastText, CellGrid)):
            artist.fontsize = size
            artist.stale = True
        else:
            artist.set_fontsize(size)
