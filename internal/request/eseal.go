package request

import (
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/seal"
)

// ESealDoc is what the rules need to know of the document a 用印 request
// names (SealInfo.DocID) to press an electronic seal on its issued text.
type ESealDoc struct {
	Title    string
	Number   string // 发文字号, "" before 编号
	Outgoing bool
	// Printed: 印发 is done (the 版记 is final), so the text sealed now is
	// the text 分发 sends; Step names where it stands when not.
	Printed bool
	Step    string
	// Seals are the organs whose 印章 it carries, one seal place each: one
	// electronic seal fills exactly one, and must be that organ's.
	Seals []string
}

// CheckESeal says whether the actor may press the electronic seal that
// stands for the physical seal on the request's document now, with the
// reason in Chinese when not. It changes nothing: the edge asks it before
// typesetting the sealed text, and ApplyESeal asks it again in the store's
// transaction.
func (r Rules) CheckESeal(req Request, actor route.Actor, phys Seal, es *seal.Seal, doc *ESealDoc, now time.Time) error {
	_, _, err := r.ApplyESeal(req, actor, phys, es, doc, now)
	return err
}

// ApplyESeal is the seal keeper's 加盖电子印章 on an approved 用印 request
// that names a document: the electronic seal linked to the physical seal
// (phys.ESealID, es) is pressed on the document's issued text — the caller
// typesets and stores it — and the use enters the 用印登记簿 as the 用印 of
// the approved copies, marked electronic. Refused, with the reason, when
// the request is not approved, names no document, the seal has no linked
// electronic seal or it is not in force, the document cannot carry it, or
// the actor does not hold the 用印 step.
func (r Rules) ApplyESeal(req Request, actor route.Actor, phys Seal, es *seal.Seal, doc *ESealDoc, now time.Time) (Request, []route.Event, error) {
	if req.Kind != SealUse || req.Seal == nil {
		return req, nil, refuse("这不是用印申请")
	}
	switch req.Status {
	case Cancelled:
		return req, nil, refuse("该申请已撤销")
	case Finished:
		if req.Seal.ESealApplied {
			return req, nil, refuse("该申请已加盖电子印章")
		}
		return req, nil, refuse("该申请已用印登记，不能再加盖电子印章")
	case Pending:
		return req, nil, refuse("该申请尚未批准（当前：%s），不能加盖电子印章", req.StepName())
	}
	if req.Seal.DocID == "" || doc == nil {
		return req, nil, refuse("该申请没有关联公文，不能加盖电子印章；纸质材料请用“用印登记”")
	}
	if phys.ID != req.Seal.SealID {
		return req, nil, refuse("印章与申请不符")
	}
	if phys.ESealID == "" || es == nil || es.ID != phys.ESealID {
		return req, nil, refuse("印章“%s”没有对应的电子印章，请安全保密管理员在“电子印章”页关联后再办理", phys.Name)
	}
	if !es.Revoked.IsZero() {
		return req, nil, refuse("电子印章“%s”已停用，不能加盖", es.Name)
	}
	if !es.Active(now) {
		loc := calendar.Shanghai()
		return req, nil, refuse("电子印章“%s”不在有效期内（%s 至 %s），不能加盖", es.Name,
			es.ValidFrom.In(loc).Format("2006-01-02"), es.ValidUntil.In(loc).Format("2006-01-02"))
	}
	switch {
	case !doc.Outgoing:
		return req, nil, refuse("《%s》是收文，只能对本机关的发文加盖电子印章", doc.Title)
	case doc.Number == "":
		return req, nil, refuse("《%s》尚未编号，不能加盖电子印章", doc.Title)
	case !doc.Printed:
		return req, nil, refuse("《%s》尚未印发（当前：%s），印发后才能加盖电子印章", doc.Title, doc.Step)
	case len(doc.Seals) == 0:
		return req, nil, refuse("《%s》的版式没有印章位置（印章：不加盖），不能加盖电子印章", doc.Title)
	case len(doc.Seals) > 1:
		return req, nil, refuse("《%s》是联合行文，有 %d 个印章位置，须各署名机关各加盖一枚，不能只加盖“%s”", doc.Title, len(doc.Seals), es.Name)
	case doc.Seals[0] != es.Organ:
		return req, nil, refuse("《%s》应加盖“%s”的印章，电子印章“%s”属于“%s”", doc.Title, doc.Seals[0], es.Name, es.Organ)
	}
	out, evs, err := r.Stamp(req, actor, req.Seal.Copies, "加盖电子印章："+es.Name, now)
	if err != nil {
		return req, nil, err
	}
	out.Seal.ESealApplied = true
	return out, evs, nil
}
