package reddit_test

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/collectortest"
	"github.com/earshot/earshot/collectors/reddit"
)

// fakeReddit answers the token endpoint and /search the way Reddit does:
// newest first, pages of limit items after a fullname, no more than
// maxItems items of a listing, and an empty page when the fullname to page
// after is gone. Items become visible at their creation time; some are
// deleted; some requests fail, and tokens are sometimes revoked.
type fakeReddit struct {
	mu       sync.Mutex
	items    []fakeItem
	deleted  map[string]bool
	now      time.Time
	maxItems int
	failRate float64
	rng      *rand.Rand
	tokens   int
	valid    string
	requests int
}

type fakeItem struct {
	name string
	t    int64
}

func (f *fakeReddit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == "/api/v1/access_token" {
		f.tokens++
		f.valid = "fake-token-" + strconv.Itoa(f.tokens)
		json.NewEncoder(w).Encode(map[string]any{"access_token": f.valid, "token_type": "bearer", "expires_in": 86400, "scope": "*"})
		return
	}
	switch p := f.rng.Float64(); {
	case p < f.failRate:
		http.Error(w, `{"message": "Service Unavailable", "error": 503}`, http.StatusServiceUnavailable)
		return
	case p < 2*f.failRate:
		f.valid = "" // revoked
	}
	if r.Header.Get("Authorization") != "bearer "+f.valid || f.valid == "" {
		http.Error(w, `{"message": "Unauthorized", "error": 401}`, http.StatusUnauthorized)
		return
	}
	var visible []fakeItem
	for _, it := range f.items {
		if it.t <= f.now.Unix() && !f.deleted[it.name] {
			visible = append(visible, it)
		}
	}
	slices.SortFunc(visible, func(a, b fakeItem) int {
		return cmp.Or(cmp.Compare(b.t, a.t), cmp.Compare(b.name, a.name))
	})
	visible = visible[:min(len(visible), f.maxItems)]
	start := 0
	if after := r.URL.Query().Get("after"); after != "" {
		i := slices.IndexFunc(visible, func(it fakeItem) bool { return it.name == after })
		start = i + 1
		if i < 0 {
			start = len(visible)
		}
	}
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	end := min(start+limit, len(visible))
	children := []any{}
	for _, it := range visible[start:end] {
		children = append(children, map[string]any{"kind": "t3", "data": map[string]any{
			"name": it.name, "id": strings.TrimPrefix(it.name, "t3_"), "title": "Acme Cloud " + it.name,
			"selftext": "", "is_self": true, "author": "u_" + it.name[3:6], "author_fullname": "t2_" + it.name[3:7],
			"created_utc": float64(it.t), "permalink": "/r/sysadmin/comments/" + it.name[3:] + "/x/",
		}})
	}
	var after any
	if end < len(visible) && end > start {
		after = visible[end-1].name
	}
	json.NewEncoder(w).Encode(map[string]any{"kind": "Listing", "data": map[string]any{
		"after": after, "before": nil, "dist": len(children), "children": children}})
}

// TestResumeNoGapNoDuplicate runs the collector every five minutes for half
// a day over a busy search: max_pages 2 (so the first day takes several
// runs), several posts in one second, posts deleted (among them the ones a
// gap pages on from), requests failing and tokens revoked at random, and a
// restart before every run. Every post created since the backfill start of
// the first run that worked, and not deleted, must come exactly once.
func TestResumeNoGapNoDuplicate(t *testing.T) {
	t.Setenv("EARSHOT_TEST_REDDIT_ID", clientID)
	t.Setenv("EARSHOT_TEST_REDDIT_SECRET", clientSecret)
	for _, seed := range []uint64{1, 2, 3, 4} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 42))
			start := testNow.Add(-24 * time.Hour)
			end := testNow.Add(12 * time.Hour)
			fake := &fakeReddit{maxItems: 1000, failRate: 0.08, rng: rand.New(rand.NewPCG(seed, 7)),
				deleted: map[string]bool{}, now: testNow}
			var times []int64
			for range 900 {
				if len(times) > 0 && rng.IntN(5) == 0 {
					times = append(times, times[len(times)-1])
					continue
				}
				times = append(times, start.Add(-time.Hour).Unix()+rng.Int64N(int64(end.Sub(start)/time.Second)+3600))
			}
			slices.Sort(times)
			for i, at := range times {
				fake.items = append(fake.items, fakeItem{name: "t3_" + strconv.FormatInt(int64(60000000+i), 36), t: at})
			}
			srv := httptest.NewServer(fake)
			t.Cleanup(srv.Close)

			cfg := reddit.DefaultConfig()
			cfg.ClientID, cfg.ClientSecret = "env:EARSHOT_TEST_REDDIT_ID", "env:EARSHOT_TEST_REDDIT_SECRET"
			cfg.UserAgent = userAgent
			cfg.Query = "acme cloud"
			cfg.MaxPages = 2
			cfg.AuthURL = "http://" + authHost + "/api/v1/access_token"
			cfg.APIURL = "http://" + apiHost
			got := map[string]int{}
			cursor := ""
			now := testNow
			var err error
			for run := 1; now.Before(end) || strings.Contains(cursor, "gaps") || err != nil; run++ {
				if run > 2000 {
					t.Fatalf("still not caught up after %d runs; cursor %s", run, cursor)
				}
				fake.mu.Lock()
				fake.now = now
				for _, it := range fake.items {
					if it.t <= now.Unix() && fake.rng.IntN(3000) == 0 {
						fake.deleted[it.name] = true
					}
				}
				fake.mu.Unlock()
				c, cerr := reddit.NewCollector("r", cfg, collectors.Deps{HTTP: collectortest.Client(srv), Now: func() time.Time { return now }})
				if cerr != nil {
					t.Fatal(cerr)
				}
				var (
					posts []earshot.Post
					next  string
				)
				posts, next, err = c.Collect(t.Context(), cursor)
				if err != nil {
					if !errors.Is(err, earshot.ErrRateLimited) && !errors.Is(err, collectors.ErrUnauthorized) {
						t.Fatalf("run %d: %v", run, err)
					}
				} else {
					if cursor == "" {
						start = now.Add(-cfg.Backfill)
					}
					for _, p := range posts {
						if prev, dup := got[p.ID]; dup {
							t.Fatalf("run %d: %s again (first in run %d)", run, p.ID, prev)
						}
						got[p.ID] = run
					}
					cursor = next
				}
				now = now.Add(5 * time.Minute)
			}
			var missing []string
			for _, it := range fake.items {
				want := it.t >= start.Unix() && it.t <= fake.now.Unix() && !fake.deleted[it.name]
				_, have := got[earshot.PostID(reddit.Kind, it.name)]
				if want && !have {
					missing = append(missing, it.name)
				}
				if have && it.t < start.Unix() {
					t.Errorf("%s (t=%d) collected but older than the backfill start", it.name, it.t)
				}
			}
			if len(missing) > 0 {
				t.Errorf("%d posts never collected, e.g. %v", len(missing), missing[:min(10, len(missing))])
			}
			t.Logf("%d posts, %d requests, %d tokens, %d deleted", len(got), fake.requests, fake.tokens, len(fake.deleted))
		})
	}
}
