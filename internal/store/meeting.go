package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/planner"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// PutMeetingRoom stores a meeting room (new or changed).
func (tx *Tx) PutMeetingRoom(ctx context.Context, r meeting.Room) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO meeting_rooms (id, organ_id, name, sort, content) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET organ_id = excluded.organ_id, name = excluded.name, sort = excluded.sort, content = excluded.content`,
		r.ID, r.OrganID, r.Name, r.Sort, string(b)); err != nil {
		return fmt.Errorf("save meeting room: %w", err)
	}
	return nil
}

// MeetingRooms lists the rooms in their order.
func (c conn) MeetingRooms(ctx context.Context) ([]meeting.Room, error) {
	return queryAll(ctx, c, func(r scanner) (meeting.Room, error) {
		var raw string
		var room meeting.Room
		if err := r.Scan(&raw); err != nil {
			return room, err
		}
		return room, json.Unmarshal([]byte(raw), &room)
	}, `SELECT content FROM meeting_rooms ORDER BY organ_id, sort, name`)
}

// MeetingRoom reads one room.
func (c conn) MeetingRoom(ctx context.Context, id string) (meeting.Room, error) {
	var raw string
	var room meeting.Room
	err := c.queryRow(ctx, `SELECT content FROM meeting_rooms WHERE id = ?`, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return room, fmt.Errorf("会议室 %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return room, err
	}
	return room, json.Unmarshal([]byte(raw), &room)
}

// Meeting reads one meeting.
func (c conn) Meeting(ctx context.Context, id string) (meeting.Meeting, error) {
	return c.meeting(ctx, id, "")
}

func (c conn) meeting(ctx context.Context, id, lock string) (meeting.Meeting, error) {
	var raw string
	var m meeting.Meeting
	err := c.queryRow(ctx, `SELECT content FROM meetings WHERE id = ?`+lock, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("会议 %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return m, fmt.Errorf("decode meeting %s: %w", id, err)
	}
	return m, nil
}

// MeetingFilter selects meetings for a list.
type MeetingFilter struct {
	PersonID string    // meetings concerning the person; "" for all
	From, To time.Time // meetings starting in [From, To); zero: unbounded
	Limit    int
}

// Meetings lists meetings by start.
func (c conn) Meetings(ctx context.Context, f MeetingFilter) ([]meeting.Meeting, error) {
	q := `SELECT m.content FROM meetings m`
	var args []any
	where := ` WHERE 1 = 1`
	if f.PersonID != "" {
		q += ` JOIN meeting_people p ON p.meeting_id = m.id`
		where += ` AND p.person_id = ?`
		args = append(args, f.PersonID)
	}
	if !f.From.IsZero() {
		where += ` AND m.start_at >= ?`
		args = append(args, ts(f.From))
	}
	if !f.To.IsZero() {
		where += ` AND m.start_at < ?`
		args = append(args, ts(f.To))
	}
	q += where + ` ORDER BY m.start_at, m.id`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	return queryAll(ctx, c, func(r scanner) (meeting.Meeting, error) {
		var raw string
		var m meeting.Meeting
		if err := r.Scan(&raw); err != nil {
			return m, err
		}
		return m, json.Unmarshal([]byte(raw), &m)
	}, q, args...)
}

// BookingConflict refuses a booking: what stands in its way, exactly, and
// the nearest free slots.
type BookingConflict struct {
	Conflicts []meeting.Conflict
	Free      []meeting.Slot
}

func (e *BookingConflict) Error() string { return "所选时间有冲突" }

// searchWindow is the span the free slots are looked for in around a day.
func searchWindow(start time.Time) (time.Time, time.Time) {
	return start.AddDate(0, 0, -8), start.AddDate(0, 0, 16)
}

// MeetingBusy reads what stands in a booking's way around w's day: the
// room's other meetings and the people's schedule entries (a leader's
// meeting, trip or duty, from the one schedule). Titles of entries the
// organizer may not see in detail are redacted ("忙").
func (c conn) MeetingBusy(ctx context.Context, w meeting.Wanted) ([]meeting.Busy, error) {
	from, to := searchWindow(w.Slot.Start)
	var out []meeting.Busy
	if w.Room != "" {
		rows, err := c.query(ctx, `SELECT id, title, start_at, end_at FROM meetings WHERE room_id = ? AND status <> ? AND start_at >= ? AND start_at < ? AND end_at > ?`,
			w.Room, string(meeting.Cancelled), ts(from.Add(-meeting.MaxDuration)), ts(to), ts(from))
		if err != nil {
			return nil, fmt.Errorf("read room bookings: %w", err)
		}
		for rows.Next() {
			var b meeting.Busy
			var s, e int64
			if err := rows.Scan(&b.SourceID, &b.Title, &s, &e); err != nil {
				rows.Close()
				return nil, err
			}
			b.Kind, b.Who, b.Start, b.End, b.SourceKind = meeting.RoomBusy, w.Room, fromTS(s), fromTS(e), planner.SourceMeeting
			out = append(out, b)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	busy, err := c.BusyIntervals(ctx, w.People, from, to)
	if err != nil {
		return nil, err
	}
	for _, b := range busy {
		if b.Visibility != planner.Organ {
			b = b.Redacted()
		}
		out = append(out, meeting.Busy{Kind: meeting.PersonBusy, Who: b.PersonID, Start: b.Start, End: b.End, Title: b.Title,
			SourceKind: b.Source.Kind, SourceID: b.Source.ID})
	}
	return out, nil
}

// CheckBooking is the booking's check without booking: the conflicts and,
// if any, the nearest free slots.
func (c conn) CheckBooking(ctx context.Context, w meeting.Wanted, notBefore time.Time, cal *calendar.Calendar) (*BookingConflict, error) {
	busy, err := c.MeetingBusy(ctx, w)
	if err != nil {
		return nil, err
	}
	cs := meeting.Conflicts(w, busy)
	if len(cs) == 0 {
		return nil, nil
	}
	return &BookingConflict{Conflicts: cs, Free: meeting.FreeSlots(cal, w, busy, notBefore, 5)}, nil
}

// BookMeeting books a meeting: the rules' checks (meeting.NewMeeting.Validate),
// then the room's other meetings and every leader's schedule — refused with a
// *BookingConflict naming each conflict and offering the nearest free slots —
// then the meeting, its people and an entry on each leader's schedule, in
// one transaction. The room's row and the leaders' rows are locked first, so
// two bookings of one room or one leader are checked one after the other.
func (s *Store) BookMeeting(ctx context.Context, by org.Person, n meeting.NewMeeting) (meeting.Meeting, error) {
	var m meeting.Meeting
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		m, err = tx.BookMeeting(ctx, by, n)
		return err
	})
	return m, err
}

// BookMeeting is Store.BookMeeting inside a transaction.
func (tx *Tx) BookMeeting(ctx context.Context, by org.Person, n meeting.NewMeeting) (meeting.Meeting, error) {
	units, err := tx.unitMap(ctx)
	if err != nil {
		return meeting.Meeting{}, err
	}
	if _, ok := units[n.OfficeID]; !ok {
		return meeting.Meeting{}, errors.New("办会单位不存在")
	}
	n.OrganID = organOf(units, n.OfficeID)
	if n.ID == "" {
		n.ID = uid.New()
	}
	room, err := tx.MeetingRoom(ctx, n.RoomID)
	if errors.Is(err, ErrNotFound) {
		return meeting.Meeting{}, errors.New("会议室不存在")
	}
	if err != nil {
		return meeting.Meeting{}, err
	}
	for i := range n.Invitees {
		iv := &n.Invitees[i]
		p, err := tx.Person(ctx, iv.PersonID)
		if err != nil {
			return meeting.Meeting{}, errors.New("参会人员不存在")
		}
		if n.Level > org.Unclassified && p.Clearance < n.Level {
			return meeting.Meeting{}, fmt.Errorf("%s的涉密等级低于会议密级，不能参会", p.Name)
		}
		if iv.UnitID == "" {
			if iv.UnitID, err = tx.primaryUnit(ctx, p.ID); err != nil {
				return meeting.Meeting{}, err
			}
		}
		if iv.Office == "" {
			iv.Office = officeOf(units, iv.UnitID)
		}
	}
	within := func(unit, ancestor string) bool {
		for i := 0; unit != "" && i < 32; i++ {
			if unit == ancestor {
				return true
			}
			unit = units[unit].ParentID
		}
		return false
	}
	if err := n.Validate(room, within, tx.now); err != nil {
		return meeting.Meeting{}, err
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return meeting.Meeting{}, err
	}
	m := meeting.Book(n, by.ID, secret, tx.now)
	if err := tx.lockBooking(ctx, &m); err != nil {
		return meeting.Meeting{}, err
	}
	w := meeting.Wanted{Slot: meeting.Slot{Start: m.Start, End: m.End}, Room: m.RoomID, People: m.Leaders(), Self: m.ID}
	if bc, err := tx.CheckBooking(ctx, w, tx.now, tx.s.Calendar()); err != nil {
		return meeting.Meeting{}, err
	} else if bc != nil {
		return meeting.Meeting{}, bc
	}
	if err := tx.putMeeting(ctx, by, &m, room, true); err != nil {
		return meeting.Meeting{}, err
	}
	return m, tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "meeting.book", ObjectKind: "meeting", ObjectID: m.ID,
		Detail: jsonString(map[string]any{"title": m.Title, "kind": m.Kind, "room": room.Name, "start": m.Start, "end": m.End, "invitees": len(m.Invitees)})})
}

// lockBooking locks the room's row and the leaders' rows (PostgreSQL; the
// SQLite writer is alone anyway), in a fixed order.
func (tx *Tx) lockBooking(ctx context.Context, m *meeting.Meeting) error {
	if tx.d != Postgres {
		return nil
	}
	var one int
	if err := tx.queryRow(ctx, `SELECT 1 FROM meeting_rooms WHERE id = ? FOR UPDATE`, m.RoomID).Scan(&one); err != nil {
		return fmt.Errorf("lock room: %w", err)
	}
	leaders := slices.Clone(m.Leaders())
	slices.Sort(leaders)
	for _, id := range leaders {
		if err := tx.queryRow(ctx, `SELECT 1 FROM people WHERE id = ? FOR UPDATE`, id).Scan(&one); err != nil {
			return fmt.Errorf("lock leader: %w", err)
		}
	}
	return nil
}

// primaryUnit is the unit of a person's primary position.
func (c conn) primaryUnit(ctx context.Context, personID string) (string, error) {
	var unit string
	err := c.queryRow(ctx, `SELECT unit_id FROM positions WHERE person_id = ? ORDER BY is_primary DESC, unit_id LIMIT 1`, personID).Scan(&unit)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return unit, err
}

// putMeeting writes the meeting, its people and its leaders' schedule
// entries (none once cancelled).
func (tx *Tx) putMeeting(ctx context.Context, by org.Person, m *meeting.Meeting, room meeting.Room, insert bool) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if insert {
		_, err = tx.exec(ctx, `INSERT INTO meetings (id, office_id, kind, room_id, start_at, end_at, status, title, level, content, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, m.ID, m.OfficeID, string(m.Kind), m.RoomID, ts(m.Start), ts(m.End), string(m.Status), m.Title,
			int(m.Level), string(b), ts(m.CreatedAt), ts(m.UpdatedAt))
	} else {
		_, err = tx.exec(ctx, `UPDATE meetings SET room_id = ?, start_at = ?, end_at = ?, status = ?, title = ?, level = ?, content = ?, version = version + 1, updated_at = ?
			WHERE id = ?`, m.RoomID, ts(m.Start), ts(m.End), string(m.Status), m.Title, int(m.Level), string(b), ts(m.UpdatedAt), m.ID)
	}
	if err != nil {
		return fmt.Errorf("save meeting: %w", err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM meeting_people WHERE meeting_id = ?`, m.ID); err != nil {
		return fmt.Errorf("save meeting people: %w", err)
	}
	for _, p := range m.People() {
		if _, err := tx.exec(ctx, `INSERT INTO meeting_people (person_id, meeting_id) VALUES (?, ?)`, p, m.ID); err != nil {
			return fmt.Errorf("save meeting people: %w", err)
		}
	}
	if err := tx.indexMeeting(ctx, m, room); err != nil {
		return err
	}
	var entries []planner.Entry
	if m.Status != meeting.Cancelled {
		for _, id := range m.Leaders() {
			if iv, ok := m.Invitee(id); ok && iv.Reply != nil && iv.Reply.Answer != meeting.Attend {
				continue // sends someone or is absent: their time is free again
			}
			entries = append(entries, planner.Entry{PersonID: id, Start: m.Start, End: m.End, Title: m.Title, Place: room.Name,
				Visibility: planner.Organ})
		}
	}
	if _, err := tx.ReplaceScheduleEntries(ctx, by, planner.Source{Kind: planner.SourceMeeting, ID: m.ID}, entries); err != nil {
		return fmt.Errorf("leaders' schedules: %w", err)
	}
	return nil
}

// MeetingOp is one change to a meeting by the rules, given the actor; it
// returns the people to tell and what to tell them.
type MeetingOp func(tx *Tx, m *meeting.Meeting, a route.Actor) ([]MeetingNotice, error)

// MeetingNotice is a message a meeting's change owes.
type MeetingNotice struct {
	To            []string
	Kind, Subject string
	Body          string
	Key           string // distinguishes the message (with the meeting and the person)
	Link          string // where it leads; "": the meeting's page
}

// MeetingAct applies op to the meeting under its row's lock, then stores it
// with its schedule entries, sends its messages and audits it (action, with
// detail), in one transaction.
func (s *Store) MeetingAct(ctx context.Context, by org.Person, id, action string, detail any, op MeetingOp) (meeting.Meeting, error) {
	var m meeting.Meeting
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		m, err = tx.MeetingAct(ctx, by, id, action, detail, op)
		return err
	})
	return m, err
}

// MeetingAct is Store.MeetingAct inside a transaction.
func (tx *Tx) MeetingAct(ctx context.Context, by org.Person, id, action string, detail any, op MeetingOp) (meeting.Meeting, error) {
	lock := ""
	if tx.d == Postgres {
		lock = " FOR UPDATE"
	}
	m, err := tx.meeting(ctx, id, lock)
	if err != nil {
		return m, err
	}
	a, err := tx.Actor(ctx, by.ID, tx.now)
	if err != nil {
		return m, err
	}
	notices, err := op(tx, &m, a)
	if err != nil {
		return m, err
	}
	room, err := tx.MeetingRoom(ctx, m.RoomID)
	if err != nil {
		return m, err
	}
	if err := tx.putMeeting(ctx, by, &m, room, false); err != nil {
		return m, err
	}
	if err := tx.tellMeeting(ctx, &m, notices); err != nil {
		return m, err
	}
	return m, tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "meeting." + action, ObjectKind: "meeting", ObjectID: m.ID,
		Detail: jsonString(detail)})
}

// MeetingObject is the meeting as the access function sees it.
func MeetingObject(m *meeting.Meeting) access.Object {
	return access.Object{Kind: "meeting", ID: m.ID, UnitID: m.OfficeID, Level: m.Level, Participants: m.People()}
}

// tellMeeting sends a change's messages to those who may read the meeting.
func (tx *Tx) tellMeeting(ctx context.Context, m *meeting.Meeting, ns []MeetingNotice) error {
	if len(ns) == 0 {
		return nil
	}
	t := newTeller(tx)
	for _, n := range ns {
		for _, to := range n.To {
			s, err := t.subject(ctx, to)
			if err != nil {
				return err
			}
			o := MeetingObject(m)
			o.Participants = append(o.Participants, to)
			if !access.Decide(s, access.ReadObject, o).Allow {
				continue
			}
			key := fmt.Sprintf("meeting:%s:%s:%s", m.ID, n.Key, to)
			link := n.Link
			if link == "" {
				link = "/meetings/" + m.ID
			}
			if err := t.send(ctx, notify.Message{Key: key, PersonID: to, Kind: n.Kind, Subject: n.Subject, Body: n.Body,
				Link: link, Classified: m.Level > org.Unclassified}); err != nil {
				return err
			}
		}
	}
	return nil
}
