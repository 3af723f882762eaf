package web

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/account"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
)

const (
	sessionCookie = "shuniu_session"
	preCSRFCookie = "shuniu_pre" // double-submit token for the login form, before there is a session
)

// Viewer is the signed-in person making a request.
type Viewer struct {
	Person     org.Person
	Roles      []org.RoleAssignment
	Positions  []org.Position
	Subject    access.Subject
	CSRF       string
	MustChange bool
	ViaToken   bool // signed in with an API token, not a browser session
	tokenHash  string
}

// Has reports whether the viewer holds role r anywhere.
func (v *Viewer) Has(r org.Role) bool {
	for _, a := range v.Roles {
		if a.Role == r {
			return true
		}
	}
	return false
}

// Can asks the authorization function about an action with no particular object.
func (v *Viewer) Can(a access.Action) bool {
	return access.Decide(v.Subject, a, access.Object{}).Allow
}

// RoleLabels lists the viewer's roles in Chinese, once each.
func (v *Viewer) RoleLabels() []string {
	seen := map[org.Role]bool{}
	var out []string
	for _, a := range v.Roles {
		if !seen[a.Role] {
			seen[a.Role] = true
			out = append(out, a.Role.Label())
		}
	}
	return out
}

func viewerFrom(ctx context.Context) *Viewer {
	v, _ := ctx.Value(keyViewer).(*Viewer)
	return v
}

func (srv *Server) loadViewer(ctx context.Context, personID string) (*Viewer, error) {
	p, err := srv.store.Person(ctx, personID)
	if err != nil {
		return nil, err
	}
	roles, err := srv.store.Roles(ctx, personID)
	if err != nil {
		return nil, err
	}
	pos, err := srv.store.Positions(ctx, personID)
	if err != nil {
		return nil, err
	}
	return &Viewer{Person: p, Roles: roles, Positions: pos,
		Subject: access.Subject{PersonID: p.ID, Roles: roles, Clearance: p.Clearance}}, nil
}

// withSession attaches the viewer of a valid session or API token. It never
// refuses a request itself; requireLogin does.
func (srv *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/healthz" || r.URL.Path == "/metrics" {
			next.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
			if v := srv.viewerFromToken(ctx, strings.TrimPrefix(auth, "Bearer ")); v != nil {
				next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, keyViewer, v)))
				return
			}
			writeJSONError(w, http.StatusUnauthorized, "接口令牌无效或已撤销")
			return
		}
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		th := account.HashToken(c.Value)
		sess, err := srv.store.Session(ctx, th)
		if err != nil {
			srv.clearSessionCookie(w, r)
			next.ServeHTTP(w, r)
			return
		}
		pol, err := srv.store.Policy(ctx)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		now := srv.store.Now()
		if pol.SessionExpired(sess.Created, sess.LastSeen, now) {
			_ = srv.store.Write(ctx, func(tx *store.Tx) error {
				if err := tx.DeleteSession(ctx, th); err != nil {
					return err
				}
				return tx.Audit(ctx, audit.Event{ActorID: sess.PersonID, Action: "session.expire", ObjectKind: "session", IP: clientIP(r)})
			})
			srv.clearSessionCookie(w, r)
			next.ServeHTTP(w, r)
			return
		}
		v, err := srv.loadViewer(ctx, sess.PersonID)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		cr, err := srv.store.CredentialsByID(ctx, sess.PersonID)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		if cr.State.Disabled {
			srv.clearSessionCookie(w, r)
			next.ServeHTTP(w, r)
			return
		}
		v.CSRF, v.MustChange, v.tokenHash = sess.CSRF, cr.State.MustChange, th
		// Record use at most once a minute: idle timeout needs no finer grain,
		// and a write on every request would be wasted on the single writer.
		if now.Sub(sess.LastSeen) > time.Minute {
			if err := srv.store.TouchSession(ctx, th, now); err != nil {
				srv.log.Warn("touch session", "err", err)
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, keyViewer, v)))
	})
}

func (srv *Server) viewerFromToken(ctx context.Context, secret string) *Viewer {
	t, err := srv.store.APITokenByHash(ctx, account.HashToken(secret))
	if err != nil || t.Revoked {
		return nil
	}
	cr, err := srv.store.CredentialsByID(ctx, t.PersonID)
	if err != nil || cr.State.Disabled {
		return nil
	}
	v, err := srv.loadViewer(ctx, t.PersonID)
	if err != nil {
		return nil
	}
	v.ViaToken = true
	return v
}

// requireLogin sends anonymous visitors to the login page, enforces the
// first-login password change, and checks CSRF on every unsafe request.
func (srv *Server) requireLogin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := viewerFrom(r.Context())
		if v == nil {
			if strings.HasPrefix(r.URL.Path, "/api/") {
				writeJSONError(w, http.StatusUnauthorized, "未登录")
				return
			}
			target := "/login"
			if r.Method == http.MethodGet && r.URL.Path != "/" {
				target += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			if r.Header.Get("HX-Request") == "true" {
				w.Header().Set("HX-Redirect", target)
				return
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		if !v.ViaToken && r.Method != http.MethodGet && r.Method != http.MethodHead {
			if !srv.checkCSRF(r, v.CSRF) {
				srv.refuse(w, r, "csrf", "页面已过期或请求来源不明，请刷新页面后重试")
				return
			}
		}
		if v.MustChange && r.URL.Path != "/password" {
			http.Redirect(w, r, "/password", http.StatusSeeOther)
			return
		}
		h(w, r)
	}
}

func (srv *Server) checkCSRF(r *http.Request, want string) bool {
	// Browsers say where a request came from; refuse cross-site writes outright.
	if site := r.Header.Get("Sec-Fetch-Site"); site == "cross-site" {
		return false
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// authorize asks access.Decide and, on refusal, audits it and answers 403.
func (srv *Server) authorize(w http.ResponseWriter, r *http.Request, a access.Action, o access.Object) bool {
	v := viewerFrom(r.Context())
	d := access.Decide(v.Subject, a, o)
	if d.Allow {
		return true
	}
	srv.refuse(w, r, string(a), d.Reason)
	return false
}

func (srv *Server) refuse(w http.ResponseWriter, r *http.Request, action, reason string) {
	ev := audit.Event{Action: "access.deny", ObjectKind: action, Outcome: audit.Denied, IP: clientIP(r),
		Detail: jsonDetail(map[string]string{"path": r.URL.Path, "method": r.Method, "reason": reason})}
	if v := viewerFrom(r.Context()); v != nil {
		ev.ActorID, ev.ActorName = v.Person.ID, v.Person.Name
	}
	if err := srv.store.AuditAlone(r.Context(), ev); err != nil {
		srv.log.Error("audit refusal", "err", err)
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSONError(w, http.StatusForbidden, reason)
		return
	}
	srv.render(w, r, http.StatusForbidden, "error", pageData{Title: "无权操作", Error: reason})
}

func jsonDetail(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

func (srv *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, secret string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true,
		Secure: srv.opt.SecureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

func (srv *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: srv.opt.SecureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

func (srv *Server) preCSRF(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(preCSRFCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	secret, _, err := account.NewToken()
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: preCSRFCookie, Value: secret, Path: "/login", HttpOnly: true,
		Secure: srv.opt.SecureCookies || r.TLS != nil, SameSite: http.SameSiteStrictMode})
	return secret
}

func (srv *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if viewerFrom(r.Context()) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	srv.render(w, r, http.StatusOK, "login", pageData{Title: "登录", CSRF: srv.preCSRF(w, r),
		Form: url.Values{"next": {safeNext(r.URL.Query().Get("next"))}}, Data: srv.opt.DemoLogins})
}

// safeNext keeps post-login redirects on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

var errLogin = errors.New("账户名或密码错误")

func (srv *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		srv.render(w, r, http.StatusBadRequest, "login", pageData{Title: "登录", Error: "表单无效"})
		return
	}
	login := strings.TrimSpace(strings.ToLower(r.PostFormValue("login")))
	password := r.PostFormValue("password")
	form := url.Values{"login": {login}, "next": {safeNext(r.PostFormValue("next"))}}
	fail := func(status int, msg string) {
		srv.render(w, r, status, "login", pageData{Title: "登录", Error: msg, Form: form, CSRF: srv.preCSRF(w, r), Data: srv.opt.DemoLogins})
	}
	c, err := r.Cookie(preCSRFCookie)
	if err != nil || r.Header.Get("Sec-Fetch-Site") == "cross-site" ||
		subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("csrf"))) != 1 {
		fail(http.StatusBadRequest, "页面已过期，请重新输入后登录")
		return
	}
	ip := clientIP(r)
	cr, err := srv.store.Credentials(ctx, login)
	if errors.Is(err, store.ErrNotFound) {
		// Spend the same time as a real check, so that timing does not reveal
		// which accounts exist.
		_, _ = account.VerifyPassword(dummyHash, password)
		_ = srv.store.AuditAlone(ctx, audit.Event{ActorName: login, Action: "login", Outcome: audit.Failed, IP: ip, Detail: `{"reason":"unknown login"}`})
		fail(http.StatusUnauthorized, errLogin.Error())
		return
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	pol, err := srv.store.Policy(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	ok := false
	if cr.PasswordHash != "" {
		ok, err = account.VerifyPassword(cr.PasswordHash, password)
		if err != nil {
			srv.log.Error("stored password hash", "person", cr.PersonID, "err", err)
		}
	}
	now := srv.store.Now()
	state, result := pol.Attempt(cr.State, ok, now)
	var secret string
	err = srv.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SaveLoginState(ctx, cr.PersonID, state); err != nil {
			return err
		}
		ev := audit.Event{ActorID: cr.PersonID, ActorName: cr.Name, Action: "login", ObjectKind: "session", IP: ip, Detail: jsonDetail(map[string]string{"login": cr.Login})}
		switch result {
		case account.LoginOK:
			var th string
			var err error
			secret, th, err = account.NewToken()
			if err != nil {
				return err
			}
			csrf, _, err := account.NewToken()
			if err != nil {
				return err
			}
			if err := tx.CreateSession(ctx, store.Session{TokenHash: th, PersonID: cr.PersonID, CSRF: csrf, Created: now, LastSeen: now, IP: ip, UserAgent: truncate(r.UserAgent(), 200)}); err != nil {
				return err
			}
		case account.LoginLocked:
			ev.Outcome, ev.Detail = audit.Failed, jsonDetail(map[string]any{"login": cr.Login, "reason": "locked"})
		case account.LoginDisabled:
			ev.Outcome, ev.Detail = audit.Failed, jsonDetail(map[string]any{"login": cr.Login, "reason": "disabled"})
		default:
			ev.Outcome, ev.Detail = audit.Failed, jsonDetail(map[string]any{"login": cr.Login, "reason": "bad password", "failures": state.Failures})
		}
		return tx.Audit(ctx, ev)
	})
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	switch result {
	case account.LoginLocked:
		fail(http.StatusUnauthorized, fmt.Sprintf("连续输错密码，账户已锁定，请在 %s 后重试或联系系统管理员", state.LockedUntil.In(chinaTime).Format("15:04")))
	case account.LoginDisabled:
		fail(http.StatusUnauthorized, "账户已停用，请联系系统管理员")
	case account.LoginBadPassword:
		left := pol.MaxFailures - state.Failures
		fail(http.StatusUnauthorized, fmt.Sprintf("%s（再错 %d 次将锁定 %d 分钟）", errLogin, left, int(pol.LockFor.Minutes())))
	default:
		srv.setSessionCookie(w, r, secret)
		http.SetCookie(w, &http.Cookie{Name: preCSRFCookie, Value: "", Path: "/login", MaxAge: -1})
		http.Redirect(w, r, form.Get("next"), http.StatusSeeOther)
	}
}

// dummyHash is a valid argon2id hash of a random string.
const dummyHash = "$argon2id$v=19$m=65536,t=3,p=2$c2h1bml1LWR1bW15LXNhbHQ$3Pb9yv2tG3QkH6JcS0m3mSx8m3lFvB4S0J2yKq3aJxY"

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func (srv *Server) logout(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r.Context())
	if v != nil && !v.ViaToken && srv.checkCSRF(r, v.CSRF) {
		ctx := r.Context()
		_ = srv.store.Write(ctx, func(tx *store.Tx) error {
			if err := tx.DeleteSession(ctx, v.tokenHash); err != nil {
				return err
			}
			return tx.Audit(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "logout", ObjectKind: "session", IP: clientIP(r)})
		})
	}
	srv.clearSessionCookie(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (srv *Server) passwordPage(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ChangePassword, access.Object{}) {
		return
	}
	v := viewerFrom(r.Context())
	msg := ""
	if v.MustChange {
		msg = "首次登录或密码已被重置，请先修改密码。"
	}
	pol, err := srv.store.Policy(r.Context())
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	srv.render(w, r, http.StatusOK, "password", pageData{Title: "修改密码", Notice: msg, Data: pol})
}

func (srv *Server) passwordSubmit(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ChangePassword, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	fail := func(msg string) {
		pol, _ := srv.store.Policy(ctx)
		srv.render(w, r, http.StatusUnprocessableEntity, "password", pageData{Title: "修改密码", Error: msg, Data: pol})
	}
	cr, err := srv.store.CredentialsByID(ctx, v.Person.ID)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if ok, _ := account.VerifyPassword(cr.PasswordHash, r.PostFormValue("current")); !ok {
		_ = srv.store.AuditAlone(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "password.change", Outcome: audit.Failed, IP: clientIP(r), Detail: `{"reason":"wrong current password"}`})
		fail("当前密码不正确")
		return
	}
	next := r.PostFormValue("new")
	if next != r.PostFormValue("confirm") {
		fail("两次输入的新密码不一致")
		return
	}
	if next == r.PostFormValue("current") {
		fail("新密码不能与当前密码相同")
		return
	}
	pol, err := srv.store.Policy(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if err := pol.CheckPassword(next, v.Person.Login); err != nil {
		fail(err.Error())
		return
	}
	hash, err := account.HashPassword(next)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	var secret string
	now := srv.store.Now()
	err = srv.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SetPassword(ctx, v.Person.ID, hash, false); err != nil {
			return err
		}
		// SetPassword ended every session; start a fresh one for this browser.
		var th string
		var err error
		secret, th, err = account.NewToken()
		if err != nil {
			return err
		}
		csrf, _, err := account.NewToken()
		if err != nil {
			return err
		}
		if err := tx.CreateSession(ctx, store.Session{TokenHash: th, PersonID: v.Person.ID, CSRF: csrf, Created: now, LastSeen: now, IP: clientIP(r), UserAgent: truncate(r.UserAgent(), 200)}); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "password.change", ObjectKind: "person", ObjectID: v.Person.ID, IP: clientIP(r)})
	})
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	srv.setSessionCookie(w, r, secret)
	http.Redirect(w, r, "/?notice=password", http.StatusSeeOther)
}
