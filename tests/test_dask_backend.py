"""The `dask` training backend against a real class cluster on 127.0.0.1, started as the README says.

Every test starts its own stock `dask scheduler` with the class key, in a
folder outside the app and without the app on its path (`--port 0`, a
scheduler file), and lab PCs with `bash scripts/labpc.sh ADDRESS KEY-FILE`
(`tests/helpers_cluster.py`); it kills them, with everything they started,
at the end. The runs are tiny (800 images) so each test takes well under a
minute on 2 cores.
"""

from __future__ import annotations

import shutil
import time

import pytest
from helpers_core import TINY_MODEL, assert_sentence, wait_for

from core.lesson.config import RunConfig
from core.lesson.sketches import COUNT
from core.services import class_budget, run_store
from core.services.backends import versions
from core.services.training_queue import estimate_schedule

TINY = RunConfig.from_dict({"model": TINY_MODEL, "train": {"epochs": 2, "train_size": 800, "seed": 7}})
LONG = RunConfig.from_dict({"model": TINY_MODEL, "train": {"epochs": 60, "patience": 20, "train_size": 800}})
TIMEOUT = 180  # seconds; a busy 2-core machine starts TensorFlow slowly


def one_image_batches(epochs: int) -> RunConfig:
    """A tiny run of 800 one-image batches an epoch, one batch per call (fast math off).

    Its epoch lasts well over the 0.5 s between two live writes on any CPU,
    so a test can see it mid-epoch (LONG's 25 batches may run as two calls of
    16, both done before a write is due on a fast machine), and it outlasts the test.
    """
    train = {"epochs": epochs, "patience": 20, "train_size": 800, "batch_size": 1, "fast_math": False}
    return RunConfig.from_dict({"model": TINY_MODEL, "train": train})


def accepted_workers(queue, n):
    return wait_for(lambda: len([r for r in queue.cluster() if not r.get("refused")]) >= n, 120, f"{n} workers")


def ended(run):
    return run.status().state in run_store.FINAL_STATES


def history_ok(run, epochs):
    return len(run.history()) >= epochs


def test_same_history_local_and_dask_with_scattered_data(cluster, queues):
    """A worker told to use the server's data gets it scattered once; its run equals a local run."""
    cluster.lab_pc(env={"CNN_LAB_WORKER_DATA": "server"})
    queue = queues(cluster)
    assert queue.backend_name == "dask" and queue.notice is None
    accepted_workers(queue, 1)
    remote = queue.submit(TINY, name="remote", owner="a")
    wait_for(lambda: ended(remote), TIMEOUT, "the remote run to end", 0.5)
    second = queue.submit(TINY, name="remote again", owner="a")
    wait_for(lambda: ended(second), TIMEOUT, "the second remote run to end", 0.5)
    for run in (remote, second):
        assert run.status().state == "finished", (
            run.status().text,
            (run.path / "error.txt").is_file() and (run.path / "error.txt").read_text(),
        )
    backend = queue.backend
    assert len(backend._data_future) == 1  # scattered once for this worker, reused by the second run
    held = backend.client.has_what()
    assert sum(1 for keys in held.values() for _ in keys) == 1

    local_queue = queues()
    local = local_queue.submit(TINY, name="local", owner="a")
    wait_for(lambda: ended(local), TIMEOUT, "the local run to end", 0.5)

    for run in (remote, second, local):
        assert run.status().state == "finished", run.status().text
    assert remote.status().updated and remote.status().pid is None
    a, b, c = remote.history(), second.history(), local.history()
    assert len(a) == len(b) == len(c) == 2
    for ra, rb, rc in zip(a, b, c, strict=True):
        for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
            assert ra[key] == pytest.approx(rc[key], rel=1e-4, abs=1e-5), key
            assert rb[key] == pytest.approx(rc[key], rel=1e-4, abs=1e-5), key  # a second run on the same worker
    assert remote.result()["test_accuracy"] == pytest.approx(local.result()["test_accuracy"], abs=1e-5)
    # Everything came back to the server's folder: kernels, checkpoint, TensorBoard logs, result.
    assert remote.kernel_epochs() == [0, 1, 2]
    assert remote.kernels(2)["conv1.kernel"].shape == local.kernels(2)["conv1.kernel"].shape
    remote.load_model()
    assert any(remote.log_dir.rglob("events.out.tfevents*"))


def test_worker_killed_mid_epoch_two_workers_stop_and_owners(cluster, queues):
    first = cluster.lab_pc()
    queue = queues(cluster)
    accepted_workers(queue, 1)
    doomed = queue.submit(one_image_batches(60), name="doomed", owner="alice")  # goes to the only worker so far
    wait_for(lambda: doomed.status().state == "running", 60, "the first run to be sent")
    cluster.lab_pc()
    accepted_workers(queue, 2)
    other = queue.submit(one_image_batches(50), name="other", owner="bob")
    wait_for(lambda: history_ok(doomed, 2) and doomed.has_checkpoint(), TIMEOUT, "two epochs of the first run", 0.3)
    wait_for(lambda: other.progress().batch, TIMEOUT, "the second run to train")
    workers = {row["worker"]: row["run"] for row in queue.cluster()}
    assert sorted(r.id for r in workers.values() if r) == sorted([doomed.id, other.id])  # two at once
    # Live numbers reach the server's folder well within 1.5 s of the worker writing them (one clock here).
    delays = []
    for _ in range(10):
        progress_file = other.path / "progress.json"
        delays.append(progress_file.stat().st_mtime - other.progress().updated)
        time.sleep(0.3)
    assert sorted(delays)[len(delays) // 2] < 1.5, delays
    # Each run's live numbers are its own (60 vs 50 epochs), never the other's.
    assert doomed.progress().epochs == 60 and other.progress().epochs == 50

    wait_for(lambda: 0 < doomed.progress().batch < doomed.progress().steps, 60, "mid-epoch", 0.02)
    cluster.kill(first)
    wait_for(lambda: ended(doomed), 30, "the killed run to end", 0.2)
    status = doomed.status()
    assert status.state == "interrupted"
    assert status.messages[0].key == "worker_lost"
    assert "checkpoint_kept" in [m.key for m in status.messages]
    assert_sentence(status.text)
    assert len(doomed.history()) >= 2
    doomed.load_model()  # the last best checkpoint that reached the server loads

    assert other.status().state == "running"  # untouched on the other worker
    before = len(other.history())
    asked = time.time()
    queue.stop(other)
    wait_for(lambda: ended(other), 90, "the stopped run to end", 0.1)  # after it evaluates its best checkpoint
    # Training stopped within a few seconds: no live update was sent later than that (same clock: one machine).
    assert other.progress().updated - asked < 5
    assert other.status().state == "stopped", other.status().text
    assert len(other.history()) >= before and other.result().get("test_accuracy") is not None

    after = queue.submit(TINY, name="after", owner="alice")  # the queue goes on on the surviving worker
    wait_for(lambda: ended(after), TIMEOUT, "the next run to end", 0.5)
    assert after.status().state == "finished", after.status().text
    mine = [info.id for info in run_store.list_runs() if info.owner == "alice"]
    assert sorted(mine) == sorted([doomed.id, after.id]) and other.id not in mine


def test_scheduler_unreachable_at_start_trains_locally(queues):
    queue = queues(dask_scheduler="tcp://127.0.0.1:9")  # nothing listens on the discard port
    assert queue.backend_name == "local"
    assert queue.notice.key == "dask_unreachable"
    assert_sentence(str(queue.notice))
    run = queue.submit(TINY, owner="a")
    wait_for(lambda: ended(run), TIMEOUT, "the local run to end", 0.5)
    assert run.status().state == "finished"


def test_scheduler_lost_while_training_and_queued(cluster, queues):
    cluster.lab_pc()
    queue = queues(cluster)
    accepted_workers(queue, 1)
    training = queue.submit(LONG, owner="a")
    waiting = queue.submit(TINY, owner="b")  # the only worker is busy: it waits in the queue
    wait_for(lambda: history_ok(training, 1), TIMEOUT, "the remote run to train", 0.3)
    assert queue.position(waiting) == 1
    cluster.kill(cluster.scheduler)
    wait_for(lambda: ended(training), 60, "the remote run to end", 0.2)
    assert training.status().state == "interrupted"
    assert training.status().messages[0].key == "scheduler_lost_running"
    assert queue.backend_name == "local" and queue.notice.key == "dask_lost"
    assert_sentence(str(queue.notice))
    wait_for(lambda: ended(waiting), TIMEOUT, "the waiting run to train locally", 0.5)
    assert waiting.status().state == "finished"
    assert waiting.status().messages  # a sentence, not a silent end


def test_worker_with_other_code_is_refused(cluster, queues, tmp_path):
    """A lab PC with another CNN Lab (its own checkout, sharing this one's packages) joins but never trains."""
    copy = tmp_path / "other-checkout"
    for folder in ("core", "locales", "scripts"):
        shutil.copytree(run_store.APP_DIR / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(run_store.APP_DIR / "requirements.txt", copy)
    (copy / ".venv").symlink_to(run_store.APP_DIR / ".venv")
    model = copy / "core" / "lesson" / "model.py"
    model.write_text(model.read_text() + "\n# changed\n")
    cluster.lab_pc(checkout=copy)
    queue = queues(cluster)
    rows = wait_for(lambda: [r for r in queue.cluster() if r.get("refused")], 120, "the worker to be checked")
    assert [m.key for m in rows[0]["refused"]] == ["differs_core"]
    assert_sentence(str(rows[0]["refused"][0]))
    run = queue.submit(TINY, owner="a")
    assert queue.backend.free_slots() == 0  # its only worker is refused: nothing can take the run
    assert run.status().state == "queued" and queue.position(run) == 1  # never trains with other code


def test_version_differences_name_the_package():
    server = versions.fingerprint()
    worker = {**server, "packages": {**server["packages"], "keras": "3.0.0"}}
    assert versions.differences(server, server) == []
    found = versions.differences(server, worker)
    assert [str(m) for m in found] == [f"It has keras 3.0.0, the server keras {server['packages']['keras']}."]


def test_estimate_schedule_fills_the_slot_that_frees_first():
    starts, ends = estimate_schedule([10.0, 0.0], [5.0, 5.0, 5.0])
    assert starts == [0.0, 5.0, 10.0] and ends == [5.0, 10.0, 15.0]


def test_class_budget_trims_new_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("CNN_LAB_CLASSROOM_DIR", str(tmp_path / "classroom"))
    class_budget.write(class_budget.Budget(max_epochs=3, max_train_size=2000, presets=("quick",)))
    budget = class_budget.read()
    assert budget.allowed_presets() == ["quick"]
    trimmed, changed = budget.apply(RunConfig())  # the lesson: 20 epochs of all 48,000 images
    assert changed == ["epochs", "train_size"]
    assert trimmed.train.epochs == 3 and trimmed.train.train_size == 2000
    assert budget.apply(TINY)[1] == []


@pytest.mark.parametrize(
    ("most", "photos", "drawings"),
    [(3 * COUNT, 2 * COUNT, True), (2 * COUNT, COUNT, True), (2 * COUNT - 100, 2 * COUNT - 100, False)],
)
def test_class_budget_counts_the_training_drawings(most, photos, drawings):
    """The shipped drawings join the photos: the budget leaves room for them, or turns them off when the photos
    would no longer outnumber them."""
    cfg = RunConfig().with_values(training_drawings=True)
    trimmed, changed = class_budget.Budget(max_train_size=most).apply(cfg)
    assert trimmed.train.train_size == photos and trimmed.train.training_drawings is drawings
    assert trimmed.train.effective_train_size() <= most
    assert changed == (["train_size"] if drawings else ["train_size", "training_drawings"])
