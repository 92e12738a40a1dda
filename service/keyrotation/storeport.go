package keyrotation

import (
	"context"
	"palmaid/model"
	"palmaid/service/store"
)

// Store is what this package needs of the store, and all it may call (*store.Store satisfies it).
type Store interface {
	DocumentObjects(ctx context.Context, after uint64, limit int) ([]model.Document, error)
	ReplaceSealed(ctx context.Context, c store.SealedColumn, id uint64, prev, next []byte) (bool, error)
	ReplaceSealedText(ctx context.Context, c store.SealedColumn, id uint64, prev, next string) (bool, error)
	SealedBatch(ctx context.Context, c store.SealedColumn, after uint64, limit int) ([]store.SealedValue, error)
	SealedTextBatch(ctx context.Context, c store.SealedColumn, after uint64, limit int) ([]store.SealedTextValue, error)
}
