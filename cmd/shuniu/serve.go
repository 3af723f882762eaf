package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/pprof"
	"os"
	"slices"
	"time"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/blob"
	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/layout"
	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/proofread"
	"github.com/shuniu-oa/shuniu/internal/schedule"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/web"
)

func runServe(ctx context.Context, c *cli) int {
	var cfg config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfg.flags(fs, c.getenv, true, "shuniu-data")
	if !parse(fs, c.args, c.stderr) {
		return 2
	}
	return serve(ctx, c, &cfg, false)
}

func runDemo(ctx context.Context, c *cli) int {
	var cfg config
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	cfg.flags(fs, c.getenv, true, "shuniu-demo")
	if !parse(fs, c.args, c.stderr) {
		return 2
	}
	return serve(ctx, c, &cfg, true)
}

func serve(ctx context.Context, c *cli, cfg *config, isDemo bool) int {
	if err := cfg.resolve(); err != nil {
		fmt.Fprintln(c.stderr, "shuniu:", err)
		return 1
	}
	log := cfg.logger(c.stderr)
	if cfg.syslog != "" {
		if _, err := audit.ParseSyslog(cfg.syslog); err != nil {
			fmt.Fprintln(c.stderr, "shuniu:", err)
			return 2
		}
	}
	chans, err := channels(c.getenv)
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu:", err)
		return 2
	}
	for name := range chans {
		cfg.channels = append(cfg.channels, name)
	}
	slices.Sort(cfg.channels)
	s, err := cfg.openStore(ctx, log, false, keyWrite)
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu:", err)
		return 1
	}
	defer s.Close()
	opt := web.Options{Logger: log, SecureCookies: cfg.secure, Version: versionString(), DataDir: cfg.dataDir}
	if opt.MasterKey, err = cfg.loadMasterKey(); err != nil {
		fmt.Fprintln(c.stderr, "shuniu: 主密钥：", err)
		return 1
	}
	// The proofreader and the fonts are loaded once per process and shared by
	// every request. Without fonts the server still runs; printing says why not.
	if opt.Proofreader, err = proofread.New(proofread.Config{}); err != nil {
		fmt.Fprintln(c.stderr, "shuniu: 加载校对器失败:", err)
		return 1
	}
	opt.Renderer, opt.RendererErr = layout.NewRenderer(fontConfig(c.getenv), c.getenv)
	if opt.RendererErr != nil {
		log.Warn("printing disabled: fonts not loaded; run scripts/setup-fonts.sh", "err", opt.RendererErr)
	}
	if isDemo {
		// Say plainly what a fresh machine lacks, and how to get it.
		if opt.RendererErr != nil {
			fmt.Fprintln(c.stdout, "注意：未找到排版字体，打印（PDF/OFD）不可用。安装：sudo bash scripts/setup-fonts.sh（或用 ./scripts/demo 启动演示）")
		}
		if opt.Proofreader.NgramModelPath() == "" {
			fmt.Fprintln(c.stdout, "注意：未找到 fcitx5 词语模型，校对只用内置模型，错别字检查较弱。安装：sudo apt-get install libime-data-language-model（或用 ./scripts/demo 启动演示）")
		}
		d := demo.NewDistrict(s.Now())
		seeded, err := demo.Seeded(ctx, s)
		if err != nil {
			fmt.Fprintln(c.stderr, "shuniu:", err)
			return 1
		}
		if !seeded {
			fmt.Fprintf(c.stdout, "正在创建演示区县“%s%s”……\n", d.City, d.Name)
			if err := demo.Seed(ctx, s, d); err != nil {
				fmt.Fprintln(c.stderr, "shuniu: 创建演示数据失败:", err)
				return 1
			}
			fmt.Fprintln(c.stdout, "正在生成一年的演示公文（首次启动约需十秒）……")
		}
		if err := demo.SeedDocuments(ctx, s, d, s.Now()); err != nil {
			fmt.Fprintln(c.stderr, "shuniu: 生成演示公文失败:", err)
			return 1
		}
		if err := demo.SeedSeals(ctx, s, d, opt.MasterKey, s.Now()); err != nil {
			fmt.Fprintln(c.stderr, "shuniu: 生成演示电子印章失败:", err)
			return 1
		}
		if err := demo.SeedSupervision(ctx, s, d, s.Now()); err != nil {
			fmt.Fprintln(c.stderr, "shuniu: 生成演示督办事项失败:", err)
			return 1
		}
		if err := demo.SeedRequests(ctx, s, d, s.Now()); err != nil {
			fmt.Fprintln(c.stderr, "shuniu: 生成演示用印用车失败:", err)
			return 1
		}
		if err := demo.SeedESealUse(ctx, s, d, s.Now()); err != nil {
			fmt.Fprintln(c.stderr, "shuniu: 关联演示电子印章失败:", err)
			return 1
		}
		if err := demo.SeedDuty(ctx, s, d, s.Now()); err != nil {
			fmt.Fprintln(c.stderr, "shuniu: 生成演示值班数据失败:", err)
			return 1
		}
		if err := demo.SeedMeetings(ctx, s, d, s.Now()); err != nil {
			fmt.Fprintln(c.stderr, "shuniu: 生成演示会议失败:", err)
			return 1
		}
		if bs, err := blob.New(cfg.dataDir, document.DefaultAttachmentPolicy()); err != nil {
			fmt.Fprintln(c.stderr, "shuniu: 生成演示会议材料失败:", err)
			return 1
		} else if err := demo.SeedMeetingMaterials(ctx, s, bs, d, s.Now()); err != nil {
			fmt.Fprintln(c.stderr, "shuniu: 生成演示会议材料失败:", err)
			return 1
		}
		if err := demo.SeedPlanner(ctx, s, d, s.Now()); err != nil {
			fmt.Fprintln(c.stderr, "shuniu: 生成演示领导日程失败:", err)
			return 1
		}
		if err := demo.SeedResearch(ctx, s, d, s.Now()); err != nil {
			fmt.Fprintln(c.stderr, "shuniu: 生成演示调研和学习培训失败:", err)
			return 1
		}
		if err := demo.SeedInfo(ctx, s, d, s.Now()); err != nil {
			fmt.Fprintln(c.stderr, "shuniu: 生成演示信息报送失败:", err)
			return 1
		}
		if err := demo.SeedEvaluate(ctx, s, d, s.Now()); err != nil {
			fmt.Fprintln(c.stderr, "shuniu: 生成演示考核规则失败:", err)
			return 1
		}
		for _, l := range d.Logins {
			opt.DemoLogins = append(opt.DemoLogins, web.DemoLogin{Login: l.Login, Password: l.Password, Name: l.Name, Role: l.Role.Label(), Unit: l.Unit})
		}
	}
	srv, err := web.New(s, opt)
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu:", err)
		return 1
	}
	// The durable scheduler runs in every server; the database keeps any
	// number of them from firing a timer twice.
	sched := &schedule.Runner{Store: s, Worker: workerName(), Channels: chans, Log: log,
		Sweeps: []schedule.Sweep{supervisionSweep(s.Now(), nil), docWatchSweep(s.Now()), signInSweep(s.Now()), digestSweep(s.Now()), schedule.TomorrowSweep(s.Now()),
			schedule.ProofreadSweep(s.Now()), infoUrgeSweep(s), researchUrgeSweep(s)}}
	schedCtx, stopSched := context.WithCancel(ctx)
	schedDone := make(chan struct{})
	go func() {
		defer close(schedDone)
		_ = sched.Run(schedCtx, 30*time.Second)
	}()
	defer func() { stopSched(); <-schedDone }()
	// Files of documents raised to (or lowered from) 秘密/机密 that a request
	// did not finish converting, and those classified before encryption at
	// rest existed, are converted in the background.
	cryptDone := make(chan struct{})
	go func() {
		defer close(cryptDone)
		t := time.NewTicker(30 * time.Second)
		defer t.Stop()
		for {
			if n, err := srv.ReconcileFiles(schedCtx); err != nil && schedCtx.Err() == nil {
				log.Warn("file encryption", "done", n, "err", err)
			}
			select {
			case <-schedCtx.Done():
				return
			case <-t.C:
			}
		}
	}()
	defer func() { stopSched(); <-cryptDone }()
	// Every server signs checkpoints of the audit chain's head, out of the
	// database's reach; the last one as it stops.
	cp, err := cfg.checkpointer(s, workerName(), log)
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu:", err)
		return 1
	}
	cpCtx, stopCP := context.WithCancel(ctx)
	cpDone := make(chan struct{})
	go func() {
		defer close(cpDone)
		cp.Run(cpCtx, cfg.checkpointEvery)
	}()
	defer func() { stopCP(); <-cpDone }()
	// /metrics has its own listener, loopback by default: it is not on the
	// public address.
	metricsURL := ""
	if cfg.metrics != "off" && cfg.metrics != "" {
		ln, err := web.Listen(cfg.metrics)
		if err != nil {
			fmt.Fprintln(c.stderr, "shuniu: 指标地址:", err)
			return 1
		}
		metricsURL = "http://" + ln.Addr().String() + "/metrics"
		metricsDone := make(chan struct{})
		go func() {
			defer close(metricsDone)
			h := srv.MetricsHandler()
			if cfg.pprof {
				h = withProfiles(h)
			}
			if err := web.ServeOn(ctx, ln, h, log); err != nil {
				log.Error("metrics server", "err", err)
			}
		}()
		defer func() { <-metricsDone }()
	}
	scheme := "http"
	listen := func(ready func(string)) error { return web.Serve(ctx, cfg.addr, srv.Handler(), log, ready) }
	if cfg.tlsCert != "" {
		scheme = "https"
		listen = func(ready func(string)) error {
			return web.ServeTLS(ctx, cfg.addr, cfg.tlsCert, cfg.tlsKey, srv.Handler(), log, ready)
		}
	}
	err = listen(func(addr string) {
		fmt.Fprintf(c.stdout, "枢纽已启动：%s://%s/  （数据库：%s %s）\n", scheme, addr, s.Dialect(), cfg.dbLabel())
		if metricsURL != "" {
			fmt.Fprintf(c.stdout, "监控指标：%s\n", metricsURL)
		}
		if isDemo {
			fmt.Fprintln(c.stdout, "演示账户（密码均为 "+demo.Password+"）：")
			for _, l := range opt.DemoLogins {
				fmt.Fprintf(c.stdout, "  %-10s %-8s %s · %s\n", l.Login, l.Role, l.Name, l.Unit)
			}
		}
		fmt.Fprintln(c.stdout, "按 Ctrl+C 停止。")
	})
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu:", err)
		return 1
	}
	return 0
}

// supervisionSweep turns the passage of time into supervision reminders,
// warnings and escalations (see store.Tx.RunSupervision). A first run starts
// at start: items seeded or imported before it fire nothing retroactively.
func supervisionSweep(start time.Time, routes store.SupRoutes) schedule.Sweep {
	return schedule.Sweep{Name: store.SupervisionSweepName, Start: start, Run: func(ctx context.Context, tx *store.Tx, from, to time.Time) error {
		_, err := tx.RunSupervision(ctx, from, to, routes)
		return err
	}}
}

// docWatchSweep tells people of 办文 work that fell late: copies not signed
// for in time (to the sender and both offices), handovers not acknowledged and
// steps past their time (see store.Tx.RunDocWatch).
func docWatchSweep(start time.Time) schedule.Sweep {
	return schedule.Sweep{Name: store.DocWatchSweepName, Start: start, Run: func(ctx context.Context, tx *store.Tx, from, to time.Time) error {
		_, err := tx.RunDocWatch(ctx, from, to)
		return err
	}}
}

// signInSweep forgets sign-in counters that no longer matter (no stop in
// force, no failure for a day, no sign-in for UsualFor), so that strangers
// trying made-up names do not grow the table for ever.
func signInSweep(start time.Time) schedule.Sweep {
	return schedule.Sweep{Name: "sign_in_limits", Start: start, Run: func(ctx context.Context, tx *store.Tx, from, to time.Time) error {
		_, err := tx.PruneLoginLimits(ctx, to, 24*time.Hour)
		return err
	}}
}

// digestSweep sends the daily 待办 digest at store.DigestHour on working
// days to those who asked for it (notify.Prefs).
func digestSweep(start time.Time) schedule.Sweep {
	return schedule.Sweep{Name: "notify.digest", Start: start, Run: func(ctx context.Context, tx *store.Tx, from, to time.Time) error {
		_, err := tx.SendDigests(ctx, from, to)
		return err
	}}
}

// infoUrgeSweep urges (催报) the units late on a 约稿 in office hours on
// working days, each unit at most once a day.
func infoUrgeSweep(s *store.Store) schedule.Sweep {
	return schedule.Sweep{Name: "info.urge", Start: s.Now(), Run: func(ctx context.Context, tx *store.Tx, from, to time.Time) error {
		cal := s.Calendar()
		if at := to.In(cal.Location()); !cal.IsWorkday(at) || at.Hour() < 9 || at.Hour() >= 17 {
			return nil
		}
		_, err := tx.UrgeInfoSolicitations(ctx, org.Person{}, "")
		return err
	}}
}

// researchUrgeSweep urges (催报) the units late with a research report in
// office hours on working days, each unit at most once a day
// (store.Tx.UrgeOverdueResearch).
func researchUrgeSweep(s *store.Store) schedule.Sweep {
	return schedule.Sweep{Name: store.ResearchUrgeSweepName, Start: s.Now(), Run: func(ctx context.Context, tx *store.Tx, from, to time.Time) error {
		cal := s.Calendar()
		if at := to.In(cal.Location()); !cal.IsWorkday(at) || at.Hour() < 9 || at.Hour() >= 17 {
			return nil
		}
		_, err := tx.UrgeOverdueResearch(ctx)
		return err
	}}
}

// workerName identifies this server among the schedulers sharing a database.
func workerName() string {
	host, err := os.Hostname()
	if err != nil {
		host = "shuniu"
	}
	return fmt.Sprintf("%s:%d", host, os.Getpid())
}

// channels are the outbound notification channels configured by environment:
// SHUNIU_SMTP_ADDR and SHUNIU_SMTP_FROM (plus SHUNIU_SMTP_USER and
// SHUNIU_SMTP_PASSWORD); SHUNIU_WEBHOOK_URL with SHUNIU_WEBHOOK_SECRET and
// SHUNIU_WEBHOOK_FORMAT (json, the default, for an SMS gateway or relay;
// wecom for a 企业微信/政务微信 group robot; dingtalk for a 钉钉 robot); and
// SHUNIU_BASE_URL, the address people open, to make links whole.
func channels(getenv func(string) string) (map[string]notify.Channel, error) {
	out := map[string]notify.Channel{}
	base := getenv("SHUNIU_BASE_URL")
	if addr := getenv("SHUNIU_SMTP_ADDR"); addr != "" {
		if getenv("SHUNIU_SMTP_FROM") == "" {
			return nil, errors.New("已设置 SHUNIU_SMTP_ADDR，还须设置发件人 SHUNIU_SMTP_FROM")
		}
		out[notify.ChannelSMTP] = notify.SMTP{Addr: addr, From: getenv("SHUNIU_SMTP_FROM"), Username: getenv("SHUNIU_SMTP_USER"), Password: getenv("SHUNIU_SMTP_PASSWORD"), BaseURL: base}
	}
	if url := getenv("SHUNIU_WEBHOOK_URL"); url != "" {
		f := getenv("SHUNIU_WEBHOOK_FORMAT")
		switch f {
		case "", notify.FormatJSON, notify.FormatWeCom, notify.FormatDingTalk:
		default:
			return nil, fmt.Errorf("SHUNIU_WEBHOOK_FORMAT=%q 无效：可选 json（默认）、wecom（企业微信/政务微信群机器人）、dingtalk（钉钉群机器人）", f)
		}
		out[notify.ChannelWebhook] = notify.Webhook{URL: url, Secret: getenv("SHUNIU_WEBHOOK_SECRET"), Format: f, BaseURL: base}
	}
	return out, nil
}

// fontConfig names the licensed font files a deployment may configure; empty
// entries fall back to the free faces in $SHUNIU_FONT_DIR (see docs/layout.md).
func fontConfig(getenv func(string) string) layout.FontConfig {
	return layout.FontConfig{
		FangSong:     getenv("SHUNIU_FONT_FANGSONG"),
		XiaoBiaoSong: getenv("SHUNIU_FONT_XIAOBIAOSONG"),
		Song:         getenv("SHUNIU_FONT_SONG"),
		HeiTi:        getenv("SHUNIU_FONT_HEITI"),
		KaiTi:        getenv("SHUNIU_FONT_KAITI"),
	}
}

// withProfiles adds Go's profiles to the metrics handler: an operator
// chasing a slow page or a memory peak profiles the running server
// (go tool pprof http://127.0.0.1:PORT/debug/pprof/profile). Off by
// default: a heap profile can hold fragments of data.
func withProfiles(metrics http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", metrics)
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}
