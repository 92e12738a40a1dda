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
