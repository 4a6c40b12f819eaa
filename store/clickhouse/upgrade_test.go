package clickhouse

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/storetest"
)

// upgradePosts are posts over three months, from three sources, with
// several watches, some unscored, and a second version of every third
// post with another sentiment and other watches.
func upgradePosts() (first, second []earshot.Post) {
	watches := [][]string{nil, {"acme"}, {"acme", "acmecloud"}, {"acmecloud"}}
	sources := []string{"twitter", "rss", "hn"}
	for i := range 300 {
		created := storetest.Base.Add(time.Duration(i)*7*time.Hour + time.Duration(i*37)*time.Second)
		b := storetest.NewPost(sources[i%3], fmt.Sprint(i), created).Author(fmt.Sprintf("u%d", i%7), int64(i)).
			Watches(watches[i%4]...)
		if i%5 == 0 {
			b = b.Unscored()
		} else {
			b = b.Score(float64(i%21)/10 - 1)
		}
		first = append(first, b.Post())
		if i%3 == 0 {
			second = append(second, b.Watches(watches[(i+1)%4]...).Score(float64(i%13)/6-1).
				Collected(created.Add(time.Hour)).Post())
		}
	}
	return first, second
}

// answers are what a store says about the posts, for comparing two stores.
func answers(t *testing.T, st *Store) map[string]string {
	t.Helper()
	ctx := t.Context()
	out := map[string]string{}
	from, to := storetest.Base.Add(-time.Hour), storetest.Base.Add(100*24*time.Hour)
	for _, g := range []earshot.GroupBy{earshot.GroupNone, earshot.GroupSource, earshot.GroupWatch} {
		for _, q := range []earshot.SeriesQuery{
			{From: from, To: to, Bucket: time.Hour},
			{From: from, To: to, Bucket: 24 * time.Hour},
			{From: storetest.Base.Add(90 * time.Second), To: storetest.Base.Add(40*24*time.Hour + 7*time.Second), Bucket: 24 * time.Hour},
			{From: from, To: to, Bucket: 24 * time.Hour, Watch: "acme"},
			{From: from, To: to, Bucket: 7 * 24 * time.Hour, Source: "rss"},
		} {
			q.GroupBy = g
			bs, err := st.Series(ctx, q)
			if err != nil {
				t.Fatalf("Series: %v", err)
			}
			var b strings.Builder
			for _, x := range bs {
				fmt.Fprintf(&b, "%s %s %d %d %d %d %s\n", x.Start.Format(time.RFC3339), x.Key, x.Count, x.Scored,
					x.Negative, x.Positive, mean(x.MeanSentiment))
			}
			out[fmt.Sprintf("series %s %s-%s %s %q %q", g, q.From.Format(time.RFC3339), q.To.Format(time.RFC3339), q.Bucket, q.Watch, q.Source)] = b.String()
		}
	}
	pq := earshot.PostQuery{From: from, To: to, Limit: 50}
	n, err := st.CountPosts(ctx, pq)
	if err != nil {
		t.Fatalf("CountPosts: %v", err)
	}
	out["count"] = fmt.Sprint(n)
	for name, read := range map[string]func() ([]earshot.Post, error){
		"top negative": func() ([]earshot.Post, error) { return st.TopNegative(ctx, pq) },
		"posts":        func() ([]earshot.Post, error) { return st.Posts(ctx, pq) },
	} {
		ps, err := read()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = fmt.Sprintf("%+v", ps)
	}
	as, err := st.Authors(ctx, pq)
	if err != nil {
		t.Fatalf("Authors: %v", err)
	}
	var b strings.Builder
	for _, a := range as {
		m := a.MeanSentiment
		a.MeanSentiment = 0
		fmt.Fprintf(&b, "%+v %s\n", a, mean(m))
	}
	out["authors"] = b.String()
	for _, id := range []string{"twitter:0", "rss:1", "hn:2", "twitter:3", "hn:299"} {
		p, err := st.Post(ctx, id)
		out["post "+id] = fmt.Sprintf("%+v %v", p, err)
	}
	hashes, err := st.PostHashes(ctx, []string{"twitter:0", "rss:1", "hn:299"})
	if err != nil {
		t.Fatalf("PostHashes: %v", err)
	}
	out["hashes"] = fmt.Sprint(hashes)
	return out
}

// TestUpgradeToTimeKey: a database made with the migrations before 0017
// (posts sorted by source and ID, no rollup), filled through the store of
// then, with posts collected twice and linked, opens on this build: the
// posts move to the table sorted by time, the rollup is filled, and every
// answer is the same as before. Then it keeps answering as the posts do
// (read without the rollup) through edits.
func TestUpgradeToTimeKey(t *testing.T) {
	addr := testServer(t)
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
	// The store of before: no rollup, posts read with FINAL alone.
	before := &Store{conn: conn, cfg: cfg, version: v, d: DialectFor(v, cfg.Database, "", 0), mutationTimeout: time.Minute}
	before.d.Rollups = false
	if before.q, err = before.d.Queries(); err != nil {
		t.Fatal(err)
	}
	ms, err := before.d.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Exec(ctx, before.q[qCreateDatabase]); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Version >= 17 {
			break
		}
		for _, stmt := range m.Statements {
			if err := conn.Exec(ctx, stmt); err != nil {
				t.Fatalf("%v\n%s", err, stmt)
			}
		}
		if m.Version > 0 {
			b, err := conn.PrepareBatch(ctx, before.q[qRecordMigration])
			if err == nil {
				if err = b.Append(uint32(m.Version), m.Name, time.Now().UTC()); err == nil {
					err = b.Send()
				}
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	first, second := upgradePosts()
	if err := before.SavePosts(ctx, first); err != nil {
		t.Fatal(err)
	}
	if err := before.SavePosts(ctx, second); err != nil {
		t.Fatal(err)
	}
	if _, err := before.LinkPosts(ctx, earshot.PostQuery{From: storetest.Base, To: storetest.Base.Add(48 * time.Hour)}, "inc-1"); err != nil {
		t.Fatal(err)
	}
	want := answers(t, before)

	st, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("Open of a database from before 0017: %v", err)
	}
	defer st.Close()
	if !st.Dialect().Rollups {
		t.Fatal("the upgraded store keeps no rollup")
	}
	var sortingKey string
	if err := conn.QueryRow(ctx, "SELECT engine_full FROM system.tables WHERE database = ? AND name = 'posts'", cfg.Database).Scan(&sortingKey); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sortingKey, "ORDER BY (created_at, source, id)") {
		t.Errorf("posts after upgrading: %s, want sorted by (created_at, source, id)", sortingKey)
	}
	var rollupRows uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM "+st.d.table("post_rollup")).Scan(&rollupRows); err != nil || rollupRows == 0 {
		t.Errorf("post_rollup after upgrading: %d rows, %v", rollupRows, err)
	}
	got := answers(t, st)
	compareAnswers(t, "after upgrading", got, want)

	// Edits on the upgraded store: the rollup follows the posts, which the
	// store of before reads without it.
	var edits []earshot.Post
	for i, p := range first {
		if i%4 == 1 {
			p.Sentiment = earshot.Sentiment{Score: -0.9, Label: earshot.Negative}
			p.Watches = []string{"acme"}
			p.CollectedAt = p.CollectedAt.Add(3 * time.Hour)
			edits = append(edits, p)
		}
	}
	if err := st.SavePosts(ctx, edits); err != nil {
		t.Fatal(err)
	}
	if err := st.SavePosts(ctx, second); err != nil { // older than some edits: changes nothing there
		t.Fatal(err)
	}
	if _, err := st.EraseAuthor(ctx, "rss", "u2"); err != nil {
		t.Fatal(err)
	}
	compareAnswers(t, "after edits", answers(t, st), answers(t, before))
}

// mean is a mean sentiment to 6 places, -0 as 0: the rollup sums scores
// in nano-units, and sums of floats in another order differ in the last
// bits.
func mean(m float64) string { return fmt.Sprintf("%.6f", math.Round(m*1e6)/1e6+0) }

func compareAnswers(t *testing.T, when string, got, want map[string]string) {
	t.Helper()
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s, %s:\ngot  %s\nwant %s", when, name, got[name], w)
		}
	}
}

// TestWindowReads is what 18.16 allows in place of EXPLAIN (which it has
// not): the rows the server reports reading. 100,000 posts over a day: a
// series over the day reads the rollup's rows (a few per minute), far fewer
// than the posts; the most negative posts of two hours read about those
// hours' granules, not the table.
func TestWindowReads(t *testing.T) {
	addr := testServer(t)
	st := openTestStore(t, addr)
	defer st.Close()
	ctx := t.Context()
	const n = 100_000
	posts := make([]earshot.Post, n)
	span := 24 * time.Hour
	for i := range posts {
		created := storetest.Base.Add(time.Duration(i) * (span / n))
		posts[i] = storetest.NewPost([]string{"twitter", "rss", "hn", "reddit"}[i%4], fmt.Sprint(i), created).
			Watches("acme").Score(float64(i%201)/100 - 1).Post()
	}
	if err := st.SavePosts(ctx, posts); err != nil {
		t.Fatal(err)
	}
	read := func(what string, f func(ctx context.Context) error) uint64 {
		t.Helper()
		var rows uint64
		pctx := clickhouse.Context(ctx, clickhouse.WithProgress(func(p *clickhouse.Progress) { rows += p.Rows }))
		if err := f(pctx); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		t.Logf("%s read %d rows", what, rows)
		return rows
	}
	var rollupRows uint64
	if err := st.conn.QueryRow(ctx, "SELECT count() FROM "+st.d.table("post_rollup")).Scan(&rollupRows); err != nil {
		t.Fatal(err)
	}
	whole := read("counting every post", func(ctx context.Context) error {
		var c uint64
		return st.conn.QueryRow(ctx, "SELECT count() FROM "+st.d.table("posts")+" WHERE score > -2").Scan(&c)
	})
	if whole < n {
		t.Fatalf("a scan of the posts reported %d rows read, want %d or more: no progress to go by", whole, n)
	}
	q := earshot.SeriesQuery{From: storetest.Base, To: storetest.Base.Add(span), Bucket: time.Hour}
	series := read("the series of a day", func(ctx context.Context) error {
		bs, err := st.Series(ctx, q)
		if err == nil && len(bs) != 24 {
			err = fmt.Errorf("%d buckets, want 24", len(bs))
		}
		return err
	})
	if series > rollupRows || series > n/4 {
		t.Errorf("the series of a day read %d rows; the rollup has %d, the posts %d", series, rollupRows, n)
	}
	top := read("the most negative posts of two hours", func(ctx context.Context) error {
		ps, err := st.TopNegative(ctx, earshot.PostQuery{From: storetest.Base.Add(10 * time.Hour), To: storetest.Base.Add(12 * time.Hour), Limit: 10})
		if err == nil && len(ps) != 10 {
			err = fmt.Errorf("%d posts, want 10", len(ps))
		}
		return err
	})
	if top > n/4 {
		t.Errorf("the most negative posts of two hours (%d posts) read %d rows of %d", n/12, top, n)
	}
}

// TestTopNegativeStaleVersions: where the rows that rank first are older
// versions of posts since scored otherwise (or moved to another watch),
// TopNegative still answers what reading every post with FINAL answers:
// with a few stale rows, and with so many that it falls back to FINAL.
func TestTopNegativeStaleVersions(t *testing.T) {
	addr := testServer(t)
	st := openTestStore(t, addr)
	defer st.Close()
	ctx := t.Context()
	var first, second []earshot.Post
	for i := range 1200 {
		b := storetest.NewPost("twitter", fmt.Sprint(i), storetest.Base.Add(time.Duration(i)*time.Minute)).Watches("acme").
			Score(-1 + float64(i%7)/100)
		first = append(first, b.Post())
		switch {
		case i%10 == 0: // kept: still the most negative
		case i%10 == 1: // moved to another watch
			second = append(second, b.Watches("other").Collected(storetest.Base.Add(48*time.Hour)).Post())
		default: // scored again, less negative
			second = append(second, b.Score(-0.5+float64(i%50)/100).Collected(storetest.Base.Add(48*time.Hour)).Post())
		}
	}
	if err := st.SavePosts(ctx, first); err != nil {
		t.Fatal(err)
	}
	if err := st.SavePosts(ctx, second); err != nil {
		t.Fatal(err)
	}
	for _, q := range []earshot.PostQuery{
		{From: storetest.Base, To: storetest.Base.Add(time.Hour), Limit: 5},
		{From: storetest.Base, To: storetest.Base.Add(24 * time.Hour), Limit: 20},
		{From: storetest.Base, To: storetest.Base.Add(24 * time.Hour), Limit: 200, Watch: "acme"},
		{From: storetest.Base, To: storetest.Base.Add(24 * time.Hour), Limit: 150, Watch: "other"},
		{From: storetest.Base, To: storetest.Base.Add(24 * time.Hour), Limit: 1},
		{From: storetest.Base.Add(time.Hour), To: storetest.Base.Add(3 * time.Hour), Limit: 100, Source: "twitter"},
	} {
		got, err := st.TopNegative(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		want, err := st.queryPosts(ctx, mustQuery(st.q, qTopNegative), append(windowArgs(q.From, q.To, q.Watch, q.Source), limit(q.Limit))...)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := fmt.Sprintf("%+v", got), fmt.Sprintf("%+v", want); g != w || len(want) == 0 {
			t.Errorf("TopNegative(%+v):\ngot  %s\nwant %s", q, g, w)
		}
	}
}
