"""The committed notebooks are complete, in order and clean.

nbval silently skips code cells that were never executed, so a notebook saved
half-run would pass nbval while showing a learner missing outputs. These tests
fail instead.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2, "expected the course notebooks in notebooks/"


def code_cells(path: Path) -> list[dict]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_code_cell_was_executed_in_order(path: Path):
    counts = [cell.get("execution_count") for cell in code_cells(path)]
    never = [k for k, n in enumerate(counts) if n is None]
    assert not never, f"{path.name}: code cells {never} were never executed; run tools/run_notebooks.py"
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: cells were executed out of order or not from a fresh kernel ({counts}); "
        "run tools/run_notebooks.py"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_errors_and_no_stray_output(path: Path):
    for k, cell in enumerate(code_cells(path)):
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"{path.name}: cell {k} saved an error: {out.get('ename')}"
            text = "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))
            assert "<matplotlib." not in text, f"{path.name}: cell {k} prints a matplotlib repr: end it with ;"
            assert " at 0x" not in text, f"{path.name}: cell {k} prints a memory address"
            assert "/work/" not in text and "/home/" not in text, f"{path.name}: cell {k} prints a machine path"
