package store

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations
var migrationFiles embed.FS

func (s *core) provider() (*goose.Provider, error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	dir, dialect := "migrations/sqlite", goose.DialectSQLite3
	var opts []goose.ProviderOption
	if s.dialect == "mysql" {
		dir, dialect = "migrations/mysql", goose.DialectMySQL
		// Replicas starting together take turns: goose's table-based lock for MySQL.
		locker, err := lock.NewMySQLTableLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithLocker(locker))
	}
	sub, err := fs.Sub(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(dialect, sqlDB, sub, opts...)
}

// MigrateUp applies every pending migration and returns the resulting version.
func (s *core) MigrateUp(ctx context.Context) (int64, error) {
	p, err := s.provider()
	if err != nil {
		return 0, err
	}
	if _, err := p.Up(ctx); err != nil {
		return 0, fmt.Errorf("migrate up: %w", err)
	}
	return p.GetDBVersion(ctx)
}

// SchemaVersion returns the database's version and the newest version this binary knows.
func (s *core) SchemaVersion(ctx context.Context) (current, latest int64, err error) {
	p, err := s.provider()
	if err != nil {
		return 0, 0, err
	}
	sources := p.ListSources()
	if len(sources) > 0 {
		latest = sources[len(sources)-1].Version
	}
	current, err = p.GetDBVersion(ctx)
	return current, latest, err
}

// EnsureCurrent refuses to serve on a schema older (or newer) than this binary's.
func (s *core) EnsureCurrent(ctx context.Context) error {
	current, latest, err := s.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("read schema version (run `palmaid migrate up`): %w", err)
	}
	if current != latest {
		return fmt.Errorf("database schema is at version %d, this binary needs %d: run `palmaid migrate up`", current, latest)
	}
	return nil
}

// MigrationsDigest is a hex SHA-256 over the names and contents of the migrations this binary
// applies for driver ("mysql" or "sqlite"): two databases migrated by binaries with the same
// digest have the same schema. The test environment keys its migrated template databases by it.
func MigrationsDigest(driver string) (string, error) {
	dir := "migrations/sqlite"
	if driver == "mysql" {
		dir = "migrations/mysql"
	}
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, e := range entries { // ReadDir sorts by name
		b, err := fs.ReadFile(migrationFiles, dir+"/"+e.Name())
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", e.Name(), len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
