package cases

import (
	"context"
	"palmaid/model"
	"time"
)

// DecisionHook is told of a decision inside the decision's transaction (ctx carries it): the
// recipient record (service/benefits) is created or changed there, so a decision and its
// benefit commit or fail together. f holds the decisions just made (ID 0), env the action's
// clock (China time) and officer.
type DecisionHook interface {
	Decided(ctx context.Context, f *model.CaseFile, env model.Env) error
}

// SharingRules tells which documents government data sharing supplies in an area on a date
// (service/checklist): a return may not ask the resident for them (免证明).
type SharingRules interface {
	// SharedSources answers, for each document name as staff wrote it, the department whose data
	// sharing supplies it in area on date, or "" when the resident must provide it.
	SharedSources(ctx context.Context, area model.AreaCode, date string, names []string) ([]string, error)
}

// DocumentRules produce the one-time document list (一次性告知) for a household's declaration
// (the rules service implements it; nil: no list).
type DocumentRules interface {
	Documents(ctx context.Context, village model.AreaCode, date string, q DocumentQuery) ([]RequiredDocument, error)
}

// DocumentQuery is what the rules read.
type DocumentQuery struct {
	Categories []model.Category
	ByAgent    bool
	Facts      *model.HouseholdFacts
	Today      time.Time
}

// RequiredDocument is one item of the list.
type RequiredDocument struct {
	Code, Name, Note, Why string
	Provide               string // model.ProvideRequired | ProvideShared | ProvideCommitment
	Source                string // the data-sharing source of a shared item
}
