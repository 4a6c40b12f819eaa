package earshot

import (
	"fmt"
	"hash/fnv"
	"math"
	"testing"
	"time"
)

// contentHashFmt is ContentHash as first written, with hash/fnv and
// fmt: stores keep the hashes, so the fast one must not differ.
func contentHashFmt(p Post) uint64 {
	h := fnv.New64a()
	for _, s := range []string{p.Text, p.URL, p.Author.ID, p.Author.Handle, p.Author.Name, string(p.Kind), p.Lang, p.IncidentID, p.ParentID, p.AppVersion} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	fmt.Fprintf(h, "%d|%d|%d|%t", p.Author.Followers, p.CreatedAt.UnixNano(), p.Rating, p.FromBrand)
	return h.Sum64()
}

func TestContentHashUnchanged(t *testing.T) {
	base := Post{ID: "x:1", Source: "x", Kind: KindReview, Text: "Acme is down ☹ again", URL: "https://example.com/1",
		Author: Author{ID: "u1", Handle: "h", Name: "Ünï Code", Followers: 12345}, Lang: "en",
		CreatedAt: time.Date(2026, 3, 2, 10, 0, 0, 123, time.UTC), IncidentID: "inc", ParentID: "x:0",
		Rating: 4, FromBrand: true, AppVersion: "1.2.3"}
	posts := []Post{{}, base}
	for _, change := range []func(*Post){
		func(p *Post) { p.Author.Followers = -7 },
		func(p *Post) { p.Rating = -1 },
		func(p *Post) { p.FromBrand = false },
		func(p *Post) { p.CreatedAt = time.Time{} },
		func(p *Post) { p.CreatedAt = time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC) },
		func(p *Post) { p.Text = "\xff\x00 bytes" },
		func(p *Post) { p.Author.Followers = math.MaxInt64 },
	} {
		p := base
		change(&p)
		posts = append(posts, p)
	}
	for _, p := range posts {
		if got, want := ContentHash(p), contentHashFmt(p); got != want {
			t.Errorf("ContentHash(%+v) = %x, want %x", p, got, want)
		}
	}
}
