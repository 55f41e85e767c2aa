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


def lesson04() -> tuple[Factory, list[Move]]:
    def make(s: dict | None = None) -> explore.Explorer:
        if s is None:
            return explore.CostExplorer()
        return explore.CostExplorer(**s)       # the controls are named like the constructor's arguments

    moves = (_sweep("height", [32, 40, 56, 64, 14, 7, 1, 28]) + _sweep("width", [32, 56, 64, 14, 1, 28])
             + _sweep("in_channels", [256, 512, 64, 3, 1, 192]) + _sweep("out_channels", [64, 512, 128, 1, 32])
             + _sweep("kernel_size", [7, 3, 1, 5]) + _sweep("bottleneck", [32, 64, 256, 128, 1, 8, 16]))
    return make, moves


def lesson07() -> tuple[Factory, list[Move]]:
    names = explore.ColourMixExplorer.WEIGHT_NAMES        # names[c][f], e.g. "w[R→G]"

    def make(s: dict | None = None) -> explore.Explorer:
        if s is None:
            return explore.ColourMixExplorer()             # the full-size 600×512 photo
        w = [[s[names[c][f]] for f in range(3)] for c in range(3)]
        return explore.ColourMixExplorer(w=w, pixel=(s["i"], s["j"]), filter=s["filter"])

    moves = (_sweep(names[0][0], [0.1 * k for k in range(-10, 11)])          # one weight, end to end
             + _sweep(names[2][1], [0.5, -0.5, 0.25, 0.0, 0.75])
             + _sweep("preset", ["identity", "grey", "swap red and blue", "sepia", "RGB to YIQ", "identity"])
             + _sweep("i", [0, 120, 240, 360, 480, 597, 339]) + _sweep("j", [0, 129, 255, 384, 510, 90])
             + _sweep("filter", [1, 2, 0]) + _sweep("preset", ["sepia", "grey"]))
    return make, moves


#: name -> setup returning (factory, moves). Every explorer of the course is listed here.
EXPLORERS: dict[str, Callable[[], tuple[Factory, list[Move]]]] = {
    "01 WeightExplorer": lesson01,
    "02 DotProductExplorer": lesson02,
    "04 CostExplorer": lesson04,
    "07 ColourMixExplorer": lesson07,
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
