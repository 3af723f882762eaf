package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/account"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// runToken makes an API token for an account from the command line, for
// administrators' automation (a nightly export, a monitoring job) that
// cannot sign in to the 接口令牌 page. The token acts as that account, with
// its roles and clearance; it is printed once and stored only as a hash.
func runToken(ctx context.Context, c *cli) int {
	if len(c.args) == 0 || c.args[0] != "create" {
		fmt.Fprintln(c.stderr, `用法:
  shuniu token create --login L [--expires 90d|2027-03-31] [--name 用途]
      为账户生成接口令牌（仅显示一次）；有效期默认 90 天，最长 365 天`)
		return 2
	}
	var cfg config
	var login, expires, name string
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	cfg.flags(fs, c.getenv, false, "shuniu-data")
	fs.StringVar(&login, "login", "", "账户名")
	fs.StringVar(&expires, "expires", "", "有效期：天数如 90d，或到期日期如 2027-03-31（默认 90 天）")
	fs.StringVar(&name, "name", "命令行生成", "令牌用途")
	if !parse(fs, c.args[1:], c.stderr) {
		return 2
	}
	if login == "" {
		fmt.Fprintln(c.stderr, "shuniu token: 必须给出 --login")
		return 2
	}
	if name = strings.TrimSpace(name); name == "" || len([]rune(name)) > 40 {
		fmt.Fprintln(c.stderr, "shuniu token: 令牌用途不能为空，不超过 40 字")
		return 2
	}
	s, ok := openStore(ctx, c, &cfg, false, keyWrite)
	if !ok {
		return 1
	}
	defer s.Close()
	now := s.Now()
	until, err := tokenExpiry(expires, now)
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu token:", err)
		return 2
	}
	secret, hash, err := account.NewToken()
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu token:", err)
		return 1
	}
	t := store.APIToken{ID: uid.New(), Name: name, TokenHash: hash, Created: now, Expires: until}
	err = s.Write(ctx, func(tx *store.Tx) error {
		p, err := tx.PersonByLogin(ctx, login)
		if err != nil {
			return fmt.Errorf("账户 %s 不存在", login)
		}
		t.PersonID = p.ID
		if err := tx.CreateAPIToken(ctx, t); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorName: operator, Action: "token.create", ObjectKind: "api_token", ObjectID: t.ID, IP: "cli",
			Detail: fmt.Sprintf(`{"login":%q,"person":%q,"name":%q,"expires":%q}`, login, p.ID, name, until.UTC().Format(time.RFC3339))})
	})
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu token:", err)
		return 1
	}
	fmt.Fprintf(c.stdout, "已为 %s 生成接口令牌（%s 到期），仅显示这一次：\n%s\n", login, until.In(calendar.Shanghai()).Format("2006-01-02 15:04"), secret)
	return 0
}

// tokenExpiry reads --expires: a number of days ("90d" or "90"), or the
// last day the token works ("2027-03-31", to the end of that day in
// Beijing). Empty is the default life; more than the longest is refused.
func tokenExpiry(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	maxDays := int(account.MaxTokenLife / (24 * time.Hour))
	var until time.Time
	switch {
	case s == "":
		return now.Add(account.DefaultTokenLife), nil
	case strings.Count(s, "-") == 2:
		d, err := time.ParseInLocation("2006-01-02", s, calendar.Shanghai())
		if err != nil {
			return time.Time{}, fmt.Errorf("到期日期“%s”无效，应如 2027-03-31", s)
		}
		until = d.AddDate(0, 0, 1)
	default:
		n, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
		if err != nil || n < 1 {
			return time.Time{}, fmt.Errorf("有效期“%s”无效，应为天数如 90d 或日期如 2027-03-31", s)
		}
		until = now.Add(time.Duration(n) * 24 * time.Hour)
	}
	if !until.After(now) {
		return time.Time{}, errors.New("到期时间已过")
	}
	if until.Sub(now) > account.MaxTokenLife {
		return time.Time{}, fmt.Errorf("有效期最长 %d 天", maxDays)
	}
	return until, nil
}
