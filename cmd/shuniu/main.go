// Command shuniu is the single binary of the Shuniu office platform: it serves
// the web UI and JSON API and carries the operators' subcommands.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// cli is what every subcommand receives: its arguments and the process's streams.
type cli struct {
	args   []string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, c *cli) int
}

func commands() []command {
	return []command{
		{"serve", "运行服务 (run the server)", runServe},
		{"demo", "运行演示区县 (serve the demo district on SQLite)", runDemo},
		{"migrate", "升级数据库结构 (apply migrations)", runMigrate},
		{"user", "账户管理 add|passwd|lock|unlock", runUser},
		{"token", "接口令牌 create --login L [--expires 90d|日期]", runToken},
		{"backup", "备份数据库与附件", runBackup},
		{"gc", "查找并删除无记录引用的附件文件 [--dry-run|--delete] [--min-age 1h]", runGC},
		{"restore", "从备份恢复", runRestore},
		{"audit", "审计日志 verify", runAudit},
		{"proofread", "校对文稿 [--format text|json|jsonl] FILE|-", runProofread},
		{"search", "检索索引 reindex：重建全部检索索引", runSearch},
		{"layout", "按 GB/T 9704 排版 [--format pdf|ofd|docx] SOURCE.txt [-o OUT]", runLayout},
		{"seal", "电子印章 add|list|revoke", runSeal},
		{"verify", "验证收到的 PDF/OFD 文件的电子印章 FILE", runVerify},
		{"bench", "负载测试 load：对运行中的服务重放区县工作日高峰", runBench},
		{"version", "版本信息", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := dispatch(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

func dispatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, cmd := range commands() {
		if cmd.name == args[0] {
			return cmd.run(ctx, &cli{args: args[1:], stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv})
		}
	}
	fmt.Fprintf(stderr, "shuniu: 未知子命令 %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "用法: shuniu <子命令> [参数]")
	for _, cmd := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", cmd.name, cmd.summary)
	}
}
