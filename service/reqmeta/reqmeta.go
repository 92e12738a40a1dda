// Package reqmeta carries request metadata (request id, client IP) in a context.Context so
// service code can audit and log it without knowing about HTTP.
package reqmeta

import "context"

// RequestMeta describes the request a context belongs to.
type RequestMeta struct {
	RequestID string
	ClientIP  string
}

type key struct{}

// WithRequestMeta returns ctx carrying m.
func WithRequestMeta(ctx context.Context, m RequestMeta) context.Context {
	return context.WithValue(ctx, key{}, m)
}

// MetaFrom returns the metadata in ctx (zero value when absent).
func MetaFrom(ctx context.Context) RequestMeta {
	m, _ := ctx.Value(key{}).(RequestMeta)
	return m
}
