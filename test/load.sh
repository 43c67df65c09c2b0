#!/usr/bin/env bash
# The suite under load: `npm run test:load` (= bash test/load.sh).
# Runs the whole suite (test/run.sh, engines included) DOCKWIRE_LOAD_ROUNDS times
# (default 3) while stress-ng keeps every core busy with CPU, I/O and memory work,
# the way a shared CI machine is. A failure here is a product race or a test that
# leans on timing; either is a bug to fix, never a run to repeat.
# Prints one line per round and the failures of each; exits non-zero if any round failed.
# Options (environment): DOCKWIRE_LOAD_ROUNDS=N, DOCKWIRE_LOAD="stress-ng arguments",
# plus everything test/run.sh takes (DOCKWIRE_RUNTIMES, DOCKWIRE_FILTER ...).
set -euo pipefail
cd "$(dirname "$0")/.."
bash test/setup.sh
ROUNDS=${DOCKWIRE_LOAD_ROUNDS:-3}
CORES=$(nproc)
LOAD=${DOCKWIRE_LOAD:-"--cpu $CORES --io 1 --hdd 1 --hdd-bytes 128M --vm 1 --vm-bytes 256M"}
OUT=$(mktemp -d /tmp/dockwire-load-XXXXXX)
# shellcheck disable=SC2086
setsid stress-ng $LOAD --timeout 0 >"$OUT/stress.log" 2>&1 &
STRESS=$!
trap 'kill -- -"$STRESS" 2>/dev/null || kill "$STRESS" 2>/dev/null || true' EXIT
echo "load: stress-ng $LOAD (pid $STRESS) on $CORES cores; $ROUNDS rounds; logs in $OUT"
failed=0
for round in $(seq 1 "$ROUNDS"); do
  started=$(date +%s)
  rc=0
  bash test/run.sh >"$OUT/round-$round.log" 2>&1 || rc=$?
  total=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$OUT/round-$round.log" | tail -1 || true)
  echo "round $round: exit $rc in $(($(date +%s) - started)) s: ${total:-no total}"
  if [ "$rc" != 0 ]; then
    failed=$((failed + 1))
    grep -E '^FAIL|^    |jobs that crashed' "$OUT/round-$round.log" | head -40 | sed 's/^/  /'
  fi
done
echo "load: $((ROUNDS - failed)) of $ROUNDS rounds passed under load"
[ "$failed" = 0 ]
