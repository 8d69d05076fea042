"""The class's Dask scheduler, hosted by the app on the teacher's laptop (`bash scripts/run.sh --cluster`).

It is a stock `dask scheduler` in a child process: it needs none of CNN
Lab's code (the training task travels by value, see `dask_task`), it runs
in a neutral folder without the app on its path, and a crash or a busy
scheduler never stalls the Streamlit server's pages. It listens with TLS on
a fixed port (8786 unless `CNN_LAB_CLUSTER_PORT` says otherwise), so lab PCs
need only the laptop's address and the class key file.

It lives and dies with the app (Linux `PR_SET_PDEATHSIG` on the thread that
watches it), and the watching thread starts it again when it dies; the
training queue then reconnects by itself. Lab PCs' workers, which Dask never
reconnects, are restarted by `scripts/labpc.sh`.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from core.messages import Message
from core.services.backends import class_key
from core.services.backends.local import exit_with_parent

DEFAULT_PORT = 8786
PROBLEM_SHOWN = 60.0  # seconds the Cluster tab still says why the scheduler was restarted
RESTART_PAUSE = 2.0  # seconds between a scheduler's death and its restart (longer while it keeps dying)
log = logging.getLogger(__name__)


def settings_from_env() -> dict | None:
    """`CNN_LAB_CLUSTER=host` hosts the scheduler; `_PORT` and `_HOST` (the interface to listen on) refine it."""
    if os.environ.get("CNN_LAB_CLUSTER", "").strip().lower() != "host":
        return None
    return {
        "port": int(os.environ.get("CNN_LAB_CLUSTER_PORT") or DEFAULT_PORT),
        "host": os.environ.get("CNN_LAB_CLUSTER_HOST") or "0.0.0.0",
    }


def lan_address() -> str:
    """This machine's address on the school network (its first non-loopback IPv4), else 127.0.0.1."""
    import psutil

    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            if address.family == socket.AF_INET and not address.address.startswith("127."):
                return address.address
    return "127.0.0.1"


class HostedScheduler:
    """A `dask scheduler` child process with the class key, kept alive by a watching thread.

    Args:
        key: the class key file (`class_key.ensure()`).
        folder: where it runs and writes `scheduler.log` (the classroom folder).
        port: the fixed port lab PCs connect to.
        host: the interface it listens on: every one (`0.0.0.0`) on a laptop, `127.0.0.1` in tests.
    """

    def __init__(self, key: Path, folder: Path, port: int = DEFAULT_PORT, host: str = "0.0.0.0"):
        self.key, self.folder, self.port, self.host = Path(key), Path(folder), port, host
        self.folder.mkdir(parents=True, exist_ok=True)
        self.problem: Message | None = None
        self.restarts = 0
        self.proc: subprocess.Popen | None = None
        self._closed = threading.Event()
        self._restart = threading.Event()
        self._started = threading.Event()
        # The watching thread starts every scheduler process: PR_SET_PDEATHSIG ties a child to the thread
        # that started it, and a page's script thread ends after each run.
        self._thread = threading.Thread(target=self._watch, name="hosted-dask-scheduler", daemon=True)
        self._thread.start()
        self._started.wait(10)

    @property
    def address(self) -> str:
        """Where the app's own client connects (the same machine)."""
        return f"tls://127.0.0.1:{self.port}"

    def lab_pc_address(self) -> str:
        """The address a lab PC gives `scripts/labpc.sh`."""
        return self.host if self.host not in ("0.0.0.0", "") else lan_address()

    def ready(self, timeout: float = 30.0) -> bool:
        """Whether the scheduler accepts connections on its port within `timeout` seconds."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return True
            except OSError:
                time.sleep(0.2)
        return False

    def restart(self) -> None:
        """Start it again (with a new class key, say): every machine connected now must connect again."""
        self._restart.set()

    def close(self) -> None:
        self._closed.set()
        self._restart.set()
        self._thread.join(15)

    # ------------------------------------------------------------ the watching thread
    def _command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "distributed.cli.dask_scheduler",
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--no-dashboard",
            *class_key.cli_flags(self.key),
        ]

    def _spawn(self) -> subprocess.Popen:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # a stock scheduler: no app code
        with open(self.folder / "scheduler.log", "ab") as log_file:
            return subprocess.Popen(
                self._command(),
                cwd=self.folder,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=exit_with_parent,
            )

    def _watch(self) -> None:
        pause = RESTART_PAUSE
        while not self._closed.is_set():
            started = time.monotonic()
            self.proc = self._spawn()
            self._started.set()
            while self.proc.poll() is None and not self._restart.wait(0.5):
                if self.problem is not None and time.monotonic() - started > PROBLEM_SHOWN:
                    self.problem = None  # it has been up a while: the trouble is over
            asked = self._restart.is_set()
            self._restart.clear()
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
            if self._closed.is_set():
                return
            if asked:
                continue
            self.restarts += 1
            self.problem = self._why_it_died()
            log.warning("the hosted Dask scheduler exited (%s); starting it again", self.proc.returncode)
            # A scheduler that dies at once (its port taken, say) is retried less and less often.
            pause = RESTART_PAUSE if time.monotonic() - started > 30 else min(pause * 2, 60.0)
            self._closed.wait(pause)

    def _why_it_died(self) -> Message:
        try:
            tail = (self.folder / "scheduler.log").read_bytes()[-4000:].decode(errors="replace")
        except OSError:
            tail = ""
        if "Address already in use" in tail or "Errno 98" in tail:
            return Message("cluster_port_busy", {"port": self.port})
        return Message("cluster_scheduler_restarted")
