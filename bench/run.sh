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
# Beside the project's calls row, two peers answer the same first page of the
# calls list with the same SQL and JSON, behind the same nginx (bench/peers/):
#   /peer/c/…        minimal libfcgi C program (bench/peers/fcgi_calls.c), own socket
#   /peer/express/…  Express + mysql2 (bench/peers/express/server.mjs), loopback
#                    port VS_PORT_BASE + 9 (PEER_EXPRESS_PORT)
# Both are built/installed here (var/bench/peers, npm install into
# bench/peers/express), started after the data are loaded, checked (200, 50
# items, the project's fields and values) before any load, warmed up for 2 s
# at 4 connections (not recorded), loaded with the same wrk settings as the
# project's calls row, and stopped by PID on exit.
# After the route loads, the RSS of the vs-api workers (and of the peers) is
# read from /proc/PID/status.
# Every load is bounded: each wrk runs DURATION seconds.
#   bench/run.sh [--duration S] [--connections N] [--no-sweep] [--no-sync] [--calls N]
# --calls N loads an org of N calls instead of 1M (to try the script out
# quickly; a later run without it regenerates the 1M calls).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=10 CONNS=64 THREADS=2 SWEEP=1 SYNC=1
while [ $# -gt 0 ]; do
  case $1 in
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    --no-sweep) SWEEP=0; shift ;;
    --no-sync) SYNC=0; shift ;;
    --calls) export BENCH_CALLS=$2; shift 2 ;;
    *) echo "usage: bench/run.sh [--duration S] [--connections N] [--no-sweep] [--no-sync] [--calls N]" >&2; exit 2 ;;
  esac
done
export VS_PORT_BASE=20700 VS_BENCH=1 VS_LOG_LEVEL=warn VS_MAIL=0 # no test MTA: the peers use ports above the base
# extra mariadbd options for the bench stack (the peers share the server), e.g.
# VS_DB_OPTS=--thread-handling=pool-of-threads; default none (docs/performance.md "MariaDB's thread pool")
export VS_DB_OPTS="${VS_DB_OPTS:-}"
source scripts/env.sh bench
make -s -j2 all
PEERS=$VS_VAR/peers
PEER_EXPRESS_PORT=${PEER_EXPRESS_PORT:-$((VS_PORT_BASE + 9))}
PEER_THREADS=$((VS_WORKERS * VS_THREADS)) # as many threads / pooled connections as vs-api's default pool
mkdir -p "$PEERS"
# the peers are measuring instruments: built here only, never by make / make install
cc -std=c17 -Wall -Wextra -Werror -O2 -g -D_GNU_SOURCE -pthread -Icore $(mariadb_config --cflags) \
  -o "$PEERS/fcgi_calls" bench/peers/fcgi_calls.c core/data/data_sql.c core/platform/json_out.c $(mariadb_config --libs) -ljansson -lfcgi -pthread -lm
"$PEERS/fcgi_calls" --print-sql > "$PEERS/calls-sql.json"
if [ ! -f bench/peers/express/node_modules/.bench-stamp ] || [ bench/peers/express/package.json -nt bench/peers/express/node_modules/.bench-stamp ]; then
  npm install --prefix bench/peers/express --no-audit --no-fund --loglevel=error
  touch bench/peers/express/node_modules/.bench-stamp
fi
peer_pids=()
stop_peers() { # by PID: SIGTERM, up to 5 s, then SIGKILL
  local pid
  for pid in "${peer_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${peer_pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  peer_pids=()
}
trap 'stop_peers; scripts/stack.sh stop bench >/dev/null 2>&1' EXIT
scripts/stack.sh stop bench >/dev/null 2>&1 || true
scripts/stack.sh start bench >/dev/null
BASE=http://127.0.0.1:$VS_HTTP_PORT
OUT=$VS_VAR/bench-out
mkdir -p "$OUT"

# wrk_row NAME PATH HEADER → prints "rps|p50|p99|non2xx"
wrk_row() {
  local args=(-t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency) out rps p50 p99 non2xx h rest
  rest=$3 # one header, or several separated by ";;"
  while [ -n "$rest" ]; do
    h=${rest%%;;*}; args+=(-H "$h")
    [ "$h" = "$rest" ] && rest="" || rest=${rest#*;;}
  done
  out=$(wrk "${args[@]}" "$BASE$2" 2>&1)
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "${rps:-0}|${p50:-?}|${p99:-?}|${non2xx:-0}"
}

# counter_plain NAME → a vs-api counter without labels
counter_plain() {
  curl -s "$BASE/metrics" | awk -v n="$1" '$1 == n {s += $2} END {printf "%d", s}'
}

# counters NAME → the sum of a vs-api counter over every route but /metrics itself
counters() {
  curl -s "$BASE/metrics" | awk -v n="$1" '$1 ~ "^"n"[{]" && $1 !~ /route="\/metrics"/ {s += $2} END {printf "%d", s}'
}

# Targets: name|path|header. bench/setup.mjs prints the authenticated ones.
targets=("static file (nginx)|/index.html|" "GET /health (worker + MariaDB)|/health|")
while IFS= read -r line; do targets+=("$line"); done < <(node bench/setup.mjs)
IFS='|' read -r _ calls_path calls_hdr <<<"${targets[2]}"

# --- peers: start, route through the bench nginx, check before any load ----
for f in upstreams locations; do
  sed -e "s#@VAR@#$VS_VAR#g" -e "s#@EXPRESS_PORT@#$PEER_EXPRESS_PORT#g" "bench/peers/nginx-$f.conf" > "$VS_VAR/peers-$f.conf"
done
grep -q "peers-upstreams.conf" "$VS_VAR/nginx.conf" || sed -i \
  -e "s#^\( *\)upstream vs_api {#\1include $VS_VAR/peers-upstreams.conf;\n&#" \
  -e "s#^\( *\)server_name localhost;#&\n\1include $VS_VAR/peers-locations.conf;#" "$VS_VAR/nginx.conf"
[ "$(grep -c 'peers-\(upstreams\|locations\).conf' "$VS_VAR/nginx.conf")" = 2 ] \
  || { echo "bench: cannot add the peer locations to $VS_VAR/nginx.conf" >&2; exit 1; }
nginx -t -q -p "$VS_VAR/nginx" -c "$VS_VAR/nginx.conf" -g "error_log stderr;"
nginx -p "$VS_VAR/nginx" -c "$VS_VAR/nginx.conf" -s reload
rm -f "$VS_VAR/run/peer-c.sock"
"$PEERS/fcgi_calls" --socket "$VS_VAR/run/peer-c.sock" --db-socket "$VS_DB_SOCK" \
  --db-password-file "$VS_SECRETS/db_password" --threads "$PEER_THREADS" > "$VS_VAR/log/peer-c.log" 2>&1 &
peer_c_pid=$!; peer_pids+=("$peer_c_pid")
node bench/peers/express/server.mjs --port "$PEER_EXPRESS_PORT" --db-socket "$VS_DB_SOCK" \
  --db-password-file "$VS_SECRETS/db_password" --sql-file "$PEERS/calls-sql.json" --pool "$PEER_THREADS" \
  > "$VS_VAR/log/peer-express.log" 2>&1 &
peer_express_pid=$!; peer_pids+=("$peer_express_pid")
for _ in $(seq 1 100); do
  [ -S "$VS_VAR/run/peer-c.sock" ] && grep -q "listening" "$VS_VAR/log/peer-express.log" && break
  sleep 0.1
done
sleep 1 # nginx reload: old workers hand over
peer_targets=("peer: minimal libfcgi C, same query, direct JSON writer|/peer/c$calls_path|"
              "peer: Express + mysql2, same query|/peer/express$calls_path|")
node bench/peers/check.mjs "$BASE" "$calls_path" "$calls_hdr" 50 \
  "C peer=/peer/c$calls_path" "Express peer=/peer/express$calls_path" \
  || { echo "bench: a peer does not answer like the project; logs: $VS_VAR/log/peer-*.log" >&2; tail -5 "$VS_VAR"/log/peer-*.log >&2; exit 1; }
# warm-up, not recorded (the JIT of the Node peer; 4 connections, 2 s each)
for p in "/peer/c$calls_path" "/peer/express$calls_path"; do wrk -t1 -c4 -d2s "$BASE$p" >/dev/null 2>&1 || true; done

# rss_kb PID → VmRSS in kB (0 if gone)
rss_kb() { awk '/^VmRSS:/ {print $2; found=1} END {if (!found) print 0}' "/proc/$1/status" 2>/dev/null || echo 0; }

# nginx_per_request on|off: one FastCGI connection per request instead of
# kept-alive ones (the product's default, see nginx/fastcgi.conf), for the sweep.
nginx_per_request() {
  if [ "$1" = on ]; then
    sed 's/fastcgi_keep_conn on;/fastcgi_keep_conn off;/' nginx/fastcgi.conf > "$VS_VAR/fastcgi-per-request.conf"
    sed -i -e "s#include $VS_ROOT/nginx/fastcgi.conf;#include $VS_VAR/fastcgi-per-request.conf;#" "$VS_VAR/nginx.conf"
  else
    sed -i -e "s#include $VS_VAR/fastcgi-per-request.conf;#include $VS_ROOT/nginx/fastcgi.conf;#" "$VS_VAR/nginx.conf"
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
  for cfg in 1x8 1x16 2x4 2x8 2x16 2x32 4x8 2x8+per-request; do
    w=${cfg%%x*} rest=${cfg#*x} t=${rest%%+*}
    api_restart "$w" "$t"
    [ "$cfg" != "${cfg%+per-request}" ] && nginx_per_request on
    IFS='|' read -r rps p50 p99 non2xx <<<"$(wrk_row "$cfg" "$calls_path" "$calls_hdr")"
    [ "$cfg" != "${cfg%+per-request}" ] && nginx_per_request off
    echo "bench: sweep $cfg: $rps req/s, p50 $p50, p99 $p99, non-2xx $non2xx"
    ratio=$(awk -v a="$rps" -v b="$static_rps" 'BEGIN { printf "%.3f", a / b }')
    mode="kept alive"; [ "$cfg" != "${cfg%+per-request}" ] && mode="per request"
    sweep_rows+=("| $w | $t | $mode | $rps | $ratio | $p50 | $p99 | $non2xx |")
    if [ "$cfg" = "${cfg%+per-request}" ] && [ "$non2xx" = 0 ] && awk -v a="$rps" -v b="$best_rps" 'BEGIN { exit !(a > b) }'; then
      best_rps=$rps best_w=$w best_t=$t
    fi
  done
  echo "bench: fastest configuration: $best_w workers x $best_t threads"
fi
api_restart "$best_w" "$best_t"

# the calls list again with the ETag it answered: unchanged data → 304 without the list query,
# and (once a thread's guard has seen it) without a round trip: the change board
# (wrk counts every 304 as "non-2xx")
calls_etag=$(curl -s -D - -o /dev/null -H "$calls_hdr" "$BASE$calls_path" | awk 'tolower($1) == "etag:" { sub(/\r$/, "", $2); print $2 }')
[ -n "$calls_etag" ] || { echo "bench: the calls list answered no ETag" >&2; exit 1; }
etag_target="GET calls?limit=50 with If-None-Match, unchanged (304)|$calls_path|$calls_hdr;;If-None-Match: $calls_etag"
# the peers' rows follow the project's calls row (targets[2]), same wrk settings
# the same list with Cache-Control: no-cache: the statement runs on every request (no remembered answer)
nocache_target="GET calls?limit=50, Cache-Control: no-cache (statement every request)|$calls_path|$calls_hdr;;Cache-Control: no-cache"
# The machine's speed drifts by ±20 % over a run: the cursor row (compared with the first page)
# runs right after it, and every ratio is taken against the mean of two static-file runs, one
# before the routes and one after them.
ordered=("${targets[@]:0:3}" "${targets[4]}" "$nocache_target" "${peer_targets[@]}" "$etag_target" "${targets[3]}"
  "${targets[@]:5}")
rows=() # name|shown path|req/s|p50|p99|non-2xx|trips per request|from memory
for t in "${ordered[@]}"; do
  IFS='|' read -r name path hdr <<<"$t"
  trips0=$(counters vs_db_round_trips_total) reqs0=$(counters vs_http_requests_total) mem0=$(counter_plain vs_answers_from_memory_total)
  IFS='|' read -r rps p50 p99 non2xx <<<"$(wrk_row "$name" "$path" "$hdr")"
  trips1=$(counters vs_db_round_trips_total) reqs1=$(counters vs_http_requests_total) mem1=$(counter_plain vs_answers_from_memory_total)
  # database round trips per request (vs_db_round_trips_total); "-" where vs-api answered nothing
  tpr=$(awk -v t=$((trips1 - trips0)) -v r=$((reqs1 - reqs0)) 'BEGIN { if (r > 0) printf "%.2f", t / r; else print "-" }')
  # share of the answers that came from a remembered answer (fcgi/answer_cache.c)
  mem=$(awk -v m=$((mem1 - mem0)) -v r=$((reqs1 - reqs0)) 'BEGIN { if (r > 0) printf "%.0f %%", 100 * m / r; else print "-" }')
  [ "$name" = "static file (nginx)" ] && static_rps=$rps
  ratio=$(awk -v a="$rps" -v b="$static_rps" 'BEGIN { printf "%.3f", a / b }')
  shown=$path; [ ${#shown} -gt 70 ] && shown="${shown:0:67}..."
  rows+=("$name|$shown|$rps|$p50|$p99|$non2xx|$tpr|$mem")
  echo "bench: $name: $rps req/s (x$ratio of the first static run), p50 $p50, p99 $p99, non-2xx $non2xx"
done
IFS='|' read -r rps p50 p99 non2xx <<<"$(wrk_row static /index.html "")"
rows+=("static file (nginx), again after the routes|/index.html|$rps|$p50|$p99|$non2xx|-|-")
static_mean=$(awk -v a="$static_rps" -v b="$rps" 'BEGIN { printf "%.2f", (a + b) / 2 }')
echo "bench: static file again: $rps req/s; ratios against the mean $static_mean req/s"
results=()
for r in "${rows[@]}"; do
  IFS='|' read -r name shown rps p50 p99 non2xx tpr mem <<<"$r"
  ratio=$(awk -v a="$rps" -v b="$static_mean" 'BEGIN { printf "%.3f", a / b }')
  results+=("| $name | \`$shown\` | $rps | $ratio | $p50 | $p99 | $non2xx | $tpr | $mem |")
done

# resident memory after the route loads: vs-api workers (children of the supervisor) and the peers
api_pid=$(cat "$VS_VAR/run/api.pid")
worker_rss=()
for pid in $(cat /proc/"$api_pid"/task/*/children 2>/dev/null); do worker_rss+=("$(rss_kb "$pid")"); done
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
rss_sum=0 rss_max=0
for k in "${worker_rss[@]}"; do rss_sum=$((rss_sum + k)); [ "$k" -gt "$rss_max" ] && rss_max=$k; done
rss_line="vs-api workers after the route loads ($best_w x $best_t): RSS sum $(mib $rss_sum) MiB, max $(mib $rss_max) MiB over ${#worker_rss[@]} workers (supervisor $(mib "$(rss_kb "$api_pid")") MiB); peers: C $(mib "$(rss_kb "$peer_c_pid")") MiB ($PEER_THREADS threads), Express $(mib "$(rss_kb "$peer_express_pid")") MiB (pool $PEER_THREADS)."
echo "bench: $rss_line"
stop_peers
scripts/stack.sh stop bench >/dev/null 2>&1

sync_block="(sync benchmark not run: --no-sync)"
if [ "$SYNC" = 1 ]; then
  VS_DB_OPTS="" bench/sync-100k.sh 100000 > "$OUT/sync.md" # its own stack, MariaDB with default thread handling
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
  echo "Command: \`make bench\` (bench/run.sh --duration $DURATION --connections $CONNS${BENCH_CALLS:+ --calls $BENCH_CALLS})."
  echo
  if [ ${#sweep_rows[@]} -gt 0 ]; then
    echo "### Worker processes x threads (GET calls?limit=50, API key)"
    echo
    echo "Each configuration restarts vs-api; \`kept alive\` = nginx \`fastcgi_keep_conn on\` with upstream"
    echo "\`keepalive 16\` (the default, see docs/architecture.md); \`per request\` = \`fastcgi_keep_conn off\`."
    echo "Kept for the routes below: **$best_w workers x $best_t threads** (highest req/s without errors)."
    echo
    echo "| workers | threads | FastCGI | req/s | ratio to static | p50 | p99 | non-2xx |"
    echo "|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${sweep_rows[@]}"
    echo
  fi
  echo "### Routes ($best_w workers x $best_t threads)"
  echo
  echo "Ratios: against the mean of the two static-file runs ($static_mean req/s), one before the routes and one after."
  echo
  echo "| target | path | req/s | ratio to static | p50 | p99 | non-2xx | DB trips/request | from memory |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${results[@]}"
  echo
  echo "Peers (bench/peers/, docs/performance.md): the same first page, SQL and JSON without auth or"
  echo "parameters, behind the same nginx, $PEER_THREADS threads / pooled MariaDB connections."
  echo "\"from memory\": the share of answers a worker sent from a remembered answer whose ETag was still"
  echo "current (no list statement; fcgi/answer_cache.c). \"DB trips/request\" 0: the 304s and remembered answers"
  echo "were validated by the change board, not by a guard round trip; a thread asks MariaDB again when its lease"
  echo "(zero_trip_lease_ms, 1 s) ends or the minute turns (docs/performance.md, \"The zero-trip 304\")."
  echo "MariaDB runs with ${VS_DB_OPTS:-its default thread handling}."
  echo
  echo "Memory (VmRSS): $rss_line"
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
