package layout

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTitleBreaks(t *testing.T) {
	r := testRenderer(t)
	for _, tc := range []struct{ title, want string }{
		{"枢纽市人民政府关于申请设立枢纽高新技术产业开发区的请示", "枢纽市人民政府关于|申请设立枢纽高新技术产业开发区的请示"},
		{"关于进一步加强和改进新形势下机关公文处理工作的若干意见", "关于进一步加强和改进新形势下|机关公文处理工作的若干意见"},
		{"枢纽市人民政府关于做好2024年春节期间安全生产工作的通知", "枢纽市人民政府关于|做好2024年春节期间安全生产工作的通知"},
	} {
		pages, err := r.Pages(&Document{Title: tc.title, Body: []Paragraph{{Text: "正文。"}}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, tx := range pages[0].Texts {
			if tx.Face == FaceXiaoBiaoSong {
				got = append(got, tx.String())
			}
		}
		if strings.Join(got, "|") != tc.want {
			t.Errorf("title lines %q, want %q", got, tc.want)
		}
	}
}

// TestUpwardHead measures the 上行文 版头: 发文字号 1 字 in from the left on
// the line of the last signers, 签发人 right-aligned 1 字 in.
func TestUpwardHead(t *testing.T) {
	pages := extractWords(t, renderPDF(t, loadSource(t, "request.txt"), Options{}))
	p := pages[0]
	num := findLine(t, p, "枢政〔2024〕21号")
	near(t, "上行文 发文字号 left (1 字 in)", num.XMin, MarginLeft+CharPitch)
	first := findLine(t, p, "签发人：")
	near(t, "签发人 right (1 字 in)", first.XMax, blockR-CharPitch)
	if !strings.Contains(num.Text, "张强") {
		t.Errorf("发文字号 should share the line of the last signer: %q", num.Text)
	}
	if !strings.Contains(first.Text, "王明") || !strings.Contains(first.Text, "李华") {
		t.Errorf("first signer line %q should hold two names", first.Text)
	}
}

// TestLongToMovesToColophon: a 主送 that would leave page 1 without body text
// goes to the 版记 as "主送：…", above the 抄送.
func TestLongToMovesToColophon(t *testing.T) {
	d := loadSource(t, "notice.txt")
	d.To = strings.Repeat("枢纽市各区人民政府、", 24) + "市政府各部门"
	pages, err := testRenderer(t).Pages(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var first, last strings.Builder
	for _, tx := range pages[0].Texts {
		first.WriteString(tx.String())
	}
	for _, tx := range pages[len(pages)-1].Texts {
		last.WriteString(tx.String())
	}
	if strings.Contains(first.String(), "各区人民政府、枢纽市") {
		t.Error("the long 主送 is still on page 1")
	}
	if !strings.Contains(first.String(), "春节将至") {
		t.Error("page 1 shows no body text")
	}
	if !strings.Contains(last.String(), "主送：") {
		t.Error("the 版记 lacks the moved 主送")
	}
}

// FuzzTypeset: any source the parser accepts must typeset without a panic,
// keeping every character inside the paper.
func FuzzTypeset(f *testing.F) {
	for _, name := range []string{"notice.txt", "letter.txt", "order.txt", "minutes.txt", "request.txt", "joint.txt", "joint-sealed.txt", "order-joint.txt", "separate.txt"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("标题：" + strings.Repeat("长", 90) + "\n签发人：甲、乙、丙、丁、戊\n发文字号：某发〔2024〕1号\n\nhttps://example.org/" + strings.Repeat("a", 300) + "\n——……（（（\n")
	r := testRenderer(f)
	f.Fuzz(func(t *testing.T, src string) {
		d, err := ParseSource(strings.NewReader(src))
		if err != nil {
			return
		}
		pages, err := r.Pages(d, Options{})
		if err != nil {
			var mg *MissingGlyphsError
			if !errors.As(err, &mg) {
				t.Fatalf("typeset: %v", err)
			}
			return
		}
		for _, p := range pages {
			for _, tx := range p.Texts {
				if tx.Top < 0 || tx.Top > PageHeight {
					t.Fatalf("text %q at %.1f mm is off the page", tx.String(), tx.Top)
				}
			}
			for _, s := range p.Seals {
				if s.X < 0 || s.Y < 0 || s.X+s.W > PageWidth || s.Y+s.H > PageHeight {
					t.Fatalf("seal place %+v is off the page", s)
				}
			}
		}
	})
}
