package cases

import (
	"errors"
	"testing"
	"time"
	"unicode"

	"palmaid/model"
)

// Every gap hint is read by a resident: it may name the step in Chinese, never a field code
// such as "noIncome" (the field path is the map key, for the client, not the text).
func TestGapHintsCarryNoFieldCodes(t *testing.T) {
	today := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	blank := &model.HouseholdFacts{}
	partial := &model.HouseholdFacts{
		Members:   []model.MemberFacts{{IDNumber: "410901195001011234", HukouType: "elsewhere", Health: "serious"}},
		Income:    []model.IncomeLine{{Member: 0, Kind: "wage", AmountCents: 100}},
		Supporter: []model.SupporterDecl{{}},
	}
	cats := []model.Category{model.CatExtremeHardship, model.CatTemporaryAid}
	seen := 0
	for _, f := range []*model.HouseholdFacts{blank, partial} {
		err := Completeness(f, cats, today)
		var e *model.Error
		if !errors.As(err, &e) || len(e.Fields) == 0 {
			t.Fatalf("an incomplete declaration has no gaps: %v", err)
		}
		for path, hint := range e.Fields {
			seen++
			for _, r := range hint {
				if r < unicode.MaxASCII && unicode.IsLetter(r) {
					t.Errorf("gap %s: the hint %q shows a code to the resident", path, hint)
					break
				}
			}
		}
	}
	if seen < 15 {
		t.Fatalf("only %d hints were checked", seen)
	}
}
