package store

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// ColumnInfo is one column's declared shape, normalised so both backends compare: Class is
// int | text | blob | time | real, Length the declared character length of char/varchar columns
// (0 for unbounded text and for the other classes).
type ColumnInfo struct {
	Name   string
	Class  string
	Length int
}

func (c ColumnInfo) String() string { return fmt.Sprintf("%s %s(%d)", c.Name, c.Class, c.Length) }

var sqliteType = regexp.MustCompile(`^([A-Za-z ]+?)\s*(?:\((\d+)(?:\s*,\s*\d+)?\))?$`)

// Schema lists every application table's columns (goose's own table excluded), by name.
func (s *Store) Schema(ctx context.Context) (map[string][]ColumnInfo, error) {
	out := map[string][]ColumnInfo{}
	db := s.db.WithContext(ctx)
	switch s.dialect {
	case "mysql":
		rows, err := db.Raw(`SELECT table_name, column_name, data_type, COALESCE(character_maximum_length, 0)
			FROM information_schema.columns WHERE table_schema = DATABASE()`).Rows()
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var table, name, typ string
			var length int64
			if err := rows.Scan(&table, &name, &typ, &length); err != nil {
				return nil, err
			}
			out[table] = append(out[table], normalise(name, typ, int(length)))
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	case "sqlite":
		var tables []string
		if err := db.Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).Scan(&tables).Error; err != nil {
			return nil, err
		}
		for _, table := range tables {
			var cols []struct {
				Name string
				Type string
			}
			// table_xinfo: generated columns too (hidden 2 and 3; 1 is a virtual table's)
			if err := db.Raw(`SELECT name, type FROM pragma_table_xinfo(?) WHERE hidden <> 1`, table).Scan(&cols).Error; err != nil {
				return nil, err
			}
			for _, c := range cols {
				m := sqliteType.FindStringSubmatch(strings.TrimSpace(c.Type))
				if m == nil {
					return nil, fmt.Errorf("%s.%s: unparsed type %q", table, c.Name, c.Type)
				}
				n, _ := strconv.Atoi(m[2])
				out[table] = append(out[table], normalise(c.Name, m[1], n))
			}
		}
	}
	delete(out, "goose_db_version")
	delete(out, "goose_lock") // goose's own tables
	for _, cols := range out {
		sort.Slice(cols, func(i, j int) bool { return cols[i].Name < cols[j].Name })
	}
	return out, nil
}

func normalise(name, typ string, length int) ColumnInfo {
	switch strings.ToLower(strings.TrimSpace(typ)) {
	case "tinyint", "smallint", "int", "integer", "bigint", "bigint unsigned", "int unsigned":
		return ColumnInfo{Name: name, Class: "int"}
	case "char", "varchar":
		return ColumnInfo{Name: name, Class: "text", Length: length}
	case "text", "mediumtext", "longtext":
		return ColumnInfo{Name: name, Class: "text"}
	case "blob", "varbinary", "binary", "mediumblob":
		return ColumnInfo{Name: name, Class: "blob"}
	case "datetime", "timestamp":
		return ColumnInfo{Name: name, Class: "time"}
	case "double", "real", "float", "decimal":
		return ColumnInfo{Name: name, Class: "real"}
	}
	return ColumnInfo{Name: name, Class: "?" + typ, Length: length}
}

// RawForTest runs a statement through GORM (with the store's callbacks).
func (s *Store) RawForTest(ctx context.Context, sql string) error {
	var n []int
	return s.conn(ctx).Raw(sql).Scan(&n).Error
}
