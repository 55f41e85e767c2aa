"""Latency of every explorer in the course: slider move -> the new frame's patches ready to send.

    python -m benchmarks.explorer_latency [--repeat N] [--layout slides]

Each explorer is driven in-process through a fixed sequence of control
values, as a learner's slider would send them. For every move we time from
setting the control's value to the frame's changed rectangles being encoded
in the explorer's FigureView (artists updated, figure drawn, patches packed as
the browser receives them, to paint on its canvas). Side by side, in the same
run, we time rebuilding the same figure from scratch (a new explorer in the
same state, drawn and encoded). One line per
explorer:

    <explorer>: median N ms (rebuild M ms, R x faster), K KiB a move

The explorers and their moves come from the package's registry, ``conv1x1.explore.registry.EXPLORERS``.
Target: median <= 16 ms (one 60 Hz frame) on a quiet machine and >= 10x faster than rebuilding
(what an ``ipywidgets.interact`` explorer does on every move). K is the PNG and alt text a move
sends to the browser: the changed parts of the figure (PNG, JPEG inside photos) and its words.
With ``--layout slides`` every explorer is first laid out as on a slide (``Explorer.arrange``, what
jupyterlab-deck's talk shows), its rebuild too, and the line adds what switching the layout costs.
Nothing here is asserted: these machines are shared and noisy, so read the
medians and the ratios, which are measured in one run.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time

import matplotlib

matplotlib.use("Agg")

from conv1x1.explore.registry import EXPLORERS, Move  # noqa: E402

def measure(make, moves: list[Move], repeat: int, layout: str = "notebook") -> tuple[float, float, float, float]:
    """Median ms per move, median ms to build the same figure from scratch (in ``layout``: built, then
    arranged), median KiB sent per move, and the median ms to switch to ``layout`` (0 for the notebook's)."""
    explorer = make(None)
    switches = []
    if layout != "notebook":                  # round trips: to the layout and back, the median of five
        for _ in range(5):
            start = time.perf_counter()
            explorer.arrange(layout)
            switches.append(time.perf_counter() - start)
            explorer.arrange("notebook")
    explorer.arrange(layout)
    times, sizes = [], []
    for _ in range(repeat):
        for name, value in moves:
            control = explorer.controls[name]
            if control.value == value:
                continue
            before = explorer.image.frame
            start = time.perf_counter()
            control.value = value
            times.append(time.perf_counter() - start)
            sizes.append(explorer.image.bytes_sent + explorer.image.words_sent)
            if explorer.last_error is not None:
                raise RuntimeError(f"{type(explorer).__name__}: {explorer.last_error!r}")
            if explorer.image.frame == before:
                raise RuntimeError(f"{type(explorer).__name__}: moving {name} did not produce a new frame")
    rebuilds = []
    state = explorer.state()
    for _ in range(5):
        start = time.perf_counter()
        fresh = make(state)                 # built, drawn in full and encoded, in that state
        fresh.arrange(layout)
        rebuilds.append(time.perf_counter() - start)
        assert fresh.state() == state, (fresh.state(), state)
        del fresh
        gc.collect()
    return (1000 * statistics.median(times), 1000 * statistics.median(rebuilds), statistics.median(sizes) / 1024,
            1000 * statistics.median(switches) if switches else 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Explorer latency: slider move to new figure image.")
    parser.add_argument("--repeat", type=int, default=2, help="passes over each explorer's move sequence")
    parser.add_argument("--only", default="", help="run only explorers whose name contains this")
    parser.add_argument("--layout", default="notebook", choices=("notebook", "slides"),
                        help="the figures' layout: the notebook's, or a slide's (as presented with deck)")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, matplotlib {matplotlib.__version__}, median of each move sequence, "
          f"{args.layout} layout")
    for name, spec in EXPLORERS.items():
        if args.only and args.only not in name:
            continue
        median, rebuild, kib, switch = measure(spec.make, spec.moves, args.repeat, args.layout)
        print(f"{name}: median {median:.1f} ms (rebuild {rebuild:.1f} ms, {rebuild / median:.1f} x faster), "
              f"{kib:.0f} KiB a move" + (f"; switching to it {switch:.0f} ms" if args.layout != "notebook" else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
