package importfile

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

// neutral scores every text neutral.
type neutral struct{}

func (neutral) Score(_ context.Context, texts []string) ([]earshot.Sentiment, error) {
	return make([]earshot.Sentiment, len(texts)), nil
}

// TestRun: a file imported twice stores its posts once; a line without
// text is rejected, counted and reported.
func TestRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "posts.jsonl")
	data := `{"id":"1","source":"rss","text":"Acme is down","created_at":"2026-03-02T10:00:00Z"}
{"id":"2","source":"rss","text":"Acme is back","created_at":"2026-03-02T11:00:00Z"}
{"id":"3","source":"rss","created_at":"2026-03-02T12:00:00Z"}
`
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	st := memstore.New()
	o := Options{Store: st, Scorer: neutral{}, Stderr: io.Discard}
	sum, err := Run(t.Context(), []string{path}, o)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Summary{Read: 3, Stored: 2, Rejected: 1}); sum != want {
		t.Errorf("first import: %+v, want %+v", sum, want)
	}
	sum, err = Run(t.Context(), []string{path}, o)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Summary{Read: 3, Duplicates: 2, Rejected: 1}); sum != want {
		t.Errorf("second import: %+v, want %+v", sum, want)
	}
}

// TestSummaryWrite: the line names every count, the posts matching no
// watch only when there are some, and the rate over the time taken.
func TestSummaryWrite(t *testing.T) {
	var b strings.Builder
	Summary{Read: 300, Stored: 200, Duplicates: 60, Rejected: 40}.Write(&b, 1500*time.Millisecond)
	if got, want := b.String(), "read 300, stored 200, duplicates 60, rejected 40 in 1.5s (200 posts/s)\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	b.Reset()
	Summary{Read: 10, Stored: 7, Rejected: 1, Unmatched: 2}.Write(&b, 4*time.Second)
	if got, want := b.String(), "read 10, stored 7, duplicates 0, rejected 1, matched no watch 2 in 4.0s (2 posts/s)\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
