package proofread

import (
	"errors"
	"io/fs"
	"os"
	"testing"
)

// systemModels loads the trigram models installed on this machine, or
// skips: they are read from the system (Debian's packages, installed by
// scripts/setup.sh), never shipped in the repository.
func systemModels(t *testing.T) []*ngramModel {
	t.Helper()
	var out []*ngramModel
	for _, p := range ngramPaths {
		m, err := loadNgramModel(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		t.Skip("no word trigram model installed (apt-get install libime-data-language-model)")
	}
	return out
}

func TestNgramModelScores(t *testing.T) {
	for _, m := range systemModels(t) {
		t.Run(m.path, func(t *testing.T) { testScores(t, m) })
	}
}

func testScores(t *testing.T, m *ngramModel) {
	score := func(ws ...string) float32 {
		var ctx []wordID
		var s float32
		for _, w := range ws {
			id := m.lookup(w)
			if id == 0 {
				t.Fatalf("%s not in the model", w)
			}
			s += m.logProb(ctx, id)
			ctx = append(ctx, id)
		}
		return s
	}
	tests := []struct{ good, bad []string }{
		{[]string{"认真", "贯彻", "落实"}, []string{"认真", "贯彻", "落石"}},
		{[]string{"投诉", "举报", "电话"}, []string{"投宿", "举报", "电话"}},
	}
	for _, tc := range tests {
		if g, b := score(tc.good...), score(tc.bad...); g <= b+1 {
			t.Errorf("%v scores %.2f, %v %.2f: the right reading should win clearly", tc.good, g, tc.bad, b)
		}
	}
	a, b := m.lookup("贯彻"), m.lookup("落实")
	if p3, p2 := m.logProb([]wordID{m.lookup("不"), a}, b), m.logProb([]wordID{a}, b); p3 > 0 || p2 > 0 {
		t.Errorf("log probabilities must be ≤ 0: %v %v", p3, p2)
	}
}

func TestNgramModelRejectsDamage(t *testing.T) {
	for _, m := range systemModels(t) {
		data, err := os.ReadFile(m.path)
		if err != nil {
			t.Fatal(err)
		}
		parse := func(b []byte) error {
			_, _, err := parseKenLM(b)
			return err
		}
		for _, n := range []int{0, 10, 100, 200, 1 << 10, 1 << 20, len(data) / 2, len(data) - 100} {
			if err := parse(data[:n]); err == nil {
				t.Errorf("%s cut at %d bytes was accepted", m.path, n)
			}
		}
	}
}

func TestNgramModelAbsent(t *testing.T) {
	if _, err := loadNgramModel("/nonexistent/zh_CN.lm"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	m, err := findNgramModel(NgramModelNone)
	if m != nil || err != nil {
		t.Errorf("NgramModelNone: %v %v", m, err)
	}
}

// The checker works without the trigram model, as before it existed.
func TestCheckWithoutNgramModel(t *testing.T) {
	c, err := New(Config{NgramModel: NgramModelNone})
	if err != nil {
		t.Fatal(err)
	}
	if c.lm.ngram != nil {
		t.Fatal("model loaded although switched off")
	}
	fs := c.Check("要加快建射现代化经济体系。")
	found := false
	for _, f := range fs {
		found = found || f.Rule == "T03" && f.Text == "射" && f.Suggestion == "设"
	}
	if !found {
		t.Errorf("建射 not corrected without the trigram model: %+v", fs)
	}
}

func TestMurmurHash64A(t *testing.T) {
	// Known values of MurmurHash64A with seed 0 (they are what makes a
	// KenLM vocabulary match its hashes; the system model test checks
	// that all of its words do).
	if murmurHash64A(nil, 0) != 0 {
		t.Errorf("empty input: %x", murmurHash64A(nil, 0))
	}
	if murmurHash64A([]byte("a"), 0) == murmurHash64A([]byte("b"), 0) {
		t.Error("collision on one byte")
	}
}

// With the trigram model: one-character slips, a whole word of the same
// sound, and clean 公文 sentences left alone. The sentences are written for
// this test, not taken from the evaluation data.
func TestTypoWithNgramModel(t *testing.T) {
	path := systemModels(t)[0].path
	c, err := New(Config{NgramModel: path})
	if err != nil {
		t.Fatal(err)
	}
	if c.NgramModelPath() != path {
		t.Fatalf("model %q loaded, want %q", c.NgramModelPath(), path)
	}
	type fix struct{ text, suggestion string }
	tests := []struct {
		name string
		text string
		want []fix
	}{
		{"same sound", "要认真贯彻落石各项工作部署。", []fix{{"石", "实"}}},
		{"same sound after a verb", "请各单位认真组只实施。", []fix{{"只", "织"}}},
		{"whole word of the same sound", "进一步提高人民群众的漫溢度。", []fix{{"漫溢", "满意"}}},
		{"unigram case still found", "要加快建射现代化经济体系。", []fix{{"射", "设"}}},
		{"clean", "各地区各部门要认真贯彻落实党中央决策部署。", nil},
		{"clean with a modern term", "坚持以人民为中心的发展思想，不断增强人民群众获得感。", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []fix
			for _, f := range c.Check(tc.text) {
				if f.Category == CategoryTypo {
					got = append(got, fix{f.Text, f.Suggestion})
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}
