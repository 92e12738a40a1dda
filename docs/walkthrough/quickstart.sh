#!/usr/bin/env bash
# The README's quick start as a script, against a running embedded server:
#   go run .                           # in one terminal (embedded mode: demo data, WeChat simulator)
#   docs/walkthrough/quickstart.sh     # in another (needs curl and jq); B=http://host:port to point elsewhere
# A resident logs in through the WeChat simulator, proves who they are and applies; the 古云镇
# caseworker logs in and finds the application in the staff list (name masked); the caseworker of
# the other town cannot see it. Re-runnable on the same server: every run uses a new WeChat user,
# new ID numbers and a new Idempotency-Key. Each step prints "METHOD PATH -> status"; the script
# exits non-zero on the first answer it did not expect. To start again from nothing, stop the
# server and delete its data directory (./data by default).
set -euo pipefail

B=${B:-http://127.0.0.1:8080}
RUN=$(date +%s%N | tail -c 10)$RANDOM
PASSWORD=palmaid-demo-2026
TMP=$(mktemp)
trap 'rm -f "$TMP"' EXIT

command -v jq >/dev/null || { echo "quickstart.sh needs jq (apt-get install jq)" >&2; exit 2; }

fail() { echo "FAILED: $*" >&2; exit 1; }

# call METHOD PATH TOKEN BODY WANT_STATUS [HEADER]: prints "METHOD PATH -> status (want …)",
# leaves the body in $OUT.
call() {
	local method=$1 path=$2 token=$3 body=$4 want=$5 header=${6:-}
	local args=(-s -o "$TMP" -w '%{http_code}' -X "$method" "$B$path")
	[ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' -d "$body")
	[ -n "$header" ] && args+=(-H "$header")
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
	OUT=$(cat "$TMP")
	printf '%-6s %-44s -> %s (expected %s)\n' "$method" "$path" "$got" "$want"
	[ "$got" = "$want" ] || fail "$method $path answered $got, expected $want: $OUT"
}

# expect JQ_FILTER VALUE: a field of the last answer must equal VALUE.
expect() {
	local got
	got=$(jq -r "$1" <<<"$OUT")
	[ "$got" = "$2" ] || fail "$1 is '$got', expected '$2' in: $OUT"
	printf '         %s = %s\n' "$1" "$got"
}

# idnum SEQ: a checksum-valid ID number (GB 11643) in the demo county, unique per run: the birth
# date and the sequence number come from $RUN.
idnum() {
	local n=$((10#${RUN: -8})) sum=0 i
	local year=$((1940 + n % 40)) month=$((1 + (n / 40) % 12)) day=$((1 + (n / 480) % 28))
	local body
	body=$(printf '990101%04d%02d%02d%02d%d' "$year" "$month" "$day" $(((n / 13440) % 100)) "$1")
	local w=(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2)
	for i in $(seq 0 16); do sum=$((sum + ${body:$i:1} * ${w[$i]})); done
	local checks=10X98765432
	echo "$body${checks:$((sum % 11)):1}"
}

echo "== 0. The server answers"
call GET /healthz "" "" 200
expect .status ok

echo "== 1. A resident logs in with a WeChat code (the simulator maps dev:<name> to one user)"
call POST /mp/v1/auth/login "" "{\"code\":\"dev:qs-$RUN\"}" 200
TOKEN=$(jq -r .token <<<"$OUT")
[ -n "$TOKEN" ] && [ "$TOKEN" != null ] || fail "no token in $OUT"
call POST /mp/v1/auth/login "" '{"code":"not-a-code"}' 401
expect .error.code auth.code_invalid

echo "== 2. Real name and ID number (checked); the answer shows them masked"
SELF=$(idnum 1)
call PUT /mp/v1/me/identity "$TOKEN" "{\"name\":\"张三\",\"idNumber\":\"$SELF\"}" 200
grep -q "$SELF" <<<"$OUT" && fail "the identity answer shows the full ID number: $OUT"
call PUT /mp/v1/me/identity "$TOKEN" '{"name":"张三","idNumber":"110105194912310021"}' 400

echo "== 3. An application for 低保 and 临时救助: the declaration as a draft (the rules' document list and"
echo "      the consents follow from it), then submitted"
FACTS="{\"residence\":\"rural\",\"members\":[{\"relation\":\"self\",\"name\":\"张三\",\"idNumber\":\"$SELF\",\"hukouType\":\"local\",
  \"health\":\"chronic\",\"workAbility\":\"partial\",\"employment\":\"farming\"}],
  \"income\":[{\"member\":0,\"kind\":\"pension\",\"amountCents\":15000,\"period\":\"monthly\",\"source\":\"城乡居民养老保险\"}],
  \"assets\":{\"declared\":true,\"depositCents\":200000},\"essentialSpendingCents\":500000}"
call POST /mp/v1/drafts "$TOKEN" "{\"villageCode\":\"371522106200\",\"address\":\"孙庄村3组12号\",\"categories\":[\"minimum_living\",\"temporary_aid\"],
  \"reason\":\"年老多病，家庭收入难以维持基本生活\",\"facts\":$FACTS}" 201
CASE=$(jq -r .id <<<"$OUT")
expect .status draft
call POST "/mp/v1/cases/$CASE/submit" "$TOKEN" "{\"version\":$(jq -r .version <<<"$OUT"),\"pledgeAccepted\":true,\"authorizationAccepted\":true}" 200
expect .status submitted
expect '.application.consents[0].state' confirmed
call GET "/mp/v1/cases/$CASE" "$TOKEN" "" 200
expect .id "$CASE"

echo "== 4. The 古云镇 caseworker logs in; an unknown account is refused like a wrong password"
# (a wrong password for town_east would count towards its 15-minute lockout on every run)
call POST /api/v1/auth/login "" "{\"username\":\"nobody-$RUN\",\"password\":\"not-the-password\"}" 401
expect .error.code auth.bad_credentials
call POST /api/v1/auth/login "" "{\"username\":\"town_east\",\"password\":\"$PASSWORD\"}" 200
STAFF=$(jq -r .token <<<"$OUT")
call GET /api/v1/me "$STAFF" "" 200
expect .username town_east

echo "== 5. The staff list shows the new application, the applicant's name masked"
call GET "/api/v1/cases?status=submitted&category=minimum_living" "$STAFF" "" 200
expect "[.items[] | select(.id == \"$CASE\")] | length" 1
NAME=$(jq -r ".items[] | select(.id == \"$CASE\") | .applicantNameMasked" <<<"$OUT")
[ "$NAME" != "张三" ] || fail "the staff list shows the applicant's full name"
echo "         applicantNameMasked = $NAME"
call GET "/api/v1/cases/$CASE" "$STAFF" "" 200
expect .status submitted

echo "== 6. The other town's caseworker gets 404, as for a case that does not exist"
call POST /api/v1/auth/login "" "{\"username\":\"town_west\",\"password\":\"$PASSWORD\"}" 200
OTHER=$(jq -r .token <<<"$OUT")
call GET "/api/v1/cases/$CASE" "$OTHER" "" 404

echo "quickstart OK: case $CASE"
