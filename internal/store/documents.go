package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Directions of a stored document.
const (
	Outgoing = "outgoing" // 发文
	Incoming = "incoming" // 收文
)

// DocRecord is a stored document: the 公文 itself plus what the office keeps
// about it (which unit, which step, which numbers).
type DocRecord struct {
	ID        string            `json:"id"`
	Direction string            `json:"direction"`
	UnitID    string            `json:"unit_id"`
	OrganID   string            `json:"organ_id"`
	SourceID  string            `json:"source_id,omitempty"`
	Doc       document.Document `json:"document"`
	DocNumber string            `json:"doc_number,omitempty"`
	InNumber  string            `json:"incoming_number,omitempty"`
	Sender    string            `json:"sender,omitempty"`
	Step      string            `json:"step"`
	Status    route.Status      `json:"status"`
	Version   int               `json:"version"`
	CreatedBy string            `json:"created_by"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
	ClosedAt  time.Time         `json:"closed_at,omitzero"`
}

// Level is the document's classification as the access function sees it.
func (r DocRecord) Level() org.Classification { return org.Classification(r.Doc.Classification.Level) }

const docCols = `id, direction, unit_id, organ_id, source_id, content, doc_number, in_number, sender, step, status, version, created_by, created_at, updated_at, closed_at`

func scanDoc(r scanner) (DocRecord, error) { return scanDocAnd(r) }

// scanDocAnd reads docCols and then the extra columns into extra.
func scanDocAnd(r scanner, extra ...any) (DocRecord, error) {
	var d DocRecord
	var content, status string
	var created, updated, closed int64
	dest := append([]any{&d.ID, &d.Direction, &d.UnitID, &d.OrganID, &d.SourceID, &content, &d.DocNumber, &d.InNumber, &d.Sender,
		&d.Step, &status, &d.Version, &d.CreatedBy, &created, &updated, &closed}, extra...)
	if err := r.Scan(dest...); err != nil {
		return d, err
	}
	if err := json.Unmarshal([]byte(content), &d.Doc); err != nil {
		return d, fmt.Errorf("decode document %s: %w", d.ID, err)
	}
	d.Status = route.Status(status)
	d.CreatedAt, d.UpdatedAt, d.ClosedAt = fromTS(created), fromTS(updated), fromTS(closed)
	return d, nil
}

// Document returns one document.
func (c conn) Document(ctx context.Context, id string) (DocRecord, error) {
	d, err := scanDoc(c.queryRow(ctx, `SELECT `+docCols+` FROM documents WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("document %s: %w", id, ErrNotFound)
	}
	return d, err
}

// documentAndRoute reads a document and its route state in one statement
// (every route operation starts with both).
func (c conn) documentAndRoute(ctx context.Context, id string) (DocRecord, route.Instance, error) {
	var state string
	d, err := scanDocAnd(c.queryRow(ctx, `SELECT `+docColsD+`, r.state FROM documents d JOIN route_instances r ON r.id = d.id WHERE d.id = ?`, id), &state)
	if errors.Is(err, sql.ErrNoRows) {
		return d, route.Instance{}, fmt.Errorf("document %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return d, route.Instance{}, err
	}
	in, err := c.decodeInstance(ctx, state)
	return d, in, err
}

// docColsD is docCols qualified by the alias d (in the same order).
const docColsD = `d.id, d.direction, d.unit_id, d.organ_id, d.source_id, d.content, d.doc_number, d.in_number, d.sender, d.step, d.status, d.version, d.created_by, d.created_at, d.updated_at, d.closed_at`

// Documents returns the documents with the given IDs, in that order (missing ones skipped).
func (c conn) Documents(ctx context.Context, ids []string) ([]DocRecord, error) {
	return c.docsByID(ctx, docCols, scanDoc, ids)
}

// summaryCols are a document's list columns: everything but the content.
const summaryCols = `id, direction, unit_id, organ_id, source_id, title, doc_type, level, urgency, doc_number, in_number, sender, step, status, version, created_by, created_at, updated_at, closed_at`

// DocSummaries returns the documents with the given IDs, in that order, for
// lists: every column but the content, whose title, type, classification and
// urgency are filled from their columns (no body, no recipients). Decoding the
// full content of 200 documents would dominate a 待办 page.
func (c conn) DocSummaries(ctx context.Context, ids []string) ([]DocRecord, error) {
	return c.docsByID(ctx, summaryCols, scanSummary, ids)
}

func scanSummary(r scanner) (DocRecord, error) {
	var d DocRecord
	var docType, urgency, status string
	var level int64
	var created, updated, closed int64
	if err := r.Scan(&d.ID, &d.Direction, &d.UnitID, &d.OrganID, &d.SourceID, &d.Doc.Title, &docType, &level, &urgency, &d.DocNumber,
		&d.InNumber, &d.Sender, &d.Step, &status, &d.Version, &d.CreatedBy, &created, &updated, &closed); err != nil {
		return d, err
	}
	d.Doc.ID, d.Doc.Type, d.Doc.Urgency = d.ID, document.DocType(docType), document.Urgency(urgency)
	d.Doc.Classification.Level = document.Level(level)
	d.Status = route.Status(status)
	d.CreatedAt, d.UpdatedAt, d.ClosedAt = fromTS(created), fromTS(updated), fromTS(closed)
	return d, nil
}

// docsByID reads the documents with the given IDs through cols and scan, and
// returns them in the order of ids (missing ones skipped).
func (c conn) docsByID(ctx context.Context, cols string, scan func(scanner) (DocRecord, error), ids []string) ([]DocRecord, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	recs, err := queryAll(ctx, c, scan, `SELECT `+cols+` FROM documents WHERE id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	byID := make(map[string]DocRecord, len(recs))
	for _, d := range recs {
		byID[d.ID] = d
	}
	out := make([]DocRecord, 0, len(ids))
	for _, id := range ids {
		if d, ok := byID[id]; ok {
			out = append(out, d)
		}
	}
	return out, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// lockDocument holds a document's row to the end of the transaction on
// PostgreSQL, so that what the transaction reads of the document next — its
// row, its route, its annotations — is the latest committed and stays so
// until it commits: two writes on one document then run one after the other
// instead of both working from the same reading. (SQLite has one writer, so
// a transaction sees no other's changes anyway.)
func (tx *Tx) lockDocument(ctx context.Context, id string) error {
	if tx.d != Postgres {
		return nil
	}
	var one int
	err := tx.queryRow(ctx, `SELECT 1 FROM documents WHERE id = ? FOR UPDATE`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("document %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("lock document: %w", err)
	}
	return nil
}

// documentForUpdate is lockDocument and then the document.
func (tx *Tx) documentForUpdate(ctx context.Context, id string) (DocRecord, error) {
	if err := tx.lockDocument(ctx, id); err != nil {
		return DocRecord{}, err
	}
	return tx.Document(ctx, id)
}

// putDocument inserts a document row, or replaces one that is still at
// version prev (else ErrModified: someone saved it since it was read).
func (tx *Tx) putDocument(ctx context.Context, d DocRecord, insert bool, prev int) error {
	// Every path that writes a document's content comes here: the API, the
	// forms, imports and 分发's copies all meet the same limits.
	if err := document.CheckLimits(d.Doc); err != nil {
		return err
	}
	content, err := json.Marshal(d.Doc)
	if err != nil {
		return err
	}
	if insert {
		_, err = tx.exec(ctx, `INSERT INTO documents (id, direction, unit_id, organ_id, source_id, title, doc_type, level, urgency, doc_number, in_number, sender, step, status, version, content, created_by, created_at, updated_at, closed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.ID, d.Direction, d.UnitID, d.OrganID, d.SourceID, d.Doc.Title, string(d.Doc.Type), int64(d.Doc.Classification.Level), string(d.Doc.Urgency),
			d.DocNumber, d.InNumber, d.Sender, d.Step, string(d.Status), d.Version, string(content), d.CreatedBy, ts(d.CreatedAt), ts(d.UpdatedAt), ts(d.ClosedAt))
		if err == nil && d.Doc.Classification.Level != document.Unclassified {
			err = tx.queueFileCrypt(ctx, d.ID)
		}
	} else {
		// A changed 密级 changes how the document's files are kept at rest.
		var was int64
		if err := tx.queryRow(ctx, `SELECT level FROM documents WHERE id = ?`, d.ID).Scan(&was); err == nil && was != int64(d.Doc.Classification.Level) {
			if err := tx.queueFileCrypt(ctx, d.ID); err != nil {
				return err
			}
		}
		var res sql.Result
		res, err = tx.exec(ctx, `UPDATE documents SET title = ?, doc_type = ?, level = ?, urgency = ?, doc_number = ?, in_number = ?, step = ?, status = ?, version = ?, content = ?, updated_at = ?, closed_at = ? WHERE id = ? AND version = ?`,
			d.Doc.Title, string(d.Doc.Type), int64(d.Doc.Classification.Level), string(d.Doc.Urgency), d.DocNumber, d.InNumber, d.Step, string(d.Status),
			d.Version, string(content), ts(d.UpdatedAt), ts(d.ClosedAt), d.ID, prev)
		if err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				return ErrModified
			}
		}
	}
	if err != nil {
		return fmt.Errorf("save document: %w", err)
	}
	return tx.indexDocument(ctx, d, nil)
}

// putDocumentState updates where a document stands — its step, status and
// times — leaving its content as it is.
func (tx *Tx) putDocumentState(ctx context.Context, d DocRecord) error {
	if _, err := tx.exec(ctx, `UPDATE documents SET step = ?, status = ?, updated_at = ?, closed_at = ? WHERE id = ?`,
		d.Step, string(d.Status), ts(d.UpdatedAt), ts(d.ClosedAt), d.ID); err != nil {
		return fmt.Errorf("save document: %w", err)
	}
	return tx.indexDocumentState(ctx, d)
}

// VersionMeta describes one saved version.
type VersionMeta struct {
	N      int            `json:"n"`
	Author string         `json:"author"`
	Note   string         `json:"note,omitempty"`
	At     time.Time      `json:"at"`
	Level  document.Level `json:"level"` // the version's own 密级
}

func (tx *Tx) addVersion(ctx context.Context, docID string, v document.Version) error {
	if err := textlimit.Text("version_note", "版本说明", document.MaxVersionNote, v.Note); err != nil {
		return err
	}
	content, err := json.Marshal(v.Doc)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO doc_versions (doc_id, n, content, author, note, created_at, level) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		docID, v.N, string(content), v.Author, v.Note, ts(v.At), int64(v.Doc.Classification.Level))
	if isUnique(err) {
		// Another write made this version first.
		return ErrModified
	}
	if err != nil {
		return fmt.Errorf("save version: %w", err)
	}
	return nil
}

// Versions lists a document's versions, oldest first.
func (c conn) Versions(ctx context.Context, docID string) ([]VersionMeta, error) {
	return queryAll(ctx, c, func(rows scanner) (VersionMeta, error) {
		var v VersionMeta
		var at, level int64
		if err := rows.Scan(&v.N, &v.Author, &v.Note, &at, &level); err != nil {
			return v, err
		}
		v.At, v.Level = fromTS(at), document.Level(level)
		return v, nil
	}, `SELECT n, author, note, created_at, level FROM doc_versions WHERE doc_id = ? ORDER BY n`, docID)
}

// Version returns one saved version.
func (c conn) Version(ctx context.Context, docID string, n int) (document.Version, error) {
	var v document.Version
	var content string
	var at int64
	err := c.queryRow(ctx, `SELECT n, content, author, note, created_at FROM doc_versions WHERE doc_id = ? AND n = ?`, docID, n).
		Scan(&v.N, &content, &v.Author, &v.Note, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("version %d: %w", n, ErrNotFound)
	}
	if err != nil {
		return v, err
	}
	v.At = fromTS(at)
	return v, json.Unmarshal([]byte(content), &v.Doc)
}

// Annotations lists a document's 批注.
func (c conn) Annotations(ctx context.Context, docID string) ([]document.Annotation, error) {
	return queryJSON[document.Annotation](ctx, c, `SELECT content FROM doc_annotations WHERE doc_id = ? ORDER BY created_at, id`, docID)
}

// putAnnotation inserts or updates a 批注.
func (tx *Tx) putAnnotation(ctx context.Context, docID string, a document.Annotation) error {
	raw, err := json.Marshal(a)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE doc_annotations SET content = ?, resolved = ? WHERE id = ? AND doc_id = ?`, string(raw), b2i(a.Resolved), a.ID, docID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		_, err = tx.exec(ctx, `INSERT INTO doc_annotations (id, doc_id, content, resolved, created_at) VALUES (?, ?, ?, ?, ?)`, a.ID, docID, string(raw), b2i(a.Resolved), ts(a.At))
	}
	return err
}

// Recipient is a unit a document is addressed to.
type Recipient struct {
	UnitID string `json:"unit_id"`
	Kind   string `json:"kind"` // to | cc
}

func (tx *Tx) setRecipients(ctx context.Context, docID string, rs []Recipient) error {
	if _, err := tx.exec(ctx, `DELETE FROM doc_recipients WHERE doc_id = ?`, docID); err != nil {
		return err
	}
	for _, r := range rs {
		if _, err := tx.exec(ctx, `INSERT INTO doc_recipients (doc_id, unit_id, kind) VALUES (?, ?, ?)`, docID, r.UnitID, r.Kind); err != nil {
			if isUnique(err) {
				return errors.New("同一单位不能既是主送又是抄送，也不能重复")
			}
			return fmt.Errorf("save recipient: %w", err)
		}
	}
	return nil
}

// Recipients lists the units a document is addressed to.
func (c conn) Recipients(ctx context.Context, docID string) ([]Recipient, error) {
	return queryAll(ctx, c, func(rows scanner) (Recipient, error) {
		var r Recipient
		if err := rows.Scan(&r.UnitID, &r.Kind); err != nil {
			return r, err
		}
		return r, nil
	}, `SELECT unit_id, kind FROM doc_recipients WHERE doc_id = ? ORDER BY kind DESC, unit_id`, docID)
}

// Instance returns a document's route state.
func (c conn) Instance(ctx context.Context, id string) (route.Instance, error) {
	var raw string
	err := c.queryRow(ctx, `SELECT state FROM route_instances WHERE id = ?`, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return route.Instance{}, fmt.Errorf("route %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return route.Instance{}, err
	}
	return c.decodeInstance(ctx, raw)
}

// storedInstance is a route instance as kept in route_instances.state: its
// template by reference (route_template_versions). Its Template field hides
// the embedded one from encoding/json; it is set only in rows written before
// templates were kept apart.
type storedInstance struct {
	route.Instance
	Template    *route.Template `json:"template,omitempty"`
	TemplateRef string          `json:"template_ref,omitempty"`
}

func (c conn) decodeInstance(ctx context.Context, raw string) (route.Instance, error) {
	var st storedInstance
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		return route.Instance{}, fmt.Errorf("decode route: %w", err)
	}
	in := st.Instance
	if st.Template != nil {
		in.Template = *st.Template
		return in, nil
	}
	t, err := c.templateVersion(ctx, st.TemplateRef)
	if err != nil {
		return in, fmt.Errorf("route %s: %w", in.ID, err)
	}
	in.Template, in.TemplateRef = t, st.TemplateRef
	return in, nil
}

// templateVersion returns a stored template by its reference.
func (c conn) templateVersion(ctx context.Context, ref string) (route.Template, error) {
	if t, ok := c.tc.get(ref); ok {
		return t, nil
	}
	var raw string
	err := c.queryRow(ctx, `SELECT template FROM route_template_versions WHERE ref = ?`, ref).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return route.Template{}, fmt.Errorf("route template %q: %w", ref, ErrNotFound)
	}
	if err != nil {
		return route.Template{}, fmt.Errorf("read route template: %w", err)
	}
	var t route.Template
	if err := json.Unmarshal([]byte(raw), &t); err != nil {
		return t, fmt.Errorf("decode route template %q: %w", ref, err)
	}
	c.tc.put(ref, t)
	return t, nil
}

// putTemplateVersion stores a template under its content hash (once) and
// returns the reference.
func (tx *Tx) putTemplateVersion(ctx context.Context, t route.Template) (string, error) {
	raw, err := json.Marshal(t)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(raw)
	ref := hex.EncodeToString(sum[:])
	if _, err := tx.exec(ctx, `INSERT INTO route_template_versions (ref, template, created_at) VALUES (?, ?, ?) ON CONFLICT (ref) DO NOTHING`,
		ref, string(raw), ts(tx.now)); err != nil {
		return "", fmt.Errorf("save route template: %w", err)
	}
	return ref, nil
}

// templateCache keeps decoded route templates by reference. A reference is a
// hash of the content, so an entry is true on every server for ever; the
// cache only saves decoding. It hands out copies.
type templateCache struct {
	mu sync.Mutex
	m  map[string]route.Template
}

func (c *templateCache) get(ref string) (route.Template, bool) {
	if c == nil {
		return route.Template{}, false
	}
	c.mu.Lock()
	t, ok := c.m[ref]
	c.mu.Unlock()
	if !ok {
		return t, false
	}
	return t.Clone(), true
}

func (c *templateCache) put(ref string, t route.Template) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// A deployment has a handful of templates per organ; an unbounded number
	// would mean something odd, so start over rather than grow.
	if c.m == nil || len(c.m) >= 1024 {
		c.m = map[string]route.Template{}
	}
	c.m[ref] = t.Clone()
}

// RouteEvents returns a route's history in order.
func (c conn) RouteEvents(ctx context.Context, id string) ([]route.Event, error) {
	return queryJSON[route.Event](ctx, c, `SELECT event FROM route_events WHERE instance_id = ? ORDER BY seq`, id)
}

// queryJSON runs a query whose rows are one JSON value each and decodes them.
func queryJSON[T any](ctx context.Context, c conn, q string, args ...any) ([]T, error) {
	raws, err := c.queryStrings(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(raws))
	for i, raw := range raws {
		if err := json.Unmarshal([]byte(raw), &out[i]); err != nil {
			return nil, fmt.Errorf("decode row %d: %w", i, err)
		}
	}
	return out, nil
}

// ErrStale is returned when someone else changed a route since it was read.
var ErrStale = errors.New("该文件已被他人处理，请刷新后重试")

// ErrModified is returned when a document (or an office's route template)
// changed since the version an edit started from: two people saving, or
// accepting a proofreading suggestion, from the same version. It is an
// ErrStale, answered with 409.
var ErrModified error = modifiedError{}

type modifiedError struct{}

func (modifiedError) Error() string        { return "已被他人修改，请刷新后重试" }
func (modifiedError) Is(target error) bool { return target == ErrStale }

// saveInstance writes the route state (refusing if it moved on since prevSeq;
// prevSeq < 0 inserts), appends its events and rebuilds its open-task index.
func (tx *Tx) saveInstance(ctx context.Context, in route.Instance, prevSeq int, events []route.Event) error {
	// An instance read from the store names its template already, and that
	// template row is visible to (and commits with) this transaction.
	if in.TemplateRef == "" {
		ref, err := tx.putTemplateVersion(ctx, in.Template)
		if err != nil {
			return err
		}
		in.TemplateRef = ref
	}
	enc, err := encodeRoute(in, events)
	if err != nil {
		return err
	}
	return tx.writeRoute(ctx, enc, prevSeq)
}

// encodedRoute is a route state and its new events ready to write: the JSON
// and row values, computed outside the write (see Store.Act).
type encodedRoute struct {
	id, state string
	seq       int
	updatedAt int64
	events    []any // route_events rows, 5 values each
	tasks     []any // open_tasks rows, 12 values each
	notices   []route.Notice
}

// encodeRoute encodes an instance whose TemplateRef is set.
func encodeRoute(in route.Instance, events []route.Event) (encodedRoute, error) {
	raw, err := json.Marshal(storedInstance{Instance: in, TemplateRef: in.TemplateRef})
	if err != nil {
		return encodedRoute{}, err
	}
	enc := encodedRoute{id: in.ID, state: string(raw), seq: in.Seq, updatedAt: ts(in.UpdatedAt), notices: route.Notices(in, events)}
	for _, e := range events {
		b, err := json.Marshal(e)
		if err != nil {
			return enc, err
		}
		enc.events = append(enc.events, in.ID, e.Seq, ts(e.At), e.Actor, string(b))
	}
	for _, t := range in.OpenTasks() {
		a, st := t.Assignee, in.Template.Steps[t.Step]
		enc.tasks = append(enc.tasks, in.ID, t.ID, string(a.Kind), a.Person, a.Role, a.Unit, st.Name, b2i(st.Circulate), ts(t.HandedAt), ts(t.Due), ts(t.AckDue), b2i(t.Acknowledged()))
	}
	return enc, nil
}

// writeRoute writes an encoded route state: refusing with ErrStale if it
// moved on since prevSeq (prevSeq < 0 inserts), then its events in one
// statement and its open-task index in two — a route operation is on every
// request's path — and the messages it owes (tellRoute), in the same
// transaction.
func (tx *Tx) writeRoute(ctx context.Context, enc encodedRoute, prevSeq int) error {
	if prevSeq < 0 {
		if _, err := tx.exec(ctx, `INSERT INTO route_instances (id, seq, state, updated_at) VALUES (?, ?, ?, ?)`, enc.id, enc.seq, enc.state, enc.updatedAt); err != nil {
			return fmt.Errorf("save route: %w", err)
		}
	} else {
		res, err := tx.exec(ctx, `UPDATE route_instances SET seq = ?, state = ?, updated_at = ? WHERE id = ? AND seq = ?`, enc.seq, enc.state, enc.updatedAt, enc.id, prevSeq)
		if err != nil {
			return fmt.Errorf("save route: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrStale
		}
	}
	if len(enc.events) > 0 {
		if _, err := tx.exec(ctx, `INSERT INTO route_events (instance_id, seq, at, actor, event) VALUES `+valueRows(len(enc.events)/5, 5), enc.events...); err != nil {
			return fmt.Errorf("save route event: %w", err)
		}
	}
	if prevSeq >= 0 {
		if _, err := tx.exec(ctx, `DELETE FROM open_tasks WHERE instance_id = ?`, enc.id); err != nil {
			return fmt.Errorf("index open tasks: %w", err)
		}
	}
	if len(enc.tasks) > 0 {
		if _, err := tx.exec(ctx, `INSERT INTO open_tasks (instance_id, task_id, kind, person, role, unit, step, circulate, handed_at, due_at, ack_due_at, acked) VALUES `+valueRows(len(enc.tasks)/12, 12), enc.tasks...); err != nil {
			return fmt.Errorf("index open task: %w", err)
		}
	}
	return tx.tellRoute(ctx, enc.id, enc.notices)
}

// valueRows is the VALUES list of a multi-row INSERT: rows groups of cols
// placeholders. Statements are cached by text, and a route operation writes
// only a few rows, so the texts stay few.
func valueRows(rows, cols int) string {
	one := "(" + placeholders(cols) + ")"
	var b strings.Builder
	b.Grow(rows * (len(one) + 2))
	for i := 0; i < rows; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}

func (tx *Tx) addParticipant(ctx context.Context, docID, personID string, at time.Time) error {
	_, err := tx.exec(ctx, `INSERT INTO participants (doc_id, person_id, acted_at) VALUES (?, ?, ?)
		ON CONFLICT (doc_id, person_id) DO UPDATE SET acted_at = excluded.acted_at`, docID, personID, ts(at))
	if err != nil {
		return fmt.Errorf("save participant: %w", err)
	}
	return nil
}

// Participants lists the people who have acted on a document.
func (c conn) Participants(ctx context.Context, docID string) ([]string, error) {
	return c.queryStrings(ctx, `SELECT person_id FROM participants WHERE doc_id = ?`, docID)
}

// nextNumber allocates the next number of a counter inside the transaction:
// the row stays locked until commit, so concurrent allocations on either
// store are serialised, and a rollback gives the number back (no gaps).
func (tx *Tx) nextNumber(ctx context.Context, scope string, year int) (int, error) {
	var n int
	err := tx.queryRow(ctx, `INSERT INTO number_counters (scope, year, last) VALUES (?, ?, 1)
		ON CONFLICT (scope, year) DO UPDATE SET last = number_counters.last + 1 RETURNING last`, scope, year).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("allocate number: %w", err)
	}
	return n, nil
}

// NumberEventRecord is a stored assignment or voiding of a number.
type NumberEventRecord struct {
	Scope  string    `json:"scope"`
	Year   int       `json:"year"`
	Seq    int       `json:"seq"`
	DocID  string    `json:"doc_id"`
	Kind   string    `json:"kind"`
	Reason string    `json:"reason,omitempty"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

func (tx *Tx) recordNumber(ctx context.Context, id string, e NumberEventRecord) error {
	_, err := tx.exec(ctx, `INSERT INTO number_events (id, scope, year, seq, doc_id, kind, reason, by_person, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, e.Scope, e.Year, e.Seq, e.DocID, e.Kind, e.Reason, e.By, ts(e.At))
	return err
}

// NumberEvents lists the assignments and voidings of a counter, in order.
func (c conn) NumberEvents(ctx context.Context, scope string, year int) ([]NumberEventRecord, error) {
	return queryAll(ctx, c, func(rows scanner) (NumberEventRecord, error) {
		var e NumberEventRecord
		var at int64
		if err := rows.Scan(&e.Scope, &e.Year, &e.Seq, &e.DocID, &e.Kind, &e.Reason, &e.By, &at); err != nil {
			return e, err
		}
		e.At = fromTS(at)
		return e, nil
	}, `SELECT scope, year, seq, doc_id, kind, reason, by_person, at FROM number_events WHERE scope = ? AND year = ? ORDER BY seq, at`, scope, year)
}

// DocFile is a file attached to a document: an 附件 or a scan of a paper original.
type DocFile struct {
	DocID     string    `json:"doc_id"`
	SHA256    string    `json:"sha256"`
	Name      string    `json:"name"`
	Role      string    `json:"role"` // issued | attachment | scan (document.FileRole)
	Size      int64     `json:"size"`
	MediaType string    `json:"media_type"`
	AddedBy   string    `json:"added_by"`
	AddedAt   time.Time `json:"added_at"`
}

// AddFile records a file (already written to the content-addressed file store
// under its SHA-256) against a document, with its audit entry.
func (s *Store) AddFile(ctx context.Context, by org.Person, f DocFile) error {
	return s.Write(ctx, func(tx *Tx) error { return tx.AddFile(ctx, by, f) })
}

// AddFile is Store.AddFile inside a transaction, so that a document and the
// files it was created with are stored together or not at all.
func (tx *Tx) AddFile(ctx context.Context, by org.Person, f DocFile) error {
	if r := document.FileRole(f.Role); r != document.FileAttachment && r != document.FileScan && r != document.FileIssued {
		return errors.New("未知的文件类别")
	}
	if err := document.ValidSHA256(f.SHA256); err != nil {
		return err
	}
	if err := document.ValidAttachmentName(f.Name); err != nil {
		return err
	}
	rec, err := tx.Document(ctx, f.DocID)
	if err != nil {
		return err
	}
	if err := tx.refuseArchived(ctx, f.DocID, "添加文件"); err != nil {
		return err
	}
	if rec.Level() != org.Unclassified {
		if err := tx.queueFileCrypt(ctx, f.DocID); err != nil {
			return err
		}
	}
	if _, err := tx.exec(ctx, `INSERT INTO blobs (sha256, size, media_type, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`,
		f.SHA256, f.Size, f.MediaType, ts(tx.now)); err != nil {
		return fmt.Errorf("save blob: %w", err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO doc_files (doc_id, sha256, name, role, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)`,
		f.DocID, f.SHA256, f.Name, f.Role, by.ID, ts(tx.now)); err != nil {
		if isUnique(err) {
			return errors.New("该文件已添加")
		}
		return fmt.Errorf("save file: %w", err)
	}
	return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "document.file.add", ObjectKind: "document", ObjectID: f.DocID,
		Detail: jsonString(map[string]any{"name": f.Name, "sha256": f.SHA256, "size": f.Size, "role": f.Role})})
}

// Files lists a document's files.
func (c conn) Files(ctx context.Context, docID string) ([]DocFile, error) {
	return queryAll(ctx, c, func(rows scanner) (DocFile, error) {
		var f DocFile
		var at int64
		if err := rows.Scan(&f.DocID, &f.SHA256, &f.Name, &f.Role, &f.Size, &f.MediaType, &f.AddedBy, &at); err != nil {
			return f, err
		}
		f.AddedAt = fromTS(at)
		return f, nil
	}, `SELECT f.doc_id, f.sha256, f.name, f.role, b.size, b.media_type, f.added_by, f.added_at
		FROM doc_files f JOIN blobs b ON b.sha256 = f.sha256 WHERE f.doc_id = ? ORDER BY f.added_at, f.name`, docID)
}

// IncomingFrom lists the incoming items that distributing an outgoing
// document created, one per receiving unit.
func (c conn) IncomingFrom(ctx context.Context, sourceID string) ([]DocRecord, error) {
	return queryAll(ctx, c, scanDoc, `SELECT `+docCols+` FROM documents WHERE source_id = ? ORDER BY created_at, id`, sourceID)
}

// CountDocuments counts all documents.
func (c conn) CountDocuments(ctx context.Context) (int, error) {
	var n int
	err := c.queryRow(ctx, `SELECT COUNT(*) FROM documents`).Scan(&n)
	return n, err
}
