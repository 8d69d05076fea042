"""Any picture -> a 28x28 image like Fashion-MNIST, keeping every step for display.

Fashion-MNIST was made (Xiao et al. 2017, section 2) from product photos by
trimming edges close to the corner colour, resizing the longest edge to 28,
sharpening, centring on a 28x28 canvas, negating (light object on dark ground)
and converting to 8-bit grayscale. A drawing, a photo or an upload goes through
the same steps here, so that what the model sees resembles what it learned from.

Measured on the dataset itself: the object's longest side spans all 28 pixels,
the other side is centred with any odd spare pixel on the top or left, the
background is 0 and the brightest pixel is 255.

Pure numpy + Pillow: no Streamlit, no TensorFlow.
"""

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps

from core.messages import CoreMessage

SIZE = 28
"""Side of the model's input image, in pixels."""

WORK_SIDE = 10 * SIZE
"""Large pictures are shrunk to this longest side first: enough detail, little work."""

MAX_BYTES = 20 * 1024 * 1024
"""Default upload limit: a phone photo fits."""

MAX_PIXELS = 50_000_000
"""Default pixel limit (a 48-megapixel phone photo fits); Pillow's own
`Image.MAX_IMAGE_PIXELS` applies too, whichever is smaller."""

MIN_SIDE = 8
"""Pictures narrower than this have too little to show."""

FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP")
"""Formats accepted from uploads; fewer decoders, fewer surprises."""

MIN_CONTRAST = 24
"""An object must differ from the background by this much (of 255); else it is blank."""

TRIM_TOLERANCE = 8
"""Edges are trimmed up to the last pixel differing from the background by this much
(of 255): the dataset's bounding boxes include faint pixels, and JPEG noise on a
plain background stays below it."""

MIN_OBJECT_FRACTION = 0.001
"""An object must cover this share of the picture, or the picture is blank."""

OUTLINE_SPACE = 0.25
"""A drawing is an outline when the space its strokes close in is at least this share of its ink: a
garment's outline closes in about as much as it inks (less with a thick brush), a filled shape
nothing, or a detail such as a bag's handle loop (a few percent)."""


class ImageError(CoreMessage, ValueError):
    """An upload that cannot become a picture; its message (`image_<code>`) tells the student why.

    Args:
        code: the case, e.g. `"too_small"`: empty, too_large, not_an_image,
            too_many_pixels, too_small, truncated, unreadable.
        **values: what the message is filled with (`limit` in MB, `side`).
    """

    def __init__(self, code: str, **values):
        super().__init__(f"image_{code}", **values)
        self.code = code


@dataclass(frozen=True, eq=False)
class Preprocessed:
    """The result of `preprocess`.

    Attributes:
        steps: `(code, uint8 array)` pairs in order, to show the student; codes are
            "original", "grayscale", "inverted" (only when inverted), "contrast",
            "filled" (only when an outline was filled), "trimmed", "resized",
            "sharpened", "centred". A blank picture stops before "contrast".
        image: 28x28 float32 in [0, 1], light object on dark ground: the model input.
        inverted: whether the picture was negated (it had a light background).
        blank: whether there was essentially no object; `image` is then all zeros.
        filled: whether the picture was an outline and was filled (`fill_outlines`).
    """

    steps: list[tuple[str, np.ndarray]]
    image: np.ndarray
    inverted: bool
    blank: bool
    filled: bool = False


def decode_image(data: bytes, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Open uploaded bytes as an upright picture, refusing anything unsafe or unusable.

    Sizes are checked from the header before any pixel is decoded, so a small file
    claiming a huge picture (a decompression bomb) costs nothing. Only the first
    frame of an animation is kept. Large JPEGs are decoded at a reduced scale, never
    below `WORK_SIDE` pixels a side, since `preprocess` needs no more.

    Args:
        data: the file's bytes.
        max_bytes: largest accepted file size.
        max_pixels: largest accepted width x height, capped by Pillow's
            `Image.MAX_IMAGE_PIXELS` (read, never changed), so a picture that
            Pillow only warns about is refused as well as one it refuses.

    Returns:
        The picture with its EXIF orientation applied, in the file's own mode.

    Raises:
        ImageError: with `code` one of "empty", "too_large", "not_an_image",
            "too_many_pixels", "too_small", "truncated".
    """
    if not data:
        raise ImageError("empty")
    if len(data) > max_bytes:
        raise ImageError("too_large", limit=f"{max_bytes / 2**20:g}")
    img = _open(data)
    _check_size(img.size, min(max_pixels, Image.MAX_IMAGE_PIXELS or max_pixels))
    try:
        img.draft(None, (WORK_SIDE, WORK_SIDE))
        img.load()
        ImageOps.exif_transpose(img, in_place=True)
    except (OSError, SyntaxError, EOFError, ValueError) as exc:
        raise ImageError("truncated") from exc
    return img


def _open(data: bytes) -> Image.Image:
    """Read the header only, turning Pillow's complaints into ImageErrors.

    The bomb warning is caught too, for when warnings are turned into errors.
    """
    try:
        return Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except (OSError, SyntaxError, EOFError, ValueError) as exc:
        raise ImageError("not_an_image") from exc


def _check_size(size: tuple[int, int], max_pixels: int) -> None:
    """Refuse pictures too big to decode safely or too small to show anything."""
    width, height = size
    if width * height > max_pixels:
        raise _too_many_pixels()
    if min(width, height) < MIN_SIDE:
        raise ImageError("too_small", side=MIN_SIDE)


def _too_many_pixels() -> ImageError:
    return ImageError("too_many_pixels")


def preprocess(img: Image.Image | np.ndarray, fill_outlines: bool = False) -> Preprocessed:
    """Turn a picture into a 28x28 image like Fashion-MNIST, keeping each step.

    Large pictures are first shrunk to `WORK_SIDE` pixels on their longest side,
    so the "original" step is at most that big. The picture is blank when fewer
    than `MIN_OBJECT_FRACTION` of its pixels stand out from the background by
    `MIN_CONTRAST`, or by four times the background's own noise if that is more:
    a one-colour picture, an empty canvas, a grainy photo of an empty table.

    Args:
        img: a PIL image in any mode, or a uint8 array: HxW grayscale, HxWx3 RGB
            or HxWx4 RGBA (a canvas drawing, where transparent means background).
            A 28x28 (or 28x28x1) array is taken to be a dataset image already and
            passed through unchanged (see `preprocess_dataset_image`).
        fill_outlines: when the object is an outline (closed strokes around empty
            space: `OUTLINE_SPACE`), colour it in before the network sees it, as a
            silhouette like the dataset's garments (see `enclosed_space`).

    Returns:
        A `Preprocessed` with the steps, the model input and the flags.
    """
    if isinstance(img, np.ndarray):
        if img.shape in ((SIZE, SIZE), (SIZE, SIZE, 1)):
            return preprocess_dataset_image(img)
        img = Image.fromarray(img)
    rgb = _shrink(_standard_mode(img))
    steps = [("original", np.asarray(rgb))]
    gray = _grayscale(rgb)
    steps.append(("grayscale", _to_uint8(gray)))
    background, noise = _background(gray)
    inverted = background > 127.5
    if inverted:
        gray, background = 255 - gray, 255 - background
        steps.append(("inverted", _to_uint8(gray)))
    diff = gray - background
    mask = _object_mask(diff, max(MIN_CONTRAST, 4 * noise))
    if mask.sum() < max(1, MIN_OBJECT_FRACTION * mask.size):
        empty = np.zeros((SIZE, SIZE), np.float32)
        return Preprocessed(steps, empty, inverted, blank=True)
    levels = _stretch(diff, noise, mask)
    steps.append(("contrast", levels))
    holes = enclosed_space(mask) if fill_outlines else None
    filled = holes is not None and holes.sum() >= OUTLINE_SPACE * mask.sum()
    if filled:
        levels = np.where(holes, levels.max(), levels).astype(np.uint8)  # the strokes' soft inner edges too
        steps.append(("filled", levels))
    trimmed = _trim(levels, mask, _object_mask(diff, max(TRIM_TOLERANCE, 4 * noise)))
    steps.append(("trimmed", trimmed))
    resized = _resize_longest(trimmed)
    steps.append(("resized", np.asarray(resized)))
    sharpened = resized.filter(ImageFilter.UnsharpMask(radius=1, percent=30, threshold=3))
    steps.append(("sharpened", np.asarray(sharpened)))
    centred = _centre(np.asarray(sharpened))
    steps.append(("centred", centred))
    return Preprocessed(steps, centred.astype(np.float32) / 255, inverted, blank=False, filled=filled)


def enclosed_space(mask: np.ndarray, step: int = 4) -> np.ndarray:
    """The background pixels that strokes close in: those a flood from the picture's border cannot reach.

    The flood runs on a grid `step` times coarser (a cell is ink when any of its pixels is), which keeps it
    fast and keeps every stroke of the canvas's 10-40 pixel brush closed.
    """
    rows, cols = -(-mask.shape[0] // step), -(-mask.shape[1] // step)
    cells = np.zeros((rows * step, cols * step), bool)
    cells[: mask.shape[0], : mask.shape[1]] = mask
    coarse = cells.reshape(rows, step, cols, step).any(axis=(1, 3))
    grid = Image.fromarray(np.pad(coarse, 1).astype(np.uint8) * 255).copy()  # writable: not the array's memory
    ImageDraw.floodfill(grid, (0, 0), 128)  # the outside background, reached around every stroke
    closed = np.asarray(grid) == 0  # a border cell round the grid, never closed in
    # grown by a cell, into the cells that hold the strokes' inner edges (a stroke is wider than a cell)
    near = np.zeros_like(coarse)
    for dy in range(3):
        for dx in range(3):
            near |= closed[dy : dy + rows, dx : dx + cols]
    return np.kron(near, np.ones((step, step), bool))[: mask.shape[0], : mask.shape[1]] & ~mask


def preprocess_dataset_image(image: np.ndarray) -> Preprocessed:
    """Wrap a Fashion-MNIST image as a `Preprocessed` without changing it.

    A dataset image is already the model's input; preprocessing it again would
    sharpen and stretch it a second time.

    Args:
        image: 28x28 (or 28x28x1) array, uint8 in [0, 255] or float in [0, 1].

    Returns:
        A `Preprocessed` whose only step is "original".
    """
    image = image.reshape(SIZE, SIZE)
    if image.dtype == np.uint8:
        image = image.astype(np.float32) / 255
    image = np.clip(image, 0, 1).astype(np.float32)
    blank = bool(image.max() * 255 < MIN_CONTRAST)
    return Preprocessed([("original", _to_uint8(image * 255))], image, False, blank)


def _standard_mode(img: Image.Image) -> Image.Image:
    """Bring any mode to L, LA, RGB or RGBA without losing transparency.

    16-bit grayscale is scaled down: Pillow's own conversion clips it at 255.
    """
    if img.mode.startswith("I"):
        return Image.fromarray(_to_uint8(np.asarray(img, np.float32) / 257))
    if img.mode in ("L", "LA", "RGB", "RGBA"):
        return img
    return img.convert("RGBA" if img.has_transparency_data else "RGB")


def _shrink(img: Image.Image) -> Image.Image:
    """Shrink so the longest side is at most `WORK_SIDE`, before any heavy work."""
    scale = WORK_SIDE / max(img.size)
    if scale >= 1:
        return img
    size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
    return img.resize(size, Image.Resampling.BILINEAR, reducing_gap=1.0)


def _grayscale(img: Image.Image) -> np.ndarray:
    """Luminance as float32 in [0, 255], transparency composited onto a background.

    The background behind transparent pixels is black for light strokes and white
    for dark ones, so a drawing on a transparent canvas keeps its contrast.
    """
    if img.mode in ("L", "RGB"):
        return np.asarray(img.convert("L"), np.float32)
    luma, alpha = np.moveaxis(np.asarray(img.convert("LA"), np.float32), -1, 0)
    alpha /= 255
    weight = alpha.sum()
    ink = (luma * alpha).sum() / weight if weight else 0.0
    behind = 0.0 if ink > 127.5 else 255.0
    return luma * alpha + behind * (1 - alpha)


def _background(gray: np.ndarray) -> tuple[float, float]:
    """Background level and noise, from the outer ring of pixels (the corners' colour).

    Median and median absolute deviation, so an object touching the edge or JPEG
    noise barely moves them.

    Returns:
        `(level, noise)`, where noise is a robust standard deviation.
    """
    ring = np.concatenate([gray[0], gray[-1], gray[1:-1, 0], gray[1:-1, -1]])
    level = float(np.median(ring))
    return level, 1.4826 * float(np.median(np.abs(ring - level)))


def _object_mask(diff: np.ndarray, tolerance: float) -> np.ndarray:
    """Pixels brighter than the background by more than `tolerance`, ignoring specks.

    A pixel counts when both it and its 3x3 neighbourhood mean exceed the tolerance:
    one noisy pixel fails the second test, and the edge of a stroke does not
    spread the way a blurred mask alone would.
    """
    padded = np.pad(diff, 1, mode="edge")
    rows, cols = diff.shape
    shifts = [padded[i : i + rows, j : j + cols] for i in range(3) for j in range(3)]
    local = sum(shifts) / 9
    return (diff > tolerance) & (local > tolerance)


def _stretch(diff: np.ndarray, noise: float, mask: np.ndarray) -> np.ndarray:
    """Map the background to 0 and the object's brightest part to 255, like the dataset.

    Anything within three noise deviations of the background becomes 0. The top
    0.1 % of object pixels set the white point, so a single hot pixel does not.
    """
    floor = 3 * noise
    top = float(np.percentile(diff[mask], 99.9))
    return _to_uint8((diff - floor) * (255 / max(top - floor, 1.0)))


def _trim(levels: np.ndarray, clear: np.ndarray, faint: np.ndarray) -> np.ndarray:
    """Crop to the bounding box of the object.

    The box holds every clearly visible pixel, grown to take in faint ones up to
    about two output pixels away: the dataset's boxes include faint edges, but a
    faint shadow or crease elsewhere on the picture is not part of the object.

    Args:
        levels: the picture to crop.
        clear: pixels that clearly belong to the object.
        faint: pixels that may belong to it; a superset of `clear`.
    """
    top, bottom, left, right = _extent(clear)
    reach = 2 * (max(bottom - top, right - left) // SIZE + 1)
    top, left = max(top - reach, 0), max(left - reach, 0)
    near = faint[top : bottom + reach + 1, left : right + reach + 1]
    near_top, near_bottom, near_left, near_right = _extent(near)
    return levels[top + near_top : top + near_bottom + 1, left + near_left : left + near_right + 1]


def _extent(mask: np.ndarray) -> tuple[int, int, int, int]:
    """First and last row, first and last column holding a True pixel."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    return rows[0], rows[-1], cols[0], cols[-1]


def _resize_longest(levels: np.ndarray) -> Image.Image:
    """Resize keeping the aspect ratio so the longest side is exactly 28 pixels."""
    height, width = levels.shape
    scale = SIZE / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return Image.fromarray(levels).resize(size, Image.Resampling.LANCZOS)


def _centre(small: np.ndarray) -> np.ndarray:
    """Place on a black 28x28 canvas by bounding box; an odd spare pixel goes first."""
    height, width = small.shape
    top, left = (SIZE + 1 - height) // 2, (SIZE + 1 - width) // 2
    canvas = np.zeros((SIZE, SIZE), np.uint8)
    canvas[top : top + height, left : left + width] = small
    return canvas


def _to_uint8(values: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)
