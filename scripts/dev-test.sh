#!/usr/bin/env bash
# dev-test.sh — for developers working side by side: build into build-PROFILE,
# start a private stack (profile PROFILE, ports PORT_BASE..PORT_BASE+3) on a
# fresh database, run the given node test files (default: tests/api/), stop.
#   scripts/dev-test.sh PROFILE PORT_BASE [--asan] [test files...]
set -uo pipefail
cd "$(dirname "$0")/.."
profile=${1:?profile}; base=${2:?port base}; shift 2
build=build-$profile sanitize=0
if [ "${1:-}" = --asan ]; then build=build-$profile-asan sanitize=1; shift; fi
export VS_PORT_BASE=$base VS_BUILD=$build
# a zero-trip 304 may rely on a round trip up to a minute old here (the wall-clock
# minute bounds it anyway): only the change board keeps it from going stale
export VS_ZERO_TRIP_LEASE_MS=60000
make -s -j2 BUILD="$build" SANITIZE=$sanitize "$build/vs-api" "$build/vs-sync" || exit 1
source scripts/env.sh "$profile"
trap 'scripts/stack.sh stop "$profile" >/dev/null 2>&1' EXIT
scripts/stack.sh stop "$profile" >/dev/null 2>&1
scripts/stack.sh db-start "$profile" >/dev/null || exit 1
vs_mysql_root -e "DROP DATABASE IF EXISTS victorysync; CREATE DATABASE victorysync CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
rm -f "$VS_VAR"/log/asan-*
scripts/stack.sh start "$profile" || exit 1
files=("$@"); [ ${#files[@]} -eq 0 ] && files=(tests/api/*.test.mjs)
node --test --test-concurrency=1 "${files[@]}"; rc=$?
ls "$VS_VAR"/log/asan-* >/dev/null 2>&1 && { cat "$VS_VAR"/log/asan-*; rc=1; }
exit $rc
