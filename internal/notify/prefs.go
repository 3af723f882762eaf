package notify

import (
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"
)

// Topic groups message kinds the way a person thinks of them when choosing
// what reaches their phone or mail: every message always lands in the inbox;
// a topic decides which of them also go out through a channel.
type Topic string

const (
	TopicTask   Topic = "task"   // 新的待办：公文待办、转办、督办交办、重新办理
	TopicUrge   Topic = "urge"   // 催办、提醒、预警与逾期
	TopicAnswer Topic = "answer" // 回音：退回、撤回、不同意、办结、签收、进展反馈、延期答复
	TopicDigest Topic = "digest" // 每日待办汇总
)

// Topics are the topics in the order the settings page shows them.
var Topics = []Topic{TopicTask, TopicUrge, TopicAnswer, TopicDigest}

// Label is the topic's Chinese name.
func (t Topic) Label() string {
	switch t {
	case TopicTask:
		return "新的待办"
	case TopicUrge:
		return "催办、提醒与逾期预警"
	case TopicAnswer:
		return "回音（退回、不同意、签收、反馈、办结等）"
	case TopicDigest:
		return "每日待办汇总（工作日早 8:00）"
	}
	return string(t)
}

// DigestKind is the message kind of the daily 待办 digest.
const DigestKind = "notify.digest"

// TopicOf is the topic of a message kind ("document.task",
// "supervise.overdue"…). Kinds not named here are answers: news about work
// the person started or takes part in.
func TopicOf(kind string) Topic {
	switch kind {
	case DigestKind:
		return TopicDigest
	case "document.task", "document.forward", "supervise.assigned", "supervise.reopened", "duty.handover", "duty.swap_requested",
		"request.task", "request.forward", "request.return", "planner.programme":
		return TopicTask
	case "document.urge", "supervise.urged", "duty.event", "request.urge", "planner.tomorrow":
		return TopicUrge
	}
	if strings.HasPrefix(kind, "document.late") {
		return TopicUrge
	}
	switch strings.TrimPrefix(kind, "supervise.") {
	case "report_reminder", "report_missing", "due_soon", "overdue", "overdue_daily", "escalate", "sign_for_late", "urging_unsigned":
		return TopicUrge
	}
	return TopicAnswer
}

// Channel names, as configured by the deployment.
const (
	ChannelInbox   = "inbox" // chosen only for the digest: everything else always lands there
	ChannelSMTP    = "smtp"
	ChannelWebhook = "webhook"
)

// ChannelLabel is a channel's Chinese name on the settings page.
func ChannelLabel(name string) string {
	switch name {
	case ChannelInbox:
		return "站内消息"
	case ChannelSMTP:
		return "电子邮件"
	case ChannelWebhook:
		return "手机（短信网关或工作群机器人）"
	}
	return name
}

// Route is where one message goes beyond the inbox: a channel and an address.
type Route struct {
	Channel string
	Address string
}

// Prefs are one person's choices: which topics reach them through which
// channel, and their mail address. The webhook channel addresses the
// person's phone from the directory (an SMS gateway, or the @ of a group
// robot). The zero value sends nothing beyond the inbox.
type Prefs struct {
	Email    string             `json:"email,omitempty"`
	Channels map[string][]Topic `json:"channels,omitempty"`
}

// MaxEmail bounds a mail address (RFC 5321's path limit).
const MaxEmail = 254

// Validate checks the choices: a well-formed address when mail is chosen,
// known channels and topics only.
func (p Prefs) Validate() error {
	if p.Email != "" {
		if utf8.RuneCountInString(p.Email) > MaxEmail {
			return fmt.Errorf("电子邮件地址不能超过 %d 个字符", MaxEmail)
		}
		a, err := mail.ParseAddress(p.Email)
		if err != nil || a.Address != p.Email || strings.ContainsAny(p.Email, "\r\n") {
			return fmt.Errorf("电子邮件地址“%s”格式不正确", p.Email)
		}
	}
	for ch, ts := range p.Channels {
		if ch != ChannelInbox && ch != ChannelSMTP && ch != ChannelWebhook {
			return fmt.Errorf("未知的通知渠道“%s”", ch)
		}
		for _, t := range ts {
			if !slices.Contains(Topics, t) {
				return fmt.Errorf("未知的通知类别“%s”", t)
			}
		}
		if ch == ChannelSMTP && len(ts) > 0 && p.Email == "" {
			return errors.New("选择了电子邮件通知，请填写电子邮件地址")
		}
	}
	return nil
}

// Wants reports whether topic t goes out through channel ch. Every message
// but the digest lands in the inbox whatever is chosen.
func (p Prefs) Wants(ch string, t Topic) bool {
	if ch == ChannelInbox && t != TopicDigest {
		return true
	}
	return slices.Contains(p.Channels[ch], t)
}

// WantsDigest reports whether the person asked for the daily digest on any
// channel (in the inbox, or also by mail or phone).
func (p Prefs) WantsDigest() bool {
	for ch := range p.Channels {
		if p.Wants(ch, TopicDigest) {
			return true
		}
	}
	return false
}

// Routes are where a message of kind goes for a person with these choices
// and phone number, through the channels the deployment has configured.
// A channel without an address (no mail address, no phone) is skipped.
func (p Prefs) Routes(kind, phone string, configured []string) []Route {
	t := TopicOf(kind)
	var out []Route
	for _, ch := range []string{ChannelSMTP, ChannelWebhook} {
		if !slices.Contains(configured, ch) || !p.Wants(ch, t) {
			continue
		}
		addr := p.Email
		if ch == ChannelWebhook {
			addr = phone
		}
		if addr != "" {
			out = append(out, Route{Channel: ch, Address: addr})
		}
	}
	return out
}
