#!/usr/bin/env bash
# Install every missing Debian package and the npm packages the tests need.
# A no-op (no apt, no npm network use) when everything is already present.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(build-essential pkg-config libfcgi-dev libcurl4-openssl-dev libjansson-dev
      libmariadb-dev mariadb-server mariadb-client nginx libsodium-dev libcmocka-dev
      wrk valgrind openssl curl ca-certificates tzdata systemd chromium
      clang libclang-rt-14-dev # clang + libclang_rt.fuzzer: make fuzz
      libnginx-mod-nchan  # nginx nchan module: live updates pushed to the dashboard
      exim4-daemon-light) # the loopback test MTA of scripts/stack.sh
command -v node >/dev/null 2>&1 || PKGS+=(nodejs npm)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts the packaged services on install; VictorySync runs its own.
  for svc in mariadb nginx exim4; do $SUDO systemctl disable --now "$svc" >/dev/null 2>&1 || true; done
  $SUDO pkill -x nginx >/dev/null 2>&1 || true
fi

if [ -f package.json ] && [ ! -f node_modules/.deps-stamp -o package.json -nt node_modules/.deps-stamp ]; then
  echo "deps: npm install"
  npm install --no-audit --no-fund --loglevel=error
  touch node_modules/.deps-stamp
fi
