package supervise

import "testing"

func newProposal(id string) NewItem {
	return NewItem{
		ID: id, Source: FromNPC, Ref: "2026-012", Title: "关于加快城区停车场建设的建议",
		Instruction: "建议在老城区新建立体停车场……", Office: "dcs",
		Units:    []Unit{{UnitID: "town1", Lead: true, Responsible: "a1"}},
		Schedule: Schedule{Kind: Monthly, Day: 25},
		Proposal: &ProposalInfo{Number: "第12号", Proposer: "王代表"},
	}
}

var answerLetter = []Attachment{{Name: "答复函.pdf", SHA256: sha}}

func TestProposalLife(t *testing.T) {
	r, sw := rules(t), sweep(t)
	ok := must(t)
	it := ok(r.Create(newProposal("jy-12"), sup, at(3, 2, 9, 0)))
	it = ok(r.Assign(it, sup, at(3, 2, 9, 30)))
	// Three months from assignment: 2 June at the close of office.
	if want := at(6, 2, 17, 30); !it.Deadline.Due.Equal(want) {
		t.Fatalf("legal deadline %v, want %v", it.Deadline.Due, want)
	}
	it = ok(r.SignFor(it, townA, "town1", at(3, 2, 10, 0)))
	// No answer without a record of 沟通.
	refused(t, "沟通")(r.RequestClose(it, townA, Evidence{Text: "答复如下", Attachments: answerLetter}, at(4, 1, 9, 0)))
	refused(t, "沟通方式")(r.RecordContact(it, townA, Contact{Way: "电话"}, at(4, 1, 9, 0)))
	refused(t, "牵头单位")(r.RecordContact(it, deptB, Contact{Way: "电话", Note: "x"}, at(4, 1, 9, 0)))
	refused(t, "现在之前")(r.RecordContact(it, townA, Contact{At: at(4, 2, 9, 0), Way: "电话", Note: "x"}, at(4, 1, 9, 0)))
	it = ok(r.RecordContact(it, townA, Contact{At: at(3, 30, 15, 0), Way: "当面", Note: "王代表赞同分步建设"}, at(4, 1, 9, 0)))
	refused(t, "答复函")(r.RequestClose(it, townA, Evidence{Text: "答复如下"}, at(4, 1, 9, 0)))
	it = ok(r.RequestClose(it, townA, Evidence{Text: "答复如下", Attachments: answerLetter}, at(4, 1, 9, 0)))
	if it.Proposal.Rounds[0].Answer == 0 {
		t.Fatal("answer not recorded")
	}
	refused(t, "答复办结后")(r.RecordSatisfaction(it, sup, Satisfied, "", at(4, 1, 10, 0)))
	it = ok(r.Review(it, sup, true, "", at(4, 2, 9, 0)))

	// 不满意 reopens for a second handling, due a month later.
	refused(t, "意见")(r.RecordSatisfaction(it, sup, Unsatisfied, "", at(4, 20, 9, 0)))
	refused(t, "满意度应为")(r.RecordSatisfaction(it, sup, "meh", "", at(4, 20, 9, 0)))
	it = ok(r.RecordSatisfaction(it, sup, Unsatisfied, "选址不合理", at(4, 20, 9, 0)))
	if it.State != Assigned || len(it.Proposal.Rounds) != 2 || len(it.PastRoutes) != 1 || !it.ClosedAt.IsZero() {
		t.Fatalf("after 不满意: state %s rounds %d", it.State, len(it.Proposal.Rounds))
	}
	if want := at(5, 20, 17, 30); !it.Deadline.Due.Equal(want) {
		t.Fatalf("second deadline %v, want %v", it.Deadline.Due, want)
	}
	if got := it.Proposal.Rounds[0].Satisfaction; got != Unsatisfied {
		t.Fatalf("first round verdict lost: %s", got)
	}
	it = ok(r.SignFor(it, townA, "town1", at(4, 20, 10, 0)))
	// The first round's 沟通 does not count for the second answer.
	refused(t, "沟通")(r.RequestClose(it, townA, Evidence{Text: "再次答复", Attachments: answerLetter}, at(5, 6, 9, 0)))
	it = ok(r.RecordContact(it, townA, Contact{Way: "实地察看", Note: "陪同代表察看新址"}, at(5, 6, 9, 0)))
	it = ok(r.RequestClose(it, townA, Evidence{Text: "再次答复", Attachments: answerLetter}, at(5, 6, 10, 0)))
	it = ok(r.Review(it, sup, true, "", at(5, 7, 9, 0)))
	it = ok(r.RecordSatisfaction(it, sup, BasicSatisfied, "", at(5, 15, 9, 0)))
	refused(t, "已登记")(r.RecordSatisfaction(it, sup, Satisfied, "", at(5, 16, 9, 0)))
	if s, _ := it.Proposal.Latest(); it.State != Closed || s != BasicSatisfied {
		t.Fatalf("end: %s %s", it.State, s)
	}
	if c := sw.ColorAt(&it, at(6, 1, 9, 0)); c != Off {
		t.Fatalf("closed proposal light %s", c)
	}
}

func TestProposalDeadlineIsConfigurable(t *testing.T) {
	r := rules(t)
	r.ProposalMonths = 2
	it := must(t)(r.Create(newProposal("jy-1"), sup, at(3, 2, 9, 0)))
	it = must(t)(r.Assign(it, sup, at(3, 31, 9, 30)))
	// Two months from 31 March is 31 May, a Sunday: the next working day, 1 June.
	if want := at(6, 1, 17, 30); !it.Deadline.Due.Equal(want) {
		t.Fatalf("deadline %v, want %v", it.Deadline.Due, want)
	}
	// An explicit deadline on a proposal wins over the default.
	n := newProposal("jy-2")
	n.Deadline = DeadlineSpec{Workdays: 20}
	it = must(t)(r.Create(n, sup, at(3, 2, 9, 0)))
	it = must(t)(r.Assign(it, sup, at(3, 2, 9, 30)))
	if want, _ := r.Calendar.AddWorkdays(at(3, 2, 9, 30), 20); !it.Deadline.Due.Equal(want) {
		t.Fatalf("explicit deadline %v", it.Deadline.Due)
	}
}

func TestSecondRoundWarningsHaveTheirOwnKeys(t *testing.T) {
	r, sw := rules(t), sweep(t)
	it := must(t)(r.Create(newProposal("jy-3"), sup, at(3, 2, 9, 0)))
	it = must(t)(r.Assign(it, sup, at(3, 2, 9, 30)))
	it = must(t)(r.SignFor(it, townA, "town1", at(3, 2, 10, 0)))
	it = must(t)(r.RecordContact(it, townA, Contact{Way: "电话", Note: "x"}, at(3, 3, 9, 0)))
	it = must(t)(r.RequestClose(it, townA, Evidence{Text: "答复", Attachments: answerLetter}, at(3, 3, 10, 0)))
	it = must(t)(r.Review(it, sup, true, "", at(3, 3, 11, 0)))
	it = must(t)(r.RecordSatisfaction(it, sup, Unsatisfied, "未解决", at(3, 10, 9, 0)))
	keys := keysOf(t, sw.Due(&it, nil, at(3, 1, 0, 0), at(7, 1, 0, 0)))
	var overdue []string
	for _, k := range keys {
		if len(k) > len("jy-3/overdue/") && k[:len("jy-3/overdue/")] == "jy-3/overdue/" {
			overdue = append(overdue, k)
		}
	}
	// Round 1 was answered before its deadline; round 2 (due 10 April) was not.
	if len(overdue) != 1 || overdue[0] != "jy-3/overdue//202604101730" {
		t.Fatalf("overdue keys %v", overdue)
	}
}
