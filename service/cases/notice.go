package cases

import (
	"encoding/json"
	"fmt"
	"time"

	"palmaid/model"
	"palmaid/service/calendar"
)

// progressNotice builds the outbox rows telling the applicant (and the agent, if any) that
// their case moved. The payload holds our values (model.NotifyValue*); the template registry
// maps them to the configured template's keywords. short is the hint (shown in a ≤ 20-character
// thing field, so it must read well on its own); body is the full in-app text. One key per (case, version, recipient): a retried delivery is recognised, a new action
// gets a new key.
func progressNotice(c *model.Case, now time.Time, phrase, short, body string) []model.Outbox {
	payload, _ := json.Marshal(map[string]string{
		model.NotifyValueService: "社会救助申请（" + categoryLabels(c.Categories) + "）",
		model.NotifyValueStatus:  phrase,
		model.NotifyValueTime:    now.In(calendar.Location()).Format("2006-01-02 15:04"),
		model.NotifyValueHint:    short,
		model.NotifyValueCaseNo:  c.CaseNo,
	})
	// The applicant, the agent and the person the application is for (once they have logged in
	// with their ID number), each once.
	recipients := []uint64{c.ApplicantResidentID}
	for _, id := range []*uint64{c.AgentResidentID, c.BeneficiaryResidentID} {
		if id != nil && *id != recipients[0] && (len(recipients) < 2 || *id != recipients[1]) {
			recipients = append(recipients, *id)
		}
	}
	out := make([]model.Outbox, 0, len(recipients))
	for _, rid := range recipients {
		out = append(out, model.Outbox{
			CaseID: c.ID, ResidentID: rid, TemplateKey: model.TemplateCaseProgress,
			Title: "申请" + phrase, Body: body, Payload: string(payload),
			IdempotencyKey: fmt.Sprintf("case:%s:v%d:r%d", c.PublicID, c.Version+1, rid),
			Status:         model.OutboxPending, NextAttemptAt: now, CreatedAt: now,
		})
	}
	return out
}

// tell appends a progress notice to the case file.
func tell(f *model.CaseFile, now time.Time, phrase, short, body string) {
	f.Case.Categories = f.Categories
	f.Outbox = append(f.Outbox, progressNotice(&f.Case, now, phrase, short, body)...)
}
