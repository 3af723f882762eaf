package search

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestSentenceCache: tokenizing a corpus document piece by piece through
// the cache gives exactly the tokens of its whole body, for generated
// documents and for pieces whose runs would cross their boundary.
func TestSentenceCache(t *testing.T) {
	var c SentenceCache
	corpus := Corpus{Docs: 300, Organs: []string{"o1", "o2"}, Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		Sentences: []string{"国务院办公厅关于加强基层应急管理能力建设的意见。", "ＧＤＰ增长5.2%，城镇新增就业1256万人。"}}
	for n := range corpus.Docs {
		d := corpus.Doc(n)
		if strings.Join(d.Parts, "") != d.Body {
			t.Fatalf("doc %d: parts do not make the body", n)
		}
		if got, want := c.Analyze(d.Parts), Analyze(d.Body); !reflect.DeepEqual(got, want) {
			t.Fatalf("doc %d: cached tokens differ:\n got %v\nwant %v", n, got, want)
		}
	}
	for _, parts := range [][]string{
		{"第一", "责任人"},                                      // a Chinese run across the boundary
		{"GDP", "ＧＤＰ增长"},                                   // letters, folded, across it
		{"增长5", "2%"},                                      // digits across it
		{"城镇", "abc", "。城镇", "", "就业"},                     // kinds change; an empty piece
		{"城镇。", "城镇新增", "。新增就业"},                           // characters repeat across pieces
		{strings.Repeat("安全生产。", MaxIndexedRunes/5), "防火"}, // past the limit
	} {
		if got, want := c.Analyze(parts), Analyze(strings.Join(parts, "")); !reflect.DeepEqual(got, want) {
			t.Errorf("%.40q: cached tokens differ:\n got %.200v\nwant %.200v", parts, got, want)
		}
	}
}
