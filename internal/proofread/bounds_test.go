package proofread

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// TestBounds (issue 11): input from outside is refused over MaxInput with
// a Chinese message, and an ended context stops a check between paragraphs.
func TestBounds(t *testing.T) {
	c := checker(t)
	ctx := context.Background()
	if _, err := c.CheckContext(ctx, strings.Repeat("a ", MaxInput/2)); err != nil {
		t.Fatalf("at MaxInput: %v", err)
	}
	_, err := c.CheckContext(ctx, strings.Repeat("a ", MaxInput/2)+"b")
	if !errors.Is(err, textlimit.ErrTooLong) || err.Error() != "校对的文字不能超过 1024 KB（现有 1025 KB）" {
		t.Errorf("one byte over: %v", err)
	}
	doc := Document{Title: "关于做好防汛工作的通知", Body: []Paragraph{{Text: strings.Repeat("文", MaxInput/3+1)}}}
	if _, err := c.CheckDocumentContext(ctx, doc); !errors.Is(err, textlimit.ErrTooLong) {
		t.Errorf("document over MaxInput: %v", err)
	}
	ended, cancel := context.WithCancel(ctx)
	cancel()
	text := strings.Repeat("为做好防汛工作，现将有关事项通知如下。\n", 100)
	if _, err := c.CheckContext(ended, text); !errors.Is(err, context.Canceled) {
		t.Errorf("ended context: %v", err)
	}
	if _, err := c.CheckDocumentContext(ended, Document{Title: "关于做好防汛工作的通知", Body: []Paragraph{{Text: text}}}); !errors.Is(err, context.Canceled) {
		t.Errorf("ended context, document: %v", err)
	}
	// Check (for trusted input) is unchanged.
	if fs, err := c.CheckContext(ctx, text); err != nil || len(fs) != len(c.Check(text)) {
		t.Errorf("CheckContext and Check differ: %v", err)
	}
}

// TestListLimits: a deployment's lists are bounded too (every check runs
// over every entry), and refused in Chinese.
func TestListLimits(t *testing.T) {
	c := checker(t)
	leaders := func(n int) Config {
		var cfg Config
		for i := range n {
			cfg.Leaders = append(cfg.Leaders, Leader{Name: "王" + string(rune(0x4e00+i%500)) + string(rune(0x4e00+i/500))})
		}
		return cfg
	}
	organs := func(n int) Config {
		var cfg Config
		for range n {
			cfg.Organs = append(cfg.Organs, Replacement{Wrong: "区财局", Right: "区财政局"})
		}
		return cfg
	}
	for _, tc := range []struct {
		name  string
		limit int
		cfg   func(n int) Config
		msg   string
	}{
		{"leaders", MaxLeaders, leaders, "领导名单不能超过 1000 行（现有 1001 行）"},
		{"organs", MaxListEntries, organs, "机构名称词表不能超过 5000 行（现有 5001 行）"},
		{"entry", MaxEntry, func(n int) Config {
			return Config{Banned: []Replacement{{Wrong: strings.Repeat("禁", n)}}}
		}, "词表中的写法不能超过 100 字（现有 101 字）"},
		{"titles", MaxTitles, func(n int) Config {
			return Config{Leaders: []Leader{{Name: "王伟东", Titles: make([]string, n)}}}
		}, "领导职务不能超过 20 项（现有 21 项）"},
	} {
		if _, err := c.With(tc.cfg(tc.limit)); err != nil {
			t.Errorf("%s at the limit: %v", tc.name, err)
		}
		if _, err := c.With(tc.cfg(tc.limit + 1)); err == nil || err.Error() != tc.msg {
			t.Errorf("%s one over: %v, want %s", tc.name, err, tc.msg)
		}
	}
}

// BenchmarkCheckMaxInput is the worst case of one check from outside: a
// full MaxInput of the slowest input found (one character repeated: every
// position is a typo candidate), and of 公文 text (see docs/perf.md).
func BenchmarkCheckMaxInput(b *testing.B) {
	c := checker(b)
	for _, bc := range []struct{ name, text string }{
		{"one-character", strings.Repeat("的", MaxInput/3)},
		{"document-text", strings.ToValidUTF8(benchText(b, MaxInput)[:MaxInput-4], "")},
	} {
		b.Run(bc.name, func(b *testing.B) {
			start := cpuTime(b)
			for b.Loop() {
				if _, err := c.CheckContext(context.Background(), bc.text); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, start, len(bc.text))
		})
	}
}
