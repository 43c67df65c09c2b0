#!/usr/bin/env bash
# The README's main job until the gateway lands: the hello example on Node 24,
# Deno and Bun against a real engine. Uses DOCKER_HOST when it answers, else
# starts the project's own test engine (dockerd 26) and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
bash test/setup.sh >/dev/null
host=${DOCKER_HOST:-unix:///var/run/docker.sock}
if ! { [[ $host == unix://* ]] && curl -sf --unix-socket "${host#unix://}" http://docker/_ping >/dev/null 2>&1; }; then
  RUN=$(mktemp -d /tmp/dockwire-example-XXXXXX)
  trap 'bash "$ROOT/test/engine/down.sh" "$RUN"' EXIT
  bash test/engine/up.sh "$RUN" >/dev/null
  export DOCKER_HOST="unix://$RUN/d26/docker.sock"
  echo "(no engine at $host: started dockerd 26 at $DOCKER_HOST)"
fi
echo "== node 24";  .tools/node24/node_modules/.bin/node test/example/hello.ts
echo "== deno";     node_modules/.bin/deno run -A test/example/hello.ts
echo "== bun";      node_modules/.bin/bun test/example/hello.ts
