"""core.services.housekeeping and its TensorBoard logs: rename, delete, retention, exports, damaged folders."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from core.lesson.config import RunConfig
from core.lesson.presets import PRESETS
from core.services import housekeeping, run_store
from core.services import tensorboard as tb
from core.services.housekeeping import HousekeepingError, Retention


def make_run(root, name="run", owner="me", state="finished", created=None, payload=0):
    run_dir = run_store.create_run(PRESETS["quick"], name=name, owner=owner, root=root)
    if created is not None:
        meta = run_store.read_json(run_dir / "meta.json")
        run_store.write_json(run_dir / "meta.json", {**meta, "created": created})
    run_store.set_status(run_dir, state)
    if payload:
        (run_dir / "best.keras").write_bytes(b"\0" * payload)
    return run_dir


def info(id_, created, state="finished", damaged=""):
    return run_store.RunInfo(path=None, id=id_, created=created, status={"state": state}, damaged=damaged)


# ---------------------------------------------------------------- rename and delete


def test_rename_rewrites_meta_and_keeps_the_rest(tmp_path):
    run_dir = make_run(tmp_path, name="first", owner="tok")
    before = run_store.read_json(run_dir / "meta.json")
    assert housekeeping.rename_run(run_dir, "  Dropout\n 0.5  ") == "Dropout 0.5"
    after = run_store.read_json(run_dir / "meta.json")
    assert after == {**before, "name": "Dropout 0.5"}
    assert run_store.list_runs(tmp_path)[0].name == "Dropout 0.5"
    assert len(housekeeping.rename_run(run_dir, "x" * 200)) == housekeeping.MAX_NAME_LENGTH
    with pytest.raises(HousekeepingError) as err:
        housekeeping.rename_run(run_dir, "   ")
    assert err.value.key == "rename_name"
    (run_dir / "meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(HousekeepingError) as err:
        housekeeping.rename_run(run_dir, "new")
    assert err.value.key == "rename_meta"


def test_delete_removes_only_runs_of_the_runs_folder(tmp_path):
    root = tmp_path / "runs"
    run_dir = make_run(root)
    outsider = make_run(tmp_path / "elsewhere")
    with pytest.raises(HousekeepingError) as err:
        housekeeping.delete_run(outsider, root)
    assert err.value.key == "delete_outside" and outsider.is_dir()
    with pytest.raises(HousekeepingError):
        housekeeping.delete_run(run_store.DEFAULT_RUN_DIR, root)
    assert run_store.DEFAULT_RUN_DIR.is_dir()
    housekeeping.delete_run(run_dir, root)
    assert not run_dir.exists() and run_store.list_runs(root) == []


def test_delete_refuses_a_run_that_trains_or_waits(tmp_path):
    root = tmp_path / "runs"
    queued = make_run(root, state="queued")
    running = make_run(root, state="running")
    orphan = make_run(root, state="running")  # its process is gone: the server died
    # A live process whose command line names the run, as the training worker's does.
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", running.name])
    try:
        run_store.set_status(running, "running", pid=worker.pid)
        run_store.set_status(orphan, "running", pid=worker.pid)  # pid alive, but not this run's worker
        for run_dir in (queued, running):
            with pytest.raises(HousekeepingError) as err:
                housekeeping.delete_run(run_dir, root)
            assert err.value.key == "delete_active" and run_dir.is_dir()
        housekeeping.delete_run(orphan, root)
        assert not orphan.exists()
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
        info("c-damaged", 0, damaged="meta.json is missing or unreadable"),
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
    assert housekeeping.apply_retention(root, Retention(max_runs=3)) == [old.name]
    assert sorted(p.name for p in root.iterdir()) == sorted([running.name, newer.name, newest.name])
    budget = housekeeping.folder_size(running) + housekeeping.folder_size(newest) + 10
    assert housekeeping.apply_retention(root, Retention(max_bytes=budget)) == [newer.name]
    assert running.is_dir() and newest.is_dir()
    assert housekeeping.apply_retention(root, Retention(max_runs=1)) == [newest.name]
    assert [p.name for p in root.iterdir()] == [running.name]  # a training run is never removed


# ---------------------------------------------------------------- damaged folders


def test_damaged_run_folders_do_not_break_the_list(tmp_path, tiny_run):
    root = tmp_path / "runs"
    good = root / tiny_run.name
    shutil.copytree(tiny_run, good)
    (root / "no-meta").mkdir()
    half = root / "half-written"
    shutil.copytree(tiny_run, half)
    (half / "meta.json").write_text('{"id": "half", "na', encoding="utf-8")
    bad_config = root / "bad-config"
    shutil.copytree(tiny_run, bad_config)
    (bad_config / "config.json").write_text(json.dumps({"model": {"conv_filters": [0]}}), encoding="utf-8")
    no_config = root / "no-config"  # killed between meta.json and config.json
    shutil.copytree(tiny_run, no_config)
    (no_config / "config.json").write_text('{"model": {"conv_fil', encoding="utf-8")
    garbage = root / "garbage-files"
    shutil.copytree(tiny_run, garbage)
    (garbage / "status.json").write_bytes(b"\xff\xfe")
    (garbage / "history.json").write_text("[{", encoding="utf-8")
    (root / "stray.txt").write_text("not a run", encoding="utf-8")

    listed = {i.id: i for i in run_store.list_runs(root)}
    assert set(listed) == {good.name, "no-meta", "half-written", "bad-config", "no-config", "garbage-files"}
    assert listed["no-config"].state == "damaged" and "config.json" in listed["no-config"].damaged
    assert listed["no-meta"].state == listed["half-written"].state == "damaged"
    assert "meta.json" in listed["half-written"].damaged
    assert listed["bad-config"].state == "damaged" and "filters" in listed["bad-config"].damaged
    assert listed["garbage-files"].state == "unknown" and listed["garbage-files"].history == []
    assert listed[good.name].state == "finished" and listed[good.name].has_checkpoint
    for one in listed.values():  # every table row can be built
        assert housekeeping.summary_row(one)["id"] == one.id
    board = housekeeping.leaderboard(list(listed.values()))
    assert {row["id"]: row["rank"] for row in board} == {good.name: 1, "garbage-files": 1}  # same result.json
    chosen = housekeeping.runs_to_remove(list(listed.values()), Retention(max_runs=1))
    assert {i.id for i in chosen} == {good.name}  # damaged folders are left for a person to look at


def test_copied_run_folder_appears_on_another_machine(tmp_path, tiny_run):
    other_root = tmp_path / "other-machine-runs"
    shutil.copytree(tiny_run, other_root / tiny_run.name, copy_function=shutil.copyfile)
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
    row = housekeeping.summary_row(one)
    assert row["params"] == count_params(one.config.model) == run_store.load_model(tiny_run).count_params()
    assert row["test_accuracy"] == one.result["test_accuracy"]
    assert row["epochs"] == len(one.history) and row["conv_filters"] == "8 → 16"
    twins = [
        run_store.RunInfo(
            path=None, id=f"r{i}", name=f"n{i}", owner=f"secret{i}", created=i, result={"test_accuracy": acc}
        )
        for i, acc in enumerate((0.8, 0.9, 0.8, 0.7))
    ]
    board = housekeeping.leaderboard(twins)
    assert [(r["rank"], r["name"]) for r in board] == [(1, "n1"), (2, "n0"), (2, "n2"), (4, "n3")]
    assert "secret" not in json.dumps(board) and "owner" not in row


def test_history_csv_reloads_to_the_same_numbers(tiny_run):
    history = run_store.read_json(tiny_run / "history.json")
    text = housekeeping.history_csv(history)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert next(csv.reader(io.StringIO(text)))[:5] == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy"]
    assert len(rows) == len(history)
    for row, original in zip(rows, history, strict=True):
        assert {key: float(value) for key, value in row.items()} == pytest.approx(original, rel=1e-12)
    assert housekeeping.history_csv([]) == "\n"


def test_exported_model_and_config_reload_to_the_same_predictions(tiny_run, tiny_splits, tmp_path):
    import keras

    from core.lesson.model import build_model

    exported = tmp_path / "download.keras"
    exported.write_bytes(run_store.checkpoint_path(tiny_run).read_bytes())  # what the download button serves
    config = RunConfig.from_json(run_store.read_run(tiny_run).config.to_json())
    assert config == run_store.read_config(tiny_run)
    original = run_store.load_model(tiny_run)
    reloaded = keras.saving.load_model(exported, compile=False, safe_mode=True)
    x = tiny_splits.x_test[:64]
    np.testing.assert_allclose(reloaded(x, training=False), original(x, training=False), atol=1e-6)
    rebuilt = build_model(config.model)  # the config alone rebuilds the same architecture
    rebuilt.set_weights(reloaded.get_weights())
    np.testing.assert_allclose(rebuilt(x, training=False), original(x, training=False), atol=1e-6)


# ---------------------------------------------------------------- TensorBoard


def read_events(path):
    """Every scalar of an event file, through TensorFlow's own reader (which checks the CRCs)."""
    import tensorflow as tf

    found = {}
    for event in tf.compat.v1.train.summary_iterator(str(path)):
        for value in event.summary.value:
            assert value.metadata.plugin_data.plugin_name == "scalars"
            found.setdefault(value.tag, []).append((event.step, float(tf.make_ndarray(value.tensor))))
    return found


def test_tensorboard_logs_hold_the_history(tiny_run, tmp_path):
    run_dir = tmp_path / "run"
    shutil.copytree(tiny_run, run_dir)
    shutil.rmtree(tb.log_dir(run_dir), ignore_errors=True)
    assert not tb.logs_up_to_date(run_dir)
    written = tb.write_tensorboard_logs(run_dir)
    assert {p.parent.name for p in written} == {"train", "validation"}
    assert all("tfevents" in p.name for p in written) and tb.logs_up_to_date(run_dir)
    history = run_store.read_json(run_dir / "history.json")
    train = read_events(tb.log_dir(run_dir) / "train" / written[0].name)
    validation = read_events(tb.log_dir(run_dir) / "validation" / written[1].name)
    for tag, split, key in (
        ("epoch_loss", train, "loss"),
        ("epoch_accuracy", train, "accuracy"),
        ("epoch_loss", validation, "val_loss"),
        ("epoch_accuracy", validation, "val_accuracy"),
    ):
        expected = [(row["epoch"], row[key]) for row in history]
        assert [s for s, _ in split[tag]] == [s for s, _ in expected]
        np.testing.assert_allclose([v for _, v in split[tag]], [v for _, v in expected], rtol=1e-6)
    # Writing again replaces the files, so TensorBoard never shows a curve twice.
    tb.write_tensorboard_logs(run_dir)
    assert len(list((tb.log_dir(run_dir) / "train").iterdir())) == 1


def test_tensorboard_records_are_checked_by_tensorflow(tmp_path):
    import tensorflow as tf

    assert tb.crc32c(b"123456789") == 0xE3069283  # the CRC-32C check value
    path = tmp_path / "events.out.tfevents.1.test"
    path.write_bytes(tb.tfrecord(tb.version_event(1.0)) + tb.tfrecord(tb.scalar_event("x", 2.5, 3, 4.0)))
    assert read_events(path) == {"x": [(3, 2.5)]}
    damaged = bytearray(path.read_bytes())
    damaged[-6] ^= 0xFF
    path.write_bytes(bytes(damaged))
    with pytest.raises(tf.errors.DataLossError):
        read_events(path)


def test_tensorboard_without_history_writes_nothing(tmp_path):
    run_dir = make_run(tmp_path)
    assert tb.write_tensorboard_logs(run_dir) == [] and not tb.log_dir(run_dir).exists()
    assert tb.scalars_by_split([{"epoch": 1, "loss": float("nan"), "val_loss": 0.5, "note": "x"}]) == {
        "train": {},
        "validation": {"epoch_loss": [(1, 0.5)]},
    }


def test_update_logs_writes_only_missing_or_stale_logs(tiny_run, tmp_path):
    fresh, stale = tmp_path / "fresh", tmp_path / "stale"
    for run_dir in (fresh, stale):
        shutil.copytree(tiny_run, run_dir)
        shutil.rmtree(tb.log_dir(run_dir), ignore_errors=True)
    assert tb.update_logs([fresh, stale]) == [fresh, stale]
    assert tb.update_logs([fresh, stale]) == []
    history = run_store.read_json(stale / "history.json")
    run_store.write_json(stale / "history.json", history + [{**history[-1], "epoch": len(history) + 1}])
    assert tb.update_logs([fresh, stale]) == [stale]
