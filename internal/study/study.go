// Package study is 学习培训: study plans with their topics and assignments
// (who studies what by when), training sessions with sign-in and the hours
// each person earns in a year, and the shared library of model texts (范文)
// and experience write-ups (经验交流) that "先学后想再提笔" learns from. All of
// it is pure: the store saves what these functions return.
package study

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Limits on the fields, in characters (items for lists).
const (
	MaxTitle    = 100
	MaxTopic    = 200
	MaxMaterial = 500
	MaxNote     = 500
	MaxItems    = 100
	MaxPeople   = 500
	MaxSpeaker  = 50
	MaxPlace    = 100
	MaxSummary  = 1000
	MaxBody     = 100000
	MaxTags     = 10
	MaxTag      = 20
	// MaxSession bounds one training session; a longer course is entered
	// day by day.
	MaxSession = 12 * time.Hour
)

// Refusal is an operation refused, with a Chinese message for the person.
type Refusal struct{ Msg string }

func (r *Refusal) Error() string { return r.Msg }

func refuse(format string, a ...any) error { return &Refusal{Msg: fmt.Sprintf(format, a...)} }

// ---- study plans (学习计划) ----

// Completion is one person's "学完" on a plan item.
type Completion struct {
	PersonID string    `json:"person_id"`
	At       time.Time `json:"at"`
	Note     string    `json:"note,omitempty"` // 心得, briefly
}

// Item is one topic of a plan: what to study, who, by when.
type Item struct {
	Topic    string       `json:"topic"`
	Material string       `json:"material,omitempty"` // 学习材料
	People   []string     `json:"people"`
	Due      time.Time    `json:"due"`
	Done     []Completion `json:"done,omitempty"`
}

// Plan is a 学习计划 of an office for a year.
type Plan struct {
	ID        string    `json:"id"`
	OfficeID  string    `json:"office_id"`
	Title     string    `json:"title"`
	Year      int       `json:"year"`
	Items     []Item    `json:"items"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Seq       int       `json:"seq"`
}

// NewPlan checks a new plan.
func NewPlan(id, office, title string, year int, by string, now time.Time) (Plan, error) {
	title = strings.TrimSpace(title)
	switch {
	case id == "" || office == "":
		return Plan{}, refuse("学习计划缺少编号或所属办公室")
	case title == "":
		return Plan{}, refuse("请填写学习计划名称")
	case year < 2000 || year > 2100:
		return Plan{}, refuse("请填写计划年度")
	}
	if err := textlimit.Text("title", "计划名称", MaxTitle, title); err != nil {
		return Plan{}, err
	}
	return Plan{ID: id, OfficeID: office, Title: title, Year: year, CreatedBy: by, CreatedAt: now, UpdatedAt: now}, nil
}

// AddItem adds a topic with its people and deadline to a plan.
func AddItem(p Plan, it Item, now time.Time) (Plan, error) {
	it.Topic, it.Material = strings.TrimSpace(it.Topic), strings.TrimSpace(it.Material)
	it.People = dedupe(it.People)
	switch {
	case it.Topic == "":
		return p, refuse("请填写学习专题")
	case len(it.People) == 0:
		return p, refuse("请选择参学人员")
	case it.Due.IsZero():
		return p, refuse("请填写完成时限")
	case len(p.Items) >= MaxItems:
		return p, refuse("一个学习计划最多 %d 个专题", MaxItems)
	}
	if err := textlimit.Text("topic", "学习专题", MaxTopic, it.Topic); err != nil {
		return p, err
	}
	if err := textlimit.Text("material", "学习材料", MaxMaterial, it.Material); err != nil {
		return p, err
	}
	if len(it.People) > MaxPeople {
		return p, &textlimit.Error{Field: "people", Label: "参学人员", Max: MaxPeople, Got: len(it.People), Unit: "人"}
	}
	p.Items = append(slices.Clone(p.Items), Item{Topic: it.Topic, Material: it.Material, People: it.People, Due: it.Due})
	p.UpdatedAt = now
	return p, nil
}

// Complete records that person finished item i (0-based).
func Complete(p Plan, i int, person, note string, now time.Time) (Plan, error) {
	if i < 0 || i >= len(p.Items) {
		return p, refuse("没有这个学习专题")
	}
	it := p.Items[i]
	if !slices.Contains(it.People, person) {
		return p, refuse("您不在这个专题的参学名单中")
	}
	if slices.ContainsFunc(it.Done, func(c Completion) bool { return c.PersonID == person }) {
		return p, refuse("已登记学完")
	}
	note = strings.TrimSpace(note)
	if err := textlimit.Text("note", "学习心得", MaxNote, note); err != nil {
		return p, err
	}
	p.Items = slices.Clone(p.Items)
	p.Items[i].Done = append(slices.Clone(it.Done), Completion{PersonID: person, At: now, Note: note})
	p.UpdatedAt = now
	return p, nil
}

// Owed is one person's unfinished item.
type Owed struct {
	Item    int
	Topic   string
	Due     time.Time
	Overdue bool
}

// Owing lists what person still has to study in p.
func (p Plan) Owing(person string, now time.Time) []Owed {
	var out []Owed
	for i, it := range p.Items {
		if slices.Contains(it.People, person) && !slices.ContainsFunc(it.Done, func(c Completion) bool { return c.PersonID == person }) {
			out = append(out, Owed{Item: i, Topic: it.Topic, Due: it.Due, Overdue: now.After(it.Due)})
		}
	}
	return out
}

// People is everyone the plan names, each once.
func (p Plan) People() []string {
	var out []string
	for _, it := range p.Items {
		out = append(out, it.People...)
	}
	return dedupe(out)
}

func dedupe(ids []string) []string {
	var out []string
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// ---- training sessions (培训) ----

// Attendance is one person signed in at a session.
type Attendance struct {
	PersonID string    `json:"person_id"`
	At       time.Time `json:"at"`
	Via      string    `json:"via"` // "qr" by themselves, "click" by the organizer
	By       string    `json:"by"`
}

// Training is one training session.
type Training struct {
	ID       string    `json:"id"`
	OfficeID string    `json:"office_id"`
	Title    string    `json:"title"`
	Speaker  string    `json:"speaker,omitempty"`
	Place    string    `json:"place,omitempty"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	// Minutes credited to each attendee (学时); by default the length.
	Minutes    int          `json:"minutes"`
	Invitees   []string     `json:"invitees"`
	Organizer  string       `json:"organizer"`
	Attendance []Attendance `json:"attendance,omitempty"`
	Cancelled  bool         `json:"cancelled,omitempty"`
	// Secret signs the sign-in URLs (never shown, never sent to a client).
	Secret    []byte    `json:"secret"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Seq       int       `json:"seq"`
}

// NewTraining checks a session.
func NewTraining(t Training, now time.Time) (Training, error) {
	t.Title, t.Speaker, t.Place = strings.TrimSpace(t.Title), strings.TrimSpace(t.Speaker), strings.TrimSpace(t.Place)
	t.Invitees = dedupe(t.Invitees)
	switch {
	case t.ID == "" || t.OfficeID == "":
		return t, refuse("培训缺少编号或所属办公室")
	case t.Title == "":
		return t, refuse("请填写培训主题")
	case t.Start.IsZero() || t.End.IsZero():
		return t, refuse("请填写培训的开始和结束时间")
	case !t.End.After(t.Start):
		return t, refuse("结束时间须晚于开始时间")
	case t.End.Sub(t.Start) > MaxSession:
		return t, refuse("一次培训不能超过 %d 小时，多日培训请按天登记", int(MaxSession/time.Hour))
	case len(t.Invitees) == 0:
		return t, refuse("请选择参训人员")
	case len(t.Secret) < 16:
		return t, refuse("培训缺少签到密钥")
	}
	for _, c := range []struct {
		f, l string
		max  int
		s    string
	}{{"title", "培训主题", MaxTitle, t.Title}, {"speaker", "主讲人", MaxSpeaker, t.Speaker}, {"place", "培训地点", MaxPlace, t.Place}} {
		if err := textlimit.Text(c.f, c.l, c.max, c.s); err != nil {
			return t, err
		}
	}
	if len(t.Invitees) > MaxPeople {
		return t, &textlimit.Error{Field: "invitees", Label: "参训人员", Max: MaxPeople, Got: len(t.Invitees), Unit: "人"}
	}
	length := int(t.End.Sub(t.Start) / time.Minute)
	switch {
	case t.Minutes == 0:
		t.Minutes = length
	case t.Minutes < 0 || t.Minutes > length:
		return t, refuse("学时不能超过培训时长（%s）", FormatHours(length))
	}
	t.CreatedAt, t.UpdatedAt, t.Attendance, t.Cancelled = now, now, nil, false
	return t, nil
}

// SignInSubject is what a training's sign-in token signs: the session,
// marked so that it can never pass for a meeting's token.
func SignInSubject(id string) string { return "training:" + id }

// SignInToken is the signed part of a session's sign-in URL, the meeting
// sign-in's mechanism (meeting.SignInToken) under the session's secret.
func SignInToken(t Training, exp time.Time) string {
	return meeting.SignInToken(t.Secret, SignInSubject(t.ID), exp)
}

// CheckSignInToken checks a token from a session's sign-in URL at now.
func CheckSignInToken(t Training, tok string, now time.Time) error {
	return meeting.CheckSignInToken(t.Secret, SignInSubject(t.ID), tok, now)
}

// SignInOpen reports whether sign-in is open at now: from an hour before
// the start (as for meetings) to the end.
func (t Training) SignInOpen(now time.Time) error {
	switch {
	case t.Cancelled:
		return refuse("培训已取消")
	case now.Before(t.Start.Add(-meeting.SignInOpens)):
		return refuse("签到在培训开始前 %d 分钟开放", int(meeting.SignInOpens/time.Minute))
	case !now.Before(t.End):
		return refuse("培训已经结束，不能签到")
	}
	return nil
}

// SignIn records that person is here, by the QR URL on their own phone
// (via "qr", by is the person) or by the organizer's click ("click").
func SignIn(t Training, by, person, via string, now time.Time) (Training, error) {
	if err := t.SignInOpen(now); err != nil {
		return t, err
	}
	if !slices.Contains(t.Invitees, person) {
		return t, refuse("您不在本次培训的参训名单中")
	}
	switch via {
	case "qr":
		if by != person {
			return t, refuse("扫码签到只能为本人签到")
		}
	case "click":
		if by != t.Organizer {
			return t, refuse("只有培训组织者可以代为签到")
		}
	default:
		return t, refuse("未知的签到方式")
	}
	if i := slices.IndexFunc(t.Attendance, func(a Attendance) bool { return a.PersonID == person }); i >= 0 {
		return t, refuse("已经签到（%s）", t.Attendance[i].At.In(calendar.Shanghai()).Format("15:04"))
	}
	t.Attendance = append(slices.Clone(t.Attendance), Attendance{PersonID: person, At: now, Via: via, By: by})
	t.UpdatedAt = now
	return t, nil
}

// Cancel cancels a session that has not begun.
func Cancel(t Training, now time.Time) (Training, error) {
	switch {
	case t.Cancelled:
		return t, refuse("培训已取消")
	case !now.Before(t.Start):
		return t, refuse("培训已开始，不能取消")
	}
	t.Cancelled, t.UpdatedAt = true, now
	return t, nil
}

// Attended reports whether person signed in.
func (t Training) Attended(person string) bool {
	return slices.ContainsFunc(t.Attendance, func(a Attendance) bool { return a.PersonID == person })
}

// PersonHours is one person's training in a year.
type PersonHours struct {
	PersonID string `json:"person_id"`
	Minutes  int    `json:"minutes"`
	Sessions int    `json:"sessions"`
	Invited  int    `json:"invited"`
}

// Hours adds up, per person, the minutes credited in year (by the session's
// start in Asia/Shanghai) for sessions they signed in at, and how many they
// were invited to. Cancelled sessions count for nothing. Ordered by minutes
// then person.
func Hours(ts []Training, year int) []PersonHours {
	by := map[string]*PersonHours{}
	get := func(id string) *PersonHours {
		if by[id] == nil {
			by[id] = &PersonHours{PersonID: id}
		}
		return by[id]
	}
	for _, t := range ts {
		if t.Cancelled || t.Start.In(calendar.Shanghai()).Year() != year {
			continue
		}
		for _, p := range t.Invitees {
			get(p).Invited++
		}
		for _, a := range t.Attendance {
			h := get(a.PersonID)
			h.Minutes += t.Minutes
			h.Sessions++
		}
	}
	out := make([]PersonHours, 0, len(by))
	for _, h := range by {
		out = append(out, *h)
	}
	slices.SortFunc(out, func(a, b PersonHours) int {
		if a.Minutes != b.Minutes {
			return b.Minutes - a.Minutes
		}
		return strings.Compare(a.PersonID, b.PersonID)
	})
	return out
}

// ParseHours reads 学时 as typed: hours with at most two decimals ("2",
// "1.5", "0.75", "1.5学时", "1.5小时"), giving minutes (rounded to the
// minute).
func ParseHours(s string) (int, error) {
	s = strings.TrimSpace(s)
	for _, suf := range []string{"学时", "小时", "h"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, suf))
	}
	bad := refuse("学时请填写数字，如 1.5")
	if s == "" || len(s) > 8 {
		return 0, bad
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || strings.ContainsFunc(whole+frac, func(r rune) bool { return r < '0' || r > '9' }) {
		return 0, bad
	}
	h, err := strconv.Atoi(whole)
	if err != nil {
		return 0, bad
	}
	hundredths := 0
	if frac != "" {
		f, err := strconv.Atoi(frac)
		if err != nil {
			return 0, bad
		}
		if len(frac) == 1 {
			f *= 10
		}
		hundredths = f
	}
	m := h*60 + (hundredths*60+50)/100
	if m > int(MaxSession/time.Minute) {
		return 0, refuse("一次培训的学时不能超过 %d 小时", int(MaxSession/time.Hour))
	}
	return m, nil
}

// FormatHours writes minutes as hours, "1.5" or "2".
func FormatHours(minutes int) string {
	s := strconv.FormatFloat(float64(minutes)/60, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

// ---- the library (范文、经验交流) ----

// Kind is a library entry's kind.
type Kind string

const (
	ModelText  Kind = "model"      // 范文
	Experience Kind = "experience" // 经验交流
)

// Kinds are the kinds, in the order the pages offer them.
func Kinds() []Kind { return []Kind{ModelText, Experience} }

// Label is the kind's Chinese name.
func (k Kind) Label() string {
	switch k {
	case ModelText:
		return "范文"
	case Experience:
		return "经验交流"
	}
	return string(k)
}

// Entry is one text in the library.
type Entry struct {
	ID       string   `json:"id"`
	OfficeID string   `json:"office_id"`
	Kind     Kind     `json:"kind"`
	Title    string   `json:"title"`
	UnitID   string   `json:"unit_id"` // the unit that wrote it
	DocType  string   `json:"doc_type,omitempty"`
	Summary  string   `json:"summary,omitempty"` // why it is worth learning from
	Body     string   `json:"body"`
	Tags     []string `json:"tags,omitempty"`
	// DocID and DocNumber: the issued document it was taken from, if any.
	DocID     string    `json:"doc_id,omitempty"`
	DocNumber string    `json:"doc_number,omitempty"`
	AddedBy   string    `json:"added_by"`
	AddedAt   time.Time `json:"added_at"`
}

// NewEntry checks a library entry.
func NewEntry(e Entry, now time.Time) (Entry, error) {
	e.Title, e.Summary, e.Body = strings.TrimSpace(e.Title), strings.TrimSpace(e.Summary), strings.TrimSpace(e.Body)
	e.Tags = dedupe(e.Tags)
	switch {
	case e.ID == "" || e.OfficeID == "":
		return e, refuse("范文缺少编号或所属办公室")
	case e.Kind != ModelText && e.Kind != Experience:
		return e, refuse("请选择类别（范文或经验交流）")
	case e.Title == "":
		return e, refuse("请填写标题")
	case e.UnitID == "":
		return e, refuse("请选择撰写单位")
	case e.Body == "":
		return e, refuse("请填写正文")
	}
	for _, c := range []struct {
		f, l string
		max  int
		s    string
	}{{"title", "标题", MaxTitle, e.Title}, {"summary", "推荐理由", MaxSummary, e.Summary}, {"body", "正文", MaxBody, e.Body}, {"doc_type", "文种", 20, e.DocType}} {
		if err := textlimit.Text(c.f, c.l, c.max, c.s); err != nil {
			return e, err
		}
	}
	if err := textlimit.List("tags", "标签", MaxTags, MaxTag, e.Tags); err != nil {
		return e, err
	}
	e.AddedAt = now
	return e, nil
}

// Matches reports whether e matches a search: every word of q in its title,
// summary or tags; kind and unit when given.
func (e Entry) Matches(q string, kind Kind, unit string) bool {
	if kind != "" && e.Kind != kind || unit != "" && e.UnitID != unit {
		return false
	}
	hay := e.Title + "\n" + e.Summary + "\n" + strings.Join(e.Tags, "\n") + "\n" + e.DocType
	for _, w := range strings.Fields(q) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}
