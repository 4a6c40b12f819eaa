package collectors

import (
	"log/slog"
	"strings"
	"testing"
)

func TestDecodeCursor(t *testing.T) {
	type feed struct {
		V    int    `json:"v"`
		ETag string `json:"etag,omitempty"`
		N    int64  `json:"n,string"`
	}
	s := EncodeCursor(feed{V: 3, ETag: `W/"abc"`, N: 42})
	if s != `{"v":3,"etag":"W/\"abc\"","n":"42"}` {
		t.Fatalf("EncodeCursor = %s", s)
	}
	got, err := DecodeCursor[feed](s, 3)
	if err != nil || got != (feed{V: 3, ETag: `W/"abc"`, N: 42}) {
		t.Fatalf("DecodeCursor = %+v, %v", got, err)
	}
	if got, err := DecodeCursor[feed]("", 3); err != nil || got != (feed{}) {
		t.Errorf(`DecodeCursor("") = %+v, %v; want the zero cursor`, got, err)
	}
	for _, bad := range []string{
		`{"v":2,"etag":"x"}`, // another version: its meaning changed
		`{"etag":"x"}`,       // no version
		`{"v":3,"n":42}`,     // right version, wrong shape
		`[1,2]`, `{not json`, // not a cursor at all
	} {
		if got, err := DecodeCursor[feed](bad, 3); err == nil {
			t.Errorf("DecodeCursor(%s) = %+v, accepted", bad, got)
		} else if got != (feed{}) {
			t.Errorf("DecodeCursor(%s) returned %+v with its error, want the zero cursor", bad, got)
		}
	}
}

func TestDecodeCursorFor(t *testing.T) {
	type site struct {
		V    int    `json:"v"`
		Site string `json:"site"`
	}
	owner := func(c site) string { return c.Site }
	s := EncodeCursor(site{V: 1, Site: "a"})
	if got, err := DecodeCursorFor(s, 1, "site", "a", owner); err != nil || got.Site != "a" {
		t.Errorf("DecodeCursorFor(own) = %+v, %v", got, err)
	}
	got, err := DecodeCursorFor(s, 1, "site", "b", owner)
	if err == nil || err.Error() != "cursor is for another site" || got != (site{}) {
		t.Errorf("DecodeCursorFor(other) = %+v, %v; want the zero cursor and an error naming the site", got, err)
	}
	if _, err := DecodeCursorFor(s, 2, "site", "a", owner); err == nil {
		t.Error("DecodeCursorFor took a cursor of another version")
	}
}

func TestLoadCursor(t *testing.T) {
	type feed struct {
		V int `json:"v"`
		N int `json:"n"`
	}
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, nil))
	if got := LoadCursor[feed](`{"v":1,"n":7}`, 1, log); got.N != 7 || logs.Len() != 0 {
		t.Errorf("LoadCursor = %+v (log %q)", got, logs.String())
	}
	if got := LoadCursor[feed]("not json", 1, log); got != (feed{}) || !strings.Contains(logs.String(), "ignoring unreadable cursor") {
		t.Errorf("LoadCursor(bad) = %+v (log %q); want the zero cursor, logged", got, logs.String())
	}
}
