"""Train: hyperparameters, Start/Stop, queue position, live curves, and the runs list."""

import time

import streamlit as st

from core.charts.training import batch_loss_figure, curves_figure
from core.lesson.config import ConfigError, RunConfig
from core.lesson.history import best_epoch, events
from core.lesson.model import count_params
from core.lesson.schema import SETTINGS
from core.services import class_budget, run_store
from core.services.run_store import Run
from core.services.training_queue import QueueFull
from ui.classroom import plain
from ui.cluster import backend_notice, budget_caption, queue_place
from ui.config_form import config_form, to_config
from ui.get_code import get_code_buttons
from ui.i18n import language, t, t_damaged, t_error, t_status
from ui.state import owner_token, remember_train_config, training_queue, use_run_button

REFRESH_SECONDS = 1.0  # measured: faster refreshes slow the training worker (bench/bench_train_page.py)


def start(cfg, name: str) -> None:
    try:
        run = training_queue().submit(cfg, name=name, owner=owner_token())
    except QueueFull as err:
        st.session_state.start_error = t_error(err)
    else:
        st.session_state.watch = str(run.path)


def chart_labels() -> dict:
    keys = ("loss", "accuracy", "epoch", "train", "validation", "best", "running_loss", "batch")
    return {key: t(f"train.chart_{key}") for key in keys}


def describe(event, monitor: str) -> str:
    value = f"{event.value:.2%}" if monitor == "val_accuracy" else f"{event.value:.4f}"
    return t(
        f"train.event_{event.kind}",
        epoch=event.epoch,
        metric=t(f"train.monitor_{monitor}"),
        value=value,
        waited=event.waited,
        best=event.best_epoch,
    )


def live_panel(run: Run) -> None:
    """Everything about one run; refreshed every second while it is active."""
    info = run_store.read_run(run)
    if info.damaged:
        st.error(t("train.damaged", reason=t_damaged(info)))
        return
    state = info.state
    st.markdown(f"#### {plain(info.name)} — {t(f'train.state_{state}')}")
    if state == "queued":
        queue_place(run)
    elif state == "running":
        progress = run.progress()
        epochs = progress.epochs or info.config.train.epochs
        text = t("train.progress", epoch=progress.epoch, epochs=epochs, batch=progress.batch, steps=progress.steps)
        if progress.eta is not None:
            text += " · " + t("train.eta", minutes=int(progress.eta // 60), seconds=int(progress.eta % 60))
        st.progress(progress.fraction, text=text)
        if progress.batch_curve:
            figure = batch_loss_figure(progress.batch_curve, progress.steps or 1, chart_labels())
            st.plotly_chart(figure, key="batch_chart", width="stretch")
    elif info.status.messages:
        (st.error if state in ("failed", "interrupted") else st.success)(t_status(info.status))
    if info.history:
        monitor = info.config.train.monitor
        best = best_epoch(info.history, monitor)
        st.plotly_chart(curves_figure(info.history, chart_labels(), best), key="curves_chart", width="stretch")
        row = next(r for r in info.history if r["epoch"] == best)
        st.write(
            t("train.best_epoch", epoch=best, val_loss=row.get("val_loss", 0), val_accuracy=row.get("val_accuracy", 0))
        )
        with st.expander(t("train.events"), expanded=state == "running"):
            for event in events(info.history, info.config.train.patience, monitor):
                st.write("• " + describe(event, monitor))
    if info.result.get("test_accuracy") is not None:
        c1, c2, c3 = st.columns(3)
        c1.metric(t("train.val_accuracy"), f"{info.result['val_accuracy']:.1%}")
        c2.metric(t("train.test_accuracy"), f"{info.result['test_accuracy']:.1%}")
        c3.metric(t("train.seconds"), f"{info.result.get('seconds', 0):.0f} s")
    if state in run_store.ACTIVE_STATES:
        st.button(t("train.stop"), on_click=training_queue().stop, args=(run,), key="stop")
        st.session_state.was_active = str(run.path)
    elif st.session_state.pop("was_active", None) == str(run.path):
        st.rerun(scope="app")  # the run just ended: stop refreshing, update the list
    if info.has_checkpoint:
        use_run_button(run, key="use_run")


def run_label(info: run_store.RunInfo) -> str:
    """Name and start time only: Streamlit 1.67 redraws a selectbox whose labels alone
    changed only every other rerun, so a state in the label would go stale."""
    return f"{info.name} · {time.strftime('%H:%M', time.localtime(info.created))}"


def settings_summary(info: run_store.RunInfo) -> str:
    """The settings that differ from the lesson, e.g. `batch norm · cosine decay · batch 128` (empty: the lesson)."""
    if info.config is None:
        return ""
    lesson = RunConfig().values()
    changed = [(s, v) for s, v in zip(SETTINGS, info.config.values().values(), strict=True) if v != lesson[s.name]]
    shown = (f"{t(s.column_key)} {s.format(v, language())}" for s, v in changed)
    return " · ".join(shown) or t("train.lesson_settings")


st.title(t("train.title"))
st.caption(t("train.intro"))
backend_notice()
budget_caption()

values = config_form(t, presets=class_budget.read().allowed_presets())
try:
    cfg = to_config(values)
except ConfigError as err:
    cfg = None
    st.error(t("train.invalid", message=t_error(err)))
else:
    remember_train_config(cfg)
    st.info(
        t(
            "train.summary",
            params=count_params(cfg.model),
            images=cfg.train.effective_train_size(),
            steps=cfg.train.steps_per_epoch(),
        )
    )

name = st.text_input(t("train.run_name"), key="run_name", max_chars=40, help=t("train.help_run_name"))
st.button(t("train.start"), type="primary", disabled=cfg is None, on_click=start, args=(cfg, name), key="start")
if error := st.session_state.pop("start_error", None):
    st.warning(error)
get_code_buttons(cfg, name, key="train_code")  # the chosen settings as Keras code, before training

st.divider()
st.subheader(t("train.runs"))
show_class = st.toggle(t("train.show_class"), key="show_class")
me = owner_token()
listed = [info for info in run_store.list_runs() if show_class or info.owner == me]
if not listed:
    st.caption(t("train.no_runs"))
else:
    ids = [str(info.path) for info in listed]
    if st.session_state.get("watch") not in ids:
        st.session_state.watch = ids[0]
    by_id = dict(zip(ids, listed, strict=True))
    st.selectbox(t("train.watch"), ids, format_func=lambda i: run_label(by_id[i]), key="watch")
    watched = by_id[st.session_state.watch].run
    active = by_id[st.session_state.watch].state in run_store.ACTIVE_STATES
    st.fragment(live_panel, run_every=REFRESH_SECONDS if active else None)(watched)
    st.dataframe(
        [
            {
                t("train.col_name"): info.name,
                t("train.col_state"): t(f"train.state_{info.state}"),
                t("train.col_settings"): settings_summary(info),
                t("train.col_val_accuracy"): info.best_val_accuracy,
                t("train.col_epochs"): len(info.history),
                t("train.col_seconds"): info.result.get("seconds"),
            }
            for info in listed
        ],
        hide_index=True,
        column_config={t("train.col_val_accuracy"): st.column_config.NumberColumn(format="percent")},
    )
