# Shared by the walkthroughs (sourced, not run: CI runs docs/walkthrough/*.sh only). Each script
# sets -euo pipefail first; B points at the server (default http://127.0.0.1:8080).

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

resident() { # login-name name idNumber → token (identity bound)
	call POST /mp/v1/auth/login "" "{\"code\":\"dev:$1\"}" 200
	local tok
	tok=$(jq -r .token <<<"$OUT")
	call PUT /mp/v1/me/identity "$tok" "{\"name\":\"$2\",\"idNumber\":\"$3\"}" 200
	echo "$tok"
}

# solo_facts NAME ID [EMPLOYMENT]: the declaration of a household of one (rural, local 户籍,
# chronic illness, a small pension, assets declared, no supporters, an essential expense).
solo_facts() {
	printf '{"residence":"rural","members":[{"relation":"self","name":"%s","idNumber":"%s","hukouType":"local","health":"chronic","workAbility":"partial","employment":"%s"}],"income":[{"member":0,"kind":"pension","amountCents":15000,"period":"monthly","source":"城乡居民养老保险"}],"assets":{"declared":true,"depositCents":200000},"noSupporters":true,"essentialSpendingCents":500000}' "$1" "$2" "${3:-farming}"
}

# apply TOKEN DRAFT_JSON: the one intake path (issue 21) — a draft with its declaration
# (POST /mp/v1/drafts), then its submission; leaves the submitted case in $OUT.
apply() {
	local tok=$1 draft=$2 id v
	call POST /mp/v1/drafts "$tok" "$draft" 201
	id=$(jq -r .id <<<"$OUT")
	v=$(jq -r .version <<<"$OUT")
	call POST "/mp/v1/cases/$id/submit" "$tok" "{\"version\":$v,\"pledgeAccepted\":true,\"authorizationAccepted\":true}" 200
}
