"""End-to-end latency of the lesson 02 explorer in a real browser.

    .venv/bin/python benchmarks/browser_latency.py               # 20 moves of "row i"
    .venv/bin/python benchmarks/browser_latency.py --moves 40 --slider "filter f"

Starts JupyterLab and headless Chromium exactly as the browser tests do
(tests/browser/lab.py), opens notebooks/02-*.ipynb, runs all cells, then moves
a slider of the DotProductExplorer with the arrow keys. Each move is timed in
the page, with the page's clock: from the keydown event to the moment the
explorer's canvas has drawn the move's patches (changed parts only). That is
the whole round trip a learner waits for: browser -> kernel (update the artists,
blit, PNG-encode) -> browser (decode, display). Target: median <= 100 ms.

Printed, not asserted: timings depend on the machine. Needs Debian's chromium.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import lab  # noqa: E402  (one implementation of server + browser, shared with the tests)

TARGET_MS = 100.0
EXPLORER_TITLE = "Many channels"   # the DotProductExplorer's header


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebook", type=Path, default=None,
                        help="notebook to open (default: notebooks/02-*.ipynb)")
    parser.add_argument("--moves", type=int, default=20, help="timed moves (default 20, at least 10)")
    parser.add_argument("--slider", default="row i", help='label of the slider to move (default "row i")')
    parser.add_argument("--warmup", type=int, default=2, help="untimed moves first (default 2)")
    args = parser.parse_args(argv)
    if args.moves < 10:
        parser.error("--moves must be at least 10")

    if args.notebook is None:
        found = sorted(lab.NOTEBOOKS.glob("02-*.ipynb"))
        if not found:
            print("no notebooks/02-*.ipynb: nothing to measure", file=sys.stderr)
            return 2
        args.notebook = found[0]
    notebook = args.notebook.resolve()
    chromium = lab.find_chromium()
    if chromium is None:
        print(f"chromium not found: {lab.INSTALL_HINT}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    start = time.perf_counter()
    with lab.LabServer(notebook.parent) as server, \
            tempfile.TemporaryDirectory(prefix="conv1x1-chromium-") as profile, \
            sync_playwright() as playwright:
        context = lab.launch_browser(playwright, profile, chromium)
        try:
            page = context.new_page()
            view = lab.NotebookPage(page, server, notebook.name)
            view.open()
            state = view.run_all()
            errors = view.errors()
            if errors or state["pending"]:
                print(f"{notebook.name} did not run cleanly: {state}\n" + "\n".join(errors), file=sys.stderr)
                return 1
            print(f"{notebook.name}: opened and ran in JupyterLab in {time.perf_counter() - start:.1f} s")

            explorers = view.explorers().filter(has_text=EXPLORER_TITLE)
            if explorers.count() == 0:
                print(f"no DotProductExplorer ('{EXPLORER_TITLE}...') in {notebook.name}", file=sys.stderr)
                return 1
            explorer = explorers.first
            sliders = {c.label: c for c in view.controls(explorer) if c.kind == "slider"}
            if args.slider not in sliders:
                print(f"no slider {args.slider!r}; the explorer has {sorted(sliders)}", file=sys.stderr)
                return 1
            handle = sliders[args.slider].locator
            img = explorer.locator(lab.FIGURE)
            explorer.scroll_into_view_if_needed()
            handle.focus()

            times = []
            for k in range(args.warmup + args.moves):
                key = view.slider_key(handle) if k == 0 else key_for(handle, key)
                result = lab.measure_move(page, handle, img, key)
                if k < args.warmup:
                    continue
                times.append(result)
                print(f"move {len(times):2d} ({key:10s} -> {lab.NotebookPage.slider_value(handle):4g}): "
                      f"new src {result['changed']:6.1f} ms, loaded+decoded {result['loaded']:6.1f} ms, "
                      f"next frame {result['painted']:6.1f} ms")
            if explorer.get_by_role("alert").count():
                print("the explorer reported an error:\n" + explorer.get_by_role("alert").first.inner_text(),
                      file=sys.stderr)
                return 1
        finally:
            context.close()

    loaded = [t["loaded"] for t in times]
    median = statistics.median(loaded)
    print(f"figure {int(times[0]['width'])}x{int(times[0]['height'])} px; slider {args.slider!r}; "
          f"loaded+decoded: min {min(loaded):.1f}, max {max(loaded):.1f}, "
          f"next frame median {statistics.median(t['painted'] for t in times):.1f} ms")
    print(f"browser latency (lesson 02 explorer): median {median:.1f} ms over {len(loaded)} moves "
          f"(target <= {TARGET_MS:.0f} ms: {'met' if median <= TARGET_MS else 'NOT met'})")
    return 0


def key_for(handle, previous: str) -> str:
    """Keep moving the same way; turn round at either end of the slider."""
    now = lab.NotebookPage.slider_value(handle)
    if previous == "ArrowRight" and now >= float(handle.get_attribute("max")):
        return "ArrowLeft"
    if previous == "ArrowLeft" and now <= float(handle.get_attribute("min")):
        return "ArrowRight"
    return previous


if __name__ == "__main__":
    sys.exit(main())
