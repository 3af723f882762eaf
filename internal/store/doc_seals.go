package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/seal"
)

// SealChoice is the 加盖印章 chosen for an outgoing document: which of the
// issuing organs' registered electronic seals its issued text carries. The
// drafter chooses it with the draft, whoever holds the document's task (the
// signer at 签发) may change it until 印发, and 分发 presses exactly these.
type SealChoice struct {
	DocID   string    `json:"doc_id"`
	SealIDs []string  `json:"seal_ids"` // in the order of the 署名; empty: 不加盖印章
	By      string    `json:"chosen_by"`
	At      time.Time `json:"chosen_at"`
}

// None reports whether the choice is to carry no seal.
func (c SealChoice) None() bool { return len(c.SealIDs) == 0 }

// SealChoice returns a document's choice; ok is false when none was made
// (the document is then sealed by its 署名 organs' seals in force, as before
// the choice existed).
func (c conn) SealChoice(ctx context.Context, docID string) (ch SealChoice, ok bool, err error) {
	var ids string
	var at int64
	err = c.queryRow(ctx, `SELECT seal_ids, chosen_by, chosen_at FROM doc_seal_choice WHERE doc_id = ?`, docID).Scan(&ids, &ch.By, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return SealChoice{DocID: docID}, false, nil
	}
	if err != nil {
		return ch, false, fmt.Errorf("seal choice of %s: %w", docID, err)
	}
	ch.DocID, ch.At = docID, fromTS(at)
	if ids != "" {
		ch.SealIDs = strings.Split(ids, ",")
	}
	return ch, true, nil
}

// SealsFor lists the seals the drafter or signer of a document may choose:
// those in force at now of the organs that issue it (the organ in whose name
// it goes and any co-issuers), in the order of the 署名 and then of the seal
// kinds (党委, 政府, 办公室 …).
func (c conn) SealsFor(ctx context.Context, rec DocRecord, in route.Instance, now time.Time) ([]seal.Seal, error) {
	organs := issuingOrgans(rec, in)
	all, err := c.Seals(ctx)
	if err != nil {
		return nil, err
	}
	var out []seal.Seal
	for _, s := range all {
		if slices.Contains(organs, s.UnitID) && s.Active(now) {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b seal.Seal) int {
		if d := slices.Index(organs, a.UnitID) - slices.Index(organs, b.UnitID); d != 0 {
			return d
		}
		return slices.Index(seal.Kinds(), a.Kind) - slices.Index(seal.Kinds(), b.Kind)
	})
	return out, nil
}

// issuingOrgans are the units that issue an outgoing document: the organ in
// whose name it goes (IssuerOf), then its co-issuers (联合发文).
func issuingOrgans(rec DocRecord, in route.Instance) []string {
	organs := []string{IssuerOf(rec, in)}
	if joint := in.Scope[document.JointScope]; joint != "" {
		for _, id := range strings.Split(joint, ",") {
			if id != "" && !slices.Contains(organs, id) {
				organs = append(organs, id)
			}
		}
	}
	return organs
}

// ChooseSeals records the seals an outgoing document is to carry (none when
// sealIDs is empty) in one transaction.
func (s *Store) ChooseSeals(ctx context.Context, by org.Person, docID string, sealIDs []string) (SealChoice, error) {
	var ch SealChoice
	err := s.Write(ctx, func(tx *Tx) (err error) {
		ch, err = tx.ChooseSeals(ctx, by, docID, sealIDs)
		return err
	})
	return ch, err
}

// ChooseSeals is Store.ChooseSeals in a transaction. Only whoever holds an
// open task on the document may choose, before its issued text exists. Each
// seal must be in force and belong to one of the organs issuing it, one a
// organ; a joint document carries every issuer's seal or none; a doc type
// that carries no seal (纪要) takes none. The document's 印章 element
// follows the choice (the organs whose seals it carries, in the order of the
// 署名), without a new version, and the choice is audited.
func (tx *Tx) ChooseSeals(ctx context.Context, by org.Person, docID string, sealIDs []string) (SealChoice, error) {
	ch := SealChoice{DocID: docID, By: by.ID, At: tx.now}
	rec, err := tx.documentForUpdate(ctx, docID)
	if err != nil {
		return ch, err
	}
	if rec.Direction != Outgoing {
		return ch, errors.New("只有发文可以选择加盖的印章")
	}
	if err := tx.refuseArchived(ctx, docID, "更改印章"); err != nil {
		return ch, err
	}
	in, err := tx.Instance(ctx, docID)
	if err != nil {
		return ch, err
	}
	actor, err := tx.Actor(ctx, by.ID, tx.now)
	if err != nil {
		return ch, err
	}
	if in.Status != route.Active || !holdsTask(in, actor) {
		return ch, errors.New("只有当前办理人可以选择加盖的印章")
	}
	files, err := tx.Files(ctx, docID)
	if err != nil {
		return ch, err
	}
	if slices.ContainsFunc(files, func(f DocFile) bool { return f.Role == string(document.FileIssued) }) {
		return ch, errors.New("正式文本已经印发，不能再更改加盖的印章")
	}
	units, err := tx.unitMap(ctx)
	if err != nil {
		return ch, err
	}
	organs := issuingOrgans(rec, in)
	var chosen []seal.Seal
	for _, id := range sealIDs {
		if id = strings.TrimSpace(id); id == "" || slices.ContainsFunc(chosen, func(s seal.Seal) bool { return s.ID == id }) {
			continue
		}
		s, err := tx.Seal(ctx, id)
		if errors.Is(err, ErrNotFound) {
			return ch, errors.New("所选印章不存在，请重新选择")
		}
		if err != nil {
			return ch, err
		}
		if !s.Active(tx.now) {
			return ch, fmt.Errorf("印章“%s”已注销或不在有效期内，请重新选择", s.Name)
		}
		if !slices.Contains(organs, s.UnitID) {
			return ch, fmt.Errorf("印章“%s”不是发文机关（%s）的印章", s.Name, unitNames(units, organs))
		}
		if slices.ContainsFunc(chosen, func(c seal.Seal) bool { return c.UnitID == s.UnitID }) {
			return ch, fmt.Errorf("%s只能加盖一枚印章", units[s.UnitID].Name)
		}
		chosen = append(chosen, s)
	}
	if r, ok := document.RuleFor(rec.Doc.Type); ok && r.Seal == document.SealForbidden && len(chosen) > 0 {
		return ch, fmt.Errorf("%s不加盖印章", r.Name)
	}
	if len(chosen) > 0 && len(chosen) < len(organs) {
		var missing []string
		for _, o := range organs {
			if !slices.ContainsFunc(chosen, func(c seal.Seal) bool { return c.UnitID == o }) {
				missing = append(missing, units[o].Name)
			}
		}
		return ch, fmt.Errorf("联合发文须由每个发文机关各加盖一枚印章，还缺：%s", strings.Join(missing, "、"))
	}
	// The 印章 element names the organs as their 署名 does, in its order.
	var seals []string
	slices.SortStableFunc(chosen, func(a, b seal.Seal) int {
		return slices.Index(organs, a.UnitID) - slices.Index(organs, b.UnitID)
	})
	for _, s := range chosen {
		name := units[s.UnitID].Name
		if !slices.Contains(rec.Doc.Signatures, name) {
			return ch, fmt.Errorf("印章“%s”须与发文机关署名一致（署名：%s）", s.Name, strings.Join(rec.Doc.Signatures, "、"))
		}
		seals = append(seals, name)
		ch.SealIDs = append(ch.SealIDs, s.ID)
	}
	if !slices.Equal(rec.Doc.Seals, seals) {
		rec.Doc.Seals, rec.UpdatedAt = seals, tx.now
		if err := tx.putDocument(ctx, rec, false, rec.Version); err != nil {
			return ch, err
		}
	}
	if _, err := tx.exec(ctx, `INSERT INTO doc_seal_choice (doc_id, seal_ids, chosen_by, chosen_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (doc_id) DO UPDATE SET seal_ids = excluded.seal_ids, chosen_by = excluded.chosen_by, chosen_at = excluded.chosen_at`,
		docID, strings.Join(ch.SealIDs, ","), by.ID, ts(tx.now)); err != nil {
		return ch, fmt.Errorf("save seal choice: %w", err)
	}
	names := []string{}
	for _, s := range chosen {
		names = append(names, s.Name)
	}
	detail := map[string]any{"seals": names}
	if len(names) == 0 {
		detail["seals"] = "不加盖印章"
	}
	return ch, tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "document.seals", ObjectKind: "document", ObjectID: docID,
		Detail: jsonString(withTitle(detail, rec.Doc))})
}

// unitNames joins the names of units, in order.
func unitNames(units map[string]org.Unit, ids []string) string {
	var out []string
	for _, id := range ids {
		if u, ok := units[id]; ok {
			out = append(out, u.Name)
		}
	}
	return strings.Join(out, "、")
}
