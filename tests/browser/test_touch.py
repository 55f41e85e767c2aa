"""Touching the figure, in JupyterLab and in Notebook 7: a click on a cell selects that pixel, the arrow
keys move it while the figure has the focus, a polite live region says the result, and a fast drag of a
slider settles on the released value without drawing stale frames after it.

The cells are located with the figure's own transforms: the test builds the same explorer in Python
(the same package, the same figure) and asks matplotlib where a cell is drawn.
"""

from __future__ import annotations

import time

from tools import lab
import matplotlib
import pytest

matplotlib.use("Agg")

from conv1x1 import explore  # noqa: E402

pytestmark = pytest.mark.browser

FRONT_ENDS = {"JupyterLab": lab.NotebookPage, "Notebook 7": lab.Notebook7Page}


LESSONS = {"01": "01-one-channel.ipynb", "02": "02-many-channels.ipynb"}


def page_of(item):
    """The lesson's page in its front end (tests/browser/conftest.py). These tests want its explorer as Run All
    Cells left it (the live region's words name filter 0 with ReLU on): in JupyterLab before test_lab.py moves
    every control, in Notebook 7 after test_notebook7.py, which reads the page before the run and undoes its
    one move."""
    lesson = "01" if "lesson01" in item.fixturenames else "02" if "lesson02" in item.fixturenames else None
    if lesson is None:
        return None
    front_end = item.callspec.params["front_end"]
    return front_end, LESSONS[lesson], 1 if front_end == "JupyterLab" else 2


@pytest.fixture(params=list(FRONT_ENDS))
def front_end(request) -> str:
    return request.param


def lesson_explorer(lesson_pages, front_end: str, lesson: str):
    """The lesson run in the front end (the session's page for it): (front end, page, explorer locator)."""
    view = lesson_pages.get(front_end, LESSONS[lesson]).ran().view
    explorer = view.explorers().first
    explorer.scroll_into_view_if_needed()
    lab.assert_explorer_renders(explorer, view.controls(explorer), f"{front_end} {LESSONS[lesson]}")
    return front_end, view, explorer


@pytest.fixture
def lesson01(lesson_pages, front_end):
    return lesson_explorer(lesson_pages, front_end, "01")


@pytest.fixture
def lesson02(lesson_pages, front_end):
    return lesson_explorer(lesson_pages, front_end, "02")


def slider(view, explorer, label: str):
    return next(c for c in view.controls(explorer) if c.label == label).locator


def click_cell(view, explorer, ax, i: int, j: int) -> None:
    """Click the centre of cell (i, j) of ``ax`` (a grid drawn with row i down, column j across)."""
    figure = explorer.locator(lab.FIGURE).first
    width, height = figure.evaluate("(c) => [c.width, c.height]")
    x, y = ax.transData.transform((j, i))                     # display pixels, from the bottom left
    box = figure.bounding_box()
    before = view.figure_src(explorer)
    figure.click(position={"x": x * box["width"] / width, "y": (height - y) * box["height"] / height})
    view.wait_figure_change(explorer, before)


def test_a_click_on_a_cell_selects_that_pixel(lesson02):
    front_end, view, explorer = lesson02
    twin = explore.DotProductExplorer()           # the lesson's explorer, built the same way
    twin.figure.canvas.draw()
    grid_ax = twin.diagram.output_view.grid.ax
    for i, j in [(3, 4), (0, 0), (5, 5), (2, 0)]:  # inside, and at the grid's corners and edges
        click_cell(view, explorer, grid_ax, i, j)
        assert view.slider_value(slider(view, explorer, "row i")) == i
        assert view.slider_value(slider(view, explorer, "column j")) == j
        alt = view.figure_alt(explorer)
        assert f"row i = {i}, column j = {j}" in alt and f"pixel ({i}, {j})" in alt, (front_end, alt)


def test_a_click_on_the_input_box_selects_that_pixel_in_lesson_01(lesson01):
    front_end, view, explorer = lesson01
    twin = explore.WeightExplorer()
    twin.figure.canvas.draw()
    click_cell(view, explorer, twin.view.inp.ax, 4, 1)
    assert (view.slider_value(slider(view, explorer, "row i")),
            view.slider_value(slider(view, explorer, "column j"))) == (4, 1), front_end


def test_arrow_keys_on_the_focused_figure_move_the_pixel_and_the_result_is_announced(lesson02):
    front_end, view, explorer = lesson02
    figure = explorer.locator(lab.FIGURE).first
    start = (int(view.slider_value(slider(view, explorer, "row i"))), int(view.slider_value(slider(view, explorer, "column j"))))
    figure.focus()
    outline = figure.evaluate("(c) => getComputedStyle(c).outlineStyle")
    assert outline != "none", f"{front_end}: the focused figure shows no focus ring"
    expected = list(start)
    for key, (di, dj) in [("ArrowUp", (-1, 0)), ("ArrowLeft", (0, -1)), ("ArrowDown", (1, 0)), ("ArrowRight", (0, 1))]:
        before = view.figure_src(explorer)
        figure.press(key)
        moved = [min(max(expected[0] + di, 0), 5), min(max(expected[1] + dj, 0), 5)]
        if moved != expected:                  # at an edge the pixel stays, and nothing is drawn
            view.wait_figure_change(explorer, before)
        else:
            time.sleep(0.3)
        expected = moved
        now = (int(view.slider_value(slider(view, explorer, "row i"))), int(view.slider_value(slider(view, explorer, "column j"))))
        assert list(now) == expected, (front_end, key, now, expected)
    live = explorer.locator(".conv1x1-live")
    assert live.get_attribute("aria-live") == "polite"
    text = live.inner_text()
    assert f"pixel ({expected[0]}, {expected[1]}), filter 0: sum of the 32 products" in text, text
    assert "plus bias" in text and "ReLU gives" in text
    assert figure.evaluate("(c) => document.activeElement === c"), "the figure keeps the focus"





def test_a_fast_drag_settles_on_the_released_value_and_draws_nothing_stale_after(lesson01):
    front_end, view, explorer = lesson01
    handle = slider(view, explorer, "filter weight w")
    # 40 input events through -3..1 (never the released value, so that a frame showing it can only be the
    # released one's), then the release on 1.5
    values = [round(-3 + 0.5 * (k % 9), 1) for k in range(40)] + [1.5]
    painted = lab.drag(handle, explorer.locator(lab.FIGURE).first, values)
    final = "filter weight w = 1.5,"
    shown = [(round(t), n, label.split(" = ")[1].split(",")[0]) for t, n, label in painted.frames]
    assert not painted.out_of_order(), f"{front_end}: frames painted out of the kernel's order: {shown}"
    settled = painted.settled(final)
    assert settled is not None, f"{front_end}: the last frame painted is not the released value's: {shown}"
    first = next(t for t, _, label in painted.frames if final in label)
    assert first == settled, f"{front_end}: a frame of another value was painted after the released one: {shown}"
    # how fast it settles is the latency benchmark's (benchmarks/browser_latency.py), not a timed test's: here,
    # only that the released value is painted while the drag's window lasts
    assert settled <= 1500, f"{front_end}: the released value was drawn {settled:.0f} ms after release"
    assert len(painted.frames) < len(values), "frames are coalesced: the latest value wins"
    time.sleep(0.2)
    assert view.slider_value(handle) == 1.5


def sweep_status(explorer) -> int:
    """The pixel the sweep has reached (1-based), from its status line; 0 when none."""
    text = explorer.locator(f"{lab.SWEEP} .conv1x1-sweep-status").inner_text().strip()
    return int(text.split()[1]) if text else 0


def wait_for(condition, timeout: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.05)


def test_play_sweeps_the_filter_filling_the_output_and_pause_stops_it(lesson02, screenshot_dir):
    front_end, view, explorer = lesson02
    sweep = explorer.locator(lab.SWEEP)
    button, speed = sweep.locator("button"), sweep.locator("select")
    assert sweep_status(explorer) == 0 and button.get_attribute("aria-pressed") == "false", "it never starts by itself"
    assert "Play" in button.inner_text()
    speed.select_option("80")
    button.click()
    wait_for(lambda: sweep_status(explorer) >= 14, what=f"{front_end}: the sweep did not advance")
    button.click()                                                       # pause
    assert button.get_attribute("aria-pressed") == "false" and "Play" in button.inner_text()
    time.sleep(0.5)
    reached = sweep_status(explorer)
    time.sleep(1.0)
    assert sweep_status(explorer) == reached, f"{front_end}: the sweep went on after pause"
    i, j = divmod(reached - 1, 6)
    assert (view.slider_value(slider(view, explorer, "row i")), view.slider_value(slider(view, explorer, "column j"))) == (i, j)
    explorer.screenshot(path=str(screenshot_dir / f"sweep-half-done-{front_end.replace(' ', '')}.png"))
    button.click()                                                       # play on, to the end
    wait_for(lambda: sweep_status(explorer) == 36 and button.get_attribute("aria-pressed") == "false",
             what=f"{front_end}: the sweep did not finish")
    assert (view.slider_value(slider(view, explorer, "row i")), view.slider_value(slider(view, explorer, "column j"))) == (5, 5)
    assert explorer.get_by_role("alert").count() == 0


def test_the_server_sends_kernel_messages_without_nagles_delay(lab_server):
    """The course's server extension (conv1x1.engine.server, enabled by the configuration installing the course
    puts in etc/jupyter) is loaded: a move's messages are not held back waiting for the browser's ACK."""
    assert "conv1x1: kernel websockets send without Nagle's delay" in lab_server.log_tail(100_000)
