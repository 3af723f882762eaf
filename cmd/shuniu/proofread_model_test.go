package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/proofread/charlm"
)

// build-model counts a corpus folder (gzip and plain files) into a model
// file and a build record naming every file with its hash; the same
// corpus and parameters give the same bytes; bad arguments exit 2.
func TestBuildModel(t *testing.T) {
	dir := t.TempDir()
	corpus := filepath.Join(dir, "corpus")
	if err := os.Mkdir(corpus, 0o755); err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("坚持党的领导，深化改革，防范化解隐性债务风险。\n党的二十届三中全会对进一步全面深化改革作出部署。\n(视频编辑：张三 文字编辑：李四)\n", 20)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(text))
	zw.Close()
	if err := os.WriteFile(filepath.Join(corpus, "a.txt.gz"), gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(corpus, "b.txt"), []byte("各地区各部门要认真贯彻落实。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var models [2][]byte
	for i := range models {
		out := filepath.Join(dir, "m"+itoa(i)+".clm")
		stdout, stderr, code := runCLI(t, "", nil, "build-model", "--corpus", corpus, "-o", out, "--order", "4", "--min", "1,1,2,2", "--holdout", "0")
		if code != 0 {
			t.Fatalf("exit %d: %s %s", code, stdout, stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		models[i] = b
		var rec buildRecord
		js, err := os.ReadFile(out + ".build.json")
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(js, &rec); err != nil {
			t.Fatal(err)
		}
		if len(rec.Corpus) != 2 || rec.Corpus[0].Name != "a.txt.gz" || len(rec.Corpus[0].SHA256) != 64 || rec.Order != 4 ||
			rec.Model.Bytes != int64(len(b)) || len(rec.Model.SHA256) != 64 {
			t.Errorf("record: %s", js)
		}
	}
	if !bytes.Equal(models[0], models[1]) {
		t.Error("two builds of the same corpus differ")
	}
	m, err := charlm.FromBytes(models[0])
	if err != nil {
		t.Fatal(err)
	}
	// The editors' credit was dropped: its characters are unknown.
	if m.LogProb(nil, '辑') != m.Unknown() || m.LogProb(nil, '隐') == m.Unknown() {
		t.Error("credit lines counted or text lost")
	}
	for _, args := range [][]string{
		{"build-model", "-o", filepath.Join(dir, "x.clm")},
		{"build-model", "--corpus", corpus, "-o", filepath.Join(dir, "x.clm"), "--order", "1"},
		{"build-model", "--corpus", corpus, "-o", filepath.Join(dir, "x.clm"), "--min", "a"},
		{"build-model", "--corpus", filepath.Join(dir, "none"), "-o", filepath.Join(dir, "x.clm")},
	} {
		if _, _, code := runCLI(t, "", nil, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
