"""Lesson 05's explorer: a 3×3 colour mix on the full-size photo, with lesson 02's per-pixel diagram."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conv1x1 import COLOUR_MIXES, conv1x1, draw, explore  # noqa: E402
from frames import decode  # noqa: E402
from conv1x1.compute.data import load_photo  # noqa: E402

PHOTO = load_photo()
NAMES = explore.ColourMixExplorer.WEIGHT_NAMES


@pytest.fixture(scope="module")
def explorer():
    return explore.ColourMixExplorer()


def test_it_mixes_the_full_size_photo(explorer):
    d = explorer.diagram
    assert d.x.shape == (600, 512, 3)
    assert np.array_equal(explorer.w, COLOUR_MIXES["sepia"])
    assert np.allclose(explorer.output, conv1x1(PHOTO, COLOUR_MIXES["sepia"]))
    assert explorer.controls["preset"].value == "sepia"
    assert decode(explorer.image.value).shape == (800 + explore.CAPTION_PIXELS, 1200, 3)


def test_the_picture_shown_is_the_full_output_at_the_shown_pixels(explorer):
    """A 1×1 convolution is per pixel, so showing every k-th pixel of the output is exact."""
    view = explorer.diagram.output_view
    shown = view.image.get_array()
    assert shown.shape[:2] == (view.rows.size, view.cols.size)
    assert 300 <= view.rows.size < 600, "shown at about the axes' pixel size, not at full size"
    expected = np.clip(conv1x1(PHOTO, explorer.w)[view.rows, view.cols], 0, 1)
    assert np.abs(shown[..., :3] / 255 - expected).max() <= 0.5 / 255 + 1e-9


def test_a_preset_sets_the_nine_sliders_in_one_frame():
    ex = explore.ColourMixExplorer("identity")
    frames = []
    ex.image.observe(lambda change: frames.append(change), names="frame")
    ex.controls["preset"].value = "swap red and blue"
    assert ex.last_error is None, ex.last_error
    assert len(frames) == 1, f"choosing a preset rendered {len(frames)} frames"
    assert ex.controls[NAMES[0][2]].value == 1.0 and ex.controls[NAMES[0][0]].value == 0.0   # w[R→B] = 1
    assert np.array_equal(ex.w, COLOUR_MIXES["swap red and blue"])
    red_pixel = ex.diagram.x[339, 90]
    assert np.allclose(ex.output[339, 90], red_pixel[::-1])


def test_moving_a_weight_updates_the_photo_and_the_preset_name():
    ex = explore.ColourMixExplorer("identity")
    frames = []
    ex.image.observe(lambda change: frames.append(change), names="frame")
    ex.controls[NAMES[2][0]].value = 0.5                     # w[B→R]: output R also takes half of input B
    assert ex.controls["preset"].value == "custom" and len(frames) == 1
    assert np.allclose(ex.output[..., 0], PHOTO[..., 0] + 0.5 * PHOTO[..., 2])
    ex.controls[NAMES[2][0]].value = 0.0
    assert ex.controls["preset"].value == "identity"


def test_the_diagram_follows_the_pixel_and_output_channel(explorer):
    explorer.controls["preset"].value = "sepia"
    explorer.controls["i"].value = 250
    explorer.controls["j"].value = 260
    explorer.controls["filter"].value = 1
    d = explorer.diagram
    products = PHOTO[250, 260] * COLOUR_MIXES["sepia"][:, 1]
    shown = d.shown()
    assert d.equation.title.get_text() == "pixel (i, j) = (250, 260), filter f = 1"
    assert shown["output"] == draw.format_number(products.sum(), 3)
    # the weights strip and the matrix write a weight alike (3 decimals: 0.349 in both, not 0.35 and 0.349)
    assert shown["weights"] == explorer.matrix.texts[:, 1].tolist() == ["0.349", "0.686", "0.168"]
    assert d.strips.grids[1].cells.drawn[0].tolist() == ["0.349", "0.686", "0.168"]   # drawn whole, not shortened
    assert explorer.matrix.texts[0].tolist() == ["0.393", "0.349", "0.272"]
    assert explorer.matrix_column.get_x() == 0.5                 # column f = 1 outlined
    assert np.allclose(explorer.swatches[0].get_facecolor()[:3], PHOTO[250, 260])


def test_controls_say_what_they_set():
    ex = explore.ColourMixExplorer()
    slider = ex.controls["w[R→G]"]
    assert slider.description == "w[R→G]"
    assert "w[c=0, f=1]" in slider.tooltip and "input R adds to output G" in slider.tooltip
    assert (slider.min, slider.max, slider.step) == (-1.0, 1.0, 0.01)
    assert repr(ex).startswith("ColourMixExplorer(preset='sepia', w[R→R]=0.393, w[R→G]=0.349, ")
    bundle = ex._repr_mimebundle_()
    assert bundle["text/plain"].startswith("ColourMixExplorer(preset='sepia'")
    assert "\n" not in bundle["text/plain"] and " at 0x" not in bundle["text/plain"]


def test_small_images_work_too():
    image = np.random.default_rng(0).random((5, 4, 3))
    ex = explore.ColourMixExplorer("swap red and blue", image=image, pixel=(1, 2))
    ex.controls["i"].value = 4
    assert ex.last_error is None and np.allclose(ex.output, image[..., ::-1])


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_photo_diagram_saves_as_vector_too(fmt):
    """The screen-sized picture takes a shortcut with Agg only; other renderers draw an ordinary image."""
    fig = draw.new_figure((12, 8))
    draw.plot_dot_product(PHOTO, COLOUR_MIXES["sepia"], activation=None, fig=fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt)
    assert buffer.tell() > 10_000


def test_the_output_stack_is_drawn_as_in_the_static_diagram():
    """The chosen output channel's slice is hidden by the slices in front of it, as in plot_dot_product."""
    ex = explore.ColourMixExplorer("sepia", filter=0)
    ex.controls["filter"].value = 2
    fig = draw.new_figure((12, 8))
    d = draw.plot_dot_product(PHOTO, COLOUR_MIXES["sepia"], pixel=ex.diagram.pixel, filter=2, activation=None,
                              fig=fig)
    explore.add_caption(fig)          # the same strip and layout as the explorer's
    fig.canvas.draw()
    static = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    frame = decode(ex.image.value)
    x0, y0, x1, y1 = (int(round(v)) for v in d.stack.title.axes.bbox.extents)
    rows = slice(static.shape[0] - y1, static.shape[0] - y0)
    assert np.array_equal(frame[rows, x0:x1], static[rows, x0:x1])


def test_the_caption_says_the_preset_pixel_and_channel():
    ex = explore.ColourMixExplorer("sepia", pixel=(339, 90), filter=0)
    assert ex.caption(ex.state()) == "Showing: preset sepia, pixel (i, j) = (339, 90), output channel f = 0 (R)"
    ex.controls[NAMES[0][0]].value = 0.5
    assert ex.caption(ex.state()).startswith("Showing: custom weights (the matrix w), ")
