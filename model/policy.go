package model

import (
	"strconv"
	"strings"
)

// SettingKey names one regional setting (region_settings.key). Every key the code reads is
// declared here, once, with its default; a region overrides it for its subtree from a date.
type SettingKey string

const (
	SetAcceptanceWD       SettingKey = "clock.acceptance_working_days"          // local 1–5 WD to accept or return
	SetInvestigationWD    SettingKey = "clock.investigation_working_days"       // ≤ 3 WD after acceptance
	SetDataCheckWD        SettingKey = "clock.data_check_working_days"          // 核对 starts ≤ 3 WD after the request
	SetExtremePrelimWD    SettingKey = "clock.extreme_preliminary_working_days" // 特困 初审 ≤ 15 WD from acceptance
	SetNoticeDays         SettingKey = "clock.notice_days"                      // 公示 7 calendar days
	SetDecisionWD         SettingKey = "clock.decision_working_days"            // 低保 ≤ 10 WD after the town file
	SetExtremeDecisionWD  SettingKey = "clock.extreme_decision_working_days"    // 特困 ≤ 15 WD
	SetRefusalNoticeWD    SettingKey = "clock.refusal_notice_working_days"      // written refusal ≤ 3 WD
	SetOverallWD          SettingKey = "clock.overall_working_days"             // 低保 ≤ 30 WD from acceptance
	SetOverallSpecialWD   SettingKey = "clock.overall_special_working_days"     // ≤ 45 WD with a special reason
	SetOverallTownWD      SettingKey = "clock.overall_town_working_days"        // ≤ 20 WD where the town decides
	SetBackfillWD         SettingKey = "clock.backfill_working_days"            // 先行救助 paperwork back-fill
	SetStandardCents      SettingKey = "minimum_living.standard_monthly_cents"  // 低保标准 S (fen per person per month)
	SetUrgentCapMonths    SettingKey = "temporary_aid.town_cap_months"          // town may grant ≤ months × S × household size
	SetDemocraticEval     SettingKey = "review.democratic_evaluation"           // 民主评议 after an upheld objection
	SetSpotCheckPercent   SettingKey = "extreme_hardship.spot_check_percent"    // county random check of 特困 cases
	SetDeciderMinLiving   SettingKey = "decide.minimum_living"                  // county | town
	SetDeciderExtreme     SettingKey = "decide.extreme_hardship"                // county | town
	SetDeciderTemporary   SettingKey = "decide.temporary_aid"                   // county | town (above the cap: county)
	SetDeciderEdge        SettingKey = "decide.edge_household"                  // county | town
	SetDeciderIllness     SettingKey = "decide.illness_poverty"                 // county | town | medical_insurance
	SetUrgentSkipsNotice  SettingKey = "temporary_aid.urgent_skips_notice"      // national: true
	SetCloseRelativeVisit SettingKey = "close_relative.county_visit_required"   // national: true
)

// SettingDefaults are the national defaults (DOMAIN rules); a region's row overrides them.
func SettingDefaults() map[SettingKey]string {
	return map[SettingKey]string{
		SetAcceptanceWD: "3", SetInvestigationWD: "3", SetDataCheckWD: "3", SetExtremePrelimWD: "15",
		SetNoticeDays: "7", SetDecisionWD: "10", SetExtremeDecisionWD: "15", SetRefusalNoticeWD: "3",
		SetOverallWD: "30", SetOverallSpecialWD: "45", SetOverallTownWD: "20", SetBackfillWD: "10",
		SetStandardCents: "0", SetUrgentCapMonths: "3", SetDemocraticEval: "false", SetSpotCheckPercent: "30",
		SetDeciderMinLiving: DeciderCounty, SetDeciderExtreme: DeciderCounty, SetDeciderTemporary: DeciderTown,
		SetDeciderEdge: DeciderCounty, SetDeciderIllness: DeciderCounty, SetUrgentSkipsNotice: "true",
		SetCloseRelativeVisit: "true",
	}
}

// Who decides a category.
const (
	DeciderCounty = "county"
	DeciderTown   = "town"
)

// Policy is the typed view of a region's settings on one date, resolved down the area tree.
type Policy struct {
	AcceptanceWD, InvestigationWD, DataCheckWD, ExtremePrelimWD int
	NoticeDays                                                  int
	DecisionWD, ExtremeDecisionWD, RefusalNoticeWD              int
	OverallWD, OverallSpecialWD, OverallTownWD, BackfillWD      int
	StandardCents                                               int64
	UrgentCapMonths                                             int
	DemocraticEvaluation                                        bool
	SpotCheckPercent                                            int
	UrgentSkipsNotice                                           bool
	CloseRelativeVisit                                          bool
	Decider                                                     map[Category]string
}

// PolicyFrom builds a Policy from resolved values (missing keys take the defaults; a value that
// does not parse or is out of range takes the default too, so a typo never stops a case).
func PolicyFrom(values map[SettingKey]string) Policy {
	def := SettingDefaults()
	get := func(k SettingKey) string {
		if v, ok := values[k]; ok && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
		return def[k]
	}
	num := func(k SettingKey, lo, hi int) int {
		n, err := strconv.Atoi(get(k))
		if err != nil || n < lo || n > hi {
			n, _ = strconv.Atoi(def[k])
		}
		return n
	}
	flag := func(k SettingKey) bool {
		b, err := strconv.ParseBool(get(k))
		if err != nil {
			b, _ = strconv.ParseBool(def[k])
		}
		return b
	}
	decider := func(k SettingKey) string {
		if v := get(k); v == DeciderTown || v == DeciderCounty {
			return v
		}
		return def[k]
	}
	std, err := strconv.ParseInt(get(SetStandardCents), 10, 64)
	if err != nil || std < 0 {
		std = 0
	}
	return Policy{
		AcceptanceWD: num(SetAcceptanceWD, 1, 30), InvestigationWD: num(SetInvestigationWD, 1, 30),
		DataCheckWD: num(SetDataCheckWD, 1, 30), ExtremePrelimWD: num(SetExtremePrelimWD, 1, 60),
		NoticeDays: num(SetNoticeDays, 1, 30), DecisionWD: num(SetDecisionWD, 1, 60),
		ExtremeDecisionWD: num(SetExtremeDecisionWD, 1, 60), RefusalNoticeWD: num(SetRefusalNoticeWD, 1, 30),
		OverallWD: num(SetOverallWD, 1, 90), OverallSpecialWD: num(SetOverallSpecialWD, 1, 120),
		OverallTownWD: num(SetOverallTownWD, 1, 90), BackfillWD: num(SetBackfillWD, 1, 60),
		StandardCents: std, UrgentCapMonths: num(SetUrgentCapMonths, 0, 24),
		DemocraticEvaluation: flag(SetDemocraticEval), SpotCheckPercent: num(SetSpotCheckPercent, 0, 100),
		UrgentSkipsNotice: flag(SetUrgentSkipsNotice), CloseRelativeVisit: flag(SetCloseRelativeVisit),
		Decider: map[Category]string{
			CatMinimumLiving: decider(SetDeciderMinLiving), CatExtremeHardship: decider(SetDeciderExtreme),
			CatTemporaryAid: decider(SetDeciderTemporary), CatEdgeHousehold: decider(SetDeciderEdge),
			CatIllnessPoverty: decider(SetDeciderIllness),
		},
	}
}
