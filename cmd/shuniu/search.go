package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/shuniu-oa/shuniu/internal/blob"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/textextract"
)

// runSearch is `shuniu search reindex`: rebuild the search index from the
// documents and every other kind searched, first reading the text of
// attachments uploaded before texts were read (the index is otherwise
// written with every change).
func runSearch(ctx context.Context, c *cli) int {
	if len(c.args) == 0 || c.args[0] != "reindex" {
		fmt.Fprintln(c.stderr, "用法：shuniu search reindex [--db …] — 重建检索索引")
		return 2
	}
	var cfg config
	fs := flag.NewFlagSet("search reindex", flag.ContinueOnError)
	cfg.flags(fs, c.getenv, false, "shuniu-data")
	if !parse(fs, c.args[1:], c.stderr) {
		return 2
	}
	s, ok := openStore(ctx, c, &cfg, false, keyWrite)
	if !ok {
		return 1
	}
	defer s.Close()
	start := time.Now()
	bar := newProgressBar(c.stderr)
	read, err := readAttachmentTexts(ctx, s, cfg.dataDir, bar)
	if err != nil {
		bar.done()
		fmt.Fprintln(c.stderr, "shuniu search reindex:", err)
		return 1
	}
	var n int
	err = s.Reindex(ctx, func(done, total int) {
		n = done
		bar.stage("重建检索索引", int64(done), int64(total))
	})
	bar.done()
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu search reindex:", err)
		return 1
	}
	fmt.Fprintf(c.stdout, "已重建 %d 项（公文、督办事项、会议及会议材料、信息、调研、范文、值班日志、用印用车、学习计划、培训）的检索索引，新提取 %d 个附件的文字，用时 %s\n", n, read,
		time.Since(start).Round(time.Millisecond))
	return 0
}

// readAttachmentTexts reads the text of the files (documents', information
// reports' and progress reports' attachments, meeting materials) that were
// uploaded before texts were read (or whose reading failed), so that
// the rebuilt entries include them. A file missing from the file store or
// unreadable is skipped.
func readAttachmentTexts(ctx context.Context, s *store.Store, dataDir string, bar *progressBar) (int, error) {
	atts, err := s.AttachmentsWithoutText(ctx, textextract.Supported)
	if err != nil || len(atts) == 0 {
		return 0, err
	}
	bs, err := blob.New(dataDir, document.DefaultAttachmentPolicy())
	if err != nil {
		return 0, err
	}
	n := 0
	for i, a := range atts {
		bar.stage("提取附件文字", int64(i), int64(len(atts)))
		f, err := bs.Open(a.SHA256)
		if err != nil {
			continue
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			continue
		}
		text, _ := textextract.Text(ctx, a.Name, data)
		if text == "" {
			continue
		}
		if err := s.PutAttachmentText(ctx, a.SHA256, text); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
