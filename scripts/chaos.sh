#!/usr/bin/env bash
# Runs the chaos scenarios with larger counts than `ctest -L chaos` and prints, per fault, how
# long until the truth was visible in the API, how long until new sessions started, and the
# sessions lost and stuck, the containers leaked and the RUNNING sessions that did not execute.
#
#   scripts/chaos.sh [FAMILY...]     FAMILY: a script in scripts/chaos/ (agents, manager,
#                                    partitions, ...); all of them by default
#
# A thin runner: it builds the chaos tests, starts the private engine and the network
# namespaces once (tests/harness), runs scripts/chaos/FAMILY.sh for each family, each of which
# runs its scenarios from build/tests/baikal_chaos_tests with its counts raised, and sums up the
# lines the tests append to the report (tests/chaos/chaos_checks.hpp). BAIKAL_BUILD_DIR picks the
# build directory (build/).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BAIKAL_BUILD_DIR:-$top/build}
export BAIKAL_CHAOS_BUILD=$build
export BAIKAL_CHAOS_REPORT=${BAIKAL_CHAOS_REPORT:-$build/chaos-report.txt}

families=("$@")
if [[ ${#families[@]} -eq 0 ]]; then
  for f in "$top"/scripts/chaos/*.sh; do
    name=$(basename "$f" .sh)
    [[ $name == lib ]] || families+=("$name")
  done
fi

[[ -d $build ]] || cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j"${BAIKAL_JOBS:-2}" --target baikal_chaos_tests
# shellcheck source=chaos/lib.sh
. "$top/scripts/chaos/lib.sh"
chaos_env_up
trap chaos_env_down EXIT
: >"$BAIKAL_CHAOS_REPORT"

status=0
for family in "${families[@]}"; do
  echo "chaos: $family"
  "$top/scripts/chaos/$family.sh" || status=1
done
chaos_summary "$BAIKAL_CHAOS_REPORT"
exit $status
