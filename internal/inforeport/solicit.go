package inforeport

import (
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Solicitation is a 约稿: the office asks units for reports on a topic by a
// date. The units see it in their 待办 until they answer; late ones are urged.
type Solicitation struct {
	ID        string    `json:"id"`
	OfficeID  string    `json:"office_id"`
	Topic     string    `json:"topic"`
	Detail    string    `json:"detail,omitempty"`
	Due       time.Time `json:"due"`
	Units     []string  `json:"units"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	Closed    bool      `json:"closed,omitempty"`
	// Urged records when each unit was last urged (unit ID → time).
	Urged map[string]time.Time `json:"urged,omitempty"`
}

// NewSolicitation checks and makes a 约稿.
func NewSolicitation(id, office, by, topic, detail string, due time.Time, units []string, now time.Time) (Solicitation, error) {
	topic, detail = strings.TrimSpace(topic), strings.TrimSpace(detail)
	if blank(topic) {
		return Solicitation{}, refuse("请填写约稿主题")
	}
	if err := textlimit.Text("topic", "约稿主题", MaxTopic, topic); err != nil {
		return Solicitation{}, err
	}
	if err := textlimit.Text("detail", "约稿要求", MaxDetail, detail); err != nil {
		return Solicitation{}, err
	}
	if due.IsZero() {
		return Solicitation{}, refuse("请填写报送截止时间")
	}
	if !due.After(now) {
		return Solicitation{}, refuse("报送截止时间须晚于现在")
	}
	var us []string
	for _, u := range units {
		if u != "" && !slices.Contains(us, u) {
			us = append(us, u)
		}
	}
	if len(us) == 0 {
		return Solicitation{}, refuse("请选择约稿单位")
	}
	if len(us) > MaxUnits {
		return Solicitation{}, &textlimit.Error{Field: "units", Label: "约稿单位", Max: MaxUnits, Got: len(us), Unit: "个"}
	}
	return Solicitation{ID: id, OfficeID: office, Topic: topic, Detail: detail, Due: due, Units: us, CreatedBy: by, CreatedAt: now}, nil
}

// Asks reports whether the 约稿 asks unit.
func (s Solicitation) Asks(unit string) bool { return slices.Contains(s.Units, unit) }

// Answer is one unit's standing on a 约稿.
type Answer struct {
	UnitID   string
	Reports  []string  // the unit's reports answering it
	First    time.Time // when the first came (zero: none yet)
	OnTime   bool      // the first came by the date
	Overdue  bool      // none yet and the date has passed
	UrgedAt  time.Time
	Answered bool
}

// Answers gives each asked unit's standing from the reports that answer the
// 约稿 (a report counts for every unit it credits, so a merged item still
// answers for each source).
func (s Solicitation) Answers(reports []Report, now time.Time) []Answer {
	out := make([]Answer, len(s.Units))
	for i, u := range s.Units {
		a := Answer{UnitID: u, UrgedAt: s.Urged[u]}
		for _, r := range reports {
			if r.SolicitationID != s.ID || r.UnitID != u {
				continue
			}
			a.Reports = append(a.Reports, r.ID)
			if a.First.IsZero() || r.SubmittedAt.Before(a.First) {
				a.First = r.SubmittedAt
			}
		}
		a.Answered = !a.First.IsZero()
		a.OnTime = a.Answered && !a.First.After(s.Due)
		a.Overdue = !a.Answered && now.After(s.Due) && !s.Closed
		out[i] = a
	}
	return out
}

// ToUrge lists the units to urge now: overdue, and not urged in the last
// day (so a sweep that runs every hour urges each unit once a day).
func (s Solicitation) ToUrge(reports []Report, now time.Time) []string {
	var out []string
	for _, a := range s.Answers(reports, now) {
		if a.Overdue && (a.UrgedAt.IsZero() || now.Sub(a.UrgedAt) >= 24*time.Hour) {
			out = append(out, a.UnitID)
		}
	}
	return out
}

// MarkUrged records that units were urged at now.
func (s Solicitation) MarkUrged(units []string, now time.Time) Solicitation {
	m := make(map[string]time.Time, len(s.Urged)+len(units))
	for k, v := range s.Urged {
		m[k] = v
	}
	for _, u := range units {
		m[u] = now
	}
	s.Urged = m
	return s
}

// UrgeText is the message a late unit receives.
func UrgeText(s Solicitation, unitName string) (subject, body string) {
	subject = "约稿催报：" + s.Topic
	body = unitName + "：办公室约稿“" + s.Topic + "”要求于" + s.Due.Format("2006年1月2日 15:04") +
		"前报送，贵单位尚未报送，请抓紧报送。"
	return subject, body
}
