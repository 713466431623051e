#!/usr/bin/env bash
# test-all.sh — what `make test` runs after building both flavours:
#   1. unit tests (cmocka), plain and ASan+UBSan builds
#   2. simulator self-tests, systemd unit verification
#   3. the stack (profile "test") with the plain build: the database unit tests
#      (tests/unit/db_test_*) once MariaDB is migrated, API tests + browser tests
#   4. the database unit tests and the API tests against the ASan+UBSan build
# Every process started is stopped on exit, also on failure. The last line
# gives the pass/fail counts.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh test
export VS_LOG_LEVEL=info
# a zero-trip 304 may rely on a round trip up to a minute old here (the wall-clock
# minute bounds it anyway): only the change board keeps it from going stale
export VS_ZERO_TRIP_LEASE_MS=60000

PASS=0 FAIL=0
FAILED_SUITES=()
LOG_DIR=$VS_VAR/log
mkdir -p "$LOG_DIR"

cleanup() { scripts/stack.sh stop test >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM

record() { # record NAME PASSED FAILED RC
  PASS=$((PASS + $2)); FAIL=$((FAIL + $3))
  if [ "$4" -ne 0 ] || [ "$3" -ne 0 ]; then
    FAILED_SUITES+=("$1"); [ "$3" -eq 0 ] && FAIL=$((FAIL + 1))
  fi
}

run_cmocka() { # run_cmocka KIND BINARY [VAR=VALUE...]: one cmocka binary, counted
  local kind=$1 t=$2 out rc p f; shift 2
  out=$(env "$@" "$t" 2>&1); rc=$?
  p=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' <<<"$out" | tail -1)
  f=$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' <<<"$out" | tail -1)
  [ $rc -ne 0 ] && echo "$out"
  local build=${t%%/tests/unit/*}
  printf '%-5s %s: %s passed, %s failed\n' "$kind" "$(basename "$build")/$(basename "$t")" "${p:-0}" "${f:-0}"
  record "$kind:$build/$(basename "$t")" "${p:-0}" "${f:-0}" $rc
}

run_unit() { # run_unit BUILD_DIR
  local t
  for t in "$1"/tests/unit/test_*; do
    [ -x "$t" ] || continue
    run_cmocka unit "$t"
  done
}

# Unit tests that need MariaDB (tests/unit/db_test_*, not matched by run_unit):
# run once the stack's database is migrated, through its config and secrets.
# Missing binaries are a failure, not a skip.
run_db_unit() { # run_db_unit BUILD_DIR
  local t n=0
  for t in "$1"/tests/unit/db_test_*; do
    [ -x "$t" ] || continue
    n=$((n + 1))
    run_cmocka db "$t" VS_CONFIG="$VS_CONF" CREDENTIALS_DIRECTORY="$VS_SECRETS"
  done
  [ $n -gt 0 ] || { echo "db    $1/tests/unit/db_test_*: none built"; record "db:$1" 0 1 1; }
}

run_node() { # run_node NAME ARGS...
  local name=$1; shift
  local out=$LOG_DIR/node-$name.log rc p f
  node --test --test-concurrency=1 --test-reporter=spec "$@" > "$out" 2>&1; rc=$?
  p=$(sed -n 's/^ℹ pass \([0-9]*\)/\1/p' "$out" | tail -1)
  f=$(sed -n 's/^ℹ fail \([0-9]*\)/\1/p' "$out" | tail -1)
  if [ $rc -ne 0 ]; then cat "$out"; else grep -E '^ℹ (tests|pass|fail|duration)' "$out" | sed "s/^/$name /"; fi
  echo "node  $name: ${p:-0} passed, ${f:-0} failed"
  record "node:$name" "${p:-0}" "${f:-0}" $rc
}

reset_database() {
  vs_mysql_root -e "DROP DATABASE IF EXISTS victorysync; CREATE DATABASE victorysync CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
}

# No secret of the run (var/test/secrets/*, var/test/test-secrets.txt) in var/test/log/*.
scan_secrets() { scripts/scan-secrets.sh test; local rc=$?; record "secret-scan:$1" $((rc == 0)) 0 $rc; }

check_asan_logs() {
  local found
  found=$(ls "$LOG_DIR"/asan-* 2>/dev/null || true)
  if [ -n "$found" ]; then
    echo "ASan/UBSan reports from the workers:"; cat $found
    record "asan-reports" 0 1 1
  else
    echo "asan  no sanitizer reports from the workers"
  fi
}

echo "== layer rules (docs/DEVELOPING.md, Layers)"; scripts/check-layers.sh build; rc=$?; record layers $((rc == 0)) 0 $rc
echo "== unit tests"
run_unit build
run_unit build-asan

echo "== simulator self-tests"
if ls tests/sim/*.test.mjs >/dev/null 2>&1; then run_node sim tests/sim/; fi

echo "== systemd units"
if [ -x tests/systemd/verify.sh ]; then
  tests/systemd/verify.sh build/vs-api build/vs-sync; rc=$?
  record systemd $((rc == 0)) 0 $rc
fi
if [ -x tests/systemd/install.sh ]; then
  tests/systemd/install.sh build; rc=$?
  record install $((rc == 0)) 0 $rc
fi

echo "== OpenAPI lint (docs/openapi.yaml, redocly.yaml)"
REDOCLY_SUPPRESS_UPDATE_NOTICE=true REDOCLY_TELEMETRY=off node_modules/.bin/redocly lint --format=stylish; rc=$?
record openapi-lint $((rc == 0)) 0 $rc

API_TESTS=$(ls tests/api/*.test.mjs)
BROWSER_TESTS=$(ls tests/browser/*.test.mjs 2>/dev/null || true)

echo "== stack (plain build)"
rm -f "$LOG_DIR"/asan-*
scripts/stack.sh stop test >/dev/null 2>&1
scripts/stack.sh db-start test && reset_database && VS_BUILD=build scripts/stack.sh start test \
  || { echo "stack failed to start"; record stack 0 1 1; }
export VS_BUILD=build
run_db_unit build
run_node api $API_TESTS
[ -n "$BROWSER_TESTS" ] && run_node browser $BROWSER_TESTS
scan_secrets plain

echo "== fault run, short form (own stack: profile faults-short, ports 19000..19004; docs/faults.md)"
scripts/faults.sh --short > "$LOG_DIR/faults-short.log" 2>&1; rc=$?
[ $rc -ne 0 ] && cat "$LOG_DIR/faults-short.log"; tail -1 "$LOG_DIR/faults-short.log"
record faults "$(grep -c '] ok ' "$LOG_DIR/faults-short.log")" "$(grep -c '] FAIL ' "$LOG_DIR/faults-short.log")" $rc

echo "== stack (ASan+UBSan build)"
scripts/stack.sh api-stop test
reset_database
export VS_BUILD=build-asan
scripts/stack.sh start test || { echo "stack failed to start"; record stack-asan 0 1 1; }
run_db_unit build-asan
run_node api-asan $API_TESTS
scan_secrets asan
scripts/stack.sh stop test
check_asan_logs

echo
if [ "$FAIL" -eq 0 ] && [ ${#FAILED_SUITES[@]} -eq 0 ]; then
  echo "TESTS PASSED: $PASS passed, 0 failed"
  exit 0
fi
echo "TESTS FAILED: $PASS passed, $FAIL failed (${FAILED_SUITES[*]})"
exit 1
