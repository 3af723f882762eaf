package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/shuniu-oa/shuniu/internal/account"
	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// Tests of 三员分立 and accounts (issue 11): resets and locks of the three
// administrators, delegation, sign-in limits per account and per source, the
// same answer for unknown accounts, API tokens, the password policy, the
// redirect after sign-in and the metrics address. Those that store anything
// run on both stores.

func forEachEnv(t *testing.T, fn func(t *testing.T, e *env)) {
	c := &clock{t: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)}
	storetest.ForEach(t, store.Options{Now: func() time.Time { return c.now() }, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		c.t = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
		fn(t, newEnvOn(t, s, c))
	})
}

func (e *env) demoLogin(login string) demo.Login {
	for _, l := range e.d.Logins {
		if l.Login == login {
			return l
		}
	}
	e.t.Fatalf("no demo login %s", login)
	return demo.Login{}
}

var alertText = regexp.MustCompile(`class="alert err" role="alert">([^<]*)<`)

func alert(body string) string {
	if m := alertText.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// denials counts the audited refusals of an action so far.
func (e *env) denials(action string) int {
	es, err := e.store.ListAudit(context.Background(), store.AuditFilter{Action: "access.deny", Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	n := 0
	for _, en := range es {
		if en.ObjectKind == action {
			n++
		}
	}
	return n
}

// The system administrator cannot reset or lock the auditor's or the security
// officer's account from the web (and so cannot sign in as the auditor and
// read the audit log); the refusal is audited. Other accounts are still the
// administrator's, and a reset revokes the person's API tokens.
func TestAdminAccountsOnlyFromCommandLine(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		admin := e.client()
		admin.login("sysadmin", demo.Password)
		for _, target := range []string{"auditor", "secadmin", "sysadmin"} {
			id := e.demoLogin(target).PersonID
			_, page, _ := admin.get("/people/" + id)
			if strings.Contains(page, `value="reset"`) || !strings.Contains(page, "admin-account-cli") {
				t.Errorf("%s's page offers the administrator a reset", target)
			}
			for _, op := range []string{"reset", "lock", "unlock"} {
				before := e.denials("account.manage")
				code, body, _ := admin.post("/people/"+id+"/account", url.Values{"op": {op}})
				if code != http.StatusForbidden || !strings.Contains(body, "命令行") || strings.Contains(body, "temp-password") {
					t.Errorf("%s %s: %d", op, target, code)
				}
				if e.denials("account.manage") != before+1 {
					t.Errorf("%s %s: refusal not audited", op, target)
				}
			}
		}
		// The auditor's own password still works, and the account is not locked.
		if code, _ := e.client().login("auditor", demo.Password); code != http.StatusSeeOther {
			t.Fatalf("auditor after the refused reset: %d", code)
		}

		// A clerk's account is the administrator's: the reset revokes the clerk's tokens.
		clerk := e.client()
		clerk.login("wenmi", demo.Password)
		clerk.get("/tokens")
		_, body, _ := clerk.post("/tokens", url.Values{"name": {"脚本"}})
		token := tokenSecret(t, body)
		if code, _ := e.api("GET", "/api/v1/me", token, nil); code != 200 {
			t.Fatalf("token before reset: %d", code)
		}
		wenmi := e.demoLogin("wenmi").PersonID
		admin.get("/people/" + wenmi)
		code, body, _ := admin.post("/people/"+wenmi+"/account", url.Values{"op": {"reset"}})
		if code != 200 || !strings.Contains(body, "密码已重置") || !strings.Contains(body, "令牌已全部撤销") {
			t.Fatalf("clerk reset: %d %s", code, alert(body))
		}
		if code, _ := e.api("GET", "/api/v1/me", token, nil); code != http.StatusUnauthorized {
			t.Errorf("token after the reset: %d", code)
		}
	})
}

var secretText = regexp.MustCompile(`class="secret">([^<]+)<`)

func tokenSecret(t *testing.T, body string) string {
	t.Helper()
	m := secretText.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no token shown: %s", alert(body))
	}
	return m[1]
}

// api calls the JSON API with a bearer token.
func (e *env) api(method, path, token string, body any) (int, map[string]any) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// A delegation is made by the person who delegates — on the page or through
// the API — or, only where the security officer has allowed it, by the
// director of the office serving them; never by the system administrator.
func TestDelegationByItsGiver(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		leader := e.demoLogin("lingdao")
		form := func() url.Values {
			return url.Values{"op": {"add"}, "to_login": {"wenmi"}, "start": {"2026-11-30T08:00"}, "end": {"2026-12-02T18:00"}, "reason": {"赴省里学习"}}
		}

		admin := e.client()
		admin.login("sysadmin", demo.Password)
		_, page, _ := admin.get("/people/" + leader.PersonID)
		if strings.Contains(page, "设置委托") {
			t.Error("the administrator is offered the delegation form")
		}
		before := e.denials("delegation.set")
		if code, _, _ := admin.post("/people/"+leader.PersonID+"/delegations", form()); code != http.StatusForbidden {
			t.Errorf("administrator sets a leader's delegation: %d", code)
		}
		if e.denials("delegation.set") != before+1 {
			t.Error("refusal not audited")
		}

		// The office director may not, until the security officer allows it.
		director := e.client()
		director.login("zhuren", demo.Password)
		if code, _, _ := director.post("/people/"+leader.PersonID+"/delegations", form()); code != http.StatusForbidden {
			t.Errorf("director without the setting: %d", code)
		}
		sec := e.client()
		sec.login("secadmin", demo.Password)
		sec.get("/security/policy")
		pol := url.Values{"min_length": {"10"}, "min_classes": {"3"}, "max_failures": {"5"}, "lock_minutes": {"15"}, "idle_minutes": {"30"}, "max_hours": {"12"}, "director_delegates": {"1"}}
		if code, body, _ := sec.post("/security/policy", pol); code != http.StatusSeeOther {
			t.Fatalf("policy: %d %s", code, alert(body))
		}
		director.get("/people/" + leader.PersonID)
		if code, body, _ := director.post("/people/"+leader.PersonID+"/delegations", form()); code != 200 || !strings.Contains(body, "赴省里学习") {
			t.Fatalf("director with the setting: %d %s", code, alert(body))
		}
		// Only for the people the director's office serves.
		handler := e.demoLogin("chengban")
		if code, _, _ := director.post("/people/"+handler.PersonID+"/delegations", form()); code != http.StatusForbidden {
			t.Errorf("director for another unit's person: %d", code)
		}
		// Nobody is made the deputy of an administrator's account or given one as deputy.
		lead := e.client()
		lead.login("lingdao", demo.Password)
		lead.get("/people/" + leader.PersonID)
		toAdmin := url.Values{"op": {"add"}, "to_login": {"auditor"}, "start": {"2026-11-30T08:00"}, "end": {"2026-12-02T18:00"}}
		if code, body, _ := lead.post("/people/"+leader.PersonID+"/delegations", toAdmin); code != http.StatusUnprocessableEntity || !strings.Contains(body, "不是业务人员") {
			t.Errorf("delegation to the auditor: %d", code)
		}

		// Through the API, with the leader's own token.
		lead.get("/tokens")
		_, body, _ := lead.post("/tokens", url.Values{"name": {"移动端"}})
		token := tokenSecret(t, body)
		req := map[string]any{"op": "add", "to": "zhuren", "start": "2026-12-03T08:00:00+08:00", "end": "2026-12-04T18:00:00+08:00", "reason": "下乡调研"}
		code, out := e.api("POST", "/api/v1/people/"+leader.PersonID+"/delegations", token, req)
		if code != http.StatusCreated || out["to_id"] != e.demoLogin("zhuren").PersonID {
			t.Fatalf("API delegation: %d %v", code, out)
		}
		if code, out := e.api("POST", "/api/v1/people/"+e.demoLogin("wenmi").PersonID+"/delegations", token, req); code != http.StatusForbidden {
			t.Errorf("API delegation for someone else: %d %v", code, out)
		}
		code, out = e.api("GET", "/api/v1/people/"+leader.PersonID+"/delegations", token, nil)
		if ds, _ := out["delegations"].([]any); code != 200 || len(ds) < 2 {
			t.Fatalf("API delegations: %d %v", code, out)
		}
		// Each is audited with who made it for whom.
		es, _ := e.store.ListAudit(context.Background(), store.AuditFilter{Action: "delegation.add", Limit: 10})
		var byDirector, bySelf bool
		for _, en := range es {
			byDirector = byDirector || en.ActorName == e.demoLogin("zhuren").Name && strings.Contains(en.Detail, leader.Name)
			bySelf = bySelf || en.ActorName == leader.Name && strings.Contains(en.Detail, "下乡调研")
		}
		if !byDirector || !bySelf {
			t.Errorf("delegations not audited: %+v", es)
		}
	})
}

// Five wrong passwords from a stranger's address stop that address, not the
// holder signing in from their usual one; many from many addresses stop the
// account only for addresses it does not usually use.
func TestSignInLimitsPerSource(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		holder := e.clientFrom("10.1.1.20")
		if code, _ := holder.login("lingdao", demo.Password); code != http.StatusSeeOther {
			t.Fatalf("holder: %d", code)
		}
		stranger := e.clientFrom("203.0.113.9")
		for i := range 5 {
			stranger.login("lingdao", "Guess@2026x"+strconv.Itoa(i))
		}
		if code, body := stranger.login("lingdao", demo.Password); code != http.StatusTooManyRequests || !strings.Contains(alert(body), "本机") {
			t.Fatalf("stranger with the right password while stopped: %d %s", code, alert(body))
		}
		if code, body := e.clientFrom("10.1.1.20").login("lingdao", demo.Password); code != http.StatusSeeOther {
			t.Fatalf("holder from the usual address after the stranger's guesses: %d %s", code, alert(body))
		}
		// Twenty failures from many addresses: new addresses are stopped, the usual one is not.
		for i := range 20 {
			e.clientFrom("198.51.100."+strconv.Itoa(i+1)).login("lingdao", "Guess@2026y")
		}
		if code, body := e.clientFrom("192.0.2.77").login("lingdao", demo.Password); code != http.StatusTooManyRequests || !strings.Contains(alert(body), "不常用") {
			t.Fatalf("new address during the account stop: %d %s", code, alert(body))
		}
		if code, body := e.clientFrom("10.1.1.20").login("lingdao", demo.Password); code != http.StatusSeeOther {
			t.Fatalf("holder during the account stop: %d %s", code, alert(body))
		}
		// Whatever a stranger types as the login name is answered, never a server error:
		// text that is not UTF-8 or holds NUL is refused at the edge (400), the rest counted (401).
		for name, want := range map[string]int{"nul\x00name": http.StatusBadRequest, "bad\xff\xfeutf8": http.StatusBadRequest, strings.Repeat("区长", 80): http.StatusUnauthorized} {
			if code, body := e.clientFrom("192.0.2.200").login(name, "Guess@2026z"); code != want {
				t.Errorf("login %q: %d %s, want %d", name, code, alert(body), want)
			}
		}
		// The stops end.
		e.clock.t = e.clock.t.Add(16 * time.Minute)
		if code, _ := stranger.login("lingdao", demo.Password); code != http.StatusSeeOther {
			t.Fatalf("after the stop: %d", code)
		}
	})
}

// A login that does not exist gets the same answers as a wrong password for
// one that does, through the stop, and does the same hashing work.
func TestSignInSameAnswerForUnknownAccount(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		hashes := func() float64 {
			for _, l := range strings.Split(e.metrics(), "\n") {
				if v, ok := strings.CutPrefix(l, "shuniu_password_hashes_total "); ok {
					f, _ := strconv.ParseFloat(v, 64)
					return f
				}
			}
			return 0
		}
		known, unknown := e.clientFrom("203.0.113.10"), e.clientFrom("203.0.113.11")
		for i := range 6 {
			h0 := hashes()
			kc, kb := known.login("zhuren", "Wrong@2026xx")
			h1 := hashes()
			uc, ub := unknown.login("nobody-here", "Wrong@2026xx")
			h2 := hashes()
			if kc != uc || alert(kb) != alert(ub) || alert(kb) == "" {
				t.Fatalf("attempt %d: existing %d %q, unknown %d %q", i+1, kc, alert(kb), uc, alert(ub))
			}
			if h1-h0 != h2-h1 {
				t.Fatalf("attempt %d: %v hashes for an existing account, %v for an unknown one", i+1, h1-h0, h2-h1)
			}
		}
	})
}

// API tokens: default life 90 days, shown; they stop at expiry; a bearer
// token cannot make tokens.
func TestAPITokenLife(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		c := e.client()
		c.login("wenmi", demo.Password)
		_, page, _ := c.get("/tokens")
		if !strings.Contains(page, `name="days" value="90"`) || !strings.Contains(page, "90 天后失效") {
			t.Error("tokens page does not show the default life")
		}
		_, body, _ := c.post("/tokens", url.Values{"name": {"统计脚本"}})
		token := tokenSecret(t, body)
		want := e.clock.t.Add(90 * 24 * time.Hour).In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04")
		if !strings.Contains(body, `data-testid="token-expires">`+want) {
			t.Errorf("expiry %s not shown", want)
		}
		if code, _, _ := c.post("/tokens", url.Values{"name": {"x"}, "days": {"400"}}); code != http.StatusUnprocessableEntity {
			t.Errorf("400-day token: %d", code)
		}
		// A bearer token cannot mint tokens (nor change the password).
		before := e.denials("token.issue")
		for _, path := range []string{"/tokens", "/password"} {
			req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader("name=more&current=x&new=y&confirm=y"))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden || strings.Contains(string(b), `class="secret"`) {
				t.Errorf("bearer POST %s: %d", path, resp.StatusCode)
			}
		}
		if e.denials("token.issue") != before+1 {
			t.Error("bearer's token request not audited")
		}
		if code, _ := e.api("GET", "/api/v1/me", token, nil); code != 200 {
			t.Fatalf("token in its life: %d", code)
		}
		e.clock.t = e.clock.t.Add(90*24*time.Hour + time.Minute)
		if code, out := e.api("GET", "/api/v1/me", token, nil); code != http.StatusUnauthorized || !strings.Contains(out["error"].(string), "过期") {
			t.Errorf("expired token: %d %v", code, out)
		}
	})
}

// Wrong guesses at the current password on the change form count toward
// the stop: the fifth ends the session and stops this address.
func TestPasswordFormGuessesCount(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		c := e.clientFrom("203.0.113.50")
		c.login("chengban", demo.Password)
		c.get("/password")
		for i := range 4 {
			code, body, _ := c.post("/password", url.Values{"current": {"Guess@2026x" + strconv.Itoa(i)}, "new": {"Tq7#vLm2xPe"}, "confirm": {"Tq7#vLm2xPe"}})
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, "当前密码不正确") {
				t.Fatalf("guess %d: %d", i+1, code)
			}
		}
		code, body, _ := c.post("/password", url.Values{"current": {"Guess@2026x9"}, "new": {"Tq7#vLm2xPe"}, "confirm": {"Tq7#vLm2xPe"}})
		if code != http.StatusTooManyRequests || !strings.Contains(alert(body), "暂停") {
			t.Fatalf("fifth guess: %d %s", code, alert(body))
		}
		if code, _, h := c.get("/workbench"); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
			t.Errorf("session survived the fifth guess: %d", code)
		}
		if code, _ := e.clientFrom("203.0.113.50").login("chengban", demo.Password); code != http.StatusTooManyRequests {
			t.Errorf("sign-in from the guessing address: %d", code)
		}
	})
}

// A hash made with the earlier argon2id parameters still signs in, and is
// replaced by one with the current parameters.
func TestRehashAtSignIn(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		cr, err := e.store.Credentials(ctx, "wenmi")
		if err != nil {
			t.Fatal(err)
		}
		const old = "$argon2id$v=19$m=65536,t=3,p=2$c2h1bml1LXRlc3Qtc2FsdA$"
		oldHash := old + oldDemoKey(t)
		if err := e.store.Write(ctx, func(tx *store.Tx) error { return tx.RehashPassword(ctx, cr.PersonID, cr.PasswordHash, oldHash) }); err != nil {
			t.Fatal(err)
		}
		if code, _ := e.client().login("wenmi", demo.Password); code != http.StatusSeeOther {
			t.Fatalf("sign-in with the old hash: %d", code)
		}
		after, _ := e.store.Credentials(ctx, "wenmi")
		if after.PasswordHash == oldHash || account.NeedsRehash(after.PasswordHash) || !strings.Contains(after.PasswordHash, fmt.Sprintf("m=%d,t=%d,p=%d", account.DefaultParams.Memory, account.DefaultParams.Time, account.DefaultParams.Threads)) {
			t.Fatalf("not rehashed: %s", after.PasswordHash)
		}
		if ok, _ := account.VerifyPassword(after.PasswordHash, demo.Password); !ok {
			t.Fatal("new hash does not verify")
		}
	})
}

// oldDemoKey is the argon2id key of the demo password under the earlier
// parameters (m=64 MiB, t=3, p=2) with the salt above.
func oldDemoKey(t *testing.T) string {
	t.Helper()
	return base64.RawStdEncoding.EncodeToString(argon2.IDKey([]byte(demo.Password), []byte("shuniu-test-salt"), 3, 64*1024, 2, 32))
}

// After sign-in the browser goes only to a path on this site.
func TestLoginRedirectStaysOnSite(t *testing.T) {
	e := newEnv(t)
	for next, want := range map[string]string{
		"/\t/127.0.0.1:9999/pwned": "/",
		"//evil.example/":          "/",
		"/\\evil.example/":         "/",
		"/%2F/evil.example":        "/",
		"/ /evil.example":          "/",
		"https://evil.example/":    "/",
		"/docs?filter=todo":        "/docs?filter=todo",
	} {
		c := e.client()
		_, page, _ := c.get("/login?next=" + url.QueryEscape(next))
		code, _, h := c.post("/login", url.Values{"login": {"wenmi"}, "password": {demo.Password}, "next": {next}})
		if code != http.StatusSeeOther || h.Get("Location") != want {
			t.Errorf("next %q: %d → %q, want %q", next, code, h.Get("Location"), want)
		}
		if want == "/" && strings.Contains(page, "evil") {
			t.Errorf("next %q echoed on the login page", next)
		}
	}
}

// /metrics is not on the public address.
func TestMetricsNotPublic(t *testing.T) {
	e := newEnv(t)
	resp, err := http.Get(e.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(b), "shuniu_http_requests_total") || resp.StatusCode == http.StatusOK {
		t.Errorf("public /metrics: %d", resp.StatusCode)
	}
	if !strings.Contains(e.metrics(), "shuniu_password_hashes_total") {
		t.Error("metrics handler without the hashing counter")
	}
}
