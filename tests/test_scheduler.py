"""core.services.training_queue: the training queue with real worker processes on the tiny data.

A worker costs about 4 s to start (it imports TensorFlow), so the tests start few of them.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys

import pytest
from helpers_core import TINY_MODEL, assert_sentence, wait_for

from core.lesson.config import RunConfig
from core.messages import Message
from core.services import housekeeping, run_store
from core.services.training_queue import QueueFull, TrainingQueue

TINY = RunConfig.from_dict({"model": TINY_MODEL, "train": {"epochs": 2, "train_size": 800}})
# Long enough to still be training when the test acts on it.
LONG = RunConfig.from_dict({"model": TINY_MODEL, "train": {"epochs": 60, "patience": 20, "train_size": 800}})
# Deadlines are margins a loaded 2-core CI machine cannot break, not timings (wait_for returns as soon as
# the condition holds; how fast things are is measured by the benches).
WORKER_TIMEOUT = 300  # seconds for a worker to start or train: it imports TensorFlow at the lowest priority
REACT_TIMEOUT = 120  # seconds for the queue's thread to notice something (it looks every 0.1 s)


@pytest.fixture
def root(tmp_path):
    return tmp_path / "runs"


@pytest.fixture
def make_queue(root, monkeypatch, tiny_dataset_dir):
    """Queues on a tmp runs folder whose workers load the tiny data; all closed at the end."""
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tiny_dataset_dir))
    monkeypatch.setenv("CNN_LAB_RUNS_DIR", str(root))
    queues = []

    def make(**kwargs) -> TrainingQueue:
        queue = TrainingQueue(root=root, poll=0.1, **kwargs)
        queues.append(queue)
        return queue

    yield make
    for queue in queues:
        queue.close()


def state(run) -> str:
    return run.status().state


def ended(run) -> bool:
    return state(run) in run_store.FINAL_STATES


def worker_alive(run) -> bool:
    return run.worker_alive()


def worker_log(run) -> str:
    return run.worker_log_path.read_text()[-2000:]


def test_one_trains_while_the_other_waits(make_queue, root):
    queue = make_queue(max_parallel=1, max_per_owner=2)
    first = queue.submit(TINY, name="first", owner="ann")
    second = queue.submit(TINY, name="second", owner="ann")

    with pytest.raises(QueueFull) as refused:
        queue.submit(TINY, name="third", owner="ann")
    assert refused.value.message == Message("queue_full", {"limit": 2})
    assert_sentence(str(refused.value))
    assert len(list(root.iterdir())) == 2  # the refused run left no folder
    other = queue.submit(TINY, name="someone else's", owner="bob")  # the limit is per student

    wait_for(lambda: queue.position(first) is None and worker_alive(first), WORKER_TIMEOUT, "the first worker to start")
    assert queue.position(second) == 1
    assert queue.position(other) == 2
    assert queue.counts() == {"waiting": 2, "training": 1}
    assert state(second) == "queued"

    # Stopping a waiting run is immediate: it never gets a worker.
    queue.stop(other)
    assert state(other) == "stopped"
    assert other.status().text == "Stopped before it started."
    assert queue.position(other) is None and queue.position(second) == 1

    wait_for(lambda: ended(first) and ended(second), WORKER_TIMEOUT, "both runs to end")
    for run in (first, second):
        status = run.status()
        assert status.state == "finished", (status, worker_log(run))
        assert len(run.history()) == 2
        assert run.has_checkpoint()
    assert first != second and first.path.parent == second.path.parent == root
    assert second.status().started >= first.status().ended  # one at a time
    assert first.status().pid != second.status().pid
    assert not other.worker_log_path.exists() and other.status().pid is None
    wait_for(lambda: queue.counts() == {"waiting": 0, "training": 0}, REACT_TIMEOUT, "the queue to empty")
    names = {info.name: info.state for info in run_store.list_runs(root)}
    assert names == {"first": "finished", "second": "finished", "someone else's": "stopped"}


def test_submit_makes_the_folder_outside_the_lock_and_still_keeps_the_limit(make_queue, monkeypatch):
    """Every page's refresh waits on the queue's lock: retention and the new folder happen outside it."""
    queue = make_queue(max_parallel=0, max_per_owner=1)  # no slot: runs stay waiting
    held, inside = [], []

    def retention(root):
        held.append(queue._lock.locked())

    def create(*args, **kwargs):
        held.append(queue._lock.locked())
        if not inside:  # ann's first run is being made: it counts towards her limit already
            inside.append(queue.counts())
            with pytest.raises(QueueFull):
                queue.submit(TINY, owner="ann")
        return real_create(*args, **kwargs)

    real_create = run_store.create_run
    monkeypatch.setattr(housekeeping, "apply_retention", retention)
    monkeypatch.setattr(run_store, "create_run", create)
    first = queue.submit(TINY, owner="ann")
    assert held == [False, False]
    assert inside == [{"waiting": 0, "training": 0}]
    assert queue.position(first) == 1
    second = queue.submit(TINY, owner="bob")
    assert queue.position(second) == 2
    with pytest.raises(QueueFull):
        queue.submit(TINY, owner="ann")
    assert not any(held) and len(held) == 4  # the refused submits made no folder


def test_stop_a_training_run_keeps_its_best_checkpoint(make_queue):
    queue = make_queue()
    run = queue.submit(LONG, name="long", owner="ann")
    wait_for(run.history, WORKER_TIMEOUT, "the first epoch to end")
    queue.stop(run)
    wait_for(lambda: ended(run), WORKER_TIMEOUT, "the run to stop")
    status = run.status()
    assert status.state == "stopped", (status, worker_log(run))
    assert "best checkpoint is kept" in status.text
    assert_sentence(status.text)
    result = run.result()
    assert 1 <= result["epochs_run"] < 60
    assert run.load_model().count_params() > 0


def test_worker_killed_with_sigkill_is_marked_with_a_message(make_queue):
    queue = make_queue()
    run = queue.submit(LONG, name="doomed", owner="ann")
    wait_for(lambda: run.progress().epoch, WORKER_TIMEOUT, "training to begin")
    os.kill(run.status().pid, signal.SIGKILL)
    wait_for(lambda: ended(run), REACT_TIMEOUT, "the queue to notice the dead worker")
    status = run.status()
    assert status.state in ("failed", "interrupted")
    assert "SIGKILL" in status.text
    assert_sentence(status.text)
    assert queue.counts() == {"waiting": 0, "training": 0}


def test_close_kills_workers_and_marks_their_runs(make_queue, root):
    queue = make_queue(max_parallel=1)
    running = queue.submit(LONG, name="running")
    waiting = queue.submit(LONG, name="waiting")
    wait_for(lambda: worker_alive(running), WORKER_TIMEOUT, "the worker to start")
    pid = running.status().pid

    queue.close()
    assert not queue._thread.is_alive()
    assert not running.worker_alive(pid)
    status = running.status()
    assert status.state == "interrupted"
    assert status.text.startswith("The server shut down while this run was training.")
    assert state(waiting) == "queued"  # never started; the next queue marks it

    again = make_queue()
    assert state(waiting) == "interrupted"
    assert waiting.status().text == "The server stopped while this run was waiting in the queue."
    assert again.counts() == {"waiting": 0, "training": 0}


def test_mark_orphans_interrupted(root):
    def run(name: str, state: str, **extra):
        made = run_store.create_run(TINY, name=name, root=root)
        made.set_status(state, **extra)
        return made

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    dead_pid = run("dead pid", "running", pid=dead.pid)
    reused_pid = run("pid reused by another program", "running", pid=os.getpid())
    never_started = run("queued", "queued")
    with_checkpoint = run("dead with checkpoint", "running", pid=dead.pid)
    with_checkpoint.write_checkpoint_bytes(b"stand-in")
    finished = run("finished", "finished", pid=dead.pid)
    alive = run("alive", "running")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", str(alive.path)])
    try:
        alive.set_status("running", pid=sleeper.pid)
        (root / "damaged").mkdir()

        marked = run_store.mark_orphans_interrupted(root)

        assert sorted(marked) == sorted(r.id for r in (dead_pid, reused_pid, never_started, with_checkpoint))
        for orphan in (dead_pid, reused_pid, never_started, with_checkpoint):
            status = orphan.status()
            assert status.state == "interrupted"
            assert_sentence(status.text)
        assert "best checkpoint so far is kept" in with_checkpoint.status().text
        assert "best checkpoint" not in dead_pid.status().text
        assert state(finished) == "finished"
        assert state(alive) == "running"
        assert run_store.mark_orphans_interrupted(root) == []  # nothing left to mark
    finally:
        sleeper.kill()
        sleeper.wait()


def test_scheduler_survives_a_worker_that_cannot_start(make_queue, monkeypatch):
    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    queue = make_queue()
    monkeypatch.setattr("core.services.backends.local.subprocess.Popen", no_space)
    run = queue.submit(TINY, name="unlucky")
    wait_for(lambda: ended(run) or not queue._thread.is_alive(), REACT_TIMEOUT, "the queue to react")
    assert queue._thread.is_alive()
    assert state(run) == "failed"


def test_workers_train_only_on_idle_cpu():
    """The worker yields the CPU to the server's pages at once (Linux SCHED_IDLE; elsewhere nice 19)."""
    from core.services.backends.local import die_with_parent

    probe = "import os; print(hasattr(os, 'SCHED_IDLE') and os.sched_getscheduler(0) == os.SCHED_IDLE, os.nice(0))"
    done = subprocess.run([sys.executable, "-c", probe], preexec_fn=die_with_parent, capture_output=True, text=True)
    idle, niceness = done.stdout.split()
    if hasattr(os, "SCHED_IDLE"):
        assert idle == "True"
    else:
        assert int(niceness) == 19
