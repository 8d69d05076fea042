"""core.services.housekeeping (rename, delete, retention), run_tables (rows, CSV), damaged folders, TensorBoard."""

from __future__ import annotations

import ast
import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers_core import APP_DIR, damage

from core.lesson.config import RunConfig
from core.lesson.presets import PRESETS
from core.messages import Message
from core.services import housekeeping, run_store, run_tables
from core.services.housekeeping import HousekeepingError, Retention
from core.services.run_store import Run, RunInfo, Status


def make_run(root, name="run", owner="me", state="finished", created=None, payload=0) -> Run:
    run = run_store.create_run(PRESETS["quick"], name=name, owner=owner, root=root)
    if created is not None:
        run.write_meta({**run.meta(), "created": created})
    run.set_status(state)
    if payload:
        run.write_checkpoint_bytes(b"\0" * payload)
    return run


def info(id_, created, state="finished", damaged=None):
    return RunInfo(run=Run(id_), created=created, status=Status(state=state), damaged=damaged)


def copy_run(run: Run, folder: Path) -> Run:
    shutil.copytree(run.path, folder)
    return Run(folder)


# ---------------------------------------------------------------- rename and delete


def test_rename_rewrites_meta_and_keeps_the_rest(tmp_path):
    run = make_run(tmp_path, name="first", owner="tok")
    before = run.meta()
    assert housekeeping.rename_run(run, "  Dropout\n 0.5  ") == "Dropout 0.5"
    assert run.meta() == {**before, "name": "Dropout 0.5"}
    assert run_store.list_runs(tmp_path)[0].name == "Dropout 0.5"
    assert len(housekeeping.rename_run(run, "x" * 200)) == housekeeping.MAX_NAME_LENGTH
    with pytest.raises(HousekeepingError) as err:
        housekeeping.rename_run(run, "   ")
    assert err.value.key == "rename_name"
    damage(run, "meta.json", "{not json")
    with pytest.raises(HousekeepingError) as err:
        housekeeping.rename_run(run, "new")
    assert err.value.key == "rename_meta"


def test_delete_removes_only_runs_of_the_runs_folder(tmp_path):
    root = tmp_path / "runs"
    run = make_run(root)
    outsider = make_run(tmp_path / "elsewhere")
    with pytest.raises(HousekeepingError) as err:
        housekeeping.delete_run(outsider, root)
    assert err.value.key == "delete_outside" and outsider.path.is_dir()
    with pytest.raises(HousekeepingError):
        housekeeping.delete_run(Run(run_store.DEFAULT_RUN_DIR), root)
    assert run_store.DEFAULT_RUN_DIR.is_dir()
    housekeeping.delete_run(run, root)
    assert not run.path.exists() and run_store.list_runs(root) == []


def test_delete_refuses_a_run_that_trains_or_waits(tmp_path):
    root = tmp_path / "runs"
    queued = make_run(root, state="queued")
    running = make_run(root, state="running")
    orphan = make_run(root, state="running")  # its process is gone: the server died
    # A live process whose command line names the run, as the training worker's does.
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", running.id])
    try:
        running.set_status("running", pid=worker.pid)
        orphan.set_status("running", pid=worker.pid)  # pid alive, but not this run's worker
        for run in (queued, running):
            with pytest.raises(HousekeepingError) as err:
                housekeeping.delete_run(run, root)
            assert err.value.key == "delete_active" and run.path.is_dir()
        housekeeping.delete_run(orphan, root)
        assert not orphan.path.exists()
    finally:
        worker.kill()
        worker.wait()


# ---------------------------------------------------------------- retention


def test_retention_from_env():
    assert housekeeping.retention_from_env({}) == Retention()
    assert not housekeeping.retention_from_env({"CNN_LAB_MAX_RUNS": "", "CNN_LAB_MAX_RUNS_MB": "0"}).active
    policy = housekeeping.retention_from_env({"CNN_LAB_MAX_RUNS": "50", "CNN_LAB_MAX_RUNS_MB": "1.5"})
    assert policy == Retention(max_runs=50, max_bytes=1_572_864)
    assert housekeeping.retention_from_env({"CNN_LAB_MAX_RUNS": "many"}) == Retention()


def test_runs_to_remove_oldest_finished_first_never_active_or_damaged():
    infos = [
        info("a-running", 1, "running"),
        info("b-queued", 2, "queued"),
        info("c-damaged", 0, damaged=Message("run_no_meta")),
        info("d-failed", 4, "failed"),
        info("e-finished", 3, "finished"),
        info("f-finished", 6, "finished"),
        info("g-stopped", 5, "stopped"),
    ]
    assert housekeeping.runs_to_remove(infos, Retention()) == []
    chosen = housekeeping.runs_to_remove(infos, Retention(max_runs=5))
    assert [i.id for i in chosen] == ["e-finished", "d-failed"]
    # Asking for more than can be removed: every ended run goes, the others stay.
    chosen = housekeeping.runs_to_remove(infos, Retention(max_runs=1))
    assert [i.id for i in chosen] == ["e-finished", "d-failed", "g-stopped", "f-finished"]
    sizes = {"a-running": 500, "b-queued": 500, "c-damaged": 0, "d-failed": 100, "e-finished": 300}
    sizes |= {"f-finished": 100, "g-stopped": 100}
    chosen = housekeeping.runs_to_remove(infos, Retention(max_bytes=1300), sizes)
    assert [i.id for i in chosen] == ["e-finished"]
    assert housekeeping.runs_to_remove(infos, Retention(max_runs=7, max_bytes=10_000), sizes) == []


def test_apply_retention_on_disk(tmp_path):
    root = tmp_path / "runs"
    old = make_run(root, name="old", created=100, payload=2000)
    running = make_run(root, name="running", created=50, state="running", payload=2000)
    newer = make_run(root, name="newer", created=200, payload=2000)
    newest = make_run(root, name="newest", created=300, payload=2000)
    assert housekeeping.apply_retention(root, Retention(max_runs=3)) == [old.id]
    assert sorted(p.name for p in root.iterdir()) == sorted([running.id, newer.id, newest.id])
    assert housekeeping.folder_size(running.path) == running.size_bytes()
    budget = running.size_bytes() + newest.size_bytes() + 10
    assert housekeeping.apply_retention(root, Retention(max_bytes=budget)) == [newer.id]
    assert running.path.is_dir() and newest.path.is_dir()
    assert housekeeping.apply_retention(root, Retention(max_runs=1)) == [newest.id]
    assert [p.name for p in root.iterdir()] == [running.id]  # a training run is never removed


# ---------------------------------------------------------------- damaged folders


def test_damaged_run_folders_do_not_break_the_list(tmp_path, tiny_run):
    root = tmp_path / "runs"
    good = copy_run(tiny_run, root / tiny_run.id)
    (root / "no-meta").mkdir()
    half = copy_run(tiny_run, root / "half-written")
    damage(half, "meta.json", '{"id": "half", "na')
    bad_config = copy_run(tiny_run, root / "bad-config")
    damage(bad_config, "config.json", json.dumps({"model": {"conv_filters": [0]}}))
    no_config = copy_run(tiny_run, root / "no-config")  # killed between meta.json and config.json
    damage(no_config, "config.json", '{"model": {"conv_fil')
    garbage = copy_run(tiny_run, root / "garbage-files")
    damage(garbage, "status.json", b"\xff\xfe")
    damage(garbage, "history.json", "[{")
    (root / "stray.txt").write_text("not a run", encoding="utf-8")

    listed = {i.id: i for i in run_store.list_runs(root)}
    assert set(listed) == {good.id, "no-meta", "half-written", "bad-config", "no-config", "garbage-files"}
    assert listed["no-config"].state == "damaged" and "config.json" in str(listed["no-config"].damaged)
    assert listed["no-meta"].state == listed["half-written"].state == "damaged"
    assert listed["half-written"].damaged == Message("run_no_meta") and "meta.json" in str(listed["no-meta"].damaged)
    assert listed["bad-config"].state == "damaged" and "filters" in str(listed["bad-config"].damaged)
    assert listed["garbage-files"].state == "unknown" and listed["garbage-files"].history == []
    assert listed[good.id].state == "finished" and listed[good.id].has_checkpoint and not listed[good.id].damaged
    for one in listed.values():  # every table row can be built
        assert run_tables.summary_row(one)["id"] == one.id
    board = run_tables.leaderboard(list(listed.values()))
    assert {row["id"]: row["rank"] for row in board} == {good.id: 1, "garbage-files": 1}  # the same result
    chosen = housekeeping.runs_to_remove(list(listed.values()), Retention(max_runs=1))
    assert {i.id for i in chosen} == {good.id}  # damaged folders are left for a person to look at


def test_copied_run_folder_appears_on_another_machine(tmp_path, tiny_run):
    other_root = tmp_path / "other-machine-runs"
    shutil.copytree(tiny_run.path, other_root / tiny_run.id, copy_function=shutil.copyfile)
    (copied,) = run_store.list_runs(other_root)
    original = run_store.read_run(tiny_run)
    assert (copied.name, copied.state, copied.config, copied.history) == (
        original.name,
        original.state,
        original.config,
        original.history,
    )
    assert copied.has_checkpoint


# ---------------------------------------------------------------- tables and exports


def test_summary_row_and_leaderboard_show_names_never_owners(tiny_run):
    from core.lesson.model import count_params

    one = run_store.read_run(tiny_run)
    row = run_tables.summary_row(one)
    assert row["params"] == count_params(one.config.model) == tiny_run.load_model().count_params()
    assert row["test_accuracy"] == one.result["test_accuracy"]
    assert row["epochs"] == len(one.history) and row["conv_filters"] == "8 → 16"
    twins = [
        RunInfo(run=Run(f"r{i}"), name=f"n{i}", owner=f"secret{i}", created=i, result={"test_accuracy": acc})
        for i, acc in enumerate((0.8, 0.9, 0.8, 0.7))
    ]
    board = run_tables.leaderboard(twins)
    assert [(r["rank"], r["name"]) for r in board] == [(1, "n1"), (2, "n0"), (2, "n2"), (4, "n3")]
    assert "secret" not in json.dumps(board) and "owner" not in row


def test_history_csv_reloads_to_the_same_numbers(tiny_run):
    history = tiny_run.history()
    text = run_tables.history_csv(history)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert next(csv.reader(io.StringIO(text)))[:5] == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy"]
    assert len(rows) == len(history)
    for row, original in zip(rows, history, strict=True):
        assert {key: float(value) for key, value in row.items()} == pytest.approx(original, rel=1e-12)
    assert run_tables.history_csv([]) == "\n"


def test_exported_model_and_config_reload_to_the_same_predictions(tiny_run, tiny_splits, tmp_path):
    import keras

    from core.lesson.model import build_model

    exported = tmp_path / "download.keras"
    served = tiny_run.portable_model_bytes()  # what the download button serves
    assert served == tiny_run.checkpoint_path.read_bytes()  # a float32 run's checkpoint as it is
    exported.write_bytes(served)
    config = RunConfig.from_json(run_store.read_run(tiny_run).config.to_json())
    assert config == tiny_run.config()
    original = tiny_run.load_model()
    reloaded = keras.saving.load_model(exported, compile=False, safe_mode=True)
    x = tiny_splits.x_test[:64]
    np.testing.assert_allclose(reloaded(x, training=False), original(x, training=False), atol=1e-6)
    rebuilt = build_model(config.model)  # the config alone rebuilds the same architecture
    rebuilt.set_weights(reloaded.get_weights())
    np.testing.assert_allclose(rebuilt(x, training=False), original(x, training=False), atol=1e-6)


# ---------------------------------------------------------------- TensorBoard


def read_events(log_dir: Path) -> dict[str, list[tuple[int, np.ndarray]]]:
    """Every tensor summary of every event file under `log_dir`, by tag, through TensorFlow's own
    reader (which checks each record's CRC): `{tag: [(step, array), ...]}`."""
    import tensorflow as tf

    found = {}
    for path in sorted(log_dir.glob("*tfevents*")):
        for event in tf.compat.v1.train.summary_iterator(str(path)):
            for value in event.summary.value:
                found.setdefault(value.tag, []).append((event.step, tf.make_ndarray(value.tensor)))
    return found


def test_training_writes_tensorboard_scalars_and_kernel_histograms(tiny_run):
    """The tiny run was trained by `train_run`: its log folder holds the curves and the kernels epoch by epoch."""
    history = tiny_run.history()
    epochs = [row["epoch"] - 1 for row in history]  # Keras counts TensorBoard steps from 0
    train = read_events(tiny_run.log_dir / "train")
    validation = read_events(tiny_run.log_dir / "validation")
    for events, key in ((train, "loss"), (validation, "val_loss")):
        assert [step for step, _ in events["epoch_loss"]] == epochs
        np.testing.assert_allclose(
            [float(v) for _, v in events["epoch_loss"]], [row[key] for row in history], rtol=1e-5
        )

    # The first conv layer's kernel, as a histogram per epoch: (buckets, 3) rows of [left edge, right edge, count].
    (tag,) = [tag for tag in train if tag.endswith("conv1/kernel/histogram")]  # the model's name comes first
    histograms = train[tag]
    assert [step for step, _ in histograms] == epochs
    for step, histogram in histograms:
        kernel = tiny_run.kernels(step + 1)["conv1.kernel"]  # the snapshot taken at the end of the same epoch
        assert histogram.ndim == 2 and histogram.shape[1] == 3
        assert histogram[:, 2].sum() == kernel.size == 3 * 3 * 1 * 8
        assert histogram[0, 0] == pytest.approx(kernel.min(), abs=1e-6)
        assert histogram[-1, 1] == pytest.approx(kernel.max(), abs=1e-6)
    assert not np.array_equal(histograms[0][1], histograms[-1][1])  # the kernels moved while training


TENSORBOARD_WRITERS = {"TensorBoard", "create_file_writer", "log_dir", "update_logs", "write_tensorboard_logs"}


@pytest.mark.parametrize(
    "module",
    sorted(
        p.relative_to(APP_DIR) for p in [APP_DIR / "app.py", *APP_DIR.glob("app_pages/*.py"), *APP_DIR.glob("ui/*.py")]
    ),
    ids=str,
)
def test_no_page_writes_tensorboard_logs(module):
    """Only training writes TensorBoard logs; pages (and the UI helpers) never do, not even for old runs."""
    tree = ast.parse((APP_DIR / module).read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [name for name in imported if "tensorboard" in name or name.startswith("tensorflow")], imported
    used = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    used |= {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert not used & TENSORBOARD_WRITERS, used & TENSORBOARD_WRITERS
