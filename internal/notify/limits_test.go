package notify

import (
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// TestLimits: a message's subject, body and link take their limits and
// refuse one more (a rule quoting too much is caught before it is stored).
func TestLimits(t *testing.T) {
	for _, tc := range []struct {
		field string
		limit int
		set   func(m *Message, n int)
	}{
		{"subject", MaxSubject, func(m *Message, n int) { m.Subject = strings.Repeat("通", n) }},
		{"body", MaxBody, func(m *Message, n int) { m.Body = strings.Repeat("知", n) }},
		{"link", MaxLink, func(m *Message, n int) { m.Link = "/" + strings.Repeat("a", n-1) }},
	} {
		m := Message{Key: "k", PersonID: "p", Subject: "新任务"}
		tc.set(&m, tc.limit)
		if err := m.Validate(); err != nil {
			t.Errorf("%s at the limit: %v", tc.field, err)
		}
		tc.set(&m, tc.limit+1)
		if e, ok := textlimit.As(m.Validate()); !ok || e.Field != tc.field || e.Got != tc.limit+1 {
			t.Errorf("%s one over: %v", tc.field, m.Validate())
		}
	}
}
