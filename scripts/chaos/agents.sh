#!/usr/bin/env bash
# Agents killed with SIGKILL, alternating, with sessions created and deleted during each outage.
# BAIKAL_CHAOS_AGENT_KILLS: how many kills (50 here; 10 in `ctest -L chaos`).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export BAIKAL_CHAOS_AGENT_KILLS=${BAIKAL_CHAOS_AGENT_KILLS:-50}
chaos_run 'chaos: agents killed with SIGKILL*'
