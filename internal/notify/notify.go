// Package notify is how Shuniu tells people things: every message lands in
// the person's in-app inbox, and may also go out through channels — an SMTP
// sender and a generic webhook (for SMS gateways or a messaging app) — behind
// one interface, with retries and a delivery log kept by the store.
package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Message is one notice for one person. Key makes it idempotent: the same
// key is delivered once however often it is produced.
type Message struct {
	Key       string    `json:"key"`
	PersonID  string    `json:"person_id"`
	Kind      string    `json:"kind"` // e.g. "supervise.report_reminder", "document.urge"
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
	Link      string    `json:"link,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// Classified marks a message about a classified document: it stays in
	// the inbox and never goes out by mail or phone, whose networks are not
	// cleared for any of it (the 保密 rule: nothing of 涉密 work on 非涉密 channels).
	Classified bool `json:"-"`
}

// Validate checks a message before it is stored.
func (m Message) Validate() error {
	switch {
	case strings.TrimSpace(m.Key) == "" || len(m.Key) > 300:
		return errors.New("通知缺少幂等键或键过长")
	case m.PersonID == "":
		return errors.New("通知缺少接收人")
	case strings.TrimSpace(m.Subject) == "":
		return errors.New("通知缺少标题")
	}
	// Messages are written by the system from bounded fields (a title, an
	// opinion); these limits catch a rule that quotes too much.
	return textlimit.First(
		textlimit.Text("subject", "通知标题", MaxSubject, m.Subject),
		textlimit.Text("body", "通知内容", MaxBody, m.Body),
		textlimit.Text("link", "通知链接", MaxLink, m.Link),
	)
}

// Limits on a message, in characters.
const (
	MaxSubject = 500
	MaxBody    = 20_000
	MaxLink    = 2_000
)

// Delivery is a message on its way out through one channel to one address.
type Delivery struct {
	Key     string `json:"key"`
	Channel string `json:"channel"`
	Address string `json:"address"` // e-mail address, phone number or chat ID
	Subject string `json:"subject"`
	Body    string `json:"body"`
	Link    string `json:"link,omitempty"`
	Attempt int    `json:"attempt"` // 1 for the first try
}

// Channel sends deliveries. Send must be safe to retry: channels pass the
// delivery's key along so that the receiving end can drop duplicates.
type Channel interface {
	Name() string
	Send(ctx context.Context, d Delivery) error
}

// Permanent marks an error that retrying cannot cure (a rejected address).
type Permanent struct{ Err error }

func (p *Permanent) Error() string { return p.Err.Error() }
func (p *Permanent) Unwrap() error { return p.Err }

// Retry policy: exponential backoff from one minute, capped at an hour, for
// at most MaxAttempts tries.
const MaxAttempts = 8

// Backoff is the wait before attempt+1 after attempt failed.
func Backoff(attempt int) time.Duration {
	d := time.Minute
	for i := 1; i < attempt && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// SMTP sends e-mail through a relay.
type SMTP struct {
	Addr     string // host:port
	From     string
	Username string // optional PLAIN auth (only over TLS or to localhost, as net/smtp enforces)
	Password string
	BaseURL  string // prefixes a relative link, e.g. https://oa.example.gov.cn
}

// Name is "smtp".
func (s SMTP) Name() string { return "smtp" }

// Send sends one message. The Message-ID is derived from the key, so a relay
// or mail client can recognise a retried duplicate.
func (s SMTP) Send(ctx context.Context, d Delivery) error {
	if strings.ContainsAny(d.Address, "\r\n") || !strings.Contains(d.Address, "@") {
		return &Permanent{fmt.Errorf("无效的邮件地址 %q", d.Address)}
	}
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return &Permanent{fmt.Errorf("SMTP 地址无效: %w", err)}
	}
	var msg bytes.Buffer
	sum := sha256.Sum256([]byte(d.Key))
	fmt.Fprintf(&msg, "From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s@shuniu>\r\nDate: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
		s.From, d.Address, mime.BEncoding.Encode("UTF-8", d.Subject), hex.EncodeToString(sum[:16]), time.Now().Format(time.RFC1123Z))
	body := d.Body
	if link := d.Link; link != "" {
		if strings.HasPrefix(link, "/") && s.BaseURL != "" {
			link = strings.TrimRight(s.BaseURL, "/") + link
		}
		body += "\n\n" + link
	}
	enc := base64.StdEncoding.EncodeToString([]byte(body))
	for len(enc) > 76 {
		msg.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	msg.WriteString(enc + "\r\n")
	var auth smtp.Auth
	if s.Username != "" {
		auth = smtp.PlainAuth("", s.Username, s.Password, host)
	}
	done := make(chan error, 1)
	go func() { done <- smtp.SendMail(s.Addr, auth, s.From, []string{d.Address}, msg.Bytes()) }()
	select {
	case err := <-done:
		if err != nil {
			var te *textproto.Error
			if errors.As(err, &te) && te.Code >= 500 {
				return &Permanent{err}
			}
			return fmt.Errorf("smtp: %w", err)
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Webhook posts each delivery to a URL. In the generic format (Format "" or
// "json": for an SMS gateway or the deployment's own relay) the body is the
// delivery as JSON, signed with HMAC-SHA256 under a shared secret (header
// X-Shuniu-Signature) with the key in Idempotency-Key. The robot formats post
// to a work group's robot the text its platform takes, @-mentioning the
// person by phone: "wecom" for 企业微信 and 政务微信 group robots, "dingtalk"
// for 钉钉 and 专有钉钉 custom robots (signed with the robot's 加签 secret).
type Webhook struct {
	URL     string
	Secret  string
	Format  string // "" or "json", "wecom", "dingtalk"
	BaseURL string // prefixes a relative link, e.g. https://oa.example.gov.cn
	Client  *http.Client
	Now     func() time.Time // for the 钉钉 signature's timestamp; time.Now when nil
}

// Webhook formats.
const (
	FormatJSON     = "json"
	FormatWeCom    = "wecom"
	FormatDingTalk = "dingtalk"
)

// Name is "webhook".
func (w Webhook) Name() string { return "webhook" }

// Send posts the delivery; a 2xx answer is success (for the robots, one
// whose errcode is 0), 4xx (but 408 and 429) is permanent, anything else is
// retried.
func (w Webhook) Send(ctx context.Context, d Delivery) error {
	target, body, err := w.request(d)
	if err != nil {
		return &Permanent{err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return &Permanent{err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", d.Key)
	if w.format() == FormatJSON {
		mac := hmac.New(sha256.New, []byte(w.Secret))
		mac.Write(body)
		req.Header.Set("X-Shuniu-Signature", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	}
	c := w.Client
	if c == nil {
		c = &http.Client{Timeout: 15 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	switch {
	case resp.StatusCode/100 == 2:
		if w.format() != FormatJSON {
			return robotAnswer(answer)
		}
		return nil
	case resp.StatusCode/100 == 4 && resp.StatusCode != 408 && resp.StatusCode != 429:
		return &Permanent{fmt.Errorf("webhook answered %s", resp.Status)}
	}
	return fmt.Errorf("webhook answered %s", resp.Status)
}

func (w Webhook) format() string {
	if w.Format == "" {
		return FormatJSON
	}
	return w.Format
}
