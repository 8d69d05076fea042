"""The Evaluate page's second tab, runs: what each change added, runs compared, the leaderboard, one run managed.

The page script (`app_pages/evaluate.py`) calls these in lesson order.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st

from core import user_text
from core.charts.evaluate import runs_curves_figure
from core.lesson.schema import SETTINGS
from core.services import housekeeping, run_store, run_tables, shipped
from core.services.run_store import Run
from ui.classroom import plain
from ui.evaluate_view import chart_labels, percent_column, run_name
from ui.get_code import get_code_buttons
from ui.i18n import choice, language, t, t_damaged, t_error
from ui.state import default_run, is_default, owner_token, selected_run, use_run_button

COMPARE_AT_MOST = 8
RUN_COLUMNS = ("name", "state", "test_accuracy", "best_val_accuracy", "params", "epochs", "seconds")
TABLE_COLUMNS = RUN_COLUMNS + tuple(s.name for s in SETTINGS if s.name not in RUN_COLUMNS)


@dataclass(frozen=True)
class RunList:
    """The runs the tab offers: the shipped ones, then the student's own or the whole class's."""

    me: str  # this browser's owner token
    scope: str  # "mine" or "class"
    healthy: list[run_store.RunInfo]  # every undamaged run of the class, for the leaderboard
    listed: list[run_store.RunInfo]  # the runs of the chosen scope
    by_id: dict[str, run_store.RunInfo]  # the choices of every list below, by folder path

    @property
    def ids(self) -> list[str]:
        return list(self.by_id)

    def label(self, run_id: str) -> str:
        """How a run is named in every list of the tab."""
        return run_label(self.by_id[run_id], self.me)


def keep_valid(key: str, options: list[str], multi: bool = False) -> None:
    """Drop a widget's remembered value that is no longer an option (e.g. a deleted run)."""
    if key not in st.session_state:
        return
    value = st.session_state[key]
    if multi:
        st.session_state[key] = [v for v in value if v in options]
    elif value not in options:
        del st.session_state[key]


def run_list() -> RunList:
    """The class's runs: damaged ones explained in an expander, then the "mine or the class" choice."""
    me = owner_token()
    everything = run_store.list_runs()
    damaged = [info for info in everything if info.damaged]
    healthy = [info for info in everything if not info.damaged]
    if damaged:
        with st.expander(t("evaluate.damaged_title", n=len(damaged))):
            for info in damaged:
                st.markdown(t("evaluate.damaged_line", id=info.id, reason=t_damaged(info)))

    scope = choice("evaluate.scope", ["mine", "class"], "evaluate.scope_", key="runs_scope")
    listed = [info for info in healthy if scope == "class" or info.owner == me]
    ships = [default_run()] + [Run(path) for path in (shipped.BEST_RUN_DIR,) if Run(path).has_checkpoint()]
    ships += [run for step, run in shipped.step_runs() if step != "lesson"]
    candidates = [info for info in map(run_store.read_run, ships) if not info.damaged] + listed
    return RunList(me, scope, healthy, listed, {str(info.path): info for info in candidates})


def run_label(info: run_store.RunInfo, me: str) -> str:
    """Name, "yours" and start time: enough to tell a student's runs apart in a list."""
    parts = [run_name(info)]
    if info.owner and info.owner == me:
        parts.append(t("evaluate.yours"))
    if not is_default(info.run) and info.created:
        parts.append(time.strftime("%m-%d %H:%M", time.localtime(info.created)))
    return " · ".join(parts)


def as_percent(row: dict, *keys: str) -> dict:
    """The row with the given shares (0-1) as percentages (0-100), for `percent_column`."""
    return row | {key: None if row.get(key) is None else 100 * row[key] for key in keys}


def steps_section() -> None:
    """What each change added: the shipped full-data runs, lesson -> + batch norm -> + augmentation -> + schedule."""
    rows = shipped.step_rows()
    if len(rows) < 2:
        return
    st.subheader(t("evaluate.steps_title"))
    st.caption(t("evaluate.steps_caption"))
    for row in rows:
        row["step"] = t(f"evaluate.step_{row['step']}")
        row["gain"] = None if row["gain"] is None else 100 * row["gain"]
    st.dataframe(
        [as_percent(row, "test_accuracy", "best_val_accuracy") for row in rows],
        hide_index=True,
        column_order=("step", "test_accuracy", "gain", "best_val_accuracy", "epochs", "seconds", "params"),
        column_config={
            "step": t("evaluate.col_step"),
            "test_accuracy": percent_column(t("evaluate.col_test_accuracy"), 2),
            "gain": st.column_config.NumberColumn(t("evaluate.col_gain"), format="%+.2f"),
            "best_val_accuracy": percent_column(t("evaluate.col_best_val_accuracy"), 2),
            "epochs": st.column_config.NumberColumn(t("evaluate.col_epochs")),
            "seconds": st.column_config.NumberColumn(t("evaluate.col_seconds"), format="%.0f s"),
            "params": st.column_config.NumberColumn(t("evaluate.col_params"), format="localized"),
        },
        key="steps_table",
    )
    series = [(t(f"evaluate.step_{step}"), run.history()) for step, run in shipped.step_runs()]
    figure = runs_curves_figure(series, "accuracy", chart_labels("train", "validation", "epoch", "accuracy", "loss"))
    st.plotly_chart(figure, key="steps_curves", width="stretch")


def table_config() -> dict:
    """Column titles and formats of the comparison table: results first, then every setting."""
    number = st.column_config.NumberColumn
    config = {key: t(f"evaluate.col_{key}") for key in TABLE_COLUMNS}
    config |= {
        "test_accuracy": percent_column(t("evaluate.col_test_accuracy"), 2),
        "best_val_accuracy": percent_column(t("evaluate.col_best_val_accuracy"), 2),
        "params": number(t("evaluate.col_params"), format="localized"),
        "seconds": number(t("evaluate.col_seconds"), format="%.0f s"),
        "train_size": number(t("evaluate.col_train_size"), format="localized"),
        "learning_rate": number(t("evaluate.col_learning_rate"), format="%g"),
        "weight_decay": number(t("evaluate.col_weight_decay"), format="%g"),
    }
    return config


def compare_runs(runs: RunList) -> None:
    """Curves and settings of a few runs side by side; the selected run and two others to start with."""
    if not runs.listed:
        st.caption(t("evaluate.no_runs_mine" if runs.scope == "mine" else "evaluate.no_runs_class"))
    ids = runs.ids
    keep_valid("compare_runs", ids, multi=True)
    if "compare_runs" not in st.session_state:
        chosen = str(selected_run().path)
        st.session_state.compare_runs = list(dict.fromkeys([c for c in [chosen, *ids[1:3]] if c in ids]))
    picked = st.multiselect(
        t("evaluate.compare_pick"), ids, format_func=runs.label, max_selections=COMPARE_AT_MOST, key="compare_runs"
    )
    if not picked:
        return
    metric = choice("evaluate.compare_metric", ["accuracy", "loss"], "evaluate.chart_", key="compare_metric")
    curve_labels = chart_labels("train", "validation", "epoch", "accuracy", "loss")
    series = [(runs.label(run_id), runs.by_id[run_id].history) for run_id in picked]
    st.plotly_chart(runs_curves_figure(series, metric, curve_labels), key="compare_curves", width="stretch")
    rows = []
    for run_id in picked:
        row = run_tables.summary_row(runs.by_id[run_id], language())
        row["name"] = runs.label(run_id)
        row["state"] = t(f"evaluate.state_{row['state']}")
        rows.append(as_percent(row, "test_accuracy", "best_val_accuracy"))
    st.dataframe(rows, hide_index=True, column_order=TABLE_COLUMNS, column_config=table_config(), key="compare_table")
    st.caption(t("evaluate.sort_hint"))


def leaderboard(healthy: list[run_store.RunInfo]) -> None:
    """The class's best test accuracies: three medals, then the whole table."""
    board = run_tables.leaderboard(healthy)
    if not board:
        st.caption(t("evaluate.board_empty"))
        return
    medals = ("🥇", "🥈", "🥉")
    for column, row in zip(st.columns(3), board[:3], strict=False):
        column.metric(
            f"{medals[row['rank'] - 1]} {row['rank']}. {plain(row['name'])}",  # a metric's label is Markdown
            f"{row['test_accuracy']:.2%}",
        )
    st.dataframe(
        [as_percent(row, "test_accuracy") for row in board],
        hide_index=True,
        column_order=("rank", "name", "test_accuracy", "params", "epochs"),
        column_config={
            "rank": st.column_config.NumberColumn(t("evaluate.col_rank")),
            "name": t("evaluate.col_name"),
            "test_accuracy": percent_column(t("evaluate.col_test_accuracy"), 2),
            "params": st.column_config.NumberColumn(t("evaluate.col_params"), format="localized"),
            "epochs": st.column_config.NumberColumn(t("evaluate.col_epochs")),
        },
        key="board_table",
    )


# ---------------------------------------------------------------- one run: use, download, rename, delete


def rename(run: Run, key: str) -> None:
    """The rename button's callback; its outcome is shown on the next run of the page."""
    try:
        name = housekeeping.rename_run(run, st.session_state.get(key, ""))
    except housekeeping.HousekeepingError as err:
        st.session_state.manage_message = ("warning", t_error(err))
    except OSError:
        st.session_state.manage_message = ("warning", t("errors.rename_meta"))
    else:
        st.session_state.manage_message = ("success", t("evaluate.renamed", name=plain(name)))


def delete(run: Run) -> None:
    """The delete button's callback; its outcome is shown on the next run of the page."""
    try:
        housekeeping.delete_run(run)
    except housekeeping.HousekeepingError as err:
        st.session_state.manage_message = ("warning", t_error(err))
    else:
        st.session_state.manage_message = ("success", t("evaluate.deleted"))


def manage(runs: RunList) -> None:
    """Pick one run to use, download, rename or delete; then the server's retention policy, if any."""
    ids = runs.ids
    keep_valid("manage_run", ids)
    run_id = st.selectbox(t("evaluate.manage_pick"), ids, format_func=runs.label, key="manage_run")
    if message := st.session_state.pop("manage_message", None):
        getattr(st, message[0])(message[1])
    if run_id is not None:
        manage_run(runs.by_id[run_id], runs.me)
    policy = housekeeping.retention_from_env()
    if policy.active:
        st.caption(
            t(
                "evaluate.retention",
                runs=policy.max_runs or "∞",
                mb=round(policy.max_bytes / 2**20) if policy.max_bytes else "∞",
            )
        )


def downloads(info: run_store.RunInfo) -> None:
    """The model, its history and its settings as files; the data is read only when a button is clicked."""
    run = info.run
    slug = user_text.file_stem(run_name(info), fallback=info.id)
    files = [  # (what, data, file name, type, whether there is something to download)
        ("model", run.portable_model_bytes, f"{slug}.keras", "application/octet-stream", info.has_checkpoint),
        ("history", lambda: run_tables.history_csv(run.history()), f"{slug}-history.csv", "text/csv", info.history),
        (
            "config",
            lambda: info.config.to_json() if info.config else "{}",
            f"{slug}-config.json",
            "application/json",
            info.config is not None,
        ),
    ]
    for column, (what, data, file_name, mime, available) in zip(st.columns(len(files)), files, strict=True):
        column.download_button(
            t(f"evaluate.download_{what}"),
            data=data,
            file_name=file_name,
            mime=mime,
            disabled=not available,
            on_click="ignore",
            key=f"download_{what}",
        )


def manage_run(info: run_store.RunInfo, me: str) -> None:
    """One run: use it, take it home, and (only a student's own finished run) rename or delete it."""
    run = info.run
    if info.has_checkpoint:
        use_run_button(run, key="manage_use")
    downloads(info)
    st.caption(t("evaluate.tensorboard"))
    get_code_buttons(info.config, run_name(info), key="manage_code")  # the run as Keras code to take home

    if info.owner != me or not info.owner or is_default(run):
        st.caption(t("evaluate.not_yours"))
        return
    if info.state in run_store.ACTIVE_STATES:
        st.caption(t("evaluate.active_no_edit"))
        return
    rename_key = f"rename_{info.id}"
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.text_input(t("evaluate.rename_label"), value=info.name, max_chars=housekeeping.MAX_NAME_LENGTH, key=rename_key)
    right.button(t("evaluate.rename"), on_click=rename, args=(run, rename_key), key="rename_button")
    confirm = st.checkbox(t("evaluate.delete_confirm", name=plain(run_name(info))), key=f"confirm_delete_{info.id}")
    st.button(t("evaluate.delete"), on_click=delete, args=(run,), disabled=not confirm, key="delete_button")
