#!/usr/bin/env bash
# cmake --install of a build into a temporary prefix: the binaries the systemd units start, the
# kernel runner beside the agent, the units and the example configs are where the README says.
# Usage: tests/harness/check-install.sh BUILD_DIR
set -euo pipefail
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
missing=0
for f in bin/baikal-manager bin/baikal-agent bin/baikal-kernel-runner bin/baikalctl \
         share/baikal/systemd/baikal-manager.service share/baikal/systemd/baikal-agent.service \
         share/baikal/examples/manager.toml share/baikal/examples/agent.toml \
         share/baikal/make-certs.sh; do
  if [ ! -e "$prefix/$f" ]; then
    echo "install: $f is missing"
    missing=1
  fi
done
for f in bin/baikal-manager bin/baikal-agent bin/baikal-kernel-runner bin/baikalctl; do
  [ -x "$prefix/$f" ] || { echo "install: $f is not executable"; missing=1; }
done
[ "$missing" = 0 ] && echo "install: every file is in place under the prefix"
exit "$missing"
