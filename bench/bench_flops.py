"""Epoch time against what the machine can compute: measured matmul rate x the epoch's floating-point work.

The work of one epoch of the lesson's model is counted from its layers
(`core.lesson.model.forward_flops`): three passes per training image (forward and
two backward) and one per validation image. The machine's rate is the best
of several float32 matrix multiplications in TensorFlow on all cores. The
fraction says how close training gets to that rate (1.0 = the matmul rate),
for both paths: the lesson's plain `fit` (float32) and the app's fast-math
path (`core.lesson.numerics`; with bfloat16, its own bfloat16 matmul rate is
printed too). Each epoch is timed in a fresh process (`bench_training.measure`).

    python bench/bench_flops.py [--subset N] [--epochs 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from bench.bench_training import describe, measure  # noqa: E402
from core.lesson.config import RunConfig  # noqa: E402
from core.lesson.model import forward_flops  # noqa: E402


def matmul_rate(side: int = 2048, repeats: int = 10, dtype: str = "float32") -> float:
    """Best matmul rate in FLOP/s (2 * side^3 per product)."""
    import tensorflow as tf

    a = tf.cast(tf.random.normal((side, side)), dtype)
    b = tf.cast(tf.random.normal((side, side)), dtype)
    tf.linalg.matmul(a, b).numpy()  # warm-up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        tf.linalg.matmul(a, b).numpy()
        best = min(best, time.perf_counter() - start)
    return 2 * side**3 / best


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subset", type=int, help="train on this many images (default: all 48,000)")
    parser.add_argument("--epochs", type=int, default=2, help="epochs per measurement; the last is timed")
    args = parser.parse_args(argv)
    args.repeats = 2
    cfg = RunConfig().with_values(train_size=args.subset)
    images, val_images = cfg.train.effective_train_size(), round(60_000 * cfg.train.val_fraction)
    work = forward_flops(cfg.model) * (3 * images + val_images)
    plain = min(measure("plain", "lesson", args)["seconds"][-1] for _ in range(args.repeats))
    fast_runs = [measure("fast", "lesson", args) for _ in range(args.repeats)]
    fast = min(run["seconds"][-1] for run in fast_runs)
    path = fast_runs[-1]["numerics"]
    rate = matmul_rate()
    print(
        f"matmul rate: {rate / 1e9:.1f} GFLOP/s float32; epoch work: {work / 1e12:.3f} TFLOP "
        f"({images:,} training + {val_images:,} validation images)"
    )
    ideal = work / rate
    out = {"gflops": rate / 1e9, "ideal_seconds": ideal}
    for name, seconds in (("plain fit (float32)", plain), (f"fast math ({describe(path)})", fast)):
        print(
            f"{name}: epoch {seconds:.2f} s vs {ideal:.2f} s at the matmul rate -> {ideal / seconds:.2f} of the "
            f"matmul rate ({work / seconds / 1e9:.1f} GFLOP/s achieved)"
        )
    if path and path["precision"] == "mixed_bfloat16":
        bf16 = matmul_rate(dtype="bfloat16")
        print(f"bfloat16 matmul rate: {bf16 / 1e9:.1f} GFLOP/s -> fast math reaches {work / fast / bf16:.2f} of it")
        out["bf16_gflops"] = bf16 / 1e9
    out.update({"plain_seconds": plain, "fast_seconds": fast, "plain_fraction": ideal / plain})
    out["fast_fraction"] = ideal / fast
    return out


if __name__ == "__main__":
    main()
