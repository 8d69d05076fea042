"""Data page figures: class balance per split, mean image per class, pixel-value histograms."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

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


def _subplot_axes(rows: int, cols: int, hspace: float, vspace: float, titles: list[str], axis: dict) -> tuple:
    """Axis refs and layout of a rows x cols grid of subplots, built in one go.

    `make_subplots` plus per-axis updates validates the figure again and
    again (about 0.2 s for ten images); plain dicts are validated once.

    Returns:
        `([(xref, yref) per cell, row by row], layout dict with axes and titles)`.
    """
    width, height = (1 - hspace * (cols - 1)) / cols, (1 - vspace * (rows - 1)) / rows
    refs, layout, annotations = [], {}, []
    for i in range(rows * cols):
        r, c = divmod(i, cols)
        suffix = str(i + 1) if i else ""
        x0, y1 = c * (width + hspace), 1 - r * (height + vspace)
        x_domain = [max(0.0, round(x0, 6)), min(1.0, round(x0 + width, 6))]
        y_domain = [max(0.0, round(y1 - height, 6)), min(1.0, round(y1, 6))]
        layout[f"xaxis{suffix}"] = {**axis.get("x", {}), "domain": x_domain, "anchor": f"y{suffix}"}
        layout[f"yaxis{suffix}"] = {**axis.get("y", {}), "domain": y_domain, "anchor": f"x{suffix}"}
        if axis.get("square"):
            layout[f"yaxis{suffix}"]["scaleanchor"] = f"x{suffix}"
        refs.append((f"x{suffix}", f"y{suffix}"))
        if i < len(titles):
            annotations.append(
                {
                    "text": titles[i],
                    "x": x0 + width / 2,
                    "y": y1,
                    "xref": "paper",
                    "yref": "paper",
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 11},
                }
            )
    layout["annotations"] = annotations
    return refs, layout


def mean_images(means: np.ndarray, class_names: list[str], colorbar_title: str) -> go.Figure:
    """The average picture of each class in a 2x5 grid, on one grey scale from 0 (black) to 1 (white).

    Args:
        means: `(10, 28, 28)` values in [0, 1].
        class_names: subplot titles.
        colorbar_title: label of the shared colour bar.
    """
    cols = (len(means) + 1) // 2
    hidden = {"showticklabels": False, "showgrid": False, "zeroline": False, "constrain": "domain"}
    refs, layout = _subplot_axes(
        2, cols, 0.02, 0.12, list(class_names), {"x": hidden, "y": {**hidden, "autorange": "reversed"}, "square": True}
    )
    traces = [
        {
            "type": "heatmap",
            "z": np.asarray(image, dtype=np.float32),
            "coloraxis": "coloraxis",
            "hovertemplate": "row %{y}, col %{x}: %{z:.2f}<extra>" + class_names[i] + "</extra>",
            "xaxis": x,
            "yaxis": y,
        }
        for i, (image, (x, y)) in enumerate(zip(means, refs, strict=False))
    ]
    layout.update(
        coloraxis={"colorscale": "gray", "cmin": 0, "cmax": 1, "colorbar": {"title": {"text": colorbar_title}}},
        height=380,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return go.Figure(data=traces, layout=layout)


def pixel_histograms(levels: np.ndarray, counts: np.ndarray, labels: dict[str, str], log_y: bool = True) -> go.Figure:
    """The same 256 bars twice: grey levels 0-255 before scaling, 0-1 after `/ 255`.

    Args:
        levels: 0..255.
        counts: pixels per level.
        labels: translated texts for keys `before`, `after`, `value`, `pixels`.
        log_y: a logarithmic count axis; about half of all pixels are the
            black background (level 0), which would flatten every other bar.
    """
    y_axis = {"title": {"text": labels["pixels"]}, "type": "log" if log_y else "linear"}
    refs, layout = _subplot_axes(
        1, 2, 0.1, 0, [labels["before"], labels["after"]], {"x": {"title": {"text": labels["value"]}}, "y": y_axis}
    )
    traces = [
        {
            "type": "bar",
            "x": x,
            "y": counts,
            "width": width,
            "marker": {"color": "#0072B2", "line": {"width": 0}},
            "hovertemplate": f"{labels['value']}: {fmt}<br>{labels['pixels']}: %{{y:,}}<extra></extra>",
            "showlegend": False,
            "xaxis": xref,
            "yaxis": yref,
        }
        for (x, width, fmt), (xref, yref) in zip(
            ((levels, 1.0, "%{x:.0f}"), (levels / 255, 1 / 255, "%{x:.3f}")), refs, strict=True
        )
    ]
    layout.update(height=320, bargap=0, margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return go.Figure(data=traces, layout=layout)


def augmented_versions(original: np.ndarray, augmented: np.ndarray, titles: list[str]) -> go.Figure:
    """One training image beside its augmented versions, in one row on one grey scale (0 black, 1 white).

    Args:
        original: `(28, 28)` in [0, 1].
        augmented: `(n, 28, 28)` in [0, 1], e.g. eight draws of `core.lesson.augment.augment_batch`.
        titles: `n + 1` subplot titles, the original's first.
    """
    images = [np.asarray(original, np.float32)] + [np.asarray(a, np.float32) for a in augmented]
    hidden = {"showticklabels": False, "showgrid": False, "zeroline": False, "constrain": "domain"}
    refs, layout = _subplot_axes(
        1,
        len(images),
        0.012,
        0.0,
        list(titles),
        {"x": hidden, "y": {**hidden, "autorange": "reversed"}, "square": True},
    )
    traces = [
        {
            "type": "heatmap",
            "z": image,
            "coloraxis": "coloraxis",
            "hovertemplate": "row %{y}, col %{x}: %{z:.2f}<extra>" + titles[i] + "</extra>",
            "xaxis": x,
            "yaxis": y,
        }
        for i, (image, (x, y)) in enumerate(zip(images, refs, strict=False))
    ]
    # the original stands apart: a frame around it
    x0, x1 = layout["xaxis"]["domain"]
    layout["shapes"] = [
        {
            "type": "rect",
            "xref": "paper",
            "yref": "paper",
            "x0": x0,
            "x1": x1,
            "y0": 0,
            "y1": 1,
            "line": {"color": "#E69F00", "width": 3},
        }
    ]
    layout.update(
        coloraxis={"colorscale": "gray", "cmin": 0, "cmax": 1, "showscale": False},
        height=170,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return go.Figure(data=traces, layout=layout)
