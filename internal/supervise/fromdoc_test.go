package supervise

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// A leader's instruction on a received document becomes an item, verbatim.
func TestItemFromInstructionOnAnIncomingDocument(t *testing.T) {
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	e := route.Engine{Calendar: cal}
	clerk := route.Actor{Principal: route.Principal{ID: "c1", Units: []string{"gov"}, Roles: []route.RoleGrant{{Role: route.RoleOfficeClerk, Unit: "gov"}}}}
	head := route.Actor{Principal: route.Principal{ID: "h1", Units: []string{"gov"}, Roles: []route.RoleGrant{{Role: route.RoleOfficeHead, Unit: "gov"}}}}
	boss := route.Actor{Principal: route.Principal{ID: "zs", Units: []string{"gov"}, Leads: []string{"gov"}}}
	now := at(3, 2, 9, 0)
	in, _, err := e.Start(route.Incoming(), route.StartOptions{ID: "doc-7", Starter: "c1", Scope: map[string]string{route.ScopeUnit: "gov"}}, now)
	if err != nil {
		t.Fatal(err)
	}
	step := func(a route.Actor, req route.Request) {
		t.Helper()
		now = now.Add(10 * time.Minute)
		for _, tk := range in.OpenTasks() {
			if a.Matches(tk.Assignee) {
				req.Task = tk.ID
			}
		}
		if in, _, err = e.Apply(in, a, req, now); err != nil {
			t.Fatal(err)
		}
	}
	const text = "请城关镇牵头、住建局配合，抓紧落实，月底前报结果。\n  张三"
	step(clerk, route.Request{Op: route.Approve})
	step(clerk, route.Request{Op: route.Approve})
	step(head, route.Request{Op: route.Approve, Comment: "拟请张三同志阅示", Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Person, Person: "zs"}}}})
	step(boss, route.Request{Op: route.Approve, Comment: text, Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Unit, Unit: "gov"}, Lead: true}}})
	ins, ok := document.InstructionOf(in)
	if !ok {
		t.Fatal("no instruction on the route")
	}
	doc := document.Document{ID: "doc-7", Title: "关于老旧小区改造的请示"}
	n := ItemFromInstruction("dc-7", "dcs", doc, ins)
	if n.Instruction != text || n.Ref != "doc-7" || n.Instructor != "zs" || n.Source != FromInstruction || n.Title != doc.Title {
		t.Fatalf("item %+v", n)
	}
	n.Units = []Unit{{UnitID: "town1", Lead: true, Responsible: "a1"}, {UnitID: "dept2", Responsible: "b1"}}
	n.Deadline, n.Schedule = DeadlineSpec{Workdays: 10}, Schedule{Kind: Weekly, Weekday: time.Friday}
	it := must(t)(rules(t).Create(n, sup, now))
	if it.Instruction != text {
		t.Fatal("instruction altered at 立项")
	}
}

// TestWithInstruction: a 领导批办 item takes its instruction and instructor
// from the document's 批办, never from the request; it needs a 批办 and a
// 非密 document; other sources are left as they are.
func TestWithInstruction(t *testing.T) {
	ins := document.Instruction{Leader: "zs", Text: "请住建局牵头落实。"}
	deputy := document.Instruction{Leader: "ms", OnBehalfOf: "zs", Text: "请住建局牵头落实。"}
	open := document.Document{ID: "doc-7", Title: "关于老旧小区改造的请示"}
	secret := open
	secret.Classification = document.Classification{Level: document.Confidential}
	asked := NewItem{Source: FromInstruction, Ref: "doc-7", Instruction: "编造的批示", Instructor: "nobody"}
	titled := asked
	titled.Title = "老旧小区改造"
	leader := asked
	leader.Source = FromLeader
	cases := []struct {
		name                      string
		n                         NewItem
		doc                       document.Document
		ins                       document.Instruction
		found                     bool
		refusal                   string
		title, instruction, giver string
	}{
		{"the 批办's words and leader", asked, open, ins, true, "", open.Title, ins.Text, "zs"},
		{"the request's title kept", titled, open, ins, true, "", "老旧小区改造", ins.Text, "zs"},
		{"given under delegation", asked, open, deputy, true, "", open.Title, ins.Text, "zs"},
		{"no 批办 yet", asked, open, document.Instruction{}, false, "尚无领导批示", "", "", ""},
		{"a 秘密 document", asked, secret, ins, true, "秘密文件", "", "", ""},
		{"another source untouched", leader, secret, document.Instruction{}, false, "", "", "编造的批示", "nobody"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := WithInstruction(c.n, c.doc, c.ins, c.found)
			if c.refusal != "" {
				var r *Refusal
				if !errors.As(err, &r) || !strings.Contains(err.Error(), c.refusal) {
					t.Fatalf("err = %v, want a refusal with %q", err, c.refusal)
				}
				return
			}
			if err != nil || got.Title != c.title || got.Instruction != c.instruction || got.Instructor != c.giver {
				t.Errorf("got %q %q %q (%v)", got.Title, got.Instruction, got.Instructor, err)
			}
		})
	}
}
