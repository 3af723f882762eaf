package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// Config is one run.
type Config struct {
	URLs     []string // the servers; requests go to each in turn
	Login    string   // the account that reads the directory (any business account)
	Password string   // the password of every account signed in as
	Factor   float64  // times a district's peak hour (PeakHour)
	Duration time.Duration
	Profile  Profile // zero: PeakHour
	Seed     uint64

	BurstConcurrency int // sign-ins at once in the burst (default 50)
	MaxInFlight      int // operations in flight at most (default 256)
	NoBurst          bool
	// SignedIn: without the burst, everyone signs in once before the steady
	// phase, at the burst's concurrency, reported as set-up — the peak hour is
	// after everyone has signed in (PeakHour), and otherwise its first
	// minute is everyone's first sign-in at once.
	SignedIn bool

	Metrics []string // metrics URLs to read resident memory from
	PIDs    []int    // or the servers' process IDs (same machine)

	Progress io.Writer // a terminal for the progress bar, or nil
	// Ack, when set, is told of every write the server acknowledged, after
	// its answer arrived (the crash test checks them after a restart).
	Ack func(Ack)
}

// Ack is one acknowledged write.
type Ack struct {
	Op      string
	Doc     string // the document written
	Version int    // its version after a save (1 after a draft)
	Acts    int    // route operations acknowledged on it so far by this run
	Item    string // the supervision item of a progress report
	Unit    string // and the reporting unit
}

// Run replays the burst and the steady phase and returns the report. It
// stops early when ctx ends; the report then covers what was done.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if len(cfg.URLs) == 0 {
		return nil, errors.New("请用 --url 指定服务器地址")
	}
	for i, u := range cfg.URLs {
		cfg.URLs[i] = strings.TrimRight(u, "/")
	}
	if cfg.Factor <= 0 {
		return nil, errors.New("--factor 须大于 0")
	}
	if cfg.Profile == (Profile{}) {
		cfg.Profile = PeakHour
	}
	if cfg.BurstConcurrency <= 0 {
		cfg.BurstConcurrency = 50
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = 256
	}
	if cfg.Login == "" {
		cfg.Login = "wenmi"
	}
	r := &runner{cfg: cfg, c: newClient(cfg.URLs, cfg.MaxInFlight), rec: newRecorder(),
		rng: rand.New(rand.NewPCG(cfg.Seed, 0x5a17)), sessions: map[string]*sessionSlot{}, itemSeer: map[string]string{}, tag: fmt.Sprintf("%04x", time.Now().UnixNano()&0xffff)}
	rep := &Report{Servers: cfg.URLs, Factor: cfg.Factor, Duration: cfg.Duration, Describe: cfg.Profile.Describe(cfg.Factor, cfg.Duration), LoadBefore: loadAvg()}
	mem := newMemWatch(cfg.Metrics, cfg.PIDs)
	mem.sample(ctx)
	memCtx, stopMem := context.WithCancel(ctx)
	memDone := make(chan struct{})
	go func() { defer close(memDone); mem.run(memCtx) }()

	start := time.Now()
	err := r.run(ctx, rep)
	stopMem()
	<-memDone
	rep.Elapsed = time.Since(start)
	rep.LoadAfter = loadAvg()
	// Memory after the load: a moment later, when the last answers are out.
	if ctx.Err() == nil {
		time.Sleep(time.Second)
	}
	mem.sample(context.Background())
	rep.Memory = mem.result()
	rep.Ops = r.rec.result()
	rep.Errors = r.rec.errs
	return rep, err
}

type runner struct {
	cfg Config
	c   *client
	rec *recorder
	dir *directory

	mu       sync.Mutex
	rng      *rand.Rand
	sessions map[string]*sessionSlot // by person ID
	pool     []*flight               // documents in hand, not being worked on
	known    []docRef                // documents to open pages of
	items    []string                // supervision items in hand
	itemSeer map[string]string       // item -> a 督查员 who may open it
	tag      string                  // marks this run's titles
	seq      atomic.Int64

	drafters, office, leaders, everyone []string // person IDs
	receivers                           []string // unit IDs

	done, planned atomic.Int64
}

type sessionSlot struct {
	once sync.Once
	s    *session
	err  error
}

// flight is a document the run is moving along its route.
type flight struct {
	id      string
	viewer  string // a person who may read it (the starter, then the last actor)
	starter string
	to      []string
	acts    int
	saves   int
	step    string
	// A copy not yet signed for: the receiving unit and the title to find
	// it by in the unit's clerks' lists.
	pendingUnit, title string
}

type docRef struct{ id, viewer string }

func (r *runner) intn(n int) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rng.IntN(n)
}

func (r *runner) pick(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[r.intn(len(ids))]
}

// session signs the person in once and keeps the session.
func (r *runner) session(ctx context.Context, personID string) (*session, error) {
	r.mu.Lock()
	slot := r.sessions[personID]
	if slot == nil {
		slot = &sessionSlot{}
		r.sessions[personID] = slot
	}
	r.mu.Unlock()
	slot.once.Do(func() {
		p := r.dir.people[personID]
		slot.s, slot.err = r.c.signIn(ctx, p.Login, r.cfg.Password, r.rec.add)
	})
	if slot.err != nil {
		// Try again next time: a refused sign-in is not for ever.
		r.mu.Lock()
		if r.sessions[personID] == slot {
			delete(r.sessions, personID)
		}
		r.mu.Unlock()
	}
	return slot.s, slot.err
}

func (r *runner) run(ctx context.Context, rep *Report) error {
	var first *session
	var err error
	first, err = r.c.signIn(ctx, r.cfg.Login, r.cfg.Password, func(string, time.Duration, error) {})
	if err != nil {
		return fmt.Errorf("以 %s 登录以读取通讯录: %w", r.cfg.Login, err)
	}
	if r.dir, err = loadDirectory(ctx, r.c, first); err != nil {
		return err
	}
	for id, p := range r.dir.people {
		if p.hasRole("sysadmin", "security_officer", "auditor") {
			continue
		}
		r.everyone = append(r.everyone, id)
	}
	slices.Sort(r.everyone)
	// Drafters are handlers in a unit with a head, who reviews the draft.
	for _, id := range r.dir.withRole("handler") {
		if len(r.dir.heads[r.dir.people[id].primaryUnit()]) > 0 {
			r.drafters = append(r.drafters, id)
		}
	}
	r.office = r.dir.withRole("clerk", "office_director", "confidential_clerk")
	r.leaders = r.dir.withRole("leader", "supervisor")
	r.receivers = r.dir.receivers()
	if len(r.drafters) == 0 || len(r.receivers) == 0 {
		return errors.New("通讯录中没有承办人或收文单位，无法起草公文")
	}
	rep.People = len(r.dir.people)

	// The 8:30 burst: the whole staff (times the factor) signs in, 50 at a
	// time. Everyone's first session is kept for the day.
	if !r.cfg.NoBurst {
		n := max(1, int(math.Round(r.cfg.Factor*float64(r.cfg.Profile.Staff))))
		r.planned.Add(int64(n))
		r.progressPhase("8:30 登录高峰")
		sem := make(chan struct{}, r.cfg.BurstConcurrency)
		var wg sync.WaitGroup
		stopBar := r.startBar(ctx)
		for i := range n {
			if ctx.Err() != nil {
				break
			}
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done(); r.done.Add(1) }()
				id := r.everyone[i%len(r.everyone)]
				p := r.dir.people[id]
				s, err := r.c.signIn(ctx, p.Login, r.cfg.Password, r.rec.add)
				if err == nil {
					r.mu.Lock()
					if r.sessions[id] == nil {
						slot := &sessionSlot{s: s}
						slot.once.Do(func() {})
						r.sessions[id] = slot
					}
					r.mu.Unlock()
				}
			}()
		}
		wg.Wait()
		stopBar()
		rep.BurstElapsed, rep.BurstSignIns = r.rec.since(), n
	}
	if r.cfg.NoBurst && r.cfg.SignedIn {
		r.progressPhase("登录（准备，不计入高峰时段）")
		r.planned.Add(int64(len(r.everyone)))
		sem := make(chan struct{}, r.cfg.BurstConcurrency)
		var wg sync.WaitGroup
		stopBar := r.startBar(ctx)
		for _, id := range r.everyone {
			if ctx.Err() != nil {
				break
			}
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done(); r.done.Add(1) }()
				p := r.dir.people[id]
				s, err := r.c.signIn(ctx, p.Login, r.cfg.Password, func(_ string, d time.Duration, err error) { r.rec.add(OpSetupSignIn, d, err) })
				if err == nil {
					r.mu.Lock()
					if r.sessions[id] == nil {
						slot := &sessionSlot{s: s}
						slot.once.Do(func() {})
						r.sessions[id] = slot
					}
					r.mu.Unlock()
				}
			}()
		}
		wg.Wait()
		stopBar()
	}
	if ctx.Err() != nil {
		return nil
	}
	// After the sign-ins, so that the 督查员 reading them are signed in by
	// then, not beside.
	r.loadItems(ctx)

	// The in-trays: a few drafts so that the route has work from the start.
	r.progressPhase("起草初始公文")
	inTray := max(2, int(math.Ceil(r.cfg.Factor*3)))
	var wg sync.WaitGroup
	for range inTray {
		wg.Add(1)
		go func() { defer wg.Done(); r.draft(ctx, OpSetupDraft) }()
	}
	wg.Wait()

	// The steady phase: operations arrive at random (a Poisson process) at
	// the profile's rate times the factor, each in its own goroutine, so a
	// slow server meets the same arrivals (open loop) and its slowness shows
	// in the latencies.
	kinds := r.cfg.Profile.kinds()
	total := 0
	for _, k := range kinds {
		total += k.perHour
	}
	rate := r.cfg.Factor * float64(total) / 3600
	if rate <= 0 || r.cfg.Duration <= 0 {
		return nil
	}
	r.done.Store(0)
	r.planned.Store(int64(math.Round(rate * r.cfg.Duration.Seconds())))
	r.progressPhase("高峰时段")
	stopBar := r.startBar(ctx)
	defer stopBar()
	phase := r.rec.mark()
	inflight := make(chan struct{}, r.cfg.MaxInFlight)
	end := time.Now().Add(r.cfg.Duration)
	next := time.Now()
	var ops sync.WaitGroup
	for {
		r.mu.Lock()
		gap := r.rng.ExpFloat64() / rate
		x := r.rng.IntN(total)
		r.mu.Unlock()
		next = next.Add(time.Duration(gap * float64(time.Second)))
		if next.After(end) {
			break
		}
		if d := time.Until(next); d > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(d):
			}
		}
		if ctx.Err() != nil {
			break
		}
		var k string
		for _, kk := range kinds {
			if x < kk.perHour {
				k = kk.name
				break
			}
			x -= kk.perHour
		}
		select {
		case inflight <- struct{}{}:
		default:
			r.rec.behind.Add(1)
			inflight <- struct{}{}
		}
		ops.Add(1)
		go func() {
			defer func() { <-inflight; ops.Done(); r.done.Add(1) }()
			r.op(ctx, k)
		}()
	}
	ops.Wait()
	rep.SteadyElapsed = r.rec.since() - phase
	rep.SteadyOps = int(r.done.Load())
	return nil
}

func (r *runner) progressPhase(name string) {
	if r.cfg.Progress != nil {
		fmt.Fprintf(r.cfg.Progress, "\n%s\n", name)
	}
}

// startBar draws the progress bar until the returned function is called.
func (r *runner) startBar(ctx context.Context) func() {
	if r.cfg.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				r.drawBar()
				fmt.Fprintln(r.cfg.Progress)
				return
			case <-ctx.Done():
				r.drawBar()
				fmt.Fprintln(r.cfg.Progress)
				return
			case <-t.C:
				r.drawBar()
			}
		}
	}()
	return func() {
		select {
		case <-done:
		default:
			close(done)
		}
		<-stopped
	}
}

func (r *runner) drawBar() {
	done, planned := r.done.Load(), max(1, r.planned.Load())
	frac := min(1, float64(done)/float64(planned))
	const width = 30
	full := int(frac * width)
	fmt.Fprintf(r.cfg.Progress, "\r[%s%s] %3.0f%%  %d/%d  错误 %d  ", strings.Repeat("#", full), strings.Repeat(".", width-full),
		frac*100, done, planned, r.rec.errCount.Load())
}

// op runs one operation of the steady phase.
func (r *runner) op(ctx context.Context, k string) {
	switch k {
	case "workbench":
		r.page(ctx, OpWorkbench, r.pick(r.everyone), "/workbench")
	case "todo":
		r.page(ctx, OpTodo, r.pick(r.everyone), "/docs?tab=todo")
	case "backlog":
		r.page(ctx, OpBacklog, r.pick(r.office), "/docs?tab=todo")
	case "docpage":
		r.mu.Lock()
		var d docRef
		if len(r.known) > 0 {
			d = r.known[r.rng.IntN(len(r.known))]
		}
		r.mu.Unlock()
		if d.id == "" {
			r.rec.skip(OpDocPage)
			return
		}
		r.page(ctx, OpDocPage, d.viewer, "/docs/"+url.PathEscape(d.id))
	case "search":
		words := []string{"通知", "工作", "安全", "会议", "方案", "报告", r.tag}
		r.page(ctx, OpSearch, r.pick(r.everyone), "/docs?tab=closed&q="+url.QueryEscape(r.pick(words)))
	case "suplist":
		r.page(ctx, OpSupList, r.pick(r.everyone), "/supervise")
	case "stats":
		r.page(ctx, OpSupStats, r.pick(r.leaders), "/supervise/stats")
	case "draft":
		r.draft(ctx, OpDraft)
	case "save":
		r.save(ctx)
	case "route":
		r.advance(ctx)
	case "progress":
		r.progress(ctx)
	}
}

// page opens a page as a person and records it.
func (r *runner) page(ctx context.Context, op, personID, path string) {
	if personID == "" {
		r.rec.skip(op)
		return
	}
	s, err := r.session(ctx, personID)
	if err != nil {
		return // the sign-in's failure is recorded
	}
	start := time.Now()
	_, err = r.c.page(ctx, s, path)
	r.rec.add(op, time.Since(start), err)
}

// timed runs f and records it as op; a refusal may be expected (refusalOK).
func (r *runner) timed(op string, f func() error) error {
	start := time.Now()
	err := f()
	r.rec.add(op, time.Since(start), err)
	return err
}

// draftStep is the name of the first step of 发文, as documents report it.
const draftStep = "起草"

const draftBody = "各镇人民政府、街道办事处，区政府各部门：\n为切实做好有关工作，现将有关事项通知如下。\n一、提高思想认识\n（一）压实工作责任。各单位要明确分管领导和具体承办人员。\n二、抓好工作落实\n（一）按时报送情况。请于每月25日前报送工作进展。"

// draft has a handler start an outgoing document to one receiving unit.
// draft starts a draft, timed as op (OpDraft, or OpSetupDraft for the
// in-trays).
func (r *runner) draft(ctx context.Context, op string) {
	drafter := r.pick(r.drafters)
	p := r.dir.people[drafter]
	s, err := r.session(ctx, drafter)
	if err != nil {
		return
	}
	unitID := p.primaryUnit()
	organ := r.dir.organOf(unitID)
	var to string
	for range 10 {
		if to = r.pick(r.receivers); to != organ {
			break
		}
	}
	n := r.seq.Add(1)
	title := fmt.Sprintf("关于做好第%s-%d批重点工作落实的通知", r.tag, n)
	doc := document.Document{Type: document.Notice, Title: title, Body: document.ParseBody(draftBody)}
	var rec store.DocRecord
	err = r.timed(op, func() error {
		return r.c.postJSON(ctx, s, "/api/v1/documents", map[string]any{"unit_id": unitID, "document": doc, "to": []string{to}}, &rec)
	})
	if err != nil {
		return
	}
	r.ack(Ack{Op: OpDraft, Doc: rec.ID, Version: rec.Version})
	r.mu.Lock()
	r.pool = append(r.pool, &flight{id: rec.ID, viewer: drafter, starter: drafter, to: []string{to}, step: rec.Step})
	r.known = append(r.known, docRef{rec.ID, drafter})
	r.mu.Unlock()
}

func (r *runner) ack(a Ack) {
	if r.cfg.Ack != nil {
		r.cfg.Ack(a)
	}
}

// take removes a document in hand that matches from the pool (so that no
// two operations of the run work on it at once), or nil.
func (r *runner) take(match func(*flight) bool) *flight {
	r.mu.Lock()
	defer r.mu.Unlock()
	var idx []int
	for i, f := range r.pool {
		if match(f) {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	i := idx[r.rng.IntN(len(idx))]
	f := r.pool[i]
	r.pool = slices.Delete(r.pool, i, i+1)
	return f
}

func (r *runner) putBack(f *flight) {
	r.mu.Lock()
	r.pool = append(r.pool, f)
	r.mu.Unlock()
}

// save has the drafter save another version of a draft.
func (r *runner) save(ctx context.Context) {
	f := r.take(func(f *flight) bool { return f.step == draftStep && f.pendingUnit == "" && f.saves < 2 })
	if f == nil {
		f = r.take(func(f *flight) bool { return f.step == draftStep && f.pendingUnit == "" })
	}
	if f == nil {
		r.rec.skip(OpSave)
		return
	}
	defer r.putBack(f)
	s, err := r.session(ctx, f.starter)
	if err != nil {
		return
	}
	var got struct {
		Document store.DocRecord `json:"document"`
	}
	if err := r.timed(OpDocAPI, func() error { return r.c.getJSON(ctx, s, "/api/v1/documents/"+f.id, &got) }); err != nil {
		return
	}
	doc := got.Document.Doc
	doc.Body.Paragraphs = append(doc.Body.Paragraphs, document.Paragraph{Text: fmt.Sprintf("三、其他事项（第%d稿补充）。", got.Document.Version+1)})
	var out struct{ Version int }
	err = r.timed(OpSave, func() error {
		return r.c.postJSON(ctx, s, "/api/v1/documents/"+f.id+"/versions",
			map[string]any{"document": doc, "note": "补充", "base_version": got.Document.Version}, &out)
	})
	if err != nil {
		return
	}
	f.saves++
	r.ack(Ack{Op: OpSave, Doc: f.id, Version: out.Version, Acts: f.acts})
}

var comments = map[string]string{
	"draft": "请审核。", "unit_review": "同意，请办公室核稿。", "review": "已核稿，请会签。", "countersign": "同意。",
	"sign_off": "同意印发。", "recheck": "复核无误。", "propose": "拟请领导阅示，由相关科室办理。",
	"instruct": "请认真研究，抓好落实，按时报送结果。", "handle": "已按要求办理完毕。", "circulate": "已阅。", "close": "已办结。",
}

// advance moves one document in hand by one step: a copy not yet signed for
// is found in its clerks' lists and signed for in bulk; any other step is
// done by whoever holds its task.
func (r *runner) advance(ctx context.Context) {
	f := r.take(func(f *flight) bool { return f.step != draftStep || f.saves >= 2 })
	if f == nil {
		f = r.take(func(*flight) bool { return true })
	}
	if f == nil {
		r.rec.skip(OpStep)
		return
	}
	keep := true
	defer func() {
		if keep {
			r.putBack(f)
		}
	}()
	if f.pendingUnit != "" {
		r.signFor(ctx, f)
		return
	}
	vs, err := r.session(ctx, f.viewer)
	if err != nil {
		return
	}
	var got struct {
		Document store.DocRecord `json:"document"`
		Route    route.Instance  `json:"route"`
	}
	if err := r.timed(OpDocAPI, func() error { return r.c.getJSON(ctx, vs, "/api/v1/documents/"+f.id, &got) }); err != nil {
		return
	}
	in := got.Route
	if in.Status != route.Active {
		keep = false
		return
	}
	open := in.OpenTasks()
	if len(open) == 0 {
		keep = false
		return
	}
	// Non-lead tasks first: the lead handler chooses the next step last.
	slices.SortStableFunc(open, func(a, b route.Task) int {
		switch {
		case a.Lead == b.Lead:
			return 0
		case a.Lead:
			return 1
		}
		return -1
	})
	t := open[0]
	key := in.Template.Steps[t.Step].Key
	req := route.Request{Op: route.Approve, Task: t.ID, Comment: comments[key]}
	if key == "print_issue" {
		req.Fields = map[string]string{"print_date": time.Now().In(calendar.Shanghai()).Format("2006-01-02"), "copies": "20"}
	}
	req.Next = r.next(got.Document, t, key)
	op := OpStep
	switch key {
	case "sign_off":
		op = OpSignOff
	case "instruct":
		op = OpInstruct
	}
	cands := r.dir.candidates(assignee{Kind: string(t.Assignee.Kind), Person: t.Assignee.Person, Role: t.Assignee.Role, Unit: t.Assignee.Unit}, in.Scope, in.Starter)
	var lastErr error
	for _, who := range cands {
		s, err := r.session(ctx, who)
		if err != nil {
			lastErr = err
			continue
		}
		var rec store.DocRecord
		start := time.Now()
		err = r.c.postJSON(ctx, s, "/api/v1/documents/"+f.id+"/act", req, &rec)
		if refused(err) {
			lastErr = err // not this person's: try the next who may hold it
			continue
		}
		r.rec.add(op, time.Since(start), err)
		if err != nil {
			return
		}
		f.acts++
		f.viewer, f.step = who, rec.Step
		r.ack(Ack{Op: op, Doc: f.id, Version: rec.Version, Acts: f.acts})
		r.mu.Lock()
		r.known = append(r.known, docRef{f.id, who})
		if key == "distribute" {
			for _, u := range f.to {
				r.pool = append(r.pool, &flight{pendingUnit: u, title: got.Document.Doc.Title, step: "签收"})
			}
		}
		r.mu.Unlock()
		if rec.Status != route.Active {
			keep = false
		}
		return
	}
	if lastErr == nil {
		lastErr = fmt.Errorf("通讯录中找不到“%s”环节的办理人（%s）", in.Template.Steps[t.Step].Name, t.Assignee)
	}
	r.rec.add(op, 0, fmt.Errorf("“%s”环节无人能办: %w", in.Template.Steps[t.Step].Name, lastErr))
}

// next chooses the assignees of a chosen next step, as an office would.
func (r *runner) next(doc store.DocRecord, t route.Task, key string) []route.NextTask {
	organ := doc.OrganID
	person := func(id string) route.NextTask {
		return route.NextTask{Assignee: route.Assignee{Kind: route.Person, Person: id}}
	}
	leaderOf := func(u string) string {
		if hs := r.dir.heads[u]; len(hs) > 0 {
			return hs[0]
		}
		if p := r.dir.units[u].ParentID; p != "" && len(r.dir.heads[p]) > 0 {
			return r.dir.heads[p][0]
		}
		return ""
	}
	switch key {
	case "review": // 会签: the head of another section of the organ
		for _, s := range r.dir.sectionsOf(organ) {
			if s != doc.UnitID {
				return []route.NextTask{{Assignee: route.Assignee{Kind: route.Leader, Unit: s}}}
			}
		}
		return []route.NextTask{{Assignee: route.Assignee{Kind: route.Leader, Unit: organ}}}
	case "propose": // 批办: the organ's head
		if l := leaderOf(organ); l != "" {
			return []route.NextTask{person(l)}
		}
	case "instruct": // 承办: a lead handler of the organ
		staff := r.dir.staffOf(organ)
		var hs []string
		for _, id := range staff {
			if r.dir.people[id].hasRole("handler") {
				hs = append(hs, id)
			}
		}
		if len(hs) == 0 {
			hs = staff
		}
		if len(hs) > 0 {
			lead := person(r.pick(hs))
			lead.Lead = true
			return []route.NextTask{lead}
		}
	case "handle": // 传阅: the organ's head reads it
		if t.Lead {
			if l := leaderOf(organ); l != "" {
				return []route.NextTask{person(l)}
			}
		}
	}
	return nil
}

// signFor finds a copy in a receiving unit's clerks' 待签收 and signs for it
// in bulk, as the clerk does at the start of the day.
func (r *runner) signFor(ctx context.Context, f *flight) {
	cands := append(slices.Clone(r.dir.byRole["clerk "+f.pendingUnit]), r.dir.byRole["confidential_clerk "+f.pendingUnit]...)
	for _, who := range cands {
		s, err := r.session(ctx, who)
		if err != nil {
			continue
		}
		var list struct {
			Documents []struct {
				ID      string `json:"id"`
				Title   string `json:"title"`
				Task    int    `json:"task"`
				SignFor bool   `json:"sign_for"`
			} `json:"documents"`
		}
		if err := r.timed(OpSignForLst, func() error {
			return r.c.getJSON(ctx, s, "/api/v1/documents?tab=todo&q="+url.QueryEscape(f.title), &list)
		}); err != nil {
			return
		}
		for _, d := range list.Documents {
			if d.Title != f.title || !d.SignFor {
				continue
			}
			var res struct {
				Results []struct {
					OK      bool   `json:"ok"`
					Message string `json:"message"`
				} `json:"results"`
			}
			err := r.timed(OpSignFor, func() error {
				if err := r.c.postJSON(ctx, s, "/api/v1/documents/sign-for", map[string]any{"items": []map[string]any{{"document": d.ID, "task": d.Task}}}, &res); err != nil {
					return err
				}
				if len(res.Results) != 1 || !res.Results[0].OK {
					return fmt.Errorf("签收未成功: %+v", res.Results)
				}
				return nil
			})
			if err != nil {
				return
			}
			f.id, f.pendingUnit, f.viewer, f.starter, f.acts, f.step = d.ID, "", who, who, 1, "登记"
			r.ack(Ack{Op: OpSignFor, Doc: d.ID, Acts: 1})
			r.mu.Lock()
			r.known = append(r.known, docRef{d.ID, who})
			r.mu.Unlock()
			return
		}
	}
	// Not there yet for anyone: the copy is looked for again later.
}

// loadItems lists the supervision items in hand, as a 督查员 sees them.
func (r *runner) loadItems(ctx context.Context) {
	for _, id := range r.dir.withRole("supervisor") {
		s, err := r.session(ctx, id)
		if err != nil {
			continue
		}
		var out struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		if err := r.c.getJSON(ctx, s, "/api/v1/supervise/items?state=in_progress", &out); err != nil {
			continue
		}
		for _, it := range out.Items {
			if _, ok := r.itemSeer[it.ID]; !ok {
				r.items = append(r.items, it.ID)
				r.itemSeer[it.ID] = id
			}
		}
	}
	slices.Sort(r.items)
}

// progress has a unit handling a supervision item report its progress.
func (r *runner) progress(ctx context.Context) {
	r.mu.Lock()
	var id string
	if len(r.items) > 0 {
		id = r.items[r.rng.IntN(len(r.items))]
	}
	r.mu.Unlock()
	if id == "" {
		r.rec.skip(OpProgress)
		return
	}
	var item struct {
		Item struct {
			State string `json:"state"`
			Units []struct {
				UnitID      string    `json:"unit_id"`
				Responsible string    `json:"responsible"`
				SignedBy    string    `json:"signed_by"`
				SignedAt    time.Time `json:"signed_at"`
				Released    bool      `json:"released"`
			} `json:"units"`
		} `json:"item"`
	}
	r.mu.Lock()
	viewer := r.itemSeer[id]
	r.mu.Unlock()
	vs, err := r.session(ctx, viewer)
	if err != nil {
		return
	}
	if err := r.timed(OpSupList, func() error { return r.c.getJSON(ctx, vs, "/api/v1/supervise/items/"+url.PathEscape(id), &item) }); err != nil {
		return
	}
	for _, u := range item.Item.Units {
		if u.SignedAt.IsZero() || u.Released {
			continue
		}
		for _, who := range []string{u.SignedBy, u.Responsible} {
			if _, ok := r.dir.people[who]; !ok {
				continue
			}
			s, err := r.session(ctx, who)
			if err != nil {
				continue
			}
			start := time.Now()
			err = r.c.postJSON(ctx, s, "/api/v1/supervise/items/"+url.PathEscape(id)+"/report",
				map[string]any{"unit": u.UnitID, "text": fmt.Sprintf("本周已完成阶段任务（%s-%d）。", r.tag, r.seq.Add(1))}, nil)
			if refused(err) {
				continue
			}
			r.rec.add(OpProgress, time.Since(start), err)
			if err == nil {
				r.ack(Ack{Op: OpProgress, Item: id, Unit: u.UnitID})
			}
			return
		}
	}
	// No unit of this item may report now (it moved on): drop it.
	r.mu.Lock()
	r.items = slices.DeleteFunc(r.items, func(x string) bool { return x == id })
	r.mu.Unlock()
	r.rec.skip(OpProgress)
}
