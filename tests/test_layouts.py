"""The explorers' slide layout (:mod:`conv1x1.layouts`, :meth:`Explorer.arrange`), without a browser.

For every explorer of ``conv1x1.registry.EXPLORERS``, laid out for slides: no text is below
``SLIDE_TEXT`` (grids counted at the size their numbers are drawn) and the frame is no wider than a
1280×720 slide (the slide scales it to the room under the controls: tests/browser/test_slides.py
measures the text as drawn there); back to the notebook, the frame is the very same, pixel for pixel, and so are
the text sizes; on slides the registry's tour of moves draws without error, the figure's words say what
a notebook explorer given the same moves says, and the frame keeps the slide's size; a click at the
centre of a cell selects that cell. Also the layout message the browser sends when a talk starts, a bad
layout's name shown to the learner and refused by ``arrange``, and the checks of ``text_sizes`` and of
an ``Arrangement``.
"""

from __future__ import annotations

from collections import Counter

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conv1x1.layouts import SLIDE_TEXT, Arrangement, Layouts, text_sizes  # noqa: E402
from conv1x1.registry import EXPLORERS  # noqa: E402
from conv1x1.style import new_figure  # noqa: E402

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
    return explorer.image._tiles.last


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
    sizes = text_sizes(explorer.figure)
    assert sizes[0][0] >= SLIDE_TEXT, f"{key}: texts below {SLIDE_TEXT} pt on the slide: {sizes[:5]}"
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
    assert explorer.layout == "slides"


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
        explorer._on_event({"event": "click", "x": float(x), "y": float(y)})
        assert explorer.last_error is None, explorer.last_error
        picked = (explorer.controls["i"].value, explorer.controls["j"].value)
        assert picked == (i, j), f"{key}: a click at the centre of cell {(i, j)} of {ax.get_title()!r} picked {picked}"


def test_the_browsers_layout_message_switches_and_a_bad_name_is_shown():
    explorer = EXPLORERS["01 WeightExplorer"].make(None)
    explorer._on_event({"event": "layout", "name": "slides"})
    assert explorer.layout == "slides" and explorer.last_error is None
    explorer._on_event({"event": "layout", "name": "notebook"})
    assert explorer.layout == "notebook" and explorer.last_error is None
    explorer._on_event({"event": "layout", "name": "poster"})
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
