"""The engine's front end (conv1x1/engine/static/): every widget's module as the browser gets it is valid
JavaScript (``node --check``), and the package ships the files.

Node.js is needed; CI installs it with npm (scripts/test.sh), and there a missing ``node`` fails the test
instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conv1x1.engine import controls

STATIC = Path(controls.__file__).resolve().parent / "static"
WIDGETS = [controls.IntSlider, controls.FloatSlider, controls.Dropdown, controls.FigureView, controls.Sweep]


def node() -> str:
    found = shutil.which("node") or shutil.which("nodejs")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is not installed: CI must check the front end's JavaScript (apt-get install nodejs)")
        pytest.skip("node is not installed (apt-get install nodejs, or nodejs.org)")
    return found


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda w: w.__name__)
def test_each_widgets_module_is_valid_javascript(widget, tmp_path):
    module = tmp_path / f"{widget.__name__}.mjs"           # an ES module, as anywidget loads it
    module.write_text(widget._esm, encoding="utf-8")
    result = subprocess.run([node(), "--check", str(module)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "export default" in widget._esm


def test_every_static_file_is_used_by_a_widget():
    sent = "".join(w._esm + w._css for w in WIDGETS)
    for path in STATIC.iterdir():
        assert path.read_text(encoding="utf-8").strip() in sent, f"{path.name} is sent by no widget"


def test_the_static_files_are_package_data():
    import tomllib

    config = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["conv1x1.engine"]
    assert {p.suffix for p in STATIC.iterdir()} <= {Path(p).suffix for p in patterns}
