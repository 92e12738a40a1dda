package model

import "strings"

// Area levels in the 12-digit 行政区划代码: province 2, city 2, county 2, town 3, village 3.
const (
	LevelProvince = 1
	LevelCity     = 2
	LevelCounty   = 3
	LevelTown     = 4
	LevelVillage  = 5
)

var levelDigits = [...]int{0, 2, 4, 6, 9, 12}

// AreaCode is a 12-digit administrative-division code.
type AreaCode string

// ParseAreaCode checks the shape: 12 ASCII digits, a non-zero province, and no level left
// empty above the deepest one (371522000001 is not a code), the county excepted.
func ParseAreaCode(s string) (AreaCode, error) {
	if len(s) != 12 {
		return "", ErrInvalidAreaCode
	}
	for i := 0; i < 12; i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", ErrInvalidAreaCode
		}
	}
	c := AreaCode(s)
	if c.Level() == 0 {
		return "", ErrInvalidAreaCode
	}
	// Every level above the deepest must be set, except the county: cities such as 东莞 and
	// 中山 have towns directly under them (4419 00 003 000).
	for lvl := LevelCity; lvl < c.Level(); lvl++ {
		if lvl != LevelCounty && strings.Trim(s[levelDigits[lvl-1]:levelDigits[lvl]], "0") == "" {
			return "", ErrInvalidAreaCode
		}
	}
	return c, nil
}

// Level is the deepest level with non-zero digits (0 when the code is all zeros).
func (c AreaCode) Level() int {
	s := string(c)
	if len(s) != 12 {
		return 0
	}
	for lvl := LevelVillage; lvl >= LevelProvince; lvl-- {
		if strings.Trim(s[levelDigits[lvl-1]:levelDigits[lvl]], "0") != "" {
			return lvl
		}
	}
	return 0
}

// Prefix is the significant part of the code: all codes in this area's subtree start with it.
func (c AreaCode) Prefix() string { return string(c)[:levelDigits[c.Level()]] }

// Ancestor returns the code of the enclosing area at level lvl (zero-filled).
func (c AreaCode) Ancestor(lvl int) AreaCode {
	n := levelDigits[lvl]
	return AreaCode(string(c)[:n] + strings.Repeat("0", 12-n))
}

// Contains reports whether other lies in c's subtree (c itself included).
func (c AreaCode) Contains(other AreaCode) bool {
	return c.Level() > 0 && strings.HasPrefix(string(other), c.Prefix())
}

// Area is one node of the area tree.
type Area struct {
	Code       string `gorm:"primaryKey;size:12" json:"code"`
	ParentCode string `gorm:"size:12;not null" json:"parentCode"`
	Name       string `gorm:"size:64;not null" json:"name"`
	Level      int    `gorm:"not null" json:"level"`
	// Active is false for an area that disappeared from the published division codes: it
	// stays (cases and staff refer to it) but is no longer offered for new applications.
	Active bool `gorm:"not null;default:true" json:"active"`
}

func (Area) TableName() string { return "areas" }

// RegionSetting is one configurable number for a region, effective from a date; later rows
// never rewrite decisions taken under earlier ones. Value is a decimal string (amounts in fen).
type RegionSetting struct {
	ID            uint64 `gorm:"primaryKey"`
	AreaCode      string `gorm:"size:12;not null"`
	Key           string `gorm:"size:64;not null"`
	Value         string `gorm:"size:255;not null"`
	EffectiveFrom string `gorm:"size:10;not null"`
}

func (RegionSetting) TableName() string { return "region_settings" }

// ParentOf returns the code of the area directly above c: the next level up whose digits are
// set (a town of a city without counties, 441900003000, lies under the city 441900000000);
// "" for a province.
func (c AreaCode) ParentOf() AreaCode {
	for lvl := c.Level() - 1; lvl >= LevelProvince; lvl-- {
		if a := c.Ancestor(lvl); a.Level() == lvl {
			return a
		}
	}
	return ""
}

// LevelName is the Chinese name of an area level.
func LevelName(lvl int) string {
	switch lvl {
	case LevelProvince:
		return "省"
	case LevelCity:
		return "市"
	case LevelCounty:
		return "县（区）"
	case LevelTown:
		return "乡镇（街道）"
	case LevelVillage:
		return "村（社区）"
	}
	return ""
}
