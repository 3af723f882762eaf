package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// browser starts a headless Chromium for the test, or skips when there is none
// (CI sets SHUNIU_REQUIRE_BROWSER=1 so that a missing browser fails instead).
func browser(t *testing.T) context.Context {
	t.Helper()
	return browserWithin(t, 90*time.Second)
}

// browserWithin is browser for a test whose whole walk takes up to d: a
// walk of many sign-ins on the demo district, which CI runs beside the
// store's tests on two cores.
func browserWithin(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	return browserFor(t, d)
}

// browserFor is browser for a walk that may take up to limit.
func browserFor(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	// Under qemu-user (scripts/test-qemu.sh) the Chromium on the PATH is the
	// host's, not one for the emulated CPU: the emulated run is the
	// non-browser suite (issue 17), and the browser walks run natively.
	if os.Getenv(storetest.EnvExec) != "" {
		t.Skip("browser walks do not run under emulation (" + storetest.EnvExec + " is set)")
	}
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("SHUNIU_REQUIRE_BROWSER") == "1" {
			t.Fatal("no Chromium found; run scripts/setup.sh")
		}
		t.Skip("no Chromium found; run scripts/setup.sh to install it")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("SHUNIU_SCREENSHOTS")
	if dir == "" {
		return
	}
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		_ = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
}

func browserLogin(ctx context.Context, base, login string) error {
	return chromedp.Do(ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(`input[name=login]`),
		chromedp.SendKeys(`input[name=login]`, login),
		chromedp.SendKeys(`input[name=password]`, demo.Password),
		chromedp.Submit(`input[name=password]`),
	)
}

// text waits for sel and returns its text.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(sel)); err != nil {
		t.Fatalf("wait for %s: %v", sel, err)
	}
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func TestBrowserClerkAndAuditor(t *testing.T) {
	e := newEnv(t)
	ctx := browser(t)

	// A clerk signs in and lands on the 工作台 with the three lists and counts.
	if err := browserLogin(ctx, e.srv.URL, "wenmi"); err != nil {
		t.Fatal(err)
	}
	todo := text(t, ctx, `[data-testid=count-todo]`)
	heading := text(t, ctx, `main h1`)
	side := text(t, ctx, `aside.side`)
	screenshot(t, ctx, "workbench-clerk")
	if heading != "工作台" || todo == "" || !strings.Contains(side, "秘书科") {
		t.Errorf("workbench: heading %q todo %q side %q", heading, todo, side)
	}
	// The clerk's menu has no audit log; going there by URL is refused.
	if nav := text(t, ctx, `nav.mainnav`); strings.Contains(nav, "审计日志") {
		t.Error("clerk's menu shows the audit log")
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/audit")); err != nil {
		t.Fatal(err)
	}
	if refused := text(t, ctx, `main`); !strings.Contains(refused, "仅限安全审计员") {
		t.Errorf("clerk on /audit: %q", refused)
	}
	// Sign out through the menu.
	if err := chromedp.Do(ctx, chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`input[name=login]`)); err != nil {
		t.Fatal(err)
	}

	// The auditor lands on the audit log, sees the clerk's login and refusal,
	// and verifies the chain.
	if err := browserLogin(ctx, e.srv.URL, "auditor"); err != nil {
		t.Fatal(err)
	}
	table := text(t, ctx, `[data-testid=audit-table]`)
	screenshot(t, ctx, "audit-auditor")
	for _, want := range []string{"login", "access.deny", "logout", "wenmi"} {
		if !strings.Contains(table, want) {
			t.Errorf("audit table lacks %q", want)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Click(`[data-testid=verify]`)); err != nil {
		t.Fatal(err)
	}
	if result := text(t, ctx, `[data-testid=verify-result]`); !strings.Contains(result, "审计链完整") {
		t.Errorf("verify result: %q", result)
	}
}
