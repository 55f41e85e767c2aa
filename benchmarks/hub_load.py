"""What a hub needs per learner: a real JupyterHub on this machine, N simulated learners moving lesson 02's explorer.

    python3 -m venv .hubvenv
    .hubvenv/bin/pip install -r benchmarks/hub_requirements.txt -e .     # the hub's own venv
    npm install -g configurable-http-proxy                                    # the hub's proxy
    flock /tmp/bench.lock .hubvenv/bin/python -m benchmarks.hub_load --learners 1,5,10,20 --seconds 60
    ... --calibrate        # then one real JupyterLab page (needs `pip install playwright` and /usr/bin/chromium)

Starts JupyterHub (its configurable-http-proxy, the ``dummy`` authenticator, the ``simple`` local-process
spawner: no system users, no external services), everything bound to 127.0.0.1, its database, cookie
secret and the learners' home directories in a temporary directory. For each N it creates N users,
starts their servers through the hub's REST API, and runs N simulated learners (benchmarks/hub_learner.py)
at once: each opens notebooks/02-*.ipynb through the proxy as JupyterLab does, runs all its cells in a
kernel over the kernel websocket, then for ``--seconds`` moves the DotProductExplorer at a human pace: a
drag (10 slider input events 30 ms apart) about every 4 s, arrow keys about every second between, from a
random (seeded) start. The learners send exactly the widget messages the browser sends; a move's latency
is from sending it to receiving the frame the kernel sends back for it.

With ``--calibrate`` one real JupyterLab page in headless Chromium then logs in to the hub and makes the
same arrow-key moves as one simulated learner (benchmarks/hub_calibrate.py): what the browser adds to a
move is added to the simulated latencies before the sizing rule's bound is applied. A learner whose new
kernel never answers restarts it, as a person would (many kernels started at once on one machine can be
given the same TCP port: jupyter/jupyter_client#487); the round reports how many were restarted.

Per N it prints, per learner (median over learners): the kernel's memory after the lesson ran and after
the moves, the single-user server's memory, the kernel's and server's CPU per move (a move: a frame the
kernel drew), and over all learners' arrow-key moves the latency p50 / p95 / p99; then the hub's total
memory, and the sizing rule it implies: learners per core (the largest N with p95 <= --p95-ms) and per
GiB (kernel + server per learner), with the machine it was measured on.

It stops by itself; on exit, Ctrl-C or an error it stops the servers, deletes the users, stops the hub
(and so its proxy), kills whatever process of it is left, and removes the temporary directory. Not run in
CI: it takes minutes and all the machine's cores. Run it under ``flock /tmp/bench.lock`` so it does not
overlap other timing benchmarks. Needs Python with benchmarks/hub_requirements.txt installed and conv1x1
importable (``pip install -e .``), and ``configurable-http-proxy`` on PATH.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NEEDED = ("jupyterhub", "jupyter_server", "jupyterlab", "ipykernel", "tornado", "psutil", "nbformat", "conv1x1")
INSTALL = ("install the hub's venv: python3 -m venv .hubvenv && "
           ".hubvenv/bin/pip install -r benchmarks/hub_requirements.txt -e . ; "
           "then run this script with .hubvenv/bin/python")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    problem = missing_prerequisites(args)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    import nbformat

    from benchmarks import hub_report
    from benchmarks.hub_server import Hub

    notebook = args.notebook
    cells = [c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"]
    machine = hub_report.machine()
    print(f"hub load: lesson {notebook.name}, learners {args.learners}, {args.seconds:g} s of moves each; "
          f"{hub_report.describe(machine)}", flush=True)
    rounds, calibration = [], None
    lab_settings = None
    if args.calibrate:
        from benchmarks import hub_calibrate
        lab_settings = hub_calibrate.lab.LAB_SETTINGS
    with Hub(notebook, verbose=args.verbose, lab_settings=lab_settings) as hub:
        print(f"hub at {hub.url} (temporary directory {hub.tmp})", flush=True)
        for n in args.learners:
            result = asyncio.run(hub_report.run_round(hub, n, args.seconds, args.seed, cells))
            rounds.append(result)
            hub_report.print_round(result)
        if args.calibrate:
            calibration = hub_calibrate.calibrate(hub, cells)
    browser_ms = None
    if calibration is not None:
        browser_ms = hub_calibrate.browser_adds(calibration)
    hub_report.print_table(rounds, machine, args.p95_ms, browser_ms)
    if calibration is not None:
        print()
        print("\n".join(hub_calibrate.report(calibration)))
    return 0 if all(not r.errors for r in rounds) else 1


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--learners", default="1,5,10,20", type=learner_counts,
                        help="comma-separated numbers of learners, each run in turn (default 1,5,10,20)")
    parser.add_argument("--seconds", default=60.0, type=float,
                        help="seconds of moves per N, after every learner has run the lesson (default 60)")
    parser.add_argument("--seed", default=1, type=int, help="seed of the learners' random pace (default 1)")
    parser.add_argument("--p95-ms", default=150.0, type=float,
                        help="the sizing rule's latency bound on the p95 of a key press (default 150)")
    parser.add_argument("--notebook", type=Path, default=None,
                        help="the lesson to run (default notebooks/02-*.ipynb)")
    parser.add_argument("--calibrate", action="store_true",
                        help="then time the same moves in one real JupyterLab page through the hub (needs "
                             "playwright and /usr/bin/chromium), against a simulated learner")
    parser.add_argument("--verbose", action="store_true", help="print the hub's log as it runs")
    args = parser.parse_args(argv)
    if not 5 <= args.seconds <= 3600:
        parser.error(f"--seconds must be between 5 and 3600; got {args.seconds:g}")
    if not 1 <= args.p95_ms <= 10000:
        parser.error(f"--p95-ms must be between 1 and 10000; got {args.p95_ms:g}")
    if args.notebook is None:
        found = sorted((ROOT / "notebooks").glob("02-*.ipynb"))
        if not found:
            parser.error("no notebooks/02-*.ipynb: give --notebook")
        args.notebook = found[0]
    args.notebook = args.notebook.resolve()
    if not args.notebook.is_file() or args.notebook.suffix != ".ipynb":
        parser.error(f"--notebook must be an .ipynb file; got {args.notebook}")
    return args


def learner_counts(text: str) -> list[int]:
    """``"1,5,10,20"`` -> [1, 5, 10, 20]: positive, at most 100, increasing."""
    try:
        counts = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be comma-separated whole numbers like 1,5,10,20; got {text!r}")
    if not counts or any(not 1 <= n <= 100 for n in counts):
        raise argparse.ArgumentTypeError(f"each number of learners must be 1..100; got {text!r}")
    if counts != sorted(set(counts)):
        raise argparse.ArgumentTypeError(f"numbers of learners must increase, without repeats; got {text!r}")
    return counts


def missing_prerequisites(args: argparse.Namespace) -> str | None:
    """Why this Python cannot run the benchmark, or None."""
    missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    if missing:
        return f"{sys.executable} lacks {', '.join(missing)}: {INSTALL}"
    bindir = Path(sys.executable).parent
    if not (bindir / "jupyterhub-singleuser").exists():
        return f"no jupyterhub-singleuser next to {sys.executable}: {INSTALL}"
    if args.calibrate and importlib.util.find_spec("playwright") is None:
        return f"--calibrate needs playwright (pip install playwright; never `playwright install`): {INSTALL}"
    if shutil.which("configurable-http-proxy") is None:
        return "configurable-http-proxy is not on PATH: npm install -g configurable-http-proxy"
    return None


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:                 # Ctrl-C or SIGTERM: the hub and its processes are already gone
        print("\ninterrupted: the hub, its servers and kernels are stopped, its users and files removed",
              file=sys.stderr)
        sys.exit(130)
