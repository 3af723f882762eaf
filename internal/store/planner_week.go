package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/account"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/planner"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// Leaders' calendars kept by hand, the organ's week programme, iCalendar
// feeds and the evening message of the next day's schedule.

// SaveScheduleEntry adds (e.ID empty) or changes an entry kept by hand on a
// person's calendar, with its audit entry. Entries another module owns are
// changed there, not here.
func (s *Store) SaveScheduleEntry(ctx context.Context, by org.Person, e planner.Entry) (planner.Entry, error) {
	var out planner.Entry
	err := s.Write(ctx, func(tx *Tx) error {
		action := "schedule.add"
		if e.ID != "" {
			old, err := tx.ScheduleEntry(ctx, e.ID)
			if err != nil {
				return err
			}
			if !old.Source.IsZero() {
				return &planner.Refusal{Msg: "该日程由" + old.Source.Label() + "安排产生，请在" + old.Source.Label() + "中修改"}
			}
			if old.PersonID != e.PersonID {
				return &planner.Refusal{Msg: "日程不能移到另一个人名下"}
			}
			if _, err := tx.exec(ctx, `DELETE FROM schedule_entries WHERE id = ?`, e.ID); err != nil {
				return fmt.Errorf("change schedule entry: %w", err)
			}
			action = "schedule.change"
			e.Source = planner.Source{}
			created, createdBy := old.CreatedAt, old.CreatedBy
			var err2 error
			if out, err2 = tx.AddScheduleEntry(ctx, by, e); err2 != nil {
				return err2
			}
			out.CreatedAt, out.CreatedBy = created, createdBy
			if _, err := tx.exec(ctx, `UPDATE schedule_entries SET created_at = ?, created_by = ? WHERE id = ?`, ts(created), createdBy, out.ID); err != nil {
				return fmt.Errorf("change schedule entry: %w", err)
			}
		} else {
			e.Source = planner.Source{}
			var err error
			if out, err = tx.AddScheduleEntry(ctx, by, e); err != nil {
				return err
			}
		}
		who, _ := tx.Person(ctx, out.PersonID)
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: action, ObjectKind: "schedule_entry", ObjectID: out.ID,
			Detail: jsonString(map[string]any{"person": who.Name, "title": out.Title, "start": out.Start, "end": out.End, "visibility": out.Visibility.Label()})})
	})
	return out, err
}

// DeleteScheduleEntry removes an entry kept by hand, with its audit entry.
func (s *Store) DeleteScheduleEntry(ctx context.Context, by org.Person, id string) (planner.Entry, error) {
	var old planner.Entry
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		if old, err = tx.ScheduleEntry(ctx, id); err != nil {
			return err
		}
		if !old.Source.IsZero() {
			return &planner.Refusal{Msg: "该日程由" + old.Source.Label() + "安排产生，请在" + old.Source.Label() + "中取消"}
		}
		if _, err := tx.exec(ctx, `DELETE FROM schedule_entries WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete schedule entry: %w", err)
		}
		who, _ := tx.Person(ctx, old.PersonID)
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "schedule.delete", ObjectKind: "schedule_entry", ObjectID: id,
			Detail: jsonString(map[string]any{"person": who.Name, "title": old.Title, "start": old.Start, "end": old.End})})
	})
	return old, err
}

// OrganLeaders are the people holding the leader role in an organ, in the
// organ's order (their sort, then name): the rows of its week programme.
func (c conn) OrganLeaders(ctx context.Context, organID string) ([]planner.Leader, error) {
	rows, err := c.query(ctx, `SELECT DISTINCT p.id, p.name, p.sort FROM role_assignments r JOIN people p ON p.id = r.person_id
		WHERE r.role = ? AND r.unit_id = ? AND p.disabled = 0 ORDER BY p.sort, p.name, p.id`, string(org.RoleLeader), organID)
	if err != nil {
		return nil, fmt.Errorf("read organ leaders: %w", err)
	}
	defer rows.Close()
	var out []planner.Leader
	for rows.Next() {
		var l planner.Leader
		var sort int
		if err := rows.Scan(&l.ID, &l.Name, &sort); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// LeaderOrgans lists the units where someone holds the leader role, in
// the tree's order: the organs that have a week programme.
func (c conn) LeaderOrgans(ctx context.Context) ([]org.Unit, error) {
	ids, err := c.queryStrings(ctx, `SELECT DISTINCT unit_id FROM role_assignments WHERE role = ?`, string(org.RoleLeader))
	if err != nil {
		return nil, fmt.Errorf("read leader organs: %w", err)
	}
	units, err := c.Units(ctx)
	if err != nil {
		return nil, err
	}
	has := map[string]bool{}
	for _, id := range ids {
		has[id] = true
	}
	var out []org.Unit
	for _, u := range units {
		if has[u.ID] {
			out = append(out, u)
		}
	}
	return out, nil
}

// OfficeOfOrgan is the office serving an organ (its 办公室), which keeps its
// leaders' calendars and its week programme.
func (c conn) OfficeOfOrgan(ctx context.Context, organID string) (string, error) {
	units, err := c.unitMap(ctx)
	if err != nil {
		return "", err
	}
	if _, ok := units[organID]; !ok {
		return "", ErrNotFound
	}
	return officeOf(units, organID), nil
}

// WeekProgramme reads an organ's programme of the week starting monday
// (YYYY-MM-DD); a programme never saved is an empty draft (version 0).
func (c conn) WeekProgramme(ctx context.Context, organID, week string) (planner.Programme, error) {
	p := planner.Programme{OrganID: organID, Week: week, Status: planner.Draft}
	var raw, status string
	var edited, approved, published int64
	err := c.queryRow(ctx, `SELECT status, rows_json, version, note, edited_by, edited_at, approved_by, approved_at, published_at
		FROM week_programmes WHERE organ_id = ? AND week = ?`, organID, week).
		Scan(&status, &raw, &p.Version, &p.Note, &p.EditedBy, &edited, &p.ApprovedBy, &approved, &published)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return p, fmt.Errorf("read week programme: %w", err)
	}
	p.Status, p.EditedAt, p.ApprovedAt, p.PublishedAt = planner.Status(status), fromTS(edited), fromTS(approved), fromTS(published)
	if err := json.Unmarshal([]byte(raw), &p.Rows); err != nil {
		return p, fmt.Errorf("read week programme rows: %w", err)
	}
	return p, nil
}

// AssembleProgramme drafts the rows of an organ's week from its leaders'
// public entries (meetings included), without storing them.
func (c conn) AssembleProgramme(ctx context.Context, organID string, monday time.Time) ([]planner.Row, error) {
	loc := calendar.Shanghai()
	monday = planner.WeekStart(monday, loc)
	leaders, err := c.OrganLeaders(ctx, organID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(leaders))
	for i, l := range leaders {
		ids[i] = l.ID
	}
	es, err := c.ScheduleEntries(ctx, ids, monday, monday.AddDate(0, 0, 7))
	if err != nil {
		return nil, err
	}
	return planner.Assemble(monday, loc, leaders, es), nil
}

// ActOnProgramme performs op on an organ's week programme (planner.Op) in
// one transaction with its audit entry and its messages: submitted, the
// office director is told; approved or returned, whoever last edited it;
// published, the organ's leaders. version is the version the person saw
// (-1: do not check); a stale one is refused so no edit is lost.
func (s *Store) ActOnProgramme(ctx context.Context, by org.Person, organID string, monday time.Time, op planner.Op, rows []planner.Row, note string, version int) (planner.Programme, error) {
	loc := calendar.Shanghai()
	monday = planner.WeekStart(monday, loc)
	week := monday.Format("2006-01-02")
	var out planner.Programme
	err := s.Write(ctx, func(tx *Tx) error {
		organ, err := tx.Unit(ctx, organID)
		if err != nil {
			return err
		}
		// Serialise writers of one programme (the row may not exist yet).
		if err := tx.advisoryLock(ctx, "week_programme:"+organID+":"+week); err != nil {
			return err
		}
		p, err := tx.WeekProgramme(ctx, organID, week)
		if err != nil {
			return err
		}
		if version >= 0 && version != p.Version {
			return &planner.Refusal{Msg: "一周工作安排已被他人修改，请刷新后再操作"}
		}
		switch op {
		case planner.OpAssemble:
			if rows, err = tx.AssembleProgramme(ctx, organID, monday); err != nil {
				return err
			}
		case planner.OpSave:
			for i := range rows {
				rows[i].Content, rows[i].Place, rows[i].Time = strings.TrimSpace(rows[i].Content), strings.TrimSpace(rows[i].Place), strings.TrimSpace(rows[i].Time)
			}
			if err := planner.CheckRows(monday, loc, rows); err != nil {
				return err
			}
		}
		before := p.Version
		if out, err = p.Apply(op, by.ID, tx.now, rows, note); err != nil {
			return err
		}
		if out.Rows == nil {
			out.Rows = []planner.Row{}
		}
		raw, err := json.Marshal(out.Rows)
		if err != nil {
			return err
		}
		if before == 0 {
			_, err = tx.exec(ctx, `INSERT INTO week_programmes (organ_id, week, status, rows_json, version, note, edited_by, edited_at, approved_by, approved_at, published_at)
				VALUES (?,?,?,?,?,?,?,?,?,?,?)`, organID, week, string(out.Status), string(raw), out.Version, out.Note, out.EditedBy, ts(out.EditedAt), out.ApprovedBy, ts(out.ApprovedAt), ts(out.PublishedAt))
		} else {
			_, err = tx.exec(ctx, `UPDATE week_programmes SET status = ?, rows_json = ?, version = ?, note = ?, edited_by = ?, edited_at = ?, approved_by = ?, approved_at = ?, published_at = ?
				WHERE organ_id = ? AND week = ? AND version = ?`, string(out.Status), string(raw), out.Version, out.Note, out.EditedBy, ts(out.EditedAt), out.ApprovedBy, ts(out.ApprovedAt), ts(out.PublishedAt),
				organID, week, before)
		}
		if isUnique(err) {
			return &planner.Refusal{Msg: "一周工作安排已被他人修改，请刷新后再操作"}
		}
		if err != nil {
			return fmt.Errorf("store week programme: %w", err)
		}
		if err := tx.tellProgramme(ctx, by, organ, out, op, week); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "programme." + string(op), ObjectKind: "week_programme",
			ObjectID: organID + "/" + week, Detail: jsonString(map[string]any{"organ": organ.Name, "week": week, "status": out.Status.Label(), "rows": len(out.Rows), "note": out.Note})})
	})
	return out, err
}

// ProgrammeLink is the page of an organ's week programme.
func ProgrammeLink(organID, week string) string {
	return "/planner/week?organ=" + organID + "&week=" + week
}

func (tx *Tx) tellProgramme(ctx context.Context, by org.Person, organ org.Unit, p planner.Programme, op planner.Op, week string) error {
	var to []string
	var subject string
	title := organ.Name + " " + week + " 一周工作安排"
	switch op {
	case planner.OpSubmit:
		office, err := tx.OfficeOfOrgan(ctx, organ.ID)
		if err != nil {
			return err
		}
		rows, err := tx.queryStrings(ctx, `SELECT DISTINCT person_id FROM role_assignments WHERE role = ? AND unit_id = ?`, string(org.RoleOfficeDirector), office)
		if err != nil {
			return err
		}
		to, subject = rows, by.Name+"送审了"+title
	case planner.OpApprove:
		to, subject = []string{p.EditedBy}, by.Name+"审定了"+title
	case planner.OpReturn:
		to, subject = []string{p.EditedBy}, by.Name+"退回了"+title+"："+p.Note
	case planner.OpPublish:
		ls, err := tx.OrganLeaders(ctx, organ.ID)
		if err != nil {
			return err
		}
		for _, l := range ls {
			to = append(to, l.ID)
		}
		subject = title + "已发布"
	default:
		return nil
	}
	for _, id := range distinct(to) {
		if id == by.ID {
			continue
		}
		person, err := tx.Person(ctx, id)
		if err != nil {
			continue
		}
		m := notify.Message{Key: fmt.Sprintf("programme:%s:%s:%d:%s", organ.ID, week, p.Version, id), PersonID: id, Kind: "planner.programme",
			Subject: subject, Link: ProgrammeLink(organ.ID, week)}
		routes, err := tx.routesFor(ctx, person, m)
		if err != nil {
			return err
		}
		if _, err := tx.Notify(ctx, m, routes); err != nil {
			return err
		}
	}
	return nil
}

// ScheduleFeed is a person's iCalendar feed as its page shows it.
type ScheduleFeed struct {
	ID        string    `json:"id"`
	PersonID  string    `json:"person_id"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// NewScheduleFeed makes a person's feed, revoking the one they had, and
// returns the secret for its URL (shown once; only its hash is kept).
func (s *Store) NewScheduleFeed(ctx context.Context, by org.Person, personID string) (string, error) {
	secret, hash, err := account.NewToken()
	if err != nil {
		return "", err
	}
	err = s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE schedule_feeds SET revoked_at = ? WHERE person_id = ? AND revoked_at = 0`, ts(tx.now), personID); err != nil {
			return fmt.Errorf("revoke feed: %w", err)
		}
		id := uid.New()
		if _, err := tx.exec(ctx, `INSERT INTO schedule_feeds (id, person_id, token_hash, created_by, created_at) VALUES (?,?,?,?,?)`,
			id, personID, hash, by.ID, ts(tx.now)); err != nil {
			return fmt.Errorf("store feed: %w", err)
		}
		who, _ := tx.Person(ctx, personID)
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "schedule.feed_new", ObjectKind: "schedule_feed", ObjectID: id,
			Detail: jsonString(map[string]string{"person": who.Name})})
	})
	return secret, err
}

// RevokeScheduleFeed revokes a person's feed; its URL answers nothing from
// then on. ErrNotFound when there is none.
func (s *Store) RevokeScheduleFeed(ctx context.Context, by org.Person, personID string) error {
	return s.Write(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE schedule_feeds SET revoked_at = ? WHERE person_id = ? AND revoked_at = 0`, ts(tx.now), personID)
		if err != nil {
			return fmt.Errorf("revoke feed: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		who, _ := tx.Person(ctx, personID)
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "schedule.feed_revoke", ObjectKind: "schedule_feed", ObjectID: personID,
			Detail: jsonString(map[string]string{"person": who.Name})})
	})
}

// ScheduleFeedOf is a person's live feed, if any.
func (c conn) ScheduleFeedOf(ctx context.Context, personID string) (ScheduleFeed, bool, error) {
	var f ScheduleFeed
	var at int64
	err := c.queryRow(ctx, `SELECT id, person_id, created_by, created_at FROM schedule_feeds WHERE person_id = ? AND revoked_at = 0`, personID).
		Scan(&f.ID, &f.PersonID, &f.CreatedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return f, false, nil
	}
	if err != nil {
		return f, false, fmt.Errorf("read feed: %w", err)
	}
	f.CreatedAt = fromTS(at)
	return f, true, nil
}

// ScheduleFeedPerson is the person whose live feed the secret opens;
// ErrNotFound for an unknown or revoked one, or a disabled account's.
func (c conn) ScheduleFeedPerson(ctx context.Context, secret string) (string, error) {
	var id string
	err := c.queryRow(ctx, `SELECT f.person_id FROM schedule_feeds f JOIN people p ON p.id = f.person_id
		WHERE f.token_hash = ? AND f.revoked_at = 0 AND p.disabled = 0`, account.HashToken(secret)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("read feed: %w", err)
	}
	return id, nil
}

// TomorrowHour is when leaders get the next day's schedule: 18:00 the
// evening before, Shanghai time.
const TomorrowHour = 18

// SendTomorrowSchedules sends each leader, for each evening whose
// TomorrowHour falls in (from, to], the next day's entries on their
// schedule (nothing when the day is empty). Evenings more than twelve hours
// before to are skipped: after a long stop the scheduler does not send
// yesterday's "tomorrow". The key (person and date) makes a repeat a no-op.
// A message naming entries that are not public in the organ stays in the
// inbox.
func (tx *Tx) SendTomorrowSchedules(ctx context.Context, from, to time.Time) (int, error) {
	sh := calendar.Shanghai()
	f := from.In(sh)
	evening := time.Date(f.Year(), f.Month(), f.Day(), TomorrowHour, 0, 0, 0, sh)
	if !evening.After(from) {
		evening = evening.AddDate(0, 0, 1)
	}
	sent := 0
	var leaders []string
	for ; !evening.After(to); evening = evening.AddDate(0, 0, 1) {
		if to.Sub(evening) > 12*time.Hour {
			continue
		}
		if leaders == nil {
			var err error
			if leaders, err = tx.PeopleWithRole(ctx, org.RoleLeader); err != nil {
				return sent, err
			}
		}
		day := time.Date(evening.Year(), evening.Month(), evening.Day()+1, 0, 0, 0, 0, sh)
		es, err := tx.ScheduleEntries(ctx, leaders, day, day.AddDate(0, 0, 1))
		if err != nil {
			return sent, err
		}
		by := map[string][]planner.Entry{}
		for _, e := range es {
			by[e.PersonID] = append(by[e.PersonID], e)
		}
		for _, id := range leaders {
			mine := by[id]
			if len(mine) == 0 {
				continue
			}
			p, err := tx.Person(ctx, id)
			if err != nil {
				return sent, err
			}
			var b strings.Builder
			inner := false
			for i, e := range mine {
				fmt.Fprintf(&b, "%d. %s %s", i+1, planner.SpanText(e.Start, e.End, e.AllDay, sh), e.Title)
				if e.Place != "" {
					fmt.Fprintf(&b, "（%s）", e.Place)
				}
				b.WriteString("\n")
				inner = inner || e.Visibility != planner.Organ
			}
			date := day.Format("2006-01-02")
			m := notify.Message{Key: "planner.tomorrow:" + id + ":" + date, PersonID: id, Kind: "planner.tomorrow",
				Subject: fmt.Sprintf("明日（%d月%d日%s）日程 %d 项", day.Month(), day.Day(), planner.WeekdayName(day.Weekday()), len(mine)),
				Body:    strings.TrimRight(b.String(), "\n"), Link: "/planner/people/" + id + "?week=" + date, CreatedAt: evening, Classified: inner}
			routes, err := tx.routesFor(ctx, p, m)
			if err != nil {
				return sent, err
			}
			stored, err := tx.Notify(ctx, m, routes)
			if err != nil {
				return sent, err
			}
			if stored {
				sent++
			}
		}
	}
	return sent, nil
}
