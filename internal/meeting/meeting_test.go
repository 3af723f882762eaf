package meeting

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/route"
)

func actor(id string, units ...string) route.Actor {
	return route.Actor{Principal: route.Principal{ID: id, Units: units}}
}

func noticed() *Meeting {
	m := Book(NewMeeting{ID: "m1", Title: "区政府第12次常务会议", Kind: Work, OfficeID: "政府办", OrganID: "政府", RoomID: "r1",
		Start: at(9, 9, 0), End: at(9, 11, 0), Invitees: []Invitee{
			{PersonID: "区长", UnitID: "政府", Leader: true, Rostrum: true, Office: "政府办"},
			{PersonID: "副区长", UnitID: "政府", Leader: true, Rostrum: true, Office: "政府办"},
			{PersonID: "局长", UnitID: "发改局", Office: "发改局办公室"},
		}}, "秘书", []byte("k"), at(7, 9, 0))
	if _, err := m.Notice(actor("秘书", "政府办"), at(7, 10, 0)); err != nil {
		panic(err)
	}
	return &m
}

func TestAnswer(t *testing.T) {
	now := at(8, 9, 0)
	cases := []struct {
		name    string
		by      route.Actor
		person  string
		r       Reply
		refusal string
	}{
		{"attends", actor("局长"), "局长", Reply{Answer: Attend}, ""},
		{"a substitute with name and post", actor("局长"), "局长", Reply{Answer: Substitute, SubName: "王五", SubPost: "副局长"}, ""},
		{"a substitute without a post", actor("局长"), "局长", Reply{Answer: Substitute, SubName: "王五"}, "姓名和职务"},
		{"absent with a reason", actor("局长"), "局长", Reply{Answer: Absent, Reason: "出差"}, ""},
		{"absent without a reason", actor("局长"), "局长", Reply{Answer: Absent, Reason: "  "}, "事由"},
		{"the unit's office answers for its leader", actor("办事员", "政府办"), "区长", Reply{Answer: Attend}, ""},
		{"another unit's office may not", actor("办事员", "发改局办公室"), "区长", Reply{Answer: Attend}, "本人或其单位办公室"},
		{"not invited", actor("路人"), "路人", Reply{Answer: Attend}, "不在本次会议"},
		{"no answer chosen", actor("局长"), "局长", Reply{}, "请选择"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := noticed()
			err := m.Answer(c.by, c.person, c.r, now)
			if c.refusal == "" {
				if err != nil {
					t.Fatal(err)
				}
				iv, _ := m.Invitee(c.person)
				if iv.Reply == nil || iv.Reply.Answer != c.r.Answer || iv.Reply.By != c.by.ID {
					t.Errorf("reply %+v", iv.Reply)
				}
				return
			}
			if err == nil || !IsRefusal(err) || !strings.Contains(err.Error(), c.refusal) {
				t.Errorf("err %v, want a refusal with %q", err, c.refusal)
			}
		})
	}
	m := noticed()
	if err := m.Answer(actor("局长"), "局长", Reply{Answer: Attend}, at(9, 9, 0)); err == nil {
		t.Error("answered after the start")
	}
	before := Book(NewMeeting{ID: "m2", Kind: Work, Invitees: []Invitee{{PersonID: "局长"}}}, "秘书", nil, now)
	if err := before.Answer(actor("局长"), "局长", Reply{Answer: Attend}, now); err == nil || !strings.Contains(err.Error(), "尚未发出") {
		t.Errorf("answered before the notice: %v", err)
	}
}

func TestUrgeAndFigures(t *testing.T) {
	m := noticed()
	now := at(8, 9, 0)
	_ = m.Answer(actor("局长"), "局长", Reply{Answer: Substitute, SubName: "王五", SubPost: "副局长"}, now)
	_ = m.Answer(actor("副区长"), "副区长", Reply{Answer: Absent, Reason: "出差"}, now)
	if _, err := m.Urge(actor("局长"), nil, now); err == nil {
		t.Error("an invitee urged")
	}
	urged, err := m.Urge(actor("秘书", "政府办"), nil, now)
	if err != nil || !slices.Equal(urged, []string{"区长"}) {
		t.Fatalf("urged %v, %v", urged, err)
	}
	if iv, _ := m.Invitee("区长"); iv.Urges != 1 {
		t.Errorf("urges %d", iv.Urges)
	}
	if err := m.SignIn(actor("局长"), "局长", "qr", at(9, 9, 5)); err != nil {
		t.Fatal(err)
	}
	if err := m.SignIn(actor("秘书", "政府办"), "区长", "click", at(9, 8, 50)); err != nil {
		t.Fatal(err)
	}
	if err := m.SignIn(actor("局长"), "区长", "qr", at(9, 9, 5)); err == nil {
		t.Error("signed someone else in by QR")
	}
	if err := m.SignIn(actor("局长"), "局长", "qr", at(9, 9, 6)); err == nil || !strings.Contains(err.Error(), "已经签到") {
		t.Errorf("signed in twice: %v", err)
	}
	if err := m.SignIn(actor("区长"), "区长", "qr", at(9, 7, 0)); err == nil {
		t.Error("sign-in open two hours early")
	}
	got := m.Figures(at(9, 10, 0))
	want := Figures{Invited: 3, Answered: 2, Substitute: 1, Absent: 1, Unanswered: 1, SignedIn: 2, Late: 1}
	if got != want {
		t.Errorf("figures %+v, want %+v", got, want)
	}
}

func TestSignInToken(t *testing.T) {
	secret := []byte("a meeting's own secret")
	now := at(9, 9, 0)
	good := SignInToken(secret, "m1", now.Add(TokenLife))
	cases := []struct {
		name, id, tok string
		now           time.Time
		ok            bool
	}{
		{"good", "m1", good, now, true},
		{"good until just before expiry", "m1", good, now.Add(TokenLife - time.Second), true},
		{"expired", "m1", good, now.Add(TokenLife), false},
		{"another meeting", "m2", good, now, false},
		{"another secret", "m1", SignInToken([]byte("x"), "m1", now.Add(TokenLife)), now, false},
		{"dated too far ahead", "m1", SignInToken(secret, "m1", now.Add(24*time.Hour)), now, false},
		{"mac changed", "m1", good[:len(good)-1] + "A", now, false},
		{"garbage", "m1", "not-a-token", now, false},
		{"empty", "m1", "", now, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckSignInToken(secret, c.id, c.tok, c.now)
			if (err == nil) != c.ok {
				t.Errorf("err %v, want ok=%v", err, c.ok)
			}
		})
	}
}

func FuzzParseSignInToken(f *testing.F) {
	f.Add(SignInToken([]byte("k"), "m1", at(9, 9, 0)))
	f.Add("zz.AAAAAAAAAAAAAAAAAAAAAAAA")
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		exp, mac, err := ParseSignInToken(tok)
		if err == nil && (exp.IsZero() || len(mac) != 18) {
			t.Errorf("accepted %q as %v %x", tok, exp, mac)
		}
		_ = CheckSignInToken([]byte("k"), "m1", tok, at(9, 9, 0))
	})
}

func TestRostrumOrder(t *testing.T) {
	cases := map[int][]int{0: nil, 1: {0}, 2: {0, 1}, 3: {2, 0, 1}, 4: {2, 0, 1, 3}, 5: {4, 2, 0, 1, 3}, 6: {4, 2, 0, 1, 3, 5}}
	for n, want := range cases {
		if got := RostrumOrder(n); !slices.Equal(got, want) {
			t.Errorf("%d: %v, want %v (ranks from 0, as the audience sees them)", n, got, want)
		}
	}
}

func TestSeating(t *testing.T) {
	m := noticed()
	m.Invitees = append(m.Invitees, Invitee{PersonID: "镇长", UnitID: "镇"}, Invitee{PersonID: "书记", UnitID: "政府", Rostrum: true},
		Invitee{PersonID: "科长", UnitID: "发改局"})
	_ = m.Answer(actor("副区长"), "副区长", Reply{Answer: Absent, Reason: "出差"}, at(8, 9, 0))
	_ = m.Answer(actor("局长"), "局长", Reply{Answer: Substitute, SubName: "王五", SubPost: "副局长"}, at(8, 9, 0))
	order := map[string]int{"发改局": 1, "镇": 2}
	p := Seating(m, func(u string) int { return order[u] }, 2, func(iv Invitee) (string, string) {
		if iv.Reply != nil && iv.Reply.Answer == Substitute {
			return iv.Reply.SubName, iv.Reply.SubPost
		}
		return iv.PersonID, ""
	})
	var top []string
	for _, s := range p.Rostrum {
		top = append(top, s.Name)
	}
	if !slices.Equal(top, []string{"区长", "书记"}) {
		t.Errorf("rostrum %v", top)
	}
	var rows [][]string
	for _, r := range p.Rows {
		var names []string
		for _, s := range r {
			names = append(names, s.Name)
		}
		rows = append(rows, names)
	}
	if len(rows) != 2 || !slices.Equal(rows[0], []string{"王五", "科长"}) || !slices.Equal(rows[1], []string{"镇长"}) {
		t.Errorf("rows %v", rows)
	}
}
