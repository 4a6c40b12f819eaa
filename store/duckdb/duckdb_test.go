package duckdb

import (
	"fmt"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/storetest"
)

func openMemory(t testing.TB) *Store {
	t.Helper()
	st, err := Open(t.Context(), ":memory:")
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return st
}

func TestConformance(t *testing.T) {
	storetest.Suite{
		New: func(t *testing.T) earshot.Store { return openMemory(t) },
	}.Run(t)
}

func TestParseDSN(t *testing.T) {
	for _, tc := range []struct {
		dsn, path string
		ok        bool
	}{
		{"duckdb:///var/lib/earshot/earshot.duckdb", "/var/lib/earshot/earshot.duckdb", true},
		{"duckdb://:memory:", ":memory:", true},
		{"duckdb:///tmp/a b.duckdb", "/tmp/a b.duckdb", true},
		{"duckdb://", "", false},
		{"duckdb:///", "", false},
		{"duckdb://relative/file.duckdb", "", false},
		{"duckdb:///x.duckdb?mode=ro", "", false},
		{"clickhouse://user:pass@host:9000/earshot", "", false},
		{"/var/lib/earshot/earshot.duckdb", "", false},
		{"", "", false},
	} {
		path, err := ParseDSN(tc.dsn)
		if (err == nil) != tc.ok || path != tc.path {
			t.Errorf("ParseDSN(%q) = %q, %v; want %q, ok %v", tc.dsn, path, err, tc.path, tc.ok)
		}
	}
}

// TestMigrationsReopen: a file database is migrated once; reopening it
// applies only migrations it has not seen, and keeps its data.
func TestMigrationsReopen(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "earshot.duckdb")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	post := storetest.NewPost("rss", "1", storetest.Base).Watches("acme").Score(-0.5).Post()
	if err := st.SavePosts(ctx, []earshot.Post{post}); err != nil {
		t.Fatalf("SavePosts: %v", err)
	}
	first := appliedMigrations(t, st)
	if len(first) == 0 || first[0].name != "0001_init" {
		t.Fatalf("after the first Open: migrations %v, want 0001_init first", first)
	}
	st.Close()

	// Reopening with the same migrations applies nothing.
	st, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopening: %v", err)
	}
	if again := appliedMigrations(t, st); fmt.Sprint(again) != fmt.Sprint(first) {
		t.Errorf("after reopening: migrations %v, want unchanged %v", again, first)
	}

	// A build with one more migration applies only that one.
	next := fstest.MapFS{
		"migrations/0002_flags.sql": {Data: []byte(`CREATE TABLE flags (name VARCHAR PRIMARY KEY);
			INSERT INTO flags VALUES ('a'), ('b');`)},
		"migrations/0001_init.sql": {Data: []byte(`SELECT error('0001 must not run again')`)},
	}
	done, err := migrate(ctx, st.db, next)
	if err != nil {
		t.Fatalf("migrating to 0002: %v", err)
	}
	if fmt.Sprint(done) != "[0002_flags]" {
		t.Errorf("applied %v, want [0002_flags]", done)
	}
	var flags int
	if err := st.db.QueryRowContext(ctx, `SELECT count(*) FROM flags`).Scan(&flags); err != nil || flags != 2 {
		t.Errorf("flags table: %d rows, %v; want 2", flags, err)
	}
	if done, err := migrate(ctx, st.db, next); err != nil || len(done) != 0 {
		t.Errorf("migrating again: applied %v, %v; want nothing", done, err)
	}
	got, err := st.Post(ctx, post.ID)
	if err != nil || got.Text != post.Text {
		t.Errorf("post after migrating: %+v, %v", got, err)
	}
	st.Close()

	// The embedded migrations lack 0002: this build must refuse the newer
	// database rather than run against a schema it does not know.
	if st, err := Open(ctx, path); err == nil {
		st.Close()
		t.Errorf("Open of a database with an unknown migration succeeded")
	}
}

// TestMigrationFailureRollsBack: a failing migration leaves no trace.
func TestMigrationFailureRollsBack(t *testing.T) {
	ctx := t.Context()
	st := openMemory(t)
	defer st.Close()
	bad := fstest.MapFS{
		"migrations/0001_init.sql": {Data: []byte(`SELECT 1`)},
		"migrations/0002_half.sql": {Data: []byte(`CREATE TABLE half (x INTEGER); SELECT error('boom');`)},
	}
	if _, err := migrate(ctx, st.db, bad); err == nil {
		t.Fatal("migrate with a failing migration succeeded")
	}
	var n int
	if err := st.db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_name = 'half'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("table of the failed migration: %d, %v; want none", n, err)
	}
	if got := appliedMigrations(t, st); len(got) != 1 {
		t.Errorf("migrations after a failure: %v, want only 0001", got)
	}
}

type appliedMigration struct {
	version int
	name    string
	at      time.Time
}

func appliedMigrations(t *testing.T, st *Store) []appliedMigration {
	t.Helper()
	rows, err := st.db.QueryContext(t.Context(), `SELECT version, name, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatalf("reading schema_migrations: %v", err)
	}
	defer rows.Close()
	var out []appliedMigration
	for rows.Next() {
		var m appliedMigration
		if err := rows.Scan(&m.version, &m.name, &m.at); err != nil {
			t.Fatalf("reading schema_migrations: %v", err)
		}
		out = append(out, m)
	}
	return out
}

func BenchmarkSavePosts(b *testing.B) {
	st := openMemory(b)
	defer st.Close()
	batch := make([]earshot.Post, 1000)
	for n := 0; b.Loop(); n++ {
		for i := range batch {
			batch[i] = storetest.NewPost("twitter", fmt.Sprintf("%d-%d", n, i), storetest.Base.Add(time.Duration(i)*time.Second)).
				Author(fmt.Sprintf("u%d", i%100), int64(i)).Watches("acme", "acmecloud").Score(float64(i%200)/100 - 1).
				Parts(map[string]float64{"lexicon": 0.1}).Post()
		}
		if err := st.SavePosts(b.Context(), batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(batch))/b.Elapsed().Seconds(), "posts/s")
}
