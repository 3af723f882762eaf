package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// config is what every data-touching subcommand shares: flags, with SHUNIU_*
// environment variables as defaults.
type config struct {
	addr    string
	metrics string // listen address of /metrics; "off" for none
	pprof   bool   // also serve Go's profiles (/debug/pprof/) on the metrics address
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

	// The audit chain's key and checkpoints (docs/security.md, "Audit chain").
	auditKey        string // SHUNIU_AUDIT_KEY: the key itself, hexadecimal (e.g. handed over by a KMS agent)
	auditKeyFile    string // "" → <data-dir>/keys/audit.key, made on first start
	auditAlg        string // the chain's algorithm for new entries: hmac-sha256 or hmac-sm3
	checkpointDir   string // "" → <data-dir>/audit-checkpoints
	checkpointEvery time.Duration
	syslog          string   // tcp://host:port or udp://host:port; "" → none
	channels        []string // serving: the outbound notification channels configured
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
	c.auditKey = getenv("SHUNIU_AUDIT_KEY")
	fs.StringVar(&c.auditKeyFile, "audit-key-file", env("SHUNIU_AUDIT_KEY_FILE", ""), "审计密钥文件（十六进制，权限须为 600，勿与数据库放在同一备份中）；默认为数据目录下的 keys/audit.key，首次启动时生成 (SHUNIU_AUDIT_KEY_FILE；或以 SHUNIU_AUDIT_KEY 直接给出密钥)")
	fs.StringVar(&c.auditAlg, "audit-alg", env("SHUNIU_AUDIT_ALG", audit.AlgHMACSHA256), "审计链新条目的算法：hmac-sha256，或国密 hmac-sm3（同一密钥；切换时链中记一条 audit.alg，此前的条目照旧可验）(SHUNIU_AUDIT_ALG)")
	fs.StringVar(&c.checkpointDir, "audit-checkpoint-dir", env("SHUNIU_AUDIT_CHECKPOINT_DIR", ""), "审计检查点目录（只追加的 JSON 行文件）；默认为数据目录下的 audit-checkpoints (SHUNIU_AUDIT_CHECKPOINT_DIR)")
	if serving {
		fs.StringVar(&c.tlsCert, "tls-cert", env("SHUNIU_TLS_CERT", ""), "HTTPS 证书文件（PEM），与 --tls-key 一起给出时以 HTTPS 服务 (SHUNIU_TLS_CERT)")
		fs.StringVar(&c.tlsKey, "tls-key", env("SHUNIU_TLS_KEY", ""), "HTTPS 私钥文件（PEM）(SHUNIU_TLS_KEY)")
		every, err := time.ParseDuration(env("SHUNIU_AUDIT_CHECKPOINT_EVERY", "1m"))
		if err != nil || every <= 0 {
			every = time.Minute
		}
		fs.DurationVar(&c.checkpointEvery, "audit-checkpoint-every", every, "链头有变化时写审计检查点的间隔 (SHUNIU_AUDIT_CHECKPOINT_EVERY)")
		fs.StringVar(&c.syslog, "audit-syslog", env("SHUNIU_AUDIT_SYSLOG", ""), "另将审计检查点发往远程 syslog（RFC 5424）：tcp://主机:端口 或 udp://主机:端口 (SHUNIU_AUDIT_SYSLOG)")
		fs.StringVar(&c.addr, "addr", env("SHUNIU_ADDR", "127.0.0.1:8080"), "监听地址 (SHUNIU_ADDR)")
		// The metrics tell who uses which page how often: loopback only unless
		// the operator says otherwise. The demo takes any free port, so that
		// two demos on one machine do not collide.
		defMetrics := "127.0.0.1:9464"
		if defaultDir == "shuniu-demo" {
			defMetrics = "127.0.0.1:0"
		}
		fs.StringVar(&c.metrics, "metrics-addr", env("SHUNIU_METRICS_ADDR", defMetrics), "Prometheus 指标 /metrics 的监听地址，默认只在本机；off 为不提供 (SHUNIU_METRICS_ADDR)")
		fs.BoolVar(&c.pprof, "pprof", env("SHUNIU_PPROF", "") == "1", "在监控指标地址上另提供 Go 性能剖析 /debug/pprof/（排查性能问题时开启；剖析内容含内存数据，勿对外开放）(SHUNIU_PPROF=1)")
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
	if c.checkpointDir == "" {
		c.checkpointDir = filepath.Join(c.dataDir, "audit-checkpoints")
	}
	return nil
}

// loadMasterKey reads the master key file, making one (mode 0600) the
// first time.
func (c *config) loadMasterKey() (*gmcrypto.MasterKey, error) {
	return gmcrypto.LoadOrCreateMasterKey(c.masterKey)
}

// keyUse says what a command needs of the audit key.
type keyUse int

const (
	keyIgnored keyUse = iota // writes no audit entry and verifies nothing (backup)
	keyVerify                // verifies: the chain's key must be at hand
	keyWrite                 // writes entries: made on first start if the chain has none
)

// defaultKeyFile is where the key is kept unless told otherwise.
func (c *config) defaultKeyFile() string { return filepath.Join(c.dataDir, "keys", "audit.key") }

// loadAuditKey finds the audit key: SHUNIU_AUDIT_KEY, else the file
// --audit-key-file names (which must exist: a KMS or secret manager put it
// there), else <data-dir>/keys/audit.key; nil when that default file is
// absent.
func (c *config) loadAuditKey() (*audit.Key, error) {
	k, err := c.readAuditKey()
	if k == nil || err != nil {
		return k, err
	}
	return c.withAuditAlg(k)
}

// withAuditAlg uses the key's secret with the configured algorithm.
func (c *config) withAuditAlg(k *audit.Key) (*audit.Key, error) {
	alg := c.auditAlg
	if alg == "" {
		alg = audit.AlgHMACSHA256
	}
	k, err := k.WithAlg(alg)
	if err != nil {
		return nil, fmt.Errorf("--audit-alg（SHUNIU_AUDIT_ALG）：%w，可选 %s", err, strings.Join(audit.Algs(), "、"))
	}
	return k, nil
}

func (c *config) readAuditKey() (*audit.Key, error) {
	if c.auditKey != "" {
		k, err := audit.ParseKey([]byte(c.auditKey))
		if err != nil {
			return nil, fmt.Errorf("SHUNIU_AUDIT_KEY: %w", err)
		}
		return k, nil
	}
	if c.auditKeyFile != "" {
		k, err := audit.ReadKeyFile(c.auditKeyFile)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("审计密钥文件 %s 不存在（由 --audit-key-file 或 SHUNIU_AUDIT_KEY_FILE 指定）", c.auditKeyFile)
		}
		return k, err
	}
	k, err := audit.ReadKeyFile(c.defaultKeyFile())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return k, err
}

// openStore opens the database with the audit key and checkpoints. The key
// file under the data directory is made (0600) on first start only, when the
// database holds no keyed chain: a missing key for an existing chain is an
// error, never replaced by a new one.
func (c *config) openStore(ctx context.Context, log *slog.Logger, noMigrate bool, use keyUse) (*store.Store, error) {
	key, err := c.loadAuditKey()
	if err != nil {
		return nil, err
	}
	if key == nil && use != keyIgnored {
		probe, err := store.Open(ctx, c.db, store.Options{NoMigrate: true, Logger: log})
		if err != nil {
			return nil, fmt.Errorf("无法打开数据库 %s: %w", c.dbLabel(), err)
		}
		id, err := probe.AuditKeyID(ctx)
		probe.Close()
		switch {
		case err != nil:
			return nil, err
		case id != "":
			return nil, fmt.Errorf("审计密钥缺失：审计链用密钥 %s 签名，而 %s 不存在。请放回原来的密钥文件，或用 --audit-key-file、SHUNIU_AUDIT_KEY_FILE 或 SHUNIU_AUDIT_KEY 给出它（见 docs/security.md）", id, c.defaultKeyFile())
		case use == keyWrite:
			if key, err = audit.GenerateKeyFile(c.defaultKeyFile()); err != nil {
				return nil, err
			}
			if key, err = c.withAuditAlg(key); err != nil {
				return nil, err
			}
			log.Info("audit key created; keep a copy apart from the database and give it to every server", "path", c.defaultKeyFile(), "key_id", key.ID())
		}
	}
	opt := store.Options{NoMigrate: noMigrate, Logger: log, AuditKey: key, AuditCheckpoints: audit.CheckpointDir(c.checkpointDir), Channels: c.channels}
	if use == keyWrite {
		// A server signs its people's opinions (签发, 批示) with keys the
		// master key wraps.
		if opt.MasterKey, err = c.loadMasterKey(); err != nil {
			return nil, fmt.Errorf("主密钥：%w", err)
		}
	}
	s, err := store.Open(ctx, c.db, opt)
	if err != nil {
		return nil, fmt.Errorf("无法打开数据库 %s: %w", c.dbLabel(), err)
	}
	return s, nil
}

// checkpointer writes signed checkpoints of the audit chain's head to the
// checkpoint directory and, if configured, to remote syslog.
func (c *config) checkpointer(s *store.Store, server string, log *slog.Logger) (*audit.Checkpointer, error) {
	key, err := c.loadAuditKey()
	if err != nil {
		return nil, err
	}
	if key == nil {
		return nil, errors.New("没有审计密钥，无法签署检查点")
	}
	cp := &audit.Checkpointer{Key: key, Head: s.AuditHead, Server: server, Log: log,
		Sinks: []audit.CheckpointSink{audit.CheckpointDir(c.checkpointDir)}}
	if c.syslog != "" {
		sl, err := audit.ParseSyslog(c.syslog)
		if err != nil {
			return nil, err
		}
		sl.Hostname, _ = os.Hostname()
		cp.Sinks = append(cp.Sinks, sl)
	}
	return cp, nil
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
