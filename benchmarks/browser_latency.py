"""End-to-end latency of the lesson 02 explorer in a real browser.

    .venv/bin/python -m benchmarks.browser_latency               # 20 moves of "row i"
    .venv/bin/python -m benchmarks.browser_latency --moves 40 --slider "filter f"

Starts JupyterLab and headless Chromium exactly as the browser tests do
(tools/lab.py: the server with the course's own server configuration,
jupyter-config/, so conv1x1.engine.server sends kernel messages without Nagle's delay,
as in an installed course), opens notebooks/02-*.ipynb, runs all cells, then moves
a slider of the DotProductExplorer with the arrow keys. Each move is timed in
the page, with the page's clock: from the keydown event to the moment the
explorer's canvas has drawn the move's patches (changed parts only). That is
the whole round trip a learner waits for: browser -> kernel (update the artists,
blit, encode what changed) -> browser (decode, draw). The same moves are then
timed over a Binder-like link (Chromium's network emulation: 20 Mbit/s, 40 ms
latency each way), and clicks on output cells and a fast drag's settle time are
measured too. Targets: median <= 50 ms on loopback, <= 140 ms over the link.
Also printed: the in-kernel time of a move, and the bytes a move sends for every
explorer of the course.

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
from tools import lab  # one implementation of server + browser, shared with the tests

LINK_LATENCY_MS = 40
LINK_BYTES_PER_S = 20e6 / 8
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
            page, view, explorer, handle, img = open_explorer(context, server, notebook, args, start)
            loopback = time_moves(page, view, handle, img, args)
            clicks = time_clicks(page, view, explorer, img)
            settle = drag_settle(page, handle, img)
            page.close()
            server.shutdown_kernels()
            # a Binder-like link for a new page, before it opens its kernel's websocket: 20 Mbit/s, 40 ms each way
            page, view, explorer, handle, img = open_explorer(context, server, notebook, args, start, link=True)
            binder = time_moves(page, view, handle, img, args)
            if explorer.get_by_role("alert").count():
                print("the explorer reported an error:\n" + explorer.get_by_role("alert").first.inner_text(),
                      file=sys.stderr)
                return 1
        finally:
            context.close()

    kernel_ms, sent = in_kernel()
    print(f"\nlesson 02 explorer, slider {args.slider!r}, {args.moves} moves each (ms from key press to the frame drawn):")
    for name, times in (("loopback", loopback), ("Binder-like link (20 Mbit/s, 40 ms latency)", binder)):
        drawn = [t["loaded"] for t in times]
        print(f"  {name}: median {statistics.median(drawn):.1f}, min {min(drawn):.1f}, max {max(drawn):.1f}")
    print(f"  a click on an output cell, loopback: median {statistics.median(clicks):.1f} ms "
          f"(min {min(clicks):.1f}, max {max(clicks):.1f})")
    print(f"  in the kernel (update, blit, encode the changed parts), same moves: median {kernel_ms:.1f} ms")
    print(f"  fast drag (41 input events 8 ms apart, lesson 02 'row i'): released value drawn {settle:.0f} ms after release")
    print("bytes a move sends to the browser (median over each explorer's tour, patches and words):")
    for name, kib in sent.items():
        print(f"  {name}: {kib:.1f} KiB")
    return 0


def open_explorer(context, server, notebook: Path, args, start: float, link: bool = False):
    """Open the notebook in a new page (over the emulated link if ``link``), run it, find the explorer."""
    page = context.new_page()
    if link:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": LINK_LATENCY_MS,
                                                      "downloadThroughput": LINK_BYTES_PER_S,
                                                      "uploadThroughput": LINK_BYTES_PER_S})
    view = lab.NotebookPage(page, server, notebook.name)
    view.open()
    state = view.run_all()
    errors = view.errors()
    if errors or state["pending"]:
        raise SystemExit(f"{notebook.name} did not run cleanly: {state}\n" + "\n".join(errors))
    print(f"{notebook.name}: opened and ran in JupyterLab{' over the emulated link' if link else ''} "
          f"({time.perf_counter() - start:.1f} s so far)")
    explorers = view.explorers().filter(has_text=EXPLORER_TITLE)
    if explorers.count() == 0:
        raise SystemExit(f"no DotProductExplorer ('{EXPLORER_TITLE}...') in {notebook.name}")
    explorer = explorers.first
    sliders = {c.label: c for c in view.controls(explorer) if c.kind == "slider"}
    if args.slider not in sliders:
        raise SystemExit(f"no slider {args.slider!r}; the explorer has {sorted(sliders)}")
    handle = sliders[args.slider].locator
    img = explorer.locator(lab.FIGURE)
    explorer.scroll_into_view_if_needed()
    return page, view, explorer, handle, img


def time_moves(page, view, handle, img, args) -> list[dict]:
    """Move the slider with the arrow keys; the time of each move (after the warm-up moves)."""
    handle.focus()
    times, key = [], None
    for k in range(args.warmup + args.moves):
        key = view.slider_key(handle) if key is None else key_for(handle, key)
        result = lab.measure_move(page, handle, img, key)
        if k >= args.warmup:
            times.append(result)
    return times


CLICK_JS = """async ([figure, x, y]) => {
  const before = figure.dataset.frame;
  const t0 = performance.now();
  figure.dispatchEvent(new MouseEvent("click", {clientX: x, clientY: y, bubbles: true}));
  while (figure.dataset.frame === before) await new Promise((r) => setTimeout(r, 1));
  return performance.now() - t0;
}"""


def time_clicks(page, view, explorer, img) -> list[float]:
    """Click output cells one after another (located through the figure's own transforms)."""
    import matplotlib

    matplotlib.use("Agg")
    from conv1x1 import explore

    twin = explore.DotProductExplorer()
    twin.figure.canvas.draw()
    ax = twin.diagram.output_view.grid.ax
    width, height = img.evaluate("(c) => [c.width, c.height]")
    img.scroll_into_view_if_needed()
    box = img.bounding_box()
    out = []
    for k in range(12):
        i, j = divmod((7 * k + 3) % 36, 6)
        x, y = ax.transData.transform((j, i))
        out.append(page.evaluate(CLICK_JS, [img.element_handle(), box["x"] + x * box["width"] / width,
                                            box["y"] + (height - y) * box["height"] / height]))
    return out





def drag_settle(page, handle, img) -> float:
    """ms from releasing a fast drag of the slider to the frame from which on the released value stays shown."""
    values = [k % 5 for k in range(40)] + [5]            # the released value only at the release
    label = handle.evaluate("(h) => document.querySelector(`label[for=${h.id}]`).textContent")
    settled = lab.drag(handle, img, values).settled(f"{label} = 5,")
    return float("nan") if settled is None else settled


def in_kernel() -> tuple[float, dict[str, float]]:
    """The lesson 02 explorer's median move in this process (what the kernel does for a move), and the
    median bytes a move sends, for every explorer of the course."""
    import matplotlib

    matplotlib.use("Agg")
    from conv1x1.explore.registry import EXPLORERS

    sent, kernel = {}, float("nan")
    for name, spec in EXPLORERS.items():
        ex = spec.make(None)
        sizes, times = [], []
        for control, value in spec.moves:
            if ex.controls[control].value == value:
                continue
            start = time.perf_counter()
            ex.controls[control].value = value
            times.append(1000 * (time.perf_counter() - start))
            sizes.append(ex.image.bytes_sent + ex.image.words_sent)
        sent[name] = statistics.median(sizes) / 1024
        if name.startswith("02"):
            kernel = statistics.median(times)
    return kernel, sent


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
