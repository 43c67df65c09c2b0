#!/usr/bin/env bash
# Packs the two npm packages of this repository into OUT (default: the current directory):
#   dockwire-VERSION.tgz        the library (core + dockwire/hono + dockwire/mcp; hono, @hono/node-server,
#                               @modelcontextprotocol/sdk and @valibot/to-json-schema as optional peers)
#   dockwire-cli-VERSION.tgz    @dockwire/cli: the `dockwire` command, depending on dockwire and those four
# Prints the two tarballs' paths, one a line, on stdout.
#   bash packaging/pack.sh [OUT]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mkdir -p "${1:-.}" && cd "${1:-.}" && pwd)
STAGE=$(mktemp -d /tmp/dockwire-cli-pack.XXXXXX)
trap 'rm -rf "$STAGE"' EXIT

# The library: `npm pack` builds dist/ first (prepack).
core=$(cd "$ROOT" && npm pack --silent --pack-destination "$OUT" | tail -1)

# The command: a folder staged from packaging/cli with its generated package.json.
cp -r "$ROOT/packaging/cli/." "$STAGE/"
cp "$ROOT/LICENSE" "$STAGE/"
node "$ROOT/packaging/cli_manifest.mjs" "$ROOT/package.json" "$STAGE/package.json"
cli=$(cd "$STAGE" && npm pack --silent --pack-destination "$OUT" | tail -1)

echo "$OUT/$core"
echo "$OUT/$cli"
