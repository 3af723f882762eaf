package supervise

import (
	"time"

	"github.com/shuniu-oa/shuniu/internal/route"
)

// EventType names what happened to an item.
type EventType string

const (
	EvCreated            EventType = "created"             // 立项
	EvAssigned           EventType = "assigned"            // 交办
	EvSignedFor          EventType = "signed_for"          // 签收
	EvReported           EventType = "reported"            // 进展反馈
	EvCloseRequested     EventType = "close_requested"     // 申请办结
	EvClosed             EventType = "closed"              // 审核：办结
	EvReturned           EventType = "returned"            // 审核：退回
	EvExtensionRequested EventType = "extension_requested" // 延期申请
	EvExtensionGranted   EventType = "extension_granted"   // 同意延期
	EvExtensionRefused   EventType = "extension_refused"   // 不同意延期
	EvUrged              EventType = "urged"               // 催办
	EvUrgingSigned       EventType = "urging_signed"       // 催办单签收
	EvContacted          EventType = "contacted"           // 与代表委员沟通
	EvSatisfaction       EventType = "satisfaction"        // 满意度
	EvReopened           EventType = "reopened"            // 不满意，重新办理
)

var eventLabels = map[EventType]string{
	EvCreated: "立项", EvAssigned: "交办", EvSignedFor: "签收", EvReported: "进展反馈",
	EvCloseRequested: "申请办结", EvClosed: "办结", EvReturned: "退回",
	EvExtensionRequested: "延期申请", EvExtensionGranted: "同意延期", EvExtensionRefused: "不同意延期",
	EvUrged: "催办", EvUrgingSigned: "签收催办单", EvContacted: "沟通", EvSatisfaction: "满意度测评",
	EvReopened: "重新办理",
}

// Label is the event's Chinese name.
func (t EventType) Label() string {
	if l, ok := eventLabels[t]; ok {
		return l
	}
	return string(t)
}

// byOffice are the steps the 督查室 takes (立项, 交办, 审核, 延期 decisions,
// 催办, 满意度, 重新办理).
var byOffice = map[EventType]bool{
	EvCreated: true, EvAssigned: true, EvClosed: true, EvReturned: true, EvExtensionGranted: true,
	EvExtensionRefused: true, EvUrged: true, EvSatisfaction: true, EvReopened: true,
}

// ByOffice reports whether the item's 督查室 takes this step: the actor
// then acts for the 督查室, and an event's UnitID names the unit the step is
// addressed to (the unit urged, returned to, granted an extension), not the
// actor's own.
func (t EventType) ByOffice() bool { return byOffice[t] }

// Event is one entry of an item's append-only history.
type Event struct {
	Seq    int       `json:"seq"`
	At     time.Time `json:"at"`
	Type   EventType `json:"type"`
	Actor  string    `json:"actor"`
	UnitID string    `json:"unit_id,omitempty"`
	Text   string    `json:"text,omitempty"`
	// Ref is the sequence number of the report, submission, extension or
	// urging the event is about.
	Ref int `json:"ref,omitempty"`
	// Route holds the route engine's events of the same operation.
	Route []route.Event `json:"route,omitempty"`
}

// op collects one operation's changes.
type op struct {
	it     Item
	events []Event
	now    time.Time
	actor  string
}

func begin(it Item, actor string, now time.Time) *op {
	return &op{it: it.clone(), now: now, actor: actor}
}

func (o *op) emit(ev Event) {
	o.it.Seq++
	ev.Seq, ev.At = o.it.Seq, o.now
	if ev.Actor == "" {
		ev.Actor = o.actor
	}
	o.events = append(o.events, ev)
	o.it.History = append(o.it.History, ev)
}

// next hands out the next sequence number for a record (report, urging…);
// records share the item's sequence with events so each number is unique.
func (o *op) next() int {
	o.it.Seq++
	return o.it.Seq
}

func (o *op) done() (Item, []Event, error) {
	o.it.State = deriveState(&o.it)
	return o.it, o.events, nil
}
