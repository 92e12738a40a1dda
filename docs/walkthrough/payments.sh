#!/usr/bin/env bash
# After the decision: a decided 低保 household and a decided 特困 person become recipients (在保对象)
# and are paid through the county's monthly roster, against a running embedded server:
#   go run .            # in one terminal (embedded mode: demo data, WeChat simulator, /dev routes)
#   docs/walkthrough/payments.sh   # in another (needs curl, jq, sha256sum); B=http://host:port to point elsewhere
# The first month paid is the month after the decision's China-time date. The roster is prepared
# by the county, confirmed by the towns, refused to its preparer and approved by another officer,
# exported (its SHA-256 kept), fed back with the 低保 line failed, and closed; the next month's
# roster repays the failed line as arrears. The residents see both months; the county sees its
# statistics; the 低保 resident asks for another account and the town verifies it.
# It can be run again on the same server: each run uses new residents and moves the demo clock
# forward (8 days for the public notice, then to the next month twice).
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

# The opinion and decision entries the walkthrough does not approve; each opinion entry says why it
# differs from the eligibility engine where it does.
WHY='"deviationReason":"按入户调查核实的情况提出"'
NA='{"category":"temporary_aid","outcome":"not_applicable",'"$WHY"'},{"category":"edge_household","outcome":"not_applicable",'"$WHY"'},{"category":"illness_poverty","outcome":"not_applicable",'"$WHY"'}'

# to_reviewing CASE STAFF_TOKEN ENTRIES: accept, investigate, 初审, public notice (the clock is
# moved by the caller), leaving the case in $OUT.
to_notice() {
	local case=$1 tok=$2 entries=$3 today
	call GET "/api/v1/cases/$case" "$tok" "" 200
	call POST "/api/v1/cases/$case/accept" "$tok" "{\"version\":$(version)}" 200
	call POST "/api/v1/cases/$case/start-investigation" "$tok" "{\"version\":$(version)}" 200
	call POST "/api/v1/cases/$case/data-check" "$COUNTY" "{\"version\":$(version),\"summary\":\"收入、财产核对未见异常\"}" 200
	today=$(jq -r '.history[-1].at[0:10]' <<<"$OUT")
	call POST "/api/v1/cases/$case/visits" "$tok" "{\"version\":$(version),\"visitedOn\":\"$today\",\"investigators\":[\"town_east\",\"town_east2\"],\"findings\":\"家中无大额财产\",\"familyConfirmed\":true}" 200
	call POST "/api/v1/cases/$case/opinion" "$tok" "{\"version\":$(version),\"entries\":$entries}" 200
	call POST "/api/v1/cases/$case/notice" "$tok" "{\"version\":$(version)}" 200
}

# next_month_days: whole days from the demo clock ($NOW) to the 2nd of next month (China time).
next_month_days() {
	local now_s first
	now_s=$(date -d "$NOW" +%s)
	first=$(TZ=Asia/Shanghai date -d "$(TZ=Asia/Shanghai date -d "$NOW" +%Y-%m-01) +1 month +1 day" +%s)
	echo $(((first - now_s) / 86400 + 1))
}

# relogin: staff sessions end 12 hours after login; after a clock jump every officer logs in again.
relogin() {
	EAST=$(staff_login town_east)
	WEST=$(staff_login town_west)
	COUNTY=$(staff_login county)
	COUNTY2=$(staff_login county2)
	LEADER=$(staff_login county_leader)
}
relogin

echo "== 1. A 低保 household and a 特困 person apply and are taken to the county's decision"
DB_ID=$(idnum 19560302)
DB_TOK=$(resident "walk-pay-dibao-$RUN" 蒋大 "$DB_ID")
apply "$DB_TOK" "{\"villageCode\":\"371522106200\",\"address\":\"孙庄村3组2号\",\"categories\":[\"minimum_living\"],
  \"reason\":\"收入低于当地低保标准\",\"facts\":$(solo_facts 蒋大 "$DB_ID")}"
DB_CASE=$(jq -r .id <<<"$OUT")
DB_ENTRIES='[{"category":"minimum_living","outcome":"approved","monthlyCents":55000,'"$WHY"'},{"category":"extreme_hardship","outcome":"not_applicable",'"$WHY"'},'"$NA"']'
to_notice "$DB_CASE" "$EAST" "$DB_ENTRIES"

TK_ID=$(idnum 19380105)
TK_TOK=$(resident "walk-pay-tekun-$RUN" 沈老汉 "$TK_ID")
apply "$TK_TOK" "{\"villageCode\":\"371522106200\",\"address\":\"孙庄村1组9号\",\"categories\":[\"extreme_hardship\"],
  \"reason\":\"年老无劳动能力，无生活来源\",\"facts\":$(solo_facts 沈老汉 "$TK_ID" none)}"
TK_CASE=$(jq -r .id <<<"$OUT")
TK_ENTRIES='[{"category":"minimum_living","outcome":"not_applicable",'"$WHY"'},{"category":"extreme_hardship","memberPosition":0,"outcome":"approved","monthlyCents":111000,'"$WHY"'},'"$NA"']'
to_notice "$TK_CASE" "$EAST" "$TK_ENTRIES"

call POST /dev/v1/clock/advance "" '{"days":8}' 200
relogin
for C in "$DB_CASE" "$TK_CASE"; do
	call GET "/api/v1/cases/$C" "$EAST" "" 200
	call POST "/api/v1/cases/$C/notice/close" "$EAST" "{\"version\":$(version)}" 200
	expect .status reviewing
done

echo "== 2. The decisions: a start month before the month after the decision is refused; each approval creates the benefit in its transaction"
call GET "/api/v1/cases/$DB_CASE" "$COUNTY" "" 200
DECIDED_ON=$(jq -r '.history[-1].at[0:10]' <<<"$OUT")
THIS_MONTH=${DECIDED_ON:0:7}
call POST "/api/v1/cases/$DB_CASE/decision" "$COUNTY" "{\"version\":$(version),\"entries\":[{\"category\":\"minimum_living\",\"outcome\":\"approved\",\"monthlyCents\":55000,\"effectiveMonth\":\"$THIS_MONTH\"},{\"category\":\"extreme_hardship\",\"outcome\":\"not_applicable\"},$NA]}" 422
expect .error.code case.effective_month_too_early
call GET "/api/v1/cases/$DB_CASE" "$COUNTY" "" 200
call POST "/api/v1/cases/$DB_CASE/decision" "$COUNTY" "{\"version\":$(version),\"entries\":$DB_ENTRIES}" 200
FIRST=$(jq -r '.decisions[] | select(.outcome=="approved") | .effectiveMonth' <<<"$OUT")
echo "         decided on $(jq -r '.history[-1].at' <<<"$OUT"): paid from $FIRST"
# 特困: the county draws its spot-check sample (docs/walkthrough/spot-check.sh shows the draw), and a
# sampled case is checked in person by two officers who did not investigate it before approval.
call GET "/api/v1/cases/$TK_CASE" "$COUNTY" "" 200
TK_DAY=$(jq -r '.history[-1].at[0:10]' <<<"$OUT")
call POST /api/v1/spot-check-draws "$COUNTY" "{\"from\":\"$TK_DAY\",\"to\":\"$TK_DAY\"}" 201
if [ "$(jq -r --arg c "$TK_CASE" '.cases[] | select(.caseId==$c) | .sampled' <<<"$OUT")" = true ]; then
	call GET "/api/v1/cases/$TK_CASE" "$COUNTY" "" 200
	call POST "/api/v1/cases/$TK_CASE/spot-check" "$COUNTY" "{\"version\":$(version),\"checkedOn\":\"$TK_DAY\",\"place\":\"申请人家中\",\"officers\":[\"county\",\"county2\"],\"findings\":\"入户核实，情况属实\",\"confirmed\":true}" 200
fi
call GET "/api/v1/cases/$TK_CASE" "$COUNTY" "" 200
call POST "/api/v1/cases/$TK_CASE/decision" "$COUNTY" "{\"version\":$(version),\"entries\":$TK_ENTRIES}" 200

echo "== 3. 我的保障: category, amount and its breakdown, since when, next review"
call GET /mp/v1/benefits "$DB_TOK" "" 200
expect '.items | length' 1
expect '.items[0].category' minimum_living
expect '.items[0].since' "$FIRST"
expect '.items[0].monthlyCents' 55000
echo "         breakdown: $(jq -c '[.items[0].breakdown[] | "\(.label) \(.cents)"]' <<<"$OUT"); next review $(jq -r '.items[0].nextReviewOn' <<<"$OUT")"
DB_BEN=$(jq -r '.items[0].id' <<<"$OUT")
call GET /mp/v1/benefits "$TK_TOK" "" 200
expect '.items[0].category' extreme_hardship
expect '.items[0].since' "$FIRST"
TK_BEN=$(jq -r '.items[0].id' <<<"$OUT")
OTHER=$(resident "walk-pay-other-$RUN" 路人 "$(idnum 19900101)")
call GET "/mp/v1/benefits/$DB_BEN/payments" "$OTHER" "" 404
expect .error.code benefit.not_found

echo "== 4. The town records the payees' accounts (sealed; only the last four digits are shown)"
call PUT "/api/v1/benefits/$DB_BEN/account" "$EAST" '{"kind":"one_card_passbook","bank":"莘县农村商业银行","holderName":"蒋大","number":"6228480402564891357"}' 200
expect .accountTail4 1357
call PUT "/api/v1/benefits/$TK_BEN/account" "$EAST" '{"kind":"social_security_card","bank":"中国工商银行","holderName":"沈老汉","number":"6212260402564892468","custodyAgreement":"莘民代管〔2026〕12号"}' 200
expect .accountTail4 2468
call PUT "/api/v1/benefits/$DB_BEN/account" "$WEST" '{"kind":"bank_card","bank":"x","holderName":"x","number":"62284804025648900"}' 404

echo "== 5. The first month's rosters: prepared by the county, confirmed by the towns"
call POST /dev/v1/clock/advance "" "{\"days\":0}" 200
NOW=$(jq -r .now <<<"$OUT")
call POST /dev/v1/clock/advance "" "{\"days\":$(next_month_days)}" 200
NOW=$(jq -r .now <<<"$OUT")
echo "         the demo clock is now $NOW"
relogin
declare -A TOWN_USER=([371522106000]=town_east [371522103000]=town_west)
# prepare_and_pay CATEGORY FAIL_BENEFIT: the month's roster from draft to closed, with the line of
# FAIL_BENEFIT (if any) failed; leaves the roster id in $RID.
prepare_and_pay() {
	local cat=$1 fail_ben=$2 town tok lines sum ver code
	# The hourly roster-drafts job may have built it already (from the 1st); else the county prepares it.
	call GET "/api/v1/rosters?month=$MONTH" "$COUNTY" "" 200
	RID=$(jq -r --arg c "$cat" '[.items[] | select(.category == $c)][0].id // empty' <<<"$OUT")
	local ours=0
	if [ -z "$RID" ]; then
		ours=1
		call POST /api/v1/rosters "$COUNTY" "{\"month\":\"$MONTH\",\"category\":\"$cat\"}" 201
		RID=$(jq -r .id <<<"$OUT")
	else
		call GET "/api/v1/rosters/$RID" "$COUNTY" "" 200
	fi
	echo "         $cat $MONTH: $(jq -r '"\(.households) 户 \(.persons) 人 \(.totalCents) 分，发放日 \(.payByOn)（暂定 \(.payByProvisional)），乡镇核对截止 \(.confirmByOn)，较上月 新增 \(.diff.new) 停发 \(.diff.stopped) 变更 \(.diff.changed)"' <<<"$OUT")"
	# The towns confirm their own lines (unless the towns' deadline has already passed: then the
	# roster was checked on this read, the towns that did not confirm still listed).
	for town in $(jq -r 'select(.status == "draft") | .townsPending[]' <<<"$OUT"); do
		tok=$(staff_login "${TOWN_USER[$town]}")
		call GET "/api/v1/rosters/$RID" "$tok" "" 200
		expect .partial true
		call POST "/api/v1/rosters/$RID/confirm" "$tok" "{\"version\":$(version)}" 200
	done
	call GET "/api/v1/rosters/$RID" "$COUNTY" "" 200
	expect .status checked
	# Four eyes: the preparer may not approve; another officer does.
	if [ "$ours" = 1 ]; then
		call POST "/api/v1/rosters/$RID/approve" "$COUNTY" "{\"version\":$(version)}" 403
		expect .error.code roster.four_eyes
	fi
	call GET "/api/v1/rosters/$RID" "$COUNTY2" "" 200
	call POST "/api/v1/rosters/$RID/approve" "$COUNTY2" "{\"version\":$(version)}" 200
	expect .status approved
	# Approved lines are immutable.
	call POST "/api/v1/rosters/$RID/rebuild" "$COUNTY" "{\"version\":$(version)}" 409
	expect .error.code roster.wrong_state
	# The bank file: unmasked only with its own permission (the county leader's), audited, its hash kept.
	call POST "/api/v1/rosters/$RID/export?unmasked=true" "$COUNTY" "" 403
	curl -sf -D /tmp/palmaid-pay-h.$$ -o /tmp/palmaid-pay.$$ -X POST -H "Authorization: Bearer $LEADER" "$B/api/v1/rosters/$RID/export?unmasked=true" ||
		fail "unmasked export"
	sum=$(sha256sum /tmp/palmaid-pay.$$ | cut -d' ' -f1)
	grep -qi "x-file-sha256: $sum" /tmp/palmaid-pay-h.$$ || fail "the export's hash header is not the file's SHA-256"
	echo "         exported $(($(wc -l </tmp/palmaid-pay.$$) - 1)) lines, sha256 $sum"
	call GET "/api/v1/rosters/$RID" "$COUNTY" "" 200
	expect .status exported
	expect .fileSha256 "$sum"
	if [ -n "$fail_ben" ]; then
		# The bank's feedback as JSON: every line paid but FAIL_BENEFIT's (the lines are paged apart from the roster).
		ver=$(version)
		call GET "/api/v1/rosters/$RID/lines?limit=500" "$COUNTY" "" 200
		expect .nextCursor null
		lines=$(jq -c --arg f "$fail_ben" '[.items[] | if .benefitId == $f then {lineId: .id, status: "failed", reason: "账户已冻结"} else {lineId: .id, status: "paid"} end]' <<<"$OUT")
		call POST "/api/v1/rosters/$RID/feedback" "$COUNTY" "{\"version\":$ver,\"lines\":$lines}" 200
	else
		# The bank's feedback as its file: the exported file with 反馈状态 filled in (成功 on every
		# row), imported whole (the columns found by their headers).
		LC_ALL=C awk -F, -v OFS=, 'NR == 1 { sub(/\r$/, ""); for (i = 1; i <= NF; i++) if ($i ~ /反馈状态/) c = i; print; next }
			{ sub(/\r$/, ""); $c = "成功"; print }' /tmp/palmaid-pay.$$ >/tmp/palmaid-pay-answer.$$.csv
		code=$(curl -s -o /tmp/palmaid-walk.$$ -w '%{http_code}' -X POST -H "Authorization: Bearer $COUNTY" \
			-F "version=$(version)" -F "file=@/tmp/palmaid-pay-answer.$$.csv;type=text/csv" "$B/api/v1/rosters/$RID/feedback-file")
		OUT=$(cat /tmp/palmaid-walk.$$)
		echo "POST /api/v1/rosters/$RID/feedback-file (the bank's file) -> $code"
		[ "$code" = 200 ] || fail "feedback file: $code $OUT"
		rm -f /tmp/palmaid-pay-answer.$$.csv
	fi
	rm -f /tmp/palmaid-pay.$$ /tmp/palmaid-pay-h.$$
	expect .status fed_back
	call POST "/api/v1/rosters/$RID/close" "$COUNTY" "{\"version\":$(version)}" 200
	expect .status closed
}
MONTH=$FIRST
prepare_and_pay minimum_living "$DB_BEN"
DB_ROSTER=$RID
call GET "/api/v1/rosters/$DB_ROSTER/lines?status=failed&q=$DB_ID" "$COUNTY" "" 200
expect '.items | length' 1
expect "[.items[] | select(.benefitId==\"$DB_BEN\")][0].status" failed
prepare_and_pay extreme_hardship ""

echo "== 6. The next month: the failed 低保 line is repaid as arrears"
call POST /dev/v1/clock/advance "" "{\"days\":$(next_month_days)}" 200
NOW=$(jq -r .now <<<"$OUT")
relogin
MONTH=$(date -d "$FIRST-01 +1 month" +%Y-%m)
prepare_and_pay minimum_living ""
call GET "/api/v1/rosters/$RID/lines?q=$(jq -rn --arg s 蒋大 '$s|@uri')" "$COUNTY" "" 200
expect "[.items[] | select(.benefitId==\"$DB_BEN\" and .kind==\"arrears\")][0].forMonth" "$FIRST"
prepare_and_pay extreme_hardship ""

echo "== 7. The county's statistics of the first month; a town sees only its own"
call GET "/api/v1/benefit-stats?month=$FIRST" "$COUNTY" "" 200
echo "         $(jq -r '"在保 \(.recipients.households) 户 \(.recipients.persons) 人（城镇 \(.recipients.urban.households)，农村 \(.recipients.rural.households)），本月新增 \(.recipients.newThisMonth)；已发放 \(.money.paidThisMonthCents) 分，人均 \(.money.perCapitaCents) 分，失败 \(.money.failedLines) 笔"' <<<"$OUT")"
[ "$(jq '.money.failedLines >= 1' <<<"$OUT")" = true ] || fail "the failed 低保 line is not counted"
call GET "/api/v1/benefit-stats?month=$FIRST&area=371522103000" "$EAST" "" 404

echo "== 8. The residents see both months (发放记录)"
call GET "/mp/v1/benefits/$DB_BEN/payments" "$DB_TOK" "" 200
echo "         $(jq -c '[.payments[] | "\(.month) \(.kind) \(.forMonth) \(.cents) \(.statusLabel) 尾号\(.accountTail4)"]' <<<"$OUT")"
expect "[.payments[] | select(.month==\"$FIRST\")][0].statusLabel" 发放失败，将于下月补发
expect "[.payments[] | select(.month==\"$MONTH\" and .kind==\"arrears\")][0].statusLabel" 已发放
expect "[.payments[] | select(.month==\"$MONTH\" and .kind==\"regular\")][0].statusLabel" 已发放
call GET "/mp/v1/benefits/$TK_BEN/payments" "$TK_TOK" "" 200
expect '.payments | length' 2
expect '.payments[0].accountTail4' 2468

echo "== 9. The 低保 resident asks for another account; the town verifies it (sealed, last four shown)"
call POST "/mp/v1/benefits/$DB_BEN/account-change" "$DB_TOK" '{"kind":"bank_card","bank":"中国建设银行莘县支行","holderName":"蒋大","number":"6217000402564895555"}' 201
expect .accountTail4 5555
expect .status pending
call POST "/mp/v1/benefits/$DB_BEN/account-change" "$OTHER" '{"kind":"bank_card","bank":"某银行","holderName":"某人","number":"6217000402564890000"}' 404
call GET /mp/v1/benefits "$DB_TOK" "" 200
expect '.items[0].accountTail4' 1357
expect '.items[0].accountChange.accountTail4' 5555
call POST "/api/v1/benefits/$DB_BEN/account-change" "$EAST" '{"decision":"verify"}' 200
expect .accountTail4 5555
call GET /mp/v1/benefits "$DB_TOK" "" 200
expect '.items[0].accountTail4' 5555
expect '.items[0].accountChange' null

echo
echo "payments walkthrough: all steps answered as expected"
