package clickhouse

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/model"
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
		NewRetained: func(t *testing.T, r earshot.Retention) earshot.Store {
			return retained(openTestStore(t, addr), r)
		},
	}.Run(t)
}

// retained sets st's retention after Open, so that a server with TTL
// sets none: its TTL would expire the conformance case's posts by the
// wall clock, where the case expires them at a fixed now. DropExpired
// drops the months by the configuration.
func retained(st *Store, r Retention) *Store {
	st.cfg.Retention = r
	return st
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
	q, ms := dialectSQL(t, d)
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
// past each table's retention go, the rest stay, and the series read the
// rollup's months kept longer than their posts.
func TestDropExpired(t *testing.T) {
	addr := testServer(t)
	testDropExpired(t, func(t *testing.T) *Store { return openTestStore(t, addr) })
}

func testDropExpired(t *testing.T, open func(*testing.T) *Store) {
	now := time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	tests := []struct {
		name      string
		retention Retention
		dropped   []string
		series    []int64 // posts per day of the series from January to now, on the days with posts
	}{
		{
			// January and March ended more than 60 days before now; April
			// 45 days before. The rollup follows the posts.
			name:      "rollup as long as posts",
			retention: Retention{Posts: 60 * day},
			dropped:   []string{"posts 202601", "posts 202603", "post_rollup 202601", "post_rollup 202603"},
			series:    []int64{1, 2},
		},
		{
			// The rollup keeps 120 days: only January (156 days) goes; the
			// series still count March's post from the rollup.
			name:      "rollup longer",
			retention: Retention{Posts: 60 * day, Rollups: 120 * day},
			dropped:   []string{"posts 202601", "posts 202603", "post_rollup 202601"},
			series:    []int64{1, 1, 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := open(t)
			defer st.Close()
			st.cfg.Retention = tt.retention
			var posts []earshot.Post
			for i, created := range []time.Time{
				time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC),
				time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC),
				time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC),
				time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
				time.Date(2026, 6, 1, 0, 5, 0, 0, time.UTC),
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
			if !slices.Equal(dropped, tt.dropped) {
				t.Errorf("dropped %v, want %v", dropped, tt.dropped)
			}
			n, err := st.CountPosts(t.Context(), earshot.PostQuery{From: time.Unix(0, 1), To: now})
			if err != nil || n != 3 {
				t.Errorf("CountPosts after DropExpired = %d, %v; want 3", n, err)
			}
			buckets, err := st.Series(t.Context(), earshot.SeriesQuery{
				From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: now, Bucket: day,
			})
			if err != nil {
				t.Fatal(err)
			}
			var counts []int64
			for _, b := range buckets {
				counts = append(counts, b.Count)
			}
			if !slices.Equal(counts, tt.series) {
				t.Errorf("series after DropExpired counts %v (%v), want %v", counts, buckets, tt.series)
			}
			again, err := st.DropExpired(t.Context(), now)
			if err != nil || len(again) != 0 {
				t.Errorf("DropExpired again dropped %v, %v; want nothing", again, err)
			}
		})
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
		New: func(t *testing.T) earshot.Store { return openClusterStore(t, addr, cluster) },
		NewRetained: func(t *testing.T, r earshot.Retention) earshot.Store {
			return retained(openClusterStore(t, addr, cluster), r)
		},
	}.Run(t)
}

// TestDropExpiredCluster is TestDropExpired on a cluster: posts and the
// rollup are split over the shards, and every shard's months go.
func TestDropExpiredCluster(t *testing.T) {
	addr, cluster := testCluster(t)
	testDropExpired(t, func(t *testing.T) *Store { return openClusterStore(t, addr, cluster) })
}

// openClusterStore opens a store on a fresh database of the cluster,
// dropped on every server at cleanup.
func openClusterStore(t *testing.T, addr, cluster string) *Store {
	t.Helper()
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
}

// TestRebuildRollups checks that a rollup gone wrong (rows of no post, a
// post it never counted) is put right from the posts, within the span
// asked only, that a rollup already right gets no row, and that progress
// goes a day at a time.
func TestRebuildRollups(t *testing.T) {
	addr := testServer(t)
	testRebuildRollups(t, openTestStore(t, addr))
}

// TestRebuildRollupsCluster is TestRebuildRollups through the Distributed
// tables.
func TestRebuildRollupsCluster(t *testing.T) {
	addr, cluster := testCluster(t)
	testRebuildRollups(t, openClusterStore(t, addr, cluster))
}

func testRebuildRollups(t *testing.T, st *Store) {
	ctx := t.Context()
	defer st.Close()
	day := 24 * time.Hour
	base := storetest.Base
	var posts []earshot.Post
	for i := range 6 {
		p := storetest.NewPost("twitter", fmt.Sprintf("r%d", i), base.Add(time.Duration(i)*(day/2+time.Minute))).
			Watches("acme").Score(float64(i)/5 - 0.5).Post()
		posts = append(posts, p)
	}
	if err := st.SavePosts(ctx, posts); err != nil {
		t.Fatal(err)
	}
	// An edit, through the store: the rollup follows it.
	edited := posts[1]
	edited.Sentiment = earshot.Sentiment{Score: -0.9, Label: earshot.Negative}
	edited.Watches = []string{"acme", "acmecloud"}
	edited.CollectedAt = edited.CollectedAt.Add(time.Hour)
	if err := st.SavePosts(ctx, []earshot.Post{edited}); err != nil {
		t.Fatal(err)
	}
	posts[1] = edited
	// The rollup goes wrong: a post stored without its rollup rows (on the
	// first day and the third), and rollup rows of no post (the second).
	lost := []earshot.Post{
		storetest.NewPost("rss", "lost1", base.Add(3*time.Hour)).Watches("acme").Score(0.7).Post(),
		storetest.NewPost("rss", "lost2", base.Add(2*day+time.Hour)).Score(-0.4).Post(),
	}
	var rows [][]any
	for _, p := range lost {
		rows = append(rows, st.postRow(p))
	}
	if err := st.insertPosts(ctx, lost, rows); err != nil {
		t.Fatal(err)
	}
	posts = append(posts, lost...)
	ghost := storetest.NewPost("hn", "ghost", base.Add(day+time.Hour)).Watches("acme").Score(-0.8).Post()
	if err := st.insertRollup(ctx, [][]any{stateOf(ghost, 1).rollupRow(1)}); err != nil {
		t.Fatal(err)
	}

	queries := []earshot.SeriesQuery{
		{From: base.Add(-day), To: base.Add(4 * day), Bucket: time.Hour},
		{From: base.Add(-day), To: base.Add(4 * day), Bucket: time.Minute, GroupBy: earshot.GroupWatch},
		{From: base.Add(-day), To: base.Add(4 * day), Bucket: day, GroupBy: earshot.GroupSource},
	}
	wrong := func(q earshot.SeriesQuery) bool {
		got, err := st.Series(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return !sameBuckets(got, model.Series(posts, q))
	}
	for _, q := range queries {
		if !wrong(q) {
			t.Fatalf("the rollup is not wrong before the rebuild: %+v", q)
		}
	}

	// The second day only: the ghost goes, the posts lost on the first
	// and third days stay uncounted.
	p, err := st.RebuildRollups(ctx, base.Add(day), base.Add(2*day), nil)
	if err != nil {
		t.Fatalf("RebuildRollups of a day: %v", err)
	}
	if p.Fixed == 0 || p.Posts != 2 || !p.From.Equal(base.Add(day)) || !p.Done.Equal(base.Add(2*day)) {
		t.Errorf("RebuildRollups of the second day = %+v, want rows fixed and its 2 posts", p)
	}
	secondDay := earshot.SeriesQuery{From: base.Add(day), To: base.Add(2 * day), Bucket: time.Hour}
	if wrong(secondDay) {
		t.Error("the second day is still wrong after its rebuild")
	}
	if !wrong(queries[0]) {
		t.Error("rebuilding the second day put the others right too")
	}

	// Everything, from the first post or row to the last.
	var seen []earshot.RebuildProgress
	p, err = st.RebuildRollups(ctx, time.Time{}, time.Time{}, func(p earshot.RebuildProgress) { seen = append(seen, p) })
	if err != nil {
		t.Fatalf("RebuildRollups: %v", err)
	}
	for _, q := range queries {
		if wrong(q) {
			got, _ := st.Series(ctx, q)
			t.Errorf("after the rebuild Series(%+v) = %v, want %v", q, got, model.Series(posts, q))
		}
	}
	if p.Posts != int64(len(posts)) || p.Fixed == 0 || !p.Done.Equal(p.To) {
		t.Errorf("RebuildRollups = %+v, want %d posts, rows fixed, done", p, len(posts))
	}
	if !p.From.Equal(base) || !p.To.Equal(posts[5].CreatedAt.Add(time.Minute)) {
		t.Errorf("RebuildRollups spanned [%v, %v), want the first post's minute to the one after the last's", p.From, p.To)
	}
	if len(seen) != 3 || !seen[0].Done.Equal(base.Add(day)) || seen[len(seen)-1] != p {
		t.Errorf("progress %+v, want a day at a time ending with %+v", seen, p)
	}

	// A rollup that is right gets nothing.
	p, err = st.RebuildRollups(ctx, time.Time{}, time.Time{}, nil)
	if err != nil || p.Fixed != 0 || p.Posts != int64(len(posts)) {
		t.Errorf("RebuildRollups of a right rollup = %+v, %v; want nothing fixed", p, err)
	}
}

// sameBuckets compares series, means to 1e-9 (the rollup sums scores in
// nano-units).
func sameBuckets(a, b []earshot.Bucket) bool {
	return slices.EqualFunc(a, b, func(x, y earshot.Bucket) bool {
		mx, my := x.MeanSentiment, y.MeanSentiment
		x.MeanSentiment, y.MeanSentiment = 0, 0
		return x == y && math.Abs(mx-my) < 1e-9
	})
}

// TestEraseAuthorRanks: the author's rows go from post_ranks too (which
// TopNegative reads its candidates from), and the most negative posts are
// the others'.
func TestEraseAuthorRanks(t *testing.T) {
	ctx := t.Context()
	st := openTestStore(t, testServer(t))
	defer st.Close()
	base := storetest.Base
	gone := storetest.NewPost("twitter", "g", base).Author("gone", 1).Score(-0.95).Post()
	stays := storetest.NewPost("twitter", "s", base.Add(time.Minute)).Author("stays", 1).Score(-0.5).Post()
	if err := st.SavePosts(ctx, []earshot.Post{gone, stays}); err != nil {
		t.Fatal(err)
	}
	ranks := func(author string) uint64 {
		var n uint64
		if err := st.conn.QueryRow(ctx, "SELECT count() FROM "+st.d.table("post_ranks")+" WHERE author_id = ?", author).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if ranks("gone") != 1 || ranks("stays") != 1 {
		t.Fatalf("post_ranks holds %d rows of gone and %d of stays, want 1 each", ranks("gone"), ranks("stays"))
	}
	if _, err := st.EraseAuthor(ctx, "twitter", "gone"); err != nil {
		t.Fatal(err)
	}
	if n := ranks("gone"); n != 0 {
		t.Errorf("post_ranks keeps %d rows of the erased author", n)
	}
	top, err := st.TopNegative(ctx, earshot.PostQuery{From: base.Add(-time.Hour), To: base.Add(time.Hour), Limit: 5})
	if err != nil || len(top) != 1 || top[0].ID != stays.ID {
		t.Errorf("TopNegative after the erasure = %v, %v; want %s alone", top, err, stays.ID)
	}
}

// TestQueriesByManyIDs asks for more IDs than one query's text may hold
// (the server parses at most 50,000 elements): the look-ups by ID split
// them.
func TestQueriesByManyIDs(t *testing.T) {
	st := openTestStore(t, testServer(t))
	defer st.Close()
	ctx := t.Context()
	stored := storetest.NewPost("twitter", "stored", storetest.Base).Post()
	linked := storetest.NewPost("twitter", "linked", storetest.Base).Post()
	linked.IncidentID = "inc1"
	if err := st.SavePosts(ctx, []earshot.Post{stored, linked}); err != nil {
		t.Fatalf("SavePosts: %v", err)
	}
	posts := make([]earshot.Post, 60_000)
	ids := make([]string, len(posts))
	for i := range posts {
		posts[i] = storetest.NewPost("twitter", fmt.Sprint(i), storetest.Base).Post()
		ids[i] = posts[i].ID
	}
	posts[len(posts)-1], ids[len(ids)-1] = stored, stored.ID
	posts[len(posts)-2], ids[len(ids)-2] = linked, linked.ID
	posts[len(posts)-2].IncidentID = ""
	hashes, err := st.PostHashes(ctx, ids)
	if err != nil || len(hashes) != 2 || hashes[stored.ID] != earshot.ContentHash(stored) {
		t.Errorf("PostHashes of %d IDs = %d hashes, %v; want the 2 stored", len(ids), len(hashes), err)
	}
	links, err := st.storedLinks(ctx, posts)
	if err != nil || len(links) != 1 || links[linked.ID] != "inc1" {
		t.Errorf("storedLinks of %d posts = %v, %v; want %s's incident", len(posts), links, err, linked.ID)
	}
}
