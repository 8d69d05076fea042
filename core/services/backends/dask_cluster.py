"""The `dask` backend: each run is a Dask task on a worker PC that has the resource `trainer=1`.

Server side (`DaskBackend`, one per connection): a `distributed.Client` to the
class's scheduler: the one the app hosts (`CNN_LAB_CLUSTER=host`, see
`hosted_scheduler`) or the school's own (`CNN_LAB_DASK_SCHEDULER`), with the
class key (`class_key`) for a `tls://` address. No file system is shared with the workers:

- the task (`dask_task`, what runs on the lab PC): a stock `dask scheduler`
  unpickles every task graph but has none of CNN Lab's code, so the task is
  sent by value (`by_value`) and imports `train_task` on the worker; its
  arguments are plain data or Dask objects.
- worker -> server: the task sends every update with
  `get_worker().log_event(TOPIC, ...)`; the server's `subscribe_topic` handler
  only queues it, and one server thread writes it into the real `Run` (the
  one place that writes remote updates). The best checkpoint's bytes go into a
  `distributed.Variable` after each improvement (an event says "fetch it"),
  so a lost worker costs only the epoch in progress. Kernels, history and
  the result travel as events; TensorBoard logs (zipped) and the final
  checkpoint come back as the task's result.
- server -> worker: Stop sets a `distributed.Event`, which the task looks at
  every `STOP_CHECK` seconds and passes to the training process.
- data: a worker that has Fashion-MNIST itself uses it; else the server
  scatters the uint8 arrays to it once (one future per worker, reused by
  every later run on that worker).
- isolation: the task trains in a child process
  (`python -m core.services.backends.remote_child`), so Keras's global
  state never carries from one run to the next.
- versions: a worker joins only when its `core/` hash and pinned package
  versions equal the server's (`versions.differences`); the task checks again.
- faults: runs are pinned to the worker chosen for them (no silent restart
  from scratch elsewhere). A worker that leaves ends its run `interrupted`
  with the checkpoint and history that reached the server; a lost
  scheduler ends the remote runs the same way, and the queue trains locally
  until it reconnects. A task the cluster cannot load goes back to the queue
  and trains locally. Every fault is a `Message`: Dask's own English text
  goes to the log and the run's error file, never to a page.
"""

from __future__ import annotations

import io
import logging
import queue
import threading
import time
import zipfile

from core.messages import Message
from core.services import run_store
from core.services.backends import dask_task, versions
from core.services.backends.dask_task import TOPIC, by_value, checkpoint_variable_name, stop_event_name, worker_facts
from core.services.run_store import Run

log = logging.getLogger(__name__)


class SchedulerUnreachable(Exception):
    """The scheduler could not be reached, or refused this app's class key; `message` says which."""

    def __init__(self, message: Message, detail: str):
        super().__init__(detail)
        self.message = message


def _refused_key(err: Exception) -> bool:
    """Whether a failed connection was a TLS refusal (another class key) rather than nobody answering."""
    text = f"{type(err).__name__} {err}".lower()
    return "certificate" in text or "ssl" in text


def _code_missing(err: BaseException) -> bool:
    """Whether a worker could not load CNN Lab's code: no, another or a broken checkout.

    A worker that cannot unpickle a function sends the error back as a plain `Exception` holding its text.
    """
    if isinstance(err, (ImportError, AttributeError, FileNotFoundError)):
        return True
    return any(name in str(err) for name in ("ModuleNotFoundError", "ImportError", "AttributeError"))


def _cannot_load(err: BaseException) -> bool:
    """Whether the scheduler could not unpickle a task (Dask raises a plain RuntimeError that says so)."""
    return isinstance(err, RuntimeError) and "deserializ" in str(err).lower()


class DaskBackend:
    """Runs on a Dask cluster, one per worker that offers `trainer=1` and has the server's code.

    Args:
        address: the scheduler, e.g. `tls://192.168.0.10:8786`.
        security: Dask's `Security` with the class key (`class_key.security`) for a `tls://` address.
        connect_timeout: seconds to reach it before giving up (the queue then trains locally).

    Raises:
        SchedulerUnreachable: when the scheduler cannot be reached or refuses the class key.
    """

    name = "dask"

    def __init__(self, address: str, security=None, connect_timeout: float = 5.0, loss_grace: float = 3.0):
        from distributed import Client

        self.address = address
        self.loss_grace = loss_grace
        try:
            self.client = Client(address, security=security, timeout=connect_timeout, set_as_default=False)
        except Exception as err:  # noqa: BLE001 - OSError, TimeoutError, TLS and comm errors alike
            key = "dask_key_refused" if _refused_key(err) else "dask_unreachable"
            raise SchedulerUnreachable(Message(key, {"address": address}), f"{type(err).__name__}: {err}") from None
        self.fingerprint = versions.fingerprint()
        self.lost: Message | None = None  # why the queue should stop sending runs here
        self._gone = False  # the scheduler stopped answering, or was restarted
        self._scheduler_id = None
        self._not_running_since = None
        self._events: queue.SimpleQueue = queue.SimpleQueue()
        self._apply_lock = threading.Lock()
        self._runs: dict[str, dict] = {}  # run id -> {"run", "future", "worker", "started"}
        self._late: dict[str, Run] = {}  # interrupted runs: a checkpoint or history already on its way still counts
        self.workers: dict[str, dict] = {}  # address -> facts, "refused" (list of differences) or None
        self._data_future: dict[str, object] = {}  # worker address -> scattered dataset
        self._raw_blob = None
        self.client.subscribe_topic(TOPIC, self._events.put)
        self._consumer = threading.Thread(target=self._consume, name="dask-events", daemon=True)
        self._consumer.start()

    # ------------------------------------------------------------ workers
    def refresh_workers(self) -> None:
        """Look at who joined or left; check every newcomer's code and packages once."""
        # Not `Client.scheduler_info()`: its cached copy is overwritten by a periodic update that lists no workers.
        identity = self.client.sync(self.client.scheduler.identity, n_workers=-1)
        self._scheduler_id = self._scheduler_id or identity.get("id")
        if identity.get("id") != self._scheduler_id:
            # The client reconnected by itself to a restarted scheduler, which knows none of our
            # tasks, events or checkpoints: this connection is over (the queue makes a new one).
            self._mark_gone()
            return
        info = identity["workers"]
        for address in list(self.workers):
            if address not in info:
                del self.workers[address]
                self._data_future.pop(address, None)
        for address, worker in info.items():
            if address in self.workers or not (worker.get("resources") or {}).get("trainer"):
                continue
            try:
                facts = self.client.run(worker_facts, workers=[address], on_error="raise")[address]
            except Exception as err:  # noqa: BLE001 - no CNN Lab there, or it is still starting
                if not _code_missing(err):
                    log.warning("dask: could not check worker %s yet: %r", address, err)
                    continue  # look again next pass
                log.warning("dask worker %s cannot run CNN Lab's code: %r", address, err)
                facts = {"fingerprint": {}, "cores": worker.get("nthreads"), "has_data": False}
                facts["refused"] = [Message("worker_cannot_load")]
            else:
                facts["refused"] = versions.differences(self.fingerprint, facts["fingerprint"]) or None
            if facts["refused"]:
                log.warning("dask worker %s refused: %s", address, "; ".join(map(str, facts["refused"])))
            self.workers[address] = facts

    def _busy_workers(self) -> set[str]:
        return {entry["worker"] for entry in list(self._runs.values())}

    def free_workers(self) -> list[str]:
        busy = self._busy_workers()
        return [a for a, f in sorted(self.workers.items()) if not f["refused"] and a not in busy]

    def free_slots(self) -> int:
        return len(self.free_workers())

    def running(self) -> list[Run]:
        return [entry["run"] for entry in list(self._runs.values())]

    def slots(self) -> list[dict]:
        by_worker = {entry["worker"]: entry["run"] for entry in list(self._runs.values())}
        return [
            {"worker": address, "cores": facts.get("cores"), "run": by_worker.get(address), "refused": facts["refused"]}
            for address, facts in sorted(self.workers.items())
        ]

    # ------------------------------------------------------------ runs
    def _dataset_for(self, address: str):
        """None when the worker has its own Fashion-MNIST; else the dataset scattered to it (once)."""
        if self.workers[address].get("has_data"):
            return None
        if address not in self._data_future:
            if self._raw_blob is None:
                from core.lesson import data
                from core.services.backends.remote_child import raw_to_bytes

                self._raw_blob = raw_to_bytes(data.load_raw(download=False))  # uint8, ~55 MB for the full set
            self._data_future[address] = self.client.scatter(self._raw_blob, workers=[address], hash=False)
        return self._data_future[address]

    def start(self, run: Run) -> None:
        address = self.free_workers()[0]
        config = run.config().to_dict()
        dataset = self._dataset_for(address)
        future = self.client.submit(
            by_value(dask_task.__name__, "train_task"),
            run.id,
            config,
            self.fingerprint,
            dataset,
            key=f"cnn-lab-train-{run.id}",
            workers=[address],
            allow_other_workers=False,  # never restarted from scratch elsewhere behind the student's back
            resources={"trainer": 1},
            pure=False,
            retries=0,
        )
        with self._apply_lock:
            self._runs[run.id] = {"run": run, "future": future, "worker": address, "started": time.time()}
        run.set_status(
            "running", [Message("status_sent", {"worker": address})], pid=None, backend="dask", worker=address
        )

    def stop(self, run: Run) -> None:
        from distributed import Event

        if run.id in self._runs:
            run.request_stop()
            Event(stop_event_name(run.id), client=self.client).set()

    def reap(self) -> list[tuple[Run, str, Message]]:
        """Finish runs whose task ended; end those whose worker or scheduler is gone.

        A run whose task the cluster could not load comes back as `(run, "queued", message)`:
        the queue trains it locally, and this backend counts as lost.
        """
        ended = []
        if self._check_lost():
            for entry in list(self._runs.values()):
                self._forget(entry, late=True)
                ended.append((entry["run"], "interrupted", Message("scheduler_lost_running")))
            return ended
        try:
            self.refresh_workers()
        except Exception as err:  # noqa: BLE001 - the scheduler went away between two calls
            log.warning("dask: could not list the workers: %s", err)
            return ended
        for entry in list(self._runs.values()):
            future, run = entry["future"], entry["run"]
            if future.status == "finished":
                try:
                    outcome = future.result(timeout=60)
                except Exception as err:  # noqa: BLE001
                    outcome = {"exception": err}
                self._forget(entry)
                ended.extend(self._finish(run, entry["worker"], outcome))
            elif future.status == "error":
                err = future.exception(timeout=10)
                self._forget(entry, late=True)
                if type(err).__name__ == "KilledWorker":
                    ended.append((run, "interrupted", Message("worker_lost", {"worker": entry["worker"]})))
                elif _cannot_load(err):
                    log.warning("dask: the cluster cannot load the training task: %s", err)
                    self.lost = Message("dask_task_unloadable", {"address": self.address})
                    ended.append((run, "queued", Message("retry_locally")))
                else:
                    ended.append(self._failed(run, entry["worker"], err))
            elif future.status in ("cancelled", "lost"):
                self._forget(entry, late=True)
                ended.append((run, "interrupted", Message("worker_lost", {"worker": entry["worker"]})))
            elif entry["worker"] not in self.workers:
                future.cancel()
                self._forget(entry, late=True)
                ended.append((run, "interrupted", Message("worker_lost", {"worker": entry["worker"]})))
        return ended

    def _check_lost(self) -> bool:
        if self._gone:
            return True
        if self.client.status == "running":
            self._not_running_since = None
            return False
        self._not_running_since = self._not_running_since or time.monotonic()
        if self.client.status in ("closed", "closing") or time.monotonic() - self._not_running_since > self.loss_grace:
            self._mark_gone()
            return True
        return False

    def _mark_gone(self) -> None:
        self._gone = True
        self.lost = Message("dask_lost", {"address": self.address})
        threading.Thread(target=self._close_client, daemon=True).start()

    def _forget(self, entry: dict, late: bool = False) -> None:
        run_id = entry["run"].id
        with self._apply_lock:
            self._runs.pop(run_id, None)
            if late:
                self._late[run_id] = entry["run"]
        # The scheduler holds the latest checkpoint (~4 MB) until it is deleted; a checkpoint
        # already on its way for an interrupted run gets a little time to arrive first.
        timer = threading.Timer(30.0 if late else 0.0, self._drop_checkpoint_variable, args=(run_id,))
        timer.daemon = True
        timer.start()

    def _drop_checkpoint_variable(self, run_id: str) -> None:
        from distributed import Variable

        self._late.pop(run_id, None)
        if self.client.status == "running":
            try:
                Variable(checkpoint_variable_name(run_id), client=self.client).delete()
            except Exception:  # noqa: BLE001 - the scheduler went away: so did the variable
                pass

    @staticmethod
    def _failed(run: Run, worker: str, err: BaseException) -> tuple[Run, str, Message]:
        """A task that raised: the details go to the log and the run's error file, a sentence to the page."""
        log.warning("dask: run %s failed on %s: %r", run.id, worker, err)
        try:
            run.write_error(f"{type(err).__name__}: {err}")
        except OSError:
            pass
        return run, "failed", Message("cluster_task_failed", {"worker": worker})

    def _finish(self, run: Run, worker: str, outcome: dict) -> list[tuple[Run, str, Message]]:
        if "exception" in outcome:
            return [self._failed(run, worker, outcome["exception"])]
        if outcome.get("refused"):
            refused = [Message.from_json(item) for item in outcome["refused"]]
            self.workers.setdefault(worker, {"cores": None})["refused"] = refused
            run.set_status("failed", [Message("worker_refused", {"worker": worker}), *refused], ended=time.time())
            return []
        if outcome.get("log"):
            with open(run.worker_log_path, "ab") as handle:
                handle.write(outcome["log"])
        if outcome.get("history"):
            run.write_history(outcome["history"])
        if outcome.get("checkpoint"):
            run.write_checkpoint_bytes(outcome["checkpoint"])
        if outcome.get("tensorboard"):
            with zipfile.ZipFile(io.BytesIO(outcome["tensorboard"])) as archive:
                archive.extractall(run.log_dir)
        if outcome.get("error"):
            run.write_error(outcome["error"])
        if outcome.get("result"):
            run.write_result(outcome["result"])
        state = outcome.get("state")
        if state:
            messages = [Message.from_json(m) for m in outcome.get("messages") or []]
            run.set_status(state, messages, ended=time.time())
            return []
        code = outcome.get("returncode")
        if code is not None and code < 0:
            return [(run, "interrupted", Message("worker_killed"))]
        return [(run, "failed", Message("worker_exit_code", {"code": code}))]

    # ------------------------------------------------------------ events from the workers
    def _consume(self) -> None:
        while True:
            event = self._events.get()
            if event is None:
                return
            try:
                self._apply(event[1])
            except Exception:  # a full disk or a vanished folder must not stop the other runs' updates
                log.exception("dask: could not apply an update")

    def _apply(self, message: dict) -> None:
        with self._apply_lock:
            entry = self._runs.get(message.get("run"))
            kind, data = message["kind"], message["data"]
            if entry is not None:
                run = entry["run"]
            elif message.get("run") in self._late and kind in ("history", "kernels", "checkpoint"):
                run = self._late[message["run"]]  # sent before its worker was lost: keep what it learned
            else:
                return  # another server's run, or one already ended: never written into a folder here
            if kind == "progress":
                run.write_progress(run_store.Progress.from_json(data))
            elif kind == "history":
                run.write_history(data)
            elif kind == "kernels":
                import numpy as np

                with np.load(io.BytesIO(data["npz"])) as arrays:
                    run.save_kernels(int(data["epoch"]), {key: arrays[key] for key in arrays.files})
            elif kind == "status":
                messages = [Message.from_json(m) for m in data["messages"]]
                run.set_status(data["state"], messages, **data.get("extra", {}))
            elif kind == "result":
                run.write_result(data)
            elif kind == "error":
                run.write_error(data)
            elif kind == "checkpoint":
                from distributed import Variable

                blob = Variable(checkpoint_variable_name(run.id), client=self.client).get(timeout=30)
                run.write_checkpoint_bytes(blob)

    def _close_client(self) -> None:
        try:
            self.client.close(timeout=2)
        except Exception:  # noqa: BLE001 - it is gone anyway
            pass

    def close(self) -> list[tuple[Run, str, Message]]:
        ended = []
        for entry in list(self._runs.values()):
            entry["future"].cancel()
            self._forget(entry)
            ended.append((entry["run"], "interrupted", Message("server_shut_down")))
        self._events.put(None)
        self._close_client()
        return ended
