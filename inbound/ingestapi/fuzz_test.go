package ingestapi

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzDecode reads arbitrary ingest bodies: none may panic; each element
// is either a record or an item error with its index; the posts built
// from the records are valid UTF-8 with an ID.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{twoGood, `{"id":"1","source":"f","text":"x","created_at":"2026-03-02T10:00:00Z"}` + "\n" + `not json`, `[]`, `[1, "x", null]`, "\xff", ""} {
		f.Add([]byte(s))
	}
	if files, _ := filepath.Glob(filepath.Join("testdata", "*")); len(files) > 0 {
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		recs, res, err := decode(body, 100)
		if err != nil {
			return
		}
		if len(recs)+len(res.Errors) > 100 {
			t.Fatalf("%d records and %d errors from a request bounded to 100", len(recs), len(res.Errors))
		}
		for _, r := range recs {
			p, err := r.rec.Post()
			if err != nil {
				continue
			}
			if p.ID == "" || !utf8.ValidString(p.ID) || !utf8.ValidString(p.Text) || !utf8.ValidString(p.Author.Name) {
				t.Errorf("record %d: post %+v", r.index, p)
			}
		}
	})
}
