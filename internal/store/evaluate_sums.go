package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/evaluate"
)

// The scoreboard's sums (eval_sums, migration 0043). A board needs each
// unit's numerator and denominator per indicator and period, not the
// records: eval_sums keeps them per unit and month of the date that chooses
// a record's period, as every record will stand once decided, changed in the
// same transaction as eval_facts. A board then reads the months of its
// periods and corrects them by the few records not yet decided at its
// moment (limits still to come, meetings still running), read one by one.
// Periods that are not whole months fall back to the records.

// sumSet is one kept (indicator, rule parameter) of eval_sums.
type sumSet struct {
	ind   evaluate.Indicator
	param int
}

// summedIndicators are kept in eval_sums; 值班交接 is summed by the query
// from duty_handovers, 信息 points come from the information module.
var summedIndicators = []evaluate.Indicator{evaluate.SignFor, evaluate.CloseOnTime, evaluate.SupOnTime,
	evaluate.MeetingReply, evaluate.MeetingSignIn, evaluate.DocErrors}

// factKindOf is the eval_facts kind an indicator counts.
func factKindOf(i evaluate.Indicator) string {
	switch i {
	case evaluate.SignFor:
		return factSignFor
	case evaluate.CloseOnTime:
		return factClosing
	case evaluate.SupOnTime:
		return factSupervised
	case evaluate.MeetingReply, evaluate.MeetingSignIn:
		return factMeeting
	case evaluate.DocErrors:
		return factDraft
	}
	return ""
}

// calDependent: the indicator's limits are counted in working days, so its
// sums hold only under the calendar revision they were computed at.
func calDependent(i evaluate.Indicator) bool {
	return i == evaluate.CloseOnTime || i == evaluate.MeetingReply
}

// setsOf lists the sets a version of the rules scores by.
func setsOf(rs evaluate.RuleSet) []sumSet {
	out := make([]sumSet, 0, len(summedIndicators))
	for _, i := range summedIndicators {
		out = append(out, sumSet{i, rs.Param(i)})
	}
	return out
}

// decidedAt stands for "once every record is decided": after any limit.
var decidedAt = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// contrib is what one fact adds to one set: to unit's sum of the month of at.
type contrib struct {
	unit string
	at   time.Time
	sum  evaluate.Sum
}

func (f evalFact) attendance() evaluate.Attendance {
	return evaluate.Attendance{MeetingID: f.recordID, PersonID: f.sub, Unit: f.unitID, Noticed: fromTS(f.startAt),
		Start: fromTS(f.at), End: fromTS(f.endAt), RepliedAt: fromTS(f.doneAt), Absent: f.absent, SignedIn: fromTS(f.signedAt)}
}

// contribute is what fact f adds to set's sums as of asOf, decided as
// evaluate.Score decides it record by record; ok false when nothing.
func contribute(du *evaluate.Dues, f evalFact, set sumSet, asOf time.Time) (contrib, bool, error) {
	c := contrib{unit: f.unitID}
	if f.kind != factKindOf(set.ind) {
		return c, false, nil
	}
	timed := func(due time.Time) (contrib, bool, error) {
		c.at = due
		doneAt := fromTS(f.doneAt)
		done := f.doneAt != 0 && !doneAt.After(asOf)
		if !done && !asOf.After(due) {
			return c, false, nil // not yet decided
		}
		c.sum.Den = 1
		if done && !doneAt.After(due) {
			c.sum.Num = 1
		}
		return c, true, nil
	}
	switch set.ind {
	case evaluate.SignFor, evaluate.SupOnTime:
		return timed(fromTS(f.dueAt))
	case evaluate.CloseOnTime:
		due, err := du.CloseDue(evaluate.Timed{Start: fromTS(f.startAt), Due: fromTS(f.dueAt)}, set.param)
		if err != nil {
			return c, false, err
		}
		return timed(due)
	case evaluate.MeetingReply:
		a := f.attendance()
		c.at = a.Start
		due, err := du.ReplyDue(a, set.param)
		if err != nil {
			return c, false, err
		}
		replied := !a.RepliedAt.IsZero() && !a.RepliedAt.After(asOf)
		if !replied && !asOf.After(due) {
			return c, false, nil
		}
		c.sum.Den = 1
		if replied && !a.RepliedAt.After(due) {
			c.sum.Num = 1
		}
		return c, true, nil
	case evaluate.MeetingSignIn:
		a := f.attendance()
		c.at = a.Start
		if a.Absent || a.End.After(asOf) {
			return c, false, nil
		}
		c.sum.Den = 1
		if !a.SignedIn.IsZero() {
			c.sum.Num = 1
		}
		return c, true, nil
	case evaluate.DocErrors:
		c.at = fromTS(f.at)
		if c.at.After(asOf) {
			return c, false, nil
		}
		c.sum = evaluate.Sum{Num: int64(f.accepted), Den: int64(f.chars)}
		return c, true, nil
	}
	return c, false, nil
}

// monthIndex is year*12 + month-1 of t in loc.
func monthIndex(t time.Time, loc *time.Location) int {
	lt := t.In(loc)
	return lt.Year()*12 + int(lt.Month()) - 1
}

// monthStart is the first instant of month index k in loc.
func monthStart(k int, loc *time.Location) time.Time {
	return time.Date(k/12, time.Month(k%12+1), 1, 0, 0, 0, 0, loc)
}

type sumKey struct {
	set   sumSet
	unit  string
	month int
}

// sumDelta accumulates changes to eval_sums before they are written.
type sumDelta map[sumKey]evaluate.Sum

func (d sumDelta) add(set sumSet, c contrib, sign int64, loc *time.Location) {
	if c.at.IsZero() {
		return // no period contains the zero time
	}
	k := sumKey{set, c.unit, monthIndex(c.at, loc)}
	v := d[k]
	v.Num += sign * c.sum.Num
	v.Den += sign * c.sum.Den
	d[k] = v
}

func (tx *Tx) writeSums(ctx context.Context, d sumDelta) error {
	keys := make([]sumKey, 0, len(d))
	for k, v := range d {
		if v != (evaluate.Sum{}) {
			keys = append(keys, k)
		}
	}
	// One order for every writer: PostgreSQL row locks taken in it.
	slices.SortFunc(keys, func(a, b sumKey) int {
		return strings.Compare(fmt.Sprint(a.set.ind, a.set.param, a.month, a.unit), fmt.Sprint(b.set.ind, b.set.param, b.month, b.unit))
	})
	for _, k := range keys {
		v := d[k]
		if _, err := tx.exec(ctx, `INSERT INTO eval_sums (indicator, param, unit_id, month, num, den) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (indicator, param, month, unit_id) DO UPDATE SET num = eval_sums.num + excluded.num, den = eval_sums.den + excluded.den`,
			string(k.set.ind), k.set.param, k.unit, k.month, v.Num, v.Den); err != nil {
			return fmt.Errorf("eval sums: %w", err)
		}
	}
	return nil
}

// lockEvalFacts serialises the writers of eval_facts and eval_sums on
// PostgreSQL, so that a fact's old value read before its change is the one
// the sums hold (SQLite has one writer).
func (tx *Tx) lockEvalFacts(ctx context.Context) error {
	if err := tx.advisoryLock(ctx, "eval_facts"); err != nil {
		return fmt.Errorf("lock eval facts: %w", err)
	}
	return nil
}

// sumSets are the kept sets with the calendar revision of each.
func (c conn) sumSets(ctx context.Context) (map[sumSet]int64, error) {
	rows, err := c.query(ctx, `SELECT indicator, param, cal_rev FROM eval_sum_sets`)
	if err != nil {
		return nil, fmt.Errorf("eval sum sets: %w", err)
	}
	defer rows.Close()
	out := map[sumSet]int64{}
	for rows.Next() {
		var s sumSet
		var ind string
		var rev int64
		if err := rows.Scan(&ind, &s.param, &rev); err != nil {
			return nil, err
		}
		s.ind = evaluate.Indicator(ind)
		out[s] = rev
	}
	return out, rows.Err()
}

// applySums changes the kept sums by the facts' change from old to new, in
// the transaction that changes them (lockEvalFacts held). A working-day set
// computed under another calendar revision than this server's is dropped
// instead, to be rebuilt by the next board.
func (tx *Tx) applySums(ctx context.Context, old, new []evalFact) error {
	if len(old)+len(new) == 0 {
		return nil
	}
	sets, err := tx.sumSets(ctx)
	if err != nil || len(sets) == 0 {
		return err
	}
	cal, rev := tx.s.Calendar(), tx.s.CalendarRevision()
	loc := cal.Location()
	var live []sumSet
	for set, r := range sets {
		if calDependent(set.ind) && r != rev {
			if err := tx.dropSumSet(ctx, set); err != nil {
				return err
			}
			continue
		}
		live = append(live, set)
	}
	du := evaluate.NewDues(cal)
	d := sumDelta{}
	for sign, facts := range map[int64][]evalFact{-1: old, 1: new} {
		for _, f := range facts {
			for _, set := range live {
				c, ok, err := contribute(du, f, set, decidedAt)
				if err != nil {
					return err
				}
				if ok {
					d.add(set, c, sign, loc)
				}
			}
		}
	}
	return tx.writeSums(ctx, d)
}

func (tx *Tx) dropSumSet(ctx context.Context, set sumSet) error {
	if _, err := tx.exec(ctx, `DELETE FROM eval_sum_sets WHERE indicator = ? AND param = ?`, string(set.ind), set.param); err != nil {
		return fmt.Errorf("drop eval sum set: %w", err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM eval_sums WHERE indicator = ? AND param = ?`, string(set.ind), set.param); err != nil {
		return fmt.Errorf("drop eval sums: %w", err)
	}
	return nil
}

const factCols = `kind, record_id, sub, unit_id, at, start_at, due_at, done_at, end_at, signed_at, chars, accepted, absent`

func scanFact(rows interface{ Scan(...any) error }) (evalFact, error) {
	var f evalFact
	var absent int64
	err := rows.Scan(&f.kind, &f.recordID, &f.sub, &f.unitID, &f.at, &f.startAt, &f.dueAt, &f.doneAt, &f.endAt, &f.signedAt, &f.chars, &f.accepted, &absent)
	f.absent = absent != 0
	return f, err
}

// buildSumSet computes one set's sums from every fact, in one transaction.
func (s *Store) buildSumSet(ctx context.Context, set sumSet) error {
	cal, rev := s.Calendar(), s.CalendarRevision()
	loc := cal.Location()
	return s.Write(ctx, func(tx *Tx) error {
		if err := tx.lockEvalFacts(ctx); err != nil {
			return err
		}
		if err := tx.dropSumSet(ctx, set); err != nil {
			return err
		}
		rows, err := tx.query(ctx, `SELECT `+factCols+` FROM eval_facts WHERE kind = ?`, factKindOf(set.ind))
		if err != nil {
			return fmt.Errorf("eval facts for sums: %w", err)
		}
		du := evaluate.NewDues(cal)
		d := sumDelta{}
		for rows.Next() {
			f, err := scanFact(rows)
			if err != nil {
				rows.Close()
				return err
			}
			c, ok, err := contribute(du, f, set, decidedAt)
			if err != nil {
				rows.Close()
				return err
			}
			if ok {
				d.add(set, c, 1, loc)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := tx.writeSums(ctx, d); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO eval_sum_sets (indicator, param, cal_rev, built_at) VALUES (?, ?, ?, ?)`,
			string(set.ind), set.param, rev, ts(tx.now))
		return err
	})
}

// EnsureEvalSums builds the sums every version of the rules scores by that
// are missing or were computed under another calendar revision — after the
// migration, a new version with another limit, an edit of the calendar. It
// reads the facts of each such set once (seconds for a year of a district);
// otherwise it is one read.
func (s *Store) EnsureEvalSums(ctx context.Context, rules evaluate.Rules) error {
	have, err := s.conn.sumSets(ctx)
	if err != nil {
		return err
	}
	rev := s.CalendarRevision()
	seen := map[sumSet]bool{}
	for _, rs := range rules {
		for _, set := range setsOf(rs) {
			if seen[set] {
				continue
			}
			seen[set] = true
			if r, ok := have[set]; ok && (!calDependent(set.ind) || r == rev) {
				continue
			}
			t := time.Now()
			if err := s.buildSumSet(ctx, set); err != nil {
				return fmt.Errorf("build eval sums %s/%d: %w", set.ind, set.param, err)
			}
			s.log.Info("eval sums built", "indicator", string(set.ind), "param", set.param, "took", time.Since(t))
		}
	}
	return nil
}

// RebuildEvalSums drops every kept sum and builds those the rules need from
// eval_facts again.
func (s *Store) RebuildEvalSums(ctx context.Context, rules evaluate.Rules) error {
	err := s.Write(ctx, func(tx *Tx) error {
		if err := tx.lockEvalFacts(ctx); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM eval_sum_sets`); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `DELETE FROM eval_sums`)
		return err
	})
	if err != nil {
		return fmt.Errorf("drop eval sums: %w", err)
	}
	return s.EnsureEvalSums(ctx, rules)
}

// monthAligned reports whether p starts and ends at the start of a month in
// loc, and gives the months [lo, hi) it spans.
func monthAligned(p evaluate.Period, loc *time.Location) (lo, hi int, ok bool) {
	lo, hi = monthIndex(p.From, loc), monthIndex(p.To, loc)
	return lo, hi, lo < hi && monthStart(lo, loc).Equal(p.From) && monthStart(hi, loc).Equal(p.To)
}

// EvalSums returns each period's sums as of asOf, by the rules in force at
// each period's start: the kept monthly sums corrected by the records not
// yet decided at asOf, and the duty handovers summed by the query. ok is
// false when a period is not whole months in the calendar's zone; the caller
// then scores the records (EvalRecords). The sums, the sets and the
// undecided records are read in one statement, so that a refresh committing
// meanwhile is seen wholly or not at all.
func (s *Store) EvalSums(ctx context.Context, rules evaluate.Rules, periods []evaluate.Period, asOf time.Time) ([]evaluate.Sums, bool, error) {
	cal, rev := s.Calendar(), s.CalendarRevision()
	loc := cal.Location()
	if len(periods) == 0 {
		return nil, true, nil
	}
	lo, hi := 0, 0
	var need []sumSet
	perSets := make([][]sumSet, len(periods))
	closeDays := map[int]bool{}
	for k, p := range periods {
		a, b, ok := monthAligned(p, loc)
		if !ok {
			return nil, false, nil
		}
		if k == 0 || a < lo {
			lo = a
		}
		hi = max(hi, b)
		rs, err := rules.At(p.From)
		if err != nil {
			return nil, false, err
		}
		perSets[k] = setsOf(rs)
		for _, set := range perSets[k] {
			if !slices.Contains(need, set) {
				need = append(need, set)
			}
		}
		closeDays[rs.CloseDays] = true
	}
	from, to := monthStart(lo, loc), monthStart(hi, loc)
	du := evaluate.NewDues(cal)
	// The arrivals whose 办结 limit may not have passed at asOf: none that
	// count in the periods once asOf is past their end.
	closeFrom := to
	for n := range closeDays {
		if !asOf.Before(to) {
			break
		}
		t, err := closeTailFrom(du, loc, asOf, n)
		if err != nil {
			return nil, false, err
		}
		closeFrom = minTime(closeFrom, t)
	}
	var out []evaluate.Sums
	for attempt := 0; ; attempt++ {
		if attempt > 0 { // a set missing or stale: build it, read again
			if err := s.EnsureEvalSums(ctx, rules); err != nil {
				return nil, false, err
			}
		}
		var err error
		var stale bool
		out, stale, err = s.readSums(ctx, need, perSets, periods, lo, hi, from, to, closeFrom, asOf, du, rev)
		if err != nil {
			return nil, false, err
		}
		if !stale {
			break
		}
		if attempt == 2 {
			return nil, false, fmt.Errorf("考核汇总数据正在重建，请稍后重试")
		}
	}
	if err := s.sumHandovers(ctx, out, periods, lo, hi, asOf); err != nil {
		return nil, false, err
	}
	return out, true, nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// closeTailFrom is a local midnight before which every arrival's 办结 limit
// (n working days) has passed at asOf: limits only grow with the arrival.
func closeTailFrom(du *evaluate.Dues, loc *time.Location, asOf time.Time, n int) (time.Time, error) {
	a := asOf.In(loc)
	m := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, loc)
	for range 500 {
		due, err := du.Add(m, n)
		if err != nil {
			return m, err
		}
		if due.Before(asOf) {
			return m, nil
		}
		m = time.Date(m.Year(), m.Month(), m.Day()-1, 0, 0, 0, 0, loc)
	}
	return m, nil
}

// readSums runs EvalSums' one statement (sumsQuery) and corrects the sums
// by the undecided facts. stale reports a set missing or computed under
// another calendar revision.
func (s *Store) readSums(ctx context.Context, need []sumSet, perSets [][]sumSet, periods []evaluate.Period, lo, hi int,
	from, to, closeFrom, asOf time.Time, du *evaluate.Dues, rev int64) ([]evaluate.Sums, bool, error) {
	loc := s.Calendar().Location()
	q, args, err := sumsQuery(tailQuery{need: need, lo: lo, hi: hi, from: from, to: to, closeFrom: closeFrom, asOf: asOf,
		du: du, loc: loc, open: int(s.Calendar().Hours()[0].Start), last: int(s.Calendar().Hours()[len(s.Calendar().Hours())-1].End)})
	if err != nil {
		return nil, false, err
	}
	rows, err := s.conn.query(ctx, q, args...)
	if err != nil {
		return nil, false, fmt.Errorf("eval sums: %w", err)
	}
	defer rows.Close()
	out := make([]evaluate.Sums, len(periods))
	bounds := make([][2]int, len(periods)) // each period's months [lo, hi)
	for k, p := range periods {
		out[k] = evaluate.Sums{}
		bounds[k][0], bounds[k][1], _ = monthAligned(p, loc)
	}
	// addTo adds a set's sum of a month to the periods that count it.
	addTo := func(set sumSet, month int, unit string, num, den int64) {
		for k, b := range bounds {
			if month >= b[0] && month < b[1] && slices.Contains(perSets[k], set) {
				out[k].Add(set.ind, unit, num, den)
			}
		}
	}
	have := map[sumSet]int64{}
	var tail []evalFact
	for rows.Next() {
		var src int
		var kind, unit string
		var param int
		var f evalFact
		var absent int64
		if err := rows.Scan(&src, &kind, &unit, &param, &f.at, &f.startAt, &f.dueAt, &f.doneAt, &f.endAt, &f.signedAt, &f.chars, &f.accepted, &absent, &f.recordID, &f.sub); err != nil {
			return nil, false, err
		}
		switch src {
		case 0:
			if f.startAt == 0 && f.dueAt == 0 {
				continue // a sum its records left
			}
			addTo(sumSet{evaluate.Indicator(kind), param}, int(f.at), unit, f.startAt, f.dueAt)
		case 1:
			have[sumSet{evaluate.Indicator(kind), param}] = f.at
		case 2:
			f.kind, f.unitID, f.absent = kind, unit, absent != 0
			tail = append(tail, f)
		case 3:
			ind, month, num, den := evaluate.Indicator(kind), int(f.at), f.startAt, f.dueAt
			if ind == evaluate.CloseOnTime { // summed by limit
				due := fromTS(f.at)
				if f.at == 0 {
					return nil, false, fmt.Errorf("eval sums: an undecided 办结 record without a limit")
				}
				month = monthIndex(due, loc)
				if asOf.After(due) {
					den = 0 // passed, not done: counts as late already
				}
			}
			if month == 0 {
				return nil, false, fmt.Errorf("eval sums: an undecided %s record outside the months", kind)
			}
			for _, set := range need {
				if set.ind == ind && (!calDependent(ind) || set.param == param) {
					addTo(set, month, unit, num, den)
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	for _, set := range need {
		if r, ok := have[set]; !ok || calDependent(set.ind) && r != rev {
			return nil, true, nil
		}
	}
	// Each undecided record read one by one: take out what the sums hold for it, put in
	// what it counts for at asOf (the same month: the period is chosen by
	// the same date either way).
	for _, f := range tail {
		for _, set := range need {
			final, ok1, err := contribute(du, f, set, decidedAt)
			if err != nil {
				return nil, false, err
			}
			now, ok2, err := contribute(du, f, set, asOf)
			if err != nil {
				return nil, false, err
			}
			if ok1 && !final.at.IsZero() {
				addTo(set, monthIndex(final.at, loc), f.unitID, -final.sum.Num, -final.sum.Den)
			}
			if ok2 && !now.at.IsZero() {
				addTo(set, monthIndex(now.at, loc), f.unitID, now.sum.Num, now.sum.Den)
			}
		}
	}
	return out, false, nil
}

// tailQuery holds what sumsQuery needs beyond the sets and months.
type tailQuery struct {
	need                      []sumSet
	lo, hi                    int
	from, to, closeFrom, asOf time.Time
	du                        *evaluate.Dues
	loc                       *time.Location
	open, last                int // minutes after midnight office opens, closes
}

// noticeWindow is how long before the range of the undecided meetings their
// notices are summed in SQL; older notices are read one by one.
const noticeWindow = 62

// closeLead bounds how long before the periods' start an arrival's 办结
// limit can fall inside them (60 working days and the longest holidays).
const closeLead = 120

// sumsQuery is readSums' statement: src 0 rows are sums (at = month, num
// and den in start_at and due_at), src 1 the kept sets (at = calendar
// revision), src 3 the corrections of the records not yet decided at asOf,
// summed in SQL by unit and month (at = month, or for 办结 the limit; num
// and den in start_at and due_at), src 2 the few undecided meeting
// invitations noticed too long before to be summed so, read one by one.
// Each branch reads one indexed range (TestEvalSumsPlans).
//
// A working-day limit is a step function of the instant it counts from —
// the same on a day up to the opening of office and the same after
// (evaluate.Dues) — so the statement computes it with a CASE over those
// steps, a balanced tree of comparisons (stepCase).
func sumsQuery(t tailQuery) (string, []any, error) {
	var setConds []string
	var args, setArgs []any
	for _, set := range t.need {
		setConds = append(setConds, `(indicator = ? AND param = ?)`)
		setArgs = append(setArgs, string(set.ind), set.param)
	}
	a, f, to, c := ts(t.asOf), ts(t.from), ts(t.to), ts(t.closeFrom)
	ra := min(a, to) // meetings running at asOf started before it
	// The months of the periods, for the records counted by the month of at.
	var mb, mv []int64
	for m := t.lo; m <= t.hi; m++ {
		mb = append(mb, ts(monthStart(m, t.loc)))
		mv = append(mv, int64(m))
	}
	mv = mv[:len(mv)-1]
	// 签收, 督办 and drafts still to come lie in the months from asOf on.
	var tb, tv []int64
	for m := monthIndex(maxTime(t.asOf, t.from), t.loc); m < t.hi; m++ {
		tb, tv = append(tb, ts(monthStart(m, t.loc))), append(tv, int64(m))
	}
	if len(tv) > 0 {
		tb = append(tb, ts(monthStart(t.hi, t.loc)))
	}
	nLo := dayStart(maxTime(minTime(t.asOf, t.to), t.from), t.loc).AddDate(0, 0, -noticeWindow)
	nl, nh := ts(nLo), to
	var b strings.Builder
	// The undecided meetings (still to start, or running at asOf), each with
	// the month of its start and w = 1 when its notice lies in [nl, nh).
	const mcols = `unit_id, at, start_at, due_at, done_at, end_at, signed_at, chars, accepted, absent, record_id, sub, CASE WHEN start_at >= ? AND start_at < ? THEN 1 ELSE 0 END AS w, `
	b.WriteString(`WITH mt AS (SELECT ` + mcols)
	args = append(args, nl, nh)
	args = stepCase(&b, args, "at", mb, mv)
	b.WriteString(` AS m FROM eval_facts WHERE kind = ? AND at >= ? AND at >= ? AND at < ?
		UNION ALL SELECT ` + mcols)
	args = append(args, factMeeting, a, f, to, nl, nh)
	args = stepCase(&b, args, "at", mb, mv)
	b.WriteString(` AS m FROM eval_facts WHERE kind = ? AND end_at > ? AND +at < ? AND +at >= ?)
		SELECT 0, indicator, unit_id, CAST(param AS BIGINT), CAST(month AS BIGINT), num, den, 0, 0, 0, 0, 0, 0, '', '' FROM eval_sums
			WHERE (` + strings.Join(setConds, " OR ") + `) AND month >= ? AND month < ?
		UNION ALL SELECT 1, indicator, '', CAST(param AS BIGINT), cal_rev, 0, 0, 0, 0, 0, 0, 0, 0, '', '' FROM eval_sum_sets`)
	// The running meetings' range is on end_at: "+at" keeps SQLite from
	// reading every meeting since from by the index on at instead.
	args = append(args, factMeeting, a, ra, f)
	args = append(append(args, setArgs...), t.lo, t.hi)
	// 签收 and 督办: a limit (at) still to come, not done by asOf: nothing
	// counts yet; take out what the sums hold. From the index alone
	// (eval_facts_tail).
	for _, k := range []struct {
		kind string
		ind  evaluate.Indicator
	}{{factSignFor, evaluate.SignFor}, {factSupervised, evaluate.SupOnTime}} {
		b.WriteString(`
		UNION ALL SELECT 3, CAST(? AS TEXT), unit_id, 0, m, CAST(-SUM(CASE WHEN done_at <> 0 AND done_at <= at THEN 1 ELSE 0 END) AS BIGINT), CAST(-COUNT(*) AS BIGINT), 0, 0, 0, 0, 0, 0, '', ''
			FROM (SELECT unit_id, at, done_at, `)
		args = append(args, string(k.ind))
		args = stepCase(&b, args, "at", tb, tv)
		b.WriteString(` AS m FROM eval_facts WHERE kind = ? AND at >= ? AND at >= ? AND at < ? AND (done_at = 0 OR done_at > ?)) x GROUP BY unit_id, m`)
		args = append(args, k.kind, a, f, to, a)
	}
	// Drafts sent after asOf: not counted yet.
	b.WriteString(`
		UNION ALL SELECT 3, CAST(? AS TEXT), unit_id, 0, m, CAST(-SUM(accepted) AS BIGINT), CAST(-SUM(chars) AS BIGINT), 0, 0, 0, 0, 0, 0, '', ''
			FROM (SELECT unit_id, accepted, chars, `)
	args = append(args, string(evaluate.DocErrors))
	args = stepCase(&b, args, "at", tb, tv)
	b.WriteString(` AS m FROM eval_facts WHERE kind = ? AND at > ? AND at >= ? AND at < ?) x GROUP BY unit_id, m`)
	args = append(args, factDraft, a, f, to)
	// Meetings not over at asOf: their sign-in not counted yet.
	b.WriteString(`
		UNION ALL SELECT 3, CAST(? AS TEXT), unit_id, 0, m, CAST(-SUM(CASE WHEN signed_at <> 0 THEN 1 ELSE 0 END) AS BIGINT), CAST(-COUNT(*) AS BIGINT), 0, 0, 0, 0, 0, 0, '', ''
			FROM mt WHERE w = 1 AND absent = 0 AND end_at > ? GROUP BY unit_id, m`)
	args = append(args, string(evaluate.MeetingSignIn), a)
	// 办结 arrivals since closeFrom not done by asOf, summed by unit and
	// limit (at = the limit; Go gives it its month and decides whether it
	// has passed); 会议回执 of the undecided meetings by unit and month.
	cLo := maxTime(t.closeFrom, dayStart(t.from, t.loc).AddDate(0, 0, -closeLead))
	for _, set := range t.need {
		switch set.ind {
		case evaluate.CloseOnTime:
			bps, vals, err := t.steps(cLo, t.to, set.param)
			if err != nil {
				return "", nil, err
			}
			if len(vals) == 0 {
				continue
			}
			b.WriteString(`
		UNION ALL SELECT 3, CAST(? AS TEXT), unit_id, CAST(? AS BIGINT), d, CAST(-SUM(CASE WHEN done_at <> 0 AND done_at <= d THEN 1 ELSE 0 END) AS BIGINT), CAST(-COUNT(*) AS BIGINT), 0, 0, 0, 0, 0, 0, '', ''
			FROM (SELECT unit_id, done_at, `)
			args = append(args, string(set.ind), set.param)
			args = stepCase(&b, args, "at", bps, vals)
			b.WriteString(` AS d FROM eval_facts WHERE kind = ? AND at >= ? AND at >= ? AND at < ? AND (done_at = 0 OR done_at > ?)) x GROUP BY unit_id, d`)
			args = append(args, factClosing, c, ts(cLo), to, a)
		case evaluate.MeetingReply:
			bps, vals, err := t.steps(nLo, t.to, set.param)
			if err != nil {
				return "", nil, err
			}
			if len(vals) == 0 {
				continue
			}
			// The limit: n working days after the notice, never after the start.
			b.WriteString(`
		UNION ALL SELECT 3, CAST(? AS TEXT), unit_id, CAST(? AS BIGINT), m,
				CAST(-SUM(CASE WHEN done_at <> 0 AND done_at > ? AND done_at <= due THEN 1 ELSE 0 END) AS BIGINT),
				CAST(-SUM(CASE WHEN (done_at = 0 OR done_at > ?) AND due >= ? THEN 1 ELSE 0 END) AS BIGINT), 0, 0, 0, 0, 0, 0, '', ''
			FROM (SELECT unit_id, m, done_at, CASE WHEN at < dn THEN at ELSE dn END AS due FROM (SELECT unit_id, m, done_at, at, `)
			args = append(args, string(set.ind), set.param, a, a, a)
			args = stepCase(&b, args, "start_at", bps, vals)
			b.WriteString(` AS dn FROM mt WHERE w = 1) y) x GROUP BY unit_id, m`)
		}
	}
	// The undecided meetings noticed outside [nl, nh): one by one.
	b.WriteString(`
		UNION ALL SELECT 2, CAST(? AS TEXT), unit_id, 0, at, start_at, due_at, done_at, end_at, signed_at, chars, accepted, absent, record_id, sub FROM mt
			WHERE w = 0`)
	args = append(args, factMeeting)
	return b.String(), args, nil
}

// steps gives the breakpoints and values of the working-day limit of n days
// counted from an instant in [from, to): vals[i] holds on
// [bps[i], bps[i+1]). On a day the limit changes once: after the opening of
// office (n >= 1: an instant up to the opening counts that day) or at the
// close (n = 0: the same day's close until then).
func (t tailQuery) steps(from, to time.Time, n int) (bps, vals []int64, err error) {
	cut := t.open
	if n < 1 {
		cut = t.last
	}
	m := dayStart(from, t.loc)
	for m.Before(to) {
		next := dayStart(m.AddDate(0, 0, 1), t.loc)
		c := m.Add(time.Duration(cut) * time.Minute)
		if n >= 1 {
			c = c.Add(time.Microsecond) // the opening itself is early
		}
		early, err := t.du.Add(m, n)
		if err != nil {
			return nil, nil, err
		}
		late, err := t.du.Add(c, n)
		if err != nil {
			return nil, nil, err
		}
		bps = append(bps, ts(m), ts(c))
		vals = append(vals, ts(early), ts(late))
		m = next
	}
	if len(vals) > 0 {
		bps = append(bps, ts(m))
	}
	return bps, vals, nil
}

// stepCase writes a CASE giving vals[i] for col in [bps[i], bps[i+1]) and 0
// outside [bps[0], bps[len]): a balanced tree of comparisons, so that a
// year of days costs a row ten comparisons, not hundreds.
func stepCase(b *strings.Builder, args []any, col string, bps, vals []int64) []any {
	if len(vals) == 0 {
		b.WriteString(`0`)
		return args
	}
	b.WriteString(`CASE WHEN ` + col + ` < ? OR ` + col + ` >= ? THEN 0 ELSE `)
	args = append(args, bps[0], bps[len(vals)])
	var node func(i, j int)
	node = func(i, j int) {
		if j-i == 1 {
			b.WriteString(`CAST(? AS BIGINT)`)
			args = append(args, vals[i])
			return
		}
		mid := (i + j) / 2
		b.WriteString(`CASE WHEN ` + col + ` < ? THEN `)
		args = append(args, bps[mid])
		node(i, mid)
		b.WriteString(` ELSE `)
		node(mid, j)
		b.WriteString(` END`)
	}
	node(0, len(vals))
	b.WriteString(` END`)
	return args
}

func dayStart(t time.Time, loc *time.Location) time.Time {
	lt := t.In(loc)
	return time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, loc)
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// sumHandovers adds the duty handovers, summed by unit and month by the
// query itself (a few a day: no need to keep them).
func (s *Store) sumHandovers(ctx context.Context, out []evaluate.Sums, periods []evaluate.Period, lo, hi int, asOf time.Time) error {
	loc := s.Calendar().Location()
	q, args := handoversQuery(lo, hi, asOf, loc)
	rows, err := s.conn.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("eval handovers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit string
		var month int
		var n, acked sql.NullInt64
		if err := rows.Scan(&unit, &month, &n, &acked); err != nil {
			return err
		}
		for k, p := range periods {
			if a, b, _ := monthAligned(p, loc); month >= a && month < b {
				out[k].Add(evaluate.Handover, unit, acked.Int64, n.Int64)
			}
		}
	}
	return rows.Err()
}

// handoversQuery sums the handovers by unit and month [lo, hi) in SQL.
func handoversQuery(lo, hi int, asOf time.Time, loc *time.Location) (string, []any) {
	var b strings.Builder
	var args []any
	b.WriteString(`SELECT r.unit_id, CASE`)
	for m := lo + 1; m < hi; m++ {
		b.WriteString(` WHEN h.handed_at < ? THEN CAST(? AS INTEGER)`)
		args = append(args, ts(monthStart(m, loc)), m-1)
	}
	b.WriteString(` ELSE CAST(? AS INTEGER) END AS m, COUNT(*), SUM(CASE WHEN h.ack_at > 0 AND h.ack_at <= ? THEN 1 ELSE 0 END)
		FROM duty_handovers h JOIN duty_rosters r ON r.id = h.roster_id
		WHERE h.handed_at >= ? AND h.handed_at < ? AND h.handed_at <= ? GROUP BY r.unit_id, m`)
	args = append(args, hi-1, ts(asOf), ts(monthStart(lo, loc)), ts(monthStart(hi, loc)), ts(asOf))
	return b.String(), args
}
