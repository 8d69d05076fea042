"""A class of students submits the Lesson preset at once: local vs a Dask cluster on this machine.

    python bench/bench_class.py [--students 30] [--subset 1000] [--epochs 2]

Every simulated student submits the Lesson preset trimmed to a stated subset
(`--subset` training images, `--epochs` epochs; validation and test sets are
whole) to the app's `TrainingQueue`, all at the same moment, on:

- (a) `local`: the default backend, one run at a time (CNN_LAB_MAX_PARALLEL=1) on both cores;
- (b) `dask2`: the class cluster as the README starts it (a stock `dask scheduler`
  with the class key, outside the app) and two lab PCs (`scripts/labpc.sh`), each pinned to one core;
- (c) `dask1`: one lab PC on both cores (TLS);
- (d) `plain1`: as (c) without TLS (`tcp://`, a `dask worker` with the app on its path).

For each it prints the makespan (first submit to last end), runs per hour,
the mean and maximum wait (submit to training start), the Dask path's cost
per run against the local one (c/a: same cores, one run at a time;
checkpoint, kernel and TensorBoard transfers included; goal <= 1.10), and
TLS's cost against plain Dask (c/d). Workers use their own Fashion-MNIST
(as lab PCs with the Debian package do).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from core.lesson.presets import PRESETS  # noqa: E402
from core.services import run_store  # noqa: E402
from core.services.backends import class_key  # noqa: E402
from core.services.training_queue import TrainingQueue  # noqa: E402

DASK = str(Path(sys.executable).with_name("dask"))


def start_cluster(folder: Path, pins: list[str | None], tls: bool) -> tuple[str, object, list[subprocess.Popen]]:
    """A stock scheduler in its own folder (no app code), then one lab PC per pin (a core list, or None)."""
    procs = []
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    school = folder / "school"
    school.mkdir()
    key = class_key.renew(folder / "key.pem")
    flags = class_key.cli_flags(key) if tls else []
    scheduler_file = school / "scheduler.json"
    log = open(folder / "cluster.log", "wb")  # noqa: SIM115
    cmd = [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file", str(scheduler_file)]
    cmd += ["--no-dashboard", *flags]
    procs.append(subprocess.Popen(cmd, env=env, cwd=school, stdout=log, stderr=log, start_new_session=True))
    while not (scheduler_file.is_file() and scheduler_file.stat().st_size):
        time.sleep(0.2)
    address = json.loads(scheduler_file.read_text())["address"]
    for pin in pins:
        prefix = ["taskset", "-c", pin] if pin is not None else []
        if tls:
            worker = ["bash", "scripts/labpc.sh", address.removeprefix("tls://"), str(key), "--", "--host", "127.0.0.1"]
            worker_env = env
        else:
            worker = [DASK, "worker", address, "--nthreads", "1", "--resources", "trainer=1"]
            worker += ["--no-dashboard", "--host", "127.0.0.1"]
            worker_env = {**env, "PYTHONPATH": str(ROOT)}
        procs.append(
            subprocess.Popen(
                [*prefix, *worker], env=worker_env, stdout=log, stderr=log, cwd=ROOT, start_new_session=True
            )
        )
    return address, class_key.security(key) if tls else None, procs


def stop_cluster(procs: list[subprocess.Popen]) -> None:
    for proc in reversed(procs):
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # a lab PC's workers die with labpc.sh
        except ProcessLookupError:
            pass
        proc.wait()


def one_class(label: str, students: int, cfg, folder: Path, pins=None, tls: bool = True) -> dict:
    procs, address, security = [], None, None
    if pins is not None:
        address, security, procs = start_cluster(folder, pins, tls)
    queue = None
    try:
        queue = TrainingQueue(
            root=folder / "runs", max_per_owner=2, poll=0.2, dask_scheduler=address, dask_security=security
        )
        if address:
            deadline = time.monotonic() + 120
            while queue.backend.free_slots() < len(pins) and time.monotonic() < deadline:
                time.sleep(0.3)
            if queue.backend.free_slots() < len(pins):
                refused = [str(m) for row in queue.cluster() for m in row.get("refused") or []]
                raise SystemExit(f"{label}: the lab PCs did not join ({'; '.join(refused) or 'none answered'})")
        submitted = time.time()
        runs = [queue.submit(cfg, name=f"student {i + 1}", owner=f"s{i + 1:02d}") for i in range(students)]
        while any(run.status().state in run_store.ACTIVE_STATES for run in runs):
            time.sleep(0.5)
        statuses = [run.status() for run in runs]
    finally:
        if queue is not None:
            queue.close(timeout=30)
        stop_cluster(procs)
    states = [s.state for s in statuses]
    waits = [s.started - submitted for s in statuses if s.started]
    makespan = max(s.ended or s.updated for s in statuses) - submitted
    row = {
        "mode": label,
        "finished": states.count("finished"),
        "makespan": makespan,
        "runs_per_hour": students / makespan * 3600,
        "mean_wait": sum(waits) / len(waits) if waits else float("nan"),
        "max_wait": max(waits) if waits else float("nan"),
    }
    print(
        f"{label:<28} {row['finished']}/{students} finished  makespan {makespan:7.1f} s  "
        f"{row['runs_per_hour']:6.1f} runs/h  wait mean {row['mean_wait']:6.1f} s, max {row['max_wait']:6.1f} s",
        flush=True,
    )
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--subset", type=int, default=1000, help="training images per run")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--modes", default="local,dask2,dask1,plain1")
    args = parser.parse_args()
    cfg = PRESETS["lesson"].with_values(train_size=args.subset, epochs=args.epochs)
    cores = sorted(os.sched_getaffinity(0))
    print(
        f"{args.students} students x Lesson preset on {args.subset:,} training images, {args.epochs} epochs "
        f"(validation 12,000 and test 10,000 images), {len(cores)} cores",
        flush=True,
    )
    rows = {}
    with tempfile.TemporaryDirectory(prefix="bench-class-") as tmp:
        for mode in args.modes.split(","):
            folder = Path(tmp) / mode
            folder.mkdir()
            if mode == "local":
                rows[mode] = one_class("(a) local, 1 at a time", args.students, cfg, folder)
            elif mode == "dask2":
                pins = [str(cores[0]), str(cores[1 % len(cores)])]
                rows[mode] = one_class("(b) dask, 2 pinned lab PCs", args.students, cfg, folder, pins)
            elif mode == "dask1":
                rows[mode] = one_class("(c) dask, 1 lab PC, 2 cores", args.students, cfg, folder, [None])
            elif mode == "plain1":
                rows[mode] = one_class("(d) as (c), no TLS", args.students, cfg, folder, [None], tls=False)
            shutil.rmtree(folder, ignore_errors=True)
    if "dask2" in rows:
        print(f"per core (b): {rows['dask2']['runs_per_hour'] / 2:.1f} runs/h", flush=True)
    if "local" in rows and "dask1" in rows:
        ratio = rows["dask1"]["makespan"] / rows["local"]["makespan"]
        print(f"dask cost per run vs local (c/a): {ratio:.3f} (goal <= 1.10)", flush=True)
    if "dask1" in rows and "plain1" in rows:
        ratio = rows["dask1"]["makespan"] / rows["plain1"]["makespan"]
        print(f"TLS cost per run vs plain Dask (c/d): {ratio:.3f}", flush=True)
    if "local" in rows and "dask2" in rows:
        speedup = rows["local"]["makespan"] / rows["dask2"]["makespan"]
        print(f"two pinned workers vs local: {speedup:.2f}x the throughput (a/b makespan)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
