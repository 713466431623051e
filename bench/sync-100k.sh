#!/usr/bin/env bash
# sync-100k.sh — measure a full first sync of a 100k-call MightyCall account:
# wall time per stream (from sync_jobs), peak RSS of vs-sync itself, MightyCall
# requests of the first sync and of a no-change re-sync of every stream (the
# simulator's own counts). Private stack "benchsync" on ports 20800–20805 with
# a fresh database; prints a Markdown block on stdout (bench/run.sh puts it
# into bench/RESULTS.md), progress on stderr.
#   bench/sync-100k.sh [CALLS] [--rss-at N]
# Environment: BENCH_PORT_BASE (default 20800; the stack takes it .. +5) and
# BENCH_PROFILE (default benchsync), to run beside another stack.
# --rss-at N: afterwards, the same first sync on a second fresh stack with an
# N-call account (e.g. 1000000), to show that vs-sync's peak RSS does not grow
# with the account (slow: optional).
set -euo pipefail
cd "$(dirname "$0")/.."
CALLS=100000 RSS_AT=
while [ $# -gt 0 ]; do
  case $1 in
    --rss-at) RSS_AT=${2:?--rss-at N}; shift 2 ;;
    [0-9]*) CALLS=$1; shift ;;
    *) echo "usage: bench/sync-100k.sh [CALLS] [--rss-at N]" >&2; exit 2 ;;
  esac
done
PROFILE=${BENCH_PROFILE:-benchsync}
case $PROFILE in run | test | '' | *[!a-z0-9_-]*) echo "sync-100k: bad BENCH_PROFILE" >&2; exit 2 ;; esac
case ${BENCH_PORT_BASE:-20800} in *[!0-9]*) echo "sync-100k: bad BENCH_PORT_BASE" >&2; exit 2 ;; esac
export VS_PORT_BASE=${BENCH_PORT_BASE:-20800} VS_LOG_LEVEL=warn VS_MAIL=0 # no test MTA needed
source scripts/env.sh "$PROFILE"
make -s -j2 BUILD="$VS_BUILD" all >&2
REAL_BUILD=$(cd "$VS_BUILD" && pwd)
trap 'scripts/stack.sh stop "$PROFILE" >/dev/null 2>&1' EXIT

# vs-sync under /usr/bin/time -v: every run appends its own "Maximum resident
# set size" (the process itself, not the scripts around it)
WRAP=$(mktemp -d)
trap 'scripts/stack.sh stop "$PROFILE" >/dev/null 2>&1; rm -rf "$WRAP"' EXIT
cat > "$WRAP/vs-sync" <<EOF
#!/bin/sh
exec /usr/bin/time -v -a -o "\$VS_SYNC_TIME" "$REAL_BUILD/vs-sync" "\$@"
EOF
chmod +x "$WRAP/vs-sync"
vs() { CREDENTIALS_DIRECTORY=$VS_SECRETS "$WRAP/vs-sync" --config "$VS_CONF" "$@"; }
# peak RSS (MiB) of the vs-sync runs that sync (drain, run): `user create`
# hashes a password with argon2id (64 MiB by design) and is not the sync
peak_mib() {
  awk -F': ' '/Command being timed/ { sync = ($2 ~ / (drain|run) /) }
              /Maximum resident set size/ && sync { if ($2 > m) m = $2 }
              END { printf "%.1f", m / 1024 }' "$1"
}
sim_total() {
  curl -s "http://127.0.0.1:$VS_SIM_PORT/__sim/counts" \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).total))'
}
fresh_stack() { # fresh_stack CALLS
  scripts/stack.sh stop "$PROFILE" >/dev/null 2>&1 || true
  rm -rf "$VS_VAR"
  VS_SIM_ARGS="--calls $1" scripts/stack.sh start "$PROFILE" >&2
  mkdir -p "$VS_VAR/log"
}
job_rows() { # job_rows SINCE_SQL_TIME → Markdown rows of the jobs started since then
  vs_mysql_root -N -B victorysync -e "SELECT type, TIMESTAMPDIFF(MICROSECOND, started_at, completed_at)/1e6, \
    synced_count, requests_used, status FROM sync_jobs WHERE started_at >= '$1' ORDER BY started_at" \
  | while IFS=$'\t' read -r type secs synced reqs status; do
      printf '| %s | %.2f | %s | %s | %s |\n' "$type" "$secs" "$synced" "$reqs" "$status"
    done
}

# --- first sync: seed (user, org, integration) + schedule + one drain ---------
export VS_SYNC_TIME=$WRAP/vs-sync-time.txt
fresh_stack "$CALLS"
: > "$VS_SYNC_TIME"
start=$(date +%s.%N)
VS_BUILD=$WRAP scripts/demo-seed.sh "$PROFILE" > "$VS_VAR/log/seed.txt" 2>&1
end=$(date +%s.%N)
rss_first=$(peak_mib "$VS_SYNC_TIME")
requests_first=$(sim_total)
first_rows=$(job_rows 1970-01-01)
calls_stored=$(vs_mysql_root -N -B victorysync -e "SELECT COUNT(*) FROM calls")
recordings_stored=$(vs_mysql_root -N -B victorysync -e "SELECT COUNT(*) FROM recordings")
sms_stored=$(vs_mysql_root -N -B victorysync -e "SELECT COUNT(*) FROM sms_messages")
by_endpoint=$(curl -s "http://127.0.0.1:$VS_SIM_PORT/__sim/counts" \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const b=JSON.parse(s).by_endpoint;console.log(Object.entries(b).map(([k,v])=>`${k} ${v}`).join(", "))})')
org=$(vs_mysql_root -N -B victorysync -e "SELECT id FROM orgs LIMIT 1")

# --- no-change re-sync: every stream once more, nothing changed upstream -----
: > "$VS_SYNC_TIME"
resync_since=$(vs_mysql_root -N -B victorysync -e "SELECT NOW(3)")
before=$(sim_total)
vs schedule --org "$org" --all > /dev/null
vs drain --org "$org" > /dev/null
requests_resync=$(( $(sim_total) - before ))
resync_rows=$(job_rows "$resync_since")

# --- optional: the same first sync at another size, for vs-sync's RSS --------
rss_at_line=
if [ -n "$RSS_AT" ]; then
  echo "sync-100k: second stack with $RSS_AT calls (RSS of vs-sync)" >&2
  fresh_stack "$RSS_AT"
  : > "$VS_SYNC_TIME"
  VS_BUILD=$WRAP scripts/demo-seed.sh "$PROFILE" > "$VS_VAR/log/seed.txt" 2>&1
  at_calls=$(vs_mysql_root -N -B victorysync -e "SELECT CONCAT(synced_count, ' calls in ', \
    ROUND(TIMESTAMPDIFF(MICROSECOND, started_at, completed_at)/1e6, 1), ' s, ', requests_used, ' requests') \
    FROM sync_jobs WHERE type = 'calls'")
  rss_at_line="- Same first sync of a ${RSS_AT}-call account: calls stream $at_calls; vs-sync peak RSS $(peak_mib "$VS_SYNC_TIME") MiB."
fi

{
  echo "### Full first sync of a ${CALLS}-call account ($(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "Command: \`bench/sync-100k.sh $CALLS${RSS_AT:+ --rss-at $RSS_AT}\` (simulator \`--calls $CALLS\`, every stream, one \`vs-sync drain\`)."
  echo
  echo "- Wall time of the whole seed + sync: $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}') s."
  echo "- Peak RSS of vs-sync itself (\`/usr/bin/time -v\` around each \`vs-sync drain\`/\`run\`): first sync $rss_first MiB."
  echo "- Stored: $calls_stored calls, $recordings_stored recordings, $sms_stored SMS."
  echo "- MightyCall requests, first sync (simulator count, token included): **$requests_first** ($by_endpoint)."
  echo "- MightyCall requests, no-change re-sync of every stream (\`vs-sync schedule --all\` + \`drain\`): **$requests_resync**."
  [ -n "$rss_at_line" ] && echo "$rss_at_line"
  echo
  echo "| stream (first sync) | wall time (s) | synced | MightyCall requests | status |"
  echo "|---|---|---|---|---|"
  echo "$first_rows"
  echo
  echo "| stream (no-change re-sync) | wall time (s) | synced | MightyCall requests | status |"
  echo "|---|---|---|---|---|"
  echo "$resync_rows"
  echo
}
