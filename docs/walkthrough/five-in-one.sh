#!/usr/bin/env bash
# The five-in-one review from application to decision, against a running embedded server:
#   go run .            # in one terminal (embedded mode: demo data, WeChat simulator, /dev routes)
#   docs/walkthrough/five-in-one.sh   # in another (needs curl and jq); B=http://host:port to point elsewhere
# It can be run again on the same server: each run uses new residents and new ID numbers, and moves
# the server's demo clock forward 8 days (POST /dev/v1/clock/advance) for the public notice.
# It prints each step's status and exits non-zero on the first answer it did not expect.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

echo "== 1. A resident applies for 低保 for a household of two"
SELF=$(idnum 19580302)
SPOUSE=$(idnum 19600715)
TOK=$(resident "walk-dibao-$RUN" 赵大 "$SELF")
# What the economic-status data sources will answer for the applicant (the embedded simulator's
# default is "nothing found"; negative=true would make the check come back abnormal).
call POST /dev/v1/data-check/answers "" "{\"idNumber\":\"$SELF\",\"negative\":false}" 204
# The household's declaration: a draft (members, 户籍, health, work, income, assets), then the
# spouse's own confirmation from her WeChat, then submission.
call POST /mp/v1/drafts "$TOK" "{\"villageCode\":\"371522106200\",\"address\":\"孙庄村5组8号\",\"categories\":[\"minimum_living\"],
  \"reason\":\"夫妻二人均无劳动能力，收入低于当地低保标准\",
  \"facts\":{\"residence\":\"rural\",
    \"members\":[{\"relation\":\"self\",\"name\":\"赵大\",\"idNumber\":\"$SELF\",\"hukouType\":\"local\",\"health\":\"chronic\",\"workAbility\":\"none\",\"employment\":\"none\"},
               {\"relation\":\"spouse\",\"name\":\"钱二\",\"idNumber\":\"$SPOUSE\",\"hukouType\":\"local\",\"health\":\"chronic\",\"workAbility\":\"none\",\"employment\":\"none\"}],
    \"income\":[{\"member\":0,\"kind\":\"pension\",\"amountCents\":30000,\"period\":\"monthly\",\"source\":\"城乡居民养老保险\"}],
    \"assets\":{\"declared\":true,\"depositCents\":500000}}}" 201
CASE=$(jq -r .id <<<"$OUT")
expect .status draft
SPOUSE_CONSENT=$(jq -r '.application.consents[] | select(.subject=="member" and .position==1) | .id' <<<"$OUT")
# The spouse already uses the mini-program with her identity bound: the invitation reaches her
# message centre too (no personal data in it), not only through the applicant's WeChat share.
SPOUSE_TOK=$(resident "walk-dibao-spouse-$RUN" 钱二 "$SPOUSE")
call POST "/mp/v1/cases/$CASE/consents/$SPOUSE_CONSENT/invitation" "$TOK" "" 201
INVITE=$(jq -r .token <<<"$OUT")
call POST /dev/v1/notify/run "" "" 200
call GET /mp/v1/messages "$SPOUSE_TOK" "" 200
expect '.items[0].title' 申请待确认
call GET "/mp/v1/invitations/$INVITE" "$SPOUSE_TOK" "" 200
call POST "/mp/v1/invitations/$INVITE/confirm" "$SPOUSE_TOK" "{\"pledgeAccepted\":true,\"authorizationAccepted\":true,\"textVersion\":\"$(jq -r .textVersion <<<"$OUT")\"}" 200
call GET "/mp/v1/cases/$CASE" "$TOK" "" 200
expect .application.canSubmit true
call POST "/mp/v1/cases/$CASE/submit" "$TOK" "{\"version\":$(version),\"pledgeAccepted\":true,\"authorizationAccepted\":true}" 200
expect .status submitted

EAST=$(staff_login town_east)
EAST2=$(staff_login town_east2)
COUNTY=$(staff_login county)
COUNTY2=$(staff_login county2)

echo "== 2. The town's worklist, then 受理 (the 3-working-day clock to start the investigation)"
call GET "/api/v1/worklists" "$EAST" "" 200
call GET "/api/v1/cases/$CASE" "$EAST" "" 200
call POST "/api/v1/cases/$CASE/accept" "$EAST" "{\"version\":$(version),\"opinion\":\"材料齐全，予以受理\"}" 200
expect .status accepted
expect '.deadlines[] | select(.step=="investigation" and .state=="open") | .days' 3

echo "== 3. Investigation: data check (the simulator answers for the household) and a home visit by two officers"
call POST "/api/v1/cases/$CASE/start-investigation" "$EAST" "{\"version\":$(version)}" 200
expect .stage check_and_visit
call POST "/api/v1/cases/$CASE/data-check" "$COUNTY" "{\"version\":$(version),\"summary\":\"收入、财产核对未见异常\"}" 200
expect '.dataChecks[-1].outcome' pass
TODAY=$(jq -r '.history[-1].at[0:10]' <<<"$OUT")
# The home visit is booked first: the day and window reach the applicant (message and timeline).
call POST "/api/v1/cases/$CASE/visit-appointment" "$EAST" "{\"version\":$(version),\"on\":\"$TODAY\",\"from\":\"14:00\",\"to\":\"17:00\",\"investigators\":[\"town_east\",\"county2\"]}" 200
expect '.history[-1].action' schedule_visit
call POST /dev/v1/notify/run "" "" 200
call GET "/mp/v1/cases/$CASE" "$TOK" "" 200
expect '.timeline[-1].label' 预约入户调查
call GET /mp/v1/messages "$TOK" "" 200
expect '.items[0].title' 申请待入户
call GET "/api/v1/cases/$CASE" "$EAST" "" 200
call POST "/api/v1/cases/$CASE/visits" "$EAST" "{\"version\":$(version),\"visitedOn\":\"$TODAY\",\"investigators\":[\"town_east\"],\"findings\":\"x\",\"familyConfirmed\":true}" 422
expect .error.code case.visit_needs_two_investigators
call GET "/api/v1/cases/$CASE" "$EAST" "" 200
call POST "/api/v1/cases/$CASE/visits" "$EAST" "{\"version\":$(version),\"visitedOn\":\"$TODAY\",\"investigators\":[\"town_east\",\"county2\"],\"findings\":\"家中无大额财产，住房简陋\",\"familyConfirmed\":true}" 200

echo "== 4. 初审 for all five categories (pre-filled from the eligibility engine), then 7 days of public notice in the village"
call GET "/api/v1/cases/$CASE" "$EAST" "" 200
AMOUNT=$(jq -r '.suggestedOpinion[] | select(.category=="minimum_living" and .memberPosition==null) | .monthlyCents' <<<"$OUT")
echo "         the engine suggests 低保 $AMOUNT 分/月: $(jq -r '.suggestedOpinion[] | select(.category=="minimum_living" and .memberPosition==null) | .basis' <<<"$OUT" | cut -c1-80)…"
[ -n "$AMOUNT" ] && [ "$AMOUNT" -gt 0 ] || fail "no suggested 低保 amount"
call POST "/api/v1/cases/$CASE/opinion" "$EAST" "{\"version\":$(version),\"entries\":[{\"category\":\"minimum_living\",\"outcome\":\"approved\",\"monthlyCents\":$((AMOUNT + 10000))},
  {\"category\":\"extreme_hardship\",\"outcome\":\"not_applicable\"},{\"category\":\"temporary_aid\",\"outcome\":\"not_applicable\"},
  {\"category\":\"edge_household\",\"outcome\":\"not_applicable\"},{\"category\":\"illness_poverty\",\"outcome\":\"not_applicable\"}]}" 422
expect .error.code case.deviation_reason_required
call GET "/api/v1/cases/$CASE" "$EAST" "" 200
call POST "/api/v1/cases/$CASE/opinion" "$EAST" "{\"version\":$(version),\"summary\":\"符合低保条件\",\"entries\":[
  {\"category\":\"minimum_living\",\"outcome\":\"approved\",\"monthlyCents\":$AMOUNT},
  {\"category\":\"extreme_hardship\",\"outcome\":\"not_applicable\"},{\"category\":\"temporary_aid\",\"outcome\":\"not_applicable\"},
  {\"category\":\"edge_household\",\"outcome\":\"not_applicable\"},{\"category\":\"illness_poverty\",\"outcome\":\"not_applicable\"}]}" 200
expect .status opinion_given
call POST "/api/v1/cases/$CASE/notice" "$EAST" "{\"version\":$(version)}" 200
expect .status public_notice
V=$(version)
call GET /mp/v1/villages/371522106200/notices "" "" 200
echo "         the board shows: $(jq -c '[.items[] | {nameMasked, categories, endsOn}] | .[-1]' <<<"$OUT")"
call POST "/api/v1/cases/$CASE/notice/close" "$EAST" "{\"version\":$V}" 422
expect .error.code case.notice_running
call POST /dev/v1/clock/advance "" '{"days":8}' 200
echo "         the demo clock is now $(jq -r .now <<<"$OUT")"
# A staff session ends 12 hours after login (and after 30 idle minutes): eight days later the
# officers log in again.
EAST=$(staff_login town_east)
COUNTY=$(staff_login county)
COUNTY2=$(staff_login county2)
call POST "/api/v1/cases/$CASE/notice/close" "$EAST" "{\"version\":$V}" 200
expect .status reviewing
expect .deciderLevel county

echo "== 5. 审核确认 at the county: the officer who visited may not decide (four eyes); another does"
ENTRIES='[{"category":"minimum_living","outcome":"approved","monthlyCents":'"$AMOUNT"'},{"category":"extreme_hardship","outcome":"not_applicable"},{"category":"temporary_aid","outcome":"not_applicable"},{"category":"edge_household","outcome":"not_applicable"},{"category":"illness_poverty","outcome":"not_applicable"}]'
V=$(version)
call POST "/api/v1/cases/$CASE/decision" "$COUNTY2" "{\"version\":$V,\"entries\":$ENTRIES}" 403
expect .error.code case.four_eyes
call POST "/api/v1/cases/$CASE/decision" "$COUNTY" "{\"version\":$V,\"note\":\"同意\",\"entries\":$ENTRIES}" 200
expect .status decided
expect '.decisions[] | select(.outcome=="approved") | .monthlyCents' "$AMOUNT"

echo "== 6. The resident sees the decision and every step"
call GET "/mp/v1/cases/$CASE" "$TOK" "" 200
expect .status decided
echo "         timeline: $(jq -r '[.timeline[].action] | join(" → ")' <<<"$OUT")"

echo "== 7. Urgent 临时救助: granted by the town the same day, paperwork back-filled later"
URG=$(idnum 19850610)
TOK2=$(resident "walk-urgent-$RUN" 周急 "$URG")
apply "$TOK2" "{\"villageCode\":\"371522106200\",\"address\":\"孙庄村2组1号\",\"categories\":[\"temporary_aid\"],
  \"reason\":\"房屋失火，基本生活无着\",\"facts\":$(solo_facts 周急 "$URG")}"
CASE2=$(jq -r .id <<<"$OUT")
call GET "/api/v1/cases/$CASE2" "$EAST" "" 200
expect .urgent true
call POST "/api/v1/cases/$CASE2/urgent-grant" "$EAST" "{\"version\":$(version),\"amountCents\":200000,\"reason\":\"房屋失火，基本生活无着\"}" 200
expect .status urgent_granted
expect '.decisions[] | select(.category=="temporary_aid") | .oneOffCents' 200000
expect '.deadlines[] | select(.step=="backfill") | .state' open
call POST "/api/v1/cases/$CASE2/backfill" "$EAST" "{\"version\":$(version),\"note\":\"已补齐申请书、授权书和事实材料\"}" 200
expect .status decided

echo "== 8. Another town's officer gets the same 404 as for a case that does not exist"
WEST=$(staff_login town_west)
call GET "/api/v1/cases/$CASE" "$WEST" "" 404
expect .error.code case.not_found

echo
echo "five-in-one walkthrough: all steps answered as expected"
