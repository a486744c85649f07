#!/usr/bin/env bash
# Three network namespaces for Baikal's cluster tests: one for the manager and one for each of
# two agents, each joined by a veth link to a bridge in the root namespace, on a private /24.
#
#   netns.sh up      STATE_DIR        create everything (idempotent), write STATE_DIR/env
#   netns.sh down    STATE_DIR        kill what runs in the namespaces, remove them, the bridge,
#                                     the links and the firewall rule (also after a failed run)
#   netns.sh cut     STATE_DIR NODE   take NODE's link down on the root side (NODE: manager,
#   netns.sh restore STATE_DIR NODE   agent-1, agent-2); restore takes it up again
#
# STATE_DIR/env holds KEY=VALUE lines: BAIKAL_NETNS_BRIDGE, BAIKAL_NETNS_HOST_ADDR (the root
# namespace's address on the bridge) and, for each NODE (MANAGER, AGENT_1, AGENT_2),
# BAIKAL_NETNS_<NODE> (the namespace), BAIKAL_NETNS_<NODE>_ADDR and BAIKAL_NETNS_<NODE>_LINK (the
# root side of its veth). Names carry a random id, so parallel runs never collide.
# Needs root and iproute2; iptables when the host filters bridged traffic (Docker does).
set -Eeuo pipefail
trap 'log "command failed (line $LINENO, exit $?): $BASH_COMMAND"' ERR

readonly NODES=(manager agent-1 agent-2)

log() { printf 'netns: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
  echo "usage: $0 up|down STATE_DIR | cut|restore STATE_DIR manager|agent-1|agent-2" >&2
  exit 2
}

[[ $# -ge 2 ]] || usage
CMD=$1
[[ $(id -u) -eq 0 ]] || die "must run as root (ip netns)"
if [[ $CMD == down && ! -d $2 ]]; then
  log "nothing to remove ($2 does not exist)"
  exit 0
fi
mkdir -p "$2"
STATE=$(cd "$2" && pwd -P)
ENV_FILE=$STATE/env
ID_FILE=$STATE/id     # written first: `down` finds everything from it, even after a failed up
SUBNET_FILE=$STATE/subnet
OWNERS=/run/baikal-netns # run id -> STATE_DIR, host-wide
[[ -d /run ]] || OWNERS=/tmp/baikal-netns

env_value() { sed -n "s/^$1=//p" "$ENV_FILE" 2>/dev/null | head -n1; }
key_of() { local k=${1^^}; printf '%s' "${k//-/_}"; }    # agent-1 -> AGENT_1

# shellcheck disable=SC2086
ip2int() { local IFS=.; set -- $1; echo $((($1 << 24) | ($2 << 16) | ($3 << 8) | $4)); }

# True if A.B.C.D/len overlaps any IPv4 route or interface address of the host.
subnet_in_use() {
  local net=${1%/*} len=${1#*/} lo hi r rnet rlen rlo rhi
  lo=$(ip2int "$net")
  hi=$((lo + (1 << (32 - len)) - 1))
  while read -r r; do
    [[ $r == default ]] && continue
    [[ $r == */* ]] || r=$r/32
    rnet=${r%/*}
    rlen=${r#*/}
    [[ $rnet =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || continue
    rlo=$(($(ip2int "$rnet") & ~((1 << (32 - rlen)) - 1) & 0xffffffff))
    rhi=$((rlo + (1 << (32 - rlen)) - 1))
    ((lo <= rhi && rlo <= hi)) && return 0
  done < <(ip -4 route show table all 2>/dev/null |
             awk '{ print ($1 ~ /^[a-z]+$/ && $1 != "default") ? $2 : $1 }'
           ip -4 -o addr show 2>/dev/null | awk '{ print $4 }')
  return 1
}

# Names from the run's id: interface names must stay within 15 characters.
names_of() {
  local id=$1
  BRIDGE=bkc-br-$id
  for node in "${NODES[@]}"; do
    local short=${node/agent-/a}
    short=${short/manager/m}
    printf -v "NS_$(key_of "$node")" '%s' "bkc-$id-$node"
    printf -v "LINK_$(key_of "$node")" '%s' "bkc-$id-$short"
    printf -v "PEER_$(key_of "$node")" '%s' "bkc-$id-${short}p"
  done
}

# Docker's FORWARD policy is DROP and, with br_netfilter, bridged frames pass FORWARD: let our
# bridge's own traffic through.
FORWARD_RULE() { printf '%s' "FORWARD -i $BRIDGE -o $BRIDGE -j ACCEPT"; }

# Which STATE_DIR made run $1, so that a later `up` can tell an abandoned run from a live one.
owner_file() { printf '%s' "$OWNERS/$1"; }

do_down() {
  [[ -f $ID_FILE ]] || { log "nothing to remove in $STATE"; return 0; }
  remove_run "$(<"$ID_FILE")"
  rm -f "$ENV_FILE" "$ID_FILE" "$SUBNET_FILE"
}

# Removes everything of run $1: what runs in its namespaces, the namespaces, links, rule, bridge.
remove_run() {
  names_of "$1"
  local node ns pids rc=0
  for node in "${NODES[@]}"; do
    ns_var=NS_$(key_of "$node")
    ns=${!ns_var}
    ip netns list 2>/dev/null | grep -qw -- "$ns" || continue
    pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
    if [[ -n ${pids// /} ]]; then
      log "killing what still runs in $ns: $pids"
      # shellcheck disable=SC2086
      kill -KILL $pids 2>/dev/null || true
      for _ in $(seq 50); do [[ -z $(ip netns pids "$ns" 2>/dev/null) ]] && break; sleep 0.1; done
    fi
    # Deleting the namespace deletes its end of the veth, and with it the root side.
    ip netns delete "$ns" 2>/dev/null || { log "WARNING: could not delete $ns"; rc=1; }
    link_var=LINK_$(key_of "$node")
    ip link del "${!link_var}" 2>/dev/null || true
  done
  # shellcheck disable=SC2046
  while iptables -C $(FORWARD_RULE) 2>/dev/null; do iptables -D $(FORWARD_RULE) || break; done
  ip link del "$BRIDGE" 2>/dev/null || true
  rm -f "$(owner_file "$1")"
  log "removed namespaces and bridge $BRIDGE"
  return $rc
}

# Runs whose STATE_DIR was deleted without `down` (a wiped build directory): their bridge is
# still there but their owner no longer names them.
remove_abandoned_runs() {
  local br id owner
  for br in $(ip -o link show type bridge 2>/dev/null | awk -F': ' '{ print $2 }' | cut -d@ -f1); do
    [[ $br =~ ^bkc-br-([0-9a-f]{6})$ ]] || continue
    id=${BASH_REMATCH[1]}
    owner=$(cat "$(owner_file "$id")" 2>/dev/null || true)
    if [[ -z $owner || $(cat "$owner/id" 2>/dev/null || true) != "$id" ]]; then
      log "removing abandoned run $id"
      remove_run "$id" || true
    fi
  done
}

# Whether namespace $1 gets an answer from address $2 (busybox's ping: iputils may be missing).
reaches() {
  local ping=(ping)
  command -v ping >/dev/null || ping=(/bin/busybox ping)
  for _ in $(seq 50); do
    ip netns exec "$1" "${ping[@]}" -c1 -W1 "$2" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

pick_subnet() {
  local i n
  for ((i = 0; i < 64; i++)); do
    n=$((RANDOM % 256))
    subnet_in_use "10.217.$n.0/24" || { echo "10.217.$n"; return 0; }
  done
  die "no free /24 in 10.217.0.0/16"
}

do_up() {
  if [[ -f $ENV_FILE ]] && ip link show "$(env_value BAIKAL_NETNS_BRIDGE)" >/dev/null 2>&1; then
    log "already up (bridge $(env_value BAIKAL_NETNS_BRIDGE))"
    return 0
  fi
  do_down || true
  remove_abandoned_runs
  local id subnet node i=2
  id=$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')
  echo "$id" >"$ID_FILE"
  mkdir -p "$OWNERS"
  echo "$STATE" >"$(owner_file "$id")"
  names_of "$id"
  trap 'rc=$?; if ((rc != 0)); then log "up failed, removing what it made"; do_down || true; fi' EXIT
  subnet=$(pick_subnet)
  echo "$subnet" >"$SUBNET_FILE"
  ip link add "$BRIDGE" type bridge
  ip addr add "$subnet.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  # shellcheck disable=SC2046
  if command -v iptables >/dev/null; then iptables -I $(FORWARD_RULE); fi
  {
    echo "BAIKAL_NETNS_BRIDGE=$BRIDGE"
    echo "BAIKAL_NETNS_HOST_ADDR=$subnet.1"
  } >"$ENV_FILE.tmp"
  for node in "${NODES[@]}"; do
    local key ns link peer
    key=$(key_of "$node")
    ns_var=NS_$key link_var=LINK_$key peer_var=PEER_$key
    ns=${!ns_var} link=${!link_var} peer=${!peer_var}
    ip netns add "$ns"
    ip link add "$link" type veth peer name "$peer"
    ip link set "$peer" netns "$ns"
    ip link set "$link" master "$BRIDGE"
    ip link set "$link" up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$subnet.$i/24" dev "$peer"
    ip -n "$ns" link set "$peer" up
    {
      echo "BAIKAL_NETNS_$key=$ns"
      echo "BAIKAL_NETNS_${key}_ADDR=$subnet.$i"
      echo "BAIKAL_NETNS_${key}_LINK=$link"
    } >>"$ENV_FILE.tmp"
    i=$((i + 1))
  done
  # Every namespace reaches the root namespace and the manager before anyone relies on it.
  for node in "${NODES[@]}"; do
    ns_var=NS_$(key_of "$node")
    reaches "${!ns_var}" "$subnet.1" || die "${!ns_var} does not reach $subnet.1"
    reaches "${!ns_var}" "$subnet.2" || die "${!ns_var} does not reach $subnet.2"
  done
  mv "$ENV_FILE.tmp" "$ENV_FILE"
  trap - EXIT
  log "up: bridge $BRIDGE on $subnet.0/24; namespaces ${NS_MANAGER}, ${NS_AGENT_1}, ${NS_AGENT_2}"
}

set_link() {
  local node=$1 state=$2 link
  case $node in manager | agent-1 | agent-2) ;; *) usage ;; esac
  link=$(env_value "BAIKAL_NETNS_$(key_of "$node")_LINK")
  [[ -n $link ]] || die "no link for $node in $ENV_FILE: run up first"
  ip link set "$link" "$state"
  log "$node's link $link is $state"
}

# Serialises up, down, cut and restore on the same STATE_DIR.
exec 9>"$STATE/.lock"
flock -w 120 9 || die "timed out waiting for the lock on $STATE/.lock"

case $CMD in
  up) do_up ;;
  down) do_down ;;
  cut) [[ $# -eq 3 ]] || usage; set_link "$3" down ;;
  restore) [[ $# -eq 3 ]] || usage; set_link "$3" up ;;
  *) usage ;;
esac
