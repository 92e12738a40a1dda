#!/usr/bin/env bash
# An elder without a smartphone, against a running embedded server:
#   go run .                                     # in one terminal (embedded mode: demo data, WeChat simulator)
#   docs/walkthrough/elder-desk-verified.sh      # in another (needs curl and jq); B=http://host:port to point elsewhere
# Identity assurance (docs/SECURITY.md, "Identity assurance"): the daughter applies for her mother,
# who signs the consent on paper; a stranger who types the mother's ID number (ID numbers are not
# secret) gets an *unverified* identity and reaches nothing of the case; when the town visits, the
# officer reads the mother's 身份证 and the code on the phone the family set up for her, the
# identity becomes desk_verified, the stranger's claim is detached, and only then is the mother
# linked to the case as its beneficiary.
# The real-name simulator is told (a /dev route) to answer "unchecked" for the mother's number,
# as in a county with PALMAID_REALNAME_VERIFIER=desk_only where nobody is verified online.
# It can be run again on the same server (new residents and ID numbers each run). It prints each
# step's status and exits non-zero on the first answer it did not expect.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

MOTHER_ID=$(idnum 19410522)
DAUGHTER_ID=$(idnum 19700318)
# As in a desk_only county: an online binding of the mother's number is recorded unverified
# (a server started with PALMAID_REALNAME_VERIFIER=desk_only does so already: 404, no simulator).
GOT=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$B/dev/v1/realname/answers" -H 'Content-Type: application/json' \
	-d "{\"idNumber\":\"$MOTHER_ID\",\"outcome\":\"unchecked\"}")
printf '%-6s %-58s -> %s\n' POST /dev/v1/realname/answers "$GOT" >&2
[ "$GOT" = 204 ] || [ "$GOT" = 404 ] || fail "the real-name simulator answered $GOT"

echo "== 1. The daughter applies for her mother; the mother signs the consent on paper"
DAUGHTER=$(resident "walk-desk-daughter-$RUN" 李小红 "$DAUGHTER_ID")
FACTS="{\"residence\":\"rural\",
  \"members\":[{\"relation\":\"self\",\"name\":\"王秀英\",\"idNumber\":\"$MOTHER_ID\",\"hukouType\":\"local\",
    \"disabilityKind\":\"physical\",\"disabilityGrade\":2,\"health\":\"serious\",\"seriousIllness\":\"慢性肾衰竭\",\"workAbility\":\"none\",\"employment\":\"none\"}],
  \"income\":[{\"member\":0,\"kind\":\"pension\",\"amountCents\":180000,\"period\":\"yearly\",\"source\":\"城乡居民养老保险\"}],
  \"assets\":{\"declared\":true,\"depositCents\":300000}}"
call POST /mp/v1/drafts "$DAUGHTER" "{\"villageCode\":\"371522106200\",\"address\":\"孙庄村3组9号\",\"categories\":[\"minimum_living\"],
  \"reason\":\"母亲年老残疾，不会用手机，收入很低\",\"agentRelation\":\"child\",\"facts\":$FACTS}" 201
CASE=$(jq -r .id <<<"$OUT")
MOTHER_CONSENT=$(jq -r '.application.consents[] | select(.subject=="member") | .id' <<<"$OUT")
call POST "/mp/v1/cases/$CASE/consents/$MOTHER_CONSENT/paper" "$DAUGHTER" "{\"version\":$(version)}" 200
printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%%%EOF\n' > /tmp/palmaid-desk.$$.pdf
# The diagnosis, the receipts and the signed form (scanned), onto every item still missing.
for ITEM in $(jq -r '.application.checklist[] | select(.status=="missing") | .id' <<<"$OUT"); do
	GOT=$(curl -s -o /tmp/palmaid-walk.$$ -w '%{http_code}' -X POST "$B/mp/v1/cases/$CASE/items/$ITEM/documents" \
		-H "Authorization: Bearer $DAUGHTER" -F "file=@/tmp/palmaid-desk.$$.pdf;type=application/pdf")
	printf '%-6s %-58s -> %s\n' POST "/mp/v1/cases/$CASE/items/$ITEM/documents" "$GOT" >&2
	[ "$GOT" = 201 ] || fail "upload answered $GOT: $(cat /tmp/palmaid-walk.$$)"
	DOC=$(jq -r .document.id /tmp/palmaid-walk.$$)
	rm -f /tmp/palmaid-walk.$$
done
rm -f /tmp/palmaid-desk.$$.pdf
call GET "/mp/v1/cases/$CASE" "$DAUGHTER" "" 200
call POST "/mp/v1/cases/$CASE/submit" "$DAUGHTER" "{\"version\":$(version),\"pledgeAccepted\":true,\"authorizationAccepted\":true}" 200
expect .status submitted
V=$(version)

echo "== 2. A stranger types the mother's ID number: recorded unverified, and nothing of the case is theirs"
STRANGER=$(resident "walk-desk-stranger-$RUN" 随便 "$MOTHER_ID")
call GET /mp/v1/me "$STRANGER" "" 200
expect .identityLevel unverified
call GET /mp/v1/cases "$STRANGER" "" 200
expect '.items | length' 0
call GET "/mp/v1/cases/$CASE" "$STRANGER" "" 404
call GET "/mp/v1/cases/$CASE/documents/$DOC" "$STRANGER" "" 404
call POST "/mp/v1/cases/$CASE/take-over" "$STRANGER" "{\"version\":$V}" 404
call POST "/mp/v1/cases/$CASE/withdraw" "$STRANGER" "{\"version\":$V,\"reason\":\"不申请了\"}" 404
call GET /mp/v1/me/export "$STRANGER" "" 200
[ "$(jq -r "[.. | strings | select(. == \"$CASE\")] | length" <<<"$OUT")" = 0 ] || fail "the stranger's export holds the case"
echo "         the stranger's export holds no case"

echo "== 3. The town visits; the family set up WeChat for the mother on an old phone: she shows a code"
call POST /mp/v1/auth/login "" "{\"code\":\"dev:walk-desk-mother-$RUN\"}" 200
MOTHER=$(jq -r .token <<<"$OUT")
call GET /mp/v1/cases "$MOTHER" "" 200
expect '.items | length' 0
call POST /mp/v1/me/identity/desk-code "$MOTHER" "" 201
CODE=$(jq -r .code <<<"$OUT")
echo "         code on her screen: $CODE (valid until $(jq -r .expiresAt <<<"$OUT"))"

echo "== 4. The town officer reads her 身份证 and desk-verifies the account"
EAST=$(staff_login town_east)
call POST /api/v1/identity/desk-verifications "$EAST" "{\"code\":\"$CODE\",\"name\":\"王秀英\",\"idNumber\":\"$MOTHER_ID\"}" 200
expect .assurance desk_verified
expect .linkedCases 1
call POST /api/v1/identity/desk-verifications "$EAST" "{\"code\":\"$CODE\",\"name\":\"王秀英\",\"idNumber\":\"$MOTHER_ID\"}" 404
expect .error.code identity.desk_code_not_found

echo "== 5. Only now is the mother linked: she sees her case; the stranger's claim is gone"
call GET /mp/v1/me "$MOTHER" "" 200
expect .identityLevel desk_verified
call GET /mp/v1/cases "$MOTHER" "" 200
expect "[.items[] | select(.id==\"$CASE\")] | length" 1
call GET "/mp/v1/cases/$CASE" "$MOTHER" "" 200
expect .application.canTakeOver true
call GET /mp/v1/me "$STRANGER" "" 200
expect .hasIdentity false
call GET "/mp/v1/cases/$CASE" "$STRANGER" "" 404
call GET "/api/v1/cases/$CASE" "$EAST" "" 200
expect .beneficiaryIdentity desk_verified

echo
echo "elder-desk-verified walkthrough: all steps answered as expected"
