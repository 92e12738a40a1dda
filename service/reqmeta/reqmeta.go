// Package reqmeta carries request metadata (request id, client IP) in a context.Context so
// service code can audit and log it without knowing about HTTP.
package reqmeta

import (
	"context"
	"time"

	"palmaid/model"
)

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

// Audit builds an audit row stamped with the request's id and client IP: every service writes
// its audit rows through this one constructor.
func Audit(ctx context.Context, actorType string, actorID uint64, area, action string, caseID *uint64, detail string, at time.Time) *model.AuditLog {
	m := MetaFrom(ctx)
	return &model.AuditLog{ActorType: actorType, ActorID: actorID, Action: action, CaseID: caseID, AreaCode: area,
		RequestID: m.RequestID, ClientIP: m.ClientIP, Detail: detail, CreatedAt: at}
}
