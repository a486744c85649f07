#!/bin/sh
# Makes the TLS material of a Baikal cluster with the openssl command line:
#   OUT/ca.crt, OUT/ca.key          the cluster CA (kept if it exists: re-run to add nodes)
#   OUT/NODE.crt, OUT/NODE.key      one certificate per node, signed by that CA
#
# usage: deploy/make-certs.sh [--days N] [--force] OUT_DIR [NODE ...]
#   NODE defaults to "manager agent-1". The node name becomes the certificate's CN and DNS
#   subjectAltName; give each agent the name it registers with (agent.id): the manager refuses
#   an agent whose certificate names another. --force remakes existing node certificates.
#
# Every node then gets its own NODE.crt and NODE.key and the shared ca.crt (never ca.key):
#   baikal-agent   --tls-cert agent-1.crt --tls-key agent-1.key --tls-ca ca.crt
#   or in the TOML file: [tls] certificate = ..., key = ..., ca = ...
# A node whose certificate is not signed by this CA is refused by the others.
set -eu

days=825
force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --days) days="$2"; shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "make-certs.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ $# -lt 1 ]; then
  echo "usage: make-certs.sh [--days N] [--force] OUT_DIR [NODE ...]" >&2
  exit 2
fi
out="$1"
shift
[ $# -gt 0 ] || set -- manager agent-1

command -v openssl >/dev/null || { echo "make-certs.sh: the openssl command is missing" >&2; exit 1; }
mkdir -p "$out"
umask 077

if [ ! -f "$out/ca.crt" ] || [ ! -f "$out/ca.key" ]; then
  openssl ecparam -name prime256v1 -genkey -noout -out "$out/ca.key.tmp"
  openssl pkcs8 -topk8 -nocrypt -in "$out/ca.key.tmp" -out "$out/ca.key"
  rm -f "$out/ca.key.tmp"
  openssl req -x509 -new -key "$out/ca.key" -sha256 -days "$days" -subj "/CN=Baikal cluster CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$out/ca.crt"
  echo "made the cluster CA: $out/ca.crt"
fi

ext="$out/.node-ext.cnf"
trap 'rm -f "$ext" "$out"/*.csr "$out"/*.key.tmp' EXIT
for node in "$@"; do
  case "$node" in
    *[!A-Za-z0-9._-]*|'') echo "make-certs.sh: bad node name '$node'" >&2; exit 2 ;;
  esac
  if [ "$force" -eq 0 ] && [ -f "$out/$node.crt" ] && [ -f "$out/$node.key" ]; then
    echo "kept $out/$node.crt"
    continue
  fi
  openssl ecparam -name prime256v1 -genkey -noout -out "$out/$node.key.tmp"
  openssl pkcs8 -topk8 -nocrypt -in "$out/$node.key.tmp" -out "$out/$node.key"
  openssl req -new -key "$out/$node.key" -subj "/CN=$node" -out "$out/$node.csr"
  # Every node is both a TLS server (it listens) and a client (it connects).
  printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyAgreement" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=DNS:$node" > "$ext"
  openssl x509 -req -in "$out/$node.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" \
    -CAcreateserial -days "$days" -sha256 -extfile "$ext" -out "$out/$node.crt" 2>/dev/null
  echo "made $out/$node.crt"
done
chmod 644 "$out/ca.crt" "$out"/*.crt
