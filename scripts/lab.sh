#!/bin/sh
# Kept for old instructions: the launcher is scripts/lab.py (python3 scripts/lab.py).
# POSIX sh, no arrays, so macOS's bash 3.2 and dash run it alike.
#   PYTHON=python3.12 sh scripts/lab.sh     # which Python builds .venv (a different version rebuilds it)
set -e
cd "$(dirname "$0")/.."
exec "${PYTHON:-python3}" scripts/lab.py ${1+"$@"}
