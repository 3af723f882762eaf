package web_test

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestNotifyPrefsPage: a person chooses, on 通知设置, which messages also go
// by mail or phone; a bad choice is refused in Chinese with what they typed
// kept; the choice is theirs alone.
func TestNotifyPrefsPage(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)}
	e := newEnvOn(t, storetest.SQLite(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler),
		Channels: []string{notify.ChannelSMTP, notify.ChannelWebhook}}), c)
	clerk := e.byLogin("wenmi")
	cl := e.client()
	cl.login(clerk.Login, demo.Password)

	_, inbox, _ := cl.get("/inbox")
	if !strings.Contains(inbox, `href="/settings/notify"`) {
		t.Error("the inbox does not lead to 通知设置")
	}
	code, page, _ := cl.get("/settings/notify")
	if code != http.StatusOK || !strings.Contains(page, "电子邮件") || !strings.Contains(page, "每日待办汇总") || !strings.Contains(page, `data-testid="pref-webhook-task"`) {
		t.Fatalf("page: %d %s", code, page)
	}

	// Mail chosen without an address: refused, the choice kept on the form.
	code, page, _ = cl.post("/settings/notify", url.Values{"smtp": {"task", "digest"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "请填写电子邮件地址") || !strings.Contains(page, `data-testid="pref-smtp-digest" checked`) {
		t.Fatalf("refusal: %d %s", code, page)
	}
	if p, _ := e.store.NotifyPrefs(t.Context(), clerk.ID); len(p.Channels) != 0 {
		t.Fatalf("a refused choice was stored: %+v", p)
	}

	code, page, _ = cl.post("/settings/notify", url.Values{"email": {"wenmi@qinglan.gov.cn"}, "smtp": {"answer"}, "webhook": {"task", "urge"}, "inbox": {"digest"}})
	if code != http.StatusOK || !strings.Contains(page, "通知设置已保存") {
		t.Fatalf("save: %d %s", code, page)
	}
	p, _ := e.store.NotifyPrefs(t.Context(), clerk.ID)
	if p.Email != "wenmi@qinglan.gov.cn" || !p.Wants(notify.ChannelWebhook, notify.TopicUrge) || !p.Wants(notify.ChannelInbox, notify.TopicDigest) || p.Wants(notify.ChannelSMTP, notify.TopicTask) {
		t.Fatalf("stored: %+v", p)
	}

	// The API reads and writes the same shape.
	code, body, _ := cl.do(http.MethodGet, "/api/v1/settings/notify", "")
	if code != http.StatusOK || !strings.Contains(body, `"email":"wenmi@qinglan.gov.cn"`) {
		t.Fatalf("API read: %d %s", code, body)
	}
	code, body, _ = cl.do(http.MethodPut, "/api/v1/settings/notify", `{"email":"","channels":{"webhook":["gossip"]}}`)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "未知的通知类别") {
		t.Fatalf("API refusal: %d %s", code, body)
	}
	code, body, _ = cl.do(http.MethodPut, "/api/v1/settings/notify", `{"channels":{"webhook":["task"]}}`)
	if code != http.StatusOK {
		t.Fatalf("API write: %d %s", code, body)
	}
	if p, _ := e.store.NotifyPrefs(t.Context(), clerk.ID); p.Email != "" || !p.Wants(notify.ChannelWebhook, notify.TopicTask) || p.Wants(notify.ChannelWebhook, notify.TopicUrge) {
		t.Fatalf("after the API write: %+v", p)
	}
}
