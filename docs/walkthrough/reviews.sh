#!/usr/bin/env bash
# Dynamic management of recipients (issue 25), against a running embedded server:
#   go run .            # in one terminal (embedded mode: demo data, WeChat simulator, /dev routes)
#   docs/walkthrough/reviews.sh   # in another (needs curl, jq); B=http://host:port to point elsewhere
# Two 低保 households are decided. One reports an income rise from the mini-program: the report
# opens a review on the town's worklist, the town records its 核查 (a home visit by two staff)
# and proposes a decrease, the county decides it — the new amount is paid from the month after
# the decision, the written notice is due within 3 working days with the 复议/诉讼 routes, and
# the review closes with the notice served. The other is reviewed ahead of its date and steps
# out through 渐退 (three months: 100 %, 50 %, 50 %, then terminated); a 渐退 beyond the region's
# six months is refused. A member's death opens a review due three months after the death date. A
# new 低保 standard from next month is previewed for every active household of the county and
# applied when a second county officer approves it. A 失信 record on the first household's head is
# drafted, notified, answered by the person and confirmed: a later review shows it, refusing nothing.
# It can be run again on the same server: each run uses new residents and moves the demo clock
# forward 8 days (the public notice).
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

WHY='"deviationReason":"按入户调查核实的情况提出"'
NA='{"category":"temporary_aid","outcome":"not_applicable",'"$WHY"'},{"category":"edge_household","outcome":"not_applicable",'"$WHY"'},{"category":"illness_poverty","outcome":"not_applicable",'"$WHY"'}'

relogin() {
	EAST=$(staff_login town_east)
	WEST=$(staff_login town_west)
	COUNTY=$(staff_login county)
}
relogin

# to_notice CASE ENTRIES: accept, investigate, 初审, public notice.
to_notice() {
	local case=$1 entries=$2 today
	call GET "/api/v1/cases/$case" "$EAST" "" 200
	call POST "/api/v1/cases/$case/accept" "$EAST" "{\"version\":$(version)}" 200
	call POST "/api/v1/cases/$case/start-investigation" "$EAST" "{\"version\":$(version)}" 200
	call POST "/api/v1/cases/$case/data-check" "$COUNTY" "{\"version\":$(version),\"summary\":\"收入、财产核对未见异常\"}" 200
	today=$(jq -r '.history[-1].at[0:10]' <<<"$OUT")
	call POST "/api/v1/cases/$case/visits" "$EAST" "{\"version\":$(version),\"visitedOn\":\"$today\",\"investigators\":[\"town_east\",\"town_east2\"],\"findings\":\"家中无大额财产\",\"familyConfirmed\":true}" 200
	call POST "/api/v1/cases/$case/opinion" "$EAST" "{\"version\":$(version),\"entries\":$entries}" 200
	call POST "/api/v1/cases/$case/notice" "$EAST" "{\"version\":$(version)}" 200
}

# review_version ID: the review's current version.
review_version() {
	call GET "/api/v1/reviews/$1" "$EAST" "" 200
	version
}

echo "== 1. Two 低保 households are decided (see payments.sh for the roster that pays them)"
A_ID=$(idnum 19620302)
A_TOK=$(resident "walk-rv-a-$RUN" 孔大 "$A_ID")
apply "$A_TOK" "{\"villageCode\":\"371522106200\",\"address\":\"孙庄村5组1号\",\"categories\":[\"minimum_living\"],\"reason\":\"收入低于当地低保标准\",\"facts\":$(solo_facts 孔大 "$A_ID")}"
A_CASE=$(jq -r .id <<<"$OUT")
B_ID=$(idnum 19640415)
B_TOK=$(resident "walk-rv-b-$RUN" 孔二 "$B_ID")
apply "$B_TOK" "{\"villageCode\":\"371522106200\",\"address\":\"孙庄村5组2号\",\"categories\":[\"minimum_living\"],\"reason\":\"收入低于当地低保标准\",\"facts\":$(solo_facts 孔二 "$B_ID")}"
B_CASE=$(jq -r .id <<<"$OUT")
ENTRIES='[{"category":"minimum_living","outcome":"approved","monthlyCents":60000,'"$WHY"'},{"category":"extreme_hardship","outcome":"not_applicable",'"$WHY"'},'"$NA"']'
to_notice "$A_CASE" "$ENTRIES"
to_notice "$B_CASE" "$ENTRIES"
call POST /dev/v1/clock/advance "" '{"days":8}' 200
relogin
for C in "$A_CASE" "$B_CASE"; do
	call GET "/api/v1/cases/$C" "$EAST" "" 200
	call POST "/api/v1/cases/$C/notice/close" "$EAST" "{\"version\":$(version)}" 200
	call GET "/api/v1/cases/$C" "$COUNTY" "" 200
	call POST "/api/v1/cases/$C/decision" "$COUNTY" "{\"version\":$(version),\"entries\":$ENTRIES}" 200
done
call GET /mp/v1/benefits "$A_TOK" "" 200
A_BEN=$(jq -r '.items[0].id' <<<"$OUT")
echo "         next review of a stable household: $(jq -r '.items[0].nextReviewOn' <<<"$OUT") (review.minimum_living_stable_months)"
call GET /mp/v1/benefits "$B_TOK" "" 200
B_BEN=$(jq -r '.items[0].id' <<<"$OUT")

echo "== 2. A reported income rise: the mini-program report opens a review; strangers get 404"
OTHER=$(resident "walk-rv-other-$RUN" 路人 "$(idnum 19900101)")
call POST "/mp/v1/benefits/$A_BEN/changes" "$OTHER" '{"kind":"income","summary":"x"}' 404
expect .error.code benefit.not_found
call POST "/mp/v1/benefits/$A_BEN/changes" "$A_TOK" '{"kind":"income","summary":"本人在县城务工，月工资2600元"}' 201
RV=$(jq -r .reviewId <<<"$OUT")
echo "         review $RV due $(jq -r .dueOn <<<"$OUT")"
call GET "/api/v1/reviews?kind=change_report" "$EAST" "" 200
[ "$(jq -r --arg r "$RV" '[.items[] | select(.id==$r)] | length' <<<"$OUT")" = 1 ] || fail "the report is not on the town's worklist"
call GET "/api/v1/reviews/$RV" "$WEST" "" 404

echo "== 3. The town's 核查 (a visit by two staff) and its proposal; the county decides"
call GET "/api/v1/reviews/$RV" "$EAST" "" 200
OPENED=$(jq -r .openedOn <<<"$OUT")
call POST "/api/v1/reviews/$RV/investigate" "$EAST" "{\"version\":$(version),\"findings\":\"入户核实：务工收入属实\",\"visitedOn\":\"$OPENED\",\"visitors\":[\"town_east\"]}" 422
expect .error.code review.visit_two_staff
call POST "/api/v1/reviews/$RV/investigate" "$EAST" "{\"version\":$(review_version "$RV"),\"findings\":\"入户核实：务工收入属实\",\"visitedOn\":\"$OPENED\",\"visitors\":[\"town_east\",\"town_east2\"]}" 200
call POST "/api/v1/reviews/$RV/propose" "$EAST" "{\"version\":$(version),\"outcome\":\"decrease\",\"monthlyCents\":25000,\"variable\":true,\"reason\":\"务工收入增加，人均收入仍低于低保标准\"}" 200
call POST "/api/v1/reviews/$RV/decide" "$EAST" "{\"version\":$(version)}" 403
call POST "/api/v1/reviews/$RV/decide" "$COUNTY" "{\"version\":$(review_version "$RV")}" 200
expect .status decided
expect '.changes[0].kind' decrease
echo "         decided $(jq -r .decidedOn <<<"$OUT"), effective $(jq -r .effectiveMonth <<<"$OUT"); written notice due $(jq -r .noticeDueOn <<<"$OUT")"
echo "         remedies: $(jq -r .remedies <<<"$OUT")"
SERVED=$(jq -r .decidedOn <<<"$OUT")
call GET "/api/v1/benefits/$A_BEN" "$COUNTY" "" 200
expect .monthlyCents 25000
echo "         changes: $(jq -c '[.changes[] | "\(.effectiveMonth) \(.kind) \(.monthlyCents)"]' <<<"$OUT"); next review $(jq -r .nextReviewOn <<<"$OUT") (variable: six months)"
call POST "/api/v1/reviews/$RV/close" "$EAST" "{\"version\":$(review_version "$RV")}" 400
expect .error.code review.invalid_notice_date
call POST "/api/v1/reviews/$RV/close" "$EAST" "{\"version\":$(review_version "$RV"),\"noticeServedOn\":\"$SERVED\"}" 200
expect .status closed

echo "== 4. 渐退: at most the region's six months; a schedule of percentages, then terminated"
call POST "/api/v1/benefits/$B_BEN/reviews" "$EAST" '{"kind":"periodic","cause":"提前定期核查"}' 201
RV2=$(jq -r .id <<<"$OUT")
call POST "/api/v1/reviews/$RV2/investigate" "$EAST" "{\"version\":$(version),\"findings\":\"户主已稳定就业，家庭人均收入超过低保标准\"}" 200
call POST "/api/v1/reviews/$RV2/propose" "$EAST" "{\"version\":$(version),\"outcome\":\"gradual_exit\",\"gradualMonths\":7,\"reason\":\"就业增收\"}" 422
expect .error.code review.gradual_months
call POST "/api/v1/reviews/$RV2/propose" "$EAST" "{\"version\":$(review_version "$RV2"),\"outcome\":\"gradual_exit\",\"gradualMonths\":3,\"schedulePct\":[100,50,50],\"reason\":\"就业增收，给予渐退\"}" 200
call POST "/api/v1/reviews/$RV2/decide" "$COUNTY" "{\"version\":$(version)}" 200
echo "         changes: $(jq -c '[.changes[] | "\(.effectiveMonth) \(.kind) \(.monthlyCents)"]' <<<"$OUT")"
[ "$(jq -r '[.changes[].monthlyCents] | join(",")' <<<"$OUT")" = "60000,30000,30000,0" ] || fail "the 渐退 schedule"
call GET "/api/v1/benefits/$B_BEN" "$COUNTY" "" 200
expect .status gradual_exit
echo "         paid through $(jq -r .effectiveTo <<<"$OUT")"

echo "== 5. A member's death opens a review due three months after the death date"
DIED=$(jq -r '.changes[0].decidedAt[0:10]' <<<"$OUT")
call POST "/api/v1/benefits/$A_BEN/reviews" "$EAST" "{\"kind\":\"death\",\"eventOn\":\"$DIED\",\"cause\":\"户主配偶去世\"}" 201
expect .kind death
echo "         died $DIED, review due $(jq -r .dueOn <<<"$OUT")"
call GET "/api/v1/reviews?overdue=true" "$COUNTY" "" 200

echo "== 6. 调标: a new standard for every active 低保 household of the county, approved by a second officer"
call POST /dev/v1/clock/advance "" '{"days":0}' 200
NEXT=$(TZ=Asia/Shanghai date -d "$(TZ=Asia/Shanghai date -d "$(jq -r .now <<<"$OUT")" +%Y-%m-01) +1 month" +%Y-%m)
call GET "/api/v1/benefits/$A_BEN" "$COUNTY" "" 200
S=$(($(jq -r '.breakdown[0].cents' <<<"$OUT") + 5000))
call POST /api/v1/standard-changes "$COUNTY" "{\"standardCents\":$S,\"effectiveMonth\":\"$NEXT\"}" 201
BATCH=$(jq -r .id <<<"$OUT")
echo "         $(jq -r .households <<<"$OUT") households: $(jq -r .oldTotalCents <<<"$OUT") → $(jq -r .newTotalCents <<<"$OUT") fen a month from $NEXT"
echo "         household A: $(jq -c --arg b "$A_BEN" '.lines[] | select(.benefitId==$b) | {oldCents,newCents,incomeCents}' <<<"$OUT")"
call POST "/api/v1/standard-changes/$BATCH/approve" "$COUNTY" '{"version":1}' 403
expect .error.code standard.four_eyes
COUNTY2=$(staff_login county2)
call POST "/api/v1/standard-changes/$BATCH/approve" "$COUNTY2" '{"version":1}' 200
expect .status applied
call GET "/api/v1/benefits/$A_BEN" "$COUNTY" "" 200
expect '.changes[-1].kind' standard_change
expect '.changes[-1].effectiveMonth' "$NEXT"

echo "== 7. A 失信 record: drafted, notified, the person's statement, confirmed by the county; it refuses nothing"
call POST "/api/v1/benefits/$A_BEN/credit-records" "$EAST" '{"conduct":"unreported_change","level":"general","amountObtainedCents":70000,"facts":"务工收入两个月未按规定告知","civilCapacity":"limited"}' 422
expect .error.code credit.no_civil_capacity
call POST "/api/v1/benefits/$A_BEN/credit-records" "$EAST" '{"conduct":"unreported_change","level":"general","amountObtainedCents":70000,"facts":"务工收入两个月未按规定告知","civilCapacity":"full"}' 201
CR=$(jq -r .id <<<"$OUT")
call POST "/api/v1/credit-records/$CR/notify" "$EAST" '{"version":1}' 200
echo "         statement window until $(jq -r .statementDueOn <<<"$OUT")"
call GET /mp/v1/me/credit-records "$OTHER" "" 200
expect '.items | length' 0
call GET /mp/v1/me/credit-records "$A_TOK" "" 200
expect '.items[0].status' notified
call POST "/mp/v1/credit-records/$CR/statement" "$A_TOK" '{"statement":"刚开始务工，不清楚需要马上申报"}' 200
call POST "/api/v1/credit-records/$CR/confirm" "$COUNTY" '{"version":3}' 200
expect .status confirmed
call POST "/api/v1/benefits/$A_BEN/reviews" "$EAST" '{"kind":"warning","cause":"失信记录认定后加大核查力度"}' 201
expect '.creditFlags | length' 1
echo "         the review opened as any other; staff see: $(jq -c '.creditFlags[0] | {conduct, levelLabel, validTo}' <<<"$OUT")"
echo "OK: reviews walkthrough done"
