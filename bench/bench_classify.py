"""Benchmark the Classify pipeline: `python bench/bench_classify.py [--run DIR] [--runs 50] [--strict]`.

Measures, in one process, what a student waits for on the Classify page:

1. a 1000x1000 JPEG photo from bytes to answer: decode, preprocess, predict,
   saliency and Grad-CAM (`inference.read_picture` + `inference.explain`),
   p50/p95 (target: p95 < 50 ms);
2. one image through the model: the direct call the app uses
   (`inference.predict_probabilities`), Keras's eager `model(x)`, and the
   baseline `model.predict` (target: predict / direct >= 20x);
3. 30 threads, one per student, each classifying a photo at the same moment
   (target: p95 < 500 ms).

Prints a table and exits 0 (with `--strict`, 1 when a target is missed).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from core.analysis import inference  # noqa: E402
from core.lesson import data  # noqa: E402
from core.lesson.config import RunConfig  # noqa: E402
from core.services import run_store  # noqa: E402


def photo_bytes(side: int = 1000) -> bytes:
    """A 1000x1000 JPEG like a phone photo: a garment, dark on a light, slightly noisy background."""
    try:
        garment = data.load_raw(download=False).test_images[0]
    except data.DatasetError:
        garment = np.zeros((28, 28), np.uint8)
        garment[4:24, 8:20] = 200
    rng = np.random.default_rng(0)
    page = np.clip(rng.normal(235, 6, (side, side)), 0, 255).astype(np.uint8)
    big = np.asarray(Image.fromarray(255 - garment).resize((700, 700), Image.Resampling.BICUBIC))
    page[120:820, 180:880] = np.minimum(page[120:820, 180:880], big)
    buf = io.BytesIO()
    Image.fromarray(page).convert("RGB").save(buf, "JPEG", quality=90)
    return buf.getvalue()


def timed(fn, repeats: int) -> list[float]:
    """Milliseconds of `repeats` calls, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def pipeline(model, payload: bytes):
    return inference.explain(model, inference.read_picture(payload).image)


def threaded(model, payload: bytes, threads: int, rounds: int) -> list[float]:
    """Latency of each of `threads` classifications started together, over `rounds` rounds."""
    latencies, lock = [], threading.Lock()

    def work(barrier: threading.Barrier) -> None:
        barrier.wait()
        start = time.perf_counter()
        pipeline(model, payload)
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            latencies.append(elapsed)

    for _ in range(rounds):
        barrier = threading.Barrier(threads)
        workers = [threading.Thread(target=work, args=(barrier,)) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    return latencies


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, default=run_store.DEFAULT_RUN_DIR, help="run folder (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=50, help="timed repetitions per measurement")
    parser.add_argument("--threads", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of simultaneous threads")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    run = run_store.Run(args.run)
    if run.has_checkpoint():
        model, source = run.load_model(), str(args.run)
    else:
        from core.lesson.model import build_model

        model, source = build_model(RunConfig().model), "untrained lesson architecture (no checkpoint found)"
    payload = photo_bytes()
    image28 = inference.read_picture(payload).image
    batch = inference.as_batch(image28)

    full = timed(lambda: pipeline(model, payload), args.runs)
    direct = timed(lambda: inference.predict_probabilities(model, image28), args.runs)
    eager = timed(lambda: model(batch, training=False), args.runs)
    predict = timed(lambda: model.predict(batch, verbose=0), max(10, args.runs // 5))
    crowd = threaded(model, payload, args.threads, args.rounds)
    ratio = statistics.median(predict) / statistics.median(direct)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"model: {source}; {os.cpu_count()} CPUs, load average {load:.1f}; photo {len(payload) / 1024:.0f} KB")
    print(f"{'measurement':<52} {'p50 ms':>8} {'p95 ms':>8}")
    rows = [
        ("1000x1000 JPEG -> answer + saliency + Grad-CAM", full),
        ("one image, direct call (predict_probabilities)", direct),
        ("one image, eager model(x, training=False)", eager),
        ("one image, model.predict (baseline)", predict),
        (f"{args.threads} threads at once, each a full photo", crowd),
    ]
    for name, values in rows:
        print(f"{name:<52} {percentile(values, 50):>8.1f} {percentile(values, 95):>8.1f}")
    targets = [
        ("photo to answer p95 < 50 ms", percentile(full, 95) < 50),
        (f"model.predict / direct call = {ratio:.0f}x >= 20x", ratio >= 20),
        (f"{args.threads} threads p95 < 500 ms", percentile(crowd, 95) < 500),
    ]
    for name, ok in targets:
        print(f"{'PASS' if ok else 'MISS'}  {name}")
    return 1 if args.strict and not all(ok for _, ok in targets) else 0


if __name__ == "__main__":
    sys.exit(main())
