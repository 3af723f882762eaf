package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/request"
	"github.com/shuniu-oa/shuniu/internal/seal"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// 加盖电子印章: a physical seal (request.Seal) may stand for an electronic
// seal (seal.Seal), linked by the security officer on the 电子印章 page; on
// an approved 用印 request that names a document, the seal keeper then
// presses that electronic seal on the document's issued text instead of
// stamping paper. The text is typeset as 分发 typesets it (typesetIssued);
// the store replaces the document's issued files, audits and records the
// use in one transaction.

func (srv *Server) reqESealRoutes() {
	m := srv.mux
	m.HandleFunc("POST /requests/{id}/eseal", srv.requireLogin(srv.reqESeal))
	m.HandleFunc("POST /api/v1/requests/{id}/eseal", srv.requireLogin(srv.reqESeal))
	m.HandleFunc("POST /security/seals/links", srv.requireLogin(srv.sealLink))
	m.HandleFunc("POST /api/v1/seals/links", srv.requireLogin(srv.sealLink))
}

// applyESeal checks, typesets and records. Errors are the user's (a
// refusal) or the server's.
func (srv *Server) applyESeal(ctx context.Context, v *Viewer, rq request.Request) (request.Request, error) {
	f, err := srv.store.ESealFacts(ctx, rq)
	if err != nil {
		return rq, err
	}
	now := srv.store.Now()
	actor, err := srv.store.Actor(ctx, v.Person.ID, now)
	if err != nil {
		return rq, err
	}
	// The rules first: typesetting is seconds of work a refusal should not cost.
	if err := srv.store.ReqRules().CheckESeal(rq, actor, f.Phys, f.ESeal, f.Doc, now); err != nil {
		return rq, err
	}
	if srv.opt.Renderer == nil {
		return rq, &request.Refusal{Msg: "服务器没有安装排版字体，不能生成加盖电子印章的正式文本"}
	}
	if srv.opt.MasterKey == nil {
		return rq, &request.Refusal{Msg: "服务器没有配置主密钥，不能加盖电子印章（见 docs/security.md）"}
	}
	signer, err := srv.sealSigner([]seal.Seal{*f.ESeal}, now)
	if err != nil {
		return rq, &request.Refusal{Msg: err.Error()}
	}
	sealed, err := srv.typesetIssued(ctx, openedDoc{rec: f.Rec, in: f.In, actor: actor}, signer)
	if err != nil {
		return rq, &request.Refusal{Msg: err.Error()}
	}
	return srv.store.ReqAct(ctx, v.Person, rq.ID, "eseal", map[string]any{"doc": f.Rec.ID, "eseal": f.ESeal.Name},
		store.ReqApplyESeal(sealed))
}

func (srv *Server) reqESeal(w http.ResponseWriter, r *http.Request) {
	rq, ok := srv.loadRequest(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	out, err := srv.applyESeal(ctx, viewerFrom(ctx), rq)
	if err == nil {
		if isAPI(r) {
			writeJSON(w, http.StatusOK, out)
			return
		}
		http.Redirect(w, r, "/requests/"+rq.ID+"?notice=eseal", http.StatusSeeOther)
		return
	}
	status, ok := reqStatus(err)
	msg := userMessage(err)
	if errors.Is(err, store.ErrModified) {
		status, ok, msg = http.StatusConflict, true, "公文在加盖电子印章期间被修改，请重新办理"
	}
	if !ok {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		writeJSONError(w, status, msg)
		return
	}
	if cur, cerr := srv.store.Request(ctx, rq.ID); cerr == nil {
		rq = cur
	}
	srv.renderReqPage(w, r, status, rq, msg, "")
}

// physSealRow is a physical seal as the 电子印章 page lists it for linking.
type physSealRow struct {
	request.Seal
	Office string
}

func (srv *Server) physSeals(ctx context.Context) ([]physSealRow, error) {
	ss, err := srv.store.ReqSeals(ctx, "")
	if err != nil {
		return nil, err
	}
	units, err := srv.units(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, u := range units {
		names[u.ID] = u.Name
	}
	out := make([]physSealRow, 0, len(ss))
	for _, s := range ss {
		out = append(out, physSealRow{Seal: s, Office: names[s.UnitID]})
	}
	return out, nil
}

// sealLink is the security officer's 关联: a physical seal and the
// electronic seal that stands for it ("" unlinks).
func (srv *Server) sealLink(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSeals, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	f, err := formOf(r)
	var x request.Seal
	if err == nil {
		err = srv.store.Write(ctx, func(tx *store.Tx) error {
			var err error
			x, err = tx.LinkReqSeal(ctx, v.Person, f.Get("req_seal_id"), f.Get("eseal_id"))
			return err
		})
	}
	if err != nil {
		status, ok := reqStatus(err)
		if !ok {
			srv.serverError(w, r, err)
			return
		}
		if isAPI(r) {
			writeJSONError(w, status, userMessage(err))
			return
		}
		srv.renderSeals(w, r, status, "", userMessage(err))
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, x)
		return
	}
	http.Redirect(w, r, "/security/seals?notice=linked#links", http.StatusSeeOther)
}

// reqESealData adds to a 用印 request's page the document it names (if the
// viewer may read it; a refusal is audited and nothing of it shown) and the
// electronic seal its seal stands for.
func (srv *Server) reqESealData(ctx context.Context, r *http.Request, rq request.Request, d *reqPageData) error {
	if rq.Seal == nil {
		return nil
	}
	f, err := srv.store.ESealFacts(ctx, rq)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if f.ESeal != nil {
		d.ESealName = f.ESeal.Name
	}
	if f.Doc == nil {
		return nil
	}
	ok, err := srv.mayReadDoc(ctx, r, f.Rec, "request")
	if err != nil || !ok {
		return err
	}
	d.DocTitle, d.DocNumber = f.Rec.Doc.Title, f.Rec.DocNumber
	return nil
}
