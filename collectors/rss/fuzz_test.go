package rss

import (
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot/collectors"
)

// FuzzParse feeds arbitrary bodies through parsing and item mapping: no
// input may panic, and every post's text is valid UTF-8.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*"))
	for _, name := range files {
		if filepath.Ext(name) == ".yaml" || filepath.Ext(name) == ".jsonl" {
			continue
		}
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	cfg := DefaultConfig()
	cfg.URL = "https://feeds.acme.test/feed.xml"
	c, err := NewCollector("fuzz", cfg, collectors.Deps{})
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		feed, err := c.parse(body)
		if err != nil {
			return
		}
		for _, it := range feed.Items {
			if it == nil {
				continue
			}
			p, _ := c.post(feed, it, now)
			for _, s := range []string{p.ID, p.Text, p.URL, p.Author.ID, p.Author.Name, p.Lang} {
				if !utf8.ValidString(s) {
					t.Errorf("invalid UTF-8 in %q", s)
				}
			}
		}
	})
}
