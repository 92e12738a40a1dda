package store

import (
	"context"

	"palmaid/model"
)

// RegionPolicy resolves every setting of an area on a date (most specific area first, latest
// effective date first) in one query and returns the typed policy.
func (s *ReferenceRepo) RegionPolicy(ctx context.Context, area model.AreaCode, date string) (model.Policy, error) {
	rows, err := s.RegionSettingsFor(ctx, area, date)
	if err != nil {
		return model.Policy{}, err
	}
	values := map[model.SettingKey]string{}
	for k, r := range model.ResolveSettings(rows, model.AreaChain(area), date) {
		values[k] = r.Value
	}
	p := model.PolicyFrom(values)
	p.Ref = model.PolicyRef(date, values)
	return p, nil
}

// RegionSettingsFor lists the rows of an area and its ancestors effective on or before date.
func (s *ReferenceRepo) RegionSettingsFor(ctx context.Context, area model.AreaCode, date string) ([]model.RegionSetting, error) {
	chain := model.AreaChain(area)
	codes := make([]string, len(chain))
	for i, c := range chain {
		codes[i] = string(c)
	}
	var rows []model.RegionSetting
	err := s.conn(ctx).Where("area_code IN ? AND effective_from <= ?", codes, date).
		Order("effective_from DESC").Find(&rows).Error
	return rows, err
}

// RegionSettingsAt lists every row set at one area (past, current and future), by key and date.
func (s *ReferenceRepo) RegionSettingsAt(ctx context.Context, area string) ([]model.RegionSetting, error) {
	var rows []model.RegionSetting
	err := s.conn(ctx).Where("area_code = ?", area).Order("`key`, effective_from").Find(&rows).Error
	return rows, err
}

// DeleteRegionSetting removes one row (an area's value for a key from a date).
func (s *ReferenceRepo) DeleteRegionSetting(ctx context.Context, area, key, from string) error {
	return s.conn(ctx).Where("area_code = ? AND `key` = ? AND effective_from = ?", area, key, from).
		Delete(&model.RegionSetting{}).Error
}
