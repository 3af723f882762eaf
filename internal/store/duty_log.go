package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/duty"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

const entryCols = `id, kind, at, party, party_unit, title, content, handling, level, escalated, by_id, created_at`

func scanDutyEntry(r scanner) (duty.Entry, error) {
	var e duty.Entry
	var kind, esc string
	var at, created int64
	var level int
	if err := r.Scan(&e.ID, &kind, &at, &e.Party, &e.PartyUnit, &e.Title, &e.Content, &e.Handling, &level, &esc, &e.ByID, &created); err != nil {
		return e, err
	}
	e.Kind, e.At, e.Created, e.Level = duty.EntryKind(kind), fromTS(at), fromTS(created), duty.Level(level)
	if esc != "" {
		if err := json.Unmarshal([]byte(esc), &e.Escalated); err != nil {
			return e, fmt.Errorf("entry %s escalated: %w", e.ID, err)
		}
	}
	return e, nil
}

// DutyLog reads a shift's log: its entries in time order and, once filed,
// its summary.
func (c conn) DutyLog(ctx context.Context, rosterID, date string) (duty.Log, error) {
	l := duty.Log{RosterID: rosterID, Date: date}
	var at int64
	err := c.queryRow(ctx, `SELECT summary, submitted_by, submitted_at FROM duty_logs WHERE roster_id = ? AND date = ?`, rosterID, date).
		Scan(&l.Summary, &l.SubmittedBy, &at)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return l, fmt.Errorf("read log: %w", err)
	}
	l.SubmittedAt = fromTS(at)
	l.Entries, err = queryAll(ctx, c, scanDutyEntry, `SELECT `+entryCols+` FROM duty_entries WHERE roster_id = ? AND date = ? ORDER BY at, created_at, id`, rosterID, date)
	return l, err
}

// AddDutyEntry writes a line of a shift's log. An event is escalated
// (duty.Escalate) to the 带班领导 and, when grave, to the unit's responsible
// leaders through their inbox and chosen channels, in the same transaction;
// the entry keeps whom it went to, by name.
func (tx *Tx) AddDutyEntry(ctx context.Context, by org.Person, rosterID, date string, e duty.Entry, manager bool) (duty.Entry, error) {
	ro, err := tx.lockRoster(ctx, rosterID)
	if err != nil {
		return e, err
	}
	l, err := tx.DutyLog(ctx, rosterID, date)
	if err != nil {
		return e, err
	}
	e.ID, e.ByID = uid.New(), by.ID
	if e, err = duty.NewEntry(ro, l, e, manager, tx.now); err != nil {
		return e, err
	}
	if e.Kind == duty.Event {
		s, _ := ro.Shift(date)
		resp, err := tx.responsibleLeaders(ctx, ro.UnitID)
		if err != nil {
			return e, err
		}
		esc := duty.Escalate(e.Level, s, resp, by.ID)
		t := newTeller(tx)
		body := fmt.Sprintf("%s %s报告：%s（%s）。%s。%s", e.At.In(tx.s.Calendar().Location()).Format("01-02 15:04"), by.Name, e.Title, e.Level.Label(), e.Content, esc.Rule)
		for _, pid := range esc.To {
			name, err := t.name(ctx, pid)
			if err != nil {
				return e, err
			}
			e.Escalated = append(e.Escalated, name)
			if err := t.send(ctx, dutyMessage("duty:event:"+e.ID+":"+pid, pid, "duty.event", rosterID, date, "突发事件（"+e.Level.Label()+"）："+e.Title, body)); err != nil {
				return e, err
			}
		}
	}
	esc := ""
	if len(e.Escalated) > 0 {
		b, _ := json.Marshal(e.Escalated)
		esc = string(b)
	}
	if _, err := tx.exec(ctx, `INSERT INTO duty_entries (id, roster_id, date, kind, at, party, party_unit, title, content, handling, level, escalated, by_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, rosterID, date, string(e.Kind), ts(e.At), e.Party, e.PartyUnit, e.Title, e.Content, e.Handling,
		int(e.Level), esc, e.ByID, ts(e.Created)); err != nil {
		return e, fmt.Errorf("insert duty entry: %w", err)
	}
	if err := tx.indexDutyLog(ctx, ro, date); err != nil {
		return e, err
	}
	return e, tx.auditDuty(ctx, by, "duty.log."+string(e.Kind), "duty_roster", rosterID,
		map[string]any{"date": date, "kind": e.Kind.Label(), "escalated": e.Escalated})
}

// responsibleLeaders are the unit's heads and the leaders overseeing it.
func (tx *Tx) responsibleLeaders(ctx context.Context, unitID string) ([]string, error) {
	ids, err := tx.queryStrings(ctx, `SELECT person_id FROM positions WHERE unit_id = ? AND is_head = 1
		UNION SELECT leader_id FROM oversight WHERE unit_id = ? ORDER BY 1`, unitID, unitID)
	if err != nil {
		return nil, fmt.Errorf("responsible leaders: %w", err)
	}
	return ids, nil
}

// SubmitDutyLog files a shift's log with its summary.
func (tx *Tx) SubmitDutyLog(ctx context.Context, by org.Person, rosterID, date, summary string, manager bool) (duty.Log, error) {
	ro, err := tx.lockRoster(ctx, rosterID)
	if err != nil {
		return duty.Log{}, err
	}
	l, err := tx.DutyLog(ctx, rosterID, date)
	if err != nil {
		return l, err
	}
	if l, err = duty.Submit(ro, l, by.ID, summary, manager, tx.now); err != nil {
		return l, err
	}
	if _, err := tx.exec(ctx, `INSERT INTO duty_logs (roster_id, date, summary, submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?)`,
		rosterID, date, l.Summary, l.SubmittedBy, ts(l.SubmittedAt)); err != nil {
		if isUnique(err) {
			return l, &duty.Refusal{Msg: date + " 的值班日志已经提交"}
		}
		return l, fmt.Errorf("insert duty log: %w", err)
	}
	if err := tx.indexDutyLog(ctx, ro, date); err != nil {
		return l, err
	}
	return l, tx.auditDuty(ctx, by, "duty.log.submit", "duty_roster", rosterID, map[string]any{"date": date, "entries": len(l.Entries)})
}

// NextDutyShift is the shift after date: the roster's next one, or the
// first of the unit's next published roster.
func (c conn) NextDutyShift(ctx context.Context, ro duty.Roster, date string) (duty.Next, bool, error) {
	for _, s := range ro.Shifts {
		if s.Date > date {
			return duty.Next{RosterID: ro.ID, Shift: s}, true, nil
		}
	}
	var n duty.Next
	var kind string
	var start, end int64
	err := c.queryRow(ctx, `SELECT s.roster_id, `+prefixed("s.", shiftCols)+` FROM duty_shifts s JOIN duty_rosters r ON r.id = s.roster_id
		WHERE r.unit_id = ? AND r.state = 'published' AND r.id <> ? AND s.date > ? ORDER BY s.date LIMIT 1`, ro.UnitID, ro.ID, date).
		Scan(&n.RosterID, &n.Shift.Date, &kind, &n.Shift.DayName, &start, &end, &n.Shift.LeaderID, &n.Shift.StaffID)
	if errors.Is(err, sql.ErrNoRows) {
		return duty.Next{}, false, nil
	}
	if err != nil {
		return duty.Next{}, false, fmt.Errorf("next shift: %w", err)
	}
	n.Shift.Kind, n.Shift.Start, n.Shift.End = duty.DayKind(kind), fromTS(start), fromTS(end)
	return n, true, nil
}

func prefixed(p, cols string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = p + parts[i]
	}
	return strings.Join(parts, ", ")
}

const handoverCols = `id, roster_id, date, post, from_id, to_roster_id, to_date, to_id, note, handed_at, ack_at`

func scanHandover(r scanner) (duty.Handover, error) {
	var h duty.Handover
	var post string
	var handed, ack int64
	err := r.Scan(&h.ID, &h.RosterID, &h.Date, &post, &h.FromID, &h.ToRosterID, &h.ToDate, &h.ToID, &h.Note, &handed, &ack)
	h.Post, h.HandedAt, h.AckAt = duty.Post(post), fromTS(handed), fromTS(ack)
	return h, err
}

// withMatters fills the handovers' matters.
func (c conn) withMatters(ctx context.Context, hs []duty.Handover) ([]duty.Handover, error) {
	for i := range hs {
		ms, err := queryAll(ctx, c, func(r scanner) (duty.Matter, error) {
			var m duty.Matter
			var ack int64
			err := r.Scan(&m.Seq, &m.Text, &ack)
			m.AckAt = fromTS(ack)
			return m, err
		}, `SELECT seq, text, ack_at FROM duty_matters WHERE handover_id = ? ORDER BY seq`, hs[i].ID)
		if err != nil {
			return nil, err
		}
		hs[i].Matters = ms
	}
	return hs, nil
}

// DutyHandovers lists the handovers from a roster's shifts and into them.
func (c conn) DutyHandovers(ctx context.Context, rosterID string) ([]duty.Handover, error) {
	hs, err := queryAll(ctx, c, scanHandover, `SELECT `+handoverCols+` FROM duty_handovers WHERE roster_id = ? OR to_roster_id = ? ORDER BY date, post`, rosterID, rosterID)
	if err != nil {
		return nil, err
	}
	return c.withMatters(ctx, hs)
}

// DutyHandover reads one handover with its matters.
func (c conn) DutyHandover(ctx context.Context, id string) (duty.Handover, error) {
	h, err := scanHandover(c.queryRow(ctx, `SELECT `+handoverCols+` FROM duty_handovers WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return h, fmt.Errorf("handover %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return h, err
	}
	hs, err := c.withMatters(ctx, []duty.Handover{h})
	if err != nil {
		return h, err
	}
	return hs[0], nil
}

// HandOverDuty stores the handover from the shift on date to the next
// shift, with its open matters, and tells the incoming person.
func (tx *Tx) HandOverDuty(ctx context.Context, by org.Person, rosterID, date string, matters []string, note string) (duty.Handover, error) {
	ro, err := tx.lockRoster(ctx, rosterID)
	if err != nil {
		return duty.Handover{}, err
	}
	next, ok, err := tx.NextDutyShift(ctx, ro, date)
	if err != nil {
		return duty.Handover{}, err
	}
	h, err := duty.NewHandover(ro, date, next, ok, by.ID, matters, note, tx.now)
	if err != nil {
		return h, err
	}
	h.ID = uid.New()
	if _, err := tx.exec(ctx, `INSERT INTO duty_handovers (`+handoverCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
		h.ID, h.RosterID, h.Date, string(h.Post), h.FromID, h.ToRosterID, h.ToDate, h.ToID, h.Note, ts(h.HandedAt)); err != nil {
		if isUnique(err) {
			return h, &duty.Refusal{Msg: date + " 的" + h.Post.Label() + "已经交班"}
		}
		return h, fmt.Errorf("insert handover: %w", err)
	}
	for _, m := range h.Matters {
		if _, err := tx.exec(ctx, `INSERT INTO duty_matters (handover_id, seq, text, ack_at) VALUES (?, ?, ?, 0)`, h.ID, m.Seq, m.Text); err != nil {
			return h, fmt.Errorf("insert matter: %w", err)
		}
	}
	body := fmt.Sprintf("%s将 %s 的值班交给您（%s 接班），", by.Name, h.Date, h.ToDate)
	if len(h.Matters) == 0 {
		body += "无未尽事项，请确认接班。"
	} else {
		body += fmt.Sprintf("有 %d 项未尽事项，请逐项确认。", len(h.Matters))
	}
	if err := newTeller(tx).send(ctx, dutyMessage("duty:handover:"+h.ID, h.ToID, "duty.handover", h.RosterID, h.Date, "交接班："+h.Date+" → "+h.ToDate, body)); err != nil {
		return h, err
	}
	return h, tx.auditDuty(ctx, by, "duty.handover", "duty_handover", h.ID, map[string]any{"roster": ro.Title, "date": h.Date, "matters": len(h.Matters)})
}

// AcknowledgeDuty records that the incoming person has taken over a
// matter (seq 0: an empty handover's receipt).
func (tx *Tx) AcknowledgeDuty(ctx context.Context, by org.Person, handoverID string, seq int) (duty.Handover, error) {
	h, err := tx.DutyHandover(ctx, handoverID)
	if err != nil {
		return h, err
	}
	if _, err := tx.lockRoster(ctx, h.RosterID); err != nil {
		return h, err
	}
	if h, err = tx.DutyHandover(ctx, handoverID); err != nil { // again, under the lock
		return h, err
	}
	if h, err = duty.Acknowledge(h, seq, by.ID, tx.now); err != nil {
		return h, err
	}
	if seq > 0 {
		if _, err := tx.exec(ctx, `UPDATE duty_matters SET ack_at = ? WHERE handover_id = ? AND seq = ? AND ack_at = 0`, ts(tx.now), h.ID, seq); err != nil {
			return h, fmt.Errorf("acknowledge matter: %w", err)
		}
	}
	if h.Done() {
		if _, err := tx.exec(ctx, `UPDATE duty_handovers SET ack_at = ? WHERE id = ?`, ts(h.AckAt), h.ID); err != nil {
			return h, fmt.Errorf("acknowledge handover: %w", err)
		}
	}
	return h, tx.auditDuty(ctx, by, "duty.handover.ack", "duty_handover", h.ID, map[string]any{"date": h.Date, "seq": seq, "open": h.Open()})
}

// DutyWarnings are the 预警 of the units' published rosters for shifts
// that ended in the days before now (duty.Warnings).
func (c conn) DutyWarnings(ctx context.Context, unitIDs []string, now time.Time, days int) ([]duty.Warning, error) {
	if len(unitIDs) == 0 {
		return nil, nil
	}
	args := []any{}
	for _, u := range unitIDs {
		args = append(args, u)
	}
	from := now.AddDate(0, 0, -days)
	args = append(args, ts(from), ts(now))
	type row struct {
		roster, unit string
		s            duty.Shift
	}
	rows, err := queryAll(ctx, c, func(r scanner) (row, error) {
		var x row
		var kind string
		var start, end int64
		err := r.Scan(&x.roster, &x.unit, &x.s.Date, &kind, &x.s.DayName, &start, &end, &x.s.LeaderID, &x.s.StaffID)
		x.s.Kind, x.s.Start, x.s.End = duty.DayKind(kind), fromTS(start), fromTS(end)
		return x, err
	}, `SELECT s.roster_id, r.unit_id, `+prefixed("s.", shiftCols)+` FROM duty_shifts s JOIN duty_rosters r ON r.id = s.roster_id
		WHERE r.state = 'published' AND r.unit_id IN (`+placeholders(len(unitIDs))+`) AND s.end_at > ? AND s.start_at <= ? ORDER BY s.start_at`, args...)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	logged := map[string]bool{}
	handed := map[string][]duty.Handover{}
	rosters := map[string]bool{}
	for _, x := range rows {
		rosters[x.roster] = true
	}
	for rid := range rosters {
		ds, err := c.queryStrings(ctx, `SELECT date FROM duty_logs WHERE roster_id = ?`, rid)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			logged[rid+"/"+d] = true
		}
		hs, err := queryAll(ctx, c, scanHandover, `SELECT `+handoverCols+` FROM duty_handovers WHERE roster_id = ?`, rid)
		if err != nil {
			return nil, err
		}
		if hs, err = c.withMatters(ctx, hs); err != nil {
			return nil, err
		}
		for _, h := range hs {
			handed[rid+"/"+h.Date] = append(handed[rid+"/"+h.Date], h)
		}
	}
	// A shift has a next one when a later shift of its unit exists.
	var recs []duty.ShiftRecord
	for i, x := range rows {
		hasNext := false
		for _, y := range rows[i+1:] {
			if y.unit == x.unit && y.s.Date > x.s.Date {
				hasNext = true
				break
			}
		}
		if !hasNext {
			var n int
			if err := c.queryRow(ctx, `SELECT COUNT(*) FROM duty_shifts s JOIN duty_rosters r ON r.id = s.roster_id WHERE r.unit_id = ? AND r.state = 'published' AND s.date > ?`,
				x.unit, x.s.Date).Scan(&n); err != nil {
				return nil, err
			}
			hasNext = n > 0
		}
		k := x.roster + "/" + x.s.Date
		recs = append(recs, duty.ShiftRecord{RosterID: x.roster, Shift: x.s, Logged: logged[k], Handovers: handed[k], HasNext: hasNext})
	}
	return duty.Warnings(recs, now), nil
}

// DutyLogDates lists the dates of a roster's filed logs.
func (c conn) DutyLogDates(ctx context.Context, rosterID string) ([]string, error) {
	return c.queryStrings(ctx, `SELECT date FROM duty_logs WHERE roster_id = ? ORDER BY date`, rosterID)
}

// DutyShiftRef is a shift with its roster's ID and title.
type DutyShiftRef struct {
	RosterID string     `json:"roster_id"`
	Title    string     `json:"roster_title"`
	Shift    duty.Shift `json:"shift"`
}

// DutyShiftsOf lists a person's shifts on published rosters ending after
// from, soonest first, at most limit.
func (c conn) DutyShiftsOf(ctx context.Context, personID string, from time.Time, limit int) ([]DutyShiftRef, error) {
	return queryAll(ctx, c, func(r scanner) (DutyShiftRef, error) {
		var x DutyShiftRef
		var kind string
		var start, end int64
		err := r.Scan(&x.RosterID, &x.Title, &x.Shift.Date, &kind, &x.Shift.DayName, &start, &end, &x.Shift.LeaderID, &x.Shift.StaffID)
		x.Shift.Kind, x.Shift.Start, x.Shift.End = duty.DayKind(kind), fromTS(start), fromTS(end)
		return x, err
	}, fmt.Sprintf(`SELECT s.roster_id, r.title, `+prefixed("s.", shiftCols)+` FROM duty_shifts s JOIN duty_rosters r ON r.id = s.roster_id
		WHERE r.state = 'published' AND (s.leader_id = ? OR s.staff_id = ?) AND s.end_at > ? ORDER BY s.start_at LIMIT %d`, max(1, min(limit, 200))),
		personID, personID, ts(from))
}

// DutyHandoversTo lists the handovers a person has yet to acknowledge.
func (c conn) DutyHandoversTo(ctx context.Context, personID string) ([]duty.Handover, error) {
	hs, err := queryAll(ctx, c, scanHandover, `SELECT `+handoverCols+` FROM duty_handovers WHERE to_id = ? AND ack_at = 0 ORDER BY handed_at`, personID)
	if err != nil {
		return nil, err
	}
	return c.withMatters(ctx, hs)
}

// FollowUpDutyEntry appends a follow-up to an event of a roster's log
// (duty.FollowUp) and tells the shift's 带班领导 of it.
func (tx *Tx) FollowUpDutyEntry(ctx context.Context, by org.Person, rosterID, entryID, text string, manager bool) (duty.Entry, error) {
	ro, err := tx.lockRoster(ctx, rosterID)
	if err != nil {
		return duty.Entry{}, err
	}
	var date string
	e, err := scanDutyEntry(tx.queryRow(ctx, `SELECT `+entryCols+` FROM duty_entries WHERE id = ? AND roster_id = ?`, entryID, rosterID))
	if errors.Is(err, sql.ErrNoRows) {
		return e, &duty.Refusal{Msg: "值班记录不存在"}
	}
	if err != nil {
		return e, err
	}
	if err := tx.queryRow(ctx, `SELECT date FROM duty_entries WHERE id = ?`, entryID).Scan(&date); err != nil {
		return e, err
	}
	if e, err = duty.FollowUp(ro, e, by.ID, by.Name, text, manager, tx.now); err != nil {
		return e, err
	}
	if _, err := tx.exec(ctx, `UPDATE duty_entries SET handling = ? WHERE id = ?`, e.Handling, e.ID); err != nil {
		return e, fmt.Errorf("follow up: %w", err)
	}
	if s, ok := ro.Shift(date); ok && s.LeaderID != by.ID {
		if err := newTeller(tx).send(ctx, dutyMessage(fmt.Sprintf("duty:followup:%s:%d", e.ID, tx.now.UnixMicro()), s.LeaderID, "duty.followup", rosterID, date,
			"突发事件续报："+e.Title, by.Name+"续报："+strings.TrimSpace(text))); err != nil {
			return e, err
		}
	}
	if err := tx.indexDutyLog(ctx, ro, date); err != nil {
		return e, err
	}
	return e, tx.auditDuty(ctx, by, "duty.log.followup", "duty_roster", rosterID, map[string]any{"date": date, "entry": e.Title})
}
