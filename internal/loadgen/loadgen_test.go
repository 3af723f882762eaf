package loadgen_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/loadgen"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// demoServer serves the demo district (people, units and supervision items;
// not the year of documents) from an in-process server.
func demoServer(t *testing.T, s *store.Store) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	d := demo.NewDistrict(s.Now())
	if err := demo.Seed(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedSupervision(ctx, s, d, s.Now()); err != nil {
		t.Fatal(err)
	}
	h, err := web.New(s, web.Options{Version: "test", Logger: slog.New(slog.DiscardHandler), DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// compressed is the peak hour with its hour squeezed into nine seconds, so
// that a short test sees every kind of operation at a tiny factor.
func compressed() loadgen.Profile {
	p := loadgen.PeakHour
	const k = 400
	p.Workbench, p.Todo, p.Backlog, p.DocPage, p.Search, p.SupList, p.Stats = p.Workbench*k, p.Todo*k, p.Backlog*k, p.DocPage*k, p.Search*k, p.SupList*k, p.Stats*k
	p.Draft, p.Save, p.Route, p.Progress = p.Draft*k, p.Save*k, p.Route*k, p.Progress*k
	return p
}

// A tiny factor against an in-process demo server: the burst signs in its
// share of the staff, every kind of operation runs without error, the
// figures are filled in, and the acknowledged writes are reported.
func TestRunAgainstDemo(t *testing.T) {
	s := storetest.SQLite(t, store.Options{})
	ts := demoServer(t, s)
	var acks []loadgen.Ack
	var progress bytes.Buffer
	rep, err := loadgen.Run(context.Background(), loadgen.Config{
		URLs: []string{ts.URL}, Password: demo.Password, Factor: 0.05, Duration: 8 * time.Second, Profile: compressed(),
		PIDs: []int{os.Getpid()}, Progress: &progress, Seed: 7,
		Ack: func(a loadgen.Ack) { acks = append(acks, a) },
	})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep.Write(&out)
	t.Log("\n" + out.String())
	if n := rep.TotalErrors(); n != 0 {
		t.Errorf("%d errors: %v", n, rep.Errors)
	}
	// 5 % of the 307 staff sign in in the burst; those the day needs later
	// sign in when they first act.
	if in, _ := rep.Op(loadgen.OpSignIn); in.OK < 15 || rep.BurstSignIns != 15 {
		t.Errorf("sign-ins: %+v", in)
	}
	for _, op := range []string{loadgen.OpWorkbench, loadgen.OpDraft, "ALL page", "ALL write"} {
		st, ok := rep.Op(op)
		if !ok || st.OK == 0 || st.P50 <= 0 || st.P99 < st.P50 || st.Max < st.P99 {
			t.Errorf("%s: %+v", op, st)
		}
	}
	if st, _ := rep.Op(loadgen.OpStep); st.OK == 0 {
		t.Errorf("no route step done: %+v", st)
	}
	if len(rep.Memory) != 1 || rep.Memory[0].Peak <= 0 {
		t.Errorf("memory: %+v", rep.Memory)
	}
	for _, want := range []string{"p99 ms", "ALL write", "常驻内存", "错误: 0"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if !strings.Contains(progress.String(), "100%") {
		t.Errorf("progress bar: %q", progress.String())
	}
	drafts := 0
	for _, a := range acks {
		if a.Op == loadgen.OpDraft {
			drafts++
			if rec, err := s.Document(context.Background(), a.Doc); err != nil || rec.Version < 1 {
				t.Errorf("acknowledged draft %s: %v", a.Doc, err)
			}
		}
	}
	if drafts == 0 {
		t.Error("no draft acknowledged")
	}
}

// With SignedIn the steady phase starts after everyone has signed in: its
// table has no sign-in of its own, and the set-up's are reported apart.
func TestRunSignedInFirst(t *testing.T) {
	s := storetest.SQLite(t, store.Options{})
	ts := demoServer(t, s)
	rep, err := loadgen.Run(context.Background(), loadgen.Config{
		URLs: []string{ts.URL}, Password: demo.Password, Factor: 0.05, Duration: 2 * time.Second, Profile: compressed(),
		PIDs: []int{os.Getpid()}, Seed: 11, NoBurst: true, SignedIn: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := rep.TotalErrors(); n != 0 {
		t.Errorf("%d errors: %v", n, rep.Errors)
	}
	if st, ok := rep.Op(loadgen.OpSignIn); ok && st.OK > 0 {
		t.Errorf("sign-ins in the steady phase: %+v", st)
	}
	if st, _ := rep.Op(loadgen.OpSetupSignIn); st.OK < 250 {
		t.Errorf("set-up sign-ins: %+v", st)
	}
	if st, _ := rep.Op("ALL page"); st.OK == 0 {
		t.Errorf("no page: %+v", st)
	}
}
