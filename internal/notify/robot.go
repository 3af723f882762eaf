package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// request builds the URL and body of a delivery in the webhook's format.
func (w Webhook) request(d Delivery) (string, []byte, error) {
	link := d.Link
	if strings.HasPrefix(link, "/") && w.BaseURL != "" {
		link = strings.TrimRight(w.BaseURL, "/") + link
	}
	text := "【枢纽】" + d.Subject
	if d.Body != "" && d.Body != d.Subject {
		text += "\n" + d.Body
	}
	if link != "" {
		text += "\n" + link
	}
	var mobiles []string
	if d.Address != "" {
		mobiles = []string{d.Address}
	}
	switch w.format() {
	case FormatJSON:
		d.Link = link
		b, err := json.Marshal(d)
		return w.URL, b, err
	case FormatWeCom:
		// 企业微信群机器人: text with mentioned_mobile_list.
		b, err := json.Marshal(map[string]any{
			"msgtype": "text",
			"text":    map[string]any{"content": text, "mentioned_mobile_list": mobiles},
		})
		return w.URL, b, err
	case FormatDingTalk:
		// 钉钉自定义机器人: the @ shows only when the text names the mobile too.
		if d.Address != "" {
			text += "\n@" + d.Address
		}
		b, err := json.Marshal(map[string]any{
			"msgtype": "text",
			"text":    map[string]any{"content": text},
			"at":      map[string]any{"atMobiles": mobiles, "isAtAll": false},
		})
		if err != nil {
			return "", nil, err
		}
		target := w.URL
		if w.Secret != "" {
			target, err = dingTalkSigned(w.URL, w.Secret, w.now())
		}
		return target, b, err
	}
	return "", nil, fmt.Errorf("未知的 webhook 格式 %q（可选 json、wecom、dingtalk）", w.Format)
}

func (w Webhook) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// dingTalkSigned adds 钉钉's 加签 to a robot URL: timestamp (ms) and
// sign = base64(HMAC-SHA256(secret, timestamp+"\n"+secret)).
func dingTalkSigned(raw, secret string, now time.Time) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("钉钉机器人地址无效: %w", err)
	}
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "\n" + secret))
	q := u.Query()
	q.Set("timestamp", ts)
	q.Set("sign", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// robotAnswer reads a robot's answer: both platforms answer 200 with an
// errcode; 0 is success. Other codes (rate limits, a robot removed from the
// group) are retried up to MaxAttempts; the delivery log keeps the message.
func robotAnswer(body []byte) error {
	var a struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(body, &a); err != nil {
		return fmt.Errorf("robot answered %q: %w", truncate(string(body), 200), err)
	}
	if a.ErrCode != 0 {
		return fmt.Errorf("robot answered errcode %d: %s", a.ErrCode, truncate(a.ErrMsg, 200))
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
