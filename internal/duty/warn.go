package duty

import (
	"slices"
	"strings"
	"time"
)

// Grace is how long after a shift ends its log and handover may still come
// in, and how long the incoming person has to acknowledge a handover,
// before the office's 预警 page flags them.
const Grace = time.Hour

// WarningKind is why a shift is flagged.
type WarningKind string

const (
	LogMissing      WarningKind = "log_missing"      // 未交值班日志
	HandoverMissing WarningKind = "handover_missing" // 未交接班
	Unacknowledged  WarningKind = "handover_unacked" // 交接未确认
)

// Label is the kind's Chinese name.
func (k WarningKind) Label() string {
	switch k {
	case LogMissing:
		return "未交值班日志"
	case HandoverMissing:
		return "未交接班"
	case Unacknowledged:
		return "交接未确认"
	}
	return string(k)
}

// ShiftRecord is what the store knows of one shift of a published roster.
type ShiftRecord struct {
	RosterID  string
	Shift     Shift
	Logged    bool       // its log is filed
	Handovers []Handover // from this shift (one per post at most)
	HasNext   bool       // a shift follows it, so it must be handed over
}

// Warning is one flag on the 预警 page.
type Warning struct {
	Kind     WarningKind `json:"kind"`
	RosterID string      `json:"roster_id"`
	Date     string      `json:"date"`
	Who      string      `json:"who"`   // person ID: who owes the log, the handover, the acknowledgement
	Since    time.Time   `json:"since"` // when it became due
	Open     int         `json:"open"`  // Unacknowledged: matters not acknowledged
	Handover string      `json:"handover_id,omitempty"`
}

// Warnings flags, at now, the shifts that ended more than Grace ago
// without a filed log or without a 值班员's handover (when a shift follows),
// and the handovers not fully acknowledged Grace after the later of their
// handing over and the outgoing shift's end. Newest first.
func Warnings(recs []ShiftRecord, now time.Time) []Warning {
	var out []Warning
	for _, r := range recs {
		s := r.Shift
		due := s.End.Add(Grace)
		if !r.Logged && !now.Before(due) {
			out = append(out, Warning{Kind: LogMissing, RosterID: r.RosterID, Date: s.Date, Who: s.StaffID, Since: s.End})
		}
		staffHanded := false
		for _, h := range r.Handovers {
			if h.Post == Staff {
				staffHanded = true
			}
			if h.Done() {
				continue
			}
			from := h.HandedAt
			if s.End.After(from) {
				from = s.End
			}
			if !now.Before(from.Add(Grace)) {
				out = append(out, Warning{Kind: Unacknowledged, RosterID: r.RosterID, Date: s.Date, Who: h.ToID, Since: from,
					Open: h.Open(), Handover: h.ID})
			}
		}
		if r.HasNext && !staffHanded && !now.Before(due) {
			out = append(out, Warning{Kind: HandoverMissing, RosterID: r.RosterID, Date: s.Date, Who: s.StaffID, Since: s.End})
		}
	}
	slices.SortStableFunc(out, func(a, b Warning) int {
		if c := strings.Compare(b.Date, a.Date); c != 0 {
			return c
		}
		return strings.Compare(string(a.Kind), string(b.Kind))
	})
	return out
}
