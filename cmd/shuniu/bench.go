package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/shuniu-oa/shuniu/internal/loadgen"
)

// listFlag collects a repeated flag (--url A --url B) or a comma list.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

const benchUsage = `用法:
  shuniu bench load --url http://127.0.0.1:8080 [--url …] [--factor 10] [--duration 5m]
                    [--metrics http://127.0.0.1:PORT/metrics …] [--pid N …] [--login wenmi] [--password …] [--json]
      对运行中的服务重放一个区县的工作日高峰（见 docs/perf.md“负载测试”）：8:30 登录高峰，
      然后按 --factor 倍的高峰时段操作量持续 --duration；按操作报告 p50/p95/p99、错误和服务的常驻内存`

func runBench(ctx context.Context, c *cli) int {
	if len(c.args) > 0 && c.args[0] == "search-corpus" {
		return runBenchSearch(ctx, c)
	}
	if len(c.args) == 0 || c.args[0] != "load" {
		fmt.Fprintln(c.stderr, benchUsage+"\n"+benchSearchUsage)
		return 2
	}
	var cfg loadgen.Config
	var urls, metrics, pids listFlag
	var asJSON bool
	var seed int64
	fs := flag.NewFlagSet("bench load", flag.ContinueOnError)
	fs.Var(&urls, "url", "服务地址，可重复或以逗号分隔（多个服务共用一个 PostgreSQL 时轮流发往各服务）")
	fs.Float64Var(&cfg.Factor, "factor", 1, "高峰时段的倍数（1 = 一个演示规模区县的高峰时段，见 docs/perf.md）")
	fs.DurationVar(&cfg.Duration, "duration", 5*time.Minute, "高峰时段持续多久（登录高峰之后）")
	fs.StringVar(&cfg.Login, "login", "wenmi", "用于读取通讯录的账户")
	fs.StringVar(&cfg.Password, "password", c.getenv("SHUNIU_BENCH_PASSWORD"), "各账户的密码（默认演示密码 Demo@2026ql；SHUNIU_BENCH_PASSWORD）")
	fs.Var(&metrics, "metrics", "服务的监控指标地址（读取常驻内存），可重复")
	fs.Var(&pids, "pid", "或服务的进程号（同一台机器），可重复")
	fs.IntVar(&cfg.BurstConcurrency, "burst", 50, "登录高峰中同时登录的人数")
	fs.BoolVar(&cfg.NoBurst, "no-burst", false, "跳过 8:30 登录高峰（只登录用到的人）")
	fs.BoolVar(&cfg.SignedIn, "signed-in", false, "与 -no-burst 同用：高峰时段前先让每人登录一次（不计入高峰时段），只量登录后的业务操作")
	fs.IntVar(&cfg.MaxInFlight, "max-inflight", 256, "同时进行的操作上限")
	fs.Int64Var(&seed, "seed", 1, "随机种子")
	fs.BoolVar(&asJSON, "json", false, "以 JSON 输出报告")
	if !parse(fs, c.args[1:], c.stderr) {
		return 2
	}
	if len(urls) == 0 {
		urls = listFlag{"http://127.0.0.1:8080"}
	}
	if cfg.Password == "" {
		cfg.Password = "Demo@2026ql"
	}
	cfg.URLs, cfg.Metrics, cfg.Seed = urls, metrics, uint64(seed)
	for _, p := range pids {
		n, err := strconv.Atoi(p)
		if err != nil {
			fmt.Fprintln(c.stderr, "shuniu bench: --pid 应为进程号:", p)
			return 2
		}
		cfg.PIDs = append(cfg.PIDs, n)
	}
	if f, ok := c.stderr.(*os.File); ok && isatty.IsTerminal(f.Fd()) && !asJSON {
		cfg.Progress = c.stderr
	}
	rep, err := loadgen.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu bench:", err)
		return 1
	}
	if asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep)
	} else {
		rep.Write(c.stdout)
	}
	if rep.TotalErrors() > 0 {
		return 1
	}
	return 0
}
