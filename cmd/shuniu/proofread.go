package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/mattn/go-isatty"

	"github.com/shuniu-oa/shuniu/internal/proofread"
	"github.com/shuniu-oa/shuniu/internal/schedule"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// proofreadData loads the proofreader's language data once per process;
// each run applies its configuration with With, which shares the data.
var proofreadData = sync.OnceValues(func() (*proofread.Checker, error) { return proofread.New(proofread.Config{}) })

// runProofread is `shuniu proofread [--format text|json|jsonl] [--db DSN] FILE|-`.
// --db applies a deployment's word lists and switches; SHUNIU_PROOFREAD_DISABLE
// (comma-separated rule IDs or categories) switches further rules off.
func runProofread(ctx context.Context, c *cli) int {
	if len(c.args) > 0 && c.args[0] == "build-model" {
		return runBuildModel(ctx, &cli{args: c.args[1:], stdin: c.stdin, stdout: c.stdout, stderr: c.stderr, getenv: c.getenv})
	}
	format, path, db, err := parseProofreadArgs(c.args)
	if errors.Is(err, errProofreadHelp) {
		fmt.Fprintln(c.stdout, proofreadUsage)
		return 0
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "shuniu proofread: %v\n%s\n", err, proofreadUsage)
		return 2
	}
	input, err := readProofreadInput(path, c.stdin)
	if err != nil {
		fmt.Fprintf(c.stderr, "shuniu proofread: %v\n", err)
		return 2
	}
	var cfg proofread.Config
	if db != "" {
		// The deployment's own lists and switches, as the web pages use them.
		if cfg, err = deploymentProofConfig(ctx, db); err != nil {
			fmt.Fprintf(c.stderr, "shuniu proofread: %v\n", err)
			return 2
		}
	}
	for _, d := range strings.Split(c.getenv("SHUNIU_PROOFREAD_DISABLE"), ",") {
		if d = strings.TrimSpace(d); d != "" {
			cfg.Disabled = append(cfg.Disabled, d)
		}
	}
	checker, err := proofreadData()
	if err == nil {
		checker, err = checker.With(cfg)
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "shuniu proofread: %v\n", err)
		return 1
	}
	var fs []proofread.Finding
	if format != "jsonl" {
		// One check holds the whole input: bounded by proofread.MaxInput.
		// Larger files go line by line (--format jsonl).
		if fs, err = checker.CheckContext(ctx, input); err != nil {
			fmt.Fprintf(c.stderr, "shuniu proofread: %v；更大的文件请用 --format jsonl 逐行校对\n", err)
			return 2
		}
	}
	switch format {
	case "json":
		err = writeJSON(c.stdout, fs)
	case "jsonl":
		err = writeJSONL(ctx, c.stdout, checker, input)
	default:
		err = writeText(c.stdout, input, fs, useColour(c))
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "shuniu proofread: %v\n", err)
		return 1
	}
	return 0
}

const proofreadUsage = `用法: shuniu proofread [--format text|json|jsonl] FILE|-
校对 UTF-8 文本或 .docx 文件（- 为标准输入）：text 在上下文中列出问题，json 输出 {"findings":[…]}（字符偏移），
jsonl 逐行校对、每行输出 {"line":N,"findings":[…]}。
--db 数据库（postgres://… 或 SQLite 文件）：使用该部署“校对设置”中的词表和规则开关（只读，不迁移）。
SHUNIU_PROOFREAD_DISABLE=规则或类别,… 另外关闭规则。`

// deploymentProofConfig reads the proofreader's setting (the office's word
// lists and the switched-off rules) from a deployment's database, without
// migrating it.
func deploymentProofConfig(ctx context.Context, db string) (proofread.Config, error) {
	var cfg proofread.Config
	s, err := openDeploymentDB(ctx, db)
	if err != nil {
		return cfg, err
	}
	defer s.Close()
	if _, err := s.Setting(ctx, store.ProofreadSettingKey, &cfg); err != nil {
		return cfg, fmt.Errorf("无法读取校对设置：%w", err)
	}
	// What the deployment's issued documents and directory teach it, as
	// the server applies them.
	chunks, err := s.ProofreadChunks(ctx, 0)
	if err == nil {
		cfg.Local, err = schedule.MergeProofreadChunks(nil, chunks)
	}
	if err == nil {
		cfg.Names, err = s.DirectoryNames(ctx)
	}
	if err != nil {
		return cfg, fmt.Errorf("无法读取本部署的校对模型：%w", err)
	}
	return cfg, nil
}

// openDeploymentDB opens a deployment's database as it is, without
// migrating or creating it.
func openDeploymentDB(ctx context.Context, db string) (*store.Store, error) {
	if !strings.HasPrefix(db, "postgres://") && !strings.HasPrefix(db, "postgresql://") {
		// Opening a SQLite path that does not exist would create an empty
		// database there.
		if _, err := os.Stat(db); err != nil {
			return nil, fmt.Errorf("无法打开数据库：%w", err)
		}
	}
	s, err := store.Open(ctx, db, store.Options{NoMigrate: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, fmt.Errorf("无法打开数据库：%w", err)
	}
	return s, nil
}

// errProofreadHelp asks for the usage text.
var errProofreadHelp = errors.New("help")

func parseProofreadArgs(args []string) (format, path, db string, err error) {
	format = "text"
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--format" || a == "-format" || a == "-f" || a == "--db" || a == "-db":
			if i+1 >= len(args) {
				return "", "", "", fmt.Errorf("%s 需要一个值", a)
			}
			i++
			if strings.HasSuffix(a, "db") {
				db = args[i]
			} else {
				format = args[i]
			}
		case strings.HasPrefix(a, "--format="), strings.HasPrefix(a, "-format="):
			format = a[strings.IndexByte(a, '=')+1:]
		case strings.HasPrefix(a, "--db="), strings.HasPrefix(a, "-db="):
			db = a[strings.IndexByte(a, '=')+1:]
		case a == "-h" || a == "--help" || a == "-help":
			return "", "", "", errProofreadHelp
		case a == "-" || !strings.HasPrefix(a, "-"):
			if path != "" {
				return "", "", "", errors.New("只能校对一个文件")
			}
			path = a
		default:
			return "", "", "", fmt.Errorf("未知参数 %q", a)
		}
	}
	switch format {
	case "text", "json", "jsonl":
	default:
		return "", "", "", fmt.Errorf("不支持的输出格式 %q（可用 text、json、jsonl）", format)
	}
	if path == "" {
		return "", "", "", errors.New("缺少文件参数（用 - 表示标准输入）")
	}
	return format, path, db, nil
}

// readProofreadInput reads UTF-8 text or a .docx (detected by its zip
// signature, whatever the file is called) from a file or standard input.
func readProofreadInput(path string, stdin io.Reader) (string, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(io.LimitReader(stdin, maxProofreadInput+1))
	} else {
		var f *os.File
		f, err = os.Open(path)
		if err == nil {
			data, err = io.ReadAll(io.LimitReader(f, maxProofreadInput+1))
			f.Close()
		}
	}
	if err != nil {
		return "", fmt.Errorf("无法读取输入：%w", err)
	}
	if len(data) > maxProofreadInput {
		return "", fmt.Errorf("输入超过 %d MB", maxProofreadInput>>20)
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		text, err := docxText(data)
		if err != nil {
			return "", fmt.Errorf("无法读取 .docx 文件：%w", err)
		}
		return text, nil
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(data) {
		return "", errors.New("输入不是 UTF-8 编码的文本（GBK 等编码请先转换为 UTF-8）")
	}
	return string(data), nil
}

// maxProofreadInput bounds what the command reads into memory.
const maxProofreadInput = 64 << 20

type jsonFindings struct {
	Findings []proofread.Finding `json:"findings"`
}

type jsonLine struct {
	Line     int                 `json:"line"`
	Findings []proofread.Finding `json:"findings"`
}

func writeJSON(w io.Writer, fs []proofread.Finding) error {
	if fs == nil {
		fs = []proofread.Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(jsonFindings{Findings: fs})
}

func writeJSONL(ctx context.Context, w io.Writer, c *proofread.Checker, input string) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	lines := strings.Split(input, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1] // a final newline ends the last line
	}
	for i, line := range lines {
		if err := ctx.Err(); err != nil {
			return err
		}
		fs, err := c.CheckContext(ctx, strings.TrimSuffix(line, "\r"))
		if err != nil {
			return fmt.Errorf("第 %d 行：%w", i+1, err)
		}
		if fs == nil {
			fs = []proofread.Finding{}
		}
		if err := enc.Encode(jsonLine{Line: i + 1, Findings: fs}); err != nil {
			return err
		}
	}
	return nil
}

// useColour reports whether the text output goes to a terminal (not to a
// file, a pipe or another character device such as /dev/null) and colour is
// not switched off.
func useColour(c *cli) bool {
	if c.getenv("NO_COLOR") != "" || c.getenv("TERM") == "dumb" {
		return false
	}
	f, ok := c.stdout.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

var severityName = map[proofread.Severity]string{
	proofread.SeverityError: "错误", proofread.SeverityWarning: "警告", proofread.SeverityHint: "提示",
}

// writeText prints each finding with its line and column and the line it
// is on, the flagged text marked (in colour on a terminal, in 【】 otherwise).
func writeText(w io.Writer, input string, fs []proofread.Finding, colour bool) error {
	runes := []rune(input)
	// Start of each line, in runes.
	lineStarts := []int{0}
	for i, r := range runes {
		if r == '\n' {
			lineStarts = append(lineStarts, i+1)
		}
	}
	lineOf := func(pos int) int {
		lo, hi := 0, len(lineStarts)-1
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if lineStarts[mid] <= pos {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		return lo
	}
	bw := &errWriter{w: w}
	for _, f := range fs {
		ln := lineOf(f.Start)
		ls := lineStarts[ln]
		le := len(runes)
		if ln+1 < len(lineStarts) {
			le = lineStarts[ln+1] - 1
		}
		end := min(f.End, le)
		// Context: up to 20 characters either side, on the same line.
		cs, ce := max(ls, f.Start-20), min(le, end+20)
		before, hit, after := string(runes[cs:f.Start]), string(runes[f.Start:end]), string(runes[end:ce])
		before, after = strings.TrimRight(before, "\r"), strings.TrimRight(after, "\r")
		mark := "【" + hit + "】"
		if colour {
			code := "33"
			if f.Severity == proofread.SeverityError {
				code = "31"
			} else if f.Severity == proofread.SeverityHint {
				code = "36"
			}
			mark = "\x1b[1;" + code + "m" + hit + "\x1b[0m"
			if hit == "" {
				mark = "\x1b[1;" + code + "m^\x1b[0m"
			}
		}
		fmt.Fprintf(bw, "%d:%d %s %s/%s %s", ln+1, f.Start-ls+1, severityName[f.Severity], f.Category, f.Rule, f.Message)
		if f.Suggestion != "" {
			fmt.Fprintf(bw, "（建议：%s）", f.Suggestion)
		}
		fmt.Fprintf(bw, "\n    %s%s%s\n", before, mark, after)
	}
	if len(fs) == 0 {
		fmt.Fprintln(bw, "未发现问题。")
	} else {
		fmt.Fprintf(bw, "共 %d 处。\n", len(fs))
	}
	return bw.err
}

// errWriter keeps the first write error so that printing code stays flat.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
