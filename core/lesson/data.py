"""Find, validate and load Fashion-MNIST, and split it as the lesson does.

The four original IDX `.gz` files are looked for, in order, in
`$FASHION_MNIST_DIR`, in the Debian package's folder, in Keras's cache,
and last fetched with Keras's own downloader (for users who are online).
Every problem with a file is reported as a `DatasetError` whose message says
what is wrong and how to get the data.
"""

from __future__ import annotations

import gzip
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core import messages
from core.messages import CoreMessage

DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
KERAS_CACHE_DIR = Path("~/.keras/datasets/fashion-mnist").expanduser()

FILES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}
EXPECTED_COUNTS = {"train": 60_000, "test": 10_000}
IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049

CLASS_NAMES_EN = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
CLASS_NAMES_KO = ("티셔츠/탑", "바지", "풀오버", "드레스", "코트", "샌들", "셔츠", "스니커즈", "가방", "앵클 부츠")

HOW_TO_GET = messages.text("dataset_howto")


class DatasetError(CoreMessage, RuntimeError):
    """The dataset is missing or a file is damaged; the message ends with how to get it."""

    suffix = "dataset_howto"

    def __init__(self, key: str, **values):
        super().__init__(key, **values)
        self.args = (f"{self.args[0]} {HOW_TO_GET}",)


def class_names(lang: str = "en") -> tuple[str, ...]:
    return CLASS_NAMES_KO if lang == "ko" else CLASS_NAMES_EN


def candidate_dirs() -> list[Path]:
    """Folders searched for the IDX files, in order of preference."""
    dirs = [DEBIAN_DIR, KERAS_CACHE_DIR]
    if os.environ.get("FASHION_MNIST_DIR"):
        dirs.insert(0, Path(os.environ["FASHION_MNIST_DIR"]).expanduser())
    return dirs


def read_idx(path: Path, magic: int) -> np.ndarray:
    """Read one gzipped IDX file into a uint8 array, checking its header.

    Args:
        path: the `.gz` file.
        magic: 2051 for images (3 dimensions), 2049 for labels (1 dimension).

    Raises:
        DatasetError: missing, not gzip, not IDX, or shorter than its header says.
    """
    try:
        raw = gzip.decompress(Path(path).read_bytes())
    except FileNotFoundError:
        raise DatasetError("dataset_file_missing", path=str(path)) from None
    except (OSError, EOFError, zlib.error):
        raise DatasetError("dataset_not_gzip", path=str(path)) from None
    ndim = 3 if magic == IMAGES_MAGIC else 1
    header = 4 + 4 * ndim
    if len(raw) < header or int.from_bytes(raw[:4], "big") != magic:
        raise DatasetError("dataset_not_idx", path=str(path), kind="image" if ndim == 3 else "label", magic=magic)
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    if ndim == 3 and dims[1:] != [28, 28]:
        raise DatasetError("dataset_image_size", path=str(path), height=dims[1], width=dims[2])
    expected = int(np.prod(dims))
    if len(raw) - header != expected:
        raise DatasetError(
            "dataset_truncated", path=str(path), items=dims[0], expected=expected, actual=len(raw) - header
        )
    return np.frombuffer(raw, np.uint8, offset=header).reshape(dims)


@dataclass(frozen=True)
class RawData:
    """The dataset as published: uint8 images (N, 28, 28) and labels (N,)."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    source: str


def load_from_dir(directory: Path) -> RawData:
    """Load and validate the four files of one folder."""
    arrays = {}
    for key, name in FILES.items():
        magic = IMAGES_MAGIC if key.endswith("images") else LABELS_MAGIC
        arrays[key] = read_idx(Path(directory) / name, magic)
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if len(images) != len(labels) or len(images) == 0:
            raise DatasetError(
                "dataset_count_mismatch",
                split=split,
                directory=str(directory),
                images=len(images),
                labels=len(labels),
                expected=EXPECTED_COUNTS[split],
            )
        if labels.max() > 9:
            raise DatasetError(
                "dataset_bad_label", path=str(Path(directory) / FILES[f"{split}_labels"]), label=int(labels.max())
            )
    return RawData(**arrays, source=str(directory))


def _has_all_files(directory: Path) -> bool:
    return all((directory / name).is_file() for name in FILES.values())


def find_dataset_dir() -> Path | None:
    """The first candidate folder holding all four files, or None."""
    return next((d for d in candidate_dirs() if _has_all_files(d)), None)


def load_raw(download: bool = True) -> RawData:
    """Load the dataset from the first folder that has it, else download it.

    Args:
        download: when no folder has the files, try Keras's downloader
            (needs internet access). Default True.

    Raises:
        DatasetError: with a message that names the folders searched and
            how to get the data.
    """
    directory = find_dataset_dir()
    if directory is not None:
        return load_from_dir(directory)
    searched = ", ".join(str(d) for d in candidate_dirs())
    if download:
        try:
            from keras.datasets import fashion_mnist

            fashion_mnist.load_data()
        except Exception as err:  # any network or server failure means "not available"
            raise DatasetError("dataset_download_failed", searched=searched, reason=type(err).__name__) from None
        if _has_all_files(KERAS_CACHE_DIR):
            return load_from_dir(KERAS_CACHE_DIR)
    raise DatasetError("dataset_not_found", searched=searched)


def scale(images: np.ndarray) -> np.ndarray:
    """uint8 (N, 28, 28) -> float32 (N, 28, 28, 1) in [0, 1], the lesson's input.

    `astype(float32) / 255` keeps the peak memory lowest (`x / 255.0` would
    make a float64 copy twice the size).
    """
    scaled = images.astype(np.float32)
    scaled /= 255
    return scaled[..., np.newaxis]


@dataclass(frozen=True)
class Splits:
    """Scaled arrays for training, validation and test; read-only, shareable."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str


def split(raw: RawData, val_fraction: float = 0.2, seed: int = 42) -> Splits:
    """Scale and split as the lesson: `train_test_split(test_size=0.2, random_state=42)`."""
    from sklearn.model_selection import train_test_split

    x_train, x_val, y_train, y_val = train_test_split(
        scale(raw.train_images), raw.train_labels, test_size=val_fraction, random_state=seed
    )
    arrays = [x_train, y_train, x_val, y_val, scale(raw.test_images), raw.test_labels]
    for array in arrays:
        array.flags.writeable = False
    return Splits(*arrays, source=raw.source)


def subset(x: np.ndarray, y: np.ndarray, size: int | None, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A reproducible random subset of `size` images (all of them when None)."""
    if size is None or size >= len(x):
        return x, y
    idx = np.sort(np.random.default_rng(seed).choice(len(x), size, replace=False))
    return x[idx], y[idx]
