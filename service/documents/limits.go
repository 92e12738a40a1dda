package documents

import (
	"context"
	"sync"
	"time"

	"palmaid/model"
)

// What an upload may cost the process. Decoding a photo takes about 4 bytes a pixel and a
// second of CPU; scanning a PDF up to its budgets (pdfscan.DefaultLimits) about as much. Three
// bounds keep a burst from taking the process down:
//   - the pixel ceiling (Sanitiser.MaxPixels), read from the header before anything is decoded;
//   - a process-wide Gate: at most Slots sanitisations run at once; an upload that finds it full
//     waits up to its wait, then answers 503 document.busy with Retry-After;
//   - a per-account limit on uploads in progress (reading the body included): one more answers
//     429 document.upload_in_progress at once.

// Defaults of the settings (config: PALMAID_UPLOAD_DECODE_SLOTS, _DECODE_WAIT, _PER_ACCOUNT).
const (
	DefaultDecodeSlots = 2
	DefaultDecodeWait  = 10 * time.Second
	DefaultPerAccount  = 2
)

// Errors of the bounds.
var (
	ErrBusy             = model.E(model.KindUnavailable, "document.busy", "现在上传的人较多，请稍等片刻再上传")
	ErrUploadInProgress = model.E(model.KindRateLimited, "document.upload_in_progress", "您还有文件正在上传，请等上传完成后再传下一个")
)

const (
	busyRetry       = 5 * time.Second
	inProgressRetry = 2 * time.Second
)

// Gate bounds the sanitisations (image decode and re-encode, PDF scan) running at once in the
// process. Shared by every Service built with it.
type Gate struct {
	slots chan struct{}
	wait  time.Duration
}

// NewGate lets slots sanitisations run at once (at least one); a caller finding them all taken
// waits up to wait.
func NewGate(slots int, wait time.Duration) *Gate {
	return &Gate{slots: make(chan struct{}, max(slots, 1)), wait: wait}
}

// Enter takes a slot, waiting up to the gate's wait; the caller calls leave when done. Full
// after the wait: ErrBusy (503, Retry-After).
func (g *Gate) Enter(ctx context.Context) (leave func(), err error) {
	select {
	case g.slots <- struct{}{}:
		return g.leave, nil
	default:
	}
	if g.wait <= 0 {
		return nil, ErrBusy.WithRetryAfter(busyRetry)
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return g.leave, nil
	case <-t.C:
		return nil, ErrBusy.WithRetryAfter(busyRetry)
	case <-ctx.Done():
		return nil, model.ErrUnavailable.WithCause(ctx.Err())
	}
}

func (g *Gate) leave() { <-g.slots }

// accountUploads counts each account's uploads in progress in this process.
type accountUploads struct {
	mu     sync.Mutex
	active map[string]int
	max    int
}

func newAccountUploads(n int) *accountUploads {
	return &accountUploads{active: map[string]int{}, max: max(n, 1)}
}

// enter counts one more upload of key, or refuses it (429, Retry-After) when max are running.
func (a *accountUploads) enter(key string) (done func(), err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.active[key] >= a.max {
		return nil, ErrUploadInProgress.WithRetryAfter(inProgressRetry)
	}
	a.active[key]++
	return func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		if a.active[key]--; a.active[key] <= 0 {
			delete(a.active, key)
		}
	}, nil
}
