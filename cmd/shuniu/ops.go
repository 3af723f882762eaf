package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/account"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// operator is how command-line changes appear in the audit log.
const operator = "运维（命令行）"

func openStore(ctx context.Context, c *cli, cfg *config, noMigrate bool, use keyUse) (*store.Store, bool) {
	if err := cfg.resolve(); err != nil {
		fmt.Fprintln(c.stderr, "shuniu:", err)
		return nil, false
	}
	s, err := cfg.openStore(ctx, cfg.logger(c.stderr), noMigrate, use)
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu:", err)
		return nil, false
	}
	return s, true
}

func runMigrate(ctx context.Context, c *cli) int {
	var cfg config
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	cfg.flags(fs, c.getenv, false, "shuniu-data")
	if !parse(fs, c.args, c.stderr) {
		return 2
	}
	s, ok := openStore(ctx, c, &cfg, true, keyWrite)
	if !ok {
		return 1
	}
	defer s.Close()
	applied, err := s.Migrate(ctx)
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu migrate:", err)
		return 1
	}
	if len(applied) == 0 {
		fmt.Fprintln(c.stdout, "数据库结构已是最新。")
	}
	for _, a := range applied {
		fmt.Fprintln(c.stdout, "已应用", a)
	}
	return 0
}

func runUser(ctx context.Context, c *cli) int {
	usage := func() int {
		fmt.Fprintln(c.stderr, `用法:
  shuniu user add    --login L --name 姓名 [--role 角色] [--unit 单位ID] [--password P]
  shuniu user passwd --login L [--password P]     重置密码（未给出则生成，首次登录须修改；会话结束、接口令牌撤销）
  shuniu user lock   --login L                    停用账户
  shuniu user unlock --login L                    启用账户并解除锁定
  shuniu user otp-reset --login L                 停用本人的动态口令（手机丢失时；本人可重新启用）
三员角色（sysadmin、security_officer、auditor）只能在这里设置；三员账户的密码也只能在这里重置、账户只能在这里停用和启用。`)
		return 2
	}
	if len(c.args) == 0 {
		return usage()
	}
	sub := c.args[0]
	var cfg config
	var login, name, role, unitID, password string
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	cfg.flags(fs, c.getenv, false, "shuniu-data")
	fs.StringVar(&login, "login", "", "账户名")
	if sub == "add" {
		fs.StringVar(&name, "name", "", "姓名")
		fs.StringVar(&role, "role", "", "角色")
		fs.StringVar(&unitID, "unit", "", "业务角色所在单位的 ID")
	}
	if sub == "add" || sub == "passwd" {
		fs.StringVar(&password, "password", "", "密码（不给出则生成一次性密码）")
	}
	switch sub {
	case "add", "passwd", "lock", "unlock", "otp-reset":
	default:
		return usage()
	}
	if !parse(fs, c.args[1:], c.stderr) {
		return 2
	}
	if login == "" {
		fmt.Fprintln(c.stderr, "shuniu user: 必须给出 --login")
		return 2
	}
	s, ok := openStore(ctx, c, &cfg, false, keyWrite)
	if !ok {
		return 1
	}
	defer s.Close()
	pol, err := s.Policy(ctx)
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu user:", err)
		return 1
	}
	generated := false
	if (sub == "add" || sub == "passwd") && password == "" {
		if password, err = account.TempPassword(); err != nil {
			fmt.Fprintln(c.stderr, "shuniu user:", err)
			return 1
		}
		generated = true
	}
	var hash string
	if password != "" {
		holder := account.Holder{Login: login, Name: name}
		if sub == "passwd" {
			if p, err := s.PersonByLogin(ctx, login); err == nil {
				holder.Name = p.Name
			}
		}
		if err := pol.CheckPassword(password, holder); err != nil {
			fmt.Fprintln(c.stderr, "shuniu user: 密码不符合策略:", err)
			return 2
		}
		if hash, err = account.HashPassword(password); err != nil {
			fmt.Fprintln(c.stderr, "shuniu user:", err)
			return 1
		}
	}
	err = s.Write(ctx, func(tx *store.Tx) error {
		ev := audit.Event{ActorName: operator, Action: "account." + sub, ObjectKind: "person", IP: "cli"}
		switch sub {
		case "add":
			if strings.TrimSpace(name) == "" {
				return errors.New("必须给出 --name")
			}
			p := org.Person{ID: uid.New(), Name: name, Login: login}
			if err := tx.CreatePerson(ctx, p, hash, true); err != nil {
				return err
			}
			if role != "" {
				r, err := org.ParseRole(role)
				if err != nil {
					return err
				}
				ra := org.RoleAssignment{PersonID: p.ID, Role: r, UnitID: unitID}
				if !r.Admin() {
					if _, err := tx.Unit(ctx, unitID); err != nil {
						return fmt.Errorf("业务角色须用 --unit 指定存在的单位: %w", err)
					}
				}
				if err := tx.SetRoles(ctx, p.ID, []org.RoleAssignment{ra}); err != nil {
					return err
				}
			}
			ev.ObjectID, ev.Detail = p.ID, fmt.Sprintf(`{"login":%q,"role":%q}`, login, role)
		default:
			p, err := tx.PersonByLogin(ctx, login)
			if err != nil {
				return fmt.Errorf("账户 %s 不存在", login)
			}
			ev.ObjectID = p.ID
			switch sub {
			case "passwd":
				// The one way to reset an administrator's password; it also
				// ends the person's sessions and revokes their API tokens.
				err = tx.ResetPassword(ctx, p.ID, hash)
			case "lock":
				err = tx.SetDisabled(ctx, p.ID, true)
			case "unlock":
				err = tx.SetDisabled(ctx, p.ID, false)
			case "otp-reset":
				err = tx.ResetOTP(ctx, p.ID)
			}
			if err != nil {
				return err
			}
		}
		return tx.Audit(ctx, ev)
	})
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu user:", err)
		return 1
	}
	switch sub {
	case "add":
		fmt.Fprintf(c.stdout, "已创建账户 %s。\n", login)
	case "passwd":
		fmt.Fprintf(c.stdout, "已重置 %s 的密码。\n", login)
	case "lock":
		fmt.Fprintf(c.stdout, "已停用 %s。\n", login)
	case "unlock":
		fmt.Fprintf(c.stdout, "已启用 %s。\n", login)
	case "otp-reset":
		fmt.Fprintf(c.stdout, "已停用 %s 的动态口令；本人可在“动态口令”页重新启用。\n", login)
	}
	if generated {
		fmt.Fprintf(c.stdout, "一次性密码：%s（首次登录须修改）\n", password)
	}
	return 0
}

func runAudit(ctx context.Context, c *cli) int {
	if len(c.args) == 0 || (c.args[0] != "verify" && c.args[0] != "checkpoint") {
		fmt.Fprintln(c.stderr, `用法:
  shuniu audit verify     [--db …] [--data-dir …] [--audit-key-file F] [--audit-checkpoint-dir D]
      校验整条审计链（带密钥的哈希）及其与检查点的一致；有问题时指出第一条出错的条目，退出码 1
  shuniu audit checkpoint [--db …] [--data-dir …] [--audit-key-file F] [--audit-checkpoint-dir D] [--audit-syslog URL]
      立即为链头写一个签名检查点（服务运行时每分钟自动写）`)
		return 2
	}
	sub := c.args[0]
	var cfg config
	fs := flag.NewFlagSet("audit "+sub, flag.ContinueOnError)
	cfg.flags(fs, c.getenv, false, "shuniu-data")
	if sub == "checkpoint" {
		fs.StringVar(&cfg.syslog, "audit-syslog", c.getenv("SHUNIU_AUDIT_SYSLOG"), "另发往远程 syslog：tcp://主机:端口 或 udp://主机:端口 (SHUNIU_AUDIT_SYSLOG)")
	}
	if !parse(fs, c.args[1:], c.stderr) {
		return 2
	}
	s, ok := openStore(ctx, c, &cfg, true, keyVerify)
	if !ok {
		return 1
	}
	defer s.Close()
	if sub == "checkpoint" {
		cp, err := cfg.checkpointer(s, workerName(), cfg.logger(c.stderr))
		wrote := false
		if err == nil {
			wrote, err = cp.Once(ctx)
		}
		if err != nil {
			fmt.Fprintln(c.stderr, "shuniu audit checkpoint:", err)
			return 1
		}
		if !wrote {
			fmt.Fprintln(c.stdout, "审计链为空，无需检查点。")
			return 0
		}
		seq, _, _ := s.AuditHead(ctx)
		fmt.Fprintf(c.stdout, "已写入检查点：链头为第 %d 条（%s）。\n", seq, cfg.checkpointDir)
		return 0
	}
	r, err := s.VerifyAuditFull(ctx)
	var be *audit.BrokenError
	switch {
	case errors.As(err, &be):
		fmt.Fprintf(c.stdout, "审计链损坏：%v（此前 %d 条完好）\n", be, r.Entries)
		return 1
	case err != nil:
		fmt.Fprintln(c.stderr, "shuniu audit verify:", err)
		return 1
	}
	fmt.Fprintf(c.stdout, "审计链完整：共 %d 条。\n", r.Entries)
	if r.Checkpoints == 0 {
		fmt.Fprintf(c.stdout, "未找到检查点（%s）：只校验了带密钥的哈希，删除链尾无从发现。\n", cfg.checkpointDir)
	} else {
		l := r.LastCheckpoint
		fmt.Fprintf(c.stdout, "与 %d 个检查点一致；最新的记下第 %d 条（%s，%s）。\n", r.Checkpoints, l.Seq, l.At.Local().Format("2006-01-02 15:04:05"), l.Server)
	}
	return 0
}
