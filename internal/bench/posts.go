package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// Config is the configuration the bench imports with: one watch.
const Config = `watches:
  - name: acme
    keywords: [acme]
`

// WritePostsFile writes n generated posts in the import format, spread
// over span, and returns the end of the span.
func WritePostsFile(path string, n int, span time.Duration) (time.Time, error) {
	f, err := os.Create(path)
	if err != nil {
		return time.Time{}, fmt.Errorf("writing posts: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := WritePosts(w, n, span); err != nil {
		f.Close()
		return time.Time{}, err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return time.Time{}, fmt.Errorf("writing posts: %w", err)
	}
	return Start.Add(span), f.Close()
}

// Start is when the generated posts begin.
var Start = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// sources are the sources the generated posts come from.
var sources = []string{"twitter", "reddit", "mastodon", "hackernews"}

// WritePosts writes n tweet-like posts about a brand from four
// sources, spread evenly over span, from a fixed vocabulary: deterministic,
// so runs compare.
func WritePosts(w io.Writer, n int, span time.Duration) error {
	enc := json.NewEncoder(w)
	words := []string{"acme", "cloud", "api", "down", "again", "login", "broken", "great", "love", "thanks", "dashboard",
		"slow", "error", "outage", "support", "refund", "billing", "fast", "works", "fine", "today", "deploy",
		"can't", "not", "working", "the", "is", "so", "really", "new", "feature", "@acmecloud", "#devops"}
	step := span / time.Duration(n)
	for i := range n {
		var b strings.Builder
		b.WriteString("Acme")
		for k := range 6 + i%14 {
			b.WriteByte(' ')
			b.WriteString(words[(i*7+k*13+k*k*3+i/97)%len(words)])
		}
		text := b.String()
		err := enc.Encode(earshot.PostRecord{
			ID: fmt.Sprint(i), Source: sources[i%len(sources)], Text: &text,
			CreatedAt: Start.Add(time.Duration(i) * step).Format(time.RFC3339Nano),
			Author:    earshot.RecordAuthor{ID: fmt.Sprint("u", i%50_000), Handle: fmt.Sprint("user", i%50_000), Followers: int64(i % 3000)},
		})
		if err != nil {
			return fmt.Errorf("writing posts: %w", err)
		}
	}
	return nil
}
