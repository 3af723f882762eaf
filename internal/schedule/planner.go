package schedule

import (
	"context"
	"time"

	"github.com/shuniu-oa/shuniu/internal/store"
)

// TomorrowSweep sends each leader the next day's schedule at
// store.TomorrowHour (18:00) the evening before, through the inbox and the
// channels they chose (store.Tx.SendTomorrowSchedules).
func TomorrowSweep(start time.Time) Sweep {
	return Sweep{Name: "planner.tomorrow", Start: start, Run: func(ctx context.Context, tx *store.Tx, from, to time.Time) error {
		_, err := tx.SendTomorrowSchedules(ctx, from, to)
		return err
	}}
}
