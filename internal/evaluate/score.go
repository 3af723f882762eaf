package evaluate

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

// Figure is one indicator of one unit in one period, with the records
// behind its numerator and denominator (for drill-down: DenIDs are all the
// records counted, NumIDs those that met the mark; for 差错率 NumIDs are the
// drafts with findings; for 信息 the items that scored).
type Figure struct {
	Indicator Indicator `json:"indicator"`
	Num       float64   `json:"num"`
	Den       float64   `json:"den"`
	Value     float64   `json:"value"` // a share in [0,1]; errors per 10,000 characters; points
	Score     float64   `json:"score"` // 0–100
	Weight    float64   `json:"weight"`
	Empty     bool      `json:"empty,omitempty"` // no records: left out of the total
	NumIDs    []string  `json:"num_ids"`
	DenIDs    []string  `json:"den_ids"`
}

// Text is the figure as printed: "95.0%（19/20）", "1.20（3 处/2.5 万字）",
// "36 分", or "—" with no records.
func (f Figure) Text() string {
	if f.Empty {
		return "—"
	}
	switch {
	case f.Indicator == DocErrors:
		return fmt.Sprintf("%.2f（%g 处/%.2f 万字）", f.Value, f.Num, f.Den/10000)
	case f.Indicator == InfoScore:
		return fmt.Sprintf("%g 分", round2(f.Value))
	}
	return fmt.Sprintf("%.1f%%（%g/%g）", f.Value*100, f.Num, f.Den)
}

// Row is one unit's line of a scoreboard.
type Row struct {
	Unit    string   `json:"unit"`
	Name    string   `json:"name"` // the name the unit carried at the period's end
	Figures []Figure `json:"figures"`
	Total   float64  `json:"total"`
	Rank    int      `json:"rank"` // 1 is best; ties share a rank
}

// Figure returns the row's figure for an indicator.
func (r Row) Figure(i Indicator) (Figure, bool) {
	for _, f := range r.Figures {
		if f.Indicator == i {
			return f, true
		}
	}
	return Figure{}, false
}

// Candidate is a 先进单位 candidate with the reasons, in words.
type Candidate struct {
	Unit    string   `json:"unit"`
	Name    string   `json:"name"`
	Rank    int      `json:"rank"`
	Total   float64  `json:"total"`
	Reasons []string `json:"reasons"`
}

// Board is the scoreboard of a class for a period: the 横比.
type Board struct {
	Period    Period      `json:"period"`
	Class     Class       `json:"class"`
	Rules     RuleSet     `json:"rules"`
	Counted   []Indicator `json:"counted"`
	Rows      []Row       `json:"rows"` // by rank
	Commended []Candidate `json:"commended"`
	AsOf      time.Time   `json:"as_of"`
}

// Row returns a unit's row.
func (b Board) Row(unit string) (Row, bool) {
	for _, r := range b.Rows {
		if r.Unit == unit {
			return r, true
		}
	}
	return Row{}, false
}

type tally struct {
	num, den       float64
	numIDs, denIDs []string
}

func (t *tally) add(id string, num, den float64, hit bool) {
	t.num += num
	t.den += den
	t.denIDs = append(t.denIDs, id)
	if hit {
		t.numIDs = append(t.numIDs, id)
	}
}

// Score computes the board of class c for period p from the records, as
// they stood at asOf: a record whose limit has not yet passed and that is
// not yet done is not decided and not counted.
func Score(cal *calendar.Calendar, o *Org, rec Records, rules Rules, p Period, c Class, asOf time.Time) (Board, error) {
	return score(newDues(cal), o, rec, rules, p, c, asOf)
}

// dues memoizes the working-day limits: a limit of n working days depends
// only on the start's date and whether it came before office hours, and a
// year's scoreboard and trend ask it for every incoming document.
type dues struct {
	cal  *calendar.Calendar
	open int // minutes after midnight the first session opens
	memo map[dueKey]time.Time
}

type dueKey struct {
	y     int
	m     time.Month
	d     int
	early bool
	n     int
}

func newDues(cal *calendar.Calendar) *dues {
	return &dues{cal: cal, open: int(cal.Hours()[0].Start), memo: map[dueKey]time.Time{}}
}

// add is cal.AddWorkdays(t, n) for n >= 1.
func (d *dues) add(t time.Time, n int) (time.Time, error) {
	if n < 1 {
		return d.cal.AddWorkdays(t, n)
	}
	lt := t.In(d.cal.Location())
	y, m, day := lt.Date()
	mins := lt.Hour()*60 + lt.Minute()
	early := mins < d.open || mins == d.open && lt.Second() == 0 && lt.Nanosecond() == 0
	k := dueKey{y, m, day, early, n}
	if v, ok := d.memo[k]; ok {
		return v, nil
	}
	v, err := d.cal.AddWorkdays(t, n)
	if err == nil {
		d.memo[k] = v
	}
	return v, err
}

func score(du *dues, o *Org, rec Records, rules Rules, p Period, c Class, asOf time.Time) (Board, error) {
	rs, err := rules.At(p.From)
	if err != nil {
		return Board{}, err
	}
	tl := newTallies(o, p)
	get := tl.get
	timed := func(i Indicator, recs []Timed, due func(Timed) (time.Time, error)) error {
		for _, r := range recs {
			d, err := due(r)
			if err != nil {
				return err
			}
			done := !r.Done.IsZero() && !r.Done.After(asOf)
			if !p.Contains(d) || !done && !asOf.After(d) {
				continue // another period's, or not yet decided
			}
			if t := get(i, r.Unit); t != nil {
				hit := done && !r.Done.After(d)
				t.add(r.ID, b2f(hit), 1, hit)
			}
		}
		return nil
	}
	given := func(r Timed) (time.Time, error) { return r.Due, nil }
	if err := timed(SignFor, rec.SignFor, given); err != nil {
		return Board{}, err
	}
	if err := timed(SupOnTime, rec.Supervised, given); err != nil {
		return Board{}, err
	}
	if err := timed(CloseOnTime, rec.Closing, func(r Timed) (time.Time, error) {
		if !r.Due.IsZero() {
			return r.Due, nil
		}
		return du.add(r.Start, rs.CloseDays)
	}); err != nil {
		return Board{}, err
	}
	for _, a := range rec.Meetings {
		if !p.Contains(a.Start) {
			continue
		}
		due, err := du.add(a.Noticed, rs.ReplyDays)
		if err != nil {
			return Board{}, err
		}
		if a.Start.Before(due) {
			due = a.Start
		}
		replied := !a.RepliedAt.IsZero() && !a.RepliedAt.After(asOf)
		if replied || asOf.After(due) {
			if t := get(MeetingReply, a.Unit); t != nil {
				hit := replied && !a.RepliedAt.After(due)
				t.add(a.MeetingID, b2f(hit), 1, hit)
			}
		}
		if !a.Absent && !a.End.After(asOf) {
			if t := get(MeetingSignIn, a.Unit); t != nil {
				hit := !a.SignedIn.IsZero()
				t.add(a.MeetingID, b2f(hit), 1, hit)
			}
		}
	}
	for _, d := range rec.Drafts {
		if !p.Contains(d.SentAt) || d.SentAt.After(asOf) {
			continue
		}
		if t := get(DocErrors, d.Unit); t != nil {
			t.add(d.ID, float64(d.Accepted), float64(d.Chars), d.Accepted > 0)
		}
	}
	for _, h := range rec.Handovers {
		if !p.Contains(h.Handed) || h.Handed.After(asOf) {
			continue
		}
		if t := get(Handover, h.Unit); t != nil {
			hit := !h.Acked.IsZero() && !h.Acked.After(asOf)
			t.add(h.ID, b2f(hit), 1, hit)
		}
	}
	tl.points(rec.Points, p, asOf)
	return finish(tl.m, o, rs, p, c, asOf), nil
}

// tallies are the figures' sums per indicator and owning unit.
type tallies struct {
	o *Org
	p Period
	m map[Indicator]map[string]*tally
}

func newTallies(o *Org, p Period) *tallies {
	return &tallies{o: o, p: p, m: map[Indicator]map[string]*tally{}}
}

// get is the tally a record of unit counts in: its owner's at the period's
// end; nil when no scored unit owns it.
func (tl *tallies) get(i Indicator, unit string) *tally {
	owner := tl.o.Owner(unit, tl.p.To)
	if owner == "" {
		return nil
	}
	if tl.m[i] == nil {
		tl.m[i] = map[string]*tally{}
	}
	t := tl.m[i][owner]
	if t == nil {
		t = &tally{}
		tl.m[i][owner] = t
	}
	return t
}

// points adds the 信息 point events, record by record in both paths, so
// that their float sums come out the same.
func (tl *tallies) points(events []PointEvent, p Period, asOf time.Time) {
	for _, e := range events {
		if !p.Contains(e.At) || e.At.After(asOf) {
			continue
		}
		if t := tl.get(InfoScore, e.Unit); t != nil {
			t.add(e.Item, e.Points, 0, e.Points != 0)
		}
	}
}

// finish turns the tallies into the board: scores, totals, ranks and the
// 先进单位 candidates.
func finish(tallies map[Indicator]map[string]*tally, o *Org, rs RuleSet, p Period, c Class, asOf time.Time) Board {
	members := o.Members(c, p.To)

	counted := rs.Counted(c)
	bestInfo := 0.0
	for _, u := range members {
		if t := tallies[InfoScore][u.ID]; t != nil {
			bestInfo = max(bestInfo, t.num)
		}
	}
	board := Board{Period: p, Class: c, Rules: rs, Counted: counted, AsOf: asOf}
	for _, u := range members {
		row := Row{Unit: u.ID, Name: u.NameAt(p.To.Add(-time.Nanosecond))}
		var wsum, sum float64
		for _, i := range counted {
			f := Figure{Indicator: i, Weight: rs.Weights[c][i], NumIDs: []string{}, DenIDs: []string{}}
			t := tallies[i][u.ID]
			if t != nil {
				f.Num, f.Den = round2(t.num), t.den
				if len(t.denIDs) > 0 { // sums (ScoreSums) carry none
					f.NumIDs, f.DenIDs = uniq(t.numIDs), uniq(t.denIDs)
				}
			}
			switch {
			case i == InfoScore:
				f.Empty = len(tallies[InfoScore]) == 0
				f.Value = f.Num
				if bestInfo > 0 {
					f.Score = max(0, f.Num/bestInfo*100)
				}
			case i == DocErrors:
				f.Empty = f.Den == 0
				if !f.Empty {
					f.Value = f.Num / f.Den * 10000
					f.Score = max(0, 100-f.Value/rs.ErrorCeiling*100)
				}
			default:
				f.Empty = f.Den == 0
				if !f.Empty {
					f.Value = f.Num / f.Den
					f.Score = f.Value * 100
				}
			}
			f.Value, f.Score = round4(f.Value), round2(f.Score)
			if !f.Empty {
				wsum += f.Weight
				sum += f.Weight * f.Score
			}
			row.Figures = append(row.Figures, f)
		}
		if wsum > 0 {
			row.Total = round2(sum / wsum)
		}
		board.Rows = append(board.Rows, row)
	}
	slices.SortStableFunc(board.Rows, func(a, b Row) int {
		switch {
		case a.Total > b.Total:
			return -1
		case a.Total < b.Total:
			return 1
		}
		return 0
	})
	for k := range board.Rows {
		if k > 0 && board.Rows[k].Total == board.Rows[k-1].Total {
			board.Rows[k].Rank = board.Rows[k-1].Rank
		} else {
			board.Rows[k].Rank = k + 1
		}
	}
	board.Commended = commend(board)
	return board
}

// commend picks the 先进单位 candidates and says why each qualifies.
func commend(b Board) []Candidate {
	rs := b.Rules
	n := int(math.Ceil(rs.CommendShare * float64(len(b.Rows))))
	best := map[Indicator]float64{}
	for _, r := range b.Rows {
		for _, f := range r.Figures {
			if !f.Empty {
				best[f.Indicator] = max(best[f.Indicator], f.Score)
			}
		}
	}
	var out []Candidate
	for _, r := range b.Rows {
		if r.Rank > n || r.Total < rs.CommendMin {
			continue
		}
		ok, any := true, false
		for _, f := range r.Figures {
			if f.Empty {
				continue
			}
			any = true
			if f.Score < rs.CommendFloor {
				ok = false
			}
		}
		if !ok || !any {
			continue
		}
		c := Candidate{Unit: r.Unit, Name: r.Name, Rank: r.Rank, Total: r.Total}
		c.Reasons = append(c.Reasons, fmt.Sprintf("综合得分 %.2f，列%s第 %d 名（共 %d 个单位）", r.Total, b.Class.Label(), r.Rank, len(b.Rows)))
		for _, f := range r.Figures {
			if f.Empty || f.Score < best[f.Indicator] {
				continue
			}
			c.Reasons = append(c.Reasons, fmt.Sprintf("%s %s，同类最好", f.Indicator.Label(), f.Text()))
		}
		c.Reasons = append(c.Reasons, fmt.Sprintf("各项指标得分均不低于 %g 分", rs.CommendFloor))
		out = append(out, c)
	}
	return out
}

// TrendPoint is one past period of a unit, for 纵比.
type TrendPoint struct {
	Period Period `json:"period"`
	Row    Row    `json:"row"`
	Of     int    `json:"of"` // units ranked
	Found  bool   `json:"found"`
}

// Trend scores a unit over periods (oldest first) against its class.
func Trend(cal *calendar.Calendar, o *Org, rec Records, rules Rules, periods []Period, unit string, asOf time.Time) ([]TrendPoint, error) {
	u, ok := o.Unit(unit)
	if !ok {
		return nil, fmt.Errorf("未知的单位 %s", unit)
	}
	var out []TrendPoint
	du := newDues(cal)
	for _, p := range periods {
		b, err := score(du, o, rec, rules, p, u.Class, asOf)
		if err != nil {
			return nil, err
		}
		r, found := b.Row(unit)
		out = append(out, TrendPoint{Period: p, Row: r, Of: len(b.Rows), Found: found})
	}
	return out, nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
func round4(x float64) float64 { return math.Round(x*10000) / 10000 }

func uniq(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}
