"""The calibration point of benchmarks/hub_load.py: one real JupyterLab page through the hub, against a
simulated learner making the same moves.

The page (headless Chromium, driven as benchmarks/browser_latency.py drives it) logs in to the hub,
opens lesson 02 in the learner's JupyterLab, runs all cells and presses an arrow key on the explorer's
"row i" slider, back and forth; each move is timed in the page from the keydown event to the patches drawn
on the canvas. Then a simulated learner, on a fresh server, sends the same moves (a slider update each)
and times each from sending it to receiving its frame. The difference is what the browser adds (the
widget's event handling, decoding and drawing the patches) to the simulated learners' latencies.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

from benchmarks import browser_latency  # how a page opens lesson 02 and times a move
from benchmarks.hub_learner import Learner
from benchmarks.hub_report import percentile
from tools import lab

USER = "calibration"
SLIDER = "row i"


def calibrate(hub, cells: list[str], moves: int = 30) -> dict:
    """{"page": [ms...], "simulated": [ms...]}: the same arrow-key moves, by a real page and a simulated learner."""
    from playwright.sync_api import sync_playwright

    chromium = lab.find_chromium()
    if chromium is None:
        raise SystemExit(f"--calibrate needs chromium: {lab.INSTALL_HINT}")
    asyncio.run(_start(hub))
    print(f"  calibration: a JupyterLab page through the hub, {moves} moves of {SLIDER!r}...", flush=True)
    with tempfile.TemporaryDirectory(prefix="conv1x1-hub-chromium-") as profile, sync_playwright() as playwright:
        context = lab.launch_browser(playwright, profile, chromium)
        try:
            login = context.new_page()
            login.goto(f"{hub.url}/hub/login", wait_until="domcontentloaded")
            login.fill("#username_input", USER)
            login.fill("#password_input", "any")           # the dummy authenticator takes any password
            login.click("#login_submit")
            login.wait_for_load_state("domcontentloaded")
            server = SimpleNamespace(url=f"{hub.url}/user/{USER}")
            args = SimpleNamespace(slider=SLIDER, warmup=2, moves=moves)
            page, view, _, handle, img = browser_latency.open_explorer(context, server, hub.notebook, args,
                                                                       time.perf_counter())
            page_ms = [t["loaded"] for t in browser_latency.time_moves(page, view, handle, img, args)]
        finally:
            context.close()
    asyncio.run(_restart(hub))
    print(f"  calibration: a simulated learner, the same {moves} moves...", flush=True)
    simulated = asyncio.run(_simulated(hub, cells, moves))
    asyncio.run(hub.stop_server(USER))
    return {"page": page_ms, "simulated": simulated}


async def _start(hub) -> None:
    await hub.add_users([USER])
    await hub.start_server(USER)


async def _restart(hub) -> None:
    await hub.stop_server(USER)
    await hub.start_server(USER)


async def _simulated(hub, cells: list[str], moves: int) -> list[float]:
    learner = Learner(hub.url, USER, hub.token, hub.notebook.name, seed=0)
    try:
        await learner.open(cells)
        model = learner.sliders[SLIDER]
        step, times = 1, []
        for k in range(2 + moves):                     # as browser_latency: 2 warm-up moves, then the timed ones
            if not model.state["min"] <= model.state["value"] + step <= model.state["max"]:
                step = -step
            ms = await learner.slider_key(model, step)
            if k >= 2 and ms is not None:
                times.append(ms)
            await asyncio.sleep(0.3)
        return times
    finally:
        await learner.close()


def browser_adds(result: dict) -> float | None:
    """What the browser adds to a move: the page's median minus the simulated learner's (ms), or None."""
    if not result["page"] or not result["simulated"]:
        return None
    return statistics.median(result["page"]) - statistics.median(result["simulated"])


def report(result: dict) -> list[str]:
    page, simulated = result["page"], result["simulated"]
    if not page or not simulated:
        return ["calibration: no moves measured"]
    extra = browser_adds(result)
    return [f"calibration, one learner alone, {len(page)} arrow-key moves of {SLIDER!r} (ms):",
            f"  real JupyterLab page (keydown -> patches drawn): p50 {percentile(page, 50):.0f}, "
            f"p95 {percentile(page, 95):.0f}",
            f"  simulated learner (message sent -> frame received): p50 {percentile(simulated, 50):.0f}, "
            f"p95 {percentile(simulated, 95):.0f}",
            f"  the browser adds about {extra:.0f} ms to a move (median)"]
