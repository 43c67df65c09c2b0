#!/usr/bin/env bash
# Real external MCP clients against `dockwire mcp` (issue 4):
#   - the MCP Inspector CLI over stdio: tools/list, list_images, top
#   - the MCP Inspector CLI over Streamable HTTP (dockwire mcp --http): the same
#   - the official conformance suite's generic server scenarios over HTTP:
#     server-initialize, ping, tools-list, logging-set-level, dns-rebinding-protection
# against fresh test engines (test/engine/up.sh, stopped on exit), both engines.
# The clients live in .tools/mcp-clients (their own package.json, never the
# project's); they and the server run on the harness's Node 24 (the conformance
# suite needs Node 22+). Prints every command; exits non-zero on any failure.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
NODE_BIN=$ROOT/.tools/node24/node_modules/.bin
[ -x "$NODE_BIN/node" ] || bash test/setup.sh
export PATH=$NODE_BIN:$PATH # npm, npx and the clients' `#!/usr/bin/env node` run on Node 24

INSPECTOR_VERSION=2.12.0
CONFORMANCE_VERSION=0.1.16
CLIENTS=$ROOT/.tools/mcp-clients
echo "== install the MCP clients into $CLIENTS"
mkdir -p "$CLIENTS"
[ -f "$CLIENTS/package.json" ] || echo '{ "name": "dockwire-mcp-clients", "private": true }' >"$CLIENTS/package.json"
(cd "$CLIENTS" && npm install --no-audit --no-fund --loglevel=error \
  "@modelcontextprotocol/inspector@$INSPECTOR_VERSION" "@modelcontextprotocol/conformance@$CONFORMANCE_VERSION")
INSPECTOR=$CLIENTS/node_modules/.bin/mcp-inspector
CONFORMANCE=$CLIENTS/node_modules/.bin/conformance

RUN=$(mktemp -d /tmp/dw-mcp-ci.XXXXXX)
HTTP_PID=
cleanup() {
  [ -n "$HTTP_PID" ] && kill "$HTTP_PID" 2>/dev/null && wait "$HTTP_PID" 2>/dev/null
  bash test/engine/down.sh "$RUN" >/dev/null 2>&1 || true
}
trap cleanup EXIT
echo "== start test engines in $RUN"
bash test/engine/up.sh "$RUN"
# shellcheck disable=SC1091
source "$RUN/engines.env"
# The Inspector keeps a catalog and client config under HOME: keep them in the run folder.
export HOME=$RUN/home MCP_CATALOG_PATH=$RUN/home/mcp.json MCP_CLIENT_CONFIG_PATH=$RUN/home/client.json
mkdir -p "$HOME"

run() { # print a command, run it, keep its stdout in $RUN/out.json
  printf '+ %s\n' "$*" >&2
  "$@" >"$RUN/out.json"
}
check() { # python expression over `r` (the JSON result in $RUN/out.json) that must hold
  python3 - "$RUN/out.json" "$1" "$2" <<'PY'
import json, sys
path, expr, what = sys.argv[1:4]
raw = open(path).read()
try:
    doc = json.loads(raw)
except ValueError:
    sys.exit(f"FAIL {what}: not JSON: {raw[:500]}")
r = doc.get("result", doc)
if not eval(expr, {"r": r}):
    sys.exit(f"FAIL {what}: {expr}\n{json.dumps(r)[:1500]}")
print(f"ok   {what}")
PY
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Calls the Inspector over one transport ($@ = the target) and checks the answers.
inspect_server() { # label container target...
  local label=$1 container=$2
  shift 2
  run "$INSPECTOR" --cli -q --format json --method tools/list "$@"
  check '{"list_images","top","logs","inspect_container"} <= {t["name"] for t in r["tools"]} and "run_container" not in {t["name"] for t in r["tools"]}' \
    "$label: tools/list (read-only tools only)"
  run "$INSPECTOR" --cli -q --format json --method tools/call --tool-name list_images "$@"
  check 'not r.get("isError") and any("busybox:latest" in i["repoTags"] for i in r["structuredContent"]["images"])' \
    "$label: tools/call list_images lists busybox:latest"
  run "$INSPECTOR" --cli -q --format json --method tools/call --tool-name top --tool-arg "container=$container" "$@"
  check 'not r.get("isError") and "PID" in r["structuredContent"]["titles"] and any("sleep" in " ".join(p) for p in r["structuredContent"]["processes"])' \
    "$label: tools/call top shows the container's sleep"
  run "$INSPECTOR" --cli -q --format json --method resources/templates/list "$@"
  check '"docker://containers/{id}/logs" in [t["uriTemplate"] for t in r["resourceTemplates"]]' \
    "$label: resources/templates/list"
}

for pair in ${DOCKWIRE_ENGINES//,/ }; do
  engine=${pair%%=*}
  host=${pair#*=}
  sock=${host#unix://}
  echo "== $engine ($host)"
  name=mcp-ci-$engine-$$
  # Long enough for every client run below on a loaded machine (a 60 s sleep once ended before
  # the last `top`); the engines and their containers go away on exit.
  printf '+ curl create+start busybox sleep 3600 as %s\n' "$name" >&2
  curl -fsS --unix-socket "$sock" -H 'Content-Type: application/json' -d '{"Image":"busybox:latest","Cmd":["sleep","3600"]}' \
    "http://docker/v1.24/containers/create?name=$name" >/dev/null
  curl -fsS --unix-socket "$sock" -X POST "http://docker/v1.24/containers/$name/start" >/dev/null

  # stdio: the Inspector launches `dockwire mcp` itself.
  inspect_server "$engine stdio" "$name" --cwd "$ROOT" -- "$NODE_BIN/node" lib/cli/main.ts mcp --host "$host"

  # Streamable HTTP: `dockwire mcp --http` on loopback.
  port=$(free_port)
  url=http://127.0.0.1:$port/mcp
  printf '+ %s &\n' "node lib/cli/main.ts mcp --http 127.0.0.1:$port --host $host" >&2
  "$NODE_BIN/node" lib/cli/main.ts mcp --http "127.0.0.1:$port" --host "$host" 2>"$RUN/http-$engine.log" &
  HTTP_PID=$!
  for _ in $(seq 1 600); do grep -q "serving Streamable HTTP" "$RUN/http-$engine.log" && break; sleep 0.1; done
  grep -q "serving Streamable HTTP" "$RUN/http-$engine.log" || { cat "$RUN/http-$engine.log"; exit 1; }
  inspect_server "$engine http" "$name" --transport http --server-url "$url"

  if [ "$engine" = d26 ]; then
    echo "== conformance suite against $url"
    for scenario in server-initialize ping tools-list logging-set-level dns-rebinding-protection; do
      printf '+ %s\n' "conformance server --url $url --scenario $scenario" >&2
      "$CONFORMANCE" server --url "$url" --scenario "$scenario" -o "$RUN/conformance" >"$RUN/conf.log" 2>&1 ||
        { cat "$RUN/conf.log"; echo "FAIL conformance $scenario"; exit 1; }
      grep -qE "Passed: ([0-9]+)/\1, 0 failed" "$RUN/conf.log" || { cat "$RUN/conf.log"; echo "FAIL conformance $scenario"; exit 1; }
      echo "ok   conformance $scenario: $(grep -oE 'Passed: [0-9]+/[0-9]+, [0-9]+ failed' "$RUN/conf.log")"
    done
  fi
  kill "$HTTP_PID"
  wait "$HTTP_PID" 2>/dev/null || true
  HTTP_PID=
  curl -fsS --unix-socket "$sock" -X DELETE "http://docker/v1.24/containers/$name?force=1" >/dev/null
done
echo "== MCP clients: all passed"
