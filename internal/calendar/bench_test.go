package calendar

import (
	"testing"
	"time"
)

// BenchmarkStateAt is the per-row cost of showing 正常/即将到期/逾期 in a 待办
// list: an item due in about two weeks, default one-working-day window.
func BenchmarkStateAt(b *testing.B) {
	c := mustDefault(b)
	now := at(c, "2026-09-21 10:00")
	due := at(c, "2026-10-09 17:30")
	for b.Loop() {
		c.StateAt(due, now, DefaultSoon())
	}
}

// BenchmarkAddWorkdays5 computes a five-working-day due time across 国庆.
func BenchmarkAddWorkdays5(b *testing.B) {
	c := mustDefault(b)
	from := at(c, "2026-09-29 10:00")
	for b.Loop() {
		if _, err := c.AddWorkdays(from, 5); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWorkingTimeBetweenYear measures a year-long span (the slow end).
func BenchmarkWorkingTimeBetweenYear(b *testing.B) {
	c := mustDefault(b)
	from, to := at(c, "2026-01-01 00:00"), at(c, "2027-01-01 00:00")
	var d time.Duration
	for b.Loop() {
		d = c.WorkingTimeBetween(from, to)
	}
	_ = d
}
