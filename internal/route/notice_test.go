package route

import "testing"

// TestNotices: each operation tells whom it hands work to, and how.
func TestNotices(t *testing.T) {
	f := startOutgoing(t)
	step := func(a Actor, req Request) []Notice {
		t.Helper()
		before := len(f.events)
		f.do(a, req)
		return Notices(f.in, f.events[before:])
	}
	one := func(ns []Notice, kind NoticeKind, to Assignee, comment string) {
		t.Helper()
		if len(ns) != 1 || ns[0].Kind != kind || ns[0].To != to || ns[0].Comment != comment || ns[0].Seq == 0 {
			t.Fatalf("notices %+v, want one %s to %+v with %q", ns, kind, to, comment)
		}
	}
	// The draft sent for review: the section's leader gets a task.
	one(step(drafter, Request{Op: Approve, Comment: "请审核"}), NoticeTask, Assignee{Kind: Leader, Unit: "sec1"}, "请审核")
	// 催办 of that task, by the starter.
	one(step(drafter, Request{Op: Urge, Task: f.open(secHead).ID, Comment: "请尽快"}), NoticeUrged, Assignee{Kind: Leader, Unit: "sec1"}, "请尽快")
	// Returned to the draft: the drafter, by name, is told why.
	ns := step(secHead, Request{Op: Return, ToStep: "draft", Comment: "请修改"})
	one(ns, NoticeReturned, Assignee{Kind: Person, Person: "d1"}, "请修改")
	if ns[0].Actor != "l1" {
		t.Fatalf("return told as by %q", ns[0].Actor)
	}
	// A task handed to oneself tells nobody.
	if ns := Notices(f.in, []Event{{Type: EvHandover, Actor: "d1", To: &Assignee{Kind: Person, Person: "d1"}}}); len(ns) != 0 {
		t.Fatalf("self-handover told: %+v", ns)
	}
	// The close is told to the starter.
	done := f.in
	done.Status = Done
	ns = Notices(done, []Event{{Seq: 99, Type: EvComplete, Actor: "a1", StepName: "归档"}})
	one(ns, NoticeClosed, Assignee{Kind: Person, Person: "d1"}, "")
}
