#!/usr/bin/env bash
# Set up, then run every check: ruff, and the whole test suite.
# pytest's exit 5 (no tests collected) is a failure like any other non-zero exit.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check edition tests bench
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
