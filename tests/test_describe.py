"""Every public drawing function and every view of the dot-product diagram describes what it shows,
with the numbers it shows (conv1x1.draw.alt): a grid its values, a cost chart its counts, volumes their
shapes, a picture its shape, range and marked pixel."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conv1x1 import draw, example_filters, example_volume, lecture_image  # noqa: E402
from conv1x1.draw import alt  # noqa: E402
from conv1x1.explore import registry  # noqa: E402
from conv1x1.compute.core import format_number  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_grid_states_every_value_row_by_row():
    values = lecture_image() * 2
    grid = draw.plot_grid(values, title="output", highlight=(1, 2))
    short, rest = alt.split(grid.describe())
    assert short.startswith("output: 6×6 grid of numbers, values 2 to 18, cell (1, 2) outlined: 10")
    assert "row 0: 2 4 6 12 10 16" in short
    for i, row in enumerate(values):
        assert f"row {i}: " + " ".join(format_number(v) for v in row) in rest
    grid.set_values(-values)                       # follows the figure when it changes
    assert "row 0: −2 −4 −6 −12 −10 −16" in grid.describe()


def test_cost_chart_states_its_counts_and_the_saving():
    chart = draw.plot_cost(28, 28, 192, 32, 5, 16)
    text = chart.describe()
    for count in ("120,422,400", "12,443,648", "2,408,448", "10,035,200", "153,600", "15,872"):
        assert count in text
    assert "9.7× fewer multiplications" in text
    assert "120,422,400" in alt.split(text)[0] and "12,443,648" in alt.split(text)[0]
    chart.update(bottleneck=32)
    assert f"{chart.cost.reduce.multiplications + chart.cost.conv.multiplications:,}" in chart.describe()


def test_volumes_state_their_shapes_and_steps():
    boxes = draw.plot_volumes([(28, 28, 192), (28, 28, 32)], ["input", "after 1×1"], steps=["1×1 conv"])
    assert "28×28×192 (input) → 1×1 conv → 28×28×32 (after 1×1)" in boxes.describe()
    box = draw.plot_volume((6, 6, 32), pixel=(2, 1))
    assert "6×6×32" in box.describe() and "pixel (2, 1)" in box.describe()
    box["set_pixel"](4, 5)
    assert "pixel (4, 5)" in box.describe()
    stack = draw.plot_volume((6, 6, 4), channel=3)
    assert "slice 3 marked" in stack.describe()


def test_picture_states_shape_range_and_marked_pixel():
    image = np.linspace(0, 1, 4 * 5 * 3).reshape(4, 5, 3)
    text = draw.plot_picture(image, title="photo", pixel=(1, 2)).describe()
    assert text.startswith("photo: colour picture 4×5×3") and "values 0 to 1" in text
    assert ("pixel (1, 2) at the centre of a white square 0.3 pixels wide: "
            + " ".join(format_number(v, 3) for v in image[1, 2])) in text
    photo = draw.plot_picture(np.zeros((600, 512, 3)), pixel=(339, 90)).describe()
    assert "pixel (339, 90) at the centre of a white square 38 pixels wide: 0 0 0" in photo
    signed = draw.plot_picture(image[:, :, 0] - 0.5, title="I")
    lo, hi = (format_number(v, 3) for v in (image[:, :, 0].min() - 0.5, image[:, :, 0].max() - 0.5))
    assert "one channel 4×5" in signed.describe() and f"values {lo} to {hi}" in signed.describe()
    assert signed.get_cmap().name == "PuOr_r"        # still the AxesImage's methods


def test_pixel_product_states_the_arithmetic_and_both_grids():
    view = draw.plot_pixel_product(lecture_image(), 2.0, pixel=(1, 2))
    text = view.describe()
    assert "x[1, 2] × w = 5 × 2 = 10" in alt.split(text)[0]
    assert "row 0: 1 2 3 6 5 8" in text and "row 0: 2 4 6 12 10 16" in text


def test_dot_product_diagram_and_each_view_state_their_numbers():
    d = draw.plot_dot_product(example_volume(), example_filters(32, 4), 0.5, pixel=(2, 1))
    step = d.step
    shown = d.shown()
    equation = d.equation.describe()
    assert equation.startswith("pixel (2, 1), filter 0: sum of the 32 products")
    for name in ("sum", "bias", "z"):
        assert shown[name] in equation
    assert f"ReLU gives {shown['output']}" in equation
    assert equation in alt.split(d.describe())[0]
    strips = d.strips.describe()
    for row in (shown["column"], shown["weights"], shown["products"]):
        assert " ".join(row) in strips
    assert "cell (2, 1) outlined" in d.output_view.describe()
    for row in shown["output grid"]:
        assert " ".join(row) in d.output_view.describe()
    assert "pixel (2, 1)" in d.input.describe() and "slice f = 0" in d.stack.describe()
    c = int(np.argmax(step.products))
    assert f"largest up: channel {c}" in d.bars.describe()
    # at this pixel two bars tie for the largest down (9 × −0.9 in channels 24 and 25): both are named
    assert step.products[24] == step.products[25] == step.products.min()
    assert "largest down: channels 24 and 25, −8.1 each" in d.bars.describe()
    for view in (d.input, d.strips, d.bars, d.equation, d.output_view, d.stack):
        assert view.describe().strip()


def test_plain_chart_is_described_from_its_lines():
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [0.5, 0.25, 0.125], label="loss")
    ax.set_title("a loss curve")
    text = alt.describe_figure(fig)
    assert "a loss curve" in text and "from 0.5 at x = 0 to 0.125 at x = 2" in text
    ax.axhline(0.1, label="least squares: 0.1")
    short, rest = alt.split(alt.describe_figure(fig))
    assert short.endswith("; also line 'least squares: 0.1', in the words below.")      # the second line, named
    assert "line 'least squares: 0.1': constant at 0.1" in rest


def test_show_displays_an_image_with_its_words(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    fig, (a, b) = plt.subplots(1, 2)
    grids = [draw.plot_grid([[1.0, 2.0]], ax=a, title="a"), draw.plot_grid([[3.0, 4.0]], ax=b, title="b")]
    fig.suptitle("two")
    draw.show(fig, *grids)
    (bundle,) = shown
    assert set(bundle) == {"text/html", "text/plain"}
    png, alt_text, details = alt.parse_figure_html(bundle["text/html"])
    assert png.startswith(b"\x89PNG")
    assert alt_text.startswith("two. 2 panels: a: a row of 2 numbers") and "b: a row of 2 numbers" in alt_text
    assert "row 0: 1 2" in details and "row 0: 3 4" in details
    assert bundle["text/plain"] == alt_text + "\n" + details
    assert not plt.fignum_exists(fig.number), "shown once: closed, so the inline backend does not show it again"
    with pytest.raises(TypeError, match="has no describe"):
        draw.show(plt.figure(), object())


@pytest.mark.parametrize("name", sorted(registry.EXPLORERS))
def test_explorer_alt_text_states_the_result(name):
    explorer = registry.EXPLORERS[name].make(None)
    numbers = {
        "01": lambda e: e.view.equation.get_text().splitlines()[0],
        "02": lambda e: e.diagram.equation.describe(),
        "04": lambda e: f"{e.cost.direct.multiplications:,} multiplications",
        "07": lambda e: e.diagram.equation.describe(),
        "09": lambda e: f"{e.view.reads.cost.multiplications:,} multiply-adds",
    }[registry.EXPLORERS[name].lesson](explorer)
    assert numbers in explorer.alt_text()
    assert explorer.long_description() and explorer.image.description == explorer.long_description()
