"""Classify in a real browser: drawing on the canvas, uploading good and broken pictures."""

from __future__ import annotations

import io
import shutil
import struct
import zlib
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from helpers_browser import (
    assert_no_exception,
    draw_filled_rectangle,
    draw_outline,
    goto,
    main_text,
    nav_to,
    rerun,
    screenshot,
    wait_for_text,
)
from helpers_core import page_texts
from PIL import Image

from core.lesson import data
from core.lesson import preprocess as prep
from core.services import run_store

pytestmark = pytest.mark.browser

EN = page_texts("classify")
ANSWER = EN["answer"].split("{")[0].replace("*", "").strip()  # "The network says:"
UPLOAD_LIMIT_MB = 10  # .streamlit/config.toml server.maxUploadSize


ERRORS = page_texts("errors")


def message(key: str) -> str:
    return {**EN, **ERRORS}[key].format(limit=UPLOAD_LIMIT_MB, side=prep.MIN_SIDE)


# ---------------------------------------------------------------- pictures made by the test


def png_bytes(image: Image.Image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **options)
    return buffer.getvalue()


def photo_of(test_image: np.ndarray, side: int = 280) -> Image.Image:
    """A Fashion-MNIST test image as a 'product photo': enlarged, dark garment on a white ground."""
    return Image.fromarray(255 - test_image).resize((side, side), Image.BICUBIC)


def png_bomb(side: int = 20_000) -> bytes:
    """A 1-bit PNG claiming side x side pixels, streamed through zlib: a few KB on disk."""
    row = b"\x00" + bytes((side + 7) // 8)  # filter byte + packed bits
    packer = zlib.compressobj(9)
    chunks = [packer.compress(row * 1000) for _ in range(side // 1000)]
    idat = b"".join(chunks) + packer.flush()

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit grayscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def test_picture(tiny_dataset_dir):
    """A trouser of the test set (the most distinctive class) and its label."""
    raw = data.load_from_dir(tiny_dataset_dir)
    index = int(np.flatnonzero(raw.test_labels == 1)[0])
    return raw.test_images[index], int(raw.test_labels[index])


@pytest.fixture(scope="module")
def pictures(tmp_path_factory, test_picture) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("uploads")
    image, _ = test_picture
    good = photo_of(image)
    other = photo_of(np.rot90(image))
    files = {
        "good.png": png_bytes(good),
        "text.png": b"This is a shopping list, not a picture.\n" * 20,
        "truncated.png": png_bytes(good)[: len(png_bytes(good)) // 2],
        "empty.png": b"",
        "tiny.png": png_bytes(Image.new("L", (1, 1), 128)),
        "bomb.png": png_bomb(),
        "plain.png": png_bytes(Image.new("RGB", (200, 200), (200, 30, 30))),
    }
    buffer = io.BytesIO()
    frames = [good.convert("P"), other.convert("P")]
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=300, loop=0)
    files["animated.gif"] = buffer.getvalue()
    paths = {}
    for name, payload in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(payload)
    assert paths["bomb.png"].stat().st_size < 200_000
    bomb = paths["bomb.png"].read_bytes()
    assert bomb[12:16] == b"IHDR" and struct.unpack(">II", bomb[16:24]) == (20_000, 20_000)
    assert len(zlib.decompress(bomb[41:-16])) == 20_000 * 2_501  # every row really is there
    with Image.open(paths["animated.gif"]) as img:
        assert img.is_animated and img.n_frames == 2
    return paths


# ---------------------------------------------------------------- a model to classify with


@pytest.fixture(scope="module")
def model_run(request):
    """None when the shipped lesson model exists; otherwise a tiny trained run to select in the app."""
    if run_store.Run(run_store.DEFAULT_RUN_DIR).has_checkpoint():
        return None
    return request.getfixturevalue("tiny_run")


def open_classify(page, app_server, model_run) -> None:
    """Open the Classify page with a trained model in use (selecting `model_run` on Train if given)."""
    goto(page, "/")
    if model_run is not None:
        token = parse_qs(urlparse(page.url).query)["me"][0]
        target = run_store.Run(app_server.runs_dir / f"tiny-for-{token}")
        if not target.path.exists():
            shutil.copytree(model_run.path, target.path)
        target.write_meta({**target.meta(), "owner": token, "name": "tiny"})
        nav_to(page, "train")
        button = page.locator(".st-key-use_run button")
        with rerun(page):
            button.click()
    nav_to(page, "classify")
    assert_no_exception(page)


def answer_line(page) -> str:
    return next(line for line in main_text(page).splitlines() if line.startswith(ANSWER))


# ---------------------------------------------------------------- the tests


def test_draw_gets_a_prediction(page, app_server, model_run):
    open_classify(page, app_server, model_run)
    assert message("draw_first") in main_text(page)
    box = draw_filled_rectangle(page)
    assert box["width"] >= 200 and box["height"] >= 200, box
    wait_for_text(page, ANSWER)
    assert_no_exception(page)
    screenshot(page, "classify-draw")
    line = answer_line(page)
    assert any(name in line for name in data.CLASS_NAMES_EN), line
    text = main_text(page)
    assert EN["step_centred"] in text and "28×28" in text
    assert EN["steps_title"] in text and EN["why_title"] in text

    # the canvas toolbar's reset empties the drawing: back to "draw something first"
    with rerun(page):
        page.get_by_role("button", name="Reset canvas & history").first.click()
    wait_for_text(page, message("draw_first"))
    assert ANSWER not in main_text(page)
    assert_no_exception(page)


def test_a_drawn_outline_is_answered_and_filled_as_a_step_when_asked(page, app_server, model_run):
    """An outline is what many students draw first: the drawings model answers it as drawn (it learned outlines),
    and the fill toggle colours it in first and shows that step."""
    open_classify(page, app_server, model_run)
    draw_outline(page)
    wait_for_text(page, ANSWER)
    assert_no_exception(page)
    text = main_text(page)
    assert EN["step_filled"] not in text  # off at first
    if model_run is None:  # the lesson's model is in use, so the shipped drawings model answers, and the page says so
        assert EN["draw_model"].split("**")[0].strip() in text  # the name between ** shows in bold

    # turning the fill on adds the step
    with rerun(page):
        page.get_by_text(EN["fill_outlines"]).first.click()
    wait_for_text(page, EN["step_filled"])  # the fill, one more step-by-step picture
    assert ANSWER in main_text(page)
    screenshot(page, "classify-draw-outline")
    assert_no_exception(page)


def upload(page, path: Path) -> None:
    with rerun(page):
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))


def test_uploads_good_and_broken(page, app_server, model_run, pictures, test_picture):
    open_classify(page, app_server, model_run)
    with rerun(page):
        page.get_by_role("tab", name=EN["tab_upload"]).click()
    wait_for_text(page, message("upload_first"))

    _, label = test_picture
    upload(page, pictures["good.png"])
    wait_for_text(page, ANSWER)
    assert_no_exception(page)
    screenshot(page, "classify-upload-good")
    text = main_text(page)
    top3 = text[text.index("Top 3") :][:400]
    assert data.CLASS_NAMES_EN[label] in top3, f"a trouser of the test set is not in the top 3:\n{top3}"
    assert EN["inverted_note"] in text  # dark garment on white: negated like the dataset

    # each broken file: its own message, never an exception; consecutive messages differ
    cases = [
        ("text.png", message("image_not_an_image")),
        ("truncated.png", message("image_truncated")),
        ("empty.png", message("image_empty")),
        ("tiny.png", message("image_too_small")),
        ("bomb.png", message("image_too_many_pixels")),
        ("animated.gif", message("animated_note")),
        ("plain.png", message("no_object")),
    ]
    problems = []
    for name, expected in cases:
        upload(page, pictures[name])
        try:
            wait_for_text(page, expected, timeout=20_000)
        except Exception:
            problems.append(f"{name}: expected {expected!r}; the page shows:\n{main_text(page)[-600:]}")
        shot = screenshot(page, f"classify-upload-{name.replace('.', '-')}")
        if page.locator('[data-testid="stException"]').count():
            problems.append(f"{name}: exception element (screenshot {shot})")
        if name == "animated.gif":
            if ANSWER not in main_text(page):
                problems.append(f"{name}: the first frame was not classified")
        elif ANSWER in main_text(page):
            problems.append(f"{name}: an answer is shown for a broken file")
    assert not problems, "\n\n".join(problems)
