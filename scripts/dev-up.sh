#!/usr/bin/env bash
# Brings up a local Baikal cluster on this machine and runs a first session through it:
#   - deploy/dev-cluster.sh up: installs what is missing, builds, starts a private Docker engine
#     and a local registry with a small ready image (the host's engine is never touched), the
#     manager with the users alice and bob, and two agents;
#   - baikalctl run: creates a session on the ready image, waits for it, runs the code in its
#     kernel, prints the output and removes the session.
# Usage: scripts/dev-up.sh [CODE]      scripts/dev-up.sh down
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BAIKAL_BUILD_DIR:-$top/build}

if [ "${1:-}" = down ]; then
  exec "$top/deploy/dev-cluster.sh" down
fi
code=${1:-'echo "Hello from Baikal kernel $BACKENDAI_KERNEL_ID on $(uname -sm)"'}

"$top/deploy/dev-cluster.sh" up --agents "${BAIKAL_DEV_AGENTS:-2}"
set -a
# shellcheck disable=SC1091
. "$top/var/dev-cluster/env"
set +a
echo "dev-up: running a first session on $BAIKAL_IMAGE through $BAIKAL_API_URL"
"$build/tools/baikalctl/baikalctl" run "$BAIKAL_IMAGE" -- "$code"
cat <<MSG
dev-up: the cluster keeps running. The web console is at $BAIKAL_API_URL/ui/
  sign in there with alice's token: $BAIKAL_TOKEN
To drive it from a shell:
  set -a; . var/dev-cluster/env; set +a
  $build/tools/baikalctl/baikalctl agents
  $build/tools/baikalctl/baikalctl run "\$BAIKAL_IMAGE" -- 'echo hi'
scripts/dev-up.sh down stops it.
MSG
