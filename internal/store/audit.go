package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// Audit appends an entry to the chain inside this transaction; it commits or
// rolls back with the transaction's other writes.
//
// SQLite: the write lock is held by the batch (one writer), so the entry is
// chained at once; the head is kept in memory for the batch and written once
// before the commit (see groupCommit.run).
//
// PostgreSQL: the entry is kept until the transaction's last statement
// (flushAudit), so that the chain's head row is locked, if at all, only for
// the commit itself.
func (tx *Tx) Audit(ctx context.Context, ev audit.Event) error {
	if ev.Outcome == "" {
		ev.Outcome = audit.OK
	}
	if tx.d == Postgres {
		tx.events = append(tx.events, timedEvent{ev: ev, at: tx.now})
		return nil
	}
	b := tx.batch
	if !b.headRead {
		if err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&b.head.Seq, &b.head.Hash); err != nil {
			return fmt.Errorf("read audit head: %w", err)
		}
		b.headRead = true
	}
	var p *audit.Entry
	if b.head.Seq > 0 {
		p = &b.head
	}
	e := audit.Seal(tx.s.key, p, ev, tx.now)
	if err := insertAudit(ctx, tx.conn, []audit.Entry{e}); err != nil {
		return err
	}
	b.head, b.headDirty = e, true
	return nil
}

// timedEvent is an audit event with the transaction time it happened at.
type timedEvent struct {
	ev audit.Event
	at time.Time
}

// flushAudit writes a PostgreSQL transaction's audit entries as its last
// statement before the commit. When no one holds the chain's head (SKIP
// LOCKED: it never waits), they are chained at once and the head stays locked
// only through the commit. Otherwise — another writer or a sealer is on it —
// they are queued in audit_pending, and Write waits after the commit for the
// sealer to chain them. Either way no writer waits on the head inside its
// transaction.
func (tx *Tx) flushAudit(ctx context.Context) error {
	if len(tx.events) == 0 {
		return nil
	}
	var head audit.Entry
	err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE SKIP LOCKED`).Scan(&head.Seq, &head.Hash)
	switch {
	case err == nil:
		return chainAudit(ctx, tx.conn, tx.s.key, head, tx.events, nil)
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("read audit head: %w", err)
	}
	args := make([]any, 0, 9*len(tx.events))
	for _, t := range tx.events {
		ev := t.ev
		args = append(args, ts(t.at), ev.ActorID, ev.ActorName, ev.Action, ev.ObjectKind, ev.ObjectID, string(ev.Outcome), ev.IP, ev.Detail)
	}
	if _, err := tx.exec(ctx, `INSERT INTO audit_pending (at, actor_id, actor_name, action, object_kind, object_id, outcome, ip, detail)
		VALUES `+valueRows(len(tx.events), 9), args...); err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	tx.queued = true
	return nil
}

// chainAudit chains events after head, which the caller has locked, in one
// statement (one round trip): it appends the entries, keyed with k, dequeues
// the queued ones they came from (dequeue: audit_pending ids; by id, never by
// range, so that an entry committed since they were read is left for the next
// run) and advances the head.
func chainAudit(ctx context.Context, c conn, k *audit.Key, head audit.Entry, events []timedEvent, dequeue []any) error {
	prev := &head
	if head.Seq == 0 {
		prev = nil
	}
	args := make([]any, 0, auditCols*len(events)+len(dequeue)+2)
	for _, t := range events {
		e := audit.Seal(k, prev, t.ev, t.at)
		prev = &e
		args = appendAuditArgs(args, e)
	}
	args = append(args, dequeue...)
	args = append(args, prev.Seq, prev.Hash)
	q := `WITH appended AS (
			INSERT INTO audit_log (` + auditColumns + `)
			VALUES ` + valueRows(len(events), auditCols) + `
		)`
	if len(dequeue) > 0 {
		q += `, dequeued AS (DELETE FROM audit_pending WHERE id IN (` + placeholders(len(dequeue)) + `))`
	}
	if _, err := c.exec(ctx, q+` UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, args...); err != nil {
		return fmt.Errorf("chain audit entries: %w", err)
	}
	return nil
}

// auditColumns are audit_log's columns, in the order of appendAuditArgs and
// scanAudit.
const (
	auditColumns = `seq, at, actor_id, actor_name, action, object_kind, object_id, outcome, ip, detail, prev_hash, hash, alg, key_id`
	auditCols    = 14
)

func appendAuditArgs(args []any, e audit.Entry) []any {
	return append(args, e.Seq, ts(e.At), e.ActorID, e.ActorName, e.Action, e.ObjectKind, e.ObjectID, string(e.Outcome), e.IP, e.Detail, e.PrevHash, e.Hash, e.Alg, e.KeyID)
}

// insertAudit appends chained entries to audit_log in one statement.
func insertAudit(ctx context.Context, c conn, es []audit.Entry) error {
	args := make([]any, 0, auditCols*len(es))
	for _, e := range es {
		args = appendAuditArgs(args, e)
	}
	if _, err := c.exec(ctx, `INSERT INTO audit_log (`+auditColumns+`)
		VALUES `+valueRows(len(es), auditCols), args...); err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	return nil
}

// batchState is what the writes of one SQLite group-commit batch share. They
// hold the write lock, so nothing outside the batch changes the database
// while it runs: the chain's head is read once and written once, and the
// principals of the people acting are read once unless a write in the batch
// changes the organisation (Tx.orgChanged).
type batchState struct {
	head       audit.Entry // Seq and Hash only
	headRead   bool
	headDirty  bool
	principals map[string]route.Principal
}

// orgChanged forgets the principals the batch has read and moves the
// organisation's revision, so that every server's principal cache drops what
// it read before: called by every write to units, positions, roles or 分管.
func (tx *Tx) orgChanged(ctx context.Context) error {
	if tx.batch != nil {
		tx.batch.principals = nil
	}
	if _, err := tx.exec(ctx, `UPDATE org_rev SET rev = ? WHERE id = 1`, uid.New()); err != nil {
		return fmt.Errorf("move the organisation's revision: %w", err)
	}
	return nil
}

// flush writes the advanced head; called before the batch commits.
func (b *batchState) flush(ctx context.Context, c conn) error {
	if !b.headDirty {
		return nil
	}
	if _, err := c.exec(ctx, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, b.head.Seq, b.head.Hash); err != nil {
		return fmt.Errorf("advance audit head: %w", err)
	}
	return nil
}

// sealer chains PostgreSQL's queued audit entries (audit_pending) into
// audit_log. Sealing runs take the head row's lock, so the runs of all
// servers on one database take turns; within a process, the writes waiting
// for a seal share runs. Nothing here is needed for correctness across
// servers: any server's run chains every committed entry, in queue order.
type sealer struct {
	db  *sql.DB
	key *audit.Key
	log *slog.Logger

	mu      sync.Mutex
	want    uint64        // seal requests so far
	done    uint64        // requests covered by finished runs
	running bool          // a run is in progress in this process
	wake    chan struct{} // closed (and replaced) when a run ends
}

func newSealer(db *sql.DB, key *audit.Key, log *slog.Logger) *sealer {
	return &sealer{db: db, key: key, log: log, wake: make(chan struct{})}
}

// seal returns once every entry committed before the call is chained.
func (z *sealer) seal(ctx context.Context) error {
	z.mu.Lock()
	z.want++
	mine := z.want
	for {
		if z.done >= mine {
			z.mu.Unlock()
			return nil
		}
		if !z.running {
			// A run started now sees every entry committed before the
			// requests made so far.
			z.running = true
			target := z.want
			z.mu.Unlock()
			err := z.run(ctx)
			z.mu.Lock()
			z.running = false
			if err == nil && target > z.done {
				z.done = target
			}
			close(z.wake)
			z.wake = make(chan struct{})
			if err != nil {
				z.mu.Unlock()
				return err
			}
			continue
		}
		wake := z.wake
		z.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return ctx.Err()
		}
		z.mu.Lock()
	}
}

// sealBatch bounds one sealing transaction (14 parameters an entry; PostgreSQL
// takes up to 65,535).
const sealBatch = 1000

// run chains the queued entries, sealBatch at a time, until none is left.
func (z *sealer) run(ctx context.Context) error {
	// The run serves other writers too: one caller giving up must not
	// abandon it half-way.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	for {
		n, err := z.runOnce(ctx)
		if err != nil {
			return fmt.Errorf("seal audit entries: %w", err)
		}
		if n < sealBatch {
			return nil
		}
	}
}

func (z *sealer) runOnce(ctx context.Context) (int, error) {
	sqlTx, err := z.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer sqlTx.Rollback() //nolint:errcheck // after Commit it is a no-op
	c := conn{q: sqlTx, d: Postgres}
	var head audit.Entry
	// The lock makes sealing runs (of every server) take turns; a run that
	// waited here reads the head and the queue as the previous run left them.
	if err := c.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE`).Scan(&head.Seq, &head.Hash); err != nil {
		return 0, fmt.Errorf("lock audit head: %w", err)
	}
	type queued struct {
		id int64
		timedEvent
	}
	qs, err := queryAll(ctx, c, func(r scanner) (queued, error) {
		var q queued
		var at int64
		var outcome string
		err := r.Scan(&q.id, &at, &q.ev.ActorID, &q.ev.ActorName, &q.ev.Action, &q.ev.ObjectKind, &q.ev.ObjectID, &outcome, &q.ev.IP, &q.ev.Detail)
		q.ev.Outcome, q.at = audit.Outcome(outcome), fromTS(at)
		return q, err
	}, fmt.Sprintf(`SELECT id, at, actor_id, actor_name, action, object_kind, object_id, outcome, ip, detail FROM audit_pending ORDER BY id LIMIT %d`, sealBatch))
	if err != nil || len(qs) == 0 {
		return 0, err
	}
	events := make([]timedEvent, len(qs))
	ids := make([]any, len(qs))
	for i, q := range qs {
		events[i], ids[i] = q.timedEvent, q.id
	}
	if err := chainAudit(ctx, c, z.key, head, events, ids); err != nil {
		return 0, err
	}
	if err := sqlTx.Commit(); err != nil {
		return 0, fmt.Errorf("commit: %w", err)
	}
	return len(qs), nil
}

// SealAudit chains every audit entry still queued (PostgreSQL; entries a
// server committed but had not chained before it stopped). A no-op on SQLite.
func (s *Store) SealAudit(ctx context.Context) error {
	if s.sealer == nil {
		return nil
	}
	return s.sealer.seal(ctx)
}

// AuditAlone records an event in its own transaction: for events with no other
// state change, such as a refused request or a read of a classified object.
func (s *Store) AuditAlone(ctx context.Context, ev audit.Event) error {
	return s.Write(ctx, func(tx *Tx) error { return tx.Audit(ctx, ev) })
}

// AuditFilter selects entries for the auditor's browser.
type AuditFilter struct {
	Query     string // matches actor name, action, object id or detail
	ActorID   string
	Action    string // prefix
	Outcome   audit.Outcome
	BeforeSeq int64 // page backwards from here; 0: from the newest
	Limit     int
}

// ListAudit returns entries newest first.
func (c conn) ListAudit(ctx context.Context, f AuditFilter) ([]audit.Entry, error) {
	var where []string
	var args []any
	if f.Query != "" {
		like := "%" + escapeLike(f.Query) + "%"
		where = append(where, `(actor_name LIKE ? ESCAPE '\' OR action LIKE ? ESCAPE '\' OR object_id LIKE ? ESCAPE '\' OR detail LIKE ? ESCAPE '\' OR ip LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like, like, like)
	}
	if f.ActorID != "" {
		where = append(where, "actor_id = ?")
		args = append(args, f.ActorID)
	}
	if f.Action != "" {
		where = append(where, `action LIKE ? ESCAPE '\'`)
		args = append(args, escapeLike(f.Action)+"%")
	}
	if f.Outcome != "" {
		where = append(where, "outcome = ?")
		args = append(args, string(f.Outcome))
	}
	if f.BeforeSeq > 0 {
		where = append(where, "seq < ?")
		args = append(args, f.BeforeSeq)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	q := `SELECT ` + auditColumns + ` FROM audit_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += fmt.Sprintf(" ORDER BY seq DESC LIMIT %d", f.Limit)
	return queryAll(ctx, c, scanAudit, q, args...)
}

func scanAudit(rows scanner) (audit.Entry, error) {
	var e audit.Entry
	var at int64
	var outcome string
	if err := rows.Scan(&e.Seq, &at, &e.ActorID, &e.ActorName, &e.Action, &e.ObjectKind, &e.ObjectID, &outcome, &e.IP, &e.Detail, &e.PrevHash, &e.Hash, &e.Alg, &e.KeyID); err != nil {
		return e, fmt.Errorf("scan audit: %w", err)
	}
	e.At = fromTS(at)
	e.Outcome = audit.Outcome(outcome)
	return e, nil
}

// AuditVerification is what VerifyAudit found.
type AuditVerification struct {
	Entries        int64            // entries verified
	Checkpoints    int              // checkpoints read and verified
	LastCheckpoint audit.Checkpoint // the one with the highest sequence number, if any
}

// VerifyAudit walks the whole chain in order and returns the number of entries
// checked, or an *audit.BrokenError naming the first entry that fails: its
// link, its keyed hash under the store's key, or a signed checkpoint. It also
// checks that the head row agrees with the last entry, so that a truncated tail
// is caught even where no checkpoint covers it.
func (s *Store) VerifyAudit(ctx context.Context) (int64, error) {
	r, err := s.VerifyAuditFull(ctx)
	return r.Entries, err
}

// VerifyAuditFull is VerifyAudit with what the checkpoints said.
func (s *Store) VerifyAuditFull(ctx context.Context) (AuditVerification, error) {
	var r AuditVerification
	if err := s.auditSchema(ctx); err != nil {
		return r, err
	}
	v := audit.NewVerifier(s.key.Family()...)
	if s.checkpoints != nil {
		cps, err := s.checkpoints.ReadCheckpoints()
		if err != nil {
			return r, fmt.Errorf("读取审计检查点: %w", err)
		}
		for _, c := range cps {
			if err := v.AddCheckpoint(c); err != nil {
				return r, err
			}
		}
		r.Checkpoints = v.Checkpoints()
		r.LastCheckpoint, _ = v.LastCheckpoint()
	}
	if err := s.SealAudit(ctx); err != nil {
		return r, err
	}
	const page = 5000
	var after int64
	var lastHash string
	for {
		rows, err := s.query(ctx, fmt.Sprintf(`SELECT `+auditColumns+`
			FROM audit_log WHERE seq > ? ORDER BY seq LIMIT %d`, page), after)
		if err != nil {
			return r, fmt.Errorf("read audit: %w", err)
		}
		n := 0
		for rows.Next() {
			e, err := scanAudit(rows)
			if err == nil {
				err = v.Check(e)
			}
			if err != nil {
				rows.Close()
				r.Entries = v.Checked()
				return r, err
			}
			after, lastHash = e.Seq, e.Hash
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			r.Entries = v.Checked()
			return r, err
		}
		if n < page {
			break
		}
	}
	r.Entries = v.Checked()
	if err := v.Finish(); err != nil {
		return r, err
	}
	headSeq, headHash, err := s.AuditHead(ctx)
	if err != nil {
		return r, err
	}
	if headSeq != after || headHash != lastHash {
		return r, &audit.BrokenError{Seq: after + 1, Kind: audit.KindChain, Reason: fmt.Sprintf("链尾缺失：应有 %d 条，实有 %d 条", headSeq, after)}
	}
	return r, nil
}

// AuditHead is the chain's head: the last entry's sequence number and hash
// (0 and "" for an empty chain). Checkpoints sign it.
func (s *Store) AuditHead(ctx context.Context) (int64, string, error) {
	var seq int64
	var hash string
	if err := s.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&seq, &hash); err != nil {
		return 0, "", fmt.Errorf("read audit head: %w", err)
	}
	return seq, hash, nil
}

// auditKeyedVersion is the migration that keyed the chain.
const auditKeyedVersion = 17

// auditSchema checks that the database has the keyed chain's columns (a
// store opened without migrating may be older).
func (s *Store) auditSchema(ctx context.Context) error {
	var n int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, auditKeyedVersion).Scan(&n); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if n == 0 {
		return errors.New("数据库结构不是最新，审计链尚未改为带密钥：请先运行 shuniu migrate（或启动一次服务）")
	}
	return nil
}

// ErrAuditKey is returned when the configured key is not the one the chain
// is being made with.
var ErrAuditKey = errors.New("审计密钥不符")

// AuditKeyID is the ID of the key the chain's last keyed entry was made with;
// "" when there is none (a new database, or one not yet keyed).
func (s *Store) AuditKeyID(ctx context.Context) (string, error) {
	var n int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, auditKeyedVersion).Scan(&n); err != nil || n == 0 {
		// No table yet (a new database) or not migrated: no keyed entry.
		return "", nil
	}
	var id string
	err := s.queryRow(ctx, `SELECT key_id FROM audit_log WHERE alg <> '' ORDER BY seq DESC LIMIT 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read audit key: %w", err)
	}
	return id, nil
}

// keyAudit is run after every migration: it checks that the store's key is
// the chain's, and seals a chain that ends in unkeyed (legacy) entries with a
// keyed entry linking to their head, from which on every entry is keyed.
// Several servers starting at once take turns on the migrations' lock.
func (s *Store) keyAudit(ctx context.Context) error {
	return s.Write(ctx, func(tx *Tx) error {
		if s.dialect == Postgres {
			if _, err := tx.tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7477370)`); err != nil {
				return err
			}
		}
		var seq int64
		var alg, keyID, hash string
		err := tx.queryRow(ctx, `SELECT seq, alg, key_id, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &alg, &keyID, &hash)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return nil // a new chain: keyed from its first entry
		case err != nil:
			return fmt.Errorf("read audit tail: %w", err)
		case alg != audit.AlgLegacy && keyID != s.key.ID():
			// The same secret under the chain's algorithm is a switch of
			// algorithm (HMAC-SHA256 → SM3-HMAC): sealed below by an entry
			// under the new one; any other key is refused.
			if prev, err := s.key.WithAlg(alg); err != nil || prev.ID() != keyID {
				return fmt.Errorf("%w：审计链用密钥 %s 签名，而配置的密钥是 %s。请配置原来的审计密钥（见 docs/security.md）", ErrAuditKey, keyID, s.key.ID())
			}
			detail, err := jsonMarshal(map[string]any{"alg": s.key.Alg(), "key_id": s.key.ID(), "previous_alg": alg, "previous_key_id": keyID, "previous_head": hash})
			if err != nil {
				return err
			}
			return tx.Audit(ctx, audit.Event{ActorName: "系统", Action: "audit.alg", ObjectKind: "audit", Detail: string(detail)})
		case alg != audit.AlgLegacy:
			return nil
		}
		detail, err := jsonMarshal(map[string]any{"alg": s.key.Alg(), "key_id": s.key.ID(), "legacy_entries": seq, "legacy_head": hash})
		if err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorName: "系统", Action: "audit.key", ObjectKind: "audit", Detail: string(detail)})
	})
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
