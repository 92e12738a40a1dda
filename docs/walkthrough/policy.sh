#!/usr/bin/env bash
# Regional policy administration, against a running embedded server:
#   go run .            # in one terminal (embedded mode: demo data, WeChat simulator)
#   docs/walkthrough/policy.sh   # in another (needs curl, jq and GNU date); B=http://host:port to point elsewhere
# The administrator reads the demo county's policy (each value with where it comes from), sets a
# new 低保 standard effective tomorrow, and a resident's self-check shows the old figure today and
# the new one after the demo clock reaches tomorrow; a change for today (the past) is refused.
# At the end the standard is set back to 850 元 from the following day (the clock is advanced
# again), so the other walkthroughs and a second run find the demo figures. It prints each
# step's status and exits non-zero on the first answer it did not expect.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

COUNTY=371522000000
VILLAGE=371522106200
STANDARD=minimum_living.standard_monthly_cents

# An urban couple (76, and 51 without work) with a 500 元 pension: 低保 is 2 × S − 500 元 a month.
# (Were both over 70, both would be 特困, and a 特困 person is not also paid 低保: see
# docs/ELIGIBILITY.md, the exclusion table.)
CHECK='{"villageCode":"'$VILLAGE'","household":{"residence":"urban",
  "members":[{"relation":"self","birthDate":"1950-01-01"},{"relation":"spouse","birthDate":"1975-06-01"}],
  "income":[{"member":0,"kind":"pension","monthlyCents":50000}],"assets":{"depositCents":100000,"housing":1}}}'
low() { jq -r '.results[] | select(.category=="minimum_living") | .amountCents' <<<"$OUT"; }

echo "== 1. The administrator reads the demo county's policy: every value, its type and where it comes from"
ADMIN=$(staff_login admin)
call GET "/api/v1/admin/policy/$COUNTY" "$ADMIN" "" 200
TODAY=$(jq -r .date <<<"$OUT")
TOMORROW=$(date -d "$TODAY + 1 day" +%F)
AFTER=$(date -d "$TODAY + 2 days" +%F)
expect .areaName 莘县
expect ".values[] | select(.key==\"$STANDARD\") | .source.levelLabel" '县（区）'
jq -r '.values[] | select(.group=="低保" or .key=="extreme_hardship.spot_check_percent") |
  "         \(.label)：\(.value)（\(.source.areaName)\(if .source.effectiveFrom != "" then "，" + .source.effectiveFrom + " 起" else "" end)）"' <<<"$OUT" >&2
OLD=$(jq -r ".values[] | select(.key==\"$STANDARD\") | .value" <<<"$OUT")
expect ".values[] | select(.key==\"extreme_hardship.spot_check_percent\") | .source.level" national
echo "         today is $TODAY; the standard in force is $OLD 分"

echo "== 2. A change effective today is refused (decisions already made today keep their policy); tomorrow is accepted"
call PUT "/api/v1/admin/policy/$COUNTY" "$ADMIN" '{"effectiveFrom":"'$TODAY'","values":{"'$STANDARD'":90000}}' 422
expect .error.code policy.effective_not_future
call PUT "/api/v1/admin/policy/$COUNTY" "$ADMIN" '{"effectiveFrom":"'$TOMORROW'","values":{"'$STANDARD'":"九百元"}}' 400
expect .error.code policy.invalid_value
call PUT "/api/v1/admin/policy/$COUNTY" "$ADMIN" '{"effectiveFrom":"'$TOMORROW'","values":{"edge_household.multiplier":4}}' 422
expect .error.code policy.out_of_range
expect '.error.fields["values.edge_household.multiplier"] | startswith("允许范围")' true
call PUT "/api/v1/admin/policy/$COUNTY" "$ADMIN" '{"effectiveFrom":"'$TOMORROW'","values":{"'$STANDARD'":90000}}' 200
expect .date "$TOMORROW"
expect ".values[] | select(.key==\"$STANDARD\") | .value" 90000
expect ".values[] | select(.key==\"$STANDARD\") | .source.effectiveFrom" "$TOMORROW"

echo "== 3. Today the resident's self-check still uses the old standard"
call POST /mp/v1/eligibility/check "" "$CHECK" 200
expect .figures.urbanStandardCents "$OLD"
expect .date "$TODAY"
echo "         低保 (2 × S − 500 元): $(low) 分 a month"
[ "$(low)" = "$((2 * OLD - 50000))" ] || fail "amount $(low), expected $((2 * OLD - 50000))"

echo "== 4. The demo clock reaches tomorrow: the self-check shows the new standard"
call POST /dev/v1/clock/advance "" '{"days":1}' 200
echo "         the demo clock is now $(jq -r .now <<<"$OUT")"
call POST /mp/v1/eligibility/check "" "$CHECK" 200
expect .figures.urbanStandardCents 90000
expect .date "$TOMORROW"
expect '.results[] | select(.category=="minimum_living") | .amountCents' 130000

echo "== 5. The policy on the earlier date is still there (what decisions made then were based on)"
ADMIN=$(staff_login admin)
call GET "/api/v1/admin/policy/$VILLAGE?date=$TODAY" "$ADMIN" "" 200
expect ".values[] | select(.key==\"$STANDARD\") | .value" "$OLD"
call GET "/api/v1/admin/policy/$VILLAGE" "$ADMIN" "" 200
expect ".values[] | select(.key==\"$STANDARD\") | .value" 90000
expect ".values[] | select(.key==\"$STANDARD\") | .source.areaName" 莘县

echo "== 6. Set the demo standard back from the day after, and let the clock reach it"
call PUT "/api/v1/admin/policy/$COUNTY" "$ADMIN" '{"effectiveFrom":"'$AFTER'","values":{"'$STANDARD'":85000}}' 200
call POST /dev/v1/clock/advance "" '{"days":1}' 200
call POST /mp/v1/eligibility/check "" "$CHECK" 200
expect .figures.urbanStandardCents 85000

echo
echo "policy walkthrough: all steps answered as expected"
