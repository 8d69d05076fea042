"""Classify page figures: the ten class probabilities, trained vs untrained, and where the model looked."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.charts import panel_title

# Okabe-Ito colours: distinguishable with every common colour-vision deficiency.
TOP_COLOUR, OTHER_COLOUR = "#0072B2", "#B8B8B8"
TRAINED_COLOUR, UNTRAINED_COLOUR = "#0072B2", "#E69F00"
HEAT_SCALE = "Cividis"
"""Sequential and colour-blind safe; dark = no influence, yellow = strongest."""


def _percent_labels(values: np.ndarray) -> list[str]:
    return [f"{v:.1%}" for v in values]


def probability_figure(
    probabilities: np.ndarray,
    class_labels: list[str],
    labels: dict[str, str],
    unsure_below: float | None = None,
) -> go.Figure:
    """Horizontal bars of all ten class probabilities, in class order from top to bottom.

    The predicted class is marked three ways, so colour is never the only cue:
    a darker bar, a bold label and a "▶" before it. Every bar carries its
    percentage as text.

    Args:
        probabilities: (10,) softmax output.
        class_labels: ten class names, in the page's language.
        labels: translated texts for keys `title`, `axis` and, with
            `unsure_below`, `unsure`.
        unsure_below: draw a dotted line at this probability (the page's
            "the model is unsure" threshold) when given.
    """
    probabilities = np.asarray(probabilities, dtype=float)
    top = int(np.argmax(probabilities))
    ticks = [f"<b>▶ {name}</b>" if i == top else name for i, name in enumerate(class_labels)]
    fig = go.Figure(
        go.Bar(
            x=probabilities,
            y=ticks,
            orientation="h",
            marker={"color": [TOP_COLOUR if i == top else OTHER_COLOUR for i in range(len(probabilities))]},
            text=_percent_labels(probabilities),
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.2%}<extra></extra>",
        )
    )
    if unsure_below is not None:
        fig.add_vline(
            x=unsure_below,
            line={"color": "#555", "dash": "dot"},
            annotation_text=labels.get("unsure", ""),
            annotation_position="top",
        )
    fig.update_layout(
        title=labels.get("title", ""),
        xaxis={
            "title": labels.get("axis", ""),
            "range": [0, 1.12],
            "tickformat": ".0%",
            "tickvals": [0, 0.25, 0.5, 0.75, 1],
        },
        yaxis={"autorange": "reversed", "type": "category"},
        height=360,
        margin={"t": 50, "b": 40, "l": 10, "r": 20},
        showlegend=False,
    )
    return fig


def comparison_figure(
    trained: np.ndarray,
    untrained: np.ndarray,
    class_labels: list[str],
    labels: dict[str, str],
) -> go.Figure:
    """The same input through the trained and the untrained network, side by side per class.

    The untrained bars are hatched as well as coloured, so the two series differ
    without colour.

    Args:
        trained, untrained: (10,) probabilities of each network.
        class_labels: ten class names, in the page's language.
        labels: translated texts for keys `title`, `axis`, `trained`, `untrained`.
    """
    fig = go.Figure()
    for values, name, colour, pattern in (
        (trained, labels["trained"], TRAINED_COLOUR, ""),
        (untrained, labels["untrained"], UNTRAINED_COLOUR, "/"),
    ):
        values = np.asarray(values, dtype=float)
        fig.add_trace(
            go.Bar(
                x=values,
                y=list(class_labels),
                name=name,
                orientation="h",
                marker={"color": colour, "pattern": {"shape": pattern}},
                text=_percent_labels(values),
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"{name}<br>%{{y}}: %{{x:.2%}}<extra></extra>",
            )
        )
    fig.update_layout(
        title=labels.get("title", ""),
        barmode="group",
        xaxis={
            "title": labels.get("axis", ""),
            "range": [0, 1.15],
            "tickformat": ".0%",
            "tickvals": [0, 0.25, 0.5, 0.75, 1],
        },
        yaxis={"autorange": "reversed", "type": "category"},
        height=460,
        margin={"t": 50, "b": 40, "l": 10, "r": 20},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


HEAT_GAP = 0.08
"""Horizontal space between the two panels, as a share of the figure's width."""


def heatmap_figure(image28: np.ndarray, heat: np.ndarray, labels: dict[str, str]) -> go.Figure:
    """The model's input beside the same input with a heatmap laid over it.

    Built in one go from plain dicts: the figure is made anew for every
    drawing of every student, and `make_subplots` plus one `update_*` call
    per axis cost 44 ms here (plotly validates each step), this 10 ms.

    Args:
        image28: (28, 28) model input in [0, 1] (light object on dark ground),
            drawn in grey as the model sees it.
        heat: (28, 28) in [0, 1]: saliency or Grad-CAM.
        labels: translated texts for keys `input`, `overlay`, `colorbar`.
    """
    image28 = np.asarray(image28, dtype=float).reshape(28, 28)
    heat = np.asarray(heat, dtype=float).reshape(28, 28)
    grey = {
        "type": "heatmap",
        "z": image28,
        "colorscale": "gray",
        "zmin": 0,
        "zmax": 1,
        "showscale": False,
        "hovertemplate": "x %{x}, y %{y}: %{z:.2f}<extra></extra>",
        "xaxis": "x",
        "yaxis": "y",
    }
    overlay = {
        "type": "heatmap",
        "z": heat,
        "colorscale": HEAT_SCALE,
        "zmin": 0,
        "zmax": 1,
        "opacity": 0.6,
        "colorbar": {"title": {"text": labels["colorbar"]}, "len": 0.9, "tickformat": ".1f"},
        "hovertemplate": "x %{x}, y %{y}: %{z:.2f}<extra></extra>",
        "xaxis": "x2",
        "yaxis": "y2",
    }
    layout = _two_panel_layout(labels["input"], labels["overlay"])
    return go.Figure(data=[grey, {**grey, "xaxis": "x2", "yaxis": "y2"}, overlay], layout=layout)


def _two_panel_layout(left_title: str, right_title: str) -> dict:
    """Two square picture panels side by side, each titled, as `make_subplots` would lay them out.

    A plain dict, so that `heatmap_figure` builds its figure in one go (see
    there); the y axes run downwards, so row 0 of a picture is on top.
    """
    width = (1 - HEAT_GAP) / 2
    layout = {"height": 340, "margin": {"t": 40, "b": 10, "l": 10, "r": 10}, "annotations": []}
    for number, (left, title) in enumerate(((0.0, left_title), (1 - width, right_title)), start=1):
        x, y = ("x", "y") if number == 1 else (f"x{number}", f"y{number}")
        hidden = {"showticklabels": False, "showgrid": False, "zeroline": False}
        layout[f"xaxis{number if number > 1 else ''}"] = {
            "anchor": y, "domain": [left, left + width], "constrain": "domain", **hidden
        }  # fmt: skip
        layout[f"yaxis{number if number > 1 else ''}"] = {
            "anchor": x, "domain": [0.0, 1.0], "autorange": "reversed", "scaleanchor": x, **hidden
        }  # fmt: skip
        layout["annotations"].append(panel_title(title, left + width / 2))
    return layout
