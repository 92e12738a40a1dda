#!/usr/bin/env bash
# The residents' mini-program (miniprogram/, Taro 4 + React + TypeScript): installs it (npm ci),
# builds the WeChat package and the H5 version, prints their sizes (the WeChat main package must
# stay under 2 MB, or this fails), runs the unit tests of the forms' rules, then drives the H5
# build in headless Chromium against the server at B: a daughter applies for her mother from
# login to the decision (the mother confirms from her own phone in care mode; the staff's steps
# go through the staff API), an upload is refused for its type on the phone, a submission without
# signal and one whose answer is lost submit once (one Idempotency-Key), a neighbour objects on the
# notice board, the daughter sees 我的保障 and 发放记录, rates the service and downloads her data; in
# other families the mother takes a case over and withdraws it, a father with no phone confirms on
# paper, and the neighbour deletes her account. The test is miniprogram/e2e/journey.mjs (playwright-core pinned in
# miniprogram/package-lock.json, driving Debian's /usr/bin/chromium — no browser is downloaded).
#
#   docs/walkthrough/miniprogram.sh                    # against B (default http://127.0.0.1:8080)
#   B=http://127.0.0.1:PORT docs/walkthrough/miniprogram.sh   # as CI runs it, against a running embedded server
# Screenshots of each screen go to miniprogram/e2e/artifacts/ (or ARTIFACTS=dir). The builds are
# skipped when dist/ was built from the same sources (miniprogram/dist/.sources).
# It skips (exit 0, saying why) only when chromium or node/npm is absent; anything else that goes
# wrong, npm ci included, fails it.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ] || ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "SKIP mini-program test: needs $CHROMIUM (apt-get install chromium fonts-wqy-zenhei), node and npm" \
		"(chromium: $([ -x "$CHROMIUM" ] && echo yes || echo no), node: $(command -v node || echo no), npm: $(command -v npm || echo no))"
	exit 0
fi
B=${B:-http://127.0.0.1:8080}
curl -fs "$B/healthz" >/dev/null || { echo "FAILED: no palmaid answers at $B (start one: go run . in embedded mode)" >&2; exit 1; }

cd "$ROOT/miniprogram"
t=$SECONDS
if [ ! -d node_modules/@tarojs/cli ] || [ ! -d node_modules/playwright-core ]; then
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/tmp/palmaid-mp-npm.$$ 2>&1 ||
		{ tail -n 20 /tmp/palmaid-mp-npm.$$; rm -f /tmp/palmaid-mp-npm.$$; echo "FAILED: npm ci in miniprogram" >&2; exit 1; }
	rm -f /tmp/palmaid-mp-npm.$$
	echo "npm ci: $((SECONDS - t)) s"
fi

# Rebuild only when the sources changed since the last build; the two targets build side by side.
sources=$(cat package-lock.json babel.config.js tsconfig.json project.config.json $(find config src types -type f | sort) | sha256sum | cut -c1-16)
t=$SECONDS
pids=()
for target in weapp h5; do
	if [ "$(cat "dist/.sources-$target" 2>/dev/null)" != "$sources" ] || [ ! -d "dist/$target" ]; then
		npm run "build:$target" >"/tmp/palmaid-mp-$target.$$" 2>&1 &
		pids+=("$!:$target")
	else
		echo "build:$target: up to date"
	fi
done
for p in "${pids[@]}"; do
	target=${p#*:}
	if ! wait "${p%%:*}"; then
		tail -n 30 "/tmp/palmaid-mp-$target.$$"
		rm -f /tmp/palmaid-mp-weapp.$$ /tmp/palmaid-mp-h5.$$
		echo "FAILED: npm run build:$target" >&2
		exit 1
	fi
	echo "$sources" >"dist/.sources-$target"
	echo "build:$target: done at $((SECONDS - t)) s"
done
rm -f /tmp/palmaid-mp-weapp.$$ /tmp/palmaid-mp-h5.$$
node scripts/size.mjs
node --test test/ >/tmp/palmaid-mp-unit.$$ 2>&1 || { cat /tmp/palmaid-mp-unit.$$; rm -f /tmp/palmaid-mp-unit.$$; echo "FAILED: unit tests (npm run test:unit)" >&2; exit 1; }
echo "unit tests: $(grep -E '^# pass' /tmp/palmaid-mp-unit.$$ | cut -c3-)"
rm -f /tmp/palmaid-mp-unit.$$
B="$B" CHROMIUM="$CHROMIUM" node e2e/journey.mjs
