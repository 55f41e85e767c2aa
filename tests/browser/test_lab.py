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

from tools import lab
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


def page_of(item):
    """The lesson's JupyterLab page (tests/browser/conftest.py), after test_touch.py's tests of it (which want the
    explorer as the run left it; these move every control) and before test_slides.py's live slide."""
    return "JupyterLab", item.callspec.params["notebook"].name, 2


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def notebook(request, lesson_pages):
    """The notebook opened in JupyterLab with every cell run (the session's page for it; screenshot at its end)."""
    shared = lesson_pages.get("JupyterLab", request.param).ran()
    return RanNotebook(request.param, shared.view, shared.state, shared.errors, shared.page_errors)


def test_runs_without_errors(notebook):
    details = "\n\n".join(notebook.errors)
    assert not notebook.errors, f"{notebook.name}: error output after Run All Cells:\n{details}"
    assert notebook.state["pending"] == 0, f"{notebook.name}: cells never ran: {notebook.state}"


def test_outputs_pass_an_axe_audit(notebook, axe_source):
    """axe-core (the engine of the browsers' own audits) over the lesson's output areas after Run All
    Cells: every rule it runs by default, no violation of any impact."""
    audit = lab.axe_audit(notebook.view.page, axe_source)
    assert audit["areas"] == lab.saved_outputs(notebook.path), f"{notebook.name}: outputs audited: {audit['areas']}"
    assert not audit["violations"], (
        f"{notebook.name}: axe-core violations in the outputs:\n" + lab.violation_report(audit["violations"]))


def test_every_figure_has_a_text_alternative(notebook):
    """Every image in the outputs has an alt text of its own (not nbconvert's placeholder), and every
    static figure offers its numbers in words."""
    page = notebook.view.page
    images = page.evaluate("""(selector) => Array.from(document.querySelectorAll(selector + ' img'))
        .map((img) => img.getAttribute('alt') || '')""", lab.OUTPUT_AREAS)
    assert all(len(alt) > 20 for alt in images), f"{notebook.name}: images without a useful alt: {images}"
    assert not page.evaluate(lab.PLACEHOLDER_ALT_JS, lab.OUTPUT_AREAS)


explorers_of = lab.explorers_of


def test_explorer_controls_render(notebook):
    for k, explorer in enumerate(explorers_of(notebook)):
        where = f"{notebook.name}, explorer {k}"
        controls = notebook.view.controls(explorer)
        unknown = notebook.view.unknown_controls(explorer)
        assert not unknown, f"{where}: controls these tests cannot operate (teach tools/lab.py): {unknown}"
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
            assert after.isdigit(), f"{where}: unexpected figure frame {after[:60]!r}"


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


FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el) return null;
  const style = getComputedStyle(el);
  const explorer = el.closest('.conv1x1-explorer');
  return {
    tag: el.tagName.toLowerCase(), type: el.type || '', id: el.id || '',
    explorer: explorer ? Array.from(document.querySelectorAll('.conv1x1-explorer')).indexOf(explorer) : -1,
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow && style.boxShadow !== 'none',
    focusVisible: el.matches(':focus-visible'),
  };
}"""


def test_keyboard_path_through_every_explorer(notebook):
    """Keyboard alone: from the first control, Tab reaches every control of the explorer in order (then
    its figure's description, then out of the explorer: no trap); each shows a focus ring, and arrow
    keys (Space for a switch) change it."""
    view = notebook.view
    page = view.page
    for k, explorer in enumerate(explorers_of(notebook)):
        controls = view.controls(explorer)
        where = f"{notebook.name}, explorer {k}"
        controls[0].locator.focus()
        page.keyboard.press("Shift+Tab")          # from before the explorer, as a learner tabbing in
        page.keyboard.press("Tab")
        for n, control in enumerate(controls):
            if n:
                page.keyboard.press("Tab")
            focused = page.evaluate(FOCUS_JS)
            assert control.locator.evaluate("(el) => el === document.activeElement"), (
                f"{where}: Tab {n} should reach {control.kind} {control.label!r}, focus is on {focused}")
            assert focused["focusVisible"] and (focused["outline"] or focused["shadow"]), (
                f"{where}: {control.kind} {control.label!r} shows no focus ring: {focused}")
            if control.kind == "slider":
                value = view.slider_value(control.locator)
                key = view.slider_key(control.locator)
                page.keyboard.press(key)
                assert view.slider_value(control.locator) != value, f"{where}: {key} did not move {control.label!r}"
                page.keyboard.press("ArrowLeft" if key == "ArrowRight" else "ArrowRight")
            elif control.kind == "checkbox":
                checked = control.locator.is_checked()
                page.keyboard.press("Space")
                assert control.locator.is_checked() != checked, f"{where}: Space did not switch {control.label!r}"
                page.keyboard.press("Space")
            else:
                index = control.locator.evaluate("(s) => s.selectedIndex")
                page.keyboard.press("ArrowDown" if index == 0 else "ArrowUp")
                assert control.locator.evaluate("(s) => s.selectedIndex") != index, (
                    f"{where}: the arrow keys did not change {control.label!r}")
                page.keyboard.press("ArrowUp" if index == 0 else "ArrowDown")
        if explorer.locator(lab.SWEEP).count():   # the sweep: its play button, then its speed
            for tag in ("button", "select"):
                page.keyboard.press("Tab")
                focused = page.evaluate(FOCUS_JS)
                assert focused["tag"] == tag and focused["explorer"] == k, (
                    f"{where}: after the controls, Tab should reach the sweep's {tag}; focus is on {focused}")
                assert focused["outline"] or focused["shadow"], f"{where}: the sweep's {tag} shows no focus ring"
        page.keyboard.press("Tab")                # the figure itself: arrow keys move the pixel there
        focused = page.evaluate(FOCUS_JS)
        assert focused["tag"] == "canvas" and focused["explorer"] == k, (
            f"{where}: after the controls, Tab should reach the figure; focus is on {focused}")
        assert focused["outline"], f"{where}: the focused figure shows no focus ring"
        page.keyboard.press("Tab")                # the figure's description: a <details> summary
        focused = page.evaluate(FOCUS_JS)
        assert focused["tag"] == "summary" and focused["explorer"] == k, (
            f"{where}: after the last control, Tab should reach the figure's description; focus is on {focused}")
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_JS)
        assert focused is not None and focused["explorer"] != k, f"{where}: focus is trapped in the explorer"
