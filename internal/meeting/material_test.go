package meeting

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// docx packs a minimal .docx whose body is the paragraphs given.
func docx(t testing.TB, paras ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	body := ""
	for _, p := range paras {
		body += `<w:p><w:r><w:t>` + p + `</w:t></w:r></w:p>`
	}
	if _, err := w.Write([]byte(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestMaterialText(t *testing.T) {
	cases := []struct {
		name, file string
		data       []byte
		max        int
		want       string
		truncated  bool
		err        string
	}{
		{"UTF-8 text", "a.txt", []byte("关于老旧小区改造的汇报"), 0, "关于老旧小区改造的汇报", false, ""},
		{"UTF-8 with its mark", "a.TXT", append([]byte{0xEF, 0xBB, 0xBF}, "汇报"...), 0, "汇报", false, ""},
		{"UTF-16LE", "a.txt", []byte{0xFF, 0xFE, 0x47, 0x6C, 0xA5, 0x62}, 0, "汇报", false, ""},
		{"UTF-16BE", "a.txt", []byte{0xFE, 0xFF, 0x6C, 0x47, 0x62, 0xA5}, 0, "汇报", false, ""},
		{"GBK refused", "a.txt", []byte{0xBB, 0xE3, 0xB1, 0xA8}, 0, "", false, "UTF-8"},
		{"a .docx's paragraphs", "b.docx", docx(t, "一、基本情况", "二、下一步打算"), 0, "一、基本情况\n二、下一步打算", false, ""},
		{"cut at max", "a.txt", []byte("一二三四五"), 3, "一二三", true, ""},
		{"not a zip", "b.docx", []byte("PK no"), 0, "", false, ".docx"},
		{"a PDF has no text here", "c.pdf", []byte("%PDF-1.4"), 0, "", false, "只能校对"},
	}
	for _, c := range cases {
		got, cut, err := MaterialText(c.file, c.data, c.max)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: err %v, want %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want || cut != c.truncated {
			t.Errorf("%s: %q %v %v, want %q %v", c.name, got, cut, err, c.want, c.truncated)
		}
	}
}

func FuzzMaterialText(f *testing.F) {
	f.Add("a.txt", []byte("关于老旧小区改造的汇报"))
	f.Add("a.txt", []byte{0xFF, 0xFE, 0x47, 0x6C})
	f.Add("b.docx", docx(f, "一、基本情况"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		text, _, err := MaterialText(name, data, 1000)
		if err == nil && !utf8Valid(text) {
			t.Fatalf("invalid UTF-8 from %q", name)
		}
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "") == s }

func TestAgendaPresenter(t *testing.T) {
	cases := []struct {
		name, presenter, refusal string
	}{
		{"no presenter", "", ""},
		{"an invited leader", "副区长", ""},
		{"someone not invited", "教育局长", "参会人员"},
	}
	for _, c := range cases {
		m := noticed()
		it, err := m.AddAgendaItem(actor("秘书", "政府办"), NewAgendaItem{Title: "老旧小区改造", UnitID: "住建局", Presenter: c.presenter}, at(7, 11, 0))
		switch {
		case c.refusal == "" && (err != nil || it.Presenter != c.presenter):
			t.Errorf("%s: %+v %v", c.name, it, err)
		case c.refusal != "" && (err == nil || !strings.Contains(err.Error(), c.refusal) || len(m.Agenda) != 0):
			t.Errorf("%s: %v, agenda %d", c.name, err, len(m.Agenda))
		}
	}
}

func TestAddMaterial(t *testing.T) {
	m := noticed()
	due := m.Start.Add(-24 * time.Hour)
	if _, err := m.AddAgendaItem(actor("秘书", "政府办"), NewAgendaItem{Title: "老旧小区改造", UnitID: "住建局", Due: due}, at(7, 11, 0)); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		by      string
		units   []string
		file    string
		level   org.Classification
		refusal string
	}{
		{"the reporting unit, .docx", "科员", []string{"住建局"}, "汇报.docx", org.Unclassified, ""},
		{"the organizer, .pdf", "秘书", []string{"政府办"}, "汇报.pdf", org.Unclassified, ""},
		{"another unit", "局长", []string{"发改局"}, "汇报.pdf", org.Unclassified, "汇报单位或办会单位"},
		{"an .exe", "秘书", []string{"政府办"}, "汇报.exe", org.Unclassified, ".docx、.pdf"},
		{"a .docx in a classified meeting", "秘书", []string{"政府办"}, "汇报.docx", org.Confidential, "PDF"},
		{"a .pdf in a classified meeting", "秘书", []string{"政府办"}, "汇报.pdf", org.Confidential, ""},
	}
	for _, c := range cases {
		mm := *m
		mm.Agenda = append([]AgendaItem(nil), m.Agenda...)
		mm.Level = c.level
		err := mm.AddMaterial(actor(c.by, c.units...), 1, Material{Name: c.file, SHA256: "x"}, at(8, 9, 0))
		if c.refusal == "" && err != nil || c.refusal != "" && (err == nil || !strings.Contains(err.Error(), c.refusal)) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if err := m.AddMaterial(actor("科员", "住建局"), 1, Material{Name: "a.txt"}, at(8, 9, 0)); err != nil {
		t.Fatal(err)
	}
	if err := m.AddMaterial(actor("秘书", "政府办"), 1, Material{Name: "b.txt"}, at(8, 19, 0)); err != nil {
		t.Fatal(err)
	}
	it, _ := m.Item(1)
	if v, ok := it.Latest(); !ok || v.Version != 2 || v.By != "秘书" || !it.LateVersion(v) {
		t.Errorf("latest %+v, late %v", v, it.LateVersion(v))
	}
	if v, _ := it.Version(1); it.LateVersion(v) {
		t.Errorf("version 1 is on time")
	}
}

func TestStateAndListOrder(t *testing.T) {
	now := at(9, 10, 0)
	mk := func(id string, day, hour int, s Status) Meeting {
		return Meeting{ID: id, Start: at(day, hour, 0), End: at(day, hour+2, 0), Status: s}
	}
	ms := []Meeting{mk("past-old", 2, 9, Noticed), mk("next-week", 16, 9, Noticed), mk("now", 9, 9, Noticed),
		mk("past-recent", 8, 9, Noticed), mk("tomorrow", 10, 9, Booked), mk("stale", 7, 9, Booked), mk("off", 8, 14, Cancelled)}
	ListOrder(ms, now)
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	if got := strings.Join(ids, " "); got != "now tomorrow next-week off past-recent stale past-old" {
		t.Errorf("order: %s", got)
	}
	want := map[string]string{"now": "进行中", "tomorrow": "已预订", "next-week": "已发通知", "past-recent": "已召开",
		"stale": "已过期（未发通知）", "off": "已取消"}
	for _, m := range ms {
		if w, ok := want[m.ID]; ok && m.State(now) != w {
			t.Errorf("%s: %s, want %s", m.ID, m.State(now), w)
		}
	}
}
