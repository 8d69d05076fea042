"""Starting and stopping real app servers on 127.0.0.1: shared by the benchmarks and the browser tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import urllib.request

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
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except OSError:
        return False


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
