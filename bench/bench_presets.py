"""Time to reach 91% validation accuracy with the "Lesson" and "Best" presets, on the full data.

Each preset trains to its end through `python -m core.train --preset NAME`
(the app's own training path); the table gives the seconds of training
(epoch times summed) until validation accuracy first reaches the target,
and the final validation and test accuracy of the best checkpoint.

    python bench/bench_presets.py [--presets lesson best] [--target 0.91]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.services import run_store  # noqa: E402


def time_to(history: list[dict], target: float) -> tuple[float | None, int | None]:
    """Seconds of training and the epoch at which `val_accuracy` first reaches `target`."""
    elapsed = 0.0
    for row in history:
        elapsed += row["seconds"]
        if row.get("val_accuracy", 0) >= target:
            return elapsed, row["epoch"]
    return None, None


def train_preset(name: str, folder: Path) -> dict:
    out = folder / name
    done = subprocess.run(
        [sys.executable, "-m", "core.train", "--preset", name, "--json", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["history"] = run_store.Run(out).history()
    return result


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", nargs="+", default=["lesson", "best"])
    parser.add_argument("--target", type=float, default=0.91)
    args = parser.parse_args(argv)
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.presets:
            rows[name] = train_preset(name, Path(tmp))
    print(
        f"{'preset':<8}{'to ' + format(args.target, '.0%') + ' val':>14}{'epochs run':>12}"
        f"{'val acc':>9}{'test acc':>10}{'total s':>9}"
    )
    for name, r in rows.items():
        seconds, epoch = time_to(r["history"], args.target)
        reached = f"{seconds:.0f} s (ep {epoch})" if seconds else "not reached"
        print(
            f"{name:<8}{reached:>14}{r['epochs_run']:>12}{r['val_accuracy']:>9.2%}{r['test_accuracy']:>10.2%}{r['seconds']:>9.0f}"
        )
    return {name: {k: v for k, v in r.items() if k != "history"} for name, r in rows.items()}


if __name__ == "__main__":
    main()
