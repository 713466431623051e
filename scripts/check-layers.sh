#!/usr/bin/env bash
# check-layers.sh — owns the layer rules of docs/DEVELOPING.md ("Layers"):
# reads every #include of core/, fcgi/ and sync/ and fails (exit 1, one
# "file:line: rule" per violation) when a layer reaches where it may not, when a
# core header is included other than folder-qualified ("platform/db.h"), or when
# vs-sync links code of the API worker. fuzz/ and tests/unit/ may include
# anything and are not checked.
#   scripts/check-layers.sh [BUILD_DIR]   (default build/; the link check runs
#                                          when BUILD_DIR/vs-sync exists)
# Run from any directory; CHECK_LAYERS_ROOT overrides the tree checked (used to
# prove the check on a scratch copy).
set -uo pipefail
root=${CHECK_LAYERS_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
build=${1:-build}
cd "$root" || exit 2

# module → modules it may include (besides itself)
declare -A allowed=(
  [platform]="platform"
  [identity]="platform identity"
  [mightycall]="platform mightycall"
  [data]="platform identity data"
  [messaging]="platform identity mightycall data messaging"
)

# Header names of the binaries, to name an unqualified "http.h" in core/.
fcgi_headers=" $(cd fcgi && find . -name '*.h' -printf '%f ') "
sync_headers=" $(cd sync && find . -name '*.h' -printf '%f ') "

violations=0
fail() { echo "$1: $2"; violations=$((violations + 1)); }

# Resolve an include the way the compiler does for "..." with -Icore -I.:
# the including file's folder first, then core/, then the tree root. Sets
# path to the normalised path relative to the root, or "" (no forks: fast).
normalise() { # normalise A/B/../C → path=A/C
  local IFS=/ part out=()
  for part in $1; do
    case $part in
      ''|.) ;;
      ..) [ ${#out[@]} -gt 0 ] && unset 'out[${#out[@]}-1]' ;;
      *) out+=("$part") ;;
    esac
  done
  path="${out[*]}"
}
resolve() { # resolve DIR INC
  local c
  for c in "$1/$2" "core/$2" "$2"; do
    if [ -f "$c" ]; then normalise "$c"; return; fi
  done
  path=""
}

layer_of() { # layer_of PATH → sets layer: core/MODULE | fcgi | sync | other
  case $1 in
    core/*/*) layer=${1#core/}; layer="core/${layer%%/*}" ;;
    fcgi/*) layer=fcgi ;;
    sync/*) layer=sync ;;
    *) layer=other ;;
  esac
}

check_include() { # check_include FILE LINE INC
  local file=$1 lineno=$2 inc=$3 dir from to base layer m t
  dir=${file%/*}
  layer_of "$file"; from=$layer
  if [ "$from" = other ]; then fail "$file" "core files live in a module folder (core/platform, core/identity, …)"; return; fi
  if [[ $from == core/* ]] && [ -z "${allowed[${from#core/}]+x}" ]; then
    fail "$file" "core/${from#core/} is not a known module: add it to the table in docs/DEVELOPING.md and scripts/check-layers.sh"
    return
  fi
  resolve "$dir" "$inc"
  base=${inc##*/}
  if [ -z "$path" ]; then
    if [[ $from == core/* && $fcgi_headers == *" $base "* ]]; then
      fail "$file:$lineno" "core never includes fcgi/ headers (\"$inc\" is fcgi's)"
    elif [[ $from == core/* && $sync_headers == *" $base "* ]]; then
      fail "$file:$lineno" "core never includes sync/ headers (\"$inc\" is sync's)"
    else
      fail "$file:$lineno" "\"$inc\" does not resolve (core headers are included as \"module/name.h\")"
    fi
    return
  fi
  layer_of "$path"; to=$layer
  case $from in
    core/*)
      case $to in
        fcgi|sync) fail "$file:$lineno" "core never includes $to/ headers (\"$inc\")"; return ;;
        other) fail "$file:$lineno" "core includes only core headers (\"$inc\" is $path)"; return ;;
      esac
      m=${from#core/} t=${to#core/}
      if [[ " ${allowed[$m]} " != *" $t "* ]]; then
        fail "$file:$lineno" "core/$m may include only ${allowed[$m]// /, } (\"$inc\" is core/$t)"
        return
      fi ;;
    sync)
      [ "$to" = fcgi ] && { fail "$file:$lineno" "sync/ includes core and sync only, never fcgi/ (\"$inc\")"; return; }
      [ "$to" = other ] && { fail "$file:$lineno" "sync/ includes core and sync only (\"$inc\" is $path)"; return; } ;;
    fcgi)
      [ "$to" = sync ] && { fail "$file:$lineno" "fcgi/ includes core and fcgi only, never sync/ (\"$inc\")"; return; }
      [ "$to" = other ] && { fail "$file:$lineno" "fcgi/ includes core and fcgi only (\"$inc\" is $path)"; return; } ;;
  esac
  if [[ $to == core/* && "core/$inc" != "$path" ]]; then
    fail "$file:$lineno" "core headers are included folder-qualified: \"${path#core/}\", not \"$inc\""
  fi
}

mapfile -t files < <(find core fcgi sync -name '*.[ch]' | sort)
# one pass over all files: FILE:LINE:INCLUDE
while IFS=: read -r file lineno inc; do
  check_include "$file" "$lineno" "$inc"
done < <(awk 'match($0, /^[ \t]*#[ \t]*include[ \t]*"[^"]*"/) {
                s = $0; sub(/^[^"]*"/, "", s); sub(/".*/, "", s); print FILENAME ":" FNR ":" s }' "${files[@]}")
# the FastCGI library is the API worker's alone
while IFS=: read -r file lineno _; do
  [[ $file == fcgi/* ]] || fail "$file:$lineno" "only fcgi/ includes the FastCGI library"
done < <(grep -nHE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<fcgi' "${files[@]}")
n=${#files[@]}

# vs-sync links no code of the API worker: no global symbol of fcgi/'s objects
# (resp_json, req_header, …) and nothing of libfcgi.
if [ -x "$build/vs-sync" ] && [ -d "$build/fcgi" ]; then
  syms=$(find "$build/fcgi" -name '*.o' -exec nm --defined-only -g {} + 2>/dev/null |
         awk 'NF == 3 && $3 != "main" {print $3}' | sort -u)
  for s in resp_json req_header; do syms+=$'\n'$s; done
  linked=$(nm "$build/vs-sync" | awk '{print $NF}' | sort -u)
  bad=$(comm -12 <(sort -u <<<"$syms") <(echo "$linked"))
  bad+=$'\n'$(grep -E '^FCGX_|^FCGI_' <<<"$linked")
  for s in $bad; do fail "$build/vs-sync" "links API worker code: $s (sync/ must not pull in fcgi/ or libfcgi)"; done
  [ -z "${bad//$'\n'/}" ] && echo "check-layers: $build/vs-sync links no fcgi/ or libfcgi symbol"
fi

if [ "$violations" -ne 0 ]; then
  echo "check-layers: $violations violation(s) in $n files (rules: docs/DEVELOPING.md, Layers)"
  exit 1
fi
echo "check-layers: $n files of core/, fcgi/, sync/ keep the layer rules"
