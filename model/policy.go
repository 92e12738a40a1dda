package model

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
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
	SetDeciderIllness     SettingKey = "decide.illness_poverty"                 // county | town
	SetUrgentSkipsNotice  SettingKey = "temporary_aid.urgent_skips_notice"      // national: true
	SetCloseRelativeVisit SettingKey = "close_relative.county_visit_required"   // national: true

	// Eligibility (service/eligibility). Amounts in fen, ratios as decimals ("1.5"), counts as
	// integers. Everything below is local; the defaults are examples where the national rules
	// leave the number to the region.
	SetStandardRuralCents    SettingKey = "minimum_living.rural_standard_monthly_cents"  // rural S; 0 = one standard for urban and rural
	SetAmountMethod          SettingKey = "minimum_living.amount_method"                 // difference | tiers
	SetAmountTiers           SettingKey = "minimum_living.amount_tiers"                  // "ceil:amount,..." per-capita income below ceil‰ of S → amount‰ of S per person
	SetMinAmountCents        SettingKey = "minimum_living.min_amount_cents"              // an eligible household gets at least this per month
	SetDepositMonths         SettingKey = "minimum_living.deposit_months_per_person"     // deposits + securities ≤ months × S per member
	SetVehiclesMax           SettingKey = "minimum_living.vehicles_max"                  // motor vehicles allowed (mobility aids not counted)
	SetHousingMax            SettingKey = "minimum_living.housing_max"                   // dwellings allowed
	SetBusinessMax           SettingKey = "minimum_living.business_registrations_max"    // company registrations allowed
	SetEdgeMultiplier        SettingKey = "edge_household.multiplier"                    // k: the band is S ≤ per-capita income < k × S
	SetEdgeDepositMonths     SettingKey = "edge_household.deposit_months_per_person"     // the edge household's looser deposit limit
	SetEdgeVehiclesMax       SettingKey = "edge_household.vehicles_max"                  // the edge household's vehicle limit
	SetDeductEmployment      SettingKey = "income.deduct_employment_costs"               // work-related costs come off wages
	SetDeductMedical         SettingKey = "income.deduct_rigid_medical"                  // rigid spending for serious illness or disability
	SetDeductEducation       SettingKey = "income.deduct_rigid_education"                // rigid education spending
	SetDeductSocialInsurance SettingKey = "income.deduct_social_insurance"               // personal social-insurance contributions
	SetDeductIncomeTax       SettingKey = "income.deduct_income_tax"                     // personal income tax
	SetExtremeBasicRatio     SettingKey = "extreme_hardship.basic_ratio"                 // 特困 basic standard = ratio × S
	SetCareSelfCents         SettingKey = "extreme_hardship.care_self_cents"             // care allowance 全自理, per month
	SetCarePartialCents      SettingKey = "extreme_hardship.care_partial_cents"          // care allowance 半护理
	SetCareFullCents         SettingKey = "extreme_hardship.care_full_cents"             // care allowance 全护理
	SetTemporaryTiers        SettingKey = "temporary_aid.tier_months"                    // "1,2,3": months of S per person by severity
	SetTemporaryCapMonths    SettingKey = "temporary_aid.cap_months"                     // above months × S × household size: 一事一议
	SetDisposableIncome      SettingKey = "temporary_aid.disposable_income_annual_cents" // last year's local per-capita disposable income
	SetIllnessMultiplier     SettingKey = "illness_poverty.income_multiplier"            // per-capita income below ratio × S
	SetIllnessSpendingPct    SettingKey = "illness_poverty.spending_percent"             // 12-month out-of-pocket ≥ percent of 12-month income
	SetPaymentDay            SettingKey = "payment.day_of_month"                         // monthly payment day
	SetExportColumns         SettingKey = "payment.export_columns"                       // the roster export's columns, in order
	SetTownConfirmWD         SettingKey = "payment.town_confirm_working_days"            // towns confirm a roster's lines this many working days before the pay-by date
)

// Who decides a category.
const (
	DeciderCounty = "county"
	DeciderTown   = "town"
)

// Policy is the typed view of a region's settings on one date, resolved down the area tree.
type Policy struct {
	// Ref names the settings in force: the as-of date and a fingerprint of every value applied
	// ("2026-11-23#3f2a…"). Each decision records it, so a later change of a setting never
	// rewrites what a past decision was based on.
	Ref                                                         string
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

	Eligibility EligibilityPolicy
	Review      ReviewPolicy // cadence, lead time, 渐退 (issue 25)
	Credit      CreditPolicy // 失信 records (issue 25)
}

// How the 低保 amount is computed.
const (
	AmountDifference = "difference" // S × n − household income
	AmountTiers      = "tiers"      // 分档: a per-person amount by how far per-capita income is below S
)

// AmountTier is one band of the tiers method: per-capita income below CeilPermille ‰ of S
// gives AmountPermille ‰ of S per person.
type AmountTier struct {
	CeilPermille   int64 `json:"ceilPermille"`
	AmountPermille int64 `json:"amountPermille"`
}

// EligibilityPolicy holds the numbers the eligibility engine reads. Ratios are in thousandths
// (1.5 → 1500) so every comparison stays in whole fen.
type EligibilityPolicy struct {
	StandardRuralCents int64 // 0: the urban standard applies to rural households too
	AmountMethod       string
	Tiers              []AmountTier // ascending ceilings ≤ 1000, non-increasing amounts
	MinAmountCents     int64

	DepositMonths, VehiclesMax, HousingMax, BusinessMax int
	EdgeMultiplierPermille                              int64
	EdgeDepositMonths, EdgeVehiclesMax                  int

	DeductEmployment, DeductMedical, DeductEducation, DeductSocialInsurance, DeductIncomeTax bool

	ExtremeBasicPermille                           int64
	CareSelfCents, CarePartialCents, CareFullCents int64
	TemporaryTierMonths                            []int
	TemporaryCapMonths                             int
	DisposableIncomeAnnualCents                    int64
	IllnessMultiplierPermille                      int64
	IllnessSpendingPercent                         int
	PaymentDay                                     int
	TownConfirmWD                                  int
	ExportColumns                                  []string // the roster export's columns (ExportColumnNames), in order
}

// Standard is S for a household: the rural one where set and the household is rural.
func (p Policy) Standard(rural bool) int64 {
	if rural && p.Eligibility.StandardRuralCents > 0 {
		return p.Eligibility.StandardRuralCents
	}
	return p.StandardCents
}

// maxCents bounds every configured amount (one hundred million yuan) so products stay in int64.
const maxCents = 10_000_000_000

// ParsePermille reads a non-negative decimal with at most three decimals ("1.5" → 1500).
func ParsePermille(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 3 || len(whole) > 6 {
		return 0, false
	}
	for _, part := range []string{whole, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return 0, false
			}
		}
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac+strings.Repeat("0", 3-len(frac)), 10, 64)
	}
	return w*1000 + f, true
}

// ParseAmountTiers reads "ceil:amount,..." (both in ‰ of S); ceilings must rise and the last must
// be 1000 (S itself: no gap below S), amounts must not rise, so more income never means a larger
// amount.
func ParseAmountTiers(s string) ([]AmountTier, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false
	}
	parts := strings.Split(s, ",")
	if len(parts) > 10 {
		return nil, false
	}
	var out []AmountTier
	for _, part := range parts {
		a, b, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			return nil, false
		}
		ceil, err1 := strconv.ParseInt(strings.TrimSpace(a), 10, 64)
		amt, err2 := strconv.ParseInt(strings.TrimSpace(b), 10, 64)
		if err1 != nil || err2 != nil || ceil <= 0 || ceil > 1000 || amt < 0 || amt > 10000 {
			return nil, false
		}
		if n := len(out); n > 0 && (ceil <= out[n-1].CeilPermille || amt > out[n-1].AmountPermille) {
			return nil, false
		}
		out = append(out, AmountTier{CeilPermille: ceil, AmountPermille: amt})
	}
	if out[len(out)-1].CeilPermille != 1000 {
		return nil, false
	}
	return out, true
}

func parseMonthsList(s string) ([]int, bool) {
	parts := strings.Split(strings.TrimSpace(s), ",")
	if len(parts) == 0 || len(parts) > 5 {
		return nil, false
	}
	var out []int
	for _, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 0 || n > 24 || (len(out) > 0 && n < out[len(out)-1]) {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

// PolicyFrom builds a Policy from resolved values (missing keys take the defaults; a value that
// Settings() does not accept takes the default too, so a typo never stops a case).
func PolicyFrom(values map[SettingKey]string) Policy {
	v := map[SettingKey]string{}
	for _, spec := range Settings() {
		raw, ok := values[spec.Key]
		if raw = strings.TrimSpace(raw); !ok || raw == "" || !spec.Valid(raw) {
			raw = spec.Default
		}
		v[spec.Key] = raw
	}
	num := func(k SettingKey) int { n, _ := strconv.Atoi(v[k]); return n }
	cents := func(k SettingKey) int64 { n, _ := strconv.ParseInt(v[k], 10, 64); return n }
	flag := func(k SettingKey) bool { b, _ := strconv.ParseBool(v[k]); return b }
	ratio := func(k SettingKey) int64 { n, _ := ParsePermille(v[k]); return n }
	el := EligibilityPolicy{
		StandardRuralCents: cents(SetStandardRuralCents), AmountMethod: AmountDifference,
		MinAmountCents: cents(SetMinAmountCents),
		DepositMonths:  num(SetDepositMonths), VehiclesMax: num(SetVehiclesMax),
		HousingMax: num(SetHousingMax), BusinessMax: num(SetBusinessMax),
		EdgeMultiplierPermille: ratio(SetEdgeMultiplier),
		EdgeDepositMonths:      num(SetEdgeDepositMonths), EdgeVehiclesMax: num(SetEdgeVehiclesMax),
		DeductEmployment: flag(SetDeductEmployment), DeductMedical: flag(SetDeductMedical),
		DeductEducation: flag(SetDeductEducation), DeductSocialInsurance: flag(SetDeductSocialInsurance),
		DeductIncomeTax:      flag(SetDeductIncomeTax),
		ExtremeBasicPermille: ratio(SetExtremeBasicRatio),
		CareSelfCents:        cents(SetCareSelfCents), CarePartialCents: cents(SetCarePartialCents), CareFullCents: cents(SetCareFullCents),
		TemporaryCapMonths:          num(SetTemporaryCapMonths),
		DisposableIncomeAnnualCents: cents(SetDisposableIncome),
		IllnessMultiplierPermille:   ratio(SetIllnessMultiplier),
		IllnessSpendingPercent:      num(SetIllnessSpendingPct),
		PaymentDay:                  num(SetPaymentDay),
		TownConfirmWD:               num(SetTownConfirmWD),
		ExportColumns:               ParseColumns(v[SetExportColumns]),
	}
	if v[SetAmountMethod] == AmountTiers {
		if tiers, ok := ParseAmountTiers(v[SetAmountTiers]); ok {
			el.AmountMethod, el.Tiers = AmountTiers, tiers
		}
	}
	el.TemporaryTierMonths, _ = parseMonthsList(v[SetTemporaryTiers])
	return Policy{
		Review: reviewPolicy(num),
		Credit: CreditPolicy{StatementWD: num(SetCreditStatementWD), ValidityMonths: num(SetCreditValidityMonth),
			PublishGrave: flag(SetCreditPublish)},
		Eligibility:  el,
		AcceptanceWD: num(SetAcceptanceWD), InvestigationWD: num(SetInvestigationWD),
		DataCheckWD: num(SetDataCheckWD), ExtremePrelimWD: num(SetExtremePrelimWD),
		NoticeDays: num(SetNoticeDays), DecisionWD: num(SetDecisionWD),
		ExtremeDecisionWD: num(SetExtremeDecisionWD), RefusalNoticeWD: num(SetRefusalNoticeWD),
		OverallWD: num(SetOverallWD), OverallSpecialWD: num(SetOverallSpecialWD),
		OverallTownWD: num(SetOverallTownWD), BackfillWD: num(SetBackfillWD),
		StandardCents: cents(SetStandardCents), UrgentCapMonths: num(SetUrgentCapMonths),
		DemocraticEvaluation: flag(SetDemocraticEval), SpotCheckPercent: num(SetSpotCheckPercent),
		UrgentSkipsNotice: flag(SetUrgentSkipsNotice), CloseRelativeVisit: flag(SetCloseRelativeVisit),
		Decider: map[Category]string{
			CatMinimumLiving: v[SetDeciderMinLiving], CatExtremeHardship: v[SetDeciderExtreme],
			CatTemporaryAid: v[SetDeciderTemporary], CatEdgeHousehold: v[SetDeciderEdge],
			CatIllnessPoverty: v[SetDeciderIllness],
		},
	}
}

// ResolveSettings picks, for every key, the row in force on date along chain (the area first,
// then its ancestors up to the province): the most specific area that sets the key wins, and
// within it the latest effective date not after date.
func ResolveSettings(rows []RegionSetting, chain []AreaCode, date string) map[SettingKey]RegionSetting {
	out := map[SettingKey]RegionSetting{}
	rank := map[string]int{}
	for i, c := range chain {
		rank[string(c)] = i
	}
	for _, r := range rows {
		ri, in := rank[r.AreaCode]
		if !in || r.EffectiveFrom > date {
			continue
		}
		k := SettingKey(r.Key)
		cur, seen := out[k]
		if !seen || ri < rank[cur.AreaCode] || (ri == rank[cur.AreaCode] && r.EffectiveFrom > cur.EffectiveFrom) {
			out[k] = r
		}
	}
	return out
}

// PolicyRef names the settings in force on date: the date and a fingerprint of every value
// applied (the regional rows found, undeclared keys included, never the defaults).
func PolicyRef(date string, values map[SettingKey]string) string {
	keys := make([]string, 0, len(values))
	for k, v := range values {
		keys = append(keys, string(k)+"="+v)
	}
	sort.Strings(keys)
	sum := sha256.Sum256([]byte(strings.Join(keys, "\n")))
	return date + "#" + hex.EncodeToString(sum[:])[:16]
}

// AreaChain is an area and its ancestors up to the province, the most specific first.
func AreaChain(area AreaCode) []AreaCode {
	out := make([]AreaCode, 0, 5)
	for lvl := area.Level(); lvl >= LevelProvince; lvl-- {
		out = append(out, area.Ancestor(lvl))
	}
	return out
}
