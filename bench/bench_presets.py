"""Time to reach 91%, 92% and 93% validation accuracy with each preset, on the full data.

Each preset trains to its end through `python -m core.train --preset NAME`
(the app's own training path); the table gives the seconds of training
(epoch times summed) until validation accuracy first reaches each target,
and the final validation and test accuracy of the best checkpoint.

    python bench/bench_presets.py [--presets lesson quick best] [--targets 0.91 0.92 0.93]
        [--keep DIR] [--save docs/bench_presets.json]

`--keep` keeps each run folder (`DIR/<preset>`); `--save` writes every
preset's result and epoch history as JSON, which `scripts/plot_frontier.py`
draws as the time-accuracy plot of docs/presets.md. Run it alone on the machine:
times are wall-clock seconds. The saved results leave out where the run
folders were (`run_dir`): a path of one machine.
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
    run = run_store.Run(folder / name)
    if run.has_result():  # kept from an earlier bench run: reuse it
        result = dict(run.result())
        result["history"] = run.history()
        return result
    done = subprocess.run(
        [sys.executable, "-m", "core.train", "--preset", name, "--json", "--out", str(run.path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    del result["run_dir"]
    result["history"] = run.history()
    return result


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", nargs="+", default=["lesson", "quick", "best"])
    parser.add_argument("--targets", nargs="+", type=float, default=[0.91, 0.92, 0.93])
    parser.add_argument("--keep", help="keep the run folders here (a preset already there is reused)")
    parser.add_argument("--save", help="write results and histories to this JSON file")
    args = parser.parse_args(argv)
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for name in args.presets:
            rows[name] = train_preset(name, folder)
    heads = "".join(f"{'to ' + format(t, '.0%') + ' val':>16}" for t in args.targets)
    print(f"{'preset':<8}{heads}{'epochs run':>12}{'val acc':>9}{'test acc':>10}{'total s':>9}")
    for name, r in rows.items():
        cells = ""
        for target in args.targets:
            seconds, epoch = time_to(r["history"], target)
            cells += f"{f'{seconds:.0f} s (ep {epoch})' if seconds else 'not reached':>16}"
        print(
            f"{name:<8}{cells}{r['epochs_run']:>12}{r['val_accuracy']:>9.2%}{r['test_accuracy']:>10.2%}"
            f"{r['seconds']:>9.0f}"
        )
        r["time_to"] = {f"{t:.2f}": time_to(r["history"], t)[0] for t in args.targets}
    if args.save:
        Path(args.save).parent.mkdir(parents=True, exist_ok=True)
        Path(args.save).write_text(json.dumps(rows, indent=1) + "\n")
    return {name: {k: v for k, v in r.items() if k != "history"} for name, r in rows.items()}


if __name__ == "__main__":
    main()
