"""Binder: the repo2docker configuration, and the notebooks in the environment it builds.

repo2docker --no-build prints the Dockerfile it would build without needing
Docker; we check it uses Python 3.12 and installs binder/requirements.txt after
copying the repository in. Then we build Binder's Python environment for real
(a fresh virtual environment with only binder/requirements.txt) and run every
notebook in it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_runtime_pins_python_312():
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.12"


def test_requirements_install_the_package():
    lines = [line.strip() for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()]
    assert "." in lines, "binder/requirements.txt must install the conv1x1 package itself"


def test_repo2docker_builds_python_312_with_our_requirements():
    exe = shutil.which("repo2docker") or str(Path(sys.executable).parent / "repo2docker")
    assert Path(exe).exists(), "repo2docker is missing: pip install jupyter-repo2docker (part of conv1x1[test])"
    result = subprocess.run([exe, "--no-build", "--debug", str(ROOT)], capture_output=True, text=True,
                            timeout=300, cwd=ROOT)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "python=3.12" in output, "repo2docker did not pick Python 3.12 from binder/runtime.txt"
    copy_repo = output.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    install = output.index('pip install --no-cache-dir -r "binder/requirements.txt"')
    assert copy_repo < install, "the repository must be copied in before requirements.txt installs it"


def _python312() -> str:
    """Binder's Python (3.12) when this machine has one, else the current Python."""
    candidates = sorted(Path("/root/.pyenv/versions").glob("3.12.*/bin/python3.12")) if Path("/root/.pyenv").exists() else []
    for candidate in [shutil.which("python3.12"), *map(str, candidates)]:
        if candidate and subprocess.run([candidate, "-c", "import sys; assert sys.version_info[:2] == (3, 12)"],
                                        capture_output=True).returncode == 0:
            return candidate
    return sys.executable


@pytest.mark.slow
def test_notebooks_run_in_the_binder_environment(tmp_path):
    python = _python312()
    env_dir = tmp_path / "binder-env"
    subprocess.run([python, "-m", "venv", str(env_dir)], check=True)
    py = str(env_dir / "bin" / "python")
    pip = [py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    # exactly what repo2docker runs, from the repository root ...
    subprocess.run(pip + ["-r", "binder/requirements.txt"], cwd=ROOT, check=True, timeout=900)
    # ... plus the test runner (Binder's own image brings the Jupyter server and kernel).
    subprocess.run(pip + ["nbval", "pytest", "ipykernel"], cwd=ROOT, check=True, timeout=900)
    version = subprocess.run([py, "-c", "import sys; print(sys.version.split()[0])"], capture_output=True,
                             text=True, check=True).stdout.strip()
    print(f"binder environment: Python {version} ({python})")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONV1X1_REQUIRE")}
    # Outputs are compared strictly in the main test run; here we check every notebook runs
    # (without PyTorch, as on Binder, lesson 04 prints different lines, by design).
    result = subprocess.run([py, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider",
                             "-q", "notebooks"], cwd=ROOT, capture_output=True, text=True, timeout=900, env=env)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
