"""Audit every lesson's output areas with axe-core and print a table: rule, impact, count per lesson.

    python -m tools.axe_audit                       # JupyterLab, Notebook 7 and nbconvert HTML
    python -m tools.axe_audit --where html          # only the static HTML of the saved notebooks
    python -m tools.axe_audit --notebooks /some/folder --json audit.json

The same audit as the browser tests (tests/browser/test_axe.py), which fail on any violation; this
script counts them instead, to compare two states of the course (e.g. before and after a change).
It needs Debian's Chromium and axe-core (fetched by scripts/test.sh, see tools/lab.py).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from tools import lab  # one implementation of server, browser and audit, shared with the tests

WHERE = ("lab", "notebook7", "html")


def static_html(notebook: Path, out_dir: Path) -> Path:
    """The notebook as nbconvert's HTML (lab template), as nbviewer and static sites render it."""
    import subprocess

    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--output-dir", str(out_dir),
                    str(notebook)], check=True, capture_output=True)
    return out_dir / f"{notebook.stem}.html"


def audit(notebooks: list[Path], where: tuple[str, ...]) -> dict:
    from playwright.sync_api import sync_playwright

    axe = lab.find_axe()
    if axe is None:
        raise SystemExit(lab.AXE_HINT)
    source = axe.read_text(encoding="utf-8")
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="conv1x1-axe-") as tmp, sync_playwright() as playwright:
        context = lab.launch_browser(playwright, Path(tmp) / "profile", lab.find_chromium())
        context.set_default_timeout(30_000)
        try:
            if "html" in where:
                for path in notebooks:
                    page = context.new_page()
                    page.goto(static_html(path, Path(tmp)).as_uri(), wait_until="load")
                    results[("html", path.stem)] = lab.axe_audit(page, source, lab.STATIC_OUTPUT_AREAS)
                    page.close()
            fronts = [w for w in where if w != "html"]
            if fronts:
                with lab.LabServer(notebooks[0].parent) as server:
                    for front in fronts:
                        page_class = lab.NotebookPage if front == "lab" else lab.Notebook7Page
                        for path in notebooks:
                            page = context.new_page()
                            view = page_class(page, server, path.name)
                            view.open()
                            view.run_all()
                            results[(front, path.stem)] = lab.axe_audit(page, source)
                            page.close()
                            server.shutdown_kernels()
        finally:
            context.close()
    return results


def table(results: dict) -> str:
    """Markdown: one row per (where, rule, impact), one column per lesson."""
    lessons = sorted({stem for _, stem in results})
    counts: dict = collections.defaultdict(collections.Counter)
    for (where, stem), result in results.items():
        for v in result["violations"]:
            counts[(where, v["id"], v["impact"])][stem] += len(v["nodes"])
    short = [s.split("-")[0] for s in lessons]
    lines = ["| where | rule | impact | " + " | ".join(short) + " |", "|---|---|---|" + "---|" * len(lessons)]
    for (where, rule, impact), per in sorted(counts.items()):
        lines.append(f"| {where} | {rule} | {impact} | " + " | ".join(str(per.get(s, 0)) for s in lessons) + " |")
    if not counts:
        lines.append(f"| all | (none) | | " + " | ".join("0" for _ in lessons) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", type=Path, default=lab.NOTEBOOKS)
    parser.add_argument("--where", choices=WHERE, action="append")
    parser.add_argument("--json", type=Path, help="also write the violations found, in full")
    args = parser.parse_args(argv)
    results = audit(lab.notebooks(args.notebooks), tuple(args.where or WHERE))
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps({f"{w} {s}": r for (w, s), r in results.items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
