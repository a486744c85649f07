#!/bin/sh
# Makes the TLS material of a Baikal cluster with the openssl command line:
#   OUT/ca.crt, OUT/ca.key          the cluster CA (kept if it exists: re-run to add nodes)
#   OUT/NODE.crt, OUT/NODE.key      one certificate per node, signed by that CA
#   OUT/api.crt, OUT/api.key        the manager's HTTPS certificate ([api.tls]), signed by that
#                                   CA, for localhost, 127.0.0.1 and this host's name
#
# usage: deploy/make-certs.sh [--days N] [--force] [--api-san SAN ...] OUT_DIR [NODE ...]
#   NODE defaults to "manager agent-1". The node name becomes the certificate's CN and DNS
#   subjectAltName; give each agent the name it registers with (agent.id): the manager refuses
#   an agent whose certificate names another. --force remakes existing certificates.
#   --api-san adds a name users reach the API by to api.crt ("DNS:api.example.org",
#   "IP:10.0.0.5"); users then trust ca.crt: baikalctl --cacert OUT/ca.crt.
#
# Every node then gets its own NODE.crt and NODE.key and the shared ca.crt (never ca.key):
#   baikal-agent   --tls-cert agent-1.crt --tls-key agent-1.key --tls-ca ca.crt
#   or in the TOML file: [tls] certificate = ..., key = ..., ca = ...
# A node whose certificate is not signed by this CA is refused by the others.
set -eu

days=825
force=0
api_sans=""
while [ $# -gt 0 ]; do
  case "$1" in
    --days) days="$2"; shift 2 ;;
    --force) force=1; shift ;;
    --api-san) api_sans="$api_sans,$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "make-certs.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ $# -lt 1 ]; then
  echo "usage: make-certs.sh [--days N] [--force] [--api-san SAN ...] OUT_DIR [NODE ...]" >&2
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

# make_cert NAME CN SUBJECT_ALT_NAMES: OUT/NAME.{crt,key} signed by the CA, unless kept.
make_cert() {
  if [ "$force" -eq 0 ] && [ -f "$out/$1.crt" ] && [ -f "$out/$1.key" ]; then
    echo "kept $out/$1.crt"
    return
  fi
  openssl ecparam -name prime256v1 -genkey -noout -out "$out/$1.key.tmp"
  openssl pkcs8 -topk8 -nocrypt -in "$out/$1.key.tmp" -out "$out/$1.key"
  openssl req -new -key "$out/$1.key" -subj "/CN=$2" -out "$out/$1.csr"
  # Every node is both a TLS server (it listens) and a client (it connects).
  printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyAgreement" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=$3" > "$ext"
  openssl x509 -req -in "$out/$1.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" \
    -CAcreateserial -days "$days" -sha256 -extfile "$ext" -out "$out/$1.crt" 2>/dev/null
  echo "made $out/$1.crt"
}

for node in "$@"; do
  case "$node" in
    *[!A-Za-z0-9._-]*|'') echo "make-certs.sh: bad node name '$node'" >&2; exit 2 ;;
  esac
  make_cert "$node" "$node" "DNS:$node"
done

# The API's certificate: the names a user's https:// URL may carry.
api_names="DNS:localhost,IP:127.0.0.1"
host=$(hostname 2>/dev/null || true)
case "$host" in
  ''|localhost|*[!A-Za-z0-9.-]*) ;;
  *) api_names="$api_names,DNS:$host" ;;
esac
make_cert api "Baikal API" "$api_names$api_sans"
chmod 644 "$out/ca.crt" "$out"/*.crt
