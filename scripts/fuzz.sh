#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with ASan and UBSan (clang) and runs each for
# SECONDS (60 by default) on a copy of its seed corpus, then prints executions and crashes per
# target. Any crash, leak or sanitizer report fails the run; its input is kept in
# BUILD/fuzz-artifacts/TARGET/ (add it to tests/fuzz/corpus/TARGET/ with a unit test once fixed).
# Usage: scripts/fuzz.sh [--no-build] [SECONDS] [TARGET...]   (TARGET: http_request, ...)
#   --no-build   run the targets as built (another build may be under way in the folder)
# Environment: BAIKAL_FUZZ_BUILD_DIR (default build-fuzz), BAIKAL_JOBS (default 2),
# BAIKAL_FUZZ_RUNS (stop a target after this many executions, within SECONDS).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

build_first=1
if [ "${1:-}" = --no-build ]; then
  build_first=0
  shift
fi
seconds=60
if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
build=${BAIKAL_FUZZ_BUILD_DIR:-$top/build-fuzz}
jobs=${BAIKAL_JOBS:-2}
corpus_src=$top/tests/fuzz/corpus

if [ "$build_first" = 1 ]; then
  "$top/scripts/install-deps.sh"

  if ! grep -q '^BAIKAL_FUZZ:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
    # The flags of test-all.sh --sanitize address,undefined --fuzz, so ccache serves both.
    CXX=clang++ cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
      -DBAIKAL_SANITIZE=address,undefined -DBAIKAL_FUZZ=ON >/dev/null
  fi
  start=$(date +%s)
  cmake --build "$build" -j"$jobs" --target baikal_fuzz_targets
  echo "fuzz: build took $(($(date +%s) - start)) s"
fi

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for d in "$corpus_src"/*/; do
    targets+=("$(basename "$d")")
  done
fi

# A report ends the process (the build has no recovery); leaks are reported at exit.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
runs_flag=()
[ -n "${BAIKAL_FUZZ_RUNS:-}" ] && runs_flag=(-runs="$BAIKAL_FUZZ_RUNS")

passed=0
failed=0
summary=()
for t in "${targets[@]}"; do
  bin=$build/tests/fuzz/fuzz_$t
  work=$build/fuzz-corpus/$t
  artifacts=$build/fuzz-artifacts/$t
  log=$build/fuzz-logs/$t.log
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  rm -f "$artifacts"/*
  # Tokens that mutation alone rarely makes (numbers past a type's range, HTTP lines).
  dict=()
  case $t in
  http_request) dict=(-dict="$top/tests/fuzz/dict/http.dict") ;;
  agent_config | manager_config) dict=(-dict="$top/tests/fuzz/dict/toml.dict") ;;
  api_bodies | runner_* | docker_json | sse_reader) dict=(-dict="$top/tests/fuzz/dict/json.dict") ;;
  esac
  # New inputs go to the work corpus, never into the repository's seeds.
  status=0
  "$bin" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
    "${runs_flag[@]}" "${dict[@]}" -artifact_prefix="$artifacts/" "$work" "$corpus_src/$t" \
    >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  crashes=$(find "$artifacts" -type f | wc -l)
  if [ "$status" -eq 0 ] && [ "$crashes" -eq 0 ]; then
    passed=$((passed + 1))
    verdict=ok
  else
    failed=$((failed + 1))
    verdict="FAILED (exit $status; log $log)"
    grep -m1 -E 'ERROR: |runtime error|fuzz property broken' "$log" >&2 || true
  fi
  summary+=("$(printf '%-16s %12s executions %3d crashes  %s' "$t" "${execs:-?}" "$crashes" "$verdict")")
  echo "${summary[-1]}"
done

echo "fuzz: ${seconds} s a target, ASan+UBSan, build $build"
printf '%s\n' "${summary[@]}"
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
