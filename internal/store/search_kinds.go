package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/duty"
	"github.com/shuniu-oa/shuniu/internal/inforeport"
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/request"
	"github.com/shuniu-oa/shuniu/internal/research"
	"github.com/shuniu-oa/shuniu/internal/search"
	"github.com/shuniu-oa/shuniu/internal/study"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// The kinds search finds beside documents. Each entry is written by the
// module's own put (putSupItem, putMeeting, putInfoReport,
// putResearchTopic, addLibraryEntry), inside its transaction, with two
// things documents do not need:
//   - facts: what the kind's read rule in internal/access needs to decide,
//     so each hit is decided exactly as opening it would be, without loading
//     the thing;
//   - readers: keys of everyone who may possibly open it (p:person, u:unit,
//     r:leader, all), which the query joins as its access predicate. They are
//     a superset — the unit tree and 分管 are applied at search time, from
//     the subject's side (subjectReaders) — and never decide alone.
//
// searchKindsMigration adds facts and readers; Migrate reindexes everything
// when it applies it.
const searchKindsMigration = "0046_search_kinds.sql"

// searchMoreKindsMigration marks the indexing of duty logs, requests and
// study plans; Migrate reindexes everything when it applies it.
const searchMoreKindsMigration = "0061_search_more_kinds.sql"

// thingKinds are the kinds indexed here, in the order Reindex takes them.
var thingKinds = []string{search.KindSupervision, search.KindMeeting, search.KindInfo, search.KindResearch, search.KindModelText,
	search.KindDutyLog, search.KindRequest, search.KindStudyPlan, search.KindMaterial, search.KindTraining}

// putThingEntry writes an entry with its facts and readers.
func (tx *Tx) putThingEntry(ctx context.Context, e searchEntry, facts any, readers []string) error {
	if err := tx.putEntry(ctx, e); err != nil {
		return err
	}
	b, err := json.Marshal(facts)
	if err != nil {
		return fmt.Errorf("index %s: %w", e.kind, err)
	}
	if _, err := tx.exec(ctx, `UPDATE search_entries SET facts = ? WHERE kind = ? AND obj_id = ?`, string(b), e.kind, e.id); err != nil {
		return fmt.Errorf("index %s: %w", e.kind, err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM search_readers WHERE kind = ? AND obj_id = ?`, e.kind, e.id); err != nil {
		return fmt.Errorf("index %s: %w", e.kind, err)
	}
	var seen []string
	for _, r := range readers {
		if r == "" || r == "p:" || r == "u:" || slices.Contains(seen, r) {
			continue
		}
		seen = append(seen, r)
		if _, err := tx.exec(ctx, `INSERT INTO search_readers (kind, obj_id, reader) VALUES (?, ?, ?)`, e.kind, e.id, r); err != nil {
			return fmt.Errorf("index %s: %w", e.kind, err)
		}
	}
	return nil
}

func personKeys(ids ...string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, "p:"+id)
	}
	return out
}

func unitKeys(ids ...string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, "u:"+id)
	}
	return out
}

// lines joins the non-empty texts, one a line.
func lines(texts ...string) string {
	var b strings.Builder
	for _, t := range texts {
		if t = strings.TrimSpace(t); t != "" {
			b.WriteString(t)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func stateOf(done bool) string {
	if done {
		return search.StateDone
	}
	return search.StateActive
}

// indexSupItem: title, 督办编号, the leader's instruction (批示), the
// progress reports and the evidence of applications to close; the route's
// comments as notes.
func (tx *Tx) indexSupItem(ctx context.Context, it *supervise.Item) error {
	var body []string
	body = append(body, it.Instruction)
	for _, r := range it.Reports {
		body = append(body, r.Text)
	}
	for _, s := range it.Submits {
		body = append(body, s.Evidence.Text)
	}
	notes := routeNotes(it.Route)
	for _, in := range it.PastRoutes {
		notes += routeNotes(in)
	}
	var numbers []string
	if n := it.Number.String(); n != "" {
		numbers = append(numbers, n)
	}
	// The text of the files attached to progress reports and to the
	// evidence of applications to close (supervision items are not
	// classified).
	var files []document.Attachment
	for _, a := range it.Files() {
		files = append(files, document.Attachment{Name: a.Name, SHA256: a.SHA256})
	}
	text, err := tx.fileTexts(ctx, files)
	if err != nil {
		return err
	}
	body = append(body, text)
	f := SupervisionFacts(it)
	e := searchEntry{kind: search.KindSupervision, id: it.ID, organID: it.Office, unitID: it.LeadUnit(), state: stateOf(it.State == supervise.Closed),
		at: ts(tx.now), title: it.Title, number: strings.Join(numbers, " "), body: truncRunes(lines(body...), search.MaxIndexedRunes),
		notes: truncRunes(notes, search.MaxIndexedRunes/4), marks: search.NumberMarks(numbers...)}
	readers := append(append(unitKeys(f.Office), unitKeys(f.Units...)...), personKeys(f.People...)...)
	return tx.putThingEntry(ctx, e, f, readers)
}

// indexMeeting: title, place, 议题 and decided matters; found by whoever
// may open the meeting (its minutes are documents, indexed as such).
func (tx *Tx) indexMeeting(ctx context.Context, m *meeting.Meeting, room meeting.Room) error {
	body := []string{room.Name}
	for _, a := range m.Agenda {
		body = append(body, a.Title)
	}
	for _, d := range m.Decisions {
		body = append(body, d.Text)
	}
	o := MeetingObject(m)
	e := searchEntry{kind: search.KindMeeting, id: m.ID, organID: m.OfficeID, unitID: m.OfficeID, level: int(m.Level),
		at: ts(m.Start), title: m.Title,
		body: truncRunes(lines(body...), search.MaxIndexedRunes)}
	if err := tx.putThingEntry(ctx, e, meetingFacts{UnitID: o.UnitID, Level: int(o.Level), People: o.Participants},
		append(unitKeys(o.UnitID), personKeys(o.Participants...)...)); err != nil {
		return err
	}
	return tx.indexMaterials(ctx, m)
}

// meetingFacts is MeetingObject as stored beside the entry.
type meetingFacts struct {
	UnitID string   `json:"unit_id"`
	Level  int      `json:"level"`
	People []string `json:"people,omitempty"`
}

// infoFacts is a report as access.DecideInfo sees it, but for the
// office's sections, which are read from the unit tree at search time as
// the 信息 pages do.
type infoFacts struct {
	OfficeID string   `json:"office_id"`
	Units    []string `json:"units,omitempty"`
	Persons  []string `json:"persons,omitempty"`
	Level    int      `json:"level"`
}

// indexInfoReport: title and text, with the leaders' 批示 as notes.
func (tx *Tx) indexInfoReport(ctx context.Context, r *inforeport.Report) error {
	var notes []string
	for _, in := range r.Instructions {
		notes = append(notes, in.Leader+" "+in.Text)
	}
	f := infoFacts{OfficeID: r.OfficeID, Units: r.Credits(), Level: int(r.Level)}
	for _, s := range r.Sources {
		f.Persons = append(f.Persons, s.PersonID)
	}
	body := r.Body
	if r.Level == org.Unclassified {
		// A classified report's files are not read at upload, and a text
		// kept for the same file elsewhere is not added to it either.
		text, err := tx.fileTexts(ctx, r.Attachments)
		if err != nil {
			return err
		}
		body += text
	}
	e := searchEntry{kind: search.KindInfo, id: r.ID, organID: r.OfficeID, unitID: r.UnitID, level: int(r.Level), at: ts(r.UpdatedAt),
		title: r.Title, body: truncRunes(body, search.MaxIndexedRunes), notes: truncRunes(lines(notes...), search.MaxIndexedRunes/4)}
	return tx.putThingEntry(ctx, e, f, append(append(unitKeys(f.OfficeID), unitKeys(f.Units...)...), personKeys(f.Persons...)...))
}

// indexResearchTopic: the topic's title and brief, its units' plans and
// reports, with the leaders' 批示 on the reports as notes.
func (tx *Tx) indexResearchTopic(ctx context.Context, t *research.Topic) error {
	body := []string{t.Brief}
	for _, p := range t.Plans {
		body = append(body, p.Text)
	}
	var notes []string
	for _, r := range t.Reports {
		body = append(body, r.Title, r.Body)
		for _, in := range r.Instructions {
			notes = append(notes, in.Leader+" "+in.Text)
		}
	}
	f := access.ResearchObject{OfficeID: t.OfficeID, Units: t.Units(), People: append(t.People(), t.SetBy)}
	e := searchEntry{kind: search.KindResearch, id: t.ID, organID: t.OfficeID, unitID: t.OfficeID, state: stateOf(t.State == research.Closed),
		at: ts(t.UpdatedAt), title: t.Title, body: truncRunes(lines(body...), search.MaxIndexedRunes),
		notes: truncRunes(lines(notes...), search.MaxIndexedRunes/4)}
	readers := append(append(unitKeys(f.OfficeID), unitKeys(f.Units...)...), personKeys(f.People...)...)
	return tx.putThingEntry(ctx, e, f, append(readers, "r:leader"))
}

// indexLibraryEntry: a 范文 or 经验交流 of the library, open to every
// business user.
func (tx *Tx) indexLibraryEntry(ctx context.Context, le *study.Entry) error {
	docType := le.DocType
	if r, ok := document.RuleFor(document.DocType(docType)); ok {
		docType = r.Name
	}
	var numbers []string
	if le.DocNumber != "" {
		numbers = append(numbers, le.DocNumber)
	}
	e := searchEntry{kind: search.KindModelText, id: le.ID, organID: le.OfficeID, unitID: le.UnitID, docType: docType, at: ts(le.AddedAt),
		title: le.Title, number: le.DocNumber, body: truncRunes(lines(le.Summary, le.Body, strings.Join(le.Tags, " ")), search.MaxIndexedRunes),
		marks: search.NumberMarks(numbers...)}
	return tx.putThingEntry(ctx, e, access.StudyObject{OfficeID: le.OfficeID, Library: true}, []string{"all"})
}

// dutyFacts is a roster as access.DecideDuty sees it, but for the
// office's sections, which are read from the unit tree at search time as
// the 值班 pages do.
type dutyFacts struct {
	UnitID string   `json:"unit_id"`
	People []string `json:"people,omitempty"`
}

// dutyLogID is a shift's log as the index names it: the roster and the
// date (a log has no ID of its own).
func dutyLogID(rosterID, date string) string { return rosterID + "/" + date }

// indexDutyLog: a shift's 值班日志 — each entry's caller or reporter with
// their unit, its title, content and handling (with the follow-ups), and
// the filed summary; found by whoever may read the roster
// (access.DecideDuty: the office and its sections, and those on the
// roster). Written by each change of the log and by each change of the
// roster (reindexDutyLogs), in their transaction.
func (tx *Tx) indexDutyLog(ctx context.Context, ro duty.Roster, date string) error {
	l, err := tx.DutyLog(ctx, ro.ID, date)
	if err != nil {
		return err
	}
	var body []string
	at := l.SubmittedAt
	for _, e := range l.Entries {
		body = append(body, strings.TrimSpace(e.Party+" "+e.PartyUnit), e.Title, e.Content, e.Handling)
		if e.Created.After(at) {
			at = e.Created
		}
	}
	body = append(body, l.Summary)
	f := dutyFacts{UnitID: ro.UnitID, People: ro.People()}
	e := searchEntry{kind: search.KindDutyLog, id: dutyLogID(ro.ID, date), organID: ro.UnitID, unitID: ro.UnitID, state: stateOf(l.Submitted()),
		at: ts(at), title: ro.Title + " " + date + " 值班日志", body: truncRunes(lines(body...), search.MaxIndexedRunes)}
	return tx.putThingEntry(ctx, e, f, append(unitKeys(f.UnitID), personKeys(f.People...)...))
}

// reindexDutyLogs rewrites the entries of a roster's logs after the roster
// changed (its title, or who is on it, which decides who reads them).
func (tx *Tx) reindexDutyLogs(ctx context.Context, ro duty.Roster) error {
	dates, err := tx.queryStrings(ctx, `SELECT date FROM duty_entries WHERE roster_id = ? UNION SELECT date FROM duty_logs WHERE roster_id = ?`, ro.ID, ro.ID)
	if err != nil {
		return fmt.Errorf("index duty logs: %w", err)
	}
	for _, d := range dates {
		if err := tx.indexDutyLog(ctx, ro, d); err != nil {
			return err
		}
	}
	return nil
}

// indexRequest: a 用印 or 用车 request — what it is for (title, reason,
// the material to be sealed, or the destination and who rides), with the
// route's comments as notes; found by its requester, those who acted on it
// and the people its steps named, and the office handling it
// (access.DecideRequest). A step assigned to a role, not yet taken, finds
// it in the assignee's 待办 but not by search.
func (tx *Tx) indexRequest(ctx context.Context, r request.Request) error {
	body := []string{r.Kind.Label(), r.Reason}
	if r.Seal != nil {
		body = append(body, r.Seal.Material)
	}
	if r.Car != nil {
		body = append(body, r.Car.Destination, r.Car.Names)
	}
	state := search.StateActive
	if r.Status == request.Finished || r.Status == request.Cancelled {
		state = search.StateDone
	}
	f := access.RequestObject{OfficeID: r.OfficeID, Participants: r.Participants()}
	e := searchEntry{kind: search.KindRequest, id: r.ID, organID: r.OfficeID, unitID: r.UnitID, state: state, at: ts(r.UpdatedAt),
		title: r.Title(), body: truncRunes(lines(body...), search.MaxIndexedRunes), notes: truncRunes(routeNotes(r.Route), search.MaxIndexedRunes/4)}
	return tx.putThingEntry(ctx, e, f, append(unitKeys(f.OfficeID), personKeys(f.Participants...)...))
}

// indexStudyPlan: a 学习计划 — its title and each item's topic and
// material; found by the office's director and 文秘 and by the people it
// names (access.DecideStudy).
func (tx *Tx) indexStudyPlan(ctx context.Context, p *study.Plan) error {
	var body []string
	for _, it := range p.Items {
		body = append(body, it.Topic, it.Material)
	}
	f := access.StudyObject{OfficeID: p.OfficeID, People: p.People()}
	e := searchEntry{kind: search.KindStudyPlan, id: p.ID, organID: p.OfficeID, unitID: p.OfficeID, at: ts(p.UpdatedAt),
		title: p.Title, body: truncRunes(lines(body...), search.MaxIndexedRunes)}
	return tx.putThingEntry(ctx, e, f, append(unitKeys(f.OfficeID), personKeys(f.People...)...))
}

// subjectReaders are the reader keys the subject holds: themselves, the
// units they hold a business role in with those units' sections and
// parents (rules that own a thing by its organ, or let an office's sections
// edit for it), the units they oversee (分管) with their sections, their
// roles, and "all".
func subjectReaders(s access.Subject, units []org.Unit, oversight []org.Oversight) []any {
	var out []any
	seen := map[string]bool{}
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	add("p:" + s.PersonID)
	add("all")
	children := map[string][]string{}
	parent := map[string]string{}
	for _, u := range units {
		children[u.ParentID] = append(children[u.ParentID], u.ID)
		parent[u.ID] = u.ParentID
	}
	var down func(id string, depth int)
	down = func(id string, depth int) {
		add("u:" + id)
		if depth < 4 {
			for _, c := range children[id] {
				down(c, depth+1)
			}
		}
	}
	for _, a := range s.Roles {
		if a.Role.Admin() || a.UnitID == "" {
			continue
		}
		if a.Role == org.RoleLeader {
			add("r:leader")
		}
		down(a.UnitID, 0)
		for p, i := parent[a.UnitID], 0; p != "" && i < 8; p, i = parent[p], i+1 {
			add("u:" + p)
		}
	}
	for _, ov := range oversight {
		if ov.LeaderID == s.PersonID && ov.UnitID != "" {
			down(ov.UnitID, 3)
		}
	}
	return out
}

// searchThings reads the entries of kinds that match q and pass the
// readers predicate, newest first up to the window, and decides each by
// its kind's read rule.
func (c conn) searchThings(ctx context.Context, s access.Subject, q search.Query, kinds []string, units []org.Unit) ([]search.Hit, bool, error) {
	if len(kinds) == 0 || len(s.Roles) == 0 {
		return nil, false, nil
	}
	oversight, err := c.Oversight(ctx)
	if err != nil {
		return nil, false, err
	}
	readers := subjectReaders(s, units, oversight)
	// Most entries are documents: the kind is checked before anything is
	// read of an entry — on SQLite through search_entries_window (0066),
	// not the wide row; on PostgreSQL a phrase is checked (on the
	// tsvector) only on the entries of these kinds that hold all its
	// pairs, which the GIN index answers exactly (as searchDocumentsPG).
	var from string
	var args []any
	ordered := c.d == Postgres && q.Ordered()
	if c.d == Postgres {
		from = `FROM search_entries e WHERE e.tokens @@ ?::tsquery`
		if ordered {
			args = append(args, q.TSQueryAll())
		} else {
			args = append(args, q.TSQuery())
		}
	} else {
		from = `FROM search_fts f JOIN search_entries e INDEXED BY search_entries_window ON e.rid = f.rowid WHERE search_fts MATCH ?`
		args = append(args, q.FTS5())
	}
	where := ` AND e.kind IN (` + placeholders(len(kinds)) + `) AND e.level BETWEEN 0 AND ?
		AND EXISTS (SELECT 1 FROM search_readers r WHERE r.kind = e.kind AND r.obj_id = e.obj_id AND r.reader IN (` + placeholders(len(readers)) + `))`
	for _, k := range kinds {
		args = append(args, k)
	}
	args = append(append(args, int(s.Clearance)), readers...)
	fw, fargs, ok := filterSQL(q.Filters, units)
	if !ok {
		return nil, false, nil
	}
	where += fw
	args = append(args, fargs...)
	cols := `e.kind, e.obj_id, e.unit_id, e.level, e.doc_type, e.state, e.at, e.title, e.number, e.body, e.notes, e.facts`
	sqlText := `SELECT ` + cols + ` ` + from + where + ` ORDER BY e.at DESC LIMIT ?`
	if ordered {
		// OFFSET 0: the phrase is checked above the sort, not in the scan.
		sqlText = `SELECT c.kind, c.obj_id, c.unit_id, c.level, c.doc_type, c.state, c.at, c.title, c.number, c.body, c.notes, c.facts
			FROM (SELECT ` + cols + `, e.tokens ` + from + where + ` ORDER BY e.at DESC OFFSET 0) c WHERE c.tokens @@ ?::tsquery LIMIT ?`
		args = append(args, q.TSQuery())
	}
	type row struct {
		hit   search.Hit
		facts string
	}
	rows, err := queryAll(ctx, c, func(r scanner) (row, error) {
		var x row
		var at int64
		var notes string
		err := r.Scan(&x.hit.Kind, &x.hit.ID, &x.hit.UnitID, &x.hit.Level, &x.hit.DocType, &x.hit.State, &at, &x.hit.Title, &x.hit.Number,
			&x.hit.Body, &notes, &x.facts)
		x.hit.At = fromTS(at)
		if notes != "" {
			x.hit.Body += "\n" + notes
		}
		return x, err
	}, sqlText, append(args, searchCandidates+1)...)
	if err != nil {
		return nil, false, fmt.Errorf("search: %w", err)
	}
	capped := len(rows) > searchCandidates
	if capped {
		rows = rows[:searchCandidates]
	}
	tree := make(map[string]org.Unit, len(units))
	for _, u := range units {
		tree[u.ID] = u
	}
	named := func(unitID, name string) ([]string, error) { return c.peopleNamed(ctx, unitID, name) }
	hits := make([]search.Hit, 0, len(rows))
	for _, x := range rows {
		ok, err := decideThing(s, x.hit.Kind, x.hit.ID, x.facts, tree, oversight, named)
		if err != nil {
			return nil, false, err
		}
		if ok {
			hits = append(hits, x.hit)
		}
	}
	return hits, capped, nil
}

// decideThing decides a hit of a kind exactly as opening it would: the
// read rule of internal/access over the facts stored with the entry and
// the unit tree and 分管 of now (and, for a material, its substitutes'
// people of now, by named). A kind it does not know is refused.
func decideThing(s access.Subject, kind, id, facts string, tree map[string]org.Unit, oversight []org.Oversight,
	named func(unitID, name string) ([]string, error)) (bool, error) {
	bad := func(err error) (bool, error) { return false, fmt.Errorf("search facts of %s %s: %w", kind, id, err) }
	switch kind {
	case search.KindSupervision:
		var f access.SupervisionItem
		if err := json.Unmarshal([]byte(facts), &f); err != nil {
			return bad(err)
		}
		return access.Decide(s, access.ReadObject, access.SupervisionObject(s, f, tree, oversight)).Allow, nil
	case search.KindMeeting:
		var f meetingFacts
		if err := json.Unmarshal([]byte(facts), &f); err != nil {
			return bad(err)
		}
		o := access.Object{Kind: "meeting", ID: id, UnitID: f.UnitID, Level: org.Classification(f.Level), Participants: f.People}
		return access.Decide(s, access.ReadObject, o).Allow, nil
	case search.KindInfo:
		var f infoFacts
		if err := json.Unmarshal([]byte(facts), &f); err != nil {
			return bad(err)
		}
		o := access.InfoObject{OfficeID: f.OfficeID, Units: f.Units, Persons: f.Persons, Level: org.Classification(f.Level)}
		for _, u := range tree {
			if u.ParentID == f.OfficeID && u.Kind == org.KindSection {
				o.Sections = append(o.Sections, u.ID)
			}
		}
		slices.Sort(o.Sections)
		return access.DecideInfo(s, access.ReadInfo, o).Allow, nil
	case search.KindResearch:
		var f access.ResearchObject
		if err := json.Unmarshal([]byte(facts), &f); err != nil {
			return bad(err)
		}
		return access.DecideResearch(s, access.ReadResearch, f).Allow, nil
	case search.KindModelText:
		var f access.StudyObject
		if err := json.Unmarshal([]byte(facts), &f); err != nil {
			return bad(err)
		}
		return access.DecideStudy(s, access.ReadStudy, f).Allow, nil
	case search.KindDutyLog:
		var f dutyFacts
		if err := json.Unmarshal([]byte(facts), &f); err != nil {
			return bad(err)
		}
		o := access.DutyObject{UnitID: f.UnitID, Participants: f.People}
		for _, u := range tree {
			if u.ParentID == f.UnitID && u.Kind == org.KindSection {
				o.Sections = append(o.Sections, u.ID)
			}
		}
		slices.Sort(o.Sections)
		return access.DecideDuty(s, access.ReadDuty, o).Allow, nil
	case search.KindRequest:
		var f access.RequestObject
		if err := json.Unmarshal([]byte(facts), &f); err != nil {
			return bad(err)
		}
		return access.DecideRequest(s, access.ReadRequest, f).Allow, nil
	case search.KindStudyPlan:
		var f access.StudyObject
		if err := json.Unmarshal([]byte(facts), &f); err != nil {
			return bad(err)
		}
		f.Library = false // a plan is never the library, whatever the facts say
		return access.DecideStudy(s, access.ReadStudy, f).Allow, nil
	case search.KindTraining:
		var f access.StudyObject
		if err := json.Unmarshal([]byte(facts), &f); err != nil {
			return bad(err)
		}
		f.Library = false
		return access.DecideStudy(s, access.ReadStudy, f).Allow, nil
	case search.KindMaterial:
		var f materialFacts
		if err := json.Unmarshal([]byte(facts), &f); err != nil {
			return bad(err)
		}
		units := make([]org.Unit, 0, len(tree))
		for _, u := range tree {
			units = append(units, u)
		}
		o, err := f.object(units, named)
		if err != nil {
			return false, err
		}
		return access.DecideMaterial(s, access.ReadMaterial, o).Allow, nil
	}
	return false, nil
}

// reindexThings rebuilds the entries of every kind but documents, a batch
// a transaction; progress counts on from done towards total.
func (s *Store) reindexThings(ctx context.Context, done, total int, progress func(done, total int)) error {
	type source struct {
		table string
		index func(tx *Tx, id string) error
	}
	// A shift's log is the rows of its roster and date: its key is made of
	// them (dutyLogID), in a "table" of its own.
	sources := []source{
		{"sup_items", func(tx *Tx, id string) error {
			it, err := tx.SupItem(ctx, id)
			if err != nil {
				return err
			}
			return tx.indexSupItem(ctx, &it)
		}},
		{"meetings", func(tx *Tx, id string) error {
			m, err := tx.Meeting(ctx, id)
			if err != nil {
				return err
			}
			room, err := tx.MeetingRoom(ctx, m.RoomID)
			if err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
			return tx.indexMeeting(ctx, &m, room)
		}},
		{"info_reports", func(tx *Tx, id string) error {
			r, err := tx.InfoReport(ctx, id)
			if err != nil {
				return err
			}
			return tx.indexInfoReport(ctx, &r)
		}},
		{"research_topics", func(tx *Tx, id string) error {
			t, err := tx.ResearchTopic(ctx, id)
			if err != nil {
				return err
			}
			return tx.indexResearchTopic(ctx, &t)
		}},
		{"study_library", func(tx *Tx, id string) error {
			e, err := tx.LibraryEntry(ctx, id)
			if err != nil {
				return err
			}
			return tx.indexLibraryEntry(ctx, &e)
		}},
		{dutyLogKeys, func(tx *Tx, id string) error {
			rosterID, date, _ := strings.Cut(id, "/")
			ro, err := tx.DutyRoster(ctx, rosterID)
			if err != nil {
				return err
			}
			return tx.indexDutyLog(ctx, ro, date)
		}},
		{"requests", func(tx *Tx, id string) error {
			r, err := tx.Request(ctx, id)
			if err != nil {
				return err
			}
			return tx.indexRequest(ctx, r)
		}},
		{"study_plans", func(tx *Tx, id string) error {
			p, err := tx.StudyPlan(ctx, id)
			if err != nil {
				return err
			}
			return tx.indexStudyPlan(ctx, &p)
		}},
		{"trainings", func(tx *Tx, id string) error {
			t, err := tx.Training(ctx, id)
			if err != nil {
				return err
			}
			return tx.indexTraining(ctx, &t)
		}},
	}
	const batch = 200
	for _, src := range sources {
		after := ""
		for {
			ids, err := s.queryStrings(ctx, `SELECT id FROM `+src.table+` WHERE id > ? ORDER BY id LIMIT ?`, after, batch)
			if err != nil {
				return fmt.Errorf("reindex %s: %w", src.table, err)
			}
			if len(ids) == 0 {
				break
			}
			err = s.Write(ctx, func(tx *Tx) error {
				for _, id := range ids {
					if err := src.index(tx, id); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("reindex %s: %w", src.table, err)
			}
			done += len(ids)
			after = ids[len(ids)-1]
			if progress != nil {
				progress(done, total)
			}
		}
	}
	return nil
}

// dutyLogKeys is every shift's log, as a table of IDs (dutyLogID).
const dutyLogKeys = `(SELECT roster_id || '/' || date AS id FROM duty_entries UNION SELECT roster_id || '/' || date FROM duty_logs) k`

// countThings counts what reindexThings goes through.
func (s *Store) countThings(ctx context.Context) (int, error) {
	var total int
	for _, t := range []string{"sup_items", "meetings", "info_reports", "research_topics", "study_library", dutyLogKeys, "requests", "study_plans", "trainings"} {
		var n int
		if err := s.queryRow(ctx, `SELECT COUNT(*) FROM `+t).Scan(&n); err != nil {
			return 0, fmt.Errorf("reindex: %w", err)
		}
		total += n
	}
	return total, nil
}

// searchKinds are the kinds of this file a kind filter asks for.
func searchKinds(kind string) []string {
	switch {
	case kind == "":
		return thingKinds
	case slices.Contains(thingKinds, kind):
		return []string{kind}
	}
	return nil
}

// PutAttachmentText keeps the text read from an uploaded file, by its
// SHA-256 (the same file has the same text, so a second upload keeps the
// first).
func (s *Store) PutAttachmentText(ctx context.Context, sha256, text string) error {
	if sha256 == "" || strings.TrimSpace(text) == "" {
		return nil
	}
	err := s.Write(ctx, func(tx *Tx) error {
		// A file a 秘密 or 机密 document names is kept encrypted, whatever
		// else names it, and so is not its text (forgetAttachmentTexts).
		if classified, err := tx.FileClassified(ctx, sha256); err != nil || classified {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO attachment_texts (sha256, text) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING`,
			sha256, truncRunes(text, search.MaxIndexedRunes))
		return err
	})
	if err != nil {
		return fmt.Errorf("attachment text: %w", err)
	}
	return nil
}

// forgetAttachmentTexts is the search side of 定密 and of any raise of a
// 密级, in the transaction that makes the document classified: the text read
// from every file the document names (in any version) leaves
// attachment_texts, and the entries of the documents that name those files
// are written again without it — the document's own by setMarking, which
// calls this first, the others (a 非密 document naming the same file) here.
// The files themselves are encrypted at rest after the commit
// (queueFileCrypt); their text is not kept encrypted beside them but
// dropped, as for a file uploaded to a document already classified: a
// classified document is found by its title, 文号 and text, not by its
// attachments'. A 解密 brings the text back by `shuniu search reindex`,
// which reads the files of 非密 documents whose text is not kept.
// The caller wipes what it deletes (wipeDeleted), so that on SQLite the
// text is not left in the free space of the database file either.
func (tx *Tx) forgetAttachmentTexts(ctx context.Context, docID string) error {
	sums, err := tx.DocFileSums(ctx, docID)
	if err != nil || len(sums) == 0 {
		return err
	}
	args := make([]any, len(sums))
	for i, s := range sums {
		args[i] = s
	}
	kept, err := tx.queryStrings(ctx, `SELECT sha256 FROM attachment_texts WHERE sha256 IN (`+placeholders(len(args))+`)`, args...)
	if err != nil || len(kept) == 0 {
		return err
	}
	var others []string
	for _, sha := range kept {
		if _, err := tx.exec(ctx, `DELETE FROM attachment_texts WHERE sha256 = ?`, sha); err != nil {
			return fmt.Errorf("forget attachment texts: %w", err)
		}
		ids, err := tx.queryStrings(ctx, `SELECT doc_id FROM doc_files WHERE sha256 = ? UNION SELECT id FROM documents WHERE content LIKE ?`, sha, "%"+sha+"%")
		if err != nil {
			return fmt.Errorf("forget attachment texts: %w", err)
		}
		for _, id := range ids {
			if id != docID && !slices.Contains(others, id) {
				others = append(others, id)
			}
		}
	}
	for _, id := range others {
		d, err := tx.Document(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.indexDocument(ctx, d, nil); err != nil {
			return err
		}
	}
	return nil
}

// wipeDeleted makes SQLite overwrite with zeros what the transaction
// deletes or rewrites from now until the returned func is called (PRAGMA
// secure_delete; PostgreSQL leaves dead rows to VACUUM, docs/security.md).
// Only for the step that needs it: the other writes of a batched commit do
// not pay for it.
func (tx *Tx) wipeDeleted(ctx context.Context) (func(), error) {
	if tx.d != SQLite {
		return func() {}, nil
	}
	if _, err := tx.exec(ctx, `PRAGMA secure_delete = ON`); err != nil {
		return nil, fmt.Errorf("secure delete: %w", err)
	}
	return func() { _, _ = tx.exec(ctx, `PRAGMA secure_delete = OFF`) }, nil
}

// HasAttachmentText reports whether a file's text is kept.
func (c conn) HasAttachmentText(ctx context.Context, sha256 string) (bool, error) {
	var n int
	if err := c.queryRow(ctx, `SELECT COUNT(*) FROM attachment_texts WHERE sha256 = ?`, sha256).Scan(&n); err != nil {
		return false, fmt.Errorf("attachment text: %w", err)
	}
	return n > 0, nil
}

// withAttachments adds the text of a document's attachments to its entry,
// each under its file name, within the indexed length.
func (tx *Tx) withAttachments(ctx context.Context, e *searchEntry, atts []document.Attachment) error {
	text, err := tx.fileTexts(ctx, atts)
	if err != nil {
		return err
	}
	e.body += text
	return nil
}

// AttachmentsWithoutText lists the files of a readable kind
// (textextract.Supported decides) whose text is not kept — files uploaded
// before texts were read, for `shuniu search reindex`: the attachments of
// 非密 documents and information reports, the files of supervision items'
// progress reports and evidence, and the newest material of each 议题 of a
// 非密 meeting.
func (s *Store) AttachmentsWithoutText(ctx context.Context, supported func(name string) bool) ([]document.Attachment, error) {
	kept, err := s.queryStrings(ctx, `SELECT sha256 FROM attachment_texts`)
	if err != nil {
		return nil, fmt.Errorf("attachments: %w", err)
	}
	have := map[string]bool{}
	for _, k := range kept {
		have[k] = true
	}
	var out []document.Attachment
	add := func(a document.Attachment) {
		if a.SHA256 != "" && !have[a.SHA256] && supported(a.Name) {
			have[a.SHA256] = true
			out = append(out, a)
		}
	}
	// Each source is read 200 at a time; the classified are left out by
	// their table's level, or by the record's.
	sources := []struct {
		table string
		files func(ids []string) error
	}{
		{"documents", func(ids []string) error {
			recs, err := s.Documents(ctx, ids)
			if err != nil {
				return err
			}
			for _, d := range recs {
				if d.Level() != org.Unclassified {
					continue // its files are encrypted at rest, and their text is not copied in clear
				}
				for _, a := range d.Doc.Attachments {
					add(a)
				}
			}
			return nil
		}},
		{"sup_items", func(ids []string) error {
			for _, id := range ids {
				it, err := s.SupItem(ctx, id)
				if err != nil {
					return err
				}
				for _, a := range it.Files() {
					add(document.Attachment{Name: a.Name, SHA256: a.SHA256})
				}
			}
			return nil
		}},
		{"info_reports", func(ids []string) error {
			for _, id := range ids {
				r, err := s.InfoReport(ctx, id)
				if err != nil {
					return err
				}
				if r.Level == org.Unclassified {
					for _, a := range r.Attachments {
						add(a)
					}
				}
			}
			return nil
		}},
		{"meetings", func(ids []string) error {
			for _, id := range ids {
				m, err := s.Meeting(ctx, id)
				if err != nil {
					return err
				}
				if m.Level != org.Unclassified {
					continue
				}
				for _, it := range m.Agenda {
					if mat, ok := it.Latest(); ok {
						add(document.Attachment{Name: mat.Name, SHA256: mat.SHA256})
					}
				}
			}
			return nil
		}},
	}
	for _, src := range sources {
		after := ""
		for {
			ids, err := s.queryStrings(ctx, `SELECT id FROM `+src.table+` WHERE id > ? ORDER BY id LIMIT 200`, after)
			if err != nil {
				return nil, fmt.Errorf("attachments: %w", err)
			}
			if len(ids) == 0 {
				break
			}
			if err := src.files(ids); err != nil {
				return nil, fmt.Errorf("attachments: %w", err)
			}
			after = ids[len(ids)-1]
		}
	}
	return out, nil
}
