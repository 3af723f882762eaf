package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/request"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/seal"
)

// LinkReqSeal sets (esealID "" clears) the electronic seal that stands for
// a physical seal, with its audit entry. The security officer's act: the
// office's own pool form does not touch it.
func (tx *Tx) LinkReqSeal(ctx context.Context, by org.Person, reqSealID, esealID string) (request.Seal, error) {
	x, err := tx.ReqSeal(ctx, reqSealID)
	if errors.Is(err, ErrNotFound) {
		return x, &request.Refusal{Msg: "所选实物印章不存在"}
	}
	if err != nil {
		return x, err
	}
	name := ""
	if esealID != "" {
		es, err := tx.Seal(ctx, esealID)
		if errors.Is(err, ErrNotFound) {
			return x, &request.Refusal{Msg: "所选电子印章不存在"}
		}
		if err != nil {
			return x, err
		}
		if !es.Revoked.IsZero() {
			return x, &request.Refusal{Msg: fmt.Sprintf("电子印章“%s”已停用，不能关联", es.Name)}
		}
		name = es.Name
	}
	if _, err := tx.exec(ctx, `UPDATE req_seals SET eseal_id = ? WHERE id = ?`, esealID, x.ID); err != nil {
		return x, fmt.Errorf("link seal: %w", err)
	}
	x.ESealID = esealID
	return x, tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "request.seal.link", ObjectKind: "req_seal", ObjectID: x.ID,
		Detail: jsonString(map[string]string{"seal": x.Name, "eseal_id": esealID, "eseal": name})})
}

// ESealFacts are what 加盖电子印章 on a request reads: the physical seal,
// its linked electronic seal (nil when none) and the document it names
// (nil when none), the latter as the rules see it and as stored.
type ESealFacts struct {
	Phys  request.Seal
	ESeal *seal.Seal
	Doc   *request.ESealDoc
	Rec   DocRecord
	In    route.Instance
}

// printed reports whether the document's 印发 is done: its route is past
// that step (or over).
func printed(in route.Instance) bool {
	if in.Status == route.Done {
		return true
	}
	i := in.Template.StepIndex(document.StepPrintIssue)
	return i >= 0 && in.Status == route.Active && in.Current > i
}

// ESealFacts reads them for r.
func (c conn) ESealFacts(ctx context.Context, r request.Request) (ESealFacts, error) {
	var f ESealFacts
	if r.Seal == nil {
		return f, &request.Refusal{Msg: "这不是用印申请"}
	}
	var err error
	if f.Phys, err = c.ReqSeal(ctx, r.Seal.SealID); err != nil {
		return f, err
	}
	if f.Phys.ESealID != "" {
		es, err := c.Seal(ctx, f.Phys.ESealID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return f, err
		}
		if err == nil {
			f.ESeal = &es
		}
	}
	if r.Seal.DocID != "" {
		rec, err := c.Document(ctx, r.Seal.DocID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return f, err
		}
		if err == nil {
			in, err := c.Instance(ctx, rec.ID)
			if err != nil {
				return f, err
			}
			f.Rec, f.In = rec, in
			f.Doc = &request.ESealDoc{Title: rec.Doc.Title, Number: rec.DocNumber, Outgoing: rec.Direction == Outgoing,
				Printed: printed(in), Step: rec.Step, Seals: rec.Doc.Seals}
		}
	}
	return f, nil
}

// ReqApplyESeal is the keeper's 加盖电子印章 with the sealed text the edge
// typeset of the document at sealed.Version: in the one transaction the
// rules are asked again (request.Rules.ApplyESeal), the sealed PDF and OFD
// replace the document's issued text (its earlier files stay with the
// copies already sent), the document's audit trail records the seal and the
// request is recorded as used. A document changed since it was typeset is
// refused with ErrModified.
func ReqApplyESeal(sealed IssuedText) ReqOp {
	return func(ctx context.Context, tx *Tx, r request.Request, a route.Actor) (request.Request, []route.Event, error) {
		if r.Seal != nil && r.Seal.DocID != "" {
			if err := tx.lockDocument(ctx, r.Seal.DocID); err != nil {
				return r, nil, err
			}
		}
		f, err := tx.ESealFacts(ctx, r)
		if err != nil {
			return r, nil, err
		}
		out, evs, err := tx.s.ReqRules().ApplyESeal(r, a, f.Phys, f.ESeal, f.Doc, tx.now)
		if err != nil {
			return r, nil, err
		}
		if f.Rec.Version != sealed.Version || len(sealed.Files) == 0 {
			return r, nil, ErrModified
		}
		if err := tx.refuseArchived(ctx, f.Rec.ID, "加盖电子印章"); err != nil {
			return r, nil, err
		}
		by, err := tx.Person(ctx, a.ID)
		if err != nil {
			return r, nil, err
		}
		old, err := tx.Files(ctx, f.Rec.ID)
		if err != nil {
			return r, nil, err
		}
		var replaced []string
		for _, x := range old {
			if x.Role == string(document.FileIssued) {
				replaced = append(replaced, x.SHA256)
			}
		}
		if _, err := tx.exec(ctx, `DELETE FROM doc_files WHERE doc_id = ? AND role = ?`, f.Rec.ID, string(document.FileIssued)); err != nil {
			return r, nil, fmt.Errorf("replace issued text: %w", err)
		}
		var added []string
		for _, x := range sealed.Files {
			x.DocID, x.Role = f.Rec.ID, string(document.FileIssued)
			if err := tx.AddFile(ctx, by, x); err != nil {
				return r, nil, err
			}
			added = append(added, x.SHA256)
		}
		if err := tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "document.eseal", ObjectKind: "document", ObjectID: f.Rec.ID,
			Detail: jsonString(map[string]any{"request": r.ID, "eseal": f.ESeal.Name, "organ": f.ESeal.Organ, "fingerprint": f.ESeal.Fingerprint,
				"files": added, "replaced": replaced})}); err != nil {
			return r, nil, err
		}
		return out, evs, nil
	}
}

// SealableDocs are the latest outgoing documents of the organs (newest
// first, at most limit) that are numbered and printed (印发 done) and carry
// exactly one 印章 and are not archived — those an electronic seal can be
// pressed on through a 用印 request.
func (c conn) SealableDocs(ctx context.Context, organIDs []string, limit int) ([]DocRecord, error) {
	if len(organIDs) == 0 {
		return nil, nil
	}
	q := `SELECT ` + docCols + ` FROM documents WHERE direction = ? AND doc_number <> ''
		AND NOT EXISTS (SELECT 1 FROM doc_archive a WHERE a.doc_id = documents.id) AND organ_id IN (?` +
		strings.Repeat(`, ?`, len(organIDs)-1) + `) ORDER BY created_at DESC, id LIMIT ?`
	args := []any{Outgoing}
	for _, id := range organIDs {
		args = append(args, id)
	}
	recs, err := queryAll(ctx, c, scanDoc, q, append(args, 4*limit)...)
	if err != nil {
		return nil, err
	}
	var out []DocRecord
	for _, rec := range recs {
		if len(rec.Doc.Seals) != 1 || len(out) >= limit {
			continue
		}
		in, err := c.Instance(ctx, rec.ID)
		if err != nil {
			return nil, err
		}
		if printed(in) {
			out = append(out, rec)
		}
	}
	return out, nil
}
