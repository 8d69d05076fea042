"""Shared fixtures: small IDX datasets written by the tests, a tiny trained run."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from helpers_core import HAVE_REAL_DATA, TINY_CONFIG_JSON, write_dataset

from core.lesson import data

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@pytest.fixture(scope="session", autouse=True)
def reference_cpu(tmp_path_factory):
    """Every test sees a CPU without bfloat16 instructions, the reference machine's, whatever the host.

    On a host with AVX512_BF16 the shared tiny runs would train in
    `mixed_bfloat16`, so their weights, and the float32 identities the tests
    check on them, would depend on the host. The bfloat16 path is tested where
    a test makes the CPU report it (`tests/test_numerics.py`). Training in a
    separate process (a Dask worker, a served app) still reads the real CPU.
    """
    from core.lesson import numerics

    cpuinfo = tmp_path_factory.mktemp("cpu") / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma\n", encoding="utf-8")
    patch = pytest.MonkeyPatch()
    patch.setattr(numerics, "CPUINFO", cpuinfo)
    yield
    patch.undo()


@pytest.fixture(scope="session")
def real_raw() -> data.RawData:
    if not HAVE_REAL_DATA:
        pytest.skip("Fashion-MNIST is not installed")
    return data.load_raw(download=False)


@pytest.fixture(scope="session")
def tiny_dataset_dir(tmp_path_factory, real_raw) -> Path:
    """1,000 training and 300 test images of the real dataset, as IDX files."""
    rng = np.random.default_rng(0)
    tr = rng.choice(len(real_raw.train_images), 1000, replace=False)
    te = rng.choice(len(real_raw.test_images), 300, replace=False)
    return write_dataset(
        tmp_path_factory.mktemp("tiny-fmnist"),
        real_raw.train_images[tr],
        real_raw.train_labels[tr],
        real_raw.test_images[te],
        real_raw.test_labels[te],
    )


@pytest.fixture(scope="session")
def tiny_splits(tiny_dataset_dir) -> data.Splits:
    return data.split(data.load_from_dir(tiny_dataset_dir))


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory, tiny_splits):
    """A finished run (`core.services.run_store.Run`) of a small model trained 2 epochs on the tiny data."""
    from core.lesson.config import RunConfig
    from core.lesson.fit_loop import train_run
    from core.services import run_store

    run = run_store.create_run(RunConfig.from_dict(TINY_CONFIG_JSON), name="tiny", root=tmp_path_factory.mktemp("runs"))
    state, messages = train_run(run, splits=tiny_splits)
    assert state == "finished", (state, [str(m) for m in messages])
    return run


@pytest.fixture
def downloads(monkeypatch) -> dict:
    """What each download button of the pages would hand out, by key: `(file_name, data)`.

    Both `st.download_button` (bound when Streamlit is imported) and a container's are recorded.
    """
    import streamlit

    from ui.streamlit_internals import DeltaGenerator

    found, real = {}, DeltaGenerator.download_button

    def recording(self, label, data, **kwargs):
        found[kwargs["key"]] = (kwargs["file_name"], data() if callable(data) else data)
        return real(self, label, data, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    main = streamlit.download_button.__self__
    monkeypatch.setattr(
        streamlit, "download_button", lambda label, data, **kwargs: recording(main, label, data, **kwargs)
    )
    return found


# ---------------------------------------------------------------- the class cluster (tests/helpers_cluster.py)


@pytest.fixture
def env(tmp_path, tiny_dataset_dir, monkeypatch) -> dict:
    """The tiny dataset, and runs and classroom folders of this test's own; what a started process inherits."""
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tiny_dataset_dir))
    monkeypatch.setenv("CNN_LAB_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("CNN_LAB_CLASSROOM_DIR", str(tmp_path / "classroom"))
    return {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}


@pytest.fixture
def cluster(tmp_path, env):
    """A stock scheduler with the class key, outside the app; add lab PCs with `cluster.lab_pc()`."""
    from helpers_cluster import Cluster

    made = Cluster(tmp_path, env)
    yield made
    made.close()


@pytest.fixture
def queues(tmp_path):
    """Make training queues on this test's runs folder (`queues(cluster)` trains on it); closed at the end."""
    from core.services.training_queue import TrainingQueue

    made = []

    def make(cluster=None, **kwargs):
        if cluster is not None:
            kwargs.update(dask_scheduler=cluster.address, dask_security=cluster.security)
        queue = TrainingQueue(root=tmp_path / "runs", poll=0.1, **kwargs)
        made.append(queue)
        return queue

    yield make
    for queue in made:
        queue.close(timeout=30)
