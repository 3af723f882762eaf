package drafting

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParagraphs(t *testing.T) {
	for _, c := range []struct {
		name, body string
		want       []string
	}{
		{"empty", "", nil},
		{"one", "为做好防汛工作，现通知如下：", []string{"为做好防汛工作，现通知如下："}},
		{"lines", "一、基本情况\n\n  近年来，我区防汛形势严峻。\r\n特此通知。", []string{"一、基本情况", "近年来，我区防汛形势严峻。", "特此通知。"}},
		{"full-width spaces", "\u3000\u3000各街道要落实责任。\u3000", []string{"各街道要落实责任。"}},
		{"blank only", " \n\t\n\u3000", nil},
		{"lone CR", "甲\r乙", []string{"甲乙"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Paragraphs(c.body); !slices.Equal(got, c.want) {
				t.Fatalf("Paragraphs(%q) = %q, want %q", c.body, got, c.want)
			}
		})
	}
}

var corpus = []Candidate{
	{"关于做好2025年防汛工作的通知", "为做好今年汛期防汛工作，确保人民群众生命财产安全，现就有关事项通知如下：\n一、压实防汛责任\n各街道、各部门主要负责同志是本地区本部门防汛工作第一责任人，要亲自部署、亲自检查。\n二、加强隐患排查\n对河道、水库、地质灾害隐患点开展拉网式排查，建立台账，限期整改。\n特此通知。"},
	{"关于开展安全生产大检查的通知", "为深刻吸取事故教训，现就开展安全生产大检查有关事项通知如下：\n一、检查范围\n全区危险化学品、建筑施工、道路交通等重点行业领域。\n特此通知。"},
	{"关于做好2024年防汛工作的通知", "为切实做好汛期防汛工作，现就有关事项通知如下：\n一、压实防汛责任\n各街道主要负责同志是防汛工作第一责任人，要靠前指挥。\n特此通知。"},
	{"关于印发机关会议管理办法的通知", "现将《机关会议管理办法》印发给你们，请认真贯彻执行。\n特此通知。"},
}

func TestRankDocuments(t *testing.T) {
	for _, c := range []struct {
		name, title, body string
		first             []int // the expected order of the best
		absent            []int // never offered
	}{
		{"same matter by title", "关于做好2026年防汛工作的通知", "", []int{0, 2}, []int{3}},
		{"body decides between title twins", "关于做好防汛工作的通知", "对河道、水库、地质灾害隐患点开展排查，建立台账。", []int{0, 2}, []int{3}},
		{"another matter", "关于开展安全生产检查的通知", "", []int{1}, nil},
		{"template placeholders alone match nothing", "关于××的通知", "××。", nil, []int{0, 1, 2, 3}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := RankDocuments(c.title, c.body, corpus)
			var order []int
			for _, s := range got {
				order = append(order, s.Index)
				if s.Score < MinScore || s.Score > 1.0001 {
					t.Errorf("score %v out of range", s.Score)
				}
			}
			if len(order) < len(c.first) || !slices.Equal(order[:len(c.first)], c.first) {
				t.Errorf("order %v, want it to start %v (%+v)", order, c.first, got)
			}
			for _, a := range c.absent {
				if slices.Contains(order, a) {
					t.Errorf("candidate %d offered: %+v", a, got)
				}
			}
		})
	}
}

func TestRankParagraphs(t *testing.T) {
	for _, c := range []struct {
		name, sel string
		want      []ParagraphRef // Doc and N of the first ones
	}{
		{"responsibility", "各街道主要负责同志是本地区防汛第一责任人", []ParagraphRef{{Doc: 2, N: 2}, {Doc: 0, N: 2}}},
		{"hazards", "开展隐患排查，建立台账", []ParagraphRef{{Doc: 0, N: 4}}},
		{"headings and closings are not offered", "特此通知。", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := RankParagraphs(c.sel, corpus, 5)
			if len(got) < len(c.want) {
				t.Fatalf("got %+v, want at least %d", got, len(c.want))
			}
			for i, w := range c.want {
				if got[i].Doc != w.Doc || got[i].N != w.N {
					t.Errorf("hit %d is doc %d ¶%d, want doc %d ¶%d (%+v)", i, got[i].Doc, got[i].N, w.Doc, w.N, got)
				}
				if got[i].Text != Paragraphs(corpus[w.Doc].Body)[w.N] {
					t.Errorf("hit %d text %q", i, got[i].Text)
				}
			}
			for _, g := range got {
				if utf8.RuneCountInString(g.Text) < MinParagraphRunes {
					t.Errorf("short paragraph offered: %q", g.Text)
				}
			}
		})
	}
	// The selection itself is not offered back.
	self := Paragraphs(corpus[0].Body)[2]
	for _, g := range RankParagraphs(self, corpus, 10) {
		if g.Text == self {
			t.Fatalf("the selected paragraph was offered back")
		}
	}
}

func TestTitleMatter(t *testing.T) {
	for _, c := range []struct{ title, want string }{
		{"关于做好2025年防汛工作的通知", "做好2025年防汛工作"},
		{"关于××的请示", "××"},
		{"关于印发机关会议管理办法的通知", "印发机关会议管理办法"},
		{"清澜区2025年政府工作报告", "清澜区2025年政府工作报告"},
		{"关于表彰先进的决定", "表彰先进"},
		{"关于下达目标的批复的通知", "下达目标的批复"},
	} {
		if got := TitleMatter(c.title); got != c.want {
			t.Errorf("TitleMatter(%q) = %q, want %q", c.title, got, c.want)
		}
	}
}

func TestSourceNote(t *testing.T) {
	for _, c := range []struct{ number, title, want string }{
		{"清政办发〔2025〕12号", "关于做好防汛工作的通知", "（参照：清政办发〔2025〕12号《关于做好防汛工作的通知》）"},
		{"", "关于做好防汛工作的通知", "（参照：《关于做好防汛工作的通知》）"},
		{" 清政办发〔2025〕12号 ", "", "（参照：清政办发〔2025〕12号）"},
	} {
		if got := SourceNote(c.number, c.title); got != c.want {
			t.Errorf("SourceNote(%q, %q) = %q, want %q", c.number, c.title, got, c.want)
		}
	}
}

// FuzzParagraphs: any text splits into trimmed, non-empty, line-free
// paragraphs whose text is all there, and ranking them never fails.
func FuzzParagraphs(f *testing.F) {
	for _, c := range corpus {
		f.Add(c.Body, c.Title)
	}
	f.Add("\r\n\u3000\n", "××")
	f.Fuzz(func(t *testing.T, body, sel string) {
		ps := Paragraphs(body)
		for _, p := range ps {
			if p == "" || strings.ContainsAny(p, "\n\r") || strings.TrimSpace(p) != p {
				t.Fatalf("paragraph %q", p)
			}
			if !strings.Contains(strings.ReplaceAll(body, "\r", ""), p) {
				t.Fatalf("paragraph %q not in the body", p)
			}
		}
		for _, r := range RankParagraphs(sel, []Candidate{{Title: sel, Body: body}}, 3) {
			if r.N >= len(ps) || ps[r.N] != r.Text || r.Score < 0 || r.Score > 1 {
				t.Fatalf("ref %+v of %q", r, ps)
			}
		}
		for _, s := range RankDocuments(sel, body, []Candidate{{Title: sel, Body: body}}) {
			if s.Score < 0 || s.Score > 1.0001 {
				t.Fatalf("score %v", s.Score)
			}
		}
	})
}
