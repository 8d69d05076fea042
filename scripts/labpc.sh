#!/usr/bin/env bash
# A lab PC that trains the class's runs: bash scripts/labpc.sh TEACHER-ADDRESS KEY-FILE [--workers N] [-- worker options]
# Installs what is missing (as scripts/setup.sh does), then keeps Dask workers connected to the
# teacher's scheduler with the class key, starting them again whenever it goes away. Ctrl-C stops.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: bash scripts/labpc.sh TEACHER-ADDRESS KEY-FILE [--workers N]" >&2
  echo "  e.g. bash scripts/labpc.sh 192.168.0.10 cnn-lab-class-key.pem (the Teacher page's Cluster tab shows yours)" >&2
  exit 2
fi
key=$(realpath "$2")
cd "$(dirname "$0")/.."
echo "$(date +%H:%M:%S) installing what is missing (the first time takes a few minutes)"
bash scripts/setup.sh requirements.txt
exec .venv/bin/python -m core.labpc "$1" "$key" "${@:3}"
