package duckdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/storetest"
)

// TestSavePostsPaths: whichever way SavePosts takes (a plain append on
// the guess that a batch is new, a lookup and split, the merge of all),
// a batch mixing new and stored posts ends the same: new posts stored,
// a newer version replacing the stored one and keeping its incident link,
// an older version ignored.
func TestSavePostsPaths(t *testing.T) {
	for _, tc := range []struct {
		name   string
		allNew bool                                                                     // SavePosts guesses the batch is new
		lookup func(context.Context, *sql.Conn, []postRow) (map[string]struct{}, error) // nil: the real lookup
	}{
		{name: "lookup and split"},
		{name: "guessed new, then split", allNew: true},
		{name: "lookup misses, then merge", lookup: func(context.Context, *sql.Conn, []postRow) (map[string]struct{}, error) {
			return map[string]struct{}{}, nil
		}},
		{name: "guessed new, lookup misses, then merge", allNew: true, lookup: func(context.Context, *sql.Conn, []postRow) (map[string]struct{}, error) {
			return nil, nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			st := openMemory(t)
			defer st.Close()
			linked := storetest.NewPost("rss", "linked", storetest.Base).Text("first").Score(-0.5).Incident("inc-1").Post()
			kept := storetest.NewPost("rss", "kept", storetest.Base).Text("kept as is").Score(0.2).Post()
			if err := st.SavePosts(ctx, []earshot.Post{linked, kept}); err != nil {
				t.Fatal(err)
			}

			if tc.lookup != nil {
				defer func(old func(context.Context, *sql.Conn, []postRow) (map[string]struct{}, error)) { lookupStored = old }(lookupStored)
				lookupStored = tc.lookup
			}
			st.allNew = tc.allNew
			newer := linked
			newer.Text, newer.IncidentID, newer.CollectedAt = "second", "", linked.CollectedAt.Add(time.Hour)
			older := kept
			older.Text, older.CollectedAt = "an older version", kept.CollectedAt.Add(-time.Hour)
			fresh := storetest.NewPost("rss", "fresh", storetest.Base.Add(time.Minute)).Text("new").Score(-0.1).Post()
			if err := st.SavePosts(ctx, []earshot.Post{newer, fresh, older}); err != nil {
				t.Fatal(err)
			}

			for id, want := range map[string]struct{ text, incident string }{
				linked.ID: {"second", "inc-1"},
				kept.ID:   {"kept as is", ""},
				fresh.ID:  {"new", ""},
			} {
				got, err := st.Post(ctx, id)
				if err != nil {
					t.Fatalf("Post(%s): %v", id, err)
				}
				if got.Text != want.text || got.IncidentID != want.incident {
					t.Errorf("Post(%s) = text %q, incident %q; want %q, %q", id, got.Text, got.IncidentID, want.text, want.incident)
				}
			}
			hashes, err := st.PostHashes(ctx, []string{linked.ID, kept.ID, fresh.ID})
			if err != nil {
				t.Fatal(err)
			}
			for id, want := range map[string]uint64{linked.ID: earshot.ContentHash(newer), kept.ID: earshot.ContentHash(kept), fresh.ID: earshot.ContentHash(fresh)} {
				if hashes[id] != want {
					t.Errorf("hash of %s = %x, want %x", id, hashes[id], want)
				}
			}
			var n int
			if err := st.db.QueryRowContext(ctx, `SELECT count(*) FROM posts`).Scan(&n); err != nil || n != 3 {
				t.Errorf("%d posts stored (%v), want 3", n, err)
			}

			// A batch all new after one that met stored posts.
			more := storetest.NewPost("rss", "more", storetest.Base.Add(2*time.Minute)).Post()
			if err := st.SavePosts(ctx, []earshot.Post{more}); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Post(ctx, more.ID); err != nil {
				t.Errorf("Post(%s): %v", more.ID, err)
			}
		})
	}
}

// TestSavePostsGuess: after a batch found all new, the next is appended
// without a lookup; one that meets a stored post ends the guessing until
// a lookup finds a batch all new again.
func TestSavePostsGuess(t *testing.T) {
	ctx := t.Context()
	st := openMemory(t)
	defer st.Close()
	lookups := 0
	defer func(old func(context.Context, *sql.Conn, []postRow) (map[string]struct{}, error)) { lookupStored = old }(lookupStored)
	lookupStored = func(ctx context.Context, conn *sql.Conn, rows []postRow) (map[string]struct{}, error) {
		lookups++
		return storedIDs(ctx, conn, rows)
	}
	post := func(id string) earshot.Post { return storetest.NewPost("rss", id, storetest.Base).Post() }
	for i, step := range []struct {
		batch   []earshot.Post
		lookups int
		allNew  bool
	}{
		{[]earshot.Post{post("a"), post("b")}, 1, true},
		{[]earshot.Post{post("c")}, 1, true},
		{[]earshot.Post{post("d"), post("a")}, 2, false},
		{[]earshot.Post{post("e")}, 3, true},
		{[]earshot.Post{post("f")}, 3, true},
	} {
		if err := st.SavePosts(ctx, step.batch); err != nil {
			t.Fatalf("batch %d: %v", i, err)
		}
		if lookups != step.lookups || st.allNew != step.allNew {
			t.Errorf("after batch %d: %d lookups, guessing %v; want %d, %v", i, lookups, st.allNew, step.lookups, step.allNew)
		}
	}
	var n int
	if err := st.db.QueryRowContext(ctx, `SELECT count(*) FROM posts`).Scan(&n); err != nil || n != 6 {
		t.Errorf("%d posts stored (%v), want 6", n, err)
	}
}

// TestPartsJSON: parts are written exactly as json.Marshal writes them.
func TestPartsJSON(t *testing.T) {
	for _, parts := range []map[string]float64{
		nil,
		{},
		{"vader": -0.3, "domain": 0.5, "bayes": 0.123456789, "text": 1, "stars": -1},
		{"a": 0, "b": math.Copysign(0, -1), "c": 1e-7, "d": -1e-7, "e": 1e21, "f": 123456789012345678901, "g": 1e-6, "h": 5e-324, "i": math.MaxFloat64},
		{"needs <escaping>": 1, "é": 2},
		{"quote\"d": 0.5},
	} {
		got, err := partsJSON(parts)
		if err != nil {
			t.Fatalf("partsJSON(%v): %v", parts, err)
		}
		want := "{}"
		if len(parts) > 0 {
			b, _ := json.Marshal(parts)
			want = string(b)
		}
		if got != want {
			t.Errorf("partsJSON(%v) = %s, want %s", parts, got, want)
		}
	}
	if _, err := partsJSON(map[string]float64{"x": math.NaN()}); err == nil {
		t.Error("partsJSON of NaN: no error")
	}
	if _, err := partsJSON(map[string]float64{"x": math.Inf(1)}); err == nil {
		t.Error("partsJSON of +Inf: no error")
	}
}
