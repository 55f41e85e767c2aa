"""The version floors in pyproject.toml are a promise: the package's tests pass at exactly those versions.

A virtual environment is made with every runtime dependency pinned to its floor (``numpy>=1.26`` becomes
``numpy==1.26.0``), and the package's own
tests (no notebooks, browser, Binder or start route: those need the ``test`` extra) run there. Slow
(about a minute, most of it pip) and it needs PyPI; in CI (``CI`` set) a failure to build the
environment fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_TESTS = ["tests/test_core.py", "tests/test_pixel_steps.py", "tests/test_learning.py", "tests/test_export.py",
                 "tests/test_draw_explore.py", "tests/test_cost_explorer.py", "tests/test_colour_mix_explorer.py",
                 "tests/test_accessibility.py", "tests/test_checks_lessons01_02.py",
                 "tests/test_checks_lessons03_04.py", "tests/test_checks_lessons05_06.py",
                 "tests/test_checks_lessons07_08.py", "tests/test_validate.py", "tests/test_explorers.py",
                 "tests/test_render.py", "tests/test_layouts.py", "tests/test_layers.py"]
#: Test tools are not the learner's promise: any version that supports the floors will do.
TOOLS = ["pytest>=8", "hypothesis>=6.100"]


def floors(deps: list[str] | None = None) -> list[str]:
    """``name==floor`` for every runtime dependency of pyproject.toml (each must have a ``>=`` floor)."""
    if deps is None:
        deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = []
    for dep in deps:   # the course package itself is imported from the repository (the tests run from ROOT)
        # an upper bound may follow (where the engine leans on a library's internals), never replace the floor
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9][0-9.]*)(,<[0-9][0-9.]*)?", dep.replace(" ", ""))
        assert match, f"dependency {dep!r} should be written name>=floor[,<bound], so that its floor can be tested"
        version = match.group(2) + (".0" if match.group(2).count(".") == 1 else "")
        pins.append(f"{match.group(1)}=={version}")
    return pins


def test_every_runtime_dependency_has_a_floor():
    assert floors(), "pyproject.toml declares no runtime dependencies: nothing to pin at its floor"
    assert floors(["numpy>=1.26", "ipywidgets >= 8.1.2"]) == ["numpy==1.26.0", "ipywidgets==8.1.2"]
    assert floors(["matplotlib>=3.8,<3.12"]) == ["matplotlib==3.8.0"]
    for unpinnable in ["numpy", "numpy>1.26", "numpy<3", "numpy~=1.26", "numpy>=1.26,!=2.0"]:
        with pytest.raises(AssertionError, match="name>=floor"):
            floors([unpinnable])


@pytest.mark.env
def test_package_tests_pass_at_the_version_floors(tmp_path):
    env_dir = tmp_path / "floors"
    venv.create(env_dir, with_pip=True)
    python = env_dir / ("Scripts/python.exe" if sys.platform.startswith("win") else "bin/python")
    install = subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              *floors(), *TOOLS], capture_output=True, text=True)
    if install.returncode != 0:
        message = f"could not install the floors {floors()}:\n{install.stderr[-3000:]}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    names = [pin.split("==")[0] for pin in floors()]
    versions = subprocess.run([python, "-c", "import sys, importlib.metadata as md, conv1x1; "
                               "print(*(md.version(name) for name in sys.argv[1:]), conv1x1.__file__)", *names],
                              capture_output=True, text=True, check=True, cwd=ROOT).stdout.split()    # imports ./conv1x1
    assert Path(versions[-1]).resolve().parent == ROOT / "conv1x1"
    assert [f"{name}=={v}" for name, v in zip(names, versions)] == floors(), f"the floors environment has {versions}"
    # PyTorch is no dependency, so it is not in the floors environment: its comparisons skip there
    env = {k: v for k, v in os.environ.items() if k != "CONV1X1_REQUIRE_TORCH"}
    result = subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", "-m", "not slow",
                             *PACKAGE_TESTS], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode == 0, f"the package tests fail at the floors {floors()}:\n{result.stdout[-4000:]}"
