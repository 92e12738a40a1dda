// Package other only exists for docs' tests: a DTO whose name collides with one in docs_test.
package other

// Thing shares its name with docs_test's thing.
type Thing struct {
	Size int `json:"size"`
}
