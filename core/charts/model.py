"""Model page figure: parameters per layer, from `core.lesson.model.layer_specs` (no TensorFlow needed)."""

from __future__ import annotations

import plotly.graph_objects as go

from core.lesson.model import LayerSpec


def params_per_layer(specs: list[LayerSpec], labels: dict[str, str]) -> go.Figure:
    """One horizontal bar per layer, in network order, labelled with its count and share of the total.

    The lesson's point shows at a glance: Flatten -> Dense holds most of the
    parameters, the conv layers only a few percent.

    Args:
        specs: the model's layers.
        labels: translated texts for keys `params`, `layer`.
    """
    total = max(sum(spec.params for spec in specs), 1)
    names = [f"{spec.name} ({spec.kind})" for spec in specs]
    values = [spec.params for spec in specs]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=names,
            orientation="h",
            marker={"color": "#0072B2"},
            text=[f"{v:,} ({100 * v / total:.1f}%)" for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"%{{y}}<br>{labels['params']}: %{{x:,}}<extra></extra>",
        )
    )
    fig.update_layout(
        height=60 + 34 * len(specs),
        margin={"l": 10, "r": 110, "t": 10, "b": 10},
        xaxis={"title": labels["params"], "range": [0, max(values) * 1.3 or 1]},
        yaxis={"title": labels["layer"], "autorange": "reversed"},
    )
    return fig
