#!/usr/bin/env bash
# Sets up and runs opdesk with its sandbox: installs dependencies, builds (the front end too, into
# settings-ui/dist), starts the Bitrix24 portal emulator on 127.0.0.1:8081 and the Mango VPBX
# emulator on 127.0.0.1:8082, migrates an embedded SQLite database in ./var, serves opdesk on
# 127.0.0.1:8080, installs the app into the emulated portal and connects the emulated VPBX to it.
# With `--crm megaplan` it also starts the Megaplan account emulator on 127.0.0.1:8083, connects
# opdesk to it with the integration employee's password and the VPBX to that tenant instead.
# Ctrl-C stops everything.
set -euo pipefail

crm=bitrix24
while [ $# -gt 0 ]; do
  case "$1" in
    --crm) crm=${2:-}; shift 2 || { echo "usage: quickstart.sh [--crm bitrix24|megaplan]" >&2; exit 2; } ;;
    *) echo "usage: quickstart.sh [--crm bitrix24|megaplan]" >&2; exit 2 ;;
  esac
done
case "$crm" in
  bitrix24|megaplan) ;;
  *) echo "quickstart.sh: --crm is bitrix24 or megaplan" >&2; exit 2 ;;
esac

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
bash deploy/install-deps.sh

cmake --preset release >/dev/null
cmake --build --preset release
# The front end is part of the default build when npm is there; make sure it exists.
[ -f settings-ui/dist/callcard.html ] && [ -f settings-ui/dist/settings.html ] ||
  cmake --build --preset release --target opdesk_ui

listen=${OPDESK_LISTEN:-127.0.0.1:8080}
portal_port=${SANDBOX_PORTAL_PORT:-8081}
portal="http://127.0.0.1:$portal_port"
pbx_port=${SANDBOX_PBX_PORT:-8082}
pbx="http://127.0.0.1:$pbx_port"
megaplan_port=${SANDBOX_MEGAPLAN_PORT:-8083}
megaplan="http://127.0.0.1:$megaplan_port"
export OPDESK_DATA_DIR=${OPDESK_DATA_DIR:-$here/var}
export OPDESK_LISTEN=$listen
export OPDESK_PUBLIC_URL=${OPDESK_PUBLIC_URL:-http://$listen}
# The sandbox talks to emulators on loopback, never to real portals.
export OPDESK_ALLOW_INSECURE_ENDPOINTS=true
export OPDESK_BITRIX24_CLIENT_ID=app.test
export OPDESK_BITRIX24_CLIENT_SECRET=secret.test
export OPDESK_BITRIX24_OAUTH_URL=$portal/
export OPDESK_BITRIX24_FRAME_SDK_URL=$portal/_emu/bx24.js
export OPDESK_MANGO_API_URL=$pbx/vpbx/
# opdesk as a Megaplan marketplace application: the emulated account opens its application URL.
export OPDESK_MEGAPLAN_APPLICATION_UUID=${OPDESK_MEGAPLAN_APPLICATION_UUID:-sandbox-megaplan-app}
export OPDESK_MEGAPLAN_APPLICATION_HOST_DOMAINS=megaplan.ru,127.0.0.1
bin=build/release/connector/opdesk
emulator=build/release/tests/emulators/bitrix24/b24emu
pbx_emulator=build/release/tests/emulators/mango/mangoemu
megaplan_emulator=build/release/tests/emulators/megaplan/mpemu
mkdir -p "$OPDESK_DATA_DIR"

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

# The portal's domain is the emulator's own host:port: opdesk accepts an install only from the
# portal the auth server names, whose REST endpoint is that address.
"$emulator" --port "$portal_port" --member-id sandbox-portal \
  > "$OPDESK_DATA_DIR/b24emu.log" 2>&1 &
pids+=($!)

"$pbx_emulator" --port "$pbx_port" --api-key sandbox-vpbx --api-salt sandbox-salt \
  > "$OPDESK_DATA_DIR/mangoemu.log" 2>&1 &
pids+=($!)

if [ "$crm" = megaplan ]; then
  "$megaplan_emulator" --port "$megaplan_port" > "$OPDESK_DATA_DIR/mpemu.log" 2>&1 &
  pids+=($!)
fi

"$bin" migrate
"$bin" serve &
pids+=($!)

for _ in $(seq 1 100); do
  curl -fsS "http://$listen/healthz" >/dev/null 2>&1 && curl -fsS "$portal/_emu/stats" >/dev/null 2>&1 && break
  sleep 0.1
done

# The emulated portal installs the app (install callback → setup in the background).
curl -fsS -X POST "$portal/_emu/portal/install-callback" \
  -d "{\"url\":\"http://$listen/b24/events\"}" >/dev/null && echo "sandbox portal: app installed"
for _ in $(seq 1 100); do
  curl -fsS "http://$listen/metrics" | grep -q 'opdesk_b24_portals{state="installed"} 1' && break
  sleep 0.1
done
tenant=sandbox-portal
if [ "$crm" = megaplan ]; then
  for _ in $(seq 1 100); do
    curl -fsS "$megaplan/_emu/stats" >/dev/null 2>&1 && break
    sleep 0.1
  done
  # The integration employee signs in; the password is used once and not stored.
  "$bin" tenant megaplan --url "$megaplan" --login bot --password bot-pass
  tenant="megaplan:127.0.0.1:$megaplan_port"
fi
# The emulated VPBX is connected to the tenant and told where to send its calls.
webhook=$("$bin" tenant mango --tenant "$tenant" --api-key sandbox-vpbx \
  --api-salt sandbox-salt | grep -o "http://[^ ]*/mango/[0-9a-f]*/")
curl -fsS -X POST "$pbx/_emu/config" -d "{\"webhook_base\":\"$webhook\"}" >/dev/null \
  && echo "sandbox VPBX: connected"
# A script, a button and a role for operator 2, so the call card has something to show.
bash deploy/sandbox-demo.sh "http://$listen" "$portal" || echo "sandbox demo: not set up (see above)"

cat <<INFO

opdesk sandbox is running (SQLite in $OPDESK_DATA_DIR).
  opdesk health:     http://$listen/healthz
  readiness:         http://$listen/readyz
  metrics:           http://$listen/metrics
  emulated portal:   $portal  (state: $portal/_emu/state, requests: $portal/_emu/requests)
  emulated VPBX:     $pbx  (calls: $pbx/_emu/calls, requests: $pbx/_emu/requests)
  play an inbound call answered by extension 102 (user 2), then see it in the portal:
    curl -s -X POST $pbx/_emu/scenario -d '{"name":"inbound_answered_after_ivr"}'
    curl -s $portal/_emu/state     # "calls": registered, finished
  the settings pages as the Supervisor (user 1, who installed the app) in your browser:
    $portal/_emu/portal/open?user_id=1&placement=DEFAULT&url=http://$listen/b24/app
  the call card of operator 2 in your browser (the portal posts the frame at the top level):
    $portal/_emu/portal/open?user_id=2&url=http://$listen/b24/callcard
  open the call card as operator 2 (the portal POSTs the frame; opdesk's page comes back):
    curl -s -X POST $portal/_emu/portal/frame \\
      -d '{"url":"http://$listen/b24/callcard","user_id":2,"placement":"CALL_CARD"}'
  the call card's page in a browser, framed by a harness that plays the portal:
    (cd settings-ui && OPDESK_BUILD_DIR=$here/build/release npm run test:browser)
    # its own opdesk and portal on free ports; screenshots in settings-ui/test-artifacts/
INFO
if [ "$crm" = megaplan ]; then
  cat <<INFO
  the emulated Megaplan account ($tenant): $megaplan
    the «Мегаплан» settings page (sign in as the account's administrator anna / anna-pass):
      http://$listen/megaplan/127.0.0.1:$megaplan_port
    state (clients, deals, the calls' comments): $megaplan/_emu/state
    a call, then its comment on Иван Клиентов's card:
      curl -s -X POST $pbx/_emu/scenario -d '{"name":"inbound_answered_after_ivr"}'
      curl -s $megaplan/_emu/state
    the token ends (calls wait; /readyz and the page name the account), then sign in again
    (the page's «Войти заново» as bot / bot-pass, or the command):
      curl -s -X POST $megaplan/_emu/tokens/expire
      $bin tenant megaplan --url $megaplan --login bot --password bot-pass
    or connect it as the marketplace application (Megaplan opens opdesk's application URL):
      curl -s -X POST $megaplan/_emu/app/open \\
        -d '{"url":"$OPDESK_PUBLIC_URL/megaplan/app","application_uuid":"$OPDESK_MEGAPLAN_APPLICATION_UUID"}'
    a client's number changes in Megaplan, which tells opdesk (the next call finds the new one):
      curl -s -X POST $megaplan/_emu/app/phone -d '{"id":"1000100","phone":"+7 900 765-43-21"}'
      curl -s -X POST $megaplan/_emu/app/event \\
        -d '{"url":"$OPDESK_PUBLIC_URL/megaplan/events","application_uuid":"$OPDESK_MEGAPLAN_APPLICATION_UUID","event":"on_after_update","id":"1000100"}'

INFO
fi
echo "Stop with Ctrl-C."
wait "${pids[1]}"
