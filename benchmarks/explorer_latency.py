"""Latency of every explorer in the course: slider move -> new figure image ready.

    python benchmarks/explorer_latency.py [--repeat N]

Each explorer is driven in-process through a fixed sequence of control
values, as a learner's slider would send them. For every move we time from
setting the control's value to the new PNG being in the explorer's Image
widget (artists updated, figure drawn, frame encoded as the browser receives
it). Side by side, in the same run, we time rebuilding the same figure from
scratch (a new explorer in the same state, drawn and encoded). One line per
explorer:

    <explorer>: median N ms (rebuild M ms, R x faster)

Target: median <= 30 ms on a 2-core machine and >= 3x faster than rebuilding.
Nothing here is asserted: these machines are shared and noisy, so read the
medians and the ratios, which are measured in one run.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from typing import Any, Callable

import matplotlib

matplotlib.use("Agg")

from conv1x1 import explore  # noqa: E402

Move = tuple[str, Any]


def _sweep(name: str, values) -> list[Move]:
    return [(name, v) for v in values]


Factory = Callable[[dict | None], explore.Explorer]   # state (control values) or None -> explorer


def lesson01() -> tuple[Factory, list[Move]]:
    def make(s: dict | None = None) -> explore.Explorer:
        if s is None:
            return explore.WeightExplorer()
        return explore.WeightExplorer(weight=s["weight"], relu=s["relu"], pixel=(s["i"], s["j"]))

    moves = (_sweep("weight", [-3 + 0.5 * k for k in range(13)]) + [("relu", True)]
             + _sweep("weight", [3 - 0.5 * k for k in range(13)]) + [("relu", False)]
             + _sweep("i", [0, 1, 2, 3, 4, 5]) + _sweep("j", [0, 1, 2, 3, 4, 5]))
    return make, moves


def lesson02() -> tuple[Factory, list[Move]]:
    def make(s: dict | None = None) -> explore.Explorer:
        if s is None:
            return explore.DotProductExplorer()
        return explore.DotProductExplorer(pixel=(s["i"], s["j"]), filter=s["filter"], relu=s["relu"])

    moves = []
    for f in range(4):
        moves.append(("filter", f))
        for k in range(6):
            moves += [("i", (k + f) % 6), ("j", (2 * k + f) % 6)]
        moves.append(("relu", f % 2 == 0))
    return make, moves


#: name -> setup returning (factory, moves). Every explorer of the course is listed here.
EXPLORERS: dict[str, Callable[[], tuple[Factory, list[Move]]]] = {
    "01 WeightExplorer": lesson01,
    "02 DotProductExplorer": lesson02,
}


def measure(make: Factory, moves: list[Move], repeat: int) -> tuple[float, float]:
    """Median ms per move, and median ms to build the same figure from scratch."""
    explorer = make(None)
    times = []
    for _ in range(repeat):
        for name, value in moves:
            control = explorer.controls[name]
            if control.value == value:
                continue
            before = explorer.image.value
            start = time.perf_counter()
            control.value = value
            times.append(time.perf_counter() - start)
            if explorer.last_error is not None:
                raise RuntimeError(f"{type(explorer).__name__}: {explorer.last_error!r}")
            if explorer.image.value is before:
                raise RuntimeError(f"{type(explorer).__name__}: moving {name} did not produce a new frame")
    rebuilds = []
    state = explorer.state()
    for _ in range(5):
        start = time.perf_counter()
        fresh = make(state)                 # built, drawn in full and encoded, in that state
        rebuilds.append(time.perf_counter() - start)
        assert fresh.state() == state, (fresh.state(), state)
        del fresh
        gc.collect()
    return 1000 * statistics.median(times), 1000 * statistics.median(rebuilds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Explorer latency: slider move to new figure image.")
    parser.add_argument("--repeat", type=int, default=2, help="passes over each explorer's move sequence")
    parser.add_argument("--only", default="", help="run only explorers whose name contains this")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, matplotlib {matplotlib.__version__}, median of each move sequence")
    for name, setup in EXPLORERS.items():
        if args.only and args.only not in name:
            continue
        make, moves = setup()
        median, rebuild = measure(make, moves, args.repeat)
        print(f"{name}: median {median:.1f} ms (rebuild {rebuild:.1f} ms, {rebuild / median:.1f} x faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
