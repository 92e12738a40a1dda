package store_test

import (
	"context"
	"testing"

	"palmaid/service/store"
	"palmaid/service/testenv"
)

// clearByDecision are the long text columns left in clear, each for a reason: a new long
// text column must be sealed (tag it `seal:"text"` and list it in store.SealedTextColumns)
// or be added here with its reason.
var clearByDecision = map[string]string{
	"audit_logs.detail":             "structured key=value detail (ids, public references, counts), never a person's text; hash-chained",
	"case_notices.categories":       "category labels of a public notice (public by law)",
	"case_visits.investigators":     "staff ids",
	"case_spot_checks.officers":     "staff ids",
	"checklist_items.why":           "the rule's explanation, copied from checklist_rules",
	"checklist_rules.aliases":       "reference data",
	"checklist_rules.applies_when":  "reference data (a condition expression)",
	"checklist_rules.note":          "reference data",
	"documents.storage_key":         "a random object key",
	"notify_templates.fields":       "reference data (template field mapping)",
	"notify_templates.page":         "reference data (a mini-program page path)",
	"outbox.last_error":             "the last delivery error (WeChat errcode and message, or a transport error): no resident text",
	"region_settings.value":         "policy settings (amounts, switches)",
	"calendar_proposals.days":       "a proposed holiday arrangement (dates, kinds, holiday names): public reference data",
	"staff.password_hash":           "an argon2id hash",
	"payment_rosters.towns_pending": "area codes of the towns that have not confirmed their lines",
}

// Every long text column of the schema (TEXT, or VARCHAR of 200 characters and more: room for
// free text) is sealed (store.SealedTextColumns) or left in clear by a written decision, and
// every listed column exists and is TEXT (a sealed value is longer than its plaintext).
func TestSealedTextColumnsListed(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		cols, err := be.Store(t).Schema(context.Background())
		testenv.Must(t, err)
		sealed := map[string]bool{}
		for _, c := range store.SealedTextColumns {
			sealed[c.String()] = true
		}
		seen := map[string]bool{}
		for table, cs := range cols {
			for _, c := range cs {
				name := table + "." + c.Name
				seen[name] = true
				if sealed[name] && (c.Class != "text" || c.Length != 0) {
					t.Errorf("%s is sealed but %s(%d), not TEXT", name, c.Class, c.Length)
				}
				if c.Class == "text" && (c.Length == 0 || c.Length >= 200) && !sealed[name] && clearByDecision[name] == "" {
					t.Errorf("%s (text, %d) is neither sealed nor left in clear by decision", name, c.Length)
				}
			}
		}
		for name := range sealed {
			if !seen[name] {
				t.Errorf("%s is listed as sealed but not in the schema", name)
			}
		}
	})
}
