#!/usr/bin/env bash
# Set everything up and run all the tests: package tests, every notebook under
# nbval (strict), the Binder environment, PyTorch equivalence, the start route
# (scripts/lab.py), and the real-browser tests in JupyterLab (headless Chromium).
#   CONV1X1_NO_TORCH=1 bash scripts/test.sh   # skip installing PyTorch (its tests then skip)
#   CONV1X1_CHROMIUM=/path/to/chrome bash scripts/test.sh   # another Chromium or Chrome
#   bash scripts/test.sh -k core              # extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."
"${PYTHON:-python3}" scripts/lab.py --setup-only --extras test

if [ "${CONV1X1_NO_TORCH:-0}" != 1 ]; then
  # A plain `pip install torch==2.13.0`: nothing to do when 2.13.0 is already there (a CPU
  # build installed beforehand included); otherwise PyPI's wheel, the CUDA build on Linux x86_64.
  echo "== pip install torch==2.13.0 for the equivalence tests"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check torch==2.13.0
  export CONV1X1_REQUIRE_TORCH=1          # installed, so its tests must run, not skip
fi

if [ -z "${CONV1X1_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "!! chromium not found: the browser tests will skip (Debian/Ubuntu: sudo apt-get install -y chromium;"
    echo "   elsewhere set CONV1X1_CHROMIUM to a Chromium or Chrome executable)"
  fi
fi

echo "== running the tests"
exec .venv/bin/python -m pytest --nbval --nbval-current-env "$@"
