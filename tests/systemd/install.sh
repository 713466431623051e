#!/usr/bin/env bash
# tests/systemd/install.sh — `make install` into a throwaway DESTDIR, then check
# the tree it produced:
#   1. every file in its place with its mode (binaries, SQL, dashboard + the
#      uPlot files it loads, docs, units, sysusers, nginx site + snippets,
#      example config without secrets, a 0700 credentials directory);
#   2. the installed units name the installed paths (ExecStart=, --dir,
#      Documentation=), and pass tests/systemd/verify.sh (systemd-analyze
#      verify + the deployment contract) as installed;
#   3. the rendered nginx site passes `nginx -t` inside a Debian-like
#      nginx.conf, and every path it names exists in the tree;
#   4. the installed binaries accept the example config (--check-config);
#   5. a second install keeps an edited config (new version as *.new), and
#      the default PREFIX renders /usr/local paths.
#
#   tests/systemd/install.sh [BUILD_DIR]      (default: build; must be built)
# Exit status 0 and "install: N checks passed" on success.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-build}
cd "$ROOT"

fail=0 checks=0
ok() { checks=$((checks + 1)); }
err() { echo "install: FAIL: $*" >&2; fail=1; }
check() { if eval "$1"; then ok; else err "$2"; fi; }

[ -x "$BUILD/vs-api" ] && [ -x "$BUILD/vs-sync" ] || { echo "install: FAIL: build $BUILD first (make BUILD=$BUILD)" >&2; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/vs-install.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
D=$T/root
out=$(make --no-print-directory -s BUILD="$BUILD" install DESTDIR="$D" PREFIX=/usr NGINX_SERVER_NAME=calls.example.test 2>&1) \
  || { echo "$out" >&2; echo "install: FAIL: make install failed" >&2; exit 1; }

# --- 1. the tree
mode() { stat -c %a "$1" 2>/dev/null; }
for f in usr/bin/vs-api usr/bin/vs-sync; do
  check '[ "$(mode "$D/$f")" = 755 ]' "$f missing or not 0755"
  check 'cmp -s "$D/$f" "$BUILD/${f##*/}"' "$f is not the built binary"
done
n_sql=$(ls sql/*.sql | wc -l)
check '[ "$(ls "$D"/usr/share/victorysync/sql/*.sql 2>/dev/null | wc -l)" = "$n_sql" ]' "not all $n_sql migrations in /usr/share/victorysync/sql"
check '[ -f "$D/usr/share/victorysync/dashboard/index.html" ]' "dashboard/index.html missing"
check 'diff -rq dashboard "$D/usr/share/victorysync/dashboard" >/dev/null' "installed dashboard differs from dashboard/"
# every /vendor/uplot/ file the dashboard loads is installed
for v in $(grep -rhoE "/vendor/uplot/[A-Za-z0-9._-]+" dashboard | sort -u); do
  check '[ -f "$D/usr/share/victorysync/vendor/uplot/${v#/vendor/uplot/}" ]' "dashboard loads $v but it is not installed"
done
check '[ -f "$D/usr/share/doc/victorysync/operations.md" ]' "operations.md (the units' Documentation=) missing"
units=(vs-api.service vs-api.socket vs-sync-drain.service vs-sync-drain.timer vs-sync-schedule.service
       vs-sync-schedule.timer vs-sync-migrate.service victorysync.target)
for u in "${units[@]}"; do
  check '[ "$(mode "$D/usr/lib/systemd/system/$u")" = 644 ]' "unit $u missing or not 0644 in /usr/lib/systemd/system"
done
check '[ -f "$D/usr/lib/sysusers.d/victorysync.conf" ]' "sysusers.d/victorysync.conf missing"
check '[ "$(mode "$D/etc/victorysync/victorysync.conf")" = 640 ]' "/etc/victorysync/victorysync.conf missing or not 0640"
check '[ "$(mode "$D/etc/victorysync/credentials")" = 700 ]' "/etc/victorysync/credentials missing or not 0700"
check '[ -z "$(ls -A "$D/etc/victorysync/credentials")" ]' "the credentials directory must be installed empty"
check '! grep -Eq "^[[:space:]]*(db_password|jwt_secret|jwt_secret_previous|master_key|service_key|supabase_jwt_secret)[[:space:]]*=" "$D/etc/victorysync/victorysync.conf"' \
  "the example config must not set a secret"
for f in sites-available/victorysync snippets/victorysync-fastcgi.conf snippets/victorysync-security-headers.conf; do
  check '[ -f "$D/etc/nginx/$f" ]' "/etc/nginx/$f missing"
done

# --- 2. units name the installed paths, and verify as installed
U=$D/usr/lib/systemd/system
check '! grep -rq "/usr/local" "$U"' "installed units (PREFIX=/usr) still mention /usr/local"
while IFS= read -r p; do
  check '[ -e "$D$p" ]' "a unit names $p, which make install did not install"
done < <(grep -hoE '^(ExecStart=|Documentation=file://)[^ ]+|--dir [^ ]+' "$U"/*.service "$U"/*.target |
         sed -E 's#^(ExecStart=|Documentation=file://|--dir )##' | sort -u)
if VS_UNIT_DIR="$U" VS_UNIT_PREFIX=/usr tests/systemd/verify.sh "$D/usr/bin/vs-api" "$D/usr/bin/vs-sync" > "$T/verify.log" 2>&1; then
  ok; sed 's/^/  /' "$T/verify.log" | grep -E 'units verified|FAIL' || true
else
  cat "$T/verify.log" >&2; err "tests/systemd/verify.sh rejects the installed units"
fi

# --- 3. nginx site
S=$D/etc/nginx/sites-available/victorysync
check 'grep -q "server_name calls.example.test;" "$S"' "NGINX_SERVER_NAME not rendered into the site"
check 'grep -q "unix:/run/victorysync/api.sock" "$S"' "the site does not pass to /run/victorysync/api.sock"
while IFS= read -r p; do
  check '[ -e "$D$p" ]' "the nginx site names $p, which make install did not install"
done < <(grep -hoE '^\s*(root|alias|include) /(usr|etc/nginx/snippets)/[^;]*' "$S" | awk '{print $2}' | sort -u)
if command -v nginx >/dev/null 2>&1 && [ -f /etc/nginx/mime.types ] && [ -f /etc/nginx/fastcgi_params ]; then
  mkdir -p "$T/nginx/logs"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=calls.example.test \
    -keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1
  sed -e "s#/etc/nginx/snippets/#$D/etc/nginx/snippets/#g" \
      -e "s#/etc/letsencrypt/live/calls.example.test/fullchain.pem#$T/cert.pem#" \
      -e "s#/etc/letsencrypt/live/calls.example.test/privkey.pem#$T/key.pem#" \
      -e "s#/var/log/nginx/#$T/nginx/logs/#" "$S" > "$T/site.conf"
  # Debian's nginx.conf, cut down: what the site must coexist with.
  # (Debian's includes modules-enabled/*.conf, which loads nchan by a path
  # relative to its prefix: named absolutely here, as -p points elsewhere)
  cat > "$T/nginx.conf" <<EOF
load_module /usr/lib/nginx/modules/ngx_nchan_module.so;
pid $T/nginx/nginx.pid;
error_log $T/nginx/logs/error.log;
events { worker_connections 64; }
http {
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    access_log $T/nginx/logs/access.log;
    include $T/site.conf;
}
EOF
  if out=$(nginx -t -q -p "$T/nginx" -c "$T/nginx.conf" 2>&1); then ok; else echo "$out" >&2; err "nginx -t rejects the rendered site"; fi
else
  echo "install: nginx not installed: nginx -t skipped"
fi

# --- 4. the example config is valid for both binaries (secrets from a credentials dir)
C=$T/creds; mkdir -m 700 "$C"
openssl rand -hex 32 | tr -d '\n' > "$C/master_key"
openssl rand -base64 48 | tr -d '\n' > "$C/jwt_secret"
for b in vs-api vs-sync; do
  out=$(env -i PATH="$PATH" CREDENTIALS_DIRECTORY="$C" "$D/usr/bin/$b" --config "$D/etc/victorysync/victorysync.conf" --check-config 2>&1)
  rc=$?
  check '[ $rc -eq 0 ] && grep -q "^config OK" <<<"$out"' "$b --check-config rejects the example config: $out"
done

# --- 5. reinstall keeps an edited config; default PREFIX renders /usr/local
echo "workers=7" >> "$D/etc/victorysync/victorysync.conf"
make --no-print-directory -s BUILD="$BUILD" install DESTDIR="$D" PREFIX=/usr NGINX_SERVER_NAME=calls.example.test >/dev/null 2>&1 \
  || err "second make install failed"
check 'grep -q "^workers=7" "$D/etc/victorysync/victorysync.conf"' "a reinstall overwrote the edited config"
check '[ -f "$D/etc/victorysync/victorysync.conf.new" ]' "a reinstall did not leave the new example config as victorysync.conf.new"
make --no-print-directory -s BUILD="$BUILD" install DESTDIR="$T/local" >/dev/null 2>&1 || err "make install with the default PREFIX failed"
check 'grep -qx "ExecStart=/usr/local/bin/vs-api --config /etc/victorysync/victorysync.conf" "$T/local/usr/local/lib/systemd/system/vs-api.service"' \
  "default PREFIX: vs-api.service does not start /usr/local/bin/vs-api from /usr/local/lib/systemd/system"

if [ "$fail" -ne 0 ]; then
  echo "install: FAILED" >&2
  exit 1
fi
echo "install: $checks checks passed"
