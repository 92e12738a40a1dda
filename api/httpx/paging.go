package httpx

// The one paging rule of the list handlers. A handler asks its use case for Page.Fetch() items
// — one more than the page — and passes what came to PageOf: the extra item only says that a
// next page exists. So a full last page has no cursor, and no client is sent to an empty page.
// A use case that already knows its next position (it fetched one more itself) hands it to
// NextCursor.

// Fetch is how many items a handler asks for: the page and one more.
func (p Page) Fetch() int { return p.Limit + 1 }

// PageOf cuts items (fetched with p.Fetch()) to the page and answers the cursor of the next
// page: the last kept item's id, or "" when nothing lies beyond this page.
func PageOf[T any](p Page, items []T, id func(T) uint64) ([]T, string) {
	if len(items) <= p.Limit {
		return items, ""
	}
	items = items[:p.Limit]
	return items, EncodeCursor(id(items[len(items)-1]))
}

// NextCursor is the cursor of a next page a use case found (0: none, "").
func NextCursor(next uint64) string {
	if next == 0 {
		return ""
	}
	return EncodeCursor(next)
}
