package web_test

import (
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shuniu-oa/shuniu/internal/account"
	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// TestBrowserSignOffWithOTP: a leader who has enrolled a 动态口令 signs off
// in the browser: the form asks for the code, a wrong one is refused with
// the opinion kept, the current one signs (已验签).
func TestBrowserSignOffWithOTP(t *testing.T) {
	master, err := gmcrypto.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)}
	s := storetest.SQLite(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler), MasterKey: master})
	e := newProofEnvWith(t, s, c, false, func(o *web.Options) { o.MasterKey = master })
	ctx := browser(t)
	rec := e.proofDraft(document.Unclassified)
	e.toReview(rec)
	office := e.unit("政府办")
	cs := e.child(office.ID, "综合科")
	e.act(e.byLogin("wenmi"), rec.ID, route.Request{Op: route.Approve, Comment: "核稿无误", Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Leader, Unit: cs.ID}}}})
	e.act(e.head(cs.ID), rec.ID, route.Request{Op: route.Approve, Comment: "同意"})
	leader := e.head(office.ID)
	lc := e.client()
	lc.login(leader.Login, demo.Password)
	_, page, _ := lc.post("/otp/start", url.Values{})
	secret := otpSecret(t, page)
	now := func() string { return account.TOTPCode(account.TOTPSHA1, secret, account.TOTPStepAt(c.t), 6) }
	if code, page, _ := lc.post("/otp/confirm", url.Values{"code": {now()}}); code != 200 || !strings.Contains(page, "已启用") {
		t.Fatalf("confirm: %d", code)
	}
	c.t = c.t.Add(account.TOTPStep)

	w := &walker{t: t, ctx: ctx, e: e}
	w.as(leader)
	w.open(rec.ID)
	wrong := "000000"
	if wrong == now() {
		wrong = "111111"
	}
	w.do(comment("sign_off", "同意印发"), chromedp.SetValue(inTask("sign_off", `[data-testid=otp]`), wrong),
		chromedp.Click(inTask("sign_off", `[data-testid=approve]`)), chromedp.WaitVisible(`.alert`))
	if msg := w.text(`.alert`); !strings.Contains(msg, "动态口令不正确") {
		t.Fatalf("a wrong code: %q", msg)
	}
	w.act(rec.ID, "sign_off", "approve", comment("sign_off", "同意印发"), chromedp.SetValue(inTask("sign_off", `[data-testid=otp]`), now()))
	w.open(rec.ID)
	if got := w.text(`[data-testid=opinion-sig]`); !strings.Contains(got, "已验签") {
		t.Errorf("the 签发意见 shows %q", got)
	}
}
