package store

import (
	"context"

	"palmaid/model"
)

// areaChunk bounds the codes of one IN (…) list.
const areaChunk = 500

// AreasByCode returns the stored areas among codes (active or not), by code.
func (s *ReferenceRepo) AreasByCode(ctx context.Context, codes []string) (map[string]model.Area, error) {
	out := make(map[string]model.Area, len(codes))
	for i := 0; i < len(codes); i += areaChunk {
		var rows []model.Area
		if err := s.conn(ctx).Where("code IN ?", codes[i:min(i+areaChunk, len(codes))]).Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, a := range rows {
			out[a.Code] = a
		}
	}
	return out, nil
}

// ActiveAreaCodesUnder lists the active areas strictly inside root's subtree at the given
// levels, by code.
func (s *ReferenceRepo) ActiveAreaCodesUnder(ctx context.Context, root model.AreaCode, levels []int) ([]string, error) {
	var out []string
	if len(levels) == 0 {
		return out, nil
	}
	err := s.conn(ctx).Model(&model.Area{}).Where("code LIKE ? AND code <> ? AND active = ? AND level IN ?",
		root.Prefix()+"%", string(root), true, levels).Order("code").Pluck("code", &out).Error
	return out, err
}

// InsertAreas adds new areas (active).
func (s *ReferenceRepo) InsertAreas(ctx context.Context, areas []model.Area) error {
	if len(areas) == 0 {
		return nil
	}
	for i := range areas {
		areas[i].Active = true
	}
	return s.conn(ctx).CreateInBatches(&areas, areaChunk).Error
}

// RenameArea sets an area's name.
func (s *ReferenceRepo) RenameArea(ctx context.Context, code, name string) error {
	return s.conn(ctx).Model(&model.Area{}).Where("code = ?", code).Update("name", name).Error
}

// SetAreasActive marks areas active or inactive; areas are never deleted.
func (s *ReferenceRepo) SetAreasActive(ctx context.Context, codes []string, active bool) error {
	for i := 0; i < len(codes); i += areaChunk {
		if err := s.conn(ctx).Model(&model.Area{}).Where("code IN ?", codes[i:min(i+areaChunk, len(codes))]).
			Update("active", active).Error; err != nil {
			return err
		}
	}
	return nil
}
