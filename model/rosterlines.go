package model

// LineQuery selects a page of a roster's lines (issue 24: line search instead of every step
// answering all lines). Empty fields do not filter.
type LineQuery struct {
	Only       string // the viewer's own town or village: only lines in it
	Area       string // a town or village of the county: its lines
	NamePrefix string // the start of the name of a person the line pays for (household member)
	IDBidx     string // the blind index of the ID number of such a person
	Status     string // pending | paid | failed
	After      uint64 // the last line id of the page before
	Limit      int
}

// BenefitCount is the benefits of one category in one village (or other area) paying a month:
// how many, the persons they cover and how many start that month.
type BenefitCount struct {
	Category Category
	AreaCode string
	N        int
	Persons  int
	New      int
}

// LineSum is the roster lines of an area subtree of one month, kind and status: how many, the
// money and the persons.
type LineSum struct {
	Month   string
	Kind    string
	Status  string
	N       int
	Cents   int64
	Persons int
}

// Rural: a village-level code whose last three digits are 200–399 is a 村委会 (统计用区划代码:
// 001–199 居委会, 200–399 村委会).
func Rural(code string) bool {
	if len(code) != 12 {
		return false
	}
	v := code[9:]
	return v >= "200" && v < "400"
}
