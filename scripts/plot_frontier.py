"""The README's time-accuracy plot: each preset's accuracy against minutes of training.

Reads what `bench/bench_presets.py --save docs/bench_presets.json` measured
(each preset's epoch history and its final test accuracy) and draws, per
preset, validation accuracy after each epoch against the minutes of training
so far (a line) and the best checkpoint's test accuracy at the run's end
(a large marker). The dashed lines mark the lesson's 91% and the 93% goal,
the dotted line the 5-minute budget.

    python scripts/plot_frontier.py [--bench docs/bench_presets.json] [--out docs/frontier.png]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

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
        end = row["seconds"] / 60
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
    parser.add_argument("--out", default="docs/frontier.png")
    args = parser.parse_args(argv)
    return plot(json.loads(Path(args.bench).read_text()), Path(args.out))


if __name__ == "__main__":
    print(main())
