"""Drawing helpers and explorers: what they show, in-place updates, errors, labels."""

from __future__ import annotations


import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conv1x1 import conv1x1, draw, example_filters, example_volume, explore, lecture_image  # noqa: E402
from conv1x1.draw import volumes  # noqa: E402
from frames import decode  # noqa: E402


# -- drawing -------------------------------------------------------------------------


def test_format_number():
    assert draw.format_number(2.0) == "2"
    assert draw.format_number(0.5) == "0.5"
    assert draw.format_number(-1.25) == "\N{MINUS SIGN}1.25"
    assert draw.format_number(-0.0001) == "0"
    assert draw.format_number(1 / 3, 3) == "0.333"
    assert draw.format_number(10, 0) == "10" and draw.format_number(100.0) == "100"
    assert draw.format_number(float("-inf")) == "\N{MINUS SIGN}inf"


@pytest.mark.parametrize("value, digits", [(-0.0, 2), (-0.4 * 0, 1), (-0.04, 1), (-0.4, 0), (-0.0049, 2),
                                           (np.float32(-0.0), 3)])
def test_format_number_never_shows_a_negative_zero(value, digits):
    assert draw.format_number(value, digits) == "0"


@pytest.mark.parametrize("value, digits, error, message", [
    ("1", 2, TypeError, r"value must be a real number; got '1' \(str\)"),
    (None, 2, TypeError, r"value must be a real number; got None \(NoneType\)"),
    (1.0, 1.5, TypeError, r"digits must be an integer; got 1.5 \(float\)"),
    (1.0, -1, ValueError, r"digits must be an integer >= 0; got -1"),
])
def test_format_number_errors(value, digits, error, message):
    with pytest.raises(error, match=message):
        draw.format_number(value, digits)


def test_plot_grid_shows_every_value_as_text():
    grid = draw.plot_grid(lecture_image() * 2, title="doubled")
    assert grid.texts[0].tolist() == ["2", "4", "6", "12", "10", "16"]
    assert grid.ax.get_title() == "doubled"
    assert grid.ax.get_xlabel() == "column j" and grid.ax.get_ylabel() == "row i"
    grid.set_values(np.full((6, 6), -1.5))
    assert set(grid.texts.ravel()) == {"\N{MINUS SIGN}1.5"}
    grid.set_highlight(2, 3)
    assert grid.highlight.get_visible() and grid.highlight.get_xy() == (2.5, 1.5)


def test_plot_grid_uses_given_axes_and_colour_blind_safe_maps():
    fig, ax = plt.subplots()
    grid = draw.plot_grid([[0, 1], [2, 3]], ax=ax)
    assert grid.ax is ax and len(fig.axes) == 1
    assert grid.cmap.name == draw.CMAP_SEQUENTIAL == "cividis"
    signed = draw.plot_grid([[-1, 1]], ax=plt.subplots()[1])
    assert signed.cmap.name == draw.CMAP_SIGNED and signed.norm.vmin == -signed.norm.vmax


def test_grid_labels_are_drawn_in_the_picture():
    """The fast label path really paints the digits (dark text on a light cell)."""
    fig, ax = plt.subplots(figsize=(2, 2), dpi=100)
    grid = draw.plot_grid([[0.0]], ax=ax, cmap="Greys", vmin=0, vmax=10, labels=False, fontsize=20)
    fig.canvas.draw()
    before = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    grid.set_values([[8.0]])
    fig.canvas.draw()
    after = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    assert (before != after).any()
    grid.cells.strings = np.array([[""]], dtype=object)
    fig.canvas.draw()
    blank = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    assert (blank != after).sum() > 50, "the label's glyphs should cover some pixels"


def test_grid_vector_output_has_text(tmp_path):
    fig, ax = plt.subplots()
    draw.plot_grid([[1, 2]], ax=ax)
    fig.savefig(tmp_path / "grid.svg")
    svg = (tmp_path / "grid.svg").read_text()
    assert "<!-- 1 -->" in svg and "<!-- 2 -->" in svg


@pytest.mark.parametrize("bad, error, message", [
    (np.ones(3), ValueError, r"values must be a 2-D array \(H, W\); got shape \(3,\)"),
    ([["a"]], TypeError, r"values must be an array of real numbers"),
])
def test_plot_grid_errors(bad, error, message):
    with pytest.raises(error, match=message):
        draw.plot_grid(bad)


def test_plot_grid_rejects_non_axes():
    with pytest.raises(TypeError, match=r"ax must be a matplotlib Axes or None; got 'left' \(str\)"):
        draw.plot_grid([[1]], ax="left")


def test_pixel_product_writes_out_the_arithmetic():
    view = draw.plot_pixel_product(lecture_image(), 2.0, (1, 2))
    assert view.equation.get_text() == "x[1, 2] × w = 5 × 2 = 10"
    assert view.out.texts[0].tolist() == ["2", "4", "6", "12", "10", "16"]
    view.update(weight=-1, relu=True, pixel=(0, 0))
    assert set(view.out.texts.ravel()) == {"0"}
    assert view.equation.get_text() == "x[0, 0] × w = 1 × (\N{MINUS SIGN}1) = \N{MINUS SIGN}1\nReLU(\N{MINUS SIGN}1) = 0"
    with pytest.raises(ValueError, match=r"i must be a row index in 0..5; got 6"):
        view.update(pixel=(6, 0))


def test_dot_product_diagram_shows_the_arithmetic():
    x, w = example_volume(), example_filters(32, 4)
    b = np.array([0.5, -1.0, 0.0, 2.0])
    d = draw.plot_dot_product(x, w, b, pixel=(2, 1), filter=3)
    out = conv1x1(x, w, b, activation="relu")
    products = x[2, 1] * w[:, 3]
    shown = d.shown()
    assert shown["products"] == [draw.format_number(v, 1) for v in products]
    assert shown["sum"] == draw.format_number(products.sum(), 3)
    assert shown["bias"] == "2" and shown["output"] == draw.format_number(out[2, 1, 3], 3)
    assert shown["output grid"][2, 1] == draw.format_number(out[2, 1, 3], 1)
    assert d.equation.title.get_text() == "pixel (i, j) = (2, 1), filter f = 3"
    assert d.bars.heights() == pytest.approx(products)
    assert len(d.bars.negative.get_paths()) == int((products < 0).sum())
    assert len(d.bars.hatch.get_segments()) >= len(d.bars.negative.get_paths()), "negative bars are hatched too"
    d.update(activation=None)
    assert d.shown()["relu"] == "(output = z)" and d.equation.relu_label.get_text() == "no ReLU"
    with pytest.raises(ValueError, match=r"filter must be an integer in 0..3; got 4"):
        d.update(filter=4)
    with pytest.raises(ValueError, match=r"w must keep its shape \(32, 4\); got \(32, 3\)"):
        d.update(w=np.ones((32, 3)))


def test_dot_product_diagram_bad_input():
    with pytest.raises(ValueError, match=r"x must be one channels-last volume \(H, W, C\); got shape \(6, 6\)"):
        draw.plot_dot_product(np.ones((6, 6)), np.ones(6))
    with pytest.raises(ValueError, match=r"w must be one filter \(32,\) or a bank \(32, F\).*got shape \(16, 4\)"):
        draw.plot_dot_product(example_volume(), np.ones((16, 4)))


def test_plot_volumes_labels_shapes():
    fig, ax = plt.subplots()
    draw.plot_volumes([(28, 28, 192), (28, 28, 32)], ["input", "after 1×1"], ax=ax)
    texts = [t.get_text() for t in ax.texts]
    assert "28×28×192" in texts and "28×28×32" in texts and "after 1×1" in texts
    with pytest.raises(ValueError, match=r"shapes\[1\] must be \(H, W, C\)"):
        draw.plot_volumes([(1, 2, 3), (1, 2)])


def test_plot_volumes_says_how_depth_is_drawn():
    """Channels are drawn shorter than pixels (0.25 units a channel, receding at 0.75): the figure says so."""
    fig, ax = plt.subplots()
    draw.plot_volumes([(28, 28, 192), (28, 28, 32), (14, 14, 192)], ax=ax)
    texts = [t.get_text() for t in ax.texts]
    assert "channels" in texts                                      # the depth edge is labelled
    assert "depth not to scale: 192 channels drawn as deep as 36 pixels" in texts
    # measured on screen, a channel is 3/16 of a pixel: 192 channels as deep as 36 pixels
    faces = ax.patches[:3]
    front, side = faces[0].get_xy(), faces[2].get_xy()
    pixel = np.ptp(front[:, 0]) / 28
    channel = np.hypot(np.ptp(side[:, 0]), np.ptp(side[:, 1]) - np.ptp(front[:, 1])) / 192
    assert pixel / channel == pytest.approx(16 / 3)
    fig, ax = plt.subplots()
    draw.plot_volumes([(8, 8, 3)], ax=ax, depth_scale=0.5)
    assert "depth not to scale: 3 channels drawn as deep as 1.1 pixels" in [t.get_text() for t in ax.texts]
    assert volumes.depth_note(4 / 3, 5) == "depth to scale: a channel drawn as deep as a pixel"
    assert volumes.depth_note(0.25, 1) == "depth not to scale: 1 channel drawn as deep as 0.2 pixels"
    with pytest.raises(ValueError, match="channels"):
        volumes.depth_note(0.25, 0)


def test_plot_volume_says_how_depth_is_drawn():
    fig, ax = plt.subplots()
    artists = draw.plot_volume((6, 6, 32), ax=ax, pixel=(2, 1))
    assert artists["depth_label"].get_text() == "channels"
    ratio = 1.2 * 6 / 32 * 0.75                       # the default depth scale, receding at 0.75
    assert artists["note"].get_text().replace("\n", " ") == (
        f"depth not to scale: 32 channels drawn as deep as {32 * ratio:.1f} pixels")
    assert "note" not in draw.plot_volume((6, 6, 32), ax=plt.subplots()[1], scale_note=False)


MLPCONV = [(8, 8, 3), (8, 8, 16), (8, 8, 16), (8, 8, 10), (1, 1, 10)]
STEPS = ["3×3 conv + ReLU", "1×1 conv + ReLU", "1×1 conv + ReLU", "global average pooling"]


def test_plot_volumes_as_a_chain_of_steps():
    fig, ax = plt.subplots(figsize=(11, 3))
    boxes = draw.plot_volumes(MLPCONV, ax=ax, depth_scale=0.5, steps=STEPS)
    assert [b["step"].get_text().replace("\n", " ") for b in boxes[:-1]] == STEPS
    assert "arrow" not in boxes[-1]
    # each arrow runs from one box to the next
    for k in range(4):
        (x0, _), (x1, _) = boxes[k]["arrow"]._posA_posB
        right_of_box = max(p[0] for face in boxes[k]["faces"] for p in face.get_xy())
        left_of_next = min(p[0] for face in boxes[k + 1]["faces"] for p in face.get_xy())
        assert right_of_box < x0 < x1 < left_of_next
    # a 1×1×10 box is drawn large enough to see, and marked as not to scale
    front = boxes[-1]["faces"][0].get_xy()
    assert np.ptp(front[:, 0]) == np.ptp(front[:, 1]) == 2.0              # a quarter of the 8-pixel boxes
    texts = [t.get_text() for t in ax.texts]
    assert "1×1×10*" in texts and "8×8×16" in texts
    assert any("* front drawn larger than to scale" in t for t in texts)
    # no box is in the orange that marks what is chosen
    orange = np.array(matplotlib.colors.to_rgb(draw.POSITIVE))
    for box in boxes:
        assert not np.allclose(box["faces"][0].get_facecolor()[:3], orange, atol=0.02)


def test_plot_volumes_to_scale_when_asked():
    fig, ax = plt.subplots()
    boxes = draw.plot_volumes(MLPCONV, ax=ax, min_size=0)
    front = boxes[-1]["faces"][0].get_xy()
    assert np.ptp(front[:, 0]) == 1.0 and "1×1×10" in [t.get_text() for t in ax.texts]


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(steps=["a"]), ValueError, r"steps must have 4 entries, one per arrow between consecutive shapes; got 1"),
    (dict(steps="abcd"), TypeError, r"steps must be a sequence of strings, .*got 'abcd' \(str\)"),
    (dict(steps=["a", "b", 3, "d"]), TypeError, r"steps\[2\] must be a string; got 3 \(int\)"),
    (dict(labels=["a"]), ValueError, r"labels must have 5 entries, one entry per shape; got 1"),
    (dict(depth_scale=0), ValueError, r"depth_scale must be a positive number of drawing units per channel; got 0"),
    (dict(min_size=-1), ValueError, r"min_size must be >= 0 drawing units; got -1"),
    (dict(colours=["nope"]), ValueError, r"colours\[0\] must be a matplotlib colour; got 'nope'"),
])
def test_plot_volumes_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        draw.plot_volumes(MLPCONV, **kwargs)


# -- explorers ---------------------------------------------------------------------------

def static_frame(fig) -> np.ndarray:
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()


@pytest.mark.parametrize("state", [dict(pixel=(1, 5), filter=2, relu=False), dict(pixel=(4, 0), filter=1, relu=True)])
def test_explorer_frame_equals_the_static_figure(state):
    """Blitting draws the changed artists in the static figure's order: the chosen output slice (orange)
    is hidden by the slices in front of it exactly as in plot_dot_product (it was drawn on top of them)."""
    x, w = example_volume(), example_filters(32, 4)
    ex = explore.DotProductExplorer(x, w)
    for name, value in [("filter", state["filter"]), ("i", state["pixel"][0]), ("j", state["pixel"][1]),
                        ("relu", state["relu"])]:
        ex.controls[name].value = value
    fig = draw.new_figure((12, 8))
    draw.plot_dot_product(x, w, pixel=state["pixel"], filter=state["filter"],
                          activation="relu" if state["relu"] else None, fig=fig)
    explore.add_caption(fig)   # the same strip (left empty) and layout, to the last bit of rounding
    static = static_frame(fig)
    frame = decode(ex.image.value)
    assert frame.shape == static.shape
    above = static.shape[0] - explore.CAPTION_PIXELS     # all but the caption
    assert np.array_equal(frame[:above], static[:above])


def test_captions_word_the_state():
    ex = explore.WeightExplorer(weight=-1.5, relu=True, pixel=(1, 2))
    assert ex.caption(ex.state()) == "Showing: filter weight w = \N{MINUS SIGN}1.5, ReLU on, pixel (i, j) = (1, 2)"
    ex = explore.DotProductExplorer(pixel=(2, 2))
    assert ex.caption(ex.state()) == "Showing: pixel (i, j) = (2, 2), filter f = 0, ReLU on"
    ex = explore.CostExplorer()
    assert ex.caption(ex.state()) == "Showing: H = 28, W = 28, C_in = 192, C_out = 32, k = 5, B = 16"


def test_headlines_state_the_formula_shown():
    ex = explore.WeightExplorer(relu=False)
    headline = ex.headline(ex.state())
    assert "output = w × x" in headline and "ReLU" not in headline
    assert headline in ex.image.alt and headline in ex.header.value
    ex.controls["relu"].value = True
    headline = ex.headline(ex.state())
    assert "output = ReLU(w × x)" in headline
    assert headline in ex.image.alt and headline in ex.header.value
    ex = explore.DotProductExplorer(relu=False)
    assert "output[i, j, f] = x[i, j, :] · w[:, f] + b[f]" in ex.headline(ex.state())
    ex.controls["relu"].value = True
    assert "output[i, j, f] = ReLU(x[i, j, :] · w[:, f] + b[f])" in ex.headline(ex.state())


# -- labels that do not fit ---------------------------------------------------------


def drawn_labels(grid: draw.Grid, fig) -> None:
    """Draw the figure and check every cell of ``grid`` shows a label that fits inside it."""
    fig.canvas.draw()
    cells = grid.cells
    xs, ys = cells._edges()
    height = fig.canvas.get_width_height()[1]
    for (i, j), text in np.ndenumerate(cells.strings):
        if not text:
            continue
        assert cells.drawn[i, j], f"cell ({i}, {j}) should show {text!r} but shows nothing"
        left, top, right, bottom = cells.label_boxes[i, j]
        x0, x1 = sorted(xs[j:j + 2])
        y0, y1 = sorted(height - ys[i:i + 2])
        assert x0 - 0.5 <= left and right <= x1 + 0.5 and y0 - 0.5 <= top and bottom <= y1 + 0.5, (
            f"the label {cells.drawn[i, j]!r} of cell ({i}, {j}) spills out of it")


@pytest.mark.slow                      # seconds: the slow tier
@pytest.mark.parametrize("channels, filters", [(64, 4), (192, 32)])
def test_every_strip_cell_shows_its_number_and_omissions_are_stated(channels, filters):
    """The lecture's shape 28×28×192 → 32 and a 64-channel volume: no number vanishes for lack of room."""
    size = 28 if channels == 192 else 6
    x, w = example_volume(size, size, channels), example_filters(channels, filters)
    fig = draw.new_figure((12, 8))
    d = draw.plot_dot_product(x, w, pixel=(2, 1), fig=fig)
    for grid in d.strips.grids:
        drawn_labels(grid, fig)
        assert grid.cells.hidden == 0
        assert grid.cells.drawn_fontsize >= draw.MIN_FONTSIZE
    n = d.strips.shown
    assert len(d.shown()["products"]) == n
    if channels == 64:
        assert n == 64 and d.strips.window_note is None
    else:
        assert n < channels
        note = d.strips.window_note.get_text()
        assert note == f"channels 0–{n - 1} of 192 shown; the sum uses all 192" and d.strips.window_note.get_visible()
        assert d.bars.ax.get_xlabel() == f"channel c (0–{n - 1} of 192 shown)"
    # the sum is over every channel, shown or not
    assert d.shown()["sum"] == draw.format_number((x[2, 1] * w[:, 0]).sum(), 3)


@pytest.mark.parametrize("width, shrunk, expected", [
    (1.4, True, ["−0.34", "12345", "0.5", "−8.06"]),       # shrunk from 10 pt: every label whole
    (1.1, False, ["−0.3", "12.3k", "0.5", "−8.1"]),        # at the smallest size, shortened to fit
])
def test_a_label_too_wide_is_shrunk_then_shortened(width, shrunk, expected):
    """The size a label shrinks to depends on the font's metrics (they differ a little between matplotlib
    versions), so this checks the rule: smaller than asked, never below the minimum, then shortened."""
    fig = draw.new_figure((width, 0.8))
    ax = fig.add_axes((0.05, 0.05, 0.9, 0.9))
    grid = draw.plot_grid([[-0.34, 12345.0, 0.5, -8.06]], ax=ax, labels=False, aspect="auto", fontsize=10)
    drawn_labels(grid, fig)
    assert grid.cells.drawn[0].tolist() == [t.replace("−", "\N{MINUS SIGN}") for t in expected]
    if shrunk:
        assert draw.MIN_FONTSIZE < grid.cells.drawn_fontsize < 10
    else:
        assert grid.cells.drawn_fontsize == draw.MIN_FONTSIZE
    assert grid.cells.hidden == 0


def test_a_grid_too_small_for_its_numbers_says_so():
    fig = draw.new_figure((2, 1))
    ax = fig.add_axes((0, 0, 1, 1))
    grid = draw.plot_grid(np.arange(60.0).reshape(2, 30) * 1.5, ax=ax, labels=False, aspect="auto")
    fig.canvas.draw()
    assert grid.cells.hidden > 0
    assert set(grid.cells.drawn.ravel()) >= {"…"}, "a cell with no room shows an ellipsis, not a blank"
    assert "" not in set(grid.cells.drawn.ravel())


# -- lesson 01: one colour scale, arrows that cross no number ---------------------------


def test_pixel_product_colours_a_number_alike_in_input_and_output():
    view = draw.plot_pixel_product(lecture_image(), 2.0, (1, 2))
    assert view.inp.cmap.name == view.out.cmap.name == "cividis"          # non-negative: the sequential map
    assert (view.inp.norm.vmin, view.inp.norm.vmax) == (view.out.norm.vmin, view.out.norm.vmax) == (0, 18)
    # 6 is in both grids: input (0, 3) and output (0, 2)
    assert lecture_image()[0, 3] == 6 and view.out.values[0, 2] == 6
    assert np.array_equal(view.inp.cells.cell_rgb[0, 3], view.out.cells.cell_rgb[0, 2])
    fixed = draw.plot_pixel_product(lecture_image(), 2.0, vmin=-27, vmax=27, fig=draw.new_figure((10, 4.2)))
    assert fixed.inp.cmap.name == fixed.out.cmap.name == draw.CMAP_SIGNED
    with pytest.raises(ValueError, match=r"vmin must be less than vmax; got vmin = 3, vmax = 1"):
        draw.plot_pixel_product(lecture_image(), vmin=3, vmax=1)
    with pytest.raises(TypeError, match=r"weight must be a real number; got 'two' \(str\)"):
        draw.plot_pixel_product(lecture_image(), "two")
    with pytest.raises(TypeError, match=r"pixel must be a pair \(i, j\) of a row and a column index; got 3 \(int\)"):
        draw.plot_pixel_product(lecture_image(), 2.0, 3)


def test_weight_explorer_keeps_one_scale_covering_the_slider():
    ex = explore.WeightExplorer()
    norms = [(g.norm.vmin, g.norm.vmax, g.cmap.name) for g in (ex.view.inp, ex.view.out)]
    assert norms[0] == norms[1] == (-27.0, 27.0, draw.CMAP_SIGNED)         # 3 × the largest |x| = 9
    for weight in (-3.0, 3.0, 0.5):
        ex.controls["weight"].value = weight
        assert (ex.view.out.norm.vmin, ex.view.out.norm.vmax) == (-27.0, 27.0)
        # a value in both grids has one colour
        out = ex.view.out.values
        both = [(a, b) for a in np.ndindex(6, 6) for b in np.ndindex(6, 6) if lecture_image()[a] == out[b]]
        for a, b in both[:5]:
            assert np.array_equal(ex.view.inp.cells.cell_rgb[a], ex.view.out.cells.cell_rgb[b])


@pytest.mark.parametrize("pixel", [(1, 2), (0, 0), (5, 5), (3, 0), (0, 5)])
def test_pixel_product_arrows_cross_no_number(pixel):
    fig = draw.new_figure((10, 4.2))
    view = draw.plot_pixel_product(lecture_image(), 2.0, pixel, fig=fig)
    fig.canvas.draw()
    with_arrows = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    for arrow in view.arrows:
        arrow.set_visible(False)
    fig.canvas.draw()
    without = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    changed = (with_arrows != without).any(axis=2)
    assert changed.sum() > 200, "the arrows should be drawn"
    for grid in (view.inp, view.out):
        for (i, j), (left, top, right, bottom) in grid.cells.label_boxes.items():
            assert not changed[top:bottom, left:right].any(), f"an arrow covers the number in cell ({i}, {j})"


# -- pictures ------------------------------------------------------------------------


def yiq_q() -> np.ndarray:
    from conv1x1 import COLOUR_MIXES
    from conv1x1.compute.data import load_photo

    return conv1x1(load_photo(), COLOUR_MIXES["RGB to YIQ"])[:, :, 2]


def test_a_signed_channel_uses_its_own_symmetric_scale():
    q = yiq_q()
    assert -0.2 < q.min() < 0 < q.max() < 0.3
    shown = draw.plot_picture(q)
    bound = float(np.abs(q).max())
    assert shown.get_cmap().name == draw.CMAP_SIGNED
    assert (shown.norm.vmin, shown.norm.vmax) == (-bound, bound)
    # orange is positive, purple negative
    plus, minus = shown.to_rgba(np.array([bound]))[0], shown.to_rgba(np.array([-bound]))[0]
    assert plus[0] > plus[2] and minus[2] > minus[0]
    assert shown.colorbar is not None and "orange > 0" in shown.colorbar.ax.get_ylabel()
    fixed = draw.plot_picture(q, vmin=-1, vmax=1, ax=plt.subplots()[1])
    assert (fixed.norm.vmin, fixed.norm.vmax) == (-1, 1)


def test_picture_scales_for_brightness_and_non_negative_channels():
    assert draw.plot_picture(np.full((4, 4), 0.5)).get_cmap().name == "gray"
    big = draw.plot_picture(np.arange(16.0).reshape(4, 4), ax=plt.subplots()[1])
    assert big.get_cmap().name == draw.CMAP_SEQUENTIAL and (big.norm.vmin, big.norm.vmax) == (0, 15)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(image=np.ones((4, 4, 3)), vmin=0), ValueError, r"vmin and vmax set the scale of a single channel"),
    (dict(image=np.ones((4, 4)), vmin=2, vmax=1), ValueError, r"vmin must be less than vmax; got vmin = 2, vmax = 1"),
    (dict(image=np.ones((4, 4)), vmax="high"), TypeError, r"vmax must be a real number; got 'high' \(str\)"),
    (dict(image=np.ones((4, 4)), colorbar="yes"), TypeError, r"colorbar must be True, False or None"),
    (dict(image=np.ones((4, 4)), pixel=(4, 0)), ValueError, r"i must be a row index in 0..3; got 4"),
])
def test_plot_picture_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        draw.plot_picture(**kwargs)


# -- no negative zero anywhere ----------------------------------------------------------

import re  # noqa: E402

SIGNED_NUMBER = re.compile(r"[\N{MINUS SIGN}-](?=[\d.])[\d.,]*\d")


def figure_texts(fig) -> list[str]:
    """Every text the figure shows once drawn: Text and FastText artists, tick labels, grid cells."""
    fig.canvas.draw()
    texts = []
    for artist in fig.findobj():
        if isinstance(artist, draw.CellGrid):
            texts += [t for t in artist.drawn.ravel() if t]
        elif hasattr(artist, "get_text") and artist.get_visible():
            texts.append(artist.get_text())
    return texts


def negative_zeros(texts: list[str]) -> list[str]:
    return [t for t in texts for m in SIGNED_NUMBER.findall(t) if float(m[1:].replace(",", "")) == 0]


def test_the_check_finds_a_negative_zero():
    assert negative_zeros(["x = \N{MINUS SIGN}0", "-0.0 here", "\N{MINUS SIGN}0.5", "0", "3-4"]) == [
        "x = \N{MINUS SIGN}0", "-0.0 here"]


@pytest.mark.slow                      # seconds: the slow tier
def test_no_figure_shows_a_negative_zero():
    image = lecture_image() - 5.0                                # zeros and negatives
    ex = explore.WeightExplorer(image, weight=-0.5, pixel=(0, 4))       # 0 × −0.5 = −0.0
    for weight, relu in [(-0.5, False), (-0.5, True), (0.0, False), (-3.0, True)]:
        ex.controls["weight"].value = weight
        ex.controls["relu"].value = relu
        texts = figure_texts(ex.figure) + [ex.caption(ex.state()), ex.image.alt]
        assert not negative_zeros(texts), negative_zeros(texts)
    x = example_volume()
    x[..., 5] = 0.0
    w = -np.abs(example_filters(32, 4))                         # negative weights on zero inputs: −0.0 products
    ex = explore.DotProductExplorer(x, w, b=[0.0, -0.0, 0.0, 0.0])
    for f in range(4):
        ex.controls["filter"].value = f
        texts = figure_texts(ex.figure) + [ex.caption(ex.state())]
        assert not negative_zeros(texts), negative_zeros(texts)
    chart = draw.plot_cost(fig=draw.new_figure((11, 6.2)))
    assert not negative_zeros(figure_texts(chart.fig))


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(cmap="rainbowish"), ValueError, r"cmap must be the name of a matplotlib colour map .*got 'rainbowish'"),
    (dict(fontsize=0), ValueError, r"fontsize must be a positive number of points; got 0"),
    (dict(aspect="square"), ValueError, r"aspect must be 'equal' or 'auto'; got 'square'"),
    (dict(highlight=3), TypeError, r"highlight must be a pair \(i, j\)"),
    (dict(vmin=1, vmax=1), ValueError, r"vmin must be less than vmax; got vmin = 1, vmax = 1"),
    (dict(digits=-1), ValueError, r"digits must be an integer >= 0; got -1"),
])
def test_plot_grid_argument_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        draw.plot_grid([[1, 2]], **kwargs)


def test_new_keyword_errors():
    with pytest.raises(ValueError, match=r"digits must be None or an integer in 0..6 \(decimals in the strips\); got 9"):
        draw.plot_dot_product(example_volume(), example_filters(32, 4), digits=9)
    with pytest.raises(TypeError, match=r"fig must be a matplotlib Figure or None; got 'f' \(str\)"):
        draw.plot_cost(fig="f")
    with pytest.raises(ValueError, match=r"background must be None or a matplotlib colour; got 'nope'"):
        draw.FastText(0, 0, "x", background="nope")


# -- every public drawing function: bad input gets an error naming the argument ---------------------

X, W = example_volume(), example_filters(32, 4)


@pytest.mark.parametrize("call, error, message", [
    (lambda: draw.plot_grid([]), ValueError, r"values must be a 2-D array \(H, W\); got shape \(0,\)"),
    (lambda: draw.plot_grid(np.zeros((0, 3))), ValueError, r"values must hold at least one number; got an empty"),
    (lambda: draw.plot_grid([["a"]]), TypeError, r"values must be an array of real numbers"),
    (lambda: draw.plot_pixel_product(lecture_image(), "2"), TypeError, r"weight must be a real number; got '2'"),
    (lambda: draw.plot_pixel_product(lecture_image(), float("nan")), ValueError, r"weight must be a finite number"),
    (lambda: draw.plot_pixel_product(lecture_image(), 2, (9, 9)), ValueError, r"i must be a row index in 0..5"),
    (lambda: draw.plot_pixel_product(lecture_image(), 2, vmin=3, vmax=1), ValueError, r"vmin must be less than vmax"),
    (lambda: draw.plot_volume((2, 2)), ValueError, r"shape must be \(H, W, C\); got \(2, 2\)"),
    (lambda: draw.plot_volume((2, 2, 2), pixel=(5, 0)), ValueError, r"i must be a row index in 0..1; got 5"),
    (lambda: draw.plot_volume((2, 2, 2), channel=9), ValueError, r"channel must be in 0..1; got 9"),
    (lambda: draw.plot_volumes([(2, 2, "3")]), TypeError, r"shapes\[0\] must be an integer; got '3'"),
    (lambda: draw.plot_dot_product(X, W, filter=7), ValueError, r"filter must be an integer in 0..3; got 7"),
    (lambda: draw.plot_dot_product(X, W, pixel=(0, 6)), ValueError, r"j must be a column index in 0..5; got 6"),
    (lambda: draw.plot_dot_product(X, W, activation="tanh"), ValueError, r"activation must be None or 'relu'"),
    (lambda: draw.plot_dot_product(X, W, b=np.ones(3)), ValueError, r"b must be a scalar or have shape \(4,\)"),
    (lambda: draw.plot_dot_product(X, W, digits=9), ValueError, r"digits must be None or an integer in 0..6"),
    (lambda: draw.plot_dot_product(X, W, fig="figure"), TypeError, r"fig must be a matplotlib Figure or None"),
    (lambda: draw.plot_dot_product(X, W, input_title=3), TypeError, r"input_title must be a string or None"),
    (lambda: draw.plot_dot_product(X, W, weight_range=-1), ValueError, r"weight_range must be a positive number"),
    (lambda: draw.plot_dot_product(X, W, product_range="big"), TypeError, r"product_range must be a real number"),
    (lambda: draw.plot_dot_product(X, W, channel_labels=["R"]), ValueError,
     r"channel_labels must have 32 entries, one per input channel; got 1"),
    (lambda: draw.plot_dot_product(np.zeros((0, 4, 3)), np.ones(3)), ValueError, r"x must hold at least one pixel"),
    (lambda: draw.plot_cost(kernel_size=0), ValueError, r"kernel_size must be an integer >= 1; got 0"),
    (lambda: draw.plot_cost(fig="figure"), TypeError, r"fig must be a matplotlib Figure or None"),
    (lambda: draw.plot_picture(np.zeros((2, 2, 4))), ValueError, r"image must be an RGB picture \(H, W, 3\)"),
    (lambda: draw.new_figure("big"), TypeError, r"figsize must be a pair \(width, height\) of inches"),
], ids=lambda v: "" if callable(v) else None)
def test_every_drawing_function_names_a_bad_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()
    plt.close("all")
