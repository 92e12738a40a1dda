#!/usr/bin/env bash
# The resident's side: a daughter applies for her elderly mother, against a running embedded server:
#   go run .                                  # in one terminal (embedded mode: demo data, WeChat simulator)
#   docs/walkthrough/resident-journey.sh      # in another (needs curl and jq); B=http://host:port to point elsewhere
# Steps: the daughter declares her mother's household in a draft (kept server-side, encrypted) and
# sees the one-time document list; the mother confirms the pledge and the data-check authorisation
# from her own WeChat login through a one-time invitation; the daughter submits; the town returns
# one item; the daughter answers; the town accepts; the mother, logging in, sees her case.
# It can be run again on the same server (new residents and ID numbers each run). It prints each
# step's status and exits non-zero on the first answer it did not expect.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

MOTHER_ID=$(idnum 19480612)
DAUGHTER_ID=$(idnum 19760903)

echo "== 1. The daughter logs in and declares her mother's household in a draft"
DAUGHTER=$(resident "walk-daughter-$RUN" 李小红 "$DAUGHTER_ID")
FACTS="{\"residence\":\"rural\",
  \"members\":[{\"relation\":\"self\",\"name\":\"王秀英\",\"idNumber\":\"$MOTHER_ID\",\"hukouType\":\"local\",
    \"disabilityKind\":\"physical\",\"disabilityGrade\":2,\"health\":\"serious\",\"seriousIllness\":\"慢性肾衰竭\",\"workAbility\":\"none\",\"employment\":\"none\"}],
  \"income\":[{\"member\":0,\"kind\":\"pension\",\"amountCents\":180000,\"period\":\"yearly\",\"source\":\"城乡居民养老保险\"}],
  \"assets\":{\"declared\":true,\"depositCents\":300000}}"
call POST /mp/v1/drafts "$DAUGHTER" "{\"villageCode\":\"371522106200\",\"address\":\"孙庄村2组6号\",\"categories\":[\"minimum_living\"],
  \"reason\":\"母亲年老残疾，收入很低\",\"agentRelation\":\"child\",\"facts\":$FACTS}" 201
CASE=$(jq -r .id <<<"$OUT")
expect .status draft
expect .application.byAgent true
expect '.application.facts.members[0].idNumber | test("\\*")' true
echo "         document list: $(jq -c '[.application.checklist[] | {name, provide, status}]' <<<"$OUT")"
echo "         still missing: $(jq -c '.application.gaps' <<<"$OUT")"
MOTHER_CONSENT=$(jq -r '.application.consents[] | select(.subject=="member") | .id' <<<"$OUT")
expect '.application.checklist[] | select(.code=="household_register") | .status' shared
DIAG=$(jq -r '.application.checklist[] | select(.code | startswith("diagnosis_certificate")) | .id' <<<"$OUT")
DIAG_NAME=$(jq -r '.application.checklist[] | select(.code | startswith("diagnosis_certificate")) | .name' <<<"$OUT")
RECEIPTS=$(jq -r '.application.checklist[] | select(.code | startswith("medical_receipts")) | .id' <<<"$OUT")

echo "== 1b. The same list is shown before applying, without login"
call POST /mp/v1/checklist/preview "" "{\"villageCode\":\"371522106200\",\"categories\":[\"minimum_living\"],\"byAgent\":true,
  \"members\":[{\"relation\":\"self\",\"adult\":true,\"disabilityKind\":\"physical\",\"disabilityGrade\":2,\"health\":\"serious\"}]}" 200

echo "== 1c. She uploads the diagnosis and the receipts (a real PDF; type sniffed from the bytes)"
printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%%%EOF\n' > /tmp/palmaid-doc.$$.pdf
upload() { # caseId itemId file → status in $GOT, body in $OUT
	GOT=$(curl -s -o /tmp/palmaid-walk.$$ -w '%{http_code}' -X POST "$B/mp/v1/cases/$1/items/$2/documents" \
		-H "Authorization: Bearer $DAUGHTER" -F "file=@$3;type=application/pdf")
	OUT=$(cat /tmp/palmaid-walk.$$)
	rm -f /tmp/palmaid-walk.$$
	printf '%-6s %-58s -> %s\n' POST "/mp/v1/cases/$1/items/$2/documents" "$GOT" >&2
}
upload "$CASE" "$DIAG" /tmp/palmaid-doc.$$.pdf
[ "$GOT" = 201 ] || fail "upload answered $GOT: $OUT"
upload "$CASE" "$RECEIPTS" /tmp/palmaid-doc.$$.pdf
[ "$GOT" = 201 ] || fail "upload answered $GOT: $OUT"
cp /tmp/palmaid-doc.$$.pdf /tmp/palmaid-doc.$$.png
upload "$CASE" "$RECEIPTS" /tmp/palmaid-doc.$$.png
[ "$GOT" = 415 ] || fail "a PDF named .png answered $GOT: $OUT"
expect .error.code document.type_mismatch

echo "== 2. Officers do not see a draft"
EAST=$(staff_login town_east)
call GET "/api/v1/cases/$CASE" "$EAST" "" 404

echo "== 3. Submitting before the mother confirmed: the gap is named"
call GET "/mp/v1/cases/$CASE" "$DAUGHTER" "" 200
call POST "/mp/v1/cases/$CASE/submit" "$DAUGHTER" "{\"version\":$(version),\"pledgeAccepted\":true,\"authorizationAccepted\":true}" 422
expect .error.code case.consents_missing

echo "== 4. The daughter sends her mother a one-time invitation; the mother confirms from her own WeChat"
call POST "/mp/v1/cases/$CASE/consents/$MOTHER_CONSENT/invitation" "$DAUGHTER" "" 201
TOKEN=$(jq -r .token <<<"$OUT")
echo "         share: $(jq -r .path <<<"$OUT" | cut -c1-40)… (valid until $(jq -r .expiresAt <<<"$OUT"))"
MOTHER=$(resident "walk-mother-$RUN" 王秀英 "$MOTHER_ID")
call GET "/mp/v1/invitations/$TOKEN" "$MOTHER" "" 200
echo "         she reads: $(jq -r .text <<<"$OUT" | cut -c1-60)…"
TEXTV=$(jq -r .textVersion <<<"$OUT")
call POST "/mp/v1/invitations/$TOKEN/confirm" "$MOTHER" "{\"pledgeAccepted\":true,\"authorizationAccepted\":true,\"textVersion\":\"$TEXTV\"}" 200
expect .confirmed true
call POST "/mp/v1/invitations/$TOKEN/confirm" "$MOTHER" "{\"pledgeAccepted\":true,\"authorizationAccepted\":true,\"textVersion\":\"$TEXTV\"}" 404
expect .error.code invitation.not_found

echo "== 5. The daughter submits"
call GET "/mp/v1/cases/$CASE" "$DAUGHTER" "" 200
call POST "/mp/v1/cases/$CASE/submit" "$DAUGHTER" "{\"version\":$(version),\"pledgeAccepted\":true,\"authorizationAccepted\":true}" 200
expect .status submitted
CASENO=$(jq -r .caseNo <<<"$OUT")

echo "== 6. A second 低保 application for the same household is refused while this one is open"
call POST /mp/v1/drafts "$DAUGHTER" "{\"villageCode\":\"371522106200\",\"categories\":[\"minimum_living\"],\"agentRelation\":\"child\",\"facts\":$FACTS}" 409
expect .error.code case.already_open
expect .error.fields.openCase "$CASENO"

echo "== 7. The town rejects the diagnosis (too old) and returns it; the daughter uploads a new one; the town accepts"
call GET "/api/v1/cases/$CASE" "$EAST" "" 200
echo "         the engine's pre-filled basis: $(jq -c '{income: .eligibility.income.netCents, dibao: .eligibility.minimumLiving.status}' <<<"$OUT")"
call POST "/api/v1/cases/$CASE/return" "$EAST" "{\"version\":$(version),\"missingItems\":[{\"name\":\"残疾证\"}]}" 422
expect .error.code case.item_shared
call GET "/api/v1/cases/$CASE" "$EAST" "" 200
call POST "/api/v1/cases/$CASE/items/$DIAG/review" "$EAST" "{\"version\":$(version),\"accepted\":false,\"reason\":\"诊断证明已超过6个月\"}" 200
call POST "/api/v1/cases/$CASE/return" "$EAST" "{\"version\":$(version),\"opinion\":\"请补充\",\"missingItems\":[{\"name\":\"$DIAG_NAME\",\"note\":\"6个月内开具\"}]}" 200
expect .status returned
upload "$CASE" "$DIAG" /tmp/palmaid-doc.$$.pdf
[ "$GOT" = 201 ] || fail "upload answered $GOT: $OUT"
rm -f /tmp/palmaid-doc.$$.pdf /tmp/palmaid-doc.$$.png
call GET "/mp/v1/cases/$CASE" "$DAUGHTER" "" 200
call POST "/mp/v1/cases/$CASE/resubmit" "$DAUGHTER" "{\"version\":$(version),\"note\":\"已补充\"}" 200
call GET "/api/v1/cases/$CASE" "$EAST" "" 200
call POST "/api/v1/cases/$CASE/accept" "$EAST" "{\"version\":$(version)}" 200
expect .status accepted

echo "== 8. The mother sees her case; her identity is locked now"
call GET /mp/v1/cases "$MOTHER" "" 200
expect "[.items[] | select(.id==\"$CASE\") | .status] | .[0]" accepted
call PUT /mp/v1/me/identity "$MOTHER" "{\"name\":\"王秀英\",\"idNumber\":\"$(idnum 19480613)\"}" 409
expect .error.code identity.locked

echo
echo "resident-journey walkthrough: all steps answered as expected"
