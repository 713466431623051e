#!/usr/bin/env bash
# tests/systemd/verify.sh — check the systemd units in systemd/ offline.
#
#   tests/systemd/verify.sh [VS_API_BIN] [VS_SYNC_BIN]
#
# Defaults: build/vs-api and build/vs-sync (relative to the repository root;
# arguments given on the command line are relative to the current directory).
#
# What it does, all in a throwaway temp dir (nothing is installed, no running
# systemd needed — works as root in a container where systemd is not PID 1):
#   1. copies every unit (and the optional vs-api drop-in, applied as a real
#      drop-in) and rewrites /usr/local/bin/vs-api and /usr/local/bin/vs-sync
#      to the given binaries, because `systemd-analyze verify` checks that
#      ExecStart= binaries exist. A binary that is not built yet is replaced
#      by a placeholder script in the temp dir (said so in the output);
#   2. runs `systemd-analyze verify`; ANY diagnostic about our units (unknown
#      key, bad value, missing binary, missing dependency) fails the test, not
#      just a non-zero exit status (systemd 252 exits 0 on "Unknown key");
#   3. self-check: a copy with a misspelt key must be rejected, so a silent
#      checker can never make this test pass;
#   4. checks the deployment contract the lead fixed (hardening block in every
#      service, credentials, socket path/owner/mode, timer schedules);
#   5. prints `systemd-analyze security --offline=yes` exposure scores when
#      this systemd supports it (informational, never fails the test).
# Exit status 0 and "systemd: N units verified" on success, 1 on failure.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# VS_UNIT_DIR / VS_UNIT_PREFIX: check installed units instead (tests/systemd/install.sh:
# `make install PREFIX=/usr` renders ExecStart=/usr/bin/...).
UNIT_DIR=${VS_UNIT_DIR:-"$ROOT/systemd"}
P=${VS_UNIT_PREFIX:-/usr/local}

fail=0
err() { echo "systemd: FAIL: $*" >&2; fail=1; }
note() { echo "systemd: $*"; }

if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "systemd: FAIL: systemd-analyze not found (install the 'systemd' package: make deps)" >&2
  exit 1
fi
# A caller's debug log level would turn harmless chatter into failures.
export SYSTEMD_LOG_LEVEL=info SYSTEMD_COLORS=0 SYSTEMD_PAGER='' LC_ALL=C

abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s/%s\n' "$PWD" "$1" ;; esac; }
API_BIN=$(abspath "${1:-$ROOT/build/vs-api}")
SYNC_BIN=$(abspath "${2:-$ROOT/build/vs-sync}")

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vs-systemd-verify.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/bin" "$TMP/units"

# --- 1. binaries: the built ones (symlinked, so paths with spaces are fine) or placeholders
for pair in "vs-api:$API_BIN" "vs-sync:$SYNC_BIN"; do
  name=${pair%%:*} bin=${pair#*:}
  if [ -f "$bin" ] && [ -x "$bin" ]; then
    ln -s "$bin" "$TMP/bin/$name"
    note "using $name binary $bin"
  else
    printf '#!/bin/sh\n# placeholder for %s, only for systemd-analyze verify\nexit 0\n' "$name" >"$TMP/bin/$name"
    chmod 0755 "$TMP/bin/$name"
    note "$bin not built yet: using a temporary placeholder script for $name (verification only)"
  fi
done

# --- copy units, rewrite binary paths
shopt -s nullglob
units=()
for f in "$UNIT_DIR"/*.service "$UNIT_DIR"/*.socket "$UNIT_DIR"/*.timer "$UNIT_DIR"/*.target; do
  base=$(basename "$f")
  sed -e "s#$P/bin/vs-api\\b#$TMP/bin/vs-api#g" \
      -e "s#$P/bin/vs-sync\\b#$TMP/bin/vs-sync#g" "$f" >"$TMP/units/$base"
  units+=("$base")
done
if ((${#units[@]} == 0)); then
  echo "systemd: FAIL: no unit files in $UNIT_DIR" >&2
  exit 1
fi
# The optional credential drop-ins (Supabase, SMTP) are verified applied to vs-api.service.
for d in supabase smtp; do
  if [ -f "$UNIT_DIR/dropins/vs-api-$d.conf" ]; then
    mkdir -p "$TMP/units/vs-api.service.d"
    cp "$UNIT_DIR/dropins/vs-api-$d.conf" "$TMP/units/vs-api.service.d/$d.conf"
  fi
done
# Every ExecStart must now point at our two binaries, nothing else under the prefix.
if stray=$(cd "$TMP/units" && grep -HnE "^Exec[A-Za-z]*=[-@:+!|]*$P/" "${units[@]}"); then
  err "Exec*= of an unknown $P binary (only vs-api and vs-sync are installed):"
  echo "$stray" >&2
fi

# --- 2. systemd-analyze verify
verify_flags=(--man=no --generators=no)
# Check our units and their direct dependencies; the host's own units are
# not ours to judge (and differ between machines).
systemd-analyze --help 2>/dev/null | grep -q -- '--recursive-errors' && verify_flags+=(--recursive-errors=one)

# run_verify UNIT...: prints the diagnostics that concern our units; returns 1 if any.
run_verify() {
  local out rc line bad=0 pat
  out=$(cd "$TMP/units" && systemd-analyze verify "${verify_flags[@]}" "$@" 2>&1); rc=$?
  pat="$TMP"
  for u in "${units[@]}" "$@"; do pat="$pat|${u//./\\.}"; done
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    if grep -Eq -- "$pat" <<<"$line"; then
      echo "  ${line//$TMP\/units\//}"; bad=1
    else
      echo "  (not our unit, ignored) $line"
    fi
  done <<<"$out"
  if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
    echo "  systemd-analyze verify exited $rc"; bad=1
  fi
  return "$bad"
}

paths=()
for u in "${units[@]}"; do paths+=("$TMP/units/$u"); done
if ! diag=$(run_verify "${paths[@]}"); then
  err "systemd-analyze verify reported problems:"
  echo "$diag" >&2
elif [ -n "$diag" ]; then
  echo "$diag"
fi

# --- 3. self-check: the checker must reject a misspelt key
cp "$TMP/units/${units[0]}" "$TMP/units/zz-selfcheck-${units[0]}"
sed -i '0,/^\[Unit\]/s//[Unit]\nDescriptoin=misspelt on purpose/' "$TMP/units/zz-selfcheck-${units[0]}"
units+=("zz-selfcheck-${units[0]}")
if run_verify "$TMP/units/zz-selfcheck-${units[0]}" >/dev/null; then
  err "self-check: systemd-analyze verify accepted a unit with a misspelt key; this checker cannot be trusted"
fi
rm -f "$TMP/units/zz-selfcheck-${units[0]}"
unset 'units[${#units[@]}-1]'

# --- 4. deployment contract
# has FILE LINE: the unit contains exactly this line.
has() { grep -Fxq -- "$2" "$UNIT_DIR/$1" || err "$1: missing '$2'"; }

HARDENING=(
  "User=victorysync" "NoNewPrivileges=yes" "ProtectSystem=strict" "ProtectHome=yes"
  "PrivateTmp=yes" "PrivateDevices=yes" "ProtectKernelTunables=yes"
  "ProtectKernelModules=yes" "ProtectKernelLogs=yes" "ProtectControlGroups=yes"
  "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6" "RestrictNamespaces=yes"
  "LockPersonality=yes" "MemoryDenyWriteExecute=yes" "SystemCallFilter=@system-service"
  "SystemCallArchitectures=native" "CapabilityBoundingSet=" "UMask=0077"
  "RestrictSUIDSGID=yes" "RestrictRealtime=yes"
)
for u in "${units[@]}"; do
  case "$u" in *.service) ;; *) continue ;; esac
  for l in "${HARDENING[@]}"; do has "$u" "$l"; done
  # Secrets only through LoadCredential= from /etc/victorysync/credentials/<same name>.
  while IFS= read -r l; do
    id=${l#LoadCredential=}; id=${id%%:*}; src=${l#*:}
    [ "$src" = "/etc/victorysync/credentials/$id" ] || err "$u: '$l' must read /etc/victorysync/credentials/$id"
  done < <(grep '^LoadCredential=' "$UNIT_DIR/$u")
  grep -Eq '^(Environment|EnvironmentFile)=.*(password|secret|key)' "$UNIT_DIR/$u" \
    && err "$u: secrets must come from LoadCredential=, not the environment"
  # vs-sync takes global options before the command: vs-sync --config FILE COMMAND.
  grep -Eq "^ExecStart=$P/bin/vs-(api|sync) --config /etc/victorysync/victorysync.conf( |\$)" "$UNIT_DIR/$u" \
    || err "$u: ExecStart must be '$P/bin/vs-api|vs-sync --config /etc/victorysync/victorysync.conf ...'"
done

for c in db_password jwt_secret master_key service_key; do
  has vs-api.service "LoadCredential=$c:/etc/victorysync/credentials/$c"
done
has vs-api.service "Restart=on-failure"
has vs-api.service "KillSignal=SIGTERM"
has vs-api.service "Requires=vs-api.socket"
has vs-api.service "KillMode=mixed"
has vs-api.service "ExecStart=$P/bin/vs-api --config /etc/victorysync/victorysync.conf"
grep -q '^TimeoutStopSec=' "$UNIT_DIR/vs-api.service" || err "vs-api.service: missing TimeoutStopSec= (drain time)"

has vs-api.socket "ListenStream=/run/victorysync/api.sock"
has vs-api.socket "SocketGroup=www-data"
has vs-api.socket "SocketMode=0660"

has vs-sync-drain.service "Type=oneshot"
has vs-sync-drain.service "ExecStart=$P/bin/vs-sync --config /etc/victorysync/victorysync.conf drain"
has vs-sync-drain.timer "OnCalendar=minutely"
has vs-sync-drain.timer "Persistent=yes"

has vs-sync-schedule.service "Type=oneshot"
has vs-sync-schedule.service "ExecStart=$P/bin/vs-sync --config /etc/victorysync/victorysync.conf schedule"
has vs-sync-schedule.timer "OnCalendar=*:0/15"
has vs-sync-schedule.timer "Persistent=yes"
grep -q '^RandomizedDelaySec=' "$UNIT_DIR/vs-sync-schedule.timer" || err "vs-sync-schedule.timer: missing RandomizedDelaySec="

# The timers must really fire 1 and 15 minutes apart (systemd's own parser).
interval() { # CALENDAR -> seconds between the next two elapses
  systemd-analyze calendar --iterations=2 "$1" 2>/dev/null |
    sed -n 's/^ *\(Next elapse\|Iter\. #2\): \(.*\)$/\2/p' |
    { read -r a; read -r b; echo $(( $(date -d "$b" +%s) - $(date -d "$a" +%s) )); }
}
[ "$(interval minutely)" = 60 ] || err "OnCalendar=minutely does not elapse every 60 s here"
[ "$(interval '*:0/15')" = 900 ] || err "OnCalendar=*:0/15 does not elapse every 900 s here"

# --- 5. exposure scores (informational)
if systemd-analyze --help 2>/dev/null | grep -q -- '--offline'; then
  for u in "${units[@]}"; do
    case "$u" in *.service) ;; *) continue ;; esac
    score=$(cd "$TMP/units" && systemd-analyze security --offline=yes --no-pager "$TMP/units/$u" 2>/dev/null |
            sed -n 's/^.*Overall exposure level for [^:]*: *//p')
    note "security: $u exposure ${score:-unavailable} (informational; 0 = locked down, 10 = exposed)"
  done
else
  note "security: this systemd-analyze has no --offline; exposure scores skipped"
fi

if [ "$fail" -ne 0 ]; then
  echo "systemd: FAILED" >&2
  exit 1
fi
echo "systemd: ${#units[@]} units verified"
