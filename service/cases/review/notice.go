package review

import (
	"fmt"
	"palmaid/model"
	"palmaid/service/cases"
	"strings"
	"time"
	"unicode/utf8"
)

// tellVisitScheduled tells the day and time window of the home visit.
func tellVisitScheduled(f *model.CaseFile, now, day time.Time, from, to string) {
	short := fmt.Sprintf("入户：%d月%d日%s-%s", day.Month(), day.Day(), from, to)
	cases.Tell(f, now, "待入户", short,
		fmt.Sprintf("您的申请（%s）：乡镇（街道）工作人员将于%s %s–%s到您家入户调查，请届时在家，并备好户口簿、收入和财产等相关材料。如需改期，请联系乡镇（街道）。",
			f.Case.CaseNo, day.Format("2006-01-02"), from, to))
}

func tellInvestigation(f *model.CaseFile, now time.Time) {
	cases.Tell(f, now, "调查中", "将入户调查，请保持电话畅通",
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
		cases.Tell(f, now, "复核完成", "复核结果：未见异常",
			fmt.Sprintf("您的申请（%s）根据您提出的异议重新核对了家庭经济状况，复核结果未见异常，申请继续办理。", no))
	case recheck:
		cases.Tell(f, now, "复核完成", "复核仍有异常，详见小程序",
			fmt.Sprintf("您的申请（%s）根据您提出的异议重新核对了家庭经济状况，复核结果仍与申报不一致：%s。如有异议，可依法申请行政复议或提起行政诉讼。", no, summary))
	case outcome == model.CheckPass:
		cases.Tell(f, now, "核对完成", "经济状况核对未见异常",
			fmt.Sprintf("您的申请（%s）家庭经济状况核对已完成，未见异常，申请继续办理。", no))
	default:
		cases.Tell(f, now, "核对有异常", "核对结果需您确认，详见小程序",
			fmt.Sprintf("您的申请（%s）家庭经济状况核对发现与申报不一致的情况：%s。如有异议，可在小程序中提出并提供证明材料，我们将重新核对。", no, summary))
	}
}

func tellOpinion(f *model.CaseFile, now time.Time) {
	cases.Tell(f, now, "初审完成", "初审完成，将在村里公示",
		fmt.Sprintf("您的申请（%s）乡镇（街道）已提出初审意见，将在村（社区）公示。", f.Case.CaseNo))
}

func tellObjectionOutcome(f *model.CaseFile, now time.Time, upheld bool) {
	if upheld {
		cases.Tell(f, now, "重新调查", "公示有异议，将重新调查",
			fmt.Sprintf("您的申请（%s）公示期间收到的异议经核实成立，将重新调查后再次公示。", f.Case.CaseNo))
		return
	}
	cases.Tell(f, now, "异议不成立", "公示异议不成立，继续办理",
		fmt.Sprintf("您的申请（%s）公示期间收到的异议经核实不成立，申请继续办理。", f.Case.CaseNo))
}

func tellNoticeEnded(f *model.CaseFile, now time.Time) {
	who := "县级民政部门"
	if f.Case.DeciderLevel == model.DeciderTown {
		who = "乡镇（街道）"
	}
	cases.Tell(f, now, "公示结束", "公示期满，已报审核确认",
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
	case len(approved) == 1 && refused == 0 && utf8.RuneCountInString(approved[0]) <= cases.MaxHint:
		hint = approved[0]
	case refused == 0:
		hint = "申请已获批准，详见小程序"
	}
	cases.Tell(f, now, phrase, hint,
		fmt.Sprintf("您的申请（%s）已审核确认。%s。如有异议，可依法申请行政复议或提起行政诉讼。", f.Case.CaseNo, strings.Join(parts, "；"))+cases.RateInvitation)
}

func tellRefusalDelivered(f *model.CaseFile, now time.Time) {
	cases.Tell(f, now, "已送达", "不予批准告知书已送达",
		fmt.Sprintf("您的申请（%s）不予批准的书面告知书已送达，其中写明了理由。如有异议，可依法申请行政复议或提起行政诉讼，也可拨打12349热线。", f.Case.CaseNo))
}
