package e2e_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/collectors"
	_ "github.com/earshot/earshot/collectors/all"
	"github.com/earshot/earshot/collectors/collectortest"
	"github.com/earshot/earshot/inbound/ingestapi"
	"github.com/earshot/earshot/ingest"
	"github.com/earshot/earshot/store/clickhouse"
	"github.com/earshot/earshot/store/clickhouse/chtest"
	"github.com/earshot/earshot/store/duckdb"
)

// now is the clock of every run: the clock of the collectors' cases.
var now = collectortest.DefaultNow

// watches is what the pipeline matches posts against.
var watches = []earshot.Watch{
	{Name: "acme", Terms: []string{"Acme Cloud", "Acme"}, Handles: []string{"acmecloud"}},
	{Name: "support", Keywords: []string{"support"}},
}

// recorder is a store that remembers the IDs of the posts saved through
// it: a post saved twice is a duplicate write.
type recorder struct {
	earshot.Store
	saved []string
}

func (r *recorder) SavePosts(ctx context.Context, posts []earshot.Post) error {
	for _, p := range posts {
		r.saved = append(r.saved, p.ID)
	}
	return r.Store.SavePosts(ctx, posts)
}

// PostHashes lets the pipeline skip posts stored unchanged, as it does
// with the store itself.
func (r *recorder) PostHashes(ctx context.Context, ids []string) (map[string]uint64, error) {
	return r.Store.(earshot.PostHashStore).PostHashes(ctx, ids)
}

// source is one collector kind and the golden case whose first run feeds
// it: the case's responses are served again, its expected.jsonl says what
// the collector returns.
type source struct {
	kind string
	// dir is the case, under collectors/.
	dir string
	// suite holds what the kind's own tests give every case: config,
	// environment, TLS and response headers.
	suite collectortest.Suite
}

const token = "e2e-SECRET-token"

var sources = []source{
	{kind: "rss", dir: "rss/testdata/wordpress_comments", suite: collectortest.Suite{}},
	{kind: "twitter", dir: "twitter/testdata/first_run_backfill", suite: collectortest.Suite{
		Config: map[string]any{"query": `"Acme Cloud" OR @acmecloud`, "bearer_token": "env:EARSHOT_E2E_TOKEN"},
		TLS:    true,
		Header: map[string]string{"Content-Type": "application/json;charset=utf-8"},
	}},
	{kind: "twitter_v2", dir: "twitterv2/testdata/first_run_backfill", suite: collectortest.Suite{
		Config: map[string]any{"query": `("Acme Cloud" OR @acmecloud) -is:retweet`, "bearer_token": "env:EARSHOT_E2E_TOKEN", "base_url": "http://api.x.test"},
		Header: map[string]string{"Content-Type": "application/json;charset=utf-8"},
	}},
	{kind: "mastodon", dir: "mastodon/testdata/first_run_backfill", suite: collectortest.Suite{
		Config: map[string]any{"instance": "http://mastodon.acme.test"},
		Header: map[string]string{"Content-Type": "application/json; charset=utf-8"},
	}},
	{kind: "bluesky", dir: "bluesky/testdata/first_run", suite: collectortest.Suite{
		Config: map[string]any{"base_url": "http://api.bsky.test", "pds": "http://pds.bsky.test"},
		Header: map[string]string{"Content-Type": "application/json; charset=utf-8"},
	}},
	{kind: "reddit", dir: "reddit/testdata/first_run", suite: collectortest.Suite{
		Config: map[string]any{
			"client_id": "env:EARSHOT_E2E_REDDIT_ID", "client_secret": "env:EARSHOT_E2E_TOKEN",
			"user_agent": "linux:earshot:v0.1 (by /u/acme_comms)",
			"auth_url":   "http://www.reddit.test/api/v1/access_token", "api_url": "http://oauth.reddit.test",
		},
		Header: map[string]string{"Content-Type": "application/json; charset=UTF-8"},
	}},
	{kind: "hackernews", dir: "hackernews/testdata/first_run", suite: collectortest.Suite{
		Config: map[string]any{"base_url": "http://hn.algolia.test/api/v1"},
		Header: map[string]string{"Content-Type": "application/json; charset=utf-8"},
	}},
	{kind: "facebook", dir: "facebook/testdata/first_run", suite: collectortest.Suite{
		Config: map[string]any{"page_id": "104857600123", "access_token": "env:EARSHOT_E2E_TOKEN", "base_url": "http://graph.facebook.test"},
		Header: map[string]string{"Content-Type": "application/json; charset=UTF-8"},
	}},
	{kind: "linkedin", dir: "linkedin/testdata/first_run", suite: collectortest.Suite{
		Config: map[string]any{"organization_id": "2414183", "access_token": "env:EARSHOT_E2E_TOKEN", "base_url": "http://api.linkedin.test"},
		Header: map[string]string{"Content-Type": "application/json"},
	}},
	{kind: "youtube", dir: "youtube/testdata/first_run", suite: collectortest.Suite{
		Config: map[string]any{"channel_id": "UCacmeCloud0000000000001", "api_key": "env:EARSHOT_E2E_TOKEN", "base_url": "http://youtube.googleapis.test"},
		Header: map[string]string{"Content-Type": "application/json; charset=UTF-8"},
	}},
	{kind: "wordpress", dir: "wordpress/testdata/first_run", suite: collectortest.Suite{
		Config: map[string]any{"site": "http://blog.acme.test/"},
		Header: map[string]string{"Content-Type": "application/json; charset=UTF-8"},
	}},
	{kind: "disqus", dir: "disqus/testdata/first_run", suite: collectortest.Suite{
		Config: map[string]any{"forum": "acmecloud", "api_key": "env:EARSHOT_E2E_TOKEN", "base_url": "http://disqus.test/api/3.0"},
		Header: map[string]string{"Content-Type": "application/json"},
	}},
	{kind: "appstore", dir: "appstore/testdata/first_run", suite: collectortest.Suite{
		Config: map[string]any{"app_id": "1500000001", "base_url": "http://itunes.apple.test"},
		Header: map[string]string{"Content-Type": "text/javascript; charset=utf-8"},
	}},
	{kind: "googleplay", dir: "googleplay/testdata/first_run", suite: collectortest.Suite{
		Config: map[string]any{"package_name": "com.acme.cloud", "service_account": "env:EARSHOT_E2E_GOOGLE_SA", "base_url": "http://androidpublisher.googleapis.test"},
		Header: map[string]string{"Content-Type": "application/json; charset=UTF-8"},
	}},
}

func TestDuckDB(t *testing.T) {
	run(t, func(t *testing.T) earshot.Store {
		st, err := duckdb.Open(t.Context(), ":memory:")
		if err != nil {
			t.Fatalf("opening DuckDB: %v", err)
		}
		return st
	})
}

func TestClickHouse(t *testing.T) {
	run(t, func(t *testing.T) earshot.Store {
		addr, db := chtest.Fresh(t, "earshot_e2e")
		cfg := clickhouse.DefaultConfig()
		cfg.Addr = []string{addr}
		cfg.Database = db
		st, err := clickhouse.Open(t.Context(), cfg)
		if err != nil {
			t.Fatalf("opening ClickHouse: %v", err)
		}
		return st
	})
}

// run runs every source, and the push API, into a store of its own made
// by open.
func run(t *testing.T, open func(t *testing.T) earshot.Store) {
	t.Setenv("EARSHOT_E2E_TOKEN", token)
	t.Setenv("EARSHOT_E2E_REDDIT_ID", "e2e-client")
	t.Setenv("EARSHOT_E2E_GOOGLE_SA", serviceAccount(t))
	scorer, err := sentiment.New()
	if err != nil {
		t.Fatalf("sentiment.New: %v", err)
	}
	for _, src := range sources {
		t.Run(src.kind, func(t *testing.T) {
			st := open(t)
			t.Cleanup(func() { st.Close() })
			testSource(t, st, scorer, src)
		})
	}
	t.Run("push", func(t *testing.T) {
		st := open(t)
		t.Cleanup(func() { st.Close() })
		testPush(t, st, scorer)
	})
}

// testSource collects the first run of src's case into st through the
// poller and a pipeline, checks what was stored, then runs once more as
// after a restart (a new collector and pipeline, the cursor from the
// store) with the same answers: nothing more is stored.
func testSource(t *testing.T, store earshot.Store, scorer earshot.Scorer, src source) {
	ctx := t.Context()
	st := &recorder{Store: store}
	dir := filepath.Join("..", "..", "collectors", src.dir)
	tc := collectortest.ReadCase(t, filepath.Join(dir, "case.yaml"))
	cfg := maps.Clone(src.suite.Config)
	if cfg == nil {
		cfg = map[string]any{}
	}
	maps.Copy(cfg, tc.Config)
	client := src.suite.Replay(t, dir, 1)
	name := "e2e-" + src.kind

	once := func() (ingest.PipelineStats, string) {
		t.Helper()
		c, err := collectors.New(src.kind, name, collectortest.Node(t, cfg), collectors.Deps{
			HTTP: client, Now: func() time.Time { return now }, UserAgent: collectortest.UserAgent,
		})
		if err != nil {
			t.Fatalf("collectors.New: %v", err)
		}
		pipe := ingest.NewPipeline(st, scorer, watches, ingest.PipelineOptions{Now: func() time.Time { return now }})
		sink := func(ctx context.Context, posts []earshot.Post) error { return pipe.Add(ctx, posts...) }
		poller := &ingest.Poller{Collector: c, Kind: src.kind, Cursors: st, Sink: sink, Now: func() time.Time { return now }}
		if _, err := poller.Once(ctx); err != nil {
			t.Fatalf("Once: %v", err)
		}
		if err := pipe.Flush(ctx); err != nil {
			t.Fatalf("Flush: %v", err)
		}
		cursor, err := st.Cursor(ctx, name)
		if err != nil {
			t.Fatalf("Cursor: %v", err)
		}
		return pipe.Stats(), cursor
	}

	var want []earshot.Post
	var wantCursor *string
	for _, r := range collectortest.ReadGolden(t, filepath.Join(dir, "expected.jsonl")) {
		switch {
		case r.Run != 1:
		case r.Post != nil:
			want = append(want, *r.Post)
		case r.Cursor != nil:
			wantCursor = r.Cursor
		}
	}
	if wantCursor == nil {
		wantCursor = tc.Runs[0].WantCursor
	}
	if len(want) == 0 {
		t.Fatalf("%s returns no post in its first run", src.dir)
	}

	stats, cursor := once()
	if stats.Rejected != 0 || stats.Stored != int64(len(want)) {
		t.Errorf("first run: %+v, want %d stored", stats, len(want))
	}
	checkStored(t, st, want)
	if cursor == "" {
		t.Error("first run: no cursor saved")
	}
	if wantCursor != nil && cursor != *wantCursor {
		t.Errorf("first run: cursor\n got: %s\nwant: %s", cursor, *wantCursor)
	}
	count := countPosts(t, st)
	if count != int64(len(want)) {
		t.Errorf("first run: %d posts in the store, want %d", count, len(want))
	}

	// The second run, after a restart, resumes from the saved cursor and
	// gets the same answers. A collector that leaves it to the server to
	// skip what is older than its cursor (Mastodon's since_id) may find a
	// post its first run had left out (older than the backfill); a post
	// stored already must not be stored again.
	first := st.saved
	st.saved = nil
	stats, cursor2 := once()
	for _, id := range st.saved {
		if slices.Contains(first, id) {
			t.Errorf("second run stored %s again", id)
		}
	}
	if got := countPosts(t, st); got != count+int64(len(st.saved)) {
		t.Errorf("second run: %d posts in the store, want %d", got, count+int64(len(st.saved)))
	}
	if len(st.saved) > 0 {
		t.Logf("second run: %d posts new to the store, %v (%+v)", len(st.saved), st.saved, stats)
	}
	if cursor2 == "" {
		t.Error("second run: the cursor is gone")
	}
	if strings.Contains(cursor+cursor2, token) {
		t.Errorf("a cursor holds the token: %s %s", cursor, cursor2)
	}
}

// checkStored checks that each of want, as the collector returned it, is
// in st as the pipeline should have made it.
func checkStored(t *testing.T, st earshot.PostStore, want []earshot.Post) {
	t.Helper()
	matcher := earshot.NewMatcher(watches)
	matched, scored := 0, 0
	for _, w := range want {
		n := ingest.Normalize(w, 16<<10)
		got, err := st.Post(t.Context(), w.ID)
		if err != nil {
			t.Errorf("Post(%s): %v", w.ID, err)
			continue
		}
		if got.Text != n.Text {
			t.Errorf("%s: text %q, want %q", w.ID, got.Text, n.Text)
		}
		if got.Author != n.Author {
			t.Errorf("%s: author %+v, want %+v", w.ID, got.Author, n.Author)
		}
		if got.ParentID != w.ParentID || got.Kind != n.Kind || got.Source != n.Source {
			t.Errorf("%s: parent %q kind %q source %q, want %q %q %q", w.ID, got.ParentID, got.Kind, got.Source, w.ParentID, n.Kind, n.Source)
		}
		if !got.CreatedAt.Equal(n.CreatedAt) {
			t.Errorf("%s: created at %s, want %s", w.ID, got.CreatedAt, n.CreatedAt)
		}
		// The scorer leaves the languages it has no model for unscored.
		if english := n.Lang == "" || n.Lang == "en"; english && !got.Sentiment.Scored() {
			t.Errorf("%s: not scored: %+v", w.ID, got.Sentiment)
		}
		if got.Sentiment.Scored() {
			scored++
		}
		// Stars overrule words: a 1- or 2-star review is negative.
		if w.Rating >= 1 && w.Rating <= 2 && got.Sentiment.Label != earshot.Negative {
			t.Errorf("%s: %d stars but %q", w.ID, w.Rating, got.Sentiment.Label)
		}
		if wantW := matcher.Match(n.Text); strings.Join(got.Watches, ",") != strings.Join(wantW, ",") {
			t.Errorf("%s: watches %q, want %q", w.ID, got.Watches, wantW)
		}
		if len(got.Watches) > 0 {
			matched++
		}
	}
	if matched == 0 || scored == 0 {
		t.Errorf("of %d posts %d matched a watch, %d were scored", len(want), matched, scored)
	}
	replies := 0
	for _, w := range want {
		if w.ParentID != "" {
			replies++
		}
	}
	t.Logf("%d posts stored, %d replies, %d matched a watch, %d scored", len(want), replies, matched, scored)
}

func countPosts(t *testing.T, st earshot.PostStore) int64 {
	t.Helper()
	n, err := st.CountPosts(t.Context(), earshot.PostQuery{From: time.Unix(0, 0), To: now.AddDate(1, 0, 0)})
	if err != nil {
		t.Fatalf("CountPosts: %v", err)
	}
	return n
}

// testPush posts testdata/push.jsonl to the ingest API with a token, into
// a pipeline and st, twice: the second time stores nothing new.
func testPush(t *testing.T, st earshot.Store, scorer earshot.Scorer) {
	ctx := t.Context()
	body := collectortest.ReadFile(t, filepath.Join("testdata", "push.jsonl"))
	var want []earshot.Post
	for _, line := range strings.Split(strings.TrimSpace(string(body)), "\n") {
		var rec earshot.PostRecord
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		p, err := rec.Post()
		if err != nil {
			t.Fatal(err)
		}
		p.CollectedAt = now
		want = append(want, p)
	}

	send := func() ingest.PipelineStats {
		t.Helper()
		pipe := ingest.NewPipeline(st, scorer, watches, ingest.PipelineOptions{Now: func() time.Time { return now }})
		h, err := ingestapi.New(ingestapi.Config{Tokens: []collectors.Secret{"env:EARSHOT_E2E_TOKEN"}},
			func(ctx context.Context, posts []earshot.Post) error { return pipe.Add(ctx, posts...) }, nil, nil)
		if err != nil {
			t.Fatalf("ingestapi.New: %v", err)
		}
		srv := httptest.NewServer(h)
		defer srv.Close()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/api/v1/ingest", strings.NewReader(string(body)))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/x-ndjson")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("ingest: %s", resp.Status)
		}
		if err := pipe.Flush(ctx); err != nil {
			t.Fatalf("Flush: %v", err)
		}
		return pipe.Stats()
	}

	if stats := send(); stats.Stored != int64(len(want)) || stats.Rejected != 0 {
		t.Errorf("first push: %+v, want %d stored", stats, len(want))
	}
	checkStored(t, st, want)
	count := countPosts(t, st)
	if count != int64(len(want)) {
		t.Errorf("%d posts in the store, want %d", count, len(want))
	}
	if stats := send(); stats.Stored != 0 {
		t.Errorf("second push stored %d posts again", stats.Stored)
	}
	if got := countPosts(t, st); got != count {
		t.Errorf("after the second push: %d posts, want %d still", got, count)
	}
}
