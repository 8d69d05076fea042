"""Evaluate page figures: the confusion matrix, per-class scores, and several runs' curves.

The confusion heatmap can be clicked. Plotly heatmaps send no selection
events to Streamlit (streamlit/streamlit#8760), so an invisible scatter
point sits on every cell: clicking a cell selects that point, and
`cell_from_selection` turns Streamlit's selection state back into
(true class, predicted class). The point carries the hover text; its
`hoverinfo` must not be "skip", which would also switch off its clicks.
"""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from core.charts import panel_title

HEATMAP_COLOURS = "Viridis"
"""Sequential and readable with every common colour-vision deficiency."""
# Okabe-Ito colours, and a marker symbol per run so that colour is never the only cue.
RUN_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
RUN_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "triangle-down", "star", "cross")
METRIC_STYLES = {  # colour and hatching per metric bar
    "precision": ("#0072B2", ""),
    "recall": ("#E69F00", "/"),
    "f1": ("#009E73", "."),
}
HIGHLIGHT_COLOUR = "#D55E00"
CLICK_TRACE = 1
"""Index of the clickable overlay trace in `confusion_figure`."""


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%" if value >= 0.01 or value == 0 else "<1%"


def confusion_figure(
    cm: np.ndarray,
    class_names: list[str] | tuple[str, ...],
    labels: dict[str, str],
    normalised: bool = False,
    highlight: tuple[int, int] | None = None,
) -> go.Figure:
    """The confusion matrix as a heatmap: rows the true class, columns the predicted one.

    Every cell also shows its number (count, or share of the row), so the
    colour is never the only cue; the diagonal holds the correct answers.

    Args:
        cm: counts (n, n).
        class_names: n names, in the session's language.
        labels: translated texts for keys true, predicted, images, share
            ("of the true class"), colorbar_count, colorbar_share.
        normalised: colour and label by the share of each true class
            (rows sum to 100%) instead of by counts.
        highlight: (true, predicted) cell to outline, e.g. the one whose
            images are shown below the chart.
    """
    n = cm.shape[0]
    shares = (cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)).astype(float)
    fig = go.Figure(_cell_heatmap(cm, shares, labels, normalised))
    fig.add_trace(_click_targets(cm, shares, class_names, labels))
    if highlight is not None:
        t, p = highlight
        fig.add_shape(
            type="rect",
            x0=p - 0.5,
            x1=p + 0.5,
            y0=t - 0.5,
            y1=t + 0.5,
            line={"color": HIGHLIGHT_COLOUR, "width": 4},
        )
    ticks = {"tickmode": "array", "tickvals": list(range(n)), "ticktext": list(class_names)}
    fig.update_layout(
        # Cells fill the whole plot area (no square aspect), so cell (t, p) of a plot area
        # of width w and height h has its centre at (w * (p + 0.5) / n, h * (t + 0.5) / n).
        xaxis={**ticks, "title": labels["predicted"], "side": "bottom", "tickangle": -40},
        yaxis={**ticks, "title": labels["true"], "autorange": "reversed"},
        height=560,
        margin={"t": 20, "b": 40, "l": 40, "r": 20},
        clickmode="event+select",
        dragmode=False,
        hovermode="closest",
    )
    return fig


def _cell_heatmap(cm: np.ndarray, shares: np.ndarray, labels: dict[str, str], normalised: bool) -> go.Heatmap:
    """The coloured cells, each with its number written in it so that colour is never the only cue.

    It shows no hover label: the click targets on top of it carry that (see the module's docstring).
    """
    n = cm.shape[0]
    text = [[_percent(shares[t, p]) if normalised else f"{cm[t, p]:,}" for p in range(n)] for t in range(n)]
    return go.Heatmap(
        z=shares if normalised else cm,
        x=list(range(n)),
        y=list(range(n)),
        text=text,
        texttemplate="%{text}",
        colorscale=HEATMAP_COLOURS,
        zmin=0,
        zmax=1 if normalised else max(int(cm.max()), 1),
        colorbar={"title": labels["colorbar_share"] if normalised else labels["colorbar_count"]},
        hoverinfo="skip",
        xgap=1,
        ygap=1,
    )


def _click_targets(
    cm: np.ndarray, shares: np.ndarray, class_names: list[str] | tuple[str, ...], labels: dict[str, str]
) -> go.Scatter:
    """One invisible point per cell, the trace `CLICK_TRACE`: a heatmap sends Streamlit no clicks, points do.

    Each point carries its cell's hover text; it stays invisible when selected.
    """
    n = cm.shape[0]
    true_idx, pred_idx = np.divmod(np.arange(n * n), n)
    hover = [
        f"{labels['true']}: {class_names[t]}<br>{labels['predicted']}: {class_names[p]}<br>"
        f"{cm[t, p]:,} {labels['images']} ({_percent(shares[t, p])} {labels['share']})"
        for t, p in zip(true_idx, pred_idx, strict=True)
    ]
    return go.Scatter(
        x=pred_idx,
        y=true_idx,
        mode="markers",
        marker={"size": 30, "symbol": "square", "opacity": 0, "color": HIGHLIGHT_COLOUR},
        selected={"marker": {"opacity": 0}},
        unselected={"marker": {"opacity": 0}},
        text=hover,
        hovertemplate="%{text}<extra></extra>",
        showlegend=False,
    )


def cell_from_selection(selection) -> tuple[int, int] | None:
    """(true, predicted) of the clicked cell from `st.plotly_chart(...).selection`, or None.

    Streamlit gives `{"points": [{"curve_number": 1, "x": 0, "y": 2, ...}], ...}`;
    x is the predicted class and y the true class. The last clicked point wins.
    """
    try:
        points = selection.get("points") or []
    except AttributeError:
        return None
    for point in reversed(points):
        try:
            if point.get("curve_number", CLICK_TRACE) != CLICK_TRACE:
                continue
            return int(round(float(point["y"]))), int(round(float(point["x"])))
        except (AttributeError, KeyError, TypeError, ValueError):
            continue
    return None


def class_metrics_figure(
    precision: np.ndarray,
    recall: np.ndarray,
    f1: np.ndarray,
    class_names: list[str] | tuple[str, ...],
    labels: dict[str, str],
) -> go.Figure:
    """Precision, recall and F1 per class as grouped bars (hatched differently, not only coloured).

    Args:
        labels: translated texts for keys precision, recall, f1, score.
    """
    fig = go.Figure()
    for key, values in (("precision", precision), ("recall", recall), ("f1", f1)):
        colour, pattern = METRIC_STYLES[key]
        fig.add_trace(
            go.Bar(
                x=list(class_names),
                y=np.asarray(values, float),
                name=labels[key],
                marker={"color": colour, "pattern": {"shape": pattern}},
                hovertemplate="%{x}<br>" + labels[key] + ": %{y:.1%}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="group",
        yaxis={"title": labels["score"], "range": [0, 1], "tickformat": ".0%"},
        xaxis={"tickangle": -40},
        height=380,
        margin={"t": 20, "b": 40, "l": 50, "r": 20},
        legend={"orientation": "h", "y": 1.1},
    )
    return fig


def plotly_text(text: str) -> str:
    """Text a student typed, shown as typed in a plotly label or hover template.

    Plotly reads a little HTML in its texts (`<a href=...>`, `<b>`) and
    `%{...}` in templates; as entities, `<`, `&` and `{` are only shown.
    """
    return html.escape(text, quote=False).replace("{", "&#123;")


def runs_curves_figure(series: list[tuple[str, list[dict]]], metric: str, labels: dict[str, str]) -> go.Figure:
    """Several runs' curves: training on the left, validation on the right, one colour and symbol per run.

    Built in one go from plain dicts: the Evaluate page draws it twice per
    view for every student, and `make_subplots` plus the `update_*` calls
    cost 79 ms here (plotly validates each step), this 4 ms.

    Args:
        series: (display name, history rows) per run.
        metric: "accuracy" or "loss".
        labels: translated texts for keys train, validation, epoch, and the metric.
    """
    traces = []
    for i, (typed, history) in enumerate(series):
        name = plotly_text(typed)
        colour, symbol = RUN_COLOURS[i % len(RUN_COLOURS)], RUN_SYMBOLS[i % len(RUN_SYMBOLS)]
        rows = [row for row in history if isinstance(row, dict)]
        epochs = [row.get("epoch", n) for n, row in enumerate(rows, start=1)]
        for panel, key in ((1, metric), (2, f"val_{metric}")):
            traces.append(
                {
                    "type": "scatter",
                    "x": epochs,
                    "y": [row.get(key) for row in rows],
                    "name": name,
                    "mode": "lines+markers",
                    "line": {"color": colour},
                    "marker": {"symbol": symbol, "size": 8},
                    "legendgroup": f"run{i}",
                    "showlegend": panel == 1,
                    "hovertemplate": f"{name}<br>{labels['epoch']} %{{x}}: %{{y:.4f}}<extra></extra>",
                    "xaxis": "x" if panel == 1 else "x2",
                    "yaxis": "y" if panel == 1 else "y2",
                }
            )
    ticks = {"tickformat": ".0%"} if metric == "accuracy" else {}
    layout = {
        "xaxis": {"anchor": "y", "domain": [0.0, 0.45], "title": {"text": labels["epoch"]}, "dtick": 1},
        "yaxis": {"anchor": "x", "domain": [0.0, 1.0], "title": {"text": labels[metric]}, **ticks},
        "xaxis2": {"anchor": "y2", "domain": [0.55, 1.0], "title": {"text": labels["epoch"]}, "dtick": 1},
        "yaxis2": {"anchor": "x2", "domain": [0.0, 1.0], "matches": "y", "showticklabels": False, **ticks},
        "annotations": [panel_title(labels["train"], 0.225), panel_title(labels["validation"], 0.775)],
        "height": 400,
        "margin": {"t": 40, "b": 40, "l": 50, "r": 20},
        "legend": {"orientation": "h", "y": -0.25},
    }
    return go.Figure(data=traces, layout=layout)
