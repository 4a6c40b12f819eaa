package linescore

import (
	"bytes"
	"encoding/json"
	"math"
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

// TestAppendRow checks appendRow against the Encoder Score uses: the rows
// it writes must come out byte for byte the same, and it must leave to the
// Encoder every row it cannot write so.
func TestAppendRow(t *testing.T) {
	rows := []Row{
		{ID: "0", Score: -0.0595, Label: "neutral"},
		{ID: "123", Score: 1, Label: "positive"},
		{ID: "x", Score: -1, Label: "negative"},
		{ID: "a<b>&c d", Score: 0.5, Label: "unscored"},
		{ID: "", Score: 0, Label: "neutral"},
		{ID: "z", Score: math.Copysign(0, -1), Label: "neutral"},
		{ID: "z", Score: 1e-7, Label: "neutral"},
		{ID: "z", Score: 1e-6, Label: "neutral"},
		{ID: "z", Score: 123456789.125, Label: "neutral"},
		{ID: "z", Score: 1e21, Label: "neutral"},
		{ID: "z", Score: 0.30000000000000004, Label: "neutral"},
		{ID: "quote\"d", Score: 0.1, Label: "positive"},
		{ID: `back\slash`, Score: 0.1, Label: "positive"},
		{ID: "tab\t", Score: 0.1, Label: "positive"},
		{ID: "café", Score: 0.1, Label: "positive"},
		{ID: "bad\xff", Score: 0.1, Label: "positive"},
		{ID: "del\x7f", Score: 0.1, Label: "positive"},
		{ID: "x", Score: 0.1, Label: "negative", Reason: "login"},
		{ID: "x", Score: 0.1, Label: "negative", Lang: "en"},
		{ID: "x", Score: 0.1, Label: "negative", Parts: map[string]float64{"bias": 1}},
		{ID: "x", Error: "bad line"},
	}
	wantFast := []bool{true, true, true, true, true, true, false, true, true, false, true, false, false, false, false, false, false, false, false, false, false}
	for i, r := range rows {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(&r); err != nil {
			t.Fatal(err)
		}
		got, ok := appendRow([]byte("prefix"), &r)
		if ok != wantFast[i] {
			t.Errorf("%+v: appendRow ok %v, want %v", r, ok, wantFast[i])
		}
		if ok && string(got) != "prefix"+want.String() {
			t.Errorf("%+v: appendRow wrote %q, the Encoder %q", r, got, want.String())
		}
		if !ok && string(got) != "prefix" {
			t.Errorf("%+v: appendRow wrote %q though not ok", r, got)
		}
	}
	if _, ok := appendRow(nil, &Row{ID: "x", Score: math.NaN(), Label: "neutral"}); ok {
		t.Error("appendRow wrote NaN, which the Encoder refuses")
	}
}
