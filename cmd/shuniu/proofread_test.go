package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/proofread"
	"github.com/shuniu-oa/shuniu/internal/store"
)

func runCLI(t *testing.T, stdin string, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := dispatch(context.Background(), append([]string{"proofread"}, args...), strings.NewReader(stdin), &out, &errOut,
		func(k string) string { return env[k] })
	return out.String(), errOut.String(), code
}

func TestProofreadJSON(t *testing.T) {
	out, errOut, code := runCLI(t, "我们要认真的做好工作,确保完成。", nil, "--format", "json", "-")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	var got struct {
		Findings []struct {
			Start, End          int
			Category, Severity  string
			Message, Suggestion string
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	wants := map[string]bool{"typo 5 6 地": false, "punctuation 10 11 ，": false}
	for _, f := range got.Findings {
		key := f.Category + " " + itoa(f.Start) + " " + itoa(f.End) + " " + f.Suggestion
		if _, ok := wants[key]; ok {
			wants[key] = true
		}
		if f.Message == "" || f.Severity == "" {
			t.Errorf("finding without message or severity: %+v", f)
		}
	}
	for k, seen := range wants {
		if !seen {
			t.Errorf("missing finding %q in %s", k, out)
		}
	}
	// A clean text still prints a findings array.
	out, _, code = runCLI(t, "会议于明天召开。", nil, "--format=json", "-")
	if code != 0 || strings.TrimSpace(out) != `{"findings":[]}` {
		t.Errorf("clean text: exit %d, output %q", code, out)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestProofreadJSONL(t *testing.T) {
	out, errOut, code := runCLI(t, "会议决定,明天召开。\n一切正常。\n其它事项另行通知。\n", nil, "--format", "jsonl", "-")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3:\n%s", len(lines), out)
	}
	for i, l := range lines {
		var v struct {
			Line     int               `json:"line"`
			Findings []json.RawMessage `json:"findings"`
		}
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("line %d not JSON: %v", i+1, err)
		}
		if v.Line != i+1 {
			t.Errorf("line %d reports line %d", i+1, v.Line)
		}
		if wantAny := i != 1; wantAny != (len(v.Findings) > 0) {
			t.Errorf("line %d: findings %s", i+1, l)
		}
	}
}

func TestProofreadText(t *testing.T) {
	out, _, code := runCLI(t, "第一行。\n要发号司令。", nil, "-")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out, "2:2 错误 typo/T01") || !strings.Contains(out, "【发号司令】") || !strings.Contains(out, "发号施令") {
		t.Errorf("text output:\n%s", out)
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour codes written to a non-terminal")
	}
	out, _, _ = runCLI(t, "会议于明天召开。", nil, "-")
	if !strings.Contains(out, "未发现问题") {
		t.Errorf("clean text output: %q", out)
	}
}

func TestProofreadDisableByEnv(t *testing.T) {
	out, _, _ := runCLI(t, "会议决定,明天召开。", map[string]string{"SHUNIU_PROOFREAD_DISABLE": "punctuation"}, "--format", "json", "-")
	if strings.Contains(out, "punctuation") {
		t.Errorf("disabled category reported: %s", out)
	}
}

func TestProofreadDocx(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		`<w:p><w:r><w:t>第一段。</w:t></w:r></w:p><w:p><w:r><w:t>要发号</w:t></w:r><w:r><w:t>司令。</w:t></w:r></w:p></w:body></w:document>`))
	zw.Close()
	path := filepath.Join(t.TempDir(), "draft.docx")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "", nil, "--format", "json", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, `"start":6,"end":10`) {
		t.Errorf("docx findings: %s", out)
	}
}

func TestProofreadHelp(t *testing.T) {
	out, errOut, code := runCLI(t, "", nil, "--help")
	if code != 0 || !strings.Contains(out, "shuniu proofread [--format text|json|jsonl] FILE|-") || errOut != "" {
		t.Errorf("--help: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestProofreadBadInput(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
		msg   string
	}{
		{"not UTF-8", "\xb9\xab\xce\xc4", []string{"-"}, "UTF-8"},
		{"missing file", "", []string{filepath.Join(t.TempDir(), "none.txt")}, "无法读取"},
		{"no file argument", "", nil, "缺少文件"},
		{"bad format", "", []string{"--format", "xml", "-"}, "不支持的输出格式"},
		{"broken docx", "PK\x03\x04garbage", []string{"-"}, ".docx"},
		{"two files", "", []string{"a.txt", "b.txt"}, "一个文件"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, tt.stdin, nil, tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(errOut, tt.msg) {
				t.Errorf("stderr %q, want it to mention %q", errOut, tt.msg)
			}
		})
	}
}

// TestProofreadCategories: the categories in the output are exactly the
// issue's names, and a draft with one slip of each kind the command can find
// without a deployment's word lists shows each of them, with rune offsets
// that cut the flagged text out of the input.
func TestProofreadCategories(t *testing.T) {
	input := "一、总体要求\n我们要认真的做好工作,确保完成。\n三、其它事项\n会议定于２０２４年召开，参会5-10人，请大家到到会场。\n"
	out, errOut, code := runCLI(t, input, nil, "--format", "json", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Findings []struct {
			Start, End                  int
			Category, Severity, Message string
			Suggestion, Text            string
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{"typo": true, "punctuation": true, "repetition": true, "format": true, "term": true, "number": true, "custom": true}
	seen := map[string]bool{}
	runes := []rune(input)
	for _, f := range got.Findings {
		if !names[f.Category] {
			t.Errorf("category %q is not one of the issue's names", f.Category)
		}
		if f.Severity != "error" && f.Severity != "warning" && f.Severity != "hint" {
			t.Errorf("severity %q", f.Severity)
		}
		if f.Start < 0 || f.End > len(runes) || f.Start > f.End || string(runes[f.Start:f.End]) != f.Text {
			t.Errorf("range %d–%d does not cut %q out of the input", f.Start, f.End, f.Text)
		}
		seen[f.Category] = true
	}
	for _, c := range []string{"typo", "punctuation", "repetition", "format", "term", "number"} {
		if !seen[c] {
			t.Errorf("no %s finding in %s", c, out)
		}
	}
	// The keys of the JSON shape are all there, also when a finding
	// has no suggestion.
	var raw struct {
		Findings []map[string]json.RawMessage `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	for _, f := range raw.Findings {
		for _, k := range []string{"start", "end", "category", "severity", "message", "suggestion"} {
			if _, ok := f[k]; !ok {
				t.Errorf("finding without %q: %v", k, f)
			}
		}
	}
}

// --db applies the deployment's own lists and switches, as 校对设置 stores
// them, to the command line; a database that is not there is an input
// error and is not created.
func TestProofreadDeploymentLists(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "shuniu.db")
	s, err := store.Open(ctx, db, store.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	cfg := proofread.Config{Banned: []proofread.Replacement{{Wrong: "绝对领先", Message: "广告用语"}}, Disabled: []string{"punctuation"}}
	if err := s.Write(ctx, func(tx *store.Tx) error { return tx.PutSetting(ctx, store.ProofreadSettingKey, cfg) }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	const text = "我们的工作绝对领先,确保完成。"
	categories := func(out string) map[string]bool {
		var got struct {
			Findings []struct{ Category, Rule string } `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, out)
		}
		cats := map[string]bool{}
		for _, f := range got.Findings {
			cats[f.Category] = true
		}
		return cats
	}
	out, errOut, code := runCLI(t, text, nil, "--format", "json", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if cats := categories(out); cats["custom"] || !cats["punctuation"] {
		t.Errorf("without --db: categories %v, want punctuation and no custom", cats)
	}
	out, errOut, code = runCLI(t, text, nil, "--db", db, "--format", "json", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if cats := categories(out); !cats["custom"] || cats["punctuation"] {
		t.Errorf("with --db: categories %v, want custom and no punctuation", cats)
	}
	missing := filepath.Join(t.TempDir(), "none.db")
	_, errOut, code = runCLI(t, text, nil, "--db="+missing, "-")
	if code != 2 || !strings.Contains(errOut, "无法打开数据库") {
		t.Errorf("missing database: exit %d, stderr %q; want 2 and a message", code, errOut)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("a missing database file was created")
	}
}
