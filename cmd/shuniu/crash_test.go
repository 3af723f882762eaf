package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/loadgen"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// The crash test under load (issue 11, standing defences): the real server
// (this package's `serve`, run in a child process) takes the load of a
// working day from the load generator over HTTP — drafting, saving
// versions, 核稿/签发/编号/印发/分发 and the other steps, 签收 of the copies,
// 批办, supervision progress reports — and is killed with SIGKILL at a random
// moment. Then, with the server down, the database is checked:
//
//   - every write the server acknowledged is there: each draft, each saved
//     version, each route step (a task acted on), each progress report;
//   - every document is in one consistent state: its status is its route's,
//     an active route has open tasks at one step and a finished one none, the
//     worklist (open_tasks) holds exactly the route's open tasks, its
//     copies to the receiving units are all there or none, and every
//     发文字号 was taken exactly once (the number events form a valid
//     sequence, and each number is held by the one document they give it to);
//   - the audit chain verifies.
//
// The server is then started again on the same database and data directory
// for the next round. SHUNIU_CRASH_ROUNDS sets the rounds per store (default
// 2), SHUNIU_CRASH_WINDOW the longest the load runs before the kill (default
// 3s), SHUNIU_CRASH_FACTOR the load (default 1, see loadgen.Profile) and
// SHUNIU_CRASH_SEED replays a run's kill times; docs/perf.md has the figures
// of a long run and its command.

const crashServeEnv = "SHUNIU_CRASH_SERVE_ARGS"

// TestCrashServeChild is the server the crash test kills: the real
// subcommand, as main runs it.
func TestCrashServeChild(t *testing.T) {
	raw := os.Getenv(crashServeEnv)
	if raw == "" {
		t.Skip("helper process for TestCrashUnderLoad")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	os.Exit(dispatch(context.Background(), args, os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

func TestCrashUnderLoad(t *testing.T) {
	rounds := 2
	if s := os.Getenv("SHUNIU_CRASH_ROUNDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("SHUNIU_CRASH_ROUNDS=%q: want a positive number", s)
		}
		rounds = n
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("SHUNIU_CRASH_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("SHUNIU_CRASH_SEED=%d", seed)
	// The two stores at once: most of a round is waiting (a server starting,
	// people signing in), so the suite's share stays short.
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		crashRounds(t, dir, "", filepath.Join(dir, "shuniu.db"), rounds, seed)
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		dsn := storetest.PostgresDSN(t)
		crashRounds(t, t.TempDir(), dsn, dsn, rounds, seed)
	})
}

// crashRun is what the load generator was told across the rounds.
type crashRun struct {
	mu       sync.Mutex
	versions map[string]int    // document → highest version acknowledged
	acts     map[string]int    // document → route operations acknowledged on it
	reports  map[[2]string]int // item, unit → progress reports acknowledged
	ops      int               // acknowledged writes
	kinds    map[string]int    // by operation
	first    chan struct{}     // closed at the first acknowledgement of a round
	once     *sync.Once
}

func (c *crashRun) ack(a loadgen.Ack) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ops++
	c.kinds[a.Op]++
	switch a.Op {
	case loadgen.OpProgress:
		c.reports[[2]string{a.Item, a.Unit}]++
	default:
		c.versions[a.Doc] = max(c.versions[a.Doc], a.Version)
		c.acts[a.Doc] = max(c.acts[a.Doc], a.Acts)
	}
	c.once.Do(func() { close(c.first) })
}

// crashProfile is a working day's writes squeezed into seconds, with a few
// of its pages.
func crashProfile() loadgen.Profile {
	p := loadgen.PeakHour
	const k = 400
	p.Draft, p.Save, p.Route, p.Progress = p.Draft*k, p.Save*k, p.Route*k*2, p.Progress*k
	p.Workbench, p.Todo, p.DocPage, p.Search = p.Workbench*k/20, p.Todo*k/20, p.DocPage*k/20, p.Search*k/20
	p.Backlog, p.SupList, p.Stats = 0, p.SupList*k/20, 0
	return p
}

func crashRounds(t *testing.T, dataDir, db, check string, rounds int, seed uint64) {
	ctx := context.Background()
	key, err := audit.GenerateKeyFile(filepath.Join(dataDir, "keys", "audit.key"))
	if err != nil {
		t.Fatal(err)
	}
	open := func() *store.Store {
		t.Helper()
		s, err := store.Open(ctx, check, store.Options{AuditKey: key})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// The demo district's people, units and supervision items (not its year
	// of documents: the load makes its own).
	s := open()
	d := demo.NewDistrict(s.Now())
	if err := demo.Seed(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedSupervision(ctx, s, d, s.Now()); err != nil {
		t.Fatal(err)
	}
	s.Close()

	args := []string{"serve", "--data-dir", dataDir, "--addr", "127.0.0.1:0", "--metrics-addr", "off", "--audit-checkpoint-every", "1s"}
	if db != "" {
		args = append(args, "--db", db)
	}
	rng := rand.New(rand.NewPCG(seed, 11))
	// How long the load may run before the kill, at most: short in the
	// suite; a long run gives some rounds the time to carry documents
	// through 编号, 印发, 分发 and 签收.
	window := 3 * time.Second
	if w, err := time.ParseDuration(os.Getenv("SHUNIU_CRASH_WINDOW")); err == nil && w > 0 {
		window = w
	}
	acks := &crashRun{versions: map[string]int{}, acts: map[string]int{}, reports: map[[2]string]int{}, kinds: map[string]int{}}
	factor := 1.0
	if f, err := strconv.ParseFloat(os.Getenv("SHUNIU_CRASH_FACTOR"), 64); err == nil && f > 0 {
		factor = f
	}
	for round := range rounds {
		t0 := time.Now()
		url, kill := startCrashServer(t, args)
		t1 := time.Now()
		acks.first, acks.once = make(chan struct{}), new(sync.Once)
		loadCtx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() {
			_, err := loadgen.Run(loadCtx, loadgen.Config{URLs: []string{url}, Password: demo.Password, Factor: factor,
				Duration: time.Hour, Profile: crashProfile(), Seed: seed + uint64(round), NoBurst: true, Ack: acks.ack})
			done <- err
		}()
		// Kill at a random moment once writes are being acknowledged.
		select {
		case <-acks.first:
		case err := <-done:
			kill()
			t.Fatalf("round %d: the load stopped before any write: %v", round, err)
		case <-time.After(2 * time.Minute):
			kill()
			t.Fatalf("round %d: no write acknowledged in two minutes", round)
		}
		t2 := time.Now()
		time.Sleep(time.Duration(rng.Int64N(int64(window))))
		kill()
		stop()
		<-done
		t.Logf("round %d: server up in %v, first write after %v, killed %v later", round, t1.Sub(t0).Round(time.Millisecond), t2.Sub(t1).Round(time.Millisecond), time.Since(t2).Round(time.Millisecond))

		s := open()
		checkAfterCrash(t, ctx, s, check, acks)
		s.Close()
		// The operator's check: the keyed chain and the checkpoints the
		// server signed while it ran.
		verify := []string{"audit", "verify", "--data-dir", dataDir}
		if db != "" {
			verify = append(verify, "--db", db)
		}
		if code, out, errs := run(t, nil, verify...); code != 0 {
			t.Errorf("shuniu audit verify after the kill: %d\n%s%s", code, out, errs)
		}
		if t.Failed() {
			t.Fatalf("round %d failed (SHUNIU_CRASH_SEED=%d)", round, seed)
		}
	}
	acks.mu.Lock()
	defer acks.mu.Unlock()
	t.Logf("%d rounds, %d acknowledged writes (%v), lost 0", rounds, acks.ops, acks.kinds)
}

var startedRE = regexp.MustCompile(`枢纽已启动：(http://[^/\s]+)/`)

// startCrashServer runs `shuniu serve` in a child process and returns its
// address and a function that kills it with SIGKILL and waits for it.
func startCrashServer(t *testing.T, args []string) (string, func()) {
	t.Helper()
	raw, _ := json.Marshal(args)
	cmd := storetest.Self("-test.run=^TestCrashServeChild$", "-test.count=1")
	// The proofreader's word model takes seconds to load and plays no part
	// in the writes under test.
	cmd.Env = append(os.Environ(), crashServeEnv+"="+string(raw), "SHUNIU_PROOFREAD_LM=none")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := os.CreateTemp(t.TempDir(), "serve-*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	kill := func() {
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := startedRE.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
				break
			}
		}
		close(addr)
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case a, ok := <-addr:
		if ok {
			return a, kill
		}
	case <-time.After(2 * time.Minute):
	}
	kill()
	log, _ := os.ReadFile(stderr.Name())
	t.Fatalf("the server did not start:\n%s", log)
	return "", nil
}

// checkAfterCrash checks what the server left after its death against what
// it acknowledged before.
func checkAfterCrash(t *testing.T, ctx context.Context, s *store.Store, dsn string, run *crashRun) {
	t.Helper()
	run.mu.Lock()
	defer run.mu.Unlock()
	driver := "sqlite"
	if s.Dialect() == store.Postgres {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	ids := queryStrings(t, raw, `SELECT id FROM documents ORDER BY id`)

	// Every acknowledged write is there.
	for id, v := range run.versions {
		rec, err := s.Document(ctx, id)
		if err != nil {
			t.Errorf("acknowledged document %s: %v", id, err)
			continue
		}
		if rec.Version < v {
			t.Errorf("document %s: version %d, but version %d was acknowledged", id, rec.Version, v)
		}
		in, err := s.Instance(ctx, id)
		if err != nil {
			t.Errorf("route of %s: %v", id, err)
			continue
		}
		acted := 0
		for _, tk := range in.Tasks {
			if tk.ActedBy != "" {
				acted++
			}
		}
		if acted < run.acts[id] {
			t.Errorf("document %s: %d tasks acted on, but %d route operations were acknowledged", id, acted, run.acts[id])
		}
	}
	items := map[string][]string{} // item → units that reported
	for k := range run.reports {
		items[k[0]] = append(items[k[0]], k[1])
	}
	for id := range items {
		it, err := s.SupItem(ctx, id)
		if err != nil {
			t.Errorf("supervision item %s: %v", id, err)
			continue
		}
		got := map[string]int{}
		for _, r := range it.Reports {
			got[r.UnitID]++
		}
		for _, u := range items[id] {
			if want := run.reports[[2]string{id, u}]; got[u] < want {
				t.Errorf("item %s, unit %s: %d progress reports, %d acknowledged", id, u, got[u], want)
			}
		}
	}

	// Every document is in one consistent state.
	recs, err := s.Documents(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	type scope struct {
		code string
		year int
	}
	scopes := map[scope]map[int]string{} // 发文字号 held: scope → seq → document
	for _, rec := range recs {
		in, err := s.Instance(ctx, rec.ID)
		if err != nil {
			t.Errorf("route of %s: %v", rec.ID, err)
			continue
		}
		open := in.OpenTasks()
		steps := map[int]bool{}
		for _, tk := range open {
			steps[tk.Step] = true
		}
		switch {
		case rec.Status != in.Status:
			t.Errorf("%s: document says %s, its route %s", rec.ID, rec.Status, in.Status)
		case in.Status == route.Active && len(open) == 0:
			t.Errorf("%s: active with no open task", rec.ID)
		case in.Status != route.Active && len(open) > 0:
			t.Errorf("%s: %s with %d open tasks", rec.ID, in.Status, len(open))
		case len(steps) > 1:
			t.Errorf("%s: open tasks at %d steps at once", rec.ID, len(steps))
		}
		var listed int
		if err := raw.QueryRowContext(ctx, rebind(driver, `SELECT COUNT(*) FROM open_tasks WHERE instance_id = ?`), rec.ID).Scan(&listed); err != nil {
			t.Fatal(err)
		}
		if listed != len(open) {
			t.Errorf("%s: %d open tasks in its route, %d in the worklist", rec.ID, len(open), listed)
		}
		if rec.Direction == "outgoing" {
			copies, err := s.IncomingFrom(ctx, rec.ID)
			if err != nil {
				t.Fatal(err)
			}
			rs, err := s.Recipients(ctx, rec.ID)
			if err != nil {
				t.Fatal(err)
			}
			units := map[string]bool{}
			for _, r := range rs {
				units[r.UnitID] = true
			}
			if len(copies) != 0 && len(copies) != len(units) {
				t.Errorf("%s: %d copies for %d receiving units", rec.ID, len(copies), len(units))
			}
			for _, c := range copies {
				if (c.Doc.Number == nil) != (rec.Doc.Number == nil) || c.Doc.Number != nil && *c.Doc.Number != *rec.Doc.Number {
					t.Errorf("copy %s of %s carries 文号 %v, its source %v", c.ID, rec.ID, c.Doc.Number, rec.Doc.Number)
				}
			}
		}
		// A copy carries its source's 文号; only the outgoing document took it.
		if n := rec.Doc.Number; n != nil && rec.Direction == "outgoing" {
			k := scope{n.OrganCode, n.Year}
			if scopes[k] == nil {
				scopes[k] = map[int]string{}
			}
			if other, ok := scopes[k][n.Seq]; ok {
				t.Errorf("发文字号 %s held by %s and %s", n, other, rec.ID)
			}
			scopes[k][n.Seq] = rec.ID
		}
	}
	for k, held := range scopes {
		evs, err := s.NumberEvents(ctx, k.code, k.year)
		if err != nil {
			t.Fatal(err)
		}
		var nes []document.NumberEvent
		live := map[int]string{}
		for _, e := range evs {
			nes = append(nes, document.NumberEvent{Kind: document.NumberEventKind(e.Kind), Number: document.DocNumber{OrganCode: e.Scope, Year: e.Year, Seq: e.Seq}, Document: e.DocID, By: e.By, At: e.At})
			if e.Kind == string(document.Voided) {
				delete(live, e.Seq)
			} else {
				live[e.Seq] = e.DocID
			}
		}
		if problems := document.CheckSequence(nes); len(problems) > 0 {
			t.Errorf("numbers of %s %d: %v", k.code, k.year, problems)
		}
		for seq, id := range held {
			if live[seq] != id {
				t.Errorf("%s holds %s〔%d〕%d号, which the number events give to %q", id, k.code, k.year, seq, live[seq])
			}
		}
	}

	// The audit chain verifies.
	if _, err := s.VerifyAudit(ctx); err != nil {
		t.Errorf("audit chain after the crash: %v", err)
	}
	t.Logf("after the kill: %d documents, %d acknowledged writes so far (%d documents, %d items), %d number scopes",
		len(recs), run.ops, len(run.versions), len(items), len(scopes))
}

func queryStrings(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// rebind writes ? placeholders as PostgreSQL's $1.
func rebind(driver, q string) string {
	if driver != "pgx" {
		return q
	}
	n := 0
	return regexp.MustCompile(`\?`).ReplaceAllStringFunc(q, func(string) string { n++; return fmt.Sprintf("$%d", n) })
}
