package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/seal"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// runSeal registers, lists and revokes electronic seals from the command
// line, for automation (the security officer's page does the same).
func runSeal(ctx context.Context, c *cli) int {
	usage := func() int {
		fmt.Fprintln(c.stderr, `用法:
  shuniu seal add    --unit 机关名称或ID --name 印章名称 --kind government|party|office|department|other --image 印章.png
  shuniu seal list
  shuniu seal revoke --id 印章ID
印章私钥由服务器生成，以主密钥（--master-key，默认为数据目录下的 keys/master.key）加密保存。`)
		return 2
	}
	if len(c.args) == 0 {
		return usage()
	}
	sub := c.args[0]
	var cfg config
	var unit, name, kind, image, id string
	fs := flag.NewFlagSet("seal "+sub, flag.ContinueOnError)
	cfg.flags(fs, c.getenv, false, "shuniu-data")
	switch sub {
	case "add":
		fs.StringVar(&unit, "unit", "", "所属机关：单位名称或标识")
		fs.StringVar(&name, "name", "", "印章名称")
		fs.StringVar(&kind, "kind", "", "类别：party 党委、government 政府、office 办公室、department 部门、other 其他")
		fs.StringVar(&image, "image", "", "印章图像（PNG，透明背景，红色）")
	case "revoke":
		fs.StringVar(&id, "id", "", "印章标识")
	case "list":
	default:
		return usage()
	}
	if !parse(fs, c.args[1:], c.stderr) {
		return 2
	}
	s, ok := openStore(ctx, c, &cfg, false, keyWrite)
	if !ok {
		return 1
	}
	defer s.Close()
	switch sub {
	case "list":
		ss, err := s.Seals(ctx)
		if err != nil {
			fmt.Fprintln(c.stderr, "shuniu seal:", err)
			return 1
		}
		for _, x := range ss {
			state := "在用"
			if !x.Revoked.IsZero() {
				state = "已停用 " + x.Revoked.Format("2006-01-02")
			} else if !x.Active(s.Now()) {
				state = "不在有效期"
			}
			fmt.Fprintf(c.stdout, "%s\t%s\t%s\t%s\t%s\t%s 至 %s\t%s\n", x.ID, x.Organ, x.Name, x.Kind.Label(), x.Fingerprint,
				x.ValidFrom.Format("2006-01-02"), x.ValidUntil.Format("2006-01-02"), state)
		}
		return 0
	case "revoke":
		var x seal.Seal
		err := s.Write(ctx, func(tx *store.Tx) error {
			var err error
			if x, err = tx.RevokeSeal(ctx, id); err != nil {
				return err
			}
			return tx.Audit(ctx, audit.Event{ActorName: operator, Action: "seal.revoke", ObjectKind: "seal", ObjectID: x.ID,
				Detail: fmt.Sprintf(`{"organ":%q,"name":%q,"fingerprint":%q}`, x.Organ, x.Name, x.Fingerprint)})
		})
		if errors.Is(err, store.ErrNotFound) {
			fmt.Fprintln(c.stderr, "shuniu seal: 印章不存在或已停用")
			return 1
		}
		if err != nil {
			fmt.Fprintln(c.stderr, "shuniu seal:", err)
			return 1
		}
		fmt.Fprintf(c.stdout, "已停用：%s %s\n", x.Organ, x.Name)
		return 0
	}
	k, ok := seal.ParseKind(kind)
	if !ok {
		fmt.Fprintln(c.stderr, "shuniu seal add: --kind 应为 party、government、office、department 或 other")
		return 2
	}
	img, err := os.ReadFile(image)
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu seal add: 印章图像：", err)
		return 2
	}
	master, err := cfg.loadMasterKey()
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu seal add: 主密钥：", err)
		return 1
	}
	var made seal.Seal
	err = s.Write(ctx, func(tx *store.Tx) error {
		u, err := findUnit(ctx, tx, unit)
		if err != nil {
			return err
		}
		made, err = seal.New(seal.NewRequest{ID: uid.New(), UnitID: u.ID, Organ: u.Name, Name: name, Kind: k, Image: img,
			CreatedBy: operator, Now: tx.Now()}, master)
		if err != nil {
			return err
		}
		if err := tx.AddSeal(ctx, made); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorName: operator, Action: "seal.add", ObjectKind: "seal", ObjectID: made.ID,
			Detail: fmt.Sprintf(`{"organ":%q,"name":%q,"kind":%q,"fingerprint":%q}`, made.Organ, made.Name, made.Kind.Label(), made.Fingerprint)})
	})
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu seal add:", strings.TrimSuffix(err.Error(), ": "+store.ErrConflict.Error()))
		return 1
	}
	fmt.Fprintf(c.stdout, "已登记：%s %s（%s）\n标识：%s\n公钥指纹（SM3）：%s\n有效期：%s 至 %s\n", made.Organ, made.Name, made.Kind.Label(),
		made.ID, made.Fingerprint, made.ValidFrom.Format("2006-01-02"), made.ValidUntil.Format("2006-01-02"))
	return 0
}

// findUnit finds a unit by ID or by its exact name.
func findUnit(ctx context.Context, tx *store.Tx, ref string) (org.Unit, error) {
	ref = strings.TrimSpace(ref)
	if u, err := tx.Unit(ctx, ref); err == nil {
		return u, nil
	}
	us, err := tx.Units(ctx)
	if err != nil {
		return org.Unit{}, err
	}
	for _, u := range us {
		if u.Name == ref {
			return u, nil
		}
	}
	return org.Unit{}, fmt.Errorf("找不到机关“%s”：请给出单位名称或标识", ref)
}

// runVerify checks a received PDF or OFD: who sealed it and whether it was
// changed since. Exit 0 intact, 1 changed or unsealed, 2 unreadable input.
func runVerify(ctx context.Context, c *cli) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	if !parse(fs, c.args, c.stderr) {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(c.stderr, "用法: shuniu verify 文件.pdf|文件.ofd|-")
		return 2
	}
	var data []byte
	var err error
	if fs.Arg(0) == "-" {
		data, err = io.ReadAll(io.LimitReader(c.stdin, 1<<30))
	} else {
		data, err = os.ReadFile(fs.Arg(0))
	}
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu verify:", err)
		return 2
	}
	rep, err := seal.Verify(data)
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu verify:", err)
		return 2
	}
	for _, f := range rep.Seals {
		fmt.Fprintf(c.stdout, "印章：%s　%s\n  公钥指纹（SM3）：%s\n  盖章时间：%s\n", f.Organ, f.SealName, f.Fingerprint, f.Time.In(time.Local).Format("2006-01-02 15:04:05 MST"))
		if f.SelfSigned {
			fmt.Fprintln(c.stdout, "  证书：自签名（未经电子认证服务机构签发）——请向发文机关核对上面的指纹")
		}
	}
	if rep.Intact {
		fmt.Fprintf(c.stdout, "结论：%s 文件的 %d 枚电子印章验证通过，盖章后未被改动。\n", rep.Format, len(rep.Seals))
		return 0
	}
	fmt.Fprintf(c.stdout, "结论：验证失败——%s 文件在盖章后已被改动，或没有有效的电子印章：\n", rep.Format)
	for _, p := range rep.Problems {
		fmt.Fprintln(c.stdout, "  -", p)
	}
	return 1
}
