#!/usr/bin/env bash
# run.sh — `make bench`: start a private stack (profile "bench", ports
# 20700–20703, rate limits lifted), load the 1M-call org (bench/setup.mjs),
# then
#   1. sweep worker processes x threads (and FastCGI keep-alive on/off) on the
#      calls list, keep the fastest configuration,
#   2. load every route of the data issue with wrk from loopback, as ratios
#      against nginx serving a static file in the same run,
#   3. run the full first sync of a 100k-call account (bench/sync-100k.sh),
# and write the tables into bench/RESULTS.md (the block between the
# bench:begin / bench:end markers; other sections are left alone).
# Every load is bounded: each wrk runs DURATION seconds.
#   bench/run.sh [--duration S] [--connections N] [--no-sweep] [--no-sync]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=10 CONNS=64 THREADS=2 SWEEP=1 SYNC=1
while [ $# -gt 0 ]; do
  case $1 in
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    --no-sweep) SWEEP=0; shift ;;
    --no-sync) SYNC=0; shift ;;
    *) echo "usage: bench/run.sh [--duration S] [--connections N] [--no-sweep] [--no-sync]" >&2; exit 2 ;;
  esac
done
export VS_PORT_BASE=20700 VS_BENCH=1 VS_LOG_LEVEL=warn
source scripts/env.sh bench
make -s -j2 all
trap 'scripts/stack.sh stop bench >/dev/null 2>&1' EXIT
scripts/stack.sh stop bench >/dev/null 2>&1 || true
scripts/stack.sh start bench >/dev/null
BASE=http://127.0.0.1:$VS_HTTP_PORT
OUT=$VS_VAR/bench-out
mkdir -p "$OUT"

# wrk_row NAME PATH HEADER → prints "rps|p50|p99|non2xx"
wrk_row() {
  local args=(-t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency) out rps p50 p99 non2xx
  [ -n "$3" ] && args+=(-H "$3")
  out=$(wrk "${args[@]}" "$BASE$2" 2>&1)
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "${rps:-0}|${p50:-?}|${p99:-?}|${non2xx:-0}"
}

# Targets: name|path|header. bench/setup.mjs prints the authenticated ones.
targets=("static file (nginx)|/index.html|" "GET /health (worker + MariaDB)|/health|")
while IFS= read -r line; do targets+=("$line"); done < <(node bench/setup.mjs)
IFS='|' read -r _ calls_path calls_hdr <<<"${targets[2]}"

# nginx_keepalive on|off: FastCGI connection reuse (see nginx/fastcgi.conf).
nginx_keepalive() {
  if [ "$1" = on ]; then
    sed 's/fastcgi_keep_conn off;/fastcgi_keep_conn on;/' nginx/fastcgi.conf > "$VS_VAR/fastcgi-keep.conf"
    sed -i -e "s#include $VS_ROOT/nginx/fastcgi.conf;#include $VS_VAR/fastcgi-keep.conf;#" \
           -e "s#server unix:$VS_VAR/run/api.sock;#server unix:$VS_VAR/run/api.sock; keepalive 4;#" "$VS_VAR/nginx.conf"
  else
    sed -i -e "s#include $VS_VAR/fastcgi-keep.conf;#include $VS_ROOT/nginx/fastcgi.conf;#" \
           -e "s# keepalive 4;##" "$VS_VAR/nginx.conf"
  fi
  nginx -p "$VS_VAR/nginx" -c "$VS_VAR/nginx.conf" -s reload 2>/dev/null
  sleep 1
}

api_restart() { # api_restart WORKERS THREADS
  VS_WORKERS=$1 VS_THREADS=$2 scripts/stack.sh api-stop bench >/dev/null
  VS_WORKERS=$1 VS_THREADS=$2 scripts/stack.sh api-start bench >/dev/null
}

static_rps=$(wrk_row static /index.html "" | cut -d'|' -f1)
echo "bench: static file $static_rps req/s"

best_w=$VS_WORKERS best_t=$VS_THREADS
sweep_rows=()
if [ "$SWEEP" = 1 ]; then
  best_rps=0
  for cfg in 1x8 1x16 2x4 2x8 2x16 2x32 4x8 2x8+keepalive; do
    w=${cfg%%x*} rest=${cfg#*x} t=${rest%%+*}
    api_restart "$w" "$t"
    [ "$cfg" != "${cfg%+keepalive}" ] && nginx_keepalive on
    IFS='|' read -r rps p50 p99 non2xx <<<"$(wrk_row "$cfg" "$calls_path" "$calls_hdr")"
    [ "$cfg" != "${cfg%+keepalive}" ] && nginx_keepalive off
    echo "bench: sweep $cfg: $rps req/s, p50 $p50, p99 $p99, non-2xx $non2xx"
    ratio=$(awk -v a="$rps" -v b="$static_rps" 'BEGIN { printf "%.3f", a / b }')
    mode="per request"; [ "$cfg" != "${cfg%+keepalive}" ] && mode=keepalive
    sweep_rows+=("| $w | $t | $mode | $rps | $ratio | $p50 | $p99 | $non2xx |")
    if [ "$cfg" = "${cfg%+keepalive}" ] && [ "$non2xx" = 0 ] && awk -v a="$rps" -v b="$best_rps" 'BEGIN { exit !(a > b) }'; then
      best_rps=$rps best_w=$w best_t=$t
    fi
  done
  echo "bench: fastest configuration: $best_w workers x $best_t threads"
fi
api_restart "$best_w" "$best_t"

results=()
for t in "${targets[@]}"; do
  IFS='|' read -r name path hdr <<<"$t"
  IFS='|' read -r rps p50 p99 non2xx <<<"$(wrk_row "$name" "$path" "$hdr")"
  [ "$name" = "static file (nginx)" ] && static_rps=$rps
  ratio=$(awk -v a="$rps" -v b="$static_rps" 'BEGIN { printf "%.3f", a / b }')
  shown=$path; [ ${#shown} -gt 70 ] && shown="${shown:0:67}..."
  results+=("| $name | \`$shown\` | $rps | $ratio | $p50 | $p99 | $non2xx |")
  echo "bench: $name: $rps req/s (x$ratio of static), p50 $p50, p99 $p99, non-2xx $non2xx"
done
scripts/stack.sh stop bench >/dev/null 2>&1

sync_block="(sync benchmark not run: --no-sync)"
if [ "$SYNC" = 1 ]; then
  bench/sync-100k.sh 100000 > "$OUT/sync.md"
  sync_block=$(cat "$OUT/sync.md")
fi

nginx_version=$(nginx -v 2>&1 | sed 's/^nginx version: //')
mariadb_version=$(mariadbd --version 2>/dev/null | awk '{print $3}')
{
  echo "<!-- bench:begin (written by make bench; do not edit by hand) -->"
  echo "## make bench, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo);"
  echo "$nginx_version (2 worker processes), MariaDB $mariadb_version, $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}');"
  echo "wrk -t$THREADS -c$CONNS -d${DURATION}s over loopback HTTP, rate limits lifted for the bench profile."
  echo "Command: \`make bench\` (bench/run.sh --duration $DURATION --connections $CONNS)."
  echo
  if [ ${#sweep_rows[@]} -gt 0 ]; then
    echo "### Worker processes x threads (GET calls?limit=50, API key)"
    echo
    echo "Each configuration restarts vs-api; \`keepalive\` = nginx \`fastcgi_keep_conn on\` with"
    echo "\`keepalive 4\` (the default is one connection per request, see docs/architecture.md)."
    echo "Kept for the routes below: **$best_w workers x $best_t threads** (highest req/s without errors)."
    echo
    echo "| workers | threads | FastCGI | req/s | ratio to static | p50 | p99 | non-2xx |"
    echo "|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${sweep_rows[@]}"
    echo
  fi
  echo "### Routes ($best_w workers x $best_t threads)"
  echo
  echo "| target | path | req/s | ratio to static | p50 | p99 | non-2xx |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${results[@]}"
  echo
  echo "$sync_block"
  echo "<!-- bench:end -->"
} > "$OUT/latest.md"

# Replace the block between the markers (or put it after the header).
node -e '
const fs = require("fs");
const [file, block] = [process.argv[1], fs.readFileSync(process.argv[2], "utf8").trimEnd()];
let s = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmark results\n";
const re = /<!-- bench:begin[\s\S]*?<!-- bench:end -->/;
if (re.test(s)) s = s.replace(re, block);
else { const i = s.indexOf("\n## "); s = i < 0 ? s.trimEnd() + "\n\n" + block + "\n" : s.slice(0, i + 1) + block + "\n\n" + s.slice(i + 1); }
fs.writeFileSync(file, s);
' bench/RESULTS.md "$OUT/latest.md"
echo "bench: results written to bench/RESULTS.md"
