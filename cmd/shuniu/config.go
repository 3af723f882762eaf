package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// config is what every data-touching subcommand shares: flags, with SHUNIU_*
// environment variables as defaults.
type config struct {
	addr    string
	db      string
	dataDir string
	secure  bool
	logJSON bool
}

// flags registers the common flags on fs. Serving commands also get --addr.
func (c *config) flags(fs *flag.FlagSet, getenv func(string) string, serving bool, defaultDir string) {
	env := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.dataDir, "data-dir", env("SHUNIU_DATA_DIR", defaultDir), "数据目录：SQLite 数据库与附件 (SHUNIU_DATA_DIR)")
	fs.StringVar(&c.db, "db", env("SHUNIU_DB", ""), "数据库：postgres://… 或 SQLite 文件路径；默认为数据目录下的 shuniu.db (SHUNIU_DB)")
	if serving {
		fs.StringVar(&c.addr, "addr", env("SHUNIU_ADDR", "127.0.0.1:8080"), "监听地址 (SHUNIU_ADDR)")
		fs.BoolVar(&c.secure, "secure-cookies", env("SHUNIU_SECURE_COOKIES", "") == "1", "Cookie 仅经 HTTPS 发送（部署在 HTTPS 之后时开启）(SHUNIU_SECURE_COOKIES=1)")
		fs.BoolVar(&c.logJSON, "log-json", env("SHUNIU_LOG_JSON", "") == "1", "以 JSON 输出日志 (SHUNIU_LOG_JSON=1)")
	}
}

// resolve fills the database path from the data directory and creates the directory.
func (c *config) resolve() error {
	if c.dataDir == "" {
		return fmt.Errorf("必须指定数据目录 --data-dir")
	}
	if err := os.MkdirAll(c.dataDir, 0o750); err != nil {
		return fmt.Errorf("创建数据目录 %s: %w", c.dataDir, err)
	}
	if c.db == "" {
		c.db = filepath.Join(c.dataDir, "shuniu.db")
	}
	return nil
}

// dbLabel names the database without its password, for messages.
func (c *config) dbLabel() string {
	if i := strings.Index(c.db, "@"); i > 0 && strings.Contains(c.db, "://") {
		return c.db[:strings.Index(c.db, "://")+3] + "…" + c.db[i:]
	}
	return c.db
}

func (c *config) logger(w io.Writer) *slog.Logger {
	if c.logJSON {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// parse parses args, printing errors in Chinese and returning exit code 2 on failure.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer) bool {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return false
	}
	return true
}
