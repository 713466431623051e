#!/usr/bin/env bash
# faults.sh — the fault run (`make faults`; its short form is a step of `make test`).
# Starts a private stack on a fresh database — profile "faults" on ports
# 20200..20204 (short form: "faults-short", 19000..19004), rate limits lifted as
# for the benchmarks — with a simulator holding a sizeable dataset plus a small
# second simulator for the valgrind sync, then runs tests/faults/run.mjs: wrk
# load while a worker is SIGKILLed, MariaDB restarted, the simulator faulted
# and the sync SIGKILLed mid-page, plus a burst of malformed requests; then the
# consistency, pool, status and valgrind checks. Stops everything it started.
# Exit status 0 only when every check passed. See docs/faults.md.
#   scripts/faults.sh [--short] [--asan] [--build DIR] [--asan-build DIR] [--port-base N]
#     --short        small dataset and shorter phases (well under 2 minutes)
#     --asan         workers and sync from the ASan+UBSan build (valgrind always uses --build)
#     --build DIR    plain build directory (default build)
#     --asan-build DIR  (default build-asan)
#     --port-base N  ports N..N+4 (default 20200, short 19000)
# Full runs write their table into bench/RESULTS.md ("Fault run" section).
set -uo pipefail
cd "$(dirname "$0")/.."
cmdline="scripts/faults.sh $*"
short=0 asan=0 build=build asan_build=build-asan base=
while [ $# -gt 0 ]; do
  case $1 in
    --short) short=1; shift ;;
    --asan) asan=1; shift ;;
    --build) build=$2; shift 2 ;;
    --asan-build) asan_build=$2; shift 2 ;;
    --port-base) base=$2; shift 2 ;;
    *) echo "usage: scripts/faults.sh [--short] [--asan] [--build DIR] [--asan-build DIR] [--port-base N]" >&2; exit 2 ;;
  esac
done
if [ $short = 1 ]; then profile=faults-short; : "${base:=19000}"; else profile=faults; : "${base:=20200}"; fi
api_build=$build sync_build=$build
[ $asan = 1 ] && { api_build=$asan_build; sync_build=$asan_build; }

for tool in wrk valgrind node; do
  command -v $tool >/dev/null 2>&1 || { echo "faults: $tool is missing (make deps)" >&2; exit 1; }
done
for bin in "$build/vs-sync" "$api_build/vs-api" "$sync_build/vs-sync"; do
  [ -x "$bin" ] || { echo "faults: $bin is missing (build it first: make all / make asan)" >&2; exit 1; }
done

# Our own profile: never inherit the caller's stack (test-all.sh exports the test profile's variables).
unset VS_PROFILE VS_VAR VS_HTTP_PORT VS_HTTPS_PORT VS_DB_PORT VS_SIM_PORT VS_DB_SOCK VS_API_SOCK VS_CONF \
      VS_SECRETS VS_BUILD VS_WORKERS VS_THREADS VS_SIM_ARGS ASAN_OPTIONS UBSAN_OPTIONS \
      VS_SMTP_PORT VS_SMTPS_PORT VS_MAILDIR
# no test MTA here: the fault run sends no mail, and base+4 is the small simulator's port
export VS_PORT_BASE=$base VS_BENCH=1 VS_LOG_LEVEL=warn VS_MAIL=0
if [ $short = 1 ]; then
  export VS_SIM_ARGS="--calls 6000 --sms 600 --voicemails 100 --contacts 100 --quota 100000000" # 6 /calls pages of 1000: room to kill mid-page
else
  export VS_SIM_ARGS="--calls 20000 --sms 4000 --voicemails 500 --contacts 400 --quota 100000000"
fi
source scripts/env.sh "$profile"
small_port=$((base + 4))
small_pid=$VS_VAR/run/sim-small.pid

driver=
cleanup() {
  [ -n "$driver" ] && kill -TERM "$driver" 2>/dev/null && wait "$driver" 2>/dev/null
  vs_stop_pid "$small_pid" 10
  scripts/stack.sh stop "$profile" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "faults: profile $profile (ports $base..$small_port), workers from $api_build, sync from $sync_build, valgrind on $build"
scripts/stack.sh stop "$profile" >/dev/null 2>&1 || true
vs_stop_pid "$small_pid" 5
scripts/stack.sh db-start "$profile" >/dev/null || exit 1
vs_mysql_root -e "DROP DATABASE IF EXISTS victorysync; CREATE DATABASE victorysync CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
rm -f "$VS_VAR"/log/asan-* "$VS_VAR"/log/valgrind-*
: > "$VS_VAR/log/api.log"
VS_BUILD=$api_build scripts/stack.sh start "$profile" >/dev/null || exit 1

# the small dataset the valgrind sync runs against (valgrind makes vs-sync ~30x slower)
nohup node tests/sim/server.mjs --port "$small_port" --calls 300 --sms 200 --voicemails 30 --contacts 40 \
  --quota 100000000 > "$VS_VAR/log/sim-small.log" 2>&1 &
echo $! > "$small_pid"
for _ in $(seq 1 200); do grep -q "sim listening" "$VS_VAR/log/sim-small.log" 2>/dev/null && break; sleep 0.05; done
grep -q "sim listening" "$VS_VAR/log/sim-small.log" || { echo "faults: small simulator did not start" >&2; exit 1; }

results=
[ $short = 0 ] && results=$VS_ROOT/bench/RESULTS.md
[ "${FAULTS_NO_RESULTS:-0}" = 1 ] && results=
# sanitizer reports of vs-sync land next to the workers' ones (checked by the driver)
VS_BUILD=$sync_build FAULTS_MODE=$([ $short = 1 ] && echo short || echo full) \
FAULTS_SMALL_SIM_URL=http://127.0.0.1:$small_port FAULTS_VALGRIND_BUILD=$build FAULTS_API_BUILD=$api_build \
FAULTS_ASAN=$asan FAULTS_RESULTS=$results FAULTS_COMMAND="${FAULTS_COMMAND:-$cmdline}" \
  node tests/faults/run.mjs &
driver=$!
wait "$driver"; rc=$?
driver=
exit $rc
