package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// SupRules are the supervision rules with the calendar in force.
func (s *Store) SupRules() supervise.Rules { return supervise.Rules{Calendar: s.Calendar()} }

// SupSweep is the warning light and notice sweep over the years around t
// (its working-day table covers them; an instant outside reads as a day off).
// It runs in digest mode: the store sends the daily overdue reminders and the
// weekly and monthly report notices as digests (RunSupervision), so Due and
// NextAt leave them out and items wake only for their own notices.
func (s *Store) SupSweep(t time.Time) *supervise.Sweep {
	y := t.In(s.Calendar().Location()).Year()
	sw := s.SupRules().NewSweep(y-2, y+2)
	sw.Digest = true
	return sw
}

// SupOp is one supervision operation of the pure package, bound to its input.
type SupOp func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error)

// CreateSupItem registers an item (立项) and, when assign is set, hands it to
// its units (交办) in the same transaction.
func (s *Store) CreateSupItem(ctx context.Context, by org.Person, n supervise.NewItem, assign bool) (supervise.Item, error) {
	var it supervise.Item
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		it, err = tx.CreateSupItem(ctx, by, n, assign)
		return err
	})
	return it, err
}

// CreateSupItem is Store.CreateSupItem inside a transaction.
func (tx *Tx) CreateSupItem(ctx context.Context, by org.Person, n supervise.NewItem, assign bool) (supervise.Item, error) {
	actor, err := tx.Actor(ctx, by.ID, tx.now)
	if err != nil {
		return supervise.Item{}, err
	}
	if n.Source == supervise.FromInstruction {
		// A 领导批办 item names the document whose 批办 it follows; the
		// instruction and who gave it are read from that document's route.
		// (Whether the 督查员 may open the document is the caller's access
		// decision.)
		rec, in, err := tx.documentAndRoute(ctx, strings.TrimSpace(n.Ref))
		if errors.Is(err, ErrNotFound) {
			return supervise.Item{}, &supervise.Refusal{Msg: "所引来文不存在"}
		}
		if err != nil {
			return supervise.Item{}, err
		}
		ins, found := document.InstructionOf(in)
		if n, err = supervise.WithInstruction(n, rec.Doc, ins, found); err != nil {
			return supervise.Item{}, err
		}
		n.Ref = rec.ID
	}
	rules := tx.s.SupRules()
	it, evs, err := rules.Create(n, actor, tx.now)
	if err != nil {
		return supervise.Item{}, err
	}
	if assign {
		var more []supervise.Event
		if it, more, err = rules.Assign(it, actor, tx.now); err != nil {
			return supervise.Item{}, err
		}
		evs = append(evs, more...)
	}
	if err := tx.numberSupItem(ctx, &it); err != nil {
		return supervise.Item{}, err
	}
	sw := tx.s.SupSweep(tx.now)
	if err := tx.putSupItem(ctx, &it, sw, true, time.Time{}); err != nil {
		return supervise.Item{}, err
	}
	if err := tx.tellSup(ctx, &it, evs); err != nil {
		return supervise.Item{}, err
	}
	return it, tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "supervise.create", ObjectKind: "supervision_item",
		ObjectID: it.ID, Detail: jsonString(map[string]any{"source": it.Source, "ref": it.Ref, "title": it.Title, "assigned": assign})})
}

// numberSupItem gives a registered item its 督办编号 from its 督查室's
// counter for the year of registration. It runs only once the rules have
// accepted the registration, inside its transaction, so a refusal or a
// rollback takes no number and the sequence has no gaps.
func (tx *Tx) numberSupItem(ctx context.Context, it *supervise.Item) error {
	if !it.Number.IsZero() {
		return nil
	}
	at := it.CreatedAt
	if at.IsZero() {
		at = tx.now
	}
	year := supervise.NumberYear(at, tx.s.Calendar().Location())
	seq, err := tx.nextNumber(ctx, supervise.NumberScope(it.Office), year)
	if err != nil {
		return err
	}
	it.Number = supervise.Number{Year: year, Seq: seq}
	return nil
}

// SupAct applies one operation to an item with its audit entry, in one
// transaction. action names it in the audit trail (e.g. "sign_for").
func (s *Store) SupAct(ctx context.Context, by org.Person, id, action string, detail any, op SupOp) (supervise.Item, error) {
	var it supervise.Item
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		it, err = tx.SupAct(ctx, by, id, action, detail, op)
		return err
	})
	return it, err
}

// SupCheck decides an operation on the item as it stands, writing nothing:
// the web asks it before storing a report's files, so that a refused
// report leaves no file behind. (An item changed between the check and
// SupAct may still refuse then; `shuniu gc` finds such a file.)
func (s *Store) SupCheck(ctx context.Context, by org.Person, id string, op SupOp) error {
	cur, err := s.SupItem(ctx, id)
	if err != nil {
		return err
	}
	now := s.Now()
	actor, err := s.Actor(ctx, by.ID, now)
	if err != nil {
		return err
	}
	_, _, err = op(s.SupRules(), cur, actor, now)
	return err
}

// SupAct is Store.SupAct inside a transaction.
func (tx *Tx) SupAct(ctx context.Context, by org.Person, id, action string, detail any, op SupOp) (supervise.Item, error) {
	cur, next, err := tx.supItemForUpdate(ctx, id)
	if err != nil {
		return supervise.Item{}, err
	}
	actor, err := tx.Actor(ctx, by.ID, tx.now)
	if err != nil {
		return supervise.Item{}, err
	}
	it, evs, err := op(tx.s.SupRules(), cur, actor, tx.now)
	if err != nil {
		return supervise.Item{}, err
	}
	sw := tx.s.SupSweep(tx.now)
	if err := tx.putSupItem(ctx, &it, sw, false, next); err != nil {
		return supervise.Item{}, err
	}
	if err := tx.tellSup(ctx, &it, evs); err != nil {
		return supervise.Item{}, err
	}
	return it, tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "supervise." + action, ObjectKind: "supervision_item",
		ObjectID: id, Detail: jsonString(detail)})
}

// supRecords are the item's records the statistics count by date.
type supRecords struct {
	Extensions []supervise.Extension `json:"e,omitempty"`
	Urgings    []supervise.Urging    `json:"u,omitempty"`
	Rounds     []supervise.Round     `json:"r,omitempty"`
}

// putSupItem writes the item and its columns. oldNext is the stored
// next_notice_at before this operation (see supervise.NextAtAfterOperation).
func (tx *Tx) putSupItem(ctx context.Context, it *supervise.Item, sw *supervise.Sweep, insert bool, oldNext time.Time) error {
	content, err := json.Marshal(it)
	if err != nil {
		return err
	}
	next := sw.NextAtAfterOperation(oldNext, it, tx.now)
	f := supervise.FactsOf(it, 0)
	var recs string
	if len(f.Extensions)+len(f.Urgings)+len(f.Rounds) > 0 {
		b, err := json.Marshal(supRecords{Extensions: f.Extensions, Urgings: f.Urgings, Rounds: f.Rounds})
		if err != nil {
			return err
		}
		recs = string(b)
	}
	var rev int64
	if err := tx.queryRow(ctx, `UPDATE sup_rev SET last = last + 1 WHERE id = 1 RETURNING last`).Scan(&rev); err != nil {
		return fmt.Errorf("next revision: %w", err)
	}
	light := string(sw.ColorAt(it, tx.now))
	args := []any{it.Source, it.State, light, it.Office, it.LeadUnit(), it.Title, it.Ref, ts(tx.now), ts(it.Deadline.Due), nsToTS(f.First),
		nsToTS(f.ClosedAt), nsToTS(f.AcceptedAt), nsToTS(f.LastSubmitAt), nsToTS(f.LastReviewAt), recs, ts(next), ts(sw.ReportYellowAt(it, tx.now)), rev,
		it.Number.String(), it.Instructor, it.ID}
	if insert {
		_, err = tx.exec(ctx, `INSERT INTO sup_items (source, state, light, office, lead_unit, title, ref, updated_at, deadline_due, first_assigned_at,
			closed_at, accepted_at, last_submit_at, last_review_at, records, next_notice_at, report_yellow_at, rev, number, instructor, id, created_at, units_fresh)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, append(args, ts(it.CreatedAt))...)
		if isUnique(err) {
			return fmt.Errorf("督办事项 %s 已存在: %w", it.ID, ErrConflict)
		}
		if err == nil {
			_, err = tx.exec(ctx, `INSERT INTO sup_item_content (id, content) VALUES (?, ?)`, it.ID, string(content))
		}
	} else {
		_, err = tx.exec(ctx, `UPDATE sup_items SET source = ?, state = ?, light = ?, office = ?, lead_unit = ?, title = ?, ref = ?, updated_at = ?,
			deadline_due = ?, first_assigned_at = ?, closed_at = ?, accepted_at = ?, last_submit_at = ?, last_review_at = ?, records = ?,
			next_notice_at = ?, report_yellow_at = ?, rev = ?, number = ?, instructor = ?, units_fresh = 1 WHERE id = ?`, args...)
		if err == nil {
			_, err = tx.exec(ctx, `UPDATE sup_item_content SET content = ? WHERE id = ?`, string(content), it.ID)
		}
	}
	if err != nil {
		return fmt.Errorf("save supervision item: %w", err)
	}
	if err := tx.indexSupItem(ctx, it); err != nil {
		return err
	}
	return tx.putSupUnits(ctx, it, insert)
}

// nsToTS turns the statistics' Unix nanoseconds into the stored microseconds.
func nsToTS(ns int64) int64 { return ns / 1000 }

// tsToNS turns stored microseconds into Unix nanoseconds.
func tsToNS(us int64) int64 { return us * 1000 }

// SupItem returns one item.
func (c conn) SupItem(ctx context.Context, id string) (supervise.Item, error) {
	var raw string
	var it supervise.Item
	err := c.queryRow(ctx, `SELECT content FROM sup_item_content WHERE id = ?`, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return it, fmt.Errorf("督办事项 %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return it, err
	}
	if err := json.Unmarshal([]byte(raw), &it); err != nil {
		return it, fmt.Errorf("decode supervision item %s: %w", id, err)
	}
	return it, nil
}

// supItemForUpdate reads an item to change it (locking its row on
// PostgreSQL, so two servers cannot apply operations to one item at once)
// and its stored next_notice_at.
func (tx *Tx) supItemForUpdate(ctx context.Context, id string) (supervise.Item, time.Time, error) {
	lock := ""
	if tx.d == Postgres {
		lock = " FOR UPDATE"
	}
	var raw string
	var next int64
	var it supervise.Item
	err := tx.queryRow(ctx, `SELECT c.content, i.next_notice_at FROM sup_items i JOIN sup_item_content c ON c.id = i.id WHERE i.id = ?`+lock, id).Scan(&raw, &next)
	if errors.Is(err, sql.ErrNoRows) {
		return it, time.Time{}, fmt.Errorf("督办事项 %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return it, time.Time{}, err
	}
	if err := json.Unmarshal([]byte(raw), &it); err != nil {
		return it, time.Time{}, fmt.Errorf("decode supervision item %s: %w", id, err)
	}
	return it, fromTS(next), nil
}

// SupSummary is an item as lists show it, from its columns.
type SupSummary struct {
	ID        string           `json:"id"`
	Number    string           `json:"number,omitempty"` // 督办编号
	Source    supervise.Source `json:"source"`
	State     supervise.State  `json:"state"`
	Light     supervise.Color  `json:"light"` // as shown (supervise.ShownColor) at the filter's Now
	Office    string           `json:"office"`
	LeadUnit  string           `json:"lead_unit"`
	Title     string           `json:"title"`
	Ref       string           `json:"ref,omitempty"`
	Due       time.Time        `json:"due,omitzero"`
	CreatedAt time.Time        `json:"created_at"`
	UpdatedAt time.Time        `json:"updated_at"`
	ClosedAt  time.Time        `json:"closed_at,omitzero"`
}

// SupFilter selects items for a list. Empty fields select all.
type SupFilter struct {
	State    supervise.State
	Open     bool // not closed
	Light    supervise.Color
	Source   supervise.Source
	LeadUnit string
	Units    []string // items on which any of these units is lead or co-unit
	// Instructor adds (OR) to Units the items this leader instructed.
	Instructor string
	Office     string
	Ref        string
	IDs        []string
	Query      string // in the title or the 督办编号
	// AnyState and AnyLight, when either is set, select the items in one of
	// the states or showing one of the lights (a workbench's 督办 待办).
	AnyState []supervise.State
	AnyLight []supervise.Color
	// ActiveFrom and ActiveTo select the items handled in [from, to): first
	// assigned before to and not closed before from, or registered before to
	// and not yet assigned (the 督办通报's items).
	ActiveFrom, ActiveTo time.Time
	// Now is the moment the lights are shown for (zero: the store's clock):
	// a stored green light shows yellow once a missed report's time has come.
	Now    time.Time
	Limit  int
	Offset int
}

func (f SupFilter) now() int64 { return ts(f.Now) }

// supShownLight is the light shown, in SQL (one argument: now).
const supShownLight = `CASE WHEN light = 'green' AND report_yellow_at > 0 AND report_yellow_at <= ? THEN 'yellow' ELSE light END`

func (f SupFilter) where() (string, []any) {
	var w []string
	var args []any
	add := func(cond string, a ...any) { w = append(w, cond); args = append(args, a...) }
	if f.State != "" {
		add(`state = ?`, string(f.State))
	}
	if f.Open {
		add(`state <> ?`, string(supervise.Closed))
	}
	switch f.Light {
	case "":
	case supervise.Yellow:
		add(`(light = ? OR (light = ? AND report_yellow_at > 0 AND report_yellow_at <= ?))`, string(supervise.Yellow), string(supervise.Green), f.now())
	case supervise.Green:
		add(`light = ? AND (report_yellow_at = 0 OR report_yellow_at > ?)`, string(supervise.Green), f.now())
	default:
		add(`light = ?`, string(f.Light))
	}
	if f.Source != "" {
		add(`source = ?`, string(f.Source))
	}
	if f.LeadUnit != "" {
		add(`lead_unit = ?`, f.LeadUnit)
	}
	if f.Office != "" {
		add(`office = ?`, f.Office)
	}
	if f.Ref != "" {
		add(`ref = ?`, f.Ref)
	}
	if f.Query != "" {
		q := "%" + escapeLike(f.Query) + "%"
		add(`(title LIKE ? ESCAPE '\' OR number LIKE ? ESCAPE '\')`, q, q)
	}
	if len(f.AnyState)+len(f.AnyLight) > 0 {
		ors := []string{"1 = 0"}
		var a []any
		if len(f.AnyState) > 0 {
			ors = append(ors, `state IN (`+placeholders(len(f.AnyState))+`)`)
			for _, st := range f.AnyState {
				a = append(a, string(st))
			}
		}
		if len(f.AnyLight) > 0 {
			ors = append(ors, `(`+supShownLight+`) IN (`+placeholders(len(f.AnyLight))+`)`)
			a = append(a, f.now())
			for _, c := range f.AnyLight {
				a = append(a, string(c))
			}
		}
		add(`(`+strings.Join(ors, " OR ")+`)`, a...)
	}
	switch {
	case len(f.Units) > 0:
		a := make([]any, len(f.Units))
		for i, u := range f.Units {
			a[i] = u
		}
		cond := `id IN (SELECT item_id FROM sup_units WHERE unit_id IN (` + placeholders(len(a)) + `))`
		if f.Instructor != "" {
			cond = `(` + cond + ` OR instructor = ?)`
			a = append(a, f.Instructor)
		}
		add(cond, a...)
	case f.Instructor != "":
		add(`instructor = ?`, f.Instructor)
	}
	if !f.ActiveTo.IsZero() {
		add(`((first_assigned_at > 0 AND first_assigned_at < ? AND (closed_at = 0 OR closed_at >= ?)) OR (state = ? AND created_at < ?))`,
			ts(f.ActiveTo), ts(f.ActiveFrom), string(supervise.Registered), ts(f.ActiveTo))
	}
	if len(f.IDs) > 0 {
		a := make([]any, len(f.IDs))
		for i, u := range f.IDs {
			a[i] = u
		}
		add(`id IN (`+placeholders(len(a))+`)`, a...)
	}
	if len(w) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(w, " AND "), args
}

// SupItems lists items, most recently changed first, their lights shown at
// f.Now or the store's clock.
func (s *Store) SupItems(ctx context.Context, f SupFilter) ([]SupSummary, error) {
	return s.conn.supItems(ctx, f.at(s.now()))
}

// SupItems is Store.SupItems inside a transaction (lights at its time).
func (tx *Tx) SupItems(ctx context.Context, f SupFilter) ([]SupSummary, error) {
	return tx.conn.supItems(ctx, f.at(tx.now))
}

// CountSupItems counts the items a filter selects (Limit and Offset ignored).
func (s *Store) CountSupItems(ctx context.Context, f SupFilter) (int, error) {
	return s.conn.countSupItems(ctx, f.at(s.now()))
}

// SupTally counts open items by state and light (closed items by state).
func (s *Store) SupTally(ctx context.Context, f SupFilter) (map[supervise.State]int, map[supervise.Color]int, error) {
	return s.conn.supTally(ctx, f.at(s.now()))
}

// SupItemsForDocument lists the items made from a document's 批办.
func (s *Store) SupItemsForDocument(ctx context.Context, docID string) ([]SupSummary, error) {
	return s.SupItems(ctx, SupFilter{Source: supervise.FromInstruction, Ref: docID})
}

// at sets the moment the lights are shown for, unless given.
func (f SupFilter) at(now time.Time) SupFilter {
	if f.Now.IsZero() {
		f.Now = now
	}
	return f
}

func (c conn) supItems(ctx context.Context, f SupFilter) ([]SupSummary, error) {
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	where, args := f.where()
	rows, err := c.query(ctx, `SELECT id, number, source, state, `+supShownLight+`, office, lead_unit, title, ref, deadline_due, created_at, updated_at, closed_at FROM sup_items`+
		where+fmt.Sprintf(` ORDER BY updated_at DESC, id LIMIT %d OFFSET %d`, limit, max(f.Offset, 0)), append([]any{f.now()}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("list supervision items: %w", err)
	}
	defer rows.Close()
	var out []SupSummary
	for rows.Next() {
		var s SupSummary
		var src, state, light string
		var due, created, updated, closed int64
		if err := rows.Scan(&s.ID, &s.Number, &src, &state, &light, &s.Office, &s.LeadUnit, &s.Title, &s.Ref, &due, &created, &updated, &closed); err != nil {
			return nil, err
		}
		s.Source, s.State, s.Light = supervise.Source(src), supervise.State(state), supervise.Color(light)
		s.Due, s.CreatedAt, s.UpdatedAt, s.ClosedAt = fromTS(due), fromTS(created), fromTS(updated), fromTS(closed)
		out = append(out, s)
	}
	return out, rows.Err()
}

func (c conn) countSupItems(ctx context.Context, f SupFilter) (int, error) {
	where, args := f.where()
	var n int
	err := c.queryRow(ctx, `SELECT COUNT(*) FROM sup_items`+where, args...).Scan(&n)
	return n, err
}

func (c conn) supTally(ctx context.Context, f SupFilter) (map[supervise.State]int, map[supervise.Color]int, error) {
	where, args := f.where()
	rows, err := c.query(ctx, `SELECT state, `+supShownLight+` AS shown, COUNT(*) FROM sup_items`+where+` GROUP BY state, shown`, append([]any{f.now()}, args...)...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	states, lights := map[supervise.State]int{}, map[supervise.Color]int{}
	for rows.Next() {
		var st, li string
		var n int
		if err := rows.Scan(&st, &li, &n); err != nil {
			return nil, nil, err
		}
		states[supervise.State(st)] += n
		if supervise.State(st) != supervise.Closed {
			lights[supervise.Color(li)] += n
		}
	}
	return states, lights, rows.Err()
}

// SupItemsFull loads whole items (for click-through and the 督办通报).
func (c conn) SupItemsFull(ctx context.Context, f SupFilter) ([]supervise.Item, error) {
	where, args := f.where()
	q := `SELECT (SELECT content FROM sup_item_content c WHERE c.id = sup_items.id) FROM sup_items` + where + ` ORDER BY id`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []supervise.Item
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		var it supervise.Item
		if err := json.Unmarshal([]byte(raw), &it); err != nil {
			return nil, fmt.Errorf("decode supervision item: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// InsertSupItem stores an item built elsewhere through the pure operations
// (the demo's year of items, played with a moving clock), with an audit
// entry naming who seeded it. Its notices count from the transaction's time
// on: nothing before it fires.
func (tx *Tx) InsertSupItem(ctx context.Context, by org.Person, it supervise.Item) error {
	if err := tx.numberSupItem(ctx, &it); err != nil {
		return err
	}
	if err := tx.putSupItem(ctx, &it, tx.s.SupSweep(tx.now), true, time.Time{}); err != nil {
		return err
	}
	return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "supervise.seed", ObjectKind: "supervision_item",
		ObjectID: it.ID, Detail: jsonString(map[string]any{"source": it.Source, "title": it.Title, "state": it.State})})
}

// SupervisionFacts is the item as its read rule (access.SupervisionObject)
// sees it; search keeps them beside the item's entry.
func SupervisionFacts(it *supervise.Item) access.SupervisionItem {
	f := access.SupervisionItem{ID: it.ID, Office: it.Office, LeadUnit: it.LeadUnit()}
	add := func(id string) {
		if id != "" && !slices.Contains(f.People, id) {
			f.People = append(f.People, id)
		}
	}
	add(it.Registrar)
	add(it.Instructor)
	for _, u := range it.Units {
		f.Units = append(f.Units, u.UnitID)
		add(u.Responsible)
		add(u.SignedBy)
	}
	for _, e := range it.History {
		add(e.Actor)
	}
	return f
}
