package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLayoutCommand(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "通知.txt")
	good := "发文机关标志：枢纽市人民政府文件\n发文字号：枢政发〔2024〕5号\n标题：关于做好安全生产工作的通知\n主送机关：各区人民政府\n发文机关署名：枢纽市人民政府\n成文日期：2024年1月5日\n\n一、提高认识\n各区要高度重视。\n"
	if err := os.WriteFile(src, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := dispatch(context.Background(), append([]string{"layout"}, args...), strings.NewReader(stdin), &out, &errb, os.Getenv)
		return code, out.String(), errb.String()
	}

	tests := []struct {
		name     string
		stdin    string
		args     []string
		code     int
		stderr   string
		outMagic string
		outFile  string
	}{
		{name: "pdf beside the source", args: []string{src}, code: 0, outFile: filepath.Join(dir, "通知.pdf"), outMagic: "%PDF-1.7"},
		{name: "ofd with -o", args: []string{"--format", "ofd", src, "-o", filepath.Join(dir, "x.ofd")}, code: 0, outFile: filepath.Join(dir, "x.ofd"), outMagic: "PK"},
		{name: "docx with = form", args: []string{"--format=docx", "-o=" + filepath.Join(dir, "x.docx"), src}, code: 0, outFile: filepath.Join(dir, "x.docx"), outMagic: "PK"},
		{name: "stdin to stdout", stdin: good, args: []string{"-"}, code: 0, outMagic: "%PDF"},
		{name: "unknown key names the line", stdin: "标题：通知\n发文单位：某局\n\n正文\n", args: []string{"-"}, code: 2, stderr: "第2行：未知要素“发文单位”"},
		{name: "bad doc number", stdin: "发文字号：某政发[2024]5号\n标题：通知\n\n正文\n", args: []string{"-"}, code: 2, stderr: "第1行：发文字号格式不正确"},
		{name: "bad date", stdin: "标题：通知\n成文日期：2024年13月1日\n\n正文\n", args: []string{"-"}, code: 2, stderr: "第2行：成文日期"},
		{name: "missing title", stdin: "主送机关：各区\n\n正文\n", args: []string{"-"}, code: 2, stderr: "缺少“标题：”"},
		{name: "bad format flag", args: []string{"--format", "rtf", src}, code: 2, stderr: "不支持的格式"},
		{name: "no source", args: nil, code: 2, stderr: "缺少源文件"},
		{name: "missing file", args: []string{filepath.Join(dir, "none.txt")}, code: 2, stderr: "打开源文件"},
		{name: "watermark and copy", args: []string{"--watermark", "张三 2024-01-05", "--copy", "7", src, "-o", filepath.Join(dir, "w.pdf")}, code: 0, outFile: filepath.Join(dir, "w.pdf"), outMagic: "%PDF"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(tc.stdin, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			if tc.stderr != "" && !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr %q, want it to contain %q", stderr, tc.stderr)
			}
			if tc.outMagic == "" {
				return
			}
			got := []byte(stdout)
			if tc.outFile != "" {
				var err error
				if got, err = os.ReadFile(tc.outFile); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.HasPrefix(got, []byte(tc.outMagic)) {
				t.Errorf("output starts %q, want %q", got[:min(len(got), 8)], tc.outMagic)
			}
		})
	}
}
