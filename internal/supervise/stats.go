package supervise

import (
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// Period is a half-open span [From, To) of statistics.
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

func (p Period) has(t time.Time) bool { return !t.IsZero() && !t.Before(p.From) && t.Before(p.To) }

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

// closedOnTime reports whether the accepted application came by the deadline.
func closedOnTime(it *Item) bool {
	if sub, ok := it.ClosingSubmission(); ok {
		return !sub.At.After(it.Deadline.Due)
	}
	return false
}

// pendingAt reports whether an application to close was awaiting review at t.
func pendingAt(it *Item, t time.Time) bool {
	n := len(it.Submits)
	if n == 0 {
		return false
	}
	s := &it.Submits[n-1]
	return !s.At.After(t) && (s.ReviewedAt.IsZero() || s.ReviewedAt.After(t))
}

// countItem is one item's contribution to a period's figures, judged as
// things stood at now (pass the period's end for a past period: an item
// closed after it counts as open then).
func (w *Workdays) countItem(it *Item, p Period, now time.Time, c *Counts) {
	first := it.AssignedAtFirst()
	if first.IsZero() || !first.Before(p.To) {
		return
	}
	closed := it.State == Closed && !it.ClosedAt.After(now)
	if closed && it.ClosedAt.Before(p.From) {
		// Closed before the period: only later records (a verdict) count.
		countRecords(it, p, c)
		return
	}
	c.Items++
	if p.has(first) {
		c.New++
	}
	closedIn := closed && p.has(it.ClosedAt)
	if closedIn || p.has(it.Deadline.Due) {
		c.Due++
	}
	if closedIn {
		c.Closed++
		if closedOnTime(it) {
			c.ClosedOnTime++
		}
		c.DaysToClose += w.WorkdaysBetween(first, it.ClosedAt)
	}
	if !closed && !it.Deadline.Due.IsZero() && now.After(it.Deadline.Due) && !pendingAt(it, now) {
		c.OverdueNow++
	}
	countRecords(it, p, c)
}

func countRecords(it *Item, p Period, c *Counts) {
	for i := range it.Extensions {
		if e := &it.Extensions[i]; e.Decision == Granted && p.has(e.DecidedAt) {
			c.Extensions++
		}
	}
	for i := range it.Urgings {
		if p.has(it.Urgings[i].At) {
			c.Urgings++
		}
	}
	if it.Proposal != nil {
		for _, rd := range it.Proposal.Rounds {
			if !p.has(rd.SatisfactionAt) {
				continue
			}
			switch rd.Satisfaction {
			case Satisfied:
				c.Satisfied++
			case BasicSatisfied:
				c.BasicSatisfied++
			case Unsatisfied:
				c.Unsatisfied++
			}
		}
	}
}

// Compute gathers the figures of the items over the period in one pass.
// "Overdue now" is judged at now (use the period's end for a past period).
func (s *Sweep) Compute(items []Item, over Overseers, p Period, now time.Time) *Stats {
	st := &Stats{Period: p, Now: now, Units: map[string]*Counts{}, Leaders: map[string]*Counts{}, Sources: map[Source]*Counts{}}
	for i := range items {
		it := &items[i]
		var c Counts
		s.W.countItem(it, p, now, &c)
		if c == (Counts{}) {
			continue
		}
		st.Total.add(&c)
		lead := it.LeadUnit()
		group(st.Units, lead).add(&c)
		group(st.Sources, it.Source).add(&c)
		for _, l := range over[lead] {
			group(st.Leaders, l).add(&c)
		}
	}
	return st
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
		it := &items[i]
		if it.LeadUnit() != unitID {
			continue
		}
		for j, p := range periods {
			at := now
			if p.To.Before(at) {
				at = p.To
			}
			s.W.countItem(it, p, at, &out[j])
		}
	}
	return out
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
		var n int
		switch m {
		case MetricItems:
			n = c.Items
		case MetricNew:
			n = c.New
		case MetricDue:
			n = c.Due
		case MetricClosed:
			n = c.Closed
		case MetricClosedOnTime:
			n = c.ClosedOnTime
		case MetricOverdueNow:
			n = c.OverdueNow
		case MetricExtensions:
			n = c.Extensions
		case MetricUrgings:
			n = c.Urgings
		case MetricSatisfaction:
			n = c.Satisfied + c.BasicSatisfied + c.Unsatisfied
		}
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
