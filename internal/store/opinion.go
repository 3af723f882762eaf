package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shuniu-oa/shuniu/internal/opinion"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// Signed opinions: every task finished with an opinion at a step that
// requires one (领导签发, 拟办, 批办) is signed with the acting person's SM2 key
// in the transaction that finishes it (opinion). A store without a master
// key signs nothing.

// OpinionOf is the opinion a finished task records, as its signature covers it.
func OpinionOf(docID string, version int, in route.Instance, t route.Task) opinion.Opinion {
	step := ""
	if t.Step < len(in.Template.Steps) {
		step = in.Template.Steps[t.Step].Key
	}
	return opinion.Opinion{DocID: docID, Version: version, TaskID: t.ID, Step: step, PersonID: t.ActedBy, OnBehalfOf: t.OnBehalfOf,
		At: t.ActedAt, Outcome: string(t.Outcome), Comment: t.Comment}
}

// signOpinions signs the opinions the events finished.
func (tx *Tx) signOpinions(ctx context.Context, rec DocRecord, next route.Instance, events []route.Event) error {
	if tx.s.master == nil {
		return nil
	}
	for _, t := range opinionTasks(next, events) {
		if err := tx.consumeUnlock(ctx, t.ActedBy); err != nil {
			return err
		}
		pk, err := tx.personKey(ctx, t.ActedBy)
		if err != nil {
			return err
		}
		sig, err := pk.Sign(OpinionOf(rec.ID, rec.Version, next, t), tx.s.master)
		if err != nil {
			return fmt.Errorf("意见签名失败：%w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO opinion_signatures (doc_id, task_id, person_id, version, fingerprint, signature, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			sig.DocID, sig.TaskID, sig.PersonID, sig.Version, sig.Fingerprint, sig.Sig, ts(tx.now)); err != nil {
			return fmt.Errorf("store opinion signature: %w", err)
		}
	}
	return nil
}

// opinionTasks are the tasks the events finished with an opinion at a step
// that requires one: the opinions to sign.
func opinionTasks(next route.Instance, events []route.Event) []route.Task {
	var out []route.Task
	for _, ev := range events {
		if ev.Type != route.EvApprove && ev.Type != route.EvDisagree && ev.Type != route.EvReturn {
			continue
		}
		t, ok := next.Task(ev.Task)
		if !ok || (t.Status != route.Finished && t.Status != route.Returned) || t.ActedBy == "" || t.Comment == "" || t.Step >= len(next.Template.Steps) || !next.Template.Steps[t.Step].CommentRequired {
			continue
		}
		out = append(out, t)
	}
	return out
}

// personKey returns the person's signing key, making it at the first use.
// Two first signatures at once keep the one key that was stored first.
func (tx *Tx) personKey(ctx context.Context, personID string) (opinion.PersonKey, error) {
	pk, err := scanPersonKey(tx.queryRow(ctx, `SELECT `+personKeyCols+` FROM person_keys WHERE person_id = ?`, personID))
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return pk, err
	}
	made, err := opinion.NewPersonKey(personID, tx.s.master, tx.now)
	if err != nil {
		return pk, err
	}
	if _, err := tx.exec(ctx, `INSERT INTO person_keys (`+personKeyCols+`) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (person_id) DO NOTHING`,
		made.PersonID, made.Public, made.WrappedKey, made.MasterKeyID, made.Fingerprint, ts(made.Created)); err != nil {
		return pk, fmt.Errorf("store person key: %w", err)
	}
	return scanPersonKey(tx.queryRow(ctx, `SELECT `+personKeyCols+` FROM person_keys WHERE person_id = ?`, personID))
}

const personKeyCols = `person_id, public_key, wrapped_key, master_key_id, fingerprint, created_at`

func scanPersonKey(r scanner) (opinion.PersonKey, error) {
	var pk opinion.PersonKey
	var created int64
	err := r.Scan(&pk.PersonID, &pk.Public, &pk.WrappedKey, &pk.MasterKeyID, &pk.Fingerprint, &created)
	pk.Created = fromTS(created)
	return pk, err
}

// OpinionSignatures are a document's signed opinions by task, with each
// signer's public key by person.
func (c conn) OpinionSignatures(ctx context.Context, docID string) (map[int]opinion.Signature, map[string][]byte, error) {
	rows, err := c.query(ctx, `SELECT s.task_id, s.person_id, s.version, s.fingerprint, s.signature, s.signed_at, k.public_key
		FROM opinion_signatures s LEFT JOIN person_keys k ON k.person_id = s.person_id WHERE s.doc_id = ?`, docID)
	if err != nil {
		return nil, nil, fmt.Errorf("opinion signatures: %w", err)
	}
	defer rows.Close()
	sigs, keys := map[int]opinion.Signature{}, map[string][]byte{}
	for rows.Next() {
		s := opinion.Signature{DocID: docID}
		var at int64
		var pub []byte
		if err := rows.Scan(&s.TaskID, &s.PersonID, &s.Version, &s.Fingerprint, &s.Sig, &at, &pub); err != nil {
			return nil, nil, err
		}
		s.At = fromTS(at)
		sigs[s.TaskID] = s
		keys[s.PersonID] = pub
	}
	return sigs, keys, rows.Err()
}
