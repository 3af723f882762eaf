package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shuniu-oa/shuniu/internal/seal"
)

const sealCols = `id, unit_id, organ, name, kind, image, cert, wrapped_key, master_key_id, fingerprint, valid_from, valid_until, created_by, created_at, revoked_at`

func scanSeal(r scanner) (seal.Seal, error) {
	var s seal.Seal
	var kind string
	var from, until, created, revoked int64
	err := r.Scan(&s.ID, &s.UnitID, &s.Organ, &s.Name, &kind, &s.Image, &s.Cert, &s.WrappedKey, &s.MasterKeyID, &s.Fingerprint,
		&from, &until, &s.CreatedBy, &created, &revoked)
	s.Kind = seal.Kind(kind)
	s.ValidFrom, s.ValidUntil, s.Created = fromTS(from), fromTS(until), fromTS(created)
	if revoked != 0 {
		s.Revoked = fromTS(revoked)
	}
	return s, err
}

// AddSeal registers a seal made by seal.New.
func (tx *Tx) AddSeal(ctx context.Context, s seal.Seal) error {
	_, err := tx.exec(ctx, `INSERT INTO seals (`+sealCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
		s.ID, s.UnitID, s.Organ, s.Name, string(s.Kind), s.Image, s.Cert, s.WrappedKey, s.MasterKeyID, s.Fingerprint,
		ts(s.ValidFrom), ts(s.ValidUntil), s.CreatedBy, ts(s.Created))
	if isUnique(err) {
		return fmt.Errorf("本单位已有在用的“%s”: %w", s.Name, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("add seal: %w", err)
	}
	return nil
}

// Seals lists every seal, in force first, then by organ and name.
func (c conn) Seals(ctx context.Context) ([]seal.Seal, error) {
	return queryAll(ctx, c, scanSeal, `SELECT `+sealCols+` FROM seals ORDER BY CASE WHEN revoked_at = 0 THEN 0 ELSE 1 END, organ, name, created_at`)
}

// Seal returns one seal.
func (c conn) Seal(ctx context.Context, id string) (seal.Seal, error) {
	s, err := scanSeal(c.queryRow(ctx, `SELECT `+sealCols+` FROM seals WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("seal %s: %w", id, ErrNotFound)
	}
	return s, err
}

// RevokeSeal takes a seal out of use from now on; documents already sealed
// with it still verify. Revoking a revoked seal is ErrNotFound.
func (tx *Tx) RevokeSeal(ctx context.Context, id string) (seal.Seal, error) {
	s, err := tx.Seal(ctx, id)
	if err != nil {
		return s, err
	}
	res, err := tx.exec(ctx, `UPDATE seals SET revoked_at = ? WHERE id = ? AND revoked_at = 0`, ts(tx.now), id)
	if err != nil {
		return s, fmt.Errorf("revoke seal: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return s, fmt.Errorf("seal %s already revoked: %w", id, ErrNotFound)
	}
	s.Revoked = tx.now
	return s, nil
}
