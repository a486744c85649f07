#!/usr/bin/env bash
# Installs what is missing, builds Baikal and runs the whole test suite (unit tests, the tests
# against a private Docker engine and local registries that the harness starts itself, and the
# cluster tests: manager and agent processes in network namespaces, label `cluster`, and the web
# console in chromium against such a cluster, label `browser`).
# Usage: scripts/test-all.sh [--sanitize LIST] [--unit] [--fuzz SECONDS] [extra ctest arguments]
#   --sanitize address,undefined | thread   build with those sanitizers into build-asan/ or
#                                           build-tsan/ (clang when it is there) and run there
#   --unit                                  build and run the unit tests only (label unit, and
#                                           the fuzz corpus replays when the build has them)
#   --fuzz SECONDS                          with --sanitize address,undefined: also build the
#                                           fuzz targets in the same folder, replay their
#                                           corpora and run each for SECONDS (scripts/fuzz.sh)
#   --fuzz-only SECONDS                     the same without the tests: build the fuzz targets,
#                                           replay their corpora, run each for SECONDS
#   --build-only                            configure and build what the other options name, run
#                                           nothing (.ci/run builds the sanitizer stage this way
#                                           while the first stage's tests run)
# Environment: BAIKAL_WERROR=ON        compiler warnings are errors (gcc builds; CI sets it)
#              BAIKAL_SANITIZE_OPT   optimisation of sanitizer builds (default -O1; CI's unit
#                                    stage uses -O0, which compiles in about a third of the time)
#              BAIKAL_UNITY_TESTS=ON test files compile in batches of eight (CI sets it: a
#                                    cold build sooner; a change to one file recompiles its batch)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

sanitize=""
unit_only=0
fuzz_only=0
fuzz_seconds=""
build_only=0
while [ $# -gt 0 ]; do
  case $1 in
  --sanitize) sanitize=$2; shift 2 ;;
  --sanitize=*) sanitize=${1#--sanitize=}; shift ;;
  --unit) unit_only=1; shift ;;
  --fuzz) fuzz_seconds=$2; shift 2 ;;
  --fuzz-only) fuzz_seconds=$2; fuzz_only=1; shift 2 ;;
  --build-only) build_only=1; shift ;;
  *) break ;;
  esac
done
if [ -n "$fuzz_seconds" ] && [ "$sanitize" != "address,undefined" ]; then
  echo "test-all: --fuzz goes with --sanitize address,undefined" >&2
  exit 2
fi

"$top/scripts/install-deps.sh"
# The checks of docs/openapi.yaml (ctest, label unit) run Redocly from tests/openapi; the browser
# tests (label browser) run puppeteer-core from tests/browser, with Debian's chromium (no
# browser is downloaded: puppeteer-core has none, and --ignore-scripts runs no install step).
if [ "$fuzz_only" = 0 ] && [ "$build_only" = 0 ]; then
  (cd "$top/tests/openapi" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
  (cd "$top/tests/browser" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi

jobs=${BAIKAL_JOBS:-2}
config=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
case $sanitize in
"") build=${BAIKAL_BUILD_DIR:-$top/build} ;;
address,undefined) build=${BAIKAL_BUILD_DIR:-$top/build-asan} ;;
thread) build=${BAIKAL_BUILD_DIR:-$top/build-tsan} ;;
*) echo "test-all: --sanitize takes address,undefined or thread" >&2; exit 2 ;;
esac
if [ -n "$sanitize" ]; then
  # Sanitizer builds run slower: -O1 keeps them fast enough while compiling sooner than -O2.
  config=(-DCMAKE_BUILD_TYPE=RelWithDebInfo
          -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="${BAIKAL_SANITIZE_OPT:--O1} -g1"
          -DBAIKAL_SANITIZE="$sanitize")
  [ -n "$fuzz_seconds" ] && config+=(-DBAIKAL_FUZZ=ON)
  if [ ! -f "$build/CMakeCache.txt" ] && [ -z "${CXX:-}" ] && command -v clang++ >/dev/null; then
    export CXX=clang++
  fi
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
  export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top/tests/sanitizers/lsan.supp}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  # CAF's and libstdc++'s own races, each with its reason, in tests/sanitizers/.
  export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1 second_deadlock_stack=1 suppressions=$top/tests/sanitizers/tsan.supp}
fi
# CI (.ci/run sets BAIKAL_WERROR=ON) fails on any compiler warning; elsewhere warnings stay
# warnings.
config+=(-DBAIKAL_WERROR="${BAIKAL_WERROR:-OFF}")
config+=(-DBAIKAL_UNITY_TESTS="${BAIKAL_UNITY_TESTS:-OFF}")
targets=()
if [ "$fuzz_only" = 1 ]; then
  targets=(--target baikal_fuzz_targets)
elif [ "$unit_only" = 1 ]; then
  targets=(--target baikal_unit_tests)
  [ -n "$fuzz_seconds" ] && targets+=(baikal_fuzz_targets)
fi

start=$(date +%s)
cmake -S "$top" -B "$build" "${config[@]}"
cmake --build "$build" -j"$jobs" "${targets[@]}"
built=$(date +%s)
echo "test-all: build took $((built - start)) s"
[ "$build_only" = 1 ] && exit 0

cd "$build"
status=0
# The unit tests (and corpus replays) run two at a time: each starts its own actor system, store
# and ports. The others share one Docker engine and one set of network namespaces, one at a time.
if [ "$fuzz_only" = 1 ]; then
  ctest --output-on-failure --timeout 600 -j"$jobs" -L fuzz "$@" || status=$?
elif [ "$unit_only" = 1 ]; then
  ctest --output-on-failure --timeout 600 -j"$jobs" -L 'unit|fuzz' "$@" || status=$?
else
  ctest --output-on-failure --timeout 600 -j"$jobs" -L unit "$@" || status=$?
  ctest --output-on-failure --timeout 600 -LE unit "$@" || status=$?
fi
echo "test-all: tests took $(($(date +%s) - built)) s"

if [ -n "$fuzz_seconds" ]; then
  fuzzed=$(date +%s)
  BAIKAL_FUZZ_BUILD_DIR=$build "$top/scripts/fuzz.sh" "$fuzz_seconds" || status=$?
  echo "test-all: fuzzing took $(($(date +%s) - fuzzed)) s"
fi
exit $status
