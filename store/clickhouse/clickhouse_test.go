package clickhouse

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/storetest"
)

// testServer returns the address of the server the integration tests use,
// or skips the test.
func testServer(t *testing.T) string {
	t.Helper()
	addr := os.Getenv("EARSHOT_TEST_CLICKHOUSE")
	if addr == "" {
		t.Skip("set EARSHOT_TEST_CLICKHOUSE=host:port to run the ClickHouse suite")
	}
	return addr
}

// testConfig is the configuration of a store on a fresh database, dropped
// at cleanup.
func testConfig(t *testing.T, addr string) Config {
	t.Helper()
	buf := make([]byte, 6)
	_, _ = rand.Read(buf)
	cfg := DefaultConfig()
	cfg.Addr = []string{addr}
	cfg.Database = "earshot_test_" + hex.EncodeToString(buf)
	t.Cleanup(func() { dropDatabase(t, addr, cfg.Database) })
	return cfg
}

// openTestStore opens a store on a fresh database, dropped at cleanup.
func openTestStore(t *testing.T, addr string) *Store {
	t.Helper()
	st, err := Open(t.Context(), testConfig(t, addr))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return st
}

func dropDatabase(t *testing.T, addr, db string) {
	t.Helper()
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}})
	if err != nil {
		t.Errorf("connecting to drop %s: %v", db, err)
		return
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(db)); err != nil {
		t.Errorf("dropping %s: %v", db, err)
	}
}

func TestConformance(t *testing.T) {
	addr := testServer(t)
	storetest.Suite{
		New: func(t *testing.T) earshot.Store { return openTestStore(t, addr) },
	}.Run(t)
}

// TestReopen checks that a second Open of the same database applies no
// migration twice and keeps the schema's dialect.
func TestReopen(t *testing.T) {
	addr := testServer(t)
	st := openTestStore(t, addr)
	defer st.Close()
	cfg := st.cfg
	again, err := Open(t.Context(), cfg)
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	defer again.Close()
	if again.Dialect() != st.Dialect() {
		t.Errorf("dialect changed on reopen: %+v, then %+v", st.Dialect(), again.Dialect())
	}
	var n uint64
	if err := again.conn.QueryRow(t.Context(), "SELECT count() FROM "+st.d.table("schema_migrations")).Scan(&n); err != nil {
		t.Fatal(err)
	}
	ms, _ := st.d.Migrations()
	if int(n) != len(ms)-1 {
		t.Errorf("schema_migrations has %d rows, want %d", n, len(ms)-1)
	}
}

// TestUpgradeHalfApplied: a database at the migration before 0005 (or
// 0006, 0008 or 0009), with posts, and with the first column of that
// migration added before a crash, opens on this build: the migrations
// complete (on servers without ADD COLUMN IF NOT EXISTS the column already
// there counts as added), old posts read with no parent, no reason, no
// hash, no rating, not by the brand and with no app version, and new ones
// keep theirs.
func TestUpgradeHalfApplied(t *testing.T) {
	addr := testServer(t)
	for _, crashed := range []string{"replies_reasons_spikes", "hashes_health", "ratings_brand", "app_version"} {
		t.Run(crashed, func(t *testing.T) { testUpgradeHalfApplied(t, addr, crashed) })
	}
}

func testUpgradeHalfApplied(t *testing.T, addr, crashed string) {
	ctx := t.Context()
	cfg := testConfig(t, addr)
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: cfg.Addr})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var raw string
	if err := conn.QueryRow(ctx, "SELECT version()").Scan(&raw); err != nil {
		t.Fatal(err)
	}
	v, err := ParseVersion(raw)
	if err != nil {
		t.Fatal(err)
	}
	d := DialectFor(v, cfg.Database, "", 0)
	q, err := d.Queries()
	if err != nil {
		t.Fatal(err)
	}
	ms, err := d.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	exec := func(sql string) {
		t.Helper()
		if err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%v\n%s", err, sql)
		}
	}
	insert := func(sql string, row ...any) {
		t.Helper()
		b, err := conn.PrepareBatch(ctx, sql)
		if err == nil {
			if err = b.Append(row...); err == nil {
				err = b.Send()
			}
		}
		if err != nil {
			t.Fatalf("%v\n%s", err, sql)
		}
	}
	exec(q[qCreateDatabase])
	var upgrade *Migration
	for _, m := range ms {
		if m.Name == crashed {
			upgrade = &m
			break
		}
		for _, stmt := range m.Statements {
			exec(stmt)
		}
		if m.Version > 0 {
			insert(q[qRecordMigration], uint32(m.Version), m.Name, time.Now().UTC())
		}
	}
	if upgrade == nil {
		t.Fatalf("no migration %s", crashed)
	}
	insert("INSERT INTO "+d.table("posts")+" (id, source, kind, score, label, version)", "rss:old", "rss", "post", -0.5, "negative", uint64(1))
	exec(upgrade.Statements[0]) // a column, then the crash

	st, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("Open of a half-migrated database: %v", err)
	}
	defer st.Close()
	var n uint64
	if err := st.conn.QueryRow(ctx, "SELECT count() FROM "+d.table("schema_migrations")).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if int(n) != len(ms)-1 {
		t.Errorf("schema_migrations has %d rows, want %d", n, len(ms)-1)
	}
	old, err := st.Post(ctx, "rss:old")
	if err != nil {
		t.Fatalf("Post of the old post: %v", err)
	}
	if old.ParentID != "" || old.Sentiment.Reason != "" || old.Sentiment.Label != earshot.Negative || old.Rating != 0 || old.FromBrand ||
		old.AppVersion != "" {
		t.Errorf("old post after upgrading: %+v", old)
	}
	reply := storetest.NewPost("rss", "reply", storetest.Base).Parent("rss:old").Score(-0.6).Reason(earshot.ReasonBilling).
		Rating(1).FromBrand(true).AppVersion("5.0.2").Post()
	if err := st.SavePosts(ctx, []earshot.Post{reply}); err != nil {
		t.Fatalf("SavePosts after upgrading: %v", err)
	}
	if got, err := st.Post(ctx, reply.ID); err != nil || got.ParentID != "rss:old" || got.Sentiment.Reason != earshot.ReasonBilling ||
		got.Rating != 1 || !got.FromBrand || got.AppVersion != "5.0.2" {
		t.Errorf("reply after upgrading: %+v, %v", got, err)
	}
	// The old post has no hash: left out, it is stored again when it comes.
	hashes, err := st.PostHashes(ctx, []string{"rss:old", reply.ID})
	if err != nil || len(hashes) != 1 || hashes[reply.ID] != earshot.ContentHash(reply) {
		t.Errorf("PostHashes after upgrading = %v, %v; want only %s's, %#x", hashes, err, reply.ID, earshot.ContentHash(reply))
	}
	if err := st.SaveSpike(ctx, earshot.Spike{ID: "s1", Start: storetest.Base}); err != nil {
		t.Errorf("SaveSpike after upgrading: %v", err)
	}
	if err := st.SaveGap(ctx, earshot.Gap{ID: "g1", Collector: "rss", From: storetest.Base}); err != nil {
		t.Errorf("SaveGap after upgrading: %v", err)
	}
	if err := st.SaveHealth(ctx, earshot.SourceHealth{Collector: "rss"}); err != nil {
		t.Errorf("SaveHealth after upgrading: %v", err)
	}
}

// TestDropExpired checks retention on servers without TTL: whole months
// past the retention go, the rest stay.
func TestDropExpired(t *testing.T) {
	addr := testServer(t)
	st := openTestStore(t, addr)
	defer st.Close()
	st.cfg.Retention = 60 * 24 * time.Hour
	now := time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
	var posts []earshot.Post
	for i, created := range []time.Time{
		time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC),  // January ended > 60 days before now: dropped
		time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC), // March ended 76 days before: dropped
		time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC),  // April ended 45 days before: kept
		time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
	} {
		posts = append(posts, earshot.Post{ID: fmt.Sprintf("t:%d", i), Source: "t", CreatedAt: created, CollectedAt: created})
	}
	if err := st.SavePosts(t.Context(), posts); err != nil {
		t.Fatal(err)
	}
	dropped, err := st.DropExpired(t.Context(), now)
	if err != nil {
		t.Fatalf("DropExpired: %v", err)
	}
	if want := []string{"202601", "202603"}; !slices.Equal(dropped, want) {
		t.Errorf("dropped %v, want %v", dropped, want)
	}
	n, err := st.CountPosts(t.Context(), earshot.PostQuery{From: time.Unix(0, 1), To: now})
	if err != nil || n != 2 {
		t.Errorf("CountPosts after DropExpired = %d, %v; want 2", n, err)
	}
}

// testCluster returns a shard's address and the cluster's name from
// EARSHOT_TEST_CLICKHOUSE_CLUSTER (host:port/cluster, as .ci/cluster.sh
// prints), or skips the test.
func testCluster(t *testing.T) (addr, cluster string) {
	t.Helper()
	v := os.Getenv("EARSHOT_TEST_CLICKHOUSE_CLUSTER")
	if v == "" {
		t.Skip("set EARSHOT_TEST_CLICKHOUSE_CLUSTER=host:port/cluster (see .ci/cluster.sh) to run the suite on a cluster")
	}
	addr, cluster, ok := strings.Cut(v, "/")
	if !ok || addr == "" || cluster == "" {
		t.Fatalf("EARSHOT_TEST_CLICKHOUSE_CLUSTER=%q: want host:port/cluster", v)
	}
	return addr, cluster
}

// TestConformanceCluster runs the whole conformance suite on a cluster:
// posts sharded over the shards behind a Distributed table, the other
// tables replicated through ZooKeeper, DDL sent ON CLUSTER. Each case has
// a fresh database, dropped on every server at cleanup.
func TestConformanceCluster(t *testing.T) {
	addr, cluster := testCluster(t)
	storetest.Suite{
		New: func(t *testing.T) earshot.Store {
			buf := make([]byte, 6)
			_, _ = rand.Read(buf)
			cfg := DefaultConfig()
			cfg.Addr = []string{addr}
			cfg.Cluster = cluster
			cfg.Database = "earshot_cluster_" + hex.EncodeToString(buf)
			st, err := Open(t.Context(), cfg)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			t.Cleanup(func() {
				drop, err := Open(context.Background(), cfg)
				if err == nil {
					err = drop.DropDatabase(context.Background())
				}
				if err != nil {
					t.Errorf("dropping %s on the cluster: %v", cfg.Database, err)
				}
			})
			return st
		},
	}.Run(t)
}
