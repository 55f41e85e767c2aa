"""Lesson 03's cost chart and CostExplorer, and the FastText labels they use."""

from __future__ import annotations


import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conv1x1 import bottleneck_cost, draw, explore  # noqa: E402
from conv1x1.draw.alt import parse_figure_html  # noqa: E402
from frames import decode  # noqa: E402


def texts(chart: draw.CostChart, quantity: str) -> list[str]:
    return [t.get_text() for t in chart.bar_values[quantity]]


# -- the chart ----------------------------------------------------------------------


def test_lecture_example_numbers():
    chart = draw.plot_cost()                 # 5×5, 28×28×192 → 28×28×32, bottleneck 16
    assert texts(chart, "multiplications") == ["120,422,400 (100%)",
                                               "12,443,648 (10.3%) = 2,408,448 + 10,035,200"]
    assert texts(chart, "weights") == ["153,600 (100%)", "15,872 (10.3%) = 3,072 + 12,800"]
    assert [t.get_text() for t in chart.bar_formulas["multiplications"]] == [
        "= 28 × 28 × 32 × 5² × 192", "= 28 × 28 × 16 × 192 + 28 × 28 × 32 × 5² × 16"]
    assert [t.get_text() for t in chart.bar_formulas["weights"]] == ["= 5² × 192 × 32", "= 192 × 16 + 5² × 16 × 32"]
    assert "9.7× fewer multiplications" in chart.title.get_text()
    assert [t.get_text() for t in chart.box_labels] == ["input\n28×28×192", "after the 1×1\n28×28×16",
                                                        "output\n28×28×32"]
    assert all(t.get_text() == "" for t in chart.off_scale.values())


def bar_ends(chart, quantity):
    direct, reduce, conv = chart.bars[quantity]
    return direct.get_width(), reduce.get_width(), conv.get_x() + conv.get_width()


def test_bars_are_shares_of_the_direct_cost_on_fixed_linear_axes():
    """A 9.7× saving is drawn 9.7× shorter (it was 282 px against 262 px on the old log axes)."""
    chart = draw.plot_cost()
    assert chart.ax_mult.get_xscale() == "linear"
    limits = (chart.ax_mult.get_xlim(), chart.ax_weights.get_xlim())
    assert limits == ((0, draw.COST_SHARE_MAX), (0, draw.COST_SHARE_MAX))
    cost = bottleneck_cost(28, 28, 192, 32, 5, 16)
    direct, reduce_end, total_end = bar_ends(chart, "multiplications")
    assert direct == 1.0
    assert reduce_end == pytest.approx(cost.reduce.multiplications / cost.direct.multiplications)
    assert total_end == pytest.approx(cost.multiplications / cost.direct.multiplications) == pytest.approx(0.1033, abs=1e-4)
    # on screen: the direct bar is as many times longer as the saving
    chart.fig.canvas.draw()
    pixels = [chart.ax_mult.transData.transform((x, 0))[0] - chart.ax_mult.transData.transform((0, 0))[0]
              for x in (direct, total_end)]
    assert pixels[0] / pixels[1] == pytest.approx(cost.saving, rel=0.01)
    for sizes in [dict(height=64, width=64, in_channels=512, out_channels=512, kernel_size=7, bottleneck=256),
                  dict(height=1, width=1, in_channels=1, out_channels=1, kernel_size=1, bottleneck=1)]:
        chart.update(**sizes)
        assert (chart.ax_mult.get_xlim(), chart.ax_weights.get_xlim()) == limits      # never rescaled


@pytest.mark.parametrize("sizes, share", [
    (dict(bottleneck=256), 199_098_368 / 120_422_400),                        # 1.65× the direct cost
    (dict(in_channels=1, out_channels=1, kernel_size=1, bottleneck=256), 512.0),
    (dict(in_channels=192, out_channels=32, kernel_size=5, bottleneck=160), None),   # 1.07×: still on the axis
])
def test_a_bottleneck_that_costs_more_is_never_a_misleading_bar(sizes, share):
    chart = draw.plot_cost(**sizes)
    cost = bottleneck_cost(**{**dict(height=28, width=28, in_channels=192, out_channels=32, kernel_size=5,
                                     bottleneck=16), **sizes})
    true_share = cost.multiplications / cost.direct.multiplications
    _, _, end = bar_ends(chart, "multiplications")
    label = chart.off_scale["multiplications"].get_text()
    if share is None:
        assert 1 < true_share <= draw.COST_SHARE_MAX and end == pytest.approx(true_share) and label == ""
    else:
        assert true_share == pytest.approx(share)
        assert end == draw.COST_SHARE_MAX                     # runs to the end of the axis ...
        times = f"{share:.2f}×" if share < 10 else f"{share:,.0f}×"
        assert label == f"off scale: {times} the direct cost »"   # ... and says how far it goes
        assert f"({100 * share:,.0f}%)" in texts(chart, "multiplications")[1]


def box_extent(faces):
    points = np.concatenate([p.get_xy() for p in faces])
    return points.min(axis=0), points.max(axis=0)


@pytest.mark.parametrize("sizes", [
    dict(height=28, width=28, in_channels=192, out_channels=32, kernel_size=5, bottleneck=16),
    dict(height=64, width=64, in_channels=512, out_channels=512, kernel_size=7, bottleneck=256),
    dict(height=1, width=64, in_channels=1, out_channels=512, kernel_size=1, bottleneck=1),
    dict(height=64, width=1, in_channels=512, out_channels=1, kernel_size=3, bottleneck=256),
])
def test_boxes_are_to_one_scale_and_inside_the_drawing(sizes):
    chart = draw.plot_cost(**sizes)
    area_w, area_h = chart._box_area
    channels = [sizes["in_channels"], sizes["bottleneck"], sizes["out_channels"]]
    fronts, depths = [], []
    for faces, c in zip(chart.boxes, channels):
        (x0, y0), (x1, y1) = box_extent(faces)
        assert x0 >= 0 and y0 >= 0 and x1 <= area_w and y1 <= area_h
        front = faces[0].get_xy()
        fronts.append((np.ptp(front[:, 0]), np.ptp(front[:, 1])))       # width, height of the front face
        side = faces[2].get_xy()
        depths.append(np.ptp(side[:, 0]) / c)                          # depth per channel
    scale = fronts[0][0] / sizes["width"]
    for width, height in fronts:
        assert width == pytest.approx(sizes["width"] * scale) and height == pytest.approx(sizes["height"] * scale)
    assert depths == pytest.approx([depths[0]] * 3)


def test_plot_cost_errors():
    with pytest.raises(ValueError, match="bottleneck must be an integer >= 1; got 0"):
        draw.plot_cost(bottleneck=0)
    with pytest.raises(TypeError, match=r"height must be an integer; got 2.5 \(float\)"):
        draw.plot_cost(height=2.5)
    chart = draw.plot_cost()
    with pytest.raises(TypeError, match=r"unknown sizes \['depth'\]"):
        chart.update(depth=3)


def test_static_chart_in_a_pyplot_figure_and_as_svg(tmp_path):
    fig = plt.figure(figsize=(11, 6.2))
    draw.plot_cost(fig=fig)
    fig.savefig(tmp_path / "cost.svg")
    svg = (tmp_path / "cost.svg").read_text()
    assert "12,443,648" in svg and "after the 1×1" in svg


# -- FastText -----------------------------------------------------------------------


def test_fast_text_draws_ink_where_it_is_anchored():
    fig = draw.new_figure((3, 1))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    label = draw.FastText(0.5, 0.5, "", ha="right", va="center", fontsize=14, transform=ax.transAxes)
    ax.add_artist(label)
    fig.canvas.draw()
    blank = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    assert (blank == 255).all()
    label.set_text("12,443,648\nsecond line")
    fig.canvas.draw()
    ink = (np.asarray(fig.canvas.buffer_rgba())[..., :3] < 128).any(axis=2)
    rows, cols = np.nonzero(ink)
    assert cols.max() <= 150 + 1                          # ha="right": ends at the anchor (x = 150 px)
    assert rows.min() < 50 < rows.max()                   # va="center": two lines around y = 50 px
    assert label.get_text() == "12,443,648\nsecond line"
    with pytest.raises(ValueError, match="ha must be 'left', 'center' or 'right'; got 'middle'"):
        draw.FastText(0, 0, "x", ha="middle")


# -- the explorer --------------------------------------------------------------------


def test_the_cost_follows_the_sliders():
    ex = explore.CostExplorer()
    for name, value in [("height", 40), ("width", 7), ("in_channels", 512), ("out_channels", 1),
                        ("kernel_size", 7), ("bottleneck", 256), ("kernel_size", 1)]:
        ex.controls[name].value = value
    assert ex.cost == bottleneck_cost(40, 7, 512, 1, 1, 256)


def test_controls_cover_the_sizes_and_are_labelled():
    ex = explore.CostExplorer()
    assert ex.state() == dict(height=28, width=28, in_channels=192, out_channels=32, kernel_size=5, bottleneck=16)
    labels = [c.description for c in ex.controls.values()]
    assert len(set(labels)) == len(labels) and all(labels)
    k = ex.controls["kernel_size"]
    assert (k.min, k.max, k.step) == (1, 7, 2)


def test_display_keeps_a_static_figure_and_a_deterministic_line():
    bundle = explore.CostExplorer()._repr_mimebundle_()
    assert bundle["text/plain"] == ("CostExplorer(height=28, width=28, in_channels=192, out_channels=32, "
                                    "kernel_size=5, bottleneck=16): Cost calculator: a k×k convolution, direct "
                                    "or after a 1×1 bottleneck.")
    png, alt, details = parse_figure_html(bundle["text/html"])
    assert decode(png).shape == (620 + explore.CAPTION_PIXELS, 1100, 3)
    assert "120,422,400 multiplications" in alt and "12,443,648" in alt      # the counts, in the alt text
    assert "= 28 × 28 × 32 × 5² × 192" in details


@pytest.mark.parametrize("kwargs, message", [
    (dict(kernel_size=4), r"kernel_size must be an odd integer in 1..7 \(the slider's range\); got 4"),
    (dict(height=65), r"height must be an integer in 1..64 \(the slider's range\); got 65"),
    (dict(bottleneck=0), r"bottleneck must be an integer >= 1; got 0"),
    (dict(bottleneck=257), r"bottleneck must be an integer in 1..256 \(the slider's range\); got 257"),
])
def test_explorer_rejects_sizes_outside_its_sliders(kwargs, message):
    with pytest.raises(ValueError, match=message):
        explore.CostExplorer(**kwargs)


def test_fast_text_has_an_extent_so_tight_saving_keeps_it(tmp_path):
    """Notebooks save figures with bbox_inches="tight": a FastText above every Axes must not be cut off."""
    fig = draw.new_figure((4, 3))
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.6))
    label = draw.FastText(0.5, 1.2, "above the axes", ha="center", va="bottom", fontsize=12, transform=ax.transAxes)
    ax.add_artist(label)
    fig.canvas.draw()
    box = label.get_window_extent()
    assert box.y0 > ax.bbox.y1 and box.width > 50
    assert fig.get_tightbbox().y1 * fig.dpi >= box.y1 - 1
