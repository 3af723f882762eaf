package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// A person's lists — 待办, 待阅 (open tasks), 已办 and 办结 (documents they
// took part in) — are read a page at a time and counted in the database, so
// that a page costs the same with 100 or 100,000 open items. Each open task
// and participation row carries its document's 密级 (migration 0016), and the
// lists take a conservative access predicate in SQL: nothing above MaxLevel
// is listed or counted. The caller still decides each row it shows with
// access.Decide (and asks for more when one is refused).

// Which open tasks a TaskQuery reads.
const (
	TasksTodo   = iota // 待办: tasks to act on
	TasksToRead        // 待阅: circulation tasks
	TasksAll           // both, newest first (OpenTasksFor)
)

// TaskCursor is the last row of a page of tasks; the next page starts after it.
type TaskCursor struct {
	Handed time.Time
	DocID  string
	TaskID int
}

// DueFilter narrows tasks by due time (the zero filter passes all): with
// Set, tasks without one if NoDue, and if Due those due in [From, Before)
// (a zero bound is open).
type DueFilter struct {
	Set, NoDue, Due bool
	From, Before    time.Time
}

// TaskQuery selects a page of a person's open tasks, newest first.
type TaskQuery struct {
	Which     int
	MaxLevel  org.Classification // tasks on documents above it are neither listed nor counted
	Direction string             // Outgoing, Incoming or "" for both
	Text      string             // in the title, 发文字号 or 收文编号
	Due       DueFilter
	After     *TaskCursor
	Limit     int
}

// taskGroup is one way an actor holds tasks: as themselves, by role in a
// unit, as a unit's leader, as a unit; via is the delegating leader's ID
// when the actor holds it for them.
type taskGroup struct {
	where string
	args  []any
	via   string
}

// taskGroups lists the actor's ways of holding tasks, each once, their own
// first and then each delegating leader's. Each is a prefix of an index of
// open_tasks followed by circulate and handed_at.
func taskGroups(a route.Actor) []taskGroup {
	var gs []taskGroup
	seen := map[string]bool{}
	add := func(key, via, where string, args ...any) {
		if seen[key] {
			return
		}
		seen[key] = true
		gs = append(gs, taskGroup{where: where, args: args, via: via})
	}
	principal := func(p route.Principal, via string) {
		add("p"+p.ID, via, `t.person = ? AND t.kind IN ('person','starter')`, p.ID)
		for _, g := range p.Roles {
			add("r"+g.Role+"@"+g.Unit, via, `t.unit = ? AND t.kind = 'role' AND t.role = ?`, g.Unit, g.Role)
		}
		for _, u := range p.Leads {
			add("l"+u, via, `t.unit = ? AND t.kind = 'leader' AND t.role = ''`, u)
		}
		for _, u := range p.Units {
			add("u"+u, via, `t.unit = ? AND t.kind = 'unit' AND t.role = ''`, u)
		}
	}
	principal(a.Principal, "")
	for _, d := range a.Delegations {
		principal(d, d.ID)
	}
	return gs
}

// levelPredicate is the access predicate the lists apply in SQL: the
// document's 密级 is a valid one within the viewer's clearance. For a person
// taking part in a document this is exactly what access.Decide asks.
func levelPredicate(col string) string { return col + ` BETWEEN 0 AND ?` }

// ListCounts are a person's four list sizes, counted under MaxLevel.
type ListCounts struct {
	Todo, ToRead, Done, Closed int
}

// ListCounts counts a person's 待办, 待阅, 已办 and 办结 in one statement, each
// from a covering index (no document is read). A count stops at limit (if
// positive) — limit means "at least limit" — so that its cost is bounded
// however long the backlog: counting reads every index entry it counts.
func (c conn) ListCounts(ctx context.Context, a route.Actor, maxLevel org.Classification, limit int) (ListCounts, error) {
	var n ListCounts
	capped := func(from, where string) string {
		if limit <= 0 {
			return `(SELECT COUNT(*) FROM ` + from + ` WHERE ` + where + `)`
		}
		return fmt.Sprintf(`(SELECT COUNT(*) FROM (SELECT 1 FROM %s WHERE %s LIMIT %d) AS c)`, from, where, limit)
	}
	var sums [2][]string
	var args [2][]any
	for _, g := range taskGroups(a) {
		for circ := range 2 {
			sums[circ] = append(sums[circ], capped(`open_tasks t`, g.where+` AND t.circulate = `+fmt.Sprint(circ)+` AND `+levelPredicate("t.level")))
			args[circ] = append(append(args[circ], g.args...), int(maxLevel))
		}
	}
	q := `SELECT ` + strings.Join(sums[0], " + ") + `, ` + strings.Join(sums[1], " + ") + `, ` +
		capped(`participants p`, `p.person_id = ? AND p.closed = 0 AND `+levelPredicate("p.level")) + `, ` +
		capped(`participants p`, `p.person_id = ? AND p.closed = 1 AND `+levelPredicate("p.level"))
	all := append(append(args[0], args[1]...), a.ID, int(maxLevel), a.ID, int(maxLevel))
	if err := c.queryRow(ctx, q, all...).Scan(&n.Todo, &n.ToRead, &n.Done, &n.Closed); err != nil {
		return n, fmt.Errorf("count lists: %w", err)
	}
	if limit > 0 { // a sum over several ways of holding tasks
		n.Todo, n.ToRead = min(n.Todo, limit), min(n.ToRead, limit)
	}
	return n, nil
}

// docFilterSQL narrows by the document's direction and text (in the title,
// 发文字号 — an incoming document's 来文字号 — or 收文编号); the documents
// table is joined as d.
func docFilterSQL(dir, text string) (string, []any) {
	var w strings.Builder
	var args []any
	if dir != "" {
		w.WriteString(` AND d.direction = ?`)
		args = append(args, dir)
	}
	if text != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(text) + "%"
		w.WriteString(` AND (d.title LIKE ? ESCAPE '\' OR d.doc_number LIKE ? ESCAPE '\' OR d.in_number LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like)
	}
	return w.String(), args
}

// TaskPage returns a page of the open tasks an actor may act on — their own,
// their roles' and units', and those of leaders who delegated to them —
// newest first (handed over, then document and task, so the order is
// stable), each with its document's summary, in one statement. Each way of
// holding tasks is read in order through its own index and limited, then
// merged, so the cost depends on the page, not on the backlog.
func (c conn) TaskPage(ctx context.Context, a route.Actor, q TaskQuery) ([]WorkItem, error) {
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 200
	}
	circs := []int{0}
	switch q.Which {
	case TasksToRead:
		circs = []int{1}
	case TasksAll:
		circs = []int{0, 1}
	}
	join := ""
	docWhere, docArgs := docFilterSQL(q.Direction, q.Text)
	if docWhere != "" {
		join = ` JOIN documents d ON d.id = t.instance_id`
	}
	var extra strings.Builder
	var extraArgs []any
	extra.WriteString(` AND ` + levelPredicate("t.level"))
	extraArgs = append(extraArgs, int(q.MaxLevel))
	if q.After != nil {
		// The first term bounds the index range; the rest breaks ties.
		extra.WriteString(` AND t.handed_at <= ? AND (t.handed_at < ? OR t.instance_id < ? OR (t.instance_id = ? AND t.task_id < ?))`)
		h := ts(q.After.Handed)
		extraArgs = append(extraArgs, h, h, q.After.DocID, q.After.DocID, q.After.TaskID)
	}
	if f := q.Due; f.Set {
		ors := []string{"1 = 0"}
		if f.NoDue {
			ors = append(ors, `t.due_at = 0`)
		}
		if f.Due {
			cond := `t.due_at > 0`
			if !f.From.IsZero() {
				cond += ` AND t.due_at >= ?`
				extraArgs = append(extraArgs, ts(f.From))
			}
			if !f.Before.IsZero() {
				cond += ` AND t.due_at < ?`
				extraArgs = append(extraArgs, ts(f.Before))
			}
			ors = append(ors, "("+cond+")")
		}
		extra.WriteString(` AND (` + strings.Join(ors, " OR ") + `)`)
	}
	extra.WriteString(docWhere)
	extraArgs = append(extraArgs, docArgs...)

	const cols = `t.instance_id, t.task_id, t.step, t.handed_at, t.due_at, t.ack_due_at, t.acked, t.circulate`
	var parts []string
	var args []any
	for _, g := range taskGroups(a) {
		for _, circ := range circs {
			parts = append(parts, fmt.Sprintf(`SELECT * FROM (SELECT %s, CAST(? AS TEXT) AS via FROM open_tasks t%s WHERE %s AND t.circulate = %d%s
				ORDER BY t.handed_at DESC, t.instance_id DESC, t.task_id DESC LIMIT %d) AS q%d`, cols, join, g.where, circ, extra.String(), q.Limit, len(parts)))
			args = append(append(append(args, g.via), g.args...), extraArgs...)
		}
	}
	if len(parts) == 0 {
		return nil, nil
	}
	rows, err := c.query(ctx, `SELECT t.instance_id, t.task_id, t.step, t.handed_at, t.due_at, t.ack_due_at, t.acked, t.circulate, t.via, `+summaryColsD+`
		FROM (`+strings.Join(parts, " UNION ALL ")+`) AS t JOIN documents d ON d.id = t.instance_id
		ORDER BY t.handed_at DESC, t.instance_id DESC, t.task_id DESC, t.via LIMIT `+fmt.Sprint(q.Limit), args...)
	if err != nil {
		return nil, fmt.Errorf("open tasks: %w", err)
	}
	defer rows.Close()
	var items []WorkItem
	seen := map[string]bool{}
	for rows.Next() {
		var w WorkItem
		var docID string
		var handed, due, ackDue, acked, circ int64
		rec, err := scanSummary(prefixScanner{rows, []any{&docID, &w.TaskID, &w.Step, &handed, &due, &ackDue, &acked, &circ, &w.OnBehalfOf}})
		if err != nil {
			return nil, err
		}
		w.Doc = rec
		w.Handed, w.Due, w.AckDue, w.Acked, w.Circ = fromTS(handed), fromTS(due), fromTS(ackDue), acked == 1, circ == 1
		key := fmt.Sprintf("%s/%d", docID, w.TaskID)
		if seen[key] { // matched both as oneself and for a delegating leader
			continue
		}
		seen[key] = true
		items = append(items, w)
	}
	return items, rows.Err()
}

// prefixScanner scans the first columns into pre and the rest into what
// its caller asks for, so a row's summary can follow other columns.
type prefixScanner struct {
	r   scanner
	pre []any
}

func (p prefixScanner) Scan(dest ...any) error {
	return p.r.Scan(append(append([]any{}, p.pre...), dest...)...)
}

// summaryColsD is summaryCols qualified by the alias d (in the same order).
const summaryColsD = `d.id, d.direction, d.unit_id, d.organ_id, d.source_id, d.title, d.doc_type, d.level, d.urgency, d.doc_number, d.in_number, d.sender, d.step, d.status, d.version, d.created_by, d.created_at, d.updated_at, d.closed_at`

// PartCursor is the last row of a page of participations.
type PartCursor struct {
	Acted time.Time
	DocID string
}

// PartQuery selects a page of the documents a person took part in.
type PartQuery struct {
	Closed    bool // 办结 (true) or 已办
	MaxLevel  org.Classification
	Direction string
	Text      string
	After     *PartCursor
	Limit     int
}

// Participation is a document a person took part in, as a summary, with
// when they last acted on it.
type Participation struct {
	Doc   DocRecord
	Acted time.Time
}

// ParticipatedPage returns a page of the documents a person has acted on,
// last acted on first — open ones for 已办, closed ones for 办结 — in one
// statement through the participants index.
func (c conn) ParticipatedPage(ctx context.Context, personID string, q PartQuery) ([]Participation, error) {
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 200
	}
	closed := 0
	if q.Closed {
		closed = 1
	}
	where := `p.person_id = ? AND p.closed = ? AND ` + levelPredicate("p.level")
	args := []any{personID, closed, int(q.MaxLevel)}
	if q.After != nil {
		where += ` AND p.acted_at <= ? AND (p.acted_at < ? OR p.doc_id < ?)`
		at := ts(q.After.Acted)
		args = append(args, at, at, q.After.DocID)
	}
	docWhere, docArgs := docFilterSQL(q.Direction, q.Text)
	rows, err := c.query(ctx, `SELECT p.acted_at, `+summaryColsD+` FROM participants p JOIN documents d ON d.id = p.doc_id
		WHERE `+where+docWhere+` ORDER BY p.acted_at DESC, p.doc_id DESC LIMIT `+fmt.Sprint(q.Limit), append(args, docArgs...)...)
	if err != nil {
		return nil, fmt.Errorf("participated documents: %w", err)
	}
	defer rows.Close()
	var out []Participation
	for rows.Next() {
		var acted int64
		rec, err := scanSummary(prefixScanner{rows, []any{&acted}})
		if err != nil {
			return nil, err
		}
		out = append(out, Participation{Doc: rec, Acted: fromTS(acted)})
	}
	return out, rows.Err()
}
