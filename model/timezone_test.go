package model

import (
	"testing"
	"time"
)

// Every civil date here is China's (China Standard Time, no daylight saving since 1991).
func TestChinaTime(t *testing.T) {
	for _, at := range []time.Time{time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), time.Date(2026, 7, 15, 16, 30, 0, 0, time.UTC)} {
		if _, off := at.In(China()).Zone(); off != 8*3600 {
			t.Fatalf("%v: offset %d s", at, off)
		}
	}
	if d := time.Date(2026, 11, 22, 16, 0, 0, 0, time.UTC).In(China()).Format("2006-01-02"); d != "2026-11-23" {
		t.Fatalf("16:00 UTC is the next day in China: %s", d)
	}
	if China() != China() {
		t.Fatal("China() is not one location")
	}
}
