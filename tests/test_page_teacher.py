"""Classroom mode through AppTest: the teacher page and its passcode, the class model,
sharing to the gallery from the Classify page, and the guessing game.

Several `AppTest` objects on the same runs and classroom folders play the
teacher and the students: they are separate sessions of one app, as thirty
browser tabs are.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from helpers_core import TINY_CONFIG_JSON, page_texts
from helpers_pictures import jpeg_bytes, photo_of
from streamlit.testing.v1 import AppTest

from core.lesson import data, preprocess
from core.services import passcode_guard, run_store
from core.services.classroom import guess_game, pinning, sharing

APP = str(Path(__file__).resolve().parent.parent / "app.py")
EN, KO = page_texts("teacher"), page_texts("teacher", "ko")
ROOM, CLASSIFY, ERRORS = page_texts("classroom"), page_texts("classify"), page_texts("errors")
PASSCODE = "correct horse 42"
PINNED_ID = "20260101-090000-c1a55e"
TEACHER_ACTIONS = ("teacher_pin", "teacher_unpin", "teacher_clear", "teacher_game_reset", "teacher_lock")


class Clock:
    """The passcode guard's clock, moved by hand: waits pass without sleeping."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """A fresh process-wide passcode guard on a fake clock for each test (no count leaks between tests)."""
    fake = Clock()
    monkeypatch.setattr(passcode_guard, "GUARD", passcode_guard.PasscodeGuard(clock=fake))
    return fake


@pytest.fixture
def env(monkeypatch, tmp_path, tiny_dataset_dir, clock):
    monkeypatch.setenv("CNN_LAB_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("CNN_LAB_CLASSROOM_DIR", str(tmp_path / "classroom"))
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tiny_dataset_dir))
    monkeypatch.delenv("CNN_LAB_TEACHER_PASSCODE", raising=False)
    (tmp_path / "runs").mkdir()
    return tmp_path


@pytest.fixture
def class_run(env, tiny_run) -> run_store.Run:
    """The tiny trained run, as a run of this class's runs folder."""
    target = env / "runs" / PINNED_ID
    shutil.copytree(tiny_run.path, target)
    return run_store.Run(target)


def session(page: str = "app_pages/teacher.py", **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(page).run()
    assert not at.exception
    return at


def texts(elements) -> list[str]:
    return [element.value for element in elements]


def everything(at: AppTest) -> str:
    """All text the page shows (for 'the passcode is never shown')."""
    kinds = ("markdown", "caption", "info", "warning", "error", "success", "code", "subheader", "title")
    shown = [str(e.value) for kind in kinds for e in getattr(at, kind)]
    shown += [str(m.value) for m in at.metric] + [str(getattr(w, "label", "")) for w in at.text_input]
    return "\n".join(shown)


def submit_passcode(at: AppTest, given: str) -> AppTest:
    at.text_input(key="teacher_passcode_input").input(given)
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    return at


def unlocked_teacher(monkeypatch) -> AppTest:
    monkeypatch.setenv("CNN_LAB_TEACHER_PASSCODE", PASSCODE)
    at = submit_passcode(session(), PASSCODE)
    assert EN["who_title"] in texts(at.subheader)
    return at


def dataframe(at: AppTest, column: str):
    """The value (a pandas DataFrame) of the table that has this column."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def teacher_buttons(at: AppTest) -> set[str]:
    return {b.key for b in at.button if b.key and b.key.startswith("teacher_")}


# ---------------------------------------------------------------- the passcode


def test_without_a_passcode_the_page_says_how_to_set_one(env):
    at = session()
    assert texts(at.warning) == [EN["no_passcode"]]
    assert any("teacher_passcode" in code for code in texts(at.code))
    assert any("CNN_LAB_TEACHER_PASSCODE" in code for code in texts(at.code))
    assert not at.text_input and not teacher_buttons(at)
    at.session_state["teacher_unlock"] = passcode_guard.unlock_token("")  # forged: still nothing
    at.run()
    assert not teacher_buttons(at) and EN["who_title"] not in texts(at.subheader)


def test_a_wrong_passcode_is_refused(env, monkeypatch):
    monkeypatch.setenv("CNN_LAB_TEACHER_PASSCODE", PASSCODE)
    at = session()
    assert [w.label for w in at.text_input] == [EN["passcode"]]
    assert at.text_input(key="teacher_passcode_input").proto.type == 1  # TextInput.PASSWORD
    assert not teacher_buttons(at)
    for wrong in ("", "correct horse", PASSCODE + " ", PASSCODE.upper()):
        submit_passcode(at, wrong)
        assert texts(at.error) == [EN["wrong_passcode"]]
        assert not teacher_buttons(at) and not at.metric
        assert "teacher_unlock" not in at.session_state


def test_guessing_from_fresh_sessions_waits_until_the_lockout_is_over(env, monkeypatch, clock, caplog):
    """A student who reloads the page (a new session each time) still waits: tries are counted per address."""
    monkeypatch.setenv("CNN_LAB_TEACHER_PASSCODE", PASSCODE)
    caplog.set_level("WARNING", logger="core.services.passcode_guard")
    free = passcode_guard.GUARD.free_tries
    for n in range(free):
        at = submit_passcode(session(), f"guess {n}")  # a reloaded tab: a new AppTest, a new session
        assert texts(at.error) == [EN["wrong_passcode"]]
    waits = [EN["wait_before_trying"].format(seconds=5)]
    assert texts(session().warning) == waits  # a new session is told to wait before it types anything
    at = submit_passcode(session(), PASSCODE)  # even the right passcode is refused during the wait
    assert texts(at.warning) == waits and not at.error and not teacher_buttons(at)
    assert "teacher_unlock" not in at.session_state

    for expected in (10, 20, 40, 80, 160, 300, 300):  # each wrong try after the wait doubles it, up to 5 min
        clock.now += passcode_guard.GUARD.wait_seconds(None)
        at = submit_passcode(session(), "still guessing")
        assert texts(at.error) == [EN["wrong_passcode"]]
        assert texts(at.warning) == [EN["wait_before_trying"].format(seconds=expected)]
    assert texts(session(lang="ko").warning) == [KO["wait_before_trying"].format(seconds=300)]

    clock.now += 300
    at = submit_passcode(session(), PASSCODE)  # the wait is over: the right passcode opens the view
    assert EN["who_title"] in texts(at.subheader) and not at.warning
    assert not session().warning  # and the count starts again from zero

    logged = [record.getMessage() for record in caplog.records]
    assert len(logged) == free + 7  # every checked wrong try, none of the refused ones
    assert all(passcode_guard.SERVER_WIDE in line for line in logged)  # AppTest has no client address
    assert not any("guess" in line or PASSCODE in line for line in logged)  # never the typed text


@pytest.mark.parametrize("forged", [True, 1, "yes", PASSCODE, "0" * 64])
def test_a_replayed_or_forged_unlock_flag_opens_nothing(env, monkeypatch, forged):
    monkeypatch.setenv("CNN_LAB_TEACHER_PASSCODE", PASSCODE)
    at = session(teacher_unlock=forged)
    assert [w.label for w in at.text_input] == [EN["passcode"]]
    assert not teacher_buttons(at) and EN["who_title"] not in texts(at.subheader)


def test_the_right_passcode_opens_the_view_and_is_never_shown(env, monkeypatch):
    at = unlocked_teacher(monkeypatch)
    assert [m.label for m in at.metric][:4] == [
        EN["training_now"],
        EN["waiting"],
        EN["finished_runs"],
        EN["shared_pictures"],
    ]
    assert PASSCODE not in everything(at)
    assert PASSCODE not in repr(at.session_state)  # every key and value the session keeps
    assert not at.text_input  # the form is gone, and its value was cleared with it
    assert EN["leaderboard_empty"] in texts(at.caption) and EN["who_none"] in texts(at.caption)
    # The teacher changes the passcode: the open view locks itself.
    monkeypatch.setenv("CNN_LAB_TEACHER_PASSCODE", "new one")
    at.run()
    assert [w.label for w in at.text_input] == [EN["passcode"]] and not teacher_buttons(at)


def test_passcode_from_secrets_toml(env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["teacher_passcode"] = "from secrets"
    at.switch_page("app_pages/teacher.py").run()
    assert not at.warning  # no "how to set it"
    submit_passcode(at, "from secrets")
    assert EN["who_title"] in texts(at.subheader)


def test_lock_and_projector_mode(env, monkeypatch):
    at = unlocked_teacher(monkeypatch)
    assert not at.get("html")
    at.toggle(key="teacher_projector").set_value(True).run()
    styles = [element.proto.body for element in at.get("html")]
    assert len(styles) == 1 and "<style>" in styles[0] and "font-size" in styles[0]
    at.button(key="teacher_lock").click().run()
    assert [w.label for w in at.text_input] == [EN["passcode"]] and not teacher_buttons(at)


def test_the_page_speaks_korean(env, monkeypatch):
    monkeypatch.setenv("CNN_LAB_TEACHER_PASSCODE", PASSCODE)
    at = session(lang="ko")
    assert [w.label for w in at.text_input] == [KO["passcode"]]
    submit_passcode(at, PASSCODE)
    assert KO["who_title"] in texts(at.subheader)


def test_the_live_view_lists_training_runs_and_the_leaderboard(env, monkeypatch, class_run):
    from core.lesson.config import RunConfig

    training = run_store.create_run(
        RunConfig.from_dict(TINY_CONFIG_JSON), name="Bo's [net](http://x)", root=env / "runs"
    )
    training.set_status("running")
    training.write_progress(run_store.Progress(epoch=2, epochs=5))
    at = unlocked_teacher(monkeypatch)
    escaped = r"Bo\'s \[net\]\(http\:\/\/x\)"  # shown as typed, not as a link
    assert "- " + EN["who_epoch"].format(name=escaped, epoch=2, epochs=5) in texts(at.markdown)
    board = dataframe(at, "test_accuracy")
    accuracy = class_run.result()["test_accuracy"]
    assert list(board["name"]) == ["tiny"] and board["test_accuracy"][0] == pytest.approx(accuracy)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[EN["finished_runs"]] == "1" and metrics[EN["training_now"]] == "0"


# ---------------------------------------------------------------- the class model


def model_caption(at: AppTest) -> str:
    return next(c for c in texts(at.caption) if c.startswith(CLASSIFY["model_in_use"].split("{")[0]))


def test_pinning_changes_every_other_sessions_default(env, monkeypatch, class_run, tiny_run):
    student = session("app_pages/classify.py")
    assert CLASSIFY["default_model"] in model_caption(student)
    chooser = session("app_pages/classify.py", run=str(tiny_run.path))  # chose a run herself: keeps it
    teacher = unlocked_teacher(monkeypatch)
    assert texts(teacher.markdown).count(EN["model_now_default"]) == 1
    teacher.selectbox(key="teacher_pin_choice").set_value(PINNED_ID)
    teacher.button(key="teacher_pin").click().run()
    assert not teacher.exception
    assert EN["pinned"].format(name="tiny") in texts(teacher.success)
    assert EN["model_now"].format(name="tiny") in texts(teacher.markdown)
    assert json.loads((env / "classroom" / "pinned.json").read_text())["run"] == PINNED_ID

    student.run()
    assert "**tiny**" in model_caption(student)
    assert CLASSIFY["default_model"] not in model_caption(student)
    evaluate, filters = page_texts("evaluate"), page_texts("filters")
    newcomer = session("app_pages/evaluate.py")  # a student who arrives later, on the other pages
    assert evaluate["model_heading"].format(name="tiny") in texts(newcomer.markdown)
    newcomer.switch_page("app_pages/filters.py").run()
    assert not newcomer.exception and filters["run"].format(name="tiny") in texts(newcomer.caption)
    chooser.run()
    assert "**tiny**" in model_caption(chooser)  # the same name, but her own run's folder
    assert chooser.session_state["run"] == str(tiny_run.path)

    teacher.button(key="teacher_unpin").click().run()
    assert EN["unpinned"] in texts(teacher.success)
    student.run()
    assert CLASSIFY["default_model"] in model_caption(student)


# ---------------------------------------------------------------- the gallery


def classify_upload(at: AppTest, image28: np.ndarray) -> AppTest:
    at.session_state["source"] = CLASSIFY["tab_upload"]
    at.run()
    at.file_uploader(key="upload").set_value(("shirt.jpg", jpeg_bytes(photo_of(image28)), "image/jpeg")).run()
    assert not at.exception
    return at


def share(at: AppTest, name: str, truth: int | None) -> AppTest:
    at.text_input(key="share_name").input(name)
    at.selectbox(key="share_truth").set_value(truth)
    at.button(key="share_button").click().run()
    assert not at.exception
    return at


def test_share_hide_show_wrong_and_clear(env, monkeypatch, real_raw, tiny_run):
    student = session("app_pages/classify.py", run=str(tiny_run.path))
    assert not [b for b in student.button if b.key == "share_button"]  # nothing to share before a picture
    classify_upload(student, real_raw.test_images[0])
    share(student, "", None)
    assert ERRORS["gallery_name"] in texts(student.warning)
    assert sharing.list_gallery() == []
    truth = int(real_raw.test_labels[0])
    wrong_truth = (truth + 1) % 10
    share(student, "Mina", wrong_truth)  # she says it is something else: the model must be "wrong"
    assert ROOM["share_done"].format(left=4) in texts(student.success)
    (item,) = sharing.list_gallery()
    assert item.name == "Mina" and item.truth == wrong_truth and item.owner == student.session_state["owner"]
    model = tiny_run.load_model()
    expected = model.predict(item.input_image()[None, :, :, None].astype("float32") / 255, verbose=0)[0]
    assert item.prediction == int(np.argmax(expected))
    student.run()
    assert ROOM["share_already"] in texts(student.success)  # the same picture is not shared twice
    assert not [b for b in student.button if b.key == "share_button"]

    teacher = unlocked_teacher(monkeypatch)
    names = data.class_names("en")
    images = teacher.get("image")
    assert len(images) == 1
    caption = EN["gallery_caption_truth"].format(
        name="Mina", label=names[item.prediction], percent=f"{item.confidence:.0%}", truth=names[wrong_truth],
        verdict="❌" if item.wrong else "✅",
    )  # fmt: skip
    assert images[0].captions == [caption]
    teacher.radio(key="teacher_gallery_filter").set_value("wrong").run()
    assert len(teacher.get("image")) == (1 if item.wrong else 0)
    teacher.radio(key="teacher_gallery_filter").set_value("visible").run()
    teacher.button(key=f"teacher_hide_{item.id}").click().run()
    assert sharing.list_gallery()[0].hidden and not teacher.get("image")
    assert EN["gallery_empty"] in texts(teacher.info)
    teacher.radio(key="teacher_gallery_filter").set_value("hidden").run()
    assert len(teacher.get("image")) == 1
    assert teacher.button(key=f"teacher_hide_{item.id}").label == EN["show"]
    teacher.button(key=f"teacher_hide_{item.id}").click().run()
    assert not sharing.list_gallery()[0].hidden

    teacher.toggle(key="teacher_gallery_inputs").set_value(True)
    teacher.radio(key="teacher_gallery_filter").set_value("visible").run()
    assert not teacher.exception and len(teacher.get("image")) == 1
    teacher.button(key="teacher_clear").click().run()
    assert EN["cleared"].format(count=1) in texts(teacher.success)
    assert sharing.list_gallery() == [] and not (env / "classroom" / "gallery").exists()


def test_names_in_the_gallery_are_shown_as_typed(env, monkeypatch, real_raw):
    pre = preprocess.preprocess_dataset_image(real_raw.test_images[0])
    sharing.share(pre, np.eye(10)[7], "**[me](http://x.io)**", owner="o")
    teacher = unlocked_teacher(monkeypatch)
    (image,) = teacher.get("image")
    assert image.captions[0].startswith(r"\*\*\[me\]\(http\:\/\/x\.io\)\*\*: ")


def test_one_session_shares_at_most_five(env, real_raw, tiny_run):
    for i in range(sharing.MAX_PER_OWNER):
        pre = preprocess.preprocess_dataset_image(real_raw.test_images[i])
        sharing.share(pre, np.eye(10)[0], f"p{i}", owner="abc123")
    student = session("app_pages/classify.py", run=str(tiny_run.path), owner="abc123")
    classify_upload(student, real_raw.test_images[9])
    assert ROOM["share_limit"].format(limit=5) in texts(student.info)
    assert not [b for b in student.button if b.key == "share_button"]


def test_webcam_photos_and_test_images_are_not_shared(env, real_raw, tiny_run):
    student = session("app_pages/classify.py", run=str(tiny_run.path))
    student.session_state["source"] = CLASSIFY["tab_examples"]
    student.run()
    student.button(key="example_0").click().run()
    assert not student.exception and student.metric  # answered ...
    assert not [b for b in student.button if b.key == "share_button"]  # ... but nothing to share


def test_a_student_cannot_reach_teacher_actions(env, monkeypatch, class_run, real_raw):
    monkeypatch.setenv("CNN_LAB_TEACHER_PASSCODE", PASSCODE)
    pinning.pin_run(class_run)
    pre = preprocess.preprocess_dataset_image(real_raw.test_images[0])
    sharing.share(pre, np.eye(10)[0], "Kim", owner="k")
    guess_game.record_round(guess_game.Round(1, 1, 1))
    student = session()
    for key in TEACHER_ACTIONS:  # values a replaying client might send for the teacher's buttons
        student.session_state[key] = True
    student.session_state["teacher_pin_choice"] = PINNED_ID
    student.run()
    assert not student.exception
    assert not teacher_buttons(student)
    assert pinning.pinned_run() == class_run and len(sharing.list_gallery()) == 1
    assert sum(guess_game.read_totals()["people_total"]) == 1


# ---------------------------------------------------------------- guess before reveal


def open_game(at: AppTest) -> AppTest:
    at.session_state["source"] = ROOM["tab_guess"]
    at.run()
    assert not at.exception
    return at


def play(at: AppTest, raw: data.RawData, model, right: bool) -> tuple[int, int]:
    """Answer the current round rightly or wrongly; returns (truth, model's answer)."""
    index = at.session_state["guess_index"]
    round_no = at.session_state["guess_round"]
    truth = int(raw.test_labels[index])
    guess = truth if right else (truth + 3) % 10
    reveal = at.button(key="guess_reveal")
    assert reveal.disabled  # nothing picked yet
    at.radio(key=f"guess_guess_{round_no}").set_value(guess).run()
    at.button(key="guess_reveal").click().run()
    assert not at.exception
    expected = model.predict(raw.test_images[index][None, :, :, None].astype("float32") / 255, verbose=0)[0]
    return truth, int(np.argmax(expected))


def test_guess_before_reveal_scores_student_and_model(env, monkeypatch, tiny_run, tiny_dataset_dir):
    raw = data.load_from_dir(tiny_dataset_dir)
    model = tiny_run.load_model()
    student = open_game(session("app_pages/classify.py", run=str(tiny_run.path)))
    assert ROOM["game_pick_first"] in texts(student.caption)
    assert not [b for b in student.button if b.key == "guess_next"]  # nothing revealed before a guess
    names = data.class_names("en")

    truths, answers, guesses_right = [], [], [True, False, True]
    for n, right in enumerate(guesses_right, start=1):
        truth, answer = play(student, raw, model, right)
        truths.append(truth)
        answers.append(answer)
        shown = texts(student.markdown)
        assert ROOM["game_truth"].format(label=names[truth]) in shown
        verdict = ROOM["game_right"] if answer == truth else ROOM["game_wrong"]
        assert any(
            s.startswith(ROOM["game_model"].split("**")[0] + f"**{names[answer]}**") and verdict in s for s in shown
        )
        score = student.session_state["guess_score"]
        assert (score.rounds, score.person) == (n, sum(guesses_right[:n]))
        assert score.model == sum(a == t for a, t in zip(answers, truths, strict=True))
        assert [m.value for m in student.metric] == [f"{score.person} / {n}", f"{score.model} / {n}"]
        student.run()  # a rerun (or a replayed click) does not count the round again
        assert student.session_state["guess_score"].rounds == n
        student.button(key="guess_next").click().run()
        assert not student.exception and student.session_state["guess_round"] == n + 1

    totals = guess_game.read_totals()
    assert sum(totals["people_total"]) == 3
    assert sum(totals["people_right"]) == 2
    assert sum(totals["model_right"]) == sum(a == t for a, t in zip(answers, truths, strict=True))

    teacher = unlocked_teacher(monkeypatch)
    metrics = {m.label: m.value for m in teacher.metric}
    assert metrics[EN["game_people"]] == f"{2 / 3:.1%}"
    assert metrics[EN["game_human_reference"]] == "83.5%"
    table = dataframe(teacher, "people")
    assert table["rounds"].sum() == 3
    teacher.button(key="teacher_game_reset").click().run()
    assert sum(guess_game.read_totals()["people_total"]) == 0 and EN["game_empty"] in texts(teacher.info)


def test_the_game_keeps_the_other_tabs_as_they_were(env, real_raw, tiny_run):
    student = classify_upload(session("app_pages/classify.py", run=str(tiny_run.path)), real_raw.test_images[0])
    open_game(student)
    assert student.session_state["guess_index"] is not None
    student.session_state["source"] = CLASSIFY["tab_upload"]
    student.run()
    assert student.metric  # the upload is still there and answered


def test_the_teacher_can_pin_the_shipped_best_model(env, monkeypatch, tiny_run):
    from core.services import shipped

    best = env / "assets" / "best_run"
    shutil.copytree(tiny_run.path, best)
    monkeypatch.setattr(shipped, "BEST_RUN_DIR", best)
    teacher = unlocked_teacher(monkeypatch)
    choice = teacher.selectbox(key="teacher_pin_choice")
    assert list(choice.options)[:2] == [
        EN["shipped_best"].format(accuracy=f"{tiny_run.result()['test_accuracy']:.1%}"),
        EN["shipped_lesson"].format(
            accuracy=f"{run_store.Run(run_store.DEFAULT_RUN_DIR).result()['test_accuracy']:.1%}"
        ),
    ]
    choice.set_value("shipped:best")
    teacher.button(key="teacher_pin").click().run()
    assert not teacher.exception
    assert json.loads((env / "classroom" / "pinned.json").read_text())["shipped"] == "best"
    student = session("app_pages/classify.py")
    assert "**tiny**" in model_caption(student)  # Classify uses the pinned Best model


def test_class_budget_cluster_view_and_lost_cluster_sentence(env, monkeypatch):
    """The teacher sets a budget; a student's Train page shows it and offers only the allowed presets.
    With an unreachable Dask scheduler both pages say, in one sentence, that runs train here."""
    from core.services import class_budget

    monkeypatch.setenv("CNN_LAB_DASK_SCHEDULER", "tcp://127.0.0.1:9")  # nothing listens there
    at = unlocked_teacher(monkeypatch)
    unreachable, train_en = ERRORS["dask_unreachable"], page_texts("train")
    sentence = unreachable.format(address="tcp://127.0.0.1:9")
    assert sentence in texts(at.warning)
    assert any(text.startswith("Backend: **this computer**") for text in texts(at.markdown))
    at.number_input(key="budget_ep").set_value(3)
    at.select_slider(key="budget_images").set_value(2000)
    at.multiselect(key="budget_presets").set_value(["quick", "lesson"])
    next(b for b in at.button if b.label == EN["budget_save"]).click().run()
    assert not at.exception
    budget = class_budget.read()
    assert (budget.max_epochs, budget.max_train_size, set(budget.presets)) == (3, 2000, {"quick", "lesson"})

    student = session("app_pages/train.py")
    assert sentence in texts(student.warning)
    caption = " ".join(texts(student.caption))
    assert "at most 3 epochs" in caption and "at most 2,000 training images" in caption
    assert list(student.selectbox(key="preset").options) == [train_en["preset_lesson"], train_en["preset_quick"]]
