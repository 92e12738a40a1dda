package httpx_test

import (
	"encoding/json"
	"testing"
	"time"

	"palmaid/api/httpx"
)

type inner struct {
	Items []string          `json:"items"`
	Tags  map[string]string `json:"tags"`
}

type outer struct {
	Income    []int     `json:"income"`
	Maybe     []int     `json:"maybe,omitempty"`
	Inner     inner     `json:"inner"`
	Ptr       *inner    `json:"ptr"`
	NilPtr    *inner    `json:"nilPtr"`
	List      []inner   `json:"list"`
	At        time.Time `json:"at"`
	Raw       []byte    `json:"raw"`
	Anything  any       `json:"anything"`
	unexposed []int
}

// TestEmptyListsEncodeAsArrays: nil slices and maps at any depth are written as [] and {}
// (facts.income and facts.supporters were answered as null), and the original is untouched.
func TestEmptyListsEncodeAsArrays(t *testing.T) {
	shared := &inner{}
	v := outer{Ptr: shared, List: []inner{{}}, Anything: map[string]any{"x": []string(nil)}}
	b, err := json.Marshal(httpx.EmptyLists(v))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"income":[],"inner":{"items":[],"tags":{}},"ptr":{"items":[],"tags":{}},"nilPtr":null,"list":[{"items":[],"tags":{}}],"at":"0001-01-01T00:00:00Z","raw":"","anything":{"x":[]}}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	if shared.Items != nil || v.Income != nil {
		t.Error("EmptyLists modified its argument")
	}
	full := outer{Income: []int{1}, Maybe: []int{2}, Raw: []byte("x"), Inner: inner{Items: []string{"a"}, Tags: map[string]string{}}, List: []inner{}, Anything: 1}
	full.Ptr = &full.Inner
	if got := httpx.EmptyLists(&full); got != any(&full) {
		t.Error("a value with no nil list should be returned as is")
	}
	_ = full.unexposed
}

// BenchmarkEmptyLists: the cost OK adds to an answer — a walk when nothing is nil, a partial
// copy when something is.
func BenchmarkEmptyLists(b *testing.B) {
	list := make([]inner, 50)
	for i := range list {
		list[i] = inner{Items: []string{"a"}, Tags: map[string]string{}}
	}
	full := outer{Income: []int{1}, Maybe: []int{2}, Raw: []byte("x"), Inner: inner{Items: []string{"a"}, Tags: map[string]string{}}, List: list, Anything: 1}
	full.Ptr = &full.Inner
	withNil := full
	withNil.Income = nil
	b.Run("nothing-nil", func(b *testing.B) {
		for b.Loop() {
			_ = httpx.EmptyLists(&full)
		}
	})
	b.Run("one-nil", func(b *testing.B) {
		for b.Loop() {
			_ = httpx.EmptyLists(&withNil)
		}
	})
}
