"""Property test: any settings the controls can produce either train one batch or are refused kindly.

Values are drawn from the whole range of the Train page's controls, plus some
beyond it (what a hand-edited JSON config could hold).
"""

from __future__ import annotations

import keras
import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core.lesson.config import ConfigError, RunConfig
from core.lesson.model import build_model, compile_model, count_params
from core.lesson.schema import BATCH_SIZES, LEARNING_RATES, TRAIN_SIZES


def config_values(beyond: bool):
    """Settings from the controls' ranges, or (beyond=True) from wider ones too."""
    pick = (
        (lambda inside, outside: st.sampled_from([*inside, *outside]))
        if beyond
        else (lambda inside, _: st.sampled_from(inside))
    )
    model = st.fixed_dictionaries(
        {
            "conv_filters": st.lists(
                st.integers(-1 if beyond else 1, 300 if beyond else 256),
                min_size=0 if beyond else 1,
                max_size=4 if beyond else 3,
            ),
            "kernel_size": pick([1, 3, 5, 7, 9], [0, 11]),
            "padding": pick(["same", "valid"], ["full"]),
            "pooling": pick(["max", "average", "none"], ["min"]),
            "head": pick(["flatten", "gap"], ["lstm"]),
            "dense_units": st.integers(-4, 1100) if beyond else st.integers(0, 128).map(lambda n: 4 * n),
            "dropout": st.floats(-0.1, 1.0) | st.just(float("nan")) if beyond else st.floats(0.0, 0.9),
        }
    )
    train = st.fixed_dictionaries(
        {
            "optimizer": pick(["adam", "sgd", "rmsprop"], ["adagrad"]),
            "learning_rate": pick(LEARNING_RATES, [0.0, 5.0]),
            "momentum": st.floats(0.0, 1.0) if beyond else st.floats(0.0, 0.99),
            "batch_size": pick(BATCH_SIZES, [0, 4096]),
            "epochs": st.integers(0, 120) if beyond else st.integers(1, 100),
            "patience": st.integers(-1, 25) if beyond else st.integers(0, 20),
            "train_size": pick([None, *TRAIN_SIZES[:-1]], [50, 60_000]),
            "seed": st.integers(-1, 2**31) if beyond else st.integers(0, 2**31 - 1),
        }
    )
    return st.fixed_dictionaries({"model": model, "train": train})


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=config_values(beyond=False) | config_values(beyond=True))
def test_any_settings_train_one_batch_or_are_refused(values):
    try:
        cfg = RunConfig.from_dict(values)
    except ConfigError as err:
        event("refused")
        message = str(err)
        assert message and message[0].isupper() and message.rstrip(")").endswith((".", "'", '"')), message
        return
    event("accepted and trained")
    net = build_model(cfg.model)
    assert net.count_params() == count_params(cfg.model)
    compile_model(net, cfg.train)
    n = min(cfg.train.batch_size, 4)  # one small batch keeps the largest networks to about a second
    x = np.random.default_rng(0).random((n, 28, 28, 1), dtype=np.float32)
    logs = net.train_on_batch(x, np.arange(n) % 10, return_dict=True)
    assert set(logs) >= {"loss", "accuracy"}
    keras.backend.clear_session()  # the test process only; the app never does this
