# Shared by scripts/chaos.sh and the family scripts beside this file (sourced, not run).
# Expects BAIKAL_CHAOS_BUILD (the build directory) and BAIKAL_CHAOS_REPORT (the report file).
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BAIKAL_CHAOS_BUILD:-$top/build}

# The same state directories as ctest's fixtures (tests/CMakeLists.txt), so either may start them.
chaos_env_up() {
  "$top/tests/harness/test-env.sh" up "$build/test-env"
  "$top/tests/harness/netns.sh" up "$build/cluster-netns"
}

chaos_env_down() {
  "$top/tests/harness/netns.sh" down "$build/cluster-netns" || true
  "$top/tests/harness/test-env.sh" down "$build/test-env" || true
}

# Runs the chaos test cases whose names match $1 (a doctest filter); the environment carries
# the counts the family raised.
chaos_run() {
  BAIKAL_TEST_ENV_FILE=$build/test-env/env BAIKAL_NETNS_STATE=$build/cluster-netns \
    "$build/tests/baikal_chaos_tests" --test-case="$1"
}

# Per fault: the number of lines, the median and the maximum of each *_s figure, and the sums
# of the counts, from the report's "fault=NAME key=value ..." lines.
chaos_summary() {
  awk '
    {
      fault = ""; delete kv
      for (i = 1; i <= NF; i++) {
        split($i, p, "=")
        if (p[1] == "fault") fault = p[2]; else kv[p[1]] = p[2]
      }
      if (fault == "") next
      faults[fault] = 1
      for (k in kv) {
        if (k ~ /_s$/) { n = ++count[fault, k]; val[fault, k, n] = kv[k]; keys[fault, k] = 1 }
        else { sum[fault, k] += kv[k]; counts[fault, k] = 1 }
      }
      if (kv["truth_s"] != "") ++events[fault]
    }
    function median(f, k,   n, i, j, t, a) {
      n = count[f, k]
      for (i = 1; i <= n; i++) a[i] = val[f, k, i]
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function maximum(f, k,   n, i, m) {
      n = count[f, k]; m = val[f, k, 1]
      for (i = 2; i <= n; i++) if (val[f, k, i] + 0 > m + 0) m = val[f, k, i]
      return m
    }
    END {
      for (f in faults) {
        printf "%s (%d faults)\n", f, events[f]
        for (fk in keys) {
          split(fk, q, SUBSEP); if (q[1] != f) continue
          printf "  %-24s median %8.2f s   max %8.2f s\n", q[2], median(f, q[2]), maximum(f, q[2])
        }
        for (fk in counts) {
          split(fk, q, SUBSEP); if (q[1] != f) continue
          printf "  %-24s %d\n", q[2], sum[f, q[2]]
        }
      }
    }' "$1"
}
