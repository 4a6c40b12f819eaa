package earshot

import (
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	ok := Post{ID: "x:1", Source: "x", Kind: KindPost, CreatedAt: now, CollectedAt: now}
	if err := Validate(ok); err != nil {
		t.Fatalf("valid post: %v", err)
	}
	bad := map[string]func(*Post){
		"no id":      func(p *Post) { p.ID = "" },
		"no source":  func(p *Post) { p.Source = "" },
		"bad kind":   func(p *Post) { p.Kind = "tweetstorm" },
		"future":     func(p *Post) { p.CreatedAt = now.Add(48 * time.Hour) },
		"ancient":    func(p *Post) { p.CreatedAt = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC) },
		"no created": func(p *Post) { p.CreatedAt = time.Time{} },
	}
	for name, mutate := range bad {
		t.Run(name, func(t *testing.T) {
			p := ok
			mutate(&p)
			if err := Validate(p); err == nil {
				t.Errorf("Validate accepted a post with %s", name)
			}
		})
	}
}
