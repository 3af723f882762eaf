package inforeport

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

var (
	loc = time.FixedZone("CST", 8*3600)
	t0  = time.Date(2026, 3, 2, 9, 0, 0, 0, loc)
)

func submit(t *testing.T, id, unit string, at time.Time) Report {
	t.Helper()
	r, err := Submit(id, "office", unit, "p-"+unit, Draft{Title: "标题" + id, Body: "正文" + id, Category: Economy}, nil, at)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func refused(err error) bool {
	var r *Refusal
	return errors.As(err, &r) || errors.Is(err, textlimit.ErrTooLong)
}

func TestSubmitChecks(t *testing.T) {
	sol := Solicitation{ID: "s1", OfficeID: "office", Topic: "一季度经济", Units: []string{"town1"}, Due: t0}
	cases := []struct {
		name string
		d    Draft
		unit string
		sol  *Solicitation
		ok   bool
		late bool
	}{
		{"plain", Draft{Title: "a", Body: "b", Category: Economy}, "town1", nil, true, false},
		{"no title", Draft{Body: "b", Category: Economy}, "town1", nil, false, false},
		{"no body", Draft{Title: "a", Body: "  ", Category: Economy}, "town1", nil, false, false},
		{"bad category", Draft{Title: "a", Body: "b", Category: "x"}, "town1", nil, false, false},
		{"bad urgency", Draft{Title: "a", Body: "b", Category: Economy, Urgency: "x"}, "town1", nil, false, false},
		{"long title", Draft{Title: strings.Repeat("字", MaxTitle+1), Body: "b", Category: Economy}, "town1", nil, false, false},
		{"bad level", Draft{Title: "a", Body: "b", Category: Economy, Level: 3}, "town1", nil, false, false},
		{"answers on time", Draft{Title: "a", Body: "b", Category: Economy, SolicitationID: "s1"}, "town1", &sol, true, false},
		{"not asked", Draft{Title: "a", Body: "b", Category: Economy, SolicitationID: "s1"}, "town2", &sol, false, false},
		{"no such solicitation", Draft{Title: "a", Body: "b", Category: Economy, SolicitationID: "s2"}, "town1", &sol, false, false},
		{"with a file", Draft{Title: "a", Body: "b", Category: Economy, Attachments: []Attachment{{Name: "表.xlsx", SHA256: "ab12", Size: 9}}}, "town1", nil, true, false},
		{"file without content", Draft{Title: "a", Body: "b", Category: Economy, Attachments: []Attachment{{Name: "表.xlsx"}}}, "town1", nil, false, false},
		{"file without name", Draft{Title: "a", Body: "b", Category: Economy, Attachments: []Attachment{{Name: " ", SHA256: "ab12"}}}, "town1", nil, false, false},
		{"too many files", Draft{Title: "a", Body: "b", Category: Economy, Attachments: manyFiles(MaxAttachments + 1)}, "town1", nil, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Submit("r1", "office", c.unit, "p1", c.d, c.sol, t0.Add(-time.Hour))
			if c.ok != (err == nil) {
				t.Fatalf("err = %v, want ok=%v", err, c.ok)
			}
			if err != nil {
				if !refused(err) {
					t.Fatalf("not a refusal: %T %v", err, err)
				}
				return
			}
			if r.State != Submitted || len(r.Versions) != 1 || r.Sources[0].UnitID != c.unit || r.Sources[0].Late != c.late || r.Urgency != Normal {
				t.Fatalf("report = %+v", r)
			}
		})
	}
	late, err := Submit("r2", "office", "town1", "p1", Draft{Title: "a", Body: "b", Category: Economy, SolicitationID: "s1"}, &sol, t0.Add(time.Minute))
	if err != nil || !late.Sources[0].Late {
		t.Fatalf("late answer: %v %+v", err, late.Sources)
	}
}

func TestLifecycle(t *testing.T) {
	r := submit(t, "r1", "town1", t0)
	steps := []struct {
		name string
		op   func(Report) (Report, error)
		ok   bool
		want State
	}{
		{"record adoption before adopt", func(r Report) (Report, error) {
			return RecordAdoption(r, "ed", City, "《云泽信息》", t0, t0.Add(time.Hour))
		}, false, Submitted},
		{"instruction before adopt", func(r Report) (Report, error) {
			return AddInstruction(r, "ed", Instruction{Leader: "王书记", Text: "阅", At: t0}, t0.Add(time.Hour))
		}, false, Submitted},
		{"edit", func(r Report) (Report, error) {
			return Edit(r, "ed", "新标题", "正文r1改", "精简", t0.Add(time.Hour))
		}, true, Editing},
		{"edit unchanged", func(r Report) (Report, error) {
			return Edit(r, "ed", "新标题", "正文r1改", "", t0.Add(time.Hour))
		}, false, Editing},
		{"decline without reason", func(r Report) (Report, error) { return Decline(r, "ed", " ", t0.Add(time.Hour)) }, false, Editing},
		{"adopt without outlet", func(r Report) (Report, error) { return Adopt(r, "ed", "", t0, t0.Add(2*time.Hour)) }, false, Editing},
		{"adopt", func(r Report) (Report, error) { return Adopt(r, "ed", "《清澜信息》", t0, t0.Add(2*time.Hour)) }, true, Adopted},
		{"edit after adopt", func(r Report) (Report, error) { return Edit(r, "ed", "x", "y", "", t0.Add(3*time.Hour)) }, false, Adopted},
		{"city adoption", func(r Report) (Report, error) {
			return RecordAdoption(r, "ed", City, "市委办《每日汇报》", t0.Add(24*time.Hour), t0.Add(25*time.Hour))
		}, true, Adopted},
		{"same city adoption twice", func(r Report) (Report, error) {
			return RecordAdoption(r, "ed", City, "市委办《每日汇报》", t0.Add(24*time.Hour), t0.Add(25*time.Hour))
		}, false, Adopted},
		{"adoption dated in the future", func(r Report) (Report, error) {
			return RecordAdoption(r, "ed", Province, "省委办", t0.Add(48*time.Hour), t0.Add(25*time.Hour))
		}, false, Adopted},
		{"instruction", func(r Report) (Report, error) {
			return AddInstruction(r, "ed", Instruction{Leader: "市委书记 李明", Level: City, Text: "请区政府抓好落实", At: t0.Add(30 * time.Hour)}, t0.Add(31*time.Hour))
		}, true, Adopted},
		{"link supervision", func(r Report) (Report, error) { return LinkSupervision(r, 0, "ed", "sup1", t0.Add(32*time.Hour)) }, true, Adopted},
		{"link twice", func(r Report) (Report, error) { return LinkSupervision(r, 0, "ed", "sup2", t0.Add(32*time.Hour)) }, false, Adopted},
		{"link missing", func(r Report) (Report, error) { return LinkSupervision(r, 3, "ed", "sup2", t0.Add(32*time.Hour)) }, false, Adopted},
	}
	for _, s := range steps {
		next, err := s.op(r)
		if s.ok != (err == nil) {
			t.Fatalf("%s: err = %v", s.name, err)
		}
		if err != nil && !refused(err) {
			t.Fatalf("%s: not a refusal: %v", s.name, err)
		}
		if err == nil {
			r = next
		}
		if r.State != s.want {
			t.Fatalf("%s: state %s, want %s", s.name, r.State, s.want)
		}
	}
	if r.TopLevel() != City || !r.AdoptedAt(District) || r.Instructions[0].SupItemID != "sup1" || len(r.Versions) != 2 {
		t.Fatalf("report = %+v", r)
	}
	rl, err := r.Redline(1, 2)
	if err != nil || rl.Inserted == 0 || rl.Deleted == 0 {
		t.Fatalf("redline = %+v, %v", rl, err)
	}
	if _, err := r.Redline(1, 9); err == nil {
		t.Fatal("redline of a missing version")
	}
}

func TestReturnAndResubmit(t *testing.T) {
	r := submit(t, "r1", "town1", t0)
	r, err := Return(r, "ed", "数据不准确", t0.Add(time.Hour))
	if err != nil || r.State != Returned || r.Returns != 1 {
		t.Fatalf("return: %v %+v", err, r)
	}
	if _, err := Adopt(r, "ed", "x", t0, t0.Add(2*time.Hour)); err == nil {
		t.Fatal("adopted a returned report")
	}
	r, err = Resubmit(r, "p-town1", "标题r1", "正文已核实", nil, t0.Add(3*time.Hour))
	if err != nil || r.State != Submitted || r.Reason != "" || len(r.Versions) != 2 {
		t.Fatalf("resubmit: %v %+v", err, r)
	}
	if _, err := Resubmit(r, "p-town1", "a", "b", nil, t0.Add(4*time.Hour)); err == nil {
		t.Fatal("resubmitted an open report")
	}
}

func TestMerge(t *testing.T) {
	a, b := submit(t, "a", "town1", t0), submit(t, "b", "town2", t0.Add(time.Hour))
	b.Level, b.Urgency = 1, Urgent
	item, srcs, err := Merge("m", "ed", "", "", "", []Report{a, b}, t0.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got := item.Credits(); len(got) != 2 || got[0] != "town1" || got[1] != "town2" {
		t.Fatalf("credits = %v", got)
	}
	if item.Level != 1 || item.Urgency != Urgent || item.Title != "标题a" || !item.SubmittedAt.Equal(t0) || item.State != Editing {
		t.Fatalf("item = %+v", item)
	}
	for _, s := range srcs {
		if s.State != Merged || s.MergedInto != "m" {
			t.Fatalf("source = %+v", s)
		}
	}
	bad := []struct {
		name string
		rs   []Report
	}{
		{"one", []Report{a}},
		{"twice", []Report{a, a}},
		{"closed", []Report{a, srcs[1]}},
		{"other office", []Report{a, func() Report { c := b; c.OfficeID = "x"; return c }()}},
	}
	for _, c := range bad {
		if _, _, err := Merge("m2", "ed", "", "", "", c.rs, t0); err == nil || !refused(err) {
			t.Errorf("%s: err = %v", c.name, err)
		}
	}
}

func TestSolicitationAnswers(t *testing.T) {
	s, err := NewSolicitation("s", "office", "ed", "春耕生产", "", t0.Add(48*time.Hour), []string{"t1", "t2", "t3", "t1"}, t0)
	if err != nil || len(s.Units) != 3 {
		t.Fatalf("%v %+v", err, s)
	}
	for _, bad := range []func() error{
		func() error {
			_, err := NewSolicitation("s", "o", "ed", "", "", t0.Add(time.Hour), []string{"t1"}, t0)
			return err
		},
		func() error { _, err := NewSolicitation("s", "o", "ed", "x", "", t0, []string{"t1"}, t0); return err },
		func() error {
			_, err := NewSolicitation("s", "o", "ed", "x", "", t0.Add(time.Hour), nil, t0)
			return err
		},
	} {
		if err := bad(); err == nil {
			t.Fatal("accepted a bad solicitation")
		}
	}
	on := submit(t, "r1", "t1", t0.Add(time.Hour))
	on.SolicitationID = "s"
	late := submit(t, "r2", "t2", t0.Add(72*time.Hour))
	late.SolicitationID = "s"
	at := t0.Add(50 * time.Hour) // after the date, before t2 answers
	got := s.Answers([]Report{on}, at)
	if !got[0].OnTime || got[1].Answered || !got[1].Overdue || !got[2].Overdue {
		t.Fatalf("answers = %+v", got)
	}
	urge := s.ToUrge([]Report{on}, at)
	if len(urge) != 2 {
		t.Fatalf("urge = %v", urge)
	}
	s = s.MarkUrged(urge, at)
	if again := s.ToUrge([]Report{on}, at.Add(time.Hour)); len(again) != 0 {
		t.Fatalf("urged twice in a day: %v", again)
	}
	if again := s.ToUrge([]Report{on, late}, at.Add(25*time.Hour)); len(again) != 1 || again[0] != "t3" {
		t.Fatalf("next day = %v", again)
	}
	if subj, body := UrgeText(s, "清河镇"); !strings.Contains(subj, "春耕生产") || !strings.Contains(body, "清河镇") {
		t.Fatal(subj, body)
	}
}

func TestCompileIssue(t *testing.T) {
	a := submit(t, "a", "town1", t0)
	a, _ = Adopt(a, "ed", "《信息专报》", t0, t0)
	b := submit(t, "b", "town2", t0)
	b, _ = Adopt(b, "ed", "《每日要情》", t0, t0)
	open := submit(t, "c", "town3", t0)
	cases := []struct {
		name string
		p    Publication
		rs   []Report
		ok   bool
	}{
		{"special one", Special, []Report{a}, true},
		{"special two", Special, []Report{a, b}, false},
		{"daily two", Daily, []Report{a, b}, true},
		{"not adopted", Daily, []Report{a, open}, false},
		{"empty", Dynamics, nil, false},
		{"bad publication", "x", []Report{a}, false},
		{"twice", Daily, []Report{a, a}, false},
	}
	for _, c := range cases {
		is, err := Compile("i", "office", "中共云泽市清澜区委办公室", "ed", c.p, "", c.rs, t0)
		if c.ok != (err == nil) {
			t.Errorf("%s: err = %v", c.name, err)
		}
		if err == nil && (is.Title != a.Title || len(is.Items) != len(c.rs)) {
			t.Errorf("%s: issue = %+v", c.name, is)
		}
	}
	is, _ := Compile("i", "office", "中共云泽市清澜区委办公室", "ed", Daily, "要情", []Report{a, b}, t0)
	is.Year, is.Seq = 2026, 12
	if is.Number() != "2026年第12期" || is.Masthead().Name != "每日要情" || is.Masthead().Date != "2026年3月2日" {
		t.Fatalf("masthead = %+v", is.Masthead())
	}
	text := is.Text([]Report{a, b}, func(id string) string { return map[string]string{"town1": "清河镇", "town2": "柳塘镇"}[id] })
	if !strings.Contains(text, "一、标题a") || !strings.Contains(text, "二、标题b") || !strings.Contains(text, "（柳塘镇报送）") {
		t.Fatal(text)
	}
	a = Carried(a, is, t0)
	if a = Carried(a, is, t0); len(a.Issues) != 1 {
		t.Fatalf("issues = %v", a.Issues)
	}
	if chineseOrdinal(21) != "二十一" || chineseOrdinal(10) != "十" || chineseOrdinal(13) != "十三" {
		t.Fatal("ordinal")
	}
}

func manyFiles(n int) []Attachment {
	out := make([]Attachment, n)
	for i := range out {
		out[i] = Attachment{Name: fmt.Sprintf("附件%d.pdf", i+1), SHA256: fmt.Sprintf("%064x", i+1)}
	}
	return out
}

// TestAttachments: a report keeps the files it came with through a return
// (the resubmission adds, never drops), finds them by content address only,
// and a merged item carries every source's files once.
func TestAttachments(t *testing.T) {
	a := Attachment{Name: "数据表.xlsx", SHA256: strings.Repeat("a", 64), Size: 10, MediaType: "application/zip"}
	b := Attachment{Name: "现场照片.jpg", SHA256: strings.Repeat("b", 64), Size: 20, MediaType: "image/jpeg"}
	r, err := Submit("r1", "office", "town1", "p1", Draft{Title: "标题", Body: "正文", Category: Economy, Attachments: []Attachment{a}}, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := r.File(a.SHA256); !ok || got != a {
		t.Fatalf("File(a) = %v %v", got, ok)
	}
	for _, sha := range []string{"", b.SHA256, "../x"} {
		if _, ok := r.File(sha); ok {
			t.Fatalf("File(%q) found", sha)
		}
	}
	r, _ = Return(r, "ed", "请补充数据", t0.Add(time.Hour))
	r2, err := Resubmit(r, "p1", "标题", "正文补充", []Attachment{b, a}, t0.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(r2.Attachments) != 2 || r2.Attachments[0] != a || r2.Attachments[1] != b {
		t.Fatalf("after resubmit: %v", r2.Attachments)
	}
	if len(r.Attachments) != 1 {
		t.Fatal("Resubmit changed its input")
	}
	r3, _ := Return(r2, "ed", "再改", t0.Add(3*time.Hour))
	if _, err := Resubmit(r3, "p1", "标题", "正文", manyFiles(MaxAttachments-1), t0.Add(4*time.Hour)); !refused(err) {
		t.Fatalf("resubmit beyond %d files: %v", MaxAttachments, err)
	}
	s2, _ := Submit("r2", "office", "town2", "p2", Draft{Title: "标题2", Body: "正文2", Category: Economy, Attachments: []Attachment{b}}, nil, t0)
	s3 := submit(t, "r3", "town3", t0)
	item, _, err := Merge("m1", "ed", "", "", "", []Report{r2, s2, s3}, t0.Add(5*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(item.Attachments) != 2 || item.Attachments[0] != a || item.Attachments[1] != b {
		t.Fatalf("merged item files: %v", item.Attachments)
	}
}

// TestIssueDocument: an issue goes out as a 纪要-format document whose 版头
// is the publication, signed and dated by the compiling office, with the
// items' text and every item's files once; it is distributed once, to the
// units chosen (each once).
func TestIssueDocument(t *testing.T) {
	f1 := Attachment{Name: "表.xlsx", SHA256: strings.Repeat("c", 64)}
	a, _ := Submit("a", "office", "town1", "p1", Draft{Title: "标题a", Body: "正文a", Category: Economy, Level: 1, Attachments: []Attachment{f1}}, nil, t0)
	a, _ = Adopt(a, "ed", "《每日要情》", t0, t0)
	b, _ := Submit("b", "office", "town2", "p2", Draft{Title: "标题b", Body: "正文b", Category: Economy, Attachments: []Attachment{f1}}, nil, t0)
	b, _ = Adopt(b, "ed", "《每日要情》", t0, t0)
	is, err := Compile("i", "office", "清澜区人民政府办公室", "ed", Daily, "要情", []Report{a, b}, t0)
	if err != nil {
		t.Fatal(err)
	}
	is.Year, is.Seq = 2026, 3
	d := is.Document([]Report{a, b}, func(id string) string { return map[string]string{"town1": "清河镇", "town2": "柳塘镇"}[id] })
	if d.Type != document.Minutes || d.IssuerMark != "每日要情" || d.Title != "要情" || len(d.Signatures) != 1 || d.Signatures[0] != "清澜区人民政府办公室" ||
		d.Date != document.DateOf(t0) || d.Classification.Level != 1 {
		t.Fatalf("document = %+v", d)
	}
	if text := d.Body.String(); !strings.Contains(text, "一、标题a") || !strings.Contains(text, "（柳塘镇报送）") {
		t.Fatalf("body = %s", text)
	}
	if len(d.Attachments) != 1 || d.Attachments[0] != f1 {
		t.Fatalf("files = %v", d.Attachments)
	}
	cases := []struct {
		name  string
		is    Issue
		doc   string
		units []string
		want  []string
	}{
		{"units once", is, "d1", []string{"u1", " u2", "u1", ""}, []string{"u1", "u2"}},
		{"no units", is, "d1", []string{" "}, nil},
		{"no document", is, "", []string{"u1"}, nil},
		{"twice", Issue{DocumentID: "d0"}, "d1", []string{"u1"}, nil},
		{"too many", is, "d1", func() []string {
			var us []string
			for i := range MaxUnits + 1 {
				us = append(us, fmt.Sprint("u", i))
			}
			return us
		}(), nil},
	}
	for _, c := range cases {
		got, err := Distribute(c.is, c.doc, c.units)
		if (c.want != nil) != (err == nil) {
			t.Fatalf("%s: %v", c.name, err)
		}
		if err != nil {
			if !refused(err) {
				t.Fatalf("%s: not a refusal: %v", c.name, err)
			}
			continue
		}
		if got.DocumentID != c.doc || fmt.Sprint(got.Recipients) != fmt.Sprint(c.want) || is.DocumentID != "" {
			t.Fatalf("%s: %+v", c.name, got)
		}
	}
}
