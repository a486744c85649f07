#!/usr/bin/env bash
# The layering of the source tree, checked on every include line:
#   tools → actors → runtime → messages, and nothing the other way;
#   actors/agent and actors/manager never include each other (one process each);
#   actors/kernel includes neither of them (the agent spawns kernels, not the reverse);
#   actors/docker and actors/supervision include none of them;
#   actors/agent_double speaks only the interface in messages/, and no cluster code includes it.
# Prints every include that breaks a rule with its file and line; exits 1 if any does.
# Usage: tests/harness/check-layering.sh [SOURCE_DIR]
set -euo pipefail
top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top"

broken=0
# forbid FOLDER PATTERN WHY: no file under FOLDER may include a path matching PATTERN.
forbid() {
  local folder=$1 pattern=$2 why=$3 hits
  hits=$(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]+\"$pattern" "$folder" \
           --include='*.cpp' --include='*.hpp' || true)
  if [ -n "$hits" ]; then
    echo "layering: $folder must not include $pattern ($why):"
    echo "$hits" | sed 's/^/  /'
    broken=1
  fi
}

forbid messages '(runtime|actors|tools)/' "messages are types and interfaces only"
forbid runtime '(actors|tools)/' "runtime knows no actor of ours"
forbid actors 'tools/' "tools are built on actors, not the reverse"
forbid actors/agent 'actors/manager/' "the agent process links no manager code"
forbid actors/manager 'actors/(agent|kernel)/' "the manager process links no agent code"
forbid actors/kernel 'actors/(agent|manager)/' "the kernel actor is told what it needs in its setup"
forbid actors/docker 'actors/(agent|manager|kernel)/' "the Docker actor serves agent and manager alike"
forbid actors/supervision 'actors/(agent|manager|docker|kernel)/' "supervision is generic"
forbid actors/agent_double 'actors/(agent|manager|docker|kernel)/' "the agent double speaks only the interface"
forbid actors/agent 'actors/agent_double/' "no cluster program links the agent double"
forbid actors/manager 'actors/agent_double/' "no cluster program links the agent double"
forbid tools/baikal-agent 'actors/manager/' "the agent process links no manager code"
forbid tools/baikal-manager 'actors/(agent|kernel)/' "the manager process links no agent code"

if [ "$broken" = 0 ]; then
  echo "layering: every include keeps to its layer"
fi
exit "$broken"
