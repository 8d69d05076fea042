"""Faults a classroom meets: the app killed mid-epoch or mid-checkpoint, a full disk, broken data at start-up.

The "app process" here is a small Python process that owns a TrainingQueue,
exactly as the Streamlit server does; SIGKILLing it must take its worker
with it, and the next start must mark the run interrupted with its last good
checkpoint still loadable, and leave every other run untouched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers_core import APP_DIR, TINY_MODEL, wait_for
from streamlit.testing.v1 import AppTest

from core.lesson import data
from core.lesson.config import RunConfig
from core.services import run_store
from core.services.training_queue import TrainingQueue

LONG = RunConfig.from_dict({"model": TINY_MODEL, "train": {"epochs": 60, "patience": 20, "train_size": 800}})
TIMEOUT = 300  # generous: worker start-up is slow on a busy 2-core machine

APP_PROCESS = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from core.lesson.config import RunConfig
    from core.services.training_queue import TrainingQueue
    queue = TrainingQueue(Path(sys.argv[1]))
    run = queue.submit(RunConfig.from_json(sys.argv[2]), name="victim", owner="student")
    print(run.path, flush=True)
    time.sleep(3600)
    """
)

# Injected into the worker through PYTHONPATH: the second checkpoint save writes half a file,
# says so, and hangs, so the test can kill the app exactly while a checkpoint is being written.
SLOW_SAVE = textwrap.dedent(
    """
    import os
    if os.environ.get("CNN_LAB_TEST_HANG_IN_SAVE"):
        import time, keras
        from pathlib import Path
        real_save, calls = keras.Model.save, []
        def save(self, filepath, *args, **kwargs):
            calls.append(filepath)
            if len(calls) < 2:
                return real_save(self, filepath, *args, **kwargs)
            Path(filepath).write_bytes(b"PK\\x03\\x04 half a zip")
            Path(os.environ["CNN_LAB_TEST_HANG_IN_SAVE"]).touch()
            time.sleep(3600)
        keras.Model.save = save
    """
)


def files_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def classroom(tmp_path, tiny_run, tiny_dataset_dir, monkeypatch):
    """A runs folder holding one finished run of another student, and the env the workers need."""
    root = tmp_path / "runs"
    root.mkdir()
    bystander = root / tiny_run.id
    shutil.copytree(tiny_run.path, bystander)
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tiny_dataset_dir))
    return root, bystander


def start_app_process(root: Path, env: dict) -> tuple[subprocess.Popen, run_store.Run]:
    proc = subprocess.Popen(
        [sys.executable, "-c", APP_PROCESS, str(root), LONG.to_json()],
        cwd=APP_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    return proc, run_store.Run(proc.stdout.readline().strip())


def kill_app_and_restart(proc: subprocess.Popen, run: run_store.Run, root: Path) -> run_store.RunInfo:
    worker = wait_for(lambda: run.status().pid, TIMEOUT, "the worker's pid")
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)
    wait_for(lambda: not run.worker_alive(worker), 30, "the worker to die with the app")
    TrainingQueue(root).close()  # the next start of the app
    return run_store.read_run(run)


def test_app_killed_mid_epoch(classroom):
    root, bystander = classroom
    before = files_digest(bystander)
    proc, run = start_app_process(root, dict(os.environ))
    try:
        wait_for(lambda: len(run.history()) >= 2, TIMEOUT, "two finished epochs")
        wait_for(lambda: run.progress().batch > 0, 30, "a batch mid-epoch")
        info = kill_app_and_restart(proc, run, root)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert info.state == "interrupted"
    assert "checkpoint" in info.status.text
    model = run.load_model()
    assert model.count_params() > 0
    assert files_digest(bystander) == before  # nobody else's run was touched
    assert [r.state for r in run_store.list_runs(root)].count("finished") == 1


def test_app_killed_while_a_checkpoint_is_written(classroom, tmp_path):
    root, bystander = classroom
    before = files_digest(bystander)
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(SLOW_SAVE)
    hanging = tmp_path / "hanging-in-save"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(inject), os.environ.get("PYTHONPATH", "")]),
        "CNN_LAB_TEST_HANG_IN_SAVE": str(hanging),
    }
    proc, run = start_app_process(root, env)
    try:
        wait_for(hanging.exists, TIMEOUT, "the worker to hang inside its second checkpoint save")
        good = run.checkpoint_path.read_bytes()
        info = kill_app_and_restart(proc, run, root)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert info.state == "interrupted"
    assert run.checkpoint_path.read_bytes() == good  # the half-written file never replaced it
    assert run.load_model().count_params() > 0
    assert files_digest(bystander) == before


@pytest.fixture
def tiny_disk(tmp_path):
    """A 700 KB filesystem: room for a run's small files, not for its checkpoint and kernels."""
    mount = tmp_path / "tiny-disk"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=700k", "tmpfs", str(mount)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.decode().strip()})")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_disk_fails_the_run_with_a_message_and_the_queue_goes_on(tiny_disk, tiny_dataset_dir, monkeypatch):
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tiny_dataset_dir))
    big = RunConfig.from_dict({"model": {"conv_filters": [32, 64]}, "train": {"epochs": 2, "train_size": 800}})
    queue = TrainingQueue(tiny_disk)
    try:
        first = queue.submit(big, name="too big for the disk")
        wait_for(lambda: not first.status().active, TIMEOUT, "the run to end")
        status = first.status()
        assert status.state == "failed"
        assert "disk is full" in status.text
        first.delete()  # the teacher frees space: the same queue trains the next run
        second = queue.submit(RunConfig.from_dict({"model": TINY_MODEL, "train": {"epochs": 1, "train_size": 800}}))
        wait_for(lambda: not second.status().active, TIMEOUT, "the next run")
        assert second.status().state == "finished"
    finally:
        queue.close()


@pytest.fixture
def broken_data(tmp_path, tiny_dataset_dir, monkeypatch):
    """Only a truncated copy of the dataset can be found; the Streamlit caches start empty."""
    folder = tmp_path / "broken"
    shutil.copytree(tiny_dataset_dir, folder)
    images = folder / data.FILES["train_images"]
    images.write_bytes(images.read_bytes()[:5000])
    monkeypatch.setenv("FASHION_MNIST_DIR", str(folder))
    monkeypatch.setenv("CNN_LAB_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setattr(data, "DEBIAN_DIR", tmp_path / "no-debian")
    monkeypatch.setattr(data, "KERAS_CACHE_DIR", tmp_path / "no-cache")
    import streamlit as st

    st.cache_resource.clear()
    yield folder
    st.cache_resource.clear()


def test_truncated_dataset_at_start_up_the_app_starts_and_says_what_to_do(broken_data):
    at = AppTest.from_file(str(APP_DIR / "app.py"), default_timeout=60).run()
    assert not at.exception
    shown = "\n".join(e.value for e in [*at.error, *at.markdown, *at.code])
    assert "damaged" in shown and "apt-get install dataset-fashion-mnist" in shown
    for page in ("data", "train", "classify", "evaluate", "filters", "model"):
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, page


def test_missing_dataset_at_start_up_the_app_starts_and_says_what_to_do(broken_data):
    (broken_data / data.FILES["test_labels"]).unlink()
    at = AppTest.from_file(str(APP_DIR / "app.py"), default_timeout=60).run()
    assert not at.exception
    shown = "\n".join(e.value for e in [*at.error, *at.markdown, *at.code])
    assert "was not found" in shown and "FASHION_MNIST_DIR" in shown
