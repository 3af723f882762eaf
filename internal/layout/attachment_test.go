package layout

import (
	"context"
	"strings"
	"testing"
)

// pageNumberLine is the page number printed below the 版心, if any.
func pageNumberLine(p bboxPage) (textLine, bool) {
	for _, l := range lines(p) {
		if l.YMin > blockB {
			return l, true
		}
	}
	return textLine{}, false
}

// TestSeparateAttachment measures an attachment that cannot be bound with
// the body (GB/T 9704 §7.4, §7.5): it follows the 版记 on a new sheet, its
// line 1 reads the 发文字号 and "附件2" flush left, and its pages are numbered
// from 1, while the bound attachment stays before the 版记 and continues
// the numbering.
func TestSeparateAttachment(t *testing.T) {
	pages := extractWords(t, renderPDF(t, loadSource(t, "separate.txt"), Options{}))
	find := func(text string) int {
		for i, p := range pages {
			for _, l := range lines(p) {
				if strings.Contains(l.Text, text) {
					return i
				}
			}
		}
		t.Fatalf("%q is on no page", text)
		return -1
	}
	bound, colophon, sep := find("市自然资源和规划局牵头"), find("2024年6月4日印发"), find("以A3幅面另行装订")
	if !(bound < colophon && colophon < sep) {
		t.Fatalf("pages: bound attachment %d, 版记 %d, separate attachment %d; want that order", bound+1, colophon+1, sep+1)
	}
	if colophon%2 != 1 || sep%2 != 0 {
		t.Errorf("版记 on page %d and separate attachment from page %d: want an even page, then a new sheet", colophon+1, sep+1)
	}
	p := pages[sep]
	head := findLine(t, p, "枢政发〔2024〕12号")
	if head.Text != "枢政发〔2024〕12号附件2" {
		t.Errorf("line 1 of the separate attachment reads %q, want the 发文字号 followed by 附件2", head.Text)
	}
	near(t, "发文字号 flush left", head.XMin, MarginLeft)
	near(t, "on line 1", head.YMin, emTop(0, Size3))
	title := findLine(t, p, "枢纽市国土空间总体规划图集")
	near(t, "title on line 3", title.YMin, emTop(2, Size2))
	near(t, "title centred", (title.XMin+title.XMax)/2, MarginLeft+BlockWidth/2)
	pn, ok := pageNumberLine(p)
	if !ok || pn.Text != "—1—" {
		t.Errorf("separate attachment's first page number %q, want — 1 —", pn.Text)
	}
	near(t, "its page 1 number right-aligned 1 字 in", pn.XMax, blockR-Size4)
	if bn, ok := pageNumberLine(pages[bound]); !ok || bn.Text != "—"+string(rune('0'+bound+1))+"—" {
		t.Errorf("bound attachment page number %q, want — %d —", bn.Text, bound+1)
	}
	// The bound attachment keeps the plain label.
	if l := findLine(t, pages[bound], "附件1"); l.Text != "附件1" {
		t.Errorf("bound attachment label %q", l.Text)
	}
}

// TestSeparateAttachmentDOCX: the DOCX puts the separately bound attachment
// after the 版记, headed by the 发文字号 and its label.
func TestSeparateAttachmentDOCX(t *testing.T) {
	b, err := testRenderer(t).RenderDOCX(context.Background(), loadSource(t, "separate.txt"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc := string(readZip(t, b)["word/document.xml"])
	colophon := strings.Index(doc, "2024年6月4日印发")
	label := strings.Index(doc, "枢政发〔2024〕12号</w:t></w:r><w:r>")
	sepTitle := strings.LastIndex(doc, "枢纽市国土空间总体规划图集</w:t>") // also in the 附件说明
	bound := strings.Index(doc, "市自然资源和规划局牵头")
	if colophon < 0 || label < 0 || sepTitle < 0 || bound < 0 {
		t.Fatalf("document.xml lacks a part: 版记 %d, label %d, title %d, bound %d", colophon, label, sepTitle, bound)
	}
	if !(bound < colophon && colophon < label && label < sepTitle) {
		t.Errorf("order in document.xml: bound attachment %d, 版记 %d, 发文字号 label %d, title %d", bound, colophon, label, sepTitle)
	}
	if label < sepTitle && !strings.Contains(doc[label:sepTitle], ">附件2<") {
		t.Error("the separate attachment's label lacks 附件2 after the 发文字号")
	}
}
