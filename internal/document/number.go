package document

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DocNumber is a 发文字号: 机关代字 + 〔year〕 + sequence + 号, e.g. 区政办发〔2026〕12号.
type DocNumber struct {
	OrganCode string `json:"organ_code"`
	Year      int    `json:"year"`
	Seq       int    `json:"seq"`
}

// String formats the number with 六角括号 (U+3014/U+3015), a four-digit year
// and an unpadded sequence without 第.
func (n DocNumber) String() string {
	return fmt.Sprintf("%s〔%d〕%d号", n.OrganCode, n.Year, n.Seq)
}

var organCodeRE = regexp.MustCompile(`^\p{Han}[\p{Han}\p{N}]*$`)

// Validate checks the parts.
func (n DocNumber) Validate() error {
	if !organCodeRE.MatchString(n.OrganCode) {
		return fmt.Errorf("机关代字“%s”无效，应以汉字开头，如“区政办发”", n.OrganCode)
	}
	if n.Year < 1949 || n.Year > 9999 {
		return fmt.Errorf("发文字号的年份 %d 无效", n.Year)
	}
	if n.Seq < 1 {
		return fmt.Errorf("发文顺序号须从1开始")
	}
	return nil
}

var docNumberRE = regexp.MustCompile(`^(\p{Han}[\p{Han}\p{N}]*)〔([0-9]{4})〕([1-9][0-9]*)号$`)

// lookalikes are brackets often typed instead of 〔〕.
var lookalikes = []struct{ open, close string }{
	{"[", "]"}, {"［", "］"}, {"【", "】"}, {"〖", "〗"}, {"﹝", "﹞"}, {"〘", "〙"}, {"(", ")"}, {"（", "）"}, {"{", "}"},
}

// ParseDocNumber reads a 发文字号 strictly, explaining in Chinese what is
// wrong with a malformed one (the common mistakes of 校对 rules F01–F03).
func ParseDocNumber(s string) (DocNumber, error) {
	s = strings.TrimSpace(s)
	if m := docNumberRE.FindStringSubmatch(s); m != nil {
		year, _ := strconv.Atoi(m[2])
		seq, err := strconv.Atoi(m[3])
		if err != nil {
			return DocNumber{}, fmt.Errorf("发文顺序号“%s”过大", m[3])
		}
		n := DocNumber{OrganCode: m[1], Year: year, Seq: seq}
		return n, n.Validate()
	}
	for _, b := range lookalikes {
		if strings.Contains(s, b.open) && strings.Contains(s, b.close) {
			return DocNumber{}, fmt.Errorf("发文字号“%s”的年份须用六角括号“〔〕”，不能用“%s%s”", s, b.open, b.close)
		}
	}
	_, after, ok := strings.Cut(s, "〕")
	if !strings.Contains(s, "〔") || !ok {
		return DocNumber{}, fmt.Errorf("发文字号“%s”格式应为“机关代字〔年份〕序号号”，如“区政办发〔2026〕12号”", s)
	}
	switch {
	case strings.HasPrefix(after, "第"):
		return DocNumber{}, fmt.Errorf("发文字号“%s”的顺序号前不加“第”", s)
	case strings.HasPrefix(after, "0"):
		return DocNumber{}, fmt.Errorf("发文字号“%s”的顺序号不编虚位（不以0开头）", s)
	case !strings.HasSuffix(s, "号"):
		return DocNumber{}, fmt.Errorf("发文字号“%s”应以“号”结尾", s)
	}
	if y := between(s, "〔", "〕"); len(y) != 4 {
		return DocNumber{}, fmt.Errorf("发文字号“%s”的年份须写全四位", s)
	}
	return DocNumber{}, fmt.Errorf("发文字号“%s”格式应为“机关代字〔年份〕序号号”", s)
}

func between(s, a, b string) string {
	_, rest, _ := strings.Cut(s, a)
	in, _, _ := strings.Cut(rest, b)
	return in
}

// NumberEventKind is what happened to a number.
type NumberEventKind string

const (
	Assigned NumberEventKind = "assigned" // given to a document
	Voided   NumberEventKind = "voided"   // taken back: never reused
)

// NumberEvent records what happened to one doc number; the store keeps them
// per organ code and year.
type NumberEvent struct {
	Kind     NumberEventKind `json:"kind"`
	Number   DocNumber       `json:"number"`
	Document string          `json:"document"`
	Reason   string          `json:"reason,omitempty"`
	By       string          `json:"by"`
	At       time.Time       `json:"at"`
}

// Assign records that number n was given to document doc. The store picks
// n = NextSeq(...) inside its transaction.
func Assign(n DocNumber, doc, by string, at time.Time) (NumberEvent, error) {
	if err := n.Validate(); err != nil {
		return NumberEvent{}, err
	}
	if doc == "" {
		return NumberEvent{}, fmt.Errorf("编号须对应一份公文")
	}
	return NumberEvent{Kind: Assigned, Number: n, Document: doc, By: by, At: at}, nil
}

// Void records that number n, given to doc, is taken back. A reason is
// required; the number stays used so the sequence shows no silent gap.
func Void(n DocNumber, doc, reason, by string, at time.Time) (NumberEvent, error) {
	if strings.TrimSpace(reason) == "" {
		return NumberEvent{}, fmt.Errorf("作废发文字号须说明理由")
	}
	if err := n.Validate(); err != nil {
		return NumberEvent{}, err
	}
	return NumberEvent{Kind: Voided, Number: n, Document: doc, Reason: reason, By: by, At: at}, nil
}

// NextSeq is the next sequence number for organ code and year given the
// events so far: one past the highest number assigned (voided numbers are not reused).
func NextSeq(events []NumberEvent, organCode string, year int) int {
	hi := 0
	for _, e := range events {
		if e.Number.OrganCode == organCode && e.Number.Year == year && e.Number.Seq > hi {
			hi = e.Number.Seq
		}
	}
	return hi + 1
}

// CheckSequence verifies the numbering rules over all events of one organ
// code and year: numbers 1..N each assigned exactly once, no gaps, and a
// voided number is one that was assigned and is never assigned again. It
// returns every problem found, in Chinese.
func CheckSequence(events []NumberEvent) []string {
	var problems []string
	assigned := map[DocNumber]int{}
	voided := map[DocNumber]bool{}
	byYear := map[[2]any]int{}
	for _, e := range events {
		key := [2]any{e.Number.OrganCode, e.Number.Year}
		byYear[key] = max(byYear[key], e.Number.Seq)
		switch e.Kind {
		case Assigned:
			assigned[e.Number]++
			if assigned[e.Number] > 1 {
				problems = append(problems, fmt.Sprintf("%s 重复使用", e.Number))
			}
			if voided[e.Number] {
				problems = append(problems, fmt.Sprintf("%s 作废后又被使用", e.Number))
			}
		case Voided:
			if assigned[e.Number] == 0 {
				problems = append(problems, fmt.Sprintf("%s 未使用即被作废", e.Number))
			}
			if voided[e.Number] {
				problems = append(problems, fmt.Sprintf("%s 重复作废", e.Number))
			}
			voided[e.Number] = true
		}
	}
	for key, hi := range byYear {
		for s := 1; s <= hi; s++ {
			n := DocNumber{OrganCode: key[0].(string), Year: key[1].(int), Seq: s}
			if assigned[n] == 0 {
				problems = append(problems, fmt.Sprintf("%s 空号", n))
			}
		}
	}
	return problems
}

// IncomingNumber is a 收文编号, per receiving unit and year: the unit's code,
// 收, the year in 〔〕 and the sequence, e.g. 城关镇收〔2026〕15号.
type IncomingNumber struct {
	UnitCode string `json:"unit_code"`
	Year     int    `json:"year"`
	Seq      int    `json:"seq"`
}

// String formats the incoming number.
func (n IncomingNumber) String() string {
	return fmt.Sprintf("%s收〔%d〕%d号", n.UnitCode, n.Year, n.Seq)
}

var incomingRE = regexp.MustCompile(`^(\p{Han}[\p{Han}\p{N}]*)收〔([0-9]{4})〕([1-9][0-9]*)号$`)

// ParseIncomingNumber reads what String writes.
func ParseIncomingNumber(s string) (IncomingNumber, error) {
	m := incomingRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return IncomingNumber{}, fmt.Errorf("收文编号“%s”格式应为“单位代字收〔年份〕序号号”", s)
	}
	y, _ := strconv.Atoi(m[2])
	seq, err := strconv.Atoi(m[3])
	if err != nil {
		return IncomingNumber{}, fmt.Errorf("收文编号“%s”序号过大", s)
	}
	if y < 1949 {
		return IncomingNumber{}, fmt.Errorf("收文编号“%s”的年份无效", s)
	}
	return IncomingNumber{UnitCode: m[1], Year: y, Seq: seq}, nil
}
