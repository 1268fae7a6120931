#!/usr/bin/env bash
# Mutation testing of the core's rules: which changes to the code no test notices.
# A measurement, not a CI step (a few minutes on two cores). Figures: docs/TEST_STRENGTH.md.
#   bash tools/mutation.sh              every mutant of the modules in pyproject's [tool.mutmut]
#   bash tools/mutation.sh NAME...      only those mutants (e.g. the survivors of a last run)
# Then `mutmut show NAME` prints one mutant's change; `mutmut browse` walks them.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
"$PY" -c "import mutmut" 2>/dev/null || "$PY" -m pip install -q -e ".[test,mutation]"
MUTMUT="$(dirname "$PY")/mutmut"
if [ $# -eq 0 ]; then rm -rf mutants; fi  # a fresh run: no result kept from older code or tests
nice -n 10 "$MUTMUT" run --max-children "${MUTMUT_CHILDREN:-2}" "$@"
"$PY" tools/mutation_summary.py --list
