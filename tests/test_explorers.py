"""Behaviour every explorer of the course shares, run over the package's registry (registry.EXPLORERS):
one frame per move, a blitted frame equal to a fresh build, words that follow the state, errors shown
in the explorer, a static picture for readers without a kernel, and clear errors for bad arguments."""

from __future__ import annotations


import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conv1x1 import draw, explore, lecture_image  # noqa: E402
from conv1x1.draw.style import new_figure  # noqa: E402
from conv1x1.explore import registry  # noqa: E402
from conv1x1.explore.explorers import sweep_diagram  # noqa: E402
from conv1x1.explore.layer_kind import settle_layer  # noqa: E402
from conv1x1.draw.alt import parse_figure_html  # noqa: E402
from frames import decode  # noqa: E402

NAMES = sorted(registry.EXPLORERS)


@pytest.fixture(params=NAMES, scope="module")
def toured(request):
    """An explorer taken through its whole tour, with the frames each move produced."""
    spec = registry.EXPLORERS[request.param]
    ex = spec.make(None)
    frames: list = []
    ex.image.observe(lambda change: frames.append(change["new"]), names="frame")
    per_move = []
    for name, value in spec.moves:
        before, count = ex.image.value, len(frames)
        unchanged = ex.controls[name].value == value
        ex.controls[name].value = value
        assert ex.last_error is None, f"{request.param}: moving {name} to {value!r} raised {ex.last_error!r}"
        per_move.append((name, value, unchanged, len(frames) - count, ex.image.value != before))
    return spec, ex, per_move


def test_the_registry_lists_every_explorer_class_in_lesson_order():
    classes = {type(spec.make(None)).__name__ for spec in registry.EXPLORERS.values()}
    assert classes == {"WeightExplorer", "DotProductExplorer", "CostExplorer", "ColourMixExplorer",
                       "LayerKindExplorer"}
    lessons = [spec.lesson for spec in registry.EXPLORERS.values()]
    assert lessons == sorted(lessons)


def test_the_tour_moves_every_control(toured):
    spec, ex, _ = toured
    assert {name for name, _ in spec.moves} == set(ex.controls)


def test_every_move_draws_exactly_one_new_frame(toured):
    _, _, per_move = toured
    for name, value, unchanged, frames, changed in per_move:
        if unchanged:
            assert frames == 0, f"setting {name} to its own value {value!r} drew {frames} frames"
        else:
            assert frames == 1, f"moving {name} to {value!r} drew {frames} frames, not one"
            assert changed, f"moving {name} to {value!r} did not change the figure"


def test_the_blitted_frame_equals_a_fresh_build(toured):
    """Every artist that changes is redrawn: after the tour, the frame equals a new explorer's in that state."""
    spec, ex, _ = toured
    fresh = spec.make(ex.state())
    assert fresh.state() == ex.state()
    assert np.array_equal(decode(ex.image.value), decode(fresh.image.value))


def test_the_words_follow_the_state(toured):
    """The caption drawn under the figure and the alt text change with every control and state its value."""
    spec, ex, _ = toured
    fresh = spec.make(None)
    assert fresh.caption(fresh.state()).startswith("Showing: ")
    headline = fresh.headline(fresh.state())
    assert headline in fresh.image.alt and headline in fresh.header.value
    for name, value in spec.moves:
        if fresh.controls[name].value == value:
            continue
        caption, alt = fresh.caption(fresh.state()), fresh.image.alt
        fresh.controls[name].value = value
        assert fresh.image.alt != alt, f"the alt text did not follow {name}"
        if not (name == "preset" or name.startswith("w[")):     # custom weights: the matrix drawn says them
            assert fresh.caption(fresh.state()) != caption, f"the caption did not follow {name}"
    strip = decode(fresh.image.value)[-explore.CAPTION_PIXELS:]
    assert (strip < 100).any(axis=2).sum() > 200, "the caption's glyphs are drawn in the frame"


def test_callback_errors_are_shown_not_lost(toured, monkeypatch):
    spec, ex, _ = toured

    def broken(state, changed):
        raise ValueError(f"something went wrong with {changed}")

    monkeypatch.setattr(ex, "update", broken)
    name, value = next((n, v) for n, v in spec.moves if ex.controls[n].value != v)
    ex.controls[name].value = value
    assert isinstance(ex.last_error, ValueError)
    assert "role='alert'" in ex.status.value and f"something went wrong with {name}" in ex.status.value
    monkeypatch.undo()
    ex.controls[name].value = spec.moves[0][1] if spec.moves[0][0] == name else ex.controls[name].value
    other, other_value = next((n, v) for n, v in spec.moves if ex.controls[n].value != v)
    ex.controls[other].value = other_value
    assert ex.last_error is None and ex.status.value == ""


def test_display_keeps_a_static_figure(toured):
    _, ex, _ = toured
    bundle = ex._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith(f"{type(ex).__name__}(") and "\n" not in bundle["text/plain"]
    # the static figure is HTML: the frame as an <img> whose alt is the explorer's, the numbers in <details>
    assert "image/png" not in bundle, "the frame is stored once, in the HTML"
    png, alt, details = parse_figure_html(bundle["text/html"])
    assert np.array_equal(decode(png), decode(ex.image.value))
    assert alt == ex.alt_text() and details == ex.long_description()


@pytest.mark.parametrize("make, error, message", [
    (lambda: explore.WeightExplorer(weight="2"), TypeError, r"weight must be a real number; got '2' \(str\)"),
    (lambda: explore.WeightExplorer(weight=float("nan")), ValueError, r"weight must be a finite number; got nan"),
    (lambda: explore.WeightExplorer(weight=5), ValueError, r"weight must be a number in -3..3; got 5"),
    (lambda: explore.WeightExplorer(relu="yes"), TypeError, r"relu must be True or False; got 'yes' \(str\)"),
    (lambda: explore.WeightExplorer(image=np.ones((0, 3))), ValueError, r"image must be a 2-D single-channel"),
    (lambda: explore.WeightExplorer(pixel=(6, 0)), ValueError, r"i must be a row index in 0..5; got 6"),
    (lambda: explore.WeightExplorer(pixel=3), TypeError, r"pixel must be a pair \(i, j\)"),
    (lambda: explore.DotProductExplorer(np.ones((6, 6))), ValueError,
     r"x must be one channels-last volume \(H, W, C\); got shape \(6, 6\)"),
    (lambda: explore.DotProductExplorer(filter=4), ValueError, r"filter must be an integer in 0..3; got 4"),
    (lambda: explore.DotProductExplorer(relu=None), TypeError, r"relu must be True or False; got None"),
    (lambda: explore.DotProductExplorer(np.ones((4, 4, 8)), np.ones((4, 2))), ValueError,
     r"w must be one filter \(8,\) or a bank \(8, F\).*got shape \(4, 2\)"),
    (lambda: explore.CostExplorer(kernel_size=4), ValueError, r"kernel_size must be an odd integer in 1..7"),
    (lambda: explore.CostExplorer(height=2.5), TypeError, r"height must be an integer; got 2.5 \(float\)"),
    (lambda: explore.ColourMixExplorer("warm"), ValueError, r"preset must be one of 'identity', .*; got 'warm'"),
    (lambda: explore.ColourMixExplorer(w=np.ones((3, 2))), ValueError, r"w must be a 3×3 mixing matrix"),
    (lambda: explore.ColourMixExplorer(w=np.full((3, 3), np.nan)), ValueError,
     r"w's entries must be in -1..1 \(the sliders' range\); got w\[0, 0\] = nan"),
    (lambda: explore.LayerKindExplorer("dilated"), ValueError, r"kind must be one of 'standard', .*; got 'dilated'"),
    (lambda: explore.LayerKindExplorer("grouped"), ValueError,
     r"kind must be the kind the sizes make: .* make a standard layer; got kind = 'grouped'"),
    (lambda: explore.LayerKindExplorer(groups=3), ValueError, r"groups must divide in_channels \(4\)"),
    (lambda: explore.LayerKindExplorer(in_channels=17), ValueError, r"in_channels must be an integer in 1..16"),
    (lambda: explore.LayerKindExplorer(kernel_size=2), ValueError, r"kernel_size must be odd"),
    (lambda: explore.LayerKindExplorer(channel=8), ValueError, r"channel must be an integer in 0..7; got 8"),
    (lambda: explore.LayerKindExplorer(pixel=(0, 6)), ValueError, r"j must be a column index in 0..5; got 6"),
    (lambda: draw.plot_connections(6, 8, 4), ValueError, r"groups must divide in_channels \(6\)"),
    (lambda: explore.Explorer(None, [], {}), TypeError, r"figure must be a matplotlib Figure; got None"),
    (lambda: explore.Explorer(new_figure((2, 2)), [1], {}), TypeError,
     r"animated must be a sequence of matplotlib Artists; got \[1\] \(list\)"),
    (lambda: explore.Explorer(new_figure((2, 2)), [], [1]), TypeError, r"controls must be a dict of name to control"),
    (lambda: explore.Explorer(new_figure((2, 2)), [], {}, instructions=3), TypeError,
     r"instructions must be a string; got 3 \(int\)"),
    (lambda: explore.Explorer(new_figure((2, 2)), [], {}, sweep_steps=-1), ValueError,
     r"sweep_steps must be an integer >= 0; got -1"),
    (lambda: explore.Explorer(new_figure((2, 2)), [], {}), NotImplementedError,
     r"Explorer must define headline\(state\): one sentence"),
    (lambda: explore.WeightExplorer().set([("i", 1)]), TypeError,
     r"values must be a dict of control name to value; got \[\('i', 1\)\] \(list\)"),
    (lambda: explore.WeightExplorer().set({"row": 1}), ValueError,
     r"values must name controls of this explorer \(weight, relu, i, j\); got \['row'\]"),
    (lambda: sweep_diagram(explore.DotProductExplorer().diagram, 36), ValueError,
     r"step must be an integer in 0..35; got 36"),
    (lambda: settle_layer({"kind": "standard"}, None), ValueError,
     r"state must hold the value of every control of the layer; .* without in_channels, out_channels"),
    (lambda: draw.plot_reads(4, 8, 3, groups=1.5), TypeError, r"groups must be an integer; got 1.5"),
], ids=lambda v: "" if callable(v) else None)
def test_bad_arguments_get_errors_naming_them(make, error, message):
    with pytest.raises(error, match=message):
        make()


@pytest.mark.slow                      # seconds: the slow tier
def test_any_volume_the_lecture_names_works():
    """The lecture's own shapes (28×28×192 → 32) and a learner's 40×40×64 volume: usable, no internal error."""
    rng = np.random.default_rng(0)
    for x, w in [(rng.random((28, 28, 192)), rng.standard_normal((192, 32)) / 10),
                 (rng.random((40, 40, 64)), rng.standard_normal((64, 4)))]:
        ex = explore.DotProductExplorer(x, w, pixel=(5, 7))
        for name, value in [("i", 20), ("filter", 3), ("j", 1), ("relu", False)]:
            ex.controls[name].value = value
            assert ex.last_error is None, ex.last_error
        assert ex.diagram.shown()["output"] == explore.format_number(
            ex.diagram.layer.step((20, 1), 3).output, 3)


def test_the_weight_explorer_output_follows_the_slider():
    ex = explore.WeightExplorer()
    ex.controls["weight"].value = -2.0
    assert np.array_equal(ex.output, -2.0 * lecture_image())
    ex.controls["relu"].value = True
    assert np.array_equal(ex.output, np.zeros((6, 6)))


def test_the_layer_kind_explorer_settles_the_sizes_each_kind_needs():
    ex = explore.LayerKindExplorer()
    ex.controls["kind"].value = "depthwise"
    assert (ex.controls["out_channels"].value, ex.controls["groups"].value) == (4, 4)
    ex.controls["in_channels"].value = 8                   # a depthwise layer widened stays depthwise
    assert ex.state()["out_channels"] == ex.state()["groups"] == 8 and ex.state()["kind"] == "depthwise"
    ex.controls["groups"].value = 3                        # 3 divides neither 8 nor 8: channels become 9
    assert ex.state()["in_channels"] % 3 == 0 and ex.state()["out_channels"] % 3 == 0
    ex.controls["kind"].value = "pointwise"
    ex.controls["kernel_size"].value = 3                   # k > 1 makes a pointwise layer standard
    assert ex.state()["kind"] == "standard"
    assert ex.last_error is None
    assert "weights" in ex.describe() and f"{ex.view.reads.cost.multiplications:,} multiply-adds" in ex.describe()


def test_the_layer_kind_card_compares_with_a_standard_layer_as_a_fraction():
    """The card's last line says 1/g of a standard layer's multiply-adds, and never '1 of them' when g = 1."""
    import matplotlib.pyplot as plt

    view = draw.plot_layer_kind(4, 8, 3, 1)
    assert view.lines[4].get_text().endswith("10,368 multiply-adds; with g = 1 this is that standard layer")
    view.update(4, 4, 3, 4, (2, 3), 0)                     # depthwise 3×3, 4 -> 4: 1,296 multiply-adds
    assert view.lines[4].get_text() == ("a standard 3×3 layer of the same sizes: 5,184 multiply-adds; "
                                        "this layer needs 1/4 of them")
    view.update(8, 8, 1, 2, (2, 3), 0)                     # grouped 1×1, g = 2
    assert view.lines[4].get_text().endswith("this layer needs 1/2 of them")
    plt.close(view.fig)
