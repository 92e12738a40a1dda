#!/usr/bin/env bash
# The resident's message centre, a complaint to the county, and personal-data rights, against a
# running embedded server:
#   go run .                            # in one terminal (embedded mode: demo data, WeChat simulator, /dev routes)
#   docs/walkthrough/message-centre.sh  # in another (needs curl and jq); B=http://host:port to point elsewhere
# Each run uses new residents and ID numbers, so it can be run again on the same server.
# It prints each step's status and exits non-zero on the first answer it did not expect.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

echo "== 1. A resident applies; the town accepts; the message centre counts one unread message"
SELF=$(idnum 19620418)
NAME="walk-centre-$RUN"
TOK=$(resident "$NAME" 孙信 "$SELF")
apply "$TOK" "{\"villageCode\":\"371522106200\",\"address\":\"孙庄村3组2号\",\"categories\":[\"minimum_living\"],
  \"reason\":\"独居老人，无固定收入\",\"facts\":$(solo_facts 孙信 "$SELF")}"
CASE=$(jq -r .id <<<"$OUT")
call GET /mp/v1/messages/unread-count "$TOK" "" 200
expect .unread 0
EAST=$(staff_login town_east)
call POST "/api/v1/cases/$CASE/accept" "$EAST" '{"version":2}' 200
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
call GET "/mp/v1/cases/$CASE" "$TOK" "" 200
expect .canRate true
call POST "/mp/v1/cases/$CASE/rating" "$TOK" '{"stars":4,"comment":"办理及时"}' 201
expect .label 满意
# The progress screen is cached by case and version: the rating bumped the version, so the
# next read shows it (never the cached view read just above).
call GET "/mp/v1/cases/$CASE" "$TOK" "" 200
expect .canRate false
expect .rating.stars 4
call POST /mp/v1/me/deletion "$TOK" '{"confirm":true}' 204
call GET /mp/v1/me "$TOK" "" 401
call GET "/api/v1/cases/$CASE" "$EAST" "" 200
expect .status withdrawn

echo
echo "message-centre walkthrough: all steps answered as expected"
