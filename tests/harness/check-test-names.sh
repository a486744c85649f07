#!/usr/bin/env bash
# No doctest case name may hold a ';': ctest takes the name as a list and registers only the part
# before it, so the filter it runs matches no case and the test "passes" having run nothing.
# Checks every test binary given that exists (a --unit build has only the unit one).
# Usage: tests/harness/check-test-names.sh BINARY...
set -euo pipefail
bad=0
for bin in "$@"; do
  [ -x "$bin" ] || continue
  names=$("$bin" --list-test-cases --no-version 2>/dev/null | grep -v '^\[doctest\]' | grep -v '^=*$' || true)
  hits=$(printf '%s\n' "$names" | grep ';' || true)
  if [ -n "$hits" ]; then
    printf '%s: test case names with a ";" (ctest would run none of them):\n%s\n' "$bin" "$hits" >&2
    bad=1
  fi
  count=$(printf '%s\n' "$names" | grep -c . || true)
  echo "$(basename "$bin"): $count test case names checked"
done
exit $bad
