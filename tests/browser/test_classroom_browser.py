"""Classroom mode in a real browser: the teacher's passcode and projector view, a student
sharing a drawing, hiding and clearing it, pinning the class model, and the guessing game.

The teacher and each student are separate browser contexts (separate
Streamlit sessions) on one server. This module starts its own server, like
`app_server` of the conftest but with a teacher passcode in its environment
and its own classroom folder, so the other browser tests are not affected.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from helpers_browser import (
    PAGE_TIMEOUT,
    assert_no_exception,
    choose_option,
    draw_filled_rectangle,
    goto,
    launch_server,
    main_text,
    new_context,
    rerun,
    screenshot,
    wait_for_text,
)
from helpers_core import page_texts

from core.lesson import data
from core.services.classroom import guess_game, pinning, sharing

pytestmark = pytest.mark.browser

PASSCODE = "blue-owl-17"
PINNED_ID = "20260101-090000-b10e01"
TEACHER, ROOM, CLASSIFY = page_texts("teacher"), page_texts("classroom"), page_texts("classify")
ANSWER = CLASSIFY["answer"].split("{")[0].replace("*", "").strip()


@pytest.fixture(scope="module")
def server(tmp_path_factory, tiny_dataset_dir):
    """`streamlit run app.py` with a teacher passcode, a temporary runs folder and classroom folder."""
    workdir = tmp_path_factory.mktemp("classroom-server")
    room = workdir / "classroom"
    extra = {"CNN_LAB_CLASSROOM_DIR": str(room), "CNN_LAB_TEACHER_PASSCODE": PASSCODE}
    with launch_server(workdir, tiny_dataset_dir, extra) as instance:
        instance.room = room
        yield instance
    assert PASSCODE not in instance.log_tail(10**7), "the passcode was written to the server log"


@pytest.fixture
def open_page(browser, server):
    """Open pages in fresh browser contexts (one per person); all are closed after the test."""
    contexts = []

    def opener(path: str):
        context = new_context(browser)
        contexts.append(context)
        page = context.new_page()
        page.base_url = server.base_url
        goto(page, path)
        return page

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def clean_room(server):
    """Every test starts with an empty gallery, no game totals and nothing pinned."""
    sharing.clear_gallery(server.room)
    guess_game.reset_totals(server.room)
    pinning.unpin(server.room)
    yield


def unlock(page, passcode: str = PASSCODE) -> None:
    page.get_by_label(TEACHER["passcode"]).fill(passcode)
    with rerun(page):
        page.get_by_role("button", name=TEACHER["unlock"]).click()


def teacher(open_page):
    page = open_page("/teacher")
    unlock(page)
    wait_for_text(page, TEACHER["who_title"])
    assert_no_exception(page)
    return page


def tab(page, label: str, reruns: bool = False) -> None:
    """Open a tab: the Classify page's tabs rerun the script, the teacher page's only switch in the browser."""
    if reruns:
        with rerun(page):
            page.get_by_role("tab", name=label).click()
    else:
        page.get_by_role("tab", name=label).click()


def draw_shirt(page) -> None:
    draw_filled_rectangle(page)
    wait_for_text(page, ANSWER)


# ---------------------------------------------------------------- the tests


def test_teacher_page_refuses_without_the_passcode_and_opens_with_it(open_page):
    page = open_page("/teacher?teacher_unlock=1")  # a URL opens nothing
    assert page.get_by_label(TEACHER["passcode"]).get_attribute("type") == "password"
    assert TEACHER["who_title"] not in main_text(page)
    unlock(page, "blue-owl-18")
    wait_for_text(page, TEACHER["wrong_passcode"])
    assert TEACHER["who_title"] not in main_text(page) and PASSCODE not in main_text(page)
    screenshot(page, "teacher-locked")

    unlock(page)
    wait_for_text(page, TEACHER["who_title"])
    assert_no_exception(page)
    assert PASSCODE not in page.content()
    h1_size = "() => parseFloat(getComputedStyle(document.querySelector('[data-testid=\"stMain\"] h1')).fontSize)"
    normal = page.evaluate(h1_size)
    with rerun(page):
        page.locator(".st-key-teacher_projector label").first.click()
    # on a loaded host the rerun may start after `rerun` stopped watching: wait for its larger headings
    page.wait_for_function(f"() => ({h1_size})() > {normal * 1.3}", timeout=PAGE_TIMEOUT)
    screenshot(page, "teacher-projector")

    # A reload is a new session: locked again.
    page.reload()
    page.get_by_label(TEACHER["passcode"]).wait_for()
    assert TEACHER["who_title"] not in main_text(page)


def test_student_shares_a_drawing_and_the_teacher_hides_and_clears_it(open_page, server):
    student = open_page("/classify")
    draw_shirt(student)
    student.get_by_text(ROOM["share_title"]).click()
    name = student.locator(".st-key-share_name input")
    name.fill("Mina")
    with rerun(student):
        name.press("Enter")
    choose_option(student, student.locator(".st-key-share_truth"), data.CLASS_NAMES_EN[8])  # "Bag"
    with rerun(student):
        student.locator(".st-key-share_button button").click()
    wait_for_text(student, ROOM["share_done"].format(left=4))
    assert_no_exception(student)
    screenshot(student, "classroom-shared")
    (item,) = sharing.list_gallery(server.room)
    assert item.name == "Mina" and item.truth == 8

    page = teacher(open_page)
    tab(page, TEACHER["tab_gallery"])
    caption_start = TEACHER["gallery_caption_truth"].split(":")[0].format(name="Mina")
    wait_for_text(page, caption_start)
    assert page.locator('[data-testid="stMain"] img').count() >= 1
    screenshot(page, "teacher-gallery")
    with rerun(page):
        page.locator(f".st-key-teacher_hide_{item.id} button").click()
    wait_for_text(page, TEACHER["gallery_empty"])
    assert sharing.list_gallery(server.room)[0].hidden
    with rerun(page):
        page.get_by_text(TEACHER["gallery_hidden"], exact=True).click()
    wait_for_text(page, caption_start)
    with rerun(page):
        page.get_by_role("button", name=re.compile(re.escape(TEACHER["clear"]))).click()
    with rerun(page):
        page.locator(".st-key-teacher_clear button").click()
    wait_for_text(page, TEACHER["cleared"].format(count=1))
    assert sharing.list_gallery(server.room) == []
    assert_no_exception(page)


def test_pinning_a_run_changes_a_students_default(open_page, server, tiny_run):
    shutil.copytree(tiny_run.path, server.runs_dir / PINNED_ID, dirs_exist_ok=True)
    page = teacher(open_page)
    tab(page, TEACHER["tab_model"])
    choose_option(page, page.locator(".st-key-teacher_pin_choice"), "tiny")  # the shipped models come first
    with rerun(page):
        page.locator(".st-key-teacher_pin button").click()
    wait_for_text(page, TEACHER["pinned"].split("**")[0])
    assert json.loads((server.room / "pinned.json").read_text())["run"] == PINNED_ID

    student = open_page("/classify")
    wait_for_text(student, "tiny")
    caption = next(line for line in main_text(student).splitlines() if line.startswith("Model in use"))
    assert "tiny" in caption
    assert_no_exception(student)


def test_guess_before_reveal_scores_and_adds_to_the_class(open_page, server, tiny_dataset_dir):
    raw = data.load_from_dir(tiny_dataset_dir)
    student = open_page("/classify")
    tab(student, ROOM["tab_guess"], reruns=True)
    wait_for_text(student, ROOM["game_pick_first"])
    number = int(re.search(r"#(\d+)", main_text(student)).group(1))
    truth = int(raw.test_labels[number])
    with rerun(student):
        student.locator(".st-key-guess_guess_1").get_by_text(data.CLASS_NAMES_EN[truth], exact=True).click()
    with rerun(student):
        student.locator(".st-key-guess_reveal button").click()
    wait_for_text(student, ROOM["game_truth"].split("**")[0])
    text = main_text(student)
    assert f"**{data.CLASS_NAMES_EN[truth]}**" not in text  # markdown is rendered, not shown raw
    assert f"{ROOM['game_truth'].split('**')[0]}{data.CLASS_NAMES_EN[truth]}" in text
    assert "1 / 1" in text  # the student's score
    assert_no_exception(student)
    screenshot(student, "classroom-guess")

    totals = guess_game.read_totals(server.room)
    assert totals["people_total"][truth] == 1 and totals["people_right"][truth] == 1
    page = teacher(open_page)
    tab(page, TEACHER["tab_game"])
    wait_for_text(page, TEACHER["game_rounds"].format(rounds=1))
    wait_for_text(page, "100.0%")  # people: one round, one right
    assert "83.5%" in main_text(page)  # the dataset's authors' measurement, for comparison
    assert_no_exception(page)
    screenshot(page, "teacher-game")
