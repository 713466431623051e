#!/usr/bin/env bash
# render-nginx-site.sh — the production nginx site for VictorySync, rendered
# from the same template the dev/test stacks use (nginx/nginx.conf.template),
# so rate limits, headers and locations never drift apart. `make install`
# runs it; run it by hand to re-render with other values.
#
#   scripts/render-nginx-site.sh PREFIX SERVER_NAME TLS_CERT TLS_KEY [SNIPPET_DIR] > victorysync
#
# The template is a whole nginx.conf; Debian's /etc/nginx/nginx.conf already
# has the main context and includes sites-enabled/* inside http {}. So this
# keeps only the body of the template's http {} block, minus what Debian's
# nginx.conf sets itself (mime types, sendfile, keepalive, the default access
# log, temp paths), and then:
#   - HTTPS on 443 (IPv4 + IPv6) with TLS_CERT / TLS_KEY, plus a port-80
#     server that answers ACME http-01 challenges from /var/www/html and
#     redirects everything else to HTTPS;
#   - FastCGI to the systemd socket /run/victorysync/api.sock;
#   - the nchan publisher of live updates on /run/victorysync-live.sock
#     (config live_publish=unix:/run/victorysync-live.sock; nchan itself is
#     loaded by Debian's modules-enabled/50-mod-nchan.conf);
#   - dashboard from PREFIX/share/victorysync/dashboard, uPlot from
#     PREFIX/share/victorysync/vendor/uplot/;
#   - files from docs/ (the OpenAPI document) from PREFIX/share/doc/victorysync/;
#   - the two include files from SNIPPET_DIR (default /etc/nginx/snippets) as
#     victorysync-fastcgi.conf and victorysync-security-headers.conf;
#   - access log (path only, no query strings) /var/log/nginx/victorysync-access.log.
# Fails if a template placeholder (@NAME@) is left over.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
prefix=${1:?usage: render-nginx-site.sh PREFIX SERVER_NAME TLS_CERT TLS_KEY [SNIPPET_DIR]}
server_name=${2:?server name} cert=${3:?TLS certificate path} key=${4:?TLS key path}
snippets=${5:-/etc/nginx/snippets}
template=$ROOT/nginx/nginx.conf.template

out=$(awk '
  /^http \{/ { inside = 1; next }
  inside && /^\}/ { inside = 0; next }
  !inside { next }
  /^    (include \/etc\/nginx\/mime\.types|default_type|sendfile|tcp_nopush|keepalive_timeout|keepalive_requests|access_log|[a-z_]+_temp_path)[ ;]/ { next }
  /listen 127\.0\.0\.1:@HTTP_PORT@;/ { next }
  /listen 127\.0\.0\.1:@HTTPS_PORT@ ssl http2;/ {
    sub(/listen .*/, "listen 443 ssl http2;"); print substr($0, 5)
    sub(/listen .*/, "listen [::]:443 ssl http2;"); print substr($0, 5); next
  }
  /server_name localhost;/ {
    sub(/localhost/, "@SERVER_NAME@"); print substr($0, 5)
    sub(/server_name .*/, "access_log /var/log/nginx/victorysync-access.log vs;"); print substr($0, 5); next
  }
  { print substr($0, 5) }
' "$template")

out=${out//unix:@VAR@\/run\/api.sock/unix:\/run\/victorysync\/api.sock}
out=${out//@VAR@\/log\/nginx-error.log/\/var\/log\/nginx\/error.log}
out=${out//unix:@VAR@\/run\/live-pub.sock/unix:\/run\/victorysync-live.sock}
out=${out//@VAR@\/tls\/cert.pem/$cert}
out=${out//@VAR@\/tls\/key.pem/$key}
out=${out//@ROOT@\/nginx\/security-headers.conf/$snippets\/victorysync-security-headers.conf}
out=${out//@ROOT@\/nginx\/fastcgi.conf/$snippets\/victorysync-fastcgi.conf}
out=${out//@ROOT@\/node_modules\/uplot\/dist\//$prefix\/share\/victorysync\/vendor\/uplot\/}
out=${out//@ROOT@\/dashboard/$prefix\/share\/victorysync\/dashboard}
out=${out//@ROOT@\/docs\//$prefix\/share\/doc\/victorysync\/}
out=${out//@SERVER_NAME@/$server_name}

if left=$(grep -n '@[A-Z_]*@' <<<"$out"); then
  echo "render-nginx-site: placeholders left over (update scripts/render-nginx-site.sh):" >&2
  echo "$left" >&2
  exit 1
fi

cat <<EOF
# VictorySync site, rendered by scripts/render-nginx-site.sh from
# nginx/nginx.conf.template (prefix $prefix). Install as
# /etc/nginx/sites-available/victorysync, link it into sites-enabled/, then
# nginx -t && systemctl reload nginx. See docs/operations.md.

$out

# Plain HTTP: ACME http-01 challenges (certbot --webroot -w /var/www/html),
# everything else to HTTPS.
server {
    listen 80;
    listen [::]:80;
    server_name $server_name;
    server_tokens off;
    location ^~ /.well-known/acme-challenge/ {
        root /var/www/html;
        default_type text/plain;
    }
    location / {
        return 301 https://\$host\$request_uri;
    }
}
EOF
