package store

import "gorm.io/gorm"

// saveVersioned writes every column of row (but id and created_at) if nobody changed it since it
// was read: *version is the version read, incremented here. When another writer came first
// nothing is written, *version is restored and conflict is answered. The optimistic save of
// benefits, rosters, reviews, 调标 batches and 失信 records.
func saveVersioned[T any](db *gorm.DB, row *T, id uint64, version *int, conflict error) error {
	old := *version
	*version++
	res := db.Model(new(T)).Where("id = ? AND version = ?", id, old).Select("*").Omit("id", "created_at").Updates(row)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		*version = old
		return conflict
	}
	return nil
}
