#!/usr/bin/env bash
# The whole test suite, engines included, on a fresh machine:
#   npm test            (= bash test/run.sh)
# Installs what is missing (test/setup.sh), builds the Node 20 test bundle,
# starts dockerd 20.10 and 26 plus loopback registries (test/engine/up.sh),
# runs every test file on Node 20, Node 24, Deno and Bun against both engines,
# prints the endpoint x engine x runtime matrix and stops the engines, even on failure.
# Options (environment): DOCKWIRE_FILTER=substring, DOCKWIRE_RUNTIMES="node20 deno",
# DOCKWIRE_ENGINES_RUNNING=path/to/engines.env (reuse running engines).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
bash test/setup.sh
echo "build: tsc (Node 20 runs the compiled tests)"
BUILD=${DOCKWIRE_BUILD:-.build}
rm -rf "$BUILD" && node_modules/.bin/tsc -p tsconfig.json --outDir "$BUILD"

if [ -n "${DOCKWIRE_ENGINES_RUNNING:-}" ]; then
  # shellcheck disable=SC1090
  source "$DOCKWIRE_ENGINES_RUNNING"
else
  RUN=$(mktemp -d /tmp/dockwire-test-XXXXXX)
  trap 'bash "$ROOT/test/engine/down.sh" "$RUN"' EXIT
  bash test/engine/up.sh "$RUN"
  # shellcheck disable=SC1091
  source "$RUN/engines.env"
fi

RESULTS=$(mktemp -d /tmp/dockwire-results-XXXXXX)
FILES=$(find test lib mcp -name '*_test.ts' -not -path '*/node_modules/*' | sort | tr '\n' ' ')
RUNTIMES=${DOCKWIRE_RUNTIMES:-node20 node24 deno bun}

run_job() {
  local rt=${1%%:*} eng=${1##*:}
  local log=$RESULTS/$rt-$eng.log
  local cmd rc=0
  case $rt in
    node20) cmd=(node "$BUILD/test/main.js") ;;
    node24) cmd=(.tools/node24/node_modules/.bin/node test/main.ts) ;;
    deno) cmd=(node_modules/.bin/deno run -A test/main.ts) ;;
    bun) cmd=(node_modules/.bin/bun test/main.ts) ;;
  esac
  # shellcheck disable=SC2086
  DOCKWIRE_LABEL=$rt DOCKWIRE_ENGINE=$eng DOCKWIRE_RESULTS=$RESULTS/$rt-$eng.jsonl \
    timeout 900 "${cmd[@]}" $FILES >"$log" 2>&1 || rc=$?
  echo "$rc" >"$RESULTS/$rt-$eng.rc"
  echo "done $rt/$eng (exit $rc): $(grep -E '^\[.*\] [0-9]+ passed' "$log" || echo 'no summary')"
}

# One lane per engine (and one for the plain tests): the runtimes take turns on an
# engine, so no two runs share an engine's build cache and image names at once,
# while the lanes run side by side.
for lane in unit d20 d26; do
  (for rt in $RUNTIMES; do run_job "$rt:$lane"; done) &
done
wait

for rt in $RUNTIMES; do for eng in unit d20 d26; do
  echo "===== $rt / $eng ====="
  grep -v '^ok ' "$RESULTS/$rt-$eng.log" || true
done; done
node test/report.mjs "$RESULTS" $RUNTIMES
