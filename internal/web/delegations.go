package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// 委托: a person away names a deputy, who then holds the person's tasks
// (for a leader, the 批办). The person makes it themselves, or — where the
// deployment allows it (account.Policy.DirectorDelegates) — the director of
// the office serving them; never an administrator (access.Delegate). The
// page (/people/{id}/delegations) and the API share what follows, and each
// change is audited with who made it for whom.

// datetimeLocal is the format of an <input type="datetime-local">, read as Beijing time.
const datetimeLocal = "2006-01-02T15:04"

// addDelegation stores a delegation from p to the person with login toLogin
// and returns the audit detail.
func addDelegation(tx *store.Tx, r *http.Request, p org.Person, toLogin string, start, end time.Time, reason string) (org.Delegation, string, error) {
	ctx := r.Context()
	to, err := tx.PersonByLogin(ctx, strings.ToLower(strings.TrimSpace(toLogin)))
	if err != nil {
		return org.Delegation{}, "", errors.New("受托人账户不存在")
	}
	roles, err := tx.Roles(ctx, to.ID)
	if err != nil {
		return org.Delegation{}, "", err
	}
	if !slices.ContainsFunc(roles, func(ra org.RoleAssignment) bool { return !ra.Role.Admin() }) {
		return org.Delegation{}, "", fmt.Errorf("%s 不是业务人员，不能受托", to.Name)
	}
	if n := len([]rune(reason)); n > 60 {
		return org.Delegation{}, "", fmt.Errorf("委托事由不能超过 60 字（现有 %d 字）", n)
	}
	d := org.Delegation{ID: uid.New(), FromID: p.ID, ToID: to.ID, Start: start, End: end, Reason: strings.TrimSpace(reason)}
	if err := tx.AddDelegation(ctx, d); err != nil {
		return d, "", err
	}
	return d, jsonDetail(map[string]any{"delegation": d.ID, "from": p.Name, "to": to.Name, "start": start, "end": end, "reason": d.Reason}), nil
}

// endDelegation ends one of p's delegations now.
func endDelegation(tx *store.Tx, r *http.Request, p org.Person, id string) (string, error) {
	if err := tx.EndDelegation(r.Context(), id, p.ID, tx.Now()); err != nil {
		return "", errors.New("该委托不存在或已结束")
	}
	return jsonDetail(map[string]string{"delegation": id, "from": p.Name}), nil
}

// authorizeDelegate asks access.Decide whether the viewer may set the
// delegations of person id.
func (srv *Server) authorizeDelegate(w http.ResponseWriter, r *http.Request, id string) bool {
	obj, err := srv.personObject(r.Context(), id)
	if err != nil {
		srv.serverError(w, r, err)
		return false
	}
	return srv.authorize(w, r, access.Delegate, obj)
}

func (srv *Server) personDelegation(w http.ResponseWriter, r *http.Request) {
	if !srv.authorizeDelegate(w, r, r.PathValue("id")) {
		return
	}
	srv.personWrite(w, r, "delegation."+r.PostFormValue("op"), func(tx *store.Tx, p org.Person) (string, error) {
		switch r.PostFormValue("op") {
		case "add":
			start, err1 := time.ParseInLocation(datetimeLocal, r.PostFormValue("start"), chinaTime)
			end, err2 := time.ParseInLocation(datetimeLocal, r.PostFormValue("end"), chinaTime)
			if err1 != nil || err2 != nil {
				return "", errors.New("请填写委托的开始和结束时间")
			}
			_, detail, err := addDelegation(tx, r, p, r.PostFormValue("to_login"), start, end, r.PostFormValue("reason"))
			return detail, err
		case "end":
			return endDelegation(tx, r, p, r.PostFormValue("delegation_id"))
		}
		return "", errors.New("未知操作")
	})
}

// apiDelegation is a delegation as the API shows it.
type apiDelegation struct {
	org.Delegation
	FromName string `json:"from_name"`
	ToName   string `json:"to_name"`
	Active   bool   `json:"active"`
}

// apiDelegations lists the delegations to or from a person that have not ended.
func (srv *Server) apiDelegations(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewDirectory, access.Object{}) {
		return
	}
	ctx := r.Context()
	id := r.PathValue("id")
	if _, err := srv.store.Person(ctx, id); errors.Is(err, store.ErrNotFound) {
		writeJSONError(w, http.StatusNotFound, "人员不存在")
		return
	} else if err != nil {
		srv.serverError(w, r, err)
		return
	}
	ds, err := srv.store.Delegations(ctx, id)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	now := srv.store.Now()
	out := []apiDelegation{}
	for _, d := range ds {
		if !d.End.After(now) {
			continue
		}
		a := apiDelegation{Delegation: d, Active: d.ActiveAt(now)}
		if p, err := srv.store.Person(ctx, d.FromID); err == nil {
			a.FromName = p.Name
		}
		if p, err := srv.store.Person(ctx, d.ToID); err == nil {
			a.ToName = p.Name
		}
		out = append(out, a)
	}
	writeJSON(w, http.StatusOK, map[string]any{"delegations": out})
}

// apiDelegationRequest sets or ends a delegation.
type apiDelegationRequest struct {
	Op     string    `json:"op"` // add or end
	To     string    `json:"to"` // the deputy's login (add)
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	Reason string    `json:"reason"`
	ID     string    `json:"id"` // the delegation to end (end)
}

func (srv *Server) apiDelegationSet(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !srv.authorizeDelegate(w, r, id) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	var req apiDelegationRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<14))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeJSONError(w, http.StatusBadRequest, "请求体不是有效的委托 JSON: "+err.Error())
		return
	}
	var made org.Delegation
	status := http.StatusOK
	err := srv.store.Write(ctx, func(tx *store.Tx) error {
		p, err := tx.Person(ctx, id)
		if err != nil {
			return err
		}
		var detail string
		switch req.Op {
		case "add":
			if req.Start.IsZero() || req.End.IsZero() {
				return errors.New("请填写委托的开始和结束时间")
			}
			made, detail, err = addDelegation(tx, r, p, req.To, req.Start, req.End, req.Reason)
			status = http.StatusCreated
		case "end":
			detail, err = endDelegation(tx, r, p, req.ID)
		default:
			err = errors.New("op 应为 add 或 end")
		}
		if err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "delegation." + req.Op, ObjectKind: "person", ObjectID: id, IP: clientIP(r), Detail: detail})
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeJSONError(w, http.StatusNotFound, "人员不存在")
	case err != nil && isInternal(err):
		srv.serverError(w, r, err)
	case err != nil:
		writeJSONError(w, http.StatusUnprocessableEntity, userMessage(err))
	case req.Op == "add":
		writeJSON(w, status, made)
	default:
		writeJSON(w, status, map[string]string{"ended": req.ID})
	}
}
