// Package seed loads reference data: the statutory calendar (always) and the demo county (莘县),
// staff accounts and simulator templates (embedded mode and `palmaid seed-demo` only).
// Everything here is idempotent.
package seed

import (
	"context"
	"strings"
	"time"

	"palmaid/model"
	"palmaid/service/auth"
	"palmaid/service/calendar"
)

// CalendarSeedSource is the calendar_years.source of the built-in years.
const CalendarSeedSource = "内置：国务院办公厅节假日安排通知（2024—2026）"

// Calendar inserts the published holiday years without overwriting edited rows, and marks
// those years loaded unless an administrator already loaded them.
func Calendar(ctx context.Context, st Store, now time.Time) error {
	days := calendar.Seed()
	for i := range days {
		days[i].UpdatedAt = now
	}
	var years []model.CalendarYear
	for _, y := range calendar.SeedYears() {
		years = append(years, model.CalendarYear{Year: y, Source: CalendarSeedSource, LoadedAt: now})
	}
	return st.InTx(ctx, func(ctx context.Context) error {
		if err := st.InsertCalendarDaysIfAbsent(ctx, days); err != nil {
			return err
		}
		return st.MarkCalendarYearsLoadedIfAbsent(ctx, years)
	})
}

// Demo area codes: 莘县 (山东省聊城市), two of its towns and two villages of each, with the codes
// and names of the published 统计用区划代码 (docs/areas/shenxian-371522.csv holds all its towns
// and villages; `palmaid areas import` loads them). The demo's ID numbers keep the invented
// region prefix (990101xxxxxxxxxxxx): validation does not check the region, and no real person has them.
const (
	DemoCounty    = "371522000000"
	DemoTownEast  = "371522106000"
	DemoTownWest  = "371522103000"
	DemoVillageE1 = "371522106200"
	DemoVillageE2 = "371522106001"
	DemoVillageW1 = "371522103200"
	DemoVillageW2 = "371522103201"
)

// DemoPassword is the documented password of every demo staff account.
const DemoPassword = "palmaid-demo-2026"

// SimulatorTemplateID is the "办理进度提醒" template id the WeChat simulator knows.
const SimulatorTemplateID = "sim-tmpl-case-progress"

// SimulatorLibraryTemplateID is a second simulated template whose keyword ids differ from ours,
// as a real library template's do (for tests of the template registry).
const SimulatorLibraryTemplateID = "sim-tmpl-library-progress"

// SimulatorLongTermTemplateID is a simulated long-term (长期订阅) template with the keywords of
// SimulatorTemplateID: the simulator requires the user's subscription for it and does not use
// it up by sending (for tests of long-term subscriptions).
const SimulatorLongTermTemplateID = "sim-tmpl-long-term-progress"

// SimulatorTemplateKeywords are the keyword ids of the simulated templates: the simulator
// refuses (47003) a message that does not fill exactly these.
func SimulatorTemplateKeywords() map[string][]string {
	return map[string][]string{
		SimulatorTemplateID:         {"thing1", "phrase2", "time3", "thing4", "character_string5"},
		SimulatorLibraryTemplateID:  {"thing7", "phrase3", "time12", "thing2", "character_string9"},
		SimulatorLongTermTemplateID: {"thing1", "phrase2", "time3", "thing4", "character_string5"},
	}
}

// SimulatorTemplateIDs lists the simulated template ids.
func SimulatorTemplateIDs() []string {
	return []string{SimulatorTemplateID, SimulatorLibraryTemplateID, SimulatorLongTermTemplateID}
}

// SimulatorLongTermTemplateIDs lists the simulated long-term templates.
func SimulatorLongTermTemplateIDs() []string { return []string{SimulatorLongTermTemplateID} }

// DemoStaff lists the demo accounts: one per role, plus a caseworker of the second town.
func DemoStaff() []model.Staff {
	return []model.Staff{
		{Username: "town_east", DisplayName: "古云镇经办人（演示）", Role: model.RoleTownCaseworker, AreaCode: DemoTownEast},
		{Username: "town_east2", DisplayName: "古云镇第二经办人（演示）", Role: model.RoleTownCaseworker, AreaCode: DemoTownEast},
		{Username: "town_east_leader", DisplayName: "古云镇分管领导（演示）", Role: model.RoleTownLeader, AreaCode: DemoTownEast},
		{Username: "town_west", DisplayName: "观城镇经办人（演示）", Role: model.RoleTownCaseworker, AreaCode: DemoTownWest},
		{Username: "village_e1", DisplayName: "孙庄村委会协理员（演示）", Role: model.RoleVillageAssistant, AreaCode: DemoVillageE1},
		{Username: "county", DisplayName: "莘县民政局（演示）", Role: model.RoleCountyOfficer, AreaCode: DemoCounty},
		{Username: "county2", DisplayName: "莘县民政局第二审核人（演示）", Role: model.RoleCountyOfficer, AreaCode: DemoCounty},
		{Username: "county_leader", DisplayName: "莘县民政局分管领导（演示）", Role: model.RoleCountyLeader, AreaCode: DemoCounty},
		{Username: "auditor", DisplayName: "莘县审计员（演示）", Role: model.RoleAuditor, AreaCode: DemoCounty},
		{Username: "admin", DisplayName: "系统管理员（演示）", Role: model.RoleAdmin, AreaCode: DemoCounty},
	}
}

// DemoSettings are the demo county's regional settings, every key a typed model.SettingKey.
func DemoSettings() []model.RegionSetting {
	// Local numbers are examples for the demo county: amounts in fen, effective from a date.
	from := "2026-01-01"
	set := func(k model.SettingKey, v string) model.RegionSetting {
		return model.RegionSetting{AreaCode: DemoCounty, Key: string(k), Value: v, EffectiveFrom: from}
	}
	return []model.RegionSetting{
		set(model.SetStandardCents, "85000"),
		set(model.SetEdgeMultiplier, "1.5"),
		set(model.SetExtremeBasicRatio, "1.3"),
		set(model.SetUrgentCapMonths, "3"),
		set(model.SetAcceptanceWD, "3"),
		set(model.SetInvestigationWD, "3"),
		set(model.SetPaymentDay, "10"),
		// eligibility: a rural standard, the difference method with a 30 元 floor, the asset
		// limits, the deductions this county allows, 特困 care allowances, temporary-aid tiers
		// and last year's per-capita disposable income (all examples)
		set(model.SetStandardRuralCents, "70000"),
		set(model.SetAmountMethod, model.AmountDifference),
		set(model.SetMinAmountCents, "3000"),
		set(model.SetDepositMonths, "24"),
		set(model.SetEdgeDepositMonths, "36"),
		set(model.SetVehiclesMax, "0"),
		set(model.SetEdgeVehiclesMax, "1"),
		set(model.SetHousingMax, "1"),
		set(model.SetBusinessMax, "0"),
		set(model.SetDeductEmployment, "true"),
		set(model.SetDeductMedical, "true"),
		set(model.SetDeductEducation, "true"),
		set(model.SetDeductSocialInsurance, "true"),
		set(model.SetDeductIncomeTax, "true"),
		set(model.SetCareSelfCents, "20000"),
		set(model.SetCarePartialCents, "50000"),
		set(model.SetCareFullCents, "100000"),
		set(model.SetTemporaryTiers, "1,2,3"),
		set(model.SetTemporaryCapMonths, "10"),
		set(model.SetDisposableIncome, "3600000"),
		set(model.SetIllnessMultiplier, "2"),
		set(model.SetIllnessSpendingPct, "50"),
	}
}

// Demo loads the demo county (the areas above, not the whole extract). It is refused in production by the caller (config check).
func Demo(ctx context.Context, st Store, now time.Time, passwordCost int) error {
	areas := []model.Area{
		{Code: "370000000000", ParentCode: "", Name: "山东省", Level: model.LevelProvince},
		{Code: "371500000000", ParentCode: "370000000000", Name: "聊城市", Level: model.LevelCity},
		{Code: DemoCounty, ParentCode: "371500000000", Name: "莘县", Level: model.LevelCounty},
		{Code: DemoTownEast, ParentCode: DemoCounty, Name: "古云镇", Level: model.LevelTown},
		{Code: DemoTownWest, ParentCode: DemoCounty, Name: "观城镇", Level: model.LevelTown},
		{Code: DemoVillageE1, ParentCode: DemoTownEast, Name: "孙庄村委会", Level: model.LevelVillage},
		{Code: DemoVillageE2, ParentCode: DemoTownEast, Name: "文卫社区居民委员会", Level: model.LevelVillage},
		{Code: DemoVillageW1, ParentCode: DemoTownWest, Name: "桥下村委会", Level: model.LevelVillage},
		{Code: DemoVillageW2, ParentCode: DemoTownWest, Name: "大吕海村委会", Level: model.LevelVillage},
	}
	settings := DemoSettings()
	// A demo account that already has a password keeps its hash: hashing (argon2id) is the
	// slowest step of an embedded start, and the stored hash is already of DemoPassword unless
	// someone changed it on purpose. Only accounts seeded for the first time are hashed, once.
	staff := DemoStaff()
	names := make([]string, len(staff))
	for i, s := range staff {
		names[i] = s.Username
	}
	existing, err := st.StaffByUsernames(ctx, names)
	if err != nil {
		return err
	}
	hash := ""
	for i := range staff {
		if e := existing[strings.ToLower(staff[i].Username)]; e != nil && e.PasswordHash != "" {
			staff[i].PasswordHash = e.PasswordHash
			continue
		}
		if hash == "" {
			if hash, err = auth.HashPasswordCost(DemoPassword, passwordCost); err != nil {
				return err
			}
		}
		staff[i].PasswordHash = hash
	}
	return st.InTx(ctx, func(ctx context.Context) error {
		if err := st.UpsertAreas(ctx, areas); err != nil {
			return err
		}
		if err := st.UpsertRegionSettings(ctx, settings); err != nil {
			return err
		}
		for _, s := range staff {
			s.Active, s.CreatedAt, s.UpdatedAt = true, now, now
			if err := st.UpsertStaff(ctx, &s); err != nil {
				return err
			}
		}
		return nil // the simulator's template comes from the template registry (service/app)
	})
}
