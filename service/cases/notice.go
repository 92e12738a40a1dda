package cases

import (
	"encoding/json"
	"fmt"
	"palmaid/model"
	"strings"
	"time"
)

// ProgressNotice builds the outbox rows telling the applicant (and the agent, if any) that
// their case moved. The payload holds our values (model.NotifyValue*); the template registry
// maps them to the configured template's keywords. short is the hint (shown in a ≤ 20-character
// thing field, so it must read well on its own); body is the full in-app text. One key per (case, version, recipient): a retried delivery is recognised, a new action
// gets a new key.
func ProgressNotice(c *model.Case, now time.Time, phrase, short, body string) []model.Outbox {
	payload, _ := json.Marshal(map[string]string{
		model.NotifyValueService: "社会救助申请（" + CategoryLabels(c.Categories) + "）",
		model.NotifyValueStatus:  phrase,
		model.NotifyValueTime:    now.In(model.China()).Format("2006-01-02 15:04"),
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

// The notices of the workflow. Each event the resident must hear has one function here, called
// by the action that causes it inside its transaction: phrase is the status (a WeChat phrase
// field: ≤ 5 Chinese characters), short the hint (≤ 20 characters, readable alone in the
// subscribe message), body the full in-app text. Personal data (income, ID numbers) never
// goes into a notice: the resident reads it in the case itself.
//
// Events: accepted, returned, not accepted, refusal of the urgent-aid path, investigation
// started, data-check result and re-check result, opinion, notice started and ended,
// Objection outcome, decision, refusal notice delivered, urgent grant, termination,
// withdrawal, declared change received, consent confirmed (draft.go); the complaint answer is
// told by service/feedback.

// MaxHint is the longest hint: a thing field of a subscribe message holds 20 characters.
const MaxHint = 20

// Tell appends a progress notice to the case file.
func Tell(f *model.CaseFile, now time.Time, phrase, short, body string) {
	f.Case.Categories = f.Categories
	f.Outbox = append(f.Outbox, ProgressNotice(&f.Case, now, phrase, short, body)...)
}

// RateInvitation ends the message of every finished case: the resident is invited to rate the
// handling (好差评, POST /mp/v1/cases/{id}/rating, once per finished case).
const RateInvitation = "办理已结束，欢迎在小程序“我的申请”中对本次办理作出评价。"

// TellChangeReceived: the change is on file; again names the members whose consent it asked
// for again ("成员2（配偶）"), who must confirm before their data is checked.
func TellChangeReceived(f *model.CaseFile, now time.Time, again ...string) {
	body := fmt.Sprintf("您的申请（%s）已收到申报的家庭情况变化，工作人员将据此核实，申请继续办理。", f.Case.CaseNo)
	if len(again) > 0 {
		body += "情况变化的" + strings.Join(again, "、") + "须重新确认诚信承诺和核对授权，请在申请中向其发送邀请。"
	}
	Tell(f, now, "已收到", "已收到申报的情况变化", body)
}
