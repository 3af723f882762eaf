package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shuniu-oa/shuniu/internal/notify"
)

// Route is where a message also goes beyond the inbox: a channel and an address.
type Route = notify.Route

// Notify stores a message in its person's inbox and queues its outbound
// deliveries, inside the transaction. It reports false, and does nothing,
// when a message with the same key exists: producing a notice twice (two
// schedulers, a retried sweep) delivers it once.
func (tx *Tx) Notify(ctx context.Context, m notify.Message, routes []Route) (bool, error) {
	if err := m.Validate(); err != nil {
		return false, err
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = tx.now
	}
	res, err := tx.exec(ctx, `INSERT INTO inbox (msg_key, person_id, kind, subject, body, link, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (msg_key) DO NOTHING`,
		m.Key, m.PersonID, m.Kind, m.Subject, m.Body, m.Link, ts(m.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("store message: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	for _, r := range routes {
		if _, err := tx.exec(ctx, `INSERT INTO deliveries (msg_key, channel, address, state, next_at) VALUES (?, ?, ?, 'pending', ?)`,
			m.Key, r.Channel, r.Address, ts(tx.now)); err != nil {
			return false, fmt.Errorf("queue delivery: %w", err)
		}
	}
	return true, nil
}

// InboxItem is a message as its person sees it.
type InboxItem struct {
	notify.Message
	ReadAt time.Time `json:"read_at,omitzero"`
}

// Inbox lists a person's messages, newest first.
func (c conn) Inbox(ctx context.Context, personID string, unreadOnly bool, limit int) ([]InboxItem, error) {
	return c.InboxPage(ctx, personID, unreadOnly, nil, limit)
}

// InboxPage is a page of a person's messages, newest first, starting after
// the message after (nil: the newest), through the inbox_person index.
func (c conn) InboxPage(ctx context.Context, personID string, unreadOnly bool, after *InboxItem, limit int) ([]InboxItem, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q := `SELECT msg_key, person_id, kind, subject, body, link, created_at, read_at FROM inbox WHERE person_id = ?`
	args := []any{personID}
	if unreadOnly {
		q += ` AND read_at = 0`
	}
	if after != nil {
		at := ts(after.CreatedAt)
		q += ` AND created_at <= ? AND (created_at < ? OR msg_key > ?)`
		args = append(args, at, at, after.Key)
	}
	return queryAll(ctx, c, func(rows scanner) (InboxItem, error) {
		var m InboxItem
		var created, read int64
		if err := rows.Scan(&m.Key, &m.PersonID, &m.Kind, &m.Subject, &m.Body, &m.Link, &created, &read); err != nil {
			return m, err
		}
		m.CreatedAt, m.ReadAt = fromTS(created), fromTS(read)
		return m, nil
	}, q+fmt.Sprintf(` ORDER BY created_at DESC, msg_key LIMIT %d`, limit), args...)
}

// UnreadCount counts a person's unread messages, up to limit (the badge
// shows "99+" beyond).
func (c conn) UnreadCount(ctx context.Context, personID string, limit int) (int, error) {
	var n int
	err := c.queryRow(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT 1 FROM inbox WHERE person_id = ? AND read_at = 0 LIMIT %d) u`, limit), personID).Scan(&n)
	return n, err
}

// MarkRead marks a person's message read.
func (tx *Tx) MarkRead(ctx context.Context, personID, key string) error {
	_, err := tx.exec(ctx, `UPDATE inbox SET read_at = ? WHERE person_id = ? AND msg_key = ? AND read_at = 0`, ts(tx.now), personID, key)
	return err
}

// ClaimDeliveries leases up to limit due deliveries to worker until now+lease.
// A delivery whose lease ran out (its worker died) is claimed again.
func (s *Store) ClaimDeliveries(ctx context.Context, worker string, lease time.Duration, limit int) ([]notify.Delivery, error) {
	var out []notify.Delivery
	err := s.Write(ctx, func(tx *Tx) error {
		now := ts(tx.now)
		skip := ""
		if tx.d == Postgres {
			skip = " FOR UPDATE SKIP LOCKED"
		}
		rows, err := tx.query(ctx, fmt.Sprintf(`SELECT d.msg_key, d.channel, d.address, d.attempts, i.subject, i.body, i.link FROM deliveries d JOIN inbox i ON i.msg_key = d.msg_key
			WHERE d.state = 'pending' AND d.next_at <= ? AND d.locked_until < ? ORDER BY d.next_at LIMIT %d`+skip, limit), now, now)
		if err != nil {
			return err
		}
		for rows.Next() {
			var d notify.Delivery
			if err := rows.Scan(&d.Key, &d.Channel, &d.Address, &d.Attempt, &d.Subject, &d.Body, &d.Link); err != nil {
				rows.Close()
				return err
			}
			d.Attempt++
			out = append(out, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range out {
			if _, err := tx.exec(ctx, `UPDATE deliveries SET locked_by = ?, locked_until = ?, attempts = ? WHERE msg_key = ? AND channel = ?`,
				worker, ts(tx.now.Add(lease)), d.Attempt, d.Key, d.Channel); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// ErrLeaseLost is returned when a worker finishes a delivery another worker
// has since claimed (its lease ran out): the result is not recorded twice.
var ErrLeaseLost = errors.New("lease lost")

// FinishDelivery records the outcome of an attempt: sent; or, on error, a
// retry after the backoff, or failed for good after the last attempt or a
// permanent error. Every attempt is logged.
func (s *Store) FinishDelivery(ctx context.Context, worker string, d notify.Delivery, sendErr error) error {
	return s.Write(ctx, func(tx *Tx) error {
		state, outcome, next, msg := "sent", "sent", int64(0), ""
		var perm *notify.Permanent
		switch {
		case sendErr == nil:
		case errors.As(sendErr, &perm) || d.Attempt >= notify.MaxAttempts:
			state, outcome, msg = "failed", "failed", sendErr.Error()
		default:
			state, outcome, msg = "pending", "retry", sendErr.Error()
			next = ts(tx.now.Add(notify.Backoff(d.Attempt)))
		}
		sent := int64(0)
		if state == "sent" {
			sent = ts(tx.now)
		}
		setNext := ""
		args := []any{state, msg, sent}
		if next > 0 {
			setNext, args = "next_at = ?, ", []any{state, next, msg, sent}
		}
		res, err := tx.exec(ctx, `UPDATE deliveries SET state = ?, `+setNext+`locked_by = '', locked_until = 0, last_error = ?, sent_at = ?
			WHERE msg_key = ? AND channel = ? AND locked_by = ? AND state = 'pending'`, append(args, d.Key, d.Channel, worker)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrLeaseLost
		}
		_, err = tx.exec(ctx, `INSERT INTO delivery_log (msg_key, channel, attempt, at, worker, outcome, error) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			d.Key, d.Channel, d.Attempt, ts(tx.now), worker, outcome, msg)
		return err
	})
}

// DeliveryLogEntry is one attempt to deliver.
type DeliveryLogEntry struct {
	Key, Channel, Worker, Outcome, Error string
	Attempt                              int
	At                                   time.Time
}

// DeliveryLog lists the attempts for a message key.
func (c conn) DeliveryLog(ctx context.Context, key string) ([]DeliveryLogEntry, error) {
	return queryAll(ctx, c, func(rows scanner) (DeliveryLogEntry, error) {
		var e DeliveryLogEntry
		var at int64
		if err := rows.Scan(&e.Key, &e.Channel, &e.Attempt, &at, &e.Worker, &e.Outcome, &e.Error); err != nil {
			return e, err
		}
		e.At = fromTS(at)
		return e, nil
	}, `SELECT msg_key, channel, attempt, at, worker, outcome, error FROM delivery_log WHERE msg_key = ? ORDER BY channel, attempt`, key)
}

// Sweep runs fn over the interval (cursor, now] of the named sweep, and moves
// the cursor to now in the same transaction — so each instant is swept once,
// even with several schedulers on one database (the cursor row is locked, and
// a scheduler finding it moved sweeps only what is left). The first run of a
// sweep starts at start. It returns the interval swept.
func (s *Store) Sweep(ctx context.Context, name string, start time.Time, fn func(tx *Tx, from, to time.Time) error) (time.Time, time.Time, error) {
	var from, to time.Time
	err := s.Write(ctx, func(tx *Tx) error {
		lock := ""
		if tx.d == Postgres {
			lock = " FOR UPDATE"
			if _, err := tx.exec(ctx, `INSERT INTO sweep_cursors (name, swept_to) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, ts(start)); err != nil {
				return err
			}
		}
		var cur int64
		err := tx.queryRow(ctx, `SELECT swept_to FROM sweep_cursors WHERE name = ?`+lock, name).Scan(&cur)
		if errors.Is(err, sql.ErrNoRows) {
			cur = ts(start)
			if _, err := tx.exec(ctx, `INSERT INTO sweep_cursors (name, swept_to) VALUES (?, ?)`, name, cur); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		from, to = fromTS(cur), tx.now
		if !to.After(from) {
			return nil
		}
		if err := fn(tx, from, to); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE sweep_cursors SET swept_to = ? WHERE name = ?`, ts(to), name)
		return err
	})
	return from, to, err
}
