"""Epoch time against what the machine can compute: measured matmul rate x the epoch's floating-point work.

The work of one epoch of the lesson's model is counted from its layers
(`core.lesson.model.forward_flops`): three passes per training image (forward and
two backward) and one per validation image. The machine's rate is the best
of several float32 matrix multiplications in TensorFlow on all cores. The
ratio says how close training gets to the machine's peak (1.0 = peak).

    python bench/bench_flops.py [--subset N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from bench.bench_training import plain_fit  # noqa: E402
from core.lesson import data  # noqa: E402
from core.lesson.config import RunConfig, TrainConfig  # noqa: E402
from core.lesson.model import forward_flops  # noqa: E402


def matmul_rate(side: int = 2048, repeats: int = 10) -> float:
    """Best float32 matmul rate in FLOP/s (2 * side^3 per product)."""
    import tensorflow as tf

    a = tf.random.normal((side, side))
    b = tf.random.normal((side, side))
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
    args = parser.parse_args(argv)
    cfg = RunConfig(train=TrainConfig(epochs=1, train_size=args.subset))
    splits = data.split(data.load_raw(download=False))
    x, y = data.subset(splits.x_train, splits.y_train, cfg.train.train_size, cfg.train.seed)
    rate = matmul_rate()
    work = forward_flops(cfg.model) * (3 * len(x) + len(splits.x_val))
    with tempfile.TemporaryDirectory() as tmp:
        plain_fit(cfg, splits, x[:2000], y[:2000], Path(tmp))  # warm-up
        seconds = min(plain_fit(cfg, splits, x, y, Path(tmp)) for _ in range(2))
    ideal = work / rate
    print(
        f"matmul rate: {rate / 1e9:.1f} GFLOP/s; epoch work: {work / 1e12:.3f} TFLOP "
        f"({len(x):,} training + {len(splits.x_val):,} validation images)"
    )
    print(
        f"epoch: {seconds:.2f} s measured vs {ideal:.2f} s at the matmul rate -> {ideal / seconds:.2f} of peak "
        f"({work / seconds / 1e9:.1f} GFLOP/s achieved)"
    )
    return {"gflops": rate / 1e9, "epoch_seconds": seconds, "ideal_seconds": ideal, "fraction_of_peak": ideal / seconds}


if __name__ == "__main__":
    main()
