# env.sh — sourced by the stack scripts: paths and loopback ports of a profile.
#   profile "run"  : make run   (var/run,  HTTP 8080, HTTPS 8443, DB 3307, sim 8900, SMTP 8925/8926)
#   profile "test" : make test  (var/test, HTTP 18080, HTTPS 18443, DB 13307, sim 18900, SMTP 18925/18926)
# Every port can be overridden with the VS_*_PORT environment variables.
VS_PROFILE=${1:-${VS_PROFILE:-run}}
VS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VS_VAR=$VS_ROOT/var/$VS_PROFILE
if [ "$VS_PROFILE" = test ]; then
  : "${VS_HTTP_PORT:=18080}" "${VS_HTTPS_PORT:=18443}" "${VS_DB_PORT:=13307}" "${VS_SIM_PORT:=18900}"
  : "${VS_SMTP_PORT:=18925}" "${VS_SMTPS_PORT:=18926}"
elif [ "$VS_PROFILE" = run ]; then
  : "${VS_HTTP_PORT:=8080}" "${VS_HTTPS_PORT:=8443}" "${VS_DB_PORT:=3307}" "${VS_SIM_PORT:=8900}"
  : "${VS_SMTP_PORT:=8925}" "${VS_SMTPS_PORT:=8926}"
else
  # any other profile (developer sandboxes): ports from VS_PORT_BASE .. +3, the test MTA on +4 (SMTP) and +5 (SMTPS)
  : "${VS_PORT_BASE:?set VS_PORT_BASE for profile $VS_PROFILE}"
  : "${VS_HTTP_PORT:=$VS_PORT_BASE}" "${VS_HTTPS_PORT:=$((VS_PORT_BASE + 1))}"
  : "${VS_DB_PORT:=$((VS_PORT_BASE + 2))}" "${VS_SIM_PORT:=$((VS_PORT_BASE + 3))}"
  : "${VS_SMTP_PORT:=$((VS_PORT_BASE + 4))}" "${VS_SMTPS_PORT:=$((VS_PORT_BASE + 5))}"
fi
: "${VS_BUILD:=build}"
: "${VS_WORKERS:=2}" "${VS_THREADS:=8}"
VS_DB_SOCK=$VS_VAR/run/mariadb.sock
VS_API_SOCK=$VS_VAR/run/api.sock
VS_CONF=$VS_VAR/victorysync.conf
VS_SECRETS=$VS_VAR/secrets
VS_MAILDIR=$VS_VAR/mail
export VS_PROFILE VS_ROOT VS_VAR VS_HTTP_PORT VS_HTTPS_PORT VS_DB_PORT VS_SIM_PORT VS_SMTP_PORT VS_SMTPS_PORT VS_MAILDIR VS_BUILD \
       VS_DB_SOCK VS_API_SOCK VS_CONF VS_SECRETS VS_WORKERS VS_THREADS

vs_mysql_root() { mariadb --no-defaults --socket="$VS_DB_SOCK" -uroot "$@"; }
vs_pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
# Stop the process in pid file $1 with SIGTERM, waiting up to $2 seconds, then SIGKILL.
vs_stop_pid() {
  local f=$1 wait=${2:-20} pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((wait * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { echo "stack: $f ($pid) did not stop, killing" >&2; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$f"
}
