"""Pointing at a pixel (a click mapped through the figure's own transforms, arrow keys) and the filter
sweep (raster order, cells not yet computed left empty, the finished output held), without a browser."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conv1x1 import conv1x1, explore, lecture_image  # noqa: E402
from conv1x1.draw.grids import EMPTY_CELL, swept  # noqa: E402


def drawn(ex):
    ex.figure.canvas.draw()
    return ex


def click(ex, ax, x, y):
    """A click at data point (x, y) of ``ax``, sent as the browser sends it (pixels from the top left)."""
    px, py = ax.transData.transform((x, y))
    height = ex.figure.canvas.get_width_height()[1]
    ex.click(px, height - py)


@pytest.mark.parametrize("x, y, expected", [
    (0, 0, (0, 0)), (5, 5, (5, 5)), (4, 3, (3, 4)),                   # cell centres
    (-0.45, -0.45, (0, 0)), (5.45, 5.45, (5, 5)),                     # just inside the grid's corners
    (2.49, 1.51, (2, 2)), (2.51, 1.49, (1, 3)),                       # either side of the lines between cells
])
def test_a_click_maps_to_the_cell_under_it(x, y, expected):
    ex = drawn(explore.DotProductExplorer())
    click(ex, ex.diagram.output_view.grid.ax, x, y)
    assert (ex.controls["i"].value, ex.controls["j"].value) == expected
    assert ex.last_error is None


def test_a_click_outside_every_grid_picks_nothing_and_draws_nothing():
    ex = drawn(explore.WeightExplorer(pixel=(1, 1)))
    frames = ex.image.frame
    for x, y in [(-0.6, 0), (6.6, 2), (2, -0.7)]:                      # just outside the input grid
        click(ex, ex.view.inp.ax, x, y)
    ex.click(2, 2)                  # the figure's top left corner
    assert (ex.controls["i"].value, ex.controls["j"].value) == (1, 1) and ex.image.frame == frames


def test_a_click_on_the_input_box_or_the_photo_selects_that_pixel():
    ex = drawn(explore.DotProductExplorer())
    box_ax = ex.diagram.input.ax
    click(ex, box_ax, 4.5, 6 - 1 - 2 + 0.5)                           # the front face: column 4, row 2
    assert (ex.controls["i"].value, ex.controls["j"].value) == (2, 4)
    mix = drawn(explore.ColourMixExplorer())
    click(mix, mix.diagram.output_view.ax, 100, 250)                  # data coordinates: (column, row)
    assert (mix.controls["i"].value, mix.controls["j"].value) == (250, 100)


def test_arrow_keys_move_one_step_and_stop_at_the_edges():
    ex = explore.WeightExplorer(pixel=(0, 5))
    ex.press("ArrowRight")               # already at the last column
    ex.press("ArrowUp")                  # already at the first row
    assert (ex.controls["i"].value, ex.controls["j"].value) == (0, 5)
    for key in ["ArrowDown", "ArrowDown", "ArrowLeft"]:
        ex.press(key)
    assert (ex.controls["i"].value, ex.controls["j"].value) == (2, 4)
    ex.press("Enter")                    # not an arrow: nothing moves
    assert (ex.controls["i"].value, ex.controls["j"].value) == (2, 4) and ex.last_error is None


def test_the_browsers_messages_reach_the_same_methods():
    ex = drawn(explore.WeightExplorer(pixel=(2, 4)))
    ex.handle({"event": "key", "key": "ArrowUp"})                     # what the figure's view sends
    assert (ex.controls["i"].value, ex.controls["j"].value) == (1, 4)
    x, y = ex.view.inp.ax.transData.transform((1, 3))                 # cell (3, 1), display pixels from the bottom
    ex.handle({"event": "click", "x": x, "y": ex.figure.canvas.get_width_height()[1] - y})
    assert (ex.controls["i"].value, ex.controls["j"].value) == (3, 1)
    for ignored in [{"event": "scroll"}, {}, "click", None]:           # not a message the view sends: nothing
        ex.handle(ignored)
    assert (ex.controls["i"].value, ex.controls["j"].value) == (3, 1) and ex.last_error is None
    ex.click("a", 10)                                                  # bad coordinates: shown, not lost
    assert str(ex.last_error) == "x must be a real number; got 'a' (str)" and "x must be a real number" in ex.status.value
    assert (ex.controls["i"].value, ex.controls["j"].value) == (3, 1)


def test_swept_keeps_the_first_cells_in_raster_order():
    values = np.arange(12.0).reshape(3, 4)
    out = swept(values, 6)
    assert np.array_equal(out.ravel()[:6], np.arange(6.0)) and np.isnan(out.ravel()[6:]).all()
    assert swept(values, None) is values and np.array_equal(swept(values, 12), values)
    with pytest.raises(ValueError, match=r"computed must be an integer in 0..12; got 13"):
        swept(values, 13)


@pytest.mark.slow                      # seconds: the slow tier
@pytest.mark.parametrize("make", [explore.WeightExplorer, explore.DotProductExplorer])
def test_the_sweep_fills_the_output_cell_by_cell_then_holds_it(make):
    ex = make()
    grid = ex.view.out if isinstance(ex, explore.WeightExplorer) else ex.diagram.output_view.grid
    full = grid.texts.copy()
    sweep = ex.sweeper
    assert sweep.count == 36 and not sweep.playing and sweep.step == -1, "it never starts by itself"
    frames = ex.image.frame
    sweep.playing = True
    for k in range(36):
        sweep.step = k                                    # what the browser sends, one step at a time
        assert sweep.shown == k, "the kernel says the step is drawn"
        assert (ex.controls["i"].value, ex.controls["j"].value) == divmod(k, 6), "raster order"
        texts = grid.texts.ravel()
        assert list(texts[:k + 1]) == list(full.ravel()[:k + 1]), "computed cells show their numbers"
        assert all(t == "" for t in texts[k + 1:]), "cells not yet computed are empty, not 0"
        colours = grid.cells.cell_rgb.reshape(36, 3)[k + 1:]
        assert (colours == np.round(np.array(EMPTY_CELL[:3]) * 255)).all()
    assert ex.image.frame == frames + 36, "one frame a step"
    assert np.array_equal(grid.texts, full), "the finished output is held"
    assert ex.last_error is None


def test_another_control_pauses_the_sweep_and_choosing_a_pixel_ends_it():
    ex = explore.DotProductExplorer()
    grid = ex.diagram.output_view.grid
    ex.sweeper.playing = True
    for k in range(5):
        ex.sweeper.step = k
    ex.controls["filter"].value = 2                     # pauses where it is, for the new filter
    assert not ex.sweeper.playing and ex.sweeper.step == 4
    expected = conv1x1(ex.diagram.x, ex.diagram.w, activation="relu")[:, :, 2]
    assert grid.texts[0, 4] == explore.format_number(expected[0, 4], 1) and grid.texts[0, 5] == ""
    assert (ex.controls["i"].value, ex.controls["j"].value) == (0, 4)
    ex.sweeper.playing = True                           # play on: the next pixel
    ex.sweeper.step = 5
    assert grid.texts[0, 5] == explore.format_number(expected[0, 5], 1) and grid.texts[1, 0] == ""
    ex.controls["i"].value = 3                          # the learner chooses a pixel: the sweep ends
    assert not ex.sweeper.playing and ex.sweeper.step == -1
    assert grid.texts[5, 5] == explore.format_number(expected[5, 5], 1), "the whole output again"


@pytest.mark.slow                      # seconds: the slow tier
def test_on_the_photo_the_sweep_goes_a_shown_row_at_a_time():
    ex = explore.ColourMixExplorer("grey")
    view = ex.diagram.output_view
    rows, cols = view.rows.ravel(), view.cols
    assert ex.sweeper.count == len(rows) and 300 <= len(rows) < 600, "the rows shown, not the photo's 600"
    ex.sweeper.playing = True
    half = len(rows) // 2
    for k in range(half):
        ex.sweeper.step = k
    picture = view.image.get_array()
    grey = np.round(np.array(EMPTY_CELL[:3]) * 255)
    assert (picture[half:, :, :3] == grey).all(), "rows not reached yet are empty"
    expected = np.clip(conv1x1(ex.diagram.x, ex.w)[rows[:half]][:, cols], 0, 1)
    assert np.abs(picture[:half, :, :3] / 255 - expected).max() <= 0.5 / 255 + 1e-9, "rows reached are the output"
    assert (ex.controls["i"].value, ex.controls["j"].value) == (rows[half - 1], cols[-1])
    ex.controls["filter"].value = 1                      # another control pauses it: still half done
    assert not ex.sweeper.playing and (view.image.get_array()[half:, :, :3] == grey).all()
    ex.press("ArrowDown")   # choosing a pixel ends it: the whole photo is back
    assert ex.sweeper.step == -1 and not (view.image.get_array()[half:, :, :3] == grey).all()


def test_a_big_volume_sweeps_its_shown_pixels_too():
    big = explore.DotProductExplorer(np.random.default_rng(0).random((20, 20, 8)))
    assert big.sweeper is not None and big.sweeper.count == len(big.diagram.output_view.rows.ravel())
    big.sweeper.step = 3
    picture = big.diagram.output_view.image.get_array()
    assert big.last_error is None and np.ma.getmaskarray(picture)[-1].all() and not np.ma.getmaskarray(picture)[0].any()


def test_lesson_01_weight_explorer_output_is_the_lecture_image_times_w_after_a_sweep():
    ex = explore.WeightExplorer(weight=-1.5)
    ex.sweeper.playing = True
    for k in range(36):
        ex.sweeper.step = k
    assert np.array_equal(ex.output, -1.5 * lecture_image())
