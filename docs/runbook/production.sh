#!/usr/bin/env bash
# palmaid's production runbook, as a script (README.md, "Production: the runbook"): from a checkout,
# on a machine with MariaDB ≥ 10.6 (or MySQL 8) and Redis ≥ 6 running, it installs the binary,
# writes the settings, creates the database and its user, migrates, creates the first
# administrator, imports the county's areas, loads a holiday year when its file exists, starts
# the server and waits until /readyz answers. CI runs this same script from an empty database
# (.ci/production-runbook.sh).
#
#   sudo env PATH="$PATH" PALMAID_WECHAT_APP_ID=wx… PALMAID_WECHAT_APP_SECRET=… docs/runbook/production.sh
#
# Settings (environment; defaults in brackets):
#   PALMAID_WECHAT_APP_ID, PALMAID_WECHAT_APP_SECRET   required on the first run (开发管理 → 开发设置)
#   PALMAID_REALNAME_VERIFIER [desk_only] wechat_cityservice once WeChat approved the real-name check;
#                                        desk_only: identities are confirmed by an officer at the desk
#                                        (production refuses to start with neither, docs/SECURITY.md)
#   PREFIX [/usr/local]                  the binary goes to $PREFIX/bin/palmaid (make build, then install)
#   PALMAID_BIN                          use this binary instead of building and installing one
#   PALMAID_DATA_DIR [/var/lib/palmaid]  uploads and the server's log; must be outside the checkout
#   ENV_FILE [/etc/palmaid/palmaid.env]  the settings, written on the first run (mode 0600, with the
#                                        generated keys and database password), read on later runs;
#                                        also usable as a systemd EnvironmentFile
#   PALMAID_DB_DSN                       an existing database and user: step 3 is skipped
#   DB_ADMIN [mariadb]                   a client allowed to create the database and its user
#   PALMAID_REDIS_ADDR [127.0.0.1:6379]
#   ADMIN_USER [sx_admin], ADMIN_AREA [371522000000], ADMIN_NAME, ADMIN_PASSWORD (else asked twice)
#   AREAS_WITHIN [371522], AREAS_FILES [docs/areas/shenxian-371522.csv]  (space-separated)
#   CALENDAR_YEAR [next year], CALENDAR_FILE [holidays-$CALENDAR_YEAR.json]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
CHECKOUT=$PWD

step() { printf '\n== %s\n' "$*"; }
die() { printf 'runbook: %s\n' "$*" >&2; exit 1; }

step "1. the binary"
if [ -n "${PALMAID_BIN:-}" ]; then
	PALMAID=$PALMAID_BIN
	echo "using $PALMAID (PALMAID_BIN)"
else
	PREFIX=${PREFIX:-/usr/local}
	make build
	install -D -m 0755 palmaid "$PREFIX/bin/palmaid"
	PALMAID=$PREFIX/bin/palmaid
	echo "installed $PALMAID ($("$PALMAID" version))"
fi

step "2. the settings"
ENV_FILE=${ENV_FILE:-/etc/palmaid/palmaid.env}
if [ -f "$ENV_FILE" ]; then
	echo "reading $ENV_FILE (written by an earlier run: edit it to change a setting; delete it only with the database, the keys are in it)"
	set -a
	# shellcheck disable=SC1090
	. "$ENV_FILE"
	set +a
	CREATE_DB=""
else
	: "${PALMAID_WECHAT_APP_ID:?set PALMAID_WECHAT_APP_ID (the mini-program's AppID)}"
	: "${PALMAID_WECHAT_APP_SECRET:?set PALMAID_WECHAT_APP_SECRET (the mini-program's AppSecret)}"
	PALMAID_DATA_DIR=${PALMAID_DATA_DIR:-/var/lib/palmaid}
	case "$(realpath -m "$PALMAID_DATA_DIR")/" in
	"$CHECKOUT"/*) die "PALMAID_DATA_DIR=$PALMAID_DATA_DIR is inside the checkout: choose a directory outside it, e.g. /var/lib/palmaid" ;;
	esac
	CREATE_DB=yes
	if [ -n "${PALMAID_DB_DSN:-}" ]; then
		CREATE_DB=""
	else
		DB_PASSWORD=$(openssl rand -hex 16)
		PALMAID_DB_DSN="palmaid:$DB_PASSWORD@tcp(127.0.0.1:3306)/palmaid"
	fi
	install -d -m 0700 "$(dirname "$ENV_FILE")"
	(
		umask 077
		{
			printf "%s='%s'\n" PALMAID_MODE production PALMAID_DATA_DIR "$PALMAID_DATA_DIR" \
				PALMAID_DB_DSN "$PALMAID_DB_DSN" PALMAID_REDIS_ADDR "${PALMAID_REDIS_ADDR:-127.0.0.1:6379}" \
				PALMAID_REALNAME_VERIFIER "${PALMAID_REALNAME_VERIFIER:-desk_only}" \
				PALMAID_WECHAT_APP_ID "$PALMAID_WECHAT_APP_ID" PALMAID_WECHAT_APP_SECRET "$PALMAID_WECHAT_APP_SECRET" \
				PALMAID_DATA_KEY "$(openssl rand -hex 16)" PALMAID_INDEX_KEY "$(openssl rand -hex 32)"
		} >"$ENV_FILE"
	)
	set -a
	# shellcheck disable=SC1090
	. "$ENV_FILE"
	set +a
	echo "wrote $ENV_FILE (mode 0600): keep a copy of PALMAID_DATA_KEY and PALMAID_INDEX_KEY, data is unreadable without them"
fi
install -d -m 0700 "$PALMAID_DATA_DIR"
echo "PALMAID_MODE=$PALMAID_MODE, data in $PALMAID_DATA_DIR, Redis at $PALMAID_REDIS_ADDR"

step "3. the database and its user (utf8mb4)"
if [ -z "$CREATE_DB" ]; then
	echo "skipped: PALMAID_DB_DSN names a database and user that exist already"
else
	read -r -a DB_CLIENT <<<"${DB_ADMIN:-mariadb}"
	"${DB_CLIENT[@]}" -e "CREATE DATABASE palmaid CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
  CREATE USER 'palmaid'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
  CREATE USER 'palmaid'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
  GRANT ALL PRIVILEGES ON palmaid.* TO 'palmaid'@'localhost', 'palmaid'@'127.0.0.1';"
	echo "database palmaid and user palmaid created (the password is in $ENV_FILE)"
fi

step "4. the schema"
"$PALMAID" migrate up

step "5. the first administrator"
ADMIN_USER=${ADMIN_USER:-sx_admin}
ADMIN_AREA=${ADMIN_AREA:-371522000000}
bootstrap=("$PALMAID" admin bootstrap --username "$ADMIN_USER" --area "$ADMIN_AREA" --name "${ADMIN_NAME:-莘县民政局管理员}")
ERR=$(mktemp)
trap 'rm -f "$ERR"' EXIT
status=0
if [ -n "${ADMIN_PASSWORD:-}" ]; then
	echo "$ADMIN_PASSWORD" | "${bootstrap[@]}" 2> >(tee "$ERR" >&2) || status=$?
else
	"${bootstrap[@]}" 2> >(tee "$ERR" >&2) || status=$?
fi
if [ $status -ne 0 ]; then
	# A second run: the administrator exists, and bootstrap never makes a second one.
	grep -q "administrator account(s) already exist" "$ERR" || exit $status
	echo "skipped: the first administrator exists already"
fi

step "6. the county's areas"
read -r -a AREAS <<<"${AREAS_FILES:-docs/areas/shenxian-371522.csv}"
out=$("$PALMAID" areas import "${AREAS[@]}" --within "${AREAS_WITHIN:-371522}" --as "$ADMIN_USER" --dry-run)
head -n 4 <<<"$out"
out=$("$PALMAID" areas import "${AREAS[@]}" --within "${AREAS_WITHIN:-371522}" --as "$ADMIN_USER")
head -n 2 <<<"$out"

step "7. the holiday calendar"
CALENDAR_YEAR=${CALENDAR_YEAR:-$(($(date +%Y) + 1))}
CALENDAR_FILE=${CALENDAR_FILE:-holidays-$CALENDAR_YEAR.json}
if [ -f "$CALENDAR_FILE" ]; then
	out=$("$PALMAID" calendar load "$CALENDAR_YEAR" "$CALENDAR_FILE" --as "$ADMIN_USER")
	grep -v '^{' <<<"$out" || true
else
	echo "skipped: no $CALENDAR_FILE yet. When the State Council publishes $CALENDAR_YEAR's holidays (around"
	echo "November), write them in the format of api/server/testdata/calendar-2027-fixture.json"
	echo "(README.md, \"Holiday calendar\") and run: $PALMAID calendar load $CALENDAR_YEAR $CALENDAR_FILE --as $ADMIN_USER"
fi

step "8. subscribe templates"
if [ -n "${PALMAID_NOTIFY_TEMPLATES:-}" ]; then
	echo "PALMAID_NOTIFY_TEMPLATES=$PALMAID_NOTIFY_TEMPLATES (checked when the server starts)"
else
	echo "none: in-app messages only. Add PALMAID_NOTIFY_TEMPLATES to $ENV_FILE (README.md, \"Subscribe-message templates\")"
fi

step "9. serve, then wait for readiness"
ADDR=${PALMAID_HTTP_ADDR:-:8080}
READY="http://127.0.0.1:${ADDR##*:}/readyz"
LOG=$PALMAID_DATA_DIR/palmaid.log
nohup "$PALMAID" serve >>"$LOG" 2>&1 &
PID=$!
echo "$PID" >"$PALMAID_DATA_DIR/palmaid.pid"
for _ in $(seq 120); do
	if curl -fs "$READY" >/dev/null 2>&1; then break; fi
	kill -0 "$PID" 2>/dev/null || { tail -n 20 "$LOG"; die "palmaid serve exited (log: $LOG)"; }
	sleep 0.5
done
curl -fsS "$READY" || { tail -n 20 "$LOG"; die "not ready after 60 s: $READY (log: $LOG)"; }
echo
echo "palmaid serves on $ADDR (pid $PID, log $LOG); stop it with: kill $PID"
