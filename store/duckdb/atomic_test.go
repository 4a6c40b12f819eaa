package duckdb

import (
	"fmt"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/storetest"
)

func manyPosts(n int) []earshot.Post {
	batch := make([]earshot.Post, n)
	for i := range batch {
		batch[i] = storetest.NewPost("rss", fmt.Sprint(i), storetest.Base.Add(time.Duration(i)*time.Second)).Post()
	}
	return batch
}

var everything = earshot.PostQuery{From: storetest.Base.Add(-time.Hour), To: storetest.Base.Add(48 * time.Hour)}

// TestSavePostsAtomic: a batch that fails after the appender has taken
// several chunks of it stores nothing, and the store still works.
func TestSavePostsAtomic(t *testing.T) {
	ctx := t.Context()
	st := openMemory(t)
	defer st.Close()
	batch := manyPosts(5000)
	batch[4500].CreatedAt = time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC) // beyond TIMESTAMP
	if err := st.SavePosts(ctx, batch); err == nil {
		t.Fatal("SavePosts of a post DuckDB cannot hold succeeded")
	}
	if n, err := st.CountPosts(ctx, everything); err != nil || n != 0 {
		t.Errorf("after a failed batch: %d posts, %v; want 0", n, err)
	}
	if err := st.SavePosts(ctx, batch[:10]); err != nil {
		t.Fatalf("SavePosts after a failed batch: %v", err)
	}
	if n, err := st.CountPosts(ctx, everything); err != nil || n != 10 {
		t.Errorf("after a good batch: %d posts, %v; want 10", n, err)
	}
}

// TestSavePostsInvalidUTF8: invalid UTF-8 is stored as U+FFFD rather than
// failing the batch.
func TestSavePostsInvalidUTF8(t *testing.T) {
	ctx := t.Context()
	st := openMemory(t)
	defer st.Close()
	batch := manyPosts(3)
	batch[1].Text = "bad \xff\xfe utf-8"
	batch[1].Author.Name = "\xc3"
	batch[1].Watches = []string{"ac\xffme"}
	if err := st.SavePosts(ctx, batch); err != nil {
		t.Fatalf("SavePosts: %v", err)
	}
	p, err := st.Post(ctx, batch[1].ID)
	if err != nil {
		t.Fatalf("Post: %v", err)
	}
	if p.Text != "bad \uFFFD utf-8" || p.Author.Name != "\uFFFD" || len(p.Watches) != 1 || p.Watches[0] != "ac\uFFFDme" {
		t.Errorf("got text %q, name %q, watches %q", p.Text, p.Author.Name, p.Watches)
	}
}
