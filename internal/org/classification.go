package org

import (
	"errors"
	"fmt"
	"time"
)

// Classification is a 密级: a person's clearance or an object's classification.
// The English names follow the usual mapping 秘密=Confidential, 机密=Secret,
// 绝密=Top Secret.
type Classification int

const (
	Unclassified Classification = 0 // 非密
	Confidential Classification = 1 // 秘密
	Secret       Classification = 2 // 机密
)

// ErrTopSecret refuses 绝密: it must never be handled on a networked system.
var ErrTopSecret = errors.New("绝密级事项不得在联网的信息系统中处理，请按保密规定通过专用渠道办理")

// Label is the Chinese name.
func (c Classification) Label() string {
	switch c {
	case Unclassified:
		return "非密"
	case Confidential:
		return "秘密"
	case Secret:
		return "机密"
	}
	return fmt.Sprintf("密级(%d)", int(c))
}

// Valid reports whether c is a level the system handles.
func (c Classification) Valid() bool { return c >= Unclassified && c <= Secret }

// AllClassifications lists the levels the system handles, lowest first.
func AllClassifications() []Classification {
	return []Classification{Unclassified, Confidential, Secret}
}

// ParseClassification reads a level from its Chinese name, English name or
// number. 绝密 is refused with ErrTopSecret.
func ParseClassification(s string) (Classification, error) {
	switch s {
	case "", "非密", "unclassified", "0", "普通", "内部":
		return Unclassified, nil
	case "秘密", "confidential", "1":
		return Confidential, nil
	case "机密", "secret", "2":
		return Secret, nil
	case "绝密", "top_secret", "topsecret", "3":
		return 0, ErrTopSecret
	}
	return 0, fmt.Errorf("未知密级 %q（可选：非密、秘密、机密）", s)
}

// MaxSecrecyYears is the legal ceiling of the secrecy period per level (保守国家秘密法).
func (c Classification) MaxSecrecyYears() int {
	switch c {
	case Confidential:
		return 10
	case Secret:
		return 20
	}
	return 0
}

// Marking is an object's classification with its secrecy period (保密期限).
type Marking struct {
	Level Classification `json:"level"`
	Years int            `json:"years,omitempty"` // 0: the default period of the level
	Since time.Time      `json:"since,omitempty"`
}

// Validate checks the period against the level.
func (m Marking) Validate() error {
	if !m.Level.Valid() {
		return fmt.Errorf("无效密级 %d", m.Level)
	}
	if m.Level == Unclassified && m.Years != 0 {
		return errors.New("非密事项不设保密期限")
	}
	if m.Years < 0 || m.Years > m.Level.MaxSecrecyYears() {
		return fmt.Errorf("%s事项的保密期限不得超过 %d 年", m.Level.Label(), m.Level.MaxSecrecyYears())
	}
	return nil
}

// String is the marking as printed, e.g. 机密★5年, or 秘密 without a period.
func (m Marking) String() string {
	if m.Level == Unclassified {
		return ""
	}
	if m.Years == 0 {
		return m.Level.Label()
	}
	return fmt.Sprintf("%s★%d年", m.Level.Label(), m.Years)
}
