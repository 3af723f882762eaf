package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/account"
	"github.com/shuniu-oa/shuniu/internal/org"
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
	var must, disabled, pwAt int64
	err := c.queryRow(ctx, `SELECT id, login, name, password_hash, must_change, disabled, password_at FROM people WHERE login = ?`, login).
		Scan(&cr.PersonID, &cr.Login, &cr.Name, &cr.PasswordHash, &must, &disabled, &pwAt)
	if errors.Is(err, sql.ErrNoRows) {
		return cr, fmt.Errorf("login %q: %w", login, ErrNotFound)
	}
	if err != nil {
		return cr, fmt.Errorf("read credentials: %w", err)
	}
	cr.State.MustChange, cr.State.Disabled = must == 1, disabled == 1
	cr.PasswordAt = fromTS(pwAt)
	return cr, nil
}

// CredentialsByID looks an account up by person ID.
func (c conn) CredentialsByID(ctx context.Context, personID string) (Credentials, error) {
	var cr Credentials
	var must, disabled, pwAt int64
	err := c.queryRow(ctx, `SELECT id, login, name, password_hash, must_change, disabled, password_at FROM people WHERE id = ?`, personID).
		Scan(&cr.PersonID, &cr.Login, &cr.Name, &cr.PasswordHash, &must, &disabled, &pwAt)
	if errors.Is(err, sql.ErrNoRows) {
		return cr, fmt.Errorf("person %s: %w", personID, ErrNotFound)
	}
	if err != nil {
		return cr, fmt.Errorf("read credentials: %w", err)
	}
	cr.State.MustChange, cr.State.Disabled = must == 1, disabled == 1
	cr.PasswordAt = fromTS(pwAt)
	return cr, nil
}

// SetPassword stores a new password hash chosen by its holder (or given at
// creation). mustChange forces a change at the next sign-in. All sessions of
// the person end, so a stolen session does not survive a password change.
func (tx *Tx) SetPassword(ctx context.Context, personID, hash string, mustChange bool) error {
	res, err := tx.exec(ctx, `UPDATE people SET password_hash = ?, must_change = ?, password_at = ?, updated_at = ? WHERE id = ?`,
		hash, b2i(mustChange), ts(tx.now), ts(tx.now), personID)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("person %s: %w", personID, ErrNotFound)
	}
	if err := tx.clearLoginStops(ctx, personID); err != nil {
		return err
	}
	return tx.DeleteSessionsOf(ctx, personID)
}

// ResetPassword is an operator's or administrator's reset: a one-time
// password that must be changed at the next sign-in. Besides ending every
// session it revokes every API token, which would otherwise go on working for
// whoever had the account before the reset.
func (tx *Tx) ResetPassword(ctx context.Context, personID, hash string) error {
	if err := tx.SetPassword(ctx, personID, hash, true); err != nil {
		return err
	}
	_, err := tx.RevokeAPITokensOf(ctx, personID)
	return err
}

// RehashPassword replaces a stored hash by one of the same password made
// with the current parameters (after a successful sign-in). It changes
// nothing else: the password, its age and the sessions are the same.
func (tx *Tx) RehashPassword(ctx context.Context, personID, oldHash, newHash string) error {
	// Only if the hash is still the one that was checked: a password
	// changed meanwhile stays changed.
	_, err := tx.exec(ctx, `UPDATE people SET password_hash = ? WHERE id = ? AND password_hash = ?`, newHash, personID, oldHash)
	if err != nil {
		return fmt.Errorf("rehash password: %w", err)
	}
	return nil
}

// SetDisabled locks or unlocks an account (administrator's lock). Unlocking
// also lifts the sign-in stops of the account (see account.Throttle).
func (tx *Tx) SetDisabled(ctx context.Context, personID string, disabled bool) error {
	res, err := tx.exec(ctx, `UPDATE people SET disabled = ?, updated_at = ? WHERE id = ?`, b2i(disabled), ts(tx.now), personID)
	if err != nil {
		return fmt.Errorf("set disabled: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("person %s: %w", personID, ErrNotFound)
	}
	if disabled {
		return tx.DeleteSessionsOf(ctx, personID)
	}
	return tx.clearLoginStops(ctx, personID)
}

// clearLoginStops lifts every stop on a person's account, keeping which
// sources are usual.
func (tx *Tx) clearLoginStops(ctx context.Context, personID string) error {
	_, err := tx.exec(ctx, `UPDATE login_limits SET failures = 0, locked_until = 0
		WHERE kind IN ('pair', 'account') AND login = (SELECT login FROM people WHERE id = ?)`, personID)
	if err != nil {
		return fmt.Errorf("clear sign-in stops: %w", err)
	}
	return nil
}

// Keys of the sign-in counters. Login names are bounded so that a stranger's
// megabyte of "login" is not stored, and kept valid UTF-8 for PostgreSQL.
const maxLimitKey = 100

func limitKey(s string) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "\uFFFD")
	if len(s) <= maxLimitKey {
		return s
	}
	i := maxLimitKey
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

func limitKeys(login, source string) [3][3]string {
	login, source = limitKey(login), limitKey(source)
	// In primary-key order, so that transactions locking them cannot deadlock.
	return [3][3]string{{"account", login, ""}, {"pair", login, source}, {"source", "", source}}
}

// throttleCols are a counter's columns, after its key.
const throttleCols = `kind, failures, last_failure, locked_until, last_ok`

// scanThrottle reads rows of throttleCols into th, each by its kind.
func scanThrottle(rows *sql.Rows, th *account.Throttle) error {
	defer rows.Close()
	for rows.Next() {
		var kind string
		var f, lf, lu, ok int64
		if err := rows.Scan(&kind, &f, &lf, &lu, &ok); err != nil {
			return err
		}
		c := account.Counter{Failures: int(f), LastFailure: fromTS(lf), LockedUntil: fromTS(lu), LastOK: fromTS(ok)}
		switch kind {
		case "account":
			th.Account = c
		case "pair":
			th.Pair = c
		case "source":
			th.Source = c
		}
	}
	return rows.Err()
}

// readThrottle reads the three counters in one statement (one round trip).
func (c conn) readThrottle(ctx context.Context, login, source string) (account.Throttle, error) {
	var th account.Throttle
	k := limitKeys(login, source)
	rows, err := c.query(ctx, `SELECT `+throttleCols+` FROM login_limits
		WHERE (kind = ? AND login = ? AND source = ?) OR (kind = ? AND login = ? AND source = ?) OR (kind = ? AND login = ? AND source = ?)`,
		k[0][0], k[0][1], k[0][2], k[1][0], k[1][1], k[1][2], k[2][0], k[2][1], k[2][2])
	if err == nil {
		err = scanThrottle(rows, &th)
	}
	if err != nil {
		return th, fmt.Errorf("read sign-in limits: %w", err)
	}
	return th, nil
}

// LoginThrottle reads the sign-in counters that bear on login from source
// (whether or not the login exists).
func (c conn) LoginThrottle(ctx context.Context, login, source string) (account.Throttle, error) {
	return c.readThrottle(ctx, login, source)
}

// LoginThrottleForUpdate reads the counters as LoginThrottle does and holds
// to the end of the transaction those that an attempt whose password check
// came out passwordOK can change (account.Policy.Attempt), so that concurrent
// attempts on other servers count one after the other instead of losing
// failures. A failure changes all three; a success only the pair's (login
// and source), and the other two are read as committed: every sign-in from an
// office's one gateway address would otherwise queue on that address's
// counter, each holding a database connection while it waits. (On SQLite the
// one writer already runs write transactions one at a time.)
func (tx *Tx) LoginThrottleForUpdate(ctx context.Context, login, source string, passwordOK bool) (account.Throttle, error) {
	if tx.d != Postgres {
		return tx.readThrottle(ctx, login, source)
	}
	keys := limitKeys(login, source)
	lock := keys[:]
	var th account.Throttle
	if passwordOK {
		lock = keys[1:2]
		var err error
		if th, err = tx.readThrottle(ctx, login, source); err != nil {
			return th, err
		}
	}
	// An upsert that always updates locks each row, creating it if need be,
	// and returns it: one round trip. The keys are in primary-key order, so
	// transactions locking them cannot deadlock.
	args := make([]any, 0, 3*len(lock))
	for _, k := range lock {
		args = append(args, k[0], k[1], k[2])
	}
	rows, err := tx.query(ctx, `INSERT INTO login_limits (kind, login, source) VALUES `+valueRows(len(lock), 3)+`
		ON CONFLICT (kind, login, source) DO UPDATE SET failures = login_limits.failures RETURNING `+throttleCols, args...)
	if err == nil {
		err = scanThrottle(rows, &th)
	}
	if err != nil {
		return account.Throttle{}, fmt.Errorf("lock sign-in limits: %w", err)
	}
	return th, nil
}

// SaveLoginThrottle stores all three counters.
func (tx *Tx) SaveLoginThrottle(ctx context.Context, login, source string, th account.Throttle) error {
	return tx.saveCounters(ctx, login, source, th, [3]bool{true, true, true})
}

// SaveLoginAttempt stores the counters an attempt changed (before: as
// LoginThrottleForUpdate read them): only those it holds locked.
func (tx *Tx) SaveLoginAttempt(ctx context.Context, login, source string, before, after account.Throttle) error {
	return tx.saveCounters(ctx, login, source, after, [3]bool{after.Account != before.Account, after.Pair != before.Pair, after.Source != before.Source})
}

func (tx *Tx) saveCounters(ctx context.Context, login, source string, th account.Throttle, write [3]bool) error {
	cs := [3]account.Counter{th.Account, th.Pair, th.Source}
	var args []any
	n := 0
	for i, k := range limitKeys(login, source) {
		if !write[i] {
			continue
		}
		c := cs[i]
		args = append(args, k[0], k[1], k[2], c.Failures, ts(c.LastFailure), ts(c.LockedUntil), ts(c.LastOK))
		n++
	}
	if n == 0 {
		return nil
	}
	if _, err := tx.exec(ctx, `INSERT INTO login_limits (kind, login, source, failures, last_failure, locked_until, last_ok) VALUES `+valueRows(n, 7)+`
			ON CONFLICT (kind, login, source) DO UPDATE SET failures = excluded.failures, last_failure = excluded.last_failure,
			locked_until = excluded.locked_until, last_ok = excluded.last_ok`, args...); err != nil {
		return fmt.Errorf("save sign-in limits: %w", err)
	}
	return nil
}

// LoginStoppedUntil is the latest end of a stop on a login (from some source
// or from unusual sources), for the administrator's view; zero if none.
func (c conn) LoginStoppedUntil(ctx context.Context, login string, now time.Time) (time.Time, error) {
	var until sql.NullInt64
	err := c.queryRow(ctx, `SELECT MAX(locked_until) FROM login_limits WHERE kind IN ('pair', 'account') AND login = ? AND locked_until > ?`, login, ts(now)).Scan(&until)
	if err != nil {
		return time.Time{}, fmt.Errorf("read sign-in stops: %w", err)
	}
	return fromTS(until.Int64), nil
}

// PruneLoginLimits forgets counters that no longer matter: no stop in force,
// no failure within keep, and no successful sign-in within account.UsualFor.
// It returns how many it removed.
func (tx *Tx) PruneLoginLimits(ctx context.Context, now time.Time, keep time.Duration) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM login_limits WHERE locked_until < ? AND last_failure < ? AND last_ok < ?`,
		ts(now), ts(now.Add(-keep)), ts(now.Add(-account.UsualFor)))
	if err != nil {
		return 0, fmt.Errorf("prune sign-in limits: %w", err)
	}
	return res.RowsAffected()
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

// SessionHolder is a session with what every request needs of its holder.
type SessionHolder struct {
	Session
	Person org.Person
	State  account.State
	Policy account.Policy
}

// SessionHolder reads a session, its holder's person and account state and
// the sign-in policy in one statement: every signed-in request starts with
// them, and on PostgreSQL each statement is a round trip.
func (c conn) SessionHolder(ctx context.Context, tokenHash string) (SessionHolder, error) {
	var h SessionHolder
	var created, seen, clearance, must, disabled int64
	var policy sql.NullString
	err := c.queryRow(ctx, `SELECT s.token_hash, s.person_id, s.csrf, s.created_at, s.last_seen, s.ip, s.user_agent,
		p.id, p.name, p.login, p.phone, p.clearance, p.sort, p.must_change, p.disabled,
		(SELECT value FROM settings WHERE key = 'account_policy')
		FROM sessions s JOIN people p ON p.id = s.person_id WHERE s.token_hash = ?`, tokenHash).
		Scan(&h.TokenHash, &h.PersonID, &h.CSRF, &created, &seen, &h.IP, &h.UserAgent,
			&h.Person.ID, &h.Person.Name, &h.Person.Login, &h.Person.Phone, &clearance, &h.Person.Sort, &must, &disabled, &policy)
	if errors.Is(err, sql.ErrNoRows) {
		return h, ErrNotFound
	}
	if err != nil {
		return h, fmt.Errorf("read session: %w", err)
	}
	h.Created, h.LastSeen = fromTS(created), fromTS(seen)
	h.Person.Clearance = org.Classification(clearance)
	h.State.MustChange, h.State.Disabled = must == 1, disabled == 1
	h.Policy = account.DefaultPolicy()
	if policy.Valid && policy.String != "null" {
		if err := json.Unmarshal([]byte(policy.String), &h.Policy); err != nil {
			return h, fmt.Errorf("decode setting account_policy: %w", err)
		}
	}
	return h, nil
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
	Expires   time.Time
	LastUsed  time.Time
	Revoked   bool
}

// Live reports whether the token may be used at now.
func (t APIToken) Live(now time.Time) bool { return !t.Revoked && now.Before(t.Expires) }

// CreateAPIToken stores a token.
func (tx *Tx) CreateAPIToken(ctx context.Context, t APIToken) error {
	if !t.Expires.After(t.Created) {
		return fmt.Errorf("api token %s: expiry before creation", t.ID)
	}
	_, err := tx.exec(ctx, `INSERT INTO api_tokens (id, person_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		t.ID, t.PersonID, t.Name, t.TokenHash, ts(t.Created), ts(t.Expires))
	if err != nil {
		return fmt.Errorf("create api token: %w", err)
	}
	return nil
}

// APITokenByHash looks up a live token.
func (c conn) APITokenByHash(ctx context.Context, hash string) (APIToken, error) {
	var t APIToken
	var created, expires, used, revoked int64
	err := c.queryRow(ctx, `SELECT id, person_id, name, token_hash, created_at, expires_at, last_used, revoked FROM api_tokens WHERE token_hash = ?`, hash).
		Scan(&t.ID, &t.PersonID, &t.Name, &t.TokenHash, &created, &expires, &used, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	t.Created, t.Expires, t.LastUsed, t.Revoked = fromTS(created), fromTS(expires), fromTS(used), revoked == 1
	return t, err
}

// APITokens lists a person's tokens.
func (c conn) APITokens(ctx context.Context, personID string) ([]APIToken, error) {
	return queryAll(ctx, c, func(rows scanner) (APIToken, error) {
		var t APIToken
		var created, expires, used, revoked int64
		if err := rows.Scan(&t.ID, &t.PersonID, &t.Name, &t.TokenHash, &created, &expires, &used, &revoked); err != nil {
			return t, err
		}
		t.Created, t.Expires, t.LastUsed, t.Revoked = fromTS(created), fromTS(expires), fromTS(used), revoked == 1
		return t, nil
	}, `SELECT id, person_id, name, token_hash, created_at, expires_at, last_used, revoked FROM api_tokens WHERE person_id = ? ORDER BY created_at DESC`, personID)
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

// RevokeAPITokensOf revokes every live token of a person and returns how many.
func (tx *Tx) RevokeAPITokensOf(ctx context.Context, personID string) (int64, error) {
	res, err := tx.exec(ctx, `UPDATE api_tokens SET revoked = 1 WHERE person_id = ? AND revoked = 0`, personID)
	if err != nil {
		return 0, fmt.Errorf("revoke api tokens: %w", err)
	}
	return res.RowsAffected()
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
	res, err := tx.exec(ctx, `DELETE FROM grants WHERE id = ?`, id)
	if err != nil {
		return g, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// Revoked by someone else since it was read (PostgreSQL): it is
		// revoked once, and audited once.
		return g, fmt.Errorf("grant %s: %w", id, ErrNotFound)
	}
	return g, nil
}

// DocumentByNumber finds a document by its 发文字号 or 收文编号.
func (c conn) DocumentByNumber(ctx context.Context, number string) (DocRecord, error) {
	d, err := scanDoc(c.queryRow(ctx, `SELECT `+docCols+` FROM documents WHERE doc_number = ? OR in_number = ? ORDER BY created_at LIMIT 1`, number, number))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("document %s: %w", number, ErrNotFound)
	}
	return d, err
}
