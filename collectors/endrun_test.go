package collectors_test

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

func TestEndRun(t *testing.T) {
	now := time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)
	posts := []earshot.Post{{ID: "x:1"}}
	limited := &collectors.RetryAfterError{Source: "https://api.example", Wait: time.Minute}
	for _, tt := range []struct {
		name       string
		posts      []earshot.Post
		err        error
		wantCursor string
		wantErr    bool
		wantWait   time.Time
		wantLog    string
	}{
		{"finished", posts, nil, "new", false, time.Time{}, "collected"},
		{"failed before anything", nil, errors.New("boom"), "old", true, time.Time{}, ""},
		{"rate limited at once", nil, limited, "old", true, now.Add(time.Minute), ""},
		{"stopped early", posts, limited, "new", false, now.Add(time.Minute), "stopped early; the next run carries on"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var logs strings.Builder
			log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			var waited time.Time
			got, cursor, err := collectors.EndRun("old", "new", tt.posts, tt.err, now, func(t time.Time) { waited = t }, log, "requests", 3)
			if cursor != tt.wantCursor || (err != nil) != tt.wantErr || !waited.Equal(tt.wantWait) {
				t.Errorf("EndRun = %d posts, %q, %v (waited until %v)", len(got), cursor, err, waited)
			}
			if tt.wantErr && got != nil {
				t.Errorf("EndRun returned posts with the error")
			}
			if !strings.Contains(logs.String(), tt.wantLog) || (!tt.wantErr && !strings.Contains(logs.String(), "requests=3")) {
				t.Errorf("log = %q, want %q", logs.String(), tt.wantLog)
			}
		})
	}
}
