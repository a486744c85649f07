#!/usr/bin/env bash
# The agents' dependencies failing: the Docker engine killed and restarted six times under 100
# kernels, the registry hanging and dying during a pull, the scratch disk full. Runs the chaos
# tests of tests/chaos/{engine_restart,registry_outage,disk_full}_test.cpp with larger counts
# (BAIKAL_CHAOS_KERNELS, BAIKAL_CHAOS_ROUNDS), in network namespaces and against engines of
# their own, and prints the figures they report.
# Usage: scripts/chaos/engine.sh   (BAIKAL_BUILD_DIR: the build, default build/)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BAIKAL_BUILD_DIR:-$top/build}
tests=$build/tests/baikal_chaos_tests
[[ -x $tests ]] || { echo "chaos/engine: build baikal_chaos_tests first ($tests)" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "chaos/engine: must run as root (engines, namespaces, mounts)" >&2; exit 2; }

kernels=${BAIKAL_CHAOS_KERNELS:-100}
rounds=${BAIKAL_CHAOS_ROUNDS:-6}
work=$(mktemp -d /tmp/bkchaos.XXXXXX)
netns=$work/netns            # namespaces of its own: ctest's may be in use
export BAIKAL_NETNS_STATE=$netns
figures=$work/figures
cleanup() {
    "$top/tests/harness/netns.sh" down "$netns" >/dev/null 2>&1 || true
    "$top/tests/harness/test-env.sh" down "$work/env" >/dev/null 2>&1 || true
    rm -rf "$work"
}
# the logs of a failed run stay for reading
keep() { trap - EXIT; "$top/tests/harness/netns.sh" down "$netns" >/dev/null 2>&1 || true
         "$top/tests/harness/test-env.sh" down "$work/env" >/dev/null 2>&1 || true
         echo "chaos/engine: logs kept in $work"; }
trap cleanup EXIT

"$top/tests/harness/netns.sh" up "$netns" >/dev/null
# The disk-full test runs on a shared engine; the others start engines of their own.
"$top/tests/harness/test-env.sh" up "$work/env" >/dev/null

run() {
    local pattern=$1
    BAIKAL_TEST_ENV_FILE=$work/env/env BAIKAL_CHAOS_FIGURES=$figures \
        BAIKAL_CHAOS_KERNELS=$kernels BAIKAL_CHAOS_ROUNDS=$rounds \
        "$tests" --test-case="$pattern" --duration=true >"$work/$(echo "$pattern" | tr -c 'a-z' _).log" 2>&1 ||
        { echo "FAILED: $pattern (log below)"; tail -n 60 "$work"/*.log; status=1; }
}
status=0
start=$(date +%s)
run "chaos: the Docker engine killed*"
run "chaos: a registry that hangs*"
run "chaos: a full scratch disk*"

# One line per fault and measure: the mean, the largest, and how many rounds it covers.
echo "chaos/engine: $kernels kernels, $rounds engine restarts, $(($(date +%s) - start)) s"
((status == 0)) || keep
awk '{ key = $2 " " $3; n[key]++; s[key] += $4; if (!(key in m) || $4 > m[key]) m[key] = $4 }
     END { for (k in n) printf "  %-40s mean %8.2f  max %8.2f  (n=%d)\n", k, s[k] / n[k], m[k], n[k] }' \
    "$figures" 2>/dev/null | sort
exit $status
