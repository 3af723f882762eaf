package web

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/seal"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// 加盖印章: the drafter (with the draft, or later while they hold it) or the
// signer at 签发 chooses which of the issuing organs' registered electronic
// seals — 党委, 政府 or 办公室 — the issued text carries, or none (纪要
// carry none). 分发 presses exactly the chosen seals (issueSealer); the store
// checks the choice (Tx.ChooseSeals) and audits it.

func (srv *Server) docSealRoutes() {
	m := srv.mux
	m.HandleFunc("POST /docs/{id}/seals", srv.requireLogin(srv.docSealsPost))
	m.HandleFunc("GET /api/v1/documents/{id}/seals", srv.requireLogin(srv.apiDocSeals))
	m.HandleFunc("POST /api/v1/documents/{id}/seals", srv.requireLogin(srv.apiDocSealsPost))
}

// sealOption is a registered seal as the choice shows it: no key material.
type sealOption struct {
	ID        string `json:"id"`
	Name      string `json:"name"`  // e.g. 清澜区人民政府印章
	Organ     string `json:"organ"` // the organ it was registered for
	Kind      string `json:"kind"`  // party | government | office | …
	KindLabel string `json:"kind_label"`
	Chosen    bool   `json:"chosen"`
}

func sealOptionOf(s seal.Seal) sealOption {
	return sealOption{ID: s.ID, Name: s.Name, Organ: s.Organ, Kind: string(s.Kind), KindLabel: s.Kind.Label()}
}

// docSealPanel is the 加盖印章 of a document's page and of the API.
type docSealPanel struct {
	Chosen    bool         `json:"chosen"` // a choice was made; else 分发 seals as the 印章 element says
	None      bool         `json:"none"`   // chosen: 不加盖印章
	Seals     []sealOption `json:"seals"`  // the chosen seals, in the order of the 署名
	Auto      string       `json:"auto,omitempty"`
	Options   []sealOption `json:"options"` // what may be chosen: the issuing organs' seals in force
	Forbidden bool         `json:"forbidden,omitempty"`
	Issued    bool         `json:"issued"`     // the issued text exists: the choice is final
	CanChoose bool         `json:"can_choose"` // the viewer holds the document's task before 印发
}

// docSealPanelFor reads a document's choice and what may be chosen. holds
// says whether the viewer holds an open task on it.
func (srv *Server) docSealPanelFor(ctx context.Context, od openedDoc, holds bool) (*docSealPanel, error) {
	if od.rec.Direction != store.Outgoing {
		return nil, nil
	}
	p := &docSealPanel{Seals: []sealOption{}, Options: []sealOption{}}
	ch, chosen, err := srv.store.SealChoice(ctx, od.rec.ID)
	if err != nil {
		return nil, err
	}
	all, err := srv.store.Seals(ctx)
	if err != nil {
		return nil, err
	}
	p.Chosen, p.None = chosen, chosen && ch.None()
	for _, id := range ch.SealIDs {
		if i := slices.IndexFunc(all, func(s seal.Seal) bool { return s.ID == id }); i >= 0 {
			o := sealOptionOf(all[i])
			o.Chosen = true
			p.Seals = append(p.Seals, o)
		}
	}
	if !chosen {
		p.Auto = "未选择：正式文本不加盖电子印章"
		if len(od.rec.Doc.Seals) > 0 {
			p.Auto = "未选择：分发时加盖署名机关（" + strings.Join(od.rec.Doc.Seals, "、") + "）在用的印章"
		}
	}
	if r, ok := document.RuleFor(od.rec.Doc.Type); ok && r.Seal == document.SealForbidden {
		p.Forbidden = true
	}
	files, err := srv.store.Files(ctx, od.rec.ID)
	if err != nil {
		return nil, err
	}
	p.Issued = slices.ContainsFunc(files, func(f store.DocFile) bool { return f.Role == string(document.FileIssued) })
	opts, err := srv.store.SealsFor(ctx, od.rec, od.in, srv.store.Now())
	if err != nil {
		return nil, err
	}
	for _, s := range opts {
		o := sealOptionOf(s)
		o.Chosen = slices.Contains(ch.SealIDs, s.ID)
		p.Options = append(p.Options, o)
	}
	p.CanChoose = holds && !p.Issued
	return p, nil
}

// sealIDsFromForm reads the form's seal field: seal IDs, or "none" for 不加盖
// 印章 (which wins over any seal ticked with it). ok is false when nothing
// was chosen.
func sealIDsFromForm(values []string) (ids []string, ok bool) {
	for _, v := range values {
		switch v {
		case "":
		case "none":
			return []string{}, true
		default:
			ids = append(ids, v)
		}
	}
	return ids, len(ids) > 0
}

// docSealsPost records the 加盖印章 chosen on the document's page.
func (srv *Server) docSealsPost(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "seals")
	if !ok {
		return
	}
	ids, chosen := sealIDsFromForm(r.PostForm["seal"])
	if !chosen {
		srv.renderDocPage(w, r, http.StatusUnprocessableEntity, od, "请选择加盖的印章，或选择“不加盖印章”", "", r.PostForm)
		return
	}
	if _, err := srv.store.ChooseSeals(r.Context(), viewerFrom(r.Context()).Person, od.rec.ID, ids); err != nil {
		msg, status, internal := actError(err)
		if internal {
			srv.serverError(w, r, err)
			return
		}
		srv.renderDocPage(w, r, status, od, msg, "", r.PostForm)
		return
	}
	http.Redirect(w, r, "/docs/"+od.rec.ID+"?done=seals#seals", http.StatusSeeOther)
}

// apiDocSeals answers a document's 加盖印章 and what may be chosen.
func (srv *Server) apiDocSeals(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "api")
	if !ok {
		return
	}
	p, err := srv.docSealPanelFor(r.Context(), od, srv.holds(r.Context(), od))
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if p == nil {
		writeJSONError(w, http.StatusUnprocessableEntity, "只有发文可以选择加盖的印章")
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// apiSealChoice is the body of POST /api/v1/documents/{id}/seals: the seals'
// IDs, [] for 不加盖印章.
type apiSealChoice struct {
	SealIDs []string `json:"seal_ids"`
}

func (srv *Server) apiDocSealsPost(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "api")
	if !ok {
		return
	}
	var in apiSealChoice
	if !decodeJSON(w, r, &in) {
		return
	}
	if in.SealIDs == nil {
		writeJSONError(w, http.StatusBadRequest, "缺少 seal_ids（不加盖印章时为 []）")
		return
	}
	ctx := r.Context()
	if _, err := srv.store.ChooseSeals(ctx, viewerFrom(ctx).Person, od.rec.ID, in.SealIDs); err != nil {
		srv.apiFail(w, r, err)
		return
	}
	p, err := srv.docSealPanelFor(ctx, od, srv.holds(ctx, od))
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// draftSealOptions are the seals a new draft may choose: those in force of
// the organs the drafting units may draft in the name of (their own, and the
// organ an office serves).
func (srv *Server) draftSealOptions(ctx context.Context, issuers []string, chosen []string) ([]sealOption, error) {
	all, err := srv.store.Seals(ctx)
	if err != nil {
		return nil, err
	}
	now := srv.store.Now()
	var out []sealOption
	for _, s := range all {
		if s.Active(now) && slices.Contains(issuers, s.UnitID) {
			o := sealOptionOf(s)
			o.Chosen = slices.Contains(chosen, s.ID)
			out = append(out, o)
		}
	}
	slices.SortStableFunc(out, func(a, b sealOption) int {
		return slices.Index(seal.Kinds(), seal.Kind(a.Kind)) - slices.Index(seal.Kinds(), seal.Kind(b.Kind))
	})
	return out, nil
}
