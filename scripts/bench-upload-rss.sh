#!/usr/bin/env bash
# Streams one large file through the manager's HTTP API into a kernel of a local cluster
# (deploy/dev-cluster.sh with its own state and ports, so a dev cluster that runs is left alone)
# while sampling the resident set and the CPU time of the manager and of the agent, and copies
# the same file on the same disk with dd (1 MiB blocks, fsync) before and after the upload, for
# comparison. The kernel fsyncs the upload before it answers, so both sides end on the disk.
# Usage: scripts/bench-upload-rss.sh [SIZE_MIB]     (4096 by default; needs twice that free)
#        scripts/bench-upload-rss.sh down           stops the cluster it started
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export BAIKAL_DEV_CLUSTER_STATE=${BAIKAL_DEV_CLUSTER_STATE:-$top/var/bench-cluster}
export BAIKAL_DEV_ENGINE_STATE=${BAIKAL_DEV_ENGINE_STATE:-$top/var/bench-engine}
export BAIKAL_DEV_API_PORT=${BAIKAL_DEV_API_PORT:-18290}
export BAIKAL_DEV_AGENTS_PORT=${BAIKAL_DEV_AGENTS_PORT:-16390}
state=$BAIKAL_DEV_CLUSTER_STATE
cluster=$top/deploy/dev-cluster.sh
if [[ ${1:-} == down ]]; then
  exec "$cluster" down
fi
size_mib=${1:-4096}
log() { printf 'bench-upload-rss: %s\n' "$*" >&2; }

"$cluster" up >/dev/null
if ! grep -q '^max-upload-bytes' "$state/manager.toml"; then
  # The default bound (64 MiB) is for a shared manager; this one takes up to 16 GiB.
  sed -i 's/^\[api\]$/[api]\nmax-upload-bytes = 17179869184/' "$state/manager.toml"
  kill -TERM "$(cat "$state/manager.pid")"
  while kill -0 "$(cat "$state/manager.pid")" 2>/dev/null; do sleep 0.2; done
  rm -f "$state/manager.pid"
  "$cluster" up >/dev/null
fi
set -a
# shellcheck disable=SC1091
. "$state/env"
set +a
api() { curl -sS -H "Authorization: Bearer $BAIKAL_TOKEN" "$@"; }
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

id=$(api -X POST "$BAIKAL_API_URL/v1/sessions" -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench-upload-$$\",\"image\":\"$BAIKAL_IMAGE\",\"resources\":{\"cpu\":1,\"mem\":268435456}}" |
  json_field "['id']")
for _ in $(seq 600); do
  status=$(api "$BAIKAL_API_URL/v1/sessions/$id" | json_field "['status']")
  [[ $status == RUNNING || $status == ERROR ]] && break
  sleep 0.2
done
[[ $status == RUNNING ]] || { log "session $id is $status"; exit 1; }

src=$(mktemp -p "$state" bench-upload.XXXXXX)
trap 'rm -f "$src" "$src.copy"' EXIT
log "writing $size_mib MiB of random data"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom >"$src"
sync # nothing of the source left to write back while either side runs

# Copies the source with dd as a plain copy would, fsynced; prints the seconds it took.
plain_copy() {
  local start
  start=$(date +%s.%N)
  dd if="$src" of="$src.copy" bs=1M conv=fsync status=none
  echo "$(date +%s.%N) - $start" | bc
  rm -f "$src.copy"
  sync
}
copy_before=$(plain_copy)

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# User and system CPU seconds the process used so far.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
manager=$(cat "$state/manager.pid")
agent=$(cat "$state/agent-1.pid")
base_m=$(rss_kib "$manager")
base_a=$(rss_kib "$agent")
cpu_m=$(cpu_s "$manager")
cpu_a=$(cpu_s "$agent")
peak_file=$(mktemp)
(
  peak_m=$base_m peak_a=$base_a
  while [[ ! -e $peak_file.stop ]]; do
    m=$(rss_kib "$manager") a=$(rss_kib "$agent")
    ((m > peak_m)) && peak_m=$m
    ((a > peak_a)) && peak_a=$a
    echo "$peak_m $peak_a" >"$peak_file"
    sleep 0.1
  done
) &
sampler=$!

log "uploading through $BAIKAL_API_URL"
start=$(date +%s.%N)
code=$(api -o /dev/null -w '%{http_code}' -T "$src" \
  "$BAIKAL_API_URL/v1/sessions/$id/files?path=%2Fhome%2Fwork%2Fbench-upload.bin")
took=$(echo "$(date +%s.%N) - $start" | bc)
touch "$peak_file.stop"
wait "$sampler"
read -r peak_m peak_a <"$peak_file"
cpu_m=$(echo "$(cpu_s "$manager") - $cpu_m" | bc)
cpu_a=$(echo "$(cpu_s "$agent") - $cpu_a" | bc)
rm -f "$peak_file" "$peak_file.stop"
[[ $code == 200 ]] || { log "the upload answered $code"; exit 1; }
uploaded=$(find "$state/agent-1/scratch" -name bench-upload.bin -printf '%s\n' | head -1)
[[ $uploaded == $((size_mib * 1024 * 1024)) ]] || { log "the uploaded file has $uploaded bytes"; exit 1; }

copy_after=$(plain_copy)
copy_took=$(echo "($copy_before + $copy_after) / 2" | bc -l)
api -o /dev/null -X DELETE "$BAIKAL_API_URL/v1/sessions/$id"

printf 'upload %d MiB through the HTTP API: %.1f s, %.0f MiB/s\n' "$size_mib" "$took" \
  "$(echo "$size_mib / $took" | bc -l)"
printf 'dd copy, 1 MiB blocks, fsync:      %.1f s, %.0f MiB/s (before %.1f s, after %.1f s; ratio %.2f)\n' \
  "$copy_took" "$(echo "$size_mib / $copy_took" | bc -l)" "$copy_before" "$copy_after" \
  "$(echo "$copy_took / $took" | bc -l)"
printf 'CPU during the upload: manager %.1f s, agent %.1f s (load average %s)\n' "$cpu_m" \
  "$cpu_a" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'RSS growth: manager %.1f MiB (from %.1f), agent %.1f MiB (from %.1f)\n' \
  "$(echo "($peak_m - $base_m) / 1024" | bc -l)" "$(echo "$base_m / 1024" | bc -l)" \
  "$(echo "($peak_a - $base_a) / 1024" | bc -l)" "$(echo "$base_a / 1024" | bc -l)"
