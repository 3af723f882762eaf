package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/duty"
	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/planner"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// Duty (值班) rosters, shifts, swaps, logs and handovers. The rules are the
// duty package's; here they are read, kept and carried out in one
// transaction each, with the audit entry, the messages and (on publishing
// and on an approved swap) the 带班领导's shifts on their schedules.

const rosterCols = `id, unit_id, title, from_date, to_date, rotation, state, created_by, created_at, published_by, published_at, version`

func scanRoster(r scanner) (duty.Roster, error) {
	var ro duty.Roster
	var rot, state string
	var created, published int64
	if err := r.Scan(&ro.ID, &ro.UnitID, &ro.Title, &ro.From, &ro.To, &rot, &state, &ro.CreatedBy, &created, &ro.PublishedBy, &published, &ro.Version); err != nil {
		return ro, err
	}
	ro.State, ro.CreatedAt, ro.PublishedAt = duty.State(state), fromTS(created), fromTS(published)
	if err := json.Unmarshal([]byte(rot), &ro.Rotation); err != nil {
		return ro, fmt.Errorf("roster %s rotation: %w", ro.ID, err)
	}
	return ro, nil
}

const shiftCols = `date, kind, day_name, start_at, end_at, leader_id, staff_id`

func scanShift(r scanner) (duty.Shift, error) {
	var s duty.Shift
	var kind string
	var start, end int64
	err := r.Scan(&s.Date, &kind, &s.DayName, &start, &end, &s.LeaderID, &s.StaffID)
	s.Kind, s.Start, s.End = duty.DayKind(kind), fromTS(start), fromTS(end)
	return s, err
}

// DutyRosters lists the rosters (without their shifts), newest period first.
func (c conn) DutyRosters(ctx context.Context) ([]duty.Roster, error) {
	return queryAll(ctx, c, scanRoster, `SELECT `+rosterCols+` FROM duty_rosters ORDER BY from_date DESC, created_at DESC`)
}

// DutyRoster reads a roster with its shifts.
func (c conn) DutyRoster(ctx context.Context, id string) (duty.Roster, error) {
	ro, err := scanRoster(c.queryRow(ctx, `SELECT `+rosterCols+` FROM duty_rosters WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return ro, fmt.Errorf("roster %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return ro, fmt.Errorf("read roster: %w", err)
	}
	ro.Shifts, err = queryAll(ctx, c, scanShift, `SELECT `+shiftCols+` FROM duty_shifts WHERE roster_id = ? ORDER BY date`, id)
	return ro, err
}

// lockRoster holds a roster's row to the end of the transaction on
// PostgreSQL, so that writes on one roster (its shifts, swaps, logs and
// handovers) run one after the other; then reads it.
func (tx *Tx) lockRoster(ctx context.Context, id string) (duty.Roster, error) {
	if tx.d == Postgres {
		var one int
		err := tx.queryRow(ctx, `SELECT 1 FROM duty_rosters WHERE id = ? FOR UPDATE`, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return duty.Roster{}, fmt.Errorf("roster %s: %w", id, ErrNotFound)
		}
		if err != nil {
			return duty.Roster{}, fmt.Errorf("lock roster: %w", err)
		}
	}
	return tx.DutyRoster(ctx, id)
}

// putRoster writes a roster and its shifts: a new one (Version 1) or a
// change of the one read at version was.
func (tx *Tx) putRoster(ctx context.Context, ro duty.Roster, was int) error {
	rot, err := json.Marshal(ro.Rotation)
	if err != nil {
		return err
	}
	if was == 0 {
		if _, err := tx.exec(ctx, `INSERT INTO duty_rosters (`+rosterCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			ro.ID, ro.UnitID, ro.Title, ro.From, ro.To, string(rot), string(ro.State), ro.CreatedBy, ts(ro.CreatedAt), ro.PublishedBy, ts(ro.PublishedAt), ro.Version); err != nil {
			return fmt.Errorf("insert roster: %w", err)
		}
	} else {
		res, err := tx.exec(ctx, `UPDATE duty_rosters SET title = ?, rotation = ?, state = ?, published_by = ?, published_at = ?, version = ? WHERE id = ? AND version = ?`,
			ro.Title, string(rot), string(ro.State), ro.PublishedBy, ts(ro.PublishedAt), ro.Version, ro.ID, was)
		if err != nil {
			return fmt.Errorf("update roster: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("排班表已被他人修改，请刷新后重试: %w", ErrConflict)
		}
		if _, err := tx.exec(ctx, `DELETE FROM duty_shifts WHERE roster_id = ?`, ro.ID); err != nil {
			return fmt.Errorf("replace shifts: %w", err)
		}
	}
	for _, s := range ro.Shifts {
		if _, err := tx.exec(ctx, `INSERT INTO duty_shifts (roster_id, `+shiftCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			ro.ID, s.Date, string(s.Kind), s.DayName, ts(s.Start), ts(s.End), s.LeaderID, s.StaffID); err != nil {
			return fmt.Errorf("insert shift: %w", err)
		}
	}
	if was == 0 {
		return nil
	}
	// Who is on the roster decides who reads its logs.
	return tx.reindexDutyLogs(ctx, ro)
}

func (tx *Tx) auditDuty(ctx context.Context, by org.Person, action, kind, id string, detail any) error {
	return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: action, ObjectKind: kind, ObjectID: id, Detail: detailJSON(detail)})
}

func detailJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// CreateDutyRoster generates a draft roster over the calendar in force.
func (tx *Tx) CreateDutyRoster(ctx context.Context, by org.Person, n duty.NewRoster) (duty.Roster, error) {
	if _, err := tx.Unit(ctx, n.UnitID); errors.Is(err, ErrNotFound) {
		return duty.Roster{}, &duty.Refusal{Msg: "请选择值班的单位"}
	} else if err != nil {
		return duty.Roster{}, err
	}
	if err := tx.knownPeople(ctx, n.Rotation); err != nil {
		return duty.Roster{}, err
	}
	n.ID, n.By = uid.New(), by.ID
	ro, err := duty.Create(tx.s.Calendar(), n, tx.now)
	if err != nil {
		return ro, err
	}
	if err := tx.putRoster(ctx, ro, 0); err != nil {
		return ro, err
	}
	return ro, tx.auditDuty(ctx, by, "duty.roster.create", "duty_roster", ro.ID,
		map[string]any{"title": ro.Title, "from": ro.From, "to": ro.To, "mode": ro.Rotation.Mode.Label(), "shifts": len(ro.Shifts)})
}

// knownPeople refuses a pool naming someone who is not in the directory.
func (tx *Tx) knownPeople(ctx context.Context, rot duty.Rotation) error {
	for _, id := range slices.Concat(rot.Leaders, rot.Staff) {
		if _, err := tx.Person(ctx, id); errors.Is(err, ErrNotFound) {
			return &duty.Refusal{Msg: "值班名单中有不存在的人员"}
		} else if err != nil {
			return err
		}
	}
	return nil
}

// EditDutyRoster applies an edit of the duty package (Assign, Regenerate)
// to a roster, read and written under its lock, and audits it.
func (tx *Tx) EditDutyRoster(ctx context.Context, by org.Person, id, action string, edit func(duty.Roster) (duty.Roster, error), detail any) (duty.Roster, error) {
	ro, err := tx.lockRoster(ctx, id)
	if err != nil {
		return ro, err
	}
	was := ro.Version
	out, err := edit(ro)
	if err != nil {
		return ro, err
	}
	if err := tx.knownPeople(ctx, out.Rotation); err != nil {
		return ro, err
	}
	if err := tx.putRoster(ctx, out, was); err != nil {
		return ro, err
	}
	return out, tx.auditDuty(ctx, by, action, "duty_roster", id, detail)
}

// PublishDutyRoster puts a roster in force: every 带班领导's shift goes on
// their schedule (source duty, so meeting booking sees them busy) and
// everyone on it is told, in the same transaction.
func (tx *Tx) PublishDutyRoster(ctx context.Context, by org.Person, id string) (duty.Roster, error) {
	ro, err := tx.EditDutyRoster(ctx, by, id, "duty.roster.publish", func(r duty.Roster) (duty.Roster, error) {
		// One office, one roster in force a day.
		var clash string
		err := tx.queryRow(ctx, `SELECT r.title FROM duty_shifts s JOIN duty_rosters r ON r.id = s.roster_id
			WHERE r.unit_id = ? AND r.state = 'published' AND r.id <> ? AND s.date >= ? AND s.date <= ? ORDER BY s.date LIMIT 1`,
			r.UnitID, r.ID, r.From, r.To).Scan(&clash)
		if err == nil {
			return r, &duty.Refusal{Msg: "本单位已发布的《" + clash + "》与本排班表的日期重叠，不能发布"}
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return r, fmt.Errorf("overlapping rosters: %w", err)
		}
		return duty.Publish(r, by.ID, tx.now)
	}, map[string]any{"id": id})
	if err != nil {
		return ro, err
	}
	if err := tx.dutySchedule(ctx, by, ro); err != nil {
		return ro, err
	}
	t := newTeller(tx)
	loads := ro.Loads()
	for _, pid := range ro.People() {
		l := loads[pid]
		if err := t.send(ctx, dutyMessage(fmt.Sprintf("duty:published:%s:%d:%s", ro.ID, ro.Version, pid), pid, "duty.published", ro.ID, "",
			"值班安排："+ro.Title, fmt.Sprintf("《%s》已发布，您共值班 %d 天（工作日 %d、周末 %d、节假日 %d）。", ro.Title, l.Total(), l.Workday, l.Weekend, l.Holiday))); err != nil {
			return ro, err
		}
	}
	return ro, nil
}

// dutySchedule makes the roster's 带班领导 shifts the whole of its entries
// on the leaders' schedules.
func (tx *Tx) dutySchedule(ctx context.Context, by org.Person, ro duty.Roster) error {
	entries := make([]planner.Entry, 0, len(ro.Shifts))
	for _, s := range ro.Shifts {
		if s.LeaderID == "" {
			continue
		}
		entries = append(entries, planner.Entry{PersonID: s.LeaderID, Start: s.Start, End: s.End, Title: "带班值班（" + ro.Title + "）",
			Visibility: planner.Organ})
	}
	_, err := tx.ReplaceScheduleEntries(ctx, by, planner.Source{Kind: planner.SourceDuty, ID: ro.ID}, entries)
	return err
}

func dutyMessage(key, pid, kind, rosterID, date, subject, body string) notify.Message {
	link := "/duty/rosters/" + rosterID
	if date != "" {
		link += "/shifts/" + date
	}
	return notify.Message{Key: key, PersonID: pid, Kind: kind, Subject: subject, Body: body, Link: link}
}

// DutySwaps lists a roster's swap requests, newest first.
func (c conn) DutySwaps(ctx context.Context, rosterID string) ([]duty.Swap, error) {
	return queryAll(ctx, c, scanSwap, `SELECT `+swapCols+` FROM duty_swaps WHERE roster_id = ? ORDER BY requested_at DESC, id`, rosterID)
}

const swapCols = `id, roster_id, kind, post, date, from_id, to_id, with_date, reason, state, requested_at, decided_by, decided_at, note`

func scanSwap(r scanner) (duty.Swap, error) {
	var s duty.Swap
	var kind, post, state string
	var req, dec int64
	err := r.Scan(&s.ID, &s.RosterID, &kind, &post, &s.Date, &s.FromID, &s.ToID, &s.WithDate, &s.Reason, &state, &req, &s.DecidedBy, &dec, &s.Note)
	s.Kind, s.Post, s.State, s.RequestedAt, s.DecidedAt = duty.SwapKind(kind), duty.Post(post), duty.SwapState(state), fromTS(req), fromTS(dec)
	return s, err
}

// RequestDutySwap stores a swap request by the holder of the shift and
// tells the roster's keepers and the other person.
func (tx *Tx) RequestDutySwap(ctx context.Context, by org.Person, s duty.Swap, keepers []string) (duty.Swap, error) {
	ro, err := tx.lockRoster(ctx, s.RosterID)
	if err != nil {
		return s, err
	}
	s.ID, s.FromID = uid.New(), by.ID
	if _, err := tx.Person(ctx, s.ToID); errors.Is(err, ErrNotFound) {
		return s, &duty.Refusal{Msg: "请选择接替的人员"}
	} else if err != nil {
		return s, err
	}
	if s, err = duty.RequestSwap(ro, s, tx.now); err != nil {
		return s, err
	}
	if _, err := tx.exec(ctx, `INSERT INTO duty_swaps (`+swapCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 0, '')`,
		s.ID, s.RosterID, string(s.Kind), string(s.Post), s.Date, s.FromID, s.ToID, s.WithDate, s.Reason, string(s.State), ts(s.RequestedAt)); err != nil {
		return s, fmt.Errorf("insert swap: %w", err)
	}
	t := newTeller(tx)
	other, err := t.name(ctx, s.ToID)
	if err != nil {
		return s, err
	}
	what := fmt.Sprintf("%s申请%s %s 的%s，由%s接替", by.Name, s.Kind.Label(), s.Date, s.Post.Label(), other)
	if s.Kind == duty.Exchange {
		what = fmt.Sprintf("%s申请与%s换班：%s 与 %s 的%s互换", by.Name, other, s.Date, s.WithDate, s.Post.Label())
	}
	for _, pid := range append(slices.Clone(keepers), s.ToID) {
		if pid == by.ID {
			continue
		}
		if err := t.send(ctx, dutyMessage("duty:swap:"+s.ID+":"+pid, pid, "duty.swap_requested", ro.ID, "", "换班申请："+ro.Title, what+"。理由："+s.Reason)); err != nil {
			return s, err
		}
	}
	return s, tx.auditDuty(ctx, by, "duty.swap.request", "duty_swap", s.ID, map[string]string{"roster": ro.Title, "what": what, "reason": s.Reason})
}

// DecideDutySwap approves (applying it to the roster and the schedules)
// or rejects a pending swap, and tells both people.
func (tx *Tx) DecideDutySwap(ctx context.Context, by org.Person, swapID string, approve bool, note string) (duty.Swap, error) {
	s, err := scanSwap(tx.queryRow(ctx, `SELECT `+swapCols+` FROM duty_swaps WHERE id = ?`, swapID))
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("swap %s: %w", swapID, ErrNotFound)
	}
	if err != nil {
		return s, err
	}
	ro, err := tx.lockRoster(ctx, s.RosterID)
	if err != nil {
		return s, err
	}
	// Read again under the lock: another decision may have come first.
	if s, err = scanSwap(tx.queryRow(ctx, `SELECT `+swapCols+` FROM duty_swaps WHERE id = ?`, swapID)); err != nil {
		return s, err
	}
	if approve {
		was := ro.Version
		if ro, s, err = duty.ApproveSwap(ro, s, by.ID, note, tx.now); err != nil {
			return s, err
		}
		if err := tx.putRoster(ctx, ro, was); err != nil {
			return s, err
		}
		if err := tx.dutySchedule(ctx, by, ro); err != nil {
			return s, err
		}
	} else if s, err = duty.RejectSwap(s, by.ID, note, tx.now); err != nil {
		return s, err
	}
	if _, err := tx.exec(ctx, `UPDATE duty_swaps SET state = ?, decided_by = ?, decided_at = ?, note = ? WHERE id = ?`,
		string(s.State), s.DecidedBy, ts(s.DecidedAt), s.Note, s.ID); err != nil {
		return s, fmt.Errorf("decide swap: %w", err)
	}
	t := newTeller(tx)
	body := fmt.Sprintf("%s %s的%s申请%s。", s.Date, s.Post.Label(), s.Kind.Label(), s.State.Label())
	if s.Note != "" {
		body += "意见：" + s.Note
	}
	for _, pid := range []string{s.FromID, s.ToID} {
		if err := t.send(ctx, dutyMessage("duty:swap:"+s.ID+":"+string(s.State)+":"+pid, pid, "duty.swap_decided", ro.ID, "", s.Kind.Label()+s.State.Label()+"："+ro.Title, body)); err != nil {
			return s, err
		}
	}
	return s, tx.auditDuty(ctx, by, "duty.swap."+string(s.State), "duty_swap", s.ID, map[string]string{"roster": ro.Title, "date": s.Date, "note": s.Note})
}

// DutyRoleHolders lists who holds role in the unit.
func (c conn) DutyRoleHolders(ctx context.Context, unitID string, role org.Role) ([]string, error) {
	return c.queryStrings(ctx, `SELECT person_id FROM role_assignments WHERE unit_id = ? AND role = ? ORDER BY person_id`, unitID, string(role))
}
