"""The fast-rendering shortcuts (conv1x1.engine.render) against matplotlib's own rendering.

The glyph cache is filled by matplotlib's own Text, and the artists paste what it drew: these tests hold
them to matplotlib's rendering (to the pixel where a label's origin is a whole pixel), so an upgrade that
changes how matplotlib lays out or rasterises text fails here instead of the figures drifting unseen.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.transforms import IdentityTransform  # noqa: E402

from conv1x1 import draw  # noqa: E402
from conv1x1.engine.render import (FastText, TileEncoder, abbreviations, encode_png, text_bitmap)  # noqa: E402
from conv1x1.draw.style import new_figure  # noqa: E402
from frames import decode  # noqa: E402


def ink(artist_factory, size=(4, 1.2)) -> np.ndarray:
    """Darkness (0..1) of a figure holding one text artist, drawn with Agg."""
    fig = new_figure(size)
    fig.add_artist(artist_factory(fig))
    fig.canvas.draw()
    return 1 - np.asarray(fig.canvas.buffer_rgba())[..., :3].mean(axis=2) / 255


def box(darkness: np.ndarray) -> tuple[int, int, int, int]:
    rows, cols = np.nonzero(darkness > 0.25)
    return rows.min(), rows.max(), cols.min(), cols.max()


@pytest.mark.parametrize("text, kwargs", [
    ("−24.7", dict(fontsize=11)),
    ("12,443,648", dict(fontsize=9.5, weight="bold")),
    ("jig", dict(fontsize=12, ha="right")),
    ("0.349", dict(fontsize=9)),
    ("…", dict(fontsize=6)),
])
def test_fast_text_on_a_whole_pixel_is_matplotlib_s_own_rendering(text, kwargs):
    """A word anchored on its baseline at a whole pixel: FastText pastes exactly the pixels Text draws
    (the glyph cache is filled by matplotlib's own text rendering: render.text_bitmap)."""
    options = {"ha": "left", "va": "baseline", **kwargs}
    fast = ink(lambda fig: FastText(0.5, 0.5, text, transform=fig.transFigure, **options))
    slow = ink(lambda fig: Text(0.5, 0.5, text, transform=fig.transFigure, **options))
    assert box(fast) == box(slow)
    assert np.abs(fast - slow).max() <= 1 / 255


@pytest.mark.parametrize("text, kwargs", [
    ("pixel (i, j) = (2, 1), filter f = 0", dict(fontsize=10)),
    ("12,443,648 (100%)", dict(fontsize=9.5, weight="bold")),
    ("A 1×1 filter [−3]: every output pixel comes from one input pixel", dict(fontsize=10)),
    ("output volume\nslice f = 3", dict(fontsize=10, ha="center", va="bottom")),
    ("× 2", dict(fontsize=22, weight="bold", ha="center", va="center")),
    ("Showing: H = 28, W = 28", dict(fontsize=10.5, va="center")),
    ("input\n28×28×192", dict(fontsize=10, ha="center", va="top")),
    ("a\nb", dict(fontsize=10)),                     # "baseline": the last line's, as matplotlib's
    ("x[1, 2] × w = 5 × 2 = 10\nReLU(10) = 10", dict(fontsize=10, ha="center", va="center", linespacing=1.5)),
])
def test_fast_text_draws_where_matplotlib_text_draws(text, kwargs):
    """Several words, centred, or between pixels: the ink's box within 1 pixel (FastText pastes each word
    at a whole pixel, Agg places glyphs at 1/64 px), 2 for several lines (matplotlib 3.10+ spaces a line by its own glyphs'
    height, FastText by that of "lp"), and nearly the same ink."""
    options = {"ha": "left", "va": "baseline", **kwargs}
    fast = ink(lambda fig: FastText(0.5, 0.5, text, transform=fig.transFigure, **options))
    slow = ink(lambda fig: Text(0.5, 0.5, text, transform=fig.transFigure, **options))
    assert np.abs(np.subtract(box(fast), box(slow))).max() <= (2 if "\n" in text else 1), (box(fast), box(slow))
    assert fast.sum() == pytest.approx(slow.sum(), rel=0.08)


def test_words_put_together_land_where_matplotlib_draws_them():
    """With matplotlib 3.11 a line is put together from its cached words, each within a pixel of where
    matplotlib draws it; an older matplotlib draws lines whole instead (and fast), exactly."""
    from conv1x1.engine.glyphs import PROBE_LINE, line_image, words_compose

    newer = tuple(int(part) for part in matplotlib.__version__.split(".")[:2]) >= (3, 11)
    assert words_compose(10.0, 100.0) == newer
    image, bottom, left = line_image(PROBE_LINE, 10.0, "normal", (0, 0, 0), 100.0)
    drawn = text_bitmap(PROBE_LINE, 10.0, 100.0)
    assert abs(left - drawn.left) <= 1 and abs(image.shape[1] - drawn.mask.shape[1]) <= 1
    if not newer:
        assert np.array_equal(image[::-1, :, 3], drawn.mask)


@pytest.mark.parametrize("text, size, weight", [("0.349", 9.0, "normal"), ("−1.2k", 6.0, "normal"),
                                                ("jig Wy", 14.0, "bold"), ("—", 10.0, "normal")])
def test_a_glyph_bitmap_is_matplotlib_s_own_rasterisation(text, size, weight):
    """text_bitmap is what Agg draws for a Text at a whole-pixel origin: same pixels, same place."""
    glyphs = text_bitmap(text, size, 100.0, weight)
    fig = new_figure((2, 1))
    fig.add_artist(Text(50, 40, text, fontsize=size, weight=weight, transform=IdentityTransform()))
    fig.canvas.draw()
    darkness = 255 - np.asarray(fig.canvas.buffer_rgba())[..., 0].astype(int)
    rows, cols = np.nonzero(darkness)
    assert np.array_equal(darkness[rows.min():rows.max() + 1, cols.min():cols.max() + 1], glyphs.mask)
    baseline_row = fig.canvas.get_width_height()[1] - 40                 # from the top
    assert (cols.min() - 50, rows.max() + 1 - baseline_row) == (glyphs.left, glyphs.descent)


def test_cell_labels_are_as_wide_as_matplotlib_s():
    fig = new_figure((3, 1))
    ax = fig.add_axes((0, 0, 1, 1))
    grid = draw.plot_grid([[1.25, -0.5, 12.0]], ax=ax, labels=False, aspect="auto", fontsize=10)
    fig.canvas.draw()
    for (i, j), (left, top, right, bottom) in grid.cells.label_boxes.items():
        text = grid.cells.drawn[i, j]
        mask = text_bitmap(text, grid.cells.drawn_fontsize, fig.dpi).mask
        assert (right - left, bottom - top) == (mask.shape[1], mask.shape[0])


def test_fast_text_falls_back_to_text_for_vector_output(tmp_path):
    fig = new_figure((3, 1))
    fig.add_artist(FastText(0.1, 0.5, "sum of the 32 products", transform=fig.transFigure))
    fig.savefig(tmp_path / "t.svg")
    assert "sum of the 32 products" in (tmp_path / "t.svg").read_text()


def test_abbreviations_shorten_without_lying():
    assert abbreviations(-0.34, 2) == ["−0.3", "−.34", "−.3"]
    assert abbreviations(12345.0, 2) == ["12.3k", "12k"]
    assert abbreviations(0.04, 2) == [".04"]                # never "0"
    assert abbreviations(8.06, 1) == ["8"]


def test_encode_png_round_trips():
    rgba = np.random.default_rng(0).integers(0, 256, (7, 5, 4), dtype=np.uint8)
    assert np.array_equal(decode(encode_png(rgba)), rgba[..., :3])
    with pytest.raises(ValueError, match=r"rgba must be a uint8 array"):
        encode_png(np.zeros((2, 2)))


def compose(canvas: np.ndarray, sheets) -> np.ndarray:
    """Paint ``sheets`` on ``canvas`` as the browser does."""
    for sheet in sheets:
        image = decode(sheet.data)
        for sx, sy, w, h, x, y in sheet.rects:
            canvas[y:y + h, x:x + w] = image[sy:sy + h, sx:sx + w]
    return canvas


def test_the_tile_encoder_sends_only_what_changed_and_the_browser_rebuilds_the_frame():
    rng = np.random.default_rng(1)
    encoder = TileEncoder()
    t = TileEncoder.TILE
    frame = np.full((3 * t + 5, 5 * t + 7, 4), 255, dtype=np.uint8)
    frame[..., :3] = rng.integers(0, 256, frame.shape[:2] + (3,), dtype=np.uint8)
    first = encoder.patches(frame)
    shown = compose(np.zeros(frame.shape[:2] + (3,), dtype=np.uint8), first)
    assert np.array_equal(shown, frame[..., :3]), "the first frame is sent whole"
    for row, col in [(0, 0), (t, 2 * t + 3), (frame.shape[0] - 1, frame.shape[1] - 1)]:   # incl. the ragged edge
        frame = frame.copy()
        frame[row, col, :3] = 255 - frame[row, col, :3]
        patches = encoder.patches(frame)
        assert len(patches) == 1 and len(patches[0].rects) == 1
        _, _, w, h, _, _ = patches[0].rects[0]
        assert w <= t and h <= t, "only the tile that changed is sent"
        shown = compose(shown, patches)
        assert np.array_equal(shown, frame[..., :3])
    assert encoder.patches(frame.copy()) == [], "an unchanged frame sends nothing"
    whole = compose(np.zeros_like(shown), encoder.whole())
    assert np.array_equal(whole, frame[..., :3]), "a new view gets the whole frame"


def test_photos_go_as_jpeg_and_everything_else_stays_lossless():
    encoder = TileEncoder()
    t = TileEncoder.TILE
    frame = np.full((4 * t, 6 * t, 4), 255, dtype=np.uint8)
    photo = (t, 0, 5 * t, 4 * t)                          # left, top, right, bottom
    patches = encoder.patches(frame, photos=[photo])
    inside = {sheet.mime: all(photo[0] <= x and x + w <= photo[2] for _, _, w, _, x, _ in sheet.rects)
              for sheet in patches}
    assert inside == {"image/jpeg": True, "image/png": False}, "JPEG only inside the photo"
    shown = compose(np.zeros(frame.shape[:2] + (3,), dtype=np.uint8), patches)
    assert np.array_equal(shown[:, :photo[0]], frame[:, :photo[0], :3]), "lossless outside the photo"


# -- the private uses of conv1x1.engine.mpl, against matplotlib's own drawing ----------------------------
def test_a_screen_image_is_drawn_as_matplotlib_draws_the_same_image():
    """ScreenImage pastes its bytes unresampled where they fit the screen exactly: the same pixels as an
    ordinary AxesImage of the same data (0 px offset, no colour change); anything else falls back."""
    from matplotlib.image import AxesImage

    from conv1x1.engine.mpl import ScreenImage

    rgba = np.random.default_rng(3).integers(0, 256, (60, 80, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    frames = []
    for kind in (ScreenImage, AxesImage):
        fig = new_figure((2.0, 1.0))                       # 200 × 100 px at the course's 100 dpi
        ax = fig.add_axes((0.1, 0.2, 0.4, 0.6))            # 80 × 60 px: the image's own size
        ax.set_axis_off()
        image = kind(ax, interpolation="nearest", extent=(-0.5, 79.5, 59.5, -0.5), origin="upper")
        image.set_data(rgba)
        ax.add_image(image)
        ax.set_xlim(-0.5, 79.5)
        ax.set_ylim(59.5, -0.5)
        fig.canvas.draw()
        frames.append(np.asarray(fig.canvas.buffer_rgba()).copy())
    assert np.array_equal(frames[0], frames[1])


def test_artists_in_draw_order_blit_as_the_full_figure_draws():
    """Blitting the animated artists in in_draw_order's order gives the full draw's pixels, overlaps
    included (an artist added first but with a higher zorder stays in front)."""
    from matplotlib.patches import Rectangle

    from conv1x1.engine.mpl import in_draw_order

    def build():
        fig = new_figure((2.0, 1.0))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, 4)
        ax.set_ylim(0, 2)
        front = ax.add_patch(Rectangle((0.5, 0.5), 2, 1, color="red", zorder=5))
        back = ax.add_patch(Rectangle((1, 0.2), 2, 1.5, color="blue", zorder=1))
        label = fig.add_artist(Text(0.3, 0.5, "on top", fontsize=14, transform=fig.transFigure, zorder=6))
        return fig, [label, front, back]

    fig, _ = build()
    fig.canvas.draw()
    full = np.asarray(fig.canvas.buffer_rgba()).copy()
    fig, artists = build()
    for artist in artists:
        artist.set_animated(True)
    fig.canvas.draw()                                      # the static part only
    for artist in in_draw_order(fig, artists):
        fig.draw_artist(artist)
    assert np.array_equal(np.asarray(fig.canvas.buffer_rgba()), full)
    assert [type(a).__name__ for a in in_draw_order(fig, artists)] == ["Rectangle", "Rectangle", "Text"]


def test_every_pair_puts_every_pair_of_characters_side_by_side():
    from conv1x1.engine.glyphs import every_pair

    chars = "0123456789.,−"
    line = every_pair(chars)
    assert len(line) == len(chars) ** 2 + 1
    assert all(a + b in line for a in chars for b in chars)


@pytest.mark.parametrize("size, weight", [(6.0, "normal"), (9.5, "bold"), (10.0, "normal"), (14.0, "normal")])
def test_numbers_put_together_from_glyphs_are_what_matplotlib_draws(size, weight):
    """Once the pairs are learnt, numbers are pasted glyph by glyph: the same pixels, bearing and descent
    as matplotlib's own drawing of each whole number, and the same step to a next word."""
    from conv1x1.engine.glyphs import _offscreen, word_step

    offscreen = _offscreen(100.0)
    rng = np.random.default_rng(7)
    numbers = [f"{v:,}" for v in rng.integers(0, 10**9, 40)] + [f"{v:.3f}".replace("-", "−") for v in rng.normal(0, 5, 40)]
    composed = 0
    for text in numbers:
        cached = text_bitmap(text, size, 100.0, weight)
        drawn = offscreen.render(text, size, weight)
        assert np.array_equal(cached.mask, drawn.mask) and cached[1:] == drawn[1:], text
        assert word_step(text, 1, size, 100.0, weight) == pytest.approx(offscreen.step(text, size, weight), abs=0.05)
        composed += offscreen.composable(text, size, weight)
    if tuple(int(part) for part in matplotlib.__version__.split(".")[:2]) >= (3, 11):
        # matplotlib 3.11 draws glyph by glyph at whole-pixel pens: every number can be put together (the
        # speed-up this is for); older releases draw a string in one piece, and fast, so it may not be
        assert composed == len(numbers), "every number is put together from its glyphs, not drawn"


def test_a_pair_that_does_not_come_out_the_same_is_never_learnt(monkeypatch):
    """A word whose glyphs side by side differ from matplotlib's drawing (here: a drawing made to differ)
    teaches nothing, and the word keeps being drawn whole."""
    from conv1x1.engine.glyphs import TextBitmap, _Offscreen

    offscreen = _Offscreen(100.0)
    render = offscreen.render

    def changed(text, size, weight):
        drawn = render(text, size, weight)
        if text != "Qz":
            return drawn
        mask = drawn.mask.copy()
        mask[0, 0] ^= 1
        return TextBitmap(mask, drawn.descent, drawn.left)

    monkeypatch.setattr(offscreen, "render", changed)
    offscreen.learn("Qz", 11.0, "normal")
    assert ("Q", "z", 11.0, "normal") not in offscreen.pairs
    assert not offscreen.composable("Qz", 11.0, "normal")
    offscreen.learn("Qy", 11.0, "normal")                    # drawn as it is: learnt (matplotlib 3.11)
    if tuple(int(part) for part in matplotlib.__version__.split(".")[:2]) >= (3, 11):
        assert offscreen.composable("Qy", 11.0, "normal")
