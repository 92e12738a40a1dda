package model

import (
	"fmt"
	"slices"
	"testing"
)

// The draw: the share rounded up, the same sample for the same seed and population (in any
// order), a different sample for other seeds, every case drawn by some seed.
func TestSpotSample(t *testing.T) {
	for _, c := range []struct{ n, pct, want int }{{0, 30, 0}, {1, 30, 1}, {3, 30, 1}, {4, 30, 2}, {10, 30, 3}, {11, 30, 4}, {5, 0, 0}, {5, 100, 5}} {
		if got := SpotSampleSize(c.n, c.pct); got != c.want {
			t.Errorf("SpotSampleSize(%d, %d) = %d, want %d", c.n, c.pct, got, c.want)
		}
	}
	pop := []string{}
	for i := range 20 {
		pop = append(pop, fmt.Sprintf("case-%02d", i))
	}
	a := SpotSample("seed-1", pop, 30)
	reversed := slices.Clone(pop)
	slices.Reverse(reversed)
	if b := SpotSample("seed-1", reversed, 30); len(a) != 6 || !slices.Equal(a, b) {
		t.Fatalf("same seed and population: %v and %v", a, b)
	}
	drawn := map[string]bool{}
	differs := false
	for i := range 200 {
		s := SpotSample(fmt.Sprintf("seed-%d", i), pop, 30)
		differs = differs || !slices.Equal(s, a)
		for _, id := range s {
			drawn[id] = true
		}
	}
	if !differs || len(drawn) != len(pop) {
		t.Fatalf("other seeds: differ %v, cases ever drawn %d of %d", differs, len(drawn), len(pop))
	}
	// the documented rule: the k smallest SHA-256("seed:id")
	if got := SpotRank("abc", "x"); got != "68a170c1f5d6d10b5011496348a45eb9197565608a6bbf98d2948852bb4737b0" { // printf 'abc:x' | sha256sum
		t.Fatalf("rank is SHA-256(seed:id) in hex: %s", got)
	}
}
