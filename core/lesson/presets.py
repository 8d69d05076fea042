"""Named starting points for the Train page and `python -m core.train --preset`.

Each preset names only what it changes from the lesson; every other setting
keeps the lesson's value (the schema's default).
"""

from core.lesson.config import RunConfig

LESSON = RunConfig()

PRESETS: dict[str, RunConfig] = {
    # The tutorial's exact settings.
    "lesson": LESSON,
    # A class demo: a 3,000-image subset, a few epochs; well under a minute on the 2-core development machine
    # (2026-11-28).
    "quick": LESSON.with_values(
        conv_filters=(16, 32), dense_units=64, dropout=0.3, batch_size=64, epochs=5, train_size=3_000
    ),
    # Beyond the lesson (docs/presets.md): batch normalisation after each block's pooling, left-right flips
    # while training, AdamW (weight decay 0.05) with a cosine-decayed learning rate over 13 epochs of
    # 128-image batches, label smoothing 0.1, dropout 0.2; patience 13 lets the schedule finish, and the
    # checkpoint keeps the most accurate epoch (a decayed run's accuracy often still rises while its loss
    # creeps up). Label smoothing, then dropout 0.2 (against 0.3), were each chosen by validation accuracy
    # over seven seeds; docs/presets.md gives every seed's validation and test accuracy and training time.
    # 48 and 96 filters (against 32 and 64) raised validation accuracy over five seeds and still train in
    # under 4 minutes with bfloat16 (docs/drawings.md, "The Best preset and 93.5%").
    "best": LESSON.with_values(
        conv_filters=(48, 96),
        batch_norm=True,
        dense_units=128,
        dropout=0.2,
        optimizer="adamw",
        learning_rate=0.003,
        weight_decay=0.05,
        lr_schedule="cosine",
        batch_size=128,
        epochs=13,
        patience=13,
        monitor="val_accuracy",
        label_smoothing=0.1,
        augmentation="light",
    ),
}
