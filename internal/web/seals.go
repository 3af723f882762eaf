package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/seal"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// The security officer's register of electronic seals (电子印章): each
// organ's seals with their SM2 keys, made here and kept wrapped under the
// master key outside the database. The officer sees the seal's image, its
// key's fingerprint and validity, never the key.

func (srv *Server) sealRoutes() {
	m := srv.mux
	m.HandleFunc("GET /security/seals", srv.requireLogin(srv.sealsPage))
	m.HandleFunc("POST /security/seals", srv.requireLogin(srv.sealAdd))
	m.HandleFunc("POST /security/seals/{id}/revoke", srv.requireLogin(srv.sealRevoke))
	m.HandleFunc("GET /security/seals/{id}/image", srv.requireLogin(srv.sealImage))
	m.HandleFunc("GET /api/v1/seals", srv.requireLogin(srv.apiSeals))
	m.HandleFunc("POST /api/v1/seals", srv.requireLogin(srv.apiSealAdd))
	m.HandleFunc("POST /api/v1/seals/{id}/revoke", srv.requireLogin(srv.apiSealRevoke))
}

// maxSealBody bounds a seal registration: the image (seal.MaxImageBytes) in
// a form or as base64 in JSON, and the fields.
const maxSealBody = 2*seal.MaxImageBytes + 64<<10

// sealOut is a seal as pages and the API show it: no key material.
type sealOut struct {
	ID          string    `json:"id"`
	UnitID      string    `json:"unit_id"`
	Organ       string    `json:"organ"`
	Name        string    `json:"name"`
	Kind        seal.Kind `json:"kind"`
	KindLabel   string    `json:"kind_label"`
	Fingerprint string    `json:"fingerprint"`
	ValidFrom   time.Time `json:"valid_from"`
	ValidUntil  time.Time `json:"valid_until"`
	Created     time.Time `json:"created"`
	CreatedBy   string    `json:"created_by"` // the registering officer's name
	Revoked     time.Time `json:"revoked,omitzero"`
	InForce     bool      `json:"in_force"`
}

func (srv *Server) sealList(ctx context.Context) ([]sealOut, error) {
	ss, err := srv.store.Seals(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	now := srv.store.Now()
	out := make([]sealOut, 0, len(ss))
	for _, s := range ss {
		if _, ok := names[s.CreatedBy]; !ok {
			names[s.CreatedBy] = s.CreatedBy
			if p, err := srv.store.Person(ctx, s.CreatedBy); err == nil {
				names[s.CreatedBy] = p.Name
			}
		}
		out = append(out, sealOut{ID: s.ID, UnitID: s.UnitID, Organ: s.Organ, Name: s.Name, Kind: s.Kind, KindLabel: s.Kind.Label(),
			Fingerprint: s.Fingerprint, ValidFrom: s.ValidFrom, ValidUntil: s.ValidUntil, Created: s.Created,
			CreatedBy: names[s.CreatedBy], Revoked: s.Revoked, InForce: s.Active(now)})
	}
	return out, nil
}

type sealsPageData struct {
	Seals []sealOut
	Units []org.Unit
	Kinds []seal.Kind
	NoKey bool // no master key: registration is off
	// Phys are the offices' physical seals, each with the electronic seal
	// that stands for it (加盖电子印章 on a 用印 request).
	Phys []physSealRow
}

func (srv *Server) sealsPage(w http.ResponseWriter, r *http.Request) {
	notice := ""
	switch r.URL.Query().Get("notice") {
	case "saved":
		notice = "印章已登记。"
	case "revoked":
		notice = "印章已停用。"
	case "linked":
		notice = "实物印章与电子印章的对应已保存。"
	}
	srv.renderSeals(w, r, http.StatusOK, notice, "")
}

func (srv *Server) renderSeals(w http.ResponseWriter, r *http.Request, status int, notice, errMsg string) {
	if !srv.authorize(w, r, access.ManageSeals, access.Object{}) {
		return
	}
	ctx := r.Context()
	list, err := srv.sealList(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	units, err := srv.store.Units(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	phys, err := srv.physSeals(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	form := r.PostForm
	if status == http.StatusOK {
		form = nil
	}
	srv.render(w, r, status, "seals", pageData{Title: "电子印章", Nav: "seals", Notice: notice, Error: errMsg, Form: form,
		Data: sealsPageData{Seals: list, Units: units, Kinds: seal.Kinds(), NoKey: srv.opt.MasterKey == nil, Phys: phys}})
}

// registerSeal makes and stores a seal with its audit entry. Errors in
// Chinese are the officer's to correct.
func (srv *Server) registerSeal(r *http.Request, unitID, name string, kind seal.Kind, image []byte) (seal.Seal, error) {
	ctx := r.Context()
	v := viewerFrom(ctx)
	if srv.opt.MasterKey == nil {
		return seal.Seal{}, errors.New("服务器没有配置主密钥，不能登记电子印章（见 docs/security.md）")
	}
	var made seal.Seal
	err := srv.store.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.Unit(ctx, unitID)
		if errors.Is(err, store.ErrNotFound) {
			return errors.New("请选择印章所属的机关")
		}
		if err != nil {
			return err
		}
		made, err = seal.New(seal.NewRequest{ID: uid.New(), UnitID: u.ID, Organ: u.Name, Name: name, Kind: kind, Image: image,
			CreatedBy: v.Person.ID, Now: tx.Now()}, srv.opt.MasterKey)
		if err != nil {
			return err
		}
		if err := tx.AddSeal(ctx, made); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "seal.add", ObjectKind: "seal", ObjectID: made.ID,
			IP: clientIP(r), Detail: jsonDetail(map[string]string{"organ": made.Organ, "name": made.Name, "kind": made.Kind.Label(), "fingerprint": made.Fingerprint})})
	})
	return made, err
}

func (srv *Server) revokeSeal(r *http.Request, id string) (seal.Seal, error) {
	ctx := r.Context()
	v := viewerFrom(ctx)
	var s seal.Seal
	err := srv.store.Write(ctx, func(tx *store.Tx) error {
		var err error
		if s, err = tx.RevokeSeal(ctx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "seal.revoke", ObjectKind: "seal", ObjectID: s.ID,
			IP: clientIP(r), Detail: jsonDetail(map[string]string{"organ": s.Organ, "name": s.Name, "fingerprint": s.Fingerprint})})
	})
	return s, err
}

func (srv *Server) sealAdd(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSeals, access.Object{}) {
		return
	}
	fail := func(msg string) { srv.renderSeals(w, r, http.StatusUnprocessableEntity, "", msg) }
	if err := r.ParseMultipartForm(maxSealBody); err != nil {
		fail("上传失败：印章图像不能超过 1 MB")
		return
	}
	kind, ok := seal.ParseKind(r.PostFormValue("kind"))
	if !ok {
		fail("请选择印章类别")
		return
	}
	f, _, err := r.FormFile("image")
	if err != nil {
		fail("请上传印章图像（PNG，透明背景，红色）")
		return
	}
	image, err := io.ReadAll(io.LimitReader(f, seal.MaxImageBytes+1))
	f.Close()
	if err != nil {
		fail("印章图像读取失败，请重新上传")
		return
	}
	if _, err := srv.registerSeal(r, r.PostFormValue("unit"), r.PostFormValue("name"), kind, image); err != nil {
		if isInternal(err) {
			srv.serverError(w, r, err)
			return
		}
		fail(userMessage(err))
		return
	}
	http.Redirect(w, r, "/security/seals?notice=saved", http.StatusSeeOther)
}

func (srv *Server) sealRevoke(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSeals, access.Object{}) {
		return
	}
	_, err := srv.revokeSeal(r, r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		srv.notFound(w, r)
		return
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/security/seals?notice=revoked", http.StatusSeeOther)
}

func (srv *Server) sealImage(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSeals, access.Object{}) {
		return
	}
	s, err := srv.store.Seal(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		srv.notFound(w, r)
		return
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, _ = w.Write(s.Image)
}

func (srv *Server) apiSeals(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSeals, access.Object{}) {
		return
	}
	list, err := srv.sealList(r.Context())
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"seals": list})
}

type apiSealIn struct {
	UnitID string `json:"unit_id"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Image  string `json:"image_png_base64"`
}

func (srv *Server) apiSealAdd(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSeals, access.Object{}) {
		return
	}
	var in apiSealIn
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		writeJSONError(w, http.StatusBadRequest, "请求体不是有效的印章 JSON："+err.Error())
		return
	}
	kind, ok := seal.ParseKind(in.Kind)
	if !ok {
		writeJSONError(w, http.StatusUnprocessableEntity, "印章类别无效：应为 party、government、office、department 或 other")
		return
	}
	image, err := base64.StdEncoding.DecodeString(strings.TrimSpace(in.Image))
	if err != nil {
		writeJSONError(w, http.StatusUnprocessableEntity, "image_png_base64 不是有效的 Base64")
		return
	}
	s, err := srv.registerSeal(r, in.UnitID, in.Name, kind, image)
	if err != nil {
		if isInternal(err) {
			srv.serverError(w, r, err)
			return
		}
		status := http.StatusUnprocessableEntity
		if errors.Is(err, store.ErrConflict) {
			status = http.StatusConflict
		}
		writeJSONError(w, status, userMessage(err))
		return
	}
	list, err := srv.sealList(r.Context())
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	for _, o := range list {
		if o.ID == s.ID {
			writeJSON(w, http.StatusCreated, o)
			return
		}
	}
	srv.serverError(w, r, errors.New("registered seal not listed"))
}

func (srv *Server) apiSealRevoke(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageSeals, access.Object{}) {
		return
	}
	s, err := srv.revokeSeal(r, r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		writeJSONError(w, http.StatusNotFound, "印章不存在或已停用")
		return
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": s.ID, "revoked": s.Revoked})
}
