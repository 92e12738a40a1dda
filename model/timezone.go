package model

import "time"

// china is China Standard Time, loaded once at package initialisation and never changed.
var china = loadChina()

func loadChina() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}

// China is China Standard Time (Asia/Shanghai), the zone of every civil date here: due dates,
// case numbers, the audit day, what the screens show. service/calendar and the faces use it.
func China() *time.Location { return china }
