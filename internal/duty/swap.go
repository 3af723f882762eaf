package duty

import (
	"slices"
	"strings"
	"time"
)

// SwapKind is what a swap asks.
type SwapKind string

const (
	Exchange SwapKind = "exchange" // 换班: two people exchange their shifts
	Cover    SwapKind = "cover"    // 替班: another person takes the shift
)

// Label is the kind's Chinese name.
func (k SwapKind) Label() string {
	switch k {
	case Exchange:
		return "换班"
	case Cover:
		return "替班"
	}
	return string(k)
}

// SwapState is where a swap request stands.
type SwapState string

const (
	SwapPending  SwapState = "pending"
	SwapApproved SwapState = "approved"
	SwapRejected SwapState = "rejected"
)

// Label is the state's Chinese name.
func (s SwapState) Label() string {
	switch s {
	case SwapPending:
		return "待审批"
	case SwapApproved:
		return "已批准"
	case SwapRejected:
		return "未批准"
	}
	return string(s)
}

// Swap is a request to change who holds a published roster's shift.
type Swap struct {
	ID          string    `json:"id"`
	RosterID    string    `json:"roster_id"`
	Kind        SwapKind  `json:"kind"`
	Post        Post      `json:"post"`
	Date        string    `json:"date"`      // the requester's shift
	FromID      string    `json:"from_id"`   // the requester, who holds Post on Date
	ToID        string    `json:"to_id"`     // who takes it
	WithDate    string    `json:"with_date"` // Exchange: ToID's shift on Post, which FromID takes
	Reason      string    `json:"reason"`
	State       SwapState `json:"state"`
	RequestedAt time.Time `json:"requested_at"`
	DecidedBy   string    `json:"decided_by,omitempty"`
	DecidedAt   time.Time `json:"decided_at,omitzero"`
	Note        string    `json:"note,omitempty"`
}

// RequestSwap checks a swap request against the roster: it is published;
// the requester holds the post on the date; the shifts have not begun; the
// other person is in the post's pool; for an exchange, they hold the post
// on the other date; and afterwards nobody holds both posts of a day.
func RequestSwap(r Roster, s Swap, now time.Time) (Swap, error) {
	s.Date, s.WithDate, s.Reason = strings.TrimSpace(s.Date), strings.TrimSpace(s.WithDate), strings.TrimSpace(s.Reason)
	if s.Kind != Exchange && s.Kind != Cover {
		return s, refuse("请选择换班或替班")
	}
	if s.Kind == Cover {
		s.WithDate = ""
	}
	if s.Reason == "" {
		return s, refuse("请说明换班理由")
	}
	if err := checkText("reason", "换班理由", MaxSwapReason, s.Reason); err != nil {
		return s, err
	}
	if _, err := swapped(r, s, now); err != nil {
		return s, err
	}
	s.RosterID, s.State, s.RequestedAt = r.ID, SwapPending, now
	return s, nil
}

// ApproveSwap applies a pending swap to the roster, checking it again
// against the roster as it is now (it may have changed since the request).
func ApproveSwap(r Roster, s Swap, by, note string, now time.Time) (Roster, Swap, error) {
	if s.State != SwapPending {
		return r, s, refuse("该申请已%s", s.State.Label())
	}
	note = strings.TrimSpace(note)
	if err := checkText("note", "审批意见", MaxSwapReason, note); err != nil {
		return r, s, err
	}
	out, err := swapped(r, s, now)
	if err != nil {
		return r, s, err
	}
	s.State, s.DecidedBy, s.DecidedAt, s.Note = SwapApproved, by, now, note
	return out, s, nil
}

// RejectSwap declines a pending swap.
func RejectSwap(s Swap, by, note string, now time.Time) (Swap, error) {
	if s.State != SwapPending {
		return s, refuse("该申请已%s", s.State.Label())
	}
	note = strings.TrimSpace(note)
	if err := checkText("note", "审批意见", MaxSwapReason, note); err != nil {
		return s, err
	}
	s.State, s.DecidedBy, s.DecidedAt, s.Note = SwapRejected, by, now, note
	return s, nil
}

// swapped is the roster with the swap applied, or the rule it breaks.
func swapped(r Roster, s Swap, now time.Time) (Roster, error) {
	if r.State != Published {
		return r, refuse("排班表尚未发布，请直接调整排班")
	}
	if !s.Post.Valid() {
		return r, refuse("请选择带班领导或值班员")
	}
	i, ok := r.shiftIndex(s.Date)
	if !ok {
		return r, refuse("%s 不在本排班表的值班日中", limitShown(s.Date))
	}
	if r.Shifts[i].Holder(s.Post) != s.FromID {
		return r, refuse("%s 的%s已不是申请人", s.Date, s.Post.Label())
	}
	if !now.Before(r.Shifts[i].Start) {
		return r, refuse("%s 的值班已经开始，不能再换班", s.Date)
	}
	if s.ToID == "" || s.ToID == s.FromID {
		return r, refuse("请选择接替的人员")
	}
	pool := r.Rotation.Staff
	if s.Post == Leader {
		pool = r.Rotation.Leaders
	}
	if !slices.Contains(pool, s.ToID) {
		return r, refuse("接替的人员不在%s名单中", s.Post.Label())
	}
	shifts := slices.Clone(r.Shifts)
	shifts[i].set(s.Post, s.ToID)
	changed := []int{i}
	if s.Kind == Exchange {
		j, ok := r.shiftIndex(s.WithDate)
		if !ok {
			return r, refuse("换班日期 %s 不在本排班表的值班日中", limitShown(s.WithDate))
		}
		if j == i {
			return r, refuse("换班的两个日期不能相同")
		}
		if r.Shifts[j].Holder(s.Post) != s.ToID {
			return r, refuse("%s 的%s不是所选的换班人员", s.WithDate, s.Post.Label())
		}
		if !now.Before(r.Shifts[j].Start) {
			return r, refuse("%s 的值班已经开始，不能再换班", s.WithDate)
		}
		shifts[j].set(s.Post, s.FromID)
		changed = append(changed, j)
	}
	for _, k := range changed {
		if shifts[k].LeaderID == shifts[k].StaffID {
			return r, refuse("换班后 %s 将由同一人既带班又值班", shifts[k].Date)
		}
	}
	r.Shifts = shifts
	r.Version++
	return r, nil
}
