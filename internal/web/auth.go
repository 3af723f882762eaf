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
	"unicode"
	"unicode/utf8"

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
	// memo keeps what one request reads more than once (the unit tree, 分管),
	// so that a page pays one round trip for each; a Viewer lives for one
	// request.
	memo requestMemo
}

// requestMemo is a GET request's reads of data every page may need. Only
// reads are memoised: a request that writes reads afresh after its write.
type requestMemo struct {
	on        bool
	units     []org.Unit
	oversight []org.Oversight
	haveOv    bool
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

// Label is how the header names the viewer's post: the title of their
// primary position (科长, 副区长), or their roles when they hold no position
// (the administrators). A 科长 who also does the 文秘's work is a 科长.
func (v *Viewer) Label() string {
	for _, p := range v.Positions {
		if p.Primary && p.Title != "" {
			return p.Title
		}
	}
	if len(v.Positions) > 0 && v.Positions[0].Title != "" {
		return v.Positions[0].Title
	}
	return strings.Join(v.RoleLabels(), "、")
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
	return srv.viewerOf(ctx, p)
}

// viewerOf completes a viewer of a person already read.
func (srv *Server) viewerOf(ctx context.Context, p org.Person) (*Viewer, error) {
	personID := p.ID
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
		if strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
			if v := srv.viewerFromToken(ctx, strings.TrimPrefix(auth, "Bearer ")); v != nil {
				v.memo.on = r.Method == http.MethodGet || r.Method == http.MethodHead
				next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, keyViewer, v)))
				return
			}
			writeJSONError(w, http.StatusUnauthorized, "接口令牌无效、已过期或已撤销")
			return
		}
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		th := account.HashToken(c.Value)
		sess, err := srv.store.SessionHolder(ctx, th)
		if errors.Is(err, store.ErrNotFound) {
			srv.clearSessionCookie(w, r)
			next.ServeHTTP(w, r)
			return
		}
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		pol := sess.Policy
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
		if sess.State.Disabled {
			srv.clearSessionCookie(w, r)
			next.ServeHTTP(w, r)
			return
		}
		v, err := srv.viewerOf(ctx, sess.Person)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		v.CSRF, v.MustChange, v.tokenHash = sess.CSRF, sess.State.MustChange, th
		// Record use at most once a minute: idle timeout needs no finer grain,
		// and a write on every request would be wasted on the single writer.
		if now.Sub(sess.LastSeen) > time.Minute {
			if err := srv.store.TouchSession(ctx, th, now); err != nil {
				srv.log.Warn("touch session", "err", err)
			}
		}
		v.memo.on = r.Method == http.MethodGet || r.Method == http.MethodHead
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, keyViewer, v)))
	})
}

func (srv *Server) viewerFromToken(ctx context.Context, secret string) *Viewer {
	t, err := srv.store.APITokenByHash(ctx, account.HashToken(secret))
	if err != nil || !t.Live(srv.store.Now()) {
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
	v.ViaToken, v.Subject.Bearer = true, true
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

// safeNext keeps post-login redirects on this site. It accepts only a path
// that starts with exactly one "/" followed by a character that is not "/",
// "\\" or white space — as given and after percent-decoding, since a browser
// reads "/\t/host" and "/%2F/host" as "//host", another site — with no
// control characters or spaces anywhere (browsers drop them from URLs), and
// answers "/" for anything else. The path is given back unchanged.
func safeNext(next string) string {
	if next == "/" || !utf8.ValidString(next) || len(next) > 2000 {
		return "/"
	}
	for _, r := range next {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '\\' || r == utf8.RuneError {
			return "/"
		}
	}
	// The start must hold however many times it is decoded.
	for s, i := next, 0; i < 4; i++ {
		if !pathStart(s) {
			return "/"
		}
		dec, err := url.PathUnescape(s)
		if err != nil {
			return "/"
		}
		if dec == s {
			break
		}
		s = dec
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	return next
}

// pathStart reports whether s starts with one "/" and then a character that
// is not a slash, a backslash, white space or a control character.
func pathStart(s string) bool {
	if len(s) < 2 || s[0] != '/' {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[1:])
	return r != '/' && r != '\\' && !unicode.IsSpace(r) && !unicode.IsControl(r) && r != utf8.RuneError
}

var errLogin = errors.New("账户名或密码错误")

// stopMessage tells a stopped sign-in why and until when, without saying
// whether the account exists (the counters are kept alike for both).
func stopMessage(stop account.Stop, until time.Time) string {
	at := until.In(chinaTime).Format("15:04")
	switch stop {
	case account.StoppedAcct:
		return "该账户近期多次输错密码，已暂停从不常用的电脑登录，请在 " + at + " 后重试，或在平时使用的电脑上登录"
	case account.StoppedSource:
		return "本机登录失败次数过多，已暂停登录，请在 " + at + " 后重试"
	}
	return "本机连续输错密码次数过多，已暂停从本机登录该账户，请在 " + at + " 后重试或联系系统管理员"
}

func stopReason(stop account.Stop) string {
	return map[account.Stop]string{account.StoppedPair: "stopped: account from this source", account.StoppedAcct: "stopped: account from unusual sources",
		account.StoppedSource: "stopped: this source"}[stop]
}

// loginSubmit signs a person in. Every attempt, for a login that exists or
// not, takes the same path: the counters of the login and the source, one
// password verification (against a stand-in hash when there is no account),
// and one transaction that counts the outcome and audits it; the answers are
// the same for both. Hashing waits its turn (srv.hasher), so a burst of
// sign-ins holds flat memory.
func (srv *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		srv.render(w, r, http.StatusBadRequest, "login", pageData{Title: "登录", Error: "表单无效"})
		return
	}
	login := truncate(strings.TrimSpace(strings.ToLower(r.PostFormValue("login"))), 100)
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
	src := account.SourceKey(ip)
	pol, err := srv.store.Policy(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	th, err := srv.store.LoginThrottle(ctx, login, src)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if stop, until := pol.Stopped(th, srv.store.Now()); stop != account.NotStopped {
		// Refused before any hashing: a stopped stranger costs next to nothing.
		_ = srv.store.AuditAlone(ctx, audit.Event{ActorName: login, Action: "login", Outcome: audit.Failed, IP: ip,
			Detail: jsonDetail(map[string]string{"login": login, "reason": stopReason(stop)})})
		w.Header().Set("Retry-After", fmt.Sprint(int(time.Until(until).Seconds())+1))
		fail(http.StatusTooManyRequests, stopMessage(stop, until))
		return
	}
	cr, err := srv.store.Credentials(ctx, login)
	known := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		srv.serverError(w, r, err)
		return
	}
	if len(password) > 4*account.MaxPasswordBytes {
		password = "" // no policy allows it; hash a bounded input
	}
	ok := false
	if known && cr.PasswordHash != "" {
		ok, err = srv.hasher.Verify(ctx, cr.PasswordHash, password)
		if err != nil && !errors.Is(err, account.ErrBusy) {
			srv.log.Error("stored password hash", "person", cr.PersonID, "err", err)
		}
	} else {
		err = srv.hasher.VerifyNone(ctx, password)
	}
	if errors.Is(err, account.ErrBusy) {
		fail(http.StatusServiceUnavailable, account.ErrBusy.Error())
		return
	}
	// A hash made with older parameters is replaced now that the password is known.
	var rehash string
	if ok && account.NeedsRehash(cr.PasswordHash) {
		if rehash, err = srv.hasher.Hash(ctx, password); err != nil {
			srv.log.Warn("rehash password", "person", cr.PersonID, "err", err)
			rehash = ""
		}
	}
	var secret string
	var result account.LoginResult
	var left int
	var stop account.Stop
	var until time.Time
	err = srv.store.Write(ctx, func(tx *store.Tx) error {
		now := tx.Now()
		before, err := tx.LoginThrottleForUpdate(ctx, login, src, ok)
		if err != nil {
			return err
		}
		th, result = pol.Attempt(before, cr.State, ok, now)
		left = pol.Left(th, now)
		stop, until = pol.Stopped(th, now)
		if err := tx.SaveLoginAttempt(ctx, login, src, before, th); err != nil {
			return err
		}
		ev := audit.Event{ActorID: cr.PersonID, ActorName: cr.Name, Action: "login", ObjectKind: "session", IP: ip, Detail: jsonDetail(map[string]string{"login": login})}
		if !known {
			ev.ActorName = login
		}
		reason := ""
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
			if rehash != "" {
				if err := tx.RehashPassword(ctx, cr.PersonID, cr.PasswordHash, rehash); err != nil {
					return err
				}
			}
		case account.LoginStopped:
			reason = stopReason(stop)
		case account.LoginDisabled:
			reason = "disabled"
		default:
			reason = "bad password"
			if !known {
				reason = "unknown login"
			}
		}
		if reason != "" {
			ev.Outcome, ev.Detail = audit.Failed, jsonDetail(map[string]any{"login": login, "reason": reason, "failures": th.Pair.Failures})
		}
		return tx.Audit(ctx, ev)
	})
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	switch result {
	case account.LoginStopped:
		w.Header().Set("Retry-After", fmt.Sprint(int(time.Until(until).Seconds())+1))
		fail(http.StatusTooManyRequests, stopMessage(stop, until))
	case account.LoginDisabled:
		fail(http.StatusUnauthorized, "账户已停用，请联系系统管理员")
	case account.LoginBadPassword:
		fail(http.StatusUnauthorized, fmt.Sprintf("%s（在本机再错 %d 次，将暂停从本机登录该账户 %d 分钟）", errLogin, left, int(pol.LockFor.Minutes())))
	default:
		srv.setSessionCookie(w, r, secret)
		http.SetCookie(w, &http.Cookie{Name: preCSRFCookie, Value: "", Path: "/login", MaxAge: -1})
		http.Redirect(w, r, form.Get("next"), http.StatusSeeOther)
	}
}

// truncate cuts s to at most n bytes on a character boundary, as valid UTF-8
// without control characters: PostgreSQL refuses invalid UTF-8 and NUL, and a
// stranger's login name or user agent may hold either.
func truncate(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
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
	pol, err := srv.store.Policy(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	// Guesses at the current password count like failed sign-ins from this
	// source: a borrowed session cannot be used to guess the password at will.
	ip := clientIP(r)
	src := account.SourceKey(ip)
	th, err := srv.store.LoginThrottle(ctx, cr.Login, src)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if stop, until := pol.Stopped(th, srv.store.Now()); stop == account.StoppedPair {
		fail(stopMessage(stop, until))
		return
	}
	current := r.PostFormValue("current")
	if len(current) > 4*account.MaxPasswordBytes {
		current = ""
	}
	ok, err := srv.hasher.Verify(ctx, cr.PasswordHash, current)
	if errors.Is(err, account.ErrBusy) {
		fail(account.ErrBusy.Error())
		return
	}
	if !ok {
		var result account.LoginResult
		var left int
		var until time.Time
		err := srv.store.Write(ctx, func(tx *store.Tx) error {
			now := tx.Now()
			before, err := tx.LoginThrottleForUpdate(ctx, cr.Login, src, false)
			if err != nil {
				return err
			}
			var th account.Throttle
			th, result = pol.Attempt(before, cr.State, false, now)
			left = pol.Left(th, now)
			if err := tx.SaveLoginAttempt(ctx, cr.Login, src, before, th); err != nil {
				return err
			}
			if result == account.LoginStopped {
				// Stopped: this session ends too; the holder signs in again later.
				until = th.Pair.LockedUntil
				if err := tx.DeleteSession(ctx, v.tokenHash); err != nil {
					return err
				}
			}
			return tx.Audit(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "password.change", Outcome: audit.Failed, IP: ip,
				Detail: jsonDetail(map[string]any{"reason": "wrong current password", "failures": th.Pair.Failures})})
		})
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		if result == account.LoginStopped {
			srv.clearSessionCookie(w, r)
			r = r.WithContext(context.WithValue(ctx, keyViewer, (*Viewer)(nil))) // signed out now
			srv.render(w, r, http.StatusTooManyRequests, "login", pageData{Title: "登录", Error: stopMessage(account.StoppedPair, until),
				CSRF: srv.preCSRF(w, r), Form: url.Values{"login": {cr.Login}, "next": {"/"}}})
			return
		}
		fail(fmt.Sprintf("当前密码不正确（再错 %d 次，将暂停从本机登录并退出）", left))
		return
	}
	next := r.PostFormValue("new")
	if next != r.PostFormValue("confirm") {
		fail("两次输入的新密码不一致")
		return
	}
	if next == current {
		fail("新密码不能与当前密码相同")
		return
	}
	if err := pol.CheckPassword(next, account.Holder{Login: v.Person.Login, Name: v.Person.Name}); err != nil {
		fail(err.Error())
		return
	}
	hash, err := srv.hasher.Hash(ctx, next)
	if err != nil {
		if errors.Is(err, account.ErrBusy) {
			fail(account.ErrBusy.Error())
			return
		}
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
