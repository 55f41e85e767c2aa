"""Every notebook in Notebook 7, in a real (headless) browser, as a learner uses it.

The course opens in JupyterLab 4 (``test_lab.py``) and in Notebook 7 alike. Notebook 7
(the ``notebook`` package, in the ``lab`` extra) is served by the same server as
JupyterLab, at ``/notebooks/<name>.ipynb``; these tests share the session's server and
browser with ``test_lab.py``.

For each notebook: open it in Notebook 7 and check that it renders as saved (every
cell, the title heading, the markdown rendered, the saved figures shown as images),
and audit its outputs with axe-core. A lesson with an explorer is then run (Run > Run
All Cells, wait for the kernel and for an execution count on every code cell, fail on
any error output): its explorers' controls render, and moving a slider with the
keyboard (ArrowRight, then ArrowLeft back) changes the figure each time. A lesson
without one is not run again here: nbval and the JupyterLab tests run every lesson,
and its outputs are Notebook 7's, as saved, whether run or not (the same renderers). A screenshot of the whole notebook goes to
test-artifacts/screenshots/notebook7-<notebook>.png.

Run: ``.venv/bin/pytest tests/browser/test_notebook7.py`` (needs Debian's chromium).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from tools import lab
import pytest

pytestmark = pytest.mark.browser

NOTEBOOKS = lab.notebooks()
#: The lessons whose explorers only a running kernel shows: run in Notebook 7 too.
LIVE = {path for path in NOTEBOOKS if lab.saved_explorers(path)}

# What the page shows of the opened notebook, before anything runs.
RENDERED_JS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const all = (selector) => Array.from(panel.querySelectorAll(selector));
  const images = all('.jp-OutputArea-output img');
  const title = document.getElementById('jp-title');
  return {
    cells: all('.jp-Notebook .jp-Cell').length,
    code: all('.jp-Notebook .jp-CodeCell').length,
    markdown: all('.jp-Notebook .jp-MarkdownCell').length,
    markdown_rendered: all('.jp-MarkdownCell.jp-mod-rendered .jp-RenderedMarkdown').length,
    headings: all('.jp-MarkdownCell .jp-RenderedMarkdown h1').map((h) => h.innerText.trim()),
    images: images.length,
    images_loaded: images.filter((img) => img.complete && img.naturalWidth > 0).length,
    title: title ? title.innerText.trim() : null,
  };
}"""

# The execution count of every code cell that has a source, read from the notebook's model.
NOT_RUN_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const missing = [];
  panel.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code' || !cell.model.sharedModel.getSource().trim()) return;
    const count = cell.model.executionCount;
    if (count === null || count === undefined) missing.push(index);
  });
  return missing;
}"""


def saved(path: Path) -> dict:
    """What the saved notebook holds: cells by type, its title (first level-1 heading), image outputs."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    markdown = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    titles = [m.strip() for text in markdown for m in re.findall(r"^# (.+)$", text, re.M)]
    return {
        "cells": len(cells),
        "code": sum(c["cell_type"] == "code" for c in cells),
        "markdown": len(markdown),
        "title": re.sub(r"[*_`]", "", titles[0]) if titles else None,
        "images": sum("image/png" in out.get("data", {}) or "<img" in "".join(out.get("data", {}).get("text/html", ""))
                      for c in cells if c["cell_type"] == "code" for out in c.get("outputs", [])),
    }


@dataclass
class RanNotebook:
    path: Path
    view: lab.Notebook7Page
    rendered: dict          # the page as opened, before Run All Cells
    state: dict             # after Run All Cells
    not_run: list[int]      # code cells (by index) without an execution count
    errors: list[str]
    page_errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name


@pytest.fixture(scope="session")
def notebook7() -> str:
    """Notebook 7's version; skip without it (fail in CI, like a missing browser)."""
    try:
        from notebook import __version__ as version
    except ImportError:
        version = None
    if version is None or int(version.split(".")[0]) < 7:
        message = f"Notebook 7 is not installed (found {version}): pip install -e '.[lab]'"
        if lab.browser_required():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return version


def page_of(item):
    """The lesson's Notebook 7 page (tests/browser/conftest.py): these tests first, as it opened them before
    its cells run; test_touch.py's after them."""
    return "Notebook 7", item.callspec.params["notebook"].name, 1


def rendered_page(view) -> dict:
    page = view.page
    rendered = page.evaluate(RENDERED_JS)
    rendered["first_cell_visible"] = page.locator(".jp-NotebookPanel .jp-Cell").first.is_visible()
    return rendered


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def notebook(request, notebook7, lesson_pages):
    """The notebook opened in Notebook 7, checked as rendered, then every cell run (the session's page for it;
    screenshot at its end)."""
    path = request.param
    shared = lesson_pages.get("Notebook 7", path)
    rendered = shared.as_opened("rendered", rendered_page)
    if path in LIVE:
        shared.ran()
        state, errors = shared.state, shared.errors
    else:           # as saved: an execution count on every code cell and no error output (nbval re-runs it)
        state, errors = {"status": "idle", "pending": 0, "ran": False}, shared.view.errors()
    return RanNotebook(path, shared.view, rendered, state, shared.view.page.evaluate(NOT_RUN_JS), errors,
                       shared.page_errors)


def test_renders_as_saved(notebook):
    """Before anything runs: every cell, the title, rendered markdown and the saved figures."""
    got, want = notebook.rendered, saved(notebook.path)
    where = f"{notebook.name} in Notebook 7"
    assert got["first_cell_visible"], f"{where}: the first cell is not visible"
    for kind in ("cells", "code", "markdown"):
        assert got[kind] == want[kind], f"{where}: {got[kind]} {kind} cells shown, {want[kind]} saved"
    assert got["markdown_rendered"] == want["markdown"], (
        f"{where}: {want['markdown'] - got['markdown_rendered']} markdown cell(s) not rendered")
    assert want["title"] in got["headings"], f"{where}: no heading {want['title']!r}; shown: {got['headings']}"
    assert got["title"] == notebook.path.stem, f"{where}: the header shows {got['title']!r}"
    assert got["images"] >= want["images"], (
        f"{where}: {want['images']} saved figure(s), {got['images']} image(s) shown")
    assert got["images_loaded"] == got["images"], f"{where}: images that did not load: {got}"


def test_runs_without_errors(notebook):
    """Run All Cells for a lesson with explorers; for the others, the saved run as the page shows it."""
    details = "\n\n".join(notebook.errors)
    assert not notebook.errors, f"{notebook.name}: error output after Run All Cells in Notebook 7:\n{details}"
    assert notebook.state["pending"] == 0, f"{notebook.name}: cells never ran: {notebook.state}"
    assert notebook.state["status"] == "idle", notebook.state
    assert not notebook.not_run, f"{notebook.name}: code cells without an execution count: {notebook.not_run}"


def test_outputs_pass_an_axe_audit(notebook, axe_source):
    """axe-core over the lesson's output areas (after Run All Cells where it ran): no violation of any impact."""
    audit = lab.axe_audit(notebook.view.page, axe_source)
    assert audit["areas"] == lab.saved_outputs(notebook.path), f"{notebook.name}: outputs audited: {audit['areas']}"
    assert not audit["violations"], (
        f"{notebook.name} in Notebook 7: axe-core violations in the outputs:\n"
        + lab.violation_report(audit["violations"]))


def explorers_of(notebook):
    return lab.explorers_of(notebook, "Notebook 7")


def test_explorer_controls_render(notebook):
    for k, explorer in enumerate(explorers_of(notebook)):
        where = f"{notebook.name} in Notebook 7, explorer {k}"
        controls = notebook.view.controls(explorer)
        lab.assert_explorer_renders(explorer, controls, where)


def test_slider_moves_the_figure_with_the_keyboard(notebook):
    """The first slider of each explorer: one arrow key, then the other one back; the figure follows."""
    view = notebook.view
    for k, explorer in enumerate(explorers_of(notebook)):
        slider = next(c for c in view.controls(explorer) if c.kind == "slider")
        where = f"{notebook.name} in Notebook 7, explorer {k}, slider {slider.label!r}"
        start = view.slider_value(slider.locator)
        key = view.slider_key(slider.locator)
        for press in (key, "ArrowLeft" if key == "ArrowRight" else "ArrowRight"):
            before, value = view.figure_src(explorer), view.slider_value(slider.locator)
            slider.locator.focus()
            slider.locator.press(press)
            assert view.slider_value(slider.locator) != value, (
                f"{where}: {press} did not move it (did Notebook 7 take the key as a shortcut? "
                f"focus is on {view.page.evaluate('() => document.activeElement.className')!r})")
            try:
                after = view.wait_figure_change(explorer, before)
            except TimeoutError:
                alert = explorer.get_by_role("alert")
                report = f"; the explorer reports:\n{alert.first.inner_text()}" if alert.count() else ""
                pytest.fail(f"{where}: {press} did not change the figure{report}")
            assert after.isdigit(), f"{where}: unexpected figure frame {after[:60]!r}"
        assert view.slider_value(slider.locator) == start, f"{where}: the arrow keys did not undo each other"
