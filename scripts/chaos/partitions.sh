#!/usr/bin/env bash
# An agent's link to the manager cut in both directions for 5 s and for 60 s, then healed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
chaos_run "chaos: an agent's link cut*"
