// Package httpx is the HTTP plumbing both faces share (staff /api/v1, residents /mp/v1): the
// error envelope and the one Kind → status mapping, request ids, masked JSON logs, body limits,
// strict JSON binding, paging, bearer tokens and health probes.
//
// Mount the middleware in this order (outermost first):
//
//	r.Use(Recover(log), RequestID(), AccessLog(log), Errors(log), BodyLimit(max))
//	r.NoRoute(NoRoute())
//	r.NoMethod(NoMethod())
//
// Handlers report failure with Fail(c, err) and return; they never write error JSON themselves.
package httpx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"runtime/debug"
	"strconv"

	"github.com/gin-gonic/gin"

	"palmaid/model"
)

// Status maps an error Kind to its HTTP status. It is the only such mapping in the service;
// unknown kinds are 500.
func Status(k model.Kind) int {
	switch k {
	case model.KindInvalid:
		return http.StatusBadRequest
	case model.KindUnauthorized:
		return http.StatusUnauthorized
	case model.KindForbidden:
		return http.StatusForbidden
	case model.KindNotFound:
		return http.StatusNotFound
	case model.KindConflict:
		return http.StatusConflict
	case model.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case model.KindUnprocessable:
		return http.StatusUnprocessableEntity
	case model.KindRateLimited:
		return http.StatusTooManyRequests
	case model.KindUnavailable:
		return http.StatusServiceUnavailable
	case model.KindUnsupportedMedia:
		return http.StatusUnsupportedMediaType
	default:
		return http.StatusInternalServerError
	}
}

// envelope is the body of every error response:
// {"error":{"code":"case.not_found","message":"申请不存在","requestId":"…","fields":{…}}}.
type envelope struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Code      string            `json:"code"`
	Message   string            `json:"message"`
	RequestID string            `json:"requestId"`
	Fields    map[string]string `json:"fields,omitempty"`
}

// Fail records err for the Errors middleware and stops the handler chain. Call it and return.
func Fail(c *gin.Context, err error) {
	if err == nil {
		err = model.Internal(errors.New("httpx.Fail called with a nil error"))
	}
	_ = c.Error(err)
	c.Abort()
}

// Errors writes the envelope for the last error a handler recorded with Fail (or c.Error).
// Internal errors are logged with their cause and shown only as the generic message.
func Errors(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Next()
		if len(c.Errors) == 0 {
			return
		}
		last := c.Errors.Last().Err
		if clientGone(c, last) {
			logClientGone(c, log, last)
			if !c.Writer.Written() {
				c.AbortWithStatus(StatusClientClosedRequest)
			}
			return
		}
		e := model.AsError(last)
		status := Status(e.Kind)
		logError(c, log, e, status)
		if c.Writer.Written() {
			return // the handler already answered; the error is only logged
		}
		writeEnvelope(c, status, e)
	}
}

// StatusClientClosedRequest (nginx's 499) is recorded when the client went away before the
// answer: nobody reads the response, and it is not a server fault.
const StatusClientClosedRequest = 499

// clientGone reports whether err is the cancellation of this request's own context, i.e. the
// client closed the connection mid-request (net/http cancels the context then). A deadline
// the service set itself is not the client going away and stays an error.
func clientGone(c *gin.Context, err error) bool {
	return errors.Is(err, context.Canceled) && errors.Is(c.Request.Context().Err(), context.Canceled)
}

// logClientGone logs a request the client abandoned at info: status 499, no stack, no alarm.
func logClientGone(c *gin.Context, log *slog.Logger, err error) {
	log.LogAttrs(c.Request.Context(), slog.LevelInfo, "client went away",
		slog.String("request_id", RequestIDFrom(c)),
		slog.String("method", c.Request.Method),
		slog.String("route", route(c)),
		slog.Int("status", StatusClientClosedRequest),
		slog.Any("err", err))
}

// NoRoute answers unknown paths with the route.not_found envelope (404).
func NoRoute() gin.HandlerFunc {
	return func(c *gin.Context) {
		writeEnvelope(c, Status(model.ErrRouteNotFound.Kind), model.ErrRouteNotFound)
	}
}

// NoMethod answers a known path with an unsupported method: 405 request.method_not_allowed.
// Gin sets the Allow header (engine.HandleMethodNotAllowed must be true).
func NoMethod() gin.HandlerFunc {
	e := model.E(model.KindInvalid, "request.method_not_allowed", "不支持该请求方法")
	return func(c *gin.Context) {
		writeEnvelope(c, http.StatusMethodNotAllowed, e)
	}
}

// Recover turns a panic into the internal-error envelope. The panic value and stack are
// logged with the request id; nothing of them reaches the client. http.ErrAbortHandler is
// re-panicked so net/http can abort the connection as intended.
func Recover(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if err, ok := p.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(p)
			}
			log.LogAttrs(c.Request.Context(), slog.LevelError, "panic serving request",
				slog.String("request_id", RequestIDFrom(c)),
				slog.String("method", c.Request.Method),
				slog.String("route", route(c)),
				slog.String("panic", fmt.Sprint(p)),
				slog.String("stack", string(debug.Stack())))
			if c.Writer.Written() {
				c.Abort()
				return
			}
			writeEnvelope(c, http.StatusInternalServerError, model.Internal(nil))
		}()
		c.Next()
	}
}

// writeEnvelope writes e with status and aborts. A 5xx other than 503 never shows its own
// code, message or fields: the client sees only the generic internal message.
func writeEnvelope(c *gin.Context, status int, e *model.Error) {
	if wait := retryAfter(status, e); wait > 0 {
		c.Header("Retry-After", strconv.Itoa(wait))
	}
	body := errorBody{Code: e.Code, Message: e.Message, RequestID: RequestIDFrom(c), Fields: e.Fields}
	if isInternal(status) {
		generic := model.Internal(nil)
		body.Code, body.Message, body.Fields = generic.Code, generic.Message, nil
	}
	c.AbortWithStatusJSON(status, envelope{Error: body})
}

// defaultUnavailableRetry is the Retry-After of a 503 that names no wait of its own (a
// database or Redis outage): long enough not to hammer a recovering server.
const defaultUnavailableRetry = 5

// retryAfter is the Retry-After header in whole seconds (rounded up) for a 429 or 503; 0: none.
func retryAfter(status int, e *model.Error) int {
	if status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable {
		return 0
	}
	if e.RetryAfter > 0 {
		return int(math.Ceil(e.RetryAfter.Seconds()))
	}
	if status == http.StatusServiceUnavailable {
		return defaultUnavailableRetry
	}
	return 0
}

func isInternal(status int) bool {
	return status >= 500 && status != http.StatusServiceUnavailable
}

// logError logs what the client will not see: internal causes at error level, unavailable
// dependencies at warn, and causes behind ordinary client errors at debug.
func logError(c *gin.Context, log *slog.Logger, e *model.Error, status int) {
	var cause error = e
	if e.Cause != nil {
		cause = e.Cause
	}
	level := slog.LevelDebug
	switch {
	case isInternal(status):
		level = slog.LevelError
	case status == http.StatusServiceUnavailable:
		level = slog.LevelWarn
	case e.Cause == nil:
		return
	}
	log.LogAttrs(c.Request.Context(), level, "request failed",
		slog.String("request_id", RequestIDFrom(c)),
		slog.String("method", c.Request.Method),
		slog.String("route", route(c)),
		slog.Int("status", status),
		slog.String("code", e.Code),
		slog.Any("err", cause))
}

// route is the matched route pattern, never the raw URL (its query may hold personal data).
func route(c *gin.Context) string {
	if p := c.FullPath(); p != "" {
		return p
	}
	return "unmatched"
}
