"""One round of benchmarks/hub_load.py (N learners at once) and its report: the table and the sizing rule."""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import time
from dataclasses import dataclass, field

import psutil
from tornado.httpclient import AsyncHTTPClient

from benchmarks.hub_learner import Learner

MIB = 1 << 20
SETTLE_S = 2.0              # after every learner has run the lesson, before the first measurement


@dataclass
class Round:
    """What N learners at once measured."""

    n: int
    start_s: float = 0.0                                  # all N servers started (hub API)
    load_s: list = field(default_factory=list)            # each learner: lesson opened and run
    moves_s: float = 0.0                                  # wall time of the moves
    single_ms: list = field(default_factory=list)         # all learners' arrow-key moves
    worst_p95: float = float("nan")                       # the p95 of the learner whose p95 is highest
    drag_ms: list = field(default_factory=list)           # all learners' drags: last input -> final frame
    frames: int = 0
    sent: int = 0
    patch_bytes: int = 0
    kernel_loaded: list = field(default_factory=list)     # per learner: memory dict after the lesson ran
    kernel_after: list = field(default_factory=list)      # ... and after the moves
    server_after: list = field(default_factory=list)
    kernel_cpu_s: float = 0.0                             # summed over learners, during the moves
    server_cpu_s: float = 0.0
    hub_cpu_s: float = 0.0                                # hub + proxy
    client_cpu_s: float = 0.0                             # this benchmark's own process
    hub_mem: dict = field(default_factory=dict)
    proxy_mem: dict = field(default_factory=dict)
    total_pss: int = 0                                    # hub + proxy + servers + kernels, bytes
    machine_busy: float = 0.0                             # % of all cores busy during the moves (everyone's)
    errors: list = field(default_factory=list)
    kernel_restarts: list = field(default_factory=list)   # kernels restarted while the learners opened the lesson


def memory(proc: psutil.Process) -> dict:
    """rss, pss, uss of a process in bytes (pss = its share of pages shared with other processes)."""
    try:
        info = proc.memory_full_info()
        return {"rss": info.rss, "pss": getattr(info, "pss", info.uss), "uss": info.uss}
    except psutil.Error:
        return {"rss": 0, "pss": 0, "uss": 0}


def cpu_seconds(proc: psutil.Process | None) -> float:
    if proc is None:
        return 0.0
    try:
        times = proc.cpu_times()
        return times.user + times.system
    except psutil.Error:
        return 0.0


async def run_round(hub, n: int, seconds: float, seed: int, cells: list[str]) -> Round:
    """Start N servers, open and run the lesson in N learners at once, move for ``seconds``, measure, stop."""
    AsyncHTTPClient.configure(None, max_clients=4 * n + 8)
    result = Round(n)
    users = [f"learner-{k:02d}" for k in range(1, n + 1)]
    start = time.perf_counter()
    await hub.add_users(users)
    await asyncio.gather(*(hub.start_server(user) for user in users))
    result.start_s = time.perf_counter() - start
    print(f"  N = {n}: {n} server(s) started in {result.start_s:.1f} s; running the lesson...", flush=True)
    learners = [Learner(hub.url, user, hub.token, hub.notebook.name, seed * 1000 + k)
                for k, user in enumerate(users)]
    tracker = asyncio.create_task(keep_tracking(hub))
    try:
        await asyncio.gather(*(learner.open(cells) for learner in learners))
        result.load_s = [learner.stats.load_s for learner in learners]
        result.kernel_restarts = [f"{lr.user}: {why}" for lr in learners for why in lr.stats.kernel_restarts]
        await asyncio.sleep(SETTLE_S)
        kernels = {learner.user: learner.kernel_id for learner in learners}
        procs = hub.processes(kernels)
        missing = [u for u in users if u not in procs["kernels"] or u not in procs["servers"]]
        if missing:
            raise RuntimeError(f"no kernel or server process found for {missing}")
        result.kernel_loaded = [memory(procs["kernels"][u]) for u in users]
        print(f"  N = {n}: lesson run by all in {max(result.load_s):.1f} s; moving for {seconds:g} s...", flush=True)
        watched = {"kernel": [procs["kernels"][u] for u in users], "server": [procs["servers"][u] for u in users],
                   "hub": [procs["hub"], procs["proxy"]], "client": [psutil.Process()]}
        before = {role: sum(cpu_seconds(p) for p in ps) for role, ps in watched.items()}
        psutil.cpu_percent(None)
        for learner in learners:
            learner.recording = True
        began = time.perf_counter()
        await asyncio.gather(*(learner.move(began + seconds) for learner in learners))
        result.moves_s = time.perf_counter() - began
        result.machine_busy = psutil.cpu_percent(None)
        for learner in learners:
            learner.recording = False
        after = {role: sum(cpu_seconds(p) for p in ps) for role, ps in watched.items()}
        result.kernel_cpu_s, result.server_cpu_s, result.hub_cpu_s, result.client_cpu_s = (
            after[r] - before[r] for r in ("kernel", "server", "hub", "client"))
        result.kernel_after = [memory(procs["kernels"][u]) for u in users]
        result.server_after = [memory(procs["servers"][u]) for u in users]
        result.hub_mem, result.proxy_mem = memory(procs["hub"]), memory(procs["proxy"])
        everything = [procs["hub"], procs["proxy"], *procs["servers"].values(), *procs["kernels"].values(),
                      *procs["other"]]
        result.total_pss = sum(memory(p)["pss"] for p in everything)
        for learner in learners:
            stats = learner.stats
            result.single_ms += stats.single_ms
            result.drag_ms += stats.drag_settle_ms
            result.frames += stats.frames
            result.sent += stats.sent
            result.patch_bytes += stats.patch_bytes
            result.errors += [f"{stats.name}: {e}" for e in stats.errors]
        result.worst_p95 = max(percentile(learner.stats.single_ms, 95) for learner in learners)
    finally:
        tracker.cancel()
        for learner in learners:
            await learner.close()
        await asyncio.gather(*(hub.stop_server(user) for user in users), return_exceptions=True)
    return result


async def keep_tracking(hub, every_s: float = 2.0) -> None:
    """Note the hub's processes now and then, so that the cleanup knows every one of them."""
    while True:
        hub.track()
        await asyncio.sleep(every_s)


# -- numbers ---------------------------------------------------------------------------------------------------
def percentile(values: list, q: float) -> float:
    """The q-th percentile (0..100), linear between the closest ranks; nan if there are no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median_mib(items: list, key: str) -> float:
    return statistics.median(item[key] for item in items) / MIB if items else float("nan")


def per_learner_mib(r: Round) -> float:
    """Memory one more learner costs: the median kernel's + server's PSS after the moves, MiB."""
    return median_mib(r.kernel_after, "pss") + median_mib(r.server_after, "pss")


def machine() -> dict:
    model = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": os.cpu_count() or 1, "cpu": model, "ram_gib": psutil.virtual_memory().total / (1 << 30),
            "system": f"{platform.system()} {platform.release()}", "python": platform.python_version()}


def describe(m: dict) -> str:
    return f"{m['cores']} cores ({m['cpu']}), {m['ram_gib']:.0f} GiB RAM, {m['system']}"


# -- printing --------------------------------------------------------------------------------------------------
def print_round(r: Round) -> None:
    print(f"  N = {r.n}: {len(r.single_ms)} key presses, p95 {percentile(r.single_ms, 95):.0f} ms; "
          f"{r.frames} frames in {r.moves_s:.0f} s" + (f"; {len(r.errors)} error(s): {r.errors[:3]}" if r.errors else "")
          + (f"; {len(r.kernel_restarts)} kernel(s) restarted" if r.kernel_restarts else ""), flush=True)


def print_table(rounds: list[Round], m: dict, bound_ms: float, browser_ms: float | None = None) -> None:
    print(f"\nWhat a hub needs per learner: lesson 02, each learner moving the explorer at a human pace "
          f"(a drag every ~4 s, arrow keys ~1/s between)\nmeasured on {describe(m)}\n")
    print("latency (ms, simulated: a move's message sent -> its frame received; over all learners' arrow-key moves),\n"
          "CPU per move (ms of CPU per frame drawn) and how busy the cores were during the moves (% of all cores:\n"
          "the machine's, the hub's processes', this benchmark's own, and everything else on the machine)")
    print(f"{'N':>3} {'lesson run s':>12} {'moves':>6} {'p50':>5} {'p95':>5} {'p99':>5} {'worst':>6} {'drag':>6} "
          f"{'kernel':>7} {'server':>7} {'hub+':>6} {'busy %':>7} {'hub':>4} {'bench':>6} {'other':>6}")
    print(f"{'':>3} {'median/max':>12} {'/ s':>6} {'':>5} {'':>5} {'':>5} {'p95':>6} {'p95':>6} "
          f"{'CPU':>7} {'CPU':>7} {'proxy':>6} {'machine':>7} {'%':>4} {'%':>6} {'%':>6}")
    cores = m["cores"]
    for r in rounds:
        frames = max(r.frames, 1)
        hub = 100 * (r.kernel_cpu_s + r.server_cpu_s + r.hub_cpu_s) / (r.moves_s * cores)
        bench = 100 * r.client_cpu_s / (r.moves_s * cores)
        print(f"{r.n:>3} {statistics.median(r.load_s):>5.1f}/{max(r.load_s):<6.1f} {r.frames / r.moves_s:>6.1f} "
              f"{percentile(r.single_ms, 50):>5.0f} {percentile(r.single_ms, 95):>5.0f} "
              f"{percentile(r.single_ms, 99):>5.0f} {r.worst_p95:>6.0f} {percentile(r.drag_ms, 95):>6.0f} "
              f"{1000 * r.kernel_cpu_s / frames:>7.1f} {1000 * r.server_cpu_s / frames:>7.1f} "
              f"{1000 * r.hub_cpu_s / frames:>6.1f} {r.machine_busy:>7.0f} {hub:>4.0f} {bench:>6.0f} "
              f"{max(r.machine_busy - hub - bench, 0):>6.0f}")
    print("  (drag p95: from a drag's last input event to the frame of the value it was released at)")
    print("\nmemory, MiB (per learner: median over learners; PSS counts shared pages once, split among sharers)")
    print(f"{'N':>3} {'kernel RSS':>11} {'kernel RSS':>11} {'kernel PSS':>11} {'server RSS':>11} {'server PSS':>11} "
          f"{'per learner':>12} {'hub RSS':>8} {'proxy RSS':>10} {'all PSS':>8}")
    print(f"{'':>3} {'after lesson':>11} {'after moves':>11} {'after moves':>11} {'':>11} {'':>11} "
          f"{'kernel+server':>12} {'':>8} {'':>10} {'total':>8}")
    for r in rounds:
        print(f"{r.n:>3} {median_mib(r.kernel_loaded, 'rss'):>11.0f} {median_mib(r.kernel_after, 'rss'):>11.0f} "
              f"{median_mib(r.kernel_after, 'pss'):>11.0f} {median_mib(r.server_after, 'rss'):>11.0f} "
              f"{median_mib(r.server_after, 'pss'):>11.0f} {per_learner_mib(r):>12.0f} "
              f"{r.hub_mem.get('rss', 0) / MIB:>8.0f} {r.proxy_mem.get('rss', 0) / MIB:>10.0f} "
              f"{r.total_pss / MIB:>8.0f}")
    for r in rounds:
        if r.errors:
            print(f"N = {r.n}: {len(r.errors)} error(s), first: {r.errors[:3]}")
        if r.kernel_restarts:
            print(f"N = {r.n}: {len(r.kernel_restarts)} learner kernel(s) never answered and were restarted while "
                  f"the lesson opened: {r.kernel_restarts[:3]}")
    print()
    for line in sizing_rule(rounds, m, bound_ms, browser_ms):
        print(line)


def sizing_rule(rounds: list[Round], m: dict, bound_ms: float, browser_ms: float | None = None) -> list[str]:
    """The rule the rounds imply: learners per core at p95 <= bound, learners per GiB. ``browser_ms`` (from
    the calibration) is added to the simulated latencies: what a learner's browser adds to a move."""
    cores = m["cores"]
    extra = max(browser_ms or 0.0, 0.0)
    p95 = {r.n: percentile(r.single_ms, 95) + extra for r in rounds}
    passing = [r for r in rounds if p95[r.n] <= bound_ms and not r.errors]
    largest = max(rounds, key=lambda r: r.n)
    what = (f"simulated p95 + {extra:.0f} ms the browser adds (calibration)" if browser_ms is not None else
            "simulated p95, without what the browser adds (run --calibrate to add it)")
    lines = [f"sizing rule (measured on {describe(m)}); key press -> frame: {what}:"]
    if passing:
        best = max(passing, key=lambda r: r.n)
        failing = [r.n for r in rounds if r.n > best.n]
        lines.append(f"  CPU: {'at least ' if not failing else ''}{best.n / cores:.1f} learners per core: {best.n} "
                     f"learners on {cores} cores keep a key press's p95 at {p95[best.n]:.0f} ms <= {bound_ms:.0f} ms"
                     + (f" ({min(failing)} do not: p95 {p95[min(failing)]:.0f} ms)" if failing else
                        " (the largest N tried; more may fit)"))
    else:
        lines.append(f"  CPU: no N tried kept the p95 <= {bound_ms:.0f} ms: fewer than "
                     f"{min(r.n for r in rounds) / cores:.1f} learners per core")
    demand = (largest.kernel_cpu_s + largest.server_cpu_s + largest.hub_cpu_s) / (largest.n * largest.moves_s)
    lines.append(f"       (at this pace a learner keeps {100 * demand:.1f} % of a core busy: kernel, server and "
                 f"hub's share, at N = {largest.n})")
    per = per_learner_mib(largest)
    fixed = (largest.hub_mem.get("pss", 0) + largest.proxy_mem.get("pss", 0)) / MIB
    lines.append(f"  memory: {1024 / per:.1f} learners per GiB: {per:.0f} MiB a learner (kernel + server, PSS after "
                 f"the lesson and the moves, at N = {largest.n}), plus {fixed:.0f} MiB for the hub and proxy")
    return lines
