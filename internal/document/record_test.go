package document

import (
	"slices"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/route"
)

func TestRecordsFromRoutes(t *testing.T) {
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	e := route.Engine{Calendar: cal}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Shanghai())
	scope := map[string]string{route.ScopeUnit: "sec", route.ScopeOffice: "office", route.ScopeOrgan: "organ"}
	in, _, err := e.Start(route.Outgoing(), route.StartOptions{ID: "d", Starter: "d1", Scope: scope}, now)
	if err != nil {
		t.Fatal(err)
	}
	act := func(a route.Actor, req route.Request) {
		t.Helper()
		for _, tk := range in.OpenTasks() {
			if a.Matches(tk.Assignee) || (len(a.Delegations) > 0 && a.Delegations[0].Matches(tk.Assignee)) {
				req.Task = tk.ID
			}
		}
		now = now.Add(time.Hour)
		if in, _, err = e.Apply(in, a, req, now); err != nil {
			t.Fatal(err)
		}
	}
	p := func(id string, units []string, leads []string, roles ...route.RoleGrant) route.Actor {
		return route.Actor{Principal: route.Principal{ID: id, Units: units, Leads: leads, Roles: roles}}
	}
	act(p("d1", nil, nil), route.Request{Op: route.Approve})
	act(p("l1", nil, []string{"sec"}), route.Request{Op: route.Approve})
	act(p("r1", nil, nil, route.RoleGrant{Role: route.RoleOfficeReviewer, Unit: "office"}), route.Request{Op: route.Approve,
		Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Unit, Unit: "u2"}}}})
	act(p("m2", []string{"u2"}, nil), route.Request{Op: route.Disagree, Comment: "第三条请删除"})
	boss := p("boss", nil, []string{"organ"})
	secretary := route.Actor{Principal: route.Principal{ID: "sec1"}, Delegations: []route.Principal{boss.Principal}}
	act(secretary, route.Request{Op: route.Approve, Comment: "同意。"})

	s, ok := SignOffOf(in)
	if !ok || s.Signer != "sec1" || s.OnBehalfOf != "boss" || s.Opinion != "同意。" {
		t.Fatalf("%+v %v", s, ok)
	}
	d := WithSignOff(goodDoc(Request), s, "王五")
	if d.Date != (Date{2026, 3, 2}) || len(d.Signers) != 1 || d.Signers[0] != "王五" {
		t.Fatalf("%+v %+v", d.Date, d.Signers)
	}
	cs := CountersignsOf(in)
	if len(cs) != 1 || cs[0].Agreed || cs[0].Comment != "第三条请删除" {
		t.Fatalf("%+v", cs)
	}
	if _, ok := InstructionOf(in); ok {
		t.Fatal("an outgoing route has no instruction")
	}
}

// TestOnFinishSignOff: 签发 is an effect decided here — the 成文日期 is the
// signing day in Beijing, and an upward document names the leader it is in
// the name of as 签发人; nothing follows without a sign-off or on 收文.
func TestOnFinishSignOff(t *testing.T) {
	late := time.Date(2026, 3, 1, 17, 30, 0, 0, time.UTC) // 01:30 on 2 March in Beijing
	so := &SignOff{Signer: "sec1", OnBehalfOf: "boss", Opinion: "同意。", At: late}
	for _, tt := range []struct {
		name    string
		f       Finish
		date    Date
		signers []string
		none    bool
	}{
		{"downward notice", Finish{Outgoing: true, Step: StepSignOff, Doc: goodDoc(Notice), SignOff: so, SignerName: "王五"}, Date{2026, 3, 2}, nil, false},
		{"upward request", Finish{Outgoing: true, Step: StepSignOff, Doc: goodDoc(Request), SignOff: so, SignerName: "王五"}, Date{2026, 3, 2}, []string{"王五"}, false},
		{"upward, no name", Finish{Outgoing: true, Step: StepSignOff, Doc: goodDoc(Request), SignOff: so}, Date{2026, 3, 2}, nil, false},
		{"no sign-off", Finish{Outgoing: true, Step: StepSignOff, Doc: goodDoc(Notice)}, Date{}, nil, true},
		{"incoming", Finish{Step: StepSignOff, Doc: goodDoc(Notice), SignOff: so, SignerName: "王五"}, Date{}, nil, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, err := OnFinish(tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if tt.none {
				if e.Signed != nil {
					t.Fatalf("signed: %+v", e.Signed)
				}
				return
			}
			if e.Signed == nil || e.Signed.Date != tt.date || !slices.Equal(e.Signed.Signers, tt.signers) {
				t.Fatalf("signed: %+v", e.Signed)
			}
		})
	}
	if (SignOff{Signer: "a"}).Leader() != "a" || so.Leader() != "boss" {
		t.Error("Leader: the signer, or whom they signed for")
	}
}
