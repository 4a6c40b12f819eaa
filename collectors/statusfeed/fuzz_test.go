package statusfeed

import (
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot/collectors"
)

// FuzzParse parses arbitrary bodies as a status feed and maps every item
// to an incident: no body may panic, and every incident kept has an ID, a
// known status and valid UTF-8.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*_history.*"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	c, err := NewCollector("fuzz", Config{URL: "https://status.acme.test/history", Source: "acme_status",
		Limits: collectors.Limits{MaxBytes: 1 << 20, Timeout: 5 * time.Second}}, collectors.Deps{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		feed, err := c.parse(body)
		if err != nil {
			return
		}
		for _, it := range feed.Items {
			if it == nil {
				continue
			}
			inc, ok := c.incident(it)
			if !ok {
				continue
			}
			if inc.ID == "" || !inc.Status.Valid() {
				t.Errorf("incident without an ID or with status %q: %+v", inc.Status, inc)
			}
			for _, s := range []string{inc.ID, inc.Title, inc.URL} {
				if !utf8.ValidString(s) {
					t.Errorf("incident %q: invalid UTF-8 in %q", inc.ID, s)
				}
			}
		}
	})
}
