#!/usr/bin/env bash
# run.sh — `make bench`: start a private stack (profile "bench", ports
# 20700–20703, rate limits lifted), load it with wrk from loopback and write
# the results into bench/RESULTS.md as ratios against nginx serving a static
# file in the same run. Every load is bounded: wrk runs DURATION seconds.
#   bench/run.sh [--duration SECONDS] [--connections N]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=10 CONNS=32 THREADS=2
while [ $# -gt 0 ]; do
  case $1 in
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    *) echo "usage: bench/run.sh [--duration S] [--connections N]" >&2; exit 2 ;;
  esac
done
export VS_PORT_BASE=20700 VS_BENCH=1 VS_LOG_LEVEL=warn
source scripts/env.sh bench
make -s -j2 all
trap 'scripts/stack.sh stop bench >/dev/null 2>&1' EXIT
scripts/stack.sh start bench >/dev/null
BASE=http://127.0.0.1:$VS_HTTP_PORT

# Targets: name|path|extra wrk args. bench/setup.mjs (if present) prints more
# lines of the same form for authenticated endpoints after seeding data.
targets=("static file (nginx)|/index.html|" "GET /health (worker + MariaDB)|/health|")
if [ -f bench/setup.mjs ]; then
  while IFS= read -r line; do targets+=("$line"); done < <(node bench/setup.mjs)
fi

results=()
static_rps=
for t in "${targets[@]}"; do
  IFS='|' read -r name path hdr <<<"$t"
  args=(-t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency)
  [ -n "$hdr" ] && args+=(-H "$hdr")
  out=$(wrk "${args[@]}" "$BASE$path" 2>&1)
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  [ -z "$static_rps" ] && static_rps=$rps
  ratio=$(awk -v a="$rps" -v b="$static_rps" 'BEGIN { printf "%.3f", a / b }')
  results+=("| $name | \`$path\` | $rps | $ratio | $p50 | $p99 | $non2xx |")
  echo "bench: $name: $rps req/s (x$ratio of static), p50 $p50, p99 $p99, non-2xx $non2xx"
done

{
  echo "## Run of $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); wrk -t$THREADS -c$CONNS -d${DURATION}s over loopback HTTP;"
  echo "vs-api: $VS_WORKERS workers x $VS_THREADS threads; nginx 2 workers; rate limits lifted for the bench profile."
  echo "Command: \`make bench\` (bench/run.sh --duration $DURATION --connections $CONNS)."
  echo
  echo "| target | path | req/s | ratio to static | p50 | p99 | non-2xx |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${results[@]}"
  echo
} > bench/.latest.md

# RESULTS.md keeps the header and the newest run first.
header='# Benchmark results

Throughput of the API through nginx, as a ratio to nginx serving a static
file on the same machine in the same run (so numbers from different machines
compare). Produced by `make bench`; the newest run is first.
'
old=$( [ -f bench/RESULTS.md ] && sed -n '/^## Run of/,$p' bench/RESULTS.md || true)
{ printf '%s\n' "$header"; cat bench/.latest.md; [ -n "$old" ] && printf '%s\n' "$old"; } > bench/RESULTS.md
rm -f bench/.latest.md
echo "bench: results written to bench/RESULTS.md"
