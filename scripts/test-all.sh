#!/usr/bin/env bash
# Installs what is missing, builds Baikal and runs the whole test suite (unit tests, the tests
# against a private Docker engine and local registries that the harness starts itself, and the
# cluster tests: manager and agent processes in network namespaces, label `cluster`).
# Usage: scripts/test-all.sh [extra ctest arguments]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

"$top/scripts/install-deps.sh"

build=${BAIKAL_BUILD_DIR:-$top/build}
jobs=${BAIKAL_JOBS:-2}
start=$(date +%s)
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j"$jobs"
built=$(date +%s)
echo "test-all: build took $((built - start)) s"

cd "$build"
status=0
ctest --output-on-failure --timeout 600 "$@" || status=$?
echo "test-all: tests took $(($(date +%s) - built)) s"
exit $status
