#!/usr/bin/env bash
# Set everything up and run all the tests: package tests, every notebook under
# nbval (strict), the Binder environment, PyTorch equivalence, the start route
# (scripts/lab.py), and the real-browser tests in JupyterLab and Notebook 7 (headless Chromium), with an
# axe-core accessibility audit of every lesson (axe-core fetched from the npm registry with npm).
#   CONV1X1_NO_TORCH=1 bash scripts/test.sh   # skip installing PyTorch (its tests then skip)
#   CONV1X1_CHROMIUM=/path/to/chrome bash scripts/test.sh   # another Chromium or Chrome
#   bash scripts/test.sh -k core              # extra arguments go to pytest (to both of its runs)
set -euo pipefail
cd "$(dirname "$0")/.."
# pip does not byte-compile what it installs here (PIP_COMPILE=0; pip reads PIP_NO_COMPILE inverted):
# Python compiles what is imported when it is imported. Installing the floors' packages took 15 s
# instead of 29; the run installs four environments (.venv, Binder's, the floors', the start route's).
export PIP_COMPILE="${PIP_COMPILE:-0}"
# ... and keeps what it compiled (__pycache__, git-ignored), even where PYTHONDONTWRITEBYTECODE is set (as in
# some CI images): the run starts dozens of Pythons (kernels, Jupyter servers, pytest in four environments), and
# without cached bytecode each compiles all it imports again: a kernel's imports took 2.8 s instead of 0.9,
# a Jupyter server's 4.3 s instead of 2.5, PyTorch's 4.0 s instead of 1.7.
unset PYTHONDONTWRITEBYTECODE
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

# axe-core (the accessibility engine of the browsers' own audits) for the browser tests' audit of every
# lesson's outputs: one pinned file, axe.min.js, from the npm registry through npm itself (Debian: apt's
# npm when missing, as root), its integrity checked against the registry's; kept in .cache/ (git-ignored).
AXE_VERSION=$(sed -n 's/^AXE_VERSION = "\(.*\)"$/\1/p' tools/lab.py)
AXE_INTEGRITY="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
AXE_DIR=".cache/axe-core-$AXE_VERSION"
if [ -z "${CONV1X1_AXE:-}" ] && [ ! -f "$AXE_DIR/axe.min.js" ]; then
  if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Debian's npm to fetch axe-core for the accessibility audit"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  if command -v npm >/dev/null 2>&1; then
    echo "== npm pack axe-core@$AXE_VERSION"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null)
    got=$(.venv/bin/python -c 'import base64, hashlib, sys
print("sha512-" + base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' \
      "$tmp/axe-core-$AXE_VERSION.tgz")
    if [ "$got" != "$AXE_INTEGRITY" ]; then
      echo "!! axe-core-$AXE_VERSION.tgz does not match the registry's integrity ($got)" >&2
      exit 1
    fi
    mkdir -p "$AXE_DIR"
    tar -xzf "$tmp/axe-core-$AXE_VERSION.tgz" -C "$tmp" package/axe.min.js package/LICENSE
    mv "$tmp/package/axe.min.js" "$tmp/package/LICENSE" "$AXE_DIR/"
    rm -rf "$tmp"
  else
    echo "!! npm not found: the accessibility audit will skip (Debian/Ubuntu: sudo apt-get install -y npm;"
    echo "   or set CONV1X1_AXE to an axe.min.js)"
  fi
fi

# Two pytest runs, side by side, and both always run: the browser tier one test at a time (its tests share
# one JupyterLab and one browser), and every other tier (fast, slow, env, and the notebooks under nbval) in
# two processes (pytest-xdist; --dist loadfile keeps a notebook's cells, and a test file's tests, in one
# process). Side by side because the browser tier mostly waits (pages, kernels, polling): on this 2-core
# machine it took 640 s alone and 670 s beside the other tiers, which took 280 s alone; the whole run took
# 991 s one after the other and 768 s side by side. The browser tier's output is printed when it ends.
# A run that selects nothing (extra arguments naming only one kind of test) is not a failure; both
# selecting nothing is.
run() {
  local rc=0
  .venv/bin/python -m pytest "$@" || rc=$?
  return $rc
}
browser_log=$(mktemp)
trap 'rm -f "$browser_log"' EXIT
echo "== set up in ${SECONDS} s; running the tests: the browser tier (one test at a time, its output after the others')"
( run -m browser "$@" >"$browser_log" 2>&1 ) &
browser_pid=$!
echo "== running the tests: the fast, slow, env and notebook tiers (two processes), beside the browser tier"
rest=0; run --nbval --nbval-current-env -m "not browser" -n 2 --dist loadfile "$@" || rest=$?
echo "== ${SECONDS} s: the other tiers ended; waiting for the browser tier"
browser=0; wait "$browser_pid" || browser=$?
echo "== the browser tier's output"
cat "$browser_log"
echo "== ${SECONDS} s in all; exit codes: browser tier $browser, other tiers $rest (0 passed, 5 nothing selected)"
if [ "$browser" = 5 ] && [ "$rest" = 5 ]; then exit 5; fi
for rc in "$browser" "$rest"; do
  if [ "$rc" != 0 ] && [ "$rc" != 5 ]; then exit "$rc"; fi
done
exit 0
