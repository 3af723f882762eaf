package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/archive"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/org"
)

// ArchiveSettingKey keeps the deployment's archive.Settings (全宗号, 机构代码,
// 归档范围和保管期限表), kept by the system administrator.
const ArchiveSettingKey = "archive_settings"

// Fields of the 归档 step: the 保管期限 the archivist chose (defaulted from
// the table) and the 页数 of the document as filed.
const (
	FieldRetention = "retention"
	FieldPages     = "pages"
)

// ErrArchived is what every write to an archived document is refused with
// (errors.Is); the error itself is an *ArchivedError naming the 档号.
var ErrArchived = errors.New("archived")

// ArchivedError refuses a change to an archived document.
type ArchivedError struct {
	Code string // 档号
	What string // what was refused, e.g. 修改文稿
}

func (e *ArchivedError) Error() string {
	return "该公文已归档（档号 " + e.Code + "），不能再" + e.What
}

// Is makes errors.Is(err, ErrArchived) true.
func (e *ArchivedError) Is(target error) bool { return target == ErrArchived }

// ArchiveRecord is a document as filed: its 档号 and its catalogue line.
type ArchiveRecord struct {
	DocID      string        `json:"doc_id"`
	OrganID    string        `json:"organ_id"`
	Code       archive.Code  `json:"code"`
	Entry      archive.Entry `json:"entry"`
	ArchivedBy string        `json:"archived_by"`
	ArchivedAt time.Time     `json:"archived_at"`
	// For the access decision on a catalogue line: the document's 密级 and
	// whether the viewer took part in it.
	Level    org.Classification `json:"-"`
	Involved bool               `json:"-"`
}

// ArchiveSettings are the deployment's archiving settings, or the defaults.
func (c conn) ArchiveSettings(ctx context.Context) (archive.Settings, error) {
	s := archive.DefaultSettings()
	if _, err := c.Setting(ctx, ArchiveSettingKey, &s); err != nil {
		return archive.DefaultSettings(), err
	}
	return s, nil
}

// PutArchiveSettings stores the archiving settings after checking them, with
// the audit entry. Documents filed before keep their 档号.
func (tx *Tx) PutArchiveSettings(ctx context.Context, by org.Person, s archive.Settings) error {
	units, err := tx.unitMap(ctx)
	if err != nil {
		return err
	}
	if err := s.Validate(units); err != nil {
		return err
	}
	if err := tx.PutSetting(ctx, ArchiveSettingKey, s); err != nil {
		return err
	}
	return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "settings.archive", ObjectKind: "settings", ObjectID: ArchiveSettingKey,
		Detail: jsonString(map[string]any{"fonds": len(s.Fonds), "unit_codes": len(s.UnitCodes), "rules": len(s.Table.Rules), "default": s.Table.Default})})
}

const archiveCols = `a.doc_id, a.organ_id, a.fonds, a.year, a.retention, a.unit_id, a.unit_code, a.piece, a.entry, a.archived_by, a.archived_at`

func scanArchive(r scanner, extra ...any) (ArchiveRecord, error) {
	var a ArchiveRecord
	var entry, retention string
	var at int64
	dest := append([]any{&a.DocID, &a.OrganID, &a.Code.Fonds, &a.Code.Year, &retention, &a.Code.UnitID, &a.Code.UnitCode, &a.Code.Piece,
		&entry, &a.ArchivedBy, &at}, extra...)
	if err := r.Scan(dest...); err != nil {
		return a, err
	}
	a.Code.Retention, a.ArchivedAt = archive.Retention(retention), fromTS(at)
	if err := json.Unmarshal([]byte(entry), &a.Entry); err != nil {
		return a, fmt.Errorf("decode catalogue entry of %s: %w", a.DocID, err)
	}
	return a, nil
}

// Archived returns a document's archive record, if it is archived.
func (c conn) Archived(ctx context.Context, docID string) (ArchiveRecord, bool, error) {
	a, err := scanArchive(c.queryRow(ctx, `SELECT `+archiveCols+` FROM doc_archive a WHERE a.doc_id = ?`, docID))
	if errors.Is(err, sql.ErrNoRows) {
		return a, false, nil
	}
	if err != nil {
		return a, false, fmt.Errorf("read archive record: %w", err)
	}
	return a, true, nil
}

// refuseArchived refuses what on an archived document.
func (tx *Tx) refuseArchived(ctx context.Context, docID, what string) error {
	var code string
	err := tx.queryRow(ctx, `SELECT code FROM doc_archive WHERE doc_id = ?`, docID).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read archive record: %w", err)
	}
	return &ArchivedError{Code: code, What: what}
}

// ArchivePlans are where a document would be filed with each 保管期限, in
// the order of archive.Retentions, and the table's choice among them, each
// with the 件号 it would get if archived now — for the archivist's form; the
// 件号 is taken only when the document is archived.
func (c conn) ArchivePlans(ctx context.Context, rec DocRecord) ([]archive.Code, archive.Retention, error) {
	set, err := c.ArchiveSettings(ctx)
	if err != nil {
		return nil, "", err
	}
	units, err := c.unitMap(ctx)
	if err != nil {
		return nil, "", err
	}
	def := set.Table.For(rec.Direction == Outgoing, rec.Doc.Type)
	var out []archive.Code
	for _, r := range archive.Retentions() {
		cl, err := archive.Classify(set, archiveInput(rec, units, r))
		if err != nil {
			return nil, "", err
		}
		var last int
		err = c.queryRow(ctx, `SELECT last FROM number_counters WHERE scope = ? AND year = ?`, cl.Counter(), cl.Year).Scan(&last)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, "", fmt.Errorf("read 件号 counter: %w", err)
		}
		out = append(out, archive.Code{Class: cl, Piece: last + 1})
	}
	return out, def, nil
}

func archiveInput(rec DocRecord, units map[string]org.Unit, r archive.Retention) archive.Input {
	return archive.Input{Outgoing: rec.Direction == Outgoing, Doc: rec.Doc, OrganID: rec.OrganID, UnitID: rec.UnitID, Units: units,
		Retention: r, Formed: rec.CreatedAt}
}

// archiveDoc files a document as its 归档 step finishes: classified by the
// rules (archive.Classify) with the archivist's 保管期限, the next 件号 of its
// class taken in this transaction (a rollback gives it back, so 件号 stay
// gap-free), its 档号 and catalogue line kept, audited.
func (tx *Tx) archiveDoc(ctx context.Context, by org.Person, rec *DocRecord, fields map[string]string) error {
	if err := tx.refuseArchived(ctx, rec.ID, "归档"); err != nil {
		return err
	}
	var r archive.Retention
	if v := strings.TrimSpace(fields[FieldRetention]); v != "" {
		var err error
		if r, err = archive.ParseRetention(v); err != nil {
			return err
		}
	}
	pages := 0
	if v := strings.TrimSpace(fields[FieldPages]); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 100000 {
			return errors.New("页数应为不大于 100000 的非负整数")
		}
		pages = n
	}
	set, err := tx.ArchiveSettings(ctx)
	if err != nil {
		return err
	}
	units, err := tx.unitMap(ctx)
	if err != nil {
		return err
	}
	cl, err := archive.Classify(set, archiveInput(*rec, units, r))
	if err != nil {
		return err
	}
	piece, err := tx.nextNumber(ctx, cl.Counter(), cl.Year)
	if err != nil {
		return err
	}
	code := archive.Code{Class: cl, Piece: piece}
	in := archive.EntryInput{Outgoing: rec.Direction == Outgoing, Doc: rec.Doc, Organ: units[rec.OrganID], Sender: rec.Sender, Pages: pages, Formed: rec.CreatedAt}
	if in.Outgoing {
		in.DocNumber = rec.DocNumber
	}
	entry := archive.EntryOf(piece, in)
	if _, err := tx.exec(ctx, `INSERT INTO doc_archive (doc_id, organ_id, code, fonds, year, retention, unit_id, unit_code, piece, entry, archived_by, archived_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		rec.ID, rec.OrganID, code.String(), cl.Fonds, cl.Year, string(cl.Retention), cl.UnitID, cl.UnitCode, piece, jsonString(entry), by.ID, ts(tx.now)); err != nil {
		if isUnique(err) {
			return fmt.Errorf("档号 %s 已被使用，请刷新后重试", code)
		}
		return fmt.Errorf("save archive record: %w", err)
	}
	return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "document.archive", ObjectKind: "document", ObjectID: rec.ID,
		Detail: jsonString(map[string]any{"code": code.String(), "retention": cl.Retention.Label(), "year": cl.Year, "unit": units[cl.UnitID].ShortName})})
}

// CatalogueFilter picks the lines of an organ's 归档文件目录: by 年度, 保管期限
// and 机构（问题）代码 when set.
type CatalogueFilter struct {
	OrganID   string
	Year      int
	Retention archive.Retention
	UnitCode  string
	ViewerID  string // for ArchiveRecord.Involved
}

// CatalogueLimit bounds one catalogue read.
const CatalogueLimit = 5000

// Catalogue lists an organ's archived documents in the order of the
// 归档文件目录: 年度, 保管期限, 机构, 件号. The caller decides access per line.
func (c conn) Catalogue(ctx context.Context, f CatalogueFilter) ([]ArchiveRecord, error) {
	q := `SELECT ` + archiveCols + `, d.level, CASE WHEN EXISTS (SELECT 1 FROM participants p WHERE p.doc_id = a.doc_id AND p.person_id = ?) THEN 1 ELSE 0 END
		FROM doc_archive a JOIN documents d ON d.id = a.doc_id WHERE a.organ_id = ?`
	args := []any{f.ViewerID, f.OrganID}
	if f.Year > 0 {
		q += ` AND a.year = ?`
		args = append(args, f.Year)
	}
	if f.Retention != "" {
		q += ` AND a.retention = ?`
		args = append(args, string(f.Retention))
	}
	if f.UnitCode != "" {
		q += ` AND a.unit_code = ?`
		args = append(args, f.UnitCode)
	}
	q += ` ORDER BY a.year DESC, CASE a.retention WHEN 'Y' THEN 0 WHEN 'D30' THEN 1 ELSE 2 END, a.unit_code, a.piece LIMIT ` + strconv.Itoa(CatalogueLimit)
	return queryAll(ctx, c, func(r scanner) (ArchiveRecord, error) {
		var level, involved int
		a, err := scanArchive(r, &level, &involved)
		a.Level, a.Involved = org.Classification(level), involved == 1
		return a, err
	}, q, args...)
}

// CatalogueYears lists the 年度 an organ has archived documents in, latest first.
func (c conn) CatalogueYears(ctx context.Context, organID string) ([]int, error) {
	return queryAll(ctx, c, func(r scanner) (int, error) {
		var y int
		return y, r.Scan(&y)
	}, `SELECT DISTINCT year FROM doc_archive WHERE organ_id = ? ORDER BY year DESC`, organID)
}
