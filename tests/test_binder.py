"""Binder: the repo2docker configuration, and the notebooks in the environment it builds.

binder/requirements.txt, parsed, must install this repository's package (which
brings pyproject.toml's dependencies) and pin nothing below their floors.

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
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def requirement_lines(text: str) -> list[str]:
    """The requirements of a pip requirements file: no comments, no blank lines."""
    return [line for line in (raw.split(" #")[0].strip() for raw in text.splitlines())
            if line and not line.startswith("#")]


def binder_problems(text: str, root: Path) -> list[str]:
    """What would stop binder/requirements.txt (``text``) from giving Binder the course package.

    Binder must get the package itself (a local path that is this repository, whose
    pyproject.toml then brings every dependency) and must not hold a dependency back
    below, or away from, the floors that pyproject.toml promises to support.
    """
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.version import Version

    meta = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {Requirement(dep).name.lower(): Requirement(dep).specifier for dep in meta["dependencies"]}
    problems, installs_package = [], False
    for line in requirement_lines(text):
        if line.startswith((".", "/", "-e ", "--editable ")):
            target = (root / line.split()[-1]).resolve()
            if target == root.resolve():
                installs_package = True
            else:
                problems.append(f"{line!r} installs {target}, not this repository ({root})")
            continue
        try:
            req = Requirement(line)
        except InvalidRequirement:
            problems.append(f"{line!r} is neither a local path nor a requirement")
            continue
        if req.name.lower() == meta["name"]:
            problems.append(f"{line!r} would install {meta['name']} from PyPI, not this repository")
        floor = declared.get(req.name.lower())
        if floor is not None:
            # the versions either side names: one of them must satisfy both
            candidates = [Version(spec.version) for spec in [*req.specifier, *floor] if "*" not in spec.version]
            if req.specifier and not any(v in req.specifier and v in floor for v in candidates):
                problems.append(f"{line!r} conflicts with pyproject.toml's {req.name}{floor}")
    if not installs_package:
        problems.append(f"no line installs the {meta['name']} package itself (\".\" from the repository root)")
    return problems


def test_binder_requirements_install_the_package_within_its_floors():
    problems = binder_problems((ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8"), ROOT)
    assert not problems, "binder/requirements.txt: " + "; ".join(problems)


def _floor(name: str) -> str:
    """pyproject.toml's floor for one dependency, e.g. "1.26" for numpy>=1.26."""
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    return next(d.split(">=")[1].split(",")[0].strip() for d in deps if d.startswith(name + ">="))


@pytest.mark.parametrize("text, problem", [
    ("numpy\nmatplotlib\n", "no line installs the conv1x1 package"),
    ("./binder\n", "not this repository"),
    (".\nconv1x1\n", "from PyPI"),
    (f".\nnumpy<{_floor('numpy')}\n", "conflicts with pyproject.toml's numpy"),
    (".\nmatplotlib==0.1\n", "conflicts with pyproject.toml's matplotlib"),
    (".\nnumpy @@ 2\n", "neither a local path nor a requirement"),
])
def test_binder_requirements_that_would_break_binder_are_caught(text, problem):
    """The check above can fail: requirements files that would give Binder the wrong environment."""
    assert any(problem in p for p in binder_problems(text, ROOT)), binder_problems(text, ROOT)


def test_binder_requirements_may_pin_what_pyproject_allows():
    text = f".\nnumpy=={_floor('numpy')}\nmatplotlib>={_floor('matplotlib')},<99  # a comment\n-e .\n"
    assert binder_problems(text, ROOT) == []


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


@pytest.mark.env
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
    # (without PyTorch, as on Binder, lessons 05, 09 and 10 print different lines, by design).
    result = subprocess.run([py, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider",
                             "-q", "notebooks"], cwd=ROOT, capture_output=True, text=True, timeout=900, env=env)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
