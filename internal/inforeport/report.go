// Package inforeport is 信息报送: units submit 政务信息 to the district office,
// whose editors edit them with tracked changes, adopt, decline or return them,
// merge several units' reports into one item, and record each adoption upward
// (区/市/省/中央) and any leader's 批示. It also holds 约稿 (solicitations),
// the office's publications (《信息专报》《每日要情》《工作动态》) and the scoring
// of information (积分).
//
// Everything here is pure: operations take a report and return a new report
// or a Chinese refusal; the store persists them, the web shows them.
package inforeport

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Limits on what people type (textlimit counts characters).
const (
	MaxTitle       = 100
	MaxBody        = 20000
	MaxReason      = 500
	MaxOutlet      = 100
	MaxInstruction = 2000
	MaxLeader      = 50
	MaxNote        = 200
	MaxAttachments = 20
	MaxTopic       = 100
	MaxDetail      = 2000
	MaxUnits       = 200
	MaxSources     = 20
)

// Category is the subject area of a report (信息类别).
type Category string

const (
	Economy    Category = "economy"    // 经济发展
	Livelihood Category = "livelihood" // 社会民生
	Safety     Category = "safety"     // 安全稳定
	Party      Category = "party"      // 党的建设
	Reform     Category = "reform"     // 改革创新
	Governance Category = "governance" // 基层治理
	Ecology    Category = "ecology"    // 生态环境
	Other      Category = "other"      // 其他
)

var categoryLabels = map[Category]string{
	Economy: "经济发展", Livelihood: "社会民生", Safety: "安全稳定", Party: "党的建设",
	Reform: "改革创新", Governance: "基层治理", Ecology: "生态环境", Other: "其他",
}

// Categories lists the categories in the order forms offer them.
func Categories() []Category {
	return []Category{Economy, Livelihood, Safety, Party, Reform, Governance, Ecology, Other}
}

// Label is the category's Chinese name.
func (c Category) Label() string {
	if l, ok := categoryLabels[c]; ok {
		return l
	}
	return string(c)
}

// Valid reports whether c is a known category.
func (c Category) Valid() bool { _, ok := categoryLabels[c]; return ok }

// Urgency is how fast the office should read a report. 紧急信息 (突发事件)
// go to the editors at once and to 《每日要情》 the same day.
type Urgency string

const (
	Normal     Urgency = "normal"      // 一般
	Urgent     Urgency = "urgent"      // 紧急
	VeryUrgent Urgency = "very_urgent" // 特急
)

// Urgencies lists the urgencies in the order forms offer them.
func Urgencies() []Urgency { return []Urgency{Normal, Urgent, VeryUrgent} }

// Label is the urgency's Chinese name.
func (u Urgency) Label() string {
	switch u {
	case Normal:
		return "一般"
	case Urgent:
		return "紧急"
	case VeryUrgent:
		return "特急"
	}
	return string(u)
}

// Valid reports whether u is a known urgency.
func (u Urgency) Valid() bool { return u == Normal || u == Urgent || u == VeryUrgent }

// State is where a report stands.
type State string

const (
	Submitted State = "submitted" // 已报送（待编辑）
	Editing   State = "editing"   // 编辑中
	Adopted   State = "adopted"   // 已采用
	Declined  State = "declined"  // 不采用
	Returned  State = "returned"  // 退回（请报送单位修改后再报）
	Merged    State = "merged"    // 已合并（编入另一条信息，署名保留）
)

var stateLabels = map[State]string{
	Submitted: "已报送", Editing: "编辑中", Adopted: "已采用", Declined: "不采用", Returned: "已退回", Merged: "已合并",
}

// States lists the states in the order of a report's life.
func States() []State { return []State{Submitted, Editing, Adopted, Declined, Returned, Merged} }

// Label is the state's Chinese name.
func (s State) Label() string {
	if l, ok := stateLabels[s]; ok {
		return l
	}
	return string(s)
}

// Open reports whether the editors still owe the report a decision.
func (s State) Open() bool { return s == Submitted || s == Editing }

// Level is the level at which a report was adopted (采用层级).
type Level string

const (
	District Level = "district" // 区
	City     Level = "city"     // 市
	Province Level = "province" // 省
	Central  Level = "central"  // 中央
)

// Levels lists the levels from the district upward.
func Levels() []Level { return []Level{District, City, Province, Central} }

// Label is the level's Chinese name.
func (l Level) Label() string {
	switch l {
	case District:
		return "区级"
	case City:
		return "市级"
	case Province:
		return "省级"
	case Central:
		return "中央"
	}
	return string(l)
}

// Valid reports whether l is a known level.
func (l Level) Valid() bool { return slices.Contains(Levels(), l) }

// Attachment is a file that came with a report: a document attachment (its
// content in the file store by SHA-256, checked by the same upload policy),
// so a report's files are kept, served and collected as documents' are.
type Attachment = document.Attachment

// File finds the report's attachment with content address sha.
func (r Report) File(sha string) (Attachment, bool) {
	if sha == "" {
		return Attachment{}, false
	}
	i := slices.IndexFunc(r.Attachments, func(a Attachment) bool { return a.SHA256 == sha })
	if i < 0 {
		return Attachment{}, false
	}
	return r.Attachments[i], true
}

// withFiles adds files not yet among atts (the same content under the same
// name once).
func withFiles(atts []Attachment, more ...Attachment) []Attachment {
	for _, a := range more {
		if !slices.ContainsFunc(atts, func(b Attachment) bool { return b.SHA256 == a.SHA256 && b.Name == a.Name }) {
			atts = append(atts, a)
		}
	}
	return atts
}

// Version is one saved text of a report: the unit's original is 1, every
// edit by the editors adds one, so the changes are tracked and any two
// versions compare (Redline) as documents' versions do.
type Version struct {
	N      int       `json:"n"`
	Title  string    `json:"title"`
	Body   string    `json:"body"`
	Author string    `json:"author"` // person ID
	At     time.Time `json:"at"`
	Note   string    `json:"note,omitempty"`
}

// Credit is a unit's claim on a report: the unit that submitted it, or, for
// a merged item, each unit whose report went into it. Scoring credits every
// source of an item (合稿不减分).
type Credit struct {
	UnitID   string `json:"unit_id"`
	PersonID string `json:"person_id"`
	ReportID string `json:"report_id"` // the report the unit sent
	// Late: the report answered a 约稿 after its date.
	Late bool `json:"late,omitempty"`
}

// Adoption is one adoption of a report: by the district office itself
// (区级, in one of its publications) or by a higher office (上级采用), with
// the outlet (the publication or channel that carried it) and its date.
type Adoption struct {
	Level      Level     `json:"level"`
	Outlet     string    `json:"outlet"` // 《云泽信息》第 12 期, 省委办公厅《每日汇报》…
	Date       time.Time `json:"date"`   // the day it was adopted
	By         string    `json:"by"`     // the editor who recorded it
	RecordedAt time.Time `json:"recorded_at"`
}

// Instruction is a leader's 批示 on a report.
type Instruction struct {
	Leader     string    `json:"leader"` // name and post as written: 区委书记 王志明
	Level      Level     `json:"level"`  // the leader's level
	At         time.Time `json:"at"`
	Text       string    `json:"text"`
	By         string    `json:"by"` // the editor who recorded it
	RecordedAt time.Time `json:"recorded_at"`
	// SupItemID is the supervision item the 批示 became (督办), if any.
	SupItemID string `json:"sup_item_id,omitempty"`
}

// Event is one entry of a report's history.
type Event struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"` // submit, edit, adopt, decline, return, resubmit, merge, adoption, instruction, supervise
	Note   string    `json:"note,omitempty"`
}

// Report is one 政务信息.
type Report struct {
	ID       string   `json:"id"`
	OfficeID string   `json:"office_id"` // the office it is submitted to
	UnitID   string   `json:"unit_id"`   // the submitting unit
	PersonID string   `json:"person_id"` // the person who submitted it
	Title    string   `json:"title"`
	Body     string   `json:"body"`
	Category Category `json:"category"`
	Urgency  Urgency  `json:"urgency"`
	// Level is its 密级; a classified report is seen per clearance, as documents are.
	Level       org.Classification `json:"level"`
	Attachments []Attachment       `json:"attachments,omitempty"`
	// SolicitationID is the 约稿 the report answers, if any.
	SolicitationID string    `json:"solicitation_id,omitempty"`
	State          State     `json:"state"`
	Reason         string    `json:"reason,omitempty"` // why declined or returned
	Returns        int       `json:"returns,omitempty"`
	Versions       []Version `json:"versions"`
	Sources        []Credit  `json:"sources"`
	// MergedInto is the item this report was merged into; MergedFrom the
	// reports merged into this item.
	MergedInto   string        `json:"merged_into,omitempty"`
	MergedFrom   []string      `json:"merged_from,omitempty"`
	Adoptions    []Adoption    `json:"adoptions,omitempty"`
	Instructions []Instruction `json:"instructions,omitempty"`
	// Issues are the publication issues (期) that carried the report.
	Issues      []string  `json:"issues,omitempty"`
	SubmittedAt time.Time `json:"submitted_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	History     []Event   `json:"history"`
	// Seq counts the report's saves: the store's optimistic concurrency.
	Seq int `json:"seq"`
}

// Refusal is an operation refused, with a Chinese message for the person.
type Refusal struct{ Msg string }

func (r *Refusal) Error() string { return r.Msg }

func refuse(format string, a ...any) error { return &Refusal{Msg: fmt.Sprintf(format, a...)} }

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// Draft is what a unit types to submit a report.
type Draft struct {
	Title          string             `json:"title"`
	Body           string             `json:"body"`
	Category       Category           `json:"category"`
	Urgency        Urgency            `json:"urgency"`
	Level          org.Classification `json:"level"`
	Attachments    []Attachment       `json:"attachments,omitempty"`
	SolicitationID string             `json:"solicitation_id,omitempty"`
}

// Check validates a draft: everything required, every text within its limit.
func (d Draft) Check() error {
	if blank(d.Title) {
		return refuse("请填写信息标题")
	}
	if blank(d.Body) {
		return refuse("请填写信息正文")
	}
	if err := textlimit.Text("title", "标题", MaxTitle, d.Title); err != nil {
		return err
	}
	if err := textlimit.Text("body", "正文", MaxBody, d.Body); err != nil {
		return err
	}
	if !d.Category.Valid() {
		return refuse("请选择信息类别")
	}
	if !d.Urgency.Valid() {
		return refuse("请选择紧急程度")
	}
	if !d.Level.Valid() {
		return refuse("无效密级（可选：非密、秘密、机密）")
	}
	return checkFiles(d.Attachments)
}

func checkFiles(atts []Attachment) error {
	if len(atts) > MaxAttachments {
		return &textlimit.Error{Field: "attachments", Label: "附件", Max: MaxAttachments, Got: len(atts), Unit: "个"}
	}
	for _, a := range atts {
		if blank(a.Name) || a.SHA256 == "" {
			return refuse("附件无效：须上传文件")
		}
	}
	return nil
}

// Submit makes a new report from a unit's draft (报送). sol is the 约稿 it
// answers (nil for none): the report must come from a unit it asked, and is
// marked late when it comes after the date.
func Submit(id, office, unit, person string, d Draft, sol *Solicitation, now time.Time) (Report, error) {
	d.Title, d.Body = strings.TrimSpace(d.Title), strings.TrimSpace(d.Body)
	if d.Urgency == "" {
		d.Urgency = Normal
	}
	if err := d.Check(); err != nil {
		return Report{}, err
	}
	if office == "" || unit == "" || person == "" {
		return Report{}, refuse("报送单位和报送人不能为空")
	}
	late := false
	if d.SolicitationID != "" {
		if sol == nil || sol.ID != d.SolicitationID {
			return Report{}, refuse("所答约稿不存在")
		}
		if !sol.Asks(unit) {
			return Report{}, refuse("约稿“%s”没有向本单位约稿", sol.Topic)
		}
		if sol.Closed {
			return Report{}, refuse("约稿“%s”已结束", sol.Topic)
		}
		office = sol.OfficeID
		late = now.After(sol.Due)
	}
	r := Report{
		ID: id, OfficeID: office, UnitID: unit, PersonID: person,
		Title: d.Title, Body: d.Body, Category: d.Category, Urgency: d.Urgency, Level: d.Level,
		Attachments: d.Attachments, SolicitationID: d.SolicitationID, State: Submitted,
		Versions:    []Version{{N: 1, Title: d.Title, Body: d.Body, Author: person, At: now}},
		Sources:     []Credit{{UnitID: unit, PersonID: person, ReportID: id, Late: late}},
		SubmittedAt: now, UpdatedAt: now,
		History: []Event{{At: now, Actor: person, Action: "submit"}},
	}
	return r, nil
}

func (r Report) clone() Report {
	r.Attachments = slices.Clone(r.Attachments)
	r.Versions = slices.Clone(r.Versions)
	r.Sources = slices.Clone(r.Sources)
	r.MergedFrom = slices.Clone(r.MergedFrom)
	r.Adoptions = slices.Clone(r.Adoptions)
	r.Instructions = slices.Clone(r.Instructions)
	r.Issues = slices.Clone(r.Issues)
	r.History = slices.Clone(r.History)
	return r
}

func (r *Report) log(at time.Time, actor, action, note string) {
	r.History = append(r.History, Event{At: at, Actor: actor, Action: action, Note: note})
	r.UpdatedAt = at
}

// Latest is the report's current version.
func (r Report) Latest() Version { return r.Versions[len(r.Versions)-1] }

// VersionN finds version n.
func (r Report) VersionN(n int) (Version, bool) {
	for _, v := range r.Versions {
		if v.N == n {
			return v, true
		}
	}
	return Version{}, false
}

// Redline compares two versions of the report with the documents' diff:
// the title and the body as one text, character by character.
func (r Report) Redline(from, to int) (document.Redline, error) {
	a, ok1 := r.VersionN(from)
	b, ok2 := r.VersionN(to)
	if !ok1 || !ok2 {
		return document.Redline{}, refuse("没有第 %d 稿或第 %d 稿", from, to)
	}
	rl := document.Redline{From: from, To: to, Edits: document.Diff(a.Title+"\n"+a.Body, b.Title+"\n"+b.Body)}
	for _, e := range rl.Edits {
		switch e.Op {
		case document.Insert:
			rl.Inserted += e.Len
		case document.Delete:
			rl.Deleted += e.Len
		}
	}
	return rl, nil
}

// Edit saves an editor's changes as a new version (修改留痕); the report is
// then 编辑中. Only open reports are edited; an adopted one is changed no more
// (what was adopted is on record).
func Edit(r Report, editor, title, body, note string, now time.Time) (Report, error) {
	if !r.State.Open() {
		return r, refuse("信息%s，不能再编辑", r.State.Label())
	}
	title, body = strings.TrimSpace(title), strings.TrimSpace(body)
	if blank(title) || blank(body) {
		return r, refuse("标题和正文不能为空")
	}
	if err := textlimit.Text("title", "标题", MaxTitle, title); err != nil {
		return r, err
	}
	if err := textlimit.Text("body", "正文", MaxBody, body); err != nil {
		return r, err
	}
	if err := textlimit.Text("note", "修改说明", MaxNote, note); err != nil {
		return r, err
	}
	cur := r.Latest()
	if cur.Title == title && cur.Body == body {
		return r, refuse("没有修改")
	}
	r = r.clone()
	r.Versions = append(r.Versions, Version{N: cur.N + 1, Title: title, Body: body, Author: editor, At: now, Note: note})
	r.Title, r.Body, r.State = title, body, Editing
	r.log(now, editor, "edit", note)
	return r, nil
}

// Adopt adopts a report at the district level (区级采用) for outlet (the
// office's publication or channel); date is the adoption's day.
func Adopt(r Report, editor, outlet string, date, now time.Time) (Report, error) {
	if !r.State.Open() {
		return r, refuse("信息%s，不能采用", r.State.Label())
	}
	r = r.clone()
	r.State, r.Reason = Adopted, ""
	r, err := addAdoption(r, District, outlet, editor, date, now)
	if err != nil {
		return r, err
	}
	r.log(now, editor, "adopt", outlet)
	return r, nil
}

// Decline decides not to adopt a report (不采用), with the reason the unit reads.
func Decline(r Report, editor, reason string, now time.Time) (Report, error) {
	return closeWith(r, editor, reason, Declined, "decline", now)
}

// Return sends a report back to its unit to rework (退回); the unit may
// submit it again. Each return counts against the unit in scoring.
func Return(r Report, editor, reason string, now time.Time) (Report, error) {
	return closeWith(r, editor, reason, Returned, "return", now)
}

func closeWith(r Report, editor, reason string, to State, action string, now time.Time) (Report, error) {
	if !r.State.Open() {
		return r, refuse("信息%s，不能%s", r.State.Label(), to.Label())
	}
	reason = strings.TrimSpace(reason)
	if blank(reason) {
		return r, refuse("请填写%s的理由", map[State]string{Declined: "不采用", Returned: "退回"}[to])
	}
	if err := textlimit.Text("reason", "理由", MaxReason, reason); err != nil {
		return r, err
	}
	r = r.clone()
	r.State, r.Reason = to, reason
	if to == Returned {
		r.Returns++
	}
	r.log(now, editor, action, reason)
	return r, nil
}

// Resubmit is the unit sending a returned report again, reworked, with any
// further files (those it came with stay).
func Resubmit(r Report, person, title, body string, files []Attachment, now time.Time) (Report, error) {
	if r.State != Returned {
		return r, refuse("只有退回的信息可以修改后再报")
	}
	title, body = strings.TrimSpace(title), strings.TrimSpace(body)
	if err := (Draft{Title: title, Body: body, Category: r.Category, Urgency: r.Urgency, Level: r.Level}).Check(); err != nil {
		return r, err
	}
	atts := withFiles(slices.Clone(r.Attachments), files...)
	if err := checkFiles(atts); err != nil {
		return r, err
	}
	r = r.clone()
	r.Attachments = atts
	cur := r.Latest()
	r.Versions = append(r.Versions, Version{N: cur.N + 1, Title: title, Body: body, Author: person, At: now, Note: "修改后再报"})
	r.Title, r.Body, r.State, r.Reason = title, body, Submitted, ""
	r.log(now, person, "resubmit", "")
	return r, nil
}

// Merge combines several open reports into one new item (合稿): the item
// carries every source's credit, and the sources are closed as 已合并,
// pointing to it. The reports must share an office; the item takes the
// highest 密级 and urgency among them.
func Merge(id, editor, title, body string, cat Category, srcs []Report, now time.Time) (Report, []Report, error) {
	if len(srcs) < 2 {
		return Report{}, nil, refuse("合稿至少需要两条信息")
	}
	if len(srcs) > MaxSources {
		return Report{}, nil, refuse("一次最多合并 %d 条信息", MaxSources)
	}
	title, body = strings.TrimSpace(title), strings.TrimSpace(body)
	if blank(title) {
		title = srcs[0].Title
	}
	if blank(body) {
		parts := make([]string, len(srcs))
		for i, s := range srcs {
			parts[i] = s.Body
		}
		body = strings.Join(parts, "\n")
	}
	if cat == "" {
		cat = srcs[0].Category
	}
	d := Draft{Title: title, Body: body, Category: cat, Urgency: Normal}
	item := Report{ID: id, OfficeID: srcs[0].OfficeID, UnitID: srcs[0].OfficeID, PersonID: editor, State: Editing,
		SubmittedAt: now}
	seen := map[string]bool{}
	out := make([]Report, len(srcs))
	for i, s := range srcs {
		if seen[s.ID] {
			return Report{}, nil, refuse("同一条信息不能重复合并")
		}
		seen[s.ID] = true
		if !s.State.Open() {
			return Report{}, nil, refuse("“%s”%s，不能合并", s.Title, s.State.Label())
		}
		if s.OfficeID != item.OfficeID {
			return Report{}, nil, refuse("只能合并报送到同一办公室的信息")
		}
		item.Sources = append(item.Sources, s.Sources...)
		item.MergedFrom = append(item.MergedFrom, s.ID)
		// The item carries every source's files: the editors read them
		// with it, and an issue's document carries them to its readers.
		item.Attachments = withFiles(item.Attachments, s.Attachments...)
		item.Level = max(item.Level, s.Level)
		if urgencyRank(s.Urgency) > urgencyRank(d.Urgency) {
			d.Urgency = s.Urgency
		}
		if s.SubmittedAt.Before(item.SubmittedAt) {
			item.SubmittedAt = s.SubmittedAt
		}
		c := s.clone()
		c.State, c.MergedInto = Merged, id
		c.log(now, editor, "merge", id)
		out[i] = c
	}
	d.Level, d.Attachments = item.Level, item.Attachments
	if err := d.Check(); err != nil {
		return Report{}, nil, err
	}
	item.Title, item.Body, item.Category, item.Urgency = d.Title, d.Body, d.Category, d.Urgency
	item.Versions = []Version{{N: 1, Title: d.Title, Body: d.Body, Author: editor, At: now, Note: "合稿"}}
	item.UpdatedAt = now
	item.History = []Event{{At: now, Actor: editor, Action: "merge", Note: strings.Join(item.MergedFrom, ",")}}
	return item, out, nil
}

func urgencyRank(u Urgency) int { return slices.Index(Urgencies(), u) }

// RecordAdoption records an adoption of an adopted report at a level above
// the district (上级采用): 市/省/中央, once per level and outlet.
func RecordAdoption(r Report, editor string, level Level, outlet string, date, now time.Time) (Report, error) {
	if r.State != Adopted {
		return r, refuse("信息须先经本级采用，才能登记上级采用")
	}
	if level == District {
		return r, refuse("区级采用在采用时已登记")
	}
	r = r.clone()
	r, err := addAdoption(r, level, outlet, editor, date, now)
	if err != nil {
		return r, err
	}
	r.log(now, editor, "adoption", level.Label()+" "+outlet)
	return r, nil
}

func addAdoption(r Report, level Level, outlet, editor string, date, now time.Time) (Report, error) {
	outlet = strings.TrimSpace(outlet)
	if !level.Valid() {
		return r, refuse("请选择采用层级")
	}
	if blank(outlet) {
		return r, refuse("请填写采用载体（刊物或渠道）")
	}
	if err := textlimit.Text("outlet", "采用载体", MaxOutlet, outlet); err != nil {
		return r, err
	}
	if date.IsZero() {
		return r, refuse("请填写采用日期")
	}
	if date.After(now) {
		return r, refuse("采用日期不能晚于今天")
	}
	for _, a := range r.Adoptions {
		if a.Level == level && a.Outlet == outlet {
			return r, refuse("已登记%s采用（%s）", level.Label(), outlet)
		}
	}
	r.Adoptions = append(r.Adoptions, Adoption{Level: level, Outlet: outlet, Date: date, By: editor, RecordedAt: now})
	return r, nil
}

// AdoptedAt reports whether the report was adopted at level.
func (r Report) AdoptedAt(level Level) bool {
	return slices.ContainsFunc(r.Adoptions, func(a Adoption) bool { return a.Level == level })
}

// TopLevel is the highest level that adopted the report ("" when none).
func (r Report) TopLevel() Level {
	var top Level
	for _, l := range Levels() {
		if r.AdoptedAt(l) {
			top = l
		}
	}
	return top
}

// AddInstruction records a leader's 批示 on an adopted report.
func AddInstruction(r Report, editor string, ins Instruction, now time.Time) (Report, error) {
	if r.State != Adopted {
		return r, refuse("信息须采用后才能登记领导批示")
	}
	ins.Leader, ins.Text = strings.TrimSpace(ins.Leader), strings.TrimSpace(ins.Text)
	if blank(ins.Leader) {
		return r, refuse("请填写批示领导")
	}
	if blank(ins.Text) {
		return r, refuse("请填写批示内容")
	}
	if err := textlimit.Text("leader", "批示领导", MaxLeader, ins.Leader); err != nil {
		return r, err
	}
	if err := textlimit.Text("text", "批示内容", MaxInstruction, ins.Text); err != nil {
		return r, err
	}
	if ins.Level == "" {
		ins.Level = District
	}
	if !ins.Level.Valid() {
		return r, refuse("请选择批示领导的层级")
	}
	if ins.At.IsZero() {
		return r, refuse("请填写批示日期")
	}
	if ins.At.After(now) {
		return r, refuse("批示日期不能晚于今天")
	}
	ins.By, ins.RecordedAt, ins.SupItemID = editor, now, ""
	r = r.clone()
	r.Instructions = append(r.Instructions, ins)
	r.log(now, editor, "instruction", ins.Leader)
	return r, nil
}

// LinkSupervision records that 批示 i became supervision item supID.
func LinkSupervision(r Report, i int, editor, supID string, now time.Time) (Report, error) {
	if i < 0 || i >= len(r.Instructions) {
		return r, refuse("没有这条批示")
	}
	if r.Instructions[i].SupItemID != "" {
		return r, refuse("这条批示已转为督办事项")
	}
	r = r.clone()
	r.Instructions[i].SupItemID = supID
	r.log(now, editor, "supervise", supID)
	return r, nil
}

// SupervisionTitle is the title of the supervision item a 批示 becomes.
func SupervisionTitle(r Report, ins Instruction) string {
	t := "落实" + ins.Leader + "对《" + r.Title + "》的批示"
	if n := []rune(t); len(n) > 200 {
		t = string(n[:200])
	}
	return t
}

// Credits lists the units credited with the report (each unit once).
func (r Report) Credits() []string {
	var out []string
	for _, c := range r.Sources {
		if !slices.Contains(out, c.UnitID) {
			out = append(out, c.UnitID)
		}
	}
	return out
}

// CreditedTo reports whether unit is credited with the report.
func (r Report) CreditedTo(unit string) bool { return slices.Contains(r.Credits(), unit) }
