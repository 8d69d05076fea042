"""The time-accuracy plot of docs/presets.md: each preset's accuracy against minutes of training.

Reads what `bench/bench_presets.py --save docs/bench_presets.json` measured
(each preset's epoch history and its final test accuracy) and draws, per
preset, validation accuracy after each epoch against the minutes of training
so far (a line) and the best checkpoint's test accuracy at the run's end
(a large marker). The dashed lines mark the lesson's 91% and the 93% goal,
the dotted line the 5-minute budget.

    python scripts/plot_frontier.py [--bench docs/bench_presets.json] [--out docs/frontier.png]
    python scripts/plot_frontier.py --runs lesson=assets/default_run best=assets/best_run

`--runs NAME=FOLDER` reads run folders instead (a run still training shows
its validation curve so far, without a test marker).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import matplotlib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from core.services.run_store import Run  # noqa: E402

COLOURS = {"lesson": "#0072B2", "quick": "#009E73", "best": "#D55E00"}
MARKERS = {"lesson": "o", "quick": "s", "best": "D"}


def plot(rows: dict, out: Path) -> Path:
    fig, ax = plt.subplots(figsize=(7.5, 4.5), dpi=110)
    for name, row in rows.items():
        colour, marker = COLOURS.get(name, "#555555"), MARKERS.get(name, "^")
        minutes, accuracy, elapsed = [], [], 0.0
        for epoch in row["history"]:
            elapsed += epoch["seconds"]
            minutes.append(elapsed / 60)
            accuracy.append(100 * epoch["val_accuracy"])
        ax.plot(
            minutes,
            accuracy,
            color=colour,
            marker=marker,
            markersize=3,
            lw=1.2,
            alpha=0.6,
            label=f"{name}: validation after each epoch",
        )
        if row.get("test_accuracy") is None:  # still training: no test score yet
            continue
        end = row.get("seconds", elapsed) / 60
        test = 100 * row["test_accuracy"]
        ax.scatter(
            [end],
            [test],
            color=colour,
            marker=marker,
            s=90,
            edgecolor="black",
            zorder=5,
            label=f"{name}: test {test:.1f}% after {end:.1f} min",
        )
    ax.axhline(91, color="grey", ls="--", lw=0.8)
    ax.axhline(93, color="black", ls="--", lw=0.8)
    ax.axvline(5, color="black", ls=":", lw=0.8)
    ax.set_ylim(76, 95)
    ax.set_xlabel("minutes of training (2 CPU cores)")
    ax.set_ylabel("accuracy (%)")
    ax.set_title("Fashion-MNIST: accuracy against training time, per preset")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    return out


def main(argv=None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", default="docs/bench_presets.json")
    parser.add_argument("--runs", nargs="+", metavar="NAME=FOLDER", help="read run folders instead of --bench")
    parser.add_argument("--out", default="docs/frontier.png")
    args = parser.parse_args(argv)
    if args.runs:
        rows = {}
        for item in args.runs:
            name, folder = item.split("=", 1)
            run = Run(folder)
            rows[name] = {**run.result(), "history": run.history()}
    else:
        rows = json.loads(Path(args.bench).read_text())
    return plot(rows, Path(args.out))


if __name__ == "__main__":
    print(main())
