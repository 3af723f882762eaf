// Package supervise is Shuniu's 督查督办: supervision items and where they come
// from, their life through the one route engine (立项 → 交办 → 签收 → 办理中 →
// 申请办结 → 审核 → 办结/退回), progress reports on a schedule, extensions,
// urging, proposals (建议提案), the warning light, the reminders that fall due,
// list import, statistics and their SVG charts.
//
// Everything here is pure: operations take an item and return a new item,
// events and Chinese refusals; nothing touches a database or the network.
// The store persists Item as JSON (plus a few columns for sweeping), and the
// durable scheduler fires the Notices that Due reports.
package supervise

import (
	"fmt"
	"time"

	"github.com/shuniu-oa/shuniu/internal/route"
)

// Source is where an item comes from.
type Source string

const (
	FromInstruction Source = "instruction" // 领导批办（来文批示）
	FromMeeting     Source = "meeting"     // 会议议定事项
	FromLeader      Source = "leader"      // 领导交办
	FromHigher      Source = "higher"      // 上级督办
	FromNPC         Source = "npc"         // 人大代表建议
	FromCPPCC       Source = "cppcc"       // 政协委员提案
	FromList        Source = "list"        // 民生实事/重点工作
	// FromInfo: a leader's 批示 on an information report (Ref the report).
	// Made only from the report's page, so it is not in AllSources (the
	// forms' and the statistics' list of sources).
	FromInfo Source = "info" // 信息批示
	// FromResearch: a leader's 批示 on a research report (Ref the topic
	// and report, research.SupervisionRef). Made only from the report, so
	// it is not in AllSources (the forms' and statistics' list).
	FromResearch Source = "research" // 调研批示
)

var sourceLabels = map[Source]string{
	FromInstruction: "领导批办",
	FromMeeting:     "会议议定",
	FromLeader:      "领导交办",
	FromHigher:      "上级督办",
	FromNPC:         "人大代表建议",
	FromCPPCC:       "政协委员提案",
	FromList:        "民生实事/重点工作",
	FromInfo:        "信息批示",
	FromResearch:    "调研批示",
}

// Label is the source's Chinese name.
func (s Source) Label() string {
	if l, ok := sourceLabels[s]; ok {
		return l
	}
	return string(s)
}

// Valid reports whether s is a known source.
func (s Source) Valid() bool { _, ok := sourceLabels[s]; return ok }

// IsProposal reports whether items of this source follow the 建议提案 rules.
func (s Source) IsProposal() bool { return s == FromNPC || s == FromCPPCC }

// AllSources lists the sources in display order.
func AllSources() []Source {
	return []Source{FromInstruction, FromMeeting, FromLeader, FromHigher, FromNPC, FromCPPCC, FromList}
}

// State is where an item stands. An item is in exactly one state; it is
// derived from the route instance and kept on the item for the store's index.
type State string

const (
	Registered    State = "registered"     // 已立项（待交办）
	Assigned      State = "assigned"       // 已交办（待签收）
	InProgress    State = "in_progress"    // 办理中
	PendingReview State = "pending_review" // 申请办结，待审核
	Closed        State = "closed"         // 已办结
)

var stateLabels = map[State]string{
	Registered:    "已立项",
	Assigned:      "已交办待签收",
	InProgress:    "办理中",
	PendingReview: "待审核",
	Closed:        "已办结",
}

// Label is the state's Chinese name.
func (s State) Label() string {
	if l, ok := stateLabels[s]; ok {
		return l
	}
	return string(s)
}

// AllStates lists the states in the order of an item's life.
func AllStates() []State { return []State{Registered, Assigned, InProgress, PendingReview, Closed} }

// Open reports whether the item still needs work (and so can warn).
func (s State) Open() bool { return s != Closed }

// Unit is one unit on the item: the lead unit (牵头) or a co-unit (配合), with
// the person responsible there.
type Unit struct {
	UnitID      string `json:"unit_id"`
	Lead        bool   `json:"lead,omitempty"`
	Responsible string `json:"responsible"` // person ID
	// Task is the unit's current task in the route (0 before 交办).
	Task     int       `json:"task,omitempty"`
	SignedAt time.Time `json:"signed_at,omitzero"`
	SignedBy string    `json:"signed_by,omitempty"`
	// Released: the unit's part ended when the lead unit applied to close; it
	// owes no more reports.
	Released bool `json:"released,omitempty"`
}

// Deadline is a due time with the original kept on record: extensions move
// Due, never Original.
type Deadline struct {
	Original time.Time `json:"original"`
	Due      time.Time `json:"due"`
}

// Extended reports whether the deadline has been moved.
func (d Deadline) Extended() bool { return !d.Due.Equal(d.Original) }

// DeadlineSpec is how a deadline is given at 立项: a number of working days
// counted from 交办, or a date (due at the close of office that day, or of the
// next working day if it is a day off).
type DeadlineSpec struct {
	Workdays int       `json:"workdays,omitempty"`
	Date     time.Time `json:"date,omitzero"`
}

// IsZero reports whether no deadline was given.
func (s DeadlineSpec) IsZero() bool { return s.Workdays == 0 && s.Date.IsZero() }

// SubItem is a part of the item handled by one of its units.
type SubItem struct {
	ID       string       `json:"id"`
	Title    string       `json:"title"`
	UnitID   string       `json:"unit_id"`
	Spec     DeadlineSpec `json:"spec"`
	Deadline Deadline     `json:"deadline,omitzero"`
	DoneAt   time.Time    `json:"done_at,omitzero"`
}

// Milestone is a point the item must reach by its own deadline.
type Milestone struct {
	ID       string       `json:"id"`
	Title    string       `json:"title"`
	Spec     DeadlineSpec `json:"spec"`
	Deadline Deadline     `json:"deadline,omitzero"`
	DoneAt   time.Time    `json:"done_at,omitzero"`
}

// Attachment is a reference to a stored file (the store holds the bytes).
type Attachment struct {
	Name      string `json:"name"`
	SHA256    string `json:"sha256"`
	Size      int64  `json:"size,omitempty"`
	MediaType string `json:"media_type,omitempty"` // as sniffed when stored
}

// Attachment finds a file attached to the item (to a progress report or an
// application to close) by its content address.
func (it *Item) Attachment(sha string) (Attachment, bool) {
	for i := range it.Reports {
		for _, a := range it.Reports[i].Attachments {
			if a.SHA256 == sha {
				return a, true
			}
		}
	}
	for i := range it.Submits {
		for _, a := range it.Submits[i].Evidence.Attachments {
			if a.SHA256 == sha {
				return a, true
			}
		}
	}
	return Attachment{}, false
}

// Files lists every file the item holds: the reports' attachments and the
// evidence of every application to close (what `shuniu gc` must keep).
func (it *Item) Files() []Attachment {
	var out []Attachment
	for i := range it.Reports {
		out = append(out, it.Reports[i].Attachments...)
	}
	for i := range it.Submits {
		out = append(out, it.Submits[i].Evidence.Attachments...)
	}
	return out
}

// Report is a progress report (进展反馈) from one unit.
type Report struct {
	Seq         int          `json:"seq"`
	UnitID      string       `json:"unit_id"`
	By          string       `json:"by"`
	At          time.Time    `json:"at"`
	Text        string       `json:"text"`
	Attachments []Attachment `json:"attachments,omitempty"`
	// Reached lists the sub-items and milestones this report marks done.
	Reached []string `json:"reached,omitempty"`
}

// Evidence backs an application to close: text and attachments.
type Evidence struct {
	Text        string       `json:"text"`
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Submission is one application to close (申请办结) and its review.
type Submission struct {
	Seq      int       `json:"seq"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Evidence Evidence  `json:"evidence"`
	// Outcome is empty while under review, then "closed" or "returned".
	Outcome    string    `json:"outcome,omitempty"`
	ReviewedBy string    `json:"reviewed_by,omitempty"`
	ReviewedAt time.Time `json:"reviewed_at,omitzero"`
	Reason     string    `json:"reason,omitempty"` // why it was returned
}

// Submission outcomes.
const (
	OutcomeClosed   = "closed"
	OutcomeReturned = "returned"
)

// Extension is one 延期申请 and its decision.
type Extension struct {
	Seq    int       `json:"seq"`
	Target string    `json:"target,omitempty"` // "" for the item, else a milestone or sub-item ID
	UnitID string    `json:"unit_id"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
	Asked  time.Time `json:"asked"` // the new due time asked for
	// Decision is empty while pending, then "granted" or "refused".
	Decision  string    `json:"decision,omitempty"`
	DecidedBy string    `json:"decided_by,omitempty"`
	DecidedAt time.Time `json:"decided_at,omitzero"`
	Granted   time.Time `json:"granted,omitzero"` // the due time granted
	Previous  time.Time `json:"previous,omitzero"`
	Note      string    `json:"note,omitempty"`
}

// Extension decisions.
const (
	Granted = "granted"
	Refused = "refused"
)

// Urging is one formal urging notice (催办单) that the unit must sign for.
type Urging struct {
	Seq      int       `json:"seq"`
	UnitID   string    `json:"unit_id"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Text     string    `json:"text"`
	SignedBy string    `json:"signed_by,omitempty"`
	SignedAt time.Time `json:"signed_at,omitzero"`
}

// Item is a supervision item (督办事项).
type Item struct {
	ID string `json:"id"`
	// Number is the 督办编号 (督字〔2026〕5号), given by the store at 立项.
	Number Number `json:"number,omitzero"`
	Source Source `json:"source"`
	// Ref is the source's reference: the document ID for 批办, the meeting ID,
	// the higher level's file number, the proposal number, the list row.
	Ref   string `json:"ref,omitempty"`
	Title string `json:"title"`
	// Instruction is the leader's instruction (or the decided matter) verbatim.
	Instruction string `json:"instruction"`
	// Instructor is the leader who gave it, if any.
	Instructor string `json:"instructor,omitempty"`
	// Office is the supervising office (督查室) that registers, assigns and reviews.
	Office     string       `json:"office"`
	Registrar  string       `json:"registrar"`
	Units      []Unit       `json:"units"`
	SubItems   []SubItem    `json:"sub_items,omitempty"`
	Milestones []Milestone  `json:"milestones,omitempty"`
	Schedule   Schedule     `json:"schedule"`
	Spec       DeadlineSpec `json:"spec"`
	Deadline   Deadline     `json:"deadline,omitzero"`
	State      State        `json:"state"`
	CreatedAt  time.Time    `json:"created_at"`
	AssignedAt time.Time    `json:"assigned_at,omitzero"` // start of the current round
	// FirstAssignedAt is the first 交办 (a reopened proposal keeps it).
	FirstAssignedAt time.Time      `json:"first_assigned_at,omitzero"`
	ClosedAt        time.Time      `json:"closed_at,omitzero"`
	ClosedBy        string         `json:"closed_by,omitempty"`
	Reports         []Report       `json:"reports,omitempty"`
	Submits         []Submission   `json:"submissions,omitempty"`
	Extensions      []Extension    `json:"extensions,omitempty"`
	Urgings         []Urging       `json:"urgings,omitempty"`
	Proposal        *Proposal      `json:"proposal,omitempty"`
	Route           route.Instance `json:"route"`
	// PastRoutes are the route instances of earlier rounds (a proposal reopened
	// after 不满意 starts a new round).
	PastRoutes []route.Instance `json:"past_routes,omitempty"`
	History    []Event          `json:"history,omitempty"`
	Seq        int              `json:"seq"`
}

// LeadUnit returns the lead unit's ID.
func (it *Item) LeadUnit() string {
	for _, u := range it.Units {
		if u.Lead {
			return u.UnitID
		}
	}
	return ""
}

// unit returns the item's entry for unitID.
func (it *Item) unit(unitID string) *Unit {
	for i := range it.Units {
		if it.Units[i].UnitID == unitID {
			return &it.Units[i]
		}
	}
	return nil
}

// Unit returns the item's entry for unitID.
func (it *Item) Unit(unitID string) (Unit, bool) {
	if u := it.unit(unitID); u != nil {
		return *u, true
	}
	return Unit{}, false
}

// ClosingSubmission is the accepted application to close, if closed.
func (it *Item) ClosingSubmission() (Submission, bool) {
	for i := len(it.Submits) - 1; i >= 0; i-- {
		if it.Submits[i].Outcome == OutcomeClosed {
			return it.Submits[i], true
		}
	}
	return Submission{}, false
}

// ExtensionsGranted counts granted extensions.
func (it *Item) ExtensionsGranted() int {
	n := 0
	for _, e := range it.Extensions {
		if e.Decision == Granted {
			n++
		}
	}
	return n
}

// clone deep-copies what operations change so they never touch their input.
func (it Item) clone() Item {
	out := it
	out.Units = append([]Unit(nil), it.Units...)
	out.SubItems = append([]SubItem(nil), it.SubItems...)
	out.Milestones = append([]Milestone(nil), it.Milestones...)
	out.Reports = append([]Report(nil), it.Reports...)
	out.Submits = append([]Submission(nil), it.Submits...)
	out.Extensions = append([]Extension(nil), it.Extensions...)
	out.Urgings = append([]Urging(nil), it.Urgings...)
	out.History = append([]Event(nil), it.History...)
	out.PastRoutes = append([]route.Instance(nil), it.PastRoutes...)
	if it.Proposal != nil {
		p := it.Proposal.clone()
		out.Proposal = &p
	}
	return out
}

// Refusal is an operation refused by the rules; Error is in Chinese for the user.
// A refusal that names units keeps their IDs (as UnitRef) so that the edge
// can name them (Name); one passed on from the route engine keeps the
// engine's refusal (Unwrap), whose assignees are named the same way.
type Refusal struct {
	Msg    string
	format string
	args   []any
	route  *route.Refusal
}

func (r *Refusal) Error() string { return r.Msg }

// Unwrap gives the route engine's refusal this one passes on, if any.
func (r *Refusal) Unwrap() error {
	if r.route == nil {
		return nil
	}
	return r.route
}

// UnitRef is a unit named in a refusal, by ID until the edge names it.
type UnitRef string

func refuse(format string, a ...any) error {
	return &Refusal{Msg: fmt.Sprintf(format, a...), format: format, args: a}
}

// Name rewrites the message with each unit it names said by unit(id) and
// each route assignee by assignee(a).
func (r *Refusal) Name(unit func(id string) string, assignee func(route.Assignee) string) {
	if r.route != nil {
		r.route.Name(assignee)
		r.Msg = r.route.Msg
		return
	}
	args := make([]any, len(r.args))
	named := false
	for i, a := range r.args {
		if u, ok := a.(UnitRef); ok && unit != nil {
			args[i], named = unit(string(u)), true
		} else {
			args[i] = a
		}
	}
	if named {
		r.Msg = fmt.Sprintf(r.format, args...)
	}
}
