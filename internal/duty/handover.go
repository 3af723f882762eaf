package duty

import (
	"strings"
	"time"
)

// Matter is one open matter handed over, acknowledged by the incoming person.
type Matter struct {
	Seq   int       `json:"seq"` // 1, 2, 3…
	Text  string    `json:"text"`
	AckAt time.Time `json:"ack_at,omitzero"`
}

// Acked reports whether the incoming person has acknowledged the matter.
func (m Matter) Acked() bool { return !m.AckAt.IsZero() }

// Handover is the 交接班 from one shift to the next: the outgoing person
// lists what is still open, and the incoming person acknowledges each.
type Handover struct {
	ID         string    `json:"id"`
	RosterID   string    `json:"roster_id"`
	Date       string    `json:"date"` // the outgoing shift
	Post       Post      `json:"post"`
	FromID     string    `json:"from_id"`
	ToRosterID string    `json:"to_roster_id"`
	ToDate     string    `json:"to_date"` // the incoming shift
	ToID       string    `json:"to_id"`
	Note       string    `json:"note"`
	Matters    []Matter  `json:"matters"`
	HandedAt   time.Time `json:"handed_at"`
	// AckAt is when the last matter was acknowledged (with none, when the
	// incoming person confirmed taking over).
	AckAt time.Time `json:"ack_at,omitzero"`
}

// Open counts the matters not yet acknowledged.
func (h Handover) Open() int {
	n := 0
	for _, m := range h.Matters {
		if !m.Acked() {
			n++
		}
	}
	return n
}

// Done reports whether the incoming person has acknowledged everything.
func (h Handover) Done() bool { return !h.AckAt.IsZero() }

// Next is the shift after one, possibly in the following roster.
type Next struct {
	RosterID string
	Shift    Shift
}

// NewHandover checks a handover from the shift on date to the next shift:
// the outgoing person holds the shift (as 带班领导 or 值班员; the same post
// of the next shift takes over), the shift has begun, it is handed over
// once (the store's key), and the matters are within their limits. Blank
// lines among the matters are dropped.
func NewHandover(r Roster, date string, next Next, hasNext bool, by string, matters []string, note string, now time.Time) (Handover, error) {
	if r.State != Published {
		return Handover{}, refuse("排班表尚未发布")
	}
	s, ok := r.Shift(strings.TrimSpace(date))
	if !ok {
		return Handover{}, refuse("%s 不在本排班表的值班日中", limitShown(date))
	}
	var post Post
	switch by {
	case s.StaffID:
		post = Staff
	case s.LeaderID:
		post = Leader
	default:
		return Handover{}, refuse("只有 %s 当班的人员可以交班", s.Date)
	}
	if now.Before(s.Start) {
		return Handover{}, refuse("%s 的值班尚未开始，不能交班", s.Date)
	}
	if !hasNext {
		return Handover{}, refuse("还没有排 %s 之后的值班，无人接班；请先发布下一期排班表", s.Date)
	}
	to := next.Shift.Holder(post)
	if to == "" {
		return Handover{}, refuse("下一班（%s）还没有%s", next.Shift.Date, post.Label())
	}
	if to == by {
		return Handover{}, refuse("下一班（%s）仍由本人值班，无需交接", next.Shift.Date)
	}
	var ms []Matter
	for _, m := range matters {
		if m = strings.TrimSpace(m); m != "" {
			ms = append(ms, Matter{Seq: len(ms) + 1, Text: m})
		}
	}
	if len(ms) > MaxMatters {
		return Handover{}, refuse("未尽事项最多 %d 项（现有 %d 项），请合并", MaxMatters, len(ms))
	}
	for _, m := range ms {
		if err := checkText("matters", "未尽事项", MaxText, m.Text); err != nil {
			return Handover{}, err
		}
	}
	note = strings.TrimSpace(note)
	if err := checkText("note", "交班说明", MaxText, note); err != nil {
		return Handover{}, err
	}
	return Handover{RosterID: r.ID, Date: s.Date, Post: post, FromID: by, ToRosterID: next.RosterID, ToDate: next.Shift.Date,
		ToID: to, Note: note, Matters: ms, HandedAt: now}, nil
}

// Acknowledge records that the incoming person has taken over matter seq
// (seq 0: the handover itself, when it lists no matters). Only the incoming
// person acknowledges, each matter once.
func Acknowledge(h Handover, seq int, by string, now time.Time) (Handover, error) {
	if by != h.ToID {
		return h, refuse("只有接班人员可以确认交接事项")
	}
	if h.Done() {
		return h, refuse("交接事项已全部确认")
	}
	if seq == 0 {
		if len(h.Matters) > 0 {
			return h, refuse("请逐项确认交接事项")
		}
		h.AckAt = now
		return h, nil
	}
	i := seq - 1
	if i < 0 || i >= len(h.Matters) {
		return h, refuse("没有第 %d 项交接事项", seq)
	}
	if h.Matters[i].Acked() {
		return h, refuse("第 %d 项已确认", seq)
	}
	ms := append([]Matter(nil), h.Matters...)
	ms[i].AckAt = now
	h.Matters = ms
	if h.Open() == 0 {
		h.AckAt = now
	}
	return h, nil
}
