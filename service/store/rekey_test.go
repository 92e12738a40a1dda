package store_test

import (
	"context"
	"strings"
	"testing"

	"palmaid/service/store"
	"palmaid/service/testenv"
)

// Every encrypted column of the schema (named *_enc) is in store.SealedColumns, so
// `palmaid keys rotate` cannot miss one added by a later migration.
func TestSealedColumnsListed(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		schema, err := be.Store(t).Schema(context.Background())
		testenv.Must(t, err)
		listed := map[string]bool{}
		for _, c := range store.SealedColumns {
			listed[c.String()] = true
		}
		found := 0
		for table, cols := range schema {
			for _, c := range cols {
				if strings.HasSuffix(c.Name, "_enc") {
					found++
					if !listed[table+"."+c.Name] {
						t.Errorf("%s.%s is not in store.SealedColumns", table, c.Name)
					}
				}
			}
		}
		if found != len(store.SealedColumns) {
			t.Errorf("%d encrypted columns in the schema, %d listed", found, len(store.SealedColumns))
		}
	})
}
