package supervise

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// Period is a half-open span [From, To) of statistics.
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Months returns n consecutive calendar months (Asia/Shanghai) ending with
// the month of t, oldest first: the periods of a 纵比.
func Months(t time.Time, n int) []Period {
	t = t.In(time.FixedZone("CST", cstOffset))
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
	out := make([]Period, n)
	for i := range n {
		from := first.AddDate(0, i-n+1, 0)
		out[i] = Period{From: from, To: from.AddDate(0, 1, 0)}
	}
	return out
}

// Counts are the figures of one group (a unit, a leader, a source) over a
// period. Every figure names a set of items; Metric and Behind give them.
type Counts struct {
	Items        int `json:"items"`          // 在办与办结：交办于期末前，且未在期初前办结
	New          int `json:"new"`            // 本期交办
	Due          int `json:"due"`            // 应办结：期限落在本期，或本期办结
	Closed       int `json:"closed"`         // 本期办结
	ClosedOnTime int `json:"closed_on_time"` // 本期按期办结（申请办结不晚于期限，含批准的延期）
	OverdueNow   int `json:"overdue_now"`    // 统计时点逾期未办结
	DaysToClose  int `json:"days_to_close"`  // 本期办结事项自交办至办结的工作日合计
	Extensions   int `json:"extensions"`     // 本期批准延期次数
	Urgings      int `json:"urgings"`        // 本期催办次数
	// Proposals' verdicts recorded in the period.
	Satisfied      int `json:"satisfied"`
	BasicSatisfied int `json:"basic_satisfied"`
	Unsatisfied    int `json:"unsatisfied"`
}

// OnTimeRate is 按期办结率: closed on time over due, in [0, 1]; ok is false
// when nothing fell due.
func (c Counts) OnTimeRate() (rate float64, ok bool) {
	if c.Due == 0 {
		return 0, false
	}
	return float64(c.ClosedOnTime) / float64(c.Due), true
}

// AvgDaysToClose is the average working days from 交办 to 办结 of the items
// closed in the period.
func (c Counts) AvgDaysToClose() (avg float64, ok bool) {
	if c.Closed == 0 {
		return 0, false
	}
	return float64(c.DaysToClose) / float64(c.Closed), true
}

// SatisfactionRate is the share of 满意 and 基本满意 among verdicts.
func (c Counts) SatisfactionRate() (rate float64, ok bool) {
	n := c.Satisfied + c.BasicSatisfied + c.Unsatisfied
	if n == 0 {
		return 0, false
	}
	return float64(c.Satisfied+c.BasicSatisfied) / float64(n), true
}

func (c *Counts) add(o *Counts) {
	c.Items += o.Items
	c.New += o.New
	c.Due += o.Due
	c.Closed += o.Closed
	c.ClosedOnTime += o.ClosedOnTime
	c.OverdueNow += o.OverdueNow
	c.DaysToClose += o.DaysToClose
	c.Extensions += o.Extensions
	c.Urgings += o.Urgings
	c.Satisfied += o.Satisfied
	c.BasicSatisfied += o.BasicSatisfied
	c.Unsatisfied += o.Unsatisfied
}

// Stats are the figures over a set of items and a period.
type Stats struct {
	Period  Period             `json:"period"`
	Now     time.Time          `json:"now"` // the moment "overdue now" is judged
	Total   Counts             `json:"total"`
	Units   map[string]*Counts `json:"units"`   // by lead unit
	Leaders map[string]*Counts `json:"leaders"` // by the leader overseeing the lead unit
	Sources map[Source]*Counts `json:"sources"`
}

// Facts are what the statistics read of an item: a compact row (the
// columns a store keeps for it), so a million of them sweep fast.
type Facts struct {
	ID     string
	Lead   int32 // index into FactTable.Units
	Source Source
	// Instants as Unix nanoseconds; 0 is "none".
	First        int64 // first 交办
	ClosedAt     int64 // 0 unless closed
	Due          int64 // current deadline
	AcceptedAt   int64 // the accepted application to close
	LastSubmitAt int64 // the latest application to close …
	LastReviewAt int64 // … and its review (0 while pending)
	// The item's own records (shared, not copied).
	Extensions []Extension
	Urgings    []Urging
	Rounds     []Round // a proposal's rounds, for the verdicts
}

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// FactsOf reads an item's facts; lead is its lead unit's index.
func FactsOf(it *Item, lead int32) Facts {
	f := Facts{ID: it.ID, Lead: lead, Source: it.Source, First: nanos(it.AssignedAtFirst()), Due: nanos(it.Deadline.Due),
		Extensions: it.Extensions, Urgings: it.Urgings}
	if it.State == Closed {
		f.ClosedAt = nanos(it.ClosedAt)
	}
	if n := len(it.Submits); n > 0 {
		s := &it.Submits[n-1]
		f.LastSubmitAt, f.LastReviewAt = nanos(s.At), nanos(s.ReviewedAt)
		if s.Outcome == OutcomeClosed {
			f.AcceptedAt = f.LastSubmitAt
		}
	}
	if it.Proposal != nil {
		f.Rounds = it.Proposal.Rounds
	}
	return f
}

// FactTable holds the facts of a set of items, lead units numbered, in a
// compact form: one fixed-size row per item with no pointers (a million of
// them are 80 MB the garbage collector never scans), the records' dates in
// one shared array, and each unit's rows listed for its 纵比.
type FactTable struct {
	Units  []string
	index  map[string]int32
	rows   []factRow
	events []factEvent
	ids    map[string]int32 // row by item ID
	byUnit [][]int32        // rows by lead unit
	dead   int              // events no row points to any more (after Put)
}

// factRow is Facts without pointers, with the days the statistics count
// working days between.
type factRow struct {
	first, closedAt, due, acceptedAt, lastSubmitAt, lastReviewAt int64
	firstDay, closedDay                                          int32
	lead                                                         int32
	ev, nev                                                      int32 // the row's records: events[ev : ev+nev]
	src                                                          uint8
}

// factEvent is one dated record: a granted extension, a 催办单, a verdict.
type factEvent struct {
	at   int64
	kind uint8
}

const (
	evExtension uint8 = iota
	evUrging
	evSatisfied
	evBasicSatisfied
	evUnsatisfied
)

// NewFactTable reads the facts of the items.
func NewFactTable(items []Item) *FactTable {
	ft := &FactTable{}
	for i := range items {
		ft.Add(&items[i])
	}
	return ft
}

// Len is the number of rows.
func (ft *FactTable) Len() int { return len(ft.rows) }

// Add adds an item's facts (or replaces its row).
func (ft *FactTable) Add(it *Item) { ft.Put(it.LeadUnit(), FactsOf(it, 0)) }

// AddFacts adds a row as a store reads it from its columns, numbering its
// lead unit (a row with the same ID is replaced).
func (ft *FactTable) AddFacts(lead string, f Facts) { ft.Put(lead, f) }

// Put adds a row or replaces the row with the same ID: a store's cache
// refreshes only the items changed since it last read.
func (ft *FactTable) Put(lead string, f Facts) {
	if ft.ids == nil {
		ft.ids = map[string]int32{}
	}
	r := ft.makeRow(lead, &f)
	if i, ok := ft.ids[f.ID]; ok {
		old := &ft.rows[i]
		ft.dead += int(old.nev)
		if old.lead != r.lead {
			ft.byUnit[old.lead] = slices.DeleteFunc(ft.byUnit[old.lead], func(x int32) bool { return x == i })
			ft.byUnit[r.lead] = append(ft.byUnit[r.lead], i)
		}
		*old = r
		if ft.dead > 1024 && ft.dead > len(ft.events)/2 {
			ft.compact()
		}
		return
	}
	i := int32(len(ft.rows))
	ft.ids[f.ID] = i
	ft.rows = append(ft.rows, r)
	ft.byUnit[r.lead] = append(ft.byUnit[r.lead], i)
}

// makeRow turns facts into a row, appending its records to the events.
func (ft *FactTable) makeRow(lead string, f *Facts) factRow {
	r := factRow{first: f.First, closedAt: f.ClosedAt, due: f.Due, acceptedAt: f.AcceptedAt, lastSubmitAt: f.LastSubmitAt,
		lastReviewAt: f.LastReviewAt, lead: ft.unitIndex(lead), src: uint8(sourceIndex(f.Source)), ev: int32(len(ft.events))}
	if f.First != 0 {
		r.firstDay = int32(dayOfNanos(f.First))
	}
	if f.ClosedAt != 0 {
		r.closedDay = int32(dayOfNanos(f.ClosedAt))
	}
	for i := range f.Extensions {
		if e := &f.Extensions[i]; e.Decision == Granted && !e.DecidedAt.IsZero() {
			ft.events = append(ft.events, factEvent{at: nanos(e.DecidedAt), kind: evExtension})
		}
	}
	for i := range f.Urgings {
		if at := nanos(f.Urgings[i].At); at != 0 {
			ft.events = append(ft.events, factEvent{at: at, kind: evUrging})
		}
	}
	for i := range f.Rounds {
		rd := &f.Rounds[i]
		if rd.SatisfactionAt.IsZero() {
			continue
		}
		switch rd.Satisfaction {
		case Satisfied:
			ft.events = append(ft.events, factEvent{at: nanos(rd.SatisfactionAt), kind: evSatisfied})
		case BasicSatisfied:
			ft.events = append(ft.events, factEvent{at: nanos(rd.SatisfactionAt), kind: evBasicSatisfied})
		case Unsatisfied:
			ft.events = append(ft.events, factEvent{at: nanos(rd.SatisfactionAt), kind: evUnsatisfied})
		}
	}
	r.nev = int32(len(ft.events)) - r.ev
	return r
}

// compact drops the events of replaced rows.
func (ft *FactTable) compact() {
	ev := make([]factEvent, 0, len(ft.events)-ft.dead)
	for i := range ft.rows {
		r := &ft.rows[i]
		n := int32(len(ev))
		ev = append(ev, ft.events[r.ev:r.ev+r.nev]...)
		r.ev = n
	}
	ft.events, ft.dead = ev, 0
}

func (ft *FactTable) unitIndex(lead string) int32 {
	if ft.index == nil {
		ft.index = map[string]int32{}
	}
	idx, ok := ft.index[lead]
	if !ok {
		idx = int32(len(ft.Units))
		ft.index[lead] = idx
		ft.Units = append(ft.Units, lead)
		ft.byUnit = append(ft.byUnit, nil)
	}
	return idx
}

// span is a period in Unix nanoseconds.
type span struct{ from, to int64 }

func spanOf(p Period) span      { return span{nanos(p.From), nanos(p.To)} }
func (s span) has(x int64) bool { return x != 0 && x >= s.from && x < s.to }
func dayOfNanos(x int64) int    { return dayOf(time.Unix(0, x)) }
func (f *factRow) pendingAt(t int64) bool {
	return f.lastSubmitAt != 0 && f.lastSubmitAt <= t && (f.lastReviewAt == 0 || f.lastReviewAt > t)
}

// count is one item's contribution to a period's figures, judged as things
// stood at now (pass the period's end for a past period: an item closed
// after it counts as open then).
func (w *Workdays) count(f *factRow, events []factEvent, p span, now int64, c *Counts) {
	if f.first == 0 || f.first >= p.to {
		return
	}
	closed := f.closedAt != 0 && f.closedAt <= now
	if closed && f.closedAt < p.from {
		// Closed before the period: only later records (a verdict) count.
		countRecords(events[f.ev:f.ev+f.nev], p, c)
		return
	}
	c.Items++
	if p.has(f.first) {
		c.New++
	}
	closedIn := closed && p.has(f.closedAt)
	if closedIn || p.has(f.due) {
		c.Due++
	}
	if closedIn {
		c.Closed++
		// On time: the accepted application came by the deadline (with any granted extension).
		if f.acceptedAt != 0 && f.acceptedAt <= f.due {
			c.ClosedOnTime++
		}
		c.DaysToClose += w.between(int(f.firstDay), int(f.closedDay))
	}
	if !closed && f.due != 0 && now > f.due && !f.pendingAt(now) {
		c.OverdueNow++
	}
	if f.nev > 0 {
		countRecords(events[f.ev:f.ev+f.nev], p, c)
	}
}

func countRecords(events []factEvent, p span, c *Counts) {
	for i := range events {
		e := &events[i]
		if !p.has(e.at) {
			continue
		}
		switch e.kind {
		case evExtension:
			c.Extensions++
		case evUrging:
			c.Urgings++
		case evSatisfied:
			c.Satisfied++
		case evBasicSatisfied:
			c.BasicSatisfied++
		case evUnsatisfied:
			c.Unsatisfied++
		}
	}
}

// countItem is count for an item read on the fly.
func (w *Workdays) countItem(it *Item, p Period, now time.Time, c *Counts) {
	ft := &FactTable{}
	f := FactsOf(it, 0)
	r := ft.makeRow("", &f)
	w.count(&r, ft.events, spanOf(p), nanos(now), c)
}

// Compute gathers the figures of the items over the period.
// "Overdue now" is judged at now (use the period's end for a past period).
func (s *Sweep) Compute(items []Item, over Overseers, p Period, now time.Time) *Stats {
	// One item's facts at a time: no table of a million rows to build.
	ft := &FactTable{}
	acc := s.newAccumulator(ft)
	sp, at := spanOf(p), nanos(now)
	for i := range items {
		it := &items[i]
		ft.events = ft.events[:0]
		f := FactsOf(it, 0)
		r := ft.makeRow(it.LeadUnit(), &f)
		for len(acc.units) < len(ft.Units) {
			acc.units = append(acc.units, Counts{})
		}
		acc.add(&r, ft.events, sp, at)
	}
	return acc.stats(ft, over, p, now)
}

// accumulator sums counts per lead unit and per source.
type accumulator struct {
	w        *Workdays
	units    []Counts
	bySource []Counts
}

func (s *Sweep) newAccumulator(ft *FactTable) *accumulator {
	return &accumulator{w: s.W, units: make([]Counts, len(ft.Units)), bySource: make([]Counts, len(AllSources())+1)}
}

func (a *accumulator) add(f *factRow, events []factEvent, sp span, at int64) {
	var c Counts
	a.w.count(f, events, sp, at, &c)
	if c == (Counts{}) {
		return
	}
	a.units[f.lead].add(&c)
	a.bySource[f.src].add(&c)
}

func (a *accumulator) stats(ft *FactTable, over Overseers, p Period, now time.Time) *Stats {
	st := &Stats{Period: p, Now: now, Units: map[string]*Counts{}, Leaders: map[string]*Counts{}, Sources: map[Source]*Counts{}}
	for i := range a.units {
		c := a.units[i]
		if c == (Counts{}) {
			continue
		}
		st.Total.add(&c)
		st.Units[ft.Units[i]] = &c
		for _, l := range over[ft.Units[i]] {
			group(st.Leaders, l).add(&c)
		}
	}
	for i, src := range AllSources() {
		if c := a.bySource[i]; c != (Counts{}) {
			st.Sources[src] = &c
		}
	}
	return st
}

// ComputeFacts gathers the figures over a fact table in one pass: per
// lead unit, then summed into leaders, sources and the total.
//
// A large table is split over the available cores (the figures are sums, so
// the split does not change them).
func (s *Sweep) ComputeFacts(ft *FactTable, over Overseers, p Period, now time.Time) *Stats {
	return s.computeRows(ft, nil, over, p, now)
}

// computeRows is ComputeFacts skipping the rows set in hide (a bitset).
func (s *Sweep) computeRows(ft *FactTable, hide []uint64, over Overseers, p Period, now time.Time) *Stats {
	sp, at := spanOf(p), nanos(now)
	workers := runtime.GOMAXPROCS(0)
	if len(ft.rows) < 100_000 || workers < 2 {
		workers = 1
	}
	accs := make([]*accumulator, workers)
	chunk := (len(ft.rows) + workers - 1) / workers
	var wg sync.WaitGroup
	for w := range workers {
		acc := s.newAccumulator(ft)
		accs[w] = acc
		lo := min(w*chunk, len(ft.rows))
		rows := ft.rows[lo:min((w+1)*chunk, len(ft.rows))]
		wg.Go(func() {
			for i := range rows {
				if hidden(hide, lo+i) {
					continue
				}
				acc.add(&rows[i], ft.events, sp, at)
			}
		})
	}
	wg.Wait()
	for _, a := range accs[1:] {
		for i := range a.units {
			accs[0].units[i].add(&a.units[i])
		}
		for i := range a.bySource {
			accs[0].bySource[i].add(&a.bySource[i])
		}
	}
	return accs[0].stats(ft, over, p, now)
}

func sourceIndex(s Source) int {
	switch s {
	case FromInstruction:
		return 0
	case FromMeeting:
		return 1
	case FromLeader:
		return 2
	case FromHigher:
		return 3
	case FromNPC:
		return 4
	case FromCPPCC:
		return 5
	case FromList:
		return 6
	}
	return 7
}

func group[K comparable](m map[K]*Counts, k K) *Counts {
	c, ok := m[k]
	if !ok {
		c = &Counts{}
		m[k] = c
	}
	return c
}

// Trend is a 纵比: one unit's figures over consecutive periods, oldest first.
func (s *Sweep) Trend(items []Item, unitID string, periods []Period, now time.Time) []Counts {
	out := make([]Counts, len(periods))
	for i := range items {
		if it := &items[i]; it.LeadUnit() == unitID {
			ft := &FactTable{}
			f := FactsOf(it, 0)
			r := ft.makeRow("", &f)
			s.trendRow(&r, ft.events, periods, now, out)
		}
	}
	return out
}

// TrendFacts is Trend over a fact table: only the unit's rows are read.
func (s *Sweep) TrendFacts(ft *FactTable, unitID string, periods []Period, now time.Time) []Counts {
	out := make([]Counts, len(periods))
	idx, ok := ft.index[unitID]
	if !ok {
		return out
	}
	for _, i := range ft.byUnit[idx] {
		s.trendRow(&ft.rows[i], ft.events, periods, now, out)
	}
	return out
}

// trendRows adds a unit's rows not set in hide to out.
func (s *Sweep) trendRows(ft *FactTable, hide []uint64, unitID string, periods []Period, now time.Time, out []Counts) {
	idx, ok := ft.index[unitID]
	if !ok {
		return
	}
	for _, i := range ft.byUnit[idx] {
		if !hidden(hide, int(i)) {
			s.trendRow(&ft.rows[i], ft.events, periods, now, out)
		}
	}
}

func (s *Sweep) trendRow(f *factRow, events []factEvent, periods []Period, now time.Time, out []Counts) {
	for j, p := range periods {
		at := now
		if p.To.Before(at) {
			at = p.To
		}
		s.W.count(f, events, spanOf(p), nanos(at), &out[j])
	}
}

// Ranked is one unit's row of a 横比.
type Ranked struct {
	Unit   org.Unit `json:"unit"`
	Counts Counts   `json:"counts"`
	Rank   int      `json:"rank"` // by 按期办结率 (units with nothing due rank last), then fewer overdue
}

// Compare is a 横比: the units of one kind (towns with towns, departments
// with departments) side by side, ranked.
func Compare(st *Stats, units []org.Unit, kind org.UnitKind) []Ranked {
	var out []Ranked
	for _, u := range units {
		if u.Kind != kind {
			continue
		}
		r := Ranked{Unit: u}
		if c := st.Units[u.ID]; c != nil {
			r.Counts = *c
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b Ranked) int {
		ra, oka := a.Counts.OnTimeRate()
		rb, okb := b.Counts.OnTimeRate()
		switch {
		case oka != okb:
			if oka {
				return -1
			}
			return 1
		case ra != rb:
			if ra > rb {
				return -1
			}
			return 1
		case a.Counts.OverdueNow != b.Counts.OverdueNow:
			return a.Counts.OverdueNow - b.Counts.OverdueNow
		}
		return a.Unit.Sort - b.Unit.Sort
	})
	for i := range out {
		out[i].Rank = i + 1
		if i > 0 && sameStanding(out[i-1].Counts, out[i].Counts) {
			out[i].Rank = out[i-1].Rank
		}
	}
	return out
}

func sameStanding(a, b Counts) bool {
	ra, oka := a.OnTimeRate()
	rb, okb := b.OnTimeRate()
	return oka == okb && ra == rb && a.OverdueNow == b.OverdueNow
}

// Metric names one figure of Counts, for click-through to the items behind it.
type Metric string

const (
	MetricItems        Metric = "items"
	MetricNew          Metric = "new"
	MetricDue          Metric = "due"
	MetricClosed       Metric = "closed"
	MetricClosedOnTime Metric = "closed_on_time"
	MetricOverdueNow   Metric = "overdue_now"
	MetricExtensions   Metric = "extensions"
	MetricUrgings      Metric = "urgings"
	MetricSatisfaction Metric = "satisfaction"
)

// Of is the figure the metric names (satisfaction: all verdicts).
func (c Counts) Of(m Metric) int {
	switch m {
	case MetricItems:
		return c.Items
	case MetricNew:
		return c.New
	case MetricDue:
		return c.Due
	case MetricClosed:
		return c.Closed
	case MetricClosedOnTime:
		return c.ClosedOnTime
	case MetricOverdueNow:
		return c.OverdueNow
	case MetricExtensions:
		return c.Extensions
	case MetricUrgings:
		return c.Urgings
	case MetricSatisfaction:
		return c.Satisfied + c.BasicSatisfied + c.Unsatisfied
	}
	return 0
}

// Behind lists, in order, the IDs of the items a figure counts: the items
// whose own Counts for the period have that figure above zero. keep selects
// the group (e.g. lead unit == X); nil keeps all.
func (s *Sweep) Behind(items []Item, keep func(*Item) bool, m Metric, p Period, now time.Time) []string {
	var out []string
	for i := range items {
		it := &items[i]
		if keep != nil && !keep(it) {
			continue
		}
		var c Counts
		s.W.countItem(it, p, now, &c)
		n := c.Of(m)
		if n > 0 {
			out = append(out, it.ID)
		}
	}
	return out
}

// BulletinRow is one item in a 督办通报.
type BulletinRow struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Source      Source    `json:"source"`
	LeadUnit    string    `json:"lead_unit"`
	Due         time.Time `json:"due"`
	Light       Color     `json:"light"`
	DaysOverdue int       `json:"days_overdue,omitempty"` // working days past the deadline
	Extensions  int       `json:"extensions,omitempty"`
	Urgings     int       `json:"urgings,omitempty"`
}

// Bulletin is the data of a periodic 督办通报: items by state and the
// overdue ones by name, worst first.
type Bulletin struct {
	Period  Period                  `json:"period"`
	Now     time.Time               `json:"now"`
	ByState map[State][]BulletinRow `json:"by_state"`
	Overdue []BulletinRow           `json:"overdue"`
	Lights  map[Color]int           `json:"lights"`
	Total   Counts                  `json:"total"`
}

// Bulletin gathers the 督办通报 over the items handled in the period, each
// in its present state: now is the present.
func (s *Sweep) Bulletin(items []Item, p Period, now time.Time) *Bulletin {
	b := &Bulletin{Period: p, Now: now, ByState: map[State][]BulletinRow{}, Lights: map[Color]int{}}
	for i := range items {
		it := &items[i]
		var c Counts
		s.W.countItem(it, p, now, &c)
		if c.Items == 0 && !(it.State == Registered && it.CreatedAt.Before(p.To)) {
			continue
		}
		b.Total.add(&c)
		row := BulletinRow{ID: it.ID, Title: it.Title, Source: it.Source, LeadUnit: it.LeadUnit(), Due: it.Deadline.Due,
			Light: s.ColorAt(it, now), Extensions: it.ExtensionsGranted(), Urgings: len(it.Urgings)}
		b.Lights[row.Light]++
		if row.Light == Red && it.State != PendingReview && !it.Deadline.Due.IsZero() && now.After(it.Deadline.Due) {
			row.DaysOverdue = max(1, s.W.WorkdaysBetween(it.Deadline.Due, now))
			b.Overdue = append(b.Overdue, row)
		}
		b.ByState[it.State] = append(b.ByState[it.State], row)
	}
	slices.SortStableFunc(b.Overdue, func(x, y BulletinRow) int {
		if x.DaysOverdue != y.DaysOverdue {
			return y.DaysOverdue - x.DaysOverdue
		}
		return strings.Compare(x.ID, y.ID)
	})
	return b
}
