#!/usr/bin/env bash
# The resident's message centre, a complaint to the county, and personal-data rights, against a
# running embedded server:
#   go run .                            # in one terminal (embedded mode: demo data, WeChat simulator, /dev routes)
#   docs/walkthrough/message-centre.sh  # in another (needs curl and jq); B=http://host:port to point elsewhere
# Each run uses new residents and ID numbers, so it can be run again on the same server.
# It prints each step's status and exits non-zero on the first answer it did not expect.
set -euo pipefail

B=${B:-http://127.0.0.1:8080}
RUN=$(date +%s%N | tail -c 9)$RANDOM
PASSWORD=palmaid-demo-2026

fail() { echo "FAILED: $*" >&2; exit 1; }

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

# A checksum-valid ID number (GB 11643) for the demo county, born on $1 (YYYYMMDD), unique per run.
idnum() {
	local body="990101$1$(printf '%03d' $((10#${RUN: -3} % 1000)))" sum=0 i
	local w=(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2)
	body=${body:0:17}
	for i in $(seq 0 16); do sum=$((sum + ${body:$i:1} * ${w[$i]})); done
	local checks=10X98765432
	echo "$body${checks:$((sum % 11)):1}"
}

version() { jq -r .version <<<"$OUT"; }

staff_login() {
	call POST /api/v1/auth/login "" "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}" 200
	jq -r .token <<<"$OUT"
}

resident() { # name idNumber → token (identity bound)
	call POST /mp/v1/auth/login "" "{\"code\":\"dev:$1\"}" 200
	local tok
	tok=$(jq -r .token <<<"$OUT")
	call PUT /mp/v1/me/identity "$tok" "{\"name\":\"$2\",\"idNumber\":\"$3\"}" 200
	echo "$tok"
}

echo "== 1. A resident applies; the town accepts; the message centre counts one unread message"
SELF=$(idnum 19620418)
NAME="walk-centre-$RUN"
TOK=$(resident "$NAME" 孙信 "$SELF")
call POST /mp/v1/cases "$TOK" "{\"villageCode\":\"990101001001\",\"address\":\"东城村3组2号\",\"categories\":[\"minimum_living\"],
  \"reason\":\"独居老人，无固定收入\",\"members\":[{\"relation\":\"self\",\"name\":\"孙信\",\"idNumber\":\"$SELF\"}],
  \"pledgeAccepted\":true,\"authorizationAccepted\":true}" 201
CASE=$(jq -r .id <<<"$OUT")
call GET /mp/v1/messages/unread-count "$TOK" "" 200
expect .unread 0
EAST=$(staff_login town_east)
call POST "/api/v1/cases/$CASE/accept" "$EAST" '{"version":1}' 200
call POST /dev/v1/notify/run "" "" 200
call GET /mp/v1/messages/unread-count "$TOK" "" 200
expect .unread 1
call GET /mp/v1/messages "$TOK" "" 200
expect '.items[0].caseId' "$CASE"
expect '.items[0].read' false
MSG=$(jq -r '.items[0].id' <<<"$OUT")

echo "== 2. Mark it read: the count goes to 0; another resident gets 404 for that message"
OTHER=$(resident "walk-centre-other-$RUN" 李旁 "$(idnum 19630519)")
call POST "/mp/v1/messages/$MSG/read" "$OTHER" "" 404
expect .error.code message.not_found
call POST "/mp/v1/messages/$MSG/read" "$TOK" "" 200
expect .unread 0
call GET /mp/v1/messages/unread-count "$TOK" "" 200
expect .unread 0

echo "== 3. Content check: a risky withdrawal reason is refused (the simulator flags 违禁)"
call GET "/mp/v1/cases/$CASE" "$TOK" "" 200
call POST "/mp/v1/cases/$CASE/withdraw" "$TOK" "{\"version\":$(version),\"reason\":\"含违禁内容\"}" 422
expect .error.code content.risky

echo "== 4. A complaint about the case, answered by the county; the resident reads the answer"
call POST /mp/v1/complaints "$TOK" "{\"caseId\":\"$CASE\",\"text\":\"窗口电话一直无人接听\"}" 201
COMPLAINT=$(jq -r .id <<<"$OUT")
expect .status open
call GET /api/v1/complaints "$EAST" "" 403
COUNTY=$(staff_login county)
call GET "/api/v1/complaints?status=open" "$COUNTY" "" 200
expect "[.items[] | select(.id==\"$COMPLAINT\")] | length" 1
call POST "/api/v1/complaints/$COMPLAINT/answer" "$EAST" '{"answer":"x"}' 404
call POST "/api/v1/complaints/$COMPLAINT/answer" "$COUNTY" '{"answer":"已核实，已安排专人值守电话"}' 200
expect .status answered
call POST /dev/v1/notify/run "" "" 200
call GET /mp/v1/messages/unread-count "$TOK" "" 200
expect .unread 1
call GET /mp/v1/complaints "$TOK" "" 200
expect '.items[0].answer' 已核实，已安排专人值守电话
call POST /mp/v1/messages/read-all "$TOK" "" 200
expect .unread 0

echo "== 5. A copy of my data (my own ID number unmasked)"
call GET /mp/v1/me/export "$TOK" "" 200
expect .profile.idNumber "$SELF"
expect '.cases[0].id' "$CASE"
expect '.complaints | length' 1

echo "== 6. Deleting the account is refused while the case is open"
call POST /mp/v1/me/deletion "$TOK" '{"confirm":true}' 409
expect .error.code account.open_case

echo "== 7. Withdrawn, the case is finished: rate it, then delete the account"
call GET "/mp/v1/cases/$CASE" "$TOK" "" 200
call POST "/mp/v1/cases/$CASE/withdraw" "$TOK" "{\"version\":$(version),\"reason\":\"家中情况好转\"}" 200
call POST "/mp/v1/cases/$CASE/rating" "$TOK" '{"stars":4,"comment":"办理及时"}' 201
expect .label 满意
call POST /mp/v1/me/deletion "$TOK" '{"confirm":true}' 204
call GET /mp/v1/me "$TOK" "" 401
call GET "/api/v1/cases/$CASE" "$EAST" "" 200
expect .status withdrawn

echo
echo "message-centre walkthrough: all steps answered as expected"
