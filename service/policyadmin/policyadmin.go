// Package policyadmin is the administrators' use case for the typed regional policy: read the
// policy in force in an area on a date (each value with where it comes from) and the area's own
// overrides, and set overrides from a future date. The settings, their types, ranges and
// defaults are model.Settings(); the rows are region_settings. A change takes effect from
// tomorrow at the earliest, so the values a past decision was made under (its policy_ref: the
// date and a fingerprint of the values) never change. See docs/POLICY.md.
package policyadmin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
)

// ActionSet is the audit action of an administrator's change of an area's policy.
const ActionSet = "policy.set"

// Errors of this package.
var (
	ErrAreaNotFound   = model.E(model.KindNotFound, "policy.area_not_found", "区划不存在，或不在本人管辖范围内")
	ErrInvalidDate    = model.Invalid("policy.invalid_date", "日期应为 YYYY-MM-DD")
	ErrNoValues       = model.Invalid("policy.no_values", "请至少设置一项").WithField("values", "键为设置项，值为其取值（null 为撤销本区划在该日期的设置）")
	ErrUnknownSetting = model.Invalid("policy.unknown_setting", "包含无法识别的设置项")
	ErrInvalidValue   = model.Invalid("policy.invalid_value", "设置项的取值类型不正确")
	ErrOutOfRange     = model.E(model.KindUnprocessable, "policy.out_of_range", "设置项的取值超出允许范围")
	ErrNotFuture      = model.E(model.KindUnprocessable, "policy.effective_not_future",
		"生效日期须晚于今天：已作出的决定按当时的政策保存，不能追溯修改").WithField("effectiveFrom", "最早为明天")
	ErrTiersRequired = model.E(model.KindUnprocessable, "policy.tiers_required", "选择分档计算时须设置有效的分档")
	// ErrBeyondHorizon: a change dated further ahead than the configured horizon
	// (PALMAID_POLICY_HORIZON) would sit unseen for years and override whatever is set later.
	ErrBeyondHorizon = model.E(model.KindUnprocessable, "policy.beyond_horizon", "生效日期过远，请在允许的期限内设置")
)

// Service reads and sets regional policy. Build it once.
type Service struct {
	st      Store
	now     func() time.Time
	horizon time.Duration // the latest effectiveFrom is today + horizon
}

// New builds the service.
// horizon bounds how far ahead a change may be dated (config PALMAID_POLICY_HORIZON).
func New(st Store, now func() time.Time, horizon time.Duration) *Service {
	return &Service{st: st, now: now, horizon: horizon}
}

// Value is one setting in force in an area on a date.
type Value struct {
	Spec model.SettingSpec
	Raw  string // the stored form
	// Where the value comes from: the area that set it (its code, name and level) and since
	// when; AreaCode "" is the national default.
	AreaCode, AreaName string
	Level              int
	EffectiveFrom      string
}

// Override is one row set at the area itself.
type Override struct {
	Spec          model.SettingSpec
	Raw           string
	EffectiveFrom string
}

// AreaPolicy is what an administrator sees for an area on a date.
type AreaPolicy struct {
	AreaCode, AreaName string
	Date               string
	Ref                string // the reference a decision made in this area on Date records
	Values             []Value
	Overrides          []Override
}

// Change sets an area's values from a date. A nil value removes the area's own row for that
// key and date (the area inherits again from then).
type Change struct {
	EffectiveFrom string
	Values        map[string]json.RawMessage
}

func (s *Service) area(ctx context.Context, admin *model.Staff, code string) (model.AreaCode, *model.Area, error) {
	if !admin.Can(model.PermRegionAdmin) {
		return "", nil, model.ErrForbidden
	}
	c, err := model.ParseAreaCode(code)
	if err != nil || !admin.Area().Contains(c) {
		return "", nil, ErrAreaNotFound
	}
	a, err := s.st.GetArea(ctx, string(c))
	if err != nil {
		if errors.Is(err, store.ErrAreaUnknown) {
			return "", nil, ErrAreaNotFound
		}
		return "", nil, err
	}
	return c, a, nil
}

func validDate(d string) bool {
	_, ok := model.ParseDate(d, time.UTC)
	return ok
}

// Get reads the policy in force in an area on date ("" today) and the area's own rows.
func (s *Service) Get(ctx context.Context, admin *model.Staff, code, date string) (*AreaPolicy, error) {
	if date == "" {
		date = calendar.DateOf(s.now())
	} else if !validDate(date) {
		return nil, ErrInvalidDate.WithField("date", "YYYY-MM-DD")
	}
	c, a, err := s.area(ctx, admin, code)
	if err != nil {
		return nil, err
	}
	return s.read(ctx, c, a, date)
}

func (s *Service) read(ctx context.Context, c model.AreaCode, a *model.Area, date string) (*AreaPolicy, error) {
	rows, err := s.st.RegionSettingsFor(ctx, c, date)
	if err != nil {
		return nil, err
	}
	resolved := model.ResolveSettings(rows, model.AreaChain(c), date)
	values := map[model.SettingKey]string{}
	for k, r := range resolved {
		values[k] = r.Value
	}
	names := map[string]*model.Area{string(c): a}
	out := &AreaPolicy{AreaCode: string(c), AreaName: a.Name, Date: date, Ref: model.PolicyRef(date, values)}
	for _, spec := range model.Settings() {
		v := Value{Spec: spec, Raw: spec.Default}
		if r, ok := resolved[spec.Key]; ok && spec.Valid(r.Value) {
			v.Raw, v.AreaCode, v.EffectiveFrom = strings.TrimSpace(r.Value), r.AreaCode, r.EffectiveFrom
			src, seen := names[r.AreaCode]
			if !seen {
				if src, err = s.st.GetArea(ctx, r.AreaCode); err != nil {
					src = &model.Area{Code: r.AreaCode, Level: model.AreaCode(r.AreaCode).Level()} // not loaded: code only
				}
				names[r.AreaCode] = src
			}
			v.AreaName, v.Level = src.Name, src.Level
		}
		out.Values = append(out.Values, v)
	}
	own, err := s.st.RegionSettingsAt(ctx, string(c))
	if err != nil {
		return nil, err
	}
	for _, r := range own {
		spec, ok := model.SettingByKey(model.SettingKey(r.Key))
		if !ok {
			spec = model.SettingSpec{Key: model.SettingKey(r.Key), Label: "（已不再使用的设置项）"}
		}
		out.Overrides = append(out.Overrides, Override{Spec: spec, Raw: r.Value, EffectiveFrom: r.EffectiveFrom})
	}
	return out, nil
}

// Set writes an area's values from ch.EffectiveFrom (after today), audited, in one transaction,
// and returns the area's policy on that date.
func (s *Service) Set(ctx context.Context, admin *model.Staff, code string, ch Change) (*AreaPolicy, error) {
	if !validDate(ch.EffectiveFrom) {
		return nil, ErrInvalidDate.WithField("effectiveFrom", "YYYY-MM-DD，最早为明天")
	}
	c, a, err := s.area(ctx, admin, code)
	if err != nil {
		return nil, err
	}
	if len(ch.Values) == 0 {
		return nil, ErrNoValues
	}
	keys := make([]string, 0, len(ch.Values))
	for k := range ch.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	set := map[model.SettingKey]*string{}
	var bad *model.Error
	for _, k := range keys {
		spec, ok := model.SettingByKey(model.SettingKey(k))
		if !ok {
			return nil, ErrUnknownSetting.WithField("values."+k, "不是可设置的项目，见 docs/POLICY.md")
		}
		raw, err := Decode(spec, ch.Values[k])
		if err != nil {
			if err.Kind == model.KindInvalid {
				return nil, err
			}
			if bad == nil {
				bad = ErrOutOfRange
			}
			for f, h := range err.Fields {
				bad = bad.WithField(f, h)
			}
			continue
		}
		set[spec.Key] = raw
	}
	if bad != nil {
		return nil, bad
	}
	now := s.now()
	if ch.EffectiveFrom <= calendar.DateOf(now) {
		return nil, ErrNotFuture
	}
	if last := calendar.DateOf(now.Add(s.horizon)); ch.EffectiveFrom > last {
		return nil, ErrBeyondHorizon.WithField("effectiveFrom", "最晚为 "+last)
	}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		own, err := s.st.RegionSettingsAt(ctx, string(c))
		if err != nil {
			return err
		}
		old := map[model.SettingKey]string{}
		for _, r := range own {
			if r.EffectiveFrom == ch.EffectiveFrom {
				old[model.SettingKey(r.Key)] = r.Value
			}
		}
		var rows []model.RegionSetting
		var detail []string
		for _, k := range keys {
			key := model.SettingKey(k)
			before, had := old[key]
			if !had {
				before = "-"
			}
			if v := set[key]; v != nil {
				rows = append(rows, model.RegionSetting{AreaCode: string(c), Key: k, Value: *v, EffectiveFrom: ch.EffectiveFrom})
				detail = append(detail, k+"="+before+"→"+*v)
			} else {
				if err := s.st.DeleteRegionSetting(ctx, string(c), k, ch.EffectiveFrom); err != nil {
					return err
				}
				detail = append(detail, k+"="+before+"→(inherit)")
			}
		}
		if err := s.st.UpsertRegionSettings(ctx, rows); err != nil {
			return err
		}
		// The amount method and its tiers must agree on the date the change takes effect.
		after, err := s.st.RegionSettingsFor(ctx, c, ch.EffectiveFrom)
		if err != nil {
			return err
		}
		res := model.ResolveSettings(after, model.AreaChain(c), ch.EffectiveFrom)
		if strings.TrimSpace(res[model.SetAmountMethod].Value) == model.AmountTiers {
			if _, ok := model.ParseAmountTiers(res[model.SetAmountTiers].Value); !ok {
				spec, _ := model.SettingByKey(model.SetAmountTiers)
				return ErrTiersRequired.WithField("values."+string(model.SetAmountTiers), spec.Range())
			}
		}
		d := fmt.Sprintf("area=%s from=%s %s", c, ch.EffectiveFrom, strings.Join(detail, "; "))
		if len(d) > 1000 {
			d = d[:1000]
		}
		return s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, admin.ID, admin.AreaCode, ActionSet, nil, d, now))
	})
	if err != nil {
		return nil, err
	}
	return s.read(ctx, c, a, ch.EffectiveFrom)
}

// Decode reads one setting's JSON value into its stored form (nil for JSON null: remove). A
// value of the wrong JSON type is ErrInvalidValue (400); one outside the range ErrOutOfRange
// (422); both name the field ("values.<key>").
func Decode(spec model.SettingSpec, msg json.RawMessage) (*string, *model.Error) {
	field := "values." + string(spec.Key)
	msg = bytes.TrimSpace(msg)
	if string(msg) == "null" {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(msg))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var raw string
	var typeHint string
	switch spec.Type {
	case model.TypeInteger, model.TypeCents, model.TypeRatio:
		var n json.Number
		typeHint = "应为数字"
		if len(msg) == 0 || msg[0] == '"' || dec.Decode(&n) != nil { // json.Number would take "85000" too
			return nil, ErrInvalidValue.WithField(field, typeHint)
		}
		raw = n.String()
	case model.TypeBool:
		var b bool
		typeHint = "应为 true 或 false"
		if dec.Decode(&b) != nil {
			return nil, ErrInvalidValue.WithField(field, typeHint)
		}
		raw = fmt.Sprint(b)
	case model.TypeEnum:
		typeHint = "应为字符串：" + spec.Range()
		if dec.Decode(&raw) != nil {
			return nil, ErrInvalidValue.WithField(field, typeHint)
		}
	case model.TypeTiers:
		var tiers []model.AmountTier
		typeHint = `应为数组：[{"ceilPermille":300,"amountPermille":1000},…]`
		if dec.Decode(&tiers) != nil {
			return nil, ErrInvalidValue.WithField(field, typeHint)
		}
		raw = model.FormatAmountTiers(tiers)
	case model.TypeMonths:
		var months []int
		typeHint = "应为整数数组，如 [1,2,3]"
		if dec.Decode(&months) != nil {
			return nil, ErrInvalidValue.WithField(field, typeHint)
		}
		raw = model.FormatMonths(months)
	case model.TypeColumns:
		var cols []string
		typeHint = "应为列名数组，如 [\"序号\",\"账号\",\"反馈状态\"]"
		if dec.Decode(&cols) != nil {
			return nil, ErrInvalidValue.WithField(field, typeHint)
		}
		for _, c := range cols {
			if strings.Contains(c, ",") {
				return nil, ErrOutOfRange.WithField(field, "允许范围："+spec.Range())
			}
		}
		raw = strings.Join(cols, ",")
	}
	if dec.More() {
		return nil, ErrInvalidValue.WithField(field, typeHint)
	}
	if !spec.Valid(raw) {
		return nil, ErrOutOfRange.WithField(field, "允许范围："+spec.Range())
	}
	return &raw, nil
}

// Encode is a stored value as typed JSON: a number (integers, fen and ratios, the ratio exact as
// written: 1.5), a boolean, a string (enums), tiers as [{ceilPermille, amountPermille}], months as
// [1,2,3]. A value that does not parse is returned as its string.
func Encode(spec model.SettingSpec, raw string) any {
	raw = strings.TrimSpace(raw)
	if !spec.Valid(raw) {
		return raw
	}
	switch spec.Type {
	case model.TypeInteger, model.TypeCents:
		n, _ := strconv.ParseInt(raw, 10, 64)
		return json.Number(strconv.FormatInt(n, 10))
	case model.TypeRatio:
		n, _ := model.ParsePermille(raw)
		return json.Number(model.FormatPermille(n))
	case model.TypeBool:
		b, _ := strconv.ParseBool(raw)
		return b
	case model.TypeTiers:
		tiers, _ := model.ParseAmountTiers(raw)
		if tiers == nil {
			tiers = []model.AmountTier{}
		}
		return tiers
	case model.TypeMonths:
		m, _ := model.ParseMonths(raw)
		return m
	case model.TypeColumns:
		return model.ParseColumns(raw)
	}
	return raw
}
