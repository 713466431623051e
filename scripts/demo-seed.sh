#!/usr/bin/env bash
# demo-seed.sh — idempotent demo data for a running stack (called by `make run`
# as `scripts/demo-seed.sh run`):
#   - a platform admin admin@victorysync.local whose generated password is kept
#     in $VS_VAR/secrets/demo_password (made once, never printed to logs);
#   - the org "Demo Call Center" (America/New_York) with that admin as org_admin;
# then prints the dashboard URL and the login. Safe to run any number of times.
#   scripts/demo-seed.sh [profile]
set -euo pipefail
source "$(dirname "$0")/env.sh" "${1:-}"
cd "$VS_ROOT"

DEMO_EMAIL=admin@victorysync.local
DEMO_NAME="Demo Admin"
DEMO_ORG_NAME="Demo Call Center"
DEMO_ORG_SLUG=demo-call-center
DEMO_ORG_TZ=America/New_York
PW_FILE=$VS_SECRETS/demo_password

vs() { CREDENTIALS_DIRECTORY=$VS_SECRETS "$VS_BUILD/vs-sync" --config "$VS_CONF" "$@"; }

mkdir -p "$VS_SECRETS"
new_password=0
if [ ! -s "$PW_FILE" ]; then
  # 18 random bytes, URL-safe base64 (24 chars): typeable, not guessable
  (umask 077; openssl rand -base64 18 | tr '+/' '-_' > "$PW_FILE")
  new_password=1
fi

# --- the demo platform admin -------------------------------------------------
if vs user list | awk -v e="$DEMO_EMAIL" '$2 == e { found = 1 } END { exit !found }'; then
  # the password file was recreated (e.g. deleted by hand): make them agree
  if [ "$new_password" = 1 ]; then vs user set-password --email "$DEMO_EMAIL" < "$PW_FILE"; fi
  vs user grant-admin --email "$DEMO_EMAIL" 2>/dev/null
else
  vs user create --email "$DEMO_EMAIL" --name "$DEMO_NAME" --platform-admin < "$PW_FILE" > /dev/null
fi

# --- the demo org, with the admin as org_admin ----------------------------------
demo_org_id() { vs org list | awk -v s="$DEMO_ORG_SLUG" '$2 == s { print $1 }'; }
DEMO_ORG_ID=$(demo_org_id)
if [ -z "$DEMO_ORG_ID" ]; then
  DEMO_ORG_ID=$(vs org create --name "$DEMO_ORG_NAME" --timezone "$DEMO_ORG_TZ")
fi
[ -n "$DEMO_ORG_ID" ] || { echo "demo-seed: cannot find the demo org" >&2; exit 1; }
if ! out=$(vs org add-member --org "$DEMO_ORG_ID" --email "$DEMO_EMAIL" --role org_admin 2>&1 >/dev/null); then
  case "$out" in *"already a member"*) ;; *) echo "$out" >&2; exit 1 ;; esac
fi
export DEMO_EMAIL DEMO_ORG_ID

# === MightyCall integration for the demo org ===================================
# (integrations + sync area) Connects the demo org to the simulator started by
# stack.sh (http://127.0.0.1:$VS_SIM_PORT, its default demo credentials) through
# the REST API as the demo admin, then queues every due stream and drains the
# queue, so the dashboard has data. Idempotent: the integration is created
# once; later runs only sync what is due.
SIM_BASE=http://127.0.0.1:$VS_SIM_PORT
API_BASE=https://127.0.0.1:$VS_HTTPS_PORT
json_field() { # json_field NAME < json → value ("" when absent)
  node -e 'let s="";process.stdin.on("data",(d)=>{s+=d}).on("end",()=>{let v;try{v=JSON.parse(s)[process.argv[1]]}catch{};process.stdout.write(v===undefined||v===null?"":String(v))})' "$1"
}
if curl -fsS "$SIM_BASE/__sim/health" >/dev/null 2>&1; then
  DEMO_TOKEN=$(node -e 'const fs=require("fs");process.stdout.write(JSON.stringify({email:process.argv[1],password:fs.readFileSync(process.argv[2],"utf8").trim()}))' \
      "$DEMO_EMAIL" "$PW_FILE" \
    | curl -fsSk -X POST "$API_BASE/api/auth/login" -H 'content-type: application/json' --data-binary @- | json_field access_token)
  [ -n "$DEMO_TOKEN" ] || { echo "demo-seed: cannot sign in as $DEMO_EMAIL" >&2; exit 1; }
  auth_header() { printf 'authorization: Bearer %s\n' "$DEMO_TOKEN"; }
  existing=$(curl -fsSk "$API_BASE/api/admin/orgs/$DEMO_ORG_ID/integrations" -H @<(auth_header) | json_field total)
  if [ "${existing:-0}" = 0 ]; then
    node -e 'process.stdout.write(JSON.stringify({integration_type:"mightycall",label:"MightyCall (simulator)",credentials:{api_key:"demo-api-key",user_key:"demo-user-key",base_url:process.argv[1]}}))' "$SIM_BASE" \
      | curl -fsSk -X POST "$API_BASE/api/admin/orgs/$DEMO_ORG_ID/integrations" -H @<(auth_header) \
          -H 'content-type: application/json' --data-binary @- > /dev/null \
      || { echo "demo-seed: could not connect the demo org to the simulator" >&2; exit 1; }
    echo "demo-seed: demo org connected to the MightyCall simulator at $SIM_BASE"
  fi
  vs schedule --org "$DEMO_ORG_ID" > /dev/null
  echo "demo-seed: syncing MightyCall data (phone numbers, extensions, calls, recordings, voicemails, SMS, contacts, reports)"
  VS_LOG_LEVEL=warn vs drain --org "$DEMO_ORG_ID" || echo "demo-seed: warning: some sync jobs did not complete (see above); the sync timer retries" >&2
else
  echo "demo-seed: the MightyCall simulator is not running on $SIM_BASE; skipping the integration" >&2
fi
# === end of MightyCall integration ============================================

echo
echo "VictorySync demo is ready:"
echo "  dashboard  https://127.0.0.1:$VS_HTTPS_PORT/   (self-signed certificate)"
echo "  login      $DEMO_EMAIL"
echo "  password   $(cat "$PW_FILE")   (stored in $PW_FILE)"
echo "  org        $DEMO_ORG_NAME ($DEMO_ORG_ID)"
