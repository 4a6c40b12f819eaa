package ingest

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot"
)

func TestNormalize(t *testing.T) {
	collected := time.Date(2026, 3, 2, 10, 0, 0, 0, time.FixedZone("CET", 3600))
	p := Normalize(earshot.Post{
		ID:          "rss:1\x00",
		Source:      "RSS",
		Author:      earshot.Author{Handle: "@someone", Name: "  Some \n  One ", Followers: -3},
		Text:        "  <p>bad \xff\xfe bytes</p>\t\n and\u0007 bells  ",
		CollectedAt: collected,
	}, 0)
	if p.ID != "rss:1" || p.Source != "rss" {
		t.Errorf("id/source = %q/%q", p.ID, p.Source)
	}
	if p.Author.Handle != "someone" || p.Author.Name != "Some One" || p.Author.Followers != 0 {
		t.Errorf("author = %+v", p.Author)
	}
	if want := "bad \uFFFD bytes and bells"; p.Text != want {
		t.Errorf("text = %q, want %q", p.Text, want)
	}
	if p.Kind != earshot.KindPost {
		t.Errorf("kind = %q", p.Kind)
	}
	if !p.CreatedAt.Equal(collected) || p.CreatedAt.Location() != time.UTC || p.CollectedAt.Location() != time.UTC {
		t.Errorf("times = %v %v", p.CreatedAt, p.CollectedAt)
	}
}

func TestNormalizeBoundsText(t *testing.T) {
	long := strings.Repeat("é", 5000) // 10,000 bytes
	p := Normalize(earshot.Post{ID: "x:1", Source: "x", Text: long}, 1001)
	if len(p.Text) > 1001 {
		t.Fatalf("text is %d bytes, bound 1001", len(p.Text))
	}
	if !utf8.ValidString(p.Text) || !strings.HasSuffix(p.Text, "…") {
		t.Errorf("cut text invalid or unmarked: %q", p.Text[len(p.Text)-8:])
	}
}

func TestFoldSpace(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""}, {"a", "a"}, {"a b", "a b"}, {" a", "a"}, {"a ", "a"}, {"a  b", "a b"},
		{"a\tb", "a b"}, {"a\nb", "a b"}, {"a\u00a0b", "a b"}, {"a \u2003b", "a b"}, {"   ", ""},
		{"café ☕ ok", "café ☕ ok"}, {"bad \xff", "bad \uFFFD"}, {"ok \uFFFD", "ok \uFFFD"},
	} {
		if got := foldSpace(tt.in); got != tt.want {
			t.Errorf("foldSpace(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
