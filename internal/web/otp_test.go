package web_test

import (
	"encoding/base32"
	"html"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/account"
	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// otpSecret reads the pending secret off the 动态口令 page.
func otpSecret(t *testing.T, page string) []byte {
	t.Helper()
	m := regexp.MustCompile(`data-testid="otp-secret">([A-Z2-7 ]+)<`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no secret on the page: %s", firstLines(page, "状态", 3))
	}
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ReplaceAll(m[1], " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSigningNeedsOTP: on both stores, the office director enrols an
// authenticator app on 动态口令 (secret, otpauth:// URL and QR code, confirmed
// with a code); their 签发 is then refused without a code, and with a wrong
// one, in Chinese; five wrong codes stop their signing until the lockout
// passes; with the current code it is signed and shows 已验签; the same code
// is not taken twice; stopping needs a code too.
func TestSigningNeedsOTP(t *testing.T) {
	master, err := gmcrypto.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)}
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler), MasterKey: master}, func(t *testing.T, s *store.Store) {
		c.t = time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)
		e := newProofEnvWith(t, s, c, false, func(o *web.Options) { o.MasterKey = master })
		rec := e.proofDraft(document.Unclassified)
		e.toReview(rec)
		office := e.unit("政府办")
		cs := e.child(office.ID, "综合科")
		e.act(e.byLogin("wenmi"), rec.ID, route.Request{Op: route.Approve, Comment: "核稿无误", Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Leader, Unit: cs.ID}}}})
		e.act(e.head(cs.ID), rec.ID, route.Request{Op: route.Approve, Comment: "同意"})
		leader := e.head(office.ID)
		lc := e.client()
		lc.login(leader.Login, demo.Password)

		// Enrolment.
		if code, page, _ := lc.get("/otp"); code != 200 || !strings.Contains(page, "未启用") {
			t.Fatalf("otp page: %d", code)
		}
		code, page, _ := lc.post("/otp/start", url.Values{})
		if code != 200 || !strings.Contains(page, "待确认") || !strings.Contains(html.UnescapeString(page), "otpauth://totp/") {
			t.Fatalf("start: %d %s", code, firstLines(page, "状态", 2))
		}
		secret := otpSecret(t, page)
		if code, png, h := lc.get("/otp/qr.png"); code != 200 || h.Get("Content-Type") != "image/png" || !strings.HasPrefix(png, "\x89PNG") {
			t.Fatalf("qr: %d %s", code, h.Get("Content-Type"))
		}
		now := func() string { return account.TOTPCode(account.TOTPSHA1, secret, account.TOTPStepAt(c.t), 6) }
		if code, page, _ := lc.post("/otp/confirm", url.Values{"code": {"12345"}}); code != 422 || !strings.Contains(page, "6 位数字") {
			t.Fatalf("confirm with five digits: %d %s", code, firstLines(page, `class="alert`, 1))
		}
		if code, page, _ := lc.post("/otp/confirm", url.Values{"code": {now()}}); code != 200 || !strings.Contains(page, "已启用") {
			t.Fatalf("confirm: %d %s", code, firstLines(page, `class="alert`, 1))
		}
		c.t = c.t.Add(account.TOTPStep)

		// 签发: the page asks for the code; the API refuses without it.
		task := taskID(t, e, leader.ID, rec.ID)
		if _, page, _ := lc.get("/docs/" + rec.ID); !strings.Contains(page, `data-testid="otp"`) {
			t.Error("the sign-off form does not ask for the 动态口令")
		}
		signOff := func(otp string) (int, map[string]any) {
			body := map[string]any{"op": "approve", "task": task, "comment": "同意印发"}
			if otp != "" {
				body["otp"] = otp
			}
			code, out, _ := lc.call("POST", "/api/v1/documents/"+rec.ID+"/act", body)
			return code, out
		}
		if code, out := signOff(""); code != 422 || !strings.Contains(out["error"].(string), "动态口令") {
			t.Fatalf("without a code: %d %v", code, out)
		}
		wrong := "000000"
		if wrong == now() {
			wrong = "111111"
		}
		for i := 1; i <= account.TOTPMaxFailures; i++ {
			code, out := signOff(wrong)
			if code != 422 {
				t.Fatalf("wrong code %d: %d %v", i, code, out)
			}
			if want := map[bool]string{true: "暂停", false: "不正确"}[i == account.TOTPMaxFailures]; !strings.Contains(out["error"].(string), want) {
				t.Fatalf("wrong code %d: %v, want %q", i, out["error"], want)
			}
		}
		if code, out := signOff(now()); code != 422 || !strings.Contains(out["error"].(string), "暂停") {
			t.Fatalf("the right code while stopped: %d %v", code, out)
		}
		c.t = c.t.Add(account.TOTPLockout)
		used := now()
		if code, out := signOff(used); code != 200 {
			t.Fatalf("with the code: %d %v", code, out)
		}
		if _, page, _ := lc.get("/docs/" + rec.ID); !strings.Contains(page, ">已验签<") {
			t.Error("the signed 签发意见 does not show 已验签")
		}
		// Each code once: stopping with the code just used is refused.
		if code, page, _ := lc.post("/otp/remove", url.Values{"code": {used}}); code != 422 || !strings.Contains(page, "已使用过") {
			t.Fatalf("remove with a used code: %d %s", code, firstLines(page, `class="alert`, 1))
		}
		c.t = c.t.Add(account.TOTPStep)
		if code, page, _ := lc.post("/otp/remove", url.Values{"code": {now()}}); code != 200 || !strings.Contains(page, "未启用") {
			t.Fatalf("remove: %d %s", code, firstLines(page, `class="alert`, 1))
		}
		es, _ := s.ListAudit(t.Context(), store.AuditFilter{ActorID: leader.ID})
		var acts []string
		for _, en := range es {
			if strings.HasPrefix(en.Action, "otp.") {
				acts = append(acts, en.Action)
			}
		}
		if strings.Join(acts, ",") != "otp.enrol,otp.stopped,otp.remove" && strings.Join(acts, ",") != "otp.remove,otp.stopped,otp.enrol" {
			t.Errorf("audited: %v", acts)
		}
	})
}
