"""Speed of conv1x1 against the bare matrix product, einsum, loops and PyTorch.

    python -m benchmarks.conv_speed [--repeat N]

For each float32 shape H×W×C -> F, every method is timed in turns (round
robin in a shuffled order, so machine noise hits them alike) and the median is printed with its
ratio to the bare ``x.reshape(-1, C) @ w`` measured in the same run:

* conv1x1      the package function (checks its input, then one matmul)
* matmul       x.reshape(-1, C) @ w, nothing else: the reference
* einsum       np.einsum("hwc,cf->hwf", x, w), without optimize
* loops        conv1x1_loops (small shapes only: it is pure Python)
* torch        torch.nn.functional.conv2d with a 1×1 kernel (NCHW), if installed

Target: conv1x1 within 1.10x of matmul on the large shapes, and no slower
than PyTorch.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from typing import Callable

# PyTorch's OpenMP threads spin for a while after each call; on 2 cores that
# steals the CPU from OpenBLAS in whatever is timed next (we saw conv1x1 and the
# bare matmul, the same product, differ 80x depending on which followed torch).
# Idle threads sleep instead, and the order is shuffled every round.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402

from conv1x1 import conv1x1, conv1x1_loops  # noqa: E402

SHAPES = [(6, 6, 32, 8), (28, 28, 192, 32), (56, 56, 256, 64), (112, 112, 128, 64)]


def methods(h: int, w: int, c: int, f: int) -> dict[str, Callable[[], object]]:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((h, w, c), dtype=np.float32)
    wt = rng.standard_normal((c, f), dtype=np.float32)
    out: dict[str, Callable[[], object]] = {
        "conv1x1": lambda: conv1x1(x, wt),
        "matmul": lambda: x.reshape(-1, c) @ wt,
        "einsum": lambda: np.einsum("hwc,cf->hwf", x, wt),
    }
    if h * w * c * f <= 6 * 6 * 32 * 8:
        out["loops"] = lambda: conv1x1_loops(x, wt)
    try:
        import torch
    except ImportError:
        return out
    xt = torch.from_numpy(np.ascontiguousarray(np.moveaxis(x, -1, 0)))[None]      # (1, C, H, W)
    wt_t = torch.from_numpy(np.ascontiguousarray(wt.T))[:, :, None, None]          # (F, C, 1, 1)

    def torch_conv():
        with torch.no_grad():
            return torch.nn.functional.conv2d(xt, wt_t)

    out["torch"] = torch_conv
    return out


def bench(fns: dict[str, Callable[[], object]], repeat: int, budget: float) -> dict[str, float]:
    """Median seconds per call, methods timed in turns; each round has ~budget seconds."""
    for fn in fns.values():
        fn()                                      # warm up (BLAS threads, caches, torch init)
    numbers = {}
    for name, fn in fns.items():                  # calls per sample so one sample is >= ~2 ms
        start = time.perf_counter()
        fn()
        numbers[name] = max(1, int(0.002 / max(time.perf_counter() - start, 1e-7)))
    samples: dict[str, list[float]] = {name: [] for name in fns}
    deadline = time.perf_counter() + budget
    rounds = 0
    order = list(fns)
    shuffle = random.Random(0).shuffle
    while rounds < repeat or (time.perf_counter() < deadline and rounds < 10 * repeat):
        shuffle(order)
        for name in order:
            fn = fns[name]
            n = numbers[name]
            start = time.perf_counter()
            for _ in range(n):
                fn()
            samples[name].append((time.perf_counter() - start) / n)
        rounds += 1
    return {name: statistics.median(s) for name, s in samples.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="conv1x1 speed against matmul, einsum, loops, torch")
    parser.add_argument("--repeat", type=int, default=15, help="minimum rounds per shape")
    parser.add_argument("--budget", type=float, default=3.0, help="seconds per shape (more rounds if time allows)")
    args = parser.parse_args(argv)
    try:
        import torch

        torch_version = torch.__version__
    except ImportError:
        torch_version = "not installed"
    print(f"numpy {np.__version__}, torch {torch_version}; float32; median time, ratio to bare matmul")
    header = f"{'shape':<22}" + "".join(f"{m:>22}" for m in ("conv1x1", "matmul", "einsum", "loops", "torch"))
    print(header)
    for shape in SHAPES:
        h, w, c, f = shape
        medians = bench(methods(*shape), args.repeat, args.budget)
        base = medians["matmul"]
        cells = []
        for m in ("conv1x1", "matmul", "einsum", "loops", "torch"):
            if m in medians:
                t = medians[m]
                cells.append(f"{t * 1e3:9.3f} ms {t / base:6.2f}x")
            else:
                cells.append("-")
        print(f"{f'{h}x{w}x{c} -> {f}':<22}" + "".join(f"{cell:>22}" for cell in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
