package proofread

import (
	"errors"
	"io/fs"
	"os"
	"testing"
)

// systemNgram loads the trigram model installed on this machine, or skips:
// the model is read from the system (Debian's libime-data-language-model,
// installed by scripts/setup.sh), never shipped in the repository.
func systemNgram(t *testing.T) (*ngramModel, []byte) {
	t.Helper()
	for _, p := range ngramPaths {
		data, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		m, err := parseNgramModel(data)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		return m, data
	}
	t.Skip("no word trigram model installed (apt-get install libime-data-language-model)")
	return nil, nil
}

func TestNgramModelScores(t *testing.T) {
	m, _ := systemNgram(t)
	if m.order != 3 || m.counts[0] < 100_000 {
		t.Fatalf("order %d, counts %v", m.order, m.counts)
	}
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
	// Backoff: an unseen trigram costs more than its bigram alone.
	a, b := m.lookup("贯彻"), m.lookup("落实")
	if p3, p2 := m.logProb([]wordID{m.lookup("不"), a}, b), m.logProb([]wordID{a}, b); p3 > 0 || p2 > 0 {
		t.Errorf("log probabilities must be ≤ 0: %v %v", p3, p2)
	}
}

func TestNgramModelRejectsDamage(t *testing.T) {
	_, data := systemNgram(t)
	for _, n := range []int{0, 10, 100, 200, 1 << 10, 1 << 20, len(data) / 2, len(data) - 100} {
		if _, err := parseNgramModel(data[:n]); err == nil {
			t.Errorf("a file cut at %d bytes was accepted", n)
		}
	}
	bad := append([]byte(nil), data[:4096]...)
	bad[0] = 'x'
	if _, err := parseNgramModel(bad); err == nil {
		t.Error("a wrong magic was accepted")
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
