"""Helpers for the teacher's routes (tests/test_teach.py, tests/browser/test_hub_pull.py).

:func:`install_package` installs the course package the way a hub's image does (a plain,
non-editable ``pip install``, here into a folder with ``--target``), so a test can show
that the lessons import the installed package and not the repository's layout.
:func:`run_notebook` executes a notebook with nbclient in a kernel whose ``PYTHONPATH``
is such a folder, from wherever the notebook lies.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Run a kernel with one BLAS thread: the tests share few cores.
_QUIET = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def install_package(source: Path, target: Path) -> Path:
    """``pip install --no-deps --target target`` of the course package in ``source``; returns ``target``.

    Only what building needs (pyproject.toml, README.md, conv1x1/, jupyter-config/) is staged in a folder beside
    ``target``, so the build leaves nothing in ``source``. The dependencies are this environment's.
    """
    stage = target.parent / f"{target.name}-source"
    stage.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(source / name, stage / name)
    shutil.copytree(source / "conv1x1", stage / "conv1x1", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    # pyproject's data-files: the server extension's config (conv1x1.engine.server), installed into etc/jupyter
    shutil.copytree(source / "jupyter-config", stage / "jupyter-config")
    # offline with this environment's setuptools when it is new enough (pyproject.toml's build floor);
    # otherwise pip fetches one for an isolated build, as on a machine that builds a hub's image
    offline = ["--no-build-isolation", "--no-index"] if _has_setuptools(77) else []
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                             "--no-deps", *offline, "--target", str(target), str(stage)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"pip install --target of {source} failed:\n{result.stderr[-3000:]}"
    shutil.rmtree(stage)
    return target


def _has_setuptools(major: int) -> bool:
    try:
        from importlib.metadata import version

        return int(version("setuptools").split(".")[0]) >= major
    except Exception:          # not installed, or an unreadable version
        return False


def installed_env(site: Path, **extra: str) -> dict[str, str]:
    """This process's environment with ``site`` first on ``PYTHONPATH`` (and nothing else there)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONV1X1_")}
    env.update(_QUIET, PYTHONPATH=str(site), **extra)
    return env


def run_notebook(path: Path, env: dict[str, str], *, edits: dict[int, str] | None = None,
                 timeout: int = 300) -> dict:
    """Execute the notebook at ``path`` (in its folder) with a kernel in ``env``; return the executed notebook.

    ``edits`` replaces the source of code cells by index first, as a learner would type them.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    for index, source in (edits or {}).items():
        assert nb.cells[index].cell_type == "code", f"cell {index} of {path.name} is not a code cell"
        nb.cells[index].source = source
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute(env=env)   # the kernel's environment
    return nb


def outputs_text(nb: dict) -> list[str]:
    """Every code cell's outputs as one text each (plain text, streams, errors)."""
    texts = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        parts = []
        for out in cell.get("outputs", []):
            if out["output_type"] == "error":
                parts.append(f"{out['ename']}: {out['evalue']}")
            elif out["output_type"] == "stream":
                parts.append("".join(out["text"]))
            else:
                parts.append("".join(out.get("data", {}).get("text/plain", "")))
        texts.append("\n".join(parts))
    return texts


def errors(nb: dict) -> list[str]:
    return [json.dumps(out)[:2000] for cell in nb["cells"] if cell["cell_type"] == "code"
            for out in cell.get("outputs", []) if out["output_type"] == "error"]
