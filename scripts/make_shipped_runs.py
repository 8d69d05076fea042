"""How the runs under assets/ beyond the lesson's model were made (see core/services/shipped.py).

    .venv/bin/python scripts/make_shipped_runs.py best batch_norm augmentation

Each run is timed and trains for minutes: run it alone on the machine.

`best` trains the Best preset into assets/best_run (also the last step,
"+ schedule"); a step name trains the lesson plus that step's changes
(`shipped.STEP_CHANGES`) into assets/steps/<step>. Each is `python -m core.train` on the full data (the
app's own training path); then, as for assets/default_run
(`scripts/make_default_model.sh`), the optimizer state, the live progress and
the TensorBoard logs are dropped. `--from DIR` adopts a finished run folder
(e.g. one kept by `bench/bench_presets.py --keep`) instead of training again.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.services import shipped  # noqa: E402
from core.services.run_store import Run  # noqa: E402

NAMES = {
    "best": "Best model (shipped with the app)",
    "batch_norm": "Step 2: lesson + batch norm",
    "augmentation": "Step 3: + augmentation",
    "drawings": "Drawings model (shipped with the app)",
}


def flags(changes: dict) -> list[str]:
    out = []
    for name, value in changes.items():
        flag = "--" + name.replace("_", "-")
        if value is True:
            out.append(flag)
        else:
            out += [flag, str(value)]
    return out


def finish(run_dir: Path) -> None:
    run = Run(run_dir)
    run.drop_optimizer_state()
    run.clear_progress()
    shutil.rmtree(run.log_dir, ignore_errors=True)
    run.worker_log_path.unlink(missing_ok=True)
    run.clear_stop()


def make(what: str, adopt: Path | None = None) -> Path:
    out = {"best": shipped.BEST_RUN_DIR, "drawings": shipped.DRAW_RUN_DIR}.get(what) or shipped.step_dir(what)
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    if adopt:
        shutil.copytree(adopt, out)
        run = Run(out)
        run.write_meta({**(run.meta() or {}), "id": run.id, "name": NAMES[what]})  # the id is the folder's
    else:
        changes = shipped.DRAW_CHANGES if what == "drawings" else shipped.STEP_CHANGES.get(what, {"preset": "best"})
        args = flags(changes)
        command = [sys.executable, "-m", "core.train", *args, "--out", str(out), "--name", NAMES[what], "--json"]
        subprocess.run(command, cwd=ROOT, check=True)
    finish(out)
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="+", choices=["best", "batch_norm", "augmentation", "drawings"])
    parser.add_argument("--from", dest="adopt", type=Path, help="adopt this finished run folder (one `what` only)")
    args = parser.parse_args(argv)
    for what in args.what:
        print(make(what, args.adopt), flush=True)


if __name__ == "__main__":
    main()
