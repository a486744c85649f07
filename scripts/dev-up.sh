#!/usr/bin/env bash
# Brings up a local Baikal on this machine and runs a first session:
#   - installs what is missing and builds the agent and the kernel runner;
#   - starts a private Docker engine and a local registry with a small busybox image
#     (tests/harness/test-env.sh, state under var/dev-engine), never touching the host's engine;
#   - runs one session through baikal-agent: a kernel container is created, code runs in it
#     through the kernel runner, its output is printed, and the kernel is destroyed.
# Usage: scripts/dev-up.sh [CODE]      scripts/dev-up.sh down
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
state=$top/var/dev-engine

if [ "${1:-}" = down ]; then
  exec "$top/tests/harness/test-env.sh" down "$state"
fi
code=${1:-'echo "Hello from Baikal kernel $BACKENDAI_KERNEL_ID"; uname -sm; ls /home'}

"$top/scripts/install-deps.sh"
build=${BAIKAL_BUILD_DIR:-$top/build}
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"${BAIKAL_JOBS:-2}" --target baikal-agent baikal-kernel-runner

"$top/tests/harness/test-env.sh" up "$state"
set -a
# shellcheck disable=SC1091
. "$state/env"
set +a

mkdir -p "$top/var/dev-agent"
cd "$top/var/dev-agent"
echo "dev-up: running a first session on $BAIKAL_TEST_IMAGE (engine $DOCKER_HOST)"
"$build/tools/baikal-agent/baikal-agent" --run "$BAIKAL_TEST_IMAGE" -- "$code"
echo "dev-up: done; the engine keeps running (scripts/dev-up.sh down stops it)"
