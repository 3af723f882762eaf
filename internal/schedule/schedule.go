// Package schedule runs Shuniu's durable timers: sweeps that turn the passage
// of time into reminders, warnings and escalations, and the delivery of the
// resulting messages through their channels. All state is in the database —
// sweep cursors, message keys, delivery leases — so timers survive restarts,
// fire once with several servers on one PostgreSQL, and catch up after
// downtime.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// Sweep turns an interval of time into messages. Run is called with each
// interval (from, to] exactly once, inside the transaction that advances the
// sweep's cursor; it stores what fell due with tx.Notify, whose keys make a
// repeated notice a no-op.
type Sweep struct {
	Name  string
	Start time.Time // where a sweep that never ran begins
	Run   func(ctx context.Context, tx *store.Tx, from, to time.Time) error
}

// Runner is one scheduler; any number may run against one database.
type Runner struct {
	Store    *store.Store
	Worker   string // a name unique among running schedulers, e.g. host:pid
	Sweeps   []Sweep
	Channels map[string]notify.Channel
	Lease    time.Duration // how long a claimed delivery is reserved; default 2 min
	Log      *slog.Logger
}

// Tick runs every sweep over the time since it last ran and sends the
// deliveries that are due. It returns the first error but tries everything.
func (r *Runner) Tick(ctx context.Context) error {
	var errs []error
	// The sweeps count working days: pick up a calendar edit made on another
	// server first. On failure they run with the calendar already loaded.
	if err := r.Store.SyncCalendar(ctx); err != nil {
		errs = append(errs, fmt.Errorf("calendar: %w", err))
	}
	for _, sw := range r.Sweeps {
		if _, _, err := r.Store.Sweep(ctx, sw.Name, sw.Start, func(tx *store.Tx, from, to time.Time) error {
			return sw.Run(ctx, tx, from, to)
		}); err != nil {
			errs = append(errs, fmt.Errorf("sweep %s: %w", sw.Name, err))
		}
	}
	if err := r.deliver(ctx); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (r *Runner) deliver(ctx context.Context) error {
	lease := r.Lease
	if lease <= 0 {
		lease = 2 * time.Minute
	}
	ds, err := r.Store.ClaimDeliveries(ctx, r.Worker, lease, 100)
	if err != nil {
		return fmt.Errorf("claim deliveries: %w", err)
	}
	var errs []error
	for _, d := range ds {
		ch, ok := r.Channels[d.Channel]
		var sendErr error
		if !ok {
			sendErr = &notify.Permanent{Err: fmt.Errorf("未配置的通知渠道 %q", d.Channel)}
		} else {
			sctx, cancel := context.WithTimeout(ctx, lease/2)
			sendErr = ch.Send(sctx, d)
			cancel()
		}
		if sendErr != nil && r.Log != nil {
			r.Log.Warn("delivery failed", "key", d.Key, "channel", d.Channel, "attempt", d.Attempt, "err", sendErr)
		}
		if err := r.Store.FinishDelivery(ctx, r.Worker, d, sendErr); err != nil && !errors.Is(err, store.ErrLeaseLost) {
			errs = append(errs, fmt.Errorf("finish delivery %s: %w", d.Key, err))
		}
	}
	return errors.Join(errs...)
}

// Run ticks every interval until ctx ends.
func (r *Runner) Run(ctx context.Context, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := r.Tick(ctx); err != nil && r.Log != nil && ctx.Err() == nil {
			r.Log.Error("scheduler tick", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
