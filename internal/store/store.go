// Package store keeps Shuniu's state in SQLite (embedded default) or
// PostgreSQL (production). One code path serves both through database/sql;
// each dialect has its own versioned migrations. Every change of state runs in
// one transaction together with its audit entries.
package store

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"

	_ "modernc.org/sqlite" // registers "sqlite"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
)

// Dialect is the SQL flavour of a store.
type Dialect int

const (
	SQLite Dialect = iota
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

//go:embed migrations
var migrationFS embed.FS

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a write would violate a uniqueness rule.
var ErrConflict = errors.New("conflict")

// Store is an open database.
type Store struct {
	conn            // reads
	w       *sql.DB // writes (SQLite: exactly one connection)
	r       *sql.DB // reads (SQLite: a pool of read-only connections)
	path    string  // SQLite file path; "" for PostgreSQL
	gc      *groupCommit
	sealer  *sealer   // PostgreSQL: chains queued audit entries (audit.go)
	cal     *calState // the working-day calendar in force (calendar.go)
	now     func() time.Time
	log     *slog.Logger
	dialect Dialect

	key         *audit.Key             // keys the audit chain (audit.go)
	checkpoints audit.CheckpointSource // read by VerifyAudit; nil: none
	channels    []string               // outbound notification channels configured
	master      *gmcrypto.MasterKey    // wraps the people's signing keys (opinion.go); nil: opinions unsigned
}

// Options tune a store.
type Options struct {
	Now    func() time.Time // clock; time.Now when nil
	Logger *slog.Logger
	// NoMigrate skips applying migrations at open (for `migrate --status`).
	NoMigrate bool
	// AuditKey keys the audit chain; it is held outside the database and is
	// the same on every server sharing one. Nil: audit.UnprotectedKey, for
	// tests and tools only (`shuniu` always passes one; docs/security.md).
	AuditKey *audit.Key
	// AuditCheckpoints are read by VerifyAudit; nil: none.
	AuditCheckpoints audit.CheckpointSource
	// Channels name the outbound notification channels the deployment has
	// configured ("smtp", "webhook"): people's choices route messages only
	// to these. Nil: the inbox only.
	Channels []string
	// MasterKey wraps the keys kept in the database — here the people's
	// SM2 keys their opinions (签发, 批示) are signed with. Nil: opinions are
	// not signed.
	MasterKey *gmcrypto.MasterKey
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to dsn — a postgres:// URL or an SQLite file path — and
// applies pending migrations.
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	s := &Store{now: opt.Now, log: opt.Logger, gc: &groupCommit{maxBatch: 256}, key: opt.AuditKey, checkpoints: opt.AuditCheckpoints, channels: opt.Channels, master: opt.MasterKey}
	if s.key == nil {
		s.key = audit.UnprotectedKey()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	// The shipped calendar until the stored one is loaded after migrating.
	var err error
	if s.cal, err = newCalState(); err != nil {
		return nil, err
	}
	if IsPostgres(dsn) {
		s.dialect = Postgres
		s.w, err = sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		s.w.SetMaxOpenConns(20)
		s.w.SetMaxIdleConns(10)
		s.w.SetConnMaxIdleTime(5 * time.Minute)
		s.r = s.w
		// The sealer has connections of its own: waiting in the writers'
		// pool behind the very writes that wait for it would make every
		// sealing run as slow as the busiest moment.
		sealDB, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		sealDB.SetMaxOpenConns(1)
		sealDB.SetConnMaxIdleTime(5 * time.Minute)
		s.sealer = newSealer(sealDB, s.key, s.log)
	} else {
		s.dialect = SQLite
		s.path = strings.TrimPrefix(dsn, "file:")
		if i := strings.IndexByte(s.path, '?'); i >= 0 {
			s.path = s.path[:i]
		}
		// WAL lets readers run beside the one writer; synchronous=FULL makes a
		// commit durable across power loss, not only process crashes.
		common := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)"
		// Each write runs in a savepoint, whose statement journal would
		// otherwise go to a temporary file: memory is enough (it is not needed
		// after a crash) and saves a write per changed page.
		s.w, err = sql.Open("sqlite", "file:"+s.path+"?"+common+"&_pragma=temp_store(MEMORY)&_txlock=immediate")
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		s.w.SetMaxOpenConns(1)
		s.w.SetConnMaxIdleTime(0)
		s.r, err = sql.Open("sqlite", "file:"+s.path+"?"+common+"&_pragma=query_only(1)")
		if err != nil {
			return nil, fmt.Errorf("open sqlite reader: %w", err)
		}
		// Keep the readers open: each new connection parses the schema again
		// and loses its prepared statements.
		s.r.SetMaxOpenConns(8)
		s.r.SetMaxIdleConns(8)
		s.r.SetConnMaxIdleTime(0)
	}
	s.conn = conn{q: s.r, d: s.dialect, tc: &templateCache{}, pc: &principalCache{}, reads: &atomic.Int64{}}
	if s.dialect == SQLite {
		// Reads; the writer keeps its own cache on its held connection
		// (groupCommit.conn).
		s.conn.stmts = newStmtCache(s.r)
	}
	if err := s.w.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to %s: %w", s.dialect, err)
	}
	if !opt.NoMigrate {
		if _, err := s.Migrate(ctx); err != nil {
			s.Close()
			return nil, err
		}
		// Entries a server committed but did not chain before it stopped.
		if err := s.SealAudit(ctx); err != nil {
			s.log.Warn("audit entries left queued", "err", err)
		}
		if err := s.openCalendar(ctx); err != nil {
			s.Close()
			return nil, fmt.Errorf("calendar: %w", err)
		}
		if s.dialect == SQLite {
			// The query planner's statistics: PostgreSQL's autovacuum keeps
			// them; SQLite gathers them only when asked. optimize analyses
			// only tables that grew or shrank a lot since (a bounded sample
			// each), so a start costs milliseconds when nothing changed.
			if err := s.onWriter(ctx, func(q querier) error {
				_, err := q.ExecContext(ctx, `PRAGMA analysis_limit=1000; PRAGMA optimize=0x10002`)
				return err
			}); err != nil {
				s.log.Warn("sqlite optimize", "err", err)
			}
		}
	}
	return s, nil
}

// Close releases the connections.
func (s *Store) Close() error {
	s.conn.stmts.close()
	s.gc.close()
	err := s.w.Close()
	if s.sealer != nil {
		err = errors.Join(err, s.sealer.db.Close())
	}
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// Dialect says which database this is.
func (s *Store) Dialect() Dialect { return s.dialect }

// Path is the SQLite file; "" for PostgreSQL.
func (s *Store) Path() string { return s.path }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// Ping checks the database answers (for /healthz).
func (s *Store) Ping(ctx context.Context) error {
	return s.onWriter(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `SELECT 1`)
		return err
	})
}

// onWriter runs fn on a writer connection outside any transaction. On SQLite
// the one writer connection is held by the group committer, so fn waits for
// the batch in progress and runs between batches.
func (s *Store) onWriter(ctx context.Context, fn func(q querier) error) error {
	if s.dialect != SQLite {
		return fn(s.w)
	}
	g := s.gc
	g.leader.Lock()
	defer g.leader.Unlock()
	w, err := g.conn(s)
	if err != nil {
		return fmt.Errorf("connect writer: %w", err)
	}
	return fn(w.c)
}

type migration struct {
	version int
	name    string
	sql     string
}

func (s *Store) migrations() ([]migration, error) {
	dir := path.Join("migrations", s.dialect.String())
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a version number", name)
		}
		b, err := migrationFS.ReadFile(path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// Migrate applies pending migrations, each in its own transaction, and returns
// the names of those applied. Several servers starting at once on one
// PostgreSQL serialise on an advisory lock. Then it checks the audit key
// against the chain and seals an unkeyed chain (keyAudit).
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	ms, err := s.migrations()
	if err != nil {
		return nil, err
	}
	if err := s.onWriter(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`)
		return err
	}); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	var applied []string
	for _, m := range ms {
		done := false
		err := s.Write(ctx, func(tx *Tx) error {
			if s.dialect == Postgres {
				if _, err := tx.tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7477370)`); err != nil {
					return err
				}
			}
			var n int
			if err := tx.q.QueryRowContext(ctx, tx.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				done = true
				return nil
			}
			if _, err := tx.tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("apply %s: %w", m.name, err)
			}
			_, err := tx.tx.ExecContext(ctx, tx.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`), m.version, m.name, ts(s.now()))
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("migrate: %w", err)
		}
		if !done {
			applied = append(applied, m.name)
			s.log.Info("migration applied", "name", m.name, "dialect", s.dialect.String())
		}
	}
	if slices.Contains(applied, searchMigration) || slices.Contains(applied, searchKindsMigration) || slices.Contains(applied, searchFieldsMigration) ||
		slices.Contains(applied, searchMoreKindsMigration) || slices.Contains(applied, searchMaterialsMigration) {
		// The documents stored before the index existed are indexed once,
		// here, so that an upgrade needs no separate step.
		if err := s.Reindex(ctx, nil); err != nil {
			return applied, err
		}
	}
	if err := s.keyAudit(ctx); err != nil {
		return applied, err
	}
	return applied, nil
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn carries the read methods, usable on the store and inside a transaction.
type conn struct {
	q     querier
	d     Dialect
	stmts *stmtCache      // SQLite: statements prepared once per database handle
	tc    *templateCache  // decoded route templates, shared by the store's views
	pc    *principalCache // route principals read outside writes, checked against org_rev
	batch *batchState     // SQLite writes: shared by the writes of one group commit
	// reads counts the statements run outside write transactions — each a
	// round trip on PostgreSQL (Store.Reads); nil in transactions.
	reads *atomic.Int64
}

// stmtCache keeps prepared statements by query text. modernc.org/sqlite
// compiles every statement it is given; preparing the few dozen queries the
// store uses once saves that on every call. On the reader pool (*sql.DB)
// database/sql prepares a cached statement lazily on each connection it runs
// on; on the writer's one held connection (*sql.Conn) each is prepared once.
type stmtCache struct {
	db preparer
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// preparer is *sql.DB or *sql.Conn.
type preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

func newStmtCache(db preparer) *stmtCache { return &stmtCache{db: db, m: map[string]*sql.Stmt{}} }

func (c *stmtCache) get(ctx context.Context, q string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[q]; ok {
		return st, nil
	}
	// Queries built with a variable number of parts (IN lists, unions,
	// multi-row inserts) are not worth keeping past a bound; past it they run
	// unprepared (nil), as a prepared statement nobody keeps would stay open
	// on its connection.
	if len(c.m) >= 512 {
		return nil, nil
	}
	st, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	c.m[q] = st
	return st, nil
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = map[string]*sql.Stmt{}
}

// stmt returns the cached statement for q; nil when the connection does not
// cache.
func (c conn) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if c.stmts == nil {
		return nil, nil
	}
	return c.stmts.get(ctx, q)
}

// rebind turns ? placeholders into PostgreSQL's $n. Queries in this package
// never contain a literal question mark.
func (c conn) rebind(q string) string {
	if c.d != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// Reads is how many statements the store has run outside write
// transactions, for tests and benchmarks that count a page's round trips.
func (s *Store) Reads() int64 { return s.conn.reads.Load() }

func (c conn) count() {
	if c.reads != nil {
		c.reads.Add(1)
	}
}

func (c conn) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	c.count()
	if st, err := c.stmt(ctx, q); err != nil {
		return nil, err
	} else if st != nil {
		return st.ExecContext(ctx, args...)
	}
	return c.q.ExecContext(ctx, c.rebind(q), args...)
}

func (c conn) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	c.count()
	if st, err := c.stmt(ctx, q); err != nil {
		return nil, err
	} else if st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.q.QueryContext(ctx, c.rebind(q), args...)
}

// queryStrings runs a query whose rows are one string each.
func (c conn) queryStrings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (c conn) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	c.count()
	if st, err := c.stmt(ctx, q); err == nil && st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.q.QueryRowContext(ctx, c.rebind(q), args...)
}

// Tx is a write transaction. Its audit entries commit or roll back with it.
type Tx struct {
	conn
	tx     querier // the transaction itself, bypassing the statement cache (multi-statement SQL)
	s      *Store
	now    time.Time
	events []timedEvent // PostgreSQL: audit entries, written last (flushAudit)
	queued bool         // PostgreSQL: they were queued, to be sealed after commit
}

// Write runs fn in one transaction and commits it when fn returns nil; an
// error from fn rolls back everything fn wrote.
//
// On SQLite, writes are group-committed: while one batch commits, the writes
// that arrive queue up, and the next committer runs all of them in one
// transaction, each inside its own savepoint, so one fsync makes many writes
// durable. Each fn still sees the effects of those before it and rolls back
// alone; Write returns only after the commit that contains fn, so a nil error
// still means durable. PostgreSQL commits each write on its own.
func (s *Store) Write(ctx context.Context, fn func(tx *Tx) error) error {
	err := s.write(ctx, fn)
	if err != nil {
		s.nameRefusal(ctx, err)
	}
	return err
}

func (s *Store) write(ctx context.Context, fn func(tx *Tx) error) error {
	if s.dialect == SQLite {
		return s.gc.write(ctx, s, fn)
	}
	sqlTx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{conn: conn{q: sqlTx, d: s.dialect, tc: s.tc, pc: s.pc}, tx: sqlTx, s: s, now: s.now()}
	err = callSafely(fn, tx)
	if err == nil {
		err = tx.flushAudit(ctx)
	}
	if err != nil {
		if rbErr := sqlTx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		}
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if tx.queued {
		// The write is durable; its audit entries are too, queued. Chaining
		// them is waited for so that the chain is complete when Write
		// returns; a failure leaves them queued for the next run.
		if err := s.sealer.seal(ctx); err != nil {
			s.log.Warn("audit entries left queued", "err", err)
		}
	}
	return nil
}

// groupCommit batches SQLite writes (see Store.Write).
type groupCommit struct {
	mu       sync.Mutex // guards queue
	queue    []*pendingWrite
	leader   sync.Mutex // held by the goroutine running a batch; guards wc
	maxBatch int
	wc       *writerConn
}

// writerConn is the writer's one connection, held for the life of the store
// with its own prepared statements. Batches run on it as BEGIN IMMEDIATE …
// COMMIT issued as statements rather than through database/sql's Tx, so that
// statements prepared once serve every transaction: a statement cannot be
// prepared through the *sql.DB while its only connection is in a Tx, and
// tx.Stmt would prepare each one anew per transaction.
type writerConn struct {
	c     *sql.Conn
	stmts *stmtCache
}

func (w *writerConn) exec(ctx context.Context, q string) error {
	st, err := w.stmts.get(ctx, q)
	if err != nil {
		return err
	}
	if st == nil {
		_, err = w.c.ExecContext(ctx, q)
		return err
	}
	_, err = st.ExecContext(ctx)
	return err
}

func (w *writerConn) close() {
	w.stmts.close()
	w.c.Close()
}

// conn returns the held writer connection, connecting first if needed.
// Called with g.leader held.
func (g *groupCommit) conn(s *Store) (*writerConn, error) {
	if g.wc != nil {
		return g.wc, nil
	}
	c, err := s.w.Conn(context.Background())
	if err != nil {
		return nil, err
	}
	g.wc = &writerConn{c: c, stmts: newStmtCache(c)}
	return g.wc, nil
}

// drop forgets the writer connection after an error that may have left it in
// an unknown state (a failed COMMIT or ROLLBACK); the next batch reconnects.
func (g *groupCommit) drop() {
	if g.wc != nil {
		g.wc.close()
		g.wc = nil
	}
}

func (g *groupCommit) close() {
	if g == nil {
		return
	}
	g.leader.Lock()
	defer g.leader.Unlock()
	g.drop()
}

type pendingWrite struct {
	ctx   context.Context
	store *Store // the view whose clock the write uses (see Store.At)
	fn    func(tx *Tx) error
	err   error
	done  chan struct{}
}

func (g *groupCommit) write(ctx context.Context, s *Store, fn func(tx *Tx) error) error {
	p := &pendingWrite{ctx: ctx, store: s, fn: fn, done: make(chan struct{})}
	g.mu.Lock()
	g.queue = append(g.queue, p)
	g.mu.Unlock()
	// Become the committer in turn; run what has queued (ours included,
	// unless more than a batch is waiting ahead of it) until ours is done.
	for {
		g.leader.Lock()
		select {
		case <-p.done: // an earlier committer ran it
			g.leader.Unlock()
			return p.err
		default:
		}
		g.mu.Lock()
		batch := g.queue
		if len(batch) > g.maxBatch {
			batch = batch[:g.maxBatch]
		}
		g.queue = g.queue[len(batch):]
		g.mu.Unlock()
		g.run(batch)
		g.leader.Unlock()
	}
}

// run executes a batch in one transaction, each write in a savepoint. Called
// with g.leader held.
func (g *groupCommit) run(batch []*pendingWrite) {
	defer func() {
		for _, p := range batch {
			close(p.done)
		}
	}()
	if len(batch) == 0 {
		return
	}
	s := batch[0].store
	fail := func(err error) {
		for _, p := range batch {
			if p.err == nil {
				p.err = err
			}
		}
	}
	w, err := g.conn(s)
	if err != nil {
		fail(fmt.Errorf("connect writer: %w", err))
		return
	}
	bg := context.Background()
	// abort rolls the whole batch back after a failure of the machinery
	// itself (not of a write's fn).
	abort := func(err error) {
		if rbErr := w.exec(bg, "ROLLBACK"); rbErr != nil {
			g.drop()
		}
		fail(err)
	}
	if err := w.exec(bg, "BEGIN IMMEDIATE"); err != nil {
		g.drop()
		fail(fmt.Errorf("begin: %w", err))
		return
	}
	ok := 0
	state := &batchState{}
	for _, p := range batch {
		if err := p.ctx.Err(); err != nil {
			p.err = err
			continue
		}
		saved := *state
		// One savepoint name serves: each is released before the next opens.
		if err := w.exec(bg, "SAVEPOINT w"); err != nil {
			abort(fmt.Errorf("savepoint: %w", err))
			return
		}
		tx := &Tx{conn: conn{q: w.c, d: SQLite, stmts: w.stmts, tc: p.store.tc, pc: p.store.pc, batch: state}, tx: w.c, s: p.store, now: p.store.now()}
		p.err = callSafely(p.fn, tx)
		if p.err != nil {
			if err := w.exec(bg, "ROLLBACK TO w"); err != nil {
				abort(fmt.Errorf("rollback to savepoint: %w", err))
				return
			}
			*state = saved
			// What the failed write cached may rest on what it wrote.
			state.principals = nil
		} else {
			ok++
		}
		if err := w.exec(bg, "RELEASE w"); err != nil {
			abort(fmt.Errorf("release savepoint: %w", err))
			return
		}
	}
	if ok == 0 {
		if err := w.exec(bg, "ROLLBACK"); err != nil {
			g.drop()
		}
		return
	}
	if err := state.flush(bg, conn{q: w.c, d: SQLite, stmts: w.stmts}); err != nil {
		abort(err)
		return
	}
	if err := w.exec(bg, "COMMIT"); err != nil {
		abort(fmt.Errorf("commit: %w", err))
	}
}

// callSafely runs fn, turning a panic into an error so that one bad write
// cannot take down the batch it shares a transaction with.
func callSafely(fn func(*Tx) error, tx *Tx) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic in write: %v", v)
		}
	}()
	return fn(tx)
}

// Now is the transaction's clock reading, the same for every row it writes.
func (tx *Tx) Now() time.Time { return tx.now }

// SetNow moves the transaction's clock, for writing history in one
// transaction (the demo's year of documents); ordinary writes never call it.
func (tx *Tx) SetNow(t time.Time) { tx.now = t }

// ts converts a time to the stored form: microseconds since the epoch, UTC.
func ts(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// fromTS converts a stored time back; 0 is the zero time.
func fromTS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// isUnique reports whether err is a uniqueness violation on either store.
func isUnique(err error) bool {
	if err == nil {
		return false
	}
	m := err.Error()
	return strings.Contains(m, "UNIQUE constraint failed") || strings.Contains(m, "SQLSTATE 23505") ||
		strings.Contains(m, "duplicate key value")
}

// BackupTo writes a consistent copy of an SQLite database to path (which must
// not exist) while the server keeps running: VACUUM INTO reads one snapshot.
// PostgreSQL is backed up with pg_dump instead.
func (s *Store) BackupTo(ctx context.Context, path string) error {
	if s.dialect != SQLite {
		return errors.New("PostgreSQL 请使用 pg_dump 备份")
	}
	if err := s.onWriter(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `VACUUM INTO ?`, path)
		return err
	}); err != nil {
		return fmt.Errorf("vacuum into %s: %w", path, err)
	}
	return nil
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

// At returns a view of the store whose transactions read their time from now
// instead of the store's clock: for seeding history (the demo's year of
// documents) and for tests. It shares the connections; close the original.
func (s *Store) At(now func() time.Time) *Store {
	c := *s
	c.now = now
	return &c
}

// scanner is a row being read: *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// queryAll runs a query and reads every row with scan.
func queryAll[T any](ctx context.Context, c conn, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("query %.48q: %w", q, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("scan %.48q: %w", q, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
