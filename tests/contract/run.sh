#!/usr/bin/env bash
# Contract check of docs/openapi.json with third-party tools (CI: .ci/run, step "contract"):
#   1. Redocly CLI lints the document with tests/contract/redocly.yaml: zero errors.
#   2. Every docs/walkthrough/*.sh runs through Stoplight Prism in proxy mode with --errors, in
#      front of a fresh embedded server: a request or an answer that the document does not allow
#      makes Prism answer 422/500 instead (so the walkthrough fails), and any violation Prism
#      logs, even a warning, fails this script. Requests a walkthrough sends without credentials
#      on purpose (to see the 401) are answered 401 by Prism itself; they are counted, not failed.
# Both tools are pinned in tests/contract/package-lock.json and installed with npm ci.
# Usage: tests/contract/run.sh PALMAID_BINARY WORKDIR
set -euo pipefail

BIN=${1:?palmaid binary}
WORK=${2:?work directory}
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$(cd ../.. && pwd)
mkdir -p "$WORK"
# A copy: Prism reloads a document that changes under it, mid-run.
SPEC="$WORK/openapi.json"
cp "$ROOT/docs/openapi.json" "$SPEC"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_up() { # wait_up URL SECONDS
	local i
	for ((i = 0; i < $2; i++)); do
		curl -fs "$1" >/dev/null 2>&1 && return 0
		sleep 1
	done
	return 1
}

PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		# a stopped server's wait status is 143: not this script's result
		{ kill "$p" && wait "$p"; } 2>/dev/null || true
	done
	return 0
}
trap cleanup EXIT

npm ci --no-audit --no-fund >"$WORK/npm.log" 2>&1 || {
	tail -n 5 "$WORK/npm.log"
	echo "contract: npm ci in tests/contract failed" >&2
	exit 1
}

echo "--- Redocly lint (tests/contract/redocly.yaml)"
node_modules/.bin/redocly lint --config redocly.yaml --format=summary "$SPEC" 2>&1 | grep -v -e '^ *║' -e '^ *╔' -e '^ *╚' || {
	echo "contract: Redocly lint reports errors in docs/openapi.json" >&2
	exit 1
}

PORT=$(free_port)
PPORT=$(free_port)
mkdir -p "$WORK/data"
PALMAID_RATE_LIMIT_SCALE=10 PALMAID_MODE=embedded PALMAID_HTTP_ADDR="127.0.0.1:$PORT" PALMAID_DATA_DIR="$WORK/data" PALMAID_LOG_LEVEL=warn \
	"$BIN" serve >"$WORK/server.log" 2>&1 &
PIDS+=($!)
wait_up "http://127.0.0.1:$PORT/healthz" 60 || {
	tail -n 20 "$WORK/server.log"
	echo "contract: the server did not start" >&2
	exit 1
}
# node directly (not npx), so that stopping it by its pid stops Prism itself.
node node_modules/@stoplight/prism-cli/dist/index.js proxy "$SPEC" "http://127.0.0.1:$PORT" \
	--errors -h 127.0.0.1 -p "$PPORT" >"$WORK/prism.log" 2>&1 &
PIDS+=($!)
wait_up "http://127.0.0.1:$PPORT/healthz" 60 || {
	tail -n 20 "$WORK/prism.log"
	echo "contract: Prism did not start" >&2
	exit 1
}
echo "--- walkthroughs through Prism (proxy on 127.0.0.1:$PPORT, server on 127.0.0.1:$PORT)"
for s in "$ROOT"/docs/walkthrough/*.sh; do
	t=$SECONDS
	if ! B="http://127.0.0.1:$PPORT" bash "$s" >"$WORK/$(basename "$s").log" 2>&1; then
		tail -n 15 "$WORK/$(basename "$s").log"
		grep -a -i -e 'violation' "$WORK/prism.log" | tail -n 10 || true
		echo "contract: $s failed through Prism" >&2
		exit 1
	fi
	echo "$(basename "$s"): ok ($((SECONDS - t))s)"
done
violations=$(grep -a -c -i -e 'violation' "$WORK/prism.log" || true)
unauth=$(grep -a -c -e 'errors#UNAUTHORIZED' "$WORK/prism.log" || true)
requests=$(grep -a -c -e 'Request received' "$WORK/prism.log" || true)
echo "Prism: $requests requests, $violations violations, $unauth answered 401 by Prism (sent without credentials on purpose)"
if [ "$violations" != 0 ]; then
	grep -a -i -e 'violation' "$WORK/prism.log" | sort | uniq -c | sort -rn | head -n 20
	echo "contract: Prism found violations of docs/openapi.json" >&2
	exit 1
fi
