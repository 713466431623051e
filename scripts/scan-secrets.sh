#!/usr/bin/env bash
# scan-secrets.sh — fail if any secret of a test run appears in the logs of a
# profile. Secrets: every file in var/<profile>/secrets/ (db_password,
# jwt_secret, master_key, service_key, ...) and every line of
# var/<profile>/test-secrets.txt (what the API tests created or received:
# passwords, JWTs, refresh tokens, API keys, MightyCall credentials, webhook
# secrets; written by tests/api/secret_log.mjs). Logs: var/<profile>/log/*
# (api.log, nginx-*.log, mariadb*.log, sim.log, asan-*) and the test MTA's
# var/<profile>/mta/log/* (exim: invitation and reset links must not be there
# either; the delivered messages in var/<profile>/mail/ hold them by design),
# except transcripts of
# test runners kept there by scripts/test-all.sh (node-*.log, faults-*.log):
# they print test assertions, not service output.
# Prints where a secret was found (file:line), never the secret itself (only
# its length). Exit 0 clean, 1 found, 2 usage.
#   scripts/scan-secrets.sh PROFILE
set -uo pipefail
profile=${1:?usage: scan-secrets.sh PROFILE}
cd "$(dirname "$0")/.."
var=var/$profile
[ -d "$var/log" ] || { echo "scan-secrets: no $var/log" >&2; exit 2; }

patterns=$(mktemp)
trap 'rm -f "$patterns"' EXIT
chmod 600 "$patterns"
for f in "$var"/secrets/*; do
  [ -f "$f" ] || continue
  v=$(tr -d '\r\n' < "$f")
  [ ${#v} -ge 8 ] && printf '%s\n' "$v" >> "$patterns"
done
if [ -f "$var/test-secrets.txt" ]; then
  awk 'length($0) >= 8' "$var/test-secrets.txt" >> "$patterns"
fi
sort -u -o "$patterns" "$patterns"
nsecrets=$(wc -l < "$patterns")

logs=()
for f in "$var"/log/* "$var"/mta/log/*; do
  [ -f "$f" ] || continue
  case "$(basename "$f")" in node-*.log | faults-*.log) continue ;; esac
  logs+=("$f")
done
if [ ${#logs[@]} -eq 0 ] || [ "$nsecrets" -eq 0 ]; then
  echo "scan-secrets: $profile: nothing to scan (${#logs[@]} logs, $nsecrets secrets)"
  exit 0
fi

# -F fixed strings, -a binary-safe; report file:line only
hits=$(grep -F -a -n -o -f "$patterns" "${logs[@]}" 2>/dev/null | awk -F: '{ s = $0; sub(/^[^:]*:[^:]*:/, "", s); printf "%s:%s (a secret of %d characters)\n", $1, $2, length(s) }' | sort -u)
if [ -n "$hits" ]; then
  echo "scan-secrets: $profile: SECRETS FOUND IN LOGS:"
  printf '%s\n' "$hits" | head -50
  exit 1
fi
echo "scan-secrets: $profile: no secrets in ${#logs[@]} log files ($nsecrets secrets checked)"
exit 0
