#!/usr/bin/env bash
# Set everything up and open the course in JupyterLab, at the index notebook.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS=lab bash scripts/setup.sh
args=()
[ "$(id -u)" = 0 ] && args+=(--allow-root)     # JupyterLab refuses to run as root otherwise
exec .venv/bin/jupyter lab "${args[@]}" "$@" notebooks/index.ipynb
