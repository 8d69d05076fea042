"""Named starting points for the Train page and `python -m core.train --preset`.

Each preset names only what it changes from the lesson; every other setting
keeps the lesson's value (the schema's default).
"""

from core.lesson.config import RunConfig

LESSON = RunConfig()

PRESETS: dict[str, RunConfig] = {
    # The tutorial's exact settings.
    "lesson": LESSON,
    # A class demo: a 3,000-image subset, a few epochs, well under a minute on 2 cores.
    "quick": LESSON.with_values(
        conv_filters=(16, 32), dense_units=64, dropout=0.3, batch_size=64, epochs=5, train_size=3_000
    ),
    # The strongest settings measured for this architecture family within a
    # few minutes on 2 CPU cores (see README: "Presets").
    "best": LESSON.with_values(
        conv_filters=(32, 64), dense_units=128, dropout=0.4, batch_size=128, patience=3, learning_rate=0.002
    ),
}
