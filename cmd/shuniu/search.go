package main

import (
	"context"
	"flag"
	"fmt"
	"time"
)

// runSearch is `shuniu search reindex`: rebuild the search index from the
// documents (once after upgrading to the version that adds it; the index is
// otherwise written with every document change).
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
	var n int
	err := s.Reindex(ctx, func(done, total int) {
		n = done
		bar.stage("重建检索索引", int64(done), int64(total))
	})
	bar.done()
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu search reindex:", err)
		return 1
	}
	fmt.Fprintf(c.stdout, "已重建 %d 件公文的检索索引，用时 %s\n", n, time.Since(start).Round(time.Millisecond))
	return 0
}
