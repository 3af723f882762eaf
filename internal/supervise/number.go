package supervise

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Number is a 督办编号, e.g. 督字〔2026〕5号: counted per 督查室 and per year of
// registration (立项), gap-free. The store allocates it in the registering
// transaction; a registration that is refused takes no number.
type Number struct {
	Year int `json:"year"`
	Seq  int `json:"seq"`
}

// IsZero reports whether no number was given (items registered before
// numbering began).
func (n Number) IsZero() bool { return n.Seq == 0 }

// String formats the number, or "" if there is none.
func (n Number) String() string {
	if n.IsZero() {
		return ""
	}
	return fmt.Sprintf("督字〔%d〕%d号", n.Year, n.Seq)
}

var numberRE = regexp.MustCompile(`^督字〔([0-9]{4})〕([1-9][0-9]{0,8})号$`)

// ParseNumber reads what String writes.
func ParseNumber(s string) (Number, error) {
	m := numberRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Number{}, fmt.Errorf("督办编号“%s”格式应为“督字〔年份〕序号号”", s)
	}
	y, _ := strconv.Atoi(m[1])
	seq, _ := strconv.Atoi(m[2])
	if y < 1949 {
		return Number{}, fmt.Errorf("督办编号“%s”的年份无效", s)
	}
	return Number{Year: y, Seq: seq}, nil
}

// NumberScope is the counter a 督查室's numbers are drawn from: one per
// supervising office, so two offices' items may share a sequence number.
func NumberScope(office string) string { return "sup:" + office }

// NumberYear is the year an item registered at t is numbered in (the
// calendar's local year, so an item registered at 00:30 on 1 January
// Beijing time starts the new year's count).
func NumberYear(t time.Time, loc *time.Location) int {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Year()
}
