"""Evaluate in a real browser: clicking a confusion-matrix cell shows exactly that cell's images."""

from __future__ import annotations

import numpy as np
import pytest
from helpers_browser import assert_no_exception, goto, rerun, screenshot, wait_for_text
from helpers_core import page_texts

from core.lesson import data
from core.services import run_store

pytestmark = pytest.mark.browser

EN = page_texts("evaluate")


def confusion(dataset_dir) -> np.ndarray:
    """The shipped model's test-set confusion matrix, computed here independently of the page."""
    raw = data.load_from_dir(dataset_dir)
    model = run_store.Run(run_store.DEFAULT_RUN_DIR).load_model()
    probs = np.asarray(model(data.scale(raw.test_images), training=False))
    cm = np.zeros((10, 10), int)
    np.add.at(cm, (raw.test_labels, probs.argmax(1)), 1)
    return cm


@pytest.mark.parametrize("true, pred", [(1, 1), (9, 7)])  # not the most confused pair the page opens on
def test_clicking_a_confusion_cell_shows_its_images(page, tiny_dataset_dir, true, pred):
    count = int(confusion(tiny_dataset_dir)[true, pred])
    goto(page, "/evaluate")
    heatmap = page.locator(".js-plotly-plot").first.locator(".nsewdrag").first
    heatmap.wait_for(timeout=120_000)
    template = EN["cell_correct"] if true == pred else EN["cell_wrong"]
    expected = template.format(n=count, true=data.CLASS_NAMES_EN[true], pred=data.CLASS_NAMES_EN[pred])
    # On a loaded host a click was once lost (the page went idle still showing the cell it opened on),
    # probably because it landed before Plotly had bound its handlers. A lost click is tried again, twice at most.
    for attempt in range(3):
        heatmap.scroll_into_view_if_needed()  # a mouse click lands only inside the viewport
        box = heatmap.bounding_box()
        with rerun(page):  # row 0 (true T-shirt/top) is at the top, column 0 (predicted T-shirt/top) at the left
            page.mouse.click(box["x"] + box["width"] * (pred + 0.5) / 10, box["y"] + box["height"] * (true + 0.5) / 10)
        try:
            wait_for_text(page, expected.split(". ")[0].replace("**", ""), timeout=20_000 if attempt < 2 else 60_000)
            break
        except AssertionError:
            if attempt == 2:
                raise
    assert_no_exception(page)
    screenshot(page, f"evaluate-cell-{true}-{pred}")
