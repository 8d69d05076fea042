"""Pictures a student might upload: photos of dataset images, and every kind of broken or unusual file.

Shared by the inference tests (`test_classify.py`) and the page tests (Classify, Teacher).
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image


def png_bytes(img: Image.Image, **options) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", **options)
    return buf.getvalue()


def jpeg_bytes(img: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def photo_of(image28: np.ndarray, offset=(40, 60), canvas=(480, 400)) -> Image.Image:
    """A dataset image as a photo would show it: 280x280, dark on light, off-centre on white."""
    big = Image.fromarray(255 - image28).resize((280, 280), Image.Resampling.BICUBIC)
    page = Image.new("L", canvas, 255)
    page.paste(big, offset)
    return page


def bomb_png(side: int = 20_000) -> bytes:
    """A valid PNG header claiming side x side pixels, with almost no data: a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def broken_uploads(image28: np.ndarray) -> dict[str, tuple[bytes, str]]:
    """Each kind of unusable upload -> (bytes, the ImageError code it must give)."""
    good = png_bytes(photo_of(image28))
    return {
        "text named .png": (b"this is not a picture\n" * 20, "not_an_image"),
        "truncated PNG": (good[: len(good) // 2], "truncated"),
        "zero bytes": (b"", "empty"),
        "1x1 image": (png_bytes(Image.new("RGB", (1, 1), "red")), "too_small"),
        "20000x20000 bomb": (bomb_png(), "too_many_pixels"),
        "over 10 MB": (b"\x89PNG\r\n\x1a\n" + bytes(10 * 2**20 + 1), "too_large"),
    }


def odd_but_valid_uploads(image28: np.ndarray) -> dict[str, bytes]:
    """Uploads in unusual encodings that must still be classified."""
    photo = photo_of(image28)
    sixteen = Image.fromarray(np.asarray(photo, np.uint16) * 257)
    cmyk = io.BytesIO()
    photo.convert("CMYK").save(cmyk, "JPEG", quality=90)
    frames = [photo, Image.new("L", photo.size, 255), photo.rotate(90)]
    gif = io.BytesIO()
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return {"16-bit PNG": png_bytes(sixteen), "CMYK JPEG": cmyk.getvalue(), "animated GIF": gif.getvalue()}
