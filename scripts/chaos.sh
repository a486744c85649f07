#!/usr/bin/env bash
# Fault injection against real processes at larger counts than `ctest -L chaos`, printing for
# each fault how long until the truth was visible in the API, how long until new sessions
# started, and the sessions lost, stuck and containers leaked. Each scripts/chaos/*.sh runs
# one family of faults; this script only builds and runs them in turn.
# Usage: scripts/chaos.sh [NAME...]   (NAME: a script of scripts/chaos/, without .sh; default all)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BAIKAL_BUILD_DIR:-$top/build}
export BAIKAL_BUILD_DIR=$build

nice cmake --build "$build" -j"${BAIKAL_JOBS:-2}" --target baikal_chaos_tests

names=("$@")
if ((${#names[@]} == 0)); then
    for f in "$top"/scripts/chaos/*.sh; do names+=("$(basename "$f" .sh)"); done
fi
status=0
for name in "${names[@]}"; do
    echo "== chaos: $name"
    "$top/scripts/chaos/$name.sh" || status=$?
done
exit $status
