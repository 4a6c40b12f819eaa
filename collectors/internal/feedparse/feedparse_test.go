package feedparse

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>` +
		`<item><title>One</title><link>https://a.example/1</link></item></channel></rss>`
	cases := []struct {
		name, body, wantErr string
		items               int
	}{
		{"rss", rss, "", 1},
		{"empty", " \n\t", "parsing feed https://a.example/f: empty body", 0},
		{"not a feed", "<html><body>hello</body></html>", "parsing feed https://a.example/f: not an RSS or Atom feed", 0},
		{"broken xml", `<?xml version="1.0"?><rss version="2.0"><channel><item><title>x`, "parsing feed https://a.example/f: ", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			feed, err := Parse([]byte(tc.body), "https://a.example/f", "an RSS or Atom feed")
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if len(feed.Items) != tc.items {
					t.Fatalf("got %d items, want %d", len(feed.Items), tc.items)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
				t.Fatalf("got error %v, want one starting %q", err, tc.wantErr)
			}
			if feed != nil {
				t.Fatalf("got a feed with the error %v", err)
			}
		})
	}
}
