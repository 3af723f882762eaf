package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/inforeport"
	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// ---- reports ----

// InfoReport returns one information report.
func (c conn) InfoReport(ctx context.Context, id string) (inforeport.Report, error) {
	return c.infoReport(ctx, id, false)
}

func (c conn) infoReport(ctx context.Context, id string, lock bool) (inforeport.Report, error) {
	q := `SELECT content FROM info_reports WHERE id = ?`
	if lock && c.d == Postgres {
		q += ` FOR UPDATE`
	}
	var raw string
	err := c.queryRow(ctx, q, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return inforeport.Report{}, fmt.Errorf("信息 %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return inforeport.Report{}, err
	}
	var r inforeport.Report
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return r, fmt.Errorf("decode info report %s: %w", id, err)
	}
	return r, nil
}

// InfoFilter selects reports. Empty fields do not filter.
type InfoFilter struct {
	OfficeID       string
	UnitID         string
	States         []inforeport.State
	SolicitationID string
	// MaxLevel: only reports at or below this 密级 (the viewer's clearance).
	MaxLevel *org.Classification
	From, To time.Time // submitted in [From, To)
	Limit    int
}

func infoWhere(f InfoFilter) (string, []any) {
	var where []string
	var args []any
	if f.OfficeID != "" {
		where, args = append(where, `office_id = ?`), append(args, f.OfficeID)
	}
	if f.UnitID != "" {
		where, args = append(where, `unit_id = ?`), append(args, f.UnitID)
	}
	if len(f.States) > 0 {
		where = append(where, `state IN (`+placeholders(len(f.States))+`)`)
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	if f.SolicitationID != "" {
		where, args = append(where, `solicitation_id = ?`), append(args, f.SolicitationID)
	}
	if f.MaxLevel != nil {
		where, args = append(where, `level <= ?`), append(args, int(*f.MaxLevel))
	}
	if !f.From.IsZero() {
		where, args = append(where, `submitted_at >= ?`), append(args, ts(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, `submitted_at < ?`), append(args, ts(f.To))
	}
	if len(where) == 0 {
		return "", nil
	}
	return ` WHERE ` + strings.Join(where, ` AND `), args
}

// InfoReports lists reports, newest first.
func (c conn) InfoReports(ctx context.Context, f InfoFilter) ([]inforeport.Report, error) {
	where, args := infoWhere(f)
	q := `SELECT content FROM info_reports` + where + ` ORDER BY submitted_at DESC, id`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	return queryJSON[inforeport.Report](ctx, c, q, args...)
}

// putInfoReport writes a report; prevSeq < 0 inserts, otherwise the row
// must still be at prevSeq (ErrStale if another save came first).
func (tx *Tx) putInfoReport(ctx context.Context, r *inforeport.Report, prevSeq int) error {
	r.Seq = max(prevSeq, 0) + 1
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if prevSeq < 0 {
		_, err = tx.exec(ctx, `INSERT INTO info_reports (id, office_id, unit_id, person_id, state, level, category, title, solicitation_id,
			top_level, submitted_at, updated_at, seq, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.OfficeID, r.UnitID, r.PersonID, string(r.State), int(r.Level), string(r.Category), r.Title, r.SolicitationID,
			string(r.TopLevel()), ts(r.SubmittedAt), ts(r.UpdatedAt), r.Seq, string(raw))
		if err != nil {
			return fmt.Errorf("save info report: %w", err)
		}
		return tx.indexInfoReport(ctx, r)
	}
	res, err := tx.exec(ctx, `UPDATE info_reports SET state = ?, level = ?, category = ?, title = ?, top_level = ?, updated_at = ?, seq = ?, content = ?
		WHERE id = ? AND seq = ?`, string(r.State), int(r.Level), string(r.Category), r.Title, string(r.TopLevel()), ts(r.UpdatedAt), r.Seq, string(raw), r.ID, prevSeq)
	if err != nil {
		return fmt.Errorf("save info report: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrStale
	}
	return tx.indexInfoReport(ctx, r)
}

// SubmitInfoReport is a unit submitting a report (报送) to an office, in one
// transaction with its audit entry.
func (s *Store) SubmitInfoReport(ctx context.Context, by org.Person, id, office, unit string, d inforeport.Draft) (inforeport.Report, error) {
	var r inforeport.Report
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		r, err = tx.SubmitInfoReport(ctx, by, id, office, unit, d)
		return err
	})
	return r, err
}

// SubmitInfoReport is Store.SubmitInfoReport inside a transaction.
func (tx *Tx) SubmitInfoReport(ctx context.Context, by org.Person, id, office, unit string, d inforeport.Draft) (inforeport.Report, error) {
	var sol *inforeport.Solicitation
	if d.SolicitationID != "" {
		x, err := tx.InfoSolicitation(ctx, d.SolicitationID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return inforeport.Report{}, err
		}
		if err == nil {
			sol = &x
		}
	}
	r, err := inforeport.Submit(id, office, unit, by.ID, d, sol, tx.now)
	if err != nil {
		return r, err
	}
	if err := tx.putInfoReport(ctx, &r, -1); err != nil {
		return r, err
	}
	return r, tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "info.submit", ObjectKind: "info_report", ObjectID: r.ID,
		Detail: jsonString(map[string]any{"unit": r.UnitID, "office": r.OfficeID, "title": r.Title, "solicitation": r.SolicitationID})})
}

// InfoOp is one operation of the pure package on a report as it stands.
type InfoOp func(r inforeport.Report, now time.Time) (inforeport.Report, error)

// InfoAct applies an operation to a report with its audit entry, in one
// transaction, and tells the submitting unit's person of a decision.
func (s *Store) InfoAct(ctx context.Context, by org.Person, id, action string, detail any, op InfoOp) (inforeport.Report, error) {
	var r inforeport.Report
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		r, err = tx.InfoAct(ctx, by, id, action, detail, op)
		return err
	})
	return r, err
}

// InfoAct is Store.InfoAct inside a transaction.
func (tx *Tx) InfoAct(ctx context.Context, by org.Person, id, action string, detail any, op InfoOp) (inforeport.Report, error) {
	cur, err := tx.infoReport(ctx, id, true)
	if err != nil {
		return cur, err
	}
	r, err := op(cur, tx.now)
	if err != nil {
		return cur, err
	}
	if err := tx.putInfoReport(ctx, &r, cur.Seq); err != nil {
		return r, err
	}
	if cur.State != r.State {
		if err := tx.tellInfoDecision(ctx, r); err != nil {
			return r, err
		}
	}
	return r, tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "info." + action, ObjectKind: "info_report", ObjectID: r.ID, Detail: jsonString(detail)})
}

// tellInfoDecision tells the people credited with a report that it was
// adopted, declined or returned, through the one inbox.
func (tx *Tx) tellInfoDecision(ctx context.Context, r inforeport.Report) error {
	var subject string
	switch r.State {
	case inforeport.Adopted:
		subject = "信息已采用：" + r.Title
	case inforeport.Declined:
		subject = "信息未采用：" + r.Title
	case inforeport.Returned:
		subject = "信息被退回：" + r.Title
	default:
		return nil
	}
	body := subject
	if r.Reason != "" {
		body += "。理由：" + r.Reason
	}
	t := newTeller(tx)
	for _, c := range r.Sources {
		key := fmt.Sprintf("info:%s:%d:%s", r.ID, r.Seq, c.PersonID)
		if err := t.send(ctx, notify.Message{Key: key, PersonID: c.PersonID, Kind: "info." + string(r.State), Subject: subject, Body: body,
			Link: "/info/" + c.ReportID}); err != nil {
			return err
		}
	}
	return nil
}

// MergeInfoReports merges open reports into a new item (合稿), every
// source keeping its credit, in one transaction.
func (s *Store) MergeInfoReports(ctx context.Context, by org.Person, id string, ids []string, title, body string, cat inforeport.Category) (inforeport.Report, error) {
	var item inforeport.Report
	err := s.Write(ctx, func(tx *Tx) error {
		srcs := make([]inforeport.Report, 0, len(ids))
		prev := map[string]int{}
		for _, sid := range ids {
			r, err := tx.infoReport(ctx, sid, true)
			if errors.Is(err, ErrNotFound) {
				return &inforeport.Refusal{Msg: "所选信息不存在"}
			}
			if err != nil {
				return err
			}
			srcs, prev[r.ID] = append(srcs, r), r.Seq
		}
		var out []inforeport.Report
		var err error
		item, out, err = inforeport.Merge(id, by.ID, title, body, cat, srcs, tx.now)
		if err != nil {
			return err
		}
		for i := range out {
			if err := tx.putInfoReport(ctx, &out[i], prev[out[i].ID]); err != nil {
				return err
			}
		}
		if err := tx.putInfoReport(ctx, &item, -1); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "info.merge", ObjectKind: "info_report", ObjectID: item.ID,
			Detail: jsonString(map[string]any{"from": item.MergedFrom, "title": item.Title})})
	})
	return item, err
}

// InstructionToSupervision turns 批示 i on a report into a supervision item
// (督办) in one action: the item is registered (and assigned when assign is
// set) from n, its source the report, and the report records the item —
// linked both ways, in one transaction.
func (s *Store) InstructionToSupervision(ctx context.Context, by org.Person, reportID string, i int, n supervise.NewItem, assign bool) (inforeport.Report, supervise.Item, error) {
	var r inforeport.Report
	var it supervise.Item
	err := s.Write(ctx, func(tx *Tx) error {
		cur, err := tx.infoReport(ctx, reportID, true)
		if err != nil {
			return err
		}
		if i < 0 || i >= len(cur.Instructions) {
			return &inforeport.Refusal{Msg: "没有这条批示"}
		}
		if cur.Instructions[i].SupItemID != "" {
			return &inforeport.Refusal{Msg: "这条批示已转为督办事项"}
		}
		if cur.Level > org.Unclassified {
			return &inforeport.Refusal{Msg: "涉密信息的批示不能转为督办事项（督办事项按非密事项管理），请按保密规定另行督办"}
		}
		ins := cur.Instructions[i]
		n.Source, n.Ref = supervise.FromInfo, cur.ID
		n.Instruction, n.Instructor = ins.Text, ins.Leader
		if strings.TrimSpace(n.Title) == "" {
			n.Title = inforeport.SupervisionTitle(cur, ins)
		}
		if it, err = tx.CreateSupItem(ctx, by, n, assign); err != nil {
			return err
		}
		if r, err = inforeport.LinkSupervision(cur, i, by.ID, it.ID, tx.now); err != nil {
			return err
		}
		if err := tx.putInfoReport(ctx, &r, cur.Seq); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "info.supervise", ObjectKind: "info_report", ObjectID: r.ID,
			Detail: jsonString(map[string]any{"instruction": i, "sup_item": it.ID})})
	})
	return r, it, err
}

// ---- solicitations (约稿) ----

// InfoSolicitation returns one 约稿.
func (c conn) InfoSolicitation(ctx context.Context, id string) (inforeport.Solicitation, error) {
	var raw string
	err := c.queryRow(ctx, `SELECT content FROM info_solicitations WHERE id = ?`, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return inforeport.Solicitation{}, fmt.Errorf("约稿 %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return inforeport.Solicitation{}, err
	}
	var s inforeport.Solicitation
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return s, fmt.Errorf("decode solicitation %s: %w", id, err)
	}
	return s, nil
}

// InfoSolicitations lists an office's 约稿 (every office's when officeID is
// ""), or, when unitID is set, those asking that unit; latest date first.
func (c conn) InfoSolicitations(ctx context.Context, officeID, unitID string, openOnly bool) ([]inforeport.Solicitation, error) {
	q, args := `SELECT s.content FROM info_solicitations s`, []any{}
	var where []string
	if unitID != "" {
		where, args = append(where, `s.id IN (SELECT solicitation_id FROM info_solicitation_units WHERE unit_id = ?)`), append(args, unitID)
	}
	if officeID != "" {
		where, args = append(where, `s.office_id = ?`), append(args, officeID)
	}
	if openOnly {
		where = append(where, `s.closed = 0`)
	}
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	return queryJSON[inforeport.Solicitation](ctx, c, q+` ORDER BY s.due_at DESC, s.id`, args...)
}

// InfoTodo lists the open 约稿 a unit has not yet answered (its 待办).
func (c conn) InfoTodo(ctx context.Context, unitID string) ([]inforeport.Solicitation, error) {
	return queryJSON[inforeport.Solicitation](ctx, c, `SELECT s.content FROM info_solicitations s
		JOIN info_solicitation_units u ON u.solicitation_id = s.id AND u.unit_id = ?
		WHERE s.closed = 0 AND NOT EXISTS (SELECT 1 FROM info_reports r WHERE r.solicitation_id = s.id AND r.unit_id = ?)
		ORDER BY s.due_at, s.id`, unitID, unitID)
}

func (tx *Tx) putInfoSolicitation(ctx context.Context, s inforeport.Solicitation, insert bool) error {
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if !insert {
		_, err = tx.exec(ctx, `UPDATE info_solicitations SET due_at = ?, closed = ?, content = ? WHERE id = ?`, ts(s.Due), b2i(s.Closed), string(raw), s.ID)
		if err != nil {
			return fmt.Errorf("save solicitation: %w", err)
		}
		return nil
	}
	if _, err = tx.exec(ctx, `INSERT INTO info_solicitations (id, office_id, due_at, closed, created_at, content) VALUES (?, ?, ?, ?, ?, ?)`,
		s.ID, s.OfficeID, ts(s.Due), b2i(s.Closed), ts(s.CreatedAt), string(raw)); err != nil {
		return fmt.Errorf("save solicitation: %w", err)
	}
	for _, u := range s.Units {
		if _, err := tx.exec(ctx, `INSERT INTO info_solicitation_units (solicitation_id, unit_id) VALUES (?, ?)`, s.ID, u); err != nil {
			return fmt.Errorf("save solicitation unit: %w", err)
		}
	}
	return nil
}

// CreateInfoSolicitation records a 约稿 and tells the units asked, in one
// transaction.
func (s *Store) CreateInfoSolicitation(ctx context.Context, by org.Person, sol inforeport.Solicitation) error {
	return s.Write(ctx, func(tx *Tx) error { return tx.CreateInfoSolicitation(ctx, by, sol) })
}

// CreateInfoSolicitation is Store.CreateInfoSolicitation inside a transaction.
func (tx *Tx) CreateInfoSolicitation(ctx context.Context, by org.Person, sol inforeport.Solicitation) error {
	for _, u := range sol.Units {
		if _, err := tx.Unit(ctx, u); err != nil {
			if errors.Is(err, ErrNotFound) {
				return &inforeport.Refusal{Msg: "所选约稿单位不存在"}
			}
			return err
		}
	}
	if err := tx.putInfoSolicitation(ctx, sol, true); err != nil {
		return err
	}
	subject := "约稿：" + sol.Topic
	body := fmt.Sprintf("办公室约稿“%s”，请于%s前报送。%s", sol.Topic, sol.Due.In(tx.s.Calendar().Location()).Format("2006年1月2日 15:04"), sol.Detail)
	if err := tx.tellInfoUnits(ctx, sol, sol.Units, "info.solicit", "created", subject, func(string) string { return body }); err != nil {
		return err
	}
	return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "info.solicit", ObjectKind: "info_solicitation", ObjectID: sol.ID,
		Detail: jsonString(map[string]any{"topic": sol.Topic, "due": sol.Due, "units": sol.Units})})
}

// tellInfoUnits writes a message about a 约稿 to each unit's clerks (文秘),
// or to everyone in the unit when it has none.
func (tx *Tx) tellInfoUnits(ctx context.Context, sol inforeport.Solicitation, units []string, kind, tag, subject string, body func(unit string) string) error {
	t := newTeller(tx)
	for _, u := range units {
		people, err := tx.assigneePeople(ctx, route.Assignee{Kind: route.Role, Role: route.RoleOfficeClerk, Unit: u})
		if err != nil {
			return err
		}
		if len(people) == 0 {
			if people, err = tx.assigneePeople(ctx, route.Assignee{Kind: route.Unit, Unit: u}); err != nil {
				return err
			}
		}
		for _, pid := range people {
			key := fmt.Sprintf("info-sol:%s:%s:%s:%d", sol.ID, tag, pid, ts(tx.now))
			if err := t.send(ctx, notify.Message{Key: key, PersonID: pid, Kind: kind, Subject: subject, Body: body(u), Link: "/info/solicitations/" + sol.ID}); err != nil {
				return err
			}
		}
	}
	return nil
}

// UrgeInfoSolicitations urges (催报) every unit late on an open 约稿 at
// most once a day, and records when; the scheduler's sweep and the
// office's 催报 button both call it. It returns how many units were urged.
func (s *Store) UrgeInfoSolicitations(ctx context.Context, by org.Person, officeID string) (int, error) {
	n := 0
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		n, err = tx.UrgeInfoSolicitations(ctx, by, officeID)
		return err
	})
	return n, err
}

// UrgeInfoSolicitations is Store.UrgeInfoSolicitations inside a transaction
// (every office's 约稿 when officeID is ""; by is empty for the scheduler).
func (tx *Tx) UrgeInfoSolicitations(ctx context.Context, by org.Person, officeID string) (int, error) {
	n := 0
	sols, err := tx.InfoSolicitations(ctx, officeID, "", true)
	if err != nil {
		return 0, err
	}
	for _, sol := range sols {
		if !tx.now.After(sol.Due) {
			continue
		}
		reports, err := tx.InfoReports(ctx, InfoFilter{SolicitationID: sol.ID})
		if err != nil {
			return n, err
		}
		units := sol.ToUrge(reports, tx.now)
		if len(units) == 0 {
			continue
		}
		subject, _ := inforeport.UrgeText(sol, "")
		err = tx.tellInfoUnits(ctx, sol, units, "info.urge", "urge", subject, func(u string) string {
			name := u
			if x, err := tx.Unit(ctx, u); err == nil {
				name = x.Name
			}
			_, body := inforeport.UrgeText(sol, name)
			return body
		})
		if err != nil {
			return n, err
		}
		if err := tx.putInfoSolicitation(ctx, sol.MarkUrged(units, tx.now), false); err != nil {
			return n, err
		}
		n += len(units)
		name := by.Name
		if by.ID == "" {
			name = "定时催报"
		}
		if err := tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: name, Action: "info.urge", ObjectKind: "info_solicitation", ObjectID: sol.ID,
			Detail: jsonString(map[string]any{"units": units})}); err != nil {
			return n, err
		}
	}
	return n, nil
}

// ---- publications (期刊) ----

// InfoIssue returns one issue.
func (c conn) InfoIssue(ctx context.Context, id string) (inforeport.Issue, error) {
	return c.infoIssue(ctx, id, false)
}

func (c conn) infoIssue(ctx context.Context, id string, lock bool) (inforeport.Issue, error) {
	q := `SELECT content FROM info_issues WHERE id = ?`
	if lock && c.d == Postgres {
		q += ` FOR UPDATE`
	}
	var raw string
	err := c.queryRow(ctx, q, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return inforeport.Issue{}, fmt.Errorf("期刊 %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return inforeport.Issue{}, err
	}
	var is inforeport.Issue
	if err := json.Unmarshal([]byte(raw), &is); err != nil {
		return is, fmt.Errorf("decode issue %s: %w", id, err)
	}
	return is, nil
}

// InfoIssues lists an office's issues (of one publication when p is set), newest first.
func (c conn) InfoIssues(ctx context.Context, officeID string, p inforeport.Publication) ([]inforeport.Issue, error) {
	q, args := `SELECT content FROM info_issues WHERE office_id = ?`, []any{officeID}
	if p != "" {
		q, args = q+` AND publication = ?`, append(args, string(p))
	}
	return queryJSON[inforeport.Issue](ctx, c, q+` ORDER BY issued_at DESC, year DESC, seq DESC`, args...)
}

// CompileInfoIssue compiles adopted reports into the next issue of a
// publication: the number is taken from the publication's own counter for
// the year, inside the transaction (no gaps), and each report records it.
func (s *Store) CompileInfoIssue(ctx context.Context, by org.Person, id, officeID string, p inforeport.Publication, title string, ids []string) (inforeport.Issue, error) {
	var is inforeport.Issue
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		is, err = tx.CompileInfoIssue(ctx, by, id, officeID, p, title, ids)
		return err
	})
	return is, err
}

// CompileInfoIssue is Store.CompileInfoIssue inside a transaction.
func (tx *Tx) CompileInfoIssue(ctx context.Context, by org.Person, id, officeID string, p inforeport.Publication, title string, ids []string) (inforeport.Issue, error) {
	office, err := tx.Unit(ctx, officeID)
	if err != nil {
		return inforeport.Issue{}, err
	}
	items := make([]inforeport.Report, 0, len(ids))
	for _, rid := range ids {
		r, err := tx.infoReport(ctx, rid, true)
		if errors.Is(err, ErrNotFound) {
			return inforeport.Issue{}, &inforeport.Refusal{Msg: "所选信息不存在"}
		}
		if err != nil {
			return inforeport.Issue{}, err
		}
		items = append(items, r)
	}
	is, err := inforeport.Compile(id, officeID, office.Name, by.ID, p, title, items, tx.now)
	if err != nil {
		return is, err
	}
	is.Year = tx.now.In(tx.s.Calendar().Location()).Year()
	if is.Seq, err = tx.nextNumber(ctx, inforeport.NumberScope(officeID, p), is.Year); err != nil {
		return is, err
	}
	raw, err := json.Marshal(is)
	if err != nil {
		return is, err
	}
	if _, err := tx.exec(ctx, `INSERT INTO info_issues (id, office_id, publication, year, seq, issued_at, document_id, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		is.ID, is.OfficeID, string(is.Publication), is.Year, is.Seq, ts(is.IssuedAt), is.DocumentID, string(raw)); err != nil {
		return is, fmt.Errorf("save issue: %w", err)
	}
	for _, r := range items {
		c := inforeport.Carried(r, is, tx.now)
		if err := tx.putInfoReport(ctx, &c, r.Seq); err != nil {
			return is, err
		}
	}
	return is, tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "info.issue", ObjectKind: "info_issue", ObjectID: is.ID,
		Detail: jsonString(map[string]any{"publication": is.Publication, "number": is.Number(), "items": is.Items})})
}

// DistributeInfoIssue sends an issue out through 办文 (分发): it becomes an
// outgoing document of its office — the publication's 版头, the issue's
// number, the items' text and files, the units chosen as 主送 — started on
// the office's 发文 route at 分发 (the editors compiled and approved it), so
// that finishing 分发 sends it as every document is sent: the issued text
// typeset, a copy with every file in each receiving office's 收文. The issue
// records the document, in one transaction.
func (s *Store) DistributeInfoIssue(ctx context.Context, by org.Person, issueID string, units []string) (inforeport.Issue, DocRecord, error) {
	var is inforeport.Issue
	var rec DocRecord
	err := s.Write(ctx, func(tx *Tx) error {
		cur, err := tx.infoIssue(ctx, issueID, true)
		if err != nil {
			return err
		}
		if cur.DocumentID != "" {
			return &inforeport.Refusal{Msg: "本期已分发"}
		}
		um, err := tx.unitMap(ctx)
		if err != nil {
			return err
		}
		items := make([]inforeport.Report, 0, len(cur.Items))
		for _, id := range cur.Items {
			r, err := tx.infoReport(ctx, id, false)
			if err != nil {
				return err
			}
			items = append(items, r)
		}
		for _, u := range units {
			if _, ok := um[u]; !ok && strings.TrimSpace(u) != "" {
				return &inforeport.Refusal{Msg: "所选分发单位不存在"}
			}
		}
		doc := cur.Document(items, func(id string) string { return um[id].Name })
		// Checked before the document is made, so a refusal makes nothing.
		if is, err = inforeport.Distribute(cur, "pending", units); err != nil {
			return err
		}
		rec, err = tx.CreateOutgoing(ctx, by, NewOutgoing{UnitID: cur.OfficeID, Doc: doc, To: is.Recipients,
			FromStep: document.StepDistribute, Number: issueDocNumber(cur)})
		if err != nil {
			return err
		}
		for _, a := range doc.Attachments {
			if err := tx.AddFile(ctx, by, DocFile{DocID: rec.ID, SHA256: a.SHA256, Name: a.Name, Role: string(document.FileAttachment),
				Size: a.Size, MediaType: a.MediaType}); err != nil {
				return err
			}
		}
		if is, err = inforeport.Distribute(cur, rec.ID, units); err != nil {
			return err
		}
		raw, err := json.Marshal(is)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE info_issues SET document_id = ?, content = ? WHERE id = ?`, is.DocumentID, string(raw), is.ID); err != nil {
			return fmt.Errorf("save issue: %w", err)
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "info.distribute", ObjectKind: "info_issue", ObjectID: is.ID,
			Detail: jsonString(map[string]any{"document": rec.ID, "number": is.Number(), "units": is.Recipients})})
	})
	return is, rec, err
}

// issueDocNumber is the number an issue distributed as a document carries,
// on the office's outgoing document and on every copy its 分发 makes:
// the publication and the issue's number, 《信息专报》2026年第12期 — the
// issue's own number says nothing without the publication.
func issueDocNumber(is inforeport.Issue) string { return is.Publication.Label() + is.Number() }

// ---- scoring rules ----

// InfoRules lists every version of the deployment's scoring rules: version
// 1 is the default rules from the start of time, the stored ones follow.
func (c conn) InfoRules(ctx context.Context) (inforeport.RuleSet, error) {
	rs, err := queryJSON[inforeport.Rules](ctx, c, `SELECT content FROM info_rules ORDER BY version`)
	if err != nil {
		return nil, err
	}
	return append(inforeport.RuleSet{inforeport.DefaultRules(time.Unix(0, 0).UTC())}, rs...), nil
}

// PutInfoRules stores a new version of the scoring rules (versions are never
// changed: a past period keeps being scored by the rules in force then).
func (s *Store) PutInfoRules(ctx context.Context, by org.Person, r inforeport.Rules) (inforeport.Rules, error) {
	err := s.Write(ctx, func(tx *Tx) error {
		if err := r.Check(); err != nil {
			return err
		}
		var last sql.NullInt64
		if err := tx.queryRow(ctx, `SELECT MAX(version) FROM info_rules`).Scan(&last); err != nil {
			return fmt.Errorf("read rules version: %w", err)
		}
		r.Version = int(last.Int64) + 1
		if r.Version == 1 {
			r.Version = 2 // 1 is the default rules every deployment starts with
		}
		raw, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO info_rules (version, from_at, created_by, created_at, content) VALUES (?, ?, ?, ?, ?)`,
			r.Version, ts(r.From), by.ID, ts(tx.now), string(raw)); err != nil {
			if isUnique(err) {
				return ErrStale
			}
			return fmt.Errorf("save rules: %w", err)
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "info.rules", ObjectKind: "info_rules", ObjectID: fmt.Sprint(r.Version), Detail: string(raw)})
	})
	return r, err
}

// InfoRecords reads what scoring needs for an office over [from, to): the
// reports submitted by to (adoptions of older ones still count when they
// fall in the span) and the 约稿.
func (c conn) InfoRecords(ctx context.Context, officeID string, to, asOf time.Time) (inforeport.Records, error) {
	reports, err := c.InfoReports(ctx, InfoFilter{OfficeID: officeID, To: to})
	if err != nil {
		return inforeport.Records{}, err
	}
	sols, err := c.InfoSolicitations(ctx, officeID, "", false)
	if err != nil {
		return inforeport.Records{}, err
	}
	return inforeport.Records{Reports: reports, Solicitations: sols, AsOf: asOf}, nil
}

// InfoTodoOf lists, in one statement, the open 约稿 each of units has not
// yet answered (the workbench's 待办), by date; unit names the unit asked.
func (c conn) InfoTodoOf(ctx context.Context, units []string) ([]InfoTodoItem, error) {
	if len(units) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(units))
	for _, u := range units {
		args = append(args, u)
	}
	return queryAll(ctx, c, func(r scanner) (InfoTodoItem, error) {
		var x InfoTodoItem
		var raw string
		if err := r.Scan(&x.UnitID, &raw); err != nil {
			return x, err
		}
		return x, json.Unmarshal([]byte(raw), &x.Solicitation)
	}, `SELECT u.unit_id, s.content FROM info_solicitation_units u JOIN info_solicitations s ON s.id = u.solicitation_id
		WHERE u.unit_id IN (`+placeholders(len(units))+`) AND s.closed = 0
		AND NOT EXISTS (SELECT 1 FROM info_reports r WHERE r.solicitation_id = s.id AND r.unit_id = u.unit_id)
		ORDER BY s.due_at, s.id`, args...)
}

// InfoTodoItem is a 约稿 a unit owes.
type InfoTodoItem struct {
	UnitID       string
	Solicitation inforeport.Solicitation
}
