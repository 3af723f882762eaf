package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/study"
)

// Study and training (学习培训): plans and sessions saved whole as JSON with
// the people they name; the library of 范文 and 经验交流.

func getJSON[T any](ctx context.Context, c conn, table, what, id string, lock bool) (T, error) {
	var v T
	q := `SELECT content FROM ` + table + ` WHERE id = ?`
	if lock && c.d == Postgres {
		q += ` FOR UPDATE`
	}
	var raw string
	err := c.queryRow(ctx, q, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("%s %s: %w", what, id, ErrNotFound)
	}
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return v, fmt.Errorf("decode %s %s: %w", table, id, err)
	}
	return v, nil
}

// ---- plans ----

// StudyPlan returns one plan.
func (c conn) StudyPlan(ctx context.Context, id string) (study.Plan, error) {
	return getJSON[study.Plan](ctx, c, "study_plans", "学习计划", id, false)
}

// StudyPlans lists an office's plans of a year (0: every year), and, when
// person is set, only those naming the person.
func (c conn) StudyPlans(ctx context.Context, officeID string, year int, person string) ([]study.Plan, error) {
	q := `SELECT content FROM study_plans WHERE office_id = ?`
	args := []any{officeID}
	if year != 0 {
		q, args = q+` AND year = ?`, append(args, year)
	}
	if person != "" {
		q, args = q+` AND id IN (SELECT plan_id FROM study_plan_people WHERE person_id = ?)`, append(args, person)
	}
	return queryJSON[study.Plan](ctx, c, q+` ORDER BY year DESC, id`, args...)
}

// PlansNaming lists every plan that names person, of any office.
func (c conn) PlansNaming(ctx context.Context, person string) ([]study.Plan, error) {
	return queryJSON[study.Plan](ctx, c, `SELECT content FROM study_plans WHERE id IN (SELECT plan_id FROM study_plan_people WHERE person_id = ?)
		ORDER BY year DESC, id`, person)
}

func (tx *Tx) putStudyPlan(ctx context.Context, p *study.Plan, prevSeq int) error {
	p.Seq = max(prevSeq, 0) + 1
	raw, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if prevSeq < 0 {
		if _, err := tx.exec(ctx, `INSERT INTO study_plans (id, office_id, year, updated_at, seq, content) VALUES (?, ?, ?, ?, ?, ?)`,
			p.ID, p.OfficeID, p.Year, ts(p.UpdatedAt), p.Seq, string(raw)); err != nil {
			return fmt.Errorf("save study plan: %w", err)
		}
	} else {
		res, err := tx.exec(ctx, `UPDATE study_plans SET updated_at = ?, seq = ?, content = ? WHERE id = ? AND seq = ?`, ts(p.UpdatedAt), p.Seq, string(raw), p.ID, prevSeq)
		if err != nil {
			return fmt.Errorf("save study plan: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrStale
		}
		if _, err := tx.exec(ctx, `DELETE FROM study_plan_people WHERE plan_id = ?`, p.ID); err != nil {
			return fmt.Errorf("save study plan: %w", err)
		}
	}
	for _, id := range p.People() {
		if _, err := tx.exec(ctx, `INSERT INTO study_plan_people (plan_id, person_id) VALUES (?, ?)`, p.ID, id); err != nil {
			return fmt.Errorf("save study plan people: %w", err)
		}
	}
	return tx.indexStudyPlan(ctx, p)
}

// CreateStudyPlan saves a new plan (with any items) and its audit entry.
func (s *Store) CreateStudyPlan(ctx context.Context, by org.Person, p study.Plan) error {
	return s.Write(ctx, func(tx *Tx) error {
		if err := tx.putStudyPlan(ctx, &p, -1); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "study.plan_create", ObjectKind: "study_plan", ObjectID: p.ID,
			Detail: jsonString(map[string]any{"title": p.Title, "year": p.Year})})
	})
}

// StudyPlanAct applies op to a plan and saves it with its audit entry.
func (s *Store) StudyPlanAct(ctx context.Context, by org.Person, id, action string, detail any, op func(study.Plan, time.Time) (study.Plan, error)) (study.Plan, error) {
	var p study.Plan
	err := s.Write(ctx, func(tx *Tx) error {
		cur, err := getJSON[study.Plan](ctx, tx.conn, "study_plans", "学习计划", id, true)
		if err != nil {
			return err
		}
		if p, err = op(cur, tx.now); err != nil {
			return err
		}
		if err := tx.putStudyPlan(ctx, &p, cur.Seq); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "study." + action, ObjectKind: "study_plan", ObjectID: p.ID, Detail: jsonString(detail)})
	})
	return p, err
}

// ---- training sessions ----

// Training returns one session.
func (c conn) Training(ctx context.Context, id string) (study.Training, error) {
	return getJSON[study.Training](ctx, c, "trainings", "培训", id, false)
}

// Trainings lists an office's sessions starting in [from, to), earliest first.
func (c conn) Trainings(ctx context.Context, officeID string, from, to time.Time) ([]study.Training, error) {
	return queryJSON[study.Training](ctx, c, `SELECT content FROM trainings WHERE office_id = ? AND start_at >= ? AND start_at < ? ORDER BY start_at, id`,
		officeID, ts(from), ts(to))
}

// TrainingsOf lists the sessions person is invited to, starting in [from, to).
func (c conn) TrainingsOf(ctx context.Context, person string, from, to time.Time) ([]study.Training, error) {
	return queryJSON[study.Training](ctx, c, `SELECT content FROM trainings WHERE start_at >= ? AND start_at < ?
		AND id IN (SELECT training_id FROM training_people WHERE person_id = ?) ORDER BY start_at, id`, ts(from), ts(to), person)
}

// TrainingHours is each person's credited hours in an office's sessions of
// year (study.Hours over the year's sessions).
func (c conn) TrainingHours(ctx context.Context, officeID string, year int) ([]study.PersonHours, error) {
	from := time.Date(year, 1, 1, 0, 0, 0, 0, calendar.Shanghai())
	ts, err := c.Trainings(ctx, officeID, from, from.AddDate(1, 0, 0))
	if err != nil {
		return nil, err
	}
	return study.Hours(ts, year), nil
}

func (tx *Tx) putTraining(ctx context.Context, t *study.Training, prevSeq int) error {
	t.Seq = max(prevSeq, 0) + 1
	raw, err := json.Marshal(t)
	if err != nil {
		return err
	}
	if prevSeq < 0 {
		if _, err := tx.exec(ctx, `INSERT INTO trainings (id, office_id, start_at, seq, content) VALUES (?, ?, ?, ?, ?)`,
			t.ID, t.OfficeID, ts(t.Start), t.Seq, string(raw)); err != nil {
			return fmt.Errorf("save training: %w", err)
		}
		for _, id := range t.Invitees {
			if _, err := tx.exec(ctx, `INSERT INTO training_people (training_id, person_id) VALUES (?, ?)`, t.ID, id); err != nil {
				return fmt.Errorf("save training people: %w", err)
			}
		}
		return tx.indexTraining(ctx, t)
	}
	// The invitees are fixed when the session is set, so only the row changes.
	res, err := tx.exec(ctx, `UPDATE trainings SET seq = ?, content = ? WHERE id = ? AND seq = ?`, t.Seq, string(raw), t.ID, prevSeq)
	if err != nil {
		return fmt.Errorf("save training: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrStale
	}
	return tx.indexTraining(ctx, t)
}

// CreateTraining saves a new session (checked by study.NewTraining) with its audit entry.
func (s *Store) CreateTraining(ctx context.Context, by org.Person, t study.Training) (study.Training, error) {
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		if t, err = study.NewTraining(t, tx.now); err != nil {
			return err
		}
		if err := tx.putTraining(ctx, &t, -1); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "study.training_create", ObjectKind: "training", ObjectID: t.ID,
			Detail: jsonString(map[string]any{"title": t.Title, "start": t.Start, "invitees": len(t.Invitees)})})
	})
	return t, err
}

// TrainingAct applies op to a session (sign-in, cancel) with its audit entry.
func (s *Store) TrainingAct(ctx context.Context, by org.Person, id, action string, detail any, op func(study.Training, time.Time) (study.Training, error)) (study.Training, error) {
	var t study.Training
	err := s.Write(ctx, func(tx *Tx) error {
		cur, err := getJSON[study.Training](ctx, tx.conn, "trainings", "培训", id, true)
		if err != nil {
			return err
		}
		if t, err = op(cur, tx.now); err != nil {
			return err
		}
		if err := tx.putTraining(ctx, &t, cur.Seq); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "study." + action, ObjectKind: "training", ObjectID: t.ID, Detail: jsonString(detail)})
	})
	return t, err
}

// ---- the library ----

// LibraryEntry returns one 范文 or 经验交流.
func (c conn) LibraryEntry(ctx context.Context, id string) (study.Entry, error) {
	return getJSON[study.Entry](ctx, c, "study_library", "范文", id, false)
}

// StudyLibrary searches an office's library, newest first.
func (c conn) StudyLibrary(ctx context.Context, f LibraryFilter) ([]study.Entry, error) {
	// The library is shared: an empty OfficeID searches every office's.
	where := []string{`1 = 1`}
	var args []any
	if f.OfficeID != "" {
		where, args = append(where, `office_id = ?`), append(args, f.OfficeID)
	}
	if w, a := likeWords(f.Q, `title`); w != "" {
		where, args = append(where, w), append(args, a...)
	}
	if f.Kind != "" {
		where, args = append(where, `kind = ?`), append(args, f.Kind)
	}
	if f.UnitID != "" {
		where, args = append(where, `unit_id = ?`), append(args, f.UnitID)
	}
	q := `SELECT content FROM study_library WHERE ` + strings.Join(where, ` AND `) + ` ORDER BY added_at DESC, id`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	return queryJSON[study.Entry](ctx, c, q, args...)
}

// AddLibraryEntry checks and saves an entry with its audit entry.
func (s *Store) AddLibraryEntry(ctx context.Context, by org.Person, e study.Entry) (study.Entry, error) {
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		e, err = tx.addLibraryEntry(ctx, by, e)
		return err
	})
	return e, err
}

func (tx *Tx) addLibraryEntry(ctx context.Context, by org.Person, e study.Entry) (study.Entry, error) {
	e.AddedBy = by.ID
	e, err := study.NewEntry(e, tx.now)
	if err != nil {
		return e, err
	}
	if e.DocID != "" {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM study_library WHERE office_id = ? AND doc_id = ?`, e.OfficeID, e.DocID).Scan(&n); err != nil {
			return e, err
		}
		if n > 0 {
			return e, &study.Refusal{Msg: "该公文已在范文库中"}
		}
	}
	raw, err := json.Marshal(e)
	if err != nil {
		return e, err
	}
	if _, err := tx.exec(ctx, `INSERT INTO study_library (id, office_id, kind, title, unit_id, doc_id, added_at, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.OfficeID, string(e.Kind), e.Title, e.UnitID, e.DocID, ts(e.AddedAt), string(raw)); err != nil {
		return e, fmt.Errorf("save library entry: %w", err)
	}
	if err := tx.indexLibraryEntry(ctx, &e); err != nil {
		return e, err
	}
	return e, tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "study.library_add", ObjectKind: "study_entry", ObjectID: e.ID,
		Detail: jsonString(map[string]any{"title": e.Title, "kind": e.Kind, "doc": e.DocID})})
}

// AddIssuedToLibrary adds an issued document of the organ to the 范文
// library in one action: its title, 文种, number, unit and text are taken
// from the document as issued. The caller has checked that the person may
// read it.
func (s *Store) AddIssuedToLibrary(ctx context.Context, by org.Person, id, officeID, docID, summary string) (study.Entry, error) {
	var e study.Entry
	err := s.Write(ctx, func(tx *Tx) error {
		rec, err := tx.Document(ctx, docID)
		if errors.Is(err, ErrNotFound) {
			return &study.Refusal{Msg: "公文不存在"}
		}
		if err != nil {
			return err
		}
		if rec.Direction != Outgoing || rec.DocNumber == "" {
			return &study.Refusal{Msg: "只有已编号印发的发文可以加入范文库"}
		}
		if rec.Level() > org.Unclassified {
			return &study.Refusal{Msg: "涉密公文不能加入范文库"}
		}
		body := rec.Doc.Body.String()
		if body == "" {
			body = rec.Doc.Text()
		}
		e, err = tx.addLibraryEntry(ctx, by, study.Entry{ID: id, OfficeID: officeID, Kind: study.ModelText, Title: rec.Doc.Title, UnitID: rec.UnitID,
			DocType: string(rec.Doc.Type), Summary: summary, Body: body, DocID: rec.ID, DocNumber: rec.DocNumber})
		return err
	})
	return e, err
}
