package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/planner"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// Schedule entries (领导日程) are the one source of a person's busy time.
// Another module that puts people's time on their schedules (a meeting, a
// duty shift) does so inside its own write, by source:
//
//	err := s.Write(ctx, func(tx *store.Tx) error {
//		// … the module's own rows and audit entry …
//		_, err := tx.ReplaceScheduleEntries(ctx, by, planner.Source{Kind: planner.SourceMeeting, ID: m.ID}, entries)
//		return err
//	})
//
// and reads busy time for its checks with BusyIntervals (on the store, or on
// the transaction to see its own writes). These Tx methods write no audit
// entry: the owning module's change is what is audited.

const scheduleCols = `id, person_id, start_at, end_at, all_day, title, place, note, visibility, source_kind, source_id, created_by, created_at, updated_at`

func scanEntry(sc interface{ Scan(...any) error }) (planner.Entry, error) {
	var e planner.Entry
	var start, end, created, updated, allDay int64
	var vis string
	if err := sc.Scan(&e.ID, &e.PersonID, &start, &end, &allDay, &e.Title, &e.Place, &e.Note, &vis, &e.Source.Kind, &e.Source.ID,
		&e.CreatedBy, &created, &updated); err != nil {
		return e, err
	}
	e.Start, e.End, e.CreatedAt, e.UpdatedAt = fromTS(start), fromTS(end), fromTS(created), fromTS(updated)
	e.AllDay, e.Visibility = allDay != 0, planner.Visibility(vis)
	return e, nil
}

// AddScheduleEntry stores a new entry on e.PersonID's schedule, written by
// by, and returns it with its ID (made when empty) and times. The entry is
// validated first (planner.Entry.Validate).
func (tx *Tx) AddScheduleEntry(ctx context.Context, by org.Person, e planner.Entry) (planner.Entry, error) {
	if e.ID == "" {
		e.ID = uid.New()
	}
	e.Title, e.Place, e.Note = strings.TrimSpace(e.Title), strings.TrimSpace(e.Place), strings.TrimSpace(e.Note)
	if err := e.Validate(); err != nil {
		return planner.Entry{}, err
	}
	e.CreatedBy, e.CreatedAt, e.UpdatedAt = by.ID, tx.now, tx.now
	_, err := tx.exec(ctx, `INSERT INTO schedule_entries (`+scheduleCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		e.ID, e.PersonID, ts(e.Start), ts(e.End), b2i(e.AllDay), e.Title, e.Place, e.Note, string(e.Visibility), e.Source.Kind, e.Source.ID,
		e.CreatedBy, ts(e.CreatedAt), ts(e.UpdatedAt))
	if isUnique(err) {
		return planner.Entry{}, fmt.Errorf("schedule entry %s: %w", e.ID, ErrConflict)
	}
	if err != nil {
		return planner.Entry{}, fmt.Errorf("add schedule entry: %w", err)
	}
	return e, nil
}

// ReplaceScheduleEntries makes entries the whole of src's entries: those
// src had are removed, these are added with src as their source. An empty
// list removes them all. It returns the stored entries.
func (tx *Tx) ReplaceScheduleEntries(ctx context.Context, by org.Person, src planner.Source, entries []planner.Entry) ([]planner.Entry, error) {
	if src.Kind == "" || src.ID == "" {
		return nil, errors.New("replace schedule entries: a source names its kind and ID")
	}
	if _, err := tx.RemoveScheduleEntries(ctx, src); err != nil {
		return nil, err
	}
	out := make([]planner.Entry, 0, len(entries))
	for _, e := range entries {
		e.Source = src
		e, err := tx.AddScheduleEntry(ctx, by, e)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// RemoveScheduleEntries removes src's entries and says how many there were.
func (tx *Tx) RemoveScheduleEntries(ctx context.Context, src planner.Source) (int64, error) {
	if src.Kind == "" || src.ID == "" {
		return 0, errors.New("remove schedule entries: a source names its kind and ID")
	}
	// source_kind <> '' lets the partial index schedule_entries_source serve:
	// a database cannot tell that the parameter is never ''.
	res, err := tx.exec(ctx, `DELETE FROM schedule_entries WHERE source_kind <> '' AND source_kind = ? AND source_id = ?`, src.Kind, src.ID)
	if err != nil {
		return 0, fmt.Errorf("remove schedule entries: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("remove schedule entries: %w", err)
	}
	return n, nil
}

// ScheduleEntriesBySource reads src's entries, ordered by person and start.
func (c conn) ScheduleEntriesBySource(ctx context.Context, src planner.Source) ([]planner.Entry, error) {
	return c.scheduleEntries(ctx, `SELECT `+scheduleCols+` FROM schedule_entries WHERE source_kind <> '' AND source_kind = ? AND source_id = ? ORDER BY person_id, start_at, id`,
		src.Kind, src.ID)
}

// ScheduleEntry reads one entry; ErrNotFound when there is none.
func (c conn) ScheduleEntry(ctx context.Context, id string) (planner.Entry, error) {
	e, err := scanEntry(c.queryRow(ctx, `SELECT `+scheduleCols+` FROM schedule_entries WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return planner.Entry{}, ErrNotFound
	}
	if err != nil {
		return planner.Entry{}, fmt.Errorf("read schedule entry: %w", err)
	}
	return e, nil
}

// ScheduleEntries reads the entries of people that overlap [from, to),
// ordered by start (then person). No people: nobody's.
func (c conn) ScheduleEntries(ctx context.Context, people []string, from, to time.Time) ([]planner.Entry, error) {
	people = distinct(people)
	if len(people) == 0 || !to.After(from) {
		return nil, nil
	}
	// An entry is at most planner.MaxSpan long, which bounds the index
	// range on start_at from below.
	args := []any{ts(from.Add(-planner.MaxSpan)), ts(to), ts(from)}
	for _, p := range people {
		args = append(args, p)
	}
	q := `SELECT ` + scheduleCols + ` FROM schedule_entries WHERE start_at >= ? AND start_at < ? AND end_at > ? AND person_id `
	if len(people) == 1 {
		q += `= ?`
	} else {
		q += `IN (` + placeholders(len(people)) + `)`
	}
	return c.scheduleEntries(ctx, q+` ORDER BY start_at, person_id, id`, args...)
}

// ScheduleEntriesBetween reads everyone's entries that overlap [from, to),
// ordered by start (for the week programme and the evening sweep).
func (c conn) ScheduleEntriesBetween(ctx context.Context, from, to time.Time) ([]planner.Entry, error) {
	return c.scheduleEntries(ctx, `SELECT `+scheduleCols+` FROM schedule_entries WHERE start_at >= ? AND start_at < ? AND end_at > ? ORDER BY start_at, person_id, id`,
		ts(from.Add(-planner.MaxSpan)), ts(to), ts(from))
}

// BusyIntervals reads the busy time of people over [from, to): every entry
// of theirs overlapping it, with its details (the caller redacts what the
// viewer may not see: planner.Busy.Redacted), ordered by start.
func (c conn) BusyIntervals(ctx context.Context, people []string, from, to time.Time) ([]planner.Busy, error) {
	es, err := c.ScheduleEntries(ctx, people, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]planner.Busy, len(es))
	for i, e := range es {
		out[i] = planner.BusyOf(e)
	}
	return out, nil
}

func (c conn) scheduleEntries(ctx context.Context, q string, args ...any) ([]planner.Entry, error) {
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read schedule entries: %w", err)
	}
	defer rows.Close()
	var out []planner.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("read schedule entries: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read schedule entries: %w", err)
	}
	return out, nil
}

func distinct(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
