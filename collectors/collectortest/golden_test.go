package collectortest

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// TestLayout checks each layout against the line structs the collectors'
// runners used to encode, and that ReadGolden reads it back.
func TestLayout(t *testing.T) {
	p := earshot.Post{ID: "x:1", Source: "x", Kind: earshot.KindReply, Text: "a <b> & c", ParentID: "x:0",
		CreatedAt: time.Date(2025, 6, 2, 11, 0, 0, 0, time.UTC)}
	cursor := `{"v":1, "top":"<1>"}`
	encodeAll := func(lines ...any) []byte {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		for _, l := range lines {
			if err := enc.Encode(l); err != nil {
				t.Fatal(err)
			}
		}
		return b.Bytes()
	}
	type inline struct {
		Run int `json:"run"`
		earshot.Post
	}
	type step struct {
		Step int `json:"step"`
		earshot.Post
	}
	type withCursor struct {
		Run    int     `json:"run"`
		Cursor *string `json:"cursor,omitempty"`
		*earshot.Post
	}
	type nested struct {
		Run    int             `json:"run"`
		Post   *earshot.Post   `json:"post,omitempty"`
		Cursor json.RawMessage `json:"cursor,omitempty"`
	}
	cases := []struct {
		name   string
		layout Layout
		want   []byte
	}{
		{"posts", Layout{}, encodeAll(inline{2, p})},
		{"steps", Layout{RunKey: "step"}, encodeAll(step{2, p})},
		{"cursor string", Layout{Cursor: CursorString}, encodeAll(withCursor{Run: 2, Post: &p}, withCursor{Run: 2, Cursor: &cursor})},
		{"nested", Layout{Nest: true, Cursor: CursorJSON}, encodeAll(nested{Run: 2, Post: &p}, nested{Run: 2, Cursor: json.RawMessage(cursor)})},
	}
	for _, c := range cases {
		var got bytes.Buffer
		c.layout.write(t, &got, 2, []earshot.Post{p}, cursor)
		if !bytes.Equal(got.Bytes(), c.want) {
			t.Errorf("%s:\n got: %s\nwant: %s", c.name, got.Bytes(), c.want)
		}
	}
}
