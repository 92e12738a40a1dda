package model

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"time"
)

// 特困 spot checks (特困人员认定 抽查核实). The county checks in person a random sample of at
// least SpotCheckPercent of the 特困 cases put to it for confirmation — asked for by the
// applicant or found by the town's opinion in any case (五合一) — before it confirms them. The
// system draws the sample, never the officer: a draw covers the county's cases at the decision
// step whose decision clock started in a period and that no earlier draw covered. The seed is
// recorded with the draw, and the sample is a pure function of the seed and the population
// (SpotSample), so an auditor re-draws it from the record.

// Spot-check errors.
var (
	ErrSpotCheckDrawRequired = E(KindUnprocessable, "case.spot_check_draw_required",
		"本案的特困认定尚未参加本县的随机抽查抽签，请先在“特困抽查”中为本案进入审核确认的期间抽签")
	ErrSpotCheckNotSampled = E(KindUnprocessable, "case.spot_check_not_sampled",
		"本案未被随机抽中；抽查对象由系统按记录的随机种子抽取，不能自行选定")
	ErrSpotCheckDone = E(KindConflict, "case.spot_check_recorded", "本案的抽查核实已经记录")
)

// SpotCheckDraw is one county's draw: the period, the seed, the share and the sizes.
type SpotCheckDraw struct {
	ID             uint64 `gorm:"primaryKey"`
	CountyCode     string `gorm:"size:12;not null"`
	PeriodFrom     string `gorm:"size:10;not null"`
	PeriodTo       string `gorm:"size:10;not null"`
	Seed           string `gorm:"size:64;not null"`
	Percent        int    `gorm:"not null"`
	PopulationSize int    `gorm:"not null"`
	SampleSize     int    `gorm:"not null"`
	DrawnByStaff   uint64 `gorm:"column:drawn_by_staff_id;not null"`
	DrawnAt        time.Time
}

func (SpotCheckDraw) TableName() string { return "spot_check_draws" }

// SpotCheck is a case's place in a draw's population; for a sampled case, completed by the
// in-person check (date, place, two officers, findings).
type SpotCheck struct {
	ID              uint64 `gorm:"primaryKey"`
	DrawID          uint64 `gorm:"not null"`
	CaseID          uint64 `gorm:"not null"`
	Sampled         bool   `gorm:"not null"`
	CheckedOn       string `gorm:"size:10;not null;default:''"`
	Place           string `gorm:"type:text;not null;default:''" seal:"text"`
	Officers        string `gorm:"size:255;not null;default:''"` // staff ids, comma separated, ascending
	Findings        string `gorm:"type:text;not null;default:''" seal:"text"`
	Confirmed       bool   `gorm:"not null;default:false"`
	RecordedByStaff uint64 `gorm:"column:recorded_by_staff_id;not null;default:0"`
	RecordedAt      *time.Time
}

func (SpotCheck) TableName() string { return "case_spot_checks" }

// SpotSampleSize is how many of n cases a share of percent asks for (rounded up: 30 % of one
// case is that case).
func SpotSampleSize(n, percent int) int {
	if n <= 0 || percent <= 0 {
		return 0
	}
	return min(n, (n*percent+99)/100)
}

// SpotRank is the rank key of a case in a draw: SHA-256 of "seed:caseID", hex. The sample is
// the k cases of the population with the smallest keys — reproducible by anyone with the seed
// and the population (sha256sum in a shell does it), whatever the order the population is given in.
func SpotRank(seed, caseID string) string {
	sum := sha256.Sum256([]byte(seed + ":" + caseID))
	return hex.EncodeToString(sum[:])
}

// SpotSample draws the sample of a population (case public ids) for a seed and a share.
func SpotSample(seed string, population []string, percent int) []string {
	ranked := append([]string(nil), population...)
	keys := make(map[string]string, len(ranked))
	for _, id := range ranked {
		keys[id] = SpotRank(seed, id)
	}
	sort.Slice(ranked, func(i, j int) bool {
		if keys[ranked[i]] != keys[ranked[j]] {
			return keys[ranked[i]] < keys[ranked[j]]
		}
		return ranked[i] < ranked[j]
	})
	out := ranked[:SpotSampleSize(len(ranked), percent)]
	sort.Strings(out)
	return out
}

// SpotCheckCandidate reports whether the case is one a draw takes: 特困 asked for, or proposed
// by the town's opinion of the current round (found during a 低保 or other review).
func (f *CaseFile) SpotCheckCandidate() bool {
	return f.Requested(CatExtremeHardship) || f.proposes(CatExtremeHardship)
}

// SpotCheckRow is the case's row in a draw (nil when no draw covered it).
func (f *CaseFile) SpotCheckRow() *SpotCheck {
	if len(f.SpotChecks) == 0 {
		return nil
	}
	return &f.SpotChecks[0]
}

// spotCheckGate is what a 特困 approval needs: the case went through a draw, and when the
// draw sampled it, its in-person check is recorded.
func (f *CaseFile) spotCheckGate() error {
	sc := f.SpotCheckRow()
	switch {
	case sc == nil:
		return ErrSpotCheckDrawRequired
	case sc.Sampled && sc.RecordedAt == nil:
		return ErrSpotCheckRequired
	}
	return nil
}

// SpotCheckInput is the in-person check of a sampled case.
type SpotCheckInput struct {
	CheckedOn string // YYYY-MM-DD, not after today, not before the draw
	Place     string
	Findings  string
	Confirmed bool // the facts were confirmed as the town reported them
	Officers  []*Staff
}

// SpotCheck records the in-person check (抽查核实) of a case the county's draw sampled: on a
// date, at a place, by at least two distinct active staff of the case's area who did not
// investigate the case themselves.
func (f *CaseFile) SpotCheck(env Env, in SpotCheckInput, drawnOn string) error {
	if err := f.require(ActSpotCheck); err != nil {
		return err
	}
	sc := f.SpotCheckRow()
	if sc == nil || !sc.Sampled {
		return ErrSpotCheckNotSampled
	}
	if sc.RecordedAt != nil {
		return ErrSpotCheckDone
	}
	if in.CheckedOn < drawnOn {
		return ErrVisitDate.field("checkedOn", "不早于抽签日期"+drawnOn)
	}
	investigated := f.Investigators()
	seen := map[uint64]bool{}
	ids := []uint64{}
	for i, st := range in.Officers {
		field := fmt.Sprintf("officers[%d]", i)
		if st == nil || !st.Active || !st.Area().Contains(AreaCode(f.Case.AreaCode)) || !st.Can(PermCaseVisit) {
			return ErrVisitInvestigator.field(field, "须为本辖区在岗工作人员")
		}
		if investigated[st.ID] {
			return ErrVisitInvestigator.field(field, "抽查核实须由未参加本案入户调查的工作人员进行")
		}
		if !seen[st.ID] {
			seen[st.ID] = true
			ids = append(ids, st.ID)
		}
	}
	if len(ids) < 2 {
		return ErrVisitNeedsTwo.field("officers", "抽查核实须由至少两名不同的工作人员入户进行")
	}
	at := env.Now
	sc.CheckedOn, sc.Place, sc.Findings, sc.Confirmed, sc.Officers = in.CheckedOn, in.Place, in.Findings, in.Confirmed, FormatIDList(ids)
	sc.RecordedByStaff, sc.RecordedAt = env.By.ID, &at
	f.Case.SpotCheckedAt, f.Case.SpotCheckedBy = &at, env.By.ID
	result := "情况属实"
	if !in.Confirmed {
		result = "发现与调查情况不符"
	}
	f.record(env, StepDecision, ActSpotCheck, "", fmt.Sprintf("特困认定随机抽查：%s入户核实（%d人），%s", in.CheckedOn, len(ids), result))
	return nil
}
