"""core.charts.classify: the saliency / Grad-CAM figure, built from plain dicts (it is made for every drawing)."""

from __future__ import annotations

import numpy as np

from core.charts.classify import HEAT_GAP, heatmap_figure

LABELS = {"input": "What the network sees", "overlay": "Where it looked", "colorbar": "influence"}


def test_the_heatmap_figure_shows_the_input_beside_the_overlay():
    rng = np.random.default_rng(0)
    image, heat = rng.random((28, 28)), rng.random((28, 28))
    layout = heatmap_figure(image, heat, LABELS).layout
    grey, grey_again, overlay = heatmap_figure(image, heat, LABELS).data
    left, right = layout.xaxis.domain, layout.xaxis2.domain
    assert left[0] == 0 and right[1] == 1 and np.isclose(right[0] - left[1], HEAT_GAP)
    assert np.isclose(left[1] - left[0], right[1] - right[0])  # two panels of one size
    assert (layout.yaxis.scaleanchor, layout.yaxis2.scaleanchor) == ("x", "x2")  # square pixels
    assert layout.yaxis.autorange == layout.yaxis2.autorange == "reversed"  # row 0 on top, like the image
    assert [a.text for a in layout.annotations] == [LABELS["input"], LABELS["overlay"]]
    assert [(t.xaxis, t.yaxis) for t in (grey, grey_again, overlay)] == [("x", "y"), ("x2", "y2"), ("x2", "y2")]
    np.testing.assert_array_equal(np.asarray(grey.z), image)
    np.testing.assert_array_equal(np.asarray(grey_again.z), image)
    np.testing.assert_array_equal(np.asarray(overlay.z), heat)
    assert not grey.showscale and overlay.colorbar.title.text == LABELS["colorbar"] and overlay.opacity == 0.6
