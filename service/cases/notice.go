package cases

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

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

// The notices of the workflow. Each event the resident must hear has one function here, called
// by the action that causes it inside its transaction: phrase is the status (a WeChat phrase
// field: ≤ 5 Chinese characters), short the hint (≤ 20 characters, readable alone in the
// subscribe message), body the full in-app text. Personal data (income, ID numbers) never
// goes into a notice: the resident reads it in the case itself.
//
// Events: accepted, returned, not accepted, refusal of the urgent-aid path, investigation
// started, data-check result and re-check result, opinion, notice started and ended,
// objection outcome, decision, refusal notice delivered, urgent grant, termination,
// withdrawal, declared change received, consent confirmed (draft.go); the complaint answer is
// told by service/feedback.

// MaxHint is the longest hint: a thing field of a subscribe message holds 20 characters.
const MaxHint = 20

// tell appends a progress notice to the case file.
func tell(f *model.CaseFile, now time.Time, phrase, short, body string) {
	f.Case.Categories = f.Categories
	f.Outbox = append(f.Outbox, progressNotice(&f.Case, now, phrase, short, body)...)
}

// invitationNotice tells an invited person who already has an account that a family member
// asks them to confirm the pledge and the data-check authorisation. It names nobody and carries
// no personal data (the case number, when there is one, identifies the application); one key
// per invitation issued.
func invitationNotice(c *model.Case, cats []model.CaseCategory, inviteeID, consentID uint64, inviteHash string, exp, now time.Time) model.Outbox {
	cc := *c
	cc.Categories = cats
	until := exp.In(calendar.Location()).Format("2006-01-02 15:04")
	ref := ""
	if c.CaseNo != "" {
		ref = "（" + c.CaseNo + "）"
	}
	o := progressNotice(&cc, now, "待确认", "家人邀请您确认授权",
		"您的家人在为家庭申请社会救助"+ref+"，邀请您确认诚信承诺和家庭经济状况核对授权。请打开家人通过微信发给您的邀请（"+until+"前有效）进行确认；如未收到，可请家人重新发送。")[0]
	o.ResidentID = inviteeID
	o.IdempotencyKey = fmt.Sprintf("invite:%d:%s:r%d", consentID, inviteHash[:16], inviteeID)
	return o
}

// tellVisitScheduled tells the day and time window of the home visit.
func tellVisitScheduled(f *model.CaseFile, now, day time.Time, from, to string) {
	short := fmt.Sprintf("入户：%d月%d日%s-%s", day.Month(), day.Day(), from, to)
	tell(f, now, "待入户", short,
		fmt.Sprintf("您的申请（%s）：乡镇（街道）工作人员将于%s %s–%s到您家入户调查，请届时在家，并备好户口簿、收入和财产等相关材料。如需改期，请联系乡镇（街道）。",
			f.Case.CaseNo, day.Format("2006-01-02"), from, to))
}

func tellInvestigation(f *model.CaseFile, now time.Time) {
	tell(f, now, "调查中", "将入户调查，请保持电话畅通",
		fmt.Sprintf("您的申请（%s）已进入调查核实：乡镇（街道）工作人员将近期入户调查，县级民政部门将核对家庭经济状况。请保持电话畅通，如实提供情况。", f.Case.CaseNo))
}

// tellDataCheck tells the result of a data check; a check requested because the resident
// contested the previous one is a re-check and says so.
func tellDataCheck(f *model.CaseFile, now time.Time, outcome, summary string) {
	recheck := false
	for _, dc := range f.DataChecks {
		if dc.Round == f.Case.InvestigationRound && dc.ObjectionRaisedAt != nil {
			recheck = true
		}
	}
	no := f.Case.CaseNo
	switch {
	case recheck && outcome == model.CheckPass:
		tell(f, now, "复核完成", "复核结果：未见异常",
			fmt.Sprintf("您的申请（%s）根据您提出的异议重新核对了家庭经济状况，复核结果未见异常，申请继续办理。", no))
	case recheck:
		tell(f, now, "复核完成", "复核仍有异常，详见小程序",
			fmt.Sprintf("您的申请（%s）根据您提出的异议重新核对了家庭经济状况，复核结果仍与申报不一致：%s。如有异议，可依法申请行政复议或提起行政诉讼。", no, summary))
	case outcome == model.CheckPass:
		tell(f, now, "核对完成", "经济状况核对未见异常",
			fmt.Sprintf("您的申请（%s）家庭经济状况核对已完成，未见异常，申请继续办理。", no))
	default:
		tell(f, now, "核对有异常", "核对结果需您确认，详见小程序",
			fmt.Sprintf("您的申请（%s）家庭经济状况核对发现与申报不一致的情况：%s。如有异议，可在小程序中提出并提供证明材料，我们将重新核对。", no, summary))
	}
}

func tellOpinion(f *model.CaseFile, now time.Time) {
	tell(f, now, "初审完成", "初审完成，将在村里公示",
		fmt.Sprintf("您的申请（%s）乡镇（街道）已提出初审意见，将在村（社区）公示。", f.Case.CaseNo))
}

func tellObjectionOutcome(f *model.CaseFile, now time.Time, upheld bool) {
	if upheld {
		tell(f, now, "重新调查", "公示有异议，将重新调查",
			fmt.Sprintf("您的申请（%s）公示期间收到的异议经核实成立，将重新调查后再次公示。", f.Case.CaseNo))
		return
	}
	tell(f, now, "异议不成立", "公示异议不成立，继续办理",
		fmt.Sprintf("您的申请（%s）公示期间收到的异议经核实不成立，申请继续办理。", f.Case.CaseNo))
}

func tellNoticeEnded(f *model.CaseFile, now time.Time) {
	who := "县级民政部门"
	if f.Case.DeciderLevel == model.DeciderTown {
		who = "乡镇（街道）"
	}
	tell(f, now, "公示结束", "公示期满，已报审核确认",
		fmt.Sprintf("您的申请（%s）公示期满无异议，已报%s审核确认。", f.Case.CaseNo, who))
}

// tellDecision tells the decision of every category decided now: approved with its amount,
// or refused with the reason. The hint names the one approved category and its amount when it
// fits, else says whether anything was approved.
func tellDecision(f *model.CaseFile, now time.Time) {
	var parts, approved []string
	refused := 0
	for _, d := range f.Decisions {
		if !d.DecidedAt.Equal(now) || d.Outcome == model.OutcomeNotApplicable {
			continue
		}
		switch d.Outcome {
		case model.OutcomeApproved:
			amt, short := "", ""
			if d.MonthlyCents > 0 {
				amt, short = "，每月"+model.Yuan(d.MonthlyCents)+"，自"+d.EffectiveMonth+"起", "每月"+model.Yuan(d.MonthlyCents)
			}
			if d.OneOffCents > 0 {
				amt, short = "，一次性"+model.Yuan(d.OneOffCents), "一次性"+model.Yuan(d.OneOffCents)
			}
			parts = append(parts, d.Category.Label()+"：批准"+amt)
			approved = append(approved, d.Category.Label()+"获批"+short)
		case model.OutcomeRefused:
			refused++
			parts = append(parts, d.Category.Label()+"：不予批准（"+d.Reason+"）")
		}
	}
	phrase, hint := "已批准", "部分获批，详见小程序"
	switch {
	case len(approved) == 0:
		phrase, hint = "不予批准", "申请未获批准，详见小程序"
	case len(approved) == 1 && refused == 0 && utf8.RuneCountInString(approved[0]) <= MaxHint:
		hint = approved[0]
	case refused == 0:
		hint = "申请已获批准，详见小程序"
	}
	tell(f, now, phrase, hint,
		fmt.Sprintf("您的申请（%s）已审核确认。%s。如有异议，可依法申请行政复议或提起行政诉讼。", f.Case.CaseNo, strings.Join(parts, "；"))+RateInvitation)
}

// RateInvitation ends the message of every finished case: the resident is invited to rate the
// handling (好差评, POST /mp/v1/cases/{id}/rating, once per finished case).
const RateInvitation = "办理已结束，欢迎在小程序“我的申请”中对本次办理作出评价。"

func tellRefusalDelivered(f *model.CaseFile, now time.Time) {
	tell(f, now, "已送达", "不予批准告知书已送达",
		fmt.Sprintf("您的申请（%s）不予批准的书面告知书已送达，其中写明了理由。如有异议，可依法申请行政复议或提起行政诉讼，也可拨打12349热线。", f.Case.CaseNo))
}

func tellWithdrawn(f *model.CaseFile, now time.Time) {
	tell(f, now, "已撤回", "申请已按您的要求撤回",
		fmt.Sprintf("您的申请（%s）已按您的要求撤回。如仍有困难，可随时重新申请。", f.Case.CaseNo)+RateInvitation)
}

// tellChangeReceived: the change is on file; again names the members whose consent it asked
// for again ("成员2（配偶）"), who must confirm before their data is checked.
func tellChangeReceived(f *model.CaseFile, now time.Time, again ...string) {
	body := fmt.Sprintf("您的申请（%s）已收到申报的家庭情况变化，工作人员将据此核实，申请继续办理。", f.Case.CaseNo)
	if len(again) > 0 {
		body += "情况变化的" + strings.Join(again, "、") + "须重新确认诚信承诺和核对授权，请在申请中向其发送邀请。"
	}
	tell(f, now, "已收到", "已收到申报的情况变化", body)
}
