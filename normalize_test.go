package earshot

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
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
			if got := foldSpace(htmlToText(tt.in)); got != tt.want {
				t.Errorf("htmlToText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	collected := time.Date(2026, 3, 2, 10, 0, 0, 0, time.FixedZone("CET", 3600))
	p := Normalize(Post{
		ID:          "rss:1\x00",
		Source:      "RSS",
		Author:      Author{Handle: "@someone", Name: "  Some \n  One ", Followers: -3},
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
	if p.Kind != KindPost {
		t.Errorf("kind = %q", p.Kind)
	}
	if !p.CreatedAt.Equal(collected) || p.CreatedAt.Location() != time.UTC || p.CollectedAt.Location() != time.UTC {
		t.Errorf("times = %v %v", p.CreatedAt, p.CollectedAt)
	}
}

func TestNormalizeBoundsText(t *testing.T) {
	long := strings.Repeat("é", 5000) // 10,000 bytes
	p := Normalize(Post{ID: "x:1", Source: "x", Text: long}, 1001)
	if len(p.Text) > 1001 {
		t.Fatalf("text is %d bytes, bound 1001", len(p.Text))
	}
	if !utf8.ValidString(p.Text) || !strings.HasSuffix(p.Text, "…") {
		t.Errorf("cut text invalid or unmarked: %q", p.Text[len(p.Text)-8:])
	}
}

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
