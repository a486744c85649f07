#!/usr/bin/env bash
# Runs one npm script of this folder (lint, check-json) for ctest, once `npm ci` has installed
# its packages (scripts/test-all.sh does).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x node_modules/.bin/redocly ]; then
  echo "tests/openapi has no node_modules: run \"npm ci\" there (scripts/test-all.sh does)" >&2
  exit 1
fi
# Neither telemetry nor an update check: the tests run offline too.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
exec npm run --silent "$1"
