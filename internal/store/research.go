package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/research"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// Research (调研): topics saved whole as JSON; their assigned units and the
// library of accepted reports are refreshed with every save, and a trip's
// leaders' schedule entries are replaced when the trip changes — all in the
// save's transaction.

// ResearchTopic returns one topic.
func (c conn) ResearchTopic(ctx context.Context, id string) (research.Topic, error) {
	return c.researchTopic(ctx, id, false)
}

func (c conn) researchTopic(ctx context.Context, id string, lock bool) (research.Topic, error) {
	q := `SELECT content FROM research_topics WHERE id = ?`
	if lock && c.d == Postgres {
		q += ` FOR UPDATE`
	}
	var raw string
	err := c.queryRow(ctx, q, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return research.Topic{}, fmt.Errorf("调研课题 %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return research.Topic{}, err
	}
	var t research.Topic
	if err := json.Unmarshal([]byte(raw), &t); err != nil {
		return t, fmt.Errorf("decode research topic %s: %w", id, err)
	}
	return t, nil
}

// ResearchFilter selects topics. Empty fields do not filter.
type ResearchFilter struct {
	OfficeID string
	// UnitIDs: topics assigned to any of these units.
	UnitIDs []string
	State   research.State
	Limit   int
}

// ResearchTopics lists topics, newest first.
func (c conn) ResearchTopics(ctx context.Context, f ResearchFilter) ([]research.Topic, error) {
	var where []string
	var args []any
	if f.OfficeID != "" {
		where, args = append(where, `office_id = ?`), append(args, f.OfficeID)
	}
	if len(f.UnitIDs) > 0 {
		where = append(where, `id IN (SELECT topic_id FROM research_topic_units WHERE unit_id IN (`+placeholders(len(f.UnitIDs))+`))`)
		for _, u := range f.UnitIDs {
			args = append(args, u)
		}
	}
	if f.State != "" {
		where, args = append(where, `state = ?`), append(args, string(f.State))
	}
	q := `SELECT content FROM research_topics`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY created_at DESC, id`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	return queryJSON[research.Topic](ctx, c, q, args...)
}

// LibraryFilter searches a library: every word of Q in the title (or, for
// research, the topic's title); Kind and UnitID when set.
type LibraryFilter struct {
	OfficeID string
	Q        string
	Kind     string
	UnitID   string
	Limit    int
}

func likeWords(q string, cols ...string) (string, []any) {
	var where []string
	var args []any
	for _, w := range strings.Fields(q) {
		w = "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(w) + "%"
		var ors []string
		for _, c := range cols {
			ors, args = append(ors, c+` LIKE ? ESCAPE '\'`), append(args, w)
		}
		where = append(where, `(`+strings.Join(ors, ` OR `)+`)`)
	}
	return strings.Join(where, ` AND `), args
}

// ResearchLibrary searches the accepted reports, newest first.
func (c conn) ResearchLibrary(ctx context.Context, f LibraryFilter) ([]research.LibraryEntry, error) {
	where := []string{`office_id = ?`}
	args := []any{f.OfficeID}
	if w, a := likeWords(f.Q, `title`, `topic_title`); w != "" {
		where, args = append(where, w), append(args, a...)
	}
	if f.UnitID != "" {
		where, args = append(where, `unit_id = ?`), append(args, f.UnitID)
	}
	q := `SELECT topic_id, report_no, title, topic_title, unit_id, accepted_at, instructed FROM research_library WHERE ` +
		strings.Join(where, ` AND `) + ` ORDER BY accepted_at DESC, topic_id, report_no`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("research library: %w", err)
	}
	defer rows.Close()
	var out []research.LibraryEntry
	for rows.Next() {
		var e research.LibraryEntry
		var at, ins int64
		if err := rows.Scan(&e.TopicID, &e.No, &e.Title, &e.TopicTitle, &e.UnitID, &at, &ins); err != nil {
			return nil, err
		}
		e.AcceptedAt, e.Instructed = fromTS(at), ins != 0
		out = append(out, e)
	}
	return out, rows.Err()
}

// putResearchTopic writes a topic with its units and library rows, and
// replaces the schedule entries of every trip that changed since old (nil
// for a new topic). prevSeq < 0 inserts.
func (tx *Tx) putResearchTopic(ctx context.Context, by org.Person, t *research.Topic, old *research.Topic) error {
	prevSeq := -1
	if old != nil {
		prevSeq = old.Seq
	}
	t.Seq = max(prevSeq, 0) + 1
	raw, err := json.Marshal(t)
	if err != nil {
		return err
	}
	if prevSeq < 0 {
		_, err = tx.exec(ctx, `INSERT INTO research_topics (id, office_id, state, title, due_at, created_at, updated_at, seq, content)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, t.ID, t.OfficeID, string(t.State), t.Title, ts(t.Due), ts(t.CreatedAt), ts(t.UpdatedAt), t.Seq, string(raw))
		if err != nil {
			return fmt.Errorf("save research topic: %w", err)
		}
	} else {
		res, err := tx.exec(ctx, `UPDATE research_topics SET state = ?, title = ?, due_at = ?, updated_at = ?, seq = ?, content = ? WHERE id = ? AND seq = ?`,
			string(t.State), t.Title, ts(t.Due), ts(t.UpdatedAt), t.Seq, string(raw), t.ID, prevSeq)
		if err != nil {
			return fmt.Errorf("save research topic: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrStale
		}
		for _, q := range []string{`DELETE FROM research_topic_units WHERE topic_id = ?`, `DELETE FROM research_library WHERE topic_id = ?`} {
			if _, err := tx.exec(ctx, q, t.ID); err != nil {
				return fmt.Errorf("save research topic: %w", err)
			}
		}
	}
	if err := tx.indexResearchTopic(ctx, t); err != nil {
		return err
	}
	for _, u := range t.Units() {
		if _, err := tx.exec(ctx, `INSERT INTO research_topic_units (topic_id, unit_id) VALUES (?, ?)`, t.ID, u); err != nil {
			return fmt.Errorf("save research topic units: %w", err)
		}
	}
	for _, e := range t.Library() {
		ins := 0
		if e.Instructed {
			ins = 1
		}
		if _, err := tx.exec(ctx, `INSERT INTO research_library (topic_id, report_no, office_id, title, topic_title, unit_id, accepted_at, instructed)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, t.ID, e.No, t.OfficeID, e.Title, e.TopicTitle, e.UnitID, ts(e.AcceptedAt), ins); err != nil {
			return fmt.Errorf("save research library: %w", err)
		}
	}
	for _, tr := range t.Trips {
		if old != nil {
			if i := slices.IndexFunc(old.Trips, func(o research.Trip) bool { return o.ID == tr.ID }); i >= 0 && old.Trips[i].Cancelled == tr.Cancelled {
				continue
			}
		}
		if _, err := tx.ReplaceScheduleEntries(ctx, by, research.ScheduleSource(tr.ID), research.ScheduleEntries(*t, tr)); err != nil {
			return fmt.Errorf("leaders' schedules: %w", err)
		}
	}
	return nil
}

// CreateResearchTopic sets a topic (立题), with its audit entry.
func (s *Store) CreateResearchTopic(ctx context.Context, by org.Person, n research.NewTopic) (research.Topic, error) {
	var t research.Topic
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		if t, err = research.Create(n, by.ID, tx.now); err != nil {
			return err
		}
		if err := tx.putResearchTopic(ctx, by, &t, nil); err != nil {
			return err
		}
		due := t.Due.In(tx.s.Calendar().Location()).Format("2006年1月2日")
		subject, body := research.AssignText(t, due)
		if err := tx.tellResearch(ctx, t, t.Assignees, "research.assign", "assign", subject, func(string) string { return body }); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "research.create", ObjectKind: "research_topic", ObjectID: t.ID,
			Detail: jsonString(map[string]any{"title": t.Title, "units": t.Units()})})
	})
	return t, err
}

// tellResearch writes a message about a topic through the one inbox (and
// the channels each person chose) to each assignee: the person named, or
// the unit's clerks (文秘), or everyone in the unit when it has none.
func (tx *Tx) tellResearch(ctx context.Context, t research.Topic, as []research.Assignee, kind, tag, subject string, body func(unit string) string) error {
	tl := newTeller(tx)
	for _, a := range as {
		people := []string{a.PersonID}
		if a.PersonID == "" {
			var err error
			if people, err = tx.assigneePeople(ctx, route.Assignee{Kind: route.Role, Role: route.RoleOfficeClerk, Unit: a.UnitID}); err != nil {
				return err
			}
			if len(people) == 0 {
				if people, err = tx.assigneePeople(ctx, route.Assignee{Kind: route.Unit, Unit: a.UnitID}); err != nil {
					return err
				}
			}
		}
		for _, pid := range people {
			key := fmt.Sprintf("research:%s:%s:%s:%d", t.ID, tag, pid, ts(tx.now))
			if err := tl.send(ctx, notify.Message{Key: key, PersonID: pid, Kind: kind, Subject: subject, Body: body(a.UnitID), Link: "/research/" + t.ID}); err != nil {
				return err
			}
		}
	}
	return nil
}

// UrgeResearch urges (催报) the units late with their report on a topic —
// past its deadline, nothing accepted nor under review, not urged in the
// last day (research.Topic.ToUrge) — through the inbox, and records when,
// in one transaction. It returns how many units were urged.
func (s *Store) UrgeResearch(ctx context.Context, by org.Person, id string) (int, error) {
	n := 0
	err := s.Write(ctx, func(tx *Tx) error {
		cur, err := tx.researchTopic(ctx, id, true)
		if err != nil {
			return err
		}
		n, err = tx.urgeResearch(ctx, by, cur, cur.ToUrge(tx.now))
		return err
	})
	return n, err
}

// urgeResearch tells the units they are late, records when (the topic's
// Urged, which ToUrge reads: a unit is urged at most once a day by hand or
// by the sweep) and audits it.
func (tx *Tx) urgeResearch(ctx context.Context, by org.Person, cur research.Topic, units []string) (int, error) {
	t, err := research.Urge(cur, units, by.ID, tx.now)
	if err != nil {
		return 0, err
	}
	var as []research.Assignee
	for _, a := range cur.Assignees {
		if slices.Contains(units, a.UnitID) {
			as = append(as, a)
		}
	}
	subject, _ := research.UrgeText(cur, "")
	err = tx.tellResearch(ctx, cur, as, "research.urge", "urge", subject, func(u string) string {
		name := u
		if x, err := tx.Unit(ctx, u); err == nil {
			name = x.Name
		}
		_, body := research.UrgeText(cur, name)
		return body
	})
	if err != nil {
		return 0, err
	}
	if err := tx.putResearchTopic(ctx, by, &t, &cur); err != nil {
		return 0, err
	}
	name := by.Name
	if by.ID == "" {
		name = "定时催报"
	}
	return len(units), tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: name, Action: "research.urge", ObjectKind: "research_topic", ObjectID: t.ID,
		Detail: jsonString(map[string]any{"units": units})})
}

// ResearchUrgeSweepName is the scheduler's cursor of the timed urging.
const ResearchUrgeSweepName = "research.urge"

// UrgeOverdueResearch is the timed urging (定时催报) of research topics:
// every open topic past its deadline urges the units still owing their
// report (research.Topic.ToUrge: none under review, not urged in the last
// day), as UrgeResearch does by hand. Run it inside the transaction that
// advances its sweep cursor (Store.Sweep), which one server at a time
// holds; each topic is locked and its Urged saved with the messages, so a
// second run — on this server or another, a minute or an hour later —
// urges no one again that day. It returns how many units were urged.
func (tx *Tx) UrgeOverdueResearch(ctx context.Context) (int, error) {
	ids, err := tx.queryStrings(ctx, `SELECT id FROM research_topics WHERE state = ? AND due_at < ? ORDER BY due_at, id`,
		string(research.Open), ts(tx.now))
	if err != nil {
		return 0, fmt.Errorf("overdue research topics: %w", err)
	}
	n := 0
	for _, id := range ids {
		cur, err := tx.researchTopic(ctx, id, true)
		if err != nil {
			return n, err
		}
		units := cur.ToUrge(tx.now)
		if len(units) == 0 {
			continue
		}
		k, err := tx.urgeResearch(ctx, org.Person{}, cur, units)
		if err != nil {
			return n, fmt.Errorf("urge research topic %s: %w", id, err)
		}
		n += k
	}
	return n, nil
}

// ResearchOp is one operation of the research package, bound to its input.
type ResearchOp func(t research.Topic) (research.Topic, error)

// ResearchAct applies op to a topic and saves it with its audit entry (and,
// for a trip, the leaders' schedules) in one transaction. The caller has
// asked access first.
func (s *Store) ResearchAct(ctx context.Context, by org.Person, id, action string, detail any, op ResearchOp) (research.Topic, error) {
	var t research.Topic
	err := s.Write(ctx, func(tx *Tx) error {
		cur, err := tx.researchTopic(ctx, id, true)
		if err != nil {
			return err
		}
		if t, err = op(cur); err != nil {
			return err
		}
		if err := tx.putResearchTopic(ctx, by, &t, &cur); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "research." + action, ObjectKind: "research_topic", ObjectID: t.ID,
			Detail: jsonString(detail)})
	})
	return t, err
}

// ResearchInstructionToSupervision turns 批示 i of report no into a
// supervision item (督办) in one action: the item is registered (and
// assigned when assign is set) from n through the one path every 批示 takes
// (Tx.CreateSupItem), its source the report; the report records the item —
// linked both ways, in one transaction.
func (s *Store) ResearchInstructionToSupervision(ctx context.Context, by org.Person, topicID string, no, i int, n supervise.NewItem, assign bool) (research.Topic, supervise.Item, error) {
	var t research.Topic
	var it supervise.Item
	err := s.Write(ctx, func(tx *Tx) error {
		cur, err := tx.researchTopic(ctx, topicID, true)
		if err != nil {
			return err
		}
		ins, err := cur.Instruction(no, i)
		if err != nil {
			return err
		}
		r, _ := cur.Report(no)
		n.Source, n.Ref = supervise.FromResearch, research.SupervisionRef(cur.ID, no)
		n.Instruction, n.Instructor = ins.Text, ins.Leader
		if strings.TrimSpace(n.Title) == "" {
			n.Title = research.SupervisionTitle(r, ins)
		}
		if it, err = tx.CreateSupItem(ctx, by, n, assign); err != nil {
			return err
		}
		if t, err = research.LinkSupervision(cur, no, i, by.ID, it.ID, tx.now); err != nil {
			return err
		}
		if err := tx.putResearchTopic(ctx, by, &t, &cur); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "research.supervise", ObjectKind: "research_topic", ObjectID: t.ID,
			Detail: jsonString(map[string]any{"report": no, "instruction": i, "sup_item": it.ID})})
	})
	return t, it, err
}

// ImportResearchTopic saves a topic built by the research rules elsewhere
// (the demo district's year, an import) as it is, with its units, library
// rows and trips' schedule entries, in one transaction with its audit entry.
func (s *Store) ImportResearchTopic(ctx context.Context, by org.Person, t research.Topic) error {
	return s.Write(ctx, func(tx *Tx) error {
		if err := tx.putResearchTopic(ctx, by, &t, nil); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "research.import", ObjectKind: "research_topic", ObjectID: t.ID,
			Detail: jsonString(map[string]any{"title": t.Title})})
	})
}
