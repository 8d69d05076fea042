"""Benchmark the training queue's lock: `python bench/bench_queue_lock.py [--quick]`.

Every open Train page asks the queue for its place (`position`) and the
Teacher page for `counts` about once a second; both wait on the queue's
lock. This measures how long those calls take for 30 pollers:

1. baseline: the queue idle, nothing submitted;
2. while 40 runs are submitted one after another and retention
   (`CNN_LAB_MAX_RUNS=200`) removes old runs from a folder of 300 finished
   ones (`--quick`: 10 runs, 40 kept of 60, a smoke test of the script).

Nothing trains (the queue has no free slot), so only the queue's own work
is measured. Prints p50/p95 per phase and the ratio of the two p95s.

Measured on 2026-12-05 on the 2-core development machine (shared with other
work), six runs each: polling p95 while submitting 148-1097 ms (median
about 230 ms) when `submit` ran retention and made the folder under the
lock; 0.02-0.05 ms since it does both outside it (idle: 0.04-0.07 ms).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from core.lesson.config import RunConfig  # noqa: E402
from core.services import run_store  # noqa: E402
from core.services.training_queue import TrainingQueue  # noqa: E402

PAGES = 30  # a class, each page asking for its place in the queue
INTERVAL = 0.05  # seconds between two polls of one page (a real page asks every second: more samples here)


def finished_runs(root: Path, count: int) -> None:
    """`count` finished runs, each with a 20-epoch history and a result, as a class leaves them."""
    history = [{"epoch": e, "seconds": 14.0, "loss": 0.3, "accuracy": 0.9, "val_loss": 0.3, "val_accuracy": 0.9}
               for e in range(1, 21)]  # fmt: skip
    for i in range(count):
        run = run_store.create_run(RunConfig(), name=f"old {i}", owner=f"old{i}", root=root)
        run.write_history(history)
        run.write_result({"val_accuracy": 0.9, "test_accuracy": 0.9, "seconds": 280.0})
        run.set_status("finished")


def poll(queue: TrainingQueue, watched: list, until: threading.Event, interval: float, out: list) -> None:
    """One page: its run's place and the queue's counts, every `interval` seconds, timed in ms."""
    while not until.is_set():
        started = time.perf_counter()
        queue.position(watched[-1] if watched else Path("none"))
        queue.counts()
        out.append((time.perf_counter() - started) * 1000)
        until.wait(interval)


def phase(queue: TrainingQueue, pollers: int, interval: float, work) -> list[float]:
    """Poll with `pollers` threads while `work()` runs; the latencies of every poll, in ms."""
    latencies: list[float] = []
    done = threading.Event()
    watched: list = []
    with ThreadPoolExecutor(pollers) as pages:
        for _ in range(pollers):
            pages.submit(poll, queue, watched, done, interval, latencies)
        try:
            work(watched)
        finally:
            done.set()
    return latencies


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small folder: a smoke test, not numbers to quote")
    old_runs, keep, submits = (60, 40, 10) if parser.parse_args(argv).quick else (300, 200, 40)

    with tempfile.TemporaryDirectory(prefix="bench-queue-") as tmp:
        root = Path(tmp) / "runs"
        finished_runs(root, old_runs)
        os.environ["CNN_LAB_RUNS_DIR"] = str(root)  # the class budget is read from the folder's .classroom
        os.environ["CNN_LAB_MAX_RUNS"] = str(keep)
        queue = TrainingQueue(root, max_parallel=0)  # no slot: every submitted run stays waiting
        try:
            baseline = phase(queue, PAGES, INTERVAL, lambda watched: time.sleep(2.0))
            submit_seconds = []

            def submit(watched):
                for i in range(submits):
                    started = time.perf_counter()
                    watched.append(queue.submit(RunConfig(), name=f"new {i}", owner=f"student{i}"))
                    submit_seconds.append(time.perf_counter() - started)

            busy = phase(queue, PAGES, INTERVAL, submit)
            left = len([p for p in root.iterdir() if p.is_dir()])
        finally:
            queue.close()

    def p(values, q):
        return float(np.percentile(values, q))

    print(
        f"{PAGES} pollers every {INTERVAL * 1000:.0f} ms; {old_runs} finished runs, "
        f"CNN_LAB_MAX_RUNS={keep}, {submits} submits "
        f"(median {statistics.median(submit_seconds) * 1000:.0f} ms each), {left} runs left; {os.cpu_count()} CPUs"
    )
    print(f"{'polling position + counts':<40} {'polls':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for name, values in (("idle queue (baseline)", baseline), ("while submitting + retention", busy)):
        print(f"{name:<40} {len(values):>6} {p(values, 50):>8.2f} {p(values, 95):>8.2f}")
    print(f"polling p95 while submitting / idle: {p(busy, 95) / p(baseline, 95):.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
