package meeting

import (
	"testing"
)

func TestStatistics(t *testing.T) {
	m := noticed() // 12-09 09:00–11:00: 区长, 副区长 (政府), 局长 (发改局)
	_ = m.Answer(actor("局长"), "局长", Reply{Answer: Absent, Reason: "出差"}, at(8, 9, 0))
	_ = m.Answer(actor("副区长"), "副区长", Reply{Answer: Attend}, at(8, 9, 0))
	_ = m.SignIn(actor("副区长"), "副区长", "qr", at(9, 8, 55))
	booked := Book(NewMeeting{ID: "m2", Kind: Work, Start: at(20, 14, 30), End: at(20, 16, 0), Invitees: []Invitee{{PersonID: "x", UnitID: "镇"}}}, "秘书", nil, at(7, 9, 0))
	cancelled := Book(NewMeeting{ID: "m3", Kind: Work, Start: at(21, 9, 0), End: at(21, 10, 0)}, "秘书", nil, at(7, 9, 0))
	cancelled.Status = Cancelled
	s := Statistics([]Meeting{*m, booked, cancelled}, at(9, 12, 0))
	if len(s.ByKind) != 1 || s.ByKind[0].Meetings != 2 || s.ByKind[0].Hours != 3.5 || s.ByKind[0].Month != "2026-12" {
		t.Errorf("by kind: %+v", s.ByKind)
	}
	rates := map[string]UnitRates{}
	for _, u := range s.ByUnit {
		rates[u.UnitID] = u
	}
	if g := rates["政府"]; g.Invited != 2 || g.Answered != 1 || g.Expected != 2 || g.SignedIn != 1 || g.ReplyRate != 0.5 || g.SignRate != 0.5 {
		t.Errorf("政府: %+v", g)
	}
	if d := rates["发改局"]; d.Invited != 1 || d.Answered != 1 || d.Expected != 0 || d.SignRate != 0 {
		t.Errorf("发改局 (absent, not expected): %+v", d)
	}
	if _, ok := rates["镇"]; ok {
		t.Error("a meeting not noticed counted in the rates")
	}
}
