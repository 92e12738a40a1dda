package contentcheck

import (
	"context"
	"palmaid/model"
)

// Store is what this package needs of the store, and all it may call (*store.Store satisfies it).
type Store interface {
	GetResident(ctx context.Context, id uint64) (*model.Resident, error)
}
