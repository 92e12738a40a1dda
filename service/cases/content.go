package cases

import (
	"context"
	"palmaid/model"
)

// CheckContent runs the content check on a resident's text before any transaction starts (it
// calls WeChat): "" when it passed, a flag to store with the text, or content.risky.
func (s *Kernel) CheckContent(ctx context.Context, residentID uint64, field, text string) (string, error) {
	if s.content == nil || text == "" {
		return model.ContentPass, nil
	}
	return s.content.Check(ctx, residentID, field, text)
}

// FlagLastEvent marks the event the action just recorded (it holds the resident's text).
func FlagLastEvent(f *model.CaseFile, flag string) {
	if flag != model.ContentPass && len(f.Events) > 0 {
		f.Events[len(f.Events)-1].ContentFlag = flag
	}
}
