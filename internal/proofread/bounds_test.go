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
