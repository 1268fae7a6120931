#!/usr/bin/env bash
# Build the one-folder bundle for the machine this runs on (Linux, Windows under Git Bash, macOS):
#   bash packaging/build.sh            -> dist/vbp-workshop/ (and on macOS dist/VBP Workshop.app)
# Options through the environment: PYTHON (the interpreter whose packages are bundled; default
# .venv's, else python3/python), DIST and WORK (output and scratch folders; default dist/ and build/).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

if [ -z "${PYTHON:-}" ]; then
  for p in .venv/bin/python .venv/Scripts/python.exe python3 python; do
    if [ -x "$p" ] || command -v "$p" >/dev/null 2>&1; then PYTHON="$p"; break; fi
  done
fi
DIST="${DIST:-$ROOT/dist}"
WORK="${WORK:-$ROOT/build/pyinstaller}"

if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
  echo "build.sh: PyInstaller is missing; install the packaging extra: $PYTHON -m pip install -e '.[packaging]'" >&2
  exit 1
fi

start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" packaging/vbp-workshop.spec
out="$DIST/vbp-workshop"
files=$(find "$out" -type f | wc -l | tr -d ' ')
size=$(du -sk "$out" | cut -f1)
echo "build.sh: $out: $files files, $((size / 1024)) MB, built in $(( $(date +%s) - start )) s"
