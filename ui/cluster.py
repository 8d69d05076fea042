"""Where the class's runs train: the backend notice, the class budget, queue places and the cluster view.

The Train page shows a student the class budget, their place in the queue and
an estimated start; the Teacher page sets the budget and shows the cluster
at a glance (workers, cores, the run each trains, the queue, when the last
queued run should finish). Pure drawing: the numbers come from
`core.services.training_queue` and `core.services.class_budget`.
"""

from __future__ import annotations

import time

import streamlit as st

from core.lesson.presets import PRESETS
from core.lesson.schema import ALL_IMAGES, BY_NAME, TRAIN_SIZES
from core.services import class_budget, run_store
from core.services.backends import class_key
from core.services.run_store import Run
from ui.i18n import language, t, t_message
from ui.state import hosted_scheduler, training_queue

KEY_FILE_NAME = "cnn-lab-class-key.pem"


def clock(when: float | None) -> str:
    return "–" if when is None else time.strftime("%H:%M", time.localtime(when))


def backend_notice() -> None:
    """One sentence when the class cluster could not be reached or was lost (no traceback)."""
    notice = training_queue().notice
    if notice is not None:
        st.warning(t_message(notice))


def budget_caption() -> None:
    """The class budget as one line on the Train page (nothing when the teacher set none)."""
    budget = class_budget.read()
    if not budget.limited:
        return
    parts = []
    if budget.max_epochs:
        parts.append(t("train.budget_epochs", epochs=budget.max_epochs))
    if budget.max_train_size:
        parts.append(t("train.budget_images", images=budget.max_train_size))
    if budget.presets:
        parts.append(t("train.budget_presets", presets=", ".join(t(f"train.preset_{p}") for p in budget.presets)))
    st.caption(t("train.budget", limits=" · ".join(parts)))


def queue_place(run: Run) -> None:
    """A waiting run's place in the queue and its estimated start."""
    queue = training_queue()
    position = queue.position(run)
    if not position:
        st.info(t("train.starting"))
        return
    start = queue.schedule()["starts"].get(run.id)
    st.info(t("train.queued", position=position) + " " + t("train.estimated_start", time=clock(start)))


def teacher_budget() -> None:
    """The class budget form (only drawn below the Teacher page's passcode check)."""
    st.subheader(t("teacher.budget_title"))
    st.caption(t("teacher.budget_help"))
    budget = class_budget.read()
    sizes = [s for s in TRAIN_SIZES if s < ALL_IMAGES]
    with st.form("teacher_budget"):
        epochs = st.number_input(
            t("teacher.budget_epochs"), 0, 100, budget.max_epochs or 0, help=t("teacher.budget_zero"), key="budget_ep"
        )
        images = st.select_slider(
            t("teacher.budget_images"),
            [0, *sizes],
            value=budget.max_train_size if budget.max_train_size in sizes else 0,
            format_func=lambda n: BY_NAME["train_size"].format(n, language()) if n else t("teacher.budget_no_limit"),
            key="budget_images",
        )
        presets = st.multiselect(
            t("teacher.budget_presets"),
            list(PRESETS),
            default=list(budget.presets) or list(PRESETS),
            format_func=lambda p: t(f"train.preset_{p}"),
            key="budget_presets",
        )
        saved = st.form_submit_button(t("teacher.budget_save"))
    if saved:
        chosen = tuple(presets) if presets and len(presets) < len(PRESETS) else ()
        class_budget.write(class_budget.Budget(int(epochs) or None, int(images) or None, chosen))
        st.session_state.teacher_notice = t("teacher.budget_saved")
        st.rerun()


def teacher_cluster() -> None:
    """Workers, their cores, the run each trains, the queue and when the last queued run should finish."""
    queue = training_queue()
    hosted = hosted_scheduler()
    if hosted is not None and hosted.problem is not None:
        st.warning(t_message(hosted.problem))
    rows = queue.cluster()
    counts = queue.counts()
    plan = queue.schedule()
    accepted = [row for row in rows if not row.get("refused")]
    st.markdown(
        t(
            "teacher.cluster_summary",
            backend=t(f"teacher.backend_{queue.backend_name}"),
            workers=len(accepted),
            cores=sum(row.get("cores") or 0 for row in accepted),
            waiting=counts["waiting"],
            last=clock(plan["last_end"]),
        )
    )
    names = {info.id: info.name for info in run_store.list_runs() if info.state in run_store.ACTIVE_STATES}
    table = [
        {
            t("teacher.col_worker"): row["worker"],
            t("teacher.col_cores"): row.get("cores"),
            t("teacher.col_training"): names.get(row["run"].id, row["run"].id) if row.get("run") else "–",
            t("teacher.col_refused"): " ".join(t_message(m) for m in row.get("refused") or []),
        }
        for row in rows
    ]
    if table:
        st.dataframe(table, hide_index=True, width="stretch", key="teacher_cluster_table")


def teacher_cluster_access() -> None:
    """How lab PCs join: whether the cluster is encrypted, a lab PC's command, and the class key (download, renew).

    Only drawn below the Teacher page's passcode check: the key lets a machine run code on every lab PC.
    """
    queue = training_queue()
    hosted = hosted_scheduler()
    address = queue.dask_address
    st.subheader(t("teacher.join_title"))
    if address is None:
        st.info(t("teacher.cluster_off"))
        st.code("bash scripts/run.sh --cluster", language="bash")
        return
    if not address.startswith("tls://"):
        st.warning(t("teacher.cluster_open", address=address))
        return
    key = class_key.ensure()
    st.success(t("teacher.cluster_encrypted", key_id=class_key.short_id(key)))
    target = f"{hosted.lab_pc_address()}:{hosted.port}" if hosted else address.removeprefix("tls://")
    st.caption(t("teacher.labpc_help"))
    st.code(f"bash scripts/labpc.sh {target} {KEY_FILE_NAME}", language="bash")
    st.download_button(
        t("teacher.key_download"),
        key.read_bytes(),
        file_name=KEY_FILE_NAME,
        mime="application/x-pem-file",
        key="teacher_key_download",
    )
    st.caption(t("teacher.key_guard"))
    with st.form("teacher_key_renew"):
        sure = st.checkbox(t("teacher.key_renew_confirm"), key="teacher_key_renew_sure")
        renew = st.form_submit_button(t("teacher.key_renew"))
    if renew and sure:
        class_key.renew(key)
        if hosted is not None:
            hosted.restart()  # machines holding the old key cannot connect again; the queue reconnects
        st.session_state.teacher_notice = t("teacher.key_renewed" if hosted else "teacher.key_renewed_external")
        st.rerun()
