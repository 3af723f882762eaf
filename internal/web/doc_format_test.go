package web

import (
	"testing"
	"time"
)

func TestFmtDuration(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{0, "—"},
		{20 * time.Second, "不到1分钟"},
		{45 * time.Minute, "45分"},
		{2*time.Hour + 5*time.Minute, "2小时5分"},
		{6*time.Hour + 30*time.Minute, "1个工作日"},
		{201*time.Hour + 30*time.Minute, "31个工作日"},
		{8*time.Hour + 40*time.Minute, "1个工作日2小时"},
	} {
		if got := fmtDuration(tt.d); got != tt.want {
			t.Errorf("%v: %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestParseAssignee(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"person:abc", true}, {"leader:u1", true}, {"unit:u1", true}, {"office:u1", true},
		{"role:x", false}, {"person:", false}, {"nocolon", false}, {"", false},
	} {
		if _, ok := parseAssignee(tt.in); ok != tt.ok {
			t.Errorf("%q: %v", tt.in, ok)
		}
	}
}
