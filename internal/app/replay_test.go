package app

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earshot/earshot/engine/replay"
	"github.com/earshot/earshot/internal/config"
)

// TestReplayInputs: posts that cannot be read are bad input naming the
// file; a bad line is reported on stderr with its file and line, and the
// good ones are replayed.
func TestReplayInputs(t *testing.T) {
	dir := t.TempDir()
	var out, errb strings.Builder
	o := ReplayOptions{Posts: filepath.Join(dir, "missing.jsonl"), Out: &out, Stderr: &errb,
		Log: slog.New(slog.DiscardHandler), Getenv: func(string) string { return "" }}
	err := Replay(t.Context(), config.Default(), o)
	if bad := (replay.BadInput{}); !errors.As(err, &bad) || !strings.Contains(err.Error(), "cannot read "+o.Posts) {
		t.Fatalf("missing posts: got %v, want bad input naming the file", err)
	}

	o.Posts = filepath.Join(dir, "posts.jsonl")
	posts := `{"id":"1","source":"rss","text":"Acme is down again","created_at":"2026-03-02T10:00:00Z"}
{"id":"2","source":"rss","created_at":"2026-03-02T11:00:00Z"}
{"id":"3","source":"rss","text":"Acme works fine today","created_at":"2026-03-03T11:00:00Z"}
`
	if err := os.WriteFile(o.Posts, []byte(posts), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Replay(t.Context(), config.Default(), o); err != nil {
		t.Fatalf("replay: %v; stderr: %s", err, errb.String())
	}
	if !strings.Contains(errb.String(), o.Posts+":2: rejected:") {
		t.Errorf("stderr does not report line 2 of %s:\n%s", o.Posts, errb.String())
	}
	if out.Len() != 0 {
		t.Errorf("two quiet posts made messages:\n%s", out.String())
	}
}
