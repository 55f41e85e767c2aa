#!/usr/bin/env bash
# Set everything up and run all the tests: package tests, every notebook under
# nbval (strict), the Binder environment, PyTorch equivalence, and the
# real-browser tests in JupyterLab (headless Chromium).
#   CONV1X1_NO_TORCH=1 bash scripts/test.sh   # skip installing PyTorch (its tests then skip)
#   bash scripts/test.sh -k core              # extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

if [ "${CONV1X1_NO_TORCH:-0}" != 1 ]; then
  echo "== installing PyTorch (CPU) for the equivalence tests"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check torch==2.13.0
  export CONV1X1_REQUIRE_TORCH=1          # installed, so its tests must run, not skip
fi

if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "!! chromium not found: the browser tests will skip (install it: sudo apt-get install -y chromium)"
  fi
fi

echo "== running the tests"
exec .venv/bin/python -m pytest --nbval --nbval-current-env "$@"
