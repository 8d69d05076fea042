"""A real class cluster on 127.0.0.1, started the way the README tells a school to start it.

- The scheduler is a stock `dask scheduler` with the class key (TLS), run in
  a folder outside the app, with the test's own environment: it has none of CNN Lab's code.
- Each lab PC is `bash scripts/labpc.sh ADDRESS KEY-FILE`, run from the
  checkout, which installs what is missing and keeps a worker connected.

Every process is started in its own session and ended by the test with a
SIGKILL of that session: a lab PC switched off (`labpc.sh`'s workers and
their training processes die with it).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from helpers_core import wait_for

from core.services import run_store
from core.services.backends import class_key

DASK = str(Path(sys.executable).with_name("dask"))
LABPC = run_store.APP_DIR / "scripts" / "labpc.sh"


def scheduler_command(key: Path, port: int = 0, scheduler_file: Path | None = None) -> list[str]:
    """The README's scheduler command, bound to 127.0.0.1 (and a scheduler file when the port is 0)."""
    command = [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]
    if scheduler_file is not None:
        command += ["--scheduler-file", str(scheduler_file)]
    return command + class_key.cli_flags(key)


class LabPCs:
    """Lab PCs started with `scripts/labpc.sh` for the scheduler at `address`, holding the class `key`."""

    def __init__(self, tmp: Path, env: dict, key: Path, address: str):
        self.tmp, self.env, self.procs, self.key, self.address = tmp, env, [], key, address

    @property
    def security(self):
        return class_key.security(self.key)

    def spawn(self, cmd, name, env=None, cwd=None) -> subprocess.Popen:
        log = open(self.tmp / f"{name}-{len(self.procs)}.log", "wb")  # noqa: SIM115 - the child owns it
        proc = subprocess.Popen(
            cmd,
            env=env or self.env,
            cwd=cwd or run_store.APP_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        proc.log_path = log.name
        self.procs.append(proc)
        return proc

    def lab_pc(self, env=None, checkout: Path | None = None, address: str | None = None) -> subprocess.Popen:
        """`bash scripts/labpc.sh ADDRESS KEY -- --host 127.0.0.1` from a checkout (the app's own by default)."""
        checkout = checkout or run_store.APP_DIR
        target = (address or self.address).removeprefix("tls://")
        cmd = ["bash", str(checkout / "scripts" / "labpc.sh"), target, str(self.key), "--", "--host", "127.0.0.1"]
        return self.spawn(cmd, "labpc", {**self.env, **(env or {})}, cwd=checkout)

    @staticmethod
    def kill(proc: subprocess.Popen) -> None:
        """SIGKILL its process group: the PC is switched off (a lab PC's workers die with `labpc.sh`)."""
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(10)

    def close(self) -> None:
        for proc in reversed(self.procs):
            self.kill(proc)


class Cluster(LabPCs):
    """A stock scheduler with the class key, run in a folder outside the app, and its lab PCs."""

    def __init__(self, tmp: Path, env: dict):
        super().__init__(tmp, env, class_key.renew(tmp / "cnn-lab-class-key.pem"), "")
        self.school = tmp / "school-server"  # any folder but the app's
        self.school.mkdir(exist_ok=True)
        self.file = self.school / "scheduler.json"
        self.scheduler = self.spawn(scheduler_command(self.key, 0, self.file), "scheduler", cwd=self.school)
        wait_for(lambda: self.file.is_file() and self.file.stat().st_size, 60, "the scheduler file")
        self.address = json.loads(self.file.read_text())["address"]


def trained_on(backend, run, timeout: float = 180) -> None:
    """Wait until `run` trains on `backend` (a queue's `backend` or `local`)."""
    wait_for(lambda: run in backend.running(), timeout, f"{run.id} to train on {backend.name}", 0.05)
