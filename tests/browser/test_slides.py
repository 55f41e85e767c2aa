"""Slides: every lesson with an explorer, presented with jupyterlab-deck at 1280×720, keeps its explorer live
on a slide of its own, in the figure's slide layout.

The lesson runs in JupyterLab (Run All Cells), then deck presents the same live notebook from its
first cell. The test goes on as a teacher would: one click on deck's "next" button, then the right
arrow key, until the explorer's slide is on screen; every still figure met on the way must draw its
smallest text at least at the body text's size (the slides' stylesheet sizes it). The slide shows the explorer without the code
that made it, and the figure in its slide layout (the kernel re-renders it when deck starts: the
canvas takes the size of the slide frame, ``Explorer.arrange("slides")``). The test moves the
explorer with the keyboard and checks that the figure changed and that the slide stayed; then that
the figure's smallest text (``conv1x1.engine.layouts.text_sizes`` of the slide layout), as drawn on the
slide, is at least the slide's body text. When deck stops, the figure is back in its notebook
layout. A second test presents the saved lesson without running it: the explorer's slide then shows
the static figure, whose text alternative still says the explorer's state.

The lessons are those of ``conv1x1.explore.registry.EXPLORERS``, so a new explorer's lesson is presented too.
"""

from __future__ import annotations

import html
import json
import re
import time

from tools import lab
import matplotlib
import pytest

matplotlib.use("Agg")

from conv1x1.engine.layouts import text_sizes  # noqa: E402
from conv1x1.explore.registry import EXPLORERS  # noqa: E402
from test_slide_metadata import exempt  # noqa: E402  (tests/: still figures a slide cannot show at the body size)

pytestmark = pytest.mark.browser

SLIDE = {"width": 1280, "height": 720}
FORWARD = ".jp-deck-mod-direction-forward"
LESSONS = sorted({spec.lesson for spec in EXPLORERS.values()})

CELLS = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell"
#: The cells deck shows now (their indices), with their boxes.
ON_SCREEN_JS = """(selector) => Array.from(document.querySelectorAll(selector))
  .map((cell, k) => {
    if (!cell.classList.contains('jp-deck-mod-onscreen')) return null;
    const box = cell.getBoundingClientRect();
    return {cell: k, top: box.top, bottom: box.bottom};
  }).filter(Boolean)"""
BODY_TEXT_PX_JS = """(selector) => {
  const p = document.querySelector(selector + ' .jp-RenderedMarkdown p');
  return parseFloat(getComputedStyle(p).fontSize);
}"""


def notebook_of(lesson: str) -> str:
    found = sorted(lab.notebooks_dir().glob(f"{lesson}-*.ipynb"))
    assert len(found) == 1, f"lesson {lesson} of the explorers' registry: notebooks {found}"
    return found[0].name


def saved_alt(name: str) -> tuple[int, str]:
    """The explorer's cell in the saved notebook, and the text alternative of its static figure."""
    nb = json.loads((lab.notebooks_dir() / name).read_text(encoding="utf-8"))
    for k, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            page = "".join(out.get("data", {}).get("text/html", ""))
            if "application/vnd.jupyter.widget-view+json" in out.get("data", {}) and "<img" in page:
                return k, html.unescape(re.search(r'<img[^>]*\balt="([^"]*)"', page).group(1))
    raise AssertionError(f"{name}: no saved explorer")


def layouts_of(lesson: str):
    """The lesson's explorer, built here as its lesson builds it: its figure in the slide layout, and the
    ``[width, height]`` in pixels of its notebook frame and of its slide frame (the canvas's size)."""
    spec = next(s for s in EXPLORERS.values() if s.lesson == lesson)
    explorer = spec.make(None)
    notebook = list(explorer.image._tiles.last.shape[1::-1])
    explorer.arrange("slides")
    return explorer.figure, notebook, list(explorer.image._tiles.last.shape[1::-1])


def wait_canvas(canvas, size: list, timeout: float = 10.0) -> list:
    """Wait until the figure's canvas is ``size`` (the kernel re-renders when deck starts or stops);
    returns the size it has."""
    deadline = time.monotonic() + timeout
    while (now := canvas.evaluate("(c) => [c.width, c.height]")) != size and time.monotonic() < deadline:
        time.sleep(0.1)
    return now


def on_screen(view) -> list[dict]:
    return view.page.evaluate(ON_SCREEN_JS, CELLS)


def start_deck(view) -> None:
    """Present the notebook from its first cell (deck starts at the active cell); the first slide fits."""
    view.page.evaluate("() => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0; }")
    view.page.evaluate("() => window.jupyterapp.commands.execute('deck:start')")
    view.page.wait_for_selector("body[data-jp-deck-mode='presenting'] .jp-Deck", state="attached", timeout=10_000)
    time.sleep(0.5)
    first = on_screen(view)
    assert first, f"{view.name}: deck shows no cell"
    # the title slide is on the screen, not shifted up by the notebook's scroll (tools/slides.py's stylesheet)
    assert first[0]["top"] >= 0 and first[-1]["bottom"] <= SLIDE["height"], f"{view.name}: title slide at {first}"


#: Every still figure (conv1x1.draw.alt.figure_html) on the screen: its smallest text as drawn (CSS px), its
#: alt text's start, and the body text's size.
STILL_TEXT_JS = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter((cell) => cell.classList.contains('jp-deck-mod-onscreen'))
  .flatMap((cell) => Array.from(cell.querySelectorAll('.conv1x1-static-figure')))
  .map((figure) => {
    const img = figure.querySelector('img'), style = getComputedStyle(figure);
    const text = parseFloat(style.getPropertyValue('--conv1x1-text'));
    const shown = img.getBoundingClientRect().width;
    return {alt: img.alt.slice(0, 50), text: Number.isFinite(text) ? text * shown / img.naturalWidth : -1,
            body: parseFloat(style.fontSize), visible: shown > 0};      // -1: the figure does not carry its text
  })"""


def go_to(view, cell: int, limit: int = 80, stills: list | None = None) -> list[int]:
    """Forward through the deck until ``cell`` is on screen: a click on "next", then the right arrow key.
    With ``stills``, every still figure met on the way is appended to it, measured (STILL_TEXT_JS)."""
    view.page.locator(FORWARD).click()
    for _ in range(limit):
        shown = [c["cell"] for c in on_screen(view)]
        if stills is not None:
            stills += [s for s in view.page.evaluate(STILL_TEXT_JS, CELLS) if s["visible"] and s not in stills]
        if cell in shown:
            time.sleep(0.3)                                   # deck fades a slide in
            return shown
        view.page.keyboard.press("ArrowRight")
        time.sleep(0.12)
    raise AssertionError(f"{view.name}: the explorer's slide (cell {cell}) never came; on screen: {shown}")


def page_of(item):
    """The lesson's JupyterLab page (tests/browser/conftest.py), presented live after every other test of it:
    deck is the last to take the page over. The saved figure's slide is presented first, in a page of its
    own (deck presents a page once), not run."""
    callspec = getattr(item, "callspec", None)
    if callspec is None or "lesson" not in callspec.params:
        return None
    saved = item.originalname == "test_a_static_figure_on_a_slide_still_says_its_state"
    return "JupyterLab", notebook_of(callspec.params["lesson"]), 0 if saved else 3


@pytest.fixture()
def slides_page(lesson_pages):
    """Yields a function giving a lesson's JupyterLab page at 1280×720: with ``run``, the session's page of the
    lesson (tests/browser/conftest.py), every cell run; without, a page of the test's own, not run. Deck is
    stopped and the page's size restored at the end."""
    views = []

    def present(name: str, *, run: bool):
        path = lab.notebooks_dir() / name
        if run:
            shared = lesson_pages.get("JupyterLab", path).ran()
        else:
            shared = lesson_pages.get("JupyterLab", path, own="slides-saved")
        view = shared.view
        views.append((view, view.page.viewport_size))
        view.page.set_viewport_size(SLIDE)
        return shared

    yield present
    for view, size in views:
        try:
            # deck keeps "presenting" in the server's settings: end it, or every later page opens as slides
            view.page.evaluate("() => window.jupyterapp && window.jupyterapp.commands.execute('deck:stop')")
            view.page.wait_for_selector("body:not([data-jp-deck-mode='presenting'])", state="attached",
                                        timeout=10_000)
            time.sleep(0.5)
        finally:
            view.page.set_viewport_size(size)


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_explorer_is_live_on_a_slide_of_its_own(lesson, slides_page, screenshot_dir):
    name = notebook_of(lesson)
    shared = slides_page(name, run=True)
    view, page_errors = shared.view, shared.page_errors
    assert shared.state["errors"] == 0, shared.errors
    cell, _ = saved_alt(lab.notebooks_dir() / name)
    start_deck(view)
    stills: list[dict] = []
    shown = go_to(view, cell, stills=stills)
    assert shown == [cell], f"{name}: the explorer shares its slide with cells {shown}"
    # the still figures on the way (run, so their outputs are trusted and keep their sizes) read at the body size
    small = [s for s in stills if s["text"] < s["body"] - 0.05 and not exempt(name, s["alt"])]
    print(f"\n{name}: {len(stills)} still figures before the explorer, smallest text "
          + ", ".join(f"{s['text']:.1f}" for s in stills) + " px")
    assert not small, f"{name}: still figures with text below the body text on their slide: {small}"

    explorer = view.explorers().first
    figure = explorer.locator(lab.FIGURE).first
    lab.assert_explorer_renders(explorer, view.controls(explorer), f"{name} as slides")
    code = view.page.locator(CELLS).nth(cell).locator(".jp-Cell-inputWrapper")
    assert code.count() == 1 and not code.first.is_visible(), f"{name}: the explorer's slide shows its code"
    # the figure in its slide layout: the kernel re-rendered it at the slide frame's size
    slide_figure, notebook_size, slide_size = layouts_of(lesson)
    size = wait_canvas(figure, slide_size)
    assert size == slide_size, f"{name}: the canvas is {size} px, not the slide frame's {slide_size} px"
    box = figure.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= SLIDE["height"], f"{name}: the figure leaves the slide: {box}"
    assert 0 <= box["x"] and box["x"] + box["width"] <= SLIDE["width"], f"{name}: the figure leaves the slide: {box}"

    # live: a slider moved with the keyboard draws a new frame, and the slide stays
    slider = next(c for c in view.controls(explorer) if c.kind == "slider")
    before_frame, before_alt = view.figure_src(explorer), view.figure_alt(explorer)
    view.operate(slider)
    view.wait_figure_change(explorer, before_frame)
    assert view.figure_alt(explorer) != before_alt, f"{name}: the figure's words did not follow the move"
    assert [c["cell"] for c in on_screen(view)] == [cell], f"{name}: the key moved the slides, not the explorer"
    assert not page_errors, page_errors
    view.page.screenshot(path=str(screenshot_dir / f"slides-explorer-{lesson}.png"))

    # readable: the slide layout's smallest text, as drawn on the slide, against the slide's body text
    scale = box["width"] / size[0]
    points, text = text_sizes(slide_figure)[0]
    smallest = points * slide_figure.dpi / 72 * scale
    body = view.page.evaluate(BODY_TEXT_PX_JS, CELLS)
    print(f"\n{name}: figure drawn at {scale:.3f}× its {size[0]}×{size[1]} px ({box['width']:.0f}×"
          f"{box['height']:.0f} px); smallest text {smallest:.1f} px ({points:g} pt, {text!r}), "
          f"body text {body:.1f} px")
    assert smallest >= body - 0.05, (f"{name}: the figure's smallest text is {smallest:.1f} px on the slide "
                                     f"({points:g} pt {text!r}, figure at {scale:.2f}×), smaller than the body "
                                     f"text ({body:.1f} px)")

    # the talk ends: the figure goes back to its notebook layout
    view.page.evaluate("() => window.jupyterapp.commands.execute('deck:stop')")
    view.page.wait_for_selector("body:not([data-jp-deck-mode='presenting'])", state="attached", timeout=10_000)
    size = wait_canvas(figure, notebook_size)
    assert size == notebook_size, (f"{name}: after deck stopped the canvas is {size} px, not the notebook "
                                   f"frame's {notebook_size} px")


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_static_figure_on_a_slide_still_says_its_state(lesson, slides_page):
    """Presented without running: the explorer's slide shows the saved figure, its alt text the saved state."""
    name = notebook_of(lesson)
    view = slides_page(name, run=False).view
    cell, alt = saved_alt(lab.notebooks_dir() / name)
    start_deck(view)
    go_to(view, cell)
    image = view.page.locator(CELLS).nth(cell).locator(".jp-OutputArea-output img").first
    assert image.is_visible(), f"{name}: no static figure on the explorer's slide"
    shown = image.get_attribute("alt") or ""
    assert shown == alt and re.search(r"Showing \w.* = ", shown), f"{name}: the static figure's alt text: {shown!r}"
