"""Shared test setup: headless matplotlib, figures closed after each test (frames.py decodes PNGs)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from _pytest.doctest import DoctestModule  # noqa: E402  (pytest exports no public name for it)


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path, parent):
    """``--doctest-modules`` (pyproject.toml) is for the package in conv1x1/, not for the files here.

    Collecting tests/ for doctests would import every helper and both conftest.py files as
    modules of their own, and two modules named ``conftest`` outside a package collide.
    """
    collected = yield
    return [node for node in collected if not isinstance(node, DoctestModule)]


@pytest.fixture(autouse=True)
def close_figures():
    """Figures made with pyplot by a test are closed after it."""
    yield
    plt.close("all")
