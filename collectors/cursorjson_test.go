package collectors

import "testing"

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
