package httpx

import "testing"

func TestPageOfHasNoEmptyLastPage(t *testing.T) {
	id := func(n uint64) uint64 { return n }
	p := Page{Limit: 2}
	if p.Fetch() != 3 {
		t.Fatalf("fetch %d, want the page and one more", p.Fetch())
	}
	// a full last page: exactly Limit items came back, so nothing lies beyond it
	if items, next := PageOf(p, []uint64{9, 8}, id); len(items) != 2 || next != "" {
		t.Fatalf("full last page: %v %q", items, next)
	}
	if items, next := PageOf(p, []uint64{9, 8, 7}, id); len(items) != 2 || next != EncodeCursor(8) {
		t.Fatalf("a page with more behind it: %v %q", items, next)
	}
	if items, next := PageOf(p, nil, id); len(items) != 0 || next != "" {
		t.Fatalf("empty: %v %q", items, next)
	}
	if NextCursor(0) != "" || NextCursor(8) != EncodeCursor(8) {
		t.Fatal("NextCursor")
	}
}
