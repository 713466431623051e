#!/usr/bin/env bash
# sync-100k.sh — measure a full first sync of a 100k-call MightyCall account:
# wall time per stream (from sync_jobs), peak RSS of vs-sync, and MightyCall
# requests used (the simulator's own count). Private stack "benchsync" on
# ports 20800–20803 with a fresh database; prints a Markdown block on stdout
# (bench/run.sh puts it into bench/RESULTS.md), progress on stderr.
#   bench/sync-100k.sh [CALLS]
set -euo pipefail
cd "$(dirname "$0")/.."
CALLS=${1:-100000}
export VS_PORT_BASE=20800 VS_LOG_LEVEL=warn VS_SIM_ARGS="--calls $CALLS" VS_MAIL=0 # no test MTA needed
source scripts/env.sh benchsync
make -s -j2 all >&2
trap 'scripts/stack.sh stop benchsync >/dev/null 2>&1' EXIT
scripts/stack.sh stop benchsync >/dev/null 2>&1 || true
rm -rf "$VS_VAR"
scripts/stack.sh start benchsync >&2
start=$(date +%s.%N)
/usr/bin/time -v -o "$VS_VAR/log/time.txt" scripts/demo-seed.sh benchsync > "$VS_VAR/log/seed.txt" 2>&1
end=$(date +%s.%N)
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$VS_VAR/log/time.txt")
requests=$(curl -s "http://127.0.0.1:$VS_SIM_PORT/__sim/counts" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).total))')
rows=$(vs_mysql_root -N -B victorysync -e "SELECT type, TIMESTAMPDIFF(MICROSECOND, started_at, completed_at)/1e6, synced_count, requests_used, status FROM sync_jobs ORDER BY started_at")
calls_stored=$(vs_mysql_root -N -B victorysync -e "SELECT COUNT(*) FROM calls")
{
  echo "### Full first sync of a ${CALLS}-call account ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
  echo
  echo "Command: \`bench/sync-100k.sh $CALLS\` (simulator \`--calls $CALLS\`, every stream, one \`vs-sync drain\`)."
  echo "Wall time of the whole seed + sync: $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}') s;"
  echo "peak RSS of the largest child process (vs-sync): $((rss_kb / 1024)) MiB; MightyCall requests used (simulator count, token requests included): $requests; calls stored: $calls_stored."
  echo
  echo "| stream | wall time (s) | synced | MightyCall requests | status |"
  echo "|---|---|---|---|---|"
  while IFS=$'\t' read -r type secs synced reqs status; do
    printf '| %s | %.2f | %s | %s | %s |\n' "$type" "$secs" "$synced" "$reqs" "$status"
  done <<<"$rows"
  echo
}
