#!/usr/bin/env bash
# Install what CNN Lab needs into .venv: Debian packages where apt is available
# (the dataset, and for the tests Chromium), then the pinned Python packages.
# Usage: scripts/setup.sh [requirements file] [extra Debian packages...]
set -euo pipefail
cd "$(dirname "$0")/.."
requirements=${1:-requirements.txt}
shift || true
apt_packages=(dataset-fashion-mnist python3-venv "$@")

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r "$requirements"
