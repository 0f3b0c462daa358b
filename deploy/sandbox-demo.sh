#!/usr/bin/env bash
# Gives the sandbox something to show: signs in as the emulated portal's installer (the
# Supervisor), creates a call script, an action button and an «Оператор» role through the
# settings API, and gives the role to user 2 (Борис), whose call card then has all three.
# Usage: deploy/sandbox-demo.sh OPDESK_URL PORTAL_URL. A second run keeps what the first made.
set -euo pipefail

opdesk=$1
portal=$2

# The app page's frame hands out a UI session (its bootstrap block: {"session":"…",…}); the
# emulator returns opdesk's answer as a JSON string, so the quotes arrive escaped.
frame=$(curl -fsS -X POST "$portal/_emu/portal/frame" \
  -d "{\"url\":\"$opdesk/b24/app\",\"user_id\":1}")
session=$(printf '%s' "$frame" | grep -o '\\"session\\":\\"[^\\]*' | head -1 | sed 's/.*:\\"//')
if [ -z "$session" ]; then
  echo "sandbox demo: no session from the app page; skipped" >&2
  exit 0
fi

api() {  # METHOD PATH [BODY] → the answer's body; fails on an error status
  curl -fsS -X "$1" "$opdesk$2" -H "Authorization: Bearer $session" \
    -H 'Content-Type: application/json' ${3:+-d "$3"}
}
id_of() { grep -o '"id":"[0-9]*"' | head -1 | grep -o '[0-9]\+'; }

if api GET /api/settings/roles | grep -q '"name":"Оператор"'; then
  echo "sandbox demo: already set up"
  exit 0
fi

script=$(api POST /api/settings/scripts '{"name":"Входящий звонок","description":"Демо-скрипт",
  "draft":{"start_step":"hello","steps":[
  {"id":"hello","title":"Приветствие","hint":"Здравствуйте! Компания «Ромашка», меня зовут …","x":0,"y":0,
   "fields":[],"next":["need","no"]},
  {"id":"need","title":"Есть интерес","hint":"Уточните, что нужно клиенту, и запишите имя.","x":-160,"y":160,
   "fields":[{"entity":"contact","code":"NAME","editable":true}],"next":["meet"]},
  {"id":"no","title":"Нет интереса","hint":"Поблагодарите и попрощайтесь.","x":160,"y":160,
   "fields":[],"next":[]},
  {"id":"meet","title":"Назначить встречу","hint":"Предложите удобное время.","x":-160,"y":320,
   "fields":[],"next":[]}]}}' | id_of)
api POST "/api/settings/scripts/$script/publish" '{"version":1}' >/dev/null

button=$(api POST /api/settings/buttons '{"name":"Перезвонить","color":"#2fc6f6","actions":[
  {"kind":"callback","deadline":"{now+1d 10:00}","text":"Перезвонить {client.name}"},
  {"kind":"comment","text":""}]}' | id_of)

role=$(api POST /api/settings/roles "{\"name\":\"Оператор\",\"keep_card_open\":true,
  \"client_fields\":[{\"entity\":\"contact\",\"code\":\"NAME\"},{\"entity\":\"contact\",\"code\":\"LAST_NAME\"},
  {\"entity\":\"contact\",\"code\":\"PHONE\"},{\"entity\":\"contact\",\"code\":\"EMAIL\"},
  {\"entity\":\"company\",\"code\":\"TITLE\"},{\"entity\":\"deal\",\"code\":\"OPPORTUNITY\"}],
  \"button_ids\":[\"$button\"],\"script_ids\":[\"$script\"]}" | id_of)
api PUT /api/settings/users/2 "{\"role_id\":\"$role\"}" >/dev/null
echo "sandbox demo: role «Оператор» with a script and a button given to user 2 (Борис)"
