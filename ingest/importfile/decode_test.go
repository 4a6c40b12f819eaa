package importfile

import (
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/earshot/earshot"
)

// decodeCases are lines decodeRecord handles itself (fast) and lines it
// leaves to encoding/json (slow).
var decodeCases = []struct {
	line string
	fast bool
}{
	{`{"id": "rss:1", "source": "rss", "kind": "post", "text": "Acme Cloud is down again", "created_at": "2026-10-28T22:26:15Z", "author": {"id": "u1"}}`, true},
	{`{"id":"1","source":"rss","text":"hi","created_at":"2026-03-02T12:00:00Z","url":"https://x/1","lang":"en","parent_id":"0","rating":4,"author":{"id":"a","handle":"@a","name":"A","followers":12345678901}}`, true},
	{` { "id" : "1" , "text" : null , "rating" : null , "author" : null } `, true},
	{`{"id":"1","text":"caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \b\f\n\r\t","author":{}}`, true},
	{`{"id":"1","text":"naïve 😀 日本"}`, true},
	{`{"id":"1","extra":{"a":[1,-2.5e+3,true,false,null,"s\n",{}],"b":[]},"more":0,"x":-0.0E1}`, true},
	{`{}`, true},
	{`{"id":"1","id":"2","author":{"id":"a"},"author":{"name":"n"}}`, true},
	{`{"rating":-3,"author":{"followers":-1}}`, true},
	{`{"ID":"1"}`, false},
	{`{"Text":"x"}`, false},
	{`{"author":{"Handle":"x"}}`, false},
	{`{"\u0069d":"1"}`, false},
	{`{"ſource":"rss"}`, false},
	{`{"text":"\ud83d"}`, false},
	{`{"text":"\ud83dx"}`, false},
	{`{"rating":4.0}`, false},
	{`{"rating":1e2}`, false},
	{`{"rating":"4"}`, false},
	{`{"author":{"followers":12345678901234567890}}`, false},
	{`{"id":1}`, false},
	{`{"author":[]}`, false},
	{`{"id":"1"} x`, false},
	{`{"id":"1",}`, false},
	{`{"id":"1"`, false},
	{`{"id":"a` + "\t" + `b"}`, false},
	{`{"x":01}`, false},
	{`{"x":[1,]}`, false},
	{`{"x":tru}`, false},
	{`{"text":"\x"}`, false},
	{`null`, false},
	{`[1]`, false},
	{`"s"`, false},
}

func TestDecodeRecord(t *testing.T) {
	for _, tt := range decodeCases {
		var got earshot.PostRecord
		fast := decodeRecord([]byte(tt.line), &got)
		if fast != tt.fast {
			t.Errorf("%s: decoded itself %v, want %v", tt.line, fast, tt.fast)
		}
		if fast {
			sameAsJSON(t, []byte(tt.line), got)
		}
	}
}

// sameAsJSON fails t unless encoding/json decodes line without error into
// what decodeRecord decoded, got.
func sameAsJSON(t *testing.T, line []byte, got earshot.PostRecord) {
	t.Helper()
	var want earshot.PostRecord
	if err := json.Unmarshal(line, &want); err != nil {
		t.Fatalf("%s: decoded, but encoding/json says %v", line, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\ngot  %+v\nwant %+v", line, got, want)
	}
}

// FuzzDecodeRecord checks that every line decodeRecord decodes itself,
// encoding/json decodes the same way.
func FuzzDecodeRecord(f *testing.F) {
	for _, tt := range decodeCases {
		f.Add([]byte(tt.line))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		if !utf8.Valid(line) {
			return // ReadJSONLines rejects these first
		}
		var got earshot.PostRecord
		if decodeRecord(line, &got) {
			sameAsJSON(t, line, got)
		}
	})
}

func BenchmarkDecodeRecord(b *testing.B) {
	line := []byte(decodeCases[0].line)
	b.Run("hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var rec earshot.PostRecord
			if !decodeRecord(line, &rec) {
				b.Fatal("not decoded")
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var rec earshot.PostRecord
			if err := json.Unmarshal(line, &rec); err != nil {
				b.Fatal(err)
			}
		}
	})
}
