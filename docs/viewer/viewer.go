// Package viewer is the browsable API reference served at /docs: a small self-made page
// (index.html, viewer.js, viewer.css — no library, no CDN) that renders /openapi.json with its
// operations grouped by tag, their parameters, request and response schemas and error codes.
package viewer

import _ "embed"

// The page's assets, embedded in the binary.
var (
	//go:embed index.html
	Index []byte
	//go:embed viewer.js
	Script []byte
	//go:embed viewer.css
	Style []byte
)

// CSP is the page's Content-Security-Policy: scripts, styles and fetches from this origin only;
// no inline code, no framing, no form posts, no plugins.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
