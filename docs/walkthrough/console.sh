#!/usr/bin/env bash
# The staff console (/console) end to end in headless Chromium: a town caseworker logs in, finds a
# case by 受理编号 and by ID number, accepts it, books the home visit for 14:00–16:30 (the resident is
# told the day), records a two-person home visit (an investigator of another town refused with a
# Chinese field error), writes an opinion that departs from the engine's amount with its reason and
# starts the public notice; eight
# days later (POST /dev/v1/clock/advance) the notice is closed and the county officer approves; a
# foreign-area officer cannot open the case; a scanned PDF of an assisted application (帮办代办) is
# previewed inline and its items accepted and rejected with a reason, the household sheet in words; an
# administrator creates an account whose first login must change its password, resets it and loads a
# calendar year after its preview; the auditor is offered no action on a case awaiting 受理 and reads
# the audit log in words; a stale second tab shows the conflict message and reloads; investigators
# are picked by name (another town's not offered), the worklist's Excel ledger is downloaded, the
# 受理通知书 printed in 年月日 and a dashboard tile opens its list. The test is tests/browser/console.mjs (playwright-core, pinned in
# tests/browser/package-lock.json, driving Debian's /usr/bin/chromium — no browser is downloaded).
#
#   docs/walkthrough/console.sh                    # against B (default http://127.0.0.1:8080); when
#                                                   # nothing answers there and B is not set, it builds
#                                                   # and starts an embedded server of its own
#   B=http://127.0.0.1:PORT docs/walkthrough/console.sh   # as CI runs it, against a running embedded server
# Screenshots of each screen go to tests/browser/artifacts/ (or ARTIFACTS=dir).
# It skips (exit 0, saying why) only when chromium or node/npm is absent; anything else that goes
# wrong, npm ci included, fails it.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ] || ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "SKIP console browser test: needs $CHROMIUM (apt-get install chromium fonts-wqy-zenhei), node and npm" \
		"(chromium: $([ -x "$CHROMIUM" ] && echo yes || echo no), node: $(command -v node || echo no), npm: $(command -v npm || echo no))"
	exit 0
fi

SERVER_PID=""
TMP=""
cleanup() {
	local rc=$?
	if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
	if [ -n "$TMP" ]; then rm -rf "$TMP"; fi
	exit "$rc"
}
trap cleanup EXIT

if [ -z "${B:-}" ]; then
	B=http://127.0.0.1:8080
	if ! curl -fs "$B/healthz" >/dev/null 2>&1; then
		TMP=$(mktemp -d /tmp/palmaid-console.XXXXXX)
		PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		echo "no server at $B: starting an embedded one on 127.0.0.1:$PORT (data in $TMP)"
		(cd "$ROOT" && go build -o "$TMP/palmaid" .)
		PALMAID_MODE=embedded PALMAID_STAFF_2FA_ROLES=auditor PALMAID_HTTP_ADDR="127.0.0.1:$PORT" PALMAID_DATA_DIR="$TMP/data" PALMAID_LOG_LEVEL=warn \
			"$TMP/palmaid" serve >"$TMP/server.log" 2>&1 &
		SERVER_PID=$!
		B="http://127.0.0.1:$PORT"
		for _ in $(seq 60); do curl -fs "$B/healthz" >/dev/null 2>&1 && break; sleep 1; done
		curl -fs "$B/healthz" >/dev/null || { tail -n 30 "$TMP/server.log"; echo "FAILED: the server did not start" >&2; exit 1; }
	fi
fi

cd "$ROOT/tests/browser"
if [ ! -d node_modules/playwright-core ]; then
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null || { echo "FAILED: npm ci in tests/browser" >&2; exit 1; }
fi
B="$B" CHROMIUM="$CHROMIUM" node console.mjs
