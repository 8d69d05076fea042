"""core.analysis.inference: inference, explanations, the untrained twin, the command line, threads.

Every number is checked against an independent reference: Keras's own
`model.predict`, a functional rebuild of the network with a linear head,
finite differences, numpy's sort.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from helpers_pictures import broken_uploads, jpeg_bytes, odd_but_valid_uploads, photo_of, png_bytes
from PIL import Image, ImageDraw

from core import classify as classify_cli
from core.analysis import inference, inspection
from core.lesson import preprocess as prep
from core.lesson.data import CLASS_NAMES_EN
from core.services import run_store, shipped

APP_DIR = Path(__file__).resolve().parent.parent


def linear_head_reference(model, dtype: str = "float32"):
    """The same network rebuilt with Keras's functional API, outputting the last conv maps and the logits.

    Independent of `inference.explain`'s layer loop: Keras wires the graph from
    fresh copies of the layers (in `dtype`), and the output layer is a Dense
    without softmax carrying the trained weights.
    """
    import keras

    inputs = keras.Input((28, 28, 1), dtype=dtype)
    h, maps = inputs, None
    for layer in model.layers[:-1]:
        copy = layer.__class__.from_config({**layer.get_config(), "dtype": dtype})
        h = copy(h)
        copy.set_weights(layer.get_weights())
        if isinstance(layer, keras.layers.Conv2D):
            maps = h
    head = keras.layers.Dense(10, activation=None, name="logits", dtype=dtype)
    logits = head(h)
    head.set_weights(model.layers[-1].get_weights())
    return keras.Model(inputs, [maps, logits])


@pytest.fixture(scope="module")
def tiny_model(tiny_run):
    return tiny_run.load_model()


# ---------------------------------------------------------------- inference


def test_predict_probabilities_matches_keras_predict(tiny_model, tiny_splits):
    images = tiny_splits.x_test[:20]
    reference = tiny_model.predict(images, verbose=0)
    ours = np.stack([inference.predict_probabilities(tiny_model, image) for image in images])
    assert ours.shape == (20, 10) and ours.dtype == np.float32
    np.testing.assert_allclose(ours, reference, atol=1e-5)
    np.testing.assert_allclose(ours.sum(axis=1), 1, atol=1e-5)


def test_predict_accepts_2d_and_3d_and_refuses_other_shapes(tiny_model, tiny_splits):
    image = tiny_splits.x_test[0]
    np.testing.assert_allclose(
        inference.predict_probabilities(tiny_model, image[..., 0]), inference.predict_probabilities(tiny_model, image)
    )
    with pytest.raises(ValueError, match="28x28"):
        inference.predict_probabilities(tiny_model, np.zeros((27, 28)))


def test_top_k_matches_numpy_sort():
    rng = np.random.default_rng(3)
    probabilities = rng.dirichlet(np.ones(10))
    expected = sorted(range(10), key=lambda i: -probabilities[i])[:3]
    result = inference.top_k(probabilities, 3)
    assert [i for i, _ in result] == expected
    assert [p for _, p in result] == pytest.approx(list(probabilities[expected]))
    assert [i for i, _ in inference.top_k(np.full(10, 0.1), 3)] == [0, 1, 2]  # ties: lowest index first


# ---------------------------------------------------------------- explanations


def test_explain_probabilities_agree_with_the_model(tiny_model, tiny_splits):
    for image in tiny_splits.x_test[:5]:
        explanation = inference.explain(tiny_model, image)
        reference = tiny_model.predict(image[np.newaxis], verbose=0)[0]
        np.testing.assert_allclose(explanation.probabilities, reference, atol=1e-5)
        assert explanation.index == int(np.argmax(reference))


def test_saliency_is_the_gradient_of_the_class_score(tiny_model, tiny_splits):
    import tensorflow as tf

    reference = linear_head_reference(tiny_model)
    image = tiny_splits.x_test[7]
    explanation = inference.explain(tiny_model, image)
    x = tf.constant(image[np.newaxis])
    with tf.GradientTape() as tape:
        tape.watch(x)
        score = reference(x)[1][0, explanation.index]
    expected = tape.gradient(score, x).numpy()[0, :, :, 0]
    np.testing.assert_allclose(explanation.gradient, expected, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(explanation.saliency, np.abs(expected) / np.abs(expected).max(), atol=1e-5)
    assert explanation.saliency.shape == (28, 28) and explanation.saliency.max() == pytest.approx(1)
    np.testing.assert_allclose(inference.saliency(tiny_model, image), explanation.saliency)

    # Finite differences along a random direction. A ReLU network is piecewise linear, but on a
    # plain background its max-pooling windows hold ties, where it has no gradient; a little noise
    # in every pixel removes the ties.
    rng = np.random.default_rng(0)
    noisy = np.clip(image[..., 0] + rng.uniform(0, 0.2, (28, 28)), 0, 1).astype(np.float32)
    noisy_explanation = inference.explain(tiny_model, noisy)
    direction = rng.normal(size=(28, 28)).astype(np.float32)
    eps = 1e-6  # measured: from 1e-4 up, the step crosses ReLU and max-pool kinks

    reference64 = linear_head_reference(tiny_model, "float64")  # float64, so the differences are exact enough

    def logit(img):
        return float(reference64(img[np.newaxis, :, :, np.newaxis].astype(np.float64))[1][0, noisy_explanation.index])

    numeric = (logit(noisy + eps * direction) - logit(noisy - eps * direction)) / (2 * eps)
    analytic = float((noisy_explanation.gradient * direction).sum())
    assert numeric == pytest.approx(analytic, rel=1e-3, abs=1e-6)  # float32 gradient vs float64


def test_explain_can_explain_another_class(tiny_model, tiny_splits):
    image = tiny_splits.x_test[2]
    default = inference.explain(tiny_model, image)
    other = inference.explain(tiny_model, image, index=(default.index + 1) % 10)
    assert other.index == (default.index + 1) % 10
    assert not np.allclose(other.gradient, default.gradient)
    with pytest.raises(ValueError):
        inference.explain(tiny_model, image, index=10)


def test_mirrored_answer_is_the_average_of_the_picture_and_its_mirror(tiny_model, tiny_splits):
    """The Draw tab's test-time flips: probabilities averaged, and the answer explained on the picture itself,
    whether the mirror image keeps the picture's own answer or changes it."""
    changed = []
    for image in tiny_splits.x_test[:60, ..., 0]:
        mirrored = inference.explain_mirrored(tiny_model, image)
        alone, mirror = (inference.predict_probabilities(tiny_model, x) for x in (image, image[:, ::-1]))
        np.testing.assert_allclose(mirrored.probabilities, (alone + mirror) / 2, atol=1e-6)
        assert mirrored.index == int(np.argmax(alone + mirror))
        explained = inference.explain(tiny_model, image, mirrored.index)
        np.testing.assert_allclose(mirrored.saliency, explained.saliency)
        changed.append(mirrored.index != int(np.argmax(alone)))
    assert any(changed) and not all(changed)  # both ways were checked


def test_gradcam_matches_a_reference_implementation(tiny_model, tiny_splits):
    import tensorflow as tf

    reference = linear_head_reference(tiny_model)
    image = tiny_splits.x_test[11]
    explanation = inference.explain(tiny_model, image)
    x = tf.constant(image[np.newaxis])
    with tf.GradientTape() as tape:
        maps, logits = reference(x)
        score = logits[0, explanation.index]
    grads = tape.gradient(score, maps)
    cam = tf.nn.relu(tf.reduce_sum(maps * tf.reduce_mean(grads, axis=(1, 2), keepdims=True), axis=-1))[0]
    cam = tf.image.resize(cam[..., tf.newaxis], (28, 28), method="bilinear").numpy()[..., 0]
    cam = np.maximum(cam, 0) / cam.max()
    assert explanation.gradcam_layer == "conv2"
    assert explanation.gradcam.shape == (28, 28)
    assert explanation.gradcam.min() >= 0 and explanation.gradcam.max() == pytest.approx(1)
    # PIL and TensorFlow interpolate edges slightly differently; the maps must agree closely.
    assert np.abs(explanation.gradcam - cam).mean() < 0.02
    assert np.corrcoef(explanation.gradcam.ravel(), cam.ravel())[0, 1] > 0.99


# ---------------------------------------------------------------- the untrained twin


def test_untrained_twin_has_the_initial_kernels_and_guesses(tiny_run, tiny_model, tiny_splits):
    initial = tiny_run.kernels(0)
    twin = inspection.untrained_twin(tiny_run.config(), initial)
    for name in ("conv1", "conv2"):
        kernel, bias = twin.get_layer(name).get_weights()
        np.testing.assert_array_equal(kernel, initial[f"{name}.kernel"])
        np.testing.assert_array_equal(bias, initial[f"{name}.bias"])
    assert not np.allclose(twin.get_layer("dense").get_weights()[0], tiny_model.get_layer("dense").get_weights()[0])

    again = inspection.untrained_twin(tiny_run.config(), tiny_run.kernels(0))
    for a, b in zip(twin.get_weights(), again.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)

    x, y = tiny_splits.x_test, tiny_splits.y_test
    untrained_accuracy = float((np.argmax(twin.predict(x, verbose=0), axis=1) == y).mean())
    trained_accuracy = float((np.argmax(tiny_model.predict(x, verbose=0), axis=1) == y).mean())
    assert untrained_accuracy < 0.3 < trained_accuracy
    assert inference.predict_probabilities(twin, x[0]).max() < 0.5


def test_untrained_twin_without_kernel_snapshots(tmp_path):
    from core.lesson.config import RunConfig

    run = run_store.create_run(RunConfig.from_dict({"model": {"conv_filters": [4], "dense_units": 8}}), root=tmp_path)
    assert run.kernel_epochs() == []
    twin = inspection.untrained_twin(run.config(), {})
    assert twin.output_shape == (None, 10)
    kernel, bias = twin.get_layer("conv1").get_weights()
    limit = np.sqrt(6 / (3 * 3 * 1 + 3 * 3 * 4))  # Glorot-uniform bound for a 3x3x1x4 kernel
    assert np.abs(kernel).max() <= limit and np.all(bias == 0)


# ---------------------------------------------------------------- input guards


def test_drawn_fraction_refuses_a_dot_and_accepts_a_drawing():
    canvas = np.full((280, 280, 4), 255, np.uint8)
    assert inference.drawn_fraction(prep.preprocess(canvas)) == 0.0  # untouched canvas
    dot = canvas.copy()
    dot[140:150, 140:150, :3] = 0
    assert inference.drawn_fraction(prep.preprocess(dot)) < inference.MIN_DRAWN_FRACTION
    shirt = canvas.copy()
    shirt[60:240, 90:190, :3] = 0  # body
    shirt[60:110, 40:240, :3] = 0  # sleeves
    fraction = inference.drawn_fraction(prep.preprocess(shirt))
    assert fraction == pytest.approx((180 * 100 + 50 * 200 - 50 * 100) / 280**2, rel=0.1)


def test_read_picture_gives_a_code_for_every_broken_upload(real_raw):
    for name, (payload, code) in broken_uploads(real_raw.test_images[0]).items():
        with pytest.raises(prep.ImageError) as caught:
            inference.read_picture(payload, max_bytes=10 * 2**20)
        assert caught.value.code == code, name


def test_read_picture_classifies_unusual_encodings(real_raw, tiny_model):
    for name, payload in odd_but_valid_uploads(real_raw.test_images[0]).items():
        pre = inference.read_picture(payload)
        assert not pre.blank and pre.image.shape == (28, 28), name
    assert inference.is_animated(odd_but_valid_uploads(real_raw.test_images[0])["animated GIF"])
    assert not inference.is_animated(png_bytes(photo_of(real_raw.test_images[0])))
    assert inference.read_picture(png_bytes(Image.new("RGB", (300, 300), (120, 200, 40)))).blank


# ---------------------------------------------------------------- the shipped model


DEFAULT_RUN = run_store.Run(run_store.DEFAULT_RUN_DIR)


@pytest.mark.skipif(
    not DEFAULT_RUN.has_checkpoint(),
    reason="assets/default_run has no checkpoint: make it with scripts/make_default_model.sh",
)
def test_default_model_classifies_converted_test_images(real_raw):
    """500 test images turned into photos (280x280, dark on light, off-centre, JPEG) -> at least 85% right."""
    model = DEFAULT_RUN.load_model()
    indices = np.random.default_rng(0).choice(len(real_raw.test_images), 500, replace=False)
    correct = 0
    for n, index in enumerate(indices):
        photo = photo_of(real_raw.test_images[index], offset=(30 + n % 150, 20 + (n * 7) % 90))
        pre = prep.preprocess(prep.decode_image(jpeg_bytes(photo)))
        correct += int(np.argmax(inference.predict_probabilities(model, pre.image)) == real_raw.test_labels[index])
    assert correct / 500 >= 0.85, f"{correct}/500 correct"


# ---------------------------------------------------------------- command line


@pytest.fixture(scope="module")
def cli_files(tmp_path_factory, real_raw):
    folder = tmp_path_factory.mktemp("cli")
    good = {}
    for index in (0, 1, 2):
        path = folder / f"good{index}.jpg"
        path.write_bytes(jpeg_bytes(photo_of(real_raw.test_images[index])))
        good[path] = int(real_raw.test_labels[index])
    bad = folder / "fake.png"
    bad.write_bytes(b"not a picture at all")
    empty = folder / "empty.png"
    empty.write_bytes(b"")
    return good, [bad, empty, folder / "missing.png"]


def test_cli_json_reports_good_and_bad_files(cli_files, tiny_run, tiny_model, capsys):
    good, bad = cli_files
    files = [*good, *bad]
    status = classify_cli.main([*map(str, files), "--run", str(tiny_run.path), "--json"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 1
    assert [row["file"] for row in rows] == [str(f) for f in files]
    for row, path in zip(rows, good, strict=False):
        assert set(row) == {"file", "label", "index", "confidence", "probabilities"}
        pre = prep.preprocess(prep.decode_image(path.read_bytes()))
        expected = tiny_model.predict(pre.image[np.newaxis, :, :, np.newaxis], verbose=0)[0]
        np.testing.assert_allclose(row["probabilities"], expected, atol=1e-5)
        assert row["index"] == int(np.argmax(expected)) and row["label"] == CLASS_NAMES_EN[row["index"]]
        assert row["confidence"] == pytest.approx(max(row["probabilities"]))
    for row in rows[len(good) :]:
        assert set(row) == {"file", "error"} and row["error"]


def test_cli_exit_zero_when_all_classified_and_plain_text(cli_files, tiny_run, capsys):
    good, _ = cli_files
    assert classify_cli.main([*map(str, good), "--run", str(tiny_run.path)]) == 0
    out = capsys.readouterr().out
    for path in good:
        assert f"{path}: " in out
    assert all(name in out for name in CLASS_NAMES_EN)  # each file lists the ten probabilities


def test_cli_asks_a_drawing_as_the_draw_tab_does(tmp_path, tiny_run, tiny_model, capsys, monkeypatch):
    canvas = Image.new("RGB", (280, 280), "white")
    shirt = [(90, 60), (190, 60), (240, 110), (210, 140), (190, 120), (190, 230), (90, 230), (90, 120), (70, 140)]
    ImageDraw.Draw(canvas).line([*shirt, (40, 110), (90, 60)], fill="black", width=18, joint="curve")
    path = tmp_path / "outline.png"
    canvas.save(path)
    monkeypatch.setattr(shipped, "DRAW_RUN_DIR", tiny_run.path)  # --drawing without --run: the drawings model

    def mirrored(fill_outlines):
        pre = prep.preprocess(prep.decode_image(path.read_bytes()), fill_outlines=fill_outlines)
        assert pre.filled == fill_outlines  # an outline, filled only when asked
        return tiny_model.predict(np.stack([pre.image, pre.image[:, ::-1]])[..., np.newaxis], verbose=0).mean(axis=0)

    for flags, fill in [([], shipped.DRAW_FILL_OUTLINES), (["--fill"], True)]:
        assert classify_cli.main([str(path), "--drawing", *flags, "--json"]) == 0
        row = json.loads(capsys.readouterr().out)
        np.testing.assert_allclose(row["probabilities"], mirrored(fill), atol=1e-5)
        assert row["index"] == int(np.argmax(mirrored(fill)))
    assert classify_cli.main([str(path), "--run", str(tiny_run.path), "--json"]) == 0  # without: as uploaded
    alone = tiny_model.predict(prep.preprocess(prep.decode_image(path.read_bytes())).image[None, ..., None], verbose=0)
    np.testing.assert_allclose(json.loads(capsys.readouterr().out)["probabilities"], alone[0], atol=1e-5)


def test_cli_without_a_model(tmp_path, cli_files, capsys):
    good, _ = cli_files
    assert classify_cli.main([str(next(iter(good))), "--run", str(tmp_path)]) == 2
    assert "no trained model" in capsys.readouterr().err


def test_cli_runs_as_a_module(cli_files, tiny_run):
    good, bad = cli_files
    result = subprocess.run(
        [sys.executable, "-m", "core.classify", str(next(iter(good))), str(bad[0]), "--run", str(tiny_run.path)],
        cwd=APP_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    assert result.returncode == 1
    assert "fake.png: error:" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert any(name in result.stdout for name in CLASS_NAMES_EN)


# ---------------------------------------------------------------- threads


def test_thirty_threads_classify_at_once(tiny_run, tiny_splits):
    model = tiny_run.load_model()  # a fresh model: its functions are traced under contention
    images = tiny_splits.x_test[:30]
    expected = model.predict(images, verbose=0)
    barrier = threading.Barrier(30)
    results, errors = [None] * 30, []

    def work(slot):
        try:
            barrier.wait(timeout=30)
            explanation = inference.explain(model, images[slot])
            results[slot] = (inference.predict_probabilities(model, images[slot]), explanation.probabilities)
        except Exception as err:  # collected and reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(slot,)) for slot in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    for slot, (direct, explained) in enumerate(results):
        np.testing.assert_allclose(direct, expected[slot], atol=1e-5)
        np.testing.assert_allclose(explained, expected[slot], atol=1e-5)
