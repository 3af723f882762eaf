package loadgen

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// recorder keeps every operation's latency and outcome.
type recorder struct {
	mu       sync.Mutex
	start    time.Time
	took     map[string][]time.Duration
	errors   map[string]int
	skipped  map[string]int
	errs     []string // the first errors, distinct
	errCount atomic.Int64
	behind   atomic.Int64 // arrivals that found MaxInFlight operations running
}

func newRecorder() *recorder {
	return &recorder{start: time.Now(), took: map[string][]time.Duration{}, errors: map[string]int{}, skipped: map[string]int{}}
}

func (r *recorder) add(op string, d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.errors[op]++
		r.errCount.Add(1)
		msg := op + ": " + err.Error()
		if len(r.errs) < 20 && !slices.Contains(r.errs, msg) {
			r.errs = append(r.errs, msg)
		}
		return
	}
	r.took[op] = append(r.took[op], d)
}

func (r *recorder) skip(op string) {
	r.mu.Lock()
	r.skipped[op]++
	r.mu.Unlock()
}

func (r *recorder) since() time.Duration { return time.Since(r.start) }
func (r *recorder) mark() time.Duration  { return time.Since(r.start) }

func (r *recorder) result() []OpStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := map[string]bool{}
	for k := range r.took {
		names[k] = true
	}
	for k := range r.errors {
		names[k] = true
	}
	for k := range r.skipped {
		names[k] = true
	}
	var out []OpStats
	for name := range names {
		ds := slices.Clone(r.took[name])
		slices.Sort(ds)
		out = append(out, OpStats{Op: name, Group: Group(name), OK: len(ds), Errors: r.errors[name], Skipped: r.skipped[name],
			P50: quantile(ds, 0.50), P95: quantile(ds, 0.95), P99: quantile(ds, 0.99), Max: quantile(ds, 1)})
	}
	order := map[string]int{"setup": -1, "sign-in": 0, "page": 1, "write": 2}
	slices.SortFunc(out, func(a, b OpStats) int {
		if order[a.Group] != order[b.Group] {
			return order[a.Group] - order[b.Group]
		}
		return strings.Compare(a.Op, b.Op)
	})
	// One line per group over all its operations.
	for _, g := range []string{"sign-in", "page", "write"} {
		var ds []time.Duration
		st := OpStats{Op: "ALL " + g, Group: g}
		for name, d := range r.took {
			if Group(name) == g {
				ds = append(ds, d...)
			}
		}
		for name, n := range r.errors {
			if Group(name) == g {
				st.Errors += n
			}
		}
		slices.Sort(ds)
		st.OK, st.P50, st.P95, st.P99, st.Max = len(ds), quantile(ds, 0.50), quantile(ds, 0.95), quantile(ds, 0.99), quantile(ds, 1)
		if st.OK+st.Errors > 0 {
			out = append(out, st)
		}
	}
	return out
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(len(sorted)-1, max(0, i))]
}

// OpStats is one operation's figures.
type OpStats struct {
	Op                 string
	Group              string // sign-in, page or write
	OK, Errors         int
	Skipped            int // found nothing to do (no document in hand at that step)
	P50, P95, P99, Max time.Duration
}

// Memory is one server's resident memory over the run.
type Memory struct {
	Source              string
	Before, Peak, After float64 // bytes; 0 if never read
	Err                 string
}

// Report is a run's result.
type Report struct {
	Servers       []string
	Factor        float64
	Duration      time.Duration
	Describe      string
	People        int
	BurstSignIns  int // sign-ins of the burst (others follow when a person first acts)
	BurstElapsed  time.Duration
	SteadyElapsed time.Duration
	SteadyOps     int
	Elapsed       time.Duration
	Ops           []OpStats
	Errors        []string
	Memory        []Memory
	LoadBefore    string
	LoadAfter     string
}

// Op returns the figures of one operation (or "ALL page", "ALL write",
// "ALL sign-in").
func (r *Report) Op(name string) (OpStats, bool) {
	for _, o := range r.Ops {
		if o.Op == name {
			return o, true
		}
	}
	return OpStats{}, false
}

// TotalErrors counts the failed operations.
func (r *Report) TotalErrors() int {
	n := 0
	for _, o := range r.Ops {
		if !strings.HasPrefix(o.Op, "ALL ") {
			n += o.Errors
		}
	}
	return n
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64)
}

// Write prints the report as a table.
func (r *Report) Write(w io.Writer) {
	fmt.Fprintf(w, "服务器: %s（通讯录 %d 人）\n", strings.Join(r.Servers, ", "), r.People)
	fmt.Fprintf(w, "负载: %s\n", r.Describe)
	fmt.Fprintf(w, "用时: 登录高峰 %d 次 %s，高峰时段 %s（%d 次操作，%.2f 次/秒），共 %s\n", r.BurstSignIns, r.BurstElapsed.Round(time.Millisecond),
		r.SteadyElapsed.Round(time.Millisecond), r.SteadyOps, float64(r.SteadyOps)/max(r.SteadyElapsed.Seconds(), 0.001), r.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "机器负载 (loadavg): 开始 %s，结束 %s\n\n", r.LoadBefore, r.LoadAfter)
	fmt.Fprintf(w, "%-32s %-8s %7s %6s %6s %9s %9s %9s %9s\n", "operation", "group", "ok", "errors", "skip", "p50 ms", "p95 ms", "p99 ms", "max ms")
	for _, o := range r.Ops {
		if strings.HasPrefix(o.Op, "ALL ") {
			continue
		}
		fmt.Fprintf(w, "%-32s %-8s %7d %6d %6d %9s %9s %9s %9s\n", o.Op, o.Group, o.OK, o.Errors, o.Skipped, ms(o.P50), ms(o.P95), ms(o.P99), ms(o.Max))
	}
	fmt.Fprintln(w)
	for _, o := range r.Ops {
		if strings.HasPrefix(o.Op, "ALL ") {
			fmt.Fprintf(w, "%-32s %-8s %7d %6d %6s %9s %9s %9s %9s\n", o.Op, o.Group, o.OK, o.Errors, "", ms(o.P50), ms(o.P95), ms(o.P99), ms(o.Max))
		}
	}
	fmt.Fprintf(w, "\n错误: %d\n", r.TotalErrors())
	for _, e := range r.Errors {
		fmt.Fprintln(w, "  ", e)
	}
	for _, m := range r.Memory {
		if m.Err != "" && m.Peak == 0 {
			fmt.Fprintf(w, "常驻内存 %s: 无法读取（%s）\n", m.Source, m.Err)
			continue
		}
		fmt.Fprintf(w, "常驻内存 %s: 开始 %.0f MB，峰值 %.0f MB，结束 %.0f MB\n", m.Source, m.Before/1e6, m.Peak/1e6, m.After/1e6)
	}
}

// memWatch samples the servers' resident memory: from their metrics
// (process_resident_memory_bytes) or from /proc for a process ID.
type memWatch struct {
	mu   sync.Mutex
	srcs []string
	mem  []Memory
}

func newMemWatch(metrics []string, pids []int) *memWatch {
	m := &memWatch{srcs: slices.Clone(metrics)}
	for _, p := range pids {
		m.srcs = append(m.srcs, "pid:"+strconv.Itoa(p))
	}
	m.mem = make([]Memory, len(m.srcs))
	for i, s := range m.srcs {
		m.mem[i].Source = s
	}
	return m
}

func (m *memWatch) run(ctx context.Context) {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			m.sample(ctx)
		}
	}
}

func (m *memWatch) sample(ctx context.Context) {
	for i, src := range m.srcs {
		v, err := readRSS(ctx, src)
		m.mu.Lock()
		if err != nil {
			m.mem[i].Err = err.Error()
		} else {
			if m.mem[i].Before == 0 {
				m.mem[i].Before = v
			}
			m.mem[i].Peak = max(m.mem[i].Peak, v)
			m.mem[i].After = v
		}
		m.mu.Unlock()
	}
}

func (m *memWatch) result() []Memory {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.mem)
}

func readRSS(ctx context.Context, src string) (float64, error) {
	if pid, ok := strings.CutPrefix(src, "pid:"); ok {
		f, err := os.Open("/proc/" + pid + "/status")
		if err != nil {
			return 0, err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
				kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
				return kb * 1024, err
			}
		}
		return 0, fmt.Errorf("进程 %s 没有 VmRSS", pid)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "process_resident_memory_bytes "); ok {
			return strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	return 0, fmt.Errorf("%s 中没有 process_resident_memory_bytes", src)
}

// loadAvg is the machine's load average (1, 5, 15 minutes), or "".
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
