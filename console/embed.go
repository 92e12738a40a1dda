// Package console is the staff console (Vue 3 + TypeScript + Vite + Element Plus), built into
// dist/ and embedded in the binary, which serves it at /console (api/server). The sources are in
// this folder (src/, package.json with exact versions, package-lock.json); the committed dist/ is
// what `npm ci && npm run build` produces from them, which .ci/console-build checks, so `go run .`
// serves the console on a machine without Node.js.
package console

import (
	"embed"
	"io/fs"
)

//go:embed dist
var dist embed.FS

// Dist is the built console: index.html and assets/ (content-hashed file names).
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed above guarantees dist exists
	}
	return sub
}

// CSP is the console's Content-Security-Policy: scripts, styles, fonts and API calls from this
// origin only, no inline script, no framing by others. blob: images and frames are the document
// previews (a downloaded upload shown in place).
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self' data:; connect-src 'self'; " +
	"img-src 'self' data: blob:; frame-src blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
