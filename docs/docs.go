// Package docs holds palmaid's OpenAPI 3 document (openapi.json, generated from the route
// tables by `go generate ./docs`; a test fails when it drifts from the code).
package docs

//go:generate go run ./gen

import _ "embed"

// OpenAPI is the document served at /openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte
