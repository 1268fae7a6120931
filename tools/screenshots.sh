#!/usr/bin/env bash
# Regenerate docs/screenshots: the real window and projector under Xvfb, the phone page in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/screenshots
mkdir -p "$out"
env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1080x24" python tools/screenshots.py "$out"
VBP_SCREENSHOTS="$out" python -m pytest -q tests/e2e/test_phone_page.py
for f in "$out"/phone-*.png; do convert "$f" -resize 390x "$f"; done
