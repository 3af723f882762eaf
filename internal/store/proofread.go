package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
)

// The proofreader's per-document state. The proofreader itself is pure
// (internal/proofread); what the clerks decide about its findings is kept
// here: "not an error" marks by Finding.Key, and the number of suggestions
// accepted at each step of the route.

// maxFindingKey bounds a stored key: category/rule/flagged text, where the
// flagged text is a few characters, never a paragraph.
const maxFindingKey = 1000

// ProofreadSettingKey is the setting that holds the deployment's proofreader
// configuration (word lists and rules switched off), as JSON.
const ProofreadSettingKey = "proofread"

// IgnoredFindings returns the keys marked "not an error" on a document, sorted.
func (c conn) IgnoredFindings(ctx context.Context, docID string) ([]string, error) {
	keys, err := c.queryStrings(ctx, `SELECT finding_key FROM proofread_ignored WHERE doc_id = ? ORDER BY finding_key`, docID)
	if err != nil {
		return nil, fmt.Errorf("ignored findings of %s: %w", docID, err)
	}
	return keys, nil
}

func checkFindingKey(key string) error {
	if strings.TrimSpace(key) == "" || len(key) > maxFindingKey || strings.Count(key, "/") < 2 {
		return errors.New("校对意见标识无效")
	}
	return nil
}

// IgnoreFinding marks a finding "not an error" on a document, so that it
// stays hidden in later versions. Marking it again changes nothing.
func (s *Store) IgnoreFinding(ctx context.Context, by org.Person, docID, key string) error {
	if err := checkFindingKey(key); err != nil {
		return err
	}
	return s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.Document(ctx, docID); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `INSERT INTO proofread_ignored (doc_id, finding_key, person_id, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (doc_id, finding_key) DO NOTHING`, docID, key, by.ID, ts(tx.now))
		if err != nil {
			return fmt.Errorf("ignore finding: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "proofread.ignore", ObjectKind: "document", ObjectID: docID,
			Detail: jsonString(map[string]string{"key": key})})
	})
}

// UnignoreFinding takes a "not an error" mark back.
func (s *Store) UnignoreFinding(ctx context.Context, by org.Person, docID, key string) error {
	return s.Write(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM proofread_ignored WHERE doc_id = ? AND finding_key = ?`, docID, key)
		if err != nil {
			return fmt.Errorf("unignore finding: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "proofread.unignore", ObjectKind: "document", ObjectID: docID,
			Detail: jsonString(map[string]string{"key": key})})
	})
}

// RecordAccepted adds n accepted suggestions at a step (the route step's key,
// e.g. "review" for 核稿) to the document's count.
func (s *Store) RecordAccepted(ctx context.Context, by org.Person, docID, step string, n int, key string) error {
	return s.Write(ctx, func(tx *Tx) error { return tx.RecordAccepted(ctx, by, docID, step, n, key) })
}

// RecordAccepted is Store.RecordAccepted inside a transaction.
func (tx *Tx) RecordAccepted(ctx context.Context, by org.Person, docID, step string, n int, key string) error {
	if n <= 0 {
		return errors.New("采纳数须为正数")
	}
	if step == "" {
		return errors.New("缺少环节")
	}
	if _, err := tx.Document(ctx, docID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO proofread_accepted (doc_id, step, accepted, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (doc_id, step) DO UPDATE SET accepted = proofread_accepted.accepted + excluded.accepted, updated_at = excluded.updated_at`,
		docID, step, n, ts(tx.now)); err != nil {
		return fmt.Errorf("record accepted: %w", err)
	}
	return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "proofread.accept", ObjectKind: "document", ObjectID: docID,
		Detail: jsonString(map[string]any{"step": step, "count": n, "key": key})})
}

// AcceptSuggestion saves doc — the document with one of the proofreader's
// suggestions applied — as the next version of a document still at version
// base, and counts the suggestion accepted at step, in one transaction: the
// version and the count stand or fall together, and a second request made
// from the same version (a double click, a stale page) is refused with
// ErrStale instead of saving and counting again.
func (s *Store) AcceptSuggestion(ctx context.Context, by org.Person, docID string, base int, doc document.Document, note, step, key string) (int, error) {
	if base < 0 {
		return 0, errors.New("缺少文稿版本")
	}
	var n int
	err := s.Write(ctx, func(tx *Tx) (err error) {
		if n, err = tx.saveDraft(ctx, by, docID, doc, note, base); err != nil {
			return err
		}
		return tx.RecordAccepted(ctx, by, docID, step, 1, key)
	})
	return n, err
}

// AcceptedCounts returns the number of accepted suggestions on a document by
// step key.
func (c conn) AcceptedCounts(ctx context.Context, docID string) (map[string]int, error) {
	rows, err := c.query(ctx, `SELECT step, accepted FROM proofread_accepted WHERE doc_id = ?`, docID)
	if err != nil {
		return nil, fmt.Errorf("accepted counts of %s: %w", docID, err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var step string
		var n int
		if err := rows.Scan(&step, &n); err != nil {
			return nil, err
		}
		out[step] = n
	}
	return out, rows.Err()
}

// AcceptedTotals returns, for the documents of one organ, the accepted
// suggestions by step summed over them: the evaluation module's error-rate
// figure per step (核稿 finds what drafting missed, 签发 what 核稿 missed).
func (c conn) AcceptedTotals(ctx context.Context, organID string) (map[string]int, error) {
	rows, err := c.query(ctx, `SELECT a.step, SUM(a.accepted) FROM proofread_accepted a JOIN documents d ON d.id = a.doc_id
		WHERE d.organ_id = ? GROUP BY a.step`, organID)
	if err != nil {
		return nil, fmt.Errorf("accepted totals of %s: %w", organID, err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var step string
		var n int64
		if err := rows.Scan(&step, &n); err != nil {
			return nil, err
		}
		out[step] = int(n)
	}
	return out, rows.Err()
}
