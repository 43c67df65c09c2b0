#!/usr/bin/env bash
# The npm packages as a user gets them (issue 18), from the tarballs `npm pack` makes
# (packaging/pack.sh), each installed into a fresh project in a temp folder:
#   1. the core (`dockwire` alone): prints its package count and node_modules size next to
#      dockerode's (the devDependency's version, installed the same way) and FAILS past the budget
#      (DOCKWIRE_CORE_MAX_PACKAGES, default 6; DOCKWIRE_CORE_MAX_BYTES, default 5000000);
#      `import { Docker } from "dockwire"` works on Node (and Deno and Bun) and type-checks with nothing
#      else installed (skipLibCheck off); `dockwire/hono`, `dockwire/mcp` and `dockwire/tools` throw an error naming the
#      packages to add (`dockwire/serve` on node:http too); `dockwire mcp` and `dockwire serve` say the same;
#   2. the command (`@dockwire/cli` with the core's tarball): `dockwire --help`, `dockwire mcp --help`,
#      `dockwire serve --help`, an MCP initialize + tools/list over stdio, the gateway answering a
#      request, all from the installed bin, and `npx -p ... dockwire mcp --help` from an empty folder.
# Needs the npm registry for the tarballs' dependencies. Exits non-zero on any failure.
#   bash test/packaging/run.sh                                  (DOCKWIRE_PACKED="core.tgz cli.tgz" skips packing)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
# A loopback port nobody listens on, for "no engine there" checks (port 1 is not safe: anything
# running as root, a test gateway included, may listen on it).
DOCKWIRE_CLOSED_PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
export DOCKWIRE_CLOSED_PORT
MAX_PACKAGES=${DOCKWIRE_CORE_MAX_PACKAGES:-6}
MAX_BYTES=${DOCKWIRE_CORE_MAX_BYTES:-5000000}
DENO=$ROOT/node_modules/.bin/deno
BUN=$ROOT/node_modules/.bin/bun
WORK=$(mktemp -d /tmp/dockwire-packaging.XXXXXX)
SERVE_PID=
cleanup() {
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL $*" >&2; exit 1; }
ok() { echo "ok   $*"; }
fresh() { # a fresh, empty project folder
  mkdir -p "$WORK/$1"
  printf '{ "name": "%s", "private": true, "type": "module" }\n' "$1" >"$WORK/$1/package.json"
  echo "$WORK/$1"
}
install() { # dir specs...: npm install into a fresh project, as a user would
  local dir=$1
  shift
  printf '+ (cd %s && npm install %s)\n' "$dir" "$*" >&2
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error "$@" >/dev/null)
}
packages() { # dir: how many packages its node_modules holds
  (cd "$1" && { npm ls --all --parseable 2>/dev/null || true; } | tail -n +2 | sort -u | wc -l)
}
bytes() { du -sb "$1/node_modules" | cut -f1; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }
expect() { # label expected-exit-code pattern command...: run it, check its exit code and output ("" = any)
  local label=$1 code=$2 pattern=$3 rc=0
  shift 3
  printf '+ %s\n' "$*" >&2
  "$@" >"$WORK/out" 2>&1 </dev/null || rc=$?
  [ "$rc" = "$code" ] || { cat "$WORK/out"; fail "$label: exit $rc, expected $code"; }
  [ -z "$pattern" ] || grep -qE -- "$pattern" "$WORK/out" || { cat "$WORK/out"; fail "$label: output lacks /$pattern/"; }
  ok "$label"
}

echo "== pack (packaging/pack.sh)"
if [ -n "${DOCKWIRE_PACKED:-}" ]; then # reuse tarballs: "core.tgz cli.tgz"
  read -r -a TARBALLS <<<"$DOCKWIRE_PACKED"
else
  mapfile -t TARBALLS < <(bash packaging/pack.sh "$WORK/tarballs")
fi
CORE=${TARBALLS[0]}
CLI=${TARBALLS[1]}
[ -f "$CORE" ] && [ -f "$CLI" ] || fail "packaging/pack.sh made no tarballs: ${TARBALLS[*]}"
ok "packed $(basename "$CORE") ($(mb "$(stat -c %s "$CORE")")), $(basename "$CLI") ($(mb "$(stat -c %s "$CLI")"))"

echo "== the core alone in a fresh project"
core=$(fresh core)
install "$core" "$CORE"
DOCKERODE=$(node -p 'require("./package-lock.json").packages["node_modules/dockerode"].version')
peer=$(fresh dockerode)
install "$peer" "dockerode@$DOCKERODE"
core_n=$(packages "$core")
core_b=$(bytes "$core")
peer_n=$(packages "$peer")
peer_b=$(bytes "$peer")
printf '%-22s %9s %12s\n' "fresh install of" packages node_modules
printf '%-22s %9s %12s\n' "dockwire (core)" "$core_n" "$(mb "$core_b")"
printf '%-22s %9s %12s\n' "dockerode@$DOCKERODE" "$peer_n" "$(mb "$peer_b")"
(cd "$core" && npm ls --all --parseable | tail -n +2 | sed "s|^$core/node_modules/|  |")
[ "$core_n" -le "$MAX_PACKAGES" ] || fail "the core installs $core_n packages, the budget is $MAX_PACKAGES"
[ "$core_b" -le "$MAX_BYTES" ] || fail "the core's node_modules is $(mb "$core_b"), the budget is $(mb "$MAX_BYTES")"
ok "core within budget: $core_n <= $MAX_PACKAGES packages, $(mb "$core_b") <= $(mb "$MAX_BYTES")"
for name in hono @hono/node-server @modelcontextprotocol/sdk @valibot/to-json-schema; do
  [ ! -e "$core/node_modules/$name" ] || fail "installing the core brought $name"
done

cat >"$core/check.mjs" <<'EOF'
// The core from its package, and the subpaths whose packages are not installed.
import assert from "node:assert/strict";
import { Docker, EngineUnreachableError } from "dockwire";

const host = `tcp://127.0.0.1:${process.env.DOCKWIRE_CLOSED_PORT}`;
const docker = new Docker({ host });
await assert.rejects(docker.ping(), EngineUnreachableError);
docker.close();
console.log(`ok   new Docker({ host: "${host}" }).ping() rejects with EngineUnreachableError`);
const needs = {
  "dockwire/hono": ["hono"],
  "dockwire/mcp": ["@modelcontextprotocol/sdk", "@valibot/to-json-schema", "hono"],
  "dockwire/tools": ["@valibot/to-json-schema"],
};
for (const [entry, packages] of Object.entries(needs)) {
  const err = await import(entry).then(() => undefined, (e) => e);
  assert.ok(err instanceof Error, `${entry} imported without ${packages.join(", ")}`);
  assert.notEqual(err.code, "ERR_MODULE_NOT_FOUND", err.message);
  assert.equal(err.name, "MissingPackageError", err.stack);
  for (const name of packages) assert.ok(err.message.includes(`${name}@`), `${err.message} names ${name}`);
  assert.match(err.message, /npm install /);
  console.log(`ok   import("${entry}") without its packages: ${err.message}`);
}
const { serve } = await import("dockwire/serve");
await assert.rejects(
  serve({ fetch: () => new Response("unused"), port: 0, server: "node" }),
  /dockwire\/serve needs @hono\/node-server/,
);
console.log("ok   dockwire/serve's node:http server without @hono/node-server names it");
EOF
expect "node $(node --version): the core works, dockwire/hono and dockwire/mcp name what to add" 0 "dockwire/mcp needs" \
  bash -c "cd '$core' && node check.mjs"
[ -x "$DENO" ] && expect "deno: the same from node_modules" 0 "dockwire/mcp needs" \
  bash -c "cd '$core' && '$DENO' run -A check.mjs"
[ -x "$BUN" ] && expect "bun: the same from node_modules" 0 "dockwire/mcp needs" bash -c "cd '$core' && '$BUN' check.mjs"
cat >"$core/types.ts" <<'EOF'
// The core's types alone: no @types/node, no optional package, declaration files checked too.
import { Docker, EngineUnreachableError } from "dockwire";
const docker: Docker = new Docker({ host: "tcp://127.0.0.1:1" }); // type-checked only, never run
await docker.ping().catch((err: unknown) => console.log(err instanceof EngineUnreachableError ? err.address : err));
EOF
cat >"$core/tsconfig.json" <<'EOF'
{
  "compilerOptions": {
    "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "lib": ["ES2023", "DOM", "DOM.Iterable"],
    "types": [], "strict": true, "skipLibCheck": false, "noEmit": true
  },
  "files": ["types.ts"]
}
EOF
expect "tsc: the core's declarations type-check without @types/node or the optional packages" 0 "" \
  bash -c "cd '$core' && '$ROOT/node_modules/.bin/tsc' -p ."
expect "npx dockwire --help (core)" 0 "usage: dockwire <command>" bash -c "cd '$core' && npx --no -- dockwire --help"
PKG_VERSION=$(node -p 'require("./package.json").version')
expect "npx dockwire --version (core): the package's version and the runtime" 0 \
  "^dockwire ${PKG_VERSION//./\\.} \\(node [0-9]" bash -c "cd '$core' && npx --no -- dockwire --version"
expect "npx dockwire mcp (core): names the packages and @dockwire/cli" 1 \
  "dockwire mcp needs @modelcontextprotocol/sdk.*npm install .*npx -y @dockwire/cli mcp" \
  bash -c "cd '$core' && npx --no -- dockwire mcp --help"
expect "npx dockwire serve (core): names the packages" 1 "dockwire serve needs hono and @hono/node-server" \
  bash -c "cd '$core' && npx --no -- dockwire serve --help"

echo "== dockwire/tools with its one optional package, without the MCP SDK"
tools=$(fresh tools)
install "$tools" "$CORE" "@valibot/to-json-schema@$(node -p 'require("./package.json").peerDependencies["@valibot/to-json-schema"]')"
[ ! -e "$tools/node_modules/@modelcontextprotocol/sdk" ] || fail "installing dockwire/tools' package brought the MCP SDK"
cat >"$tools/check.mjs" <<'EOF'
// The in-process tool catalog from the package, with @valibot/to-json-schema and no MCP SDK.
import assert from "node:assert/strict";
import { Docker } from "dockwire";
import { createToolCatalog, UnknownToolError } from "dockwire/tools";

const docker = new Docker({ host: `tcp://127.0.0.1:${process.env.DOCKWIRE_CLOSED_PORT}` });
const catalog = createToolCatalog({ docker });
assert.equal(catalog.mode, "read-only");
// The JSON Schema comes from @valibot/to-json-schema (lean: no $schema, see README "Token economy").
const logs = catalog.get("logs").inputSchema;
assert.equal(logs.type, "object");
assert.ok("container" in logs.properties && logs.required.includes("container"), JSON.stringify(logs));
const ping = await catalog.call("ping", {});
assert.equal(ping.isError, true, "no engine listens there");
await assert.rejects(catalog.call("nope", {}), UnknownToolError);
docker.close();
console.log(`ok   dockwire/tools: ${catalog.tools.length} read-only tools, a failed call is a result: ${ping.text}`);
EOF
expect "node: dockwire/tools runs without the MCP SDK" 0 "ok   dockwire/tools" bash -c "cd '$tools' && node check.mjs"
[ -x "$DENO" ] && expect "deno: the same from node_modules" 0 "ok   dockwire/tools" \
  bash -c "cd '$tools' && '$DENO' run -A check.mjs"
[ -x "$BUN" ] && expect "bun: the same from node_modules" 0 "ok   dockwire/tools" bash -c "cd '$tools' && '$BUN' check.mjs"

echo "== the command: @dockwire/cli (with the core's tarball) in a fresh project"
cli=$(fresh cli)
install "$cli" "$CORE" "$CLI"
resolved=$(cd "$cli" && node -p 'require("./package-lock.json").packages["node_modules/dockwire"].resolved')
[[ "$resolved" == file:* ]] || fail "@dockwire/cli's dockwire came from $resolved, not the tarball"
ok "@dockwire/cli uses the packed dockwire ($resolved); $(packages "$cli") packages, $(mb "$(bytes "$cli")")"
BIN=$cli/node_modules/.bin/dockwire
expect "dockwire --help" 0 "usage: dockwire <command>" bash -c "cd '$cli' && npx --no -- dockwire --help"
expect "dockwire mcp --help" 0 "usage: dockwire mcp" bash -c "cd '$cli' && npx --no -- dockwire mcp --help"
expect "dockwire serve --help" 0 "usage: dockwire serve" bash -c "cd '$cli' && npx --no -- dockwire serve --help"
expect "dockwire --version (@dockwire/cli)" 0 "^dockwire ${PKG_VERSION//./\\.} \\(node [0-9]" \
  bash -c "cd '$cli' && npx --no -- dockwire --version"
[ -x "$BUN" ] && expect "bun: @dockwire/cli's bin, --version says bun" 0 "^dockwire ${PKG_VERSION//./\\.} \\(bun [0-9]" \
  bash -c "cd '$cli' && '$BUN' node_modules/@dockwire/cli/bin/dockwire.js --version"
expect "@dockwire/cli's own bin: mcp --help" 0 "usage: dockwire mcp" node "$cli/node_modules/@dockwire/cli/bin/dockwire.js" mcp --help
[ -x "$DENO" ] && expect "deno: @dockwire/cli's bin, mcp --help" 0 "usage: dockwire mcp" \
  bash -c "cd '$cli' && '$DENO' run -A node_modules/@dockwire/cli/bin/dockwire.js mcp --help"
[ -x "$BUN" ] && expect "bun: @dockwire/cli's bin, serve --help" 0 "usage: dockwire serve" \
  bash -c "cd '$cli' && '$BUN' node_modules/@dockwire/cli/bin/dockwire.js serve --help"

printf '%s\n' \
  '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"packaging","version":"1"}}}' \
  '{"jsonrpc":"2.0","method":"notifications/initialized"}' \
  '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' >"$WORK/mcp.in"
expect "dockwire mcp over stdio: initialize, tools/list" 0 '"name":"list_images"' \
  bash -c "cd '$cli' && timeout 60 '$BIN' mcp --host tcp://127.0.0.1:$DOCKWIRE_CLOSED_PORT <'$WORK/mcp.in'"

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
printf '+ dockwire serve --port %s & (DOCKER_HOST=tcp://127.0.0.1:%s)\n' "$port" "$DOCKWIRE_CLOSED_PORT" >&2
(cd "$cli" && DOCKER_HOST=tcp://127.0.0.1:$DOCKWIRE_CLOSED_PORT exec "$BIN" serve --port "$port") >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
for _ in $(seq 1 900); do grep -q "dockwire gateway on" "$WORK/serve.log" && break; sleep 0.1; done
grep -q "dockwire gateway on" "$WORK/serve.log" || { cat "$WORK/serve.log"; fail "dockwire serve did not start"; }
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/containers/json" || true)
[ "$status" = 502 ] || [ "$status" = 503 ] || [ "$status" = 500 ] || {
  cat "$WORK/serve.log"
  fail "dockwire serve: GET /containers/json answered $status, expected the gateway's engine-unreachable error"
}
ok "dockwire serve: the gateway answers (GET /containers/json -> $status with no engine behind it)"
kill "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null || true
SERVE_PID=

echo "== npx from an empty folder, as an MCP client's config runs it"
empty=$WORK/empty
mkdir -p "$empty"
expect "npx -y -p dockwire.tgz -p dockwire-cli.tgz dockwire mcp --help" 0 "usage: dockwire mcp" \
  bash -c "cd '$empty' && npx -y -p '$CORE' -p '$CLI' -- dockwire mcp --help"
echo "== packaging: all passed"
