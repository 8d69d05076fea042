#!/usr/bin/env bash
# How assets/default_run (the model the app uses before anyone has trained) was made:
# the lesson's exact settings on the full data, then the optimizer state dropped.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf assets/default_run
.venv/bin/python -m core.train --out assets/default_run --name "Lesson model (shipped with the app)" --json
# Keep what the app reads: no live progress, no TensorBoard logs (a shipped model is never trained further).
.venv/bin/python -c "
import shutil
from core.services.run_store import Run
run = Run('assets/default_run')
run.drop_optimizer_state()
run.clear_progress()
shutil.rmtree(run.log_dir, ignore_errors=True)
"
