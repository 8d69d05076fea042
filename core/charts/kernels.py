"""Filters page figures: kernel grids, one enlarged kernel with its numbers, weight histograms, feature maps.

A grid of many small pictures is one heatmap of the tiled pictures (NaN
between them), not one subplot per picture: plotly draws a single trace of
256 kernels at once, where 256 subplots would take seconds.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.inspect import grid_shape, tile, tile_index

KERNEL_COLOURS = "RdBu"
"""Diverging, readable with every common colour-vision deficiency; white is 0."""
MAP_COLOURS = "Viridis"
"""Sequential, colour-blind safe, and the lesson's (matplotlib's default) for feature maps."""
NUMBERED_UP_TO = 64
"""Grids with at most this many pictures carry each picture's number above it."""
# Okabe-Ito colours; untrained bars are also hatched, so colour is not the only cue.
BEFORE_COLOUR, AFTER_COLOUR = "#E69F00", "#0072B2"


def _grid_figure(
    pictures: np.ndarray,
    zmin: float,
    zmax: float,
    colorscale: str,
    colorbar_title: str,
    hover: str,
    width_px: int,
) -> go.Figure:
    """One heatmap of `(n, h, w)` pictures in a `grid_shape(n)` grid, numbered 1..n when few."""
    n, h, w = pictures.shape
    rows, cols = grid_shape(n)
    z = tile(pictures, rows, cols)
    number = tile_index(pictures.shape, rows, cols) + 1
    r_in = np.where(number > 0, np.indices(z.shape)[0] % (h + 1) + 1, 0)
    c_in = np.where(number > 0, np.indices(z.shape)[1] % (w + 1) + 1, 0)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            zmin=zmin,
            zmax=zmax,
            colorscale=colorscale,
            customdata=np.stack([number, r_in, c_in], axis=-1),
            hoverongaps=False,
            hovertemplate=hover,
            colorbar={"title": {"text": colorbar_title, "side": "right"}, "thickness": 14},
            xgap=0,
            ygap=0,
        )
    )
    top = -0.5
    if n <= NUMBERED_UP_TO:
        top = -1.6
        for i in range(n):
            r, c = divmod(i, cols)
            fig.add_annotation(
                x=c * (w + 1) + (w - 1) / 2,
                y=r * (h + 1) - 0.55,
                text=str(i + 1),
                showarrow=False,
                font={"size": 9, "color": "#444"},
                yanchor="bottom",
            )
    height_units = z.shape[0] - top - 0.5
    plot_height = max(60, width_px * height_units / z.shape[1])
    fig.update_xaxes(visible=False, range=[-0.5, z.shape[1] - 0.5], constrain="domain")
    fig.update_yaxes(visible=False, range=[z.shape[0] - 0.5, top], scaleanchor="x", constrain="domain")
    fig.update_layout(
        height=int(plot_height + 50),
        margin={"l": 5, "r": 5, "t": 10, "b": 10},
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig


def kernel_grid(
    slices: np.ndarray, limits: tuple[float, float], labels: dict[str, str], width_px: int = 560
) -> go.Figure:
    """The lesson's kernel grid (2x16 for 32 filters), on a fixed, shared diverging colour scale.

    Args:
        slices: `(filters, k, k)` from `core.inspect.kernel_slices`.
        limits: `(vmin, vmax)`, the same for the untrained and the trained
            grid (the lesson: -0.5, 0.5); white is 0.
        labels: translated texts for keys `weight`, `filter`, `row`, `col`.
        width_px: about how wide the chart is drawn, to size its height.
    """
    hover = (
        f"{labels['filter']} %{{customdata[0]}}<br>{labels['row']} %{{customdata[1]}}, "
        f"{labels['col']} %{{customdata[2]}}<br>{labels['weight']}: %{{z:.3f}}<extra></extra>"
    )
    return _grid_figure(slices, limits[0], limits[1], KERNEL_COLOURS, labels["weight"], hover, width_px)


def kernel_pair(
    before: np.ndarray, after: np.ndarray, limits: tuple[float, float], titles: tuple[str, str], weight: str
) -> go.Figure:
    """One kernel before and after training, enlarged, every cell with its number.

    Args:
        before, after: `(k, k)` kernels.
        limits: the shared colour range.
        titles: the two subplot titles.
        weight: colour bar title.
    """
    fig = make_subplots(rows=1, cols=2, subplot_titles=titles, horizontal_spacing=0.08)
    for col, kernel in ((1, before), (2, after)):
        fig.add_trace(
            go.Heatmap(
                z=kernel,
                coloraxis="coloraxis",
                texttemplate="%{z:.2f}",
                textfont={"size": 13 if kernel.shape[0] <= 5 else 9},
                hovertemplate="%{y}, %{x}: %{z:.4f}<extra></extra>",
                xgap=2,
                ygap=2,
            ),
            row=1,
            col=col,
        )
    k = before.shape[0]
    fig.update_xaxes(tickvals=list(range(k)), ticktext=[str(i + 1) for i in range(k)], constrain="domain")
    fig.update_yaxes(
        tickvals=list(range(k)), ticktext=[str(i + 1) for i in range(k)], autorange="reversed", constrain="domain"
    )
    fig.update_yaxes(scaleanchor="x", row=1, col=1)
    fig.update_yaxes(scaleanchor="x2", row=1, col=2)
    fig.update_layout(
        coloraxis={
            "colorscale": KERNEL_COLOURS,
            "cmin": limits[0],
            "cmax": limits[1],
            "colorbar": {"title": {"text": weight, "side": "right"}, "thickness": 14},
        },
        height=340,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig


def weight_histogram(edges: np.ndarray, counts: list[np.ndarray], names: tuple[str, str], labels: dict[str, str]):
    """Untrained and trained weights over the same bins, overlaid (the untrained bars hatched).

    Args:
        edges: bin edges shared by both, from `core.inspect.shared_histogram`.
        counts: `[untrained counts, trained counts]`.
        names: legend names of the two.
        labels: translated texts for keys `weight`, `count`.
    """
    centres, widths = (edges[:-1] + edges[1:]) / 2, np.diff(edges)
    fig = go.Figure()
    for values, name, colour, pattern in zip(
        counts, names, (BEFORE_COLOUR, AFTER_COLOUR), ("/", ""), strict=True
    ):
        fig.add_bar(
            x=centres,
            y=values,
            width=widths,
            name=name,
            opacity=0.6,
            marker={"color": colour, "pattern": {"shape": pattern}, "line": {"width": 0.5, "color": colour}},
            customdata=np.stack([edges[:-1], edges[1:]], axis=-1),
            hovertemplate=f"%{{customdata[0]:.3f}} … %{{customdata[1]:.3f}}<br>{labels['count']}: %{{y}}"
            f"<extra>{name}</extra>",
        )
    fig.update_layout(
        barmode="overlay",
        bargap=0,
        height=320,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": 1.12},
        xaxis={"title": labels["weight"]},
        yaxis={"title": labels["count"]},
    )
    return fig


def feature_map_grid(maps: np.ndarray, zmax: float, labels: dict[str, str], width_px: int = 560) -> go.Figure:
    """Every activation map of one conv layer, in a grid, on a sequential scale from 0.

    Args:
        maps: `(h, w, filters)` as returned by `core.inspect.feature_maps`.
        zmax: top of the colour scale (ReLU outputs start at 0).
        labels: translated texts for keys `activation`, `map`, `row`, `col`.
    """
    hover = (
        f"{labels['map']} %{{customdata[0]}}<br>{labels['row']} %{{customdata[1]}}, "
        f"{labels['col']} %{{customdata[2]}}<br>{labels['activation']}: %{{z:.3f}}<extra></extra>"
    )
    pictures = np.moveaxis(np.asarray(maps), -1, 0)
    return _grid_figure(pictures, 0.0, max(float(zmax), 1e-6), MAP_COLOURS, labels["activation"], hover, width_px)
