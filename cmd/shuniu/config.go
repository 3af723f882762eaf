package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
)

// config is what every data-touching subcommand shares: flags, with SHUNIU_*
// environment variables as defaults.
type config struct {
	addr    string
	db      string
	dataDir string
	secure  bool
	logJSON bool
	// masterKey is the file holding the master key that wraps the keys kept
	// in the database (the seals' private keys); default
	// <data-dir>/keys/master.key.
	masterKey string
	tlsCert   string // serving: PEM certificate chain for HTTPS
	tlsKey    string // serving: its PEM private key
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
	fs.StringVar(&c.masterKey, "master-key", env("SHUNIU_MASTER_KEY_FILE", ""), "主密钥文件（加密保管印章私钥；权限须为 600，勿与数据库放在同一备份中）；默认为数据目录下的 keys/master.key (SHUNIU_MASTER_KEY_FILE)")
	if serving {
		fs.StringVar(&c.tlsCert, "tls-cert", env("SHUNIU_TLS_CERT", ""), "HTTPS 证书文件（PEM），与 --tls-key 一起给出时以 HTTPS 服务 (SHUNIU_TLS_CERT)")
		fs.StringVar(&c.tlsKey, "tls-key", env("SHUNIU_TLS_KEY", ""), "HTTPS 私钥文件（PEM）(SHUNIU_TLS_KEY)")
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
	if c.masterKey == "" {
		c.masterKey = filepath.Join(c.dataDir, "keys", "master.key")
	}
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return fmt.Errorf("--tls-cert 与 --tls-key 须同时给出")
	}
	return nil
}

// loadMasterKey reads the master key file, making one (mode 0600) the
// first time.
func (c *config) loadMasterKey() (*gmcrypto.MasterKey, error) {
	return gmcrypto.LoadOrCreateMasterKey(c.masterKey)
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
