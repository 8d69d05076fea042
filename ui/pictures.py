"""Small pictures made big enough to see, pixel by pixel."""

from __future__ import annotations

import numpy as np

THUMB_SIDE = 112  # a 28x28 picture becomes 4x larger: the grid stays visible on a projector


def enlarge(image: np.ndarray, side: int = THUMB_SIDE) -> np.ndarray:
    """Enlarge by repeating pixels (no blur) to about `side` pixels; never shrinks."""
    factor = max(1, side // max(image.shape[:2]))
    return np.repeat(np.repeat(image, factor, axis=0), factor, axis=1) if factor > 1 else image


def as_uint8(image: np.ndarray) -> np.ndarray:
    """A [0, 1] float picture as 8-bit grey, for `st.image`."""
    return (np.clip(image, 0, 1) * 255).astype(np.uint8)
