"""Filters page figures: kernel grids, one enlarged kernel with its numbers, weight histograms, feature maps.

A grid of many small pictures is one heatmap of the tiled pictures (NaN
between them), not one subplot per picture: plotly draws a single trace of
256 kernels at once, where 256 subplots would take seconds.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from core.analysis.inspection import grid_shape, tile, tile_index

KERNEL_COLOURS = "RdBu"
"""Diverging, readable with every common colour-vision deficiency; white is 0."""
MAP_COLOURS = "Viridis"
"""Sequential, colour-blind safe, and the lesson's (matplotlib's default) for feature maps."""
MAX_KERNEL_COLUMNS = 16
"""The lesson's kernel grid: `plt.subplots(2, 16)` for 32 filters."""
MAX_MAP_COLUMNS = 8
"""The lesson's feature-map grids: 4x8 for conv1's 32 maps, 8x8 for conv2's 64 (16 wide beyond 64 maps)."""
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
    max_columns: int,
    max_cell_px: float,
    clickable: bool = False,
) -> go.Figure:
    """One heatmap of `(n, h, w)` pictures in a `grid_shape(n, max_columns)` grid, numbered 1..n when few.

    The colour bar lies under the grid so that the pictures get the whole width.
    With `clickable`, an invisible marker sits on every cell (a heatmap
    cannot be selected by a click; markers can): its hover label carries
    `customdata` `[picture number, row, column, value]`, and a click selects it.
    """
    n, h, w = pictures.shape
    rows, cols = grid_shape(n, max_columns)
    numbered = n <= NUMBERED_UP_TO
    units_wide = cols * (w + 1) - 1
    # Numbers need about 14 px of height between grid rows, whatever the size of a picture.
    # A few pictures are not blown up to the whole width: a pixel is at most `max_cell_px` wide.
    plot_width = min(width_px - 10, units_wide * max_cell_px)
    row_gap = max(1, math.ceil(14 * units_wide / plot_width)) if numbered else 1
    z = tile(pictures, rows, cols, gap=1, row_gap=row_gap)
    number = tile_index(pictures.shape, rows, cols, gap=1, row_gap=row_gap) + 1
    heatmap = _grid_heatmap(z, zmin, zmax, colorscale, colorbar_title)
    traces = [heatmap]
    if clickable:
        heatmap["hoverinfo"] = "skip"
        traces.append(_cell_markers(z, number, (h + row_gap, w + 1), plot_width / units_wide, hover))
    else:
        if n <= NUMBERED_UP_TO:  # beyond that the numbers would double the data sent to the browser
            heatmap["customdata"] = number[..., None].astype(np.int16)
        heatmap["hovertemplate"] = hover if n <= NUMBERED_UP_TO else hover.split("<br>", 1)[1]
    top = -0.5
    if numbered:
        top = -0.5 - row_gap
        traces.append(_picture_numbers(n, cols, (h, w), row_gap))
    plot_height = max(40, plot_width * (z.shape[0] - 0.5 - top) / units_wide)
    # One constructor call: each update_* call would validate the whole figure again.
    return go.Figure(data=traces, layout=_grid_layout(int(plot_height + 75), units_wide, z.shape[0], top))


def _grid_heatmap(z: np.ndarray, zmin: float, zmax: float, colorscale: str, colorbar_title: str) -> dict:
    """The tiled pictures as one heatmap trace; its colour bar lies under the grid, leaving the pictures the width."""
    return {
        "type": "heatmap",
        "z": z.astype(np.float32),  # plotly sends arrays as binary: float32 halves the page's payload
        "zmin": zmin,
        "zmax": zmax,
        "colorscale": colorscale,
        "hoverongaps": False,
        "colorbar": {
            "title": {"text": colorbar_title, "side": "right"},
            "orientation": "h",
            "thickness": 12,
            "len": 0.9,
            "y": 0,
            "yanchor": "top",
            "ypad": 8,
        },
    }


def _cell_markers(z: np.ndarray, number: np.ndarray, pitch: tuple[int, int], cell: float, hover: str) -> dict:
    """An invisible marker on every picture cell, since a heatmap cannot be selected by a click and markers can.

    Args:
        z, number: the tiled values and each cell's picture number (0 in the gaps).
        pitch: grid units from one picture to the next, down and across.
        cell: a grid unit's width in pixels, to size the markers.
        hover: the template; `customdata` is `[picture number, row, column, value]`.
    """
    ys, xs = np.nonzero(number > 0)
    customdata = np.stack([number[ys, xs], ys % pitch[0] + 1, xs % pitch[1] + 1, z[ys, xs]], axis=-1)
    return {
        "type": "scatter",
        "x": xs.astype(np.int16),
        "y": ys.astype(np.int16),
        "mode": "markers",
        "marker": {"symbol": "square", "size": max(4.0, 0.9 * cell), "opacity": 0},
        "selected": {"marker": {"opacity": 0}},
        "unselected": {"marker": {"opacity": 0}},
        "customdata": customdata.astype(np.float32),
        "hovertemplate": hover,
        "showlegend": False,
    }


def _picture_numbers(n: int, cols: int, size: tuple[int, int], row_gap: int) -> dict:
    """Each picture's number above it, as one text trace: 64 separate annotations take plotly far longer to build."""
    h, w = size
    r, c = np.divmod(np.arange(n), cols)
    return {
        "type": "scatter",
        "x": c * (w + 1) + (w - 1) / 2,
        "y": r * (h + row_gap) - 0.5 - row_gap / 2,
        "text": [str(i + 1) for i in range(n)],
        "mode": "text",
        "textfont": {"size": 10, "color": "#333"},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _grid_layout(height: int, units_wide: int, units_high: int, top: float) -> dict:
    """Hidden axes fitted to the grid, a unit as tall as it is wide so that no picture is stretched; row 0 on top."""
    return {
        "height": height,
        "margin": {"l": 5, "r": 5, "t": 5, "b": 70},
        "plot_bgcolor": "rgba(0,0,0,0)",
        "xaxis": {"visible": False, "range": [-0.5, units_wide - 0.5], "constrain": "domain"},
        "yaxis": {
            "visible": False,
            "range": [units_high - 0.5, top],
            "scaleanchor": "x",
            "constrain": "domain",
        },
    }


def kernel_grid(
    slices: np.ndarray, limits: tuple[float, float], labels: dict[str, str], width_px: int = 520
) -> go.Figure:
    """The lesson's kernel grid (2x16 for 32 filters), on a fixed, shared diverging colour scale.

    Args:
        slices: `(filters, k, k)` from `core.analysis.inspection.kernel_slices`.
        limits: `(vmin, vmax)`, the same for the untrained and the trained
            grid (the lesson: -0.5, 0.5); white is 0.
        labels: translated texts for keys `weight`, `filter`, `row`, `col`.
        width_px: about how wide the chart is drawn, to size its height.
    """
    hover = (
        f"{labels['filter']} %{{customdata[0]}}<br>{labels['row']} %{{customdata[1]}}, "
        f"{labels['col']} %{{customdata[2]}}<br>{labels['weight']}: %{{customdata[3]:.3f}}<extra></extra>"
    )
    return _grid_figure(
        slices, limits[0], limits[1], KERNEL_COLOURS, labels["weight"], hover, width_px, MAX_KERNEL_COLUMNS, 28, True
    )


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
    k = before.shape[0]
    ticks = {"tickvals": list(range(k)), "ticktext": [str(i + 1) for i in range(k)], "constrain": "domain"}
    traces, layout = [], {}
    for i, (kernel, title, domain) in enumerate(zip((before, after), titles, ((0.0, 0.43), (0.5, 0.93)), strict=True)):
        suffix = str(i + 1) if i else ""
        traces.append(
            {
                "type": "heatmap",
                "z": np.asarray(kernel, dtype=np.float64),
                "coloraxis": "coloraxis",
                "texttemplate": "%{z:.2f}",
                "textfont": {"size": 13 if k <= 5 else 9},
                "hovertemplate": f"{title}<br>%{{y}}, %{{x}}: %{{z:.4f}}<extra></extra>",
                "xgap": 2,
                "ygap": 2,
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
            }
        )
        layout[f"xaxis{suffix}"] = {**ticks, "domain": domain, "anchor": f"y{suffix}", "side": "top"}
        layout[f"yaxis{suffix}"] = {
            **ticks,
            "autorange": "reversed",
            "anchor": f"x{suffix}",
            "scaleanchor": f"x{suffix}",
        }
        layout.setdefault("annotations", []).append(
            {
                "text": f"<b>{title}</b>",
                "x": sum(domain) / 2,
                "y": 0,
                "xref": "paper",
                "yref": "paper",
                "yanchor": "top",
                "showarrow": False,
            }
        )
    layout.update(
        coloraxis={
            "colorscale": KERNEL_COLOURS,
            "cmin": limits[0],
            "cmax": limits[1],
            "colorbar": {"title": {"text": weight, "side": "right"}, "thickness": 14},
        },
        height=340,
        margin={"l": 10, "r": 10, "t": 30, "b": 40},
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return go.Figure(data=traces, layout=layout)


def weight_histogram(edges: np.ndarray, counts: list[np.ndarray], names: tuple[str, str], labels: dict[str, str]):
    """Untrained and trained weights over the same bins, overlaid (the untrained bars hatched).

    Args:
        edges: bin edges shared by both, from `core.analysis.inspection.shared_histogram`.
        counts: `[untrained counts, trained counts]`.
        names: legend names of the two.
        labels: translated texts for keys `weight`, `count`.
    """
    centres, widths = (edges[:-1] + edges[1:]) / 2, np.diff(edges)
    fig = go.Figure()
    for values, name, colour, pattern in zip(counts, names, (BEFORE_COLOUR, AFTER_COLOUR), ("/", ""), strict=True):
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


def feature_map_grid(maps: np.ndarray, zmax: float, labels: dict[str, str], width_px: int = 520) -> go.Figure:
    """Every activation map of one conv layer, in a grid, on a sequential scale from 0.

    Args:
        maps: `(h, w, filters)` as returned by `core.analysis.inspection.feature_maps`.
        zmax: top of the colour scale (ReLU outputs start at 0).
        labels: translated texts for keys `activation`, `map`.
    """
    hover = f"{labels['map']} %{{customdata[0]}}<br>{labels['activation']}: %{{z:.3f}}<extra></extra>"
    pictures = np.moveaxis(np.asarray(maps), -1, 0)
    return _grid_figure(
        pictures,
        0.0,
        max(float(zmax), 1e-6),
        MAP_COLOURS,
        labels["activation"],
        hover,
        width_px,
        MAX_MAP_COLUMNS if pictures.shape[0] <= 64 else MAX_KERNEL_COLUMNS,
        6,
    )
