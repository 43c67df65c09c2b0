#!/usr/bin/env bash
# Stops what up.sh started in RUN_DIR and removes it: engines (their containers
# and containerd with them), registries, leftover mounts.
set -u
RUN=${1:?usage: down.sh RUN_DIR}
RUN=${RUN%/}
[ -d "$RUN" ] || exit 0
for f in "$RUN"/*/registry.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
pids=()
for e in d20 d26; do
  f=$RUN/$e/dockerd.pid; [ -f "$f" ] || f=$RUN/$e/launcher.pid
  [ -f "$f" ] && { p=$(cat "$f"); kill "$p" 2>/dev/null && pids+=("$p"); }
done
for _ in $(seq 1 100); do
  alive=0; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
  [ $alive = 0 ] && break; sleep 0.2
done
for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
# containerd, shims and anything else still running from this run folder (and
# no other: matched on "$RUN/" in the command line), each by its pid.
for d in /proc/[0-9]*; do
  p=${d#/proc/}
  [ "$p" = $$ ] || [ "$p" = "$PPID" ] && continue
  cmd=$( { tr '\0' ' ' <"$d/cmdline"; } 2>/dev/null) || continue # processes end while we look
  case "$cmd" in *"$RUN/"*) kill -9 "$p" 2>/dev/null ;; esac
done
sleep 0.3
grep -o " $RUN/[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
rm -rf "$RUN" 2>/dev/null || true
exit 0
