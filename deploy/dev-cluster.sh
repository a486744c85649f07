#!/usr/bin/env bash
# A Baikal cluster on this machine, for development and the Quick start:
#   - a private Docker engine and a local registry with the ready image baikal-test/busybox:1
#     (tests/harness/test-env.sh, state under var/dev-engine; the host's engine is never used);
#   - baikal-manager (API on 127.0.0.1:8090 unless BAIKAL_DEV_API_PORT says otherwise, agents
#     joining on 127.0.0.1:6100 or BAIKAL_DEV_AGENTS_PORT) with the users alice (an admin, who
#     may drain agents) and bob;
#   - N baikal-agent processes (default 1), each with its own id, scratch root and port range.
# It writes var/dev-cluster/env (BAIKAL_API_URL, BAIKAL_TOKEN for alice, BAIKAL_TOKEN_2 for bob,
# BAIKAL_IMAGE, DOCKER_HOST) and var/dev-cluster/manager.pid, agent-1.pid, ... `up` again keeps
# what runs and starts what is missing; `down` stops everything it started.
# With --tls the API is served over HTTPS with the certificate deploy/make-certs.sh makes under
# var/dev-cluster/certs, and the env file also sets BAIKAL_CACERT to its CA (stop the cluster
# before switching between plain and --tls: a manager that runs already is kept as it is).
# With --warm-pool N each agent keeps N containers of the image started ahead ([[warm-pool]]),
# so that a session of it starts without waiting for the engine (agents that run already keep
# their config).
# With --store postgres the manager keeps its store in a private PostgreSQL server
# (scripts/private-postgres.sh, data under var/dev-cluster/postgres, port BAIKAL_DEV_PG_PORT or
# 55432) instead of SQLite; `down` stops it, keeping its data. With --managers 2 as well, a
# second manager shares that store (API on the next port, agents joining on the next port): it
# stands by while the first leads, and takes over when the first is gone; the agents know both,
# and BAIKAL_API_URL names both (baikalctl uses the one that leads).
#
# Usage: deploy/dev-cluster.sh up [--agents N] [--tls] [--warm-pool N] [--store sqlite|postgres]
#                                 [--managers 1|2]
#        deploy/dev-cluster.sh down
#        set -a; . var/dev-cluster/env; set +a; baikalctl run "$BAIKAL_IMAGE" -- echo hi
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
state=${BAIKAL_DEV_CLUSTER_STATE:-$top/var/dev-cluster}
engine=${BAIKAL_DEV_ENGINE_STATE:-$top/var/dev-engine}
build=${BAIKAL_BUILD_DIR:-$top/build}
api_port=${BAIKAL_DEV_API_PORT:-8090}
tls=0
warm_pool=0
store=sqlite
managers=1
pg_port=${BAIKAL_DEV_PG_PORT:-55432}
agents_port=${BAIKAL_DEV_AGENTS_PORT:-6100}

log() { printf 'dev-cluster: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Stops the process in pid file $1 with SIGTERM (SIGKILL after 60 s) and removes the file.
stop_pidfile() {
  local file=$1 pid
  [[ -f $file ]] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$(basename "$file" .pid) did not stop in 60 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$file"
}

token() { head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# Waits up to $2 seconds for command $1 to succeed.
wait_for() {
  local what=$1 limit=$2
  for _ in $(seq $((limit * 10))); do
    if eval "$what"; then return 0; fi
    sleep 0.1
  done
  return 1
}

# The [store] table for this `up`: SQLite (nothing to say) or the private PostgreSQL server.
store_table() {
  if [[ $store == postgres ]]; then
    printf '[store]\nkind = "postgres"\nurl = "%s"\n' "$("$top/scripts/private-postgres.sh" up "$state/postgres" "$pg_port")"
  fi
}

write_manager_config() {
  local alice_token bob_token
  if [[ -f $state/manager.toml ]]; then
    # The tokens of an earlier `up` are kept; whether the API speaks TLS and where the store is
    # follow this `up`.
    sed -i '/^\[api\.tls\]$/,/^key = /d; /^\[store\]$/,/^url = /d' "$state/manager.toml"
    api_tls_table >>"$state/manager.toml"
    store_table >>"$state/manager.toml"
    return 0
  fi
  alice_token=$(token)
  bob_token=$(token)
  cat >"$state/manager.toml" <<TOML
# Written by deploy/dev-cluster.sh; deploy/manager.toml documents every key.
[manager]
store-path = "$state/manager.db"
heartbeat-interval = 2.0

[api]
listen = { host = "127.0.0.1", port = $api_port }
$(api_tls_table)

[agents]
listen = { host = "127.0.0.1", port = $agents_port }

[storage]
# Shared with every agent's [storage] root: one host, one directory.
root = "$state/storage"

$(store_table)

[[users]]
name = "alice"
uuid = "$(cat /proc/sys/kernel/random/uuid)"
token = "$alice_token"
admin = true

[[users]]
name = "bob"
uuid = "$(cat /proc/sys/kernel/random/uuid)"
token = "$bob_token"

[[images]]
reference = "$BAIKAL_TEST_IMAGE"
canonical = "$BAIKAL_TEST_IMAGE"
is-local = true
auto-pull = "none"
TOML
  chmod 600 "$state/manager.toml"
}

write_agent_config() {
  local i=$1 dir=$state/agent-$1
  mkdir -p "$dir"
  cat >"$dir/agent.toml" <<TOML
# Written by deploy/dev-cluster.sh; deploy/agent.toml documents every key.
[agent]
id = "dev-agent-$i"
rpc-listen-addr = { host = "127.0.0.1", port = 0 }

[container]
scratch-root = "$dir/scratch"
var-base-path = "$dir/lib"
base-commit-path = "$dir/commit"
port-range = [$((30000 + (i - 1) * 1000)), $((30999 + (i - 1) * 1000))]

[docker]
socket = "$BAIKAL_TEST_DOCKER_SOCK"

[manager]
$(if [[ $managers == 2 ]]; then
    echo "addresses = [ { host = \"127.0.0.1\", port = $agents_port }, { host = \"127.0.0.1\", port = $((agents_port + 1)) } ]"
  else
    echo "address = { host = \"127.0.0.1\", port = $agents_port }"
  fi)

[storage]
root = "$state/storage"
TOML
  if [[ $warm_pool -gt 0 ]]; then
    printf '\n[[warm-pool]]\nimage = "%s"\nsize = %s\n' "$BAIKAL_TEST_IMAGE" "$warm_pool" \
      >>"$dir/agent.toml"
  fi
}

api_tls_table() { # [api.tls] with make-certs.sh's api.crt under --tls, nothing otherwise
  [[ $tls == 1 ]] || return 0
  printf '\n[api.tls]\ncertificate = "%s"\nkey = "%s"\n' "$state/certs/api.crt" "$state/certs/api.key"
}

api_url() { # the first manager's API, or the one ${1} ports further
  local port=$((api_port + ${1:-0}))
  if [[ $tls == 1 ]]; then echo "https://127.0.0.1:$port"; else echo "http://127.0.0.1:$port"; fi
}

api_curl() { # curl for the API, trusting the cluster CA under --tls
  if [[ $tls == 1 ]]; then
    curl --noproxy '*' --cacert "$state/certs/ca.crt" "$@"
  else
    curl --noproxy '*' "$@"
  fi
}

user_token() { # the token of user $1 in manager.toml
  awk -v u="$1" '/^name = / { n = $3 } /^token = / { gsub(/"/, "", $3); if (n == "\"" u "\"") print $3 }' \
    "$state/manager.toml"
}

alive_agents() {
  api_curl -s --max-time 2 -H "Authorization: Bearer $(user_token alice)" \
    "$(api_url)/v1/agents" | grep -o '"status":"ALIVE"' | wc -l
}

do_up() {
  local n=$1
  [[ $n =~ ^[1-9][0-9]*$ ]] || die "--agents needs a positive number"
  # Always through the build: it does nothing when the binaries are current, and a checkout
  # of newer sources never runs stale daemons.
  log "building into $build"
  "$top/scripts/install-deps.sh"
  cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" -j"${BAIKAL_JOBS:-2}" --target baikal-manager baikal-agent \
    baikal-kernel-runner baikalctl
  "$top/tests/harness/test-env.sh" up "$engine"
  set -a
  # shellcheck disable=SC1091
  . "$engine/env"
  set +a
  mkdir -p "$state"
  if [[ $tls == 1 ]]; then
    "$top/deploy/make-certs.sh" "$state/certs" >/dev/null
  fi
  write_manager_config

  if alive "$state/manager.pid"; then
    log "the manager runs already (pid $(cat "$state/manager.pid"))"
  else
    # `setsid prog &` in a subshell: $! is the daemon itself (setsid execs it), so the pid
    # file is what operators signal.
    (cd "$state" || exit 1
    setsid "$build/tools/baikal-manager/baikal-manager" \
      --config "$state/manager.toml" >>"$state/manager.log" 2>&1 </dev/null &
    echo $! >"$state/manager.pid")
    wait_for "api_curl -sf --max-time 1 $(api_url)/v1/health >/dev/null" 30 ||
      die "the manager did not answer on port $api_port; see $state/manager.log"
    log "manager up (pid $(cat "$state/manager.pid")), API on $(api_url)"
  fi

  if [[ $managers == 2 ]]; then
    if alive "$state/manager-2.pid"; then
      log "the second manager runs already (pid $(cat "$state/manager-2.pid"))"
    else
      # The same config on the next ports: it stands by until the first is gone.
      sed -e "s/port = $api_port }/port = $((api_port + 1)) }/" \
        -e "s/port = $agents_port }/port = $((agents_port + 1)) }/" \
        "$state/manager.toml" >"$state/manager-2.toml"
      chmod 600 "$state/manager-2.toml"
      (cd "$state" || exit 1
      setsid "$build/tools/baikal-manager/baikal-manager" \
        --config "$state/manager-2.toml" >>"$state/manager-2.log" 2>&1 </dev/null &
      echo $! >"$state/manager-2.pid")
      wait_for "api_curl -sf --max-time 1 $(api_url 1)/v1/health >/dev/null" 30 ||
        die "the second manager did not answer on port $((api_port + 1)); see $state/manager-2.log"
      log "second manager up (pid $(cat "$state/manager-2.pid")), standing by: API on $(api_url 1) (session reads; the rest is redirected to the leader)"
    fi
  fi

  for i in $(seq "$n"); do
    if alive "$state/agent-$i.pid"; then
      log "agent $i runs already (pid $(cat "$state/agent-$i.pid"))"
      continue
    fi
    write_agent_config "$i"
    (cd "$state/agent-$i" || exit 1
    DOCKER_HOST=unix://$BAIKAL_TEST_DOCKER_SOCK setsid \
      "$build/tools/baikal-agent/baikal-agent" --config "$state/agent-$i/agent.toml" \
      >>"$state/agent-$i/agent.log" 2>&1 </dev/null &
    echo $! >"$state/agent-$i.pid")
    log "agent $i started (pid $(cat "$state/agent-$i.pid"))"
  done
  wait_for "[ \$(alive_agents) -ge $n ]" 60 ||
    die "not every agent joined the manager; see $state/agent-*/agent.log"

  cat >"$state/env" <<ENV
BAIKAL_API_URL=$(api_url)$(if [[ $managers == 2 ]]; then echo ",$(api_url 1)"; fi)
$(if [[ $tls == 1 ]]; then echo "BAIKAL_CACERT=$state/certs/ca.crt"; fi)
BAIKAL_TOKEN=$(user_token alice)
BAIKAL_TOKEN_2=$(user_token bob)
BAIKAL_IMAGE=$BAIKAL_TEST_IMAGE
DOCKER_HOST=unix://$BAIKAL_TEST_DOCKER_SOCK
ENV
  log "$(alive_agents) agent(s) alive; environment in $state/env"
  log "web console: $(api_url)/ui/ (sign in with alice's token: $(user_token alice))"
  if [[ $tls == 1 ]]; then
    log "API: $(api_url) (HTTPS); trust its CA with --cacert $state/certs/ca.crt"
  fi
}

do_down() {
  local f
  for f in "$state"/agent-*.pid; do
    [[ -e $f ]] && stop_pidfile "$f"
  done
  stop_pidfile "$state/manager.pid"
  stop_pidfile "$state/manager-2.pid"
  if [[ -f $state/postgres/data/postmaster.pid ]]; then
    "$top/scripts/private-postgres.sh" down "$state/postgres"
  fi
  "$top/tests/harness/test-env.sh" down "$engine"
  log "down"
}

case "${1:-}" in
  up)
    shift
    agents=1
    while [[ $# -gt 0 ]]; do
      case $1 in
        --agents) agents=${2:-}; shift 2 ;;
        --agents=*) agents=${1#--agents=}; shift ;;
        --tls) tls=1; shift ;;
        --warm-pool) warm_pool=${2:-}; shift 2 ;;
        --warm-pool=*) warm_pool=${1#--warm-pool=}; shift ;;
        --store) store=${2:-}; shift 2 ;;
        --store=*) store=${1#--store=}; shift ;;
        --managers) managers=${2:-}; shift 2 ;;
        --managers=*) managers=${1#--managers=}; shift ;;
        *) die "unknown argument $1" ;;
      esac
    done
    [[ $warm_pool =~ ^[0-9]+$ && $warm_pool -le 64 ]] || die "--warm-pool needs a number from 0 to 64"
    [[ $store == sqlite || $store == postgres ]] || die "--store is sqlite or postgres"
    [[ $managers == 1 || $managers == 2 ]] || die "--managers is 1 or 2"
    [[ $managers == 1 || $store == postgres ]] || die "--managers 2 needs --store postgres (managers share the store)"
    do_up "$agents"
    ;;
  down) do_down ;;
  *) echo "usage: $0 up [--agents N] [--tls] [--warm-pool N] [--store sqlite|postgres] [--managers 1|2] | down" >&2; exit 2 ;;
esac
