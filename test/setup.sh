#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian bookworm machine (root):
# Debian packages (dockerd 20.10, busybox-static, docker-registry, htpasswd),
# dockerd 26 from trixie (downloaded and unpacked into .tools/, never installed),
# npm packages (Deno and Bun among the devDependencies) and Node 24.
# Idempotent: what is already there is not fetched again.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/.tools
mkdir -p "$TOOLS"

need_apt=()
command -v dockerd >/dev/null || need_apt+=(docker.io)
command -v containerd >/dev/null || need_apt+=(containerd)
[ -x /bin/busybox ] && /bin/busybox --list >/dev/null 2>&1 || need_apt+=(busybox-static)
command -v docker-registry >/dev/null || need_apt+=(docker-registry)
command -v htpasswd >/dev/null || need_apt+=(apache2-utils)
command -v curl >/dev/null || need_apt+=(curl)
command -v openssl >/dev/null || need_apt+=(openssl)
command -v tmux >/dev/null || need_apt+=(tmux)
[ -x /usr/sbin/sshd ] || need_apt+=(openssh-server) # ssh:// transport tests start a private sshd
command -v stress-ng >/dev/null || need_apt+=(stress-ng) # npm run test:load
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: need root to install ${need_apt[*]} (apt-get); the engine tests cannot run without them" >&2
    exit 1
  fi
  echo "setup: apt-get install ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
# The docker.io package starts a system dockerd through its init script on some
# machines; the tests never use it (they start their own on their own sockets).

# dockerd 26 from Debian trixie: fetched with a source list kept apart from the system's.
D26=$TOOLS/trixie/root/usr/sbin/dockerd
if [ ! -x "$D26" ]; then
  T=$TOOLS/trixie
  mkdir -p "$T/lists/partial" "$T/sources.d" "$T/cache/archives/partial" "$T/pkg"
  cat > "$T/sources.d/trixie.sources" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  O=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$T/sources.d" -o "Dir::State::Lists=$T/lists"
     -o "Dir::Cache=$T/cache" -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
  echo "setup: fetching docker.io from trixie (dockerd 26)"
  apt-get "${O[@]}" update -qq
  (cd "$T/pkg" && apt-get "${O[@]}" download docker.io >/dev/null)
  dpkg -x "$T"/pkg/docker.io_*.deb "$T/root"
fi

# npm packages: the project's, with Deno and Bun among the devDependencies.
if [ ! -x node_modules/.bin/deno ] || [ ! -x node_modules/.bin/bun ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund >/dev/null
fi
# Node 24 beside the machine's Node 20, in its own folder so it never shadows `node`.
if [ ! -x "$TOOLS/node24/node_modules/.bin/node" ]; then
  echo "setup: installing Node 24 from npm"
  mkdir -p "$TOOLS/node24"
  (cd "$TOOLS/node24" && { [ -f package.json ] || echo '{"private":true}' > package.json; } &&
    npm install --no-audit --no-fund --allow-scripts=node node@24 >/dev/null 2>&1 ||
    npm install --no-audit --no-fund node@24 >/dev/null)
fi
echo "setup: node $(node --version), node24 $("$TOOLS/node24/node_modules/.bin/node" --version), deno $(node_modules/.bin/deno --version | head -1 | cut -d' ' -f2), bun $(node_modules/.bin/bun --version), dockerd $(dockerd --version | cut -d' ' -f3 | tr -d ,) and $("$D26" --version | cut -d' ' -f3 | tr -d ,)"
