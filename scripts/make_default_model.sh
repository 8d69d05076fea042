#!/usr/bin/env bash
# How assets/default_run (the model the app uses before anyone has trained) was made:
# the lesson's exact settings on the full data, then the optimizer state dropped.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf assets/default_run
.venv/bin/python -m core.train --out assets/default_run --name "Lesson model (shipped with the app)" --json
.venv/bin/python -c "from core import runs; runs.drop_optimizer_state('assets/default_run')"
rm -f assets/default_run/progress.json assets/default_run/worker.log
