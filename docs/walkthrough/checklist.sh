#!/usr/bin/env bash
# The document list from rules and the policy guide, against a running embedded server:
#   go run .            # in one terminal (embedded mode: demo data, WeChat simulator)
#   docs/walkthrough/checklist.sh   # in another (needs curl and jq); B=http://host:port to point elsewhere
# Without logging in, a daughter looks up the policy guide of her mother's village and the list of
# documents for applying on her mother's behalf; an administrator switches data sharing off for one
# village and back; a caseworker's return asking for the household register is refused (免证明).
# It can be run again on the same server (new residents and ID numbers each run; the override it
# sets is removed again). It prints each step's status and exits non-zero on the first answer it
# did not expect.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

VILLAGE=371522106200

echo "== 1. The policy guide of the village (no login): categories, conditions, the region's standards"
call GET "/mp/v1/policy?village=$VILLAGE" "" "" 200
expect .areaName 孙庄村委会
expect '.categories | length' 5
expect '.categories[0].label' 低保
expect .figures.urbanStandardCents 85000
expect .figures.edgeMultiplier 1.5
expect .clocks.noticeDays 7
echo "         低保: $(jq -r '.categories[0].conditions[0]' <<<"$OUT")"
call GET "/mp/v1/policy?village=371522106000" "" "" 400
expect .error.code area.not_village

echo "== 2. The documents for applying on a disabled mother's behalf (特困 and 临时救助 after an accident; no login)"
PREVIEW='{"villageCode":"'$VILLAGE'","categories":["extreme_hardship","temporary_aid"],"byAgent":true,"emergency":"accident","supporters":1,
  "members":[{"relation":"self","adult":true,"disabilityKind":"physical","disabilityGrade":2},{"relation":"spouse","adult":true,"health":"serious"}]}'
call POST /mp/v1/checklist/preview "" "$PREVIEW" 200
FIRST=$OUT
jq -r '.items[] | "         \(.name)：\(.provideLabel)（\(.why)）"' <<<"$OUT" >&2
expect '.items[] | select(.code=="disability_certificate") | .provide' shared
expect '.items[] | select(.code=="disability_certificate") | .source' 残联
expect '.items[] | select(.code=="household_register") | .provide' shared
expect '.items[] | select(.code=="agent_authorization") | .provide' required
expect '.items[] | select(.code=="diagnosis_certificate") | .member' 1
expect '.items[] | select(.code=="accident_proof") | .provide' commitment_allowed
expect '.items[] | select(.code=="supporters_statement") | .provide' required
call POST /mp/v1/checklist/preview "" "$PREVIEW" 200
[ "$OUT" = "$FIRST" ] || fail "the same household gave a different list"
echo "         the same household gives the same list" >&2
call POST /mp/v1/checklist/preview "" '{"villageCode":"'$VILLAGE'","members":[{"relation":"cousin"}]}' 422
expect .error.code checklist.invalid_input

echo "== 3. An administrator: this village has no link to the 残联 database, then has again"
ADMIN=$(staff_login admin)
call GET "/api/v1/admin/checklist-rules/$VILLAGE" "$ADMIN" "" 200
expect '.inForce[] | select(.code=="disability_certificate") | .sharedSource' 残联
call PUT "/api/v1/admin/checklist-rules/$VILLAGE" "$ADMIN" '{"rules":[{"code":"disability_certificate","name":"残疾证","note":"第二代残疾人证",
  "appliesWhen":["member_disabled"],"scope":"member","sharedSource":"","sortOrder":60,"effectiveFrom":"2021-01-01"}]}' 200
expect '.inForce[] | select(.code=="disability_certificate") | .areaCode' "$VILLAGE"
call POST /mp/v1/checklist/preview "" "$PREVIEW" 200
expect '.items[] | select(.code=="disability_certificate") | .provide' required
call PUT "/api/v1/admin/checklist-rules/$VILLAGE" "$ADMIN" '{"rules":[{"code":"x1","name":"犬证","appliesWhen":["owns_dog"],"scope":"household","effectiveFrom":"2026-01-01"}]}' 422
expect .error.code checklist.unknown_condition
call PUT "/api/v1/admin/checklist-rules/$VILLAGE" "$ADMIN" '{"rules":[]}' 200
call POST /mp/v1/checklist/preview "" "$PREVIEW" 200
expect '.items[] | select(.code=="disability_certificate") | .provide' shared
TOWN=$(staff_login town_east)
call GET "/api/v1/admin/checklist-rules/$VILLAGE" "$TOWN" "" 403

echo "== 4. A return may not ask for what data sharing supplies"
SELF=$(idnum 19480919)
call POST /mp/v1/auth/login "" "{\"code\":\"dev:walk-checklist-$RUN\"}" 200
TOK=$(jq -r .token <<<"$OUT")
call PUT /mp/v1/me/identity "$TOK" "{\"name\":\"严共\",\"idNumber\":\"$SELF\"}" 200
apply "$TOK" "{\"villageCode\":\"$VILLAGE\",\"address\":\"孙庄村3组6号\",\"categories\":[\"minimum_living\"],
  \"reason\":\"年老体弱，收入低于当地低保标准\",\"facts\":$(solo_facts 严共 "$SELF")}"
CASE=$(jq -r .id <<<"$OUT")
call GET "/api/v1/cases/$CASE" "$TOWN" "" 200
V=$(jq -r .version <<<"$OUT")
call POST "/api/v1/cases/$CASE/return" "$TOWN" "{\"version\":$V,\"missingItems\":[{\"name\":\"户口本\"},{\"name\":\"家庭财产申报\"}]}" 422
expect .error.code case.item_shared
echo "         $(jq -r '.error.fields["missingItems[0].name"]' <<<"$OUT")" >&2
# Nor anything the one-time list never named (一次性告知).
call POST "/api/v1/cases/$CASE/return" "$TOWN" "{\"version\":$V,\"missingItems\":[{\"name\":\"近6个月收入证明\"}]}" 422
expect .error.code case.item_not_in_first_notice
call POST "/api/v1/cases/$CASE/return" "$TOWN" "{\"version\":$V,\"missingItems\":[{\"name\":\"家庭财产申报\",\"note\":\"请全体成员签字后上传\"}]}" 200
expect .status returned

echo
echo "checklist walkthrough: all steps answered as expected"
