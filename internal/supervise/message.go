package supervise

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Names gives people's and units' names for messages, which never show IDs.
type Names interface {
	Person(id string) string
	Unit(id string) string
}

// EventMessage is what one event of an item tells one person at once.
type EventMessage struct {
	Kind    string // "supervise." + the event type
	To      string // person ID
	Subject string
	Body    string
}

// EventMessages says whom an operation's event tells, and what: 交办 tells
// each unit's responsible person; 催办 and the answer to an extension tell
// the unit (and who asked); 签收, 进展反馈, 延期申请 and 申请办结 tell the
// 督查室's registrar, who waits for them; 办结, 退回 and 重新办理 tell the units
// and who applied. Nobody is told of their own act.
func EventMessages(it *Item, e Event, names Names, loc *time.Location) []EventMessage {
	by := names.Person(e.Actor)
	title := "《" + it.Title + "》"
	day := func(t time.Time) string { return t.In(loc).Format("2006年1月2日") }
	var to []string
	var subject, body string
	responsible := func(unitID string) {
		if u, ok := it.Unit(unitID); ok {
			to = append(to, u.Responsible)
		}
	}
	allUnits := func() {
		for _, u := range it.Units {
			to = append(to, u.Responsible)
		}
	}
	unit := names.Unit(e.UnitID)
	switch e.Type {
	case EvAssigned:
		allUnits()
		subject = "督办交办：" + it.Title
		var parts []string
		for _, u := range it.Units {
			role := "配合"
			if u.Lead {
				role = "牵头"
			}
			parts = append(parts, names.Unit(u.UnitID)+"（"+role+"）")
		}
		body = fmt.Sprintf("%s 交办督办事项%s，承办单位：%s。", by, title, strings.Join(parts, "、"))
		if !it.Deadline.Due.IsZero() {
			body += "办理期限：" + day(it.Deadline.Due) + "。"
		}
		body += "请及时签收办理。"
		if s := strings.TrimSpace(it.Instruction); s != "" {
			body += "\n批示（议定）：" + s
		}
	case EvUrged:
		responsible(e.UnitID)
		subject = "督办催办：" + it.Title
		body = fmt.Sprintf("%s 向%s发出催办单：%s\n请签收催办单并抓紧办理%s。", by, unit, e.Text, title)
	case EvUrgingSigned:
		to = append(to, urgerOf(it, e.Ref))
		subject = "催办单已签收：" + it.Title
		body = fmt.Sprintf("%s %s已签收%s的催办单。", unit, by, title)
	case EvSignedFor:
		to = append(to, it.Registrar)
		subject = "督办已签收：" + it.Title
		body = fmt.Sprintf("%s %s已签收督办事项%s。", unit, by, title)
	case EvReported:
		to = append(to, it.Registrar)
		subject = "进展反馈：" + it.Title
		body = fmt.Sprintf("%s %s报送了%s的进展：%s", unit, by, title, e.Text)
	case EvExtensionRequested:
		to = append(to, it.Registrar)
		subject = "延期申请：" + it.Title
		body = fmt.Sprintf("%s %s申请%s延期", unit, by, title)
		if x, ok := extension(it, e.Ref); ok {
			body += "至 " + day(x.Asked)
		}
		body += "，理由：" + e.Text + "。请审批。"
	case EvExtensionGranted, EvExtensionRefused:
		responsible(e.UnitID)
		if x, ok := extension(it, e.Ref); ok {
			to = append(to, x.By)
		}
		subject = e.Type.Label() + "：" + it.Title
		if e.Type == EvExtensionGranted {
			body = fmt.Sprintf("%s 同意%s的延期申请，%s。", by, title, e.Text)
		} else {
			body = fmt.Sprintf("%s 不同意%s的延期申请，理由：%s。", by, title, e.Text)
		}
	case EvCloseRequested:
		to = append(to, it.Registrar)
		subject = "申请办结：" + it.Title
		body = fmt.Sprintf("%s %s申请办结%s，请审核。", unit, by, title)
	case EvClosed:
		allUnits()
		to = append(to, submitterOf(it, e.Ref), it.Instructor)
		subject = "督办办结：" + it.Title
		body = fmt.Sprintf("%s 审核同意，%s已办结。", by, title)
	case EvReturned:
		responsible(e.UnitID)
		to = append(to, submitterOf(it, e.Ref))
		subject = "办结申请退回：" + it.Title
		body = fmt.Sprintf("%s 退回了%s的办结申请，理由：%s。请重新签收办理。", by, title, e.Text)
	case EvReopened:
		allUnits()
		subject = "重新办理：" + it.Title
		body = fmt.Sprintf("%s 将%s交重新办理：%s", by, title, e.Text)
	default:
		return nil
	}
	var out []EventMessage
	for _, p := range to {
		if p == "" || p == e.Actor || slices.ContainsFunc(out, func(m EventMessage) bool { return m.To == p }) {
			continue
		}
		out = append(out, EventMessage{Kind: "supervise." + string(e.Type), To: p, Subject: subject, Body: body})
	}
	return out
}

func extension(it *Item, seq int) (Extension, bool) {
	for _, x := range it.Extensions {
		if x.Seq == seq {
			return x, true
		}
	}
	return Extension{}, false
}

func submitterOf(it *Item, seq int) string {
	for _, s := range it.Submits {
		if s.Seq == seq {
			return s.By
		}
	}
	return ""
}

func urgerOf(it *Item, seq int) string {
	for _, u := range it.Urgings {
		if u.Seq == seq {
			return u.By
		}
	}
	return ""
}
