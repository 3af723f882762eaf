package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
)

// The working-day calendar lives in the database (calendar_years and
// calendar_state, migration 0010) so the system administrator can edit it.
// Every server keeps the calendar it last loaded with the revision it was
// read at; SyncCalendar compares that revision with the stored one — one
// primary-key read — and reloads only when another server (or this one)
// changed it. So an edit made on one app server takes effect on all of them
// by their next request or scheduler tick.

// calState is the loaded calendar. It is shared by a Store and the views
// Store.At makes of it (they copy the Store, not this), so a reload is seen by
// all of them.
type calState struct {
	cur atomic.Pointer[loadedCalendar]
	mu  sync.Mutex // one reload at a time; readers never wait for it
}

type loadedCalendar struct {
	cal *calendar.Calendar
	rev int64 // -1: the shipped calendar, not yet read from the database
}

func newCalState() (*calState, error) {
	cal, err := calendar.Default()
	if err != nil {
		return nil, fmt.Errorf("load shipped calendar: %w", err)
	}
	c := &calState{}
	c.cur.Store(&loadedCalendar{cal: cal, rev: -1})
	return c, nil
}

// Calendar returns the calendar in force: the one last loaded (see
// SyncCalendar). It is immutable, so a caller may keep it for the rest of a
// request.
func (s *Store) Calendar() *calendar.Calendar { return s.cal.cur.Load().cal }

// CalendarRevision is the revision of the loaded calendar; -1 before the
// first load from the database.
func (s *Store) CalendarRevision() int64 { return s.cal.cur.Load().rev }

// openCalendar seeds the shipped years the database lacks and loads the
// calendar; Open calls it after migrating.
func (s *Store) openCalendar(ctx context.Context) error {
	if err := s.seedCalendar(ctx); err != nil {
		return err
	}
	return s.SyncCalendar(ctx)
}

// seedCalendar inserts the shipped years (calendar.ShippedYears) that are not
// in the database (so a release that ships a new year adds it at start). A year already there is kept as it is, edited or not:
// the administrator's word wins over the data a release ships.
func (s *Store) seedCalendar(ctx context.Context) error {
	shipped, err := calendar.ShippedYears()
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *Tx) error {
		if _, _, err := tx.lockCalendar(ctx); err != nil {
			return err
		}
		var added []int
		for _, y := range shipped {
			b, err := json.Marshal(y)
			if err != nil {
				return err
			}
			res, err := tx.exec(ctx, `INSERT INTO calendar_years (year, data, changed_by, changed_by_name, changed_at) VALUES (?, ?, '', '', ?) ON CONFLICT (year) DO NOTHING`,
				y.Year, string(b), ts(tx.now))
			if err != nil {
				return fmt.Errorf("seed calendar %d: %w", y.Year, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				added = append(added, y.Year)
			}
		}
		if len(added) == 0 {
			return nil
		}
		// Not audited: no one edited anything, the rows say they are the
		// shipped data (changed_by ''), and a fresh database's audit chain
		// stays empty until someone acts.
		_, err := tx.bumpCalendar(ctx, org.Person{})
		return err
	})
}

// SyncCalendar reloads the calendar if its stored revision differs from the
// loaded one. The check is one primary-key read, cheap enough for every
// request; on an error the loaded calendar stays in force.
func (s *Store) SyncCalendar(ctx context.Context) error {
	var rev int64
	if err := s.queryRow(ctx, `SELECT revision FROM calendar_state WHERE id = 1`).Scan(&rev); err != nil {
		return fmt.Errorf("read calendar revision: %w", err)
	}
	if s.cal.cur.Load().rev == rev {
		return nil
	}
	s.cal.mu.Lock()
	defer s.cal.mu.Unlock()
	if s.cal.cur.Load().rev == rev { // another request reloaded it meanwhile
		return nil
	}
	cal, got, err := s.readCalendar(ctx)
	if err != nil {
		return err
	}
	// Never go back: a slower reload must not replace a newer one.
	if got > s.cal.cur.Load().rev {
		s.cal.cur.Store(&loadedCalendar{cal: cal, rev: got})
	}
	return nil
}

// readCalendar reads the revision first and the data after it: on
// PostgreSQL the two reads may see different commits, and this order can
// only pair newer data with an older revision (reloaded again next time),
// never older data with a newer one (which would stick).
func (s *Store) readCalendar(ctx context.Context) (*calendar.Calendar, int64, error) {
	var rev int64
	var hours string
	if err := s.queryRow(ctx, `SELECT revision, hours FROM calendar_state WHERE id = 1`).Scan(&rev, &hours); err != nil {
		return nil, 0, fmt.Errorf("read calendar state: %w", err)
	}
	ys, err := s.CalendarYears(ctx)
	if err != nil {
		return nil, 0, err
	}
	cal, err := buildCalendar(ys, hours)
	if err != nil {
		return nil, 0, fmt.Errorf("stored calendar (revision %d): %w", rev, err)
	}
	return cal, rev, nil
}

func buildCalendar(ys []CalendarYear, hours string) (*calendar.Calendar, error) {
	h := calendar.DefaultOfficeHours()
	if hours != "" {
		var err error
		if h, err = calendar.ParseOfficeHours(hours); err != nil {
			return nil, err
		}
	}
	years := make([]calendar.Year, len(ys))
	for i, y := range ys {
		years[i] = y.Year
	}
	return calendar.New(years, h)
}

// CalendarYear is a stored year with who changed it last and when; an empty
// ChangedBy means the shipped data.
type CalendarYear struct {
	calendar.Year
	ChangedBy     string    `json:"changed_by,omitempty"`
	ChangedByName string    `json:"changed_by_name,omitempty"`
	ChangedAt     time.Time `json:"changed_at"`
}

// CalendarYears returns the stored years in order.
func (c conn) CalendarYears(ctx context.Context) ([]CalendarYear, error) {
	return queryAll(ctx, c, func(r scanner) (CalendarYear, error) {
		var y CalendarYear
		var data string
		var at int64
		if err := r.Scan(&y.Year.Year, &data, &y.ChangedBy, &y.ChangedByName, &at); err != nil {
			return y, err
		}
		n := y.Year.Year
		if err := json.Unmarshal([]byte(data), &y.Year); err != nil {
			return y, fmt.Errorf("decode calendar year %d: %w", n, err)
		}
		y.Year.Year, y.ChangedAt = n, fromTS(at)
		return y, nil
	}, `SELECT year, data, changed_by, changed_by_name, changed_at FROM calendar_years ORDER BY year`)
}

// lockCalendar takes the calendar's state row for the rest of the
// transaction, so two administrators editing at once on two servers apply
// their edits one after the other instead of losing one (SQLite: the write
// lock is already held).
func (tx *Tx) lockCalendar(ctx context.Context) (rev int64, hours string, err error) {
	lock := ""
	if tx.d == Postgres {
		lock = " FOR UPDATE"
	}
	if err := tx.queryRow(ctx, `SELECT revision, hours FROM calendar_state WHERE id = 1`+lock).Scan(&rev, &hours); err != nil {
		return 0, "", fmt.Errorf("lock calendar: %w", err)
	}
	return rev, hours, nil
}

// bumpCalendar raises the revision, which tells every server to reload.
func (tx *Tx) bumpCalendar(ctx context.Context, by org.Person) (int64, error) {
	var rev int64
	err := tx.queryRow(ctx, `UPDATE calendar_state SET revision = revision + 1, changed_by = ?, changed_by_name = ?, changed_at = ? WHERE id = 1 RETURNING revision`,
		by.ID, by.Name, ts(tx.now)).Scan(&rev)
	if err != nil {
		return 0, fmt.Errorf("advance calendar revision: %w", err)
	}
	return rev, nil
}

// Editor is who makes an administrative edit, for its audit entry.
type Editor struct {
	Person org.Person
	IP     string
}

func (e Editor) event(action, kind, id string, detail any) audit.Event {
	return audit.Event{ActorID: e.Person.ID, ActorName: e.Person.Name, Action: action, ObjectKind: kind, ObjectID: id, IP: e.IP, Detail: jsonString(detail)}
}

// minYear and maxYear bound the years an administrator may add: a calendar
// for 1900 or 2900 is a typing error, not a plan.
const (
	minYear = 2000
	maxYear = 2100
)

// editCalendar runs one calendar edit: in one transaction it locks the
// state, reads the stored years, lets change produce the new record of one
// year (or new office hours), checks the whole calendar still builds, writes
// it, raises the revision and audits. This server then reloads at once; the
// others do at their next SyncCalendar.
func (s *Store) editCalendar(ctx context.Context, by Editor, action string, change func(ys map[int]CalendarYear, hours calendar.OfficeHours) (year *calendar.Year, newHours calendar.OfficeHours, detail map[string]any, err error)) error {
	err := s.Write(ctx, func(tx *Tx) error {
		_, hoursText, err := tx.lockCalendar(ctx)
		if err != nil {
			return err
		}
		stored, err := tx.CalendarYears(ctx)
		if err != nil {
			return err
		}
		cur, err := buildCalendar(stored, hoursText)
		if err != nil {
			return fmt.Errorf("stored calendar: %w", err)
		}
		ys := make(map[int]CalendarYear, len(stored))
		for _, y := range stored {
			ys[y.Year.Year] = y
		}
		year, hours, detail, err := change(ys, cur.Hours())
		if err != nil {
			return err
		}
		objectID := ""
		if year != nil {
			// New checks the year against the rest: dates, kinds, duplicates.
			next, err := cur.WithYear(*year)
			if err != nil {
				return err
			}
			rec, _ := next.Year(year.Year) // stored as built: days in date order
			year = &rec
			b, err := json.Marshal(year)
			if err != nil {
				return err
			}
			if _, ok := ys[year.Year]; ok {
				_, err = tx.exec(ctx, `UPDATE calendar_years SET data = ?, changed_by = ?, changed_by_name = ?, changed_at = ? WHERE year = ?`,
					string(b), by.Person.ID, by.Person.Name, ts(tx.now), year.Year)
			} else {
				_, err = tx.exec(ctx, `INSERT INTO calendar_years (year, data, changed_by, changed_by_name, changed_at) VALUES (?, ?, ?, ?, ?)`,
					year.Year, string(b), by.Person.ID, by.Person.Name, ts(tx.now))
			}
			if err != nil {
				return fmt.Errorf("save calendar year %d: %w", year.Year, err)
			}
			objectID = strconv.Itoa(year.Year)
		}
		if hours != nil {
			if _, err := cur.WithHours(hours); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `UPDATE calendar_state SET hours = ? WHERE id = 1`, hours.String()); err != nil {
				return fmt.Errorf("save office hours: %w", err)
			}
			objectID = "office_hours"
		}
		rev, err := tx.bumpCalendar(ctx, by.Person)
		if err != nil {
			return err
		}
		detail["revision"] = rev
		return tx.Audit(ctx, by.event(action, "calendar", objectID, detail))
	})
	if err != nil {
		return err
	}
	if err := s.SyncCalendar(ctx); err != nil {
		// The edit is committed; the next request's sync will load it.
		s.log.Warn("reload calendar after edit", "err", err)
	}
	return nil
}

// ErrCalendarYearExists refuses adding a year the calendar already has.
var ErrCalendarYearExists = errors.New("该年份的日历已存在")

// AddCalendarYear adds a year that the calendar does not have yet.
func (s *Store) AddCalendarYear(ctx context.Context, by Editor, y calendar.Year) error {
	return s.editCalendar(ctx, by, "calendar.year.add", func(ys map[int]CalendarYear, _ calendar.OfficeHours) (*calendar.Year, calendar.OfficeHours, map[string]any, error) {
		if y.Year < minYear || y.Year > maxYear {
			return nil, nil, nil, fmt.Errorf("年份 %d 无效，应在 %d–%d 之间", y.Year, minYear, maxYear)
		}
		if _, ok := ys[y.Year]; ok {
			return nil, nil, nil, fmt.Errorf("%d 年：%w", y.Year, ErrCalendarYearExists)
		}
		return &y, nil, map[string]any{"after": y}, nil
	})
}

// PutCalendarYear replaces a year's record (its source, provisional flag
// and every day) or adds it when missing.
func (s *Store) PutCalendarYear(ctx context.Context, by Editor, y calendar.Year) error {
	return s.editCalendar(ctx, by, "calendar.year.put", func(ys map[int]CalendarYear, _ calendar.OfficeHours) (*calendar.Year, calendar.OfficeHours, map[string]any, error) {
		if y.Year < minYear || y.Year > maxYear {
			return nil, nil, nil, fmt.Errorf("年份 %d 无效，应在 %d–%d 之间", y.Year, minYear, maxYear)
		}
		d := map[string]any{"after": y}
		if old, ok := ys[y.Year]; ok {
			d["before"] = old.Year
		}
		return &y, nil, d, nil
	})
}

// AddCalendarDay lists one day (a holiday or a 调休上班) in its year, which
// must already be in the calendar.
func (s *Store) AddCalendarDay(ctx context.Context, by Editor, d calendar.Day) error {
	return s.editCalendar(ctx, by, "calendar.day.add", func(ys map[int]CalendarYear, _ calendar.OfficeHours) (*calendar.Year, calendar.OfficeHours, map[string]any, error) {
		n, err := calendar.DayOf(d.Date)
		if err != nil {
			return nil, nil, nil, err
		}
		old, ok := ys[n]
		if !ok {
			return nil, nil, nil, fmt.Errorf("日历中还没有 %d 年，请先添加该年份", n)
		}
		y, err := old.Year.WithDay(d)
		if err != nil {
			return nil, nil, nil, err
		}
		return &y, nil, map[string]any{"day": d}, nil
	})
}

// RemoveCalendarDay takes a date (YYYY-MM-DD) off the calendar, so it
// follows the Monday–Friday rule again.
func (s *Store) RemoveCalendarDay(ctx context.Context, by Editor, date string) error {
	return s.editCalendar(ctx, by, "calendar.day.remove", func(ys map[int]CalendarYear, _ calendar.OfficeHours) (*calendar.Year, calendar.OfficeHours, map[string]any, error) {
		n, err := calendar.DayOf(date)
		if err != nil {
			return nil, nil, nil, err
		}
		old, ok := ys[n]
		if !ok {
			return nil, nil, nil, fmt.Errorf("日历中没有 %d 年", n)
		}
		y, gone, err := old.Year.WithoutDay(date)
		if err != nil {
			return nil, nil, nil, err
		}
		return &y, nil, map[string]any{"day": gone}, nil
	})
}

// SetOfficeHours changes the office hours that working-hour limits count.
func (s *Store) SetOfficeHours(ctx context.Context, by Editor, h calendar.OfficeHours) error {
	return s.editCalendar(ctx, by, "calendar.hours", func(_ map[int]CalendarYear, old calendar.OfficeHours) (*calendar.Year, calendar.OfficeHours, map[string]any, error) {
		if err := h.Validate(); err != nil {
			return nil, nil, nil, err
		}
		return nil, h, map[string]any{"before": old.String(), "after": h.String()}, nil
	})
}

// SignForSettingKey names the stored 签收 time limits (document.SignForPolicy).
const SignForSettingKey = "signfor_policy"

// SignForPolicy returns the 签收 time limits in force: the stored policy, or
// document.DefaultSignFor when none was saved.
func (c conn) SignForPolicy(ctx context.Context) (document.SignForPolicy, error) {
	p := document.DefaultSignFor()
	if _, err := c.Setting(ctx, SignForSettingKey, &p); err != nil {
		return document.DefaultSignFor(), err
	}
	return p, nil
}

// PutSignForPolicy stores new 签收 time limits, validated and audited. Items
// already received keep the due time they were given; the limits apply to
// items received from now on.
func (s *Store) PutSignForPolicy(ctx context.Context, by Editor, p document.SignForPolicy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.Write(ctx, func(tx *Tx) error {
		old, err := tx.SignForPolicy(ctx)
		if err != nil {
			return err
		}
		if err := tx.PutSetting(ctx, SignForSettingKey, p); err != nil {
			return err
		}
		return tx.Audit(ctx, by.event("settings.signfor", "settings", SignForSettingKey, map[string]any{"before": old, "after": p}))
	})
}
