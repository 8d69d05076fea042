"""The class cluster as a school runs it: only the class key gets in, faults are sentences, and it heals itself.

Real processes on 127.0.0.1, started as the README says (`tests/helpers_cluster.py`):
a stock `dask scheduler` outside the app, lab PCs with `scripts/labpc.sh`,
and the scheduler the app hosts (`HostedScheduler`, what `run.sh --cluster` starts).
"""

from __future__ import annotations

import asyncio
import importlib
import os
import shutil
import socket
import ssl
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest
from helpers_cluster import LabPCs, trained_on
from helpers_core import TINY_MODEL, assert_sentence, wait_for

from core import labpc
from core.lesson.config import RunConfig
from core.services import run_store
from core.services.backends import class_key, dask_cluster
from core.services.backends.hosted_scheduler import HostedScheduler

TINY = RunConfig.from_dict({"model": TINY_MODEL, "train": {"epochs": 2, "train_size": 800, "seed": 7}})
TIMEOUT = 180
DASK = Path(sys.executable).with_name("dask")


def ended(run) -> bool:
    return run.status().state in run_store.FINAL_STATES


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def can_talk(address: str, connection_args: dict) -> bool:
    """Whether a Dask peer at `address` answers an `identity` call made with `connection_args`."""
    from distributed.comm import connect

    async def attempt() -> bool:
        try:
            comm = await connect(address, timeout=5, **connection_args)
            await comm.write({"op": "identity", "reply": True})
            reply = await asyncio.wait_for(comm.read(), 5)
            await comm.close()
            return isinstance(reply, dict)
        except Exception:  # noqa: BLE001 - any refusal counts
            return False

    with ThreadPoolExecutor(1) as thread:  # its own event loop, whatever loop this thread may be running
        return thread.submit(lambda: asyncio.run(attempt())).result()


def tls_args(ca: str, cert: str | None) -> dict:
    """A TLS client like Dask's, trusting `ca`, presenting `cert` (its key in the same file) or no certificate."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=ca)
    context.check_hostname = False
    if cert:
        context.load_cert_chain(cert)
    return {"ssl_context": context, "require_encryption": True}


def test_only_the_class_key_gets_in(cluster, tmp_path, queues):
    """No certificate, plain tcp:// and another class's key are all refused, by the scheduler and by a worker."""
    cluster.lab_pc()
    from distributed import Client

    with Client(cluster.address, security=cluster.security, timeout=30, set_as_default=False) as client:
        wait_for(lambda: client.scheduler_info(n_workers=-1)["workers"], 120, "the lab PC's worker")
        worker = next(iter(client.scheduler_info(n_workers=-1)["workers"]))
        assert client.run(os.getpid, workers=[worker])  # the class key: code runs (the control)
    other = class_key.renew(tmp_path / "another-class.pem")
    key = str(cluster.key)
    for address in (cluster.address, worker):
        plain = "tcp://" + address.removeprefix("tls://")
        assert can_talk(address, tls_args(key, key))
        assert not can_talk(address, tls_args(key, None)), "no certificate"
        assert not can_talk(plain, {}), "plain tcp://"
        assert not can_talk(address, tls_args(str(other), str(other))), "another CA's certificate"
        assert not can_talk(address, tls_args(key, str(other))), "another CA's certificate, trusting ours"
    stranger = queues(dask_scheduler=cluster.address, dask_security=class_key.security(other))
    assert stranger.backend_name == "local" and stranger.notice.key == "dask_key_refused"  # and it says why
    assert_sentence(str(stranger.notice))
    for security in (None, class_key.security(other)):
        address = cluster.address if security else "tcp://" + cluster.address.removeprefix("tls://")
        with pytest.raises(Exception):  # noqa: B017 - refused however Dask words it
            Client(address, security=security, timeout=5, set_as_default=False)


def test_a_task_the_cluster_cannot_load_trains_locally(cluster, queues, monkeypatch):
    """Sent by reference (as before this fix), a stock scheduler cannot load the task: a sentence, then local."""
    monkeypatch.setattr(dask_cluster, "by_value", lambda module, name: getattr(importlib.import_module(module), name))
    cluster.lab_pc()
    queue = queues(cluster)
    wait_for(lambda: queue.backend.free_slots(), 120, "the lab PC's worker")
    run = queue.submit(TINY, owner="a")
    trained_on(queue.local, run)
    assert queue.notice.key == "dask_task_unloadable" and queue.backend_name == "local"
    assert_sentence(str(queue.notice))
    wait_for(lambda: ended(run), TIMEOUT, "the run to train locally", 0.5)
    assert run.status().state == "finished", run.status().text


def test_hosted_scheduler_comes_back_and_everyone_reconnects(tmp_path, env, queues):
    """The app's scheduler is killed: it restarts, the lab PC's worker and the app's queue reconnect by themselves."""
    key = class_key.renew(tmp_path / "classroom" / class_key.FILE)
    port = free_port()
    hosted = HostedScheduler(key, tmp_path / "classroom", port=port, host="127.0.0.1")
    lab = LabPCs(tmp_path, env, key, hosted.address)
    try:
        assert hosted.ready(60)
        assert psutil.Process(hosted.proc.pid).cwd() == str(tmp_path / "classroom")  # outside the app
        pc = lab.lab_pc(address=f"{hosted.lab_pc_address()}:{port}")
        queue = queues(dask_scheduler=hosted.address, dask_security=class_key.security(key))
        wait_for(lambda: queue.backend_name == "dask" and queue.backend.free_slots(), 120, "the lab PC")
        first = queue.submit(TINY, owner="a")
        trained_on(queue.backend, first)
        wait_for(lambda: ended(first), TIMEOUT, "the first run", 0.5)
        assert first.status().state == "finished", first.status().text

        before = queue.backend
        hosted.proc.kill()  # the scheduler dies
        problem = wait_for(lambda: hosted.problem, 30, "the teacher to be told")  # shown for a minute
        assert problem.key == "cluster_scheduler_restarted"
        assert_sentence(str(problem))
        wait_for(lambda: hosted.restarts == 1 and hosted.ready(1), 60, "the scheduler to be started again")
        reconnected = lambda: queue.backend is not before and queue.backend_name == "dask"  # noqa: E731
        wait_for(lambda: reconnected() and queue.backend.free_slots(), 120, "everyone to reconnect")
        assert queue.notice is None
        second = queue.submit(TINY, owner="a")
        trained_on(queue.backend, second)
        wait_for(lambda: ended(second), TIMEOUT, "a run after the restart", 0.5)
        assert second.status().state == "finished", second.status().text
        events = open(pc.log_path, encoding="utf-8").read()
        assert events.count("ready to train") >= 2 and "trying again" in events, events
    finally:
        lab.close()
        hosted.close()


def test_labpc_stops_on_ctrl_c_and_says_so(tmp_path, env):
    """Ctrl-C (SIGINT) ends the lab PC's loop and its worker; every event was one line."""
    key = class_key.renew(tmp_path / "key.pem")
    proc = subprocess.Popen(
        ["bash", str(labpc.APP_DIR / "scripts" / "labpc.sh"), f"127.0.0.1:{free_port()}", str(key)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if "connecting to" in line:
                break
        proc.send_signal(2)
        rest, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    lines += rest.splitlines(keepends=True)
    assert proc.returncode == 0, lines
    assert any("worker 1: connecting to tls://127.0.0.1:" in line for line in lines)
    assert lines[-1].rstrip().endswith("stopped"), lines


def test_labpc_address_and_cores():
    assert labpc.scheduler_address("192.168.0.10") == "tls://192.168.0.10:8786"
    assert labpc.scheduler_address("tls://10.0.0.2:9000") == "tls://10.0.0.2:9000"
    with pytest.raises(ValueError):
        labpc.scheduler_address("tcp://10.0.0.2:8786")
    assert labpc.core_slices([0, 1], None) == [None]  # one worker on every core
    assert labpc.core_slices(list(range(16)), None) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]]
    assert labpc.core_slices(list(range(4)), 2) == [[0, 1], [2, 3]]


def test_class_key_is_private_and_renewed(tmp_path):
    key = class_key.ensure(tmp_path / "k.pem")
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    before = class_key.short_id(key)
    assert class_key.ensure(key) == key and class_key.short_id(key) == before  # made once
    class_key.renew(key)
    assert class_key.short_id(key) != before and oct(key.stat().st_mode & 0o777) == "0o600"
    assert b"PRIVATE KEY" in key.read_bytes() and key.read_bytes().count(b"BEGIN CERTIFICATE") == 2
    # The CA's own private key is not kept: the file holds one private key, the class certificate's.
    assert key.read_bytes().count(b"PRIVATE KEY-----") == 2  # its BEGIN and END lines


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_unit_verifies():
    unit = labpc.APP_DIR / "scripts" / "cnn-lab-worker.service"
    done = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and unit.name not in done.stdout + done.stderr, done.stdout + done.stderr


def test_a_worker_without_cnn_labs_code_is_refused_with_a_sentence(cluster, env, tmp_path, queues):
    """A plain `dask worker` started outside any CNN Lab copy joins the cluster but cannot load the app's code."""
    elsewhere = tmp_path / "not-a-checkout"
    elsewhere.mkdir()
    cmd = [str(DASK), "worker", cluster.address, "--nthreads", "1", "--resources", "trainer=1", "--no-dashboard"]
    cluster.spawn([*cmd, "--host", "127.0.0.1", *class_key.cli_flags(cluster.key)], "bare-worker", cwd=elsewhere)
    queue = queues(cluster)
    rows = wait_for(lambda: [r for r in queue.cluster() if r.get("refused")], 120, "the worker to be checked")
    assert [m.key for m in rows[0]["refused"]] == ["worker_cannot_load"]
    assert_sentence(str(rows[0]["refused"][0]))
