package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/account"
	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// FuzzRoutes sends whatever the fuzzer makes to every route the server
// registers (read from its mux, as the authorization matrix does), as each
// demo role, through the whole handler chain: a form or a JSON body, a query
// for a GET, and a file for the routes that take uploads (documents'
// attachments and scans, seal images, the 清单 .xlsx, evidence of progress).
// Whatever arrives, the server never answers 5xx (a panic is recovered
// into a 500, so it is caught too), and a refusal (4xx) is a message in
// Chinese. A crash is kept in testdata/fuzz/FuzzRoutes; the database is
// not reset between inputs, so a few replay only with what came before.
func FuzzRoutes(f *testing.F) {
	fx := newRouteFuzz(f)
	for _, s := range []struct {
		route, role int
		body        string
		file        string
	}{
		{fx.index("POST /docs/{id}/edit"), 3, "title=改为关于做好冬季防火工作的通知&version=1&body=各科室：%0A一、检查", ""},
		{fx.index("POST /docs/{id}/act"), 3, "op=approve&task=1&next=person:{person}&comment=请审核", ""},
		{fx.index("POST /api/v1/documents/{id}/act"), 3, `{"op":"forward","task":1,"to":"unit:{unit}"}`, ""},
		{fx.index("POST /api/v1/documents"), 3, `{"unit_id":"{unit}","document":{"type":"notice","title":"关于试行的通知","body":"各单位："}}`, ""},
		{fx.index("POST /docs/new"), 3, "type=notice&title=关于…的通知&body=一、&level=1&period=5&urgency=加急&unit={unit}", "%PDF-1.7\n"},
		{fx.index("POST /incoming/new"), 5, "type=notice&title=来文&from=市政府办公室&number=云政发〔2026〕3号&unit={unit}", "PK\x03\x04"},
		{fx.index("POST /docs/signfor"), 0, "item={doc}:1&item={doc}:x", ""},
		{fx.index("POST /api/v1/documents/sign-for"), 0, `{"items":[{"document":"{doc}","task":2}]}`, ""},
		{fx.index("POST /docs/{id}/classify"), 5, "level=2&period=10&basis=依据&version=1", ""},
		{fx.index("POST /docs/{id}/annotations"), 3, "start=0&end=999999999&comment=批注", ""},
		{fx.index("GET /docs"), 0, "q=通知&tab=done&page=-1&sort=x", ""},
		{fx.index("GET /docs/{id}/diff"), 3, "from=1&to=99999999999999999999", ""},
		{fx.index("GET /login"), 0, "next=%2F%09%2F127.0.0.1:9999%2Fpwned", ""},
		{fx.index("POST /supervise"), 4, "source=meeting&title=立项&lead_unit={unit}&workdays=10&schedule=每周五&date=2026年6月底", ""},
		{fx.index("POST /api/v1/supervise/items"), 4, `{"source":"instruction","ref":"{doc}","title":"x","workdays":"0"}`, ""},
		{fx.index("POST /supervise/items/{id}/{op}"), 4, "text=进展&percent=120&date=2026-13-01", "evidence"},
		{fx.index("POST /supervise/import"), 4, "name=2026年民生实事&assign=1", "PK\x03\x04\x14\x00"},
		{fx.index("GET /supervise/stats"), 4, "from=2026-01-01&to=2025-01-01&unit={unit}", ""},
		{fx.index("POST /security/seals"), 7, "unit={unit}&name=印章&kind=government", "\x89PNG\r\n\x1a\n"},
		{fx.index("POST /admin/calendar/days"), 6, "date=2026-12-31&kind=放假&name=元旦", ""},
		{fx.index("POST /admin/calendar/years"), 6, "year=2027&days=2027-01-01 放假 元旦%0A2027-02-30 上班", ""},
		{fx.index("POST /admin/calendar/hours"), 6, "hours=08:30-12:00,14:30-24:01", ""},
		{fx.index("POST /admin/calendar/signfor"), 6, "urgent_n=2&urgent_unit=work_hours&ordinary_n=-1", ""},
		{fx.index("PUT /api/v1/calendar/years/{year}"), 6, `{"source":"x","days":[{"date":"2026-02-30","kind":"holiday"}]}`, ""},
		{fx.index("POST /org/units/{id}/routes/{kind}"), 1, "name_0=拟稿&actor_0=role:x&limit_n_0=400&new_name=会签&new_actor=chosen", ""},
		{fx.index("POST /org/units"), 6, "name=新单位&short_name=新&kind=department&parent={unit}", ""},
		{fx.index("POST /people"), 6, "name=张三&login=zhangsan&unit={unit}&title=科员", ""},
		{fx.index("POST /people/{id}/clearance"), 7, "level=9", ""},
		{fx.index("POST /people/{id}/delegations"), 2, "to={person}&from=2026-12-01&until=2026-11-01", ""},
		{fx.index("POST /tokens"), 0, "name=脚本&days=400", ""},
		{fx.index("POST /settings/proofread/lists"), 1, "organs=区经信委|区经济和信息化局&leaders=王|区长&banned=a|b|c|d", ""},
		{fx.index("POST /api/v1/proofread"), 3, `{"text":"关于进一步加强的的通知","format":"x"}`, ""},
		{fx.index("POST /security/grants"), 7, "person={person}&document={doc}&until=2026-01-01", ""},
		{fx.index("POST /inbox/read"), 3, "id=1&id=x", ""},
		{fx.index("POST /meetings"), 0, "title=常务会&kind=executive&room=x&date=2026-13-01&start=25:00&end=9&slot=1-x&leader={person}&unit={unit}", ""},
		{fx.index("POST /api/v1/meetings"), 0, `{"title":"会","kind":"work","date":"2026-12-08","start":"09:00","end":"08:00","unit":["{unit}"]}`, ""},
		{fx.index("POST /meetings/{id}/{op}"), 3, "answer=substitute&person={person}&t=zz.AAAA&due=2026-02-30&task=x&route_op=approve", ""},
	} {
		f.Add(uint16(s.route), uint8(s.role), s.body, []byte(s.file))
	}
	f.Fuzz(func(t *testing.T, pick uint16, role uint8, body string, file []byte) {
		fx.check(t, pick, role, body, file)
	})
}

// routeFuzz is the server under fuzzing, its signed-in roles and the
// objects the routes' {id}s name.
type routeFuzz struct {
	h        http.Handler
	patterns []string
	roles    []fuzzSession
	ids      map[string]string // placeholder → id
}

type fuzzSession struct{ cookie, csrf string }

// fuzzOps are what {op} of a supervision item's route can be.
var fuzzOps = []string{"assign", "sign_for", "report", "request_close", "review", "request_extension",
	"decide_extension", "urge", "sign_urging", "contact", "satisfaction", "nothing"}

// uploadRoutes take a multipart form with a file.
var uploadRoutes = []string{"POST /docs/new", "POST /incoming/new", "POST /docs/{id}/files", "POST /api/v1/documents/{id}/files",
	"POST /supervise/items/{id}/{op}", "POST /api/v1/supervise/items/{id}/{op}", "POST /supervise/import", "POST /api/v1/supervise/import",
	"POST /security/seals", "POST /api/v1/seals"}

var hanChar = regexp.MustCompile(`\p{Han}`)

func newRouteFuzz(f *testing.F) *routeFuzz {
	c := &clock{t: time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)}
	s := storetest.SQLite(f, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)})
	ctx := context.Background()
	d := demo.NewDistrict(c.now())
	if err := demo.Seed(ctx, s, d); err != nil {
		f.Fatal(err)
	}
	srv, err := web.New(s, web.Options{Version: "test", Logger: slog.New(slog.DiscardHandler), DataDir: f.TempDir()})
	if err != nil {
		f.Fatal(err)
	}
	fx := &routeFuzz{h: srv.Handler(), ids: map[string]string{}}
	for _, p := range srv.Patterns() {
		switch p {
		case "POST /login", "POST /logout", "POST /password", // argon2 at each try; the sessions under test
			"GET /static/", "GET /docs/watch", "GET /api/v1/documents/watch": // long polls
			continue
		}
		fx.patterns = append(fx.patterns, p)
	}
	slices.Sort(fx.patterns) // the seeds' route numbers stay put as routes are added elsewhere in the list
	byLogin := map[string]org.Person{}
	for _, p := range d.People {
		byLogin[p.Login] = p
	}
	primary := func(p org.Person) string {
		for _, pos := range d.Positions {
			if pos.PersonID == p.ID && pos.Primary {
				return pos.UnitID
			}
		}
		f.Fatalf("%s has no primary position", p.Login)
		return ""
	}
	for _, login := range []string{"wenmi", "zhuren", "lingdao", "chengban", "ducha", "jiyao", "sysadmin", "secadmin", "auditor"} {
		secret, hash, err := account.NewToken()
		if err != nil {
			f.Fatal(err)
		}
		csrf, _, _ := account.NewToken()
		if err := s.Write(ctx, func(tx *store.Tx) error {
			return tx.CreateSession(ctx, store.Session{TokenHash: hash, PersonID: byLogin[login].ID, CSRF: csrf, Created: c.now(), LastSeen: c.now(), IP: "127.0.0.1"})
		}); err != nil {
			f.Fatal(err)
		}
		fx.roles = append(fx.roles, fuzzSession{cookie: secret, csrf: csrf})
	}
	chengban := byLogin["chengban"]
	rec, err := s.CreateOutgoing(ctx, chengban, store.NewOutgoing{UnitID: primary(chengban), Doc: document.Document{
		Type: document.Notice, Title: "关于做好冬季防火工作的通知", Body: document.ParseBody("各科室：\n一、检查消防设施")}})
	if err != nil {
		f.Fatal(err)
	}
	fx.ids["{doc}"] = rec.ID
	fx.ids["{unit}"] = primary(chengban)
	fx.ids["{person}"] = byLogin["wenmi"].ID
	// A supervision item, made as the 督查员 makes it.
	ducha := fx.roles[4]
	code, out := fx.send("POST", "/api/v1/supervise/items", ducha, "application/json",
		[]byte(`{"source":"meeting","title":"冬季防火检查","lead_unit":"`+primary(chengban)+`","workdays":"10","schedule":"每周五","instruction":"请各单位于月底前完成检查。","instructor":"区长"}`))
	var created map[string]any
	_ = json.Unmarshal(out, &created)
	if code != http.StatusCreated || created["id"] == nil {
		f.Fatalf("立项: %d %s", code, out)
	}
	fx.ids["{item}"] = created["id"].(string)
	return fx
}

func (fx *routeFuzz) index(pattern string) int {
	i := slices.Index(fx.patterns, pattern)
	if i < 0 {
		panic("FuzzRoutes seed names an unknown route " + pattern)
	}
	return i
}

// path fills a pattern's wildcards with the fixtures.
func (fx *routeFuzz) path(p string, op string) string {
	id := "x"
	switch {
	case strings.HasPrefix(p, "/docs/"), strings.HasPrefix(p, "/api/v1/documents/"):
		id = fx.ids["{doc}"]
	case strings.HasPrefix(p, "/supervise/items/"), strings.HasPrefix(p, "/api/v1/supervise/items/"):
		id = fx.ids["{item}"]
	case strings.HasPrefix(p, "/org/units/"):
		id = fx.ids["{unit}"]
	case strings.HasPrefix(p, "/people/"), strings.HasPrefix(p, "/api/v1/people/"):
		id = fx.ids["{person}"]
	}
	return strings.NewReplacer("{id}", id, "{op}", op, "{kind}", "outgoing", "{aid}", "1", "{seq}", "1",
		"{sha}", strings.Repeat("0", 64), "{date}", "2026-12-31", "{year}", "2026", "{$}", "").Replace(p)
}

func (fx *routeFuzz) fill(s string) string {
	for k, v := range fx.ids {
		s = strings.ReplaceAll(s, k, v)
	}
	return s
}

func (fx *routeFuzz) send(method, target string, who fuzzSession, contentType string, body []byte) (int, []byte) {
	// The query goes in raw, whatever bytes it holds (httptest.NewRequest
	// would parse it as a request line and panic on a space).
	path, query, _ := strings.Cut(target, "?")
	r := httptest.NewRequest(method, "http://shuniu.test/", bytes.NewReader(body))
	r.URL.Path, r.URL.RawQuery, r.RequestURI = path, query, target
	r.RemoteAddr = "127.0.0.1:1234"
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	r.AddCookie(&http.Cookie{Name: "shuniu_session", Value: who.cookie})
	r.Header.Set("X-CSRF-Token", who.csrf)
	w := httptest.NewRecorder()
	fx.h.ServeHTTP(w, r)
	return w.Code, w.Body.Bytes()
}

func (fx *routeFuzz) check(t *testing.T, pick uint16, role uint8, body string, file []byte) {
	pattern := fx.patterns[int(pick)%len(fx.patterns)]
	op := fuzzOps[int(pick)/len(fx.patterns)%len(fuzzOps)]
	who := fx.roles[int(role)%len(fx.roles)]
	method, p, _ := strings.Cut(pattern, " ")
	target := fx.path(p, op)
	body = fx.fill(body)
	var ct string
	var payload []byte
	switch {
	case method == http.MethodGet || method == http.MethodHead:
		target += "?" + body
	case slices.Contains(uploadRoutes, pattern):
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		fields, _ := url.ParseQuery(body)
		if strings.HasPrefix(body, "{") { // a JSON body's strings, as fields
			var m map[string]any
			_ = json.Unmarshal([]byte(body), &m)
			for k, v := range m {
				if s, ok := v.(string); ok {
					fields.Set(k, s)
				}
			}
		}
		for k, vs := range fields {
			for _, v := range vs {
				_ = mw.WriteField(k, v)
			}
		}
		name := fields.Get("filename")
		if name == "" {
			name = "附件.docx"
		}
		for _, field := range []string{"files", "scan", "image", "file"} {
			if w, err := mw.CreateFormFile(field, name); err == nil {
				_, _ = w.Write(file)
			}
		}
		_ = mw.Close()
		ct, payload = mw.FormDataContentType(), b.Bytes()
	case strings.HasPrefix(p, "/api/"):
		ct, payload = "application/json", []byte(body)
	default:
		ct, payload = "application/x-www-form-urlencoded", []byte(body)
	}
	code, out := fx.send(method, target, who, ct, payload)
	switch {
	case code >= 500:
		t.Fatalf("%s %s as role %d: %d\n%s", method, target, int(role)%len(fx.roles), code, out)
	case code >= 400 && !hanChar.Match(out):
		t.Fatalf("%s %s as role %d: %d without a Chinese message:\n%s", method, target, int(role)%len(fx.roles), code, out)
	}
}

// FuzzCredentials: a made-up bearer token or session cookie signs no one in.
// Whatever the Authorization header and the session cookie hold, the answer
// is 401 in Chinese or, for a page, a redirect to the sign-in page; never
// 2xx or 5xx.
func FuzzCredentials(f *testing.F) {
	fx := newRouteFuzz(f)
	f.Add("Bearer abc", "abc", uint8(0))
	f.Add("Bearer "+strings.Repeat("0", 43), "", uint8(1))
	f.Add("bearer x", "\x00;shuniu_session=y", uint8(2))
	f.Add("Basic d2VubWk6RGVtb0AyMDI2cWw=", strings.Repeat("a", 5000), uint8(3))
	paths := []string{"/api/v1/me", "/workbench", "/api/v1/documents", "/docs", "/api/v1/supervise/items", "/tokens"}
	f.Fuzz(func(t *testing.T, auth, cookie string, pick uint8) {
		path := paths[int(pick)%len(paths)]
		r := httptest.NewRequest(http.MethodGet, "http://shuniu.test"+path, nil)
		r.RemoteAddr = "127.0.0.1:1234"
		r.Header.Set("Authorization", auth)
		r.Header.Set("Cookie", "shuniu_session="+cookie)
		w := httptest.NewRecorder()
		fx.h.ServeHTTP(w, r)
		switch {
		case w.Code == http.StatusUnauthorized: // the API, or a page asked with a token
			if !hanChar.Match(w.Body.Bytes()) {
				t.Fatalf("%s with %q / %q: 401 without a Chinese message: %s", path, auth, cookie, w.Body.Bytes())
			}
		case strings.HasPrefix(path, "/api/"):
			t.Fatalf("%s with %q / %q: %d %s", path, auth, cookie, w.Code, w.Body.Bytes())
		case w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/login"):
			t.Fatalf("%s with %q / %q: %d, Location %q", path, auth, cookie, w.Code, w.Header().Get("Location"))
		}
	})
}
