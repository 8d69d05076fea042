"""core.lesson.data: IDX files found, validated and loaded; the lesson's scaling and split."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import numpy as np
import pytest
from helpers_core import as_raw, synthetic_raw, write_dataset, write_idx
from sklearn.model_selection import train_test_split

from core.lesson import data

# --- loading one folder ------------------------------------------------------------------------


@pytest.fixture
def arrays():
    return synthetic_raw(n_train=40, n_test=20, seed=1)


@pytest.fixture
def good_dir(tmp_path, arrays) -> Path:
    return write_dataset(tmp_path / "good", *arrays.values())


def test_good_folder_loads_exactly_what_was_written(good_dir, arrays):
    raw = data.load_from_dir(good_dir)
    for key, expected in arrays.items():
        loaded = getattr(raw, key)
        assert loaded.dtype == np.uint8
        np.testing.assert_array_equal(loaded, expected)
    assert raw.train_images.shape == (40, 28, 28)
    assert raw.test_labels.shape == (20,)
    assert raw.source == str(good_dir)


def _gz(raw_bytes: bytes) -> bytes:
    return gzip.compress(raw_bytes, compresslevel=1)


def _header(magic: int, *dims: int) -> bytes:
    return magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in dims)


# Each damage: (what is damaged, which file, how) -> the file (or folder) the message must name.
def _cut_gzip(folder: Path, name: str) -> Path:
    path = folder / name
    blob = path.read_bytes()
    path.write_bytes(blob[: len(blob) // 2])
    return path


def _flip_byte(folder: Path, name: str) -> Path:
    path = folder / name
    blob = bytearray(path.read_bytes())
    blob[len(blob) // 2] ^= 0xFF  # the CRC (or the deflate stream) no longer matches
    path.write_bytes(bytes(blob))
    return path


def _short_body(folder: Path, name: str) -> Path:
    """A complete gzip whose IDX body is one item shorter than its header says."""
    path = folder / name
    raw = gzip.decompress(path.read_bytes())
    item = 28 * 28 if "images" in name else 1
    path.write_bytes(_gz(raw[:-item]))
    return path


def _long_body(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(_gz(gzip.decompress(path.read_bytes()) + b"\0" * 7))
    return path


def _wrong_magic(folder: Path, name: str) -> Path:
    path = folder / name
    raw = gzip.decompress(path.read_bytes())
    path.write_bytes(_gz((1234).to_bytes(4, "big") + raw[4:]))
    return path


def _swap_magic(folder: Path, name: str) -> Path:
    """An images file written where the labels file should be (and vice versa)."""
    path = folder / name
    other = {
        data.FILES["train_images"]: data.FILES["train_labels"],
        data.FILES["train_labels"]: data.FILES["train_images"],
    }[name]
    path.write_bytes((folder / other).read_bytes())
    return path


def _not_gzip(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(gzip.decompress(path.read_bytes()))  # the bare IDX file, never compressed
    return path


def _html_page(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(b"<html><body>Rate limit exceeded</body></html>")
    return path


def _empty_file(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(b"")
    return path


def _missing(folder: Path, name: str) -> Path:
    path = folder / name
    path.unlink()
    return path


def _label_ten(folder: Path, name: str) -> Path:
    labels = np.zeros(40, np.uint8)
    labels[7] = 10
    write_idx(folder / name, labels)
    return folder


def _fewer_labels(folder: Path, name: str) -> Path:
    write_idx(folder / name, np.zeros(39, np.uint8))
    return folder


def _big_images(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(_gz(_header(data.IMAGES_MAGIC, 40, 32, 32) + bytes(40 * 32 * 32)))
    return path


TRAIN_IMAGES, TRAIN_LABELS = data.FILES["train_images"], data.FILES["train_labels"]
TEST_IMAGES, TEST_LABELS = data.FILES["test_images"], data.FILES["test_labels"]

DAMAGES = [
    pytest.param(_cut_gzip, TRAIN_IMAGES, id="gzip-cut-short-images"),
    pytest.param(_cut_gzip, TEST_LABELS, id="gzip-cut-short-labels"),
    pytest.param(_flip_byte, TEST_IMAGES, id="gzip-corrupted"),
    pytest.param(_short_body, TRAIN_IMAGES, id="idx-body-shorter-than-header-images"),
    pytest.param(_short_body, TRAIN_LABELS, id="idx-body-shorter-than-header-labels"),
    pytest.param(_long_body, TEST_IMAGES, id="idx-body-longer-than-header"),
    pytest.param(_wrong_magic, TRAIN_IMAGES, id="wrong-magic-images"),
    pytest.param(_wrong_magic, TEST_LABELS, id="wrong-magic-labels"),
    pytest.param(_swap_magic, TRAIN_LABELS, id="images-file-as-labels"),
    pytest.param(_not_gzip, TRAIN_IMAGES, id="not-gzip-bare-idx"),
    pytest.param(_html_page, TEST_LABELS, id="not-gzip-html"),
    pytest.param(_empty_file, TRAIN_LABELS, id="empty-file"),
    pytest.param(_missing, TEST_IMAGES, id="missing-file"),
    pytest.param(_label_ten, TRAIN_LABELS, id="label-10"),
    pytest.param(_fewer_labels, TRAIN_LABELS, id="count-mismatch"),
    pytest.param(_big_images, TRAIN_IMAGES, id="32x32-images"),
]


@pytest.mark.parametrize("damage, name", DAMAGES)
def test_damaged_file_is_refused_naming_it(good_dir, damage, name):
    """The message names the damaged file (or, for a disagreement between two files, their folder)."""
    culprit = damage(good_dir, name)
    with pytest.raises(data.DatasetError) as err:
        data.load_from_dir(good_dir)
    message = str(err.value)
    assert str(culprit) in message
    assert "Traceback" not in message
    assert message.rstrip().endswith(".")


@pytest.mark.parametrize("damage, name", DAMAGES)
def test_damaged_file_message_says_how_to_get_the_data(good_dir, damage, name):
    damage(good_dir, name)
    with pytest.raises(data.DatasetError) as err:
        data.load_from_dir(good_dir)
    assert data.HOW_TO_GET in str(err.value)


def test_specific_messages_say_what_is_wrong(good_dir):
    _short_body(good_dir, TRAIN_IMAGES)
    with pytest.raises(data.DatasetError, match="announces 40 items"):
        data.load_from_dir(good_dir)


def test_read_idx_checks_the_magic_it_is_asked_for(good_dir):
    assert data.read_idx(good_dir / TRAIN_LABELS, data.LABELS_MAGIC).shape == (40,)
    with pytest.raises(data.DatasetError, match="label file"):
        data.read_idx(good_dir / TRAIN_IMAGES, data.LABELS_MAGIC)
    with pytest.raises(data.DatasetError, match="image file"):
        data.read_idx(good_dir / TRAIN_LABELS, data.IMAGES_MAGIC)


# --- where the data is looked for -------------------------------------------------------------


@pytest.fixture
def places(tmp_path, monkeypatch):
    """Three candidate folders (env, Debian, Keras cache), all empty to begin with."""
    folders = {name: tmp_path / name for name in ("env", "debian", "keras")}
    for folder in folders.values():
        folder.mkdir()
    monkeypatch.setenv("FASHION_MNIST_DIR", str(folders["env"]))
    monkeypatch.setattr(data, "DEBIAN_DIR", folders["debian"])
    monkeypatch.setattr(data, "KERAS_CACHE_DIR", folders["keras"])
    return folders


def _fill(folder: Path, n_train: int) -> None:
    """A valid dataset whose size tells the folders apart."""
    write_dataset(folder, *synthetic_raw(n_train=n_train, n_test=5).values())


def test_candidate_dirs_order(places, monkeypatch):
    assert data.candidate_dirs() == [places["env"], places["debian"], places["keras"]]
    monkeypatch.delenv("FASHION_MNIST_DIR")
    assert data.candidate_dirs() == [places["debian"], places["keras"]]


def test_search_order_env_then_debian_then_keras_cache(places, monkeypatch):
    _fill(places["keras"], 30)
    raw = data.load_raw(download=False)
    assert (raw.source, len(raw.train_images)) == (str(places["keras"]), 30)

    _fill(places["debian"], 20)
    raw = data.load_raw(download=False)
    assert (raw.source, len(raw.train_images)) == (str(places["debian"]), 20)

    _fill(places["env"], 10)
    raw = data.load_raw(download=False)
    assert (raw.source, len(raw.train_images)) == (str(places["env"]), 10)

    # A folder with only some of the files is passed over, not half-loaded.
    (places["env"] / TEST_LABELS).unlink()
    assert data.load_raw(download=False).source == str(places["debian"])

    monkeypatch.delenv("FASHION_MNIST_DIR")
    assert data.find_dataset_dir() == places["debian"]


def test_env_folder_with_tilde_is_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("FASHION_MNIST_DIR", "~/fm")
    assert data.candidate_dirs()[0] == tmp_path / "fm"


def test_nothing_found_without_download_names_the_folders(places):
    with pytest.raises(data.DatasetError) as err:
        data.load_raw(download=False)
    message = str(err.value)
    for folder in places.values():
        assert str(folder) in message
    assert "not found" in message
    assert data.HOW_TO_GET in message


def test_download_failure_is_a_clear_message(places, monkeypatch):
    from keras.datasets import fashion_mnist

    def offline():
        raise ConnectionError("no route to host")

    monkeypatch.setattr(fashion_mnist, "load_data", offline)
    with pytest.raises(data.DatasetError) as err:
        data.load_raw(download=True)
    message = str(err.value)
    assert "downloading it failed (ConnectionError)" in message
    assert str(places["keras"]) in message
    assert data.HOW_TO_GET in message
    assert "Traceback" not in message


def test_download_success_loads_from_the_keras_cache(places, monkeypatch):
    from keras.datasets import fashion_mnist

    calls = []

    def fake_download():
        calls.append(1)
        _fill(places["keras"], 12)  # what Keras's downloader leaves behind

    monkeypatch.setattr(fashion_mnist, "load_data", fake_download)
    raw = data.load_raw(download=True)
    assert calls == [1]
    assert (raw.source, len(raw.train_images)) == (str(places["keras"]), 12)


def test_what_the_app_loads_never_downloads(places, monkeypatch):
    from keras.datasets import fashion_mnist

    monkeypatch.setattr(fashion_mnist, "load_data", lambda: pytest.fail("the app downloaded"))
    with pytest.raises(data.DatasetError):
        data.load_raw(download=False)  # what ui.state.load_raw calls: a page never waits on the network
    _fill(places["debian"], 20)
    raw = data.load_raw(download=False)
    assert (raw.source, len(raw.train_images), len(raw.test_images)) == (str(places["debian"]), 20, 5)


# --- scaling and splitting ---------------------------------------------------------------------


def test_scale_is_float32_in_unit_range_with_channel_axis():
    images = np.arange(256, dtype=np.uint8).reshape(1, 16, 16).repeat(2, axis=0)
    images = np.pad(images, ((0, 0), (6, 6), (6, 6)))  # 2 x 28 x 28
    before = images.copy()
    scaled = data.scale(images)
    assert scaled.dtype == np.float32
    assert scaled.shape == (2, 28, 28, 1)
    assert scaled.min() == 0.0 and scaled.max() == 1.0
    # Exactly the lesson's x / 255, rounded to float32.
    np.testing.assert_array_equal(scaled[..., 0], (images / 255.0).astype(np.float32))
    assert scaled[0, 6, 6, 0] == 0.0 and scaled[0, 21, 21, 0] == np.float32(1.0)
    np.testing.assert_array_equal(images, before)  # the input is left alone


@pytest.fixture(scope="module")
def real_splits(real_raw):
    return data.split(real_raw)


def test_split_matches_the_lesson_on_the_real_data(real_raw, real_splits):
    reference = train_test_split(real_raw.train_images / 255, real_raw.train_labels, test_size=0.2, random_state=42)
    x_train, x_val, y_train, y_val = reference
    s = real_splits
    assert s.x_train.shape == (48000, 28, 28, 1)
    assert s.x_val.shape == (12000, 28, 28, 1)
    assert s.x_test.shape == (10000, 28, 28, 1)
    assert s.x_train.dtype == s.x_val.dtype == s.x_test.dtype == np.float32
    np.testing.assert_array_equal(s.y_train, y_train)
    np.testing.assert_array_equal(s.y_val, y_val)
    for row in (0, 1, 4_321, 47_999):
        np.testing.assert_allclose(s.x_train[row, ..., 0], x_train[row], atol=1e-7, rtol=0)
    for row in (0, 11_999):
        np.testing.assert_allclose(s.x_val[row, ..., 0], x_val[row], atol=1e-7, rtol=0)
    np.testing.assert_array_equal(s.y_test, real_raw.test_labels)
    for row in (0, 9_999):
        np.testing.assert_allclose(s.x_test[row, ..., 0], real_raw.test_images[row] / 255, atol=1e-7, rtol=0)
    assert s.source == real_raw.source


def test_split_arrays_are_read_only(real_splits):
    for name in ("x_train", "y_train", "x_val", "y_val", "x_test", "y_test"):
        array = getattr(real_splits, name)
        assert not array.flags.writeable, name
        with pytest.raises(ValueError):
            array[0] = 0


def test_split_fraction_and_seed_are_adjustable():
    raw = as_raw(synthetic_raw(n_train=200, n_test=10, seed=3))
    s = data.split(raw, val_fraction=0.25, seed=7)
    x_tr, x_va, y_tr, y_va = train_test_split(raw.train_images, raw.train_labels, test_size=0.25, random_state=7)
    assert (len(s.x_train), len(s.x_val)) == (150, 50)
    np.testing.assert_array_equal(s.y_train, y_tr)
    np.testing.assert_array_equal(s.y_val, y_va)
    np.testing.assert_array_equal(s.x_val[..., 0], (x_va / 255).astype(np.float32))
    other = data.split(raw, val_fraction=0.25, seed=8)
    assert not np.array_equal(other.y_val, s.y_val) or not np.array_equal(other.x_val, s.x_val)
    again = data.split(raw, val_fraction=0.25, seed=7)
    np.testing.assert_array_equal(again.x_train, s.x_train)


def test_subset_is_reproducible_and_keeps_pairs():
    x = np.arange(500, dtype=np.float32).reshape(500, 1, 1, 1) * np.ones((1, 28, 28, 1), np.float32)
    y = np.arange(500) % 10
    xs, ys = data.subset(x, y, 120, seed=5)
    assert xs.shape == (120, 28, 28, 1) and ys.shape == (120,)
    picked = xs[:, 0, 0, 0].astype(int)
    assert len(set(picked)) == 120  # no image twice
    np.testing.assert_array_equal(ys, picked % 10)  # each label still belongs to its image
    xs2, ys2 = data.subset(x, y, 120, seed=5)
    np.testing.assert_array_equal(xs2, xs)
    np.testing.assert_array_equal(ys2, ys)
    xs3, _ = data.subset(x, y, 120, seed=6)
    assert not np.array_equal(xs3, xs)
    assert data.subset(x, y, None, seed=5)[0] is x
    assert data.subset(x, y, 500, seed=5)[0] is x
    assert data.subset(x, y, 10_000, seed=5)[0] is x


# --- the real data -----------------------------------------------------------------------------


def test_loading_all_70000_real_images(real_raw):
    started = time.perf_counter()
    raw = data.load_from_dir(Path(real_raw.source))
    seconds = time.perf_counter() - started
    print(f"\nloading 70,000 Fashion-MNIST images from {raw.source}: {seconds:.2f} s")
    assert raw.train_images.shape == (60000, 28, 28)
    assert raw.test_images.shape == (10000, 28, 28)
    assert np.bincount(raw.train_labels).tolist() == [6000] * 10
    assert np.bincount(raw.test_labels).tolist() == [1000] * 10


# --- class names -------------------------------------------------------------------------------


def test_class_names_in_english_and_korean():
    assert data.class_names("en") == (
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
    ko = data.class_names("ko")
    assert ko == data.CLASS_NAMES_KO
    assert len(ko) == 10 and len(set(ko)) == 10
    assert ko[0] == "티셔츠/탑" and ko[9] == "앵클 부츠"
    assert all(any("\uac00" <= ch <= "\ud7a3" for ch in name) for name in ko)  # Hangul in every name
    assert data.class_names() == data.CLASS_NAMES_EN
    assert data.class_names("fr") == data.CLASS_NAMES_EN
