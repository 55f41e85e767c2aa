#!/bin/sh
# Set up .venv without starting JupyterLab (scripts/lab.py --setup-only); installs only what is missing or changed.
#   EXTRAS=lab  sh scripts/setup.sh      # what a learner needs (default: test, which includes lab)
#   PYTHON=python3.12 sh scripts/setup.sh
set -e
cd "$(dirname "$0")/.."
exec "${PYTHON:-python3}" scripts/lab.py --setup-only --extras "${EXTRAS:-test}"
