package bench

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestBenchPostsSpread: the generated posts cover the span, from four
// sources, all mentioning the watch.
func TestBenchPostsSpread(t *testing.T) {
	var b strings.Builder
	span := 10 * 24 * time.Hour
	if err := WritePosts(&b, 400, span); err != nil {
		t.Fatal(err)
	}
	sources := map[string]bool{}
	var first, last time.Time
	for i, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		var r struct {
			Source    string `json:"source"`
			Text      string `json:"text"`
			CreatedAt string `json:"created_at"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		at, err := time.Parse(time.RFC3339Nano, r.CreatedAt)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = at
		}
		last = at
		sources[r.Source] = true
		if !strings.HasPrefix(r.Text, "Acme") {
			t.Fatalf("post %d does not mention the watch: %q", i, r.Text)
		}
	}
	if len(sources) != 4 || last.Sub(first) < span*9/10 || last.Sub(first) >= span {
		t.Errorf("sources %v, %v to %v; want four sources over %v", sources, first, last, span)
	}
}
