"""Data page figures: class balance per split, mean image per class, pixel-value histograms."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

# Okabe-Ito colours, each split also with its own bar pattern: never colour alone.
SPLIT_STYLES = (("#0072B2", ""), ("#E69F00", "/"), ("#009E73", "."))


def class_balance(counts: dict[str, np.ndarray], class_names: list[str], labels: dict[str, str]) -> go.Figure:
    """Share of each class in each split, as grouped bars labelled with the image count.

    Shares (not counts) put the 48,000-image training split and the
    10,000-image test split on one scale: equal bars mean a balanced split.

    Args:
        counts: `{split name: (10,) counts}`, in display order.
        class_names: the 10 class names shown under the bars.
        labels: translated texts for keys `share`, `count`, `class`.
    """
    fig = go.Figure()
    for (split, values), (colour, pattern) in zip(counts.items(), SPLIT_STYLES, strict=False):
        values = np.asarray(values)
        share = 100 * values / max(int(values.sum()), 1)
        fig.add_bar(
            x=list(class_names),
            y=share,
            name=f"{split} ({int(values.sum()):,})",
            marker={"color": colour, "pattern": {"shape": pattern}},
            text=[f"{int(v):,}" for v in values],
            textposition="outside",
            textfont={"size": 9},
            customdata=values,
            hovertemplate=f"%{{x}}<br>{labels['share']}: %{{y:.1f}}%<br>{labels['count']}: %{{customdata:,}}"
            f"<extra>{split}</extra>",
        )
    top = max((100 * np.max(v) / max(int(np.sum(v)), 1) for v in counts.values()), default=10)
    fig.update_layout(
        barmode="group",
        height=360,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": 1.12},
        yaxis={"title": labels["share"] + " (%)", "range": [0, top * 1.25]},
        xaxis={"title": labels["class"]},
    )
    return fig


def mean_images(means: np.ndarray, class_names: list[str], colorbar_title: str) -> go.Figure:
    """The average picture of each class in a 2x5 grid, on one grey scale from 0 (black) to 1 (white).

    Args:
        means: `(10, 28, 28)` values in [0, 1].
        class_names: subplot titles.
        colorbar_title: label of the shared colour bar.
    """
    rows, cols = 2, (len(means) + 1) // 2
    fig = make_subplots(
        rows=rows, cols=cols, subplot_titles=list(class_names), horizontal_spacing=0.02, vertical_spacing=0.1
    )
    for i, image in enumerate(means):
        fig.add_trace(
            go.Heatmap(
                z=image,
                coloraxis="coloraxis",
                hovertemplate="row %{y}, col %{x}: %{z:.2f}<extra>" + class_names[i] + "</extra>",
            ),
            row=i // cols + 1,
            col=i % cols + 1,
        )
    fig.update_xaxes(showticklabels=False, constrain="domain")
    fig.update_yaxes(showticklabels=False, autorange="reversed", constrain="domain")
    for i in range(len(means)):
        fig.update_yaxes(scaleanchor=f"x{i + 1 if i else ''}", row=i // cols + 1, col=i % cols + 1)
    fig.update_layout(
        coloraxis={"colorscale": "gray", "cmin": 0, "cmax": 1, "colorbar": {"title": colorbar_title, "len": 0.8}},
        height=380,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
    )
    fig.update_annotations(font_size=11)
    return fig


def pixel_histograms(levels: np.ndarray, counts: np.ndarray, labels: dict[str, str], log_y: bool = True) -> go.Figure:
    """The same 256 bars twice: grey levels 0-255 before scaling, 0-1 after `/ 255`.

    Args:
        levels: 0..255.
        counts: pixels per level.
        labels: translated texts for keys `before`, `after`, `value`, `pixels`.
        log_y: a logarithmic count axis; about half of all pixels are the
            black background (level 0), which would flatten every other bar.
    """
    fig = make_subplots(rows=1, cols=2, subplot_titles=(labels["before"], labels["after"]), horizontal_spacing=0.08)
    for col, x, width, fmt in ((1, levels, 1.0, "%{x:.0f}"), (2, levels / 255, 1 / 255, "%{x:.3f}")):
        fig.add_bar(
            x=x,
            y=counts,
            width=width,
            marker={"color": "#0072B2", "line": {"width": 0}},
            hovertemplate=f"{labels['value']}: {fmt}<br>{labels['pixels']}: %{{y:,}}<extra></extra>",
            showlegend=False,
            row=1,
            col=col,
        )
        fig.update_xaxes(title=labels["value"], row=1, col=col)
    fig.update_yaxes(title=labels["pixels"], type="log" if log_y else "linear")
    fig.update_layout(height=320, bargap=0, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig
