package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/audit"
)

// Audit appends an entry to the chain inside this transaction. The head row is
// locked (PostgreSQL: FOR UPDATE; SQLite: the write lock is already held), so
// concurrent transactions on several servers extend the chain one at a time.
func (tx *Tx) Audit(ctx context.Context, ev audit.Event) error {
	if ev.Outcome == "" {
		ev.Outcome = audit.OK
	}
	lock := ""
	if tx.d == Postgres {
		lock = " FOR UPDATE"
	}
	var prev audit.Entry
	if err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+lock).Scan(&prev.Seq, &prev.Hash); err != nil {
		return fmt.Errorf("read audit head: %w", err)
	}
	var p *audit.Entry
	if prev.Seq > 0 {
		p = &prev
	}
	e := audit.Seal(p, ev, tx.now)
	if _, err := tx.exec(ctx, `INSERT INTO audit_log (seq, at, actor_id, actor_name, action, object_kind, object_id, outcome, ip, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, ts(e.At), e.ActorID, e.ActorName, e.Action, e.ObjectKind, e.ObjectID, string(e.Outcome), e.IP, e.Detail, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	if _, err := tx.exec(ctx, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, e.Seq, e.Hash); err != nil {
		return fmt.Errorf("advance audit head: %w", err)
	}
	return nil
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
	q := `SELECT seq, at, actor_id, actor_name, action, object_kind, object_id, outcome, ip, detail, prev_hash, hash FROM audit_log`
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
	if err := rows.Scan(&e.Seq, &at, &e.ActorID, &e.ActorName, &e.Action, &e.ObjectKind, &e.ObjectID, &outcome, &e.IP, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
		return e, fmt.Errorf("scan audit: %w", err)
	}
	e.At = fromTS(at)
	e.Outcome = audit.Outcome(outcome)
	return e, nil
}

// VerifyAudit walks the whole chain in order and returns the number of entries
// checked, or an *audit.BrokenError naming the first broken entry. It also
// checks that the head row agrees with the last entry, so that a truncated tail
// is caught.
func (s *Store) VerifyAudit(ctx context.Context) (int64, error) {
	var v audit.Verifier
	const page = 5000
	var after int64
	var lastHash string
	for {
		rows, err := s.query(ctx, fmt.Sprintf(`SELECT seq, at, actor_id, actor_name, action, object_kind, object_id, outcome, ip, detail, prev_hash, hash
			FROM audit_log WHERE seq > ? ORDER BY seq LIMIT %d`, page), after)
		if err != nil {
			return v.Checked(), fmt.Errorf("read audit: %w", err)
		}
		n := 0
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				rows.Close()
				return v.Checked(), err
			}
			if err := v.Check(e); err != nil {
				rows.Close()
				return v.Checked(), err
			}
			after, lastHash = e.Seq, e.Hash
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return v.Checked(), err
		}
		if n < page {
			break
		}
	}
	var headSeq int64
	var headHash string
	if err := s.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return v.Checked(), fmt.Errorf("read audit head: %w", err)
	}
	if headSeq != after || headHash != lastHash {
		return v.Checked(), &audit.BrokenError{Seq: after + 1, Reason: fmt.Sprintf("链尾缺失：应有 %d 条，实有 %d 条", headSeq, after)}
	}
	return v.Checked(), nil
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
