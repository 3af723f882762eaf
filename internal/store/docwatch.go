package store

import (
	"context"
	"fmt"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/org"
)

// Lateness is why an open task of a 办文 route is on the watch.
type Lateness string

const (
	LateSignFor Lateness = "signfor" // 逾期未签收: a receiving unit has not signed for its copy in time
	LateAck     Lateness = "ack"     // 交接未确认: a handover not acknowledged by its receiver in time
	LateStep    Lateness = "step"    // 逾期未办: a step past its time limit
)

// Label is the lateness's Chinese name.
func (l Lateness) Label() string {
	switch l {
	case LateSignFor:
		return "逾期未签收"
	case LateAck:
		return "交接未确认"
	case LateStep:
		return "逾期未办"
	}
	return string(l)
}

// LateTask is one late open task with its document's summary.
type LateTask struct {
	Why      Lateness
	Doc      DocRecord // the document the task is on (for a copy: the receiving unit's incoming item)
	SourceID string    // for a copy: the outgoing document it came from
	TaskID   int
	Step     string
	Kind     string // route.AssigneeKind of the assignee
	Person   string
	Role     string
	Unit     string
	Handed   time.Time
	Due      time.Time // the step's due time, or the acknowledgement's for LateAck
}

const lateCols = `ot.instance_id, d.source_id, ot.task_id, ot.step, ot.kind, ot.person, ot.role, ot.unit, ot.handed_at, ot.due_at, ot.ack_due_at, ot.acked`

type lateRow struct {
	LateTask
	due, ackDue time.Time
	acked       bool
}

func scanLate(r scanner) (lateRow, error) {
	var x lateRow
	var handed, due, ackDue int64
	var acked int
	err := r.Scan(&x.Doc.ID, &x.SourceID, &x.TaskID, &x.Step, &x.Kind, &x.Person, &x.Role, &x.Unit, &handed, &due, &ackDue, &acked)
	x.Handed, x.due, x.ackDue, x.acked = fromTS(handed), fromTS(due), fromTS(ackDue), acked == 1
	return x, err
}

// lateness names the ways a row is late: at now (from zero), or whose moment
// fell in (from, now] for the sweep. A copy's 签收 past its time is
// 逾期未签收 rather than a late step.
func (x lateRow) lateness(from, now time.Time) []LateTask {
	in := func(t time.Time) bool { return !t.IsZero() && t.After(from) && !t.After(now) }
	var out []LateTask
	if in(x.due) {
		t := x.LateTask
		t.Why, t.Due = LateStep, x.due
		if x.Step == signForStep && x.SourceID != "" {
			t.Why = LateSignFor
		}
		out = append(out, t)
	}
	if !x.acked && in(x.ackDue) {
		t := x.LateTask
		t.Why, t.Due = LateAck, x.ackDue
		out = append(out, t)
	}
	return out
}

// signForStep is the name of the 收文 route's first step.
const signForStep = "签收"

// LateTasks lists what an organ's office must chase at now, most overdue
// first: the late tasks on the organ's own documents, and the copies of
// documents the organ issued that their receivers have not signed for in time.
// The caller decides, row by row, what the viewer may see.
func (c conn) LateTasks(ctx context.Context, organID string, now time.Time, limit int) ([]LateTask, error) {
	if limit <= 0 || limit > 2000 {
		limit = 500
	}
	n := ts(now)
	// Each part is driven by the due-time indexes, so the cost follows the
	// number of late tasks, not of documents.
	q := `SELECT ` + lateCols + ` FROM open_tasks ot JOIN documents d ON d.id = ot.instance_id
		WHERE ot.due_at > 0 AND ot.due_at <= ? AND d.organ_id = ?
	UNION
	SELECT ` + lateCols + ` FROM open_tasks ot JOIN documents d ON d.id = ot.instance_id
		WHERE ot.acked = 0 AND ot.ack_due_at > 0 AND ot.ack_due_at <= ? AND d.organ_id = ?
	UNION
	SELECT ` + lateCols + ` FROM open_tasks ot JOIN documents d ON d.id = ot.instance_id JOIN documents src ON src.id = d.source_id
		WHERE ot.due_at > 0 AND ot.due_at <= ? AND ot.step = ? AND src.organ_id = ?
	ORDER BY 10 LIMIT ` + fmt.Sprint(limit)
	rows, err := queryAll(ctx, c, scanLate, q, n, organID, n, organID, n, signForStep, organID)
	if err != nil {
		return nil, fmt.Errorf("late tasks: %w", err)
	}
	return c.lateWithDocs(ctx, rows, time.Time{}, now)
}

func (c conn) lateWithDocs(ctx context.Context, rows []lateRow, from, now time.Time) ([]LateTask, error) {
	var out []LateTask
	ids := map[string]bool{}
	var idList []string
	for _, r := range rows {
		for _, id := range []string{r.Doc.ID, r.SourceID} {
			if id != "" && !ids[id] {
				ids[id] = true
				idList = append(idList, id)
			}
		}
	}
	docs, err := c.DocSummaries(ctx, idList)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]DocRecord, len(docs))
	for _, d := range docs {
		byID[d.ID] = d
	}
	for _, r := range rows {
		doc, ok := byID[r.Doc.ID]
		if !ok {
			continue
		}
		for _, t := range r.lateness(from, now) {
			t.Doc = doc
			out = append(out, t)
		}
	}
	return out, nil
}

// DocWatchSweepName is the durable sweep that tells people of late 办文 work.
const DocWatchSweepName = "documents.watch"

// RunDocWatch sends the notices for 办文 work that fell late in (from, to]:
// a copy not signed for in time goes to the sender (the document's drafter and
// the sending office's director) and to the receiving office's director; an
// unacknowledged handover and a step past its time go to the person it waits
// on and to the office director of the document's organ. Message keys make a
// repeated interval deliver nothing twice. It returns how many messages were
// stored.
func (tx *Tx) RunDocWatch(ctx context.Context, from, to time.Time) (int, error) {
	q := `SELECT ` + lateCols + ` FROM open_tasks ot JOIN documents d ON d.id = ot.instance_id
		WHERE ot.due_at > ? AND ot.due_at <= ?
	UNION
	SELECT ` + lateCols + ` FROM open_tasks ot JOIN documents d ON d.id = ot.instance_id
		WHERE ot.acked = 0 AND ot.ack_due_at > ? AND ot.ack_due_at <= ?`
	rows, err := queryAll(ctx, tx.conn, scanLate, q, ts(from), ts(to), ts(from), ts(to))
	if err != nil {
		return 0, fmt.Errorf("doc watch: %w", err)
	}
	late, err := tx.lateWithDocs(ctx, rows, from, to)
	if err != nil {
		return 0, err
	}
	units, err := tx.unitMap(ctx)
	if err != nil {
		return 0, err
	}
	directors := map[string][]string{}
	directorsOf := func(unit string) ([]string, error) {
		office := officeOf(units, organOf(units, unit))
		if ps, ok := directors[office]; ok {
			return ps, nil
		}
		ps, err := tx.queryStrings(ctx, `SELECT person_id FROM role_assignments WHERE role = ? AND unit_id = ? ORDER BY person_id`, string(org.RoleOfficeDirector), office)
		directors[office] = ps
		return ps, err
	}
	sent := 0
	for _, t := range late {
		var recipients []string
		var sourceTitle string
		switch t.Why {
		case LateSignFor:
			src, err := tx.Document(ctx, t.SourceID)
			if err != nil {
				return sent, err
			}
			sourceTitle = src.Doc.Title
			recipients = append(recipients, src.CreatedBy)
			for _, u := range []string{src.OrganID, t.Doc.OrganID} {
				ps, err := directorsOf(u)
				if err != nil {
					return sent, err
				}
				recipients = append(recipients, ps...)
			}
		default:
			if t.Person != "" {
				recipients = append(recipients, t.Person)
			}
			ps, err := directorsOf(t.Doc.OrganID)
			if err != nil {
				return sent, err
			}
			recipients = append(recipients, ps...)
		}
		title := "《" + t.Doc.Doc.Title + "》"
		if sourceTitle != "" {
			title = "《" + sourceTitle + "》"
		}
		if t.Doc.Level() > org.Unclassified {
			title = "一份" + t.Doc.Level().Label() + "公文" // no title of a classified document in a message
		}
		var subject, body, link string
		switch t.Why {
		case LateSignFor:
			recv := units[t.Doc.UnitID].Name
			subject = fmt.Sprintf("逾期未签收：%s", recv)
			body = fmt.Sprintf("%s发往%s，签收时限 %s 已过，对方尚未签收。", title, recv, t.Due.In(calendar.Shanghai()).Format("01-02 15:04"))
			link = "/docs/" + t.SourceID
		case LateAck:
			subject = "交接未确认：" + t.Step
			body = fmt.Sprintf("%s在“%s”环节移交后未在时限（%s）内确认接收。", title, t.Step, t.Due.In(calendar.Shanghai()).Format("01-02 15:04"))
			link = "/docs/" + t.Doc.ID
		default:
			subject = "逾期未办：" + t.Step
			body = fmt.Sprintf("%s的“%s”环节已于 %s 到期，尚未办理。", title, t.Step, t.Due.In(calendar.Shanghai()).Format("01-02 15:04"))
			link = "/docs/" + t.Doc.ID
		}
		seen := map[string]bool{}
		for _, p := range recipients {
			if p == "" || seen[p] {
				continue
			}
			seen[p] = true
			key := fmt.Sprintf("doc.late.%s:%s:%d:%d:%s", t.Why, t.Doc.ID, t.TaskID, t.Due.UnixMicro(), p)
			m := notify.Message{Key: key, PersonID: p, Kind: "document.late." + string(t.Why), Subject: subject, Body: body, Link: link, CreatedAt: t.Due,
				Classified: t.Doc.Level() > org.Unclassified}
			person, err := tx.Person(ctx, p)
			if err != nil {
				return sent, fmt.Errorf("recipient of %s: %w", key, err)
			}
			routes, err := tx.routesFor(ctx, person, m)
			if err != nil {
				return sent, err
			}
			ok, err := tx.Notify(ctx, m, routes)
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
		}
	}
	return sent, nil
}
