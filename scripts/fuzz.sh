#!/usr/bin/env bash
# Build the libFuzzer targets of fuzz/ into build-fuzz/ and run each for a
# bounded time; print one summary line per target. Exit 1 when any target
# crashed (or leaked, hung, ran out of memory), 2 when the build failed.
#
#   scripts/fuzz.sh [target…]          all targets when none are named
#   FUZZ_SECONDS=300 scripts/fuzz.sh   seconds per target (default 60)
#   FUZZ_MAX_LEN=N                     override every target's -max_len
#   FUZZ_BUILD_ONLY=1                  build, do not run
#
# The committed seeds (fuzz/corpus/<t>/) and saved crash inputs
# (fuzz/regressions/<t>/) are only read; new inputs go to the working corpus
# build-fuzz/corpus/<t>/ (a copy, kept between runs), crash inputs to
# build-fuzz/artifacts/<t>/, full logs to build-fuzz/logs/<t>.log.
# One fuzzer runs at a time (no -jobs/-workers): the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."

B=build-fuzz
SECONDS_PER=${FUZZ_SECONDS:-60}
CLANG=${FUZZ_CC:-clang}
SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"

# target → default -max_len (bytes): a little above the largest realistic input
declare -A MAXLEN=([query]=2048 [router]=512 [body]=8192 [jwt]=4200 [mc]=16384)
ALL=(query router body jwt mc)
targets=("$@")
((${#targets[@]})) || targets=("${ALL[@]}")
for t in "${targets[@]}"; do
  [ -n "${MAXLEN[$t]:-}" ] || { echo "fuzz: unknown target '$t' (known: ${ALL[*]})" >&2; exit 2; }
done

command -v "$CLANG" >/dev/null || { echo "fuzz: $CLANG not found (make deps installs clang)" >&2; exit 2; }

# product objects: the normal Makefile rules, compiled by clang with coverage
# instrumentation (fuzzer-no-link) and ASan+UBSan, in build-fuzz/. Targets
# that need the route table link every vs-api object but main.o.
FCGI_OBJ=
for f in fcgi/*.c fcgi/handlers/*.c; do [ "$f" = fcgi/main.c ] || FCGI_OBJ+=" $B/${f%.c}.o"; done
need_fcgi=
for t in "${targets[@]}"; do case $t in router | body | query) need_fcgi=$FCGI_OBJ ;; esac; done
echo "fuzz: building product objects in $B/ with $CLANG"
# shellcheck disable=SC2086
make -s --no-print-directory BUILD=$B CC="$CLANG" EXTRA_CFLAGS="-O1 $SAN" "$B/libvscore.a" $need_fcgi \
  || { echo "fuzz: build failed" >&2; exit 2; }

PKG_CFLAGS="$(pkg-config --cflags libcurl jansson libsodium) $(mariadb_config --cflags)"
PKG_LIBS="$(pkg-config --libs libcurl jansson libsodium) $(mariadb_config --libs) -lfcgi -pthread -lm"
CFLAGS="-std=c17 -Wall -Wextra -Werror -O1 -g -D_GNU_SOURCE -pthread -Icore -I. -Ifcgi -Ifuzz $PKG_CFLAGS"
for t in "${targets[@]}"; do
  extra=""
  case $t in router | body | query) extra=$FCGI_OBJ ;; esac # the route table and handler-file validators
  bin=$B/fuzz_$t
  # shellcheck disable=SC2086 # $extra is a list of objects
  if [ ! -x "$bin" ] || [ -n "$(find "fuzz/fuzz_$t.c" fuzz/fuzz_common.h $B/libvscore.a $extra -newer "$bin" 2>/dev/null | head -1)" ]; then
    echo "fuzz: linking $bin"
    # shellcheck disable=SC2086
    "$CLANG" $CFLAGS -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
      -o "$bin" "fuzz/fuzz_$t.c" $extra "$B/libvscore.a" $PKG_LIBS || { echo "fuzz: link of $t failed" >&2; exit 2; }
  fi
done
[ -z "${FUZZ_BUILD_ONLY:-}" ] || exit 0

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$B/logs"
summary=()
failed=0
for t in "${targets[@]}"; do
  work=$B/corpus/$t art=$B/artifacts/$t log=$B/logs/$t.log
  mkdir -p "$work" "$art"
  cp -n fuzz/corpus/"$t"/* "$work"/ 2>/dev/null || true # working copy; fuzz/corpus/ is never written
  args=(-max_total_time="$SECONDS_PER" -max_len="${FUZZ_MAX_LEN:-${MAXLEN[$t]}}" -timeout=10 -rss_limit_mb=2048
        -print_final_stats=1 -artifact_prefix="$art/")
  [ -f fuzz/"$t".dict ] && args+=(-dict=fuzz/"$t".dict)
  dirs=("$work")
  [ -d fuzz/regressions/"$t" ] && dirs+=(fuzz/regressions/"$t")
  echo "fuzz: $t for ${SECONDS_PER}s (log $log)"
  rc=0
  touch "$art/.start"
  "./$B/fuzz_$t" "${args[@]}" "${dirs[@]}" >"$log" 2>&1 || rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | awk '{print $2}')
  eps=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | awk '{print $2}')
  rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | tail -1 | awk '{print $2}')
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  crashes=$(find "$art" -type f -newer "$art/.start" \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  status=ok
  if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
    status="CRASH (exit $rc; see $log, inputs in $art/)"
    failed=1
  fi
  summary+=("$(printf '%-7s runs=%-9s exec/s=%-6s cov=%-5s ft=%-6s corpus=%-5s rss=%sMB %s' \
    "$t" "${runs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${rss:-?}" "$status")")
done
echo
echo "fuzz summary (${SECONDS_PER}s per target):"
printf '  %s\n' "${summary[@]}" | tee "$B/summary.txt"
exit $failed
