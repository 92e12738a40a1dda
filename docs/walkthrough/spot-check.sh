#!/usr/bin/env bash
# 特困 found in a 低保 review, drawn for the county's random spot check and confirmed, against a
# running embedded server:
#   go run .                          # in one terminal (embedded mode: demo data, /dev routes)
#   docs/walkthrough/spot-check.sh    # in another (needs curl, jq, sha256sum); B=http://host:port
# It can be run again on the same server: each run uses a new resident and ID number, and moves the
# demo clock forward 8 days for the public notice. It re-draws the sample by hand from the seed
# (printf 'SEED:ID' | sha256sum) to show anyone can. Exits non-zero on the first answer it did not expect.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

echo "== 1. An elder living alone applies for 低保"
ELDER=$(idnum 19440105)
TOK=$(resident "walk-tekun-$RUN" 孙老 "$ELDER")
apply "$TOK" "{\"villageCode\":\"371522106200\",\"address\":\"孙庄村7组3号\",\"categories\":[\"minimum_living\"],
  \"reason\":\"年老体弱，独自生活，收入低\",\"facts\":$(solo_facts 孙老 "$ELDER" none)}"
CASE=$(jq -r .id <<<"$OUT")
EAST=$(staff_login town_east)
COUNTY=$(staff_login county)

echo "== 2. The town investigates and finds 特困 (五合一): 特困 approved, 低保 refused as excluded"
call GET "/api/v1/cases/$CASE" "$EAST" "" 200
call POST "/api/v1/cases/$CASE/accept" "$EAST" "{\"version\":$(version)}" 200
call POST "/api/v1/cases/$CASE/start-investigation" "$EAST" "{\"version\":$(version)}" 200
call POST "/api/v1/cases/$CASE/data-check" "$COUNTY" "{\"version\":$(version),\"summary\":\"收入、财产核对未见异常\"}" 200
TODAY=$(jq -r '.history[-1].at[0:10]' <<<"$OUT")
call POST "/api/v1/cases/$CASE/visits" "$EAST" "{\"version\":$(version),\"visitedOn\":\"$TODAY\",\"investigators\":[\"town_east\",\"town_east2\"],\"findings\":\"独居，无劳动能力，无赡养人\",\"familyConfirmed\":true}" 200
TEKUN=$(jq -r '.suggestedOpinion[] | select(.category=="extreme_hardship" and .memberPosition==0) | .monthlyCents' <<<"$OUT")
[ -n "$TEKUN" ] && [ "$TEKUN" -gt 0 ] || fail "the engine suggests no 特困 amount"
WHY='"deviationReason":"按入户调查核实的情况提出"'
ENTRIES='[{"category":"extreme_hardship","memberPosition":0,"outcome":"approved","monthlyCents":'"$TEKUN"','"$WHY"'},
  {"category":"minimum_living","outcome":"refused","reason":"已认定特困，不重复享受低保",'"$WHY"'},
  {"category":"temporary_aid","outcome":"not_applicable",'"$WHY"'},{"category":"edge_household","outcome":"not_applicable",'"$WHY"'},
  {"category":"illness_poverty","outcome":"not_applicable",'"$WHY"'}]'
call POST "/api/v1/cases/$CASE/opinion" "$EAST" "{\"version\":$(version),\"summary\":\"符合特困\",\"entries\":$ENTRIES}" 200
call POST "/api/v1/cases/$CASE/notice" "$EAST" "{\"version\":$(version)}" 200
V=$(version)
call POST /dev/v1/clock/advance "" '{"days":8}' 200
EAST=$(staff_login town_east)
COUNTY=$(staff_login county)
call POST "/api/v1/cases/$CASE/notice/close" "$EAST" "{\"version\":$V}" 200
expect .status reviewing
DAY=$(jq -r '.history[-1].at[0:10]' <<<"$OUT")

echo "== 3. No 特困 approval before the county's draw"
call POST "/api/v1/cases/$CASE/decision" "$COUNTY" "{\"version\":$(version),\"entries\":$ENTRIES}" 422
expect .error.code case.spot_check_draw_required

echo "== 4. The county draws: the system picks, with a seed it records"
call POST /api/v1/spot-check-draws "$COUNTY" "{\"from\":\"$DAY\",\"to\":\"$DAY\"}" 201
DRAW=$(jq -r .id <<<"$OUT")
SEED=$(jq -r .seed <<<"$OUT")
K=$(jq -r .sampleSize <<<"$OUT")
echo "         draw $DRAW: seed $SEED, $(jq -r .populationSize <<<"$OUT") case(s) in the population, $K sampled ($(jq -r .percent <<<"$OUT") %)"
jq -e --arg c "$CASE" '[.cases[].caseId] | index($c) != null' <<<"$OUT" >/dev/null || fail "the case is not in the population"
# Re-drawn by hand: the K cases with the smallest SHA-256("seed:id").
BYHAND=$(jq -r '.cases[].caseId' <<<"$OUT" | while read -r id; do printf '%s %s\n' "$(printf '%s:%s' "$SEED" "$id" | sha256sum | cut -d' ' -f1)" "$id"; done |
  sort | head -n "$K" | cut -d' ' -f2 | sort | paste -sd, -)
[ "$BYHAND" = "$(jq -r '.sample | join(",")' <<<"$OUT")" ] || fail "the sample does not follow from the seed: $BYHAND"
echo "         re-drawn by hand from the seed: $BYHAND"
call GET "/api/v1/spot-check-draws/$DRAW" "$COUNTY" "" 200
expect .reproducible true
SAMPLED=$(jq -r --arg c "$CASE" '.cases[] | select(.caseId==$c) | .sampled' <<<"$OUT")

echo "== 5. A sampled case is checked in person by two officers who did not investigate it; then confirmed"
check() { # OFFICERS WANT: the in-person record, at the case's current version
	call GET "/api/v1/cases/$CASE" "$COUNTY" "" 200
	call POST "/api/v1/cases/$CASE/spot-check" "$COUNTY" "{\"version\":$(version),\"checkedOn\":\"$DAY\",\"place\":\"申请人家中\",
	  \"officers\":$1,\"findings\":\"独居，与乡镇调查一致\",\"confirmed\":true}" "$2"
}
if [ "$SAMPLED" = true ]; then
	call GET "/api/v1/cases/$CASE" "$COUNTY" "" 200
	call POST "/api/v1/cases/$CASE/decision" "$COUNTY" "{\"version\":$(version),\"entries\":$ENTRIES}" 422
	expect .error.code case.spot_check_required
	check '["county","town_east"]' 422
	expect .error.code case.visit_investigator_invalid
	check '["county","county2"]' 200
	expect .spotCheck.sampled true
	expect .spotChecked true
else
	echo "         (another case of the county's population was sampled: this one is confirmed without a check)"
	check '["county","county2"]' 422
	expect .error.code case.spot_check_not_sampled
fi
call GET "/api/v1/cases/$CASE" "$COUNTY" "" 200
call POST "/api/v1/cases/$CASE/decision" "$COUNTY" "{\"version\":$(version),\"note\":\"同意\",\"entries\":$ENTRIES}" 200
expect .status decided
expect '.decisions[] | select(.category=="extreme_hardship") | .outcome' approved
echo "OK"
