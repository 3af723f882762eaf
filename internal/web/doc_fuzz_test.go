package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/route"
)

// FuzzRequestFromForm: whatever a form posts, building the route request
// never panics, and every chosen assignee is one the page could offer.
func FuzzRequestFromForm(f *testing.F) {
	in := route.Instance{Template: route.Outgoing(), Tasks: []route.Task{{ID: 1, Step: 7}}}
	f.Add("approve", "1", "person:abc", "leader:u1", "2", "2026-12-01", "30")
	f.Add("forward", "x", "unit:", "", "-1", "", "")
	f.Add("", "99", "leader:u1\nperson:p", "leader:u1", "400", "2026年12月1日", "0")
	f.Fuzz(func(t *testing.T, op, task, next, lead, limit, date, copies string) {
		form := url.Values{"op": {op}, "task": {task}, "next": strings.Split(next, "\n"), "lead": {lead},
			"limit": {limit}, "lead_limit": {limit}, "to": {next}, "add": strings.Split(next, "\n"),
			"print_date": {date}, "copies": {copies}}
		req, err := requestFromForm(form, in)
		if err != nil {
			return
		}
		leads := 0
		for _, n := range req.Next {
			if n.Assignee.Kind != route.Person && n.Assignee.Kind != route.Leader && n.Assignee.Kind != route.Unit {
				t.Fatalf("assignee kind %q", n.Assignee.Kind)
			}
			if n.Lead {
				leads++
			}
		}
		if leads > 1 {
			t.Fatalf("%d leads", leads)
		}
		for k := range req.Fields {
			if k != "print_date" && k != "copies" {
				t.Fatalf("field %q taken at a step without it", k)
			}
		}
	})
}

// FuzzDocFromForm: the draft form's parser never panics and never lets an
// invalid classification through.
func FuzzDocFromForm(f *testing.F) {
	f.Add("notice", "标题", "一、甲\n（一）乙", "1", "5", "加急")
	f.Add("x", "", "", "3", "99", "急件")
	f.Add("request", "关于…的请示", "1.5亿元", "-1", "", "特急")
	f.Fuzz(func(t *testing.T, typ, title, body, level, period, urgency string) {
		d, err := docFromForm(url.Values{"type": {typ}, "title": {title}, "body": {body}, "level": {level}, "period": {period}, "urgency": {urgency}}, nil)
		if err != nil {
			return
		}
		if err := d.Classification.Validate(); err != nil {
			t.Fatalf("invalid classification accepted: %v", err)
		}
	})
}
