#!/usr/bin/env bash
# Administration without SQL, against a running server — the HTTP half of the production runbook
# (README, "Running against MySQL/MariaDB and Redis"):
#   go run .                             # in one terminal (embedded mode: the demo county and its administrator)
#   docs/walkthrough/production.sh       # in another (needs curl and jq); B=http://host:port to point elsewhere
# On a production server the administrator comes from `palmaid admin bootstrap` instead of the demo
# data (ADMIN=… ADMIN_PASSWORD=… AREA_TOWN=… WRITES_OK=yes pick another account and town — use a
# staging server: the script adds a village and an account); everything else below is
# the same API. Steps: readiness; the administrator logs in; areas are imported from a file in the
# format of the open division-code dataset (a dry run, the import, a second run that changes nothing,
# the new village found by the residents' village search); a town caseworker account is created and
# its holder logs in and sets their own password; a calendar year is changed (2026 reloaded as it
# is: proposed by the administrator, confirmed by a second administrator created for it — the
# proposer cannot confirm); readiness again.
# It can be run again on the same server: the caseworker's username is new on every run and the
# imported village is the same one. It prints each step's status and exits non-zero on the first
# answer it did not expect.
set -euo pipefail

B=${B:-http://127.0.0.1:8080}
RUN=$(date +%s%N | tail -c 9)$RANDOM
ADMIN=${ADMIN:-admin}
# Another administrator's password (not the demo's) means another server than the embedded demo.
OTHER_SERVER=no
if [ -n "${ADMIN_PASSWORD:-}" ] && [ "$ADMIN_PASSWORD" != palmaid-demo-2026 ]; then OTHER_SERVER=yes; fi
ADMIN_PASSWORD=${ADMIN_PASSWORD:-palmaid-demo-2026}
AREA_TOWN=${AREA_TOWN:-371522106000}   # 古云镇 of the demo county
VILLAGE=${AREA_TOWN:0:9}901            # the village the import adds under that town

fail() { echo "FAILED: $*" >&2; exit 1; }

# The demo is a real county (莘县): against any server but the embedded demo (whose administrator
# has the published demo password) this writes into real data — a demo village, a staff account.
if [ "$OTHER_SERVER" = yes ] && [ "${WRITES_OK:-}" != yes ]; then
	fail "this script adds a demo village and a staff account under $AREA_TOWN: run it against a staging server, with WRITES_OK=yes"
fi

# call METHOD PATH TOKEN BODY WANT_STATUS: prints "METHOD PATH -> status", leaves the body in $OUT.
call() {
	local method=$1 path=$2 token=$3 body=$4 want=$5
	local args=(-s -o /tmp/palmaid-walk.$$ -w '%{http_code}' -X "$method" "$B$path")
	[ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' -d "$body")
	local got
	local tries=0 pause
	while :; do
		got=$(curl -D "/tmp/palmaid-walk-h.$$" "${args[@]}") || fail "$method $path: no answer from $B (is the server running?)"
		# Rate limited where nobody expected it (several walkthroughs in a row log in many
		# times): wait as Retry-After says, as a real client does, then try again.
		if [ "$got" = 429 ] && [ "$want" != 429 ] && [ "$tries" -lt 3 ]; then
			tries=$((tries + 1))
			pause=$(awk 'tolower($1)=="retry-after:" {print $2+0}' "/tmp/palmaid-walk-h.$$")
			echo "         (429: waiting ${pause:-5} s as Retry-After says)" >&2
			sleep "${pause:-5}"
			continue
		fi
		break
	done
	rm -f "/tmp/palmaid-walk-h.$$"
	OUT=$(cat /tmp/palmaid-walk.$$)
	rm -f /tmp/palmaid-walk.$$
	printf '%-6s %-58s -> %s\n' "$method" "$path" "$got" >&2
	[ "$got" = "$want" ] || fail "$method $path answered $got, expected $want: $OUT"
}

# expect JQ_FILTER VALUE: the last answer's field must equal VALUE.
expect() {
	local got
	got=$(jq -r "$1" <<<"$OUT")
	[ "$got" = "$2" ] || fail "$1 is '$got', expected '$2'"
	printf '         %s = %s\n' "$1" "$got" >&2
}

echo "== 1. The server is ready (database and Redis answer)"
call GET /readyz "" "" 200
expect .status ready

echo "== 2. The administrator logs in (production: the account made by \`palmaid admin bootstrap\`)"
call POST /api/v1/auth/login "" "{\"username\":\"$ADMIN\",\"password\":\"$ADMIN_PASSWORD\"}" 200
TOK=$(jq -r .token <<<"$OUT")
ADMIN_AREA=$(jq -r .staff.areaCode <<<"$OUT")
expect .staff.role admin
expect '.staff.permissions | index("region.admin") != null' true

echo "== 3. Areas: a file in the format of github.com/modood/Administrative-divisions-of-China (villages.csv)"
# The same request takes a published file as it is (a county's share of villages.csv, or the
# 莘县 extract docs/areas/shenxian-371522.csv for an administrator of 371522); for a whole
# province use the command: palmaid areas import villages.csv --within 37 --as ADMIN.
FILE="code,name,streetCode
$VILLAGE,\"新建村（演示）\",${AREA_TOWN:0:9}"
body() { jq -n --arg f "$FILE" --arg w "${AREA_TOWN:0:9}" --argjson d "$1" '{file: $f, within: $w, dryRun: $d, source: "walkthrough"}'; }
# A dry run says what would change and changes nothing. Without the whole town's villages in the
# file, --within would mark the town's other villages inactive: the dry run shows it first.
call POST /api/v1/admin/areas/import "$TOK" "$(body true)" 200
expect .dryRun true
DEACT=$(jq -r .deactivated <<<"$OUT")
echo "         the dry run would mark $DEACT village(s) of the town inactive — so import without within:" >&2
call POST /api/v1/admin/areas/import "$TOK" "$(jq -n --arg f "$FILE" '{file: $f, source: "walkthrough"}')" 200
expect '.added + .unchanged' 1
expect .deactivated 0
# Idempotent: the same file again changes nothing.
call POST /api/v1/admin/areas/import "$TOK" "$(jq -n --arg f "$FILE" '{file: $f}')" 200
expect '.added + .renamed + .reactivated + .deactivated' 0
# A file that breaks the tree is refused as a whole, naming the row.
BAD="code,name,streetCode
${AREA_TOWN:0:6}999901,\"无上级村\",${AREA_TOWN:0:6}999"
call POST /api/v1/admin/areas/import "$TOK" "$(jq -n --arg f "$BAD" '{file: $f}')" 400
expect .error.code area.invalid_rows
expect '.error.fields | keys[0]' 'rows[2].parent'
# Residents find the new village at once.
call GET "/mp/v1/villages?q=$VILLAGE" "" "" 200
expect '.items[0].name' 新建村（演示）

echo "== 4. A town caseworker account (initial password, changed by its holder at first login)"
USER="walk.caseworker.$RUN"
call POST /api/v1/admin/staff "$TOK" "{\"username\":\"$USER\",\"displayName\":\"演练经办人\",\"role\":\"town_caseworker\",
  \"areaCode\":\"$AREA_TOWN\",\"initialPassword\":\"Initial-$RUN\"}" 201
expect .mustChangePassword true
call POST /api/v1/auth/login "" "{\"username\":\"$USER\",\"password\":\"Initial-$RUN\"}" 200
CW=$(jq -r .token <<<"$OUT")
call GET /api/v1/cases "$CW" "" 403
expect .error.code auth.password_change_required
call POST /api/v1/me/password "$CW" "{\"oldPassword\":\"Initial-$RUN\",\"newPassword\":\"Chosen-$RUN-x\"}" 200
CW=$(jq -r .token <<<"$OUT")
call GET /api/v1/cases "$CW" "" 200

echo "== 5. A calendar year: 2026 reloaded as it is (production: the State Council's notice for the next year)"
# The calendar is the installation's (every county's clocks count its days): only an administrator
# whose area contains every area may change it, and a year already in use changes only when a
# second administrator confirms the proposal — never the one who proposed it.
call GET /api/v1/admin/calendar/2026 "$TOK" "" 200
DAYS=$(jq -c '.days' <<<"$OUT")
N=$(jq 'length' <<<"$DAYS")
call PUT /api/v1/admin/calendar/2026 "$TOK" "{\"source\":\"国务院办公厅通知（演练：原样重载）\",\"days\":$DAYS}" 202
expect '.pending.differences' 0
PROPOSAL=$(jq -r .pending.id <<<"$OUT")
call POST /api/v1/admin/calendar/2026/confirm "$TOK" "{\"proposalId\":$PROPOSAL}" 403
expect .error.code calendar.confirm_own
ADMIN2="walk.admin.$RUN"
call POST /api/v1/admin/staff "$TOK" "{\"username\":\"$ADMIN2\",\"displayName\":\"演练第二管理员\",\"role\":\"admin\",
  \"areaCode\":\"$ADMIN_AREA\",\"initialPassword\":\"Initial-$RUN\"}" 201
ADMIN2_ID=$(jq -r .id <<<"$OUT")
call POST /api/v1/auth/login "" "{\"username\":\"$ADMIN2\",\"password\":\"Initial-$RUN\"}" 200
TOK2=$(jq -r .token <<<"$OUT")
call POST /api/v1/me/password "$TOK2" "{\"oldPassword\":\"Initial-$RUN\",\"newPassword\":\"Chosen-$RUN-y\"}" 200
TOK2=$(jq -r .token <<<"$OUT")
call POST /api/v1/admin/calendar/2026/confirm "$TOK2" "{\"proposalId\":$PROPOSAL}" 200
expect .loaded true
expect '.days | length' "$N"
# the second administrator was for this walkthrough only
call POST "/api/v1/admin/staff/$ADMIN2_ID/disable" "$TOK" "" 200
call GET /api/v1/admin/calendar/2027 "$TOK" "" 200
echo "         2027 loaded: $(jq -r .loaded <<<"$OUT"); warning: $(jq -r '.warning // ""' <<<"$OUT")" >&2

echo "== 6. Still ready"
call GET /readyz "" "" 200
expect .status ready
echo "production walkthrough: ok"
