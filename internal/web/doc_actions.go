package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// requestFromForm builds a route request from the action forms of the
// document page. The step's own fields (印发日期, 份数) are taken only at
// the step that records them.
func requestFromForm(f url.Values, in route.Instance) (route.Request, error) {
	task, err := strconv.Atoi(f.Get("task"))
	if err != nil {
		return route.Request{}, errors.New("请选择要办理的事项")
	}
	req := route.Request{Op: route.Op(f.Get("op")), Task: task, Comment: strings.TrimSpace(f.Get("comment")),
		ToStep: f.Get("to_step"), OnBehalfOf: f.Get("on_behalf_of")}
	if req.Op == "" {
		req.Op = route.Approve
	}
	days := func(key string) calendar.Limit {
		if n, err := strconv.Atoi(strings.TrimSpace(f.Get(key))); err == nil && n > 0 && n <= 366 {
			return calendar.Days(n)
		}
		return calendar.Limit{}
	}
	switch req.Op {
	case route.Approve, route.Disagree:
		lead := f.Get("lead")
		var chosen []string
		if lead != "" {
			chosen = append(chosen, lead)
		}
		for _, s := range f["next"] {
			if s != lead {
				chosen = append(chosen, s)
			}
		}
		for _, s := range chosen {
			a, ok := parseAssignee(s)
			if !ok {
				return req, errors.New("所选办理人无效")
			}
			nt := route.NextTask{Assignee: a, Lead: s == lead, Limit: days("limit")}
			if nt.Lead {
				nt.Limit = days("lead_limit")
			}
			req.Next = append(req.Next, nt)
		}
		if t, ok := in.Task(task); ok && t.Step < len(in.Template.Steps) {
			for _, fd := range in.Template.Steps[t.Step].Fields {
				if v := strings.TrimSpace(f.Get(fd.Key)); v != "" {
					if req.Fields == nil {
						req.Fields = map[string]string{}
					}
					req.Fields[fd.Key] = v
				}
			}
		}
	case route.Forward:
		a, ok := parseAssignee(f.Get("to"))
		if !ok {
			return req, errors.New("转办须选择一名接收人")
		}
		req.Next = []route.NextTask{{Assignee: a}}
	case route.AddReviewer:
		for _, s := range f["add"] {
			a, ok := parseAssignee(s)
			if !ok {
				return req, errors.New("所选加签人员无效")
			}
			req.Next = append(req.Next, route.NextTask{Assignee: a})
		}
	}
	return req, nil
}

// actError sorts an error from Act into what the user is told: refusals and
// rule violations (Chinese) are shown with the input kept; anything else is a
// server error.
func actError(err error) (msg string, status int, internal bool) {
	var ref *route.Refusal
	switch {
	case errors.Is(err, textlimit.ErrTooLong):
		// A field over its limit: the request itself is wrong.
		return userMessage(err), http.StatusBadRequest, false
	case errors.Is(err, store.ErrArchived):
		// The document is filed: the request is sound, its state forbids it.
		return err.Error(), http.StatusConflict, false
	case errors.As(err, &ref):
		return ref.Msg, http.StatusUnprocessableEntity, false
	case errors.Is(err, store.ErrModified):
		return store.ErrModified.Error(), http.StatusConflict, false
	case errors.Is(err, store.ErrStale):
		return store.ErrStale.Error(), http.StatusConflict, false
	case !isInternal(err):
		return userMessage(err), http.StatusUnprocessableEntity, false
	}
	return "", http.StatusInternalServerError, true
}

func (srv *Server) docAct(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "act")
	if !ok {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	req, err := requestFromForm(r.PostForm, od.in)
	if err == nil {
		_, err = srv.act(ctx, v.Person, od, req, r.PostForm.Get("otp"))
	}
	if err != nil {
		msg, status, internal := actError(err)
		if internal {
			srv.serverError(w, r, err)
			return
		}
		// Show the page as it now stands, with the input given back.
		if od2, ok := srv.reload(ctx, od); ok {
			od = od2
		}
		srv.renderDocPage(w, r, status, od, msg, "", r.PostForm)
		return
	}
	http.Redirect(w, r, "/docs/"+od.rec.ID+"?done="+url.QueryEscape(string(req.Op)), http.StatusSeeOther)
}

// reload re-reads a document and its route after a failed action.
func (srv *Server) reload(ctx context.Context, od openedDoc) (openedDoc, bool) {
	rec, err := srv.store.Document(ctx, od.rec.ID)
	if err != nil {
		return od, false
	}
	in, err := srv.store.Instance(ctx, od.rec.ID)
	if err != nil {
		return od, false
	}
	od.rec, od.in = rec, in
	return od, true
}

// docBulkSignFor signs for several incoming items at once: each is its own
// transaction, and the result of each is reported.
func (srv *Server) docBulkSignFor(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	// The form is read here: with the CSRF token in a header nothing
	// else has parsed it, and every item would be missed unaudited.
	if err := r.ParseForm(); err != nil {
		srv.renderDocList(w, r, http.StatusBadRequest, nil, "")
		return
	}
	results := srv.signForAll(r, r.PostForm["item"])
	if len(results) == 0 {
		srv.renderDocList(w, r, http.StatusUnprocessableEntity, nil, "")
		return
	}
	n := 0
	for _, res := range results {
		if res.OK {
			n++
		}
	}
	srv.renderDocList(w, r, http.StatusOK, results, "已签收 "+strconv.Itoa(n)+" 件，共 "+strconv.Itoa(len(results))+" 件。")
}

// notYours answers an item the viewer may not act on, whether the document
// exists or not, so that the answer tells nothing of it.
const notYours = "文件不存在或您无权办理"

// signForAll signs for (签收) each item — "document:task" — and nothing
// else: the task must be on the 签收 step (route.Request.Step), so the bulk
// form cannot register, instruct or close anything. A document the viewer may
// not read is answered without its title (refusal audited).
func (srv *Server) signForAll(r *http.Request, items []string) []bulkResult {
	ctx := r.Context()
	v := viewerFrom(ctx)
	var out []bulkResult
	for i, item := range items {
		res := bulkResult{Title: "第 " + strconv.Itoa(i+1) + " 项"}
		docID, taskStr, _ := strings.Cut(item, ":")
		task, err := strconv.Atoi(taskStr)
		if err != nil {
			res.Msg = "无效的事项"
			out = append(out, res)
			continue
		}
		rec, err := srv.store.Document(ctx, docID)
		if err == nil {
			var ok bool
			if ok, err = srv.mayReadDoc(ctx, r, rec, "signfor"); err == nil && !ok {
				err = store.ErrNotFound
			}
		}
		if errors.Is(err, store.ErrNotFound) {
			res.Msg = notYours
			out = append(out, res)
			continue
		}
		if err == nil {
			res.Title = rec.Doc.Title
			_, err = srv.store.Act(ctx, v.Person, docID, route.Request{Op: route.Approve, Task: task, Comment: "签收", Step: "sign_for"})
		}
		if err != nil {
			msg, _, internal := actError(err)
			if internal {
				srv.log.Error("bulk sign for", "doc", docID, "err", err)
				msg = "服务器内部错误"
			}
			res.Msg = msg
		} else {
			res.OK, res.Msg = true, "已签收"
		}
		out = append(out, res)
	}
	return out
}
