package store_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// twoServers opens two stores on one database, as two app servers sharing
// one PostgreSQL (or, for SQLite, two processes on one file) would.
func twoServers(t *testing.T, opt store.Options, fn func(t *testing.T, a, b *store.Store)) {
	open := func(t *testing.T, dsn string) *store.Store {
		if opt.Logger == nil {
			opt.Logger = slog.New(slog.DiscardHandler)
		}
		s, err := store.Open(context.Background(), dsn, opt)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	t.Run("sqlite", func(t *testing.T) {
		dsn := filepath.Join(t.TempDir(), "shuniu.db")
		fn(t, open(t, dsn), open(t, dsn))
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		fn(t, open(t, dsn), open(t, dsn))
	})
}

var admin = store.Editor{Person: org.Person{ID: "admin-1", Name: "系统管理员"}, IP: "192.0.2.1"}

func shDay(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, calendar.Shanghai())
}

func TestCalendarSeededOnce(t *testing.T) {
	twoServers(t, store.Options{}, func(t *testing.T, a, b *store.Store) {
		for _, y := range []int{2026, 2027} {
			if !a.Calendar().Covers(y) {
				t.Errorf("shipped year %d not loaded", y)
			}
		}
		// The second server found the years seeded and added nothing.
		if a.CalendarRevision() != 1 || b.CalendarRevision() != 1 {
			t.Errorf("revisions after two opens: %d, %d; want 1, 1", a.CalendarRevision(), b.CalendarRevision())
		}
		ys, err := a.CalendarYears(ctx)
		if err != nil || len(ys) != 2 || ys[0].ChangedBy != "" || ys[0].Source == "" {
			t.Errorf("stored years: %+v %v", ys, err)
		}
	})
}

func TestCalendarEditReachesOtherServer(t *testing.T) {
	twoServers(t, store.Options{}, func(t *testing.T, a, b *store.Store) {
		// 2026-12-01 is a Tuesday, a working day in the shipped calendar.
		day := shDay(2026, 12, 1, 10, 0)
		if err := a.AddCalendarDay(ctx, admin, calendar.Day{Date: "2026-12-01", Kind: calendar.Holiday, Name: "临时放假"}); err != nil {
			t.Fatal(err)
		}
		if a.Calendar().IsWorkday(day) {
			t.Error("the editing server does not see its own edit")
		}
		if !b.Calendar().IsWorkday(day) {
			t.Fatal("the other server changed without a sync")
		}
		if err := b.SyncCalendar(ctx); err != nil {
			t.Fatal(err)
		}
		if b.Calendar().IsWorkday(day) || b.CalendarRevision() != a.CalendarRevision() {
			t.Errorf("after sync: workday %v, revisions %d and %d", b.Calendar().IsWorkday(day), a.CalendarRevision(), b.CalendarRevision())
		}
		// A sync with nothing new keeps the very same calendar.
		before := b.Calendar()
		if err := b.SyncCalendar(ctx); err != nil || b.Calendar() != before {
			t.Errorf("idle sync reloaded (%v)", err)
		}

		// The other server edits back; office hours too.
		if err := b.RemoveCalendarDay(ctx, admin, "2026-12-01"); err != nil {
			t.Fatal(err)
		}
		hours, _ := calendar.ParseOfficeHours("09:00-12:00,13:30-17:00")
		if err := b.SetOfficeHours(ctx, admin, hours); err != nil {
			t.Fatal(err)
		}
		if err := a.SyncCalendar(ctx); err != nil {
			t.Fatal(err)
		}
		if !a.Calendar().IsWorkday(day) || a.Calendar().Hours().String() != "09:00-12:00,13:30-17:00" {
			t.Errorf("after sync: workday %v, hours %s", a.Calendar().IsWorkday(day), a.Calendar().Hours())
		}

		// Views made with At share the loaded calendar.
		if v := a.At(time.Now); v.Calendar() != a.Calendar() {
			t.Error("a view of the store has its own calendar")
		}

		es, _ := a.ListAudit(ctx, store.AuditFilter{Action: "calendar."})
		var actions []string
		for _, e := range es {
			if e.ActorID == admin.Person.ID {
				actions = append(actions, e.Action)
			}
		}
		if strings.Join(actions, " ") != "calendar.hours calendar.day.remove calendar.day.add" {
			t.Errorf("audited edits (newest first): %v", actions)
		}
	})
}

func TestCalendarYears(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		y2028 := calendar.Year{Year: 2028, Source: "国务院办公厅关于2028年部分节假日安排的通知", Days: []calendar.Day{
			{Date: "2028-01-29", Kind: calendar.Workday, Name: "春节调休上班"},
			{Date: "2028-01-01", Kind: calendar.Holiday, Name: "元旦"},
		}}
		if err := s.AddCalendarYear(ctx, admin, y2028); err != nil {
			t.Fatal(err)
		}
		if !s.Calendar().Covers(2028) || s.Calendar().IsWorkday(shDay(2028, 1, 1, 10, 0)) || !s.Calendar().IsWorkday(shDay(2028, 1, 29, 10, 0)) {
			t.Error("the added year is not in force")
		}
		// Replacing the provisional 2027 with a confirmed record.
		y2027, _ := s.Calendar().Year(2027)
		y2027.Provisional, y2027.Source = false, "国务院办公厅关于2027年部分节假日安排的通知"
		if err := s.PutCalendarYear(ctx, admin, y2027); err != nil {
			t.Fatal(err)
		}
		ys, err := s.CalendarYears(ctx)
		if err != nil || len(ys) != 3 || ys[1].Provisional || ys[1].ChangedBy != admin.Person.ID || ys[1].ChangedAt.IsZero() {
			t.Fatalf("years: %+v %v", ys, err)
		}
		if d := ys[2].Days; len(d) != 2 || d[0].Date != "2028-01-01" {
			t.Errorf("2028 stored out of date order: %+v", d)
		}
	})
}

// TestCalendarBadEdits: every refusal is in Chinese and changes nothing.
func TestCalendarBadEdits(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		rev := s.CalendarRevision()
		for name, edit := range map[string]func() error{
			"malformed date": func() error {
				return s.AddCalendarDay(ctx, admin, calendar.Day{Date: "2026-13-01", Kind: calendar.Holiday})
			},
			"year not in calendar": func() error {
				return s.AddCalendarDay(ctx, admin, calendar.Day{Date: "2031-05-06", Kind: calendar.Holiday})
			},
			"date already listed": func() error {
				return s.AddCalendarDay(ctx, admin, calendar.Day{Date: "2026-10-01", Kind: calendar.Workday})
			},
			"unknown kind": func() error {
				return s.AddCalendarDay(ctx, admin, calendar.Day{Date: "2026-12-02", Kind: "half"})
			},
			"remove unlisted": func() error { return s.RemoveCalendarDay(ctx, admin, "2026-12-02") },
			"year exists":     func() error { return s.AddCalendarYear(ctx, admin, calendar.Year{Year: 2026}) },
			"year absurd":     func() error { return s.AddCalendarYear(ctx, admin, calendar.Year{Year: 1926}) },
			"day of another year": func() error {
				return s.PutCalendarYear(ctx, admin, calendar.Year{Year: 2029, Days: []calendar.Day{{Date: "2030-01-01", Kind: calendar.Holiday}}})
			},
			"overlapping hours": func() error {
				return s.SetOfficeHours(ctx, admin, calendar.OfficeHours{{Start: 9 * 60, End: 12 * 60}, {Start: 11 * 60, End: 17 * 60}})
			},
		} {
			err := edit()
			if err == nil {
				t.Errorf("%s: accepted", name)
				continue
			}
			if !strings.ContainsFunc(err.Error(), func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
				t.Errorf("%s: message not in Chinese: %v", name, err)
			}
		}
		if s.CalendarRevision() != rev {
			t.Errorf("revision moved from %d to %d on refused edits", rev, s.CalendarRevision())
		}
		if !s.Calendar().IsWorkday(shDay(2026, 12, 2, 10, 0)) || s.Calendar().IsWorkday(shDay(2026, 10, 1, 10, 0)) {
			t.Error("a refused edit changed the calendar")
		}
	})
}

// TestSignForDueFollowsCalendarAndPolicy: an incoming item's 签收 due time
// comes from the stored policy and moves when a holiday is added.
func TestSignForDueFollowsCalendarAndPolicy(t *testing.T) {
	// Monday 2026-12-07, 10:00: an ordinary item (1 working day) is due at
	// the close of Tuesday.
	now := shDay(2026, 12, 7, 10, 0)
	storetest.ForEach(t, store.Options{Now: func() time.Time { return now }}, func(t *testing.T, s *store.Store) {
		_, office, _ := seedUnits(t, s)
		clerk := org.Person{ID: uid.New(), Name: "收文员", Login: "shouwen"}
		// The clerk is a stored person: 签收 tasks tell the office's pool who registered the item.
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.CreatePerson(ctx, clerk, "", true) }); err != nil {
			t.Fatal(err)
		}
		due := func(u document.Urgency) time.Time {
			t.Helper()
			rec, err := s.RegisterIncoming(ctx, clerk, office, document.Document{Type: document.Notice, Title: "关于做好岁末年初安全生产工作的通知", Urgency: u}, "云泽市人民政府")
			if err != nil {
				t.Fatal(err)
			}
			in, err := s.Instance(ctx, rec.ID)
			if err != nil || len(in.Tasks) != 1 {
				t.Fatalf("instance: %+v %v", in, err)
			}
			return in.Tasks[0].Due.In(calendar.Shanghai())
		}
		if got, want := due(document.Ordinary), shDay(2026, 12, 8, 17, 30); !got.Equal(want) {
			t.Errorf("before the holiday: due %s, want %s", got, want)
		}
		if err := s.AddCalendarDay(ctx, admin, calendar.Day{Date: "2026-12-08", Kind: calendar.Holiday, Name: "临时放假"}); err != nil {
			t.Fatal(err)
		}
		if got, want := due(document.Ordinary), shDay(2026, 12, 9, 17, 30); !got.Equal(want) {
			t.Errorf("after the holiday: due %s, want %s", got, want)
		}

		// The default 加急 limit is 4 working hours: 10:00 + 2h (to 12:00) + 2h from 14:30.
		if got, want := due(document.Urgent), shDay(2026, 12, 7, 16, 30); !got.Equal(want) {
			t.Errorf("default 加急: due %s, want %s", got, want)
		}
		if err := s.PutSignForPolicy(ctx, admin, document.SignForPolicy{Urgent: calendar.Limit{Unit: "fortnights", N: 1}}); err == nil {
			t.Error("a policy with an unknown unit was stored")
		}
		p := document.DefaultSignFor()
		p.Urgent = calendar.Hours(2)
		if err := s.PutSignForPolicy(ctx, admin, p); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.SignForPolicy(ctx); got != p {
			t.Errorf("stored policy %+v, want %+v", got, p)
		}
		if got, want := due(document.Urgent), shDay(2026, 12, 7, 12, 0); !got.Equal(want) {
			t.Errorf("加急 within 2 working hours: due %s, want %s", got, want)
		}
		if es, _ := s.ListAudit(ctx, store.AuditFilter{Action: "settings.signfor"}); len(es) != 1 {
			t.Errorf("policy changes audited: %d, want 1", len(es))
		}
	})
}

// BenchmarkSyncCalendar is the per-request cost of keeping the calendar
// current: "idle" when nothing changed (the common case: one primary-key
// read), "reload" when another server's edit must be loaded.
func BenchmarkSyncCalendar(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			dsn := filepath.Join(b.TempDir(), "shuniu.db")
			if dialect == "postgres" {
				dsn = storetest.PostgresDSN(b)
			}
			open := func() *store.Store {
				s, err := store.Open(context.Background(), dsn, store.Options{Logger: slog.New(slog.DiscardHandler)})
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { s.Close() })
				return s
			}
			a, other := open(), open()
			b.Run("idle", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := a.SyncCalendar(ctx); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("reload", func(b *testing.B) {
				// Each iteration: the other server edits (not timed), this one reloads.
				for i := 0; b.Loop(); i++ {
					b.StopTimer()
					date := "2026-12-01"
					var err error
					if i%2 == 0 {
						err = other.AddCalendarDay(ctx, admin, calendar.Day{Date: date, Kind: calendar.Holiday})
					} else {
						err = other.RemoveCalendarDay(ctx, admin, date)
					}
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					if err := a.SyncCalendar(ctx); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
