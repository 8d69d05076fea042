"""Where batch normalisation goes, and what it costs: the Best preset's network with BN after the pooling (the app's
default), with BN before the pooling (on the full-size map, as the app first had it: `batch_norm_at="before_pool"`),
and with no BN (the baseline, measured in the same run).

Keras 3 normalises with separate TensorFlow ops (moments, then the affine
transform, each a pass over the whole map; no fused kernel), so the cost
grows with the map it meets: 28x28x32 numbers per image before the first
pooling, a quarter of that after it. The variants alternate, round by round,
in one process (the same thread pools); each epoch trains `--subset` images
through the Best preset's augmented batches and fast-math compile, and the
best epoch after the first (which traces the graph) counts. A busy host slows
every variant of a round alike; the ratios against no BN are what to read.

    python bench/bench_batch_norm.py [--subset 12000] [--epochs 4] [--rounds 2]

Run it alone: other heavy work on the machine skews the times.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")  # as a fast-math training worker (core.lesson.numerics)

from bench.bench_training import _epoch_timer  # noqa: E402
from core.lesson.presets import PRESETS  # noqa: E402

VARIANTS = ("no batch norm", "after pooling (the app)", "before pooling")


def variant_config(variant: str):
    """The Best preset's settings for one variant (`batch_norm_at` names the placement)."""
    cfg = PRESETS["best"]
    if variant == "no batch norm":
        return cfg.with_values(batch_norm=False)
    return cfg.with_values(batch_norm_at="before_pool" if variant == "before pooling" else "after_pool")


def epoch_seconds(variant: str, x, y, splits, epochs: int) -> float:
    from core.lesson import numerics
    from core.lesson.augment import training_dataset
    from core.lesson.model import build_model, compile_model

    cfg = variant_config(variant)
    with numerics.fast_path(cfg) as path:
        model = build_model(cfg.model)
        compile_model(model, cfg.train, steps_per_execution=path["steps_per_execution"])
    timer = _epoch_timer()
    batches = training_dataset(x, y, cfg.train.batch_size, cfg.train.augmentation, cfg.train.seed)
    model.fit(
        batches,
        epochs=epochs,
        validation_data=(splits.x_val, splits.y_val),
        validation_batch_size=path["validation_batch_size"],
        callbacks=[timer],
        verbose=0,
    )
    return min(timer.seconds[1:] or timer.seconds)  # one epoch only: that epoch, tracing included


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subset", type=int, default=12_000, help="training images per epoch")
    parser.add_argument("--epochs", type=int, default=4, help="epochs per measurement; the best after the first counts")
    parser.add_argument("--rounds", type=int, default=2, help="times each variant is measured, alternating")
    args = parser.parse_args(argv)

    from core.lesson import data

    splits = data.split(data.load_raw(), 0.2, 42)
    x, y = data.subset(splits.x_train, splits.y_train, args.subset, 42)
    best = {variant: float("inf") for variant in VARIANTS}
    for _ in range(args.rounds):
        for variant in VARIANTS:
            best[variant] = min(best[variant], epoch_seconds(variant, x, y, splits, args.epochs))
    baseline = best["no batch norm"]
    print(f"Best preset's network, {args.subset:,} images per epoch, best epoch of {args.rounds} rounds:")
    for variant, seconds in best.items():
        print(f"  {variant:26s} {seconds:6.2f} s  ({seconds / baseline:.2f} x no batch norm)")
    return best


if __name__ == "__main__":
    main()
