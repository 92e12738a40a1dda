package checklist

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// nationalTable renders NationalRules as the table of docs/CHECKLIST.md.
func nationalTable() string {
	var b strings.Builder
	b.WriteString("| order | code | name | applies when (any) | scope | data sharing (无需提供) | commitment (告知承诺) | note | aliases |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range NationalRules() {
		shared, commit := "—", "—"
		if r.SharedSource != "" {
			shared = r.SharedSource
		}
		if r.CommitmentAllowed {
			commit = "yes"
		}
		fmt.Fprintf(&b, "| %d | `%s` | %s | `%s` | %s | %s | %s | %s | %s |\n", r.SortOrder, r.Code, r.Name,
			strings.ReplaceAll(r.AppliesWhen, ",", "`, `"), r.Scope, shared, commit, r.Note, strings.ReplaceAll(r.Aliases, ",", "、"))
	}
	return b.String()
}

// conditionTable renders the condition kinds for docs/CHECKLIST.md.
func conditionTable() string {
	var b strings.Builder
	b.WriteString("| kind | reads | argument | meaning |\n|---|---|---|---|\n")
	for _, k := range ConditionKinds() {
		d := conditionKinds[k]
		reads, arg := "household", "—"
		if d.member {
			reads = "members"
		}
		switch d.arg {
		case "category":
			arg = "required: minimum_living, extreme_hardship, temporary_aid, edge_household, illness_poverty"
		case "emergency":
			arg = "optional: accident, serious_illness, disaster (none: any)"
		case "relation":
			arg = "required: self, spouse, child, parent, grandchild, grandparent, sibling, other"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", k, reads, arg, d.label)
	}
	return b.String()
}

// docs/CHECKLIST.md shows the national defaults and the condition kinds exactly as the code has them.
func TestChecklistDocUpToDate(t *testing.T) {
	b, err := os.ReadFile("../../docs/CHECKLIST.md")
	if err != nil {
		t.Fatal(err)
	}
	for name, table := range map[string]string{"national defaults": nationalTable(), "condition kinds": conditionTable()} {
		if !strings.Contains(string(b), table) {
			t.Errorf("docs/CHECKLIST.md: the %s table is out of date; it should read:\n\n%s", name, table)
		}
	}
}
