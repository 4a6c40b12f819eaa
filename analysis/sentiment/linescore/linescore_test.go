package linescore

import (
	"encoding/json"
	"testing"
)

// TestPlainLine checks plainLine against encoding/json: a line plainLine
// reads must give the id and text encoding/json gives, and the lines it
// leaves to encoding/json are the ones it cannot read exactly.
func TestPlainLine(t *testing.T) {
	tests := []struct {
		line string
		ok   bool
	}{
		{`{"id":"1","text":"the site is down"}`, true},
		{`{"id":42,"text":"ok"}`, true},
		{`{"id":0,"text":""}`, true},
		{`{"id":"x","text":"café ❤️ 😡 \u00e9"}`, true},
		{`{"id": "0", "text": "Caf\u00e9 \ud83d\ude21 \"hi\" \\ \/ \b\f\n\r\t"}`, true},
		{`{"id":"x","text":"lone \ud83d surrogate"}`, true},
		{`{"id":"x","text":"broken \ud83d\u0041 pair"}`, true},
		{`{"id":"x","text":"low \ude21 first"}`, true},
		{`{"id":"x","text":"bad \x escape"}`, false},
		{`{"id":"x","text":"short \u12"}`, false},
		{`{"id":"x","text":"ends in \"}`, false},
		{"{\"id\":\"x\",\"text\":\"bad \xff byte \\u00e9\"}", true},
		{`{"id":"x","text":"tab` + "\t" + `here"}`, false},
		{`{"id":"x","text":"bad ` + "\xff" + ` byte"}`, true},
		{`{"id":"x","text":"café ❤️ 😡"}`, true},
		{`{"id":"","text":"no id"}`, true},
		{`{"id":007,"text":"leading zero"}`, false},
		{`{"id":-1,"text":"negative"}`, false},
		{`{"id":1.5,"text":"decimal"}`, false},
		{`{"id":"a\"b","text":"quote in id"}`, true},
		{`{"id":"1","text":"x","lang":"en"}`, false},
		{` { "id" : "1" ,` + "\t\r\n" + ` "text" : "spaces" } `, true},
		{`{"text":"x","id":"1"}`, false},
		{`{"id":"1","text":"x"} x`, false},
		{`{"ID":"1","text":"x"}`, false},
		{`{"id":"1","text":"unterminated}`, false},
		{`{"id":null,"text":"x"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			id, text, ok := plainLine([]byte(tt.line))
			if ok != tt.ok {
				t.Fatalf("ok %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			var v inLine
			if err := json.Unmarshal([]byte(tt.line), &v); err != nil {
				t.Fatalf("plainLine read a line encoding/json rejects: %v", err)
			}
			if want := idString(v.ID); id != want || v.Text == nil || text != *v.Text {
				t.Errorf("id %q text %q; encoding/json: id %q text %v", id, text, want, v.Text)
			}
		})
	}
}
