package earshot

import (
	"strings"
	"testing"
	"time"
)

func TestPostRecord(t *testing.T) {
	text := "hello"
	blank := "  "
	ok := PostRecord{ID: "42", Source: "twitter", Text: &text, CreatedAt: "2026-03-02T11:00:00+01:00", Author: RecordAuthor{Handle: "sam", Followers: 3}}
	p, err := ok.Post()
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "twitter:42" || p.Kind != KindPost || !p.CreatedAt.Equal(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) || p.Author.Followers != 3 {
		t.Errorf("post = %+v", p)
	}
	prefixed := ok
	prefixed.ID = "twitter:42"
	if p, _ := prefixed.Post(); p.ID != "twitter:42" {
		t.Errorf("prefixed id became %q", p.ID)
	}
	bad := []struct {
		mutate func(*PostRecord)
		want   string
	}{
		{func(r *PostRecord) { r.ID = "" }, "missing id"},
		{func(r *PostRecord) { r.Source = "" }, "missing source"},
		{func(r *PostRecord) { r.Source = "a:b" }, "colon"},
		{func(r *PostRecord) { r.Text = nil }, "missing text"},
		{func(r *PostRecord) { r.Text = &blank }, "missing text"},
		{func(r *PostRecord) { r.CreatedAt = "" }, "missing created_at"},
		{func(r *PostRecord) { r.CreatedAt = "2026-03-02" }, "not an RFC 3339 time"},
		{func(r *PostRecord) { r.Kind = "tweet" }, `kind "tweet"`},
		{func(r *PostRecord) { r.Author.Followers = -1 }, "negative"},
		{func(r *PostRecord) { r.Rating = 6 }, "rating 6"},
	}
	for _, b := range bad {
		r := ok
		b.mutate(&r)
		if _, err := r.Post(); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("want error %q, got %v", b.want, err)
		}
	}
}
