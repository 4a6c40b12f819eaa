package clickhouse

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/earshot/earshot"
)

var _ earshot.Store = (*Store)(nil)

// Store is an earshot.Store on ClickHouse. It is safe for concurrent use.
type Store struct {
	conn    driver.Conn
	cfg     Config
	version Version
	d       Dialect
	q       map[string]string

	// lastVersion hands out row versions for the tables where the last
	// save wins: wall-clock nanoseconds, strictly increasing per Store.
	lastVersion atomic.Int64
	// postsMu makes SavePosts, LinkPosts and EraseAuthor take turns where
	// they keep post_rollup (Dialect.Rollups): each reads stored versions
	// and writes rows from them.
	postsMu sync.Mutex
	// mutationTimeout bounds how long EraseAuthor waits for the server.
	mutationTimeout time.Duration
}

// Open connects to the servers, creates the database if it is missing,
// applies the migrations it has not applied yet and returns the store.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	def := DefaultConfig()
	if len(cfg.Addr) == 0 {
		cfg.Addr = def.Addr
	}
	if cfg.Database == "" {
		cfg.Database = def.Database
	}
	if cfg.Username == "" {
		cfg.Username = def.Username
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("opening clickhouse store: %w", err)
	}
	opts := &clickhouse.Options{
		Protocol: clickhouse.Native,
		Addr:     cfg.Addr,
		// No database in the handshake: it may not exist yet. Every
		// statement names its tables in full.
		Auth:        clickhouse.Auth{Username: cfg.Username, Password: cfg.Password},
		Debug:       cfg.Debug,
		DialTimeout: 10 * time.Second,
		Compression: &clickhouse.Compression{Method: clickhouse.CompressionLZ4},
		ClientInfo: clickhouse.ClientInfo{Products: []struct{ Name, Version string }{
			{Name: "earshot", Version: "1"},
		}},
	}
	if cfg.Cluster != "" {
		// Inserts into the Distributed table return once the shards
		// have the rows, not when they are queued locally. Replicated
		// tables drop an insert equal to one they had: the store needs
		// every insert (a post erased and collected again unchanged, the
		// rollup rows of it), and its tables settle repeats themselves.
		opts.Settings = clickhouse.Settings{"insert_distributed_sync": 1, "insert_deduplicate": 0}
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("connecting to clickhouse: %w", err)
	}
	s := &Store{conn: conn, cfg: cfg, mutationTimeout: 5 * time.Minute}
	if err := s.init(ctx); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) init(ctx context.Context) error {
	if err := s.conn.Ping(ctx); err != nil {
		return fmt.Errorf("connecting to clickhouse: %w", err)
	}
	var raw string
	if err := s.conn.QueryRow(ctx, queryTemplates[qServerVersion]).Scan(&raw); err != nil {
		return fmt.Errorf("asking the server version: %w", err)
	}
	v, err := ParseVersion(raw)
	if err != nil {
		return err
	}
	s.version = v
	s.d = DialectFor(v, s.cfg.Database, s.cfg.Cluster, s.cfg.Retention.Posts)
	s.d.Retention = s.cfg.Retention
	if s.q, err = s.d.Queries(); err != nil {
		return err
	}
	if err := s.conn.Exec(ctx, mustQuery(s.q, qCreateDatabase)); err != nil {
		return fmt.Errorf("creating database %s: %w", s.cfg.Database, err)
	}
	if err := s.adoptSchema(ctx); err != nil {
		return err
	}
	// Render again: the schema in place may have changed the dialect.
	if s.q, err = s.d.Queries(); err != nil {
		return err
	}
	if err := s.migrate(ctx); err != nil {
		return err
	}
	return s.applyRetention(ctx)
}

// adoptSchema keeps the dialect of a database created earlier, perhaps by
// an older server since upgraded: the column types in place decide how
// times and sentiment parts are read and written.
func (s *Store) adoptSchema(ctx context.Context) error {
	rows, err := s.conn.Query(ctx, mustQuery(s.q, qTableColumns), s.d.DB, s.d.localName("posts"))
	if err != nil {
		return fmt.Errorf("reading the posts schema: %w", err)
	}
	defer rows.Close()
	cols := map[string]string{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return fmt.Errorf("reading the posts schema: %w", err)
		}
		cols[name] = typ
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading the posts schema: %w", err)
	}
	if len(cols) == 0 {
		return nil // a new database: the server's dialect it is
	}
	s.d.DateTime64 = strings.HasPrefix(cols["created_at"], "DateTime64")
	_, s.d.Map = cols["parts"]
	s.d.LowCardinality = strings.HasPrefix(cols["source"], "LowCardinality")
	return nil
}

// migrate applies the migrations not recorded in schema_migrations, in
// order, recording each. Every statement is idempotent (IF NOT EXISTS), so
// two stores migrating at once do no harm; where the server has no ADD
// COLUMN IF NOT EXISTS, a column already added counts as done.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := s.d.Migrations()
	if err != nil {
		return err
	}
	for _, stmt := range ms[0].Statements {
		if err := s.conn.Exec(ctx, stmt); err != nil {
			return fmt.Errorf("creating schema_migrations: %w", err)
		}
	}
	applied := map[uint32]bool{}
	rows, err := s.conn.Query(ctx, mustQuery(s.q, qAppliedMigrations))
	if err != nil {
		return fmt.Errorf("reading applied migrations: %w", err)
	}
	for rows.Next() {
		var v uint32
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("reading applied migrations: %w", err)
		}
		applied[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading applied migrations: %w", err)
	}
	for _, m := range ms[1:] {
		if applied[uint32(m.Version)] {
			continue
		}
		for _, stmt := range m.Statements {
			if err := s.conn.Exec(ctx, stmt); err != nil && !columnExists(stmt, err) {
				return fmt.Errorf("applying migration %04d_%s: %w", m.Version, m.Name, err)
			}
		}
		b, err := s.conn.PrepareBatch(ctx, mustQuery(s.q, qRecordMigration))
		if err != nil {
			return fmt.Errorf("recording migration %04d_%s: %w", m.Version, m.Name, err)
		}
		if err := b.Append(uint32(m.Version), m.Name, time.Now().UTC()); err != nil {
			_ = b.Abort()
			return fmt.Errorf("recording migration %04d_%s: %w", m.Version, m.Name, err)
		}
		if err := b.Send(); err != nil {
			return fmt.Errorf("recording migration %04d_%s: %w", m.Version, m.Name, err)
		}
	}
	return nil
}

// columnExists reports whether err is the server refusing stmt, an ALTER
// TABLE adding a column, because the column is there already (code 44,
// ILLEGAL_COLUMN: "column with this name already exists").
func columnExists(stmt string, err error) bool {
	var ex *clickhouse.Exception
	return strings.HasPrefix(stmt, "ALTER TABLE") && strings.Contains(stmt, " ADD COLUMN ") &&
		errors.As(err, &ex) && ex.Code == 44 && strings.Contains(ex.Message, "already exists")
}

// applyRetention sets the TTL of the posts table and of the rollup to
// their configured retention when the server knows TTL and the table does
// not have that TTL yet.
func (s *Store) applyRetention(ctx context.Context) error {
	if s.d.postTTL() != "" {
		if err := s.applyTTL(ctx, "posts", s.d.Retention.Posts, qModifyTTL); err != nil {
			return err
		}
	}
	if s.d.TimeSorted && s.d.postTTL() != "" {
		if err := s.applyTTL(ctx, "post_ranks", s.d.Retention.Posts, qModifyRanksTTL); err != nil {
			return err
		}
	}
	if s.d.Rollups && s.d.rollupTTL() != "" {
		if err := s.applyTTL(ctx, "post_rollup", s.d.Retention.RollupsKept(), qModifyRollupTTL); err != nil {
			return err
		}
	}
	return nil
}

// applyTTL sets the TTL of table to keep with the statement modify,
// unless it has it already.
func (s *Store) applyTTL(ctx context.Context, table string, keep time.Duration, modify string) error {
	var engine string
	if err := s.conn.QueryRow(ctx, mustQuery(s.q, qTableEngine), s.d.DB, s.d.localName(table)).Scan(&engine); err != nil {
		return fmt.Errorf("reading the %s TTL: %w", table, err)
	}
	if strings.Contains(engine, fmt.Sprintf("toIntervalSecond(%d)", int64(keep/time.Second))) {
		return nil
	}
	if err := s.conn.Exec(ctx, mustQuery(s.q, modify)); err != nil {
		return fmt.Errorf("setting the %s TTL: %w", table, err)
	}
	return nil
}

// ServerVersion returns the version of the server the store talks to.
func (s *Store) ServerVersion() Version { return s.version }

// Dialect returns the dialect the store speaks.
func (s *Store) Dialect() Dialect { return s.d }

// Close closes the connections.
func (s *Store) Close() error {
	if err := s.conn.Close(); err != nil {
		return fmt.Errorf("closing clickhouse store: %w", err)
	}
	return nil
}

// nextVersion returns a row version later than any this store handed out.
func (s *Store) nextVersion() uint64 {
	for {
		last := s.lastVersion.Load()
		v := max(time.Now().UnixNano(), last+1)
		if s.lastVersion.CompareAndSwap(last, v) {
			return uint64(v)
		}
	}
}

// Retention returns how long the store keeps each kind of table
// (Config.Retention).
func (s *Store) Retention() earshot.Retention { return s.cfg.Retention }

// DropExpired drops the months of posts that ended more than the posts'
// retention before now, and the months of the rollup that ended more than
// the rollup's retention before now, and returns the partitions dropped,
// as "posts 202401" and "post_rollup 202401" (see earshot.Expirer). Servers
// with TTL expire rows by themselves, and this drops the whole months
// their merges have not emptied yet; older ones need it called now and
// then, which serve does. It does nothing for a table kept for ever.
func (s *Store) DropExpired(ctx context.Context, now time.Time) ([]string, error) {
	var dropped []string
	tables := []struct {
		name string
		keep time.Duration
		drop string
	}{{"posts", s.cfg.Retention.Posts, qDropPartition}}
	if s.d.TimeSorted {
		tables = append(tables, struct {
			name string
			keep time.Duration
			drop string
		}{"post_ranks", s.cfg.Retention.Posts, qDropRanksPartition})
	}
	if s.d.Rollups {
		tables = append(tables, struct {
			name string
			keep time.Duration
			drop string
		}{"post_rollup", s.cfg.Retention.RollupsKept(), qDropRollupPartition})
	}
	for _, t := range tables {
		if t.keep <= 0 {
			continue
		}
		months, err := s.expiredMonths(ctx, t.name, now.Add(-t.keep))
		if err != nil {
			return dropped, err
		}
		for _, ym := range months {
			if err := s.conn.Exec(ctx, mustQuery(s.q, t.drop), ym); err != nil {
				return dropped, fmt.Errorf("dropping %s partition %d: %w", t.name, ym, err)
			}
			dropped = append(dropped, fmt.Sprintf("%s %d", t.name, ym))
		}
	}
	return dropped, nil
}

// expiredMonths returns the months (yyyymm) of table, on every server,
// that ended at or before cutoff.
func (s *Store) expiredMonths(ctx context.Context, table string, cutoff time.Time) ([]int, error) {
	rows, err := s.conn.Query(ctx, mustQuery(s.q, qPostPartitions), s.d.DB, s.d.localName(table))
	if err != nil {
		return nil, fmt.Errorf("listing %s partitions: %w", table, err)
	}
	defer rows.Close()
	var months []int
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("listing %s partitions: %w", table, err)
		}
		ym, err := strconv.Atoi(strings.Trim(p, "'"))
		if err != nil {
			continue
		}
		end := time.Date(ym/100, time.Month(ym%100)+1, 1, 0, 0, 0, 0, time.UTC)
		if !end.After(cutoff) {
			months = append(months, ym)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing %s partitions: %w", table, err)
	}
	return months, nil
}

// waitMutations waits until the table has no unfinished mutation.
func (s *Store) waitMutations(ctx context.Context, table string) error {
	ctx, cancel := context.WithTimeout(ctx, s.mutationTimeout)
	defer cancel()
	delay := 10 * time.Millisecond
	for {
		var pending uint64
		if err := s.conn.QueryRow(ctx, mustQuery(s.q, qPendingMutations), s.d.DB, table).Scan(&pending); err != nil {
			return fmt.Errorf("watching mutations: %w", err)
		}
		if pending == 0 {
			return nil
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return fmt.Errorf("waiting for %d mutations of %s: %w", pending, table, ctx.Err())
			}
			return ctx.Err()
		case <-t.C:
		}
		delay = min(2*delay, 500*time.Millisecond)
	}
}

// toNS is t in nanoseconds since the epoch; the zero time is 0.
func toNS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// fromNS is the inverse of toNS, in UTC.
func fromNS(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns).UTC()
}

// timeArg is t as a batch insert takes it for a time column.
func (s *Store) timeArg(t time.Time) any {
	ns := toNS(t)
	if s.d.DateTime64 {
		return time.Unix(0, ns).UTC()
	}
	return ns
}
