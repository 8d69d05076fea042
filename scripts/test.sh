#!/usr/bin/env bash
# Install everything (with Chromium for the browser tests) and run the tests:
# bash scripts/test.sh [pytest options]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt chromium fonts-noto-cjk fonts-noto-color-emoji
exec .venv/bin/python -m pytest "$@"
