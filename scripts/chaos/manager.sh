#!/usr/bin/env bash
# The manager killed with SIGKILL right after a burst of creates, then started again.
# BAIKAL_CHAOS_MANAGER_KILLS (5 here; 1 in `ctest -L chaos`), BAIKAL_CHAOS_BURST (10).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export BAIKAL_CHAOS_MANAGER_KILLS=${BAIKAL_CHAOS_MANAGER_KILLS:-5}
chaos_run 'chaos: the manager killed with SIGKILL*'
