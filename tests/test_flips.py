"""Test-time flips (#28): an Evaluate setting that averages each image's answer with its mirror image's."""

from __future__ import annotations

import numpy as np
from helpers_core import copy_run

from core.analysis import evaluation


def test_flips_average_the_answers_to_an_image_and_its_mirror(tiny_run, tiny_splits):
    model = tiny_run.load_model()
    x = tiny_splits.x_test[:40]
    plain = evaluation.predict_proba(model, x)
    mirrored = evaluation.predict_proba(model, x[:, :, ::-1])
    np.testing.assert_allclose(evaluation.predict_proba(model, x, flips=True), (plain + mirrored) / 2, atol=1e-6)


def test_flipped_evaluations_are_stored_apart_from_the_plain_one(tiny_run, tiny_splits, tmp_path):
    run = copy_run(tiny_run, tmp_path / "run")
    s = tiny_splits
    plain = evaluation.evaluate_run(run, run.load_model, s.x_val, s.y_val, s.x_test, s.y_test)
    flipped = evaluation.evaluate_run(run, run.load_model, s.x_val, s.y_val, s.x_test, s.y_test, flips=True)
    assert not np.array_equal(plain.test_probs, flipped.test_probs)
    keys = [evaluation.cache_key(run, s.y_val, s.y_test, flips) for flips in (False, True)]
    assert evaluation.cache_paths(run, keys[0]) != evaluation.cache_paths(run, keys[1])
    again = evaluation.evaluate_run(run, None, s.x_val, s.y_val, s.x_test, s.y_test, flips=True)  # read back
    np.testing.assert_array_equal(again.test_probs, flipped.test_probs)
