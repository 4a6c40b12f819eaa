package clickhouse

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"
)

// Version is a ClickHouse server version, as SELECT version() reports it.
type Version struct{ Major, Minor int }

// ParseVersion reads "18.16.1" or "26.7.3.1".
func ParseVersion(s string) (Version, error) {
	parts := strings.Split(strings.TrimSpace(s), ".")
	if len(parts) < 2 {
		return Version{}, fmt.Errorf("parsing server version %q: want major.minor", s)
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return Version{}, fmt.Errorf("parsing server version %q: want major.minor", s)
	}
	return Version{major, minor}, nil
}

// AtLeast reports whether v is major.minor or later.
func (v Version) AtLeast(major, minor int) bool {
	return v.Major > major || v.Major == major && v.Minor >= minor
}

func (v Version) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// Dialect is what the SQL the store sends depends on: the server's
// features, the database, the cluster layout. The zero feature set is
// what ClickHouse 18.16 understands; everything else is switched on only
// where the server has it.
type Dialect struct {
	// DB is the database holding the tables.
	DB string
	// Cluster, when set, lays tables out with ON CLUSTER, Replicated
	// engines and a Distributed posts table.
	Cluster string
	// Retention, where the server has TTL, expires posts and the rollup.
	Retention Retention

	// DateTime64 stores times as DateTime64(9, 'UTC'); without it, as
	// Int64 nanoseconds since the epoch. Either way Go code sees int64
	// nanoseconds: the zero time is stored as 0 (1970-01-01).
	DateTime64 bool
	// LowCardinality dictionary-encodes the small-vocabulary strings.
	LowCardinality bool
	// Map stores sentiment parts as Map(String, Float64); without it as
	// two parallel arrays.
	Map bool
	// TTL lets the server expire posts and the rollup (needs Retention).
	TTL bool
	// MutationsSync lets ALTER ... DELETE wait for itself.
	MutationsSync bool
	// SkipIndexes adds a bloom filter on post IDs, for Post lookups.
	SkipIndexes bool
	// AddColumnIfNotExists writes ALTER TABLE ... ADD COLUMN IF NOT
	// EXISTS. Without it (18.16 has not) a migration adding a column that
	// is already there fails, and the store takes the failure as done.
	AddColumnIfNotExists bool
	// Rollups keeps post_rollup, counts and sentiment per minute, watch
	// and source, that series read instead of posts (migration 0017; in
	// cluster mode 0018: a table per shard behind a Distributed one).
	Rollups bool
	// TimeSorted is set when posts are sorted by (created_at, source, id)
	// (migration 0017, not in cluster mode, where posts stay sorted by
	// source and ID): a post is then identified by its ID and creation
	// time, and window queries filter the creation time in PREWHERE.
	TimeSorted bool
}

// rollupWidth is the width of post_rollup's buckets: a series whose
// bucket width is a multiple of it reads the rollup.
const rollupWidth = time.Minute

// DialectFor returns the dialect of a server of version v holding db,
// keeping posts (and the rollup) for retention (0: for ever).
func DialectFor(v Version, db, cluster string, retention time.Duration) Dialect {
	modern := v.AtLeast(20, 8) // DateTime64 with to/fromUnixTimestamp64Nano, TTL, mutations_sync
	return Dialect{
		DB:             db,
		Cluster:        cluster,
		Retention:      Retention{Posts: retention},
		DateTime64:     modern,
		LowCardinality: modern,
		Map:            v.AtLeast(22, 3),
		TTL:            modern,
		MutationsSync:  modern,
		SkipIndexes:    modern,

		AddColumnIfNotExists: modern,
		Rollups:              true,
		TimeSorted:           cluster == "",
	}
}

// shardedTables are split over the cluster's shards behind a Distributed
// table; the others are replicated whole to every server.
var shardedTables = []string{"posts", "post_rollup"}

func quoteIdent(s string) string { return "`" + strings.ReplaceAll(s, "`", "\\`") + "`" }

func quoteString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// table is the name queries use: the Distributed table in cluster mode.
func (d Dialect) table(name string) string { return quoteIdent(d.DB) + "." + quoteIdent(name) }

// local is the table that holds the rows: what DDL and mutations address.
func (d Dialect) local(name string) string { return d.table(d.localName(name)) }

// localName is local's table name, unquoted and without the database.
func (d Dialect) localName(name string) string {
	if d.Cluster != "" && slices.Contains(shardedTables, name) {
		return name + "_local"
	}
	return name
}

// everyServer names the system table name as every server of the
// cluster holds it (the cluster table function), or this server's.
func (d Dialect) everyServer(name string) string {
	if d.Cluster == "" {
		return "system." + quoteIdent(name)
	}
	return fmt.Sprintf("cluster(%s, system, %s)", quoteString(d.Cluster), quoteIdent(name))
}

func (d Dialect) onCluster() string {
	if d.Cluster == "" {
		return ""
	}
	return " ON CLUSTER " + quoteIdent(d.Cluster)
}

// engine renders a MergeTree-family engine; kind is "MergeTree" or
// "ReplacingMergeTree", args its own arguments (a version column, the
// columns to sum).
func (d Dialect) engine(kind, name string, args ...string) string {
	if d.Cluster == "" {
		return kind + "(" + strings.Join(args, ", ") + ")"
	}
	zk := "/clickhouse/tables/all/" + d.DB + "/" + name
	if slices.Contains(shardedTables, name) {
		zk = "/clickhouse/tables/{shard}/" + d.DB + "/" + name + "_local"
	}
	args = append([]string{quoteString(zk), quoteString("{replica}")}, args...)
	return "Replicated" + kind + "(" + strings.Join(args, ", ") + ")"
}

// distributed renders the Distributed table in front of a sharded one, or
// nothing outside cluster mode.
func (d Dialect) distributed(name, shardKey string) string {
	if d.Cluster == "" {
		return ""
	}
	return fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s%s AS %s\nENGINE = Distributed(%s, %s, %s, %s)",
		d.table(name), d.onCluster(), d.local(name),
		quoteString(d.Cluster), quoteString(d.DB), quoteString(name+"_local"), shardKey)
}

// redistribute renders, in cluster mode, the statements that bring the
// Distributed table in front of a sharded one up to the local table's
// columns after a migration changed them: drop it and create it again
// (it holds no rows). ALTER ... ON CLUSTER cannot do it on 18.16: with
// internal replication, the servers refuse an ALTER of a table that is not
// replicated. Outside cluster mode it renders nothing.
func (d Dialect) redistribute(name, shardKey string) string {
	if d.Cluster == "" {
		return ""
	}
	return fmt.Sprintf("DROP TABLE IF EXISTS %s%s;\n%s", d.table(name), d.onCluster(), d.distributed(name, shardKey))
}

func (d Dialect) lowCardinality() string {
	if d.LowCardinality {
		return "LowCardinality(String)"
	}
	return "String"
}

func (d Dialect) timeType() string {
	if d.DateTime64 {
		return "DateTime64(9, 'UTC')"
	}
	return "Int64"
}

// ns is a time column as Int64 nanoseconds.
func (d Dialect) ns(col string) string {
	if d.DateTime64 {
		return "toUnixTimestamp64Nano(" + col + ")"
	}
	return col
}

// ts is a time parameter (bound as int64 nanoseconds) comparable with a
// time column.
func (d Dialect) ts() string {
	if d.DateTime64 {
		return "fromUnixTimestamp64Nano(toInt64(?), 'UTC')"
	}
	return "?"
}

// dateTime is a time column as a DateTime, for partitioning and TTL.
func (d Dialect) dateTime(col string) string {
	if d.DateTime64 {
		return "toDateTime(" + col + ", 'UTC')"
	}
	return "toDateTime(intDiv(" + col + ", 1000000000), 'UTC')"
}

// postTTL is the TTL expression of the posts table, "" when none.
func (d Dialect) postTTL() string {
	if !d.TTL || d.Retention.Posts <= 0 {
		return ""
	}
	return fmt.Sprintf("%s + toIntervalSecond(%d)", d.dateTime("created_at"), int64(d.Retention.Posts/time.Second))
}

// rollupDateTime is post_rollup's bucket as a DateTime, for partitioning
// and TTL.
func (d Dialect) rollupDateTime() string { return "toDateTime(intDiv(bucket, 1000000000), 'UTC')" }

// rollupTTL is the TTL expression of post_rollup, "" when none: the
// rollup's retention, counted from the bucket's start.
func (d Dialect) rollupTTL() string {
	keep := d.Retention.RollupsKept()
	if !d.TTL || keep <= 0 {
		return ""
	}
	return fmt.Sprintf("%s + toIntervalSecond(%d)", d.rollupDateTime(), int64(keep/time.Second))
}

// addColumn starts an ALTER TABLE action adding a column, idempotent where
// the server allows.
func (d Dialect) addColumn() string {
	if d.AddColumnIfNotExists {
		return "ADD COLUMN IF NOT EXISTS"
	}
	return "ADD COLUMN"
}

func (d Dialect) funcs() template.FuncMap {
	return template.FuncMap{
		"table":          d.table,
		"local":          d.local,
		"onCluster":      d.onCluster,
		"everyServer":    d.everyServer,
		"engine":         d.engine,
		"distributed":    d.distributed,
		"redistribute":   d.redistribute,
		"lc":             d.lowCardinality,
		"time":           d.timeType,
		"ns":             d.ns,
		"ts":             d.ts,
		"dateTime":       d.dateTime,
		"postTTL":        d.postTTL,
		"addColumn":      d.addColumn,
		"rollupTTL":      d.rollupTTL,
		"rollupDateTime": d.rollupDateTime,
		"rollupWidth":    func() int64 { return int64(rollupWidth) },
		"string":         quoteString,
		"ident":          quoteIdent,
	}
}

// render executes one SQL template against d.
func (d Dialect) render(name, text string) (string, error) {
	t, err := template.New(name).Funcs(d.funcs()).Option("missingkey=error").Parse(text)
	if err != nil {
		return "", fmt.Errorf("parsing %s: %w", name, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		return "", fmt.Errorf("rendering %s: %w", name, err)
	}
	return strings.TrimSpace(b.String()), nil
}

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one versioned step of the schema, rendered for a dialect.
type Migration struct {
	Version    int
	Name       string
	Statements []string
}

// Migrations renders every embedded migration for d, in order. The
// bookkeeping table comes first as version 0, which is never recorded.
func (d Dialect) Migrations() ([]Migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("listing migrations: %w", err)
	}
	slices.Sort(names)
	bootstrap, err := d.render("schema_migrations", schemaMigrationsDDL)
	if err != nil {
		return nil, err
	}
	ms := []Migration{{Version: 0, Name: "schema_migrations", Statements: []string{bootstrap}}}
	for _, file := range names {
		base := strings.TrimSuffix(path.Base(file), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", file)
		}
		if last := ms[len(ms)-1].Version; v <= last {
			return nil, fmt.Errorf("migration %s: version %d does not follow %d", file, v, last)
		}
		text, err := migrationFiles.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("reading migration %s: %w", file, err)
		}
		sql, err := d.render(file, string(text))
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: name, Statements: splitStatements(sql)})
	}
	return ms, nil
}

// splitStatements splits a script on semicolons that end a line and drops
// comment lines. The migrations hold no semicolon inside a literal.
func splitStatements(sql string) []string {
	var out []string
	for stmt := range strings.SplitSeq(sql, ";\n") {
		var lines []string
		for line := range strings.SplitSeq(stmt, "\n") {
			if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "--") {
				lines = append(lines, strings.TrimRight(line, " \t"))
			}
		}
		if stmt = strings.TrimSuffix(strings.TrimSpace(strings.Join(lines, "\n")), ";"); stmt != "" {
			out = append(out, stmt)
		}
	}
	return out
}

const schemaMigrationsDDL = `
CREATE TABLE IF NOT EXISTS {{local "schema_migrations"}}{{onCluster}}
(
    version UInt32,
    name String,
    applied_at DateTime
)
ENGINE = {{engine "MergeTree" "schema_migrations"}}
ORDER BY version`
