package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// clock is a controllable time source for session expiry tests.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

type env struct {
	t     *testing.T
	srv   *httptest.Server
	web   *web.Server
	store *store.Store
	clock *clock
	d     demo.District
	// dataDir is the server's data directory, where tests set one.
	dataDir string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)}
	return newEnvOn(t, storetest.SQLite(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}), c)
}

// newEnvOn seeds the demo district into s (whose clock is c) and serves it.
func newEnvOn(t *testing.T, s *store.Store, c *clock) *env {
	t.Helper()
	d := demo.NewDistrict(c.now())
	if err := demo.Seed(context.Background(), s, d); err != nil {
		t.Fatal(err)
	}
	h, err := web.New(s, web.Options{Version: "test", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h.Handler())
	t.Cleanup(ts.Close)
	return &env{t: t, srv: ts, web: h, store: s, clock: c, d: d}
}

type client struct {
	e    *env
	http *http.Client
	csrf string
}

func (e *env) client() *client {
	return e.clientFrom("")
}

// clientFrom is a browser at the address ip (sent as X-Real-IP, which the
// server honours from loopback, as from a proxy in front of it).
func (e *env) clientFrom(ip string) *client {
	jar, _ := cookiejar.New(nil)
	var rt http.RoundTripper = http.DefaultTransport
	if ip != "" {
		rt = realIP{ip}
	}
	return &client{e: e, http: &http.Client{Jar: jar, Transport: rt, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type realIP struct{ ip string }

func (t realIP) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Real-IP", t.ip)
	return http.DefaultTransport.RoundTrip(r)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) get(path string) (int, string, http.Header) {
	c.e.t.Helper()
	resp, err := c.http.Get(c.e.srv.URL + path)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := csrfField.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return resp.StatusCode, string(b), resp.Header
}

func (c *client) post(path string, form url.Values) (int, string, http.Header) {
	c.e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("csrf") == "" {
		form.Set("csrf", c.csrf)
	}
	resp, err := c.http.PostForm(c.e.srv.URL+path, form)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := csrfField.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return resp.StatusCode, string(b), resp.Header
}

func (c *client) login(login, password string) (int, string) {
	c.e.t.Helper()
	c.get("/login")
	code, body, h := c.post("/login", url.Values{"login": {login}, "password": {password}, "next": {"/"}})
	if code == http.StatusSeeOther {
		_, body, _ = c.get(h.Get("Location"))
		// Follow the home redirect to the person's own page.
		if strings.Contains(body, "See Other") || body == "" {
			_, body, _ = c.get("/workbench")
		}
		c.get("/password") // refresh the session's CSRF token
	}
	return code, body
}

func TestLoginWorkbenchAndSeparation(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	if code, _, h := c.get("/workbench"); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Fatalf("anonymous workbench: %d %s", code, h.Get("Location"))
	}
	if code, _ := c.login("wenmi", demo.Password); code != http.StatusSeeOther {
		t.Fatalf("login: %d", code)
	}
	code, body, h := c.get("/workbench")
	if code != 200 || !strings.Contains(body, "工作台") || !strings.Contains(body, "待办") {
		t.Fatalf("workbench: %d", code)
	}
	for _, hdr := range []string{"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "X-Request-ID"} {
		if h.Get(hdr) == "" {
			t.Errorf("missing header %s", hdr)
		}
	}
	// A clerk is refused the audit log, and the refusal is itself audited.
	if code, body, _ := c.get("/audit"); code != http.StatusForbidden || !strings.Contains(body, "安全审计员") {
		t.Fatalf("clerk audit: %d", code)
	}
	es, err := e.store.ListAudit(context.Background(), store.AuditFilter{Action: "access.deny"})
	if err != nil || len(es) == 0 || es[0].ActorName == "" {
		t.Fatalf("refusal not audited: %v %v", es, err)
	}
	// A write without the CSRF token is refused.
	if code, _, _ := c.post("/tokens", url.Values{"name": {"x"}, "csrf": {"forged"}}); code != http.StatusForbidden {
		t.Errorf("forged csrf: %d", code)
	}

	// The auditor sees and verifies the chain; the sysadmin cannot.
	a := e.client()
	a.login("auditor", demo.Password)
	code, body, _ = a.get("/audit")
	if code != 200 || !strings.Contains(body, "login") || !strings.Contains(body, "access.deny") {
		t.Fatalf("auditor audit page: %d", code)
	}
	if code, body, _ := a.post("/audit/verify", nil); code != 200 || !strings.Contains(body, "审计链完整") {
		t.Fatalf("verify: %d %s", code, body)
	}
	if code, _, _ := a.get("/workbench"); code != http.StatusForbidden {
		t.Errorf("auditor workbench: %d", code)
	}
	s := e.client()
	s.login("sysadmin", demo.Password)
	if code, _, _ := s.get("/audit"); code != http.StatusForbidden {
		t.Errorf("sysadmin audit: %d", code)
	}
	// The sysadmin cannot grant clearances; the security officer can.
	wenmi := e.d.Logins[0].PersonID
	if code, _, _ := s.post("/people/"+wenmi+"/clearance", url.Values{"level": {"机密"}}); code != http.StatusForbidden {
		t.Errorf("sysadmin clearance: %d", code)
	}
	sec := e.client()
	sec.login("secadmin", demo.Password)
	sec.get("/people/" + wenmi)
	if code, body, _ := sec.post("/people/"+wenmi+"/clearance", url.Values{"level": {"绝密"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "绝密") {
		t.Errorf("top secret clearance: %d", code)
	}
	if code, _, _ := sec.post("/people/"+wenmi+"/clearance", url.Values{"level": {"机密"}}); code != 200 {
		t.Errorf("secadmin clearance: %d", code)
	}
	// The security officer cannot create accounts.
	if code, _, _ := sec.post("/people", url.Values{"name": {"新人"}, "login": {"xinren"}}); code != http.StatusForbidden {
		t.Errorf("secadmin creates account: %d", code)
	}
	// The sysadmin cannot hand out an administrator's role.
	s.get("/people/" + wenmi)
	if code, body, _ := s.post("/people/"+wenmi+"/roles", url.Values{"op": {"add"}, "role": {"auditor"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "三员") {
		t.Errorf("sysadmin grants auditor: %d", code)
	}
}

func TestLockoutAndFirstLoginChange(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for i := 1; i <= 4; i++ {
		code, body := c.login("zhuren", "Wrong@2026xx")
		if code != http.StatusUnauthorized || !strings.Contains(body, "账户名或密码错误") {
			t.Fatalf("attempt %d: %d", i, code)
		}
	}
	if code, body := c.login("zhuren", "Wrong@2026xx"); code != http.StatusTooManyRequests || !strings.Contains(body, "暂停从本机登录") {
		t.Fatalf("not stopped after 5 failures: %d", code)
	}
	if code, body := c.login("zhuren", demo.Password); code != http.StatusTooManyRequests || !strings.Contains(body, "暂停从本机登录") {
		t.Fatalf("right password during the stop: %d", code)
	}
	e.clock.t = e.clock.t.Add(16 * time.Minute)
	if code, _ := c.login("zhuren", demo.Password); code != http.StatusSeeOther {
		t.Fatalf("after lockout: %d", code)
	}
	es, _ := e.store.ListAudit(context.Background(), store.AuditFilter{Action: "login", Outcome: "failed", Limit: 50})
	if len(es) < 6 {
		t.Errorf("failed logins audited: %d", len(es))
	}

	// The sysadmin creates an account; its first login must change the password.
	s := e.client()
	s.login("sysadmin", demo.Password)
	s.get("/people/new")
	unit := e.d.Units[0].ID
	code, body, _ := s.post("/people", url.Values{"name": {"新同志"}, "login": {"xintz"}, "unit_id": {unit}, "title": {"科员"}})
	m := regexp.MustCompile(`data-testid="temp-password">([^<]+)<`).FindStringSubmatch(body)
	if code != 200 || m == nil {
		t.Fatalf("create person: %d", code)
	}
	// A failed form keeps the input.
	code, body, _ = s.post("/people", url.Values{"name": {"重复"}, "login": {"xintz"}, "unit_id": {unit}, "title": {"科员"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "已存在") || !strings.Contains(body, `value="重复"`) {
		t.Fatalf("duplicate login form: %d", code)
	}
	n := e.client()
	temp := strings.ReplaceAll(m[1], "&#43;", "+")
	if code, _ := n.login("xintz", temp); code != http.StatusSeeOther {
		t.Fatalf("first login: %d", code)
	}
	if code, _, h := n.get("/org"); code != http.StatusSeeOther || h.Get("Location") != "/password" {
		t.Fatalf("must change: %d %s", code, h.Get("Location"))
	}
	n.get("/password")
	if code, body, _ := n.post("/password", url.Values{"current": {temp}, "new": {"short"}, "confirm": {"short"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "至少") {
		t.Fatalf("weak password: %d", code)
	}
	// The name in pinyin and the common passwords are refused.
	for _, weak := range []string{"Xin@tongzhi26", "Abcdefgh12"} {
		if code, body, _ := n.post("/password", url.Values{"current": {temp}, "new": {weak}, "confirm": {weak}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "拼音") && !strings.Contains(body, "常见密码") {
			t.Fatalf("%s: %d", weak, code)
		}
	}
	if code, _, _ := n.post("/password", url.Values{"current": {temp}, "new": {"Qing@lan2026x"}, "confirm": {"Qing@lan2026x"}}); code != http.StatusSeeOther {
		t.Fatalf("change password: %d", code)
	}
	if code, _, _ := n.get("/org"); code != 200 {
		t.Fatalf("after change: %d", code)
	}
	// Idle timeout: after 31 minutes the session is gone.
	e.clock.t = e.clock.t.Add(31 * time.Minute)
	if code, _, h := n.get("/org"); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Fatalf("idle session: %d %s", code, h.Get("Location"))
	}
}

func TestAPIAndOps(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login("auditor", demo.Password)
	c.get("/tokens")
	_, body, _ := c.post("/tokens", url.Values{"name": {"审计脚本"}})
	m := regexp.MustCompile(`class="secret">([^<]+)<`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no token shown")
	}
	call := func(method, path, token string) (int, map[string]any) {
		req, _ := http.NewRequest(method, e.srv.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	if code, out := call("GET", "/api/v1/audit?limit=3", m[1]); code != 200 || len(out["entries"].([]any)) != 3 {
		t.Fatalf("api audit: %d %v", code, out)
	}
	if code, out := call("POST", "/api/v1/audit/verify", m[1]); code != 200 || out["ok"] != true {
		t.Fatalf("api verify: %d %v", code, out)
	}
	if code, _ := call("GET", "/api/v1/workbench", m[1]); code != http.StatusForbidden {
		t.Errorf("auditor workbench api: %d", code)
	}
	if code, _ := call("GET", "/api/v1/me", "bogus"); code != http.StatusUnauthorized {
		t.Errorf("bogus token: %d", code)
	}
	if code, out := call("GET", "/api/v1/openapi.json", ""); code != 200 || out["openapi"] != "3.1.0" {
		t.Errorf("openapi: %d", code)
	}
	if code, out := call("GET", "/api/v1/units", m[1]); code != 200 || len(out["units"].([]any)) != len(e.d.Units) {
		t.Errorf("units: %d", code)
	}
	// The metrics are on their own handler (their own address), not the public one.
	if b := e.metrics(); !strings.Contains(b, `shuniu_http_requests_total{code="200",method="GET",route="GET /api/v1/audit"}`) {
		t.Errorf("metrics missing route label:\n%s", firstLines(b, "shuniu_http", 5))
	}
	resp, _ := http.Get(e.srv.URL + "/healthz")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"ok"`) {
		t.Errorf("healthz: %d %s", resp.StatusCode, b)
	}
}

// metrics reads the server's metrics from its metrics handler.
func (e *env) metrics() string {
	rec := httptest.NewRecorder()
	e.web.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	return rec.Body.String()
}

func firstLines(s, prefix string, n int) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) && len(out) < n {
			out = append(out, l)
		}
	}
	return fmt.Sprint(out)
}

func TestDelegation(t *testing.T) {
	e := newEnv(t)
	lead := e.client()
	lead.login("lingdao", demo.Password)
	var leaderID, leaderName string
	for _, l := range e.d.Logins {
		if l.Login == "lingdao" {
			leaderID, leaderName = l.PersonID, l.Name
		}
	}
	lead.get("/people/" + leaderID)
	code, body, _ := lead.post("/people/"+leaderID+"/delegations", url.Values{"op": {"add"}, "to_login": {"zhuren"},
		"start": {"2026-11-30T08:00"}, "end": {"2026-12-02T18:00"}, "reason": {"赴省里学习"}})
	if code != 200 || !strings.Contains(body, "赴省里学习") {
		t.Fatalf("add delegation: %d", code)
	}
	if code, body, _ := lead.post("/people/"+leaderID+"/delegations", url.Values{"op": {"add"}, "to_login": {"zhuren"}, "start": {"2026-12-02T08:00"}, "end": {"2026-12-01T08:00"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "晚于") {
		t.Errorf("end before start: %d", code)
	}
	// Someone else's delegation cannot be set.
	other := e.d.Logins[0].PersonID
	if code, _, _ := lead.post("/people/"+other+"/delegations", url.Values{"op": {"add"}, "to_login": {"zhuren"}, "start": {"2026-11-30T08:00"}, "end": {"2026-12-02T18:00"}}); code != http.StatusForbidden {
		t.Errorf("foreign delegation: %d", code)
	}
	z := e.client()
	z.login("zhuren", demo.Password)
	if _, body, _ := z.get("/workbench"); !strings.Contains(body, "代 "+leaderName+" 履职") {
		t.Error("deputy's workbench does not show the delegation")
	}
}
