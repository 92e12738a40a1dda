// Package scheduler runs the office's periodic work (deadline sweep, retention, calendar
// coverage) on gocron v2, on exactly one replica at a time: every instance schedules the jobs,
// but only the holder of a Redis lease (the elector) runs them. A lock per run would not do —
// a job that finishes quickly releases its lock and a replica whose timer fires a moment later
// would run it again; the lease holder stays the one runner until it stops renewing.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"
	"github.com/redis/go-redis/v9"
)

// Job is one periodic task.
type Job struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context) error
}

// Options configures a scheduler.
type Options struct {
	Redis      redis.UniversalClient
	KeyPrefix  string        // PALMAID_REDIS_PREFIX
	InstanceID string        // unique per process (host + pid + random)
	Lease      time.Duration // how long a leader holds the lease without renewing; default 30 s
	Clock      clockwork.Clock
	Log        *slog.Logger
	// OnRun observes every run (metrics, tests).
	OnRun func(job string, d time.Duration, err error)
}

// Scheduler wraps a gocron scheduler.
type Scheduler struct {
	s   gocron.Scheduler
	log *slog.Logger
}

// New schedules the jobs; Start begins running them.
func New(opts Options, jobs ...Job) (*Scheduler, error) {
	if opts.Lease <= 0 {
		opts.Lease = 30 * time.Second
	}
	if opts.Clock == nil {
		opts.Clock = clockwork.NewRealClock()
	}
	el := &Elector{rdb: opts.Redis, key: opts.KeyPrefix + "scheduler:leader", id: opts.InstanceID, lease: opts.Lease}
	s, err := gocron.NewScheduler(gocron.WithClock(opts.Clock), gocron.WithDistributedElector(el),
		gocron.WithLocation(time.UTC), gocron.WithStopTimeout(10*time.Second))
	if err != nil {
		return nil, err
	}
	for _, j := range jobs {
		j := j
		run := func(ctx context.Context) {
			start := opts.Clock.Now()
			err := j.Run(ctx)
			if err != nil {
				opts.Log.ErrorContext(ctx, "scheduled job failed", "job", j.Name, "err", err)
			}
			if opts.OnRun != nil {
				opts.OnRun(j.Name, opts.Clock.Since(start), err)
			}
		}
		if _, err := s.NewJob(gocron.DurationJob(j.Every), gocron.NewTask(run), gocron.WithName(j.Name),
			gocron.WithSingletonMode(gocron.LimitModeReschedule)); err != nil {
			return nil, fmt.Errorf("schedule %s: %w", j.Name, err)
		}
	}
	return &Scheduler{s: s, log: opts.Log}, nil
}

// Start runs the jobs in the background.
func (s *Scheduler) Start() { s.s.Start() }

// Stop waits for running jobs (up to 10 s) and stops.
func (s *Scheduler) Stop() error { return s.s.Shutdown() }

// Elector is the Redis lease: SET NX PX takes it, the holder renews it at each check.
type Elector struct {
	rdb   redis.UniversalClient
	key   string
	id    string
	lease time.Duration
}

// renew extends the lease only if we hold it (compare and extend, atomically).
var renew = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) else return 0 end`)

var errNotLeader = errors.New("scheduler: another instance holds the lease")

// IsLeader implements gocron.Elector: nil when this instance may run the job.
func (e *Elector) IsLeader(ctx context.Context) error {
	ok, err := e.rdb.SetNX(ctx, e.key, e.id, e.lease).Result()
	if err != nil {
		return err // Redis down: nobody runs (jobs are idempotent and will catch up)
	}
	if ok {
		return nil
	}
	n, err := renew.Run(ctx, e.rdb, []string{e.key}, e.id, e.lease.Milliseconds()).Int()
	if err != nil {
		return err
	}
	if n == 1 {
		return nil
	}
	return errNotLeader
}
