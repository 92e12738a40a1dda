package model

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an Error; the HTTP layer maps each Kind to one status code, in one place.
type Kind int

const (
	KindInternal         Kind = iota // 500, message never shown
	KindInvalid                      // 400
	KindUnauthorized                 // 401
	KindForbidden                    // 403
	KindNotFound                     // 404 (also "not yours")
	KindConflict                     // 409
	KindTooLarge                     // 413
	KindUnprocessable                // 422: well-formed but breaks a rule
	KindRateLimited                  // 429
	KindUnavailable                  // 503
	KindUnsupportedMedia             // 415: an upload of a type the service does not take
)

// Error is the one application error type. Code is stable and machine-readable
// ("case.not_found"); Message is short Chinese text safe to show a resident.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Fields  map[string]string // optional: field -> Chinese hint, for validation errors
	Cause   error             // logged, never shown
	// RetryAfter, when positive, is sent as the Retry-After header (429 and 503).
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Cause)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Cause }

// Is makes errors.Is(err, ErrCaseNotFound) match on Code.
func (e *Error) Is(target error) bool {
	var t *Error
	if errors.As(target, &t) {
		return t.Code == e.Code
	}
	return false
}

// WithCause returns a copy of e carrying cause (for logs).
func (e *Error) WithCause(cause error) *Error {
	c := *e
	c.Cause = cause
	return &c
}

// WithRetryAfter returns a copy of e telling the client when to try again.
func (e *Error) WithRetryAfter(d time.Duration) *Error {
	c := *e
	c.RetryAfter = d
	return &c
}

// WithField returns a copy of e with one more field hint.
func (e *Error) WithField(field, hint string) *Error {
	c := *e
	c.Fields = make(map[string]string, len(e.Fields)+1)
	for k, v := range e.Fields {
		c.Fields[k] = v
	}
	c.Fields[field] = hint
	return &c
}

// E builds an Error.
func E(kind Kind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message}
}

// Invalid is a 400 with a field hint.
func Invalid(code, message string) *Error { return E(KindInvalid, code, message) }

// Internal wraps an unexpected error; its cause is logged, the client sees a generic message.
func Internal(cause error) *Error {
	return &Error{Kind: KindInternal, Code: "internal", Message: "系统繁忙，请稍后再试", Cause: cause}
}

// AsError returns err as *Error, wrapping unknown errors as Internal.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(err)
}

// Shared errors used across packages. Package-level values, but immutable: never modify them,
// use WithCause/WithField which copy.
var (
	ErrInvalidJSON      = E(KindInvalid, "request.invalid_json", "请求格式不正确")
	ErrUnknownField     = E(KindInvalid, "request.unknown_field", "请求包含无法识别的字段")
	ErrBodyTooLarge     = E(KindTooLarge, "request.too_large", "提交的内容过大")
	ErrContentType      = E(KindInvalid, "request.content_type", "请求的内容格式不正确") // fields name the format wanted
	ErrUnauthenticated  = E(KindUnauthorized, "auth.required", "请先登录")
	ErrForbidden        = E(KindForbidden, "auth.forbidden", "没有权限进行此操作")
	ErrNotVillage       = Invalid("area.not_village", "请选择村（社区）") // an area code that is not a village's
	ErrRouteNotFound    = E(KindNotFound, "route.not_found", "请求的地址不存在")
	ErrCaseNotFound     = E(KindNotFound, "case.not_found", "申请不存在")
	ErrStaleVersion     = E(KindConflict, "case.version_conflict", "该申请已被他人更新，请刷新后重试")
	ErrIllegalStep      = E(KindConflict, "case.illegal_transition", "该申请当前状态不能进行此操作")
	ErrRateLimited      = E(KindRateLimited, "request.rate_limited", "操作过于频繁，请稍后再试")
	ErrUnavailable      = E(KindUnavailable, "service.unavailable", "服务暂时不可用，请稍后再试")
	ErrInvalidIDNumber  = E(KindInvalid, "identity.invalid_id_number", "身份证号码不正确，请核对后重新填写")
	ErrInvalidAreaCode  = E(KindInvalid, "area.invalid_code", "行政区划代码不正确")
	ErrIdempotencyReuse = E(KindConflict, "request.idempotency_key_reused", "该请求编号已用于另一份不同的申请")
)
