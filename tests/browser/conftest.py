"""Fixtures for the real-browser tests: one JupyterLab server and one headless Chromium per session.

Chromium is Debian's (``/usr/bin/chromium``), driven by the Python package
``playwright``; ``playwright install`` is never run. Without Chromium the tests
skip with a message saying how to install it, except in CI (``CI`` set) or with
``CONV1X1_REQUIRE_BROWSER=1``, where a missing browser fails the run.

Screenshots of every notebook go to ``test-artifacts/screenshots/`` (named at the
end of the run). ``CONV1X1_BROWSER_NOTEBOOKS=/some/folder`` runs the tests on the
notebooks of another folder (default: the repository's ``notebooks/``);
``CONV1X1_CHROMIUM=/path`` uses another Chromium executable.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

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


def pytest_configure(config):
    config._conv1x1_screenshots = []


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    shots = getattr(config, "_conv1x1_screenshots", [])
    if shots:
        terminalreporter.write_sep("-", "browser screenshots")
        terminalreporter.write_line(f"{len(shots)} notebook screenshot(s) in {lab.SCREENSHOTS}/:")
        for shot in shots:
            terminalreporter.write_line(f"  {shot.name}")
