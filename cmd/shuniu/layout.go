package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/layout"
)

const layoutUsage = `用法: shuniu layout [--format pdf|ofd|docx] [--watermark 文字] [--copy 份号] SOURCE.txt|- [-o OUT]
  按 GB/T 9704-2012 排版纯文本源文件（格式见 docs/layout.md）。
  未给 -o 时输出到与源文件同名、扩展名为格式名的文件；源为 - 时输出到标准输出。
  字体目录：$SHUNIU_FONT_DIR（默认 ~/.cache/shuniu/fonts，由 scripts/setup-fonts.sh 准备）；
  单独指定字体文件：$SHUNIU_FONT_FANGSONG $SHUNIU_FONT_XIAOBIAOSONG $SHUNIU_FONT_SONG $SHUNIU_FONT_HEITI $SHUNIU_FONT_KAITI`

// runLayout is the `shuniu layout` subcommand: typeset a plain-text source.
func runLayout(ctx context.Context, c *cli) int {
	format := layout.PDF
	var src, out string
	var opts layout.Options
	args := c.args
	value := func(i int, name string) (string, bool) {
		if i+1 >= len(args) {
			fmt.Fprintf(c.stderr, "shuniu layout: %s 需要一个值\n%s\n", name, layoutUsage)
			return "", false
		}
		return args[i+1], true
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, inline, hasInline := strings.Cut(a, "=")
		if !strings.HasPrefix(a, "-") || a == "-" {
			if src != "" {
				fmt.Fprintf(c.stderr, "shuniu layout: 只能给一个源文件（多余的参数 %q）\n%s\n", a, layoutUsage)
				return 2
			}
			src = a
			continue
		}
		get := func() (string, bool) {
			if hasInline {
				return inline, true
			}
			v, ok := value(i, name)
			i++
			return v, ok
		}
		var ok bool
		switch name {
		case "-h", "--help", "-help":
			fmt.Fprintln(c.stdout, layoutUsage)
			return 0
		case "--format", "-format", "-f":
			var v string
			if v, ok = get(); ok {
				format = layout.Output(strings.ToLower(v))
				if format != layout.PDF && format != layout.OFD && format != layout.DOCX {
					fmt.Fprintf(c.stderr, "shuniu layout: 不支持的格式 %q（可用 pdf、ofd、docx）\n", v)
					return 2
				}
			}
		case "-o", "--output", "-output":
			out, ok = get()
		case "--watermark", "-watermark":
			opts.Watermark, ok = get()
		case "--copy", "-copy":
			opts.CopyNumber, ok = get()
		default:
			fmt.Fprintf(c.stderr, "shuniu layout: 未知选项 %q\n%s\n", a, layoutUsage)
			return 2
		}
		if !ok {
			return 2
		}
	}
	if src == "" {
		fmt.Fprintf(c.stderr, "shuniu layout: 缺少源文件\n%s\n", layoutUsage)
		return 2
	}

	var in io.Reader = c.stdin
	if src != "-" {
		f, err := os.Open(src)
		if err != nil {
			fmt.Fprintf(c.stderr, "shuniu layout: 打开源文件：%v\n", err)
			return 2
		}
		defer f.Close()
		in = f
	}
	doc, err := layout.ParseSource(in)
	if err != nil {
		fmt.Fprintf(c.stderr, "shuniu layout: %s：%v\n", displayName(src), err)
		return 2
	}

	r, err := layout.NewRenderer(layout.FontConfig{
		FangSong:     c.getenv("SHUNIU_FONT_FANGSONG"),
		XiaoBiaoSong: c.getenv("SHUNIU_FONT_XIAOBIAOSONG"),
		Song:         c.getenv("SHUNIU_FONT_SONG"),
		HeiTi:        c.getenv("SHUNIU_FONT_HEITI"),
		KaiTi:        c.getenv("SHUNIU_FONT_KAITI"),
	}, c.getenv)
	if err != nil {
		fmt.Fprintf(c.stderr, "shuniu layout: %v\n", err)
		return 1
	}
	var buf bytes.Buffer
	if err := r.Render(ctx, &buf, format, doc, opts); err != nil {
		// Missing glyphs and invalid elements are problems of the input.
		fmt.Fprintf(c.stderr, "shuniu layout: %s：%v\n", displayName(src), err)
		return 2
	}

	if out == "" && src != "-" {
		out = strings.TrimSuffix(src, filepath.Ext(src)) + "." + string(format)
	}
	if out == "" || out == "-" {
		if _, err := c.stdout.Write(buf.Bytes()); err != nil {
			fmt.Fprintf(c.stderr, "shuniu layout: 写出：%v\n", err)
			return 1
		}
		return 0
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintf(c.stderr, "shuniu layout: 写出 %s：%v\n", out, err)
		return 1
	}
	fmt.Fprintf(c.stderr, "shuniu layout: 已生成 %s\n", out)
	return 0
}

func displayName(src string) string {
	if src == "-" {
		return "标准输入"
	}
	return src
}
