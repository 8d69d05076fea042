"""Where the app should host the class's scheduler: in a child process, or in the Streamlit server's own process.

    python bench/bench_hosted_scheduler.py [--seconds 30] [--runs 4]

This process plays the Streamlit server: a thread does a page's worth of
pure-Python work (`page_work`, about 20 ms) five times a second and records
how long each took, while the app's Dask client receives what `--runs`
training runs would send (progress events ten times a second, a 4 MB
checkpoint every 3 s each) through the scheduler, hosted:

- (0) nowhere: no scheduler, no traffic (the baseline, same run);
- (a) `child`: `HostedScheduler`, a stock `dask scheduler` child process (what the app does);
- (b) `thread`: `LocalCluster(n_workers=0)`, the scheduler on an event loop in this process.

A `dask worker` (TLS, the class key) runs the senders. Prints each mode's
page-work p50/p95 and its ratio to the baseline's.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.services.backends import class_key  # noqa: E402
from core.services.backends.dask_task import by_value  # noqa: E402
from core.services.backends.hosted_scheduler import HostedScheduler  # noqa: E402

DASK = str(Path(sys.executable).with_name("dask"))


def page_work() -> float:
    """About 20 ms of what a page does in Python (building dicts, formatting, JSON); returns its seconds."""
    start = time.perf_counter()
    rows = [{"epoch": i, "loss": i * 0.5, "name": f"run {i}"} for i in range(4000)]
    json.loads(json.dumps(rows))
    return time.perf_counter() - start


def measure(seconds: float) -> list[float]:
    took = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        took.append(page_work())
        time.sleep(0.2)
    return took


def send(seconds: float, run: int) -> int:
    """On the worker: what one training run sends (progress ten times a second, a checkpoint every 3 s)."""
    from distributed import Variable, get_worker

    worker, sent = get_worker(), 0
    checkpoint = Variable(f"bench-checkpoint-{run}")
    end, next_checkpoint = time.time() + seconds, 0.0
    while time.time() < end:
        worker.log_event("bench", {"run": run, "progress": [0.1] * 200})
        if time.time() >= next_checkpoint:
            checkpoint.set(os.urandom(4_000_000))
            next_checkpoint = time.time() + 3
        sent += 1
        time.sleep(0.1)
    return sent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def with_traffic(address: str, key: Path, seconds: float, runs: int, folder: Path) -> list[float]:
    from distributed import Client

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    worker = subprocess.Popen(
        [DASK, "worker", address, "--nthreads", str(runs), "--no-dashboard", "--host", "127.0.0.1"]
        + class_key.cli_flags(key),
        env=env,
        cwd=ROOT,
        stdout=open(folder / "worker.log", "ab"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    received = []
    try:
        with Client(address, security=class_key.security(key), timeout=60, set_as_default=False) as client:
            client.wait_for_workers(1, timeout=120)
            client.subscribe_topic("bench", received.append)
            task = by_value(__name__.replace("__main__", "bench.bench_hosted_scheduler"), "send")
            futures = [client.submit(task, seconds + 5, i, pure=False) for i in range(runs)]
            time.sleep(3)  # the senders are under way
            took = measure(seconds)
            client.gather(futures)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    print(f"  ({len(received)} events received)", flush=True)
    return took


def summary(label: str, took: list[float], base: list[float] | None) -> None:
    p50, p95 = statistics.median(took), statistics.quantiles(took, n=20)[-1]
    text = f"{label:<34} page work p50 {p50 * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms"
    if base:
        text += f"  ratio p50 {p50 / statistics.median(base):.2f}, p95 {p95 / statistics.quantiles(base, n=20)[-1]:.2f}"
    print(text, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--runs", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-hosted-") as tmp:
        folder = Path(tmp)
        key = class_key.renew(folder / "key.pem")
        base = measure(args.seconds)
        summary("(0) no scheduler", base, None)

        hosted = HostedScheduler(key, folder, port=free_port(), host="127.0.0.1")
        try:
            hosted.ready(60)
            summary(
                "(a) child process (the app's)",
                with_traffic(hosted.address, key, args.seconds, args.runs, folder),
                base,
            )
        finally:
            hosted.close()

        from distributed import LocalCluster

        port = free_port()
        with LocalCluster(
            n_workers=0, scheduler_port=port, host="127.0.0.1", dashboard_address=None, security=class_key.security(key)
        ):
            took = with_traffic(f"tls://127.0.0.1:{port}", key, args.seconds, args.runs, folder)
        summary("(b) in this process (LocalCluster)", took, base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
