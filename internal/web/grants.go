package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// The security officer's explicit grants (知悉范围授权): a named person may
// open a named document although they are not on its route. The officer sees
// documents by number and classification only, never their content.

type grantRow struct {
	store.Grant
	Person  string
	Object  string // doc number, or ID when not numbered
	Level   string
	GrantBy string
}

func (srv *Server) grantsPage(w http.ResponseWriter, r *http.Request) {
	srv.renderGrants(w, r, http.StatusOK, "", "")
}

func (srv *Server) renderGrants(w http.ResponseWriter, r *http.Request, status int, notice, errMsg string) {
	if !srv.authorize(w, r, access.ManageGrants, access.Object{}) {
		return
	}
	ctx := r.Context()
	gs, err := srv.store.Grants(ctx, 200)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	var rows []grantRow
	name := func(id string) string {
		if p, err := srv.store.Person(ctx, id); err == nil {
			return p.Name
		}
		return id
	}
	for _, g := range gs {
		row := grantRow{Grant: g, Person: name(g.PersonID), Object: g.ObjectID, GrantBy: name(g.GrantedBy)}
		if rec, err := srv.store.Document(ctx, g.ObjectID); err == nil {
			row.Level = rec.Level().Label()
			n := rec.DocNumber
			if rec.Direction == store.Incoming {
				n = rec.InNumber
			}
			if n != "" {
				row.Object = n
			}
		}
		rows = append(rows, row)
	}
	form := r.PostForm
	if status == http.StatusOK {
		form = nil
	}
	srv.render(w, r, status, "grants", pageData{Title: "知悉范围授权", Nav: "grants", Data: rows, Notice: notice, Error: errMsg, Form: form})
}

func (srv *Server) grantAdd(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageGrants, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	ref := strings.TrimSpace(r.PostFormValue("document"))
	login := strings.ToLower(strings.TrimSpace(r.PostFormValue("login")))
	err := srv.store.Write(ctx, func(tx *store.Tx) error {
		rec, err := tx.DocumentByNumber(ctx, ref)
		if errors.Is(err, store.ErrNotFound) && uid.Valid(ref) {
			rec, err = tx.Document(ctx, ref)
		}
		if err != nil {
			return errors.New("找不到该文件：请填写发文字号、收文编号或文件标识")
		}
		p, err := tx.PersonByLogin(ctx, login)
		if err != nil {
			return errors.New("被授权人账户不存在")
		}
		if p.Clearance < rec.Level() {
			return fmt.Errorf("被授权人的涉密等级（%s）低于该文件的密级（%s），不能授权", p.Clearance.Label(), rec.Level().Label())
		}
		roles, err := tx.Roles(ctx, p.ID)
		if err != nil {
			return err
		}
		for _, ra := range roles {
			if ra.Role.Admin() {
				return errors.New("三员账户不能被授权知悉业务文件")
			}
		}
		g := store.Grant{ID: uid.New(), PersonID: p.ID, ObjectKind: "document", ObjectID: rec.ID, GrantedBy: v.Person.ID}
		if err := tx.AddGrant(ctx, g); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "grant.add", ObjectKind: "document", ObjectID: rec.ID,
			IP: clientIP(r), Detail: jsonDetail(map[string]string{"person": p.Name, "login": p.Login, "level": rec.Level().Label()})})
	})
	if err != nil {
		if isInternal(err) {
			srv.serverError(w, r, err)
			return
		}
		srv.renderGrants(w, r, http.StatusUnprocessableEntity, "", userMessage(err))
		return
	}
	http.Redirect(w, r, "/security/grants?notice=saved", http.StatusSeeOther)
}

func (srv *Server) grantRevoke(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageGrants, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	err := srv.store.Write(ctx, func(tx *store.Tx) error {
		g, err := tx.RevokeGrant(ctx, r.PathValue("id"))
		if err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "grant.revoke", ObjectKind: g.ObjectKind, ObjectID: g.ObjectID,
			IP: clientIP(r), Detail: jsonDetail(map[string]string{"person": g.PersonID})})
	})
	if errors.Is(err, store.ErrNotFound) {
		srv.notFound(w, r)
		return
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/security/grants?notice=deleted", http.StatusSeeOther)
}
