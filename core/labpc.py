"""A lab PC that trains the class's runs: `python -m core.labpc TEACHER-ADDRESS KEY-FILE [options] [-- worker options]`.

`scripts/labpc.sh` installs what is missing, then runs this. It keeps Dask
workers (`--nthreads 1 --resources trainer=1`: one run at a time each)
connected to the teacher's scheduler with the class key (TLS). Dask workers
never reconnect: one exits for good when its scheduler goes away, so this
starts it again, and again, until Ctrl-C. It says what happens in one line
per event; Dask's own log goes to a file (`--log-dir`).

One worker per PC by default, using every core. A PC with many cores
(`MANY_CORES` or more) runs one worker per `CORES_PER_WORKER` cores, each
pinned to its own cores, since two runs on separate cores finish more runs
an hour than two runs sharing them; `--workers N` chooses.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from core.services.backends import class_key
from core.services.backends.local import exit_with_parent

DEFAULT_PORT = 8786
MANY_CORES = 8
CORES_PER_WORKER = 4
CONNECT_TIMEOUT = 15  # seconds a worker waits for the scheduler before it exits and is started again
RETRY_PAUSE = 5.0  # seconds between a worker's exit and its restart
APP_DIR = Path(__file__).resolve().parent.parent

# Lines of Dask's worker log that are worth one line to the person at the lab PC.
CONNECTED = "Registered to:"
KEY_REFUSED = ("certificate", "SSLError", "SSLEOFError", "SSLV3_ALERT")


def scheduler_address(text: str) -> str:
    """`192.168.0.10`, `192.168.0.10:8786` or `tls://192.168.0.10:8786` -> `tls://192.168.0.10:8786`."""
    host = text.strip().removeprefix("tls://")
    if "://" in host:
        raise ValueError(f"the class cluster speaks tls:// only, not {text!r}")
    if not host:
        raise ValueError("give the teacher's computer's address, e.g. 192.168.0.10")
    return f"tls://{host}" if ":" in host else f"tls://{host}:{DEFAULT_PORT}"


def core_slices(cores: list[int], workers: int | None) -> list[list[int] | None]:
    """The cores each worker is pinned to; None leaves a single worker on every core."""
    count = workers or (len(cores) // CORES_PER_WORKER if len(cores) >= MANY_CORES else 1)
    count = max(1, min(count, len(cores)))
    if count == 1:
        return [None]
    size = len(cores) // count
    return [cores[i * size : (i + 1) * size] for i in range(count)]


def say(text: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {text}", flush=True)


class Worker:
    """One `dask worker` slot: started, watched and started again until `stop`."""

    def __init__(self, number: int, address: str, key: Path, cores, log_dir: Path, extra: list[str]):
        self.number, self.address, self.key, self.cores = number, address, key, cores
        self.log_path = log_dir / f"worker-{number}.log"
        self.extra = extra
        self.proc: subprocess.Popen | None = None
        self.stopping = threading.Event()

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "distributed.cli.dask_worker",
            self.address,
            "--nthreads",
            "1",
            "--resources",
            "trainer=1",
            "--no-dashboard",
            "--death-timeout",
            str(CONNECT_TIMEOUT),
            *class_key.cli_flags(self.key),
            *self.extra,
        ]

    def _pin(self) -> None:
        os.setsid()  # its own process group: stopped as a whole (the nanny, the worker, a training child)
        exit_with_parent()  # and never outlives this script, even when it is killed
        if self.cores:
            os.sched_setaffinity(0, self.cores)

    def run(self) -> None:
        where = f" on cores {self.cores[0]}-{self.cores[-1]}" if self.cores else ""
        while not self.stopping.is_set():
            say(f"worker {self.number}{where}: connecting to {self.address}")
            env = {**os.environ, "PYTHONPATH": str(APP_DIR), "TF_CPP_MIN_LOG_LEVEL": "2"}
            with open(self.log_path, "ab") as log:
                self.proc = subprocess.Popen(
                    self.command(),
                    cwd=APP_DIR,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    preexec_fn=self._pin,
                )
                refused = False
                for line in self.proc.stdout:
                    log.write(line)
                    text = line.decode(errors="replace")
                    if CONNECTED in text:
                        log.flush()
                        say(f"worker {self.number}: ready to train (connected to {self.address})")
                    elif not refused and any(mark in text for mark in KEY_REFUSED):
                        refused = True
                        say(f"worker {self.number}: the teacher's computer refused this key file (is it the newest?)")
                self.proc.wait()
            if self.stopping.is_set():
                break
            say(f"worker {self.number}: the scheduler went away or did not answer; trying again in {RETRY_PAUSE:.0f} s")
            self.stopping.wait(RETRY_PAUSE)

    def stop(self) -> None:
        self.stopping.set()
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(20)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/labpc.sh", description=__doc__.split("\n")[0])
    parser.add_argument("address", help="the teacher's computer, e.g. 192.168.0.10 or 192.168.0.10:8786")
    parser.add_argument("key", type=Path, help="the class key file from the Teacher page")
    parser.add_argument("--workers", type=int, help="workers on this PC (default: 1, or one per 4 cores from 8)")
    parser.add_argument("--log-dir", type=Path, default=APP_DIR / "runs" / "labpc", help="where Dask's logs go")
    parser.add_argument("worker_options", nargs="*", help="after --: more `dask worker` options")
    args = parser.parse_args(argv)
    try:
        address = scheduler_address(args.address)
    except ValueError as err:
        parser.error(str(err))
    key = args.key.resolve()
    if not key.is_file():
        parser.error(f"no key file at {key}: download it from the Teacher page's Cluster tab")
    if key.stat().st_mode & 0o077:
        say(f"warning: {key} can be read by other accounts; make it private with: chmod 600 {key}")
    args.log_dir.mkdir(parents=True, exist_ok=True)
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else list(range(os.cpu_count() or 1))
    workers = [
        Worker(i + 1, address, key, pinned, args.log_dir, args.worker_options)
        for i, pinned in enumerate(core_slices(cores, args.workers))
    ]
    say(f"CNN Lab lab PC: {len(workers)} worker(s) for {address}; Ctrl-C stops")
    threads = [threading.Thread(target=worker.run, daemon=True) for worker in workers]
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    for thread in threads:
        thread.start()
    while not stop.wait(1):
        pass
    say("stopping")
    for worker in workers:
        worker.stop()
    say("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
