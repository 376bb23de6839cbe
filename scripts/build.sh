#!/usr/bin/env bash
# Set up, then build the sample edition into output/: validate the TEI, then
# build every format enabled in edition.yaml that the pipeline has (today: HTML,
# in output/html/; the PDF and EPUB builders join as they land).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 2
.venv/bin/edition validate || exit $?
.venv/bin/edition build --format html
