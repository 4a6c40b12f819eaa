package wordpress_test

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/collectortest"
	_ "github.com/earshot/earshot/collectors/rss"
	"github.com/earshot/earshot/ingest"
)

// TestCommentFeedThroughRSS shows the way the package documentation gives
// for blogs without the REST API: a WordPress comment feed, read by the
// rss collector with kind comment, yields one comment per item, with its
// author, text and link.
func TestCommentFeedThroughRSS(t *testing.T) {
	feed := collectortest.ReadFile(t, filepath.Join("testdata", "comment_feed", "feed.xml"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/comments/feed/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=UTF-8")
		w.Write(feed)
	}))
	t.Cleanup(srv.Close)

	cfg := map[string]any{"url": "http://blog.acme.test/comments/feed/", "kind": "comment", "source": "acme-blog"}
	now := collectortest.DefaultNow
	c, err := collectors.New("rss", "acme-blog-comments", collectortest.Node(t, cfg), collectors.Deps{
		HTTP: collectortest.Client(srv), Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatalf("collectors.New: %v", err)
	}
	posts, cursor, err := c.Collect(t.Context(), "")
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	if cursor == "" {
		t.Error("no cursor")
	}
	want := []struct {
		author, url string
		created     time.Time
	}{
		{"Tom", "https://blog.acme.test/2025/05/28/pricing-2025/#comment-312", time.Date(2025, 6, 2, 11, 40, 0, 0, time.UTC)},
		{"Marek", "https://blog.acme.test/2025/05/30/faster-cold-starts/#comment-309", time.Date(2025, 6, 2, 9, 2, 45, 0, time.UTC)},
	}
	if len(posts) != len(want) {
		t.Fatalf("%d posts, want %d: %+v", len(posts), len(want), posts)
	}
	for i, w := range want {
		p := posts[i]
		if p.Kind != earshot.KindComment || p.Source != "acme-blog" || p.Author.Name != w.author || p.URL != w.url || !p.CreatedAt.Equal(w.created) {
			t.Errorf("post %d: kind %q source %q author %q url %q created %s; want comment acme-blog %q %q %s",
				i, p.Kind, p.Source, p.Author.Name, p.URL, p.CreatedAt, w.author, w.url, w.created)
		}
		if p.Text == "" {
			t.Errorf("post %d: no text", i)
		}
	}
	n := ingest.Normalize(posts[1], 16<<10)
	if want := "Since this morning my functions time out in eu-west and Acme Cloud support hasn’t answered in 6 hours."; n.Text != want {
		t.Errorf("normalized text %q, want %q", n.Text, want)
	}
}
