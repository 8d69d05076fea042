"""Named starting points for the Train page and `python -m core.train --preset`.

Kept apart from `core.lesson.config` so that building these configs (which counts
their parameters with `core.lesson.model`) never runs while `core.lesson.config` itself is
still being imported.
"""

from core.lesson.config import ModelConfig, RunConfig, TrainConfig

PRESETS: dict[str, RunConfig] = {
    # The tutorial's exact settings.
    "lesson": RunConfig(),
    # A class demo: a 3,000-image subset, a few epochs, well under a minute on 2 cores.
    "quick": RunConfig(
        model=ModelConfig(conv_filters=(16, 32), dense_units=64, dropout=0.3),
        train=TrainConfig(batch_size=64, epochs=5, train_size=3_000),
    ),
    # The strongest settings measured for this architecture family within a
    # few minutes on 2 CPU cores (see README: "Presets").
    "best": RunConfig(
        model=ModelConfig(conv_filters=(32, 64), dense_units=128, dropout=0.4),
        train=TrainConfig(batch_size=128, epochs=20, patience=3, learning_rate=0.002),
    ),
}
