package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/shuniu-oa/shuniu/internal/account"
)

// Credentials is what sign-in needs about an account.
type Credentials struct {
	PersonID     string
	Login        string
	Name         string
	PasswordHash string
	State        account.State
	PasswordAt   time.Time
}

// Credentials looks an account up by login.
func (c conn) Credentials(ctx context.Context, login string) (Credentials, error) {
	var cr Credentials
	var must, disabled, locked, pwAt int64
	err := c.queryRow(ctx, `SELECT id, login, name, password_hash, must_change, failures, locked_until, disabled, password_at FROM people WHERE login = ?`, login).
		Scan(&cr.PersonID, &cr.Login, &cr.Name, &cr.PasswordHash, &must, &cr.State.Failures, &locked, &disabled, &pwAt)
	if errors.Is(err, sql.ErrNoRows) {
		return cr, fmt.Errorf("login %q: %w", login, ErrNotFound)
	}
	if err != nil {
		return cr, fmt.Errorf("read credentials: %w", err)
	}
	cr.State.MustChange, cr.State.Disabled = must == 1, disabled == 1
	cr.State.LockedUntil, cr.PasswordAt = fromTS(locked), fromTS(pwAt)
	return cr, nil
}

// CredentialsByID looks an account up by person ID.
func (c conn) CredentialsByID(ctx context.Context, personID string) (Credentials, error) {
	var login string
	if err := c.queryRow(ctx, `SELECT login FROM people WHERE id = ?`, personID).Scan(&login); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Credentials{}, fmt.Errorf("person %s: %w", personID, ErrNotFound)
		}
		return Credentials{}, err
	}
	return c.Credentials(ctx, login)
}

// SaveLoginState stores the outcome of a sign-in attempt.
func (tx *Tx) SaveLoginState(ctx context.Context, personID string, s account.State) error {
	_, err := tx.exec(ctx, `UPDATE people SET failures = ?, locked_until = ?, disabled = ?, must_change = ? WHERE id = ?`,
		s.Failures, ts(s.LockedUntil), b2i(s.Disabled), b2i(s.MustChange), personID)
	if err != nil {
		return fmt.Errorf("save login state: %w", err)
	}
	return nil
}

// SetPassword stores a new password hash. mustChange forces a change at the
// next sign-in (after an administrator's reset). All sessions of the person
// end, so a stolen session does not survive a password change.
func (tx *Tx) SetPassword(ctx context.Context, personID, hash string, mustChange bool) error {
	res, err := tx.exec(ctx, `UPDATE people SET password_hash = ?, must_change = ?, failures = 0, locked_until = 0, password_at = ?, updated_at = ? WHERE id = ?`,
		hash, b2i(mustChange), ts(tx.now), ts(tx.now), personID)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("person %s: %w", personID, ErrNotFound)
	}
	return tx.DeleteSessionsOf(ctx, personID)
}

// SetDisabled locks or unlocks an account (administrator's lock). Unlocking
// also clears a lockout from failures.
func (tx *Tx) SetDisabled(ctx context.Context, personID string, disabled bool) error {
	res, err := tx.exec(ctx, `UPDATE people SET disabled = ?, failures = 0, locked_until = 0, updated_at = ? WHERE id = ?`, b2i(disabled), ts(tx.now), personID)
	if err != nil {
		return fmt.Errorf("set disabled: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("person %s: %w", personID, ErrNotFound)
	}
	if disabled {
		return tx.DeleteSessionsOf(ctx, personID)
	}
	return nil
}

// Session is a signed-in browser.
type Session struct {
	TokenHash string
	PersonID  string
	CSRF      string
	Created   time.Time
	LastSeen  time.Time
	IP        string
	UserAgent string
}

// CreateSession stores a new session.
func (tx *Tx) CreateSession(ctx context.Context, s Session) error {
	_, err := tx.exec(ctx, `INSERT INTO sessions (token_hash, person_id, csrf, created_at, last_seen, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		s.TokenHash, s.PersonID, s.CSRF, ts(s.Created), ts(s.LastSeen), s.IP, s.UserAgent)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// Session looks a session up by the hash of its token.
func (c conn) Session(ctx context.Context, tokenHash string) (Session, error) {
	var s Session
	var created, seen int64
	err := c.queryRow(ctx, `SELECT token_hash, person_id, csrf, created_at, last_seen, ip, user_agent FROM sessions WHERE token_hash = ?`, tokenHash).
		Scan(&s.TokenHash, &s.PersonID, &s.CSRF, &created, &seen, &s.IP, &s.UserAgent)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	}
	s.Created, s.LastSeen = fromTS(created), fromTS(seen)
	return s, err
}

// TouchSession records use of a session.
func (s *Store) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	return s.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE sessions SET last_seen = ? WHERE token_hash = ?`, ts(at), tokenHash)
		return err
	})
}

// DeleteSession ends a session.
func (tx *Tx) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := tx.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return err
}

// DeleteSessionsOf ends every session of a person.
func (tx *Tx) DeleteSessionsOf(ctx context.Context, personID string) error {
	_, err := tx.exec(ctx, `DELETE FROM sessions WHERE person_id = ?`, personID)
	return err
}

// DeleteSessionsBefore removes sessions idle since before t; it returns how many.
func (tx *Tx) DeleteSessionsBefore(ctx context.Context, t time.Time) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM sessions WHERE last_seen < ?`, ts(t))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// APIToken is a bearer token for the JSON API.
type APIToken struct {
	ID        string
	PersonID  string
	Name      string
	TokenHash string
	Created   time.Time
	LastUsed  time.Time
	Revoked   bool
}

// CreateAPIToken stores a token.
func (tx *Tx) CreateAPIToken(ctx context.Context, t APIToken) error {
	_, err := tx.exec(ctx, `INSERT INTO api_tokens (id, person_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
		t.ID, t.PersonID, t.Name, t.TokenHash, ts(t.Created))
	if err != nil {
		return fmt.Errorf("create api token: %w", err)
	}
	return nil
}

// APITokenByHash looks up a live token.
func (c conn) APITokenByHash(ctx context.Context, hash string) (APIToken, error) {
	var t APIToken
	var created, used, revoked int64
	err := c.queryRow(ctx, `SELECT id, person_id, name, token_hash, created_at, last_used, revoked FROM api_tokens WHERE token_hash = ?`, hash).
		Scan(&t.ID, &t.PersonID, &t.Name, &t.TokenHash, &created, &used, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	t.Created, t.LastUsed, t.Revoked = fromTS(created), fromTS(used), revoked == 1
	return t, err
}

// APITokens lists a person's tokens.
func (c conn) APITokens(ctx context.Context, personID string) ([]APIToken, error) {
	return queryAll(ctx, c, func(rows scanner) (APIToken, error) {
		var t APIToken
		var created, used, revoked int64
		if err := rows.Scan(&t.ID, &t.PersonID, &t.Name, &t.TokenHash, &created, &used, &revoked); err != nil {
			return t, err
		}
		t.Created, t.LastUsed, t.Revoked = fromTS(created), fromTS(used), revoked == 1
		return t, nil
	}, `SELECT id, person_id, name, token_hash, created_at, last_used, revoked FROM api_tokens WHERE person_id = ? ORDER BY created_at DESC`, personID)
}

// RevokeAPIToken revokes one of a person's tokens.
func (tx *Tx) RevokeAPIToken(ctx context.Context, personID, id string) error {
	res, err := tx.exec(ctx, `UPDATE api_tokens SET revoked = 1 WHERE id = ? AND person_id = ?`, id, personID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Setting reads a JSON setting into v; it reports whether it was set.
func (c conn) Setting(ctx context.Context, key string, v any) (bool, error) {
	var raw string
	err := c.queryRow(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read setting %s: %w", key, err)
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return false, fmt.Errorf("decode setting %s: %w", key, err)
	}
	return true, nil
}

// SettingForUpdate reads a setting as Setting does and holds it for the
// rest of the transaction, so that two servers changing parts of one
// setting at once apply their changes one after the other instead of the
// later dropping the earlier's part. A setting not stored yet gets a
// placeholder row (JSON null) to lock, and reads as not found. On SQLite
// the one writer already runs such transactions one after the other.
func (tx *Tx) SettingForUpdate(ctx context.Context, key string, v any) (bool, error) {
	if tx.d != Postgres {
		return tx.Setting(ctx, key, v)
	}
	if _, err := tx.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, 'null') ON CONFLICT (key) DO NOTHING`, key); err != nil {
		return false, fmt.Errorf("lock setting %s: %w", key, err)
	}
	var raw string
	if err := tx.queryRow(ctx, `SELECT value FROM settings WHERE key = ? FOR UPDATE`, key).Scan(&raw); err != nil {
		return false, fmt.Errorf("lock setting %s: %w", key, err)
	}
	if raw == "null" {
		return false, nil
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return false, fmt.Errorf("decode setting %s: %w", key, err)
	}
	return true, nil
}

// PutSetting stores v as JSON under key.
func (tx *Tx) PutSetting(ctx context.Context, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE settings SET value = ? WHERE key = ?`, string(b), key)
	if err != nil {
		return fmt.Errorf("save setting %s: %w", key, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		_, err = tx.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)`, key, string(b))
	}
	return err
}

// Policy returns the account policy in force.
func (c conn) Policy(ctx context.Context) (account.Policy, error) {
	p := account.DefaultPolicy()
	if _, err := c.Setting(ctx, "account_policy", &p); err != nil {
		return account.DefaultPolicy(), err
	}
	return p, nil
}

// Grant is an explicit access grant on an object, made by the security officer.
type Grant struct {
	ID         string
	PersonID   string
	ObjectKind string
	ObjectID   string
	GrantedBy  string
	Created    time.Time
}

// AddGrant stores a grant.
func (tx *Tx) AddGrant(ctx context.Context, g Grant) error {
	_, err := tx.exec(ctx, `INSERT INTO grants (id, person_id, object_kind, object_id, granted_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		g.ID, g.PersonID, g.ObjectKind, g.ObjectID, g.GrantedBy, ts(tx.now))
	if isUnique(err) {
		return fmt.Errorf("已授权: %w", ErrConflict)
	}
	return err
}

// GrantedPeople returns the IDs of people granted an object.
func (c conn) GrantedPeople(ctx context.Context, kind, id string) ([]string, error) {
	return c.queryStrings(ctx, `SELECT person_id FROM grants WHERE object_kind = ? AND object_id = ?`, kind, id)
}

// Grants lists explicit grants, newest first.
func (c conn) Grants(ctx context.Context, limit int) ([]Grant, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	return queryAll(ctx, c, func(rows scanner) (Grant, error) {
		var g Grant
		var at int64
		if err := rows.Scan(&g.ID, &g.PersonID, &g.ObjectKind, &g.ObjectID, &g.GrantedBy, &at); err != nil {
			return g, err
		}
		g.Created = fromTS(at)
		return g, nil
	}, fmt.Sprintf(`SELECT id, person_id, object_kind, object_id, granted_by, created_at FROM grants ORDER BY created_at DESC LIMIT %d`, limit))
}

// RevokeGrant removes a grant and returns it.
func (tx *Tx) RevokeGrant(ctx context.Context, id string) (Grant, error) {
	var g Grant
	var at int64
	err := tx.queryRow(ctx, `SELECT id, person_id, object_kind, object_id, granted_by, created_at FROM grants WHERE id = ?`, id).
		Scan(&g.ID, &g.PersonID, &g.ObjectKind, &g.ObjectID, &g.GrantedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return g, fmt.Errorf("grant %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return g, err
	}
	g.Created = fromTS(at)
	_, err = tx.exec(ctx, `DELETE FROM grants WHERE id = ?`, id)
	return g, err
}

// DocumentByNumber finds a document by its 发文字号 or 收文编号.
func (c conn) DocumentByNumber(ctx context.Context, number string) (DocRecord, error) {
	d, err := scanDoc(c.queryRow(ctx, `SELECT `+docCols+` FROM documents WHERE doc_number = ? OR in_number = ? ORDER BY created_at LIMIT 1`, number, number))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("document %s: %w", number, ErrNotFound)
	}
	return d, err
}
