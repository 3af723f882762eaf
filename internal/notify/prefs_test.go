package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestTopicOf(t *testing.T) {
	for kind, want := range map[string]Topic{
		"document.task":              TopicTask,
		"document.forward":           TopicTask,
		"supervise.assigned":         TopicTask,
		"supervise.reopened":         TopicTask,
		"document.urge":              TopicUrge,
		"supervise.urged":            TopicUrge,
		"supervise.overdue":          TopicUrge,
		"supervise.report_reminder":  TopicUrge,
		"supervise.escalate":         TopicUrge,
		"document.late.sign_for":     TopicUrge,
		"document.return":            TopicAnswer,
		"document.disagree":          TopicAnswer,
		"document.close":             TopicAnswer,
		"supervise.signed_for":       TopicAnswer,
		"supervise.extension_denied": TopicAnswer,
		DigestKind:                   TopicDigest,
	} {
		if got := TopicOf(kind); got != want {
			t.Errorf("TopicOf(%q) = %s, want %s", kind, got, want)
		}
	}
}

func TestPrefsValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		p    Prefs
		bad  string // part of the message; "" when valid
	}{
		{"zero", Prefs{}, ""},
		{"mail", Prefs{Email: "wang@qinglan.gov.cn", Channels: map[string][]Topic{ChannelSMTP: {TopicTask, TopicDigest}}}, ""},
		{"phone only", Prefs{Channels: map[string][]Topic{ChannelWebhook: {TopicUrge}}}, ""},
		{"digest in inbox", Prefs{Channels: map[string][]Topic{ChannelInbox: {TopicDigest}}}, ""},
		{"mail without address", Prefs{Channels: map[string][]Topic{ChannelSMTP: {TopicTask}}}, "请填写电子邮件地址"},
		{"bad address", Prefs{Email: "王@", Channels: nil}, "格式不正确"},
		{"address with name", Prefs{Email: "王 <wang@x.cn>"}, "格式不正确"},
		{"header injection", Prefs{Email: "a@b.cn\r\nBcc: c@d.cn"}, "格式不正确"},
		{"long", Prefs{Email: strings.Repeat("a", 250) + "@b.cn"}, "不能超过"},
		{"unknown channel", Prefs{Channels: map[string][]Topic{"sms": {TopicTask}}}, "未知的通知渠道"},
		{"unknown topic", Prefs{Channels: map[string][]Topic{ChannelWebhook: {"gossip"}}}, "未知的通知类别"},
	} {
		err := c.p.Validate()
		switch {
		case c.bad == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.bad != "" && (err == nil || !strings.Contains(err.Error(), c.bad)):
			t.Errorf("%s: got %v, want an error with %q", c.name, err, c.bad)
		}
	}
}

func TestPrefsRoutes(t *testing.T) {
	p := Prefs{Email: "wang@qinglan.gov.cn", Channels: map[string][]Topic{
		ChannelSMTP:    {TopicAnswer, TopicDigest},
		ChannelWebhook: {TopicTask, TopicUrge},
	}}
	both := []string{ChannelSMTP, ChannelWebhook}
	for _, c := range []struct {
		kind, phone string
		configured  []string
		want        []Route
	}{
		{"document.task", "13800000001", both, []Route{{ChannelWebhook, "13800000001"}}},
		{"document.task", "", both, nil}, // no phone: nowhere to send
		{"document.close", "13800000001", both, []Route{{ChannelSMTP, "wang@qinglan.gov.cn"}}},
		{"supervise.overdue", "13800000001", []string{ChannelSMTP}, nil}, // webhook not configured
		{DigestKind, "13800000001", both, []Route{{ChannelSMTP, "wang@qinglan.gov.cn"}}},
	} {
		if got := p.Routes(c.kind, c.phone, c.configured); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Routes(%s, %q, %v) = %v, want %v", c.kind, c.phone, c.configured, got, c.want)
		}
	}
	if (Prefs{}).WantsDigest() || !p.WantsDigest() || !(Prefs{Channels: map[string][]Topic{ChannelInbox: {TopicDigest}}}).WantsDigest() {
		t.Error("WantsDigest")
	}
	if !(Prefs{}).Wants(ChannelInbox, TopicTask) {
		t.Error("every message but the digest lands in the inbox")
	}
}

// TestWebhookFormats posts a delivery in each format to a local server and
// checks what a 企业微信 or 钉钉 robot (or the generic receiver) would get.
func TestWebhookFormats(t *testing.T) {
	type got struct {
		query  string
		header http.Header
		body   map[string]any
	}
	var last got
	answer := `{"errcode":0,"errmsg":"ok"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		last = got{query: r.URL.RawQuery, header: r.Header.Clone()}
		if err := json.Unmarshal(b, &last.body); err != nil {
			t.Errorf("body is not JSON: %s", b)
		}
		io.WriteString(w, answer)
	}))
	defer srv.Close()
	d := Delivery{Key: "doc:1:2:task:p", Channel: "webhook", Address: "13800000001", Subject: "待办：《关于做好防汛工作的通知》待您核稿", Body: "王芳交来《关于做好防汛工作的通知》，请核稿。", Link: "/docs/1", Attempt: 1}
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	ctx := context.Background()

	// 企业微信 / 政务微信.
	if err := (Webhook{URL: srv.URL + "/cgi-bin/webhook/send?key=K", Format: FormatWeCom, BaseURL: "https://oa.qinglan.gov.cn/"}).Send(ctx, d); err != nil {
		t.Fatal(err)
	}
	text, _ := last.body["text"].(map[string]any)
	if last.body["msgtype"] != "text" || !strings.Contains(text["content"].(string), "【枢纽】待办") ||
		!strings.Contains(text["content"].(string), "https://oa.qinglan.gov.cn/docs/1") ||
		!reflect.DeepEqual(text["mentioned_mobile_list"], []any{"13800000001"}) || last.query != "key=K" {
		t.Errorf("wecom: %v %q", last.body, last.query)
	}

	// 钉钉, signed.
	wh := Webhook{URL: srv.URL + "/robot/send?access_token=T", Format: FormatDingTalk, Secret: "SECabc", Now: func() time.Time { return now }}
	if err := wh.Send(ctx, d); err != nil {
		t.Fatal(err)
	}
	at, _ := last.body["at"].(map[string]any)
	text, _ = last.body["text"].(map[string]any)
	if !reflect.DeepEqual(at["atMobiles"], []any{"13800000001"}) || !strings.HasSuffix(text["content"].(string), "@13800000001") {
		t.Errorf("dingtalk: %v", last.body)
	}
	mac := hmac.New(sha256.New, []byte("SECabc"))
	mac.Write([]byte("1796634000000\nSECabc"))
	q, _ := parseQuery(last.query)
	if q["access_token"] != "T" || q["timestamp"] != "1796634000000" || q["sign"] != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
		t.Errorf("dingtalk signature: %q", last.query)
	}

	// A robot's refusal comes as 200 with an errcode: retried, not lost.
	answer = `{"errcode":45009,"errmsg":"api freq out of limit"}`
	if err := wh.Send(ctx, d); err == nil || !strings.Contains(err.Error(), "45009") {
		t.Errorf("errcode: %v", err)
	}
	answer = `ok`

	// The generic JSON receiver gets the delivery, signed.
	if err := (Webhook{URL: srv.URL, Secret: "s"}).Send(ctx, d); err != nil {
		t.Fatal(err)
	}
	if last.body["key"] != d.Key || last.header.Get("Idempotency-Key") != d.Key || !strings.HasPrefix(last.header.Get("X-Shuniu-Signature"), "sha256=") {
		t.Errorf("json: %v %v", last.body, last.header)
	}

	var perm *Permanent
	if err := (Webhook{URL: srv.URL, Format: "sms"}).Send(ctx, d); err == nil || !asPermanent(err, &perm) {
		t.Errorf("unknown format: %v", err)
	}
}

func parseQuery(q string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range strings.Split(q, "&") {
		k, v, _ := strings.Cut(kv, "=")
		uv, err := urlUnescape(v)
		if err != nil {
			return nil, err
		}
		out[k] = uv
	}
	return out, nil
}

func urlUnescape(s string) (string, error) { return url.QueryUnescape(s) }

func asPermanent(err error, p **Permanent) bool { return errors.As(err, p) }
