#!/usr/bin/env bash
# The README's production runbook, run for real by CI: production mode on MariaDB and Redis from
# an empty database — migrate up, admin bootstrap (password on stdin), areas import of the 莘县
# extract (dry run, import, idempotent re-run), calendar load, serve, /readyz — and then the
# administrator's HTTP flow (docs/walkthrough/production.sh) against that server. WeChat is not
# contacted: none of these steps calls it (production mode refuses the simulator).
#
#   PALMAID_BIN=./palmaid RUNBOOK_DSN='user:pw@tcp(127.0.0.1:3306)/palmaid_runbook' \
#   RUNBOOK_MYSQL='mariadb -uuser -ppw -h127.0.0.1' .ci/production-runbook.sh
#
# RUNBOOK_MYSQL is a client command allowed to create and drop the DSN's database (CI's own
# account: it cannot create users, so step 1's CREATE USER of the README is the one step left
# out). The database, the Redis keys (a fresh prefix) and the server are removed on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

: "${PALMAID_BIN:?set PALMAID_BIN}" "${RUNBOOK_DSN:?set RUNBOOK_DSN}" "${RUNBOOK_MYSQL:?set RUNBOOK_MYSQL}"
DB=${RUNBOOK_DSN##*/}
DB=${DB%%\?*}
read -r -a MYSQL <<<"$RUNBOOK_MYSQL"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PREFIX="runbook$(date +%s)$$:"
LOG=$(mktemp /tmp/palmaid-runbook.XXXXXX)
PID=""

cleanup() {
	local rc=$?
	set +e
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	[ $rc -ne 0 ] && tail -n 30 "$LOG"
	"${MYSQL[@]}" -e "DROP DATABASE IF EXISTS \`$DB\`"
	redis-cli -h 127.0.0.1 -p 6379 --scan --pattern "$PREFIX*" | xargs -r redis-cli -h 127.0.0.1 -p 6379 del >/dev/null
	rm -f "$LOG"
	exit $rc
}
trap cleanup EXIT

say() { printf '\n-- %s\n' "$*"; }
run() { printf '$ palmaid %s\n' "$*"; "$PALMAID_BIN" "$@"; }

say "1. the database (utf8mb4)"
"${MYSQL[@]}" -e "CREATE DATABASE \`$DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"

say "2. the settings"
export PALMAID_MODE=production PALMAID_REALNAME_VERIFIER=desk_only PALMAID_DB_DSN="$RUNBOOK_DSN" PALMAID_REDIS_ADDR=127.0.0.1:6379 PALMAID_REDIS_PREFIX="$PREFIX"
export PALMAID_WECHAT_APP_ID=wx00000000runbook PALMAID_WECHAT_APP_SECRET=00000000000000000000000000000000
PALMAID_DATA_KEY=$(openssl rand -hex 16)
PALMAID_INDEX_KEY=$(openssl rand -hex 32)
export PALMAID_DATA_KEY PALMAID_INDEX_KEY PALMAID_HTTP_ADDR="127.0.0.1:$PORT" PALMAID_LOG_LEVEL=warn
echo "PALMAID_MODE=production, database $DB, Redis prefix $PREFIX, port $PORT"

say "3. the schema"
run migrate up

say "4. the first administrator"
PW="runbook-$(openssl rand -hex 8)"
echo "$PW" | run admin bootstrap --username sx_admin --area 371522000000 --name 莘县民政局管理员

say "5. the county's areas"
out=$(run areas import docs/areas/shenxian-371522.csv --within 371522 --as sx_admin --dry-run)
head -n 4 <<<"$out"
out=$(run areas import docs/areas/shenxian-371522.csv --within 371522 --as sx_admin)
head -n 2 <<<"$out"
out=$(run areas import docs/areas/shenxian-371522.csv --within 371522 --as sx_admin)
head -n 2 <<<"$out"
grep -q "0 added, 0 renamed, 0 reactivated, 0 marked inactive, 905 unchanged" <<<"$out" || { echo "the second import changed something"; exit 1; }
# One town's share, as `areas extract` cuts it out of the published files (here out of the extract).
TOWN_FILE=$(mktemp /tmp/palmaid-town.XXXXXX)
run areas extract --within 371522106 -o "$TOWN_FILE" docs/areas/shenxian-371522.csv
out=$(run areas import "$TOWN_FILE" --within 371522106 --as sx_admin --dry-run)
rm -f "$TOWN_FILE"
grep -q "40 rows, 0 added, 0 renamed, 0 reactivated, 0 marked inactive, 40 unchanged" <<<"$out" || { echo "the town's extract differs: $out"; exit 1; }

say "6. a calendar year (a test fixture here: the real file is the State Council's notice)"
out=$(run calendar load 2027 api/server/testdata/calendar-2027-fixture.json --as sx_admin)
grep -v '^{' <<<"$out"

say "7. serve, then readiness"
"$PALMAID_BIN" serve >"$LOG" 2>&1 &
PID=$!
for _ in $(seq 60); do
	curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break
	sleep 1
done
curl -fs "http://127.0.0.1:$PORT/readyz" || { echo "the production server is not ready"; exit 1; }
echo

say "the administrator's flow over HTTP (docs/walkthrough/production.sh)"
B="http://127.0.0.1:$PORT" ADMIN=sx_admin ADMIN_PASSWORD="$PW" AREA_TOWN=371522001000 WRITES_OK=yes \
	bash docs/walkthrough/production.sh
