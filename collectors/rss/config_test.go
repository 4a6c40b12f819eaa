package rss_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/rss"
)

func TestConfig(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		wantErr string // empty: valid
	}{
		{"minimal", "url: https://status.acme.example/history.rss", ""},
		{"everything", "url: http://blog.acme.example/comments/feed/\nkind: comment\nsource: acme-blog\nmax_bytes: 2048\ntimeout: 5s", ""},
		{"no url", "kind: article", "collectors.rss[c].url: required"},
		{"relative url", "url: /feed.xml", "collectors.rss[c].url: must be an absolute http(s) URL"},
		{"ftp url", "url: ftp://acme.example/feed.xml", "collectors.rss[c].url: must be an absolute http(s) URL"},
		{"no host", "url: 'https:///feed.xml'", "collectors.rss[c].url: must be an absolute http(s) URL"},
		{"bad kind", "url: https://a.example/f\nkind: tweet", `collectors.rss[c].kind: must be one of article, comment, post, reply, review (got "tweet")`},
		{"source with colon", "url: https://a.example/f\nsource: 'a:b'", "collectors.rss[c].source: must be letters, digits"},
		{"zero max_bytes", "url: https://a.example/f\nmax_bytes: 0", "collectors.rss[c].max_bytes: must be positive"},
		{"negative timeout", "url: https://a.example/f\ntimeout: -1s", "collectors.rss[c].timeout: must be a positive duration"},
		{"timeout without unit", "url: https://a.example/f\ntimeout: 30", "collectors.rss[c]: decoding: "},
		{"misspelt key", "url: https://a.example/f\nmax_byte: 10", "collectors.rss[c].max_byte: unknown key (known keys: url, kind, source, max_bytes, timeout)"},
		{"not a mapping", "- url", "collectors.rss[c]: must be a mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.yaml), &doc); err != nil {
				t.Fatal(err)
			}
			c, err := collectors.New("rss", "c", doc.Content[0], collectors.Deps{})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if c.Name() != "c" {
					t.Errorf("Name() = %q", c.Name())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
			}
			var ce *collectors.ConfigError
			if !errors.As(err, &ce) {
				t.Errorf("%v is not a *collectors.ConfigError", err)
			}
		})
	}
}

func TestDefaultConfig(t *testing.T) {
	d := rss.DefaultConfig()
	if d.Kind != earshot.KindArticle || d.Source != "rss" || d.MaxBytes != 10<<20 || d.Timeout != 30*time.Second {
		t.Errorf("DefaultConfig() = %+v", d)
	}
	if err := d.Validate("x"); err == nil {
		t.Error("the default config, which has no URL, validated")
	}
}

// TestUnreadableCursor: a cursor that does not decode (corrupted, or from
// another version) is ignored, and the fetch starts afresh rather than
// failing for ever.
func TestUnreadableCursor(t *testing.T) {
	feed := `<rss version="2.0"><channel><title>Acme</title>
<item><title>one</title><guid>https://acme.example/1</guid></item></channel></rss>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") != "" {
			t.Errorf("conditional request with an unreadable cursor")
		}
		w.Write([]byte(feed))
	}))
	defer srv.Close()
	c, err := rss.NewCollector("c", config(srv.URL), deps())
	if err != nil {
		t.Fatal(err)
	}
	for _, cursor := range []string{"{not json", `{"v":99,"etag":"x"}`, `"a string"`} {
		posts, next, err := c.Collect(t.Context(), cursor)
		if err != nil {
			t.Fatalf("cursor %q: %v", cursor, err)
		}
		if len(posts) != 1 || next == cursor {
			t.Errorf("cursor %q: %d posts, next %q", cursor, len(posts), next)
		}
	}
}

// TestSeenBound: the cursor stays bounded as a feed rolls through many
// items, and an item that fell out of memory is still not collected again.
func TestSeenBound(t *testing.T) {
	const total = 2500
	first := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A feed window of 50 items, newest first, moving by 50 a fetch.
		var b strings.Builder
		b.WriteString(`<rss version="2.0"><channel><title>Acme</title>`)
		for i := min(first+49, total-1); i >= first; i-- {
			at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
			b.WriteString("<item><title>t</title><guid>https://acme.example/" + strconv.Itoa(i) + "</guid><pubDate>" + at.Format(time.RFC1123Z) + "</pubDate></item>")
		}
		b.WriteString(`</channel></rss>`)
		w.Write([]byte(b.String()))
	}))
	defer srv.Close()
	c, err := rss.NewCollector("c", config(srv.URL), deps())
	if err != nil {
		t.Fatal(err)
	}
	cursor, seen := "", 0
	for first = 0; first < total; first += 50 {
		posts, next, err := c.Collect(t.Context(), cursor)
		if err != nil {
			t.Fatal(err)
		}
		seen += len(posts)
		cursor = next
	}
	if seen != total {
		t.Errorf("collected %d posts, want %d", seen, total)
	}
	if len(cursor) > 40<<10 {
		t.Errorf("cursor is %d bytes", len(cursor))
	}
	// The very first item, long dropped from the seen list, comes back.
	first = 0
	posts, _, err := c.Collect(t.Context(), cursor)
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 0 {
		t.Errorf("%d old posts collected again", len(posts))
	}
}

func config(url string) rss.Config {
	cfg := rss.DefaultConfig()
	cfg.URL = url
	return cfg
}

func deps() collectors.Deps {
	return collectors.Deps{HTTP: http.DefaultClient, Log: nil, Now: func() time.Time { return testNow }, UserAgent: "earshot-test"}
}

// TestTimeout: a server that never answers is cut off by timeout, and the
// error names the feed without its query's token.
func TestTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	cfg := config(srv.URL + "/feed.xml?token=s3cr3t")
	cfg.Timeout = 20 * time.Millisecond
	c, err := rss.NewCollector("c", cfg, deps())
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.Collect(t.Context(), "")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want a deadline exceeded", err)
	}
	if err != nil && (strings.Contains(err.Error(), "s3cr3t") || !strings.Contains(err.Error(), "/feed.xml?token=REDACTED")) {
		t.Errorf("error = %q, want the URL with the token redacted", err)
	}
}

// TestRepeatedItem: an item a feed lists twice is collected once.
func TestRepeatedItem(t *testing.T) {
	item := `<item><title>same</title><guid>https://acme.example/1</guid></item>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<rss version="2.0"><channel><title>Acme</title>` + item + item + `</channel></rss>`))
	}))
	defer srv.Close()
	c, err := rss.NewCollector("c", config(srv.URL), deps())
	if err != nil {
		t.Fatal(err)
	}
	posts, cursor, err := c.Collect(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 1 {
		t.Errorf("%d posts, want 1", len(posts))
	}
	if strings.Contains(cursor, `"t":-`) {
		t.Errorf("undated item stored with a negative time: %s", cursor)
	}
}
