"""Run every benchmark and print one table: `python bench/run_all.py [--quick]`.

Each benchmark runs in its own process (a fresh TensorFlow), prints its own
lines, and is summed up at the end. `--quick` uses small subsets: a smoke
test of the scripts, not numbers to quote. docs/benchmarks.md keeps every
figure, dated; the README gives one line per benchmark.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FULL = [
    ("epoch: app training path vs plain fit", ["bench/bench_training.py"]),
    ("epoch: started from the open Train page vs plain fit", ["bench/bench_train_page.py"]),
    ("epoch vs matmul rate x epoch FLOPs", ["bench/bench_flops.py"]),
    ("epoch: batch norm after vs before the pooling vs none", ["bench/bench_batch_norm.py"]),
    ("classify: latency, predict vs direct, 30 threads", ["bench/bench_classify.py"]),
    ("server: cold start and memory with 1 and 10 sessions", ["bench/bench_server.py"]),
    ("sessions: 30 students without browsers, idle and while a Lesson run trains", ["bench/bench_sessions.py"]),
    ("queue lock: 30 pages polling while runs are submitted and retention runs", ["bench/bench_queue_lock.py"]),
    ("drawings: shipped models on the validation and test drawings, filled and outlines", ["bench/bench_drawings.py"]),
    ("presets: time to 91/92/93% validation accuracy", ["bench/bench_presets.py"]),
    ("class of 30: local vs Dask (2 pinned lab PCs, 1 lab PC, 1 without TLS)", ["bench/bench_class.py"]),
    ("hosted scheduler: page work beside it in a child process vs in-process", ["bench/bench_hosted_scheduler.py"]),
]
QUICK_ARGS = {
    "bench/bench_training.py": ["--subset", "3000", "--repeats", "1"],
    "bench/bench_train_page.py": ["--subset"],
    "bench/bench_flops.py": ["--subset", "3000"],
    "bench/bench_batch_norm.py": ["--subset", "1000", "--epochs", "2", "--rounds", "1"],
    "bench/bench_classify.py": ["--runs", "10"],
    "bench/bench_sessions.py": ["--quick"],
    "bench/bench_queue_lock.py": ["--quick"],
    "bench/bench_drawings.py": ["--sets", "validation"],
    "bench/bench_presets.py": ["--presets", "quick", "--targets", "0.7"],
    "bench/bench_class.py": ["--students", "4", "--subset", "500", "--epochs", "1"],
    "bench/bench_hosted_scheduler.py": ["--seconds", "5", "--runs", "2"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    summary = []
    for title, command in FULL:
        extra = QUICK_ARGS.get(command[0], []) if args.quick else []
        print(f"\n=== {title} ===", flush=True)
        started = time.monotonic()
        done = subprocess.run([sys.executable, *command, *extra], cwd=ROOT, capture_output=True, text=True)
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        print("\n".join(lines), flush=True)
        if done.returncode:
            print(done.stderr[-2000:], flush=True)
        summary.append((title, done.returncode, time.monotonic() - started, lines[-1] if lines else ""))
    print("\n=== summary ===")
    for title, code, seconds, last in summary:
        print(f"{'ok ' if code == 0 else 'ERR'} {title:<55} {seconds:>6.0f} s  {last}")
    return 1 if any(code for _, code, _, _ in summary) else 0


if __name__ == "__main__":
    sys.exit(main())
