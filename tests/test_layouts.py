"""The explorers' slide layout (:mod:`conv1x1.engine.layouts`, :meth:`Explorer.arrange`), without a browser.

For every explorer of ``conv1x1.explore.registry.EXPLORERS``, laid out for slides: no text is below its
layout's text floor (grids counted at the size their numbers are drawn), after every move of the
registry's tour too, and the frame is no wider than a 1280×720 slide (the slide scales it to the room
under the controls: tests/browser/test_slides.py measures the text as drawn there); back to the
notebook, the frame is the very same, pixel for pixel, and so are the text sizes; on slides the tour
draws without error, the figure's words say what a notebook explorer given the same moves says, and
the frame keeps the slide's size; a click at the centre of a cell selects that cell; a layout change
leaves a sweep where it is, and a layout that fails half way is undone. Also the layout message the
browser sends when a talk starts, a bad layout's name shown to the learner and refused by
``arrange``, the checks of ``text_sizes``, of ``Layouts`` and of an ``Arrangement`` (each error naming
its field), and the width and smallest text a still figure carries (``conv1x1.draw.alt``).
"""

from __future__ import annotations

import io
import re
from collections import Counter

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from conv1x1.draw.alt import bundle, figure_html, parse_figure_html  # noqa: E402
from conv1x1.engine.layouts import Arrangement, Layouts, text_sizes  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from conv1x1.explore.registry import EXPLORERS  # noqa: E402
from conv1x1.draw.style import new_figure  # noqa: E402

#: A 1280×720 slide's width, in pixels: a slide frame drawn wider than that would be drawn smaller.
SLIDE_WIDTH = 1280

#: Where the cells a click picks are drawn: explorer -> [(Axes, rows, columns)], cell (i, j) centred
#: at data point (j, i) (grids and pictures alike). Lessons whose explorer has no pick are not here.
CELL_VIEWS = {
    "01 WeightExplorer": lambda ex: [(g.ax, *g.cells.shape) for g in (ex.view.inp, ex.view.out)],
    "02 DotProductExplorer": lambda ex: [(ex.diagram.output_view.ax, *ex.diagram.output_view.grid.cells.shape)],
    "07 ColourMixExplorer": lambda ex: [(v.ax, v.height, v.width) for v in (ex.diagram.input, ex.diagram.output_view)],
}


def frame(explorer) -> np.ndarray:
    """The frame the browser was sent last (RGBA, rows from the top)."""
    return explorer.image.rgba


def _less(a: list, b: list) -> list:
    """What ``a`` has that ``b`` has not, counted as multisets."""
    return sorted((Counter(a) - Counter(b)).elements())


def on_slides(key: str):
    explorer = EXPLORERS[key].make(None)
    explorer.arrange("slides")
    assert explorer.layout == "slides" and explorer.last_error is None, explorer.last_error
    return explorer


@pytest.mark.parametrize("key", EXPLORERS)
def test_on_slides_no_text_is_below_the_floor_and_the_frame_fits(key):
    explorer = on_slides(key)
    sizes, floor = text_sizes(explorer.figure), explorer.arrangement.text
    assert floor >= 10, f"{key}: a slide layout's text floor of {floor} pt"
    assert sizes[0][0] >= floor, f"{key}: texts below its {floor} pt floor on the slide: {sizes[:5]}"
    height, width = frame(explorer).shape[:2]
    assert width <= SLIDE_WIDTH, f"{key}: the slide frame is {width}×{height} px, wider than {SLIDE_WIDTH} px"


@pytest.mark.parametrize("key", EXPLORERS)
def test_back_to_the_notebook_the_frame_and_the_texts_are_as_before(key):
    explorer = EXPLORERS[key].make(None)
    assert explorer.layout == "notebook"
    before, sizes = frame(explorer).copy(), sorted(text_sizes(explorer.figure))     # ties in any order
    explorer.arrange("slides")
    assert explorer.layout == "slides"
    explorer.arrange("notebook")
    assert explorer.layout == "notebook" and explorer.last_error is None
    after = frame(explorer)
    assert after.shape == before.shape, f"{key}: the notebook frame was {before.shape}, is now {after.shape}"
    differ = np.argwhere((after != before).any(axis=2))
    assert differ.size == 0, (f"{key}: {len(differ)} pixels differ after slides and back, the first at "
                              f"(row, column) {tuple(differ[0])}")
    back = sorted(text_sizes(explorer.figure))
    assert back == sizes, (f"{key}: texts shown after slides and back, not before: {_less(back, sizes)}; "
                           f"before, not after: {_less(sizes, back)}")


@pytest.mark.slow                      # the whole tour, on slides and in a notebook twin: not at the floors
@pytest.mark.parametrize("key", EXPLORERS)
def test_on_slides_the_tour_of_moves_draws_and_the_words_follow(key):
    spec = EXPLORERS[key]
    explorer, twin = on_slides(key), spec.make(None)            # the twin stays in the notebook layout
    size = frame(explorer).shape
    for name, value in spec.moves:
        explorer.controls[name].value = value
        twin.controls[name].value = value
        where = f"{key} on slides, after {name} = {value!r}"
        assert explorer.last_error is None, f"{where}: {explorer.last_error!r}"
        assert explorer.state() == twin.state(), where
        assert explorer.image.alt == explorer.alt_text() == twin.alt_text(), where
        assert frame(explorer).shape == size, f"{where}: the frame is {frame(explorer).shape}, not {size}"
        # no grid shrinks its numbers below the floor to fit its cells, whatever the state
        smallest = text_sizes(explorer.figure, draw=False)[0]
        assert smallest[0] >= explorer.arrangement.text, f"{where}: {smallest} below {explorer.arrangement.text} pt"
    assert explorer.layout == "slides"


def test_a_layout_change_leaves_a_sweep_where_it_is():
    """Starting or stopping a talk is not a learner's move: a sweep under way keeps playing at its step,
    a finished one keeps its whole output."""
    explorer = EXPLORERS["02 DotProductExplorer"].make(None)
    sweep = explorer.sweeper
    sweep.playing, sweep.step = True, 5
    for layout in ("slides", "notebook"):
        explorer.arrange(layout)
        assert (sweep.playing, sweep.step, sweep.shown) == (True, 5, 5), layout
    sweep.step = sweep.count - 1
    for layout in ("slides", "notebook"):
        explorer.arrange(layout)
        assert sweep.step == sweep.count - 1 and explorer.last_error is None, layout


class Unhideable(Line2D):
    """A line that fails when an arrangement hides it: the last change an arrangement makes."""

    def set_visible(self, visible):
        if not visible:
            raise RuntimeError("broken half way")
        super().set_visible(visible)


def test_a_slide_layout_that_fails_half_way_leaves_the_notebook_layout(monkeypatch):
    explorer = EXPLORERS["02 DotProductExplorer"].make(None)
    before = frame(explorer).copy()
    slides = explorer.slide_layout()
    broken = explorer.figure.add_artist(Unhideable([], []))          # draws nothing
    # every change made (sizes, boxes, texts, the labels revealed), then a failure: all must be undone
    monkeypatch.setattr(explorer, "slide_layout", lambda: slides._replace(hide=[*slides.hide, broken]))
    with pytest.raises(RuntimeError, match="half way"):
        explorer.arrange("slides")
    monkeypatch.undo()
    assert explorer.layout == "notebook" and explorer.arrangement is None
    explorer.render(full=True)
    assert np.array_equal(frame(explorer), before), "the figure was left half arranged"
    explorer.arrange("slides")                                  # and the slide layout still comes
    assert explorer.layout == "slides" and frame(explorer).shape != before.shape


@pytest.mark.parametrize("key", CELL_VIEWS)
def test_on_slides_a_click_at_the_centre_of_a_cell_selects_it(key):
    explorer = on_slides(key)
    height, width = frame(explorer).shape[:2]
    views = [(ax, rows, cols) for ax, rows, cols in CELL_VIEWS[key](explorer) if ax.get_visible()]
    assert views, f"{key}: the slide shows none of the views a click picks from"
    for k, (ax, rows, cols) in enumerate(views):
        i, j = ((rows * 2) // 3, cols // 3) if k % 2 == 0 else (rows // 3, (cols * 2) // 3)
        assert (explorer.controls["i"].value, explorer.controls["j"].value) != (i, j)
        x, y = ax.transData.transform((j, i))
        y = height - y                                           # the browser's pixels: from the top left
        assert 0 <= x < width and 0 <= y < height, f"{key}: cell {(i, j)} at {(x, y)}, off the {width}×{height} frame"
        explorer.click(float(x), float(y))
        assert explorer.last_error is None, explorer.last_error
        picked = (explorer.controls["i"].value, explorer.controls["j"].value)
        assert picked == (i, j), f"{key}: a click at the centre of cell {(i, j)} of {ax.get_title()!r} picked {picked}"


def test_the_browsers_layout_message_switches_and_a_bad_name_is_shown():
    explorer = EXPLORERS["01 WeightExplorer"].make(None)
    explorer.handle({"event": "layout", "name": "slides"})
    assert explorer.layout == "slides" and explorer.last_error is None
    explorer.handle({"event": "layout", "name": "notebook"})
    assert explorer.layout == "notebook" and explorer.last_error is None
    explorer.handle({"event": "layout", "name": "poster"})
    assert isinstance(explorer.last_error, ValueError) and explorer.layout == "notebook"
    for words in ("layout", "notebook", "slides", "poster"):
        assert words in explorer.status.value, f"the error shown does not say {words!r}: {explorer.status.value}"
    with pytest.raises(ValueError, match=r"layout must be one of .*'notebook', 'slides'.*poster"):
        explorer.arrange("poster")


def test_text_sizes_takes_a_figure_only():
    with pytest.raises(TypeError, match="figure must be a matplotlib Figure"):
        text_sizes("not a figure")


def test_an_arrangement_naming_an_axes_not_in_the_figure_is_refused():
    figure = new_figure((4, 3))
    stranger = new_figure((2, 2)).add_axes((0.1, 0.1, 0.8, 0.8))
    ax = figure.add_axes((0.1, 0.1, 0.8, 0.8))
    layouts = Layouts(figure, lambda: Arrangement((5, 2), {ax: (0.5, 0.5, 4, 1), stranger: (0.5, 0.5, 1, 1)}))
    with pytest.raises(ValueError, match="names an Axes that is not in the figure"):
        layouts.apply("slides")
    # refused as a whole: the figure is left in the notebook layout, as it was
    assert layouts.name == "notebook"
    assert tuple(figure.get_size_inches()) == (4, 3) and ax.get_position().bounds == pytest.approx((0.1, 0.1, 0.8, 0.8))


@pytest.mark.parametrize("arrangement, error, words", [
    (Arrangement((5,), {}), TypeError, "size must be"),
    (Arrangement((5, 0.2), {}), ValueError, "size"),
    (Arrangement((5, 2), [], ), TypeError, "axes must map"),
    (Arrangement((5, 2), {}, text=0), ValueError, "text"),
    (Arrangement((5, 2), {}, hide=[None]), ValueError, "hide must hold artists of this figure"),
    ("not an arrangement", TypeError, "must be an Arrangement"),
])
def test_a_bad_arrangement_is_refused_with_the_field_named(arrangement, error, words):
    figure = new_figure((4, 3))
    layouts = Layouts(figure, lambda: arrangement)
    with pytest.raises(error, match=words):
        layouts.apply("slides")
    assert layouts.name == "notebook" and tuple(figure.get_size_inches()) == (4, 3)


def test_a_bad_box_and_a_bad_layouts_are_refused():
    figure = new_figure((4, 3))
    ax = figure.add_axes((0.1, 0.1, 0.8, 0.8))
    for box, words in ((3, "box must be"), ((0, 0, 1), "box must be"), ((0, 0, 0, 1), "width and a height")):
        with pytest.raises(ValueError, match=words):
            Layouts(figure, lambda box=box: Arrangement((5, 2), {ax: box})).apply("slides")
    with pytest.raises(TypeError, match="figure must be"):
        Layouts("fig", lambda: None)
    with pytest.raises(TypeError, match="arrangement must be a function"):
        Layouts(figure, "slides")


def test_a_still_figure_carries_its_own_width_and_checks_its_text():
    fig = new_figure((3, 2))
    fig.add_axes((0.2, 0.2, 0.7, 0.7)).set_title("t", fontsize=9)
    html = bundle(fig, "a figure")["text/html"]
    png = parse_figure_html(html)[0]
    width, text = re.search(r"--conv1x1-width: (\d+); --conv1x1-text: ([\d.]+)", html).groups()
    assert int(width) == Image.open(io.BytesIO(png)).size[0]
    assert float(text) == pytest.approx(min(9, 10) * fig.dpi / 72, abs=0.05)    # tick labels are 10 pt here
    assert "--conv1x1-width: " + width in figure_html(png, "x", width=50, text=12)   # the image's pixels, not 50
    for bad, error, words in ((-1, ValueError, "text must be"), ("big", TypeError, "text")):
        with pytest.raises(error, match=words):
            figure_html(png, "x", text=bad)
    with pytest.raises(ValueError, match="data must be PNG or JPEG"):
        figure_html(b"not an image", "x", text=12)
