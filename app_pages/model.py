"""Model: the chosen architecture's summary table, layer diagram and parameters per layer."""

import dataclasses

import pandas as pd
import streamlit as st

from core.charts.model import params_per_layer
from core.lesson.config import ModelConfig, RunConfig
from core.lesson.model import count_params, diagram_dot, layer_specs
from core.lesson.schema import IMAGE_SIZE
from ui.i18n import t
from ui.state import train_config


@st.cache_data(show_spinner=False, max_entries=32)
def keras_summary(cfg_json: str) -> str:
    """Keras's own `model.summary()` text; the model is built once per architecture."""
    from core.lesson.model import build_model

    lines = []
    model = build_model(RunConfig.from_json(cfg_json).model)
    model.summary(print_fn=lambda text, **_: lines.append(text))
    return "\n".join(lines)


def summary_table(cfg: ModelConfig) -> pd.DataFrame:
    rows = [
        {
            t("model.col_layer"): f"{spec.name} ({spec.kind})",
            t("model.col_shape"): str(spec.output_shape),
            t("model.col_params"): spec.params,
        }
        for spec in layer_specs(cfg)
    ]
    return pd.DataFrame(rows)


st.title(t("model.title"))
st.write(t("model.intro"))

chosen = train_config()
base = RunConfig().model
if isinstance(chosen, RunConfig):
    source = st.segmented_control(
        t("model.source"),
        ("lesson", "mine"),
        default="lesson",
        format_func=lambda s: t(f"model.source_{s}"),
        key="model_source",
    )
    if source == "mine":
        base = chosen.model
else:
    st.caption(t("model.no_train_config"))

use_gap = st.toggle(t("model.gap_toggle"), value=base.head == "gap", key="model_gap", help=t("model.gap_help"))
try:
    cfg = dataclasses.replace(base, head="gap" if use_gap else "flatten")
except Exception:  # a refused combination is explained, never a traceback
    st.error(t("model.config_error"))
    st.stop()

flatten_total = count_params(dataclasses.replace(cfg, head="flatten"))
gap_total = count_params(dataclasses.replace(cfg, head="gap"))
total = count_params(cfg)
saved = flatten_total - gap_total

c1, c2, c3 = st.columns(3)
c1.metric(t("model.total_params"), f"{total:,}")
c2.metric(t("model.flatten_params"), f"{flatten_total:,}")
c3.metric(t("model.gap_params"), f"{gap_total:,}", delta=f"{-saved:,}", delta_color="inverse")
st.info(t("model.gap_saves", saved=saved, share=100 * saved / max(flatten_total, 1)))

st.header(t("model.summary_title"))
st.dataframe(
    summary_table(cfg),
    hide_index=True,
    column_config={t("model.col_params"): st.column_config.NumberColumn(format="localized")},
)
st.markdown(t("model.total_line", total=total))

left, right = st.columns([2, 3])
with left:
    st.header(t("model.diagram_title"))
    st.graphviz_chart(diagram_dot(cfg))
    st.caption(t("model.diagram_caption", size=IMAGE_SIZE))
with right:
    st.header(t("model.params_title"))
    st.plotly_chart(
        params_per_layer(layer_specs(cfg), {"params": t("model.col_params"), "layer": t("model.col_layer")}),
        key="params_chart",
    )
    specs = layer_specs(cfg)
    head = next(i for i, spec in enumerate(specs) if spec.kind in ("Flatten", "GlobalAveragePooling2D"))
    after = specs[head + 1]
    st.caption(
        t(
            "model.params_caption",
            head=specs[head].kind,
            layer=after.name,
            params=after.params,
            share=100 * after.params / max(total, 1),
        )
    )

st.header(t("model.keras_title"))
st.caption(t("model.keras_caption"))
try:
    st.code(keras_summary(RunConfig(model=cfg).to_json()), language=None)
except Exception:  # Keras missing or failing must not break the page: the table above says the same
    st.warning(t("model.keras_failed"))
