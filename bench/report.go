package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// The table a run prints.

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

func printTable(w io.Writer, backend string, ready time.Duration, rows []result, rss int64, idle int) {
	var sqlFloor, redisFloor float64
	for _, r := range rows {
		switch {
		case strings.Contains(r.Name, "PK SELECT"):
			sqlFloor = r.RPS()
		case strings.Contains(r.Name, "Redis GET"):
			redisFloor = r.RPS()
		}
	}
	fmt.Fprintf(w, "\npalmaid bench: %s; %d CPUs; /readyz after %s\n\n", backend, numCPU(), ready.Round(time.Millisecond))
	fmt.Fprintf(w, "| %-34s | %5s | %8s | %8s | %8s | %6s | %9s | %11s |\n", "endpoint", "conns", "req/s", "p50", "p99", "errors", "vs SQL floor", "vs Redis floor")
	fmt.Fprintf(w, "|%s|%s|%s|%s|%s|%s|%s|%s|\n", strings.Repeat("-", 36), strings.Repeat("-", 7), strings.Repeat("-", 10), strings.Repeat("-", 10), strings.Repeat("-", 10), strings.Repeat("-", 8), strings.Repeat("-", 14), strings.Repeat("-", 16))
	for _, r := range rows {
		ratio := func(f float64) string {
			if f == 0 {
				return "-"
			}
			return fmt.Sprintf("%.2f", r.RPS()/f)
		}
		name := r.Name
		fmt.Fprintf(w, "| %-34s | %5d | %8.0f | %8s | %8s | %6d | %12s | %14s |\n", name, r.Conns, r.RPS(), ms(r.P50), ms(r.P99), r.Errors, ratio(sqlFloor), ratio(redisFloor))
	}
	for _, r := range rows {
		if r.Note != "" {
			fmt.Fprintf(w, "\n%s: %s", r.Name, r.Note)
		}
	}
	fmt.Fprintf(w, "\nRSS of palmaid holding %d idle keep-alive connections: %.1f MB\n", idle, float64(rss)/(1<<20))
}

func numCPU() int {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return 0
	}
	return strings.Count(string(b), "\nprocessor") + boolInt(strings.HasPrefix(string(b), "processor"))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}
