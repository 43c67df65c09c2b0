#!/usr/bin/env bash
# The README's main job: the Docker API gateway on loopback, read-only preset.
#   npm start   [-- extra dockwire serve flags, e.g. --port 2380 --preset operator]
# Installs what is missing, builds the npm output, uses DOCKER_HOST when an
# engine answers there, else starts the project's own dockerd 26 (stopped on exit),
# then runs `dockwire serve` in the foreground until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
bash test/setup.sh >/dev/null
node_modules/.bin/tsc -p tsconfig.build.json
host=${DOCKER_HOST:-unix:///var/run/docker.sock}
if ! { [[ $host == unix://* ]] && curl -sf --unix-socket "${host#unix://}" http://docker/_ping >/dev/null 2>&1; }; then
  RUN=$(mktemp -d /tmp/dockwire-serve-XXXXXX)
  trap 'bash "$ROOT/test/engine/down.sh" "$RUN"' EXIT
  bash test/engine/up.sh "$RUN" >/dev/null
  export DOCKER_HOST="unix://$RUN/d26/docker.sock"
  echo "(no engine at $host: started dockerd 26 at $DOCKER_HOST)"
fi
# dockwire serve prints the address it listens on and a "try:" line with it (flags given here come first, so "$@" wins)
node dist/lib/cli/main.js serve --listen 127.0.0.1 --port "${DOCKWIRE_PORT:-2375}" --preset read-only "$@"
