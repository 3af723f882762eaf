package store_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// benchStores runs a benchmark on SQLite and, when configured, PostgreSQL.
func benchStores(b *testing.B, fn func(b *testing.B, s *store.Store)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, storetest.SQLite(b, store.Options{})) })
	b.Run("postgres", func(b *testing.B) { fn(b, storetest.Postgres(b, store.Options{})) })
}

// BenchmarkRouteTransition measures durable route transitions: each op is one
// committed transaction (synchronous=FULL on SQLite) that loads the document
// and its route, applies the engine, and writes state, events, the open-task
// index, the participant and the audit entry. The document cycles between
// 起草 and 处室审核 (submit, then return), so every op is a real transition.
func BenchmarkRouteTransition(b *testing.B) {
	benchStores(b, func(b *testing.B, s *store.Store) {
		x := seededB(b, s)
		office := x.unit["政府办"]
		secretariat := childOf(x.district, office.ID, "秘书科")
		clerk := x.byLogin["wenmi"]
		head := x.headB(b, secretariat.ID)
		// Fresh documents, each taken through two transitions (submit, then
		// return), so that route states stay the size real ones have.
		docs := make([]string, b.N/2+1)
		for i := range docs {
			rec, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: secretariat.ID, Doc: document.Document{
				Type: document.Notice, Title: "关于基准测试的通知", Body: document.ParseBody("一、总体要求\n正文。")}})
			if err != nil {
				b.Fatal(err)
			}
			docs[i] = rec.ID
		}
		b.ResetTimer()
		cpu0, pg0 := cpuTime(), serverCPU()
		for i := 0; i < b.N; i++ {
			id := docs[i/2]
			in, err := s.Instance(ctx, id)
			if err != nil {
				b.Fatal(err)
			}
			t := in.OpenTasks()[0]
			if i%2 == 0 {
				_, err = s.Act(ctx, clerk, id, route.Request{Op: route.Approve, Task: t.ID, Comment: "请审核"})
			} else {
				_, err = s.Act(ctx, head, id, route.Request{Op: route.Return, Task: t.ID, ToStep: "draft", Comment: "请修改"})
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu0)
		reportServerCPU(b, s, pg0)
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "transitions/s")
	})
}

// cpuTime is the CPU time the process has used (user and system), which the
// other engineers' load on the shared machine does not inflate the way it
// inflates wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the process CPU time per op since start (call after the
// timed loop).
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// residentMiB is the process's resident set now (/proc/self/statm), 0 where
// that cannot be read.
func residentMiB() float64 {
	raw, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(raw))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return float64(pages*int64(os.Getpagesize())) / (1 << 20)
}

// serverCPU is the CPU time used so far by the local PostgreSQL server's
// processes, exited backends included (the postmaster's children times), read
// from /proc; 0 where that cannot be read. On a shared server it counts the
// other users' queries too.
func serverCPU() time.Duration {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	var ticks int64
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		raw, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		st := string(raw)
		open, end := strings.IndexByte(st, '('), strings.LastIndexByte(st, ')')
		if open < 0 || end < open || st[open+1:end] != "postgres" {
			continue
		}
		f := strings.Fields(st[end+1:])
		if len(f) < 15 {
			continue
		}
		for _, v := range f[11:15] { // utime stime cutime cstime
			n, _ := strconv.ParseInt(v, 10, 64)
			ticks += n
		}
	}
	return time.Duration(ticks) * 10 * time.Millisecond // USER_HZ is 100 on Linux
}

// reportServerCPU reports the PostgreSQL server's CPU time per op since start.
func reportServerCPU(b *testing.B, s *store.Store, start time.Duration) {
	if s.Dialect() == store.Postgres && start > 0 {
		b.ReportMetric(float64((serverCPU()-start).Microseconds())/1000/float64(b.N), "pg-cpu-ms/op")
	}
}

type benchDistrict struct{ district }

func seededB(b *testing.B, s *store.Store) benchDistrict {
	b.Helper()
	return benchDistrict{seeded(b, s)}
}

func (x benchDistrict) headB(b *testing.B, unitID string) org.Person {
	return x.head(b, unitID)
}

// BenchmarkWorklist measures a busy clerk's 待办 with many documents in the
// database (SHUNIU_BENCH_DOCS, default 100,000; the figure is
// 1,000,000). Documents are bulk-loaded directly; a tenth are open at steps
// the demo clerk (文秘 of 政府办) holds by role, the rest belong to other
// units or are closed. It reports p50/p99 of OpenTasksFor (the query behind
// the 待办 page: index lookup, sort, and loading the 200 newest documents) and
// the process's heap in use.
func BenchmarkWorklist(b *testing.B) {
	n := 100_000
	if v := os.Getenv("SHUNIU_BENCH_DOCS"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	bench := func(b *testing.B, s *store.Store, raw *sql.DB, dialect string) {
		x := seededB(b, s)
		office := x.unit["政府办"]
		clerk := x.byLogin["wenmi"]
		start := time.Now()
		if err := bulkDocs(raw, dialect, n, office.ID, x.Units[len(x.Units)-1].ID); err != nil {
			b.Fatal(err)
		}
		b.Logf("loaded %d documents in %v", n, time.Since(start).Round(time.Second))
		a, err := s.Actor(ctx, clerk.ID, s.Now())
		if err != nil {
			b.Fatal(err)
		}
		var lat []time.Duration
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			items, err := s.OpenTasksFor(ctx, a, 200)
			if err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
			if len(items) != 200 {
				b.Fatalf("got %d items", len(items))
			}
		}
		b.StopTimer()
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MiB")
		b.ReportMetric(float64(ms.Sys)/(1<<20), "sys-MiB")
		// The resident set also holds what the Go runtime does not see:
		// SQLite's page caches (modernc's allocator) and mapped files.
		if rss := residentMiB(); rss > 0 {
			b.ReportMetric(rss, "rss-MiB")
		}
		var ru syscall.Rusage
		if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
			b.ReportMetric(float64(ru.Maxrss)/1024, "maxrss-MiB") // KiB on Linux
		}
	}
	b.Run("sqlite", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "bench.db")
		s, err := store.Open(ctx, path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)")
		if err != nil {
			b.Fatal(err)
		}
		defer raw.Close()
		raw.SetMaxOpenConns(1)
		bench(b, s, raw, "sqlite")
	})
	b.Run("postgres", func(b *testing.B) {
		dsn := storetest.PostgresDSN(b)
		s, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		raw, err := sql.Open("pgx", dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer raw.Close()
		bench(b, s, raw, "postgres")
	})
}

// bulkDocs inserts n documents with their route state and open tasks straight
// into the tables, in large transactions.
func bulkDocs(raw *sql.DB, dialect string, n int, office, otherUnit string) error {
	content, _ := json.Marshal(document.Document{Type: document.Notice, Title: "关于做好年度工作的通知",
		Body: document.ParseBody("一、总体要求\n各单位要高度重视。\n二、工作任务\n（一）抓好落实。")})
	state, _ := json.Marshal(route.Instance{Status: route.Active})
	ph := func(k int) string {
		if dialect == "postgres" {
			parts := make([]string, k)
			for i := range parts {
				parts[i] = "$" + strconv.Itoa(i+1)
			}
			return strings.Join(parts, ",")
		}
		return strings.TrimSuffix(strings.Repeat("?,", k), ",")
	}
	base := time.Now().Add(-365 * 24 * time.Hour).UnixMicro()
	const batch = 5000
	for lo := 0; lo < n; lo += batch {
		tx, err := raw.Begin()
		if err != nil {
			return err
		}
		insDoc, err := tx.Prepare(`INSERT INTO documents (id, direction, unit_id, organ_id, source_id, title, doc_type, level, urgency, doc_number, in_number, sender, step, status, version, content, created_by, created_at, updated_at, closed_at) VALUES (` + ph(20) + `)`)
		if err != nil {
			return err
		}
		insRoute, _ := tx.Prepare(`INSERT INTO route_instances (id, seq, state, updated_at) VALUES (` + ph(4) + `)`)
		insTask, _ := tx.Prepare(`INSERT INTO open_tasks (instance_id, task_id, kind, person, role, unit, step, circulate, handed_at, due_at, ack_due_at, acked) VALUES (` + ph(12) + `)`)
		for i := lo; i < min(lo+batch, n); i++ {
			id := uid.New()
			at := base + int64(i)*30_000_000
			// A tenth are open at the clerk's office; of the rest, a third
			// are closed and the others open elsewhere.
			unit, status, open := otherUnit, "active", true
			switch {
			case i%10 == 0:
				unit = office
			case i%3 == 0:
				status, open = "done", false
			}
			if _, err := insDoc.Exec(id, "outgoing", unit, unit, "", fmt.Sprintf("关于做好年度工作的通知（%d）", i), "notice", 0, "", "", "", "", "办公室核稿", status, 1, string(content), "bench", at, at, 0); err != nil {
				return err
			}
			if _, err := insRoute.Exec(id, 1, string(state), at); err != nil {
				return err
			}
			if open {
				if _, err := insTask.Exec(id, 1, "role", "", "office_reviewer", unit, "办公室核稿", 0, at, at+86400e6, at+14400e6, 0); err != nil {
					return err
				}
			}
		}
		insDoc.Close()
		insRoute.Close()
		insTask.Close()
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkRouteTransitionParallel is BenchmarkRouteTransition with many
// requests at once, as a busy server sees them: on SQLite the writes share
// commits (group commit), on PostgreSQL each commits on its own.
func BenchmarkRouteTransitionParallel(b *testing.B) {
	benchStores(b, func(b *testing.B, s *store.Store) {
		x := seededB(b, s)
		office := x.unit["政府办"]
		secretariat := childOf(x.district, office.ID, "秘书科")
		clerk := x.byLogin["wenmi"]
		head := x.headB(b, secretariat.ID)
		const workers = 32
		docs := make(chan string, b.N/2+workers)
		for i := 0; i < b.N/2+workers; i++ {
			rec, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: secretariat.ID, Doc: document.Document{
				Type: document.Notice, Title: "关于基准测试的通知", Body: document.ParseBody("一、总体要求\\n正文。")}})
			if err != nil {
				b.Fatal(err)
			}
			docs <- rec.ID
		}
		b.SetParallelism(workers / 2) // × GOMAXPROCS(2) goroutines
		b.ResetTimer()
		cpu0, pg0 := cpuTime(), serverCPU()
		b.RunParallel(func(pb *testing.PB) {
			var id string
			n := 0
			for pb.Next() {
				if n%2 == 0 {
					id = <-docs
				}
				in, err := s.Instance(ctx, id)
				if err != nil {
					b.Error(err)
					return
				}
				t := in.OpenTasks()[0]
				if n%2 == 0 {
					_, err = s.Act(ctx, clerk, id, route.Request{Op: route.Approve, Task: t.ID, Comment: "请审核"})
				} else {
					_, err = s.Act(ctx, head, id, route.Request{Op: route.Return, Task: t.ID, ToStep: "draft", Comment: "请修改"})
				}
				if err != nil {
					b.Error(err)
					return
				}
				n++
			}
		})
		reportCPU(b, cpu0)
		reportServerCPU(b, s, pg0)
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "transitions/s")
	})
}

// BenchmarkCreateOutgoing measures 起草: one committed transaction that reads
// the unit tree and the route template, starts the route and writes the
// document, its first version, recipients, route state, participant and audit
// entry. Serial, and 32 drafters at once in different units.
func BenchmarkCreateOutgoing(b *testing.B) {
	benchStores(b, func(b *testing.B, s *store.Store) {
		x := seededB(b, s)
		office := x.unit["政府办"]
		secretariat := childOf(x.district, office.ID, "秘书科")
		clerk := x.byLogin["wenmi"]
		body := document.ParseBody(strings.Repeat("一、总体要求\n各单位要高度重视，认真落实。\n", 40))
		create := func() error {
			_, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: secretariat.ID, To: []string{office.ID}, Doc: document.Document{
				Type: document.Notice, Title: "关于基准测试的通知", Body: body}})
			return err
		}
		b.Run("serial", func(b *testing.B) {
			cpu0, pg0 := cpuTime(), serverCPU()
			for b.Loop() {
				if err := create(); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu0)
			reportServerCPU(b, s, pg0)
		})
		b.Run("parallel", func(b *testing.B) {
			b.SetParallelism(16) // × GOMAXPROCS(2) goroutines
			cpu0, pg0 := cpuTime(), serverCPU()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := create(); err != nil {
						b.Error(err)
						return
					}
				}
			})
			reportCPU(b, cpu0)
			reportServerCPU(b, s, pg0)
		})
	})
}
