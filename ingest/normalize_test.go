package ingest

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/htmltext"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "the site is down", "the site is down"},
		{"paragraphs", "<p>first</p><p>second<br/>third</p>", "first second third"},
		{"entities", "Tom &amp; Jerry &lt;3 &#x1F600;", "Tom & Jerry <3 😀"},
		{"script dropped", `ok<script>alert("x")</script> then`, "ok then"},
		{"style dropped", `<style>p{color:red}</style>text`, "text"},
		{"attributes with >", `<a href="x" title="a>b">link</a> after`, "link after"},
		{"comment", "a<!-- hidden -->b", "ab"},
		{"lone less-than", "3 < 4 and 5 > 2", "3 < 4 and 5 > 2"},
		{"unterminated tag", "before <a href='x", "before"},
		{"unterminated script", "before <script>evil()", "before"},
		{"inline tags keep words together", "<b>Ac</b>me", "Acme"},
		{"uppercase script", "x<SCRIPT>y</SCRIPT>z", "xz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := foldSpace(htmltext.Text(tt.in)); got != tt.want {
				t.Errorf("htmltext.Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

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
