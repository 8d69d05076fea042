"""The process-wide training queue: one queue, two backends that execute its runs.

The Streamlit server holds one `TrainingQueue` (via `st.cache_resource`).
`submit` only writes a queued run folder (trimmed to the teacher's class
budget) and returns its `Run`; a single scheduler thread hands the oldest
waiting run to the backend whenever it has a free slot, and records how
each run ended. Training never happens in the server process.

Backends (`core.services.backends`):
- `local` (default): one worker process per run on this machine
  (`python -m core.train --run-dir ...`), `CNN_LAB_MAX_PARALLEL` at once.
- `dask`: one Dask task per run on the school's cluster
  (`CNN_LAB_DASK_SCHEDULER`, or `dask_scheduler` in `.streamlit/secrets.toml`).
  When the scheduler cannot be reached at start, or is lost later, the queue
  carries on with `local`; `notice` then says so in one translatable
  sentence. Runs still waiting simply train locally; runs that were
  training on the cluster end `interrupted` with what reached the server.
  The queue tries the scheduler again every `RECONNECT_EVERY` seconds and
  goes back to it by itself (the teacher never restarts the app).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from core.lesson.config import RunConfig
from core.messages import CoreMessage, Message
from core.services import class_budget, housekeeping, run_store
from core.services.backends.local import LocalBackend
from core.services.run_store import Run

log = logging.getLogger(__name__)
RECONNECT_EVERY = 10.0  # seconds between two attempts to reach a lost or unreachable scheduler
RELOAD_EVERY = 300.0  # ... after it could not load the training task (its Python or Dask differ)
DEFAULT_EPOCH_SECONDS_PER_IMAGE = 14.1 / 48_000
"""The Lesson model took 14.1 s per epoch of 48,000 images on the 2-core development machine (measured
2026-12-02); used until runs have finished on this server."""


class QueueFull(CoreMessage):
    """A student already has as many runs waiting or training as allowed (`queue_full`, with the `limit`)."""


class TrainingQueue:
    """Runs training jobs on a backend, in the order they were submitted.

    Args:
        root: the runs folder (default `run_store.runs_dir()`).
        max_parallel: local runs training at the same time. Default 1: one run keeps two cores busy.
        max_per_owner: runs one owner may have queued or training. Default 2.
        stop_grace: seconds a local worker has to stop after a stop request before it is killed.
        poll: seconds between two looks at the workers. Default 0.3.
        dask_scheduler: a Dask scheduler address (`tls://host:8786`); None or "" trains locally.
        dask_security: Dask's `Security` with the class key, for a `tls://` address.
    """

    def __init__(
        self,
        root: Path | None = None,
        max_parallel: int = 1,
        max_per_owner: int = 2,
        stop_grace: float = 30.0,
        poll: float = 0.3,
        dask_scheduler: str | None = None,
        dask_security=None,
    ):
        self.root = Path(root or run_store.runs_dir())
        self.max_parallel = max_parallel
        self.max_per_owner = max_per_owner
        self.poll = poll
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._pending: list[Run] = []
        self._owners: dict[Run, str] = {}  # who submitted each waiting or training run
        self._creating: list[str] = []  # owners of runs whose folder `submit` is making
        self._closed = False
        self.notice: Message | None = None
        self._rate = (-float("inf"), DEFAULT_EPOCH_SECONDS_PER_IMAGE)
        self.local = LocalBackend(max_parallel, stop_grace)
        self.backend = self.local
        self._retiring: list = []  # lost Dask backends whose runs are still being ended
        self._dask = (dask_scheduler, dask_security) if dask_scheduler else None
        self._next_connect = 0.0
        self._connecting: threading.Thread | None = None
        if self._dask:
            self._connect()
        run_store.mark_orphans_interrupted(self.root)
        self._thread = threading.Thread(target=self._schedule, name="training-queue", daemon=True)
        self._thread.start()

    @property
    def backend_name(self) -> str:
        return self.backend.name

    # --- what pages call -------------------------------------------------
    def submit(self, config: RunConfig, name: str = "", owner: str = "") -> Run:
        """Queue a new run, trimmed to the class budget, and return it.

        Retention and the new folder are disk work, done outside the lock that
        every page's refresh waits on; meanwhile the run already counts towards
        its owner's limit. Runs submitted at the same moment queue in the order
        their folders are ready.

        Raises:
            QueueFull: when `owner` already has `max_per_owner` active runs.
        """
        config, _trimmed = class_budget.read().apply(config)
        with self._lock:  # memory only: every page's refresh waits on this lock
            active = {*self._pending, *self._all_running()}
            self._owners = {run: who for run, who in self._owners.items() if run in active}
            mine = [who for who in [*self._owners.values(), *self._creating] if owner and who == owner]
            if len(mine) >= self.max_per_owner:
                raise QueueFull("queue_full", limit=self.max_per_owner)
            self._creating.append(owner)  # counts towards the limit while its folder is made
        try:
            housekeeping.apply_retention(self.root)  # CNN_LAB_MAX_RUNS / CNN_LAB_MAX_RUNS_MB, oldest ended first
            run = run_store.create_run(config, name=name, owner=owner, root=self.root)
        except BaseException:
            with self._lock:
                self._creating.remove(owner)
            raise
        with self._lock:
            self._creating.remove(owner)
            self._pending.append(run)
            self._owners[run] = owner
        self._wake.set()
        return run

    def position(self, run: Run | Path) -> int | None:
        """1 for the next run to start, 2 after it, ...; None when not waiting."""
        run = Run.of(run)
        with self._lock:
            return self._pending.index(run) + 1 if run in self._pending else None

    def counts(self) -> dict:
        with self._lock:
            return {"waiting": len(self._pending), "training": len(self._all_running())}

    def stop(self, run: Run | Path) -> None:
        """Stop a waiting run now, or ask a training run to stop at its next batch."""
        run = Run.of(run)
        with self._lock:
            waiting = run in self._pending
            if waiting:
                self._pending.remove(run)
            else:
                for backend in self._backends():
                    if run in backend.running():
                        backend.stop(run)
        if waiting:
            run.set_status("stopped", [Message("stopped_before_start")])
            return
        run.request_stop()
        self._wake.set()

    def cluster(self) -> list[dict]:
        """Where runs train: one row per slot, `{"worker", "cores", "run" (Run or None), "refused"}`."""
        with self._lock:
            rows = [dict(row) for row in self.backend.slots()]
            if self.backend is not self.local:
                rows += [dict(row) for row in self.local.slots() if row["run"] is not None]
        return rows

    def schedule(self, now: float | None = None) -> dict:
        """Estimated start and end of every waiting run: `{"starts": {run id: t}, "last_end": t, "slots": n}`."""
        now = time.time() if now is None else now
        with self._lock:
            pending = list(self._pending)
            running = self._all_running()
            slots = max(1, len(self._usable_slots()))
        if now - self._rate[0] > 30:  # reading every run's history costs; thirty pages ask every second
            self._rate = (now, seconds_per_image_epoch(self.root))
        per_image = self._rate[1]
        busy = sorted(now + remaining_seconds(run, per_image, now) for run in running)
        free = sorted(busy + [now] * max(0, slots - len(busy)))[:slots]
        starts, ends = estimate_schedule(free, [expected_seconds(run, per_image) for run in pending])
        return {
            "starts": {run.id: start for run, start in zip(pending, starts, strict=True)},
            "last_end": max([*ends, *busy]) if (pending or running) else None,
            "slots": slots,
        }

    def close(self, timeout: float = 10.0) -> None:
        """End the scheduler and every worker (tests and shutdown)."""
        self._closed = True
        self._wake.set()
        self._thread.join(timeout)

    @property
    def dask_address(self) -> str | None:
        """The class cluster's scheduler this queue uses or tries to reach, or None."""
        return self._dask[0] if self._dask else None

    # --- the scheduler thread ---------------------------------------------
    def _backends(self):
        found = [self.backend, self.local, *self._retiring]
        return [backend for i, backend in enumerate(found) if backend not in found[:i]]

    def _connect(self) -> None:
        """Reach the Dask scheduler (never under the lock); train locally while it is away."""
        from core.services.backends.dask_cluster import DaskBackend, SchedulerUnreachable

        address, security = self._dask
        backend = None
        try:
            backend = DaskBackend(address, security)
            backend.refresh_workers()
        except SchedulerUnreachable as err:
            log.warning("dask scheduler %s: %s (%s); training locally", address, err.message, err)
            if self.notice is None or err.message.key != "dask_unreachable":  # "it stopped answering" stays
                self.notice = err.message
            self._next_connect = time.monotonic() + RECONNECT_EVERY
            return
        except Exception as err:  # noqa: BLE001 - it went away between connecting and listing its workers
            log.warning("dask scheduler %s: %r; training locally", address, err)
            if backend is not None:
                backend.close()  # no run was sent: this only closes its client
            self._next_connect = time.monotonic() + RECONNECT_EVERY
            return
        with self._lock:
            self.backend = backend
            self.notice = None
        log.info("training queue: connected to the Dask scheduler %s", address)

    def _reconnect_if_due(self) -> None:
        """Try the scheduler again in a thread of its own: a connection attempt may take seconds."""
        if not self._dask or self.backend is not self.local or time.monotonic() < self._next_connect:
            return
        if self._connecting is None or not self._connecting.is_alive():
            self._next_connect = time.monotonic() + RECONNECT_EVERY
            self._connecting = threading.Thread(target=self._connect, name="dask-reconnect", daemon=True)
            self._connecting.start()

    def _all_running(self) -> list[Run]:
        return [run for backend in self._backends() for run in backend.running()]

    def _usable_slots(self) -> list[dict]:
        return [row for row in self.backend.slots() if not row.get("refused")]

    def _schedule(self) -> None:
        while not self._closed:
            try:
                self._reconnect_if_due()
                self._reap()
                self._start_pending()
            except Exception:  # a full disk or a vanished folder must not stop the queue for everyone
                log.exception("training queue: a pass failed; carrying on")
            self._wake.wait(self.poll)
            self._wake.clear()
        with self._lock:
            for backend in self._backends():
                for run, state, message in backend.close():
                    _settle(run, state, message)

    def _reap(self) -> None:
        with self._lock:
            ended = [outcome for backend in self._backends() for outcome in backend.reap()]
            again = [run for run, state, _message in ended if state == "queued"]  # the cluster could not load it
            self._pending[:0] = again
            if self.backend.lost is not None:  # the Dask scheduler went away: carry on here until it is back
                lost = self.backend.lost
                log.warning("training queue: %s; training locally until the scheduler is back", lost)
                self.notice = lost
                self._retiring.append(self.backend)
                self.backend = self.local
                wait = RELOAD_EVERY if lost.key == "dask_task_unloadable" else RECONNECT_EVERY
                self._next_connect = time.monotonic() + wait
            done = [b for b in self._retiring if b is not self.backend and not b.running()]
            self._retiring = [b for b in self._retiring if b not in done]
        for backend in done:
            backend.close()
        for run, state, message in ended:  # status files are written outside the lock
            if state == "queued":
                run.set_status("queued", [message])
            else:
                _settle(run, state, message)

    def _start_pending(self) -> None:
        with self._lock:
            while self._pending and self.backend.free_slots() > 0:
                run = self._pending.pop(0)
                try:
                    self.backend.start(run)
                except OSError as err:
                    _settle(run, "failed", Message("worker_not_started", {"reason": err.strerror or str(err)}))
                except Exception as err:  # noqa: BLE001 - e.g. the scheduler vanished at this very moment
                    if self.backend is self.local:
                        _settle(run, "failed", Message("worker_not_started", {"reason": str(err)}))
                    else:
                        log.warning("dask: could not submit %s (%s); it waits for the next pass", run.id, err)
                        self._pending.insert(0, run)
                        return


# ---------------------------------------------------------------- estimates


def seconds_per_image_epoch(root: Path, recent: int = 20) -> float:
    """Seconds one training image costs per epoch, from the recent finished runs here (else the lesson's figure)."""
    rates = []
    for info in run_store.list_runs(root)[: recent * 3]:
        if info.state != "finished" or not info.history or info.config is None:
            continue
        seconds = [row.get("seconds") for row in info.history if row.get("seconds")]
        if seconds:
            rates.append(sum(seconds) / len(seconds) / info.config.train.effective_train_size())
        if len(rates) >= recent:
            break
    return sorted(rates)[len(rates) // 2] if rates else DEFAULT_EPOCH_SECONDS_PER_IMAGE


def expected_seconds(run: Run, per_image: float, startup: float = 5.0) -> float:
    """A queued run's expected length: all its epochs (early stopping may end it sooner) plus start-up."""
    try:
        cfg = run.config()
    except Exception:  # noqa: BLE001 - a damaged folder: count it as one epoch
        return startup
    return startup + cfg.train.epochs * cfg.train.effective_train_size() * per_image


def remaining_seconds(run: Run, per_image: float, now: float) -> float:
    """A training run's time left: the worker's own estimate when it has one."""
    eta = run.progress().eta
    if eta is not None:
        return eta
    started = run.status().started or now
    return max(0.0, expected_seconds(run, per_image) - (now - started))


def estimate_schedule(free_at: list[float], durations: list[float]) -> tuple[list[float], list[float]]:
    """Start and end times of queued runs, in order, each on the slot that frees first."""
    slots = sorted(free_at)
    starts, ends = [], []
    for duration in durations:
        slots.sort()
        start = slots[0]
        slots[0] = start + duration
        starts.append(start)
        ends.append(start + duration)
    return starts, ends


def _settle(run: Run, state: str, message: Message) -> None:
    """Record how a worker ended, unless the worker already recorded it."""
    if run.status().active:
        messages = [message]
        if run.has_checkpoint():
            messages.append(Message("checkpoint_kept"))
        try:
            run.set_status(state, messages, ended=time.time())
        except OSError:
            log.warning("could not record that run %s %s", run.id, state)
