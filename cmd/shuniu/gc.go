package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/blob"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// runGC finds the files under <data-dir>/files that no row refers to
// (store.BlobRefs): left by an operation refused or a commit lost after its
// files were written, or by a crash in the middle of an upload. By default
// it only lists them; --delete removes them, with one audit entry.
func runGC(ctx context.Context, c *cli) int {
	var cfg config
	var del, dry bool
	var minAge time.Duration
	fs := flag.NewFlagSet("gc", flag.ContinueOnError)
	cfg.flags(fs, c.getenv, false, "shuniu-data")
	fs.BoolVar(&dry, "dry-run", false, "只列出无人引用的文件（默认）")
	fs.BoolVar(&del, "delete", false, "删除无人引用的文件")
	fs.DurationVar(&minAge, "min-age", time.Hour, "不处理比此更新的文件（上传后、入库前的文件）")
	if !parse(fs, c.args, c.stderr) {
		return 2
	}
	if del && dry {
		fmt.Fprintln(c.stderr, "shuniu gc: --dry-run 与 --delete 只能选一个")
		return 2
	}
	use := keyIgnored
	if del {
		use = keyWrite // the deletion is audited
	}
	s, ok := openStore(ctx, c, &cfg, true, use)
	if !ok {
		return 1
	}
	defer s.Close()
	bs, err := blob.New(cfg.dataDir, document.DefaultAttachmentPolicy())
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu gc:", err)
		return 1
	}
	// The files are listed before the rows are read: a file written after
	// the listing is not looked at, and one recorded meanwhile is in refs.
	var files []blob.File
	if err := bs.Walk(func(f blob.File) error { files = append(files, f); return nil }); err != nil {
		fmt.Fprintln(c.stderr, "shuniu gc:", err)
		return 1
	}
	refs, err := s.BlobRefs(ctx)
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu gc:", err)
		return 1
	}
	orphans, young := blob.Orphans(files, refs, time.Now(), minAge)
	var bytes int64
	for _, f := range orphans {
		bytes += f.Size
		fmt.Fprintf(c.stdout, "%s\t%d\t%s\n", f.Path, f.Size, f.ModTime.Format(time.RFC3339))
	}
	fmt.Fprintf(c.stdout, "共 %d 个文件，其中 %d 个无记录引用（%s）", len(files), len(orphans), sizeLabel(bytes))
	if young > 0 {
		fmt.Fprintf(c.stdout, "；另有 %d 个未满 %s 的文件未处理", young, minAge)
	}
	fmt.Fprintln(c.stdout, "。")
	if !del {
		if len(orphans) > 0 {
			fmt.Fprintln(c.stdout, "未删除任何文件；确认后用 --delete 删除。")
		}
		return 0
	}
	removed := 0
	var failed error
	for _, f := range orphans {
		if err := bs.Remove(f); err != nil {
			failed = err
			break
		}
		removed++
	}
	if removed > 0 {
		if err := s.Write(ctx, func(tx *store.Tx) error {
			return tx.Audit(ctx, audit.Event{ActorName: operator, Action: "blob.gc", ObjectKind: "file", IP: "cli",
				Detail: fmt.Sprintf(`{"removed":%d,"bytes":%d}`, removed, bytes)})
		}); err != nil {
			fmt.Fprintln(c.stderr, "shuniu gc: 审计记录失败:", err)
			return 1
		}
	}
	fmt.Fprintf(c.stdout, "已删除 %d 个文件。\n", removed)
	if failed != nil {
		fmt.Fprintln(c.stderr, "shuniu gc:", failed)
		return 1
	}
	return 0
}

func sizeLabel(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d 字节", n)
}
