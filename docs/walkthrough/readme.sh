#!/usr/bin/env bash
# Every sh block of README.md, run verbatim against a running embedded server, in order and in
# one shell (as a reader pastes them into one terminal: B, TOKEN, CASE … carry over). Each block
# is marked on the line before its fence:
#   <!-- run -->                        runs here; must print something and no error envelope
#   <!-- run: errors CODE… -->          runs here; its output holds exactly these error codes
#   <!-- not run: REASON -->            not runnable here, and why (TestReadmeBlocksAreMarked
#                                       checks every block carries one of the three)
# A block fails on a non-zero status (set -eo pipefail: a jq syntax error fails it — CI's jq is
# Debian 12's 1.6), on empty output, or on error codes other than the marked ones.
#   go run .   then   docs/walkthrough/readme.sh   (B=http://host:port to point elsewhere)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export B=${B:-http://127.0.0.1:8080}
command -v jq >/dev/null || { echo "readme.sh needs jq (apt-get install jq)" >&2; exit 2; }
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT

# Split README.md into blocks: $DIR/N.sh (the code), $DIR/N.mark (the marker), $DIR/N.line.
awk -v dir="$DIR" '
	/^```sh$/ { n++; inb = 1; print prev > (dir "/" n ".mark"); print NR > (dir "/" n ".line"); printf "" > (dir "/" n ".sh"); next }
	inb && /^```$/ { inb = 0; next }
	inb { print >> (dir "/" n ".sh"); next }
	{ prev = $0 }
' README.md

# One script of every runnable block, each preceded by a line that delimits its output.
: >"$DIR/all.sh"
n=0 ran=0 skipped=0
while [ -f "$DIR/$((n + 1)).sh" ]; do
	n=$((n + 1))
	mark=$(cat "$DIR/$n.mark")
	case "$mark" in
	"<!-- run -->" | "<!-- run: errors "*) ;;
	"<!-- not run: "*)
		skipped=$((skipped + 1))
		echo "README block $n (line $(cat "$DIR/$n.line")): not run — ${mark#<!-- not run: }" | sed 's/ -->$//'
		continue
		;;
	*)
		echo "README block $n (line $(cat "$DIR/$n.line")) has no <!-- run --> or <!-- not run: REASON --> marker" >&2
		exit 1
		;;
	esac
	ran=$((ran + 1))
	printf 'printf "\\n@@README-BLOCK %d@@\\n"\n' "$n" >>"$DIR/all.sh"
	cat "$DIR/$n.sh" >>"$DIR/all.sh"
done
printf 'printf "\\n@@README-BLOCK end@@\\n"\n' >>"$DIR/all.sh"

status=0
bash -eo pipefail "$DIR/all.sh" >"$DIR/out" 2>&1 || status=$?
# Check each block's share of the output.
awk -v dir="$DIR" '/^@@README-BLOCK [0-9a-z]+@@$/ { cur = $2; sub(/@@$/, "", cur); printf "" > (dir "/" cur ".out"); next } cur != "" { print >> (dir "/" cur ".out") }' "$DIR/out"
last=$(grep -o '^@@README-BLOCK [0-9a-z]*@@$' "$DIR/out" | tail -n 1 | tr -dc '0-9a-z' | sed 's/^READMEBLOCK//')
if [ $status -ne 0 ]; then
	echo "FAILED: README block $last (line $(cat "$DIR/$last.line" 2>/dev/null)) exited $status; its output:" >&2
	cat "$DIR/$last.out" >&2 2>/dev/null
	exit 1
fi
for ((i = 1; i <= n; i++)); do
	[ -f "$DIR/$i.out" ] || continue
	line=$(cat "$DIR/$i.line")
	mark=$(cat "$DIR/$i.mark")
	want=""
	case "$mark" in "<!-- run: errors "*) want=$(sed 's/^<!-- run: errors //; s/ -->$//' <<<"$mark" | tr ' ' '\n' | sort -u | xargs) ;; esac
	got=$(grep -o '"code": *"[a-z_]*\.[a-z_.]*"' "$DIR/$i.out" | sed 's/.*"\([^"]*\)"$/\1/' | sort -u | xargs || true)
	if ! grep -q '[^[:space:]]' "$DIR/$i.out"; then
		echo "FAILED: README block $i (line $line) printed nothing" >&2
		exit 1
	fi
	if [ "$got" != "$want" ]; then
		echo "FAILED: README block $i (line $line): error codes [$got], marked [$want]; its output:" >&2
		cat "$DIR/$i.out" >&2
		exit 1
	fi
	echo "README block $i (line $line): ok ($(grep -c . "$DIR/$i.out") lines${want:+, errors as marked: $want})"
done
echo "README: $ran blocks ran, $skipped marked not runnable"
