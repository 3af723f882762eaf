package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/account"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

type personData struct {
	Person      org.Person
	Positions   []positionView
	Roles       []roleView
	Oversees    []string // unit IDs
	State       account.State
	Units       []unitRow
	AllRoles    []org.Role
	Levels      []org.Classification
	ShowSecret  bool // clearance: the security officer and the person
	ShowAccount bool // account state: the system administrator
	CanAccount  bool // the administrator may reset and lock this account (not one of the three administrators')
	StoppedTill time.Time
	CanDelegate bool
	Delegations []delegationView
	TempPass    string
}

type roleView struct {
	org.RoleAssignment
	Unit string
}

func (srv *Server) personNew(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageAccounts, access.Object{}) {
		return
	}
	rows, _, err := srv.unitRows(r.Context())
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	srv.render(w, r, http.StatusOK, "person_new", pageData{Title: "新建人员", Nav: "org", Data: personData{Units: rows},
		Form: url.Values{"unit_id": {r.URL.Query().Get("unit")}}})
}

func (srv *Server) personCreate(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageAccounts, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	f := r.PostForm
	p := org.Person{ID: uid.New(), Name: strings.TrimSpace(f.Get("name")), Login: strings.ToLower(strings.TrimSpace(f.Get("login"))),
		Phone: strings.TrimSpace(f.Get("phone"))}
	pass, err := account.TempPassword()
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	hash, err := srv.hasher.Hash(ctx, pass)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	err = srv.store.Write(ctx, func(tx *store.Tx) error {
		if f.Get("unit_id") == "" || strings.TrimSpace(f.Get("title")) == "" {
			return errors.New("请选择所在单位并填写职务")
		}
		if _, err := tx.Unit(ctx, f.Get("unit_id")); err != nil {
			return errors.New("所选单位不存在")
		}
		if err := tx.CreatePerson(ctx, p, hash, true); err != nil {
			return err
		}
		if err := tx.SetPositions(ctx, p.ID, []org.Position{{ID: uid.New(), PersonID: p.ID, UnitID: f.Get("unit_id"), Title: strings.TrimSpace(f.Get("title")), Primary: true}}); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "person.create", ObjectKind: "person", ObjectID: p.ID,
			IP: clientIP(r), Detail: fmt.Sprintf(`{"after":%s}`, jsonDetail(p))})
	})
	if err != nil {
		if isInternal(err) {
			srv.serverError(w, r, err)
			return
		}
		rows, _, _ := srv.unitRows(ctx)
		srv.render(w, r, http.StatusUnprocessableEntity, "person_new", pageData{Title: "新建人员", Nav: "org", Error: userMessage(err), Form: f, Data: personData{Units: rows}})
		return
	}
	srv.showPerson(w, r, p.ID, "人员已创建。初始密码只显示这一次，请当面交给本人，首次登录须修改。", pass)
}

func (srv *Server) personPage(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewDirectory, access.Object{}) {
		return
	}
	srv.showPerson(w, r, r.PathValue("id"), "", "")
}

func (srv *Server) showPerson(w http.ResponseWriter, r *http.Request, id, notice, tempPass string) {
	srv.renderPerson(w, r, http.StatusOK, id, notice, "", tempPass)
}

func (srv *Server) renderPerson(w http.ResponseWriter, r *http.Request, status int, id, notice, errMsg, tempPass string) {
	ctx := r.Context()
	v := viewerFrom(ctx)
	p, err := srv.store.Person(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		srv.notFound(w, r)
		return
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	rows, byID, err := srv.unitRows(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := personData{Person: p, Units: rows, AllRoles: org.AllRoles(), Levels: org.AllClassifications(), TempPass: tempPass,
		ShowSecret:  v.Can(access.GrantClearance) || v.Person.ID == p.ID,
		ShowAccount: v.Can(access.ManageAccounts)}
	pos, err := srv.store.Positions(ctx, id)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	for _, ps := range pos {
		d.Positions = append(d.Positions, positionView{Position: ps, Unit: byID[ps.UnitID]})
	}
	roles, err := srv.store.Roles(ctx, id)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	for _, ra := range roles {
		d.Roles = append(d.Roles, roleView{RoleAssignment: ra, Unit: byID[ra.UnitID].ShortName})
	}
	ov, err := srv.store.Oversight(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	for _, o := range ov {
		if o.LeaderID == id {
			d.Oversees = append(d.Oversees, o.UnitID)
		}
	}
	obj, err := srv.personObject(ctx, id)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d.CanDelegate = access.Decide(v.Subject, access.Delegate, obj).Allow
	d.CanAccount = access.Decide(v.Subject, access.ManageAccounts, obj).Allow
	ds, err := srv.store.Delegations(ctx, id)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	now := srv.store.Now()
	for _, dl := range ds {
		if dl.End.Before(now) {
			continue
		}
		dv := delegationView{Delegation: dl, ToMe: dl.ToID == id}
		other := dl.ToID
		if dv.ToMe {
			other = dl.FromID
		}
		if op, err := srv.store.Person(ctx, other); err == nil {
			dv.Other = op.Name
		}
		d.Delegations = append(d.Delegations, dv)
	}
	if d.ShowAccount {
		cr, err := srv.store.CredentialsByID(ctx, id)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		d.State = cr.State
		if d.StoppedTill, err = srv.store.LoginStoppedUntil(ctx, cr.Login, now); err != nil {
			srv.serverError(w, r, err)
			return
		}
	}
	srv.render(w, r, status, "person", pageData{Title: p.Name, Nav: "org", Data: d, Notice: notice, Error: errMsg})
}

// personWrite runs one change to a person with its audit entry and shows the
// page again, with the rule's message if it was refused.
func (srv *Server) personWrite(w http.ResponseWriter, r *http.Request, action string, fn func(tx *store.Tx, p org.Person) (detail string, err error)) {
	ctx := r.Context()
	v := viewerFrom(ctx)
	id := r.PathValue("id")
	notice := "已保存。"
	err := srv.store.Write(ctx, func(tx *store.Tx) error {
		p, err := tx.Person(ctx, id)
		if err != nil {
			return err
		}
		detail, err := fn(tx, p)
		if err != nil {
			return err
		}
		if strings.HasPrefix(detail, "notice:") {
			notice, detail = strings.TrimPrefix(detail, "notice:"), ""
		}
		return tx.Audit(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: action, ObjectKind: "person", ObjectID: id, IP: clientIP(r), Detail: detail})
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		srv.notFound(w, r)
	case err != nil && isInternal(err):
		srv.serverError(w, r, err)
	case err != nil:
		srv.renderPerson(w, r, http.StatusUnprocessableEntity, id, "", userMessage(err), "")
	default:
		srv.renderPerson(w, r, http.StatusOK, id, notice, "", "")
	}
}

func (srv *Server) personUpdate(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManagePeople, access.Object{}) {
		return
	}
	srv.personWrite(w, r, "person.update", func(tx *store.Tx, p org.Person) (string, error) {
		before := jsonDetail(p)
		p.Name = strings.TrimSpace(r.PostFormValue("name"))
		p.Phone = strings.TrimSpace(r.PostFormValue("phone"))
		if err := tx.UpdatePerson(r.Context(), p); err != nil {
			return "", err
		}
		return fmt.Sprintf(`{"before":%s,"after":%s}`, before, jsonDetail(p)), nil
	})
}

func (srv *Server) personPositions(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManagePeople, access.Object{}) {
		return
	}
	srv.personWrite(w, r, "person.positions", func(tx *store.Tx, p org.Person) (string, error) {
		ctx := r.Context()
		ps, err := tx.Positions(ctx, p.ID)
		if err != nil {
			return "", err
		}
		before := jsonDetail(ps)
		target := r.PostFormValue("position_id")
		switch r.PostFormValue("op") {
		case "add":
			unitID, title := r.PostFormValue("unit_id"), strings.TrimSpace(r.PostFormValue("title"))
			if _, err := tx.Unit(ctx, unitID); err != nil {
				return "", errors.New("请选择单位")
			}
			ps = append(ps, org.Position{ID: uid.New(), PersonID: p.ID, UnitID: unitID, Title: title, Primary: len(ps) == 0, Sort: len(ps)})
		case "remove":
			ps = slices.DeleteFunc(ps, func(x org.Position) bool { return x.ID == target })
			if len(ps) > 0 && !slices.ContainsFunc(ps, func(x org.Position) bool { return x.Primary }) {
				ps[0].Primary = true
			}
		case "primary":
			for i := range ps {
				ps[i].Primary = ps[i].ID == target
			}
		default:
			return "", errors.New("未知操作")
		}
		if err := tx.SetPositions(ctx, p.ID, ps); err != nil {
			return "", err
		}
		return fmt.Sprintf(`{"before":%s,"after":%s}`, before, jsonDetail(ps)), nil
	})
}

func (srv *Server) personRoles(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.AssignRoles, access.Object{}) {
		return
	}
	srv.personWrite(w, r, "person.roles", func(tx *store.Tx, p org.Person) (string, error) {
		ctx := r.Context()
		roles, err := tx.Roles(ctx, p.ID)
		if err != nil {
			return "", err
		}
		before := jsonDetail(roles)
		role, err := org.ParseRole(r.PostFormValue("role"))
		if err != nil {
			return "", err
		}
		// The three administrators are appointed from the command line by the
		// operator; no administrator grants an administrator's role.
		if role.Admin() {
			return "", errors.New("三员角色只能由运维人员通过命令行（shuniu user add --role）设置")
		}
		ra := org.RoleAssignment{PersonID: p.ID, Role: role, UnitID: r.PostFormValue("unit_id")}
		switch r.PostFormValue("op") {
		case "add":
			if _, err := tx.Unit(ctx, ra.UnitID); err != nil {
				return "", errors.New("业务角色必须指定所在单位")
			}
			roles = append(roles, ra)
		case "remove":
			roles = slices.DeleteFunc(roles, func(x org.RoleAssignment) bool { return x == ra })
		default:
			return "", errors.New("未知操作")
		}
		if err := tx.SetRoles(ctx, p.ID, roles); err != nil {
			return "", err
		}
		return fmt.Sprintf(`{"before":%s,"after":%s}`, before, jsonDetail(roles)), nil
	})
}

func (srv *Server) personClearance(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.GrantClearance, access.Object{}) {
		return
	}
	srv.personWrite(w, r, "person.clearance", func(tx *store.Tx, p org.Person) (string, error) {
		level, err := org.ParseClassification(r.PostFormValue("level"))
		if err != nil {
			return "", err
		}
		if err := tx.SetClearance(r.Context(), p.ID, level); err != nil {
			return "", err
		}
		return fmt.Sprintf(`{"before":%q,"after":%q}`, p.Clearance.Label(), level.Label()), nil
	})
}

// personObject is a person as the object of an account or delegation
// decision: whether they are one of the three administrators, and the
// office that serves them, with the deployment's delegation setting.
func (srv *Server) personObject(ctx context.Context, id string) (access.Object, error) {
	o := access.Object{Kind: "person", ID: id}
	roles, err := srv.store.Roles(ctx, id)
	if err != nil {
		return o, err
	}
	for _, ra := range roles {
		o.Admin = o.Admin || ra.Role.Admin()
	}
	if o.UnitID, err = srv.store.ServingOffice(ctx, id); err != nil {
		return o, err
	}
	pol, err := srv.store.Policy(ctx)
	if err != nil {
		return o, err
	}
	o.DirectorDelegates = pol.DirectorDelegates
	// Who acts for the person now keeps their schedule (access.KeepSchedule).
	ds, err := srv.store.Delegations(ctx, id)
	if err != nil {
		return o, err
	}
	now := srv.store.Now()
	for _, d := range ds {
		if d.FromID == id && d.ActiveAt(now) {
			o.Delegates = append(o.Delegates, d.ToID)
		}
	}
	return o, nil
}

func (srv *Server) personAccount(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	obj, err := srv.personObject(ctx, r.PathValue("id"))
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if !srv.authorize(w, r, access.ManageAccounts, obj) {
		return
	}
	op := r.PostFormValue("op")
	var hash string
	var temp string
	if op == "reset" {
		if temp, err = account.TempPassword(); err != nil {
			srv.serverError(w, r, err)
			return
		}
		if hash, err = srv.hasher.Hash(ctx, temp); err != nil {
			srv.serverError(w, r, err)
			return
		}
	}
	srv.personWrite(w, r, "account."+op, func(tx *store.Tx, p org.Person) (string, error) {
		if p.ID == viewerFrom(ctx).Person.ID && op == "lock" {
			return "", errors.New("不能停用自己的账户")
		}
		switch op {
		case "lock":
			return "", tx.SetDisabled(ctx, p.ID, true)
		case "unlock":
			return "", tx.SetDisabled(ctx, p.ID, false)
		case "reset":
			// Also ends the person's sessions and revokes their API tokens.
			if err := tx.ResetPassword(ctx, p.ID, hash); err != nil {
				return "", err
			}
			return "notice:密码已重置为 " + temp + " ——只显示这一次，请当面交给本人，首次登录须修改。本人的接口令牌已全部撤销。", nil
		}
		return "", errors.New("未知操作")
	})
}

func (srv *Server) personOversight(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManagePeople, access.Object{}) {
		return
	}
	// Parsed here: with the CSRF token in a header nothing else has, and
	// an unparsed form would clear the person's 分管.
	if err := r.ParseForm(); err != nil {
		writeJSONError(w, http.StatusBadRequest, "表单无效")
		return
	}
	srv.personWrite(w, r, "person.oversight", func(tx *store.Tx, p org.Person) (string, error) {
		ctx := r.Context()
		units := r.PostForm["unit_id"]
		for _, u := range units {
			if _, err := tx.Unit(ctx, u); err != nil {
				return "", errors.New("所选单位不存在")
			}
		}
		if err := tx.SetOversight(ctx, p.ID, units); err != nil {
			return "", err
		}
		return fmt.Sprintf(`{"after":%s}`, jsonDetail(units)), nil
	})
}
