"""Latency of every explorer in the course: slider move -> the new frame's patches ready to send.

    python -m benchmarks.explorer_latency [--repeat N] [--layout slides]
    python -m benchmarks.explorer_latency --against REF     # before (git REF) and after, side by side

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
With ``--against REF`` (a git commit, branch or tag) the package as it was at REF and the package of
this working tree are measured side by side in one run, explorer by explorer and alternately (REF, this
tree, REF, this tree, ...; each in a fresh process, both with this tree's benchmark code), so that the
machine's load falls on both alike. It prints one table: the median move (every pass; and the first pass
alone, when every label and tile is new to the caches), the rebuild, the ratio after / before, and KiB a
move.
Nothing here is asserted: these machines are shared and noisy, so read the
medians and the ratios, which are measured in one run.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from conv1x1.explore.registry import EXPLORERS, Move  # noqa: E402

def measure(make, moves: list[Move], repeat: int, layout: str = "notebook") -> tuple[float, float, float, float, float]:
    """Median ms per move, median ms to build the same figure from scratch (in ``layout``: built, then
    arranged), median KiB sent per move, the median ms to switch to ``layout`` (0 for the notebook's), and
    the median ms per move of the first pass alone (cold caches)."""
    explorer = make(None)
    switches = []
    if layout != "notebook":                  # round trips: to the layout and back, the median of five
        for _ in range(5):
            start = time.perf_counter()
            explorer.arrange(layout)
            switches.append(time.perf_counter() - start)
            explorer.arrange("notebook")
    explorer.arrange(layout)
    times, sizes, first = [], [], 0
    for k in range(repeat):
        if k == 1:
            first = len(times)
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
    cold = times[:first] if first else times
    return (1000 * statistics.median(times), 1000 * statistics.median(rebuilds), statistics.median(sizes) / 1024,
            1000 * statistics.median(switches) if switches else 0.0, 1000 * statistics.median(cold))


def export_tree(ref: str, into: Path) -> Path:
    """The repository's files at ``ref`` (``git archive``), with this tree's benchmarks/ in place of its own,
    so that both sides are measured by the same code."""
    root = Path(__file__).resolve().parents[1]
    archive = into / "ref.tar"
    subprocess.run(["git", "-C", str(root), "archive", "--format=tar", "-o", str(archive), ref], check=True)
    tree = into / "ref"
    with tarfile.open(archive) as tar:
        if hasattr(tarfile, "data_filter"):           # Python 3.12, and 3.8.17+/3.11.4+
            tar.extractall(tree, filter="data")
        else:                                          # our own repository's archive: trusted
            tar.extractall(tree)
    for path in (root / "benchmarks").glob("*.py"):
        (tree / "benchmarks" / path.name).write_bytes(path.read_bytes())
    return tree


def run_one(tree: Path, name: str, repeat: int, layout: str) -> dict:
    """One explorer measured in a fresh process, with the package of ``tree``."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-m", "benchmarks.explorer_latency", "--json", "--exact", name,
                          "--repeat", str(repeat), "--layout", layout], cwd=tree, env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def compare(ref: str, names: list[str], repeat: int, layout: str, rounds: int) -> None:
    """Before (``ref``) and after (this tree), alternately, ``rounds`` times each: one table."""
    here = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        before_tree = export_tree(ref, Path(tmp))
        print(f"before: {ref} ({subprocess.run(['git', '-C', str(here), 'rev-parse', '--short', ref], capture_output=True, text=True).stdout.strip()}); "
              f"after: this tree; {rounds} alternate runs each, medians; {layout} layout")
        print(f"{'explorer':<22} {'move ms before':>14} {'after':>7} {'ratio':>6} {'first pass before':>18} {'after':>7} "
              f"{'ratio':>6} {'rebuild/move after':>19} {'KiB before':>10} {'after':>6}")
        for name in names:
            runs: dict[str, list[dict]] = {"before": [], "after": []}
            for _ in range(rounds):
                runs["before"].append(run_one(before_tree, name, repeat, layout))
                runs["after"].append(run_one(here, name, repeat, layout))
            med = {side: {key: statistics.median(r[key] for r in rs) for key in rs[0]} for side, rs in runs.items()}
            b, a = med["before"], med["after"]
            print(f"{name:<22} {b['median']:>14.1f} {a['median']:>7.1f} {a['median'] / b['median']:>6.2f} "
                  f"{b['first']:>18.1f} {a['first']:>7.1f} {a['first'] / b['first']:>6.2f} "
                  f"{a['rebuild'] / a['median']:>18.1f}x {b['kib']:>10.1f} {a['kib']:>6.1f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Explorer latency: slider move to new figure image.")
    parser.add_argument("--repeat", type=int, default=2, help="passes over each explorer's move sequence")
    parser.add_argument("--only", default="", help="run only explorers whose name contains this")
    parser.add_argument("--layout", default="notebook", choices=("notebook", "slides"),
                        help="the figures' layout: the notebook's, or a slide's (as presented with deck)")
    parser.add_argument("--exact", default="", help="run only the explorer of this name")
    parser.add_argument("--json", action="store_true", help="print one JSON line per explorer (for --against)")
    parser.add_argument("--against", default="", metavar="REF",
                        help="measure the package at git REF and this tree's side by side (see the docstring)")
    parser.add_argument("--rounds", type=int, default=3, help="with --against: runs of each side, alternately")
    args = parser.parse_args(argv)
    names = [name for name in EXPLORERS if (not args.only or args.only in name) and args.exact in ("", name)]
    if args.against:
        compare(args.against, names, args.repeat, args.layout, args.rounds)
        return 0
    if args.json:
        for name in names:
            median, rebuild, kib, switch, cold = measure(EXPLORERS[name].make, EXPLORERS[name].moves, args.repeat,
                                                         args.layout)
            print(json.dumps({"name": name, "median": median, "first": cold, "rebuild": rebuild, "kib": kib,
                              "switch": switch}))
        return 0
    print(f"python {sys.version.split()[0]}, matplotlib {matplotlib.__version__}, median of each move sequence, "
          f"{args.layout} layout")
    for name in names:
        spec = EXPLORERS[name]
        median, rebuild, kib, switch, _ = measure(spec.make, spec.moves, args.repeat, args.layout)
        print(f"{name}: median {median:.1f} ms (rebuild {rebuild:.1f} ms, {rebuild / median:.1f} x faster), "
              f"{kib:.0f} KiB a move" + (f"; switching to it {switch:.0f} ms" if args.layout != "notebook" else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
