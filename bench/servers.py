"""Starting, measuring and stopping real app servers on 127.0.0.1: shared by the benchmarks and the browser tests."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from ui.streamlit_internals import HEALTH_PATH

APP_DIR = Path(__file__).resolve().parent.parent

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [  # without the background-networking flags Chromium keeps trying to reach the internet
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(base_url: str) -> bool:
    """Whether Streamlit's health endpoint answers `ok`."""
    try:
        with urllib.request.urlopen(base_url + HEALTH_PATH, timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except OSError:
        return False


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS (resident now) and VmHWM (peak resident) of `pid` in MiB, from /proc/<pid>/status."""
    status = Path(f"/proc/{pid}/status").read_text()
    return {key: int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M)[1]) / 1024 for key in ("VmRSS", "VmHWM")}


def stop_group(proc: subprocess.Popen, timeout: float = 15) -> None:
    """SIGTERM our own process group (the server and its training workers); SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def start_app(log_path: Path, env: dict[str, str], port: int | None = None) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on 127.0.0.1 in its own process group (so `stop_group` reaches it and its workers only).

    Args:
        log_path: where the server's output goes.
        env: variables on top of this process's (runs folder, data folder, ...).
        port: a free one when None.

    Returns:
        the process and its base URL; wait for `healthy(url)` before using it.
    """
    port = port or free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            command,
            cwd=APP_DIR,
            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1", **env},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return proc, f"http://127.0.0.1:{port}"
