package app

import (
	"context"
	"log/slog"
	"time"

	"palmaid/config"
)

// OpenMaintenance opens what an offline command needs — the database (at this binary's
// schema), the cipher with every configured key and the document storage — without Redis,
// WeChat or seeding (`palmaid keys rotate`).
func OpenMaintenance(ctx context.Context, cfg config.Config, log *slog.Logger) (a *App, err error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a = &App{Config: cfg, Log: log, Now: func() time.Time { return time.Now().UTC() }}
	built := a
	defer func() {
		if err != nil {
			_ = built.Close()
		}
	}()
	if a.Cipher, err = newCipher(cfg); err != nil {
		return nil, err
	}
	if err := a.openStore(ctx); err != nil {
		return nil, DatabaseError(cfg, err)
	}
	if err := a.openStorage(ctx); err != nil {
		return nil, err
	}
	return a, nil
}
