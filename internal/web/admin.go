package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/account"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

func policyValues(p account.Policy) url.Values {
	return url.Values{
		"min_length":         {strconv.Itoa(p.MinLength)},
		"min_classes":        {strconv.Itoa(p.MinClasses)},
		"max_failures":       {strconv.Itoa(p.MaxFailures)},
		"lock_minutes":       {strconv.Itoa(int(p.LockFor.Minutes()))},
		"idle_minutes":       {strconv.Itoa(int(p.IdleTimeout.Minutes()))},
		"max_hours":          {strconv.Itoa(int(p.MaxSessionAge.Hours()))},
		"director_delegates": {map[bool]string{true: "1"}[p.DirectorDelegates]},
	}
}

func (srv *Server) policyPage(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManagePolicy, access.Object{}) {
		return
	}
	p, err := srv.store.Policy(r.Context())
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	srv.render(w, r, http.StatusOK, "policy", pageData{Title: "安全策略", Nav: "policy", Form: policyValues(p)})
}

func (srv *Server) policySave(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManagePolicy, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	f := r.PostForm
	num := func(k string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(f.Get(k)))
		if err != nil {
			return 0, fmt.Errorf("请填写整数：%s", map[string]string{"min_length": "密码最小长度", "min_classes": "字符类别数",
				"max_failures": "失败次数", "lock_minutes": "锁定时长", "idle_minutes": "空闲超时", "max_hours": "会话最长时间"}[k])
		}
		return n, nil
	}
	err := srv.store.Write(ctx, func(tx *store.Tx) error {
		old, err := tx.Policy(ctx)
		if err != nil {
			return err
		}
		p := old
		var errs []error
		var n int
		if n, err = num("min_length"); err == nil {
			p.MinLength = n
		}
		errs = append(errs, err)
		if n, err = num("min_classes"); err == nil {
			p.MinClasses = n
		}
		errs = append(errs, err)
		if n, err = num("max_failures"); err == nil {
			p.MaxFailures = n
		}
		errs = append(errs, err)
		if n, err = num("lock_minutes"); err == nil {
			p.LockFor = time.Duration(n) * time.Minute
		}
		errs = append(errs, err)
		if n, err = num("idle_minutes"); err == nil {
			p.IdleTimeout = time.Duration(n) * time.Minute
		}
		errs = append(errs, err)
		if n, err = num("max_hours"); err == nil {
			p.MaxSessionAge = time.Duration(n) * time.Hour
		}
		errs = append(errs, err)
		if err := errors.Join(errs...); err != nil {
			return err
		}
		p.DirectorDelegates = f.Get("director_delegates") == "1"
		if err := p.Validate(); err != nil {
			return err
		}
		if err := tx.PutSetting(ctx, "account_policy", p); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "policy.update", ObjectKind: "settings", ObjectID: "account_policy",
			IP: clientIP(r), Detail: fmt.Sprintf(`{"before":%s,"after":%s}`, jsonDetail(old), jsonDetail(p))})
	})
	if err != nil {
		if isInternal(err) {
			srv.serverError(w, r, err)
			return
		}
		srv.render(w, r, http.StatusUnprocessableEntity, "policy", pageData{Title: "安全策略", Nav: "policy", Error: userMessage(err), Form: f})
		return
	}
	http.Redirect(w, r, "/security/policy?notice=saved", http.StatusSeeOther)
}

type auditData struct {
	Entries []audit.Entry
	Next    int64 // seq to page back from; 0 when there is no older page
	Verify  string
	OK      bool
}

func (srv *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ReadAudit, access.Object{}) {
		return
	}
	q := r.URL.Query()
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	f := store.AuditFilter{Query: strings.TrimSpace(q.Get("q")), Action: strings.TrimSpace(q.Get("action")),
		Outcome: audit.Outcome(q.Get("outcome")), BeforeSeq: before, Limit: 50}
	es, err := srv.store.ListAudit(r.Context(), f)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := auditData{Entries: es}
	if len(es) == f.Limit {
		d.Next = es[len(es)-1].Seq
	}
	srv.render(w, r, http.StatusOK, "audit", pageData{Title: "审计日志", Nav: "audit", Data: d, Form: q})
}

func (srv *Server) auditVerify(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.VerifyAudit, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	res, err := srv.store.VerifyAuditFull(ctx)
	n := res.Entries
	var be *audit.BrokenError
	d := auditData{}
	outcome := audit.OK
	switch {
	case errors.As(err, &be):
		d.Verify, outcome = be.Error(), audit.Failed
	case err != nil:
		srv.serverError(w, r, err)
		return
	case res.Checkpoints == 0:
		d.OK, d.Verify = true, fmt.Sprintf("审计链完整：共校验 %d 条，未发现篡改。未找到检查点，删除链尾无从发现。", n)
	default:
		l := res.LastCheckpoint
		d.OK, d.Verify = true, fmt.Sprintf("审计链完整：共校验 %d 条，未发现篡改；与 %d 个检查点一致，最新的记下第 %d 条（%s）。",
			n, res.Checkpoints, l.Seq, l.At.Local().Format("2006-01-02 15:04:05"))
	}
	if err := srv.store.AuditAlone(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "audit.verify", Outcome: outcome, IP: clientIP(r), Detail: jsonDetail(map[string]any{"checked": n, "result": d.Verify})}); err != nil {
		srv.serverError(w, r, err)
		return
	}
	es, err := srv.store.ListAudit(ctx, store.AuditFilter{Limit: 50})
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d.Entries = es
	srv.render(w, r, http.StatusOK, "audit", pageData{Title: "审计日志", Nav: "audit", Data: d})
}

type tokensData struct {
	Tokens      []store.APIToken
	Secret      string
	Expires     time.Time // of the token just made
	DefaultDays int
	MaxDays     int
}

func (srv *Server) tokensPage(w http.ResponseWriter, r *http.Request) {
	srv.renderTokens(w, r, http.StatusOK, "", "")
}

func (srv *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, secret, errMsg string) {
	if !srv.authorize(w, r, access.IssueAPIToken, access.Object{}) {
		return
	}
	ts, err := srv.store.APITokens(r.Context(), viewerFrom(r.Context()).Person.ID)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := tokensData{Tokens: ts, Secret: secret, DefaultDays: int(account.DefaultTokenLife / (24 * time.Hour)), MaxDays: int(account.MaxTokenLife / (24 * time.Hour))}
	if secret != "" && len(ts) > 0 {
		d.Expires = ts[0].Expires
	}
	form := r.PostForm
	if form == nil || form.Get("days") == "" || errMsg == "" {
		form = url.Values{"days": {strconv.Itoa(d.DefaultDays)}}
	}
	srv.render(w, r, status, "tokens", pageData{Title: "接口令牌", Data: d, Error: errMsg, Form: form})
}

func (srv *Server) tokenCreate(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.IssueAPIToken, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" || len([]rune(name)) > 40 {
		srv.renderTokens(w, r, http.StatusUnprocessableEntity, "", "请填写令牌用途（不超过 40 字）")
		return
	}
	days := int(account.DefaultTokenLife / (24 * time.Hour))
	if s := strings.TrimSpace(r.PostFormValue("days")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || time.Duration(n)*24*time.Hour > account.MaxTokenLife {
			srv.renderTokens(w, r, http.StatusUnprocessableEntity, "", fmt.Sprintf("有效期应为 1 到 %d 天", int(account.MaxTokenLife/(24*time.Hour))))
			return
		}
		days = n
	}
	secret, hash, err := account.NewToken()
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	now := srv.store.Now()
	t := store.APIToken{ID: uid.New(), PersonID: v.Person.ID, Name: name, TokenHash: hash, Created: now, Expires: now.Add(time.Duration(days) * 24 * time.Hour)}
	err = srv.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateAPIToken(ctx, t); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "token.create", ObjectKind: "api_token", ObjectID: t.ID, IP: clientIP(r), Detail: jsonDetail(map[string]any{"name": name, "expires": t.Expires})})
	})
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	srv.renderTokens(w, r, http.StatusOK, secret, "")
}

func (srv *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.IssueAPIToken, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	id := r.PathValue("id")
	err := srv.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.RevokeAPIToken(ctx, v.Person.ID, id); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "token.revoke", ObjectKind: "api_token", ObjectID: id, IP: clientIP(r)})
	})
	if errors.Is(err, store.ErrNotFound) {
		srv.notFound(w, r)
		return
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/tokens?notice=saved", http.StatusSeeOther)
}
