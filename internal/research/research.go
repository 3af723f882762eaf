// Package research is 调研: topics set by the office or a leader and
// assigned to units or people with a deadline, the units' plans, field trips
// (a leader who goes finds the trip on their schedule), the reports with
// their review (returned with a reason, or accepted), proofreading and the
// leaders' 批示 (instructions), and the library of accepted reports. Every
// operation is a pure function from a topic to the next topic; the store
// saves the result and carries out what it implies (schedule entries, a
// supervision item) in the same transaction.
package research

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/planner"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Limits on a topic's fields, in characters (items for lists).
const (
	MaxTitle       = 100
	MaxBrief       = 2000
	MaxPlan        = 5000
	MaxReportTitle = 100
	MaxBody        = 50000
	MaxReason      = 500
	MaxPlace       = 100
	MaxPurpose     = 500
	MaxMembers     = 30
	MaxMember      = 30
	MaxLeader      = 50
	MaxInstruction = 2000
	MaxAssignees   = 50
	MaxTrips       = 50
	MaxReports     = 200
	MaxIgnored     = 500
	// MaxTripSpan bounds one trip: a longer stay is entered as several.
	MaxTripSpan = 15 * 24 * time.Hour
)

// Source says who set a topic.
type Source string

const (
	ByOffice Source = "office" // 办公室拟定
	ByLeader Source = "leader" // 领导点题
)

// Label is the source's Chinese name.
func (s Source) Label() string {
	switch s {
	case ByOffice:
		return "办公室拟定"
	case ByLeader:
		return "领导点题"
	}
	return string(s)
}

// State is a topic's state.
type State string

const (
	Open   State = "open"   // 调研中
	Closed State = "closed" // 已结题
)

// Label is the state's Chinese name.
func (s State) Label() string {
	if s == Closed {
		return "已结题"
	}
	return "调研中"
}

// ReportState is a report's state in review.
type ReportState string

const (
	Submitted ReportState = "submitted" // 待审核
	Returned  ReportState = "returned"  // 已退回
	Accepted  ReportState = "accepted"  // 已采用（入库）
)

// Label is the report state's Chinese name.
func (s ReportState) Label() string {
	switch s {
	case Submitted:
		return "待审核"
	case Returned:
		return "已退回"
	case Accepted:
		return "已采用"
	}
	return string(s)
}

// Assignee is a unit, or one person of it, charged with the topic.
type Assignee struct {
	UnitID   string `json:"unit_id"`
	PersonID string `json:"person_id,omitempty"`
}

// Plan is a unit's 调研方案.
type Plan struct {
	UnitID string    `json:"unit_id"`
	By     string    `json:"by"`
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
}

// Trip is a field trip (调研行程).
type Trip struct {
	ID      string    `json:"id"`
	Place   string    `json:"place"`
	Purpose string    `json:"purpose"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	// Leaders are the people (IDs) whose schedules show the trip.
	Leaders []string `json:"leaders,omitempty"`
	// Members names the others going, as typed.
	Members   []string  `json:"members,omitempty"`
	By        string    `json:"by"`
	Cancelled bool      `json:"cancelled,omitempty"`
	At        time.Time `json:"at"`
}

// Instruction is a leader's 批示 on a report.
type Instruction struct {
	Leader string    `json:"leader"`
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
	By     string    `json:"by"` // who recorded it
	// SupItemID is the supervision item the 批示 became (督办), if any.
	SupItemID string `json:"sup_item_id,omitempty"`
}

// Report is a 调研报告 a unit submitted.
type Report struct {
	No          int         `json:"no"` // 1-based, in order of submission
	UnitID      string      `json:"unit_id"`
	By          string      `json:"by"`
	Title       string      `json:"title"`
	Body        string      `json:"body"`
	State       ReportState `json:"state"`
	Reason      string      `json:"reason,omitempty"`
	SubmittedAt time.Time   `json:"submitted_at"`
	DecidedAt   time.Time   `json:"decided_at,omitzero"`
	DecidedBy   string      `json:"decided_by,omitempty"`
	// Corrected counts proofreading suggestions accepted; Ignored the keys
	// of findings marked "not an error".
	Corrected    int           `json:"corrected,omitempty"`
	Ignored      []string      `json:"ignored,omitempty"`
	Instructions []Instruction `json:"instructions,omitempty"`
}

// Event is one entry of a topic's history.
type Event struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Action string    `json:"action"`
	Note   string    `json:"note,omitempty"`
}

// Topic is a 调研课题 with everything done on it.
type Topic struct {
	ID        string     `json:"id"`
	OfficeID  string     `json:"office_id"`
	Title     string     `json:"title"`
	Brief     string     `json:"brief,omitempty"`
	Source    Source     `json:"source"`
	SetBy     string     `json:"set_by"` // the person who set it (for ByLeader, the leader)
	Assignees []Assignee `json:"assignees"`
	Due       time.Time  `json:"due"`
	State     State      `json:"state"`
	Plans     []Plan     `json:"plans,omitempty"`
	Trips     []Trip     `json:"trips,omitempty"`
	Reports   []Report   `json:"reports,omitempty"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	History   []Event    `json:"history"`
	// Urged records when each unit was last urged (unit ID → time).
	Urged map[string]time.Time `json:"urged,omitempty"`
	// Seq counts the topic's saves: the store's optimistic concurrency.
	Seq int `json:"seq"`
}

// Refusal is an operation refused, with a Chinese message for the person.
type Refusal struct{ Msg string }

func (r *Refusal) Error() string { return r.Msg }

func refuse(format string, a ...any) error { return &Refusal{Msg: fmt.Sprintf(format, a...)} }

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// clone copies t deeply enough that an operation never changes its input.
func clone(t Topic) Topic {
	t.Assignees = slices.Clone(t.Assignees)
	t.Plans = slices.Clone(t.Plans)
	t.Trips = slices.Clone(t.Trips)
	for i := range t.Trips {
		t.Trips[i].Leaders = slices.Clone(t.Trips[i].Leaders)
		t.Trips[i].Members = slices.Clone(t.Trips[i].Members)
	}
	t.Reports = slices.Clone(t.Reports)
	for i := range t.Reports {
		t.Reports[i].Ignored = slices.Clone(t.Reports[i].Ignored)
		t.Reports[i].Instructions = slices.Clone(t.Reports[i].Instructions)
	}
	t.History = slices.Clone(t.History)
	return t
}

func (t *Topic) log(by, action, note string, now time.Time) {
	t.History = append(t.History, Event{At: now, By: by, Action: action, Note: note})
	t.UpdatedAt = now
}

// NewTopic is what the office types to set a topic.
type NewTopic struct {
	ID        string
	OfficeID  string
	Title     string
	Brief     string
	Source    Source
	SetBy     string
	Assignees []Assignee
	Due       time.Time
}

// Create sets a topic (立题) and assigns it.
func Create(n NewTopic, by string, now time.Time) (Topic, error) {
	n.Title = strings.TrimSpace(n.Title)
	switch {
	case n.ID == "" || n.OfficeID == "":
		return Topic{}, refuse("课题缺少编号或所属办公室")
	case n.Title == "":
		return Topic{}, refuse("请填写调研课题")
	case n.Source != ByOffice && n.Source != ByLeader:
		return Topic{}, refuse("请选择课题来源（办公室拟定或领导点题）")
	case n.Source == ByLeader && blank(n.SetBy):
		return Topic{}, refuse("领导点题须选择点题领导")
	case len(n.Assignees) == 0:
		return Topic{}, refuse("请至少指定一个承担单位")
	case n.Due.IsZero():
		return Topic{}, refuse("请填写完成时限")
	case n.Due.Before(now):
		return Topic{}, refuse("完成时限不能早于现在")
	}
	if err := textlimit.Text("title", "调研课题", MaxTitle, n.Title); err != nil {
		return Topic{}, err
	}
	if err := textlimit.Text("brief", "调研要求", MaxBrief, n.Brief); err != nil {
		return Topic{}, err
	}
	if len(n.Assignees) > MaxAssignees {
		return Topic{}, &textlimit.Error{Field: "assignees", Label: "承担单位", Max: MaxAssignees, Got: len(n.Assignees), Unit: "个"}
	}
	seen := map[Assignee]bool{}
	for _, a := range n.Assignees {
		if a.UnitID == "" {
			return Topic{}, refuse("承担单位不能为空")
		}
		if seen[a] {
			return Topic{}, refuse("承担单位重复")
		}
		seen[a] = true
	}
	if n.SetBy == "" {
		n.SetBy = by
	}
	t := Topic{ID: n.ID, OfficeID: n.OfficeID, Title: n.Title, Brief: strings.TrimSpace(n.Brief), Source: n.Source, SetBy: n.SetBy,
		Assignees: slices.Clone(n.Assignees), Due: n.Due, State: Open, CreatedBy: by, CreatedAt: now}
	t.log(by, "create", n.Title, now)
	return t, nil
}

// Assigned reports whether unit is one of the topic's assignees.
func (t Topic) Assigned(unit string) bool {
	return slices.ContainsFunc(t.Assignees, func(a Assignee) bool { return a.UnitID == unit })
}

// People are the persons named among the assignees.
func (t Topic) People() []string {
	var out []string
	for _, a := range t.Assignees {
		if a.PersonID != "" && !slices.Contains(out, a.PersonID) {
			out = append(out, a.PersonID)
		}
	}
	return out
}

// Units are the assigned units, each once, in order.
func (t Topic) Units() []string {
	var out []string
	for _, a := range t.Assignees {
		if !slices.Contains(out, a.UnitID) {
			out = append(out, a.UnitID)
		}
	}
	return out
}

func (t Topic) open() error {
	if t.State == Closed {
		return refuse("课题已结题")
	}
	return nil
}

// AddPlan records (or replaces) a unit's 调研方案.
func AddPlan(t Topic, unit, by, text string, now time.Time) (Topic, error) {
	if err := t.open(); err != nil {
		return t, err
	}
	if !t.Assigned(unit) {
		return t, refuse("只有承担单位可以提交调研方案")
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return t, refuse("请填写调研方案")
	}
	if err := textlimit.Text("plan", "调研方案", MaxPlan, text); err != nil {
		return t, err
	}
	t = clone(t)
	p := Plan{UnitID: unit, By: by, Text: text, At: now}
	if i := slices.IndexFunc(t.Plans, func(p Plan) bool { return p.UnitID == unit }); i >= 0 {
		t.Plans[i] = p
	} else {
		t.Plans = append(t.Plans, p)
	}
	t.log(by, "plan", "", now)
	return t, nil
}

// AddTrip records a field trip. The leaders going find it on their schedule
// (ScheduleEntries).
func AddTrip(t Topic, tr Trip, by string, now time.Time) (Topic, error) {
	if err := t.open(); err != nil {
		return t, err
	}
	tr.Place, tr.Purpose = strings.TrimSpace(tr.Place), strings.TrimSpace(tr.Purpose)
	switch {
	case tr.ID == "":
		return t, refuse("行程缺少编号")
	case tr.Place == "":
		return t, refuse("请填写调研地点")
	case tr.Start.IsZero() || tr.End.IsZero():
		return t, refuse("请填写行程的开始和结束时间")
	case !tr.End.After(tr.Start):
		return t, refuse("行程结束时间须晚于开始时间")
	case tr.End.Sub(tr.Start) > MaxTripSpan:
		return t, refuse("一次行程不能超过 %d 天，请分段登记", int(MaxTripSpan/(24*time.Hour)))
	case len(t.Trips) >= MaxTrips:
		return t, refuse("一个课题最多登记 %d 次行程", MaxTrips)
	}
	if err := textlimit.Text("place", "调研地点", MaxPlace, tr.Place); err != nil {
		return t, err
	}
	if err := textlimit.Text("purpose", "调研内容", MaxPurpose, tr.Purpose); err != nil {
		return t, err
	}
	if err := textlimit.List("members", "随行人员", MaxMembers, MaxMember, tr.Members); err != nil {
		return t, err
	}
	if len(tr.Leaders) > MaxMembers {
		return t, &textlimit.Error{Field: "leaders", Label: "带队领导", Max: MaxMembers, Got: len(tr.Leaders), Unit: "人"}
	}
	if slices.ContainsFunc(t.Trips, func(o Trip) bool { return o.ID == tr.ID }) {
		return t, refuse("行程编号重复")
	}
	t = clone(t)
	tr.By, tr.At, tr.Cancelled = by, now, false
	tr.Leaders = dedupe(tr.Leaders)
	tr.Members = slices.DeleteFunc(slices.Clone(tr.Members), blank)
	t.Trips = append(t.Trips, tr)
	t.log(by, "trip", tr.Place, now)
	return t, nil
}

func dedupe(ids []string) []string {
	var out []string
	for _, id := range ids {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// CancelTrip cancels a trip: it leaves the leaders' schedules.
func CancelTrip(t Topic, id, by string, now time.Time) (Topic, error) {
	i := slices.IndexFunc(t.Trips, func(tr Trip) bool { return tr.ID == id })
	if i < 0 {
		return t, refuse("没有这次行程")
	}
	if t.Trips[i].Cancelled {
		return t, refuse("行程已取消")
	}
	t = clone(t)
	t.Trips[i].Cancelled = true
	t.log(by, "cancel_trip", t.Trips[i].Place, now)
	return t, nil
}

// ScheduleSource is the planner source of a trip's schedule entries.
func ScheduleSource(tripID string) planner.Source {
	return planner.Source{Kind: planner.SourceResearch, ID: tripID}
}

// ScheduleEntries are the entries trip puts on its leaders' schedules: one
// per leader, none once it is cancelled.
func ScheduleEntries(t Topic, tr Trip) []planner.Entry {
	if tr.Cancelled {
		return nil
	}
	var out []planner.Entry
	title := "调研：" + t.Title
	if utf8.RuneCountInString(title) > planner.MaxTitle {
		title = string([]rune(title)[:planner.MaxTitle])
	}
	note := tr.Purpose
	if utf8.RuneCountInString(note) > planner.MaxNote {
		note = string([]rune(note)[:planner.MaxNote])
	}
	for _, id := range tr.Leaders {
		out = append(out, planner.Entry{PersonID: id, Start: tr.Start, End: tr.End, Title: title, Place: tr.Place, Note: note,
			Visibility: planner.Organ, Source: ScheduleSource(tr.ID)})
	}
	return out
}

// Report returns report no (1-based).
func (t Topic) Report(no int) (Report, bool) {
	if no < 1 || no > len(t.Reports) {
		return Report{}, false
	}
	return t.Reports[no-1], true
}

// Submit is a unit submitting its 调研报告. A unit has at most one report
// waiting for review; after a return it submits a new version.
func Submit(t Topic, unit, by, title, body string, now time.Time) (Topic, int, error) {
	if err := t.open(); err != nil {
		return t, 0, err
	}
	if !t.Assigned(unit) {
		return t, 0, refuse("只有承担单位可以提交调研报告")
	}
	title, body = strings.TrimSpace(title), strings.TrimSpace(body)
	switch {
	case title == "":
		return t, 0, refuse("请填写报告标题")
	case body == "":
		return t, 0, refuse("请填写报告正文")
	case len(t.Reports) >= MaxReports:
		return t, 0, refuse("一个课题最多提交 %d 份报告", MaxReports)
	}
	if err := textlimit.Text("title", "报告标题", MaxReportTitle, title); err != nil {
		return t, 0, err
	}
	if err := textlimit.Text("body", "报告正文", MaxBody, body); err != nil {
		return t, 0, err
	}
	if slices.ContainsFunc(t.Reports, func(r Report) bool { return r.UnitID == unit && r.State == Submitted }) {
		return t, 0, refuse("本单位已有一份报告待审核，请等审核后再提交")
	}
	t = clone(t)
	no := len(t.Reports) + 1
	t.Reports = append(t.Reports, Report{No: no, UnitID: unit, By: by, Title: title, Body: body, State: Submitted, SubmittedAt: now})
	t.log(by, "submit", title, now)
	return t, no, nil
}

func (t Topic) pending(no int) (Report, error) {
	r, ok := t.Report(no)
	if !ok {
		return r, refuse("没有这份报告")
	}
	if r.State != Submitted {
		return r, refuse("报告%s，不在审核中", r.State.Label())
	}
	return r, nil
}

// Return sends a report back with the reason (退回).
func Return(t Topic, no int, by, reason string, now time.Time) (Topic, error) {
	if _, err := t.pending(no); err != nil {
		return t, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return t, refuse("退回须写明理由")
	}
	if err := textlimit.Text("reason", "退回理由", MaxReason, reason); err != nil {
		return t, err
	}
	t = clone(t)
	r := &t.Reports[no-1]
	r.State, r.Reason, r.DecidedAt, r.DecidedBy = Returned, reason, now, by
	t.log(by, "return", reason, now)
	return t, nil
}

// Accept accepts a report: it enters the library of finished reports.
func Accept(t Topic, no int, by string, now time.Time) (Topic, error) {
	if _, err := t.pending(no); err != nil {
		return t, err
	}
	t = clone(t)
	r := &t.Reports[no-1]
	r.State, r.Reason, r.DecidedAt, r.DecidedBy = Accepted, "", now, by
	t.log(by, "accept", r.Title, now)
	return t, nil
}

// Correct applies a proofreading suggestion to a report under review: the
// runes [start, end) of its body, which must still read old, become repl.
// A stale offset (the body changed since the check) is refused, not guessed.
func Correct(t Topic, no int, by string, start, end int, old, repl string, now time.Time) (Topic, error) {
	if _, err := t.pending(no); err != nil {
		return t, err
	}
	body := []rune(t.Reports[no-1].Body)
	if start < 0 || end < start || end > len(body) || string(body[start:end]) != old {
		return t, refuse("报告已修改，请重新校对")
	}
	nb := string(body[:start]) + repl + string(body[end:])
	if err := textlimit.Text("body", "报告正文", MaxBody, nb); err != nil {
		return t, err
	}
	t = clone(t)
	r := &t.Reports[no-1]
	r.Body = nb
	r.Corrected++
	t.log(by, "correct", old+"→"+repl, now)
	return t, nil
}

// Ignore marks a finding (by its key) "not an error" on a report.
func Ignore(t Topic, no int, by, key string, now time.Time) (Topic, error) {
	if _, err := t.pending(no); err != nil {
		return t, err
	}
	if key == "" || len(key) > 200 {
		return t, refuse("校对提示无效")
	}
	if slices.Contains(t.Reports[no-1].Ignored, key) {
		return t, nil
	}
	if len(t.Reports[no-1].Ignored) >= MaxIgnored {
		return t, refuse("忽略的校对提示过多")
	}
	t = clone(t)
	t.Reports[no-1].Ignored = append(t.Reports[no-1].Ignored, key)
	t.log(by, "ignore", "", now)
	return t, nil
}

// AddInstruction records a leader's 批示 on an accepted report.
func AddInstruction(t Topic, no int, ins Instruction, by string, now time.Time) (Topic, error) {
	r, ok := t.Report(no)
	if !ok {
		return t, refuse("没有这份报告")
	}
	if r.State != Accepted {
		return t, refuse("报告采用后才能登记领导批示")
	}
	ins.Leader, ins.Text = strings.TrimSpace(ins.Leader), strings.TrimSpace(ins.Text)
	switch {
	case ins.Leader == "":
		return t, refuse("请填写批示领导")
	case ins.Text == "":
		return t, refuse("请填写批示内容")
	case ins.At.IsZero():
		return t, refuse("请填写批示日期")
	case ins.At.After(now):
		return t, refuse("批示日期不能晚于今天")
	case len(r.Instructions) >= 50:
		return t, refuse("一份报告最多登记 50 条批示")
	}
	if err := textlimit.Text("leader", "批示领导", MaxLeader, ins.Leader); err != nil {
		return t, err
	}
	if err := textlimit.Text("text", "批示内容", MaxInstruction, ins.Text); err != nil {
		return t, err
	}
	t = clone(t)
	ins.By, ins.SupItemID = by, ""
	t.Reports[no-1].Instructions = append(t.Reports[no-1].Instructions, ins)
	t.log(by, "instruction", ins.Leader, now)
	return t, nil
}

// Instruction returns 批示 i (0-based) of report no.
func (t Topic) Instruction(no, i int) (Instruction, error) {
	r, ok := t.Report(no)
	if !ok {
		return Instruction{}, refuse("没有这份报告")
	}
	if i < 0 || i >= len(r.Instructions) {
		return Instruction{}, refuse("没有这条批示")
	}
	if r.Instructions[i].SupItemID != "" {
		return Instruction{}, refuse("这条批示已转为督办事项")
	}
	return r.Instructions[i], nil
}

// LinkSupervision records that 批示 i of report no became item supID.
func LinkSupervision(t Topic, no, i int, by, supID string, now time.Time) (Topic, error) {
	if _, err := t.Instruction(no, i); err != nil {
		return t, err
	}
	if supID == "" {
		return t, refuse("督办事项编号为空")
	}
	t = clone(t)
	t.Reports[no-1].Instructions[i].SupItemID = supID
	t.log(by, "supervise", supID, now)
	return t, nil
}

// SupervisionTitle is the title of the supervision item a 批示 becomes.
func SupervisionTitle(r Report, ins Instruction) string {
	s := "落实" + ins.Leader + "对调研报告《" + r.Title + "》的批示"
	if utf8.RuneCountInString(s) > 200 {
		s = string([]rune(s)[:200])
	}
	return s
}

// SupervisionRef is how a supervision item names the report it follows:
// the topic and the report's number.
func SupervisionRef(topicID string, no int) string { return fmt.Sprintf("%s#%d", topicID, no) }

// ParseSupervisionRef splits a SupervisionRef.
func ParseSupervisionRef(ref string) (topicID string, no int, ok bool) {
	id, n, found := strings.Cut(ref, "#")
	if !found || id == "" {
		return "", 0, false
	}
	if _, err := fmt.Sscanf(n, "%d", &no); err != nil || no < 1 || fmt.Sprint(no) != n {
		return "", 0, false
	}
	return id, no, true
}

// Close closes the topic (结题). Reports still under review must be decided first.
func Close(t Topic, by string, now time.Time) (Topic, error) {
	if err := t.open(); err != nil {
		return t, err
	}
	if slices.ContainsFunc(t.Reports, func(r Report) bool { return r.State == Submitted }) {
		return t, refuse("还有报告待审核，审核后才能结题")
	}
	t = clone(t)
	t.State = Closed
	t.log(by, "close", "", now)
	return t, nil
}

// Missing are the assigned units without an accepted report.
func (t Topic) Missing() []string {
	var out []string
	for _, u := range t.Units() {
		if !slices.ContainsFunc(t.Reports, func(r Report) bool { return r.UnitID == u && r.State == Accepted }) {
			out = append(out, u)
		}
	}
	return out
}

// Status is where a topic stands as people read it: its State says only
// whether it was closed (结题); the reports and the deadline say the rest.
type Status string

const (
	InProgress Status = "in_progress" // 调研中
	Late       Status = "late"        // 已逾期: past the deadline, a unit still owing its report
	Completed  Status = "completed"   // 已完成: every assigned unit's report accepted, none under review
	Concluded  Status = "concluded"   // 已结题
)

// Label is the status's Chinese name.
func (s Status) Label() string {
	switch s {
	case Late:
		return "已逾期"
	case Completed:
		return "已完成"
	case Concluded:
		return "已结题"
	}
	return "调研中"
}

// Status gives the topic's status at now. A topic whose units have all had
// a report accepted is 已完成 whatever the date (the deadline was met by
// the reports, or the lateness is over); one still waiting on a unit is
// 已逾期 past its deadline, else 调研中.
func (t Topic) Status(now time.Time) Status {
	switch {
	case t.State == Closed:
		return Concluded
	case len(t.Missing()) == 0 && !slices.ContainsFunc(t.Reports, func(r Report) bool { return r.State == Submitted }):
		return Completed
	case now.After(t.Due):
		return Late
	}
	return InProgress
}

// ToUrge lists the units to urge (催报) at now: the topic is open and past
// its deadline, the unit has no accepted report and none under review, and
// was not urged in the last day (a second click the same day urges no one).
func (t Topic) ToUrge(now time.Time) []string {
	if t.State == Closed || !now.After(t.Due) {
		return nil
	}
	var out []string
	for _, u := range t.Missing() {
		if slices.ContainsFunc(t.Reports, func(r Report) bool { return r.UnitID == u && r.State == Submitted }) {
			continue
		}
		if at, ok := t.Urged[u]; ok && now.Sub(at) < 24*time.Hour {
			continue
		}
		out = append(out, u)
	}
	return out
}

// Urge records that units were urged at now.
func Urge(t Topic, units []string, by string, now time.Time) (Topic, error) {
	if len(units) == 0 {
		return t, refuse("没有需要催报的单位")
	}
	t = clone(t)
	m := make(map[string]time.Time, len(t.Urged)+len(units))
	for k, v := range t.Urged {
		m[k] = v
	}
	for _, u := range units {
		m[u] = now
	}
	t.Urged = m
	t.log(by, "urge", strings.Join(units, ","), now)
	return t, nil
}

// UrgeText is the message a late unit receives.
func UrgeText(t Topic, unitName string) (subject, body string) {
	subject = "调研催报：" + t.Title
	body = unitName + "：调研课题“" + t.Title + "”要求于" + t.Due.Format("2006年1月2日") + "前提交调研报告，贵单位尚未提交，请抓紧报送。"
	return subject, body
}

// AssignText is the message an assigned unit (or person) receives when a
// topic is set.
func AssignText(t Topic, due string) (subject, body string) {
	subject = "调研任务：" + t.Title
	body = "请承担调研课题“" + t.Title + "”，于" + due + "前提交调研报告。"
	if t.Brief != "" {
		body += "调研要求：" + t.Brief
	}
	return subject, body
}

// Overdue reports whether the topic is open past its deadline with a unit
// still owing its report.
func (t Topic) Overdue(now time.Time) bool {
	return t.State == Open && now.After(t.Due) && len(t.Missing()) > 0
}

// LibraryEntry is one accepted report in the library of finished reports.
type LibraryEntry struct {
	TopicID    string    `json:"topic_id"`
	No         int       `json:"no"`
	Title      string    `json:"title"`
	TopicTitle string    `json:"topic_title"`
	UnitID     string    `json:"unit_id"`
	AcceptedAt time.Time `json:"accepted_at"`
	// Instructed: a leader wrote a 批示 on it.
	Instructed bool `json:"instructed"`
}

// Library lists the topic's accepted reports.
func (t Topic) Library() []LibraryEntry {
	var out []LibraryEntry
	for _, r := range t.Reports {
		if r.State == Accepted {
			out = append(out, LibraryEntry{TopicID: t.ID, No: r.No, Title: r.Title, TopicTitle: t.Title, UnitID: r.UnitID,
				AcceptedAt: r.DecidedAt, Instructed: len(r.Instructions) > 0})
		}
	}
	return out
}
