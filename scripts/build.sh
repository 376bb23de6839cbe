#!/usr/bin/env bash
# Set up, then build the sample edition into output/: validate the TEI, then
# build every format enabled in edition.yaml that the pipeline has: the HTML site in
# output/html/, the print PDF in output/pdf/ and the EPUB in output/epub/ (after the PDF,
# whose page map gives the EPUB its page list).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 2
.venv/bin/edition validate || exit $?
.venv/bin/edition build --format html --format pdf --format epub
