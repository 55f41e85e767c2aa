"""Text as matplotlib draws it, cached: the words an explorer's labels are pasted from.

matplotlib lays out and rasterises a ``Text`` on every draw, glyph by glyph in 3.11 (about 0.1 ms a
glyph); an explorer's frame has about a hundred labels. Here a word is drawn once, by the Agg renderer's
own ``draw_text`` on an offscreen canvas (public API only), and its pixels are kept
(:func:`text_bitmap`); a number is put together from its glyphs once matplotlib has been seen to draw
each pair of its characters that way; a line is put together from its words, each where matplotlib's
layout puts it (:func:`_line_image`). ``tests/test_render.py`` holds all of it to matplotlib's own
rendering, pixel for pixel where a label's origin is a whole pixel.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.transforms import IdentityTransform

__all__ = ["TextBitmap", "every_pair", "line_image", "line_metrics", "space_width", "text_bitmap", "text_width",
           "word_step", "words_compose"]


class TextBitmap(NamedTuple):
    """One line of text as matplotlib draws it, cropped to its ink.

    ``mask`` is the anti-aliased alpha (uint8, rows from the top); ``descent`` how many pixel rows of ink
    lie below the baseline (negative for ink above it, a dash); ``left`` the column of the first ink from
    the text's origin (a glyph's left bearing: 1 for "0", -1 for "j").
    """

    mask: np.ndarray
    descent: float
    left: int


class _Offscreen:
    """A transparent Agg canvas, reused to rasterise labels one by one through public API.

    A label is drawn with the renderer's own ``draw_text`` (what ``Text.draw`` calls for one line,
    anchored left on its baseline) at a whole-pixel origin, in black, so the canvas's alpha channel is
    exactly the coverage matplotlib paints for that text there. The canvas only grows (a new size
    would mean a new renderer), and only the part a label can reach is cleared and read.
    """

    PAD = 4
    #: Drawn after a text, a space on, to measure its step: where the mark's ink starts tells where a next
    #: word would start.
    MARK = "|"
    #: What numbers are written with: a line with every pair of them side by side (:func:`every_pair`) is
    #: drawn once per font size, before the first number, so that any number can be put together.
    NUMERALS = "0123456789.,−"

    def __init__(self, dpi: float):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.figure = Figure(figsize=(1, 1), dpi=dpi, facecolor="none")
        self.canvas = FigureCanvasAgg(self.figure)
        self.fonts: dict[tuple[float, str], FontProperties] = {}
        self.glyphs: dict[tuple, TextBitmap] = {}
        self.steps: dict[tuple, float] = {}
        self.pairs: set[tuple] = set()          # (a, b, size, weight): "ab" is its two glyphs side by side

    def render(self, text: str, size: float, weight: str) -> TextBitmap:
        """``text`` as the renderer draws it, alone."""
        return TextBitmap(*self._ink(text, size, weight))

    def step(self, text: str, size: float, weight: str) -> float:
        """How far a word that follows ``text`` after one space starts from ``text``'s origin, in pixels:
        measured on ``text``, a space and the mark, drawn (a space kerns with nothing, and a line's
        horizontal place does not depend on what follows its first glyph). To a fraction of a pixel: the
        mark's ink, weighed column by column, against the mark drawn alone at a whole pixel (an older
        matplotlib places glyphs between pixels)."""
        key = (text, size, weight)
        if key not in self.steps:
            self.steps[key] = self._mark_at(text + " " + self.MARK, size, weight) - self._mark_at(
                self.MARK, size, weight)
        return self.steps[key]

    def _mark_at(self, text: str, size: float, weight: str) -> float:
        """Where the ink of ``text``'s last glyph (the mark, after a space) is centred, from its origin."""
        alpha, origin = self._canvas(text, size, weight)
        weights = alpha.sum(axis=0, dtype=np.int64)
        cols = np.flatnonzero(weights)
        gaps = np.flatnonzero(np.diff(cols) > 1)               # the mark: the last run of inked columns
        start = cols[gaps[-1] + 1] if gaps.size else cols[0]
        mark = np.arange(start, len(weights))
        return float((weights[start:] * mark).sum() / weights[start:].sum()) - origin[0]

    def glyph(self, char: str, size: float, weight: str) -> TextBitmap:
        """One character, drawn once."""
        key = (char, size, weight)
        if key not in self.glyphs:
            self.glyphs[key] = self.render(char, size, weight)
        return self.glyphs[key]

    def composable(self, text: str, size: float, weight: str) -> bool:
        """Whether matplotlib has been seen to draw every pair of neighbouring characters of ``text`` as
        their two glyphs side by side (then ``text`` is put together, not drawn)."""
        if len(text) < 2:
            return False
        if ("numerals", size, weight) not in self.pairs and any(c in self.NUMERALS for c in text):
            self.pairs.add(("numerals", size, weight))
            self.learn(every_pair(self.NUMERALS), size, weight)
        return all((a, b, size, weight) in self.pairs for a, b in zip(text, text[1:]))

    def learn(self, text: str, size: float, weight: str) -> None:
        """Draw ``text`` and compare it with its glyphs side by side: where they are the same, pixel for
        pixel and in step, every pair of neighbouring characters in it is learnt."""
        drawn = self.render(text, size, weight)
        composed, step = self.side_by_side(text, size, weight)
        if (composed.mask.shape == drawn.mask.shape and np.array_equal(composed.mask, drawn.mask)
                and composed[1:] == drawn[1:] and abs(step - self.step(text, size, weight)) < 0.05):
            self.pairs.update((a, b, size, weight) for a, b in zip(text, text[1:]))

    def side_by_side(self, text: str, size: float, weight: str) -> tuple[TextBitmap, float]:
        """The glyphs of ``text`` pasted one after another, each a glyph's advance on (its step less a
        space's), and the step of the whole."""
        space = self.step(" ", size, weight) / 2            # a space, and one more to the mark
        placed, pen = [], 0.0
        for char in text:
            glyph = self.glyph(char, size, weight)
            if glyph.mask.size:
                placed.append((glyph, int(round(pen)) + glyph.left))
            pen += self.step(char, size, weight) - space
        if not placed:
            return TextBitmap(np.zeros((0, 0), dtype=np.uint8), 0.0, 0), pen + space
        top = max(g.mask.shape[0] - g.descent for g, _ in placed)           # rows above the baseline
        descent = max(g.descent for g, _ in placed)
        left = min(x for _, x in placed)
        right = max(x + g.mask.shape[1] for g, x in placed)
        mask = np.zeros((int(top + descent), right - left), dtype=np.uint8)
        for glyph, x in placed:
            row = int(top - (glyph.mask.shape[0] - glyph.descent))
            region = mask[row:row + glyph.mask.shape[0], x - left:x - left + glyph.mask.shape[1]]
            np.maximum(region, glyph.mask, out=region)
        return TextBitmap(mask, float(descent), int(left)), pen + space

    def _ink(self, text: str, size: float, weight: str) -> tuple[np.ndarray, float, int]:
        """``text`` drawn at a whole-pixel origin: its ink (mask), descent and left bearing."""
        alpha, origin = self._canvas(text, size, weight)
        rows, cols = np.flatnonzero(alpha.any(axis=1)), np.flatnonzero(alpha.any(axis=0))
        if not rows.size:
            return np.zeros((0, 0), dtype=np.uint8), 0.0, 0
        mask = alpha[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1].copy()
        return mask, float(rows[-1] + 1 - origin[1]), int(cols[0] - origin[0])

    def _canvas(self, text: str, size: float, weight: str) -> tuple[np.ndarray, tuple[int, int]]:
        """The alpha of a canvas with ``text`` drawn on it, and the text's origin (x, y from the top left)."""
        em = size * self.figure.dpi / 72                      # the font size in pixels
        # room for any line: ink reaches at most ~1.2 em above the baseline and ~0.4 em below, and no
        # glyph of DejaVu Sans is wider than 1.1 em; a label whose ink touches an edge of that room is drawn
        # again with twice the room (the tests draw such a label; the course's labels never need it)
        for scale in (1, 2, 4):
            width = int(np.ceil(scale * (len(text) * 1.1 + 1) * em)) + 2 * self.PAD
            height = int(np.ceil(scale * 2 * em)) + 2 * self.PAD
            origin = (self.PAD + int(np.ceil(scale * 0.5 * em)), self.PAD + int(np.ceil(scale * 1.4 * em)))
            alpha = self._draw(text, size, weight, width, height, origin)
            rows, cols = np.flatnonzero(alpha.any(axis=1)), np.flatnonzero(alpha.any(axis=0))
            if not rows.size or (rows[0] > 0 and cols[0] > 0 and rows[-1] < height - 1 and cols[-1] < width - 1):
                break
        return alpha, origin

    def _draw(self, text: str, size: float, weight: str, width: int, height: int, origin) -> np.ndarray:
        """The alpha channel of the canvas's top left ``width`` × ``height`` pixels, ``text`` drawn on its
        baseline with its origin ``origin`` pixels (x, y) from that corner."""
        dpi = self.figure.dpi
        have_w, have_h = self.canvas.get_width_height()
        if width > have_w or height > have_h:
            self.figure.set_size_inches(max(width, have_w, 512) / dpi, max(height, have_h, 64) / dpi)
        renderer = self.canvas.get_renderer()
        alpha = np.asarray(renderer.buffer_rgba())[:height, :width, 3]
        renderer.clear()
        gc = renderer.new_gc()
        gc.set_foreground("black")
        renderer.draw_text(gc, origin[0], origin[1], text, self.font(size, weight), 0)   # y: from the top
        gc.restore()
        return alpha

    def font(self, size: float, weight: str) -> FontProperties:
        font = self.fonts.get((size, weight))
        if font is None:
            font = self.fonts[size, weight] = FontProperties(size=size, weight=weight)
        return font


def every_pair(chars: str) -> str:
    """A shortest string in which every ordered pair of ``chars`` (a repeat included) stands side by side:
    a de Bruijn sequence of order 2, ``len(chars) ** 2 + 1`` characters."""
    k, out, a = len(chars), [], [0] * 3

    def visit(t: int, p: int) -> None:
        if t > 2:
            if 2 % p == 0:
                out.extend(a[1:p + 1])
            return
        a[t] = a[t - p]
        visit(t + 1, p)
        for j in range(a[t - p] + 1, k):
            a[t] = j
            visit(t + 1, t)

    visit(1, 1)
    return "".join(chars[i] for i in out) + chars[out[0]]


_OFFSCREEN: dict[float, _Offscreen] = {}


def _offscreen(dpi: float) -> _Offscreen:
    if dpi not in _OFFSCREEN:
        _OFFSCREEN[dpi] = _Offscreen(dpi)
    return _OFFSCREEN[dpi]


@functools.lru_cache(maxsize=8192)
def text_bitmap(text: str, size: float, dpi: float, weight: str = "normal") -> TextBitmap:
    """One line of text as matplotlib's own ``Text`` rasterises it with Agg, cropped to its ink; cached.

    Drawn once on an offscreen canvas through public API (:class:`_Offscreen`), so a pasted label is
    matplotlib's own rendering by construction, pixel for pixel, where the label's origin falls on a whole
    pixel. Grids (:class:`CellGrid`) and explorer labels (:class:`FastText`) paste these bitmaps instead of
    laying out and rasterising a ``Text`` on every draw.

    A number whose every pair of neighbouring characters has been seen drawn by matplotlib exactly as its
    two cached glyphs put side by side (:meth:`_Offscreen.learn`, on a line holding every such pair) is
    put together from those glyphs instead of being drawn: the same pixels (matplotlib 3.11 draws text
    glyph by glyph at whole-pixel pen positions, which makes that hold; where it does not, as with
    kerning or an older matplotlib, a pair is never learnt and its words are drawn whole), for a tenth of
    the time of a drawing.
    """
    offscreen = _offscreen(dpi)
    if offscreen.composable(text, size, weight):
        glyphs = offscreen.side_by_side(text, size, weight)[0]
    else:
        glyphs = offscreen.render(text, size, weight)
    glyphs.mask.setflags(write=False)
    return glyphs


@functools.lru_cache(maxsize=8192)
def text_width(text: str, size: float, dpi: float, weight: str = "normal") -> float:
    """The width matplotlib's ``Text`` lays one line out with (``ha`` aligns it), in pixels: the Agg
    renderer's ``get_text_width_height_descent``, as ``Text`` asks it."""
    offscreen = _offscreen(dpi)
    renderer = offscreen.canvas.get_renderer()
    return float(renderer.get_text_width_height_descent(text, offscreen.font(size, weight), ismath=False)[0])


@functools.lru_cache(maxsize=256)
def line_metrics(fontsize: float, weight: str, linespacing: float, dpi: float) -> tuple[float, float, float]:
    """How matplotlib's ``Text`` lays out lines at this size: ``(ascent, descent, line pitch)`` in pixels.

    Measured once per size with matplotlib's public ``Text.get_window_extent`` on one- and two-line
    probes, so :class:`FastText` places its lines where ``Text`` would, whatever matplotlib version
    (3.8 measures lines with the glyphs of "lp", 3.10 with the font's own ascent and descent).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(dpi=dpi)
    renderer = FigureCanvasAgg(fig).get_renderer()

    def extent(text: str):
        probe = Text(0, 0, text, fontsize=fontsize, weight=weight, linespacing=linespacing, va="baseline",
                     transform=IdentityTransform())
        probe.set_figure(fig)
        return probe.get_window_extent(renderer)

    one, two = extent("lp"), extent("lp\nlp")
    return float(one.y1), float(-one.y0), float(two.y1 - one.y1)       # "baseline": the last line's


@functools.lru_cache(maxsize=4096)
def line_image(line: str, fontsize: float, weight: str, rgb: tuple[int, int, int],
               dpi: float, whole: bool | None = None) -> tuple[np.ndarray, int, int]:
    """One line of a :class:`FastText` as an RGBA image ready for ``draw_image`` (bottom row first), its
    bottom's offset from the baseline in pixels and its first ink's from the line's origin (the left
    bearing); cached, so a line drawn again is one paste.

    The line is put together word by word: each word is matplotlib's own rendering (:func:`text_bitmap`),
    cached, and placed where matplotlib's layout puts it, within a pixel (from the words' measured
    advances: :func:`word_step`). A line that changes with every move (a caption, a formula) then costs
    only its new words, not all its glyphs again: with matplotlib 3.11, which renders a label glyph by
    glyph, a whole new line costs about four times as much as the same line from cached words. Where
    words put together do not come out as matplotlib draws the line (:func:`words_compose`: an older
    matplotlib places glyphs between pixels, and draws a line in one fast call), the line is drawn whole
    (``whole``: None decides so; True or False forces it).
    """
    if whole is None:
        whole = not words_compose(fontsize, dpi, weight)
    if whole:                                                # drawn whole, as matplotlib draws it
        words = [(0, line.strip())]
    else:
        words = [(k, word) for k, word in enumerate(line.split(" ")) if word]
    pieces = [(k, word, text_bitmap(word, fontsize, dpi, weight)) for k, word in words]
    pieces = [(k, word, glyphs) for k, word, glyphs in pieces if glyphs.mask.size]
    if not pieces:
        return np.zeros((0, 0, 4), dtype=np.uint8), 0, 0
    # (mask, its left from the line's first ink, its bottom above the baseline)
    placed, left = [], 0.0
    for n, (k, word, glyphs) in enumerate(pieces):
        if n:
            before_k, before, before_glyphs = pieces[n - 1]
            left += word_step(before, k - before_k, fontsize, dpi, weight) - before_glyphs.left + glyphs.left
        placed.append((glyphs.mask, int(round(left)), -int(round(glyphs.descent))))
    bottom = min(b for _, _, b in placed)
    top = max(b + m.shape[0] for m, _, b in placed)
    width = max(x + m.shape[1] for m, x, _ in placed)
    image = np.zeros((top - bottom, width, 4), dtype=np.uint8)
    image[..., :3] = rgb
    for mask, x, b in placed:
        rows = slice(top - (b + mask.shape[0]), top - b)
        image[rows, x:x + mask.shape[1], 3] = np.maximum(image[rows, x:x + mask.shape[1], 3], mask)
    return image[::-1].copy(), bottom, pieces[0][2].left     # draw_image needs it writeable


#: A line with the glyphs and spacings the explorers' labels use, to see whether words put together come
#: out as matplotlib draws the line.
PROBE_LINE = "pixel (i, j) = (2, 1), filter f = 0: 12,443,648 (100%) × −0.35"


@functools.lru_cache(maxsize=256)
def words_compose(fontsize: float, dpi: float, weight: str = "normal") -> bool:
    """Whether a line put together from its words (:func:`line_image`) puts every word where matplotlib
    draws it, within a pixel, at this size: measured once, on :data:`PROBE_LINE`, as the ink's extent of
    the line put together against the line drawn. True with matplotlib 3.11, which places glyphs at
    1/64 px and draws them one by one (slowly: words pay); an older matplotlib rounds each line's pen its
    own way, and draws a whole line in one fast call, so its lines are drawn whole."""
    drawn = _offscreen(dpi).render(PROBE_LINE, fontsize, weight)
    image, _, left = line_image(PROBE_LINE, fontsize, weight, (0, 0, 0), dpi, whole=False)
    return abs(left - drawn.left) <= 1 and abs(image.shape[1] - drawn.mask.shape[1]) <= 1


@functools.lru_cache(maxsize=1024)
def space_width(fontsize: float, dpi: float, weight: str = "normal") -> float:
    """A space's advance in pixels (half the step of a space: a space, and one more to the mark)."""
    return _offscreen(dpi).step(" ", fontsize, weight) / 2


@functools.lru_cache(maxsize=8192)
def word_step(word: str, spaces: int, fontsize: float, dpi: float, weight: str = "normal") -> float:
    """How far the next word's origin lies from ``word``'s, with ``spaces`` spaces between them, in pixels,
    as matplotlib lays a line out: measured on a drawing of ``word`` and a mark, or added up from its
    glyphs where it is put together from them."""
    offscreen = _offscreen(dpi)
    if offscreen.composable(word, fontsize, weight):
        step = offscreen.side_by_side(word, fontsize, weight)[1]
    else:
        step = offscreen.step(word, fontsize, weight)
    return step + (spaces - 1) * space_width(fontsize, dpi, weight)
