"""Thirty students without browsers: page times, server CPU and memory, with and without a run training.

Why without browsers: the browser load test (tests/browser/test_load.py)
runs its Chromium on the same two cores as the server, so its figures are
mostly Chromium's. In a classroom the browsers run on the students' own
devices; what the teacher's laptop must carry is the server alone.

What a simulated student does. It speaks Streamlit 1.67's own websocket
protocol at `/_stcore/stream` with Streamlit's protobuf messages (through
`ui.streamlit_internals`, whose test guards them), as the
frontend (`static/js/index.*.js`, `sendRerunBackMsg`) does:
- it opens the app: GETs `/` and the scripts and styles the page loads
  first, plus the Plotly chunk every page here needs (as a browser with an
  empty cache would), then opens the websocket with the `streamlit`
  subprotocol;
- its first `BackMsg.rerun_script` names the page by its URL path
  (`page_name`, "" for home) with no page hash; the server answers with
  `new_session` (the session id), `navigation` (each page's
  `page_script_hash` and `url_pathname`), `page_info_changed` (the query
  string: the app's `?me=` token, which is sent back with every later rerun)
  and, at the end of the run, `script_finished`;
- it switches page by sending `rerun_script` with that page's hash;
- on Classify it draws the way the drawable canvas sends a drawing: the
  canvas is a components-v2 widget, and a stroke sets its state, the
  widget's `json_value`, to `{"drawing": {"raw": <Fabric.js JSON>, "data":
  <PNG data URL of the 280x280 canvas>}}` (`setStateValue("drawing", ...)`
  in the component's bundle); the widget id comes from the page's
  `bidi_component` element. The page must then show the network's answer;
- it follows `auto_rerun` messages like the frontend does (a fragment rerun
  every `interval` seconds until a full run or `stop_auto_rerun`), so the
  Train page's live panel of the student who started a run refreshes.

Each student arrives within the first `--arrive` seconds, opens "/", walks
the lesson's pages in order (home, data, model, train, filters, classify
with a drawing, evaluate), then keeps opening pages at random, about one
every `--pace` seconds (uniformly 0.5x-1.5x), for `--seconds` from the
moment its app opened (so a slow opening does not shorten the walk).

Two phases, each on a fresh `streamlit run app.py` (127.0.0.1, a free port,
a temporary runs folder, the real Fashion-MNIST), so both include the cold
start a class meets:
1. no training;
2. while one Lesson run trains: a separate session opens Train and presses
   Start with the default (Lesson) settings, so the app's own queue starts
   its usual worker (`python -m core.train`, with the queue's priority), and
   stays on the page with its live panel refreshing; the students then arrive.

Printed per page: the time from sending the rerun request to the server's
`script_finished` (p50, p95, max; client and server share this machine, but
the client is idle while it waits), and errors (an exception element,
a missing page title, no answer after a drawing, a timeout or a dropped
connection). Per phase: the server's CPU seconds per page view (utime +
stime of the server process from /proc/PID/stat, workers excluded, divided
by every full rerun the students and the trainer asked for), its peak RSS
(VmHWM), how long opening the app took, and how many views showed the
"getting ready" note. Goal: p95 <= 2 s on every page with 30 students while
a run trains.

    python bench/bench_sessions.py [--students 30] [--seconds 120] [--arrive 10] [--quick]

The server is stopped by its process group (it and its worker, nothing
else) even when something fails. The last line printed is a one-line summary.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import http.client
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from websockets.asyncio.client import ClientConnection, connect  # noqa: E402

from bench.servers import healthy, memory_mb, start_app, stop_group  # noqa: E402
from core.lesson import data  # noqa: E402
from core.services import run_store  # noqa: E402
from ui.streamlit_internals import (  # noqa: E402 - Streamlit's private protocol, guarded there
    HEALTH_PATH,
    STREAM_PATH,
    BackMsg,
    ClientState,
    ContextInfo,
    ForwardMsg,
    WidgetState,
    WidgetStates,
)

PAGES = ("", "data", "model", "train", "filters", "classify", "evaluate")
DRAWING = "classify: drawing"
GOAL_P95 = 2.0  # seconds, every page, while a run trains
CANVAS_SIDE = 280  # the Classify page's canvas, in pixels
START_TIMEOUT = 120  # s until /_stcore/health answers
RUN_START_TIMEOUT = 60  # s until the pressed Start shows up as a run folder


def _english(area: str) -> dict:
    return json.loads((ROOT / "locales" / "en" / f"{area}.json").read_text(encoding="utf-8"))


TITLES = {path: _english(path or "home")["title"] for path in PAGES}  # each page's h1
ANSWER = _english("classify")["answer"].split("{")[0].replace("*", "").strip()  # "The network says:"
READY_NOTE = _english("nav").get("getting_ready", "\0")  # the warm-up note, if the app has one


# ---------------------------------------------------------------- one session's view of the protocol


@dataclass
class RunLog:
    """What one full script run sent: enough to tell the right page from a broken one."""

    run_id: str = ""
    titles: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    widgets: dict[str, str] = field(default_factory=dict)  # user key -> widget id
    done: asyncio.Event = field(default_factory=asyncio.Event)


class Session:
    """One browser-free Streamlit session: a websocket, the server's messages, one full rerun at a time.

    A reader task handles every ForwardMsg as the frontend would (it must
    keep reading, or the server's send queue for this client fills up).
    """

    def __init__(self, base_url: str):
        self.ws_url = base_url.replace("http://", "ws://", 1) + STREAM_PATH
        self.ws: ClientConnection | None = None
        self.query = ""
        self.hashes: dict[str, str] = {}  # url path -> page script hash
        self.session_id = ""
        self.page_hash = ""  # the page open now
        self.pending: RunLog | None = None  # the run we wait for
        self.collecting = RunLog()  # the run whose deltas arrive now
        self.auto_reruns: dict[str, asyncio.Task] = {}  # fragment id -> its timer
        self.fragment_reruns = 0
        self._reader: asyncio.Task | None = None

    async def open(self, timeout: float) -> None:
        self.ws = await connect(
            self.ws_url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=timeout,
            ping_interval=None,  # the frontend sends no websocket pings either
            proxy=None,
        )
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        for task in self.auto_reruns.values():
            task.cancel()
        self.auto_reruns.clear()
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader
        self.ws = None

    @property
    def connected(self) -> bool:
        return self.ws is not None and self._reader is not None and not self._reader.done()

    async def rerun(self, timeout: float, page: str | None = None, widgets=(), fragment: str = "") -> RunLog:
        """Ask for a run of `page` (a URL path; None = the page already open) and wait for its end.

        The first run of a session names its page by URL path, later ones by
        the page's script hash, as the frontend does.
        """
        state = ClientState(
            query_string=self.query,
            widget_states=WidgetStates(widgets=list(widgets)),
            fragment_id=fragment,
            is_auto_rerun=bool(fragment),
            context_info=ContextInfo(locale="en-US", timezone="Asia/Seoul", timezone_offset=-540),
        )
        if page is None:  # a rerun of the page that is open (a widget changed)
            state.page_script_hash = self.page_hash
        elif page in self.hashes:
            state.page_script_hash = self.hashes[page]
        else:
            state.page_name = page
        if fragment:  # a live panel's refresh: nothing waits for it
            await self.ws.send(BackMsg(rerun_script=state).SerializeToString())
            return RunLog()
        self.pending = RunLog()
        await self.ws.send(BackMsg(rerun_script=state).SerializeToString())
        waiter = asyncio.create_task(self.pending.done.wait())
        done, _ = await asyncio.wait({waiter, self._reader}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if waiter in done:
            return self.pending
        waiter.cancel()
        if self._reader in done:
            raise ConnectionError("the connection closed")
        raise TimeoutError(f"no script_finished within {timeout:.0f} s")

    # --- what the frontend does with each message -------------------------------------------

    async def _read(self) -> None:
        async for frame in self.ws:
            if isinstance(frame, bytes):
                self._handle(ForwardMsg.FromString(frame))

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        run = msg.metadata.run
        if kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id
            self._learn_pages(msg.new_session.app_pages)
            if not run.fragment_ids:  # a full run: its deltas replace the page
                self.collecting = self.pending if self.pending and not self.pending.done.is_set() else RunLog()
                self.collecting.run_id = run.script_run_id
                self.collecting.titles.clear()
                self.collecting.texts.clear()
                self._stop_auto_reruns(list(self.auto_reruns))
        elif kind == "navigation":  # st.navigation resolved the page: this is the page open now
            self._learn_pages(msg.navigation.app_pages)
            self.page_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._element(msg.delta.new_element)
        elif kind == "page_not_found":
            self.collecting.errors.append(f"page not found: {msg.page_not_found.page_name!r}")
        elif kind == "auto_rerun":
            self._start_auto_rerun(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            self._stop_auto_reruns(list(msg.stop_auto_rerun.fragment_ids))
        elif kind == "script_finished" and run.script_run_id == self.collecting.run_id and not run.fragment_ids:
            if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                self.collecting.errors.append("the script did not compile")
            if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:  # st.rerun(): the next run counts
                self.collecting.done.set()

    def _learn_pages(self, pages) -> None:
        for page in pages:
            self.hashes[page.url_pathname] = page.page_script_hash

    def _element(self, element) -> None:
        kind = element.WhichOneof("type")
        log = self.collecting
        if kind == "exception":
            log.errors.append(f"exception: {element.exception.type}: {element.exception.message[:160]}")
        elif kind == "heading" and element.heading.tag == "h1":
            log.titles.append(element.heading.body)
        elif kind in ("markdown", "alert"):
            log.texts.append(getattr(element, kind).body)
        elif kind in ("button", "bidi_component"):
            widget_id = getattr(element, kind).id
            log.widgets[widget_id.rsplit("-", 1)[-1]] = widget_id  # "$$ID-<hash>-<key>"

    def _start_auto_rerun(self, fragment_id: str, interval: float) -> None:
        if fragment_id and fragment_id not in self.auto_reruns:
            self.auto_reruns[fragment_id] = asyncio.create_task(self._auto_rerun(fragment_id, interval))

    def _stop_auto_reruns(self, fragment_ids) -> None:
        for fragment_id in fragment_ids:
            task = self.auto_reruns.pop(fragment_id, None)
            if task is not None:
                task.cancel()

    async def _auto_rerun(self, fragment_id: str, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            with contextlib.suppress(Exception):
                await self.rerun(0, fragment=fragment_id)
                self.fragment_reruns += 1


# ---------------------------------------------------------------- opening the app as a browser does


def page_assets(base_url: str) -> list[str]:
    """What a browser with an empty cache fetches before it opens the websocket.

    `/`, the scripts, styles and fonts that index.html names (some sixty
    module preloads), and the lazily loaded Plotly chunk (every page here
    draws a Plotly figure).
    """
    html = fetch(base_url + "/")
    assets = ["/"] + ["/" + path for path in re.findall(r'(?:src|href)="\./(static/[^"]+)"', html.decode())]
    main = next((a for a in assets if re.search(r"/static/js/index\.[\w-]+\.js$", a)), None)
    if main:
        assets += [
            "/static/js/" + name
            for name in set(re.findall(r"PlotlyChart\.[\w-]+\.js", fetch(base_url + main).decode()))
        ]
    return assets


def fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, deflate"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.read()


def fetch_in_turn(base_url: str, paths: list[str]) -> None:
    """GET each path in turn over one kept-alive connection, as a browser does."""
    address = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=120)
    try:
        for path in paths:
            connection.request("GET", path, headers={"Accept-Encoding": "gzip, deflate"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise OSError(f"GET {path}: HTTP {response.status}")
    finally:
        connection.close()


async def load_page(base_url: str, assets: list[str]) -> None:
    """The page and its scripts over six connections at once (a browser's limit per server)."""
    await asyncio.gather(*(asyncio.to_thread(fetch_in_turn, base_url, assets[i::6]) for i in range(6)))


def drawing_value(rng: random.Random) -> str:
    """The canvas widget's state after one black stroke on white, as the component sends it."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (CANVAS_SIDE, CANVAS_SIDE), (255, 255, 255, 255))
    points = [(rng.randint(40, 240), rng.randint(40, 240)) for _ in range(rng.randint(2, 5))]
    ImageDraw.Draw(image).line(points, fill=(0, 0, 0, 255), width=22, joint="curve")
    png = io.BytesIO()
    image.save(png, format="PNG")
    path = [["M", *points[0]], *(["L", *p] for p in points[1:])]
    raw = {
        "version": "6.0.0",
        "objects": [{"type": "Path", "stroke": "#000000", "strokeWidth": 22, "fill": None, "path": path}],
        "background": "#FFFFFF",
    }
    url = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()
    return json.dumps({"drawing": {"raw": raw, "data": url}})


# ---------------------------------------------------------------- the students


@dataclass
class View:
    page: str  # a URL path, or DRAWING
    seconds: float
    error: str = ""
    ready_note: bool = False
    ended: float = field(default_factory=time.monotonic)  # when the answer came (time.monotonic)


@dataclass
class Phase:
    name: str
    views: list[View] = field(default_factory=list)
    page_loads: list[float] = field(default_factory=list)  # seconds to fetch the page and its scripts
    websockets: list[float] = field(default_factory=list)  # seconds to open the websocket after that
    stalls: list[float] = field(default_factory=list)  # seconds /_stcore/health took, polled twice a second
    extra_reruns: int = 0  # full reruns by the session that started the run
    fragment_reruns: int = 0
    cpu_seconds: float = 0.0
    memory: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def check(log: RunLog, page: str) -> str:
    """Why a view is wrong ("" when it shows its page and no error)."""
    if log.errors:
        return log.errors[0]
    if page == DRAWING:
        return "" if any(text.replace("*", "").startswith(ANSWER) for text in log.texts) else "no answer shown"
    return "" if TITLES[page] in log.titles else f"title {TITLES[page]!r} not shown (got {log.titles[:2]})"


async def timed_view(session: Session, phase: Phase, shown: str, timeout: float, **rerun) -> RunLog | None:
    """One rerun that should show `shown` (a URL path or DRAWING), timed and checked.

    A failed one closes the session: the student reloads the tab next.
    """
    started = time.monotonic()
    try:
        log = await session.rerun(timeout, **rerun)
    except (TimeoutError, ConnectionError, OSError) as err:
        phase.views.append(View(shown, time.monotonic() - started, f"{type(err).__name__}: {err}"[:120]))
        await session.close()
        return None
    ready = any(READY_NOTE in text for text in log.texts)
    phase.views.append(View(shown, time.monotonic() - started, check(log, shown), ready))
    return log


async def open_app(session: Session, phase: Phase, base_url: str, assets: list[str], timeout: float) -> bool:
    """Load the page and its scripts, then open the websocket; each timed."""
    started = time.monotonic()
    try:
        await load_page(base_url, assets)
        loaded = time.monotonic()
        await session.open(timeout)
    except Exception as err:  # the student sees an error page; counted, and tried again later
        phase.views.append(View("", time.monotonic() - started, f"opening: {type(err).__name__}: {err}"[:120]))
        return False
    phase.page_loads.append(loaded - started)
    phase.websockets.append(time.monotonic() - loaded)
    return True


def next_page(step: int, current: str, rng: random.Random) -> str:
    """The lesson's order first, then any page but the one open."""
    if step < len(PAGES):
        return PAGES[step]
    return rng.choice([p for p in PAGES if p != current])


async def student(index: int, base_url: str, assets: list[str], phase: Phase, args) -> None:
    """Arrive, open the app, then walk the pages for `args.seconds` (counted from when the app opened)."""
    rng = random.Random(index)
    await asyncio.sleep(rng.uniform(0, args.arrive))
    session = Session(base_url)
    page, step, end, failed_opens = "", 0, None, 0
    try:
        while end is None or time.monotonic() < end:
            # arriving, or reloading the tab after a failure: open the next page's address
            if not session.connected and not await open_app(session, phase, base_url, assets, args.timeout):
                failed_opens += 1
                if end is None and failed_opens >= 3:
                    return  # never got in; each failure is counted as an error
                await asyncio.sleep(args.pace)
                continue
            end = end or time.monotonic() + args.seconds
            page = next_page(step, page, rng)
            step += 1
            log = await timed_view(session, phase, page, args.timeout, page=page)
            if log is not None and page == "classify" and "canvas" in log.widgets:
                await asyncio.sleep(rng.uniform(2, 5))  # drawing takes a moment
                canvas = WidgetState(id=log.widgets["canvas"], json_value=drawing_value(rng))
                await timed_view(session, phase, DRAWING, args.timeout, widgets=[canvas])
            elif log is not None and page == "classify":
                phase.views.append(View(DRAWING, 0.0, "no canvas widget on the page"))
            await asyncio.sleep(rng.uniform(0.5, 1.5) * args.pace)
    finally:
        phase.fragment_reruns += session.fragment_reruns
        await session.close()


async def start_lesson_run(base_url: str, runs_dir: Path, phase: Phase, timeout: float) -> Session:
    """A session opens Train and presses Start with the default (Lesson) settings; it stays on the page."""
    from core.lesson.presets import PRESETS

    session = Session(base_url)
    await session.open(timeout)
    log = await session.rerun(timeout, page="train")
    if check(log, "train") or "start" not in log.widgets:
        raise RuntimeError(f"the Train page shows no Start button: {check(log, 'train') or sorted(log.widgets)}")
    press = WidgetState(id=log.widgets["start"], trigger_value=True)
    await session.rerun(timeout, page="train", widgets=[press])
    phase.extra_reruns += 2
    deadline = time.monotonic() + RUN_START_TIMEOUT
    while not run_store.list_runs(runs_dir):
        if time.monotonic() > deadline:
            raise RuntimeError("pressing Start made no run folder")
        await asyncio.sleep(0.2)
    (run,) = run_store.list_runs(runs_dir)
    if run.config != PRESETS["lesson"]:
        phase.notes.append(f"the run is NOT the Lesson preset: {run.config}")
    return session


def training_note(runs_dir: Path, started: float) -> str:
    """When the run's worker started (vs `started`, a time.time()), and how far it got."""
    runs = run_store.list_runs(runs_dir)
    if not runs or runs[0].status.started is None:
        return "the run's worker never started"
    progress = runs[0].run.progress()
    return (
        f"run training: worker started {runs[0].status.started - started:+.0f} s after the phase began; "
        f"epoch {progress.epoch} of {progress.epochs} at the end"
    )


# ---------------------------------------------------------------- the server and a phase


def cpu_seconds(pid: int) -> float:
    """utime + stime of one process (all its threads, not its children), from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(tmp: Path, dataset: Path) -> tuple[subprocess.Popen, str]:
    """`start_app` on a temporary runs and classroom folder and the real dataset, once it answers its health check."""
    env = {
        "CNN_LAB_RUNS_DIR": str(tmp / "runs"),
        "CNN_LAB_CLASSROOM_DIR": str(tmp / "classroom"),
        "FASHION_MNIST_DIR": str(dataset),
    }
    proc, base_url = start_app(tmp / "server.log", env)  # its own process group: stopping it reaches it and its worker
    deadline = time.monotonic() + START_TIMEOUT
    while not healthy(base_url):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_group(proc)
            raise RuntimeError(f"streamlit did not start:\n{(tmp / 'server.log').read_text()[-2000:]}")
        time.sleep(0.2)
    return proc, base_url


async def run_phase(name: str, train: bool, args, dataset: Path) -> Phase:
    phase = Phase(name)
    with tempfile.TemporaryDirectory(prefix="bench-sessions-") as tmp:
        tmp = Path(tmp)
        proc, base_url = start_server(tmp, dataset)
        trainer = None
        try:
            cpu_before = cpu_seconds(proc.pid)
            started = time.time()
            if train:
                trainer = await start_lesson_run(base_url, tmp / "runs", phase, args.timeout)
            assets = await asyncio.to_thread(page_assets, base_url)
            stop = asyncio.Event()
            watcher = asyncio.create_task(watch_health(base_url, phase, stop))
            await asyncio.gather(*(student(i, base_url, assets, phase, args) for i in range(args.students)))
            stop.set()
            await watcher
            phase.cpu_seconds = cpu_seconds(proc.pid) - cpu_before
            phase.memory = memory_mb(proc.pid)
            if trainer is not None:
                phase.fragment_reruns += trainer.fragment_reruns
                phase.notes.append(training_note(tmp / "runs", started))
        finally:
            if trainer is not None:
                await trainer.close()
            stop_group(proc)
        phase.notes += server_errors((tmp / "server.log").read_text(errors="replace"))
    return phase


def server_errors(log: str, most: int = 3) -> list[str]:
    """The exception line ending each of the first few tracebacks in the server's log."""
    found = []
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in log.splitlines()]  # no terminal colours
    for number, line in enumerate(lines):
        if "Traceback" in line:
            ending = next((x for x in lines[number + 1 :] if re.match(r"^\w+(\.\w+)*(Error|Exception)\b", x)), "?")
            found.append(f"server log: {ending[:160]}")
    return found[:most]


async def watch_health(base_url: str, phase: Phase, stop: asyncio.Event) -> None:
    """Time /_stcore/health twice a second: how long the server's event loop keeps everyone waiting."""
    while not stop.is_set():
        started = time.monotonic()
        with contextlib.suppress(OSError):
            await asyncio.to_thread(fetch, base_url + HEALTH_PATH)
        phase.stalls.append(time.monotonic() - started)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)


# ---------------------------------------------------------------- the report


def percentiles(values: list[float]) -> tuple[float, float, float]:
    if not values:
        return float("nan"), float("nan"), float("nan")
    p50, p95 = np.percentile(values, [50, 95])
    return float(p50), float(p95), float(max(values))


def label(page: str) -> str:
    return "/" + page if page in PAGES else page


def seconds(phase: Phase, page: str) -> list[float]:
    """The page's views that worked (a failed view's time says nothing about speed)."""
    return [v.seconds for v in phase.views if v.page == page and not v.error]


def report(phase: Phase, students: int) -> None:
    print(f"\n--- {phase.name}: {students} students; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'page':<22}{'views':>6}{'p50 s':>8}{'p95 s':>8}{'max s':>8}{'errors':>8}")
    for page in (*PAGES, DRAWING):
        views = [v for v in phase.views if v.page == page]
        p50, p95, top = percentiles(seconds(phase, page))
        errors = sum(bool(v.error) for v in views)
        print(f"{label(page):<22}{len(views):>6}{p50:>8.2f}{p95:>8.2f}{top:>8.2f}{errors:>8}")
    requests = len(phase.views) + phase.extra_reruns
    ready = sum(v.ready_note for v in phase.views)
    for name, values in (
        ("opening: page and scripts", phase.page_loads),
        ("opening: websocket", phase.websockets),
        ("health check (event loop)", phase.stalls),
    ):
        p50, p95, top = percentiles(values)
        print(f"{name:<28} p50 {p50:6.2f} s, p95 {p95:6.2f} s, max {top:6.2f} s")
    print(
        f"server: {phase.cpu_seconds:.1f} CPU s for {requests} page views = {phase.cpu_seconds / max(requests, 1):.3f} "
        f"CPU s/view (cold start and {phase.fragment_reruns} live-panel refreshes included); "
        f"RSS peak {phase.memory.get('VmHWM', 0):.0f} MB; views with the 'getting ready' note: {ready}"
    )
    for error in sorted({v.error for v in phase.views if v.error})[:5]:
        print(f"  error: {error}")
    for note in phase.notes:
        print(f"  {note}")


def worst(phase: Phase) -> tuple[str, float]:
    """The page with the highest p95, and that p95."""
    p95s = [(label(page), percentiles(seconds(phase, page))[1]) for page in (*PAGES, DRAWING)]
    return max(((p, v) for p, v in p95s if v == v), key=lambda item: item[1], default=("-", 0.0))


async def measure(args, dataset: Path) -> list[Phase]:
    # Enough threads that page fetches never queue in this client (a browser opens six connections of its own).
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=min(6 * args.students, 128)))
    phases = []
    if args.phase in ("both", "idle"):
        phases.append(await run_phase("no training", False, args, dataset))
    if args.phase in ("both", "training"):
        phases.append(await run_phase("while one Lesson run trains", True, args, dataset))
    return phases


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30, help="simulated students (default 30)")
    parser.add_argument("--seconds", type=float, default=120, help="how long each phase lasts (default 120)")
    parser.add_argument("--arrive", type=float, default=10, help="students arrive within this many s (default 10)")
    parser.add_argument("--pace", type=float, default=10, help="mean seconds between two pages (default 10)")
    parser.add_argument("--timeout", type=float, default=120, help="a view slower than this is an error")
    parser.add_argument("--phase", choices=("both", "idle", "training"), default="both", help="which phases to run")
    parser.add_argument("--dump", type=Path, help="also write every view to this JSON file (for a closer look)")
    parser.add_argument("--quick", action="store_true", help="a smoke test: 5 students for 25 s")
    args = parser.parse_args(argv)
    if args.quick:
        args.students, args.seconds, args.arrive = 5, 25, 5
    dataset = data.find_dataset_dir()
    if dataset is None:
        print("Fashion-MNIST is not installed: nothing to measure")
        return 1
    phases = asyncio.run(measure(args, dataset))
    if args.dump:
        args.dump.write_text(json.dumps({phase.name: [vars(v) for v in phase.views] for phase in phases}))
    summary = []
    for phase in phases:
        report(phase, args.students)
        page, p95 = worst(phase)
        errors = sum(bool(v.error) for v in phase.views)
        summary.append(f"{phase.name}: worst p95 {p95:.2f} s ({page}), {errors} errors")
    last = phases[-1]
    met = worst(last)[1] <= GOAL_P95 and not any(v.error for v in last.views)
    goal = f"goal p95 <= {GOAL_P95:.0f} s {last.name}: {'met' if met else 'NOT met'}"
    print(f"\n{args.students} students: " + "; ".join(summary) + f"; {goal}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
