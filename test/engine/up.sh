#!/usr/bin/env bash
# Starts the test engines and registries, each on its own socket/port and data
# root under one run folder; never touches /var/run/docker.sock.
#   test/engine/up.sh RUN_DIR   -> writes RUN_DIR/engines.env (source it)
# Engines: d20 = Debian bookworm's dockerd 20.10, d26 = trixie's dockerd 26.
# d20 also listens on plain TCP loopback, d26 on TLS TCP loopback with client
# certificates (--tlsverify); the client side of those certificates is in
# RUN_DIR/certs (ca.pem, cert.pem, key.pem: the DOCKER_CERT_PATH layout), with
# a second, unrelated CA and a client certificate it signed (other-*.pem) for
# the refusal tests.
# Both get busybox:latest, imported from Debian's busybox-static through
# POST /images/create?fromSrc=- (the import endpoint itself).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUN=${1:?usage: up.sh RUN_DIR}
mkdir -p "$RUN"
D26=$ROOT/.tools/trixie/root/usr/sbin/dockerd
[ "$(id -u)" = 0 ] || { echo "up: the test engines need root (dockerd); run as root" >&2; exit 1; }
command -v dockerd >/dev/null || { echo "up: dockerd missing; run test/setup.sh" >&2; exit 1; }
[ -x "$D26" ] || { echo "up: dockerd 26 missing; run test/setup.sh" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# TLS material: a CA, a server certificate for 127.0.0.1 (IP SAN), a client
# certificate; plus another CA with its own client certificate.
CERTS=$RUN/certs
mkdir -p "$CERTS"
make_ca() { # prefix
  openssl req -x509 -new -nodes -newkey rsa:2048 -sha256 -days 7 -subj "/CN=dockwire test $1" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$CERTS/$1-key.pem" -out "$CERTS/$1.pem" 2>/dev/null
}
make_cert() { # ca-prefix out-prefix cn extensions
  openssl req -new -nodes -newkey rsa:2048 -subj "/CN=$3" -keyout "$CERTS/$2-key.pem" \
    -out "$CERTS/$2.csr" 2>/dev/null
  printf '%s\n' "$4" >"$CERTS/$2.ext"
  openssl x509 -req -sha256 -days 7 -in "$CERTS/$2.csr" -CA "$CERTS/$1.pem" -CAkey "$CERTS/$1-key.pem" \
    -CAcreateserial -extfile "$CERTS/$2.ext" -out "$CERTS/$2.pem" 2>/dev/null
  rm -f "$CERTS/$2.csr" "$CERTS/$2.ext"
}
make_ca ca
make_cert ca server 127.0.0.1 "$(printf '%s\n' 'basicConstraints=CA:FALSE' \
  'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=serverAuth' \
  'subjectAltName=IP:127.0.0.1,DNS:localhost')"
make_cert ca cert dockwire-client "$(printf '%s\n' 'basicConstraints=CA:FALSE' \
  'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=clientAuth')"
mv "$CERTS/cert-key.pem" "$CERTS/key.pem"
make_ca other-ca
make_cert other-ca other-cert dockwire-other "$(printf '%s\n' 'basicConstraints=CA:FALSE' \
  'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=clientAuth')"
mv "$CERTS/other-cert-key.pem" "$CERTS/other-key.pem"
chmod 600 "$CERTS"/*key.pem
TCP_PORT=$(free_port)
TLS_PORT=$(free_port)

start_engine() { # name binary [extra dockerd flags...]
  local name=$1 bin=$2 dir=$RUN/$1
  shift 2
  mkdir -p "$dir"
  # dockerd 26 finds docker-init and docker-proxy next to itself through PATH.
  PATH="$(dirname "$bin"):$(dirname "$bin")/../bin:$PATH" setsid "$bin" \
    --host "unix://$dir/docker.sock" "$@" --data-root "$dir/data" --exec-root "$dir/exec" \
    --pidfile "$dir/dockerd.pid" --iptables=false --ip-masq=false --bridge=none \
    --insecure-registry 127.0.0.0/8 --log-level warn \
    >"$dir/dockerd.log" 2>&1 &
  echo $! >"$dir/launcher.pid"
}
wait_engine() { # name
  local dir=$RUN/$1
  # Up to 2 minutes: a loaded CI machine starts dockerd (and 26's containerd) slowly.
  for _ in $(seq 1 600); do
    if curl -sf --unix-socket "$dir/docker.sock" http://docker/_ping >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "up: engine $1 did not start; its log:" >&2
  tail -30 "$dir/dockerd.log" >&2
  return 1
}

start_engine d20 "$(command -v dockerd)" --host "tcp://127.0.0.1:$TCP_PORT"
start_engine d26 "$D26" --host "tcp://127.0.0.1:$TLS_PORT" --tlsverify --tlscacert "$CERTS/ca.pem" \
  --tlscert "$CERTS/server.pem" --tlskey "$CERTS/server-key.pem"

# busybox rootfs from Debian's busybox-static, its applets linked.
FS=$RUN/busybox-rootfs
rm -rf "$FS"; mkdir -p "$FS/bin" "$FS/etc" "$FS/tmp" "$FS/proc" "$FS/sys" "$FS/dev" "$FS/root"
cp /bin/busybox "$FS/bin/busybox"
for a in $("$FS/bin/busybox" --list); do [ "$a" = busybox ] || ln -s busybox "$FS/bin/$a"; done
echo "root:x:0:0:root:/root:/bin/sh" >"$FS/etc/passwd"
echo "root:x:0:" >"$FS/etc/group"
tar -C "$FS" -cf "$RUN/busybox.tar" .

for e in d20 d26; do
  wait_engine $e
  out=$(curl -sf --unix-socket "$RUN/$e/docker.sock" -X POST -H 'Content-Type: application/x-tar' \
    --data-binary @"$RUN/busybox.tar" 'http://docker/images/create?fromSrc=-&repo=busybox&tag=latest')
  case "$out" in *sha256*) ;; *) echo "up: importing busybox into $e failed: $out" >&2; exit 1 ;; esac
done

# The TCP listeners answer too.
curl -sf "http://127.0.0.1:$TCP_PORT/_ping" >/dev/null || { echo "up: d20 does not answer on tcp://127.0.0.1:$TCP_PORT" >&2; exit 1; }
curl -sf --cacert "$CERTS/ca.pem" --cert "$CERTS/cert.pem" --key "$CERTS/key.pem" \
  "https://127.0.0.1:$TLS_PORT/_ping" >/dev/null || { echo "up: d26 does not answer on TLS 127.0.0.1:$TLS_PORT" >&2; exit 1; }

# Registries on loopback: one open, one with htpasswd auth.
start_registry() { # name port [htpasswd]
  local name=$1 port=$2 dir=$RUN/$1
  mkdir -p "$dir/data"
  {
    echo "version: 0.1"
    echo "log: {level: error}"
    echo "storage: {filesystem: {rootdirectory: $dir/data}, delete: {enabled: true}}"
    echo "http: {addr: 127.0.0.1:$port}"
    if [ -n "${3:-}" ]; then echo "auth: {htpasswd: {realm: dockwire-test, path: $3}}"; fi
  } >"$dir/config.yml"
  setsid docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
  echo $! >"$dir/registry.pid"
  for _ in $(seq 1 600); do
    curl -s -o /dev/null "http://127.0.0.1:$port/v2/" && return 0
    sleep 0.1
  done
  echo "up: registry $name did not start" >&2; cat "$dir/registry.log" >&2; return 1
}
REG_PORT=$(free_port)
start_registry registry "$REG_PORT"
AUTH_PORT=$(free_port)
htpasswd -Bbn dockwire s3cret-pass >"$RUN/htpasswd"
start_registry auth-registry "$AUTH_PORT" "$RUN/htpasswd"

cat >"$RUN/engines.env" <<ENV
export DOCKWIRE_RUN_DIR='$RUN'
export DOCKWIRE_ENGINES='d20=unix://$RUN/d20/docker.sock,d26=unix://$RUN/d26/docker.sock'
export DOCKWIRE_REGISTRY='127.0.0.1:$REG_PORT'
export DOCKWIRE_AUTH_REGISTRY='127.0.0.1:$AUTH_PORT dockwire s3cret-pass'
export DOCKWIRE_TCP_HOSTS='d20=tcp://127.0.0.1:$TCP_PORT'
export DOCKWIRE_TLS_HOSTS='d26=tcp://127.0.0.1:$TLS_PORT'
export DOCKWIRE_TLS_CERTS='$CERTS'
ENV
echo "up: engines d20 ($(dockerd --version | cut -d' ' -f3 | tr -d ,)) and d26 ($("$D26" --version | cut -d' ' -f3 | tr -d ,)) on $RUN; registries on 127.0.0.1:$REG_PORT and 127.0.0.1:$AUTH_PORT (htpasswd); d20 on tcp://127.0.0.1:$TCP_PORT, d26 on TLS tcp://127.0.0.1:$TLS_PORT"
