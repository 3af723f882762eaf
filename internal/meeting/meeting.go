package meeting

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Limits of what a meeting holds (textlimit's one shape of refusal).
const (
	MaxTitle     = 200   // 会议名称, 议题, 议定事项
	MaxText      = 5_000 // 议定事项's wording, a minutes note
	MaxName      = 100   // a substitute's name or post
	MaxReason    = 500   // why absent
	MaxInvitees  = 500   // people invited to one meeting
	MaxAgenda    = 50    // 议题 of one meeting
	MaxDecisions = 50    // 议定事项 of one meeting
	MaxDuration  = 12 * time.Hour
)

// Status is where a meeting stands.
type Status string

const (
	Booked    Status = "booked"    // 已预订（议题审定、通知未发）
	Noticed   Status = "noticed"   // 已通知
	Cancelled Status = "cancelled" // 已取消
)

// Label is the status's Chinese name.
func (s Status) Label() string {
	switch s {
	case Booked:
		return "已预订"
	case Noticed:
		return "已发通知"
	case Cancelled:
		return "已取消"
	}
	return string(s)
}

// Room is a meeting room (会议室) with who may book it.
type Room struct {
	ID        string   `json:"id"`
	OrganID   string   `json:"organ_id"` // the organ whose building it is in
	Name      string   `json:"name"`
	Place     string   `json:"place,omitempty"`
	Capacity  int      `json:"capacity"`
	Rostrum   int      `json:"rostrum,omitempty"` // seats on the 主席台; 0: none (a round table)
	RowSeats  int      `json:"row_seats,omitempty"`
	Equipment []string `json:"equipment,omitempty"`
	// Units that may book it; empty: any unit of its organ.
	Units []string `json:"units,omitempty"`
	Sort  int      `json:"sort,omitempty"`
}

// MayBook reports whether a unit may book the room: a unit within one it
// names, or, when it names none, within its organ (within reports whether
// a unit is a given one or under it).
func (r Room) MayBook(unitID string, within func(unit, ancestor string) bool) bool {
	if len(r.Units) > 0 {
		return slices.ContainsFunc(r.Units, func(u string) bool { return within(unitID, u) })
	}
	return within(unitID, r.OrganID)
}

// Answer is what a 回执 says.
type Answer string

const (
	Attend     Answer = "attend"     // 本人参加
	Substitute Answer = "substitute" // 委派他人参加
	Absent     Answer = "absent"     // 请假
)

// Label is the answer's Chinese name.
func (a Answer) Label() string {
	switch a {
	case Attend:
		return "参加"
	case Substitute:
		return "委派参加"
	case Absent:
		return "请假"
	}
	return string(a)
}

// Reply is a 回执.
type Reply struct {
	Answer  Answer    `json:"answer"`
	SubName string    `json:"sub_name,omitempty"` // the substitute's name and post
	SubPost string    `json:"sub_post,omitempty"`
	Reason  string    `json:"reason,omitempty"` // why absent
	By      string    `json:"by"`               // the invitee, or someone of their unit's office
	At      time.Time `json:"at"`
}

// Invitee is one person invited, with their reply and sign-in.
type Invitee struct {
	PersonID string `json:"person_id"`
	UnitID   string `json:"unit_id"` // the unit they come for
	// Leader: a leader, whose schedule gets the meeting and whose busy time
	// is checked at booking. Rostrum: sits on the 主席台, in the order of
	// the list.
	Leader  bool `json:"leader,omitempty"`
	Rostrum bool `json:"rostrum,omitempty"`
	// Office is the unit whose people may answer for the invitee (their
	// organ's office, for a leader).
	Office    string    `json:"office,omitempty"`
	Reply     *Reply    `json:"reply,omitempty"`
	Urges     int       `json:"urges,omitempty"`
	UrgedAt   time.Time `json:"urged_at,omitzero"`
	SignedIn  time.Time `json:"signed_in,omitzero"`
	SignedBy  string    `json:"signed_by,omitempty"`  // who recorded it: the invitee (QR) or the organizer
	SignedVia string    `json:"signed_via,omitempty"` // "qr" or "click"
}

// Material is one version of an agenda item's material (会议材料).
type Material struct {
	Version   int       `json:"version"`
	Name      string    `json:"name"`
	SHA256    string    `json:"sha256"`
	Size      int64     `json:"size,omitempty"`
	MediaType string    `json:"media_type,omitempty"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
}

// AgendaItem is a 议题: its reporting unit, who presents it, when its
// material is due, and the material's versions.
type AgendaItem struct {
	Seq       int        `json:"seq"`
	Title     string     `json:"title"`
	UnitID    string     `json:"unit_id"`   // 汇报单位
	Presenter string     `json:"presenter"` // person ID
	Due       time.Time  `json:"due,omitzero"`
	Materials []Material `json:"materials,omitempty"`
	UrgedAt   time.Time  `json:"urged_at,omitzero"`
}

// Late reports whether the item's material is overdue at now.
func (a AgendaItem) Late(now time.Time) bool {
	return !a.Due.IsZero() && len(a.Materials) == 0 && now.After(a.Due)
}

// Decision is a 议定事项, with the supervision item it became.
type Decision struct {
	Seq      int       `json:"seq"`
	Text     string    `json:"text"`
	LeadUnit string    `json:"lead_unit"`
	Due      time.Time `json:"due"`
	ItemID   string    `json:"item_id,omitempty"`
}

// Meeting is one meeting from booking to minutes.
type Meeting struct {
	ID        string             `json:"id"`
	Title     string             `json:"title"`
	Kind      Kind               `json:"kind"`
	OfficeID  string             `json:"office_id"` // the office organizing it (办会单位)
	OrganID   string             `json:"organ_id"`
	Organizer string             `json:"organizer"` // who booked it
	Convener  string             `json:"convener"`  // who chairs it (主持)
	RoomID    string             `json:"room_id"`
	Start     time.Time          `json:"start"`
	End       time.Time          `json:"end"`
	Level     org.Classification `json:"level,omitempty"`
	Invitees  []Invitee          `json:"invitees"`
	Agenda    []AgendaItem       `json:"agenda,omitempty"`
	// Route is the agenda's approval (议题审定); nil when not submitted.
	Route      *route.Instance `json:"route,omitempty"`
	Status     Status          `json:"status"`
	NoticedAt  time.Time       `json:"noticed_at,omitzero"`
	Decisions  []Decision      `json:"decisions,omitempty"`
	MinutesDoc string          `json:"minutes_doc,omitempty"`
	// Secret keys the sign-in URLs (SignInToken); it never leaves the store
	// but in a signed URL.
	Secret    []byte    `json:"secret"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Invitee returns the invitee with the person ID.
func (m *Meeting) Invitee(personID string) (*Invitee, bool) {
	for i := range m.Invitees {
		if m.Invitees[i].PersonID == personID {
			return &m.Invitees[i], true
		}
	}
	return nil, false
}

// Leaders lists the invitees who are leaders: their schedules are checked
// and get the meeting.
func (m *Meeting) Leaders() []string {
	var out []string
	for _, iv := range m.Invitees {
		if iv.Leader {
			out = append(out, iv.PersonID)
		}
	}
	if m.Convener != "" && !slices.Contains(out, m.Convener) {
		out = append(out, m.Convener)
	}
	return out
}

// People lists everyone the meeting concerns: organizer, convener, invitees
// and the agenda's presenters (who may read it).
func (m *Meeting) People() []string {
	seen := map[string]bool{}
	var out []string
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	add(m.Organizer)
	add(m.Convener)
	for _, iv := range m.Invitees {
		add(iv.PersonID)
	}
	for _, a := range m.Agenda {
		add(a.Presenter)
	}
	return out
}

// Refusal is a request the rules refuse; its message is for the user.
type Refusal struct{ Msg string }

func (r *Refusal) Error() string { return r.Msg }

func refuse(format string, args ...any) error { return &Refusal{Msg: fmt.Sprintf(format, args...)} }

// IsRefusal reports whether err is a rule's refusal (shown to the user as is).
func IsRefusal(err error) bool {
	var r *Refusal
	return errors.As(err, &r)
}

// NewMeeting is what the organizer enters at booking.
type NewMeeting struct {
	ID       string
	Title    string
	Kind     Kind
	OfficeID string
	OrganID  string
	Convener string
	RoomID   string
	Start    time.Time
	End      time.Time
	Level    org.Classification
	Invitees []Invitee
}

// Validate checks a booking's own fields: the title, the kind, the times
// (not in the past, start before end, at most MaxDuration), the room's
// capacity and who may book it, the invitees (none twice).
func (n NewMeeting) Validate(room Room, within func(unit, ancestor string) bool, now time.Time) error {
	title := strings.TrimSpace(n.Title)
	switch {
	case title == "":
		return refuse("请填写会议名称")
	case n.Kind == "":
		return refuse("请选择会议类型")
	}
	if err := textlimit.Text("title", "会议名称", MaxTitle, title); err != nil {
		return err
	}
	if _, ok := n.Kind.Info(); !ok {
		return refuse("未知的会议类型“%s”", n.Kind)
	}
	if err := checkSlot(n.Start, n.End, now); err != nil {
		return err
	}
	if room.ID == "" {
		return refuse("请选择会议室")
	}
	if !room.MayBook(n.OfficeID, within) {
		return refuse("本单位不能预订%s", room.Name)
	}
	if err := textlimit.Count("invitees", "参会人员", MaxInvitees, len(n.Invitees), "人"); err != nil {
		return err
	}
	if len(n.Invitees) == 0 {
		return refuse("请选择参会人员")
	}
	if room.Capacity > 0 && len(n.Invitees) > room.Capacity {
		return refuse("%s可容纳 %d 人，参会人员 %d 人，请另选会议室", room.Name, room.Capacity, len(n.Invitees))
	}
	seen := map[string]bool{}
	for _, iv := range n.Invitees {
		if iv.PersonID == "" {
			return refuse("参会人员不存在")
		}
		if seen[iv.PersonID] {
			return refuse("参会人员重复")
		}
		seen[iv.PersonID] = true
	}
	if !n.Level.Valid() {
		return refuse("无效密级")
	}
	return nil
}

func checkSlot(start, end, now time.Time) error {
	switch {
	case start.IsZero() || end.IsZero():
		return refuse("请填写会议的开始和结束时间")
	case !end.After(start):
		return refuse("结束时间须晚于开始时间")
	case end.Sub(start) > MaxDuration:
		return refuse("会议时长不能超过 %d 小时", int(MaxDuration/time.Hour))
	case start.Before(now):
		return refuse("不能预订已经过去的时间")
	}
	return nil
}

// Book makes the meeting from a booking the caller has checked (Validate
// and, with the busy times, Conflicts). secret keys its sign-in URLs.
func Book(n NewMeeting, organizer string, secret []byte, now time.Time) Meeting {
	m := Meeting{ID: n.ID, Title: strings.TrimSpace(n.Title), Kind: n.Kind, OfficeID: n.OfficeID, OrganID: n.OrganID,
		Organizer: organizer, Convener: n.Convener, RoomID: n.RoomID, Start: n.Start, End: n.End, Level: n.Level,
		Invitees: slices.Clone(n.Invitees), Status: Booked, Secret: secret, CreatedAt: now, UpdatedAt: now}
	return m
}

// Organizes reports whether the actor may organize the meeting: its
// organizer, or anyone of the office organizing it.
func (m *Meeting) Organizes(a route.Actor) bool {
	return a.ID == m.Organizer || slices.Contains(a.Units, m.OfficeID)
}

// Cancel calls the meeting off; its leaders' schedule entries go with it.
func (m *Meeting) Cancel(a route.Actor, now time.Time) error {
	if !m.Organizes(a) {
		return refuse("只有办会单位可以取消会议")
	}
	if m.Status == Cancelled {
		return refuse("会议已取消")
	}
	if !now.Before(m.End) {
		return refuse("会议已经结束，不能取消")
	}
	m.Status, m.UpdatedAt = Cancelled, now
	return nil
}
