#!/usr/bin/env bash
# sync-loop.sh — what the two systemd timers do in production, as one process
# of a dev stack (started by `scripts/stack.sh start run`, stopped by
# `scripts/stack.sh stop run`, i.e. `make run` / `make stop`):
#   vs-sync schedule   every VS_SYNC_SCHEDULE_EVERY seconds (900: vs-sync-schedule.timer),
#                      and once at start (the timer's Persistent=yes catch-up)
#   vs-sync drain      every VS_SYNC_DRAIN_EVERY seconds (60: vs-sync-drain.timer)
# One vs-sync at a time, as systemd never starts a service that still runs.
# VS_SYNC_ORG=<uuid> limits both commands to one org (tests use it so they
# never drain another test's queue). SIGTERM/SIGINT: the running vs-sync gets
# SIGTERM too (drain claims no new job and ends after the current one) and
# the loop exits once it has ended.
#   scripts/sync-loop.sh [profile]
set -uo pipefail
source "$(dirname "$0")/env.sh" "${1:-}"
cd "$VS_ROOT"

drain_every=${VS_SYNC_DRAIN_EVERY:-60}
schedule_every=${VS_SYNC_SCHEDULE_EVERY:-900}
for v in "$drain_every" "$schedule_every"; do
  [[ "$v" =~ ^[1-9][0-9]{0,5}$ ]] || { echo "sync-loop: intervals are whole seconds (1..999999), got '$v'" >&2; exit 2; }
done
org_args=()
if [ -n "${VS_SYNC_ORG:-}" ]; then
  [[ "$VS_SYNC_ORG" =~ ^[0-9a-fA-F-]{36}$ ]] || { echo "sync-loop: VS_SYNC_ORG is not a UUID" >&2; exit 2; }
  org_args=(--org "$VS_SYNC_ORG")
fi

stopping=0
child=
on_stop() {
  stopping=1
  [ -n "$child" ] && kill -TERM "$child" 2>/dev/null
}
trap on_stop TERM INT

# Run one command in the background and wait for it; a signal interrupts the
# wait (the trap forwards it), then the child is waited for until it ends.
step() {
  "$@" &
  child=$!
  wait "$child"
  while kill -0 "$child" 2>/dev/null; do wait "$child"; done
  child=
}

vs() { CREDENTIALS_DIRECTORY=$VS_SECRETS step "$VS_BUILD/vs-sync" --config "$VS_CONF" "$@"; }

echo "sync-loop: schedule every ${schedule_every}s, drain every ${drain_every}s${VS_SYNC_ORG:+ (org $VS_SYNC_ORG)} (pid $$)"
next_schedule=0
while [ "$stopping" = 0 ]; do
  if [ "$SECONDS" -ge "$next_schedule" ]; then
    next_schedule=$((SECONDS + schedule_every))
    vs schedule "${org_args[@]}"
  fi
  [ "$stopping" = 0 ] && vs drain "${org_args[@]}"
  [ "$stopping" = 0 ] && step sleep "$drain_every"
done
echo "sync-loop: stopped"
