#!/usr/bin/env bash
# Install everything and start the app: bash scripts/run.sh [--cluster] [streamlit options]
# --cluster also hosts the class's Dask scheduler (TLS, port 8786 or $CNN_LAB_CLUSTER_PORT) for the lab PCs.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--cluster" ]; then
  export CNN_LAB_CLUSTER=host
  shift
fi
bash scripts/setup.sh requirements.txt
exec .venv/bin/streamlit run app.py "$@"
