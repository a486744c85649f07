#!/usr/bin/env bash
# Installs, from Debian's packages, whatever Baikal needs to build and test that this machine
# lacks. Safe to run again: it installs nothing when everything is there. clang and its runtime
# libraries (libFuzzer, the sanitizers) build the fuzz targets and the sanitizer builds. Node.js
# and npm run the checks of docs/openapi.yaml (tests/openapi) and the browser tests of the web
# console (tests/browser), which drive Debian's chromium (a font so that its pages have text).
# PostgreSQL's server runs the store tests on a private server of their own (libpq is the
# manager's client for a PostgreSQL store). OpenSSH's ssh-keygen checks the cluster keypairs.
set -euo pipefail

packages=(
  build-essential cmake ccache pkg-config git curl ca-certificates iproute2 procps openssl
  openssh-client
  libcaf-dev libboost-dev rapidjson-dev libssl-dev libspdlog-dev doctest-dev
  libtomlplusplus-dev libsqlite3-dev zlib1g-dev libcli11-dev libjemalloc-dev
  libpq-dev postgresql-15
  docker.io docker-registry busybox-static apache2-utils
  clang libclang-rt-14-dev
  chromium fonts-dejavu-core
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Any Node.js will do: Debian's nodejs and npm, or another vendor's nodejs that carries npm (and
# conflicts with Debian's npm package).
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${missing[*]}; run as root (or with sudo) to install them" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
# The registry package enables a system service; the tests start their own registries.
rm -f /etc/systemd/system/multi-user.target.wants/docker-registry.service
