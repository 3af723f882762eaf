package schedule_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/schedule"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

var ctx = context.Background()

// clock is a controllable time shared by every scheduler of a test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

var t0 = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

// hourly is a sweep that reminds one person at every whole hour.
func hourly() schedule.Sweep {
	return schedule.Sweep{Name: "hourly", Start: t0, Run: func(ctx context.Context, tx *store.Tx, from, to time.Time) error {
		for h := from.Truncate(time.Hour).Add(time.Hour); !h.After(to); h = h.Add(time.Hour) {
			if _, err := tx.Notify(ctx, notify.Message{Key: "hourly:" + h.Format(time.RFC3339), PersonID: "p1", Kind: "test.reminder",
				Subject: fmt.Sprintf("%s 的提醒", h.Format("15:04")), CreatedAt: h}, []store.Route{{Channel: "webhook", Address: "13800000000"}}); err != nil {
				return err
			}
		}
		return nil
	}}
}

// receiver is a webhook endpoint that counts deliveries per key.
type receiver struct {
	mu   sync.Mutex
	got  map[string]int
	fail int // answer 503 to this many requests first
	srv  *httptest.Server
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{got: map[string]int{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var d notify.Delivery
		_ = json.NewDecoder(req.Body).Decode(&d)
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.fail > 0 {
			r.fail--
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		if req.Header.Get("Idempotency-Key") != d.Key || req.Header.Get("X-Shuniu-Signature") == "" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		r.got[d.Key]++
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) counts() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for k, v := range r.got {
		out[k] = v
	}
	return out
}

func runner(s *store.Store, name string, r *receiver) *schedule.Runner {
	return &schedule.Runner{Store: s, Worker: name, Sweeps: []schedule.Sweep{hourly()},
		Channels: map[string]notify.Channel{"webhook": notify.Webhook{URL: r.srv.URL, Secret: "s"}}}
}

func checkOnce(t *testing.T, s *store.Store, r *receiver, hours int) {
	t.Helper()
	inbox, err := s.Inbox(ctx, "p1", false, 500)
	if err != nil {
		t.Fatal(err)
	}
	if len(inbox) != hours {
		t.Errorf("inbox has %d messages, want %d", len(inbox), hours)
	}
	got := r.counts()
	if len(got) != hours {
		t.Errorf("webhook got %d distinct keys, want %d", len(got), hours)
	}
	for k, n := range got {
		if n != 1 {
			t.Errorf("%s delivered %d times", k, n)
		}
	}
}

// TestRestartAndDowntime: a scheduler runs, stops (a restart) with a
// delivery claimed but not sent, and another starts a day later: every hour
// of the day is reminded once, the orphaned delivery is sent once after its
// lease runs out.
func TestRestartAndDowntime(t *testing.T) {
	forEach(t, func(t *testing.T, open func() *store.Store, c *clock) {
		r := newReceiver(t)
		s1 := open()
		c.set(t0.Add(90 * time.Minute))
		if err := runner(s1, "a", r).Tick(ctx); err != nil {
			t.Fatal(err)
		}
		// Another hour passes; the first scheduler claims the delivery, then dies.
		c.set(t0.Add(150 * time.Minute))
		if _, _, err := s1.Sweep(ctx, "hourly", t0, func(tx *store.Tx, from, to time.Time) error { return hourly().Run(ctx, tx, from, to) }); err != nil {
			t.Fatal(err)
		}
		if ds, err := s1.ClaimDeliveries(ctx, "a", 2*time.Minute, 10); err != nil || len(ds) != 1 {
			t.Fatalf("claim: %v %v", ds, err)
		}
		s1.Close()
		// A day of downtime; a new scheduler on a new connection catches up.
		c.set(t0.Add(26*time.Hour + 10*time.Minute))
		s2 := open()
		defer s2.Close()
		if err := runner(s2, "b", r).Tick(ctx); err != nil {
			t.Fatal(err)
		}
		checkOnce(t, s2, r, 26)
	})
}

// TestTwoSchedulers runs two schedulers on one database at once while time
// moves on by random steps over two days.
func TestTwoSchedulers(t *testing.T) {
	forEach(t, func(t *testing.T, open func() *store.Store, c *clock) {
		r := newReceiver(t)
		sa, sb := open(), open()
		defer sa.Close()
		defer sb.Close()
		a, b := runner(sa, "a", r), runner(sb, "b", r)
		rng := rand.New(rand.NewPCG(1, 2))
		now := t0
		for now.Before(t0.Add(48 * time.Hour)) {
			now = now.Add(time.Duration(1+rng.IntN(180)) * time.Minute)
			c.set(now)
			var wg sync.WaitGroup
			for _, x := range []*schedule.Runner{a, b} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := x.Tick(ctx); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
		}
		c.set(t0.Add(48*time.Hour + time.Minute))
		_ = a.Tick(ctx)
		checkOnce(t, sa, r, 48)
	})
}

// TestRetries: the webhook fails twice; the delivery is retried after its
// backoff and logged attempt by attempt.
func TestRetries(t *testing.T) {
	forEach(t, func(t *testing.T, open func() *store.Store, c *clock) {
		r := newReceiver(t)
		r.fail = 2
		s := open()
		defer s.Close()
		x := runner(s, "a", r)
		c.set(t0.Add(61 * time.Minute))
		for i := 0; i < 4; i++ {
			if err := x.Tick(ctx); err != nil {
				t.Fatal(err)
			}
			c.set(c.now().Add(notify.Backoff(i+1) + time.Second))
		}
		got := r.counts()
		key := "hourly:" + t0.Add(time.Hour).Format(time.RFC3339)
		if got[key] != 1 {
			t.Fatalf("delivered %d times", got[key])
		}
		log, err := s.DeliveryLog(ctx, key)
		if err != nil || len(log) != 3 || log[0].Outcome != "retry" || log[2].Outcome != "sent" {
			t.Errorf("log: %+v %v", log, err)
		}
	})
}

// forEach runs a scheduler test on SQLite and PostgreSQL; open gives a new
// store handle on the same database each time it is called.
func forEach(t *testing.T, fn func(t *testing.T, open func() *store.Store, c *clock)) {
	t.Run("sqlite", func(t *testing.T) {
		c := &clock{t: t0}
		dir := t.TempDir()
		fn(t, func() *store.Store {
			s, err := store.Open(ctx, dir+"/s.db", store.Options{Now: c.now, Logger: quiet})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}, c)
	})
	t.Run("postgres", func(t *testing.T) {
		c := &clock{t: t0}
		dsn := storetest.PostgresDSN(t)
		fn(t, func() *store.Store {
			s, err := store.Open(ctx, dsn, store.Options{Now: c.now, Logger: quiet})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}, c)
	})
}
