#!/usr/bin/env bash
# The whole test suite, engines included, on a fresh machine:
#   npm test            (= bash test/run.sh)
# Installs what is missing (test/setup.sh), builds the Node 20 test bundle,
# starts dockerd 20.10 and 26 plus loopback registries (test/engine/up.sh),
# runs every test file on Node 20, Node 24, Deno and Bun against both engines,
# prints the endpoint x engine x runtime matrix and stops the engines, even on failure.
# Options (environment): DOCKWIRE_FILTER=substring, DOCKWIRE_RUNTIMES="node20 deno",
# DOCKWIRE_ENGINES_RUNNING=path/to/engines.env (reuse running engines),
# DOCKWIRE_ENGINE_SETS=N (engine sets to start, default 1; the runtimes split between them).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
bash test/setup.sh
echo "build: tsc (Node 20 runs the compiled tests)"
BUILD=${DOCKWIRE_BUILD:-.build}
rm -rf "$BUILD" && node_modules/.bin/tsc -p tsconfig.json --outDir "$BUILD"

# Engine sets: each is a dockerd 20.10, a dockerd 26 and two registries (test/engine/up.sh).
# With N sets the runtimes split between them (2N engine lanes side by side instead of
# two); with DOCKWIRE_ENGINES_RUNNING, the one set given. One is the default: on the
# 2-core CI machine the suite is CPU-bound (runc, containerd and dockerd keep both cores
# busy), and two sets ran the same tests in the same time with more contention per test.
ENV_FILES=()
if [ -n "${DOCKWIRE_ENGINES_RUNNING:-}" ]; then
  ENV_FILES=("$DOCKWIRE_ENGINES_RUNNING")
else
  SETS=${DOCKWIRE_ENGINE_SETS:-1}
  RUNS=()
  for _ in $(seq 1 "$SETS"); do RUNS+=("$(mktemp -d /tmp/dockwire-test-XXXXXX)"); done
  trap 'for r in "${RUNS[@]}"; do bash "$ROOT/test/engine/down.sh" "$r"; done' EXIT
  pids=()
  for r in "${RUNS[@]}"; do
    bash test/engine/up.sh "$r" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  for r in "${RUNS[@]}"; do ENV_FILES+=("$r/engines.env"); done
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
# while the lanes run side by side. With several engine sets, runtime i goes to
# set i in snake order (1 2 2 1 ...: node20 and bun, node24 and deno), which
# balances the lanes' lengths.
(
  set -a
  # shellcheck disable=SC1090
  source "${ENV_FILES[0]}"
  set +a
  for rt in $RUNTIMES; do run_job "$rt:unit"; done
) &
i=0
declare -A SET_RUNTIMES=()
n=${#ENV_FILES[@]}
for rt in $RUNTIMES; do
  round=$((i / n)) pos=$((i % n))
  [ $((round % 2)) = 1 ] && pos=$((n - 1 - pos))
  SET_RUNTIMES[$pos]="${SET_RUNTIMES[$pos]:-} $rt"
  i=$((i + 1))
done
for pos in "${!SET_RUNTIMES[@]}"; do
  for lane in d20 d26; do
    (
      set -a
      # shellcheck disable=SC1090
      source "${ENV_FILES[$pos]}"
      set +a
      for rt in ${SET_RUNTIMES[$pos]}; do run_job "$rt:$lane"; done
    ) &
  done
done
wait

for rt in $RUNTIMES; do for eng in unit d20 d26; do
  echo "===== $rt / $eng ====="
  grep -v '^ok ' "$RESULTS/$rt-$eng.log" || true
done; done
node test/report.mjs "$RESULTS" $RUNTIMES
