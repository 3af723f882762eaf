package route

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// TestLimits: an opinion and a step's fields take their limits and refuse
// one more, whatever the operation; the refusal leaves the route as it was.
func TestLimits(t *testing.T) {
	s := func(n int) string { return strings.Repeat("意", n) }
	fields := func(n int) map[string]string {
		m := map[string]string{}
		for i := range n {
			m[fmt.Sprintf("f%d", i)] = "1"
		}
		return m
	}
	for _, tc := range []struct {
		name, field string
		limit       int
		req         func(n int) Request
	}{
		{"approve comment", "comment", MaxComment, func(n int) Request { return Request{Op: Approve, Comment: s(n)} }},
		{"return comment", "comment", MaxComment, func(n int) Request { return Request{Op: Return, Comment: s(n)} }},
		{"urge comment", "comment", MaxComment, func(n int) Request { return Request{Op: Urge, Comment: s(n)} }},
		{"field value", "doc_number", MaxFieldValue, func(n int) Request {
			return Request{Op: Approve, Fields: map[string]string{"doc_number": s(n)}}
		}},
		{"fields", "fields", MaxFields, func(n int) Request { return Request{Op: Approve, Fields: fields(n)} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := startOutgoing(t)
			task := f.open(drafter).ID
			req := tc.req(tc.limit)
			req.Task = task
			if _, _, err := f.e.Apply(f.in, drafter, req, f.now); textlimit.IsTooLong(err) {
				t.Fatalf("at the limit: %v", err)
			}
			req = tc.req(tc.limit + 1)
			req.Task = task
			in, evs, err := f.e.Apply(f.in, drafter, req, f.now)
			e, ok := textlimit.As(err)
			if !ok || e.Field != tc.field || e.Max != tc.limit || e.Got != tc.limit+1 {
				t.Fatalf("one over: %v, want %s over %d", err, tc.field, tc.limit)
			}
			if evs != nil || in.Seq != f.in.Seq {
				t.Fatal("a refusal must leave the route unchanged")
			}
		})
	}
}
