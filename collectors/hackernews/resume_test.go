package hackernews_test

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
	"github.com/earshot/earshot/collectors/hackernews"
)

// fakeAlgolia answers search_by_date over an in-memory index the way the
// real API does: numericFilters on created_at_i, newest first, pages of
// hitsPerPage, and no paging past maxHits hits. Items become visible at
// their creation time; some requests fail.
type fakeAlgolia struct {
	mu       sync.Mutex
	items    []fakeItem
	now      time.Time
	maxHits  int
	failRate float64
	rng      *rand.Rand
	requests int
}

type fakeItem struct {
	id int
	t  int64
}

func (f *fakeAlgolia) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	if f.rng.Float64() < f.failRate {
		w.Header().Set("Retry-After", "30")
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	q := r.URL.Query()
	lo, hi := int64(0), f.now.Unix()
	for _, cond := range strings.Split(q.Get("numericFilters"), ",") {
		switch {
		case strings.HasPrefix(cond, "created_at_i>="):
			lo = max(lo, atoi(strings.TrimPrefix(cond, "created_at_i>=")))
		case strings.HasPrefix(cond, "created_at_i<="):
			hi = min(hi, atoi(strings.TrimPrefix(cond, "created_at_i<=")))
		default:
			http.Error(w, "bad filter "+cond, http.StatusBadRequest)
			return
		}
	}
	var match []fakeItem
	for _, it := range f.items {
		if it.t >= lo && it.t <= hi {
			match = append(match, it)
		}
	}
	slices.SortFunc(match, func(a, b fakeItem) int { return cmp.Or(cmp.Compare(b.t, a.t), cmp.Compare(b.id, a.id)) })
	per := int(atoi(q.Get("hitsPerPage")))
	page := int(atoi(q.Get("page")))
	reachable := min(len(match), f.maxHits)
	nbPages := (reachable + per - 1) / per
	hits := []map[string]any{}
	for i := page * per; i < min((page+1)*per, reachable); i++ {
		it := match[i]
		hits = append(hits, map[string]any{
			"_tags":  []string{"comment", "author_u" + strconv.Itoa(it.id%17), "story_1"},
			"author": "u" + strconv.Itoa(it.id%17), "comment_text": fmt.Sprintf("Acme Cloud comment %d", it.id),
			"created_at": time.Unix(it.t, 0).UTC().Format(time.RFC3339), "created_at_i": it.t,
			"objectID": strconv.Itoa(it.id), "parent_id": 1, "story_id": 1,
		})
	}
	json.NewEncoder(w).Encode(map[string]any{
		"hits": hits, "nbHits": len(match), "nbPages": nbPages,
		"page": page, "hitsPerPage": per, "exhaustiveNbHits": true,
	})
}

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// TestResumeNoGapNoDuplicate runs the collector every five minutes for
// a day and a half over a busy index: more hits than Algolia pages through,
// several items in one second, requests failing at random, max_pages 3, and
// a restart before every run. Every item created since the backfill start
// of the first run that worked must come exactly once.
func TestResumeNoGapNoDuplicate(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 42))
			start := testNow.Add(-24 * time.Hour)
			end := testNow.Add(12 * time.Hour)
			fake := &fakeAlgolia{maxHits: 1000, failRate: 0.15, rng: rand.New(rand.NewPCG(seed, 7)), now: testNow}
			for id := 1; id <= 4000; id++ {
				// A burst around the first run, then a steady trickle; a
				// fifth of the items share their second with the one before.
				var at int64
				if id > 1 && rng.IntN(5) == 0 {
					at = fake.items[len(fake.items)-1].t
				} else {
					at = start.Add(-2*time.Hour).Unix() + rng.Int64N(int64(end.Sub(start)/time.Second)+7200)
				}
				fake.items = append(fake.items, fakeItem{id: id, t: at})
			}
			srv := httptest.NewServer(fake)
			t.Cleanup(srv.Close)

			cfg := hackernews.DefaultConfig()
			cfg.Query = "acme cloud"
			cfg.MaxPages = 3
			cfg.BaseURL = "http://" + apiHost + "/api/v1"
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
				fake.mu.Unlock()
				c, cerr := hackernews.NewCollector("hn", cfg, collectors.Deps{HTTP: collectortest.Client(srv), Now: func() time.Time { return now }})
				if cerr != nil {
					t.Fatal(cerr)
				}
				var (
					posts []earshot.Post
					next  string
				)
				posts, next, err = c.Collect(t.Context(), cursor)
				if err != nil {
					if !errors.Is(err, earshot.ErrRateLimited) {
						t.Fatalf("run %d: %v", run, err)
					}
				} else {
					if cursor == "" {
						// The first run that works sets the backfill start.
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
			var missing []int
			for _, it := range fake.items {
				want := it.t >= start.Unix() && it.t <= fake.now.Unix()
				_, have := got[earshot.PostID(hackernews.Kind, strconv.Itoa(it.id))]
				if want && !have {
					missing = append(missing, it.id)

				}
				if have && !want {
					t.Errorf("item %d (t=%d) collected but outside the window", it.id, it.t)
				}
			}
			if len(missing) > 0 {
				t.Errorf("%d items never collected, e.g. %v", len(missing), missing[:min(10, len(missing))])
			}
			t.Logf("%d posts, %d requests", len(got), fake.requests)
		})
	}
}
