"""Plotly figure builders: arrays in, go.Figure out."""


def panel_title(text: str, x: float) -> dict:
    """A title above one of several side-by-side panels, as `make_subplots` writes it (`x`: its centre, 0-1)."""
    return {
        "text": text,
        "x": x,
        "y": 1.0,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "center",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 16},
    }
