#!/usr/bin/env bash
# Private Docker engine + two local registries for Baikal integration tests.
#
#   test-env.sh up   STATE_DIR   start everything (idempotent), write STATE_DIR/env
#   test-env.sh down STATE_DIR   stop everything, remove state (keeps *.log)
#
# Faults for the chaos tests, on an environment that is up (state and ports are kept):
#   test-env.sh engine-stop    STATE_DIR [--kill]       dockerd stops (TERM: its containers
#                                                       stop first; --kill: SIGKILL to dockerd,
#                                                       containerd and every shim, a crash)
#   test-env.sh engine-start   STATE_DIR                the same dockerd again (same socket)
#   test-env.sh registry-stop  STATE_DIR open|auth [--pause]   killed (--pause: SIGSTOP, it
#                                                       accepts connections and never answers)
#   test-env.sh registry-start STATE_DIR open|auth      running again on its port
#
# Never talks to the host's /var/run/docker.sock. Needs root, dockerd (docker.io),
# docker-registry, busybox-static, apache2-utils (htpasswd), curl, iproute2 (ss), gcc (static
# glibc, from build-essential).
# See README.md next to this file.
set -Eeuo pipefail
# say what failed when set -e stops the script outside of `die`
trap 'log "command failed (line $LINENO, exit $?): $BASH_COMMAND"' ERR

readonly IMAGE=baikal-test/busybox:1
readonly AUTH_USER=baikal
readonly AUTH_PASSWORD=baikal-secret
readonly PING_DEADLINE=60        # seconds for dockerd to answer /_ping
readonly RESTART_DEADLINE=600    # the same after engine-start: restoring a hundred crashed
                                 # containers' endpoints takes dockerd a second each
readonly REGISTRY_DEADLINE=20    # seconds for a registry to answer /v2/
readonly STOP_DEADLINE=20        # seconds for dockerd to exit after SIGTERM
readonly SOCK_MAX=100            # sun_path is 108 bytes incl. NUL; keep a margin

log() { printf 'test-env: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { printf '%s' "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1fs", b - a }'; }

usage() {
    echo "usage: $0 up|down|engine-stop|engine-start|registry-stop|registry-start STATE_DIR [ARGS]" >&2
    exit 2
}

[[ $# -ge 2 ]] || usage
CMD=$1
case $CMD in
    up | down | engine-start) [[ $# -eq 2 ]] || usage ;;
    engine-stop) [[ $# -eq 2 || ($# -eq 3 && $3 == --kill) ]] || usage ;;
    registry-stop) [[ ($# -eq 3 || ($# -eq 4 && $4 == --pause)) && ($3 == open || $3 == auth) ]] || usage ;;
    registry-start) [[ $# -eq 3 && ($3 == open || $3 == auth) ]] || usage ;;
    *) usage ;;
esac
[[ -n $2 ]] || usage
[[ $(id -u) -eq 0 ]] || die "must run as root (private dockerd)"

if [[ $CMD == down && ! -d $2 ]]; then
    log "nothing to stop ($2 does not exist)"
    exit 0
fi
mkdir -p "$2"
STATE=$(cd "$2" && pwd -P)
[[ $STATE != / ]] || die "refusing to use / as STATE_DIR"

# --- layout --------------------------------------------------------------------
DATA_ROOT=$STATE/data
DOCKERD_PIDFILE=$STATE/dockerd.pid
DOCKERD_LOG=$STATE/dockerd.log
DAEMON_JSON=$STATE/daemon.json
EXEC_ROOT_FILE=$STATE/exec-root        # holds the path of the /tmp/bkx.* exec root
SOCK_FILE=$STATE/socket                # holds the socket path actually used
PID_DIR=$STATE/pids
ENV_FILE=$STATE/env
CLI_CONFIG=$STATE/docker-config        # throwaway DOCKER_CONFIG (never ~/.docker)
BRIDGE_FILE=$STATE/bridge              # name of our private default bridge
GWBRIDGE_FILE=$STATE/gwbridge          # host bridge of the swarm's docker_gwbridge network
GLOBAL_LOCK=/run/lock/baikal-test-env.lock   # host-wide: serializes engine starts
[[ -d /run/lock ]] || GLOBAL_LOCK=/tmp/baikal-test-env.lock
# what our processes' command lines contain (cmdline_of ends every arg with a space)
DOCKERD_NEEDLE="--data-root $DATA_ROOT "
reg_needle() { printf '%s' "$STATE/registry-$1/config.yml "; }
# the only names `down` deletes inside STATE_DIR (never a blind rm of the directory)
STATE_ENTRIES=(data dockerd.pid daemon.json exec-root socket docker.sock bridge gwbridge pids env env.tmp
               docker-config registry-open registry-auth rootfs)

# The docker CLI must only ever see our engine.
unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH DOCKER_API_VERSION
export DOCKER_CONFIG=$CLI_CONFIG
# Prefer the CLI that ships with docker.io (same version as the engine).
if [[ -n ${BAIKAL_TEST_DOCKER_CLI:-} ]]; then DOCKER_CLI=$BAIKAL_TEST_DOCKER_CLI
elif [[ -x /usr/bin/docker ]]; then DOCKER_CLI=/usr/bin/docker
else DOCKER_CLI=$(command -v docker) || die "docker CLI not found"
fi

docker_cli() { DOCKER_HOST=unix://$SOCK "$DOCKER_CLI" "$@"; }
curl_q() { curl --noproxy '*' -s "$@"; }

# --- process helpers -------------------------------------------------------------
# running = exists and is not a zombie (our daemons are reparented to PID 1, which
# may reap late; kill -0 succeeds on a zombie)
alive() {
    [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null || return 1
    local st
    st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    st=${st##*) }
    [[ ${st:0:1} != Z ]]
}

# cmdline of a pid with NULs turned into spaces ("" if gone)
# (no fork: this runs for every process in pids_mentioning)
cmdline_of() {
    local -a args=()
    mapfile -d '' args 2>/dev/null <"/proc/$1/cmdline" || true
    ((${#args[@]})) && printf '%s ' "${args[@]}"
    return 0
}

# pid from a file, only if that process is alive and its cmdline contains $2
# (guards against pid reuse after a reboot or crash).
owned_pid() {
    local f=$1 needle=$2 pid
    [[ -f $f ]] || return 1
    pid=$(tr -dc '0-9' <"$f")
    alive "$pid" || return 1
    [[ $(cmdline_of "$pid") == *"$needle"* ]] || return 1
    printf '%s' "$pid"
}

# all descendants of the given pids (not including them)
descendants() {
    [[ $# -gt 0 ]] || return 0
    ps -e -o pid=,ppid= | awk -v roots="$*" '
        BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) want[r[i]] = 1 }
        { parent[$1] = $2; pids[++m] = $1 }
        END {
            changed = 1
            while (changed) {
                changed = 0
                for (i = 1; i <= m; i++) {
                    p = pids[i]
                    if (!(p in want) && (parent[p] in want)) { want[p] = 1; out[p] = 1; changed = 1 }
                }
            }
            for (p in out) print p
        }'
}

# pids whose command line mentions $1 (e.g. our exec root: containerd, shims)
pids_mentioning() {
    local needle=$1 f pid
    for f in /proc/[0-9]*/cmdline; do
        pid=${f#/proc/}; pid=${pid%/cmdline}
        [[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
        local -a args=()
        mapfile -d '' args 2>/dev/null <"$f" || continue
        if [[ " ${args[*]} " == *"$needle"* ]]; then echo "$pid"; fi
    done
}

# dockerd and registries of this STATE_DIR that are still alive
our_pids() {
    pids_mentioning "$DOCKERD_NEEDLE"
    pids_mentioning "$(reg_needle open)"
    pids_mentioning "$(reg_needle auth)"
}

# Bridge networks of this engine: dockerd keeps br-<id12> links and their iptables
# rules across a shutdown (the networks are persistent), so once the data root is
# gone they would leak. IDs come from the API (if it answers) and from libnetwork's
# store in the data root (if the engine crashed).
network_ids() {
    if [[ -n ${SOCK:-} ]] && ping_ok "$SOCK"; then
        timeout 20 "$DOCKER_CLI" -H "unix://$SOCK" network ls -q --no-trunc 2>/dev/null || true
    fi
    local db=$DATA_ROOT/network/files/local-kv.db
    if [[ -f $db ]]; then grep -aoE 'network/[0-9a-f]{64}' "$db" | cut -d/ -f2 || true; fi
}

remove_bridge() {
    local br=$1 table
    ip link show "$br" >/dev/null 2>&1 || return 0
    for table in filter nat; do
        { iptables-save -t "$table" 2>/dev/null || true; } | { grep -E -- "[ !]$br( |\$)" || true; } |
            sed 's/^-A /-D /' | while read -r rule; do
                # shellcheck disable=SC2086
                iptables -t "$table" $rule 2>/dev/null || true
            done
    done
    ip link del "$br" 2>/dev/null || true
    log "removed bridge $br"
}

# Baikal agents fence kernel bridges off the host and off each other with INPUT, FORWARD and
# BAIKAL-KERNELS-APART rules that outlive the agents; drop those whose bridge is gone (this
# engine's, or any other's)
remove_stale_fences() {
    local rule dev
    { iptables-save -t filter 2>/dev/null || true; } |
        { grep -E -- '^-A (INPUT|FORWARD|BAIKAL-KERNELS-APART) .*baikal-kernel-fence' || true; } |
        while read -r rule; do
            dev=$(sed -n 's/^-A [A-Z-]* -[io] \([^ ]*\) .*/\1/p' <<<"$rule")
            [[ -n $dev ]] && ! ip link show "$dev" >/dev/null 2>&1 || continue
            # shellcheck disable=SC2086
            iptables -t filter ${rule/#-A/-D} 2>/dev/null || true
        done
}

# SIGTERM pid, wait up to $2 seconds, then SIGKILL
stop_pid() {
    local pid=$1 deadline=$2 what=$3 t0
    alive "$pid" || return 0
    t0=$(now)
    kill -TERM "$pid" 2>/dev/null || true
    local end=$((SECONDS + deadline))
    while alive "$pid" && ((SECONDS < end)); do sleep 0.05; done
    if alive "$pid"; then
        log "$what (pid $pid) still alive after ${deadline}s, sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        end=$((SECONDS + 5))
        while alive "$pid" && ((SECONDS < end)); do sleep 0.05; done
    fi
    alive "$pid" && { log "WARNING: $what (pid $pid) did not die"; return 1; }
    log "$what stopped in $(since "$t0")"
}

# Start "$@" detached: own session, stdin from /dev/null, stdout/stderr appended to
# $LOGFILE, and every other inherited fd closed (so ctest's pipes and our flock fd
# are not held by the daemon). Sets $! to the daemon's pid.
spawn() {
    (
        for fd in "/proc/$BASHPID/fd"/*; do
            fd=${fd##*/}
            if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
        done
        exec setsid "$@" </dev/null >>"$LOGFILE" 2>&1
    ) &
}

# The private engine as up and engine-start run it, with exec root $1; $! is its pid after.
spawn_dockerd() {
    LOGFILE=$DOCKERD_LOG spawn dockerd \
        --config-file "$DAEMON_JSON" \
        --data-root "$DATA_ROOT" \
        --exec-root "$1" \
        --pidfile "$DOCKERD_PIDFILE" \
        --host "unix://$SOCK" \
        ${BRIDGE:+--bridge "$BRIDGE"} \
        --storage-driver vfs \
        --shutdown-timeout 1
}

port_free() { [[ -z $(ss -Hltn "sport = :$1" 2>/dev/null) ]]; }

pick_port() {
    local p i
    for ((i = 0; i < 200; i++)); do
        p=$((20000 + RANDOM % 20001))
        [[ ${USED_PORTS:-} == *" $p "* ]] && continue
        if port_free "$p"; then echo "$p"; return 0; fi
    done
    die "could not find a free port in 20000-40000"
}

# --- health checks ----------------------------------------------------------------
ping_ok() { [[ -S $1 ]] && [[ $(curl_q --max-time 3 --unix-socket "$1" http://d/_ping 2>/dev/null) == OK ]]; }
http_code() { curl_q -o /dev/null --max-time 2 -w '%{http_code}' "$1" 2>/dev/null || true; }

env_value() { sed -n "s/^$1=//p" "$ENV_FILE" 2>/dev/null | head -n1; }

healthy() {
    [[ -f $ENV_FILE ]] || return 1
    owned_pid "$DOCKERD_PIDFILE" "$DOCKERD_NEEDLE" >/dev/null || return 1
    SOCK=$(env_value BAIKAL_TEST_DOCKER_SOCK)
    ping_ok "$SOCK" || return 1
    owned_pid "$PID_DIR/registry-open.pid" "$(reg_needle open)" >/dev/null || return 1
    owned_pid "$PID_DIR/registry-auth.pid" "$(reg_needle auth)" >/dev/null || return 1
    [[ $(http_code "http://$(env_value BAIKAL_TEST_REGISTRY)/v2/") == 200 ]] || return 1
    [[ $(http_code "http://$(env_value BAIKAL_TEST_AUTH_REGISTRY)/v2/") == 401 ]] || return 1
}

# --- down -------------------------------------------------------------------------
do_down() {
    local t0 pid xr="" rc=0
    t0=$(now)
    [[ -f $EXEC_ROOT_FILE ]] && xr=$(<"$EXEC_ROOT_FILE")
    [[ -f $SOCK_FILE ]] && SOCK=$(<"$SOCK_FILE") || SOCK=""

    # 1. registries
    local name
    for name in open auth; do
        # pid file first; fall back to a scan in case the pid file got lost
        for pid in $(owned_pid "$PID_DIR/registry-$name.pid" "$(reg_needle "$name")" ||
                     pids_mentioning "$(reg_needle "$name")"); do
            stop_pid "$pid" 5 "registry ($name)" || rc=1
        done
    done

    # 2. containers, networks, then dockerd
    local netids
    netids=$(network_ids | sort -u | tr '\n' ' ')
    pid=$(owned_pid "$DOCKERD_PIDFILE" "$DOCKERD_NEEDLE" ||
          pids_mentioning "$DOCKERD_NEEDLE" | head -n1)
    if [[ -n $pid ]]; then
        if [[ -n $SOCK ]] && ping_ok "$SOCK"; then
            local ids
            ids=$(timeout 20 "$DOCKER_CLI" -H "unix://$SOCK" ps -aq 2>/dev/null || true)
            if [[ -n $ids ]]; then
                local t1; t1=$(now)
                log "removing $(wc -w <<<"$ids") container(s)"
                # shellcheck disable=SC2086
                timeout 60 "$DOCKER_CLI" -H "unix://$SOCK" rm -f $ids >/dev/null 2>&1 ||
                    log "WARNING: docker rm -f failed (continuing)"
                log "containers removed in $(since "$t1")"
            fi
        fi
        # user-defined networks: remove them through the engine (bridge + iptables); leaving
        # the swarm first frees docker_gwbridge so that the prune removes it too
        if [[ -n $SOCK ]] && ping_ok "$SOCK"; then
            timeout 30 "$DOCKER_CLI" -H "unix://$SOCK" swarm leave --force >/dev/null 2>&1 || true
            timeout 30 "$DOCKER_CLI" -H "unix://$SOCK" network prune -f >/dev/null 2>&1 ||
                log "WARNING: docker network prune failed (continuing)"
        fi
        # remember the whole tree (containerd, shims, docker-proxy, ...) in case we must SIGKILL
        local tree
        tree=$(descendants "$pid" | tr '\n' ' ')
        log "stopping private docker engine (pid $pid)..."
        stop_pid "$pid" "$STOP_DEADLINE" "docker engine" || rc=1
        for p in $tree; do
            if alive "$p"; then kill -KILL "$p" 2>/dev/null || true; fi
        done
    fi

    # 3. leftovers of the managed containerd: containerd and shims mention the exec root,
    #    container processes are children of the shims.
    if [[ -n $xr ]]; then
        local left
        left=$(pids_mentioning "$xr" | tr '\n' ' ')
        if [[ -n ${left// /} ]]; then
            log "killing leftover containerd processes: $left"
            local kids
            # shellcheck disable=SC2086
            kids=$(descendants $left | tr '\n' ' ')
            # shellcheck disable=SC2086
            kill -TERM $left 2>/dev/null || true
            sleep 1
            # shellcheck disable=SC2086
            kill -KILL $left $kids 2>/dev/null || true
            sleep 0.2
        fi
    fi

    # 4. bridges (and their iptables rules) the engine left behind
    local id
    for id in $netids; do remove_bridge "br-${id:0:12}"; done
    if [[ -f $BRIDGE_FILE ]]; then remove_bridge "$(<"$BRIDGE_FILE")"; fi
    if [[ -f $GWBRIDGE_FILE ]]; then remove_bridge "$(<"$GWBRIDGE_FILE")"; fi
    remove_stale_fences

    # 5. mounts under the data root / exec root (deepest first)
    local roots=("$DATA_ROOT") mp
    [[ -n $xr ]] && roots+=("$xr")
    local r
    for r in "${roots[@]}"; do
        # mountinfo field 5 = mount point, octal-escaped (\040 = space)
        while read -r mp; do
            [[ -n $mp ]] || continue
            umount -R "$mp" 2>/dev/null || umount -l "$mp" 2>/dev/null ||
                { log "WARNING: could not unmount $mp"; rc=1; }
        done < <(awk -v r="$r" '{ m = $5; gsub(/\\040/, " ", m); if (m == r || index(m, r "/") == 1) print length(m) " " m }' \
                     /proc/self/mountinfo | sort -rn | cut -d' ' -f2-)
    done

    # 6. files: keep *.log and the lock, remove everything else (incl. the vfs data root)
    if [[ -n $xr && $xr == /tmp/bkx.* && -d $xr ]]; then
        rm -rf --one-file-system "$xr" || { log "WARNING: could not remove $xr"; rc=1; }
    fi
    local f
    for f in "${STATE_ENTRIES[@]}"; do
        [[ -e $STATE/$f || -L $STATE/$f ]] || continue
        rm -rf --one-file-system "${STATE:?}/$f" || { log "WARNING: could not remove $STATE/$f"; rc=1; }
    done

    # 7. verify
    if [[ -n $xr ]] && [[ -n $(pids_mentioning "$xr") ]]; then
        log "WARNING: processes still mention $xr: $(pids_mentioning "$xr" | tr '\n' ' ')"
        rc=1
    fi
    local still
    still=$(our_pids | tr '\n' ' ')
    if [[ -n ${still// /} ]]; then
        log "WARNING: still running: $still"
        rc=1
    fi
    log "down in $(since "$t0")"
    return $rc
}

# --- up ---------------------------------------------------------------------------
# shellcheck disable=SC2086
ip2int() { local IFS=.; set -- $1; echo $(( ($1 << 24) | ($2 << 16) | ($3 << 8) | $4 )); }

# true if A.B.C.D/len overlaps any IPv4 route or interface address on the host
subnet_in_use() {
    local net=${1%/*} len=${1#*/} lo hi r rnet rlen rlo rhi
    lo=$(ip2int "$net"); hi=$((lo + (1 << (32 - len)) - 1))
    while read -r r; do
        [[ $r == default ]] && continue
        [[ $r == */* ]] || r=$r/32
        rnet=${r%/*}; rlen=${r#*/}
        [[ $rnet =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || continue
        rlo=$(( $(ip2int "$rnet") & ~((1 << (32 - rlen)) - 1) & 0xffffffff ))
        rhi=$((rlo + (1 << (32 - rlen)) - 1))
        ((lo <= rhi && rlo <= hi)) && return 0
    done < <(ip -4 route show table all 2>/dev/null | awk '{ print ($1 ~ /^[a-z]+$/ && $1 != "default") ? $2 : $1 }'
             ip -4 -o addr show 2>/dev/null | awk '{ print $4 }')
    return 1
}

# Our own default bridge, so the engine does not share docker0 (and its IP range,
# 172.17.0.2 twice) with other engines on this host. Sets BRIDGE ("" = use docker0).
create_bridge() {
    local name=$1 i n
    BRIDGE=""
    [[ -n ${BAIKAL_TEST_USE_DOCKER0:-} ]] && return 0
    for ((i = 0; i < 64; i++)); do
        n=$((RANDOM % 256))
        subnet_in_use "10.213.$n.0/24" && continue
        ip link add "$name" type bridge 2>/dev/null || break
        if ip addr add "10.213.$n.1/24" dev "$name" && ip link set "$name" up; then
            BRIDGE=$name
            echo "$name" >"$BRIDGE_FILE"
            log "bridge $name 10.213.$n.1/24"
            return 0
        fi
        ip link del "$name" 2>/dev/null || true
        break
    done
    log "WARNING: could not set up a private bridge, the engine shares docker0"
}

# Every dockerd start rebuilds the shared DOCKER / DOCKER-ISOLATION-STAGE-* chains with
# only its own bridges in them. With our own bridge that drops docker0's base rules,
# which other engines on this host (using docker0) rely on: put them back, as an
# engine on docker0 would have.
restore_docker0_rules() {
    [[ -n ${BRIDGE:-} ]] && ip link show docker0 >/dev/null 2>&1 || return 0
    local -a rules=(
        "filter DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2"
        "filter DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP"
        "nat DOCKER -i docker0 -j RETURN")
    local r table chain
    for r in "${rules[@]}"; do
        # shellcheck disable=SC2086
        set -- $r; table=$1 chain=$2; shift 2
        iptables -t "$table" -C "$chain" "$@" 2>/dev/null ||
            iptables -t "$table" -I "$chain" 1 "$@" 2>/dev/null || true
    done
}

# A single-node swarm, so that overlay networks (the manager's multi-node network plugin) can
# be tested. Swarm mode gives the engine a `docker_gwbridge` network whose host bridge is
# literally named docker_gwbridge: two harness engines would share and re-address it (as
# with docker0). Creating that network first, with our own bridge name and a free subnet,
# keeps each engine's apart. Runs under the global lock, like create_bridge.
init_swarm() {
    local name=$1 t0 i n subnet=""
    t0=$(now)
    for ((i = 0; i < 64; i++)); do
        n=$((RANDOM % 256))
        subnet_in_use "10.214.$n.0/24" || { subnet=10.214.$n.0/24; break; }
    done
    [[ -n $subnet ]] || die "no free /24 in 10.214.0.0/16 for docker_gwbridge"
    echo "$name" >"$GWBRIDGE_FILE"
    docker_cli network create --subnet "$subnet" \
        --opt com.docker.network.bridge.name="$name" \
        --opt com.docker.network.bridge.enable_icc=false \
        --opt com.docker.network.bridge.enable_ip_masquerade=true docker_gwbridge >/dev/null
    # The swarm's gossip (which carries the overlay networks' DNS names) binds port 7946 of
    # the advertised address, and its VXLAN port is one per host: a second engine on
    # 127.0.0.1 could bind neither, and names on its overlay networks did not resolve. Each
    # engine gets a loopback address and a data port of its own.
    local addr="" port=""
    for ((i = 0; i < 64; i++)); do
        n=127.77.$((RANDOM % 256)).$((1 + RANDOM % 254))
        ss -Hltun "( sport = :7946 )" | grep -q " $n:7946 " || { addr=$n; break; }
    done
    [[ -n $addr ]] || die "no free loopback address for the swarm's gossip port 7946"
    for ((i = 0; i < 64; i++)); do
        n=$((20000 + RANDOM % 20000))
        [[ -z $(ss -Hlun "( sport = :$n )") ]] && { port=$n; break; }
    done
    [[ -n $port ]] || die "no free UDP port for the swarm's data path"
    docker_cli swarm init --listen-addr "$addr:0" --advertise-addr "$addr" \
        --data-path-port "$port" >/dev/null
    log "single-node swarm in $(since "$t0") (docker_gwbridge on $name, $subnet; gossip on $addr, data path port $port)"
}

start_dockerd() {
    local t0 xr pid attempt p
    xr=$(mktemp -d /tmp/bkx.XXXXXX)
    echo "$xr" >"$EXEC_ROOT_FILE"
    if ((${#STATE} + 12 <= SOCK_MAX)); then SOCK=$STATE/docker.sock
    else SOCK=$xr/docker.sock; log "state dir path is long, socket goes to $SOCK"
    fi
    echo "$SOCK" >"$SOCK_FILE"
    mkdir -p "$DATA_ROOT"
    # our own (empty) daemon.json so /etc/docker/daemon.json can't interfere
    echo '{}' >"$DAEMON_JSON"

    # Engines starting at the same time race on the shared iptables chains
    # ("unable to add return rule in DOCKER-ISOLATION-STAGE-2 chain"): serialize our
    # own starts host-wide, and retry in case a foreign engine starts concurrently.
    exec 8>"$GLOBAL_LOCK"
    flock -w 120 8 || die "timed out waiting for $GLOBAL_LOCK"
    # bridges of harness engines whose state was deleted without `down`: the exec root
    # /tmp/bkx.XXXXXX lives exactly as long as the engine's bridge bk-XXXXXX
    local br
    for br in $(ip -o link show type bridge 2>/dev/null | awk -F': ' '{ print $2 }' | cut -d@ -f1); do
        if [[ $br =~ ^bkg?-[A-Za-z0-9]{6}$ && ! -d /tmp/bkx.${br#*-} ]]; then remove_bridge "$br"; fi
    done
    create_bridge "bk-${xr#/tmp/bkx.}"

    for attempt in 1 2 3; do
        printf '\n===== test-env.sh up %s (attempt %s) =====\n' "$(date -Is)" "$attempt" >>"$DOCKERD_LOG"
        log "starting private docker engine..."
        t0=$(now)
        spawn_dockerd "$xr"
        pid=$!
        local end=$((SECONDS + PING_DEADLINE))
        until ping_ok "$SOCK"; do
            alive "$pid" || break
            if ((SECONDS >= end)); then
                tail -n 30 "$DOCKERD_LOG" >&2 || true
                die "dockerd did not answer /_ping within ${PING_DEADLINE}s (log: $DOCKERD_LOG)"
            fi
            sleep 0.05
        done
        alive "$pid" && break
        # exited during startup: clear what it left (containerd) and maybe retry
        for p in $(pids_mentioning "$xr"); do kill -KILL "$p" 2>/dev/null || true; done
        if ((attempt == 3)); then
            tail -n 30 "$DOCKERD_LOG" >&2 || true
            die "dockerd exited during startup (log: $DOCKERD_LOG)"
        fi
        log "dockerd exited during startup ($(grep -m1 -o 'failed to start daemon.*' \
            <(tail -n 5 "$DOCKERD_LOG") | cut -c1-120 || true)), retrying"
        sleep "0.$((RANDOM % 9 + 1))"
    done
    restore_docker0_rules
    init_swarm "bkg-${xr#/tmp/bkx.}"
    exec 8>&-
    # dockerd writes the pidfile itself; make sure it is the process we started
    [[ $(tr -dc '0-9' <"$DOCKERD_PIDFILE" 2>/dev/null) == "$pid" ]] || echo "$pid" >"$DOCKERD_PIDFILE"
    log "engine ready in $(since "$t0") (pid $pid, socket $SOCK)"
}

# start_registry NAME WANT_CODE -> sets REG_PORT
start_registry() {
    local name=$1 want=$2 dir=$STATE/registry-$1 attempt port pid t0 code
    mkdir -p "$dir/data"
    local auth=""
    if [[ $name == auth ]]; then
        htpasswd -Bbn "$AUTH_USER" "$AUTH_PASSWORD" >"$dir/htpasswd"
        auth=$(printf 'auth:\n  htpasswd:\n    realm: baikal-test\n    path: %s\n' "$dir/htpasswd")
    fi
    t0=$(now)
    for attempt in 1 2 3 4 5; do
        port=$(pick_port)
        cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$port
  secret: $(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
$auth
EOF
        printf '\n===== test-env.sh up %s port %s =====\n' "$(date -Is)" "$port" >>"$STATE/registry-$name.log"
        LOGFILE=$STATE/registry-$name.log spawn docker-registry serve "$dir/config.yml"
        pid=$!
        echo "$pid" >"$PID_DIR/registry-$name.pid"
        local end=$((SECONDS + REGISTRY_DEADLINE))
        while alive "$pid" && ((SECONDS < end)); do
            code=$(http_code "http://127.0.0.1:$port/v2/")
            [[ $code == "$want" ]] && break
            sleep 0.05
        done
        if alive "$pid" && [[ $code == "$want" ]]; then
            REG_PORT=$port
            USED_PORTS="${USED_PORTS:- } $port "
            log "registry ($name) ready on 127.0.0.1:$port in $(since "$t0")"
            return 0
        fi
        if alive "$pid"; then
            stop_pid "$pid" 2 "registry ($name)" || true
            tail -n 20 "$STATE/registry-$name.log" >&2 || true
            die "registry ($name) did not answer /v2/ with $want within ${REGISTRY_DEADLINE}s (got '${code:-}')"
        fi
        if grep -q 'address already in use' <(tail -n 5 "$STATE/registry-$name.log"); then
            log "port $port got taken, retrying ($attempt)"
            continue
        fi
        tail -n 20 "$STATE/registry-$name.log" >&2 || true
        die "registry ($name) exited during startup"
    done
    die "registry ($name): no usable port after 5 attempts"
}

build_image() {
    local t0 rootfs=$STATE/rootfs a
    t0=$(now)
    log "building $IMAGE from /bin/busybox..."
    [[ -x /bin/busybox ]] || die "/bin/busybox missing (apt-get install busybox-static)"
    rm -rf "$rootfs"
    mkdir -p "$rootfs"/{bin,etc,root,tmp,home/work}
    chmod 1777 "$rootfs/tmp"
    chmod 700 "$rootfs/root"
    cp /bin/busybox "$rootfs/bin/busybox"
    # setuid root, prints its effective uid: kernels must not become root through it
    printf '#include <stdio.h>\n#include <unistd.h>\nint main(void) { printf("%%d\\n", (int)geteuid()); return 0; }\n' |
        gcc -static -O2 -x c -o "$rootfs/bin/setuid-euid" - || die "gcc -static failed (apt-get install build-essential)"
    chmod 4755 "$rootfs/bin/setuid-euid"
    for a in $(/bin/busybox --list); do
        [[ $a == busybox ]] || ln -s busybox "$rootfs/bin/$a"
    done
    cat >"$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
work:x:1000:1000:work:/home/work:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
    cat >"$rootfs/etc/group" <<'EOF'
root:x:0:
work:x:1000:
nogroup:x:65534:
EOF
    chown 1000:1000 "$rootfs/home/work"
    tar --numeric-owner -C "$rootfs" -c . |
        docker_cli import --change 'CMD ["sh"]' --change 'WORKDIR /home/work' - "$IMAGE" >/dev/null
    rm -rf "$rootfs"
    log "image built in $(since "$t0")"
}

push_image() {
    local reg=$1 t0 out
    t0=$(now)
    docker_cli tag "$IMAGE" "$reg/$IMAGE"
    if ! out=$(docker_cli push "$reg/$IMAGE" 2>&1); then
        printf '%s\n' "$out" >&2
        die "push to $reg failed"
    fi
    log "pushed $reg/$IMAGE in $(since "$t0")"
}

do_up() {
    local t_all
    t_all=$(now)
    if healthy; then
        log "already up (engine ${SOCK}, registries $(env_value BAIKAL_TEST_REGISTRY) $(env_value BAIKAL_TEST_AUTH_REGISTRY))"
        return 0
    fi
    if [[ -e $EXEC_ROOT_FILE || -e $DOCKERD_PIDFILE || -d $PID_DIR || -e $ENV_FILE ]]; then
        log "found stale or partial state in $STATE, cleaning up first"
        do_down || log "WARNING: cleanup of stale state reported problems (continuing)"
    fi
    mkdir -p "$PID_DIR" "$CLI_CONFIG"

    # on any failure: tear down what we started (logs stay), unless asked not to
    trap 'rc=$?; if ((rc != 0)); then
            if [[ -n ${BAIKAL_TEST_KEEP_ON_FAILURE:-} ]]; then log "up failed, leaving state for debugging";
            else log "up failed, tearing down"; do_down || true; fi
          fi' EXIT

    start_dockerd
    start_registry open 200; local open_port=$REG_PORT
    start_registry auth 401; local auth_port=$REG_PORT
    build_image
    push_image "127.0.0.1:$open_port"
    printf '%s\n' "$AUTH_PASSWORD" |
        docker_cli login --username "$AUTH_USER" --password-stdin "127.0.0.1:$auth_port" >/dev/null 2>&1 ||
        die "docker login to 127.0.0.1:$auth_port failed"
    push_image "127.0.0.1:$auth_port"

    cat >"$ENV_FILE.tmp" <<EOF
DOCKER_HOST=unix://$SOCK
BAIKAL_TEST_DOCKER_SOCK=$SOCK
BAIKAL_TEST_REGISTRY=127.0.0.1:$open_port
BAIKAL_TEST_AUTH_REGISTRY=127.0.0.1:$auth_port
BAIKAL_TEST_AUTH_USER=$AUTH_USER
BAIKAL_TEST_AUTH_PASSWORD=$AUTH_PASSWORD
BAIKAL_TEST_IMAGE=$IMAGE
BAIKAL_TEST_REGISTRY_IMAGE=127.0.0.1:$open_port/$IMAGE
BAIKAL_TEST_AUTH_REGISTRY_IMAGE=127.0.0.1:$auth_port/$IMAGE
EOF
    mv "$ENV_FILE.tmp" "$ENV_FILE"
    trap - EXIT
    log "up in $(since "$t_all"); env written to $ENV_FILE"
}

# --- faults (chaos tests) -----------------------------------------------------------
require_up() {
    [[ -f $ENV_FILE && -f $EXEC_ROOT_FILE && -f $SOCK_FILE ]] || die "$STATE is not up"
    SOCK=$(<"$SOCK_FILE")
}

do_engine_stop() {
    local mode=${1:-} pid xr tree p t0
    require_up
    t0=$(now)
    xr=$(<"$EXEC_ROOT_FILE")
    pid=$(owned_pid "$DOCKERD_PIDFILE" "$DOCKERD_NEEDLE" || true)
    if [[ $mode == --kill ]]; then
        # dockerd, its containerd, the shims and the containers' processes, all at once
        tree="$pid $(pids_mentioning "$xr" | tr '\n' ' ')"
        # shellcheck disable=SC2086
        [[ -n ${tree// /} ]] && tree="$tree $(descendants $tree | tr '\n' ' ')"
        # shellcheck disable=SC2086
        for p in $tree; do kill -KILL "$p" 2>/dev/null || true; done
        for p in $tree; do
            local end=$((SECONDS + 10))
            while alive "$p" && ((SECONDS < end)); do sleep 0.02; done
        done
        log "engine killed in $(since "$t0")"
    elif [[ -n $pid ]]; then
        stop_pid "$pid" "$STOP_DEADLINE" "docker engine"
    else
        log "engine already stopped"
    fi
}

do_engine_start() {
    local xr pid t0
    require_up
    if ping_ok "$SOCK"; then log "engine already answers"; return 0; fi
    xr=$(<"$EXEC_ROOT_FILE")
    [[ -f $BRIDGE_FILE ]] && BRIDGE=$(<"$BRIDGE_FILE") || BRIDGE=""
    # a killed dockerd leaves its pid file, which a new one refuses to start over; its
    # containerd's, whose pid may belong to another process by now, makes it wait for a
    # containerd that is not there
    owned_pid "$DOCKERD_PIDFILE" "$DOCKERD_NEEDLE" >/dev/null || rm -f "$DOCKERD_PIDFILE"
    owned_pid "$xr/containerd/containerd.pid" "$xr" >/dev/null || rm -f "$xr/containerd/containerd.pid"
    exec 8>"$GLOBAL_LOCK"
    flock -w 120 8 || die "timed out waiting for $GLOBAL_LOCK"
    printf '\n===== test-env.sh engine-start %s =====\n' "$(date -Is)" >>"$DOCKERD_LOG"
    t0=$(now)
    spawn_dockerd "$xr"
    pid=$!
    local end=$((SECONDS + RESTART_DEADLINE)) unlock=$((SECONDS + PING_DEADLINE))
    until ping_ok "$SOCK"; do
        alive "$pid" || { exec 8>&-; tail -n 30 "$DOCKERD_LOG" >&2 || true; die "dockerd exited during restart"; }
        ((SECONDS < end)) || { exec 8>&-; die "dockerd did not answer /_ping within ${RESTART_DEADLINE}s"; }
        # other engines' starts wait for the host-wide lock: not for all of a long restore
        ((SECONDS < unlock)) || exec 8>&-
        sleep 0.05
    done
    restore_docker0_rules
    exec 8>&-
    [[ $(tr -dc '0-9' <"$DOCKERD_PIDFILE" 2>/dev/null) == "$pid" ]] || echo "$pid" >"$DOCKERD_PIDFILE"
    log "engine answers again in $(since "$t0") (pid $pid)"
}

do_registry_stop() {
    local name=$1 mode=${2:-} pid
    require_up
    pid=$(owned_pid "$PID_DIR/registry-$name.pid" "$(reg_needle "$name")" || true)
    [[ -n $pid ]] || { log "registry ($name) is not running"; return 0; }
    if [[ $mode == --pause ]]; then
        kill -STOP "$pid"
        log "registry ($name) paused (pid $pid)"
    else
        # SIGKILL, also when paused: a registry that goes away answers nothing it had pending
        kill -KILL "$pid" 2>/dev/null || true
        local end=$((SECONDS + 10))
        while alive "$pid" && ((SECONDS < end)); do sleep 0.02; done
        log "registry ($name) killed (pid $pid)"
    fi
}

do_registry_start() {
    local name=$1 pid dir want port end code
    require_up
    dir=$STATE/registry-$name
    pid=$(owned_pid "$PID_DIR/registry-$name.pid" "$(reg_needle "$name")" || true)
    if [[ -n $pid ]]; then
        kill -CONT "$pid"
        log "registry ($name) resumed (pid $pid)"
        return 0
    fi
    [[ $name == open ]] && want=200 || want=401
    port=$(sed -n 's/^  addr: 127.0.0.1://p' "$dir/config.yml")
    printf '\n===== test-env.sh registry-start %s port %s =====\n' "$(date -Is)" "$port" >>"$STATE/registry-$name.log"
    LOGFILE=$STATE/registry-$name.log spawn docker-registry serve "$dir/config.yml"
    pid=$!
    echo "$pid" >"$PID_DIR/registry-$name.pid"
    end=$((SECONDS + REGISTRY_DEADLINE))
    while alive "$pid" && ((SECONDS < end)); do
        code=$(http_code "http://127.0.0.1:$port/v2/")
        [[ $code == "$want" ]] && { log "registry ($name) answers again on 127.0.0.1:$port"; return 0; }
        sleep 0.05
    done
    die "registry ($name) did not answer /v2/ again on port $port"
}

# --- main -------------------------------------------------------------------------
# serialize up/down on the same STATE_DIR (the lock file survives down)
exec 9>"$STATE/.lock"
flock -w 300 9 || die "timed out waiting for the lock on $STATE/.lock"

case $CMD in
    up) do_up ;;
    engine-stop) do_engine_stop "${3:-}" ;;
    engine-start) do_engine_start ;;
    registry-stop) do_registry_stop "$3" "${4:-}" ;;
    registry-start) do_registry_start "$3" ;;
    down)
        if do_down; then exit 0; fi
        log "down finished with warnings"
        # only fail if something we own is still running
        if [[ -n $(our_pids) ]]; then exit 1; fi
        exit 0
        ;;
esac
