package docs

// Route describes one HTTP operation for the OpenAPI document. The tables live beside the
// handlers (bff.Docs, api.Docs, server.Docs) because the DTOs they reference are unexported
// there; Build turns them into the document and a test checks them against the real router.
type Route struct {
	Method      string // GET, POST, PUT, …
	Path        string // OpenAPI style: /mp/v1/cases/{id}
	OperationID string
	Summary     string
	Tag         string
	Auth        bool // requires Authorization: Bearer <token>

	Query   []Param
	Headers []Param
	// PathParams describes path parameters by name; one not listed is a public id (string).
	PathParams []Param

	// Request is the zero value of the JSON request body's DTO, or nil when there is no body.
	Request any
	// Form describes a multipart/form-data request body (an upload) instead of a JSON one.
	Form *Form

	// Responses lists the success responses and the route's own errors. Build adds the errors
	// every route of its kind can return (invalid JSON, 401, 404 for a path id, 413, 500, …).
	Responses []Response
}

// Response is one documented status of a Route.
type Response struct {
	Status int
	// Body is the zero value of the response DTO; nil means no body — except for statuses
	// >= 400, where nil means the Error envelope (set Body only for the rare error response
	// with another shape, such as /readyz's 503).
	Body any
	// Description: for errors, the error codes and when they happen, one per line
	// (e.g. "`case.not_found`：申请不存在"); Build merges the common codes in.
	Description string
	// Binary lists the media types of a file body (a download), documented as a binary string;
	// Body must then be nil.
	Binary []string
	// Headers documents response headers (Content-Disposition of a download …).
	Headers []Param
}

// Form is a multipart/form-data request body: its parts, in the order a client sends them.
type Form struct {
	Fields []FormField
}

// FormField is one part of a multipart form.
type FormField struct {
	Name        string
	Description string
	Required    bool
	// File marks a file part (a binary string, with the media types it may carry); otherwise
	// Type is the value's JSON type as for Param ("" string, "integer", "boolean").
	File         bool
	ContentTypes []string
	Type         string
}

// Param is a query, header or path parameter.
type Param struct {
	Name        string
	Description string
	Required    bool

	// Type is the JSON type of the value: "" (string) or "integer", "boolean".
	Type string
	// Enum lists the accepted values, when there is a closed set.
	Enum []string
}
