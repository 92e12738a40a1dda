package model

import (
	"strconv"
	"strings"
	"time"
)

// Review kinds (issue 25; RECIPIENTS §5): why a benefit is looked at again.
const (
	ReviewPeriodic       = "periodic"        // 定期核查 (S1 art. 31; 特困 S5 item 7)
	ReviewChangeReport   = "change_report"   // a change of members, income or assets reported (S1 art. 30)
	ReviewDeath          = "death"           // a member died: re-check within three months (S6 §1(3))
	ReviewWarning        = "warning"         // a data-check or audit warning
	ReviewAgeOut         = "age_out"         // a 特困 minor turning 18 (S2 art. 24)
	ReviewStandardChange = "standard_change" // a new 低保 standard (调标)
)

// ReviewKindLabel is the Chinese name of a review kind ("" if unknown).
func ReviewKindLabel(k string) string {
	switch k {
	case ReviewPeriodic:
		return "定期核查"
	case ReviewChangeReport:
		return "变更申报核查"
	case ReviewDeath:
		return "死亡核查"
	case ReviewWarning:
		return "预警核查"
	case ReviewAgeOut:
		return "年满18周岁核查"
	case ReviewStandardChange:
		return "调整标准"
	}
	return ""
}

// Review states: open → investigating (核对, a home visit by two staff when one is made) →
// proposed (town opinion) → decided (county) → closed (the written notice served when the
// outcome needs one).
const (
	ReviewOpen          = "open"
	ReviewInvestigating = "investigating"
	ReviewProposed      = "proposed"
	ReviewNoticed       = "noticed" // 特困 termination: the public notice runs
	ReviewDecided       = "decided"
	ReviewClosed        = "closed"
)

// ReviewStatusLabel is the Chinese name of a review state.
func ReviewStatusLabel(s string) string {
	switch s {
	case ReviewOpen:
		return "待核查"
	case ReviewInvestigating:
		return "核查中"
	case ReviewProposed:
		return "乡镇已提出意见"
	case ReviewNoticed:
		return "终止公示中"
	case ReviewDecided:
		return "县级已决定"
	case ReviewClosed:
		return "已办结"
	}
	return ""
}

// Review outcomes.
const (
	OutcomeUnchanged   = "unchanged"    // 维持
	OutcomeIncrease    = "increase"     // 增发
	OutcomeDecrease    = "decrease"     // 减发
	OutcomeGradualExit = "gradual_exit" // 渐退
	OutcomeSuspend     = "suspend"      // 暂停
	OutcomeTerminate   = "terminate"    // 停发 / 终止
)

// ReviewOutcomeLabel is the Chinese name of an outcome ("" if unknown).
func ReviewOutcomeLabel(o string) string {
	switch o {
	case OutcomeUnchanged:
		return "维持不变"
	case OutcomeIncrease:
		return "增发"
	case OutcomeDecrease:
		return "减发"
	case OutcomeGradualExit:
		return "渐退"
	case OutcomeSuspend:
		return "暂停发放"
	case OutcomeTerminate:
		return "停发"
	}
	return ""
}

// ReviewNeedsNotice: a decrease, 渐退, suspension or termination is told in writing with its
// reasons and the remedies (S1 art. 32) within RefusalNoticeWD working days.
func ReviewNeedsNotice(outcome string) bool {
	switch outcome {
	case OutcomeDecrease, OutcomeGradualExit, OutcomeSuspend, OutcomeTerminate:
		return true
	}
	return false
}

// ReviewRemedies is the text of the remedies a written notice names.
const ReviewRemedies = "如对本决定不服，可自收到本通知之日起60日内向县级人民政府申请行政复议，或者自收到本通知之日起6个月内向人民法院提起行政诉讼。"

// Review is one look again at a benefit (benefit_reviews). Its area columns are the benefit's,
// so the staff area scope applies to it as to the benefit.
type Review struct {
	ID         uint64 `gorm:"primaryKey"`
	PublicID   string `gorm:"size:32;not null"`
	BenefitID  uint64 `gorm:"not null"`
	Kind       string `gorm:"size:24;not null"`
	Status     string `gorm:"size:16;not null"`
	DedupKey   string `gorm:"size:64;not null"` // periodic:<benefit>:<due> — the job opens each once
	DueOn      string `gorm:"size:10;not null"`
	OpenedOn   string `gorm:"size:10;not null"`
	EventOn    string `gorm:"size:10;not null;default:''"` // death date, date of the reported change
	AreaCode   string `gorm:"size:12;not null"`
	TownCode   string `gorm:"size:12;not null"`
	CountyCode string `gorm:"size:12;not null"`
	Cause      string `gorm:"type:text;not null" seal:"text"` // why it was opened (a reported change's summary)
	OpenedBy   uint64 `gorm:"column:opened_by_staff_id;not null;default:0"`
	// ReportedByResident: a change reported from the mini-program (0: staff or the job).
	ReportedByResident uint64 `gorm:"column:reported_by_resident_id;not null;default:0"`

	Findings  string `gorm:"type:text;not null" seal:"text"`
	VisitedOn string `gorm:"size:10;not null;default:''"`
	Visitors  string `gorm:"size:128;not null;default:''"` // staff ids, comma-separated (≥ 2 when a visit is made)

	Outcome       string `gorm:"size:16;not null;default:''"`
	MonthlyCents  int64  `gorm:"not null;default:0"` // increase / decrease: the new amount
	Persons       int    `gorm:"not null;default:0"`
	GradualMonths int    `gorm:"not null;default:0"`
	SchedulePct   string `gorm:"size:64;not null;default:''"` // "100,100,50" (empty: 100 % every month)
	// Variable: the town found income irregular or a member of working age able to work (低保:
	// the next review in six months rather than twelve).
	Variable       bool   `gorm:"not null;default:false"`
	Reason         string `gorm:"type:text;not null" seal:"text"`
	ProposedBy     uint64 `gorm:"column:proposed_by_staff_id;not null;default:0"`
	ProposedAt     *time.Time
	DecidedBy      uint64 `gorm:"column:decided_by_staff_id;not null;default:0"`
	DecidedAt      *time.Time
	DecidedOn      string `gorm:"size:10;not null;default:''"` // China-time date of the decision
	EffectiveMonth string `gorm:"size:7;not null;default:''"`
	NoticeDueOn    string `gorm:"size:10;not null;default:''"`
	NoticeProv     bool   `gorm:"column:notice_provisional;not null;default:false"`
	NoticeServedOn string `gorm:"size:10;not null;default:''"`
	ClosedAt       *time.Time
	// 特困 termination (S2 art. 24–27): a public notice of clock.notice_days calendar days first
	// (the start day not counted); an objection received in it is decided within 15 working days.
	NoticeStartOn     string `gorm:"size:10;not null;default:''"`
	NoticeEndOn       string `gorm:"size:10;not null;default:''"`
	Objection         string `gorm:"type:text;not null" seal:"text"`
	ObjectionOn       string `gorm:"size:10;not null;default:''"`
	ObjectionDueOn    string `gorm:"size:10;not null;default:''"`
	ObjectionDecision string `gorm:"type:text;not null" seal:"text"`
	Version           int    `gorm:"not null"`
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

func (Review) TableName() string { return "benefit_reviews" }

// Review errors.
var (
	ErrReviewState      = E(KindConflict, "review.illegal_transition", "该核查当前状态不能进行此操作")
	ErrReviewVersion    = E(KindConflict, "review.version_conflict", "该核查已被他人更新，请刷新后重试")
	ErrReviewVisitors   = E(KindUnprocessable, "review.visit_two_staff", "入户核查须由两名工作人员进行").WithField("visitors", "两名不同的工作人员")
	ErrReviewOutcome    = Invalid("review.invalid_outcome", "核查结论不正确").WithField("outcome", "unchanged、increase、decrease、gradual_exit、suspend 或 terminate")
	ErrReviewAmount     = E(KindUnprocessable, "review.invalid_amount", "增发须高于、减发须低于现发金额且大于0").WithField("monthlyCents", "新的月发放金额（分）")
	ErrReviewGradual    = E(KindUnprocessable, "review.gradual_months", "渐退期超出本地规定的最长月数").WithField("gradualMonths", "1 至本地最长月数")
	ErrReviewSchedule   = Invalid("review.invalid_schedule", "渐退比例应为每月一个1至100的整数，月数与渐退期相同").WithField("schedulePct", "如 [100,100,50]")
	ErrReviewReason     = Invalid("review.reason_required", "请填写理由（最多500字）").WithField("reason", "必填，最多500字")
	ErrReviewNoticeRuns = E(KindConflict, "review.notice_running", "终止公示期未满，或有异议尚未处理")
	ErrReviewObjection  = Invalid("review.objection_required", "请填写异议内容（最多1000字）").WithField("objection", "必填，最多1000字")
	ErrReviewNoticeDate = Invalid("review.invalid_notice_date", "请填写书面告知送达日期（不早于决定日期、不晚于今天）").WithField("noticeServedOn", "YYYY-MM-DD")
)

// ParseSchedule reads "100,100,50" (each 1..100).
func ParseSchedule(s string) ([]int, bool) {
	if s == "" {
		return nil, true
	}
	var out []int
	for _, p := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 || n > 100 {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

// FormatSchedule writes a schedule in its stored form.
func FormatSchedule(pct []int) string {
	parts := make([]string, len(pct))
	for i, p := range pct {
		parts[i] = strconv.Itoa(p)
	}
	return strings.Join(parts, ",")
}

// ReviewChanges are the benefit changes a decided review makes, from month on: a pure function
// of the outcome, the amount paid now (cur, persons) and the review's figures. 渐退 pays the
// schedule's share of the current amount month by month (100 % when no schedule) and
// terminates after its last month.
func ReviewChanges(r *Review, cur int64, persons int, month string) []BenefitChange {
	mk := func(kind, m string, cents int64, n int) BenefitChange {
		return BenefitChange{Kind: kind, EffectiveMonth: m, MonthlyCentsAfter: cents, Persons: n}
	}
	n := persons
	if r.Persons > 0 {
		n = r.Persons
	}
	switch r.Outcome {
	case OutcomeIncrease:
		return []BenefitChange{mk(ChangeIncrease, month, r.MonthlyCents, n)}
	case OutcomeDecrease:
		return []BenefitChange{mk(ChangeDecrease, month, r.MonthlyCents, n)}
	case OutcomeSuspend:
		return []BenefitChange{mk(ChangeSuspend, month, 0, persons)}
	case OutcomeTerminate:
		return []BenefitChange{mk(ChangeTerminate, month, 0, persons)}
	case OutcomeGradualExit:
		pct, _ := ParseSchedule(r.SchedulePct)
		var out []BenefitChange
		for i := 0; i < r.GradualMonths; i++ {
			p := 100
			if i < len(pct) {
				p = pct[i]
			}
			out = append(out, mk(ChangeGradualExit, AddMonths(month, i), cur*int64(p)/100, persons))
		}
		return append(out, mk(ChangeTerminate, AddMonths(month, r.GradualMonths), 0, persons))
	}
	return nil
}

// AddMonthsDate is date ("YYYY-MM-DD") + n months on the same day of the month, or the month's
// last day when it has no such day (民法典 art. 202). "" for a malformed date.
func AddMonthsDate(date string, n int) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return ""
	}
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(t.Day(), last), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// Region settings of reviews and 渐退 (RECIPIENTS §5, "Clocks and cadence").
const (
	SetReviewStableMonths   SettingKey = "review.minimum_living_stable_months"   // 低保, situation stable: yearly (S1 art. 31)
	SetReviewVariableMonths SettingKey = "review.minimum_living_variable_months" // 低保, income irregular or a member able to work: six months
	SetReviewExtremeMonths  SettingKey = "review.extreme_months"                 // 特困: yearly (S5 item 7)
	SetReviewLeadDays       SettingKey = "review.lead_days"                      // a periodic review opens this many days before it is due
	SetReviewDeathMonths    SettingKey = "review.death_recheck_months"           // after a member's death (S6 §1(3): 3 months)
	SetGradualMaxMonths     SettingKey = "gradual_exit.max_months"               // 渐退 at most (S6 §1(3): 原则上不超过6个月)
)

// GroupReview is the section of the review settings.
const GroupReview = "动态管理"

// reviewSettings are the specs of the review settings (appended to Settings()).
func reviewSettings() []SettingSpec {
	intg := func(k SettingKey, label, unit string, lo, hi int64, def string) SettingSpec {
		return SettingSpec{Key: k, Type: TypeInteger, Min: lo, Max: hi, Default: def, Label: label, Unit: unit, Group: GroupReview}
	}
	return append([]SettingSpec{
		intg(SetReviewStableMonths, "低保：家庭经济状况较稳定的核查周期", "月", 1, 24, "12"),
		intg(SetReviewVariableMonths, "低保：收入来源不固定或有劳动能力成员的核查周期", "月", 1, 24, "6"),
		intg(SetReviewExtremeMonths, "特困：核查周期", "月", 1, 24, "12"),
		intg(SetReviewLeadDays, "定期核查提前开启", "日", 0, 90, "30"),
		intg(SetReviewDeathMonths, "成员死亡后完成核查的期限", "月", 1, 12, "3"),
		intg(SetGradualMaxMonths, "渐退期最长", "月", 1, 12, "6"),
	}, creditSettings()...)
}

// ReviewPolicy is the typed view of the review settings.
type ReviewPolicy struct {
	StableMonths, VariableMonths, ExtremeMonths int
	LeadDays, DeathMonths, GradualMaxMonths     int
}

func reviewPolicy(num func(SettingKey) int) ReviewPolicy {
	return ReviewPolicy{StableMonths: num(SetReviewStableMonths), VariableMonths: num(SetReviewVariableMonths),
		ExtremeMonths: num(SetReviewExtremeMonths), LeadDays: num(SetReviewLeadDays), DeathMonths: num(SetReviewDeathMonths),
		GradualMaxMonths: num(SetGradualMaxMonths)}
}

// CadenceMonths is how many months after a decision (or a completed review) a benefit is
// reviewed next: 特困 yearly; 低保 yearly when stable, every six months when variable.
func (p ReviewPolicy) CadenceMonths(cat Category, variable bool) int {
	switch {
	case cat == CatExtremeHardship:
		return p.ExtremeMonths
	case variable:
		return p.VariableMonths
	}
	return p.StableMonths
}

// ValidDate reports whether s is a civil date YYYY-MM-DD within the stored years.
func ValidDate(s string) bool { _, ok := ParseDate(s, time.UTC); return ok }
