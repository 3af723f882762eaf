package proofread

import (
	"testing"

	"github.com/shuniu-oa/shuniu/internal/proofread/charlm"
)

func typoFindings(c *Checker, text string) []Finding {
	var out []Finding
	for _, f := range c.Check(text) {
		if f.Category == CategoryTypo {
			out = append(out, f)
		}
	}
	return out
}

// TestNamesAreNotTypos: places of the gazetteer, people named the way 公文
// name them, and the directory's names are never corrected; slips next to
// them still are.
func TestNamesAreNotTypos(t *testing.T) {
	c := checker(t)
	for _, text := range []string{
		// Places: full names of every level, short names where a place is named.
		"横州市人民政府召开会议，研究部署安全生产工作。",
		"会议在平源街道召开，研究部署安全生产工作。",
		"会议在犀牛脚镇召开，研究部署安全生产工作。",
		"会议在宛田瑶族乡召开，研究部署安全生产工作。",
		"恭城瑶族自治县和阳朔县联合开展调研。",
		"恭城县委书记到工程现场调研。",
		// People: before or after a title, before what a leader did.
		"区长黎健明主持会议并讲话。",
		"师福强指出，要压实责任。",
		"褚福伟书记强调，要抓好安全生产工作。",
		"市委常委、副市长路荣瑶参加调研。",
		"会议由秦琳主持。",
		"农丽副区长出席会议。",
		"史达福同志、王麟同志参加会议。",
		// A country's side; a new 公文 term.
		"我们愿同希方保持高层交往，互尊互信。",
		"推动文化建设数智化赋能、信息化转型。",
	} {
		if fs := typoFindings(c, text); len(fs) > 0 {
			t.Errorf("%s: %+v", text, fs)
		}
	}
	// Still corrected: a slip beside a place or a name.
	for _, tc := range []struct{ text, want string }{
		{"横州市人民政府要加强安全生产工做。", "作"},
		{"会议由秦琳主持，各单位要加强安全生产工做。", "作"},
	} {
		if fs := typoFindings(c, tc.text); len(fs) != 1 || fs[0].Suggestion != tc.want {
			t.Errorf("%s: %+v, want one correction to %s", tc.text, fs, tc.want)
		}
	}

	// The directory's names (Config.Names) are protected anywhere.
	const text = "由申志慧牵头，秦琳配合，请黎健明、路荣瑶抓好落实。"
	if fs := typoFindings(c, text); len(fs) == 0 {
		t.Fatal("the names are no longer flagged without the directory: the test needs others")
	}
	d, err := c.With(Config{Names: []string{"申志慧", "秦琳", "黎健明", "路荣瑶", " ", "综合科"}})
	if err != nil {
		t.Fatal(err)
	}
	if fs := typoFindings(d, text); len(fs) > 0 {
		t.Errorf("directory names corrected: %+v", fs)
	}
}

// TestLocalLayer: the deployment's issued text protects its phrases and
// adapts the character model's probabilities; without it nothing changes.
func TestLocalLayer(t *testing.T) {
	c := checker(t)
	const text = "智汇坊运营中心负责具体工作。"
	if fs := typoFindings(c, text); len(fs) != 1 || fs[0].Suggestion != "慧" {
		t.Fatalf("without the layer: %+v", fs)
	}
	local := charlm.NewCounts()
	local.AddParagraph("全面推进清澜区“智汇坊”建设工作。")
	d, err := c.With(Config{Local: local})
	if err != nil {
		t.Fatal(err)
	}
	if fs := typoFindings(d, text); len(fs) != 0 {
		t.Errorf("with the office's text: %+v", fs)
	}
	if fs := typoFindings(d, "各单位要加强安全生产工做。"); len(fs) != 1 {
		t.Errorf("a slip outside the office's text: %+v", fs)
	}
	// The adapted probability of what the office wrote rises.
	norm := normRunes([]rune("“智汇坊”"), nil)
	before := c.lm.charLogProb(nil, norm[:2], norm[2])
	after := d.lm.charLogProb(local, norm[:2], norm[2])
	if after <= before {
		t.Errorf("p(汇 | “智) %v with the layer, %v without", after, before)
	}
	if got := d.lm.charLogProb(local, []rune("不相干"), '的'); got != c.lm.charLogProb(nil, []rune("不相干"), '的') {
		t.Error("a context the office never wrote changed")
	}
}
