package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/search"
	"github.com/shuniu-oa/shuniu/internal/study"
)

// searchMaterialsMigration marks the indexing of 会议材料 (an entry per 议题
// with material, with the text of its newest version), 培训 sessions, and
// the text of progress reports' and information reports' attachments;
// Migrate reindexes everything when it applies it.
const searchMaterialsMigration = "0064_search_materials.sql"

// materialID is a 议题's material as the index names it: the meeting and
// the 议题's sequence number (it has no ID of its own).
func materialID(meetingID string, seq int) string { return meetingID + "/" + strconv.Itoa(seq) }

// materialSub is a substitute named in a 回执: the person of that name in
// the invitee's unit reads the material. Kept by name and resolved at each
// decision, as the material's page does, so that a person who leaves the
// unit stops reading it at once.
type materialSub struct {
	UnitID string `json:"unit_id"`
	Name   string `json:"name"`
}

// materialFacts is a 议题's material as access.DecideMaterial sees it, but
// for the office's sections (read from the unit tree at decision time) and
// the substitutes' people (resolved then).
type materialFacts struct {
	OfficeID  string        `json:"office_id"`
	Level     int           `json:"level"`
	Organizer string        `json:"organizer,omitempty"`
	Attendees []string      `json:"attendees,omitempty"`
	Subs      []materialSub `json:"subs,omitempty"`
	UnitID    string        `json:"unit_id,omitempty"`
	Presenter string        `json:"presenter,omitempty"`
}

func newMaterialFacts(m *meeting.Meeting, it *meeting.AgendaItem) materialFacts {
	f := materialFacts{OfficeID: m.OfficeID, Level: int(m.Level), Organizer: m.Organizer, UnitID: it.UnitID, Presenter: it.Presenter}
	if m.Convener != "" {
		f.Attendees = append(f.Attendees, m.Convener)
	}
	for _, iv := range m.Invitees {
		f.Attendees = append(f.Attendees, iv.PersonID)
		if iv.Reply == nil || iv.Reply.Answer != meeting.Substitute || iv.Reply.SubName == "" || iv.UnitID == "" {
			continue
		}
		f.Subs = append(f.Subs, materialSub{UnitID: iv.UnitID, Name: iv.Reply.SubName})
	}
	return f
}

// object is the material as access.DecideMaterial decides it: the office's
// sections from the unit tree, each substitute's people from named.
func (f materialFacts) object(units []org.Unit, named func(unitID, name string) ([]string, error)) (access.MeetingMaterial, error) {
	o := access.MeetingMaterial{Office: access.MeetingOffice{UnitID: f.OfficeID, Level: f.Level}, Organizer: f.Organizer,
		Attendees: slices.Clone(f.Attendees), UnitID: f.UnitID, Presenter: f.Presenter}
	for _, u := range units {
		if f.OfficeID != "" && u.ParentID == f.OfficeID {
			o.Office.Sections = append(o.Office.Sections, u.ID)
		}
	}
	for _, sub := range f.Subs {
		ids, err := named(sub.UnitID, sub.Name)
		if err != nil {
			return o, err
		}
		o.Attendees = append(o.Attendees, ids...)
	}
	return o, nil
}

// MaterialObject is a 议题's material as access.DecideMaterial sees it: the
// office organizing the meeting with its sections, its organizer, the
// attendees — the invitees, the chair, and each substitute named in a 回执
// (the person of that name in the invitee's unit) — and the 议题's
// reporting unit and presenter. The material's pages and search decide on
// the same object.
func (c conn) MaterialObject(ctx context.Context, m *meeting.Meeting, it *meeting.AgendaItem) (access.MeetingMaterial, error) {
	units, err := c.Units(ctx)
	if err != nil {
		return access.MeetingMaterial{}, err
	}
	return newMaterialFacts(m, it).object(units, func(unitID, name string) ([]string, error) { return c.peopleNamed(ctx, unitID, name) })
}

// peopleNamed are the people of a name holding a position in a unit.
func (c conn) peopleNamed(ctx context.Context, unitID, name string) ([]string, error) {
	ids, err := c.queryStrings(ctx, `SELECT x.person_id FROM positions x JOIN people p ON p.id = x.person_id
		WHERE x.unit_id = ? AND p.name = ? ORDER BY x.sort`, unitID, name)
	if err != nil {
		return nil, fmt.Errorf("substitutes: %w", err)
	}
	return ids, nil
}

// indexMaterials writes an entry for each 议题 with material — its title,
// the meeting's, the versions' file names and the text of the newest
// version (non-classified meetings only: a classified meeting's material is
// PDF, its text is never read into the database) — and removes the entries
// of 议题 that no longer have any. Found by whoever access.DecideMaterial
// lets read the material, which is fewer than those who read the meeting.
func (tx *Tx) indexMaterials(ctx context.Context, m *meeting.Meeting) error {
	keep := map[string]bool{}
	for i := range m.Agenda {
		it := &m.Agenda[i]
		latest, ok := it.Latest()
		if !ok {
			continue
		}
		id := materialID(m.ID, it.Seq)
		keep[id] = true
		var names []string
		for _, v := range it.Materials {
			names = append(names, v.Name)
		}
		body := lines(m.Title, strings.Join(names, " "))
		if m.Level == org.Unclassified {
			text, err := tx.fileTexts(ctx, []document.Attachment{{Name: latest.Name, SHA256: latest.SHA256}})
			if err != nil {
				return err
			}
			body += text
		}
		f := newMaterialFacts(m, it)
		readers := append(unitKeys(f.OfficeID, f.UnitID), personKeys(f.Organizer, f.Presenter)...)
		readers = append(readers, personKeys(f.Attendees...)...)
		for _, sub := range f.Subs {
			readers = append(readers, "u:"+sub.UnitID) // the substitute is found by name at decision time
		}
		e := searchEntry{kind: search.KindMaterial, id: id, organID: m.OfficeID, unitID: it.UnitID, level: int(m.Level), at: ts(latest.At),
			title: it.Title, body: truncRunes(body, search.MaxIndexedRunes)}
		if err := tx.putThingEntry(ctx, e, f, readers); err != nil {
			return err
		}
	}
	ids, err := tx.queryStrings(ctx, `SELECT obj_id FROM search_entries WHERE kind = ? AND obj_id LIKE ? ESCAPE '\'`,
		search.KindMaterial, escapeLike(m.ID)+"/%")
	if err != nil {
		return fmt.Errorf("index materials: %w", err)
	}
	for _, id := range ids {
		if !keep[id] {
			if err := tx.deleteEntry(ctx, search.KindMaterial, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// deleteEntry removes an entry with its tokens and readers.
func (tx *Tx) deleteEntry(ctx context.Context, kind, id string) error {
	if tx.d == SQLite {
		var rid int64
		err := tx.queryRow(ctx, `SELECT rid FROM search_entries WHERE kind = ? AND obj_id = ?`, kind, id).Scan(&rid)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err == nil {
			_, err = tx.exec(ctx, `DELETE FROM search_fts WHERE rowid = ?`, rid)
		}
		if err != nil {
			return fmt.Errorf("unindex %s: %w", kind, err)
		}
	}
	for _, q := range []string{`DELETE FROM search_readers WHERE kind = ? AND obj_id = ?`, `DELETE FROM search_entries WHERE kind = ? AND obj_id = ?`} {
		if _, err := tx.exec(ctx, q, kind, id); err != nil {
			return fmt.Errorf("unindex %s: %w", kind, err)
		}
	}
	return nil
}

// indexTraining: a 培训 session — its title, speaker and place; found by the
// office's director and 文秘, its organizer and the people invited
// (access.DecideStudy, as the session's page decides).
func (tx *Tx) indexTraining(ctx context.Context, t *study.Training) error {
	f := access.StudyObject{OfficeID: t.OfficeID, People: append(slices.Clone(t.Invitees), t.Organizer)}
	e := searchEntry{kind: search.KindTraining, id: t.ID, organID: t.OfficeID, unitID: t.OfficeID, state: stateOf(t.Cancelled), at: ts(t.Start),
		title: t.Title, body: lines(t.Speaker, t.Place)}
	return tx.putThingEntry(ctx, e, f, append(unitKeys(f.OfficeID), personKeys(f.People...)...))
}

// fileTexts is the kept text of the files (attachment_texts), each under
// its file name, within the indexed length; "" when none is kept. The
// caller decides whether the thing may carry its files' text at all (not a
// classified one).
func (tx *Tx) fileTexts(ctx context.Context, atts []document.Attachment) (string, error) {
	var shas []any
	for _, a := range atts {
		if a.SHA256 != "" && !slices.Contains(shas, any(a.SHA256)) {
			shas = append(shas, a.SHA256)
		}
	}
	if len(shas) == 0 {
		return "", nil
	}
	rows, err := queryAll(ctx, tx.conn, func(r scanner) ([2]string, error) {
		var x [2]string
		err := r.Scan(&x[0], &x[1])
		return x, err
	}, `SELECT sha256, text FROM attachment_texts WHERE sha256 IN (`+placeholders(len(shas))+`)`, shas...)
	if err != nil {
		return "", fmt.Errorf("index attachments: %w", err)
	}
	texts := map[string]string{}
	for _, x := range rows {
		texts[x[0]] = x[1]
	}
	var b strings.Builder
	for _, a := range atts {
		if t := texts[a.SHA256]; t != "" {
			b.WriteString("\n" + a.Name + "\n" + t)
			delete(texts, a.SHA256) // the same file twice is read once
		}
	}
	return truncRunes(b.String(), search.MaxIndexedRunes), nil
}
