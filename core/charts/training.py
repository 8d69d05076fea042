"""Training curves: the lesson's train/val loss plot, accuracy, and the loss within an epoch."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

# Okabe-Ito colours: distinguishable with every common colour-vision deficiency.
TRAIN_COLOUR, VAL_COLOUR = "#0072B2", "#D55E00"


def curves_figure(history: list[dict], labels: dict[str, str], best_epoch: int | None = None) -> go.Figure:
    """Loss and accuracy per epoch, training (solid, circles) and validation (dashed, squares).

    Args:
        history: rows of `history.json` (epoch, loss, accuracy, val_loss, val_accuracy).
        labels: translated texts for keys loss, accuracy, epoch, train, validation, best.
        best_epoch: marked with a vertical line when given.
    """
    fig = make_subplots(rows=1, cols=2, subplot_titles=(labels["loss"], labels["accuracy"]))
    epochs = [row["epoch"] for row in history]
    for col, metric in ((1, "loss"), (2, "accuracy")):
        for prefix, name, colour, dash, symbol in (
            ("", labels["train"], TRAIN_COLOUR, "solid", "circle"),
            ("val_", labels["validation"], VAL_COLOUR, "dash", "square"),
        ):
            fig.add_trace(
                go.Scatter(
                    x=epochs,
                    y=[row.get(prefix + metric) for row in history],
                    name=name,
                    mode="lines+markers",
                    line={"color": colour, "dash": dash},
                    marker={"symbol": symbol, "size": 8},
                    legendgroup=name,
                    showlegend=col == 1,
                ),
                row=1,
                col=col,
            )
        fig.update_xaxes(title_text=labels["epoch"], dtick=1, row=1, col=col)
    if best_epoch:
        fig.add_vline(x=best_epoch, line={"color": "#555", "dash": "dot"}, annotation_text=labels["best"])
    fig.update_layout(height=360, margin={"t": 40, "b": 40, "l": 50, "r": 20}, legend={"orientation": "h", "y": -0.2})
    return fig


def batch_loss_figure(points: tuple[tuple[int, float], ...], steps: int, labels: dict[str, str]) -> go.Figure:
    """The running mean loss within the current epoch (what Keras reports per batch)."""
    fig = go.Figure(
        go.Scatter(
            x=[p[0] for p in points],
            y=[p[1] for p in points],
            mode="lines",
            line={"color": TRAIN_COLOUR},
            name=labels["running_loss"],
        )
    )
    fig.update_layout(
        title=labels["running_loss"],
        xaxis={"title": labels["batch"], "range": [0, max(steps, 1)]},
        yaxis={"title": labels["loss"]},
        height=260,
        margin={"t": 40, "b": 40, "l": 50, "r": 20},
    )
    return fig
