package supervise

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// TestLimits: every field an operation takes is refused one character (or
// entry) over its limit, naming it, and passes the limit check at the limit.
// At the limit an operation may still refuse for its own reasons (the item's
// state), never for the length.
func TestLimits(t *testing.T) {
	r := rules(t)
	now := at(3, 2, 9, 0)
	s := func(n int) string { return strings.Repeat("督", n) }
	item := must(t)(r.Create(newItem("it"), sup, now))
	withNew := func(f func(n *NewItem, k int)) func(int) error {
		return func(k int) error {
			n := newItem("x")
			f(&n, k)
			_, _, err := r.Create(n, sup, now)
			return err
		}
	}
	files := func(k int) []Attachment {
		out := make([]Attachment, k)
		for i := range out {
			out[i] = Attachment{Name: fmt.Sprintf("%d.pdf", i), SHA256: sha}
		}
		return out
	}
	for _, tc := range []struct {
		name, field string
		limit       int
		try         func(k int) error
	}{
		{"title", "title", MaxTitle, withNew(func(n *NewItem, k int) { n.Title = s(k) })},
		{"instruction", "instruction", MaxInstruction, withNew(func(n *NewItem, k int) { n.Instruction = s(k) })},
		{"instructor", "instructor", MaxName, withNew(func(n *NewItem, k int) { n.Instructor = s(k) })},
		{"ref", "ref", MaxRef, withNew(func(n *NewItem, k int) { n.Ref = strings.Repeat("d", k) })},
		{"sub-item title", "sub_items", MaxTitle, withNew(func(n *NewItem, k int) {
			n.SubItems = []SubItem{{ID: "s1", Title: s(k), UnitID: "town1", Spec: DeadlineSpec{Workdays: 5}}}
		})},
		{"milestone title", "milestones", MaxTitle, withNew(func(n *NewItem, k int) {
			n.Milestones = []Milestone{{ID: "m1", Title: s(k), Spec: DeadlineSpec{Workdays: 5}}}
		})},
		{"proposer", "proposer", MaxName, withNew(func(n *NewItem, k int) {
			n.Source, n.Ref, n.Deadline = FromNPC, "", DeadlineSpec{}
			n.Proposal = &ProposalInfo{Number: "第1号", Proposer: s(k)}
		})},
		{"report", "text", MaxText, func(k int) error { return CheckReport(ReportInput{Text: s(k)}) }},
		{"report files", "files", MaxAttachments, func(k int) error { return CheckReport(ReportInput{Text: "进展", Attachments: files(k)}) }},
		{"file name", "files", MaxAttachmentName, func(k int) error {
			return CheckReport(ReportInput{Text: "进展", Attachments: []Attachment{{Name: s(k-4) + ".pdf"}}})
		}},
		{"report via op", "text", MaxText, func(k int) error {
			_, _, err := r.Report(item, townA, ReportInput{UnitID: "town1", Text: s(k)}, now)
			return err
		}},
		{"evidence", "text", MaxText, func(k int) error {
			_, _, err := r.RequestClose(item, townA, Evidence{Text: s(k)}, now)
			return err
		}},
		{"review reason", "reason", MaxReason, func(k int) error {
			_, _, err := r.Review(item, sup, false, s(k), now)
			return err
		}},
		{"extension reason", "reason", MaxReason, func(k int) error {
			_, _, err := r.RequestExtension(item, townA, ExtensionInput{UnitID: "town1", Asked: at(4, 1, 0, 0), Reason: s(k)}, now)
			return err
		}},
		{"extension note", "note", MaxReason, func(k int) error {
			_, _, err := r.DecideExtension(item, sup, 1, false, now, s(k), now)
			return err
		}},
		{"urge", "text", MaxText, func(k int) error {
			_, _, err := r.Urge(item, sup, "town1", s(k), now)
			return err
		}},
		{"contact way", "way", MaxWay, func(k int) error {
			_, _, err := r.RecordContact(item, townA, Contact{At: now, Way: s(k), Note: "电话"}, now)
			return err
		}},
		{"contact note", "note", MaxText, func(k int) error {
			_, _, err := r.RecordContact(item, townA, Contact{At: now, Way: "电话", Note: s(k)}, now)
			return err
		}},
		{"satisfaction note", "note", MaxText, func(k int) error {
			_, _, err := r.RecordSatisfaction(item, sup, Satisfied, s(k), now)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.try(tc.limit); textlimit.IsTooLong(err) {
				t.Fatalf("at the limit: %v", err)
			}
			err := tc.try(tc.limit + 1)
			e, ok := textlimit.As(err)
			if !ok || e.Field != tc.field || e.Max != tc.limit || e.Got != tc.limit+1 {
				t.Fatalf("one over: %v (%+v), want %s over %d", err, e, tc.field, tc.limit)
			}
		})
	}
	// The title, at the limit, makes an item.
	n := newItem("y")
	n.Title = s(MaxTitle)
	must(t)(r.Create(n, sup, now))
}
