// Package document is the 公文 domain: a Document carries every element of
// GB/T 9704-2012 as a typed field and one of the 15 doc types of the 条例;
// it holds the per-type rules (as data), the structured body and its
// numbering, classification and urgency, doc numbers (发文字号) and incoming
// numbers (收文编号), version comparison and 批注, and sign-for time limits.
// Everything here is pure; the store persists it and the web shows it.
package document

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Level is a classification level (密级).
type Level int

const (
	Unclassified Level = iota // 非密
	Confidential              // 秘密
	Secret                    // 机密
	TopSecret                 // 绝密: never handled on a networked system
)

// Label is the level's Chinese name.
func (l Level) Label() string {
	switch l {
	case Unclassified:
		return "非密"
	case Confidential:
		return "秘密"
	case Secret:
		return "机密"
	case TopSecret:
		return "绝密"
	}
	return "未知密级"
}

// MaxPeriod is the statutory ceiling of the secrecy period in years (保守国家秘密法).
func (l Level) MaxPeriod() int {
	switch l {
	case Confidential:
		return 10
	case Secret:
		return 20
	case TopSecret:
		return 30
	}
	return 0
}

// MarshalText writes the level as its English key.
func (l Level) MarshalText() ([]byte, error) {
	switch l {
	case Unclassified:
		return []byte("unclassified"), nil
	case Confidential:
		return []byte("confidential"), nil
	case Secret:
		return []byte("secret"), nil
	case TopSecret:
		return []byte("top_secret"), nil
	}
	return nil, fmt.Errorf("invalid classification level %d", int(l))
}

// UnmarshalText reads the English key or the Chinese name.
func (l *Level) UnmarshalText(b []byte) error {
	switch string(b) {
	case "unclassified", "", "非密":
		*l = Unclassified
	case "confidential", "秘密":
		*l = Confidential
	case "secret", "机密":
		*l = Secret
	case "top_secret", "绝密":
		*l = TopSecret
	default:
		return fmt.Errorf("密级“%s”无效", b)
	}
	return nil
}

// ErrTopSecret is the refusal for 绝密 material.
var ErrTopSecret = errors.New("绝密级公文不得在联网的办公系统中处理，请通过机要渠道办理")

// Classification is 密级和保密期限. PeriodYears 0 means no period is marked.
type Classification struct {
	Level       Level `json:"level"`
	PeriodYears int   `json:"period_years,omitempty"`
}

// String is the marking, e.g. "机密★5年", "秘密", or "" when unclassified.
func (c Classification) String() string {
	if c.Level == Unclassified {
		return ""
	}
	if c.PeriodYears > 0 {
		return fmt.Sprintf("%s★%d年", c.Level.Label(), c.PeriodYears)
	}
	return c.Level.Label()
}

// Validate refuses 绝密 and a period above the ceiling or without a level.
func (c Classification) Validate() error {
	switch {
	case c.Level == TopSecret:
		return ErrTopSecret
	case c.Level < Unclassified || c.Level > TopSecret:
		return fmt.Errorf("密级无效")
	case c.Level == Unclassified && c.PeriodYears != 0:
		return fmt.Errorf("非密公文不标保密期限")
	case c.PeriodYears < 0:
		return fmt.Errorf("保密期限不能为负数")
	case c.PeriodYears > c.Level.MaxPeriod():
		return fmt.Errorf("%s公文的保密期限不超过%d年", c.Level.Label(), c.Level.MaxPeriod())
	}
	return nil
}

// AtLeast reports whether c is at least as high as other (非密 < 秘密 < 机密).
func (c Classification) AtLeast(other Classification) bool { return c.Level >= other.Level }

var markingRE = regexp.MustCompile(`^(非密|秘密|机密|绝密)(?:★([0-9]+)年)?$`)

// ParseClassification reads a marking such as "机密★5年", "秘密" or "非密".
func ParseClassification(s string) (Classification, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Classification{}, nil
	}
	m := markingRE.FindStringSubmatch(s)
	if m == nil {
		if strings.ContainsAny(s, "*☆✩✭⭐") {
			return Classification{}, fmt.Errorf("密级标志“%s”中的星号须为“★”", s)
		}
		return Classification{}, fmt.Errorf("密级“%s”无效，应为秘密或机密，可加“★N年”", s)
	}
	var c Classification
	_ = c.Level.UnmarshalText([]byte(m[1]))
	if m[2] != "" {
		n, err := strconv.Atoi(m[2])
		if err != nil || n <= 0 {
			return Classification{}, fmt.Errorf("保密期限“%s”无效", m[2])
		}
		c.PeriodYears = n
	}
	if err := c.Validate(); err != nil {
		return Classification{}, err
	}
	return c, nil
}

// Urgency is 紧急程度.
type Urgency string

const (
	Ordinary    Urgency = ""             // 平件: not marked
	Urgent      Urgency = "urgent"       // 加急
	ExtraUrgent Urgency = "extra_urgent" // 特急
)

// Label is the marking.
func (u Urgency) Label() string {
	switch u {
	case Urgent:
		return "加急"
	case ExtraUrgent:
		return "特急"
	}
	return ""
}

// ParseUrgency reads 特急, 加急 or nothing.
func ParseUrgency(s string) (Urgency, error) {
	switch strings.TrimSpace(s) {
	case "", "平件", "普通":
		return Ordinary, nil
	case "加急", "urgent":
		return Urgent, nil
	case "特急", "extra_urgent":
		return ExtraUrgent, nil
	case "急件", "急":
		return "", fmt.Errorf("紧急程度“%s”不规范，应为“加急”", s)
	case "特提", "平急":
		return "", fmt.Errorf("“%s”用于电报，公文的紧急程度只有特急、加急", s)
	}
	return "", fmt.Errorf("紧急程度“%s”无效，应为特急或加急", s)
}

// Date is a civil date as written on a 公文 (成文日期, 印发日期).
type Date struct {
	Year  int `json:"year"`
	Month int `json:"month"`
	Day   int `json:"day"`
}

// IsZero reports an unset date.
func (d Date) IsZero() bool { return d == Date{} }

// String writes "2026年1月5日": Arabic numerals, full year, no padding (GB/T 9704 §7.3.5).
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year, d.Month, d.Day)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool {
	return d.Year*10000+d.Month*100+d.Day < e.Year*10000+e.Month*100+e.Day
}

// DateOf is t's date in t's location.
func DateOf(t time.Time) Date {
	y, m, dd := t.Date()
	return Date{y, int(m), dd}
}

var dateRE = regexp.MustCompile(`^([0-9]{4})年([1-9]|1[0-2])月([1-9]|[12][0-9]|3[01])日$`)

// ParseDate reads "2026年1月5日" strictly and checks that the date exists.
func ParseDate(s string) (Date, error) {
	m := dateRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Date{}, fmt.Errorf("日期“%s”应写作“2026年1月5日”：阿拉伯数字，年份写全，月日不编虚位", s)
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	if y < 1949 {
		return Date{}, fmt.Errorf("日期“%s”的年份无效", s)
	}
	if t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC); t.Day() != d {
		return Date{}, fmt.Errorf("日期“%s”不存在", s)
	}
	return Date{y, mo, d}, nil
}

var copyNumberRE = regexp.MustCompile(`^[0-9]{6}$`)

// ValidCopyNumber checks a 份号: six digits, zero-padded (GB/T 9704 §7.2.1).
func ValidCopyNumber(s string) error {
	if !copyNumberRE.MatchString(s) {
		return fmt.Errorf("份号“%s”应为6位阿拉伯数字，如 000012", s)
	}
	return nil
}

// FormatCopyNumber writes copy n as six digits.
func FormatCopyNumber(n int) string { return fmt.Sprintf("%06d", n) }
