"""Tests for core.lesson.preprocess: safe decoding, and pictures made like Fashion-MNIST."""

import gzip
import io
import statistics
import struct
import warnings
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from core.lesson.preprocess import ImageError, decode_image, preprocess

DATASET = Path("/usr/share/datasets/fashion-mnist")

ROUND_TRIP_MEAN = 0.03
"""Largest accepted mean, over the images, of the per-image mean absolute difference
(in [0, 1] units) between a dataset image and the same image after a round trip."""

ROUND_TRIP_WORST = 0.13
"""Largest accepted per-image mean absolute difference. A few dataset images break
the dataset's own rules (an object 27 pixels long, or a bounding box set by a pixel
of value 3/255, below any sane noise tolerance), which costs them a one-pixel
shift; shifting a typical dataset image by one pixel costs about 0.1."""


def _encode(img: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, fmt, **params)
    return buffer.getvalue()


def _mad(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute difference of two images in [0, 1]."""
    return float(np.abs(a.astype(np.float32) - b.astype(np.float32)).mean())


def _picture() -> Image.Image:
    """A dark asymmetric object (boot-like, with a lighter patch) on a light ground."""
    img = Image.new("RGB", (200, 160), (235, 235, 235))
    draw = ImageDraw.Draw(img)
    draw.rectangle((60, 20, 110, 120), fill=(40, 30, 20))
    draw.ellipse((60, 90, 160, 140), fill=(40, 30, 20))
    draw.rectangle((70, 40, 95, 70), fill=(120, 110, 100))
    return img


def _png_header(width: int, height: int) -> bytes:
    """A tiny PNG that claims a size: Pillow reads the size before any pixel."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def dataset_images() -> np.ndarray:
    """50 Fashion-MNIST test images spread over the file, uint8 (50, 28, 28)."""
    path = DATASET / "t10k-images-idx3-ubyte.gz"
    if not path.exists():
        pytest.skip(f"Fashion-MNIST test images not found at {path}")
    with gzip.open(path, "rb") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    return images[::200][:50]


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    """The model input for `_picture()` from a lossless RGB PNG."""
    return preprocess(decode_image(_encode(_picture(), "PNG"))).image


# Round trip through a photo-like upload -------------------------------------------


def _as_upload(image: np.ndarray, position: tuple[int, int]) -> bytes:
    """A dataset image as a student might upload it: big, dark on light, off centre.

    Enlarged nearest-neighbour, so each dataset pixel becomes a 10x10 block; JPEG.
    """
    big = Image.fromarray(255 - image).resize((280, 280), Image.Resampling.NEAREST)
    canvas = Image.new("L", (500, 420), 255)
    canvas.paste(big, position)
    return _encode(canvas.convert("RGB"), "JPEG", quality=85)


def test_dataset_image_survives_a_round_trip(dataset_images):
    distances = []
    for i, image in enumerate(dataset_images):
        position = (10 + 7 * i % 200, 5 + 3 * i % 130)
        result = preprocess(decode_image(_as_upload(image, position)))
        assert not result.blank and result.inverted
        distances.append(_mad(result.image, image / 255))
    assert statistics.mean(distances) < ROUND_TRIP_MEAN, distances
    assert max(distances) < ROUND_TRIP_WORST, distances


def test_dataset_image_array_passes_through_unchanged(dataset_images):
    image = dataset_images[0]
    for given in (image, image.astype(np.float32) / 255, image[..., None]):
        result = preprocess(given)
        np.testing.assert_allclose(result.image, image / 255, atol=1e-6)
        assert [code for code, _ in result.steps] == ["original"]
        assert result.image.dtype == np.float32
        assert not result.blank and not result.inverted


# Bad uploads ------------------------------------------------------------------------


def _truncated_png() -> bytes:
    noise = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    data = _encode(Image.fromarray(noise), "PNG")
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"Not a picture, just notes saved as notes.png\n" * 20, "not_an_image"),
        (_encode(_picture(), "TIFF"), "not_an_image"),
        (_truncated_png(), "truncated"),
        (_encode(Image.new("RGB", (1, 1)), "PNG"), "too_small"),
        (_encode(Image.new("RGB", (300, 5)), "PNG"), "too_small"),
        (_png_header(20_000, 20_000), "too_many_pixels"),  # Pillow raises
        (_png_header(8_000, 8_000), "too_many_pixels"),  # Pillow allows, we do not
    ],
    ids=["empty", "text", "tiff", "truncated", "1x1", "300x5", "bomb", "64mp"],
)
def test_bad_upload_is_refused_with_a_code(data, code):
    with pytest.raises(ImageError) as caught:
        decode_image(data)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError) and str(caught.value)


def test_pillow_bomb_warning_becomes_image_error():
    """From Image.MAX_IMAGE_PIXELS to twice that Pillow only warns: refuse anyway."""
    for filter_action in ("ignore", "error"):
        with warnings.catch_warnings():
            warnings.simplefilter(filter_action, Image.DecompressionBombWarning)
            with pytest.raises(ImageError) as caught:
                decode_image(_png_header(10_000, 10_000), max_pixels=10**9)
        assert caught.value.code == "too_many_pixels"


def test_limits_are_parameters():
    data = _encode(_picture(), "PNG")
    with pytest.raises(ImageError) as caught:
        decode_image(data, max_bytes=len(data) - 1)
    assert caught.value.code == "too_large"
    with pytest.raises(ImageError) as caught:
        decode_image(data, max_pixels=200 * 160 - 1)
    assert caught.value.code == "too_many_pixels"
    img = decode_image(data, max_bytes=len(data), max_pixels=200 * 160)
    assert img.size == (200, 160)


# Accepted formats -------------------------------------------------------------------


def _png_16bit() -> bytes:
    gray = np.asarray(_picture().convert("L"), np.uint16) * 257
    return _encode(Image.fromarray(gray), "PNG")


def _png_transparent_background() -> bytes:
    """Opaque object; transparent background hiding random colours."""
    rgba = np.random.default_rng(1).integers(0, 256, (160, 200, 4), dtype=np.uint8)
    picture = np.asarray(_picture())
    is_object = picture.mean(axis=2) < 200
    rgba[..., :3][is_object] = picture[is_object]
    rgba[..., 3] = np.where(is_object, 255, 0)
    return _encode(Image.fromarray(rgba), "PNG")


def _converted(mode: str, fmt: str, **params) -> bytes:
    return _encode(_picture().convert(mode), fmt, **params)


FORMATS = {
    "png_16bit": (_png_16bit, "I;16"),
    "png_palette": (lambda: _encode(_picture().quantize(16), "PNG"), "P"),
    "png_la": (lambda: _converted("LA", "PNG"), "LA"),
    "png_rgba": (_png_transparent_background, "RGBA"),
    "jpeg": (lambda: _converted("RGB", "JPEG", quality=90), "RGB"),
    "jpeg_cmyk": (lambda: _converted("CMYK", "JPEG", quality=90), "CMYK"),
    "webp": (lambda: _converted("RGB", "WEBP", quality=90), "RGB"),
    "gif": (lambda: _converted("RGB", "GIF"), "P"),
    "bmp": (lambda: _converted("RGB", "BMP"), "RGB"),
}


@pytest.mark.parametrize("name", FORMATS)
def test_format_is_accepted_and_preprocessed_alike(name, reference):
    build, mode = FORMATS[name]
    img = decode_image(build())
    assert img.mode == mode  # the test really exercises that kind of file
    result = preprocess(img)
    assert not result.blank and result.inverted
    assert _mad(result.image, reference) < 0.03


def test_animated_gif_uses_first_frame(reference):
    blank = Image.new("RGB", (200, 160), (235, 235, 235))
    first_object = _encode(_picture(), "GIF", save_all=True, append_images=[blank])
    first_blank = _encode(blank, "GIF", save_all=True, append_images=[_picture()])
    assert _mad(preprocess(decode_image(first_object)).image, reference) < 0.03
    assert preprocess(decode_image(first_blank)).blank


@pytest.mark.parametrize("colour", ["white", "black", "grey", "crimson"])
def test_one_colour_picture_is_blank(colour):
    data = _encode(Image.new("RGB", (120, 90), colour), "PNG")
    result = preprocess(decode_image(data))
    assert result.blank
    assert result.image.shape == (28, 28) and not result.image.any()


@pytest.mark.parametrize("gradient", [0, 30])
def test_photo_of_nothing_is_blank(gradient):
    """Sensor noise and uneven light on an empty table are not an object."""
    rng = np.random.default_rng(2)
    light = 190 + gradient * np.linspace(0, 1, 640)[None, :, None]
    photo = light + rng.normal(0, 6, (480, 640, 3))
    data = _encode(Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8)), "JPEG")
    assert preprocess(decode_image(data)).blank


def test_faint_crease_away_from_the_object_is_not_trimmed_in(reference):
    """Faint edge pixels widen the box only near the object, not across the picture."""
    img = _picture()
    ImageDraw.Draw(img).line((15, 5, 15, 155), fill=(220, 220, 220), width=3)
    assert _mad(preprocess(img).image, reference) < 0.01


def test_photo_with_noise_finds_the_object(reference):
    rng = np.random.default_rng(3)
    photo = np.asarray(_picture().resize((800, 640)), np.float32)
    photo += rng.normal(0, 6, photo.shape)
    data = _encode(Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8)), "JPEG")
    assert _mad(preprocess(decode_image(data)).image, reference) < 0.03


# EXIF orientation -------------------------------------------------------------------


def test_exif_orientation_is_applied():
    """A phone stores a portrait lying down, with orientation 6: turn it clockwise."""
    upright = _picture().rotate(90, expand=True)  # 160 wide, 200 tall
    exif = Image.Exif()
    exif[0x0112] = 6
    stored = upright.rotate(90, expand=True)  # as the sensor saw it
    img = decode_image(_encode(stored, "JPEG", quality=95, exif=exif))
    assert img.size == upright.size
    pixels, expected_pixels = (np.asarray(i.convert("L")) / 255 for i in (img, upright))
    assert _mad(pixels, expected_pixels) < 0.01
    expected = preprocess(decode_image(_encode(upright, "PNG"))).image
    assert _mad(preprocess(img).image, expected) < 0.02


# Canvas drawings --------------------------------------------------------------------


Colour = tuple[int, int, int, int]


def _canvas(background: Colour, ink: Colour) -> np.ndarray:
    """A 280x280 RGBA shirt outline, like streamlit-drawable-canvas's image_data."""
    img = Image.new("RGBA", (280, 280), background)
    draw = ImageDraw.Draw(img)
    outline = [(90, 60), (190, 60), (240, 110), (210, 140), (190, 120), (190, 230)]
    outline += [(90, 230), (90, 120), (70, 140), (40, 110), (90, 60)]
    draw.line(outline, fill=ink, width=14, joint="curve")
    return np.asarray(img)


WHITE, BLACK, CLEAR = (255, 255, 255, 255), (0, 0, 0, 255), (0, 0, 0, 0)


def test_canvas_drawings_agree_whatever_the_background():
    light_on_black = preprocess(_canvas(BLACK, WHITE))
    assert not light_on_black.blank and not light_on_black.inverted
    for background, ink in [(CLEAR, WHITE), (CLEAR, BLACK), (WHITE, BLACK)]:
        result = preprocess(_canvas(background, ink))
        assert not result.blank
        assert _mad(result.image, light_on_black.image) < 0.01, (background, ink)


def test_canvas_result_is_framed_like_the_dataset():
    result = preprocess(_canvas(BLACK, WHITE))
    rows = np.flatnonzero(result.image.any(axis=1))
    cols = np.flatnonzero(result.image.any(axis=0))
    assert (cols[0], cols[-1]) == (0, 27)  # the longest side, here the width, spans 28
    height = rows[-1] - rows[0] + 1
    assert height < 28 and rows[0] == (29 - height) // 2  # centred, odd spare on top
    assert result.image.max() == 1.0 and result.image.min() == 0.0
    codes = [code for code, _ in result.steps]
    assert codes == ["original", "grayscale", "contrast", "trimmed"] + [
        "resized",
        "sharpened",
        "centred",
    ]
    assert all(step.dtype == np.uint8 for _, step in result.steps)


@pytest.mark.parametrize("background", [CLEAR, BLACK, WHITE])
def test_empty_canvas_is_blank(background):
    result = preprocess(np.asarray(Image.new("RGBA", (280, 280), background)))
    assert result.blank and not result.image.any()


# Polarity and speed -----------------------------------------------------------------


def test_dark_on_light_and_light_on_dark_agree(dataset_images):
    """The same object light on black, and dark on grey paper with less contrast.

    Lossless, so that only polarity and levels differ (JPEG is the round trip's job).
    """
    for image in dataset_images[:10]:
        big = Image.fromarray(image).resize((140, 140), Image.Resampling.BICUBIC)
        framed = np.pad(np.asarray(big), 30)
        paper = (230 - framed * (210 / 255)).astype(np.uint8)
        light_on_dark = preprocess(framed)
        data = _encode(Image.fromarray(paper), "PNG")
        dark_on_light = preprocess(decode_image(data))
        assert dark_on_light.inverted and not light_on_dark.inverted
        assert _mad(dark_on_light.image, light_on_dark.image) < 0.02


def test_large_photo_becomes_a_centred_28x28():
    """A 1000x1000 photo goes through every step (its speed is measured in bench/bench_classify.py)."""
    rng = np.random.default_rng(4)
    photo = Image.fromarray(rng.integers(220, 235, (1000, 1000, 3), dtype=np.uint8))
    ImageDraw.Draw(photo).ellipse((300, 200, 700, 800), fill=(20, 20, 20))
    pre = preprocess(photo)
    assert pre.image.shape == (28, 28) and pre.inverted and not pre.blank
