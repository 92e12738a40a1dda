#!/usr/bin/env bash
# The README's production runbook, run for real by CI: docs/runbook/production.sh — the script
# the README tells a county's IT person to run — in production mode on MariaDB and Redis from an
# empty database (make build and install into a temporary prefix, settings file, migrate up,
# admin bootstrap with the password on stdin, areas import of the 莘县 extract, the calendar step
# skipped as it is until next year's file exists, serve, /readyz). Then CI's own checks with the
# installed binary: an idempotent re-import, one town's extract, a calendar year loaded from the
# test fixture, and the administrator's HTTP flow (docs/walkthrough/production.sh). WeChat is not
# contacted: none of these steps calls it (production mode refuses the simulator).
#
#   RUNBOOK_DSN='user:pw@tcp(127.0.0.1:3306)/palmaid_runbook' \
#   RUNBOOK_MYSQL='mariadb -uuser -ppw -h127.0.0.1' .ci/production-runbook.sh
#
# RUNBOOK_MYSQL is a client command allowed to create and drop the DSN's database (CI's own
# account: it cannot create users, so the runbook's step 3 — database and user — is given the
# DSN and says it skips). PALMAID_BIN, when set, is used instead of building and installing.
# The database, the Redis keys (a fresh prefix), the server and the temporary files are removed
# on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

: "${RUNBOOK_DSN:?set RUNBOOK_DSN}" "${RUNBOOK_MYSQL:?set RUNBOOK_MYSQL}"
DB=${RUNBOOK_DSN##*/}
DB=${DB%%\?*}
read -r -a MYSQL <<<"$RUNBOOK_MYSQL"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PREFIX_KEYS="runbook$(date +%s)$$:"
TMP=$(mktemp -d /tmp/palmaid-runbook.XXXXXX)

cleanup() {
	local rc=$?
	set +e
	if [ -f "$TMP/data/palmaid.pid" ]; then
		pid=$(cat "$TMP/data/palmaid.pid")
		kill "$pid" 2>/dev/null && while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
	fi
	[ $rc -ne 0 ] && [ -f "$TMP/data/palmaid.log" ] && tail -n 30 "$TMP/data/palmaid.log"
	"${MYSQL[@]}" -e "DROP DATABASE IF EXISTS \`$DB\`"
	redis-cli -h 127.0.0.1 -p 6379 --scan --pattern "$PREFIX_KEYS*" | xargs -r redis-cli -h 127.0.0.1 -p 6379 del >/dev/null
	rm -rf "$TMP"
	exit $rc
}
trap cleanup EXIT

"${MYSQL[@]}" -e "CREATE DATABASE \`$DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
ADMIN_PASSWORD="runbook-$(openssl rand -hex 8)"

# The runbook, as a user runs it; only the places are CI's (prefix, settings file, data, port).
PREFIX="$TMP/prefix" ENV_FILE="$TMP/etc/palmaid.env" PALMAID_DATA_DIR="$TMP/data" PALMAID_DB_DSN="$RUNBOOK_DSN" \
	PALMAID_REDIS_PREFIX="$PREFIX_KEYS" PALMAID_HTTP_ADDR="127.0.0.1:$PORT" PALMAID_LOG_LEVEL=warn \
	PALMAID_WECHAT_APP_ID="wx$(openssl rand -hex 8)" PALMAID_WECHAT_APP_SECRET="$(openssl rand -hex 16)" \
	ADMIN_PASSWORD="$ADMIN_PASSWORD" \
	docs/runbook/production.sh

printf '\n== CI: checks after the runbook, with the installed binary\n'
PALMAID=${PALMAID_BIN:-$TMP/prefix/bin/palmaid}
set -a
. "$TMP/etc/palmaid.env"
set +a
export PALMAID_REDIS_PREFIX="$PREFIX_KEYS" PALMAID_HTTP_ADDR="127.0.0.1:$PORT" PALMAID_LOG_LEVEL=warn
[ "$(stat -c %a "$TMP/etc/palmaid.env")" = 600 ] || { echo "the settings file is not mode 0600"; exit 1; }
out=$("$PALMAID" areas import docs/areas/shenxian-371522.csv --within 371522 --as sx_admin)
grep -q "0 added, 0 renamed, 0 reactivated, 0 marked inactive, 905 unchanged" <<<"$out" || { echo "the second import changed something: $out"; exit 1; }
echo "areas import again: nothing changed"
# One town's share, as `areas extract` cuts it out of the published files (here out of the extract).
"$PALMAID" areas extract --within 371522106 -o "$TMP/town.csv" docs/areas/shenxian-371522.csv
out=$("$PALMAID" areas import "$TMP/town.csv" --within 371522106 --as sx_admin --dry-run)
grep -q "40 rows, 0 added, 0 renamed, 0 reactivated, 0 marked inactive, 40 unchanged" <<<"$out" || { echo "the town's extract differs: $out"; exit 1; }
echo "one town's extract: 40 rows, all unchanged"
# The calendar step with a year file (a test fixture: the real one is the State Council's notice).
out=$("$PALMAID" calendar load 2027 api/server/testdata/calendar-2027-fixture.json --as sx_admin)
grep -v '^{' <<<"$out"

printf '\n== the administrator'"'"'s flow over HTTP (docs/walkthrough/production.sh)\n'
B="http://127.0.0.1:$PORT" ADMIN=sx_admin ADMIN_PASSWORD="$ADMIN_PASSWORD" AREA_TOWN=371522001000 WRITES_OK=yes \
	bash docs/walkthrough/production.sh

printf '\n== CI: the runbook a second time (settings file kept: nothing is created twice)\n'
# (the areas import marks inactive the one village production.sh added, as a re-import should)
pid=$(cat "$TMP/data/palmaid.pid")
kill "$pid" && while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
out=$(PREFIX="$TMP/prefix" ENV_FILE="$TMP/etc/palmaid.env" PALMAID_REDIS_PREFIX="$PREFIX_KEYS" PALMAID_HTTP_ADDR="127.0.0.1:$PORT" \
	PALMAID_LOG_LEVEL=warn ADMIN_PASSWORD="$ADMIN_PASSWORD" docs/runbook/production.sh 2>&1) || { echo "$out"; exit 1; }
for want in "reading $TMP/etc/palmaid.env" "skipped: PALMAID_DB_DSN names" "skipped: the first administrator exists already" \
	"905 rows, 0 added, 0 renamed, 0 reactivated, 1 marked inactive, 905 unchanged" '"status":"ready"'; do
	grep -qF "$want" <<<"$out" || { echo "$out"; echo "the second run lacks: $want"; exit 1; }
done
echo "second run: ok (settings read, database and administrator kept, the county's areas unchanged, ready)"
