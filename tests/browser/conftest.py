"""Fixtures for the real-browser tests: one JupyterLab server and one headless Chromium per session.

Chromium is Debian's (``/usr/bin/chromium``), driven by the Python package
``playwright``; ``playwright install`` is never run. Without Chromium the tests
skip with a message saying how to install it, except in CI (``CI`` set) or with
``CONV1X1_REQUIRE_BROWSER=1``, where a missing browser fails the run.

Screenshots of every notebook go to ``test-artifacts/screenshots/`` (named at the
end of the run). ``CONV1X1_BROWSER_NOTEBOOKS=/some/folder`` runs the tests on the
notebooks of another folder (default: the repository's ``notebooks/``);
``CONV1X1_CHROMIUM=/path`` uses another Chromium executable.

A lesson is opened and run once per front end for the whole session (:class:`LessonPages`): the tests of
``test_lab.py``, ``test_notebook7.py``, ``test_touch.py`` and ``test_slides.py`` that need the same lesson in
the same front end share its page and its kernel, and run one after the other (``page_of`` in each module
says which page a test uses and where among that page's tests it goes; :func:`pytest_collection_modifyitems`
orders them). Opening a notebook (a JupyterLab page booting, a kernel starting) took about 7 s and running
one about 5 s; the tier opened 37 pages and ran 26 notebooks before, and 27 and 17 now.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Callable

import pytest

from tools import lab  # tools/lab.py: the browser driver, shared with the benchmarks and tools/axe_audit.py


def _unavailable(message: str) -> None:
    """Skip locally; fail in CI, where the browser tests must run."""
    if lab.browser_required():
        pytest.fail(f"{message} (a browser is required here: CI or CONV1X1_REQUIRE_BROWSER=1 is set)",
                    pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium() -> str:
    path = lab.find_chromium()
    if path is None:
        _unavailable(f"chromium not found: {lab.INSTALL_HINT}")
    return path


@pytest.fixture(scope="session")
def browser_context(chromium):
    """One headless Chromium with a fresh profile in a temporary --user-data-dir."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Python package playwright is not installed: pip install -e '.[test]'")
    with tempfile.TemporaryDirectory(prefix="conv1x1-chromium-") as profile, sync_playwright() as playwright:
        context = lab.launch_browser(playwright, profile, chromium)
        context.set_default_timeout(30_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's axe.min.js (scripts/test.sh fetches it from the npm registry)."""
    path = lab.find_axe()
    if path is None:
        _unavailable(lab.AXE_HINT)
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def lab_server(chromium):
    """JupyterLab (and Notebook 7) on 127.0.0.1 (empty token, free port) serving a temporary copy of the notebooks."""
    server = lab.LabServer(lab.notebooks_dir())
    try:
        server.start()
    except RuntimeError as err:
        pytest.fail(str(err), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    lab.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return lab.SCREENSHOTS


#: The front ends a lesson is opened in, in the order their pages come in a run, and their screenshots' prefix.
FRONT_ENDS = {"JupyterLab": lab.NotebookPage, "Notebook 7": lab.Notebook7Page}
SCREENSHOT_PREFIX = {"JupyterLab": "", "Notebook 7": "notebook7-"}


class LessonPage:
    """One notebook opened in one front end, shared by the tests that need it.

    ``view`` is its :class:`tools.lab.NotebookPage` (or ``Notebook7Page``), ``page_errors`` the page's
    JavaScript errors since it opened. :meth:`ran` runs every cell once (Run > Run All Cells) and keeps the
    run's ``state`` and ``errors`` (error outputs, read right after the run); :meth:`as_opened` reads the
    page before that run.
    """

    def __init__(self, front_end: str, path: Path, view, page_errors: list[str]):
        self.front_end, self.path, self.view, self.page_errors = front_end, Path(path), view, page_errors
        self.state: dict | None = None
        self.errors: list[str] | None = None
        self._as_opened: dict[str, object] = {}
        self._failed: BaseException | None = None

    @property
    def name(self) -> str:
        return self.path.name

    def __repr__(self) -> str:
        return f"{self.name} in {self.front_end}"

    def as_opened(self, what: str, read: Callable[[object], object]) -> object:
        """``read(view)``, read once, before the cells run; an error if they already ran."""
        if what not in self._as_opened:
            if self.state is not None:
                raise RuntimeError(f"{self}: {what} is read before Run All Cells, and the cells already ran "
                                   f"(the page's tests are out of the order tests/browser/conftest.py sets)")
            self._as_opened[what] = read(self.view)
        return self._as_opened[what]

    def ran(self) -> "LessonPage":
        """Run All Cells, once; a run that failed fails every later test of this page the same way."""
        if self._failed is not None:
            raise RuntimeError(f"{self}: Run All Cells failed for an earlier test: {self._failed!r}")
        if self.state is None:
            try:
                state = self.view.run_all()
                self.errors = self.view.errors()
            except BaseException as err:
                self._failed = err
                raise
            self.state = state
        return self


class LessonPages:
    """The session's lesson pages: one open at a time, opened on the first test that needs it, closed
    (screenshot, page and kernel) when a test needs another one, and at the end of the session.

    Tests that need a page get it with :meth:`get`; their order (``page_of``) makes a page's tests
    consecutive, so each lesson opens once per front end. Out of that order (a test selected alone, say)
    every test still gets the page it needs, opened again.
    """

    def __init__(self, browser_context, server: lab.LabServer, screenshot_dir: Path, screenshots: list):
        self.browser_context, self.server = browser_context, server
        self.screenshot_dir, self.screenshots = screenshot_dir, screenshots
        self.current: LessonPage | None = None
        self._context = None
        self._own = False

    def get(self, front_end: str, path: Path, *, own: str = "") -> LessonPage:
        """The lesson ``path`` opened in ``front_end``, its cells run or not as earlier tests left it.

        ``own``: a page of the calling test's own, opened anew and given to no later test (jupyterlab-deck
        presents a page once: started again in the same page it shows no cell), its screenshot named
        ``<own>-<notebook>.png``.
        """
        path = Path(path)
        now = self.current
        if not own and now is not None and not self._own and (now.front_end, now.name) == (front_end, path.name):
            return now
        self.close()
        shot = self.screenshot_dir / (f"{own}-{path.stem}.png" if own else
                                      f"{SCREENSHOT_PREFIX[front_end]}{path.stem}.png")
        context = lab.notebook_page(FRONT_ENDS[front_end], self.browser_context, self.server, path.name, shot,
                                    self.screenshots)
        view, page_errors = context.__enter__()
        self._context, self._own = context, bool(own)
        try:
            view.open()
        except BaseException:
            self.close()
            raise
        self.current = LessonPage(front_end, path, view, page_errors)
        return self.current

    def close(self) -> None:
        """Screenshot the open page into its file, close it and stop its kernel."""
        context, self._context, self.current = self._context, None, None
        if context is not None:
            context.__exit__(None, None, None)


@pytest.fixture(scope="session")
def lesson_pages(browser_context, lab_server, screenshot_dir, request):
    """The lessons' pages (:class:`LessonPages`), shared by every test module of the tier."""
    pages = LessonPages(browser_context, lab_server, screenshot_dir, request.config._conv1x1_screenshots)
    yield pages
    pages.close()


def page_key(item) -> tuple | None:
    """Where a test goes in the run: after the tests that open no lesson page (in their collected order),
    by front end, lesson, then the rank its module's ``page_of(item)`` gives it among that page's tests."""
    page_of = getattr(getattr(item, "module", None), "page_of", None)
    found = page_of(item) if page_of is not None else None
    if found is None:
        return None
    front_end, name, rank = found
    return list(FRONT_ENDS).index(front_end), name, rank


def pytest_collection_modifyitems(config, items):
    """A lesson page's tests, whichever module they are in, run one after the other (see LessonPages)."""
    keys = {id(item): page_key(item) for item in items}
    if not any(keys.values()):
        return
    alone = [item for item in items if keys[id(item)] is None]
    shared = [item for item in items if keys[id(item)] is not None]
    shared.sort(key=lambda item: keys[id(item)])          # stable: a module's own order stays within a rank
    items[:] = alone + shared


def pytest_configure(config):
    config._conv1x1_screenshots = []


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    shots = getattr(config, "_conv1x1_screenshots", [])
    if shots:
        terminalreporter.write_sep("-", "browser screenshots")
        terminalreporter.write_line(f"{len(shots)} notebook screenshot(s) in {lab.SCREENSHOTS}/:")
        for shot in shots:
            terminalreporter.write_line(f"  {shot.name}")
