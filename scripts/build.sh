#!/usr/bin/env bash
# Set up, then build the sample edition into output/.
# Today the pipeline validates the edition (issue 2) and writes its report to
# output/validation.txt; the HTML, PDF and EPUB builders join this script as they land.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 2
mkdir -p output
.venv/bin/edition validate 2>&1 | tee output/validation.txt
exit "${PIPESTATUS[0]}"
