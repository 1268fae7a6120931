#!/usr/bin/env bash
# Install everything the tests need and run them: lint, types, architecture, the test suite.
#   bash tools/test.sh            (as root on Debian/Ubuntu it also installs the system packages)
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(xvfb xauth chromium libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils fonts-dejavu-core
  fonts-droid-fallback
  libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
  libxcb-image0 libxcb-render-util0 libegl1 libgl1 libfontconfig1 libdbus-1-3)
# strace counts the disk syncs of each commit (tests/core/test_store.py: synchronous=FULL).
SYSTEM_PACKAGES+=(strace)
# PyInstaller needs objdump on Linux (tests/packaging/test_bundle.py builds the bundle).
SYSTEM_PACKAGES+=(binutils)
# The phone page on the engines phones use (tests/e2e/test_phone_engines.py): WebKit (Safari's)
# through WebKitGTK's WebDriver, drawn on Xvfb; Gecko (Firefox's) over Marionette, headless.
SYSTEM_PACKAGES+=(webkit2gtk-driver firefox-esr)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  for p in "${SYSTEM_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi

# axe-core (npm, pinned by tools/axe/package-lock.json) checks the phone page for WCAG violations
# in Chromium (tests/e2e/test_phone_a11y.py); installed once, again only when the lockfile changes.
if [ "$(id -u)" = 0 ] && ! command -v npm >/dev/null && command -v apt-get >/dev/null; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm
fi
if ! cmp -s tools/axe/package-lock.json tools/axe/node_modules/.installed-from; then
  npm ci --prefix tools/axe --no-audit --no-fund --loglevel=error
  cp tools/axe/package-lock.json tools/axe/node_modules/.installed-from
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test,packaging]"  # packaging: tests/packaging builds the bundle
export PATH="$PWD/.venv/bin:$PATH"

echo "== ruff";        ruff check vbp_workshop tests benchmarks tools
echo "== mypy";        mypy
echo "== import-linter"; lint-imports
echo "== pytest"
python -m pytest "$@"
