package duckdb

import (
	"database/sql"
	"fmt"
	"io/fs"
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
		NewRetained: func(t *testing.T, r earshot.Retention) earshot.Store {
			st, err := OpenConfig(t.Context(), Config{Path: ":memory:", Retention: r})
			if err != nil {
				t.Fatalf("OpenConfig: %v", err)
			}
			return st
		},
	}.Run(t)
}

func TestParseDSN(t *testing.T) {
	day := 24 * time.Hour
	for _, tc := range []struct {
		dsn, path string
		retention earshot.Retention
		ok        bool
	}{
		{"duckdb:///var/lib/earshot/earshot.duckdb", "/var/lib/earshot/earshot.duckdb", earshot.Retention{}, true},
		{"duckdb://:memory:", ":memory:", earshot.Retention{}, true},
		{"duckdb:///tmp/a b.duckdb", "/tmp/a b.duckdb", earshot.Retention{}, true},
		{"duckdb://", "", earshot.Retention{}, false},
		{"duckdb:///", "", earshot.Retention{}, false},
		{"duckdb://relative/file.duckdb", "relative/file.duckdb", earshot.Retention{}, true},
		{"duckdb://earshot.duckdb", "earshot.duckdb", earshot.Retention{}, true},
		{"duckdb:///x.duckdb?mode=ro", "", earshot.Retention{}, false},
		{"duckdb:///x.duckdb?retention=90d", "/x.duckdb", earshot.Retention{Posts: 90 * day}, true},
		{"duckdb:///x.duckdb?retention=90d&rollup_retention=730d", "/x.duckdb", earshot.Retention{Posts: 90 * day, Rollups: 730 * day}, true},
		{"duckdb://:memory:?retention=36h", ":memory:", earshot.Retention{Posts: 36 * time.Hour}, true},
		{"duckdb:///x.duckdb?retention=ninety", "", earshot.Retention{}, false},
		{"duckdb:///x.duckdb?retention=10m", "", earshot.Retention{}, false},                      // shorter than an hour
		{"duckdb:///x.duckdb?retention=90d&rollup_retention=30d", "", earshot.Retention{}, false}, // rollup shorter than posts
		{"duckdb:///x.duckdb?rollup_retention=30d", "", earshot.Retention{}, false},               // rollup with posts for ever
		{"duckdb:///x.duckdb#retention=90d", "", earshot.Retention{}, false},
		{"duckdb:///x.duckdb?retention=90d#x", "", earshot.Retention{}, false},
		{"clickhouse://user:pass@host:9000/earshot", "", earshot.Retention{}, false},
		{"/var/lib/earshot/earshot.duckdb", "", earshot.Retention{}, false},
		{"", "", earshot.Retention{}, false},
	} {
		cfg, err := ParseDSN(tc.dsn)
		if (err == nil) != tc.ok || cfg.Path != tc.path || cfg.Retention != tc.retention {
			t.Errorf("ParseDSN(%q) = %+v, %v; want %q %+v, ok %v", tc.dsn, cfg, err, tc.path, tc.retention, tc.ok)
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

	// A build with one more migration applies only that one; the ones
	// already applied would fail if they ran again.
	next, flagsName := nextBuild(t, "flags", `CREATE TABLE flags (name VARCHAR PRIMARY KEY);
		INSERT INTO flags VALUES ('a'), ('b');`)
	done, err := migrate(ctx, st.db, next)
	if err != nil {
		t.Fatalf("migrating to %s: %v", flagsName, err)
	}
	if want := "[" + flagsName + "]"; fmt.Sprint(done) != want {
		t.Errorf("applied %v, want %s", done, want)
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

	// The embedded migrations lack the flags one: this build must refuse
	// the newer database rather than run against a schema it does not know.
	if st, err := Open(ctx, path); err == nil {
		st.Close()
		t.Errorf("Open of a database with an unknown migration succeeded")
	}
}

// TestMigrationUpgrade: a database written before replies, reasons,
// spikes, post hashes, health, ratings, posts by the brand and app
// versions opens with them added; its posts come back with no parent, no
// reason, no hash, no rating, not by the brand and with no app version,
// and take all of them from then on.
func TestMigrationUpgrade(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "earshot.duckdb")
	initSQL, err := fs.ReadFile(migrationFiles, "migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := migrate(ctx, db, fstest.MapFS{"migrations/0001_init.sql": {Data: initSQL}}); err != nil {
		t.Fatalf("migrating to 0001: %v", err)
	}
	created := storetest.Base.UTC()
	if _, err := db.ExecContext(ctx, `INSERT INTO posts VALUES ('rss:old', 'rss', 'post', '', 'u1', '', '', 0,
		'old text', 'en', ?, ?, ['acme'], -0.5, 'negative', '{}', '')`, created, created); err != nil {
		t.Fatalf("inserting a post of the old schema: %v", err)
	}
	db.Close()

	st, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open of a 0001 database: %v", err)
	}
	defer st.Close()
	if got := appliedMigrations(t, st); len(got) < 2 || got[1].name != "0002_replies_reasons_spikes" {
		t.Errorf("migrations after upgrading: %v, want 0002_replies_reasons_spikes applied", got)
	}
	old, err := st.Post(ctx, "rss:old")
	if err != nil {
		t.Fatalf("Post of the old post: %v", err)
	}
	if old.Text != "old text" || old.ParentID != "" || old.Sentiment.Reason != "" || old.Sentiment.Label != earshot.Negative ||
		old.Rating != 0 || old.FromBrand || old.AppVersion != "" {
		t.Errorf("old post after upgrading: %+v", old)
	}
	// Migration 0014 counted the old post in the rollup.
	if n := rollupPosts(t, st); n != 1 {
		t.Errorf("post_rollup counts %d posts after upgrading, want 1", n)
	}
	reply := storetest.NewPost("rss", "reply", created).Parent("rss:old").Score(-0.6).Reason(earshot.ReasonBilling).
		Rating(1).FromBrand(true).AppVersion("5.0.2").Post()
	if err := st.SavePosts(ctx, []earshot.Post{reply}); err != nil {
		t.Fatalf("SavePosts after upgrading: %v", err)
	}
	if got, err := st.Post(ctx, reply.ID); err != nil || got.ParentID != "rss:old" || got.Sentiment.Reason != earshot.ReasonBilling ||
		got.Rating != 1 || !got.FromBrand || got.AppVersion != "5.0.2" {
		t.Errorf("reply after upgrading: %+v, %v", got, err)
	}
	if err := st.SaveSpike(ctx, earshot.Spike{ID: "s1", Start: created}); err != nil {
		t.Errorf("SaveSpike after upgrading: %v", err)
	}
	// The old post has no hash: left out, it is stored again when it comes.
	hashes, err := st.PostHashes(ctx, []string{"rss:old", reply.ID})
	if err != nil || len(hashes) != 1 || hashes[reply.ID] != earshot.ContentHash(reply) {
		t.Errorf("PostHashes after upgrading = %v, %v; want only %s's, %#x", hashes, err, reply.ID, earshot.ContentHash(reply))
	}
	if err := st.SaveGap(ctx, earshot.Gap{ID: "g1", Collector: "rss", From: created}); err != nil {
		t.Errorf("SaveGap after upgrading: %v", err)
	}
	if err := st.SaveHealth(ctx, earshot.SourceHealth{Collector: "rss"}); err != nil {
		t.Errorf("SaveHealth after upgrading: %v", err)
	}
}

// TestMigrationFailureRollsBack: a failing migration leaves no trace.
func TestMigrationFailureRollsBack(t *testing.T) {
	ctx := t.Context()
	st := openMemory(t)
	defer st.Close()
	before := appliedMigrations(t, st)
	bad, _ := nextBuild(t, "half", `CREATE TABLE half (x INTEGER); SELECT error('boom');`)
	if _, err := migrate(ctx, st.db, bad); err == nil {
		t.Fatal("migrate with a failing migration succeeded")
	}
	var n int
	if err := st.db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_name = 'half'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("table of the failed migration: %d, %v; want none", n, err)
	}
	if got := appliedMigrations(t, st); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Errorf("migrations after a failure: %v, want unchanged %v", got, before)
	}
}

// nextBuild returns the migrations of a build one migration ahead of this
// one, and that migration's name: the embedded ones, each failing if it
// runs again, then name with text, numbered next.
func nextBuild(t *testing.T, name, text string) (fstest.MapFS, string) {
	t.Helper()
	embedded, err := loadMigrations(migrationFiles)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, m := range embedded {
		fsys["migrations/"+m.name+".sql"] = &fstest.MapFile{Data: []byte(`SELECT error('` + m.name + ` must not run again')`)}
	}
	next := fmt.Sprintf("%04d_%s", embedded[len(embedded)-1].version+1, name)
	fsys["migrations/"+next+".sql"] = &fstest.MapFile{Data: []byte(text)}
	return fsys, next
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

// BenchmarkPostHashes asks for the hashes of 5,000 IDs, half of them
// stored, in a store of 200,000 posts.
func BenchmarkPostHashes(b *testing.B) {
	st := openMemory(b)
	defer st.Close()
	const stored, asked = 200_000, 5_000
	batch := make([]earshot.Post, 0, 10_000)
	for i := range stored {
		batch = append(batch, storetest.NewPost("twitter", fmt.Sprint(i), storetest.Base.Add(time.Duration(i)*time.Second)).Post())
		if len(batch) == cap(batch) {
			if err := st.SavePosts(b.Context(), batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	ids := make([]string, asked)
	for i := range ids {
		ids[i] = earshot.PostID("twitter", fmt.Sprint(stored-asked/2+i))
	}
	for b.Loop() {
		got, err := st.PostHashes(b.Context(), ids)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != asked/2 {
			b.Fatalf("got %d hashes", len(got))
		}
	}
}
