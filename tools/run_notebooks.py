"""Re-execute the course notebooks in place, so their saved outputs are fresh.

    python tools/run_notebooks.py                 # every notebook in notebooks/
    python tools/run_notebooks.py notebooks/02-*.ipynb

Each notebook runs top to bottom in a fresh kernel started from this Python
environment, in its own folder, exactly as nbval will re-run it. Saved
notebooks stay diff-friendly: no execution timings and no widget state (each
explorer saves a static PNG of its figure instead). Navigation links are
regenerated first (tools/nav.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

import nav  # tools/nav.py: Python puts this script's folder first on sys.path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def _joined_streams(outputs: list) -> list:
    """Consecutive prints to one stream as one output: how a kernel splits them depends on timing, and a
    saved notebook must not change from one run to the next."""
    joined: list = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (output.output_type == "stream" and previous is not None and previous.output_type == "stream"
                and previous.name == output.name):
            previous.text += output.text
        else:
            joined.append(output)
    return joined


def run(path: Path, timeout: int = 600) -> float:
    """Execute one notebook in place; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=False,
    )
    client.execute()
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = _joined_streams(cell.outputs)
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks to run (default: all)")
    args = parser.parse_args(argv)
    nav.main([])     # regenerate the index and the lessons' navigation first (an empty argv: not ours)
    paths = args.paths or sorted(NOTEBOOKS.glob("*.ipynb"))
    for path in paths:
        seconds = run(Path(path).resolve())
        print(f"ran {Path(path).name} in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
