"""Every notebook in JupyterLab, in a real (headless) browser, as a learner uses it.

For each notebook: open it, Run > Run All Cells, wait for the kernel, and fail on
any error output. For each explorer in it: its controls render with their labels,
moving each one (arrow keys on a slider handle, a click on a checkbox, another
choice in a drop-down) changes the figure the learner sees, and every control has
an accessible name. A screenshot of the whole notebook goes to
test-artifacts/screenshots/<notebook>.png (longer ones continue in <notebook>-2.png).

Run: ``.venv/bin/pytest tests/browser -m browser`` (needs Debian's chromium).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import lab
import pytest

pytestmark = pytest.mark.browser

NOTEBOOKS = lab.notebooks()


@dataclass
class RanNotebook:
    path: Path
    view: lab.NotebookPage
    state: dict
    errors: list[str]
    page_errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def notebook(request, lab_server, browser_context, screenshot_dir):
    """The notebook opened in JupyterLab with every cell run; screenshot taken at the end."""
    path = request.param
    with lab.notebook_page(lab.NotebookPage, browser_context, lab_server, path.name,
                           screenshot_dir / f"{path.stem}.png", request.config._conv1x1_screenshots) as (view, errors):
        view.open()
        state = view.run_all()
        yield RanNotebook(path, view, state, view.errors(), errors)


def test_runs_without_errors(notebook):
    details = "\n\n".join(notebook.errors)
    assert not notebook.errors, f"{notebook.name}: error output after Run All Cells:\n{details}"
    assert notebook.state["pending"] == 0, f"{notebook.name}: cells never ran: {notebook.state}"


explorers_of = lab.explorers_of


def test_explorer_controls_render(notebook):
    for k, explorer in enumerate(explorers_of(notebook)):
        where = f"{notebook.name}, explorer {k}"
        controls = notebook.view.controls(explorer)
        unknown = notebook.view.unknown_controls(explorer)
        assert not unknown, f"{where}: controls these tests cannot operate (teach tests/browser/lab.py): {unknown}"
        lab.assert_explorer_renders(explorer, controls, where)


def test_every_control_changes_the_figure(notebook):
    """Arrow keys on each slider handle, a click on each checkbox, another choice in each drop-down."""
    view = notebook.view
    for k, explorer in enumerate(explorers_of(notebook)):
        for control in view.controls(explorer):
            where = f"{notebook.name}, explorer {k}, {control.kind} {control.label!r}"
            # a drop-down's option may equal the current state (e.g. "custom"): try the others in turn
            attempts = view.dropdown_choices(control) if control.kind == "dropdown" else [None]
            for option in attempts:
                before = view.figure_src(explorer)
                value = view.slider_value(control.locator) if control.kind == "slider" else None
                view.operate(control, option)
                if control.kind == "slider":
                    assert view.slider_value(control.locator) != value, f"{where}: the arrow key did not move it"
                try:
                    after = view.wait_figure_change(explorer, before, timeout=10 if option is None else 3)
                except TimeoutError:
                    after = None
                alert = explorer.get_by_role("alert")
                report = f"\nthe explorer reports:\n{alert.first.inner_text()}" if alert.count() else ""
                assert not report, f"{where}: {report}"
                if after is not None:
                    break
            assert after is not None, f"{where}: moving it did not change the figure{report}"
            assert after.startswith("blob:"), f"{where}: unexpected figure source {after[:60]!r}"


def unnamed_controls(notebook, kinds: tuple[str, ...]) -> list[str]:
    """The explorers' controls of these kinds that assistive technology cannot name by their label."""
    missing = []
    for k, explorer in enumerate(explorers_of(notebook)):
        for control in notebook.view.controls(explorer):
            role = lab.ROLES[control.kind]
            if control.kind in kinds and explorer.get_by_role(role, name=control.label, exact=True).count() == 0:
                missing.append(f"explorer {k}: {role} {control.label!r}")
    return missing


def test_checkboxes_and_dropdowns_have_accessible_names(notebook):
    missing = unnamed_controls(notebook, ("checkbox", "dropdown"))
    assert not missing, f"{notebook.name}: controls without an accessible name: {missing}"


def test_sliders_have_accessible_names(notebook):
    """A screen reader announces each slider by its description ("row i", ...)."""
    missing = unnamed_controls(notebook, ("slider",))
    assert not missing, (
        f"{notebook.name}: sliders without an accessible name (a screen reader says just 'slider'): {missing}"
    )


def test_explorer_figures_have_alt_text_that_follows_the_controls(notebook):
    """A screen reader gets the figure in words: what it shows and the current control values."""
    for k, explorer in enumerate(explorers_of(notebook)):
        alt = notebook.view.figure_alt(explorer)
        assert "Showing" in alt, f"{notebook.name}, explorer {k}: figure has no useful alt text: {alt!r}"
        sliders = [c for c in notebook.view.controls(explorer) if c.kind == "slider"]
        if not sliders:
            continue
        control = sliders[0]
        assert control.label in alt
        before = notebook.view.figure_src(explorer)
        notebook.view.operate(control)
        notebook.view.wait_figure_change(explorer, before)
        value = notebook.view.slider_value(control.locator)
        shown = notebook.view.figure_alt(explorer)
        assert shown != alt, f"{notebook.name}, explorer {k}: alt text did not follow {control.label!r}"
        assert f"{control.label} = " in shown, shown
        assert f"{value:g}" in shown or str(int(value)) in shown, (value, shown)
