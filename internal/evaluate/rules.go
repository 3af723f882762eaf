package evaluate

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// RuleSet is one version of a deployment's evaluation rules: which
// indicators count for each class and with what weight, and the few limits
// the records themselves do not carry. A period is scored by the version in
// force on its first day, so changing the rules never rescores the past.
type RuleSet struct {
	Version   int       `json:"version"`
	Effective time.Time `json:"effective"` // first day in force (midnight, calendar zone)
	Note      string    `json:"note,omitempty"`
	// Weights per class; an indicator absent or weighted 0 does not count.
	Weights map[Class]map[Indicator]float64 `json:"weights"`
	// CloseDays: an incoming document is due closed at the close of office on
	// this working day after it arrived.
	CloseDays int `json:"close_days"`
	// ReplyDays: a meeting reply is due this many working days after the
	// notice went out (never later than the meeting's start).
	ReplyDays int `json:"reply_days"`
	// ErrorCeiling: the 差错率 (per 10,000 characters) that scores 0.
	ErrorCeiling float64 `json:"error_ceiling"`
	// CommendShare of a class (rounded up, at least one) may be commended,
	// if their total is at least CommendMin and no counted indicator scores
	// below CommendFloor.
	CommendShare float64 `json:"commend_share"`
	CommendMin   float64 `json:"commend_min"`
	CommendFloor float64 `json:"commend_floor"`
}

// DefaultRules is the version a deployment starts with.
func DefaultRules(effective time.Time) RuleSet {
	all := func(info, meet, duty float64) map[Indicator]float64 {
		return map[Indicator]float64{SignFor: 15, CloseOnTime: 20, SupOnTime: 25, MeetingReply: meet, MeetingSignIn: meet,
			DocErrors: 10, Handover: duty, InfoScore: info}
	}
	return RuleSet{
		Version: 1, Effective: effective, Note: "初始规则",
		Weights: map[Class]map[Indicator]float64{
			Towns:       all(15, 5, 5),
			Departments: all(10, 5, 0),
			Offices:     all(15, 5, 10),
		},
		CloseDays: 10, ReplyDays: 1, ErrorCeiling: 5,
		CommendShare: 0.2, CommendMin: 90, CommendFloor: 60,
	}
}

// Validate checks one version.
func (r RuleSet) Validate() error {
	var errs []error
	if r.Version < 1 {
		errs = append(errs, errors.New("规则版本号须为正整数"))
	}
	if r.Effective.IsZero() {
		errs = append(errs, errors.New("请填写生效日期"))
	}
	if len(r.Note) > 500 {
		errs = append(errs, errors.New("说明不能超过 500 字节"))
	}
	for c, ws := range r.Weights {
		if !c.Valid() {
			errs = append(errs, fmt.Errorf("未知的单位类别 %q", c))
			continue
		}
		sum := 0.0
		for i, w := range ws {
			if !i.Valid() {
				errs = append(errs, fmt.Errorf("未知的考核指标 %q", i))
			}
			if w < 0 || w > 100 {
				errs = append(errs, fmt.Errorf("%s的“%s”权重须在 0–100 之间", c.Label(), i.Label()))
			}
			sum += w
		}
		if sum == 0 {
			errs = append(errs, fmt.Errorf("%s至少要有一项指标计分", c.Label()))
		}
	}
	if r.CloseDays < 1 || r.CloseDays > 60 {
		errs = append(errs, errors.New("办结时限须在 1–60 个工作日之间"))
	}
	if r.ReplyDays < 0 || r.ReplyDays > 20 {
		errs = append(errs, errors.New("回执时限须在 0–20 个工作日之间"))
	}
	if r.ErrorCeiling <= 0 || r.ErrorCeiling > 1000 {
		errs = append(errs, errors.New("差错率满扣线须大于 0 且不超过 1000"))
	}
	if r.CommendShare <= 0 || r.CommendShare > 1 {
		errs = append(errs, errors.New("先进单位比例须在 0–1 之间"))
	}
	if r.CommendMin < 0 || r.CommendMin > 100 || r.CommendFloor < 0 || r.CommendFloor > 100 {
		errs = append(errs, errors.New("先进单位分数线须在 0–100 之间"))
	}
	return errors.Join(errs...)
}

// Counted lists the indicators that count for a class, in display order,
// with their weights.
func (r RuleSet) Counted(c Class) []Indicator {
	var out []Indicator
	for _, i := range Indicators() {
		if r.Weights[c][i] > 0 {
			out = append(out, i)
		}
	}
	return out
}

// Rules is every version of a deployment's rules.
type Rules []RuleSet

// At is the version in force at t: the latest effective on or before it.
// With none yet in force the earliest version applies, so a deployment's
// first rules also score the records from before it.
func (rs Rules) At(t time.Time) (RuleSet, error) {
	if len(rs) == 0 {
		return RuleSet{}, errors.New("尚未设置考核规则")
	}
	sorted := slices.Clone(rs)
	slices.SortFunc(sorted, func(a, b RuleSet) int { return a.Effective.Compare(b.Effective) })
	best := sorted[0]
	for _, r := range sorted {
		if !r.Effective.After(t) {
			best = r
		}
	}
	return best, nil
}

// Next is a new version built on the latest: the version number after the
// highest. It refuses an effective date not after the latest's, since a new
// version may only change the future.
func (rs Rules) Next(r RuleSet) (RuleSet, error) {
	maxV := 0
	var last time.Time
	for _, x := range rs {
		maxV = max(maxV, x.Version)
		if x.Effective.After(last) {
			last = x.Effective
		}
	}
	r.Version = maxV + 1
	if len(rs) > 0 && !r.Effective.After(last) {
		return RuleSet{}, fmt.Errorf("新规则的生效日期须晚于现行规则的生效日期 %s", last.Format("2006-01-02"))
	}
	return r, r.Validate()
}
