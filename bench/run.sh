#!/usr/bin/env bash
# `npm run bench` from a fresh clone: installs what is missing, starts the
# project's dockerd 26 for the end-to-end case (unless DOCKWIRE_ENGINES or
# DOCKWIRE_BENCH_HOST names one), runs bench/main.ts (or the script named as
# the first argument) on Node 24, stops the engine.
# Prints tables with ratios; never fails on timing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
bash test/setup.sh >/dev/null
if [ -z "${DOCKWIRE_ENGINES:-}${DOCKWIRE_BENCH_HOST:-}" ] && [ "${DOCKWIRE_BENCH_E2E:-1}" != 0 ]; then
  RUN=$(mktemp -d /tmp/dockwire-bench-XXXXXX)
  trap 'bash "$ROOT/test/engine/down.sh" "$RUN"' EXIT
  bash test/engine/up.sh "$RUN" >/dev/null
  # shellcheck disable=SC1091
  source "$RUN/engines.env"
  export DOCKER_HOST=${DOCKWIRE_ENGINES##*d26=}
fi
script=${1:-bench/main.ts}
shift || true
.tools/node24/node_modules/.bin/node "$script" "$@"
