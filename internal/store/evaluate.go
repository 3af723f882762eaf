package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/evaluate"
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// Kinds of eval_facts rows.
const (
	factSignFor    = "sign_for"
	factClosing    = "closing"
	factSupervised = "supervised"
	factDraft      = "draft"
	factMeeting    = "meeting"
)

// evalCursor names the refresh's row in sweep_cursors.
const evalCursor = "eval_facts"

// evalMargin is how far before the cursor a refresh looks again: a
// transaction that began before the last refresh may commit rows stamped
// earlier than it. Upserts make the second look harmless.
const evalMargin = 10 * time.Minute

// evalPage bounds the rows one refresh transaction carries.
const evalPage = 2000

// RefreshEvalFacts brings eval_facts up to date with the documents,
// supervision items and meetings changed since the last refresh, and returns
// how many records it looked at. Cheap when nothing changed: one indexed
// probe per source.
func (s *Store) RefreshEvalFacts(ctx context.Context) (int, error) {
	var cursor int64
	err := s.conn.queryRow(ctx, `SELECT swept_to FROM sweep_cursors WHERE name = ?`, evalCursor).Scan(&cursor)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("eval cursor: %w", err)
	}
	now := ts(s.now())
	since := int64(0)
	if cursor > 0 {
		since = cursor - evalMargin.Microseconds()
	}
	seen := 0
	// Documents, page by page in (updated_at, id) order.
	lastAt, lastID := since, ""
	for {
		rows, err := s.conn.query(ctx, `SELECT `+docColsD+`, r.state, COALESCE(pa.accepted, 0) FROM documents d
			JOIN route_instances r ON r.id = d.id
			LEFT JOIN proofread_accepted pa ON pa.doc_id = d.id AND pa.step = 'review'
			WHERE (d.updated_at > ? OR d.updated_at = ? AND d.id > ?) ORDER BY d.updated_at, d.id LIMIT ?`, lastAt, lastAt, lastID, evalPage)
		if err != nil {
			return seen, fmt.Errorf("eval documents: %w", err)
		}
		facts, n, err := s.docFacts(ctx, rows, &lastAt, &lastID)
		if err != nil {
			return seen, err
		}
		seen += n
		if err := s.putFacts(ctx, facts); err != nil {
			return seen, err
		}
		if n < evalPage {
			break
		}
	}
	// Findings accepted without a new version do not touch the document.
	ids, err := s.conn.queryStrings(ctx, `SELECT doc_id FROM proofread_accepted WHERE updated_at >= ? AND step = 'review'`, since)
	if err != nil {
		return seen, fmt.Errorf("eval accepted: %w", err)
	}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		rows, err := s.conn.query(ctx, `SELECT `+docColsD+`, r.state, COALESCE(pa.accepted, 0) FROM documents d
			JOIN route_instances r ON r.id = d.id
			LEFT JOIN proofread_accepted pa ON pa.doc_id = d.id AND pa.step = 'review'
			WHERE d.id IN (`+placeholders(len(chunk))+`)`, chunkArgs(chunk)...)
		if err != nil {
			return seen, fmt.Errorf("eval accepted documents: %w", err)
		}
		var a int64
		var b string
		facts, n, err := s.docFacts(ctx, rows, &a, &b)
		if err != nil {
			return seen, err
		}
		seen += n
		if err := s.putFacts(ctx, facts); err != nil {
			return seen, err
		}
	}
	// Supervision items: the lead unit against the item's deadline.
	rows, err := s.conn.query(ctx, `SELECT id, lead_unit, state, deadline_due, closed_at, first_assigned_at FROM sup_items WHERE updated_at >= ?`, since)
	if err != nil {
		return seen, fmt.Errorf("eval supervision: %w", err)
	}
	var facts []evalFact
	for rows.Next() {
		var f evalFact
		var state string
		if err := rows.Scan(&f.recordID, &f.unitID, &state, &f.dueAt, &f.doneAt, &f.startAt); err != nil {
			rows.Close()
			return seen, err
		}
		seen++
		f.kind, f.at = factSupervised, f.dueAt
		if state == "closed" && f.doneAt == 0 {
			f.doneAt = f.dueAt // closed before closed_at was kept: on time is the kind reading
		}
		if state != "closed" {
			f.doneAt = 0
		}
		f.drop = f.dueAt == 0 || state == "registered"
		facts = append(facts, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return seen, err
	}
	if err := s.putFacts(ctx, facts); err != nil {
		return seen, err
	}
	// Meetings: one row per invitee.
	raws, err := s.conn.queryStrings(ctx, `SELECT content FROM meetings WHERE updated_at >= ?`, since)
	if err != nil {
		return seen, fmt.Errorf("eval meetings: %w", err)
	}
	facts = facts[:0]
	var gone []string
	for _, raw := range raws {
		var m meeting.Meeting
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			return seen, fmt.Errorf("decode meeting: %w", err)
		}
		seen++
		gone = append(gone, m.ID) // invitees taken off the list go with it
		if m.Status == meeting.Cancelled || m.NoticedAt.IsZero() {
			continue
		}
		for _, iv := range m.Invitees {
			f := evalFact{kind: factMeeting, recordID: m.ID, sub: iv.PersonID, unitID: iv.UnitID, at: ts(m.Start),
				startAt: ts(m.NoticedAt), endAt: ts(m.End), signedAt: ts(iv.SignedIn)}
			if iv.Reply != nil {
				f.doneAt = ts(iv.Reply.At)
				f.absent = iv.Reply.Answer == meeting.Absent
			}
			facts = append(facts, f)
		}
	}
	if seen == 0 && cursor > 0 {
		// Nothing changed: no write, so that reading a scoreboard costs no
		// commit. The cursor stays; the next refresh looks from it again.
		return 0, nil
	}
	err = s.Write(ctx, func(tx *Tx) error {
		for _, id := range gone {
			if err := tx.clearMeetingFacts(ctx, id); err != nil {
				return err
			}
		}
		if err := tx.putFacts(ctx, facts); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO sweep_cursors (name, swept_to) VALUES (?, ?)
			ON CONFLICT (name) DO UPDATE SET swept_to = excluded.swept_to`, evalCursor, now)
		return err
	})
	return seen, err
}

// evalFact is one eval_facts row; drop deletes the record's row instead.
type evalFact struct {
	kind, recordID, sub, unitID                 string
	at, startAt, dueAt, doneAt, endAt, signedAt int64
	chars, accepted                             int
	absent, drop                                bool
}

// docFacts reads documents with their route and accepted count and returns
// their facts: an incoming document's 签收 (its first sign-for task) and
// 办结 (arrival to closing); an outgoing one's draft once sent up to 核稿.
func (s *Store) docFacts(ctx context.Context, rows *sql.Rows, lastAt *int64, lastID *string) ([]evalFact, int, error) {
	type docRow struct {
		d        DocRecord
		state    string
		accepted int
	}
	var all []docRow
	for rows.Next() {
		var r docRow
		d, err := scanDocAnd(rows, &r.state, &r.accepted)
		if err != nil {
			rows.Close()
			return nil, len(all), err
		}
		r.d = d
		all = append(all, r)
		*lastAt, *lastID = ts(d.UpdatedAt), d.ID
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, len(all), err
	}
	// Decoded after the rows are closed: a template lookup needs a connection.
	var out []evalFact
	for _, r := range all {
		d := r.d
		in, err := s.conn.decodeInstance(ctx, r.state)
		if err != nil {
			return nil, len(all), err
		}
		first := func(key string) (route.Task, bool) {
			for _, t := range in.Tasks {
				if t.Step >= 0 && t.Step < len(in.Template.Steps) && in.Template.Steps[t.Step].Key == key {
					return t, true
				}
			}
			return route.Task{}, false
		}
		switch d.Direction {
		case Incoming:
			t, ok := first("sign_for")
			out = append(out, evalFact{kind: factSignFor, recordID: d.ID, unitID: d.UnitID, at: ts(t.Due), startAt: ts(t.HandedAt),
				dueAt: ts(t.Due), doneAt: ts(t.ActedAt), drop: !ok || t.Due.IsZero()})
			out = append(out, evalFact{kind: factClosing, recordID: d.ID, unitID: d.UnitID, at: ts(d.CreatedAt), startAt: ts(d.CreatedAt),
				doneAt: ts(d.ClosedAt)})
		case Outgoing:
			t, ok := first("review")
			out = append(out, evalFact{kind: factDraft, recordID: d.ID, unitID: d.UnitID, at: ts(t.HandedAt),
				chars: bodyChars(d.Doc), accepted: r.accepted, drop: !ok})
		}
	}
	return out, len(all), nil
}

// bodyChars counts the characters of the 正文 and title, as the
// 差错率's denominator.
func bodyChars(d document.Document) int {
	n := utf8.RuneCountInString(d.Title)
	for _, p := range d.Body.Paragraphs {
		n += utf8.RuneCountInString(p.Marker) + utf8.RuneCountInString(p.Text)
	}
	return n
}

func (s *Store) putFacts(ctx context.Context, facts []evalFact) error {
	if len(facts) == 0 {
		return nil
	}
	return s.Write(ctx, func(tx *Tx) error { return tx.putFacts(ctx, facts) })
}

func (tx *Tx) putFacts(ctx context.Context, facts []evalFact) error {
	if len(facts) == 0 {
		return nil
	}
	if err := tx.lockEvalFacts(ctx); err != nil {
		return err
	}
	// The facts as they were, for the sums (applySums) to take out.
	var old, put []evalFact
	for _, f := range facts {
		o, err := scanFact(tx.queryRow(ctx, `SELECT `+factCols+` FROM eval_facts WHERE kind = ? AND record_id = ? AND sub = ?`, f.kind, f.recordID, f.sub))
		switch {
		case err == nil:
			old = append(old, o)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("read fact: %w", err)
		}
		if f.drop {
			if _, err := tx.exec(ctx, `DELETE FROM eval_facts WHERE kind = ? AND record_id = ? AND sub = ?`, f.kind, f.recordID, f.sub); err != nil {
				return fmt.Errorf("drop fact: %w", err)
			}
			continue
		}
		put = append(put, f)
		if _, err := tx.exec(ctx, `INSERT INTO eval_facts (kind, record_id, sub, unit_id, at, start_at, due_at, done_at, end_at, signed_at, chars, accepted, absent)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (kind, record_id, sub) DO UPDATE SET unit_id = excluded.unit_id, at = excluded.at, start_at = excluded.start_at,
				due_at = excluded.due_at, done_at = excluded.done_at, end_at = excluded.end_at, signed_at = excluded.signed_at,
				chars = excluded.chars, accepted = excluded.accepted, absent = excluded.absent`,
			f.kind, f.recordID, f.sub, f.unitID, f.at, f.startAt, f.dueAt, f.doneAt, f.endAt, f.signedAt, f.chars, f.accepted, b2i(f.absent)); err != nil {
			return fmt.Errorf("put fact: %w", err)
		}
	}
	return tx.applySums(ctx, old, put)
}

// clearMeetingFacts deletes a meeting's invitee rows (before they are
// written again), taking them out of the sums.
func (tx *Tx) clearMeetingFacts(ctx context.Context, id string) error {
	if err := tx.lockEvalFacts(ctx); err != nil {
		return err
	}
	rows, err := tx.query(ctx, `DELETE FROM eval_facts WHERE kind = ? AND record_id = ? RETURNING `+factCols, factMeeting, id)
	if err != nil {
		return fmt.Errorf("clear meeting facts: %w", err)
	}
	var old []evalFact
	for rows.Next() {
		f, err := scanFact(rows)
		if err != nil {
			rows.Close()
			return err
		}
		old = append(old, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("clear meeting facts: %w", err)
	}
	return tx.applySums(ctx, old, nil)
}

// evalLookBack is how far before a period an arrival may lie and still be
// due closed inside it (60 working days, the rules' longest limit).
const evalLookBack = 100 * 24 * time.Hour

// EvalRecords returns the records the indicators count for periods inside
// [from, to): one indexed range per kind of record.
func (c conn) EvalRecords(ctx context.Context, from, to time.Time) (evaluate.Records, error) {
	return c.evalRecords(ctx, from, to, nil)
}

// EvalRecordsOf is EvalRecords for the records of some units only (those a
// unit's figures count, evaluate.Org.OwnedBy): the drill-down scores them to
// list the records behind one figure.
func (c conn) EvalRecordsOf(ctx context.Context, from, to time.Time, units []string) (evaluate.Records, error) {
	if len(units) == 0 {
		return evaluate.Records{}, nil
	}
	return c.evalRecords(ctx, from, to, units)
}

func (c conn) evalRecords(ctx context.Context, from, to time.Time, units []string) (evaluate.Records, error) {
	var rec evaluate.Records
	q := `SELECT record_id, sub, unit_id, at, start_at, due_at, done_at, end_at, signed_at, chars, accepted, absent FROM eval_facts WHERE kind = ? AND at >= ? AND at < ?`
	hq := `SELECT h.id, r.unit_id, h.handed_at, h.ack_at FROM duty_handovers h JOIN duty_rosters r ON r.id = h.roster_id
		WHERE h.handed_at >= ? AND h.handed_at < ?`
	var unitArgs []any
	if units != nil {
		q += ` AND unit_id IN (` + placeholders(len(units)) + `)`
		hq += ` AND r.unit_id IN (` + placeholders(len(units)) + `)`
		unitArgs = chunkArgs(units)
	}
	each := func(kind string, lo time.Time, fn func(evalFact)) error {
		rows, err := c.query(ctx, q, append([]any{kind, ts(lo), ts(to)}, unitArgs...)...)
		if err != nil {
			return fmt.Errorf("eval %s: %w", kind, err)
		}
		defer rows.Close()
		for rows.Next() {
			var f evalFact
			var absent int64
			if err := rows.Scan(&f.recordID, &f.sub, &f.unitID, &f.at, &f.startAt, &f.dueAt, &f.doneAt, &f.endAt, &f.signedAt, &f.chars, &f.accepted, &absent); err != nil {
				return err
			}
			f.absent = absent != 0
			fn(f)
		}
		return rows.Err()
	}
	timed := func(f evalFact) evaluate.Timed {
		return evaluate.Timed{ID: f.recordID, Unit: f.unitID, Start: fromTS(f.startAt), Due: fromTS(f.dueAt), Done: fromTS(f.doneAt)}
	}
	if err := each(factSignFor, from, func(f evalFact) { rec.SignFor = append(rec.SignFor, timed(f)) }); err != nil {
		return rec, err
	}
	if err := each(factClosing, from.Add(-evalLookBack), func(f evalFact) { rec.Closing = append(rec.Closing, timed(f)) }); err != nil {
		return rec, err
	}
	if err := each(factSupervised, from, func(f evalFact) { rec.Supervised = append(rec.Supervised, timed(f)) }); err != nil {
		return rec, err
	}
	if err := each(factDraft, from, func(f evalFact) {
		rec.Drafts = append(rec.Drafts, evaluate.Draft{ID: f.recordID, Unit: f.unitID, SentAt: fromTS(f.at), Chars: f.chars, Accepted: f.accepted})
	}); err != nil {
		return rec, err
	}
	if err := each(factMeeting, from, func(f evalFact) {
		rec.Meetings = append(rec.Meetings, evaluate.Attendance{MeetingID: f.recordID, PersonID: f.sub, Unit: f.unitID, Noticed: fromTS(f.startAt),
			Start: fromTS(f.at), End: fromTS(f.endAt), RepliedAt: fromTS(f.doneAt), Absent: f.absent, SignedIn: fromTS(f.signedAt)})
	}); err != nil {
		return rec, err
	}
	rows, err := c.query(ctx, hq, append([]any{ts(from), ts(to)}, unitArgs...)...)
	if err != nil {
		return rec, fmt.Errorf("eval handovers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h evaluate.ShiftHandover
		var handed, acked int64
		if err := rows.Scan(&h.ID, &h.Unit, &handed, &acked); err != nil {
			return rec, err
		}
		h.Handed, h.Acked = fromTS(handed), fromTS(acked)
		rec.Handovers = append(rec.Handovers, h)
	}
	return rec, rows.Err()
}

// evalClass is the scoreboard class of an org kind; ok false for kinds not
// scored (leading bodies, sections).
func evalClass(k org.UnitKind) (evaluate.Class, bool) {
	switch k {
	case org.KindTown:
		return evaluate.Towns, true
	case org.KindDepartment:
		return evaluate.Departments, true
	case org.KindOffice:
		return evaluate.Offices, true
	}
	return "", false
}

// EvalUnits returns the org as the scoreboard sees it: every unit with its
// class, its earlier names and any merge recorded.
func (c conn) EvalUnits(ctx context.Context) ([]evaluate.Unit, error) {
	units, err := c.Units(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[string]*evaluate.Unit{}
	kindOf := map[string]org.UnitKind{}
	for _, u := range units {
		kindOf[u.ID] = u.Kind
	}
	out := make([]evaluate.Unit, len(units))
	for i, u := range units {
		cl, ok := evalClass(u.Kind)
		if p := kindOf[u.ParentID]; u.Kind == org.KindOffice && (p == org.KindTown || p == org.KindDepartment) {
			// A town's 党政办 or a department's 办公室 receives and sends for
			// its unit: its records are the unit's, not the office system's.
			ok = false
		}
		out[i] = evaluate.Unit{ID: u.ID, Name: u.Name, Class: cl, Parent: u.ParentID, Scored: ok}
		byID[u.ID] = &out[i]
	}
	rows, err := c.query(ctx, `SELECT unit_id, kind, old_name, into_id, effective FROM eval_unit_changes ORDER BY effective`)
	if err != nil {
		return nil, fmt.Errorf("eval unit changes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, kind, old, into string
		var eff int64
		if err := rows.Scan(&id, &kind, &old, &into, &eff); err != nil {
			return nil, err
		}
		u := byID[id]
		if u == nil {
			continue
		}
		switch kind {
		case "rename":
			u.Names = append(u.Names, evaluate.NameSpan{Name: old, Until: fromTS(eff)})
		case "merge":
			u.MergedInto, u.MergedOn = into, fromTS(eff)
		}
	}
	return out, rows.Err()
}

// RecordUnitChange records that a unit carried another name until a date
// (kind "rename", old the earlier name) or was merged into another unit on
// a date (kind "merge"), for the scoreboard's history.
func (s *Store) RecordUnitChange(ctx context.Context, by org.Person, unitID, kind, old, into string, on time.Time) error {
	if kind != "rename" && kind != "merge" {
		return fmt.Errorf("未知的变更类型 %q", kind)
	}
	if kind == "rename" && strings.TrimSpace(old) == "" || kind == "merge" && (into == "" || into == unitID) {
		return errors.New("请填写原名称或合并到的单位")
	}
	if len(old) > 200 {
		return errors.New("原名称不能超过 200 字节")
	}
	return s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO eval_unit_changes (unit_id, kind, old_name, into_id, effective) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (unit_id, kind, effective) DO UPDATE SET old_name = excluded.old_name, into_id = excluded.into_id`,
			unitID, kind, old, into, ts(on)); err != nil {
			return fmt.Errorf("record unit change: %w", err)
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "evaluate.unit_change", ObjectKind: "unit", ObjectID: unitID,
			Detail: jsonString(map[string]any{"kind": kind, "old_name": old, "into": into, "effective": on})})
	})
}

// EvalRules returns every version of the evaluation rules; a deployment
// that set none scores by the defaults, in force from the start.
func (c conn) EvalRules(ctx context.Context) (evaluate.Rules, error) {
	raws, err := c.queryStrings(ctx, `SELECT content FROM eval_rules ORDER BY version`)
	if err != nil {
		return nil, fmt.Errorf("eval rules: %w", err)
	}
	var out evaluate.Rules
	for _, raw := range raws {
		var r evaluate.RuleSet
		if err := json.Unmarshal([]byte(raw), &r); err != nil {
			return nil, fmt.Errorf("decode eval rules: %w", err)
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		out = evaluate.Rules{evaluate.DefaultRules(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))}
	}
	return out, nil
}

// AddEvalRules stores a new version of the rules, numbered after the
// latest and effective only after it; the past keeps its rules.
func (s *Store) AddEvalRules(ctx context.Context, by org.Person, r evaluate.RuleSet) (evaluate.RuleSet, error) {
	err := s.Write(ctx, func(tx *Tx) error {
		raws, err := tx.queryStrings(ctx, `SELECT content FROM eval_rules ORDER BY version`)
		if err != nil {
			return fmt.Errorf("eval rules: %w", err)
		}
		var rs evaluate.Rules
		for _, raw := range raws {
			var x evaluate.RuleSet
			if err := json.Unmarshal([]byte(raw), &x); err != nil {
				return err
			}
			rs = append(rs, x)
		}
		if len(rs) == 0 {
			// The defaults scored the past until now: keep them as version 1
			// so the past is not rescored by the new version.
			d := evaluate.DefaultRules(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
			raw, _ := json.Marshal(d)
			if _, err := tx.exec(ctx, `INSERT INTO eval_rules (version, effective, content, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
				d.Version, ts(d.Effective), string(raw), by.ID, ts(tx.now)); err != nil {
				return fmt.Errorf("keep default eval rules: %w", err)
			}
			rs = evaluate.Rules{d}
		}
		if r, err = rs.Next(r); err != nil {
			return err
		}
		raw, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO eval_rules (version, effective, content, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
			r.Version, ts(r.Effective), string(raw), by.ID, ts(tx.now)); err != nil {
			if isUnique(err) { // another version was added at the same moment
				return errors.New("考核规则刚被他人修改，请刷新后重试")
			}
			return fmt.Errorf("add eval rules: %w", err)
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "evaluate.rules", ObjectKind: "eval_rules",
			ObjectID: fmt.Sprint(r.Version), Detail: string(raw)})
	})
	return r, err
}

func chunkArgs(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// fiveNoQueries are the "五不让" lists of one office (arguments: office,
// now), each as a subquery selecting record IDs; FiveNo counts all four in
// one statement, FiveNoIDs lists one.
var fiveNoQueries = map[evaluate.Measure]string{
	evaluate.NoDelay: `SELECT id FROM sup_items WHERE office = ? AND instructor <> '' AND state IN ('registered', 'assigned', 'in_progress', 'pending_review')
		AND deadline_due > 0 AND deadline_due < ?`,
	evaluate.NoBacklog: `SELECT DISTINCT d.id FROM open_tasks o JOIN documents d ON d.id = o.instance_id
		WHERE d.organ_id = ? AND o.due_at > 0 AND o.due_at < ? AND d.status = 'active'`,
	evaluate.NoError: `SELECT d.id FROM documents d WHERE d.organ_id = ? AND d.direction = 'outgoing' AND d.status = 'active'
		AND d.step IN ('编号', '复核', '印发', '分发') AND d.updated_at <= ?
		AND EXISTS (SELECT 1 FROM doc_annotations a WHERE a.doc_id = d.id AND a.resolved = 0)`,
	evaluate.NoBrokenHandover: `SELECT h.id FROM duty_handovers h JOIN duty_rosters r ON r.id = h.roster_id
		WHERE r.unit_id = ? AND h.ack_at = 0 AND h.handed_at < ?`,
}

// FiveNo counts the four measures of an office at now in one statement,
// so the workbench pays one round trip for them.
func (c conn) FiveNo(ctx context.Context, officeID string, now time.Time) (evaluate.Live, error) {
	live := evaluate.Live{Office: officeID, Counts: map[evaluate.Measure]int{}}
	var parts []string
	var args []any
	for _, m := range evaluate.Measures() {
		parts = append(parts, `(SELECT COUNT(*) FROM (`+fiveNoQueries[m]+`) x)`)
		args = append(args, officeID, ts(now))
	}
	dest := make([]any, len(parts))
	ns := make([]int64, len(parts))
	for i := range ns {
		dest[i] = &ns[i]
	}
	if err := c.queryRow(ctx, `SELECT `+strings.Join(parts, ", "), args...).Scan(dest...); err != nil {
		return live, fmt.Errorf("五不让 of %s: %w", officeID, err)
	}
	for i, m := range evaluate.Measures() {
		live.Counts[m] = int(ns[i])
	}
	return live, nil
}

// FiveNoIDs lists the records behind one measure (at most 500).
func (c conn) FiveNoIDs(ctx context.Context, officeID string, m evaluate.Measure, now time.Time) ([]string, error) {
	q, ok := fiveNoQueries[m]
	if !ok {
		return nil, fmt.Errorf("未知的五不让指标 %q", m)
	}
	return c.queryStrings(ctx, `SELECT id FROM (`+q+`) x ORDER BY id LIMIT 500`, officeID, ts(now))
}
