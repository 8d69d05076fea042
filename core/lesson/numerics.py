"""How a run does its arithmetic: the "fast math" path, and float32 everywhere else.

With `fast_math` on (the default) a run trains on the fastest path this
computer supports without changing what a student learns. Measured on the
2-core reference machine (AMD EPYC, AVX2, no bfloat16 instructions;
docs/benchmarks.md, "Fast math"), for the lesson's network at batch 32:

- oneDNN's kernels (`TF_ENABLE_ONEDNN_OPTS=1`, `prepare_process`).
  TensorFlow turns them on by itself only on CPUs with AVX-512 VNNI or
  newer; on this AVX2 CPU they train the same float32 network faster than
  TensorFlow's own (Eigen) kernels, about 1.9x together with the next two
  items. The switch is read once, when TensorFlow loads, so it applies to a
  training worker (a fresh process) and never to the server.
- `steps_per_execution`: Keras runs several batches per call into
  TensorFlow, so the per-batch overhead is paid once per chunk.
  Batch-level callbacks (live progress, Stop, the NaN check) then run once
  per chunk, so a chunk is kept to a fixed amount of work, `CHUNK_FLOP`:
  8 of the lesson's batches of 32, measured at 0.15 s per chunk
  (`bench/bench_training.py` prints the longest gap), well under the
  page's once-a-second refresh. 16 was no faster and doubles the gap.
- bfloat16 mixed precision (`mixed_bfloat16`: bfloat16 arithmetic, float32
  weights), only where the processor has bfloat16 instructions
  (`/proc/cpuinfo` flag `avx512_bf16` or `amx_bf16`). Without them
  TensorFlow emulates bfloat16 and an epoch takes about five times *longer*,
  so it is never assumed. The output layer stays float32
  (`core.lesson.model.build_model`), as Keras's mixed-precision guide asks.
- A larger batch for the validation pass at the end of each epoch: the
  metrics are means over the same images, so they do not change.
- Threads: see `thread_settings`, chosen by measurement.

With `fast_math` off a run trains exactly as the lesson does: float32,
TensorFlow's default kernels and threads, one batch per call.

Whatever trained a model, every model loaded for use is float32
(`core.lesson.saved_model`), so checkpoints classify the same on every
machine.

The dtype policy Keras uses for new layers is per thread; `fast_path` sets
it only while the model is built and compiled and restores it afterwards,
so nothing built later (an untrained twin, a loaded model) inherits it.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
from pathlib import Path

from core.lesson.model import forward_flops

CPUINFO = Path("/proc/cpuinfo")
BF16_FLAGS = ("amx_bf16", "avx512_bf16")
"""Either flag means the CPU computes bfloat16 natively (oneDNN uses it)."""

MIXED = "mixed_bfloat16"
FLOAT32 = "float32"

CHUNK_FLOP = 6.5e9
"""Training work per execution: 8 of the lesson's batches of 32
(3 passes x 8.3 MFLOP x 32 images x 8), measured at 0.15 s per chunk on
the 2-core reference machine and so below 1 s on a laptop six times slower."""

MAX_STEPS_PER_EXECUTION = 16
"""A cap for very small networks, whose chunks would otherwise grow long in batches."""

VALIDATION_BATCH = 500
"""Batch of the validation pass with fast math (the final evaluation uses the same)."""


# ---------------------------------------------------------------- what the CPU can do


def read_cpuinfo() -> str:
    """The text of `/proc/cpuinfo`, or "" where there is none (macOS, Windows, a sandbox)."""
    try:
        return CPUINFO.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def cpu_flags(text: str | None = None) -> frozenset[str]:
    """The CPU feature flags every core reports (x86 `flags` lines; empty when unknown)."""
    text = read_cpuinfo() if text is None else text
    per_core = [
        set(line.split(":", 1)[1].split())
        for line in text.splitlines()
        if line.split(":", 1)[0].strip() == "flags" and ":" in line
    ]
    return frozenset(set.intersection(*per_core)) if per_core else frozenset()


def bf16_flag(flags: frozenset[str] | None = None) -> str | None:
    """The flag that lets this CPU train in bfloat16 (`amx_bf16` or `avx512_bf16`), or None."""
    flags = cpu_flags() if flags is None else flags
    return next((flag for flag in BF16_FLAGS if flag in flags), None)


def _onednn_usable() -> bool:
    """TensorFlow runs bfloat16 fast only through oneDNN: not turned off, nor found off once TensorFlow loaded."""
    turned_off = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "").strip().lower() in ("0", "false", "off")
    return not turned_off and onednn_enabled() is not False


# ---------------------------------------------------------------- choosing the path


def steps_per_execution(cfg) -> int:
    """Batches per call into TensorFlow for a run config: a chunk of at most `CHUNK_FLOP` of work.

    The lesson (batch 32) gets 8; at batch 128 it gets 2; a
    chunk never holds more batches than an epoch has. A run whose learning
    rate changes batch by batch (cosine decay, warm-up: a callback sets it
    before each call) gets 1, so its schedule is not coarsened into steps.
    """
    if cfg.train.lr_schedule == "cosine" or cfg.train.warmup_epochs:
        return 1
    per_batch = 3 * forward_flops(cfg.model) * cfg.train.batch_size
    steps = math.floor(CHUNK_FLOP / per_batch) if per_batch else MAX_STEPS_PER_EXECUTION
    return max(1, min(steps, MAX_STEPS_PER_EXECUTION, cfg.train.steps_per_epoch()))


def thread_settings(cores: int | None = None) -> tuple[int, int]:
    """`(intra_op, inter_op)` threads for training: one per core in each pool.

    Chosen by measurement on the 2-core reference machine, fast path on,
    12,000-image epochs (best of 2): intra 2 / inter 2 6.6 s, TensorFlow's
    default (the same counts) 7.4 s, 2 / 1 7.7 s, 1 / 1 11.7 s. Every core
    must work inside each op; a second inter-op thread costs nothing. Set
    explicitly so the run records the counts it trained with.
    """
    cores = cores or os.cpu_count() or 1
    return cores, cores


def plan(cfg, flags: frozenset[str] | None = None) -> dict:
    """The numerics a run with this config would use here, as recorded in its result.

    Args:
        cfg: a `RunConfig`.
        flags: the CPU's flags (default: read from `/proc/cpuinfo`).

    Returns:
        `{"fast_math", "precision", "steps_per_execution", "validation_batch_size",
        "intra_op_threads", "inter_op_threads", "onednn", "cpu_bf16"}`; `cpu_bf16`
        is the flag found (None without one). Threads of 0 mean TensorFlow's
        default; `onednn` whether TensorFlow runs oneDNN's kernels here.
    """
    flag = bf16_flag(flags)
    if not cfg.train.fast_math:
        return {
            "fast_math": False,
            "precision": FLOAT32,
            "steps_per_execution": 1,
            "validation_batch_size": None,
            "intra_op_threads": 0,
            "inter_op_threads": 0,
            "onednn": onednn_enabled(),
            "cpu_bf16": flag,
        }
    intra, inter = thread_settings()
    return {
        "fast_math": True,
        "precision": MIXED if flag and _onednn_usable() else FLOAT32,
        "steps_per_execution": steps_per_execution(cfg),
        "validation_batch_size": max(VALIDATION_BATCH, cfg.train.batch_size),
        "intra_op_threads": intra,
        "inter_op_threads": inter,
        "onednn": onednn_enabled(),
        "cpu_bf16": flag,
    }


def prepare_process(cfg) -> None:
    """Before TensorFlow loads in a training process: ask for oneDNN's kernels when fast math is on.

    Does nothing when TensorFlow is already loaded (the tests, a benchmark's
    parent) or when `TF_ENABLE_ONEDNN_OPTS` is set already (a user's choice
    wins). The run's result records whether oneDNN was in force.
    """
    if cfg.train.fast_math and "tensorflow" not in sys.modules:
        os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")


def onednn_enabled() -> bool | None:
    """Whether TensorFlow runs its oneDNN kernels in this process (None before it loads, or when unknown)."""
    if "tensorflow" not in sys.modules:
        return None
    try:
        from tensorflow.python.util import _pywrap_util_port  # private, but what TensorFlow itself asks
    except ImportError:
        return None
    return bool(_pywrap_util_port.IsMklEnabled())


def _apply_threads(intra: int, inter: int) -> tuple[int, int]:
    """Set TensorFlow's thread pools if it has not started yet; return the counts in force.

    TensorFlow fixes its pools when it runs its first op: in a training
    worker (a fresh process) this is before then; in a process that already
    used TensorFlow (the tests, a benchmark) the pools stay as they are and
    the result says so.
    """
    import tensorflow as tf

    threading = tf.config.threading
    for setter, value in (
        (threading.set_intra_op_parallelism_threads, intra),
        (threading.set_inter_op_parallelism_threads, inter),
    ):
        try:
            setter(value)
        except RuntimeError:  # "cannot be modified after initialization"
            pass
    return threading.get_intra_op_parallelism_threads(), threading.get_inter_op_parallelism_threads()


@contextlib.contextmanager
def fast_path(cfg, flags: frozenset[str] | None = None):
    """Apply the numerics of `plan` while the model is built and compiled.

    Usage (`core.lesson.fit_loop`):

        with numerics.fast_path(cfg) as path:
            model = build_model(cfg.model)
            compile_model(model, cfg.train, steps_per_execution=path["steps_per_execution"])
        run.write_result({..., "numerics": path})

    Sets the thread counts (where TensorFlow still allows it) and, for
    `mixed_bfloat16`, Keras's dtype policy; the policy that was in force is
    restored on leaving, even after an error. Yields the `plan` dict with the
    thread counts actually in force.
    """
    import keras

    path = plan(cfg, flags)
    if path["fast_math"]:
        intra, inter = _apply_threads(path["intra_op_threads"], path["inter_op_threads"])
        path["intra_op_threads"], path["inter_op_threads"] = intra, inter
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(path["precision"])
    try:
        yield path
    finally:
        keras.config.set_dtype_policy(previous)
