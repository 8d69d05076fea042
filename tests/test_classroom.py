"""core.services.classroom: the pinned class model, the gallery, the game's totals.

Stored files are read back with independent tools (Pillow, numpy, json),
and totals are checked against counts made here with numpy, never against
the module's own arithmetic.
"""

from __future__ import annotations

import io
import json
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.lesson import preprocess as prep
from core.lesson.data import CLASS_NAMES_EN
from core.services import run_store
from core.services.classroom import classroom_dir, guess_game, pinning, sharing


@pytest.fixture
def room(monkeypatch, tmp_path) -> Path:
    """Empty runs and classroom folders for one test."""
    monkeypatch.setenv("CNN_LAB_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("CNN_LAB_CLASSROOM_DIR", str(tmp_path / "classroom"))
    (tmp_path / "runs").mkdir()
    return tmp_path / "classroom"


def drawing(shift: int = 0, side: int = 280, alpha: bool = False) -> np.ndarray:
    """A canvas-like RGBA (or RGB) drawing: a black filled T-shirt-ish block on white."""
    img = np.full((side, side, 4 if alpha else 3), 255, np.uint8)
    if alpha:
        img[..., 3] = 0  # transparent background, as a canvas without a background colour gives
    top = 60 + shift
    img[top : top + 40, 40:240, :3] = 0
    img[top + 40 : top + 170, 90:190, :3] = 0
    if alpha:
        img[top : top + 40, 40:240, 3] = 255
        img[top + 40 : top + 170, 90:190, 3] = 255
    return img


def preprocessed(shift: int = 0, **options) -> prep.Preprocessed:
    pre = prep.preprocess(drawing(shift, **options))
    assert not pre.blank
    return pre


def probs(top: int, p: float = 0.7) -> np.ndarray:
    out = np.full(10, (1 - p) / 9)
    out[top] = p
    return out


# ---------------------------------------------------------------- the class model


def copy_run(source: run_store.Run, name: str) -> run_store.Run:
    target = run_store.runs_dir() / name
    shutil.copytree(source.path, target)
    return run_store.Run(target)


def test_pin_and_unpin_a_run(room, tiny_run):
    assert pinning.pinned_run() is None
    run = copy_run(tiny_run, "20260101-120000-abcdef")
    pinning.pin_run(run)
    assert pinning.pinned_run() == run_store.Run(run_store.runs_dir() / run.id)
    stored = json.loads((room / "pinned.json").read_text())
    assert stored["run"] == run.id  # only the id, never a path
    run.checkpoint_path.unlink()
    assert pinning.pinned_run() is None  # a run without its checkpoint is not a class model
    pinning.unpin()
    assert not (room / "pinned.json").exists()


def test_pin_refuses_runs_outside_the_runs_folder_and_without_checkpoint(room, tiny_run, tmp_path):
    with pytest.raises(ValueError):
        pinning.pin_run(tiny_run)  # a finished run, but not of this runs folder
    empty = run_store.Run(run_store.runs_dir() / "no-checkpoint")
    empty.path.mkdir()
    with pytest.raises(ValueError):
        pinning.pin_run(empty)
    assert pinning.pinned_run() is None


@pytest.mark.parametrize("stored", [{"run": "../elsewhere"}, {"run": "/etc"}, {"run": 3}, [], "x", {"run": ".hidden"}])
def test_a_tampered_pinned_file_pins_nothing(room, stored):
    room.mkdir(parents=True)
    (room / "pinned.json").write_text(json.dumps(stored))
    assert pinning.pinned_run() is None


def test_default_folder_is_hidden_inside_the_runs_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("CNN_LAB_RUNS_DIR", str(tmp_path))
    monkeypatch.delenv("CNN_LAB_CLASSROOM_DIR", raising=False)
    assert classroom_dir() == tmp_path / ".classroom"
    guess_game.record_round(guess_game.Round(1, 1, 1))
    assert run_store.list_runs(tmp_path) == []  # the run list does not mistake it for a run


# ---------------------------------------------------------------- the gallery


def test_share_stores_small_png_input_and_meta(room):
    pre = preprocessed()
    p = probs(3)
    item = sharing.share(pre, p, "  Ana\n B  ", owner="tok1", truth=0, run="r1")
    folder = room / "gallery" / item.id
    assert sorted(f.name for f in folder.iterdir()) == ["input.npy", "meta.json", "small.png"]
    with Image.open(folder / "small.png") as img:
        assert img.format == "PNG" and max(img.size) == sharing.SMALL_SIDE
        original = Image.fromarray(pre.steps[0][1])
        assert abs(img.width / img.height - original.width / original.height) < 0.02
    stored = np.load(folder / "input.npy", allow_pickle=False)
    assert stored.dtype == np.uint8 and stored.shape == (28, 28)
    np.testing.assert_array_equal(stored, np.clip(np.rint(pre.image * 255), 0, 255).astype(np.uint8))
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["name"] == "Ana B" and meta["owner"] == "tok1" and meta["truth"] == 0 and meta["hidden"] is False
    assert meta["prediction"] == int(np.argmax(p)) == 3 and meta["confidence"] == pytest.approx(0.7, abs=1e-4)
    assert item.wrong and item.name == "Ana B" and item.run == "r1"


def test_small_picture_keeps_small_pictures_and_whitens_transparency():
    ink = np.zeros((40, 40, 4), np.uint8)  # transparent everywhere ...
    ink[5:20, 5:20] = (0, 0, 0, 255)  # ... but an opaque black square
    png = sharing.small_picture(ink)
    with Image.open(io.BytesIO(png)) as img:
        assert img.size == (40, 40) and img.mode == "RGB"
        pixels = np.asarray(img)
    assert (pixels[0, 0] == 255).all()  # transparent background became white, not black
    assert (pixels[10, 10] == 0).all()  # the ink stayed black
    wide = sharing.small_picture(np.zeros((50, 500), np.uint8))
    with Image.open(io.BytesIO(wide)) as img:
        assert img.size == (128, 13)


def test_share_refuses_what_the_classify_page_refuses(room):
    blank = prep.preprocess(np.full((280, 280, 3), 255, np.uint8))
    assert blank.blank
    for bad in (blank, None, np.ones((28, 28), np.float32)):
        with pytest.raises(sharing.GalleryError) as err:
            sharing.share(bad, probs(0), "Ana", owner="t")
        assert err.value.code == "blank"
    with pytest.raises(sharing.GalleryError) as err:
        sharing.share(preprocessed(), probs(0), " \t\u200b\n ", owner="t")
    assert err.value.code in ("name", "blank")
    with pytest.raises(sharing.GalleryError) as err:
        sharing.share(preprocessed(), probs(0), "", owner="t")
    assert err.value.code == "name"
    with pytest.raises(ValueError):
        sharing.share(preprocessed(), probs(0), "Ana", owner="t", truth=10)
    with pytest.raises(ValueError):
        sharing.share(preprocessed(), np.ones(3), "Ana", owner="t")
    assert sharing.list_gallery() == []


def test_share_refuses_a_picture_too_large_to_store(room, monkeypatch):
    monkeypatch.setattr(sharing, "MAX_SMALL_BYTES", 50)
    with pytest.raises(sharing.GalleryError) as err:
        sharing.share(preprocessed(), probs(0), "Ana", owner="t")
    assert err.value.code == "too_large"
    assert not (room / "gallery").exists() or not any((room / "gallery").iterdir())


def test_names_are_one_printable_line_and_short():
    assert sharing.clean_display_name("a\x00b\x1b[31mc") == "a b [31mc"
    assert sharing.clean_display_name("x" * 100) == "x" * sharing.MAX_NAME_LENGTH
    assert sharing.clean_display_name("민수 🙂") == "민수 🙂"


def test_one_owner_shares_at_most_five_and_the_gallery_drops_the_oldest(room):
    for i in range(5):
        sharing.share(preprocessed(i), probs(i), f"a{i}", owner="alice")
    with pytest.raises(sharing.GalleryError) as err:
        sharing.share(preprocessed(9), probs(0), "a5", owner="alice")
    assert err.value.code == "limit"
    assert sharing.count_shared("alice") == 5 and sharing.count_shared("bob") == 0
    for i in range(4):
        sharing.share(preprocessed(i), probs(i), f"b{i}", owner=f"bob{i}", max_items=6)
    names = [item.name for item in sharing.list_gallery()]
    assert names == ["b3", "b2", "b1", "b0", "a4", "a3"]  # newest first, the four oldest dropped
    assert len(list((room / "gallery").iterdir())) == 6


def test_hide_show_wrong_and_clear(room):
    right = sharing.share(preprocessed(0), probs(2), "right", owner="o1", truth=2)
    wrong = sharing.share(preprocessed(1), probs(2), "wrong", owner="o2", truth=4)
    unsaid = sharing.share(preprocessed(2), probs(5), "unsaid", owner="o3")
    assert {i.id for i in sharing.list_gallery(wrong_only=True)} == {wrong.id}
    sharing.set_hidden(wrong.id)
    assert json.loads((wrong.path / "meta.json").read_text())["hidden"] is True
    assert {i.id for i in sharing.list_gallery(include_hidden=False)} == {right.id, unsaid.id}
    sharing.set_hidden(wrong.id, False)
    assert len(sharing.list_gallery(include_hidden=False)) == 3
    for bad in ("../pinned", "nope", right.id + "/..", ""):
        with pytest.raises(sharing.GalleryError):
            sharing.set_hidden(bad)
    assert sharing.clear_gallery() == 3
    assert sharing.list_gallery() == [] and not (room / "gallery").exists()
    assert [p.name for p in room.iterdir() if p.name.startswith(".trash")] == []
    assert sharing.clear_gallery() == 0


def test_thirty_sessions_share_at_once_within_the_limits(room):
    errors, made = [], []

    def student(owner: str) -> None:
        for i in range(3):
            try:
                made.append(sharing.share(preprocessed(i), probs(i), owner, owner=owner))
            except sharing.GalleryError as err:
                errors.append(err.code)

    cheater = [threading.Thread(target=student, args=("same",)) for _ in range(4)]  # one owner, 12 attempts
    others = [threading.Thread(target=student, args=(f"s{i}",)) for i in range(26)]
    for thread in cheater + others:
        thread.start()
    for thread in cheater + others:
        thread.join()
    assert errors == ["limit"] * 7
    assert len(made) == 26 * 3 + 5
    assert len(sharing.list_gallery()) == 26 * 3 + 5 and len({i.id for i in made}) == len(made)
    assert not [p for p in (room / "gallery").iterdir() if p.name.startswith(".")]  # no half-written item


# ---------------------------------------------------------------- guess before reveal


def test_score_counts_rounds_like_numpy():
    rng = np.random.default_rng(1)
    truth, guess, answer = rng.integers(0, 10, (3, 200))
    score = guess_game.Score()
    for t_, g, a in zip(truth, guess, answer, strict=True):
        before = score
        score = score.add(guess_game.Round(int(t_), int(g), int(a)))
        assert before.rounds == score.rounds - 1  # add returns a new score
    assert score == guess_game.Score(200, int(np.sum(guess == truth)), int(np.sum(answer == truth)))


def test_class_totals_per_class_like_numpy(room):
    rng = np.random.default_rng(2)
    truth, guess, answer = rng.integers(0, 10, (3, 120))
    for t_, g, a in zip(truth, guess, answer, strict=True):
        guess_game.record_round(guess_game.Round(int(t_), int(g), int(a)))
    stored = json.loads((room / "game.json").read_text())
    expected_total = np.bincount(truth, minlength=10)
    np.testing.assert_array_equal(stored["people_total"], expected_total)
    np.testing.assert_array_equal(stored["model_total"], expected_total)
    np.testing.assert_array_equal(stored["people_right"], np.bincount(truth[guess == truth], minlength=10))
    np.testing.assert_array_equal(stored["model_right"], np.bincount(truth[answer == truth], minlength=10))
    totals = guess_game.read_totals()
    assert guess_game.accuracy(totals["people_right"], totals["people_total"]) == pytest.approx(np.mean(guess == truth))
    rows = guess_game.totals_rows(totals, CLASS_NAMES_EN)
    assert [r["class"] for r in rows] == [CLASS_NAMES_EN[c] for c in range(10) if expected_total[c]]
    for row in rows:
        c = CLASS_NAMES_EN.index(row["class"])
        assert row["model"] == pytest.approx(np.mean(answer[truth == c] == c))
    guess_game.reset_totals()
    assert guess_game.accuracy(**{"right": [0], "total": [0]}) is None
    assert sum(guess_game.read_totals()["people_total"]) == 0


def test_totals_survive_thirty_players_at_once(room):
    def player() -> None:
        for i in range(20):
            guess_game.record_round(guess_game.Round(i % 10, i % 10, (i + 1) % 10))

    threads = [threading.Thread(target=player) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    totals = guess_game.read_totals()
    assert totals["people_total"] == [60] * 10 and totals["people_right"] == [60] * 10
    assert totals["model_right"] == [0] * 10


def test_damaged_or_out_of_range_game_files(room):
    room.mkdir(parents=True)
    (room / "game.json").write_text('{"people_total": [1, 2], "model_right": [-3, 1, 1, 1, 1, 1, 1, 1, 1, "x"]')
    assert guess_game.read_totals()["people_total"] == [0] * 10  # unreadable: a fresh start
    (room / "game.json").write_text('{"people_total": [1, 2], "model_right": [-3, 1, 1, 1, 1, 1, 1, 1, 1, "x"]}')
    totals = guess_game.read_totals()
    assert totals["people_total"] == [0] * 10 and totals["model_right"] == [0] + [1] * 8 + [0]
    with pytest.raises(ValueError):
        guess_game.record_round(guess_game.Round(10, 0, 0))
