package model

import (
	"math"
	"strconv"
)

// ErrInvalidID: a numeric id in a path is not a positive decimal number the database can hold.
var ErrInvalidID = Invalid("request.invalid_id", "编号格式不正确")

// ParseID reads a numeric row id (a path parameter): decimal digits only, 1 ≤ id ≤ 2^63−1 (the
// largest id both databases store; SQLite refuses a larger one as a query argument, MySQL's
// BIGINT UNSIGNED would accept it but no row has it). Anything else is ErrInvalidID: every
// numeric path id goes through here, so none reaches a query the database cannot answer.
func ParseID(s string) (uint64, error) {
	if s == "" || len(s) > 19 {
		return 0, ErrInvalidID
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, ErrInvalidID
		}
	}
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil || id == 0 || id > math.MaxInt64 {
		return 0, ErrInvalidID
	}
	return id, nil
}
