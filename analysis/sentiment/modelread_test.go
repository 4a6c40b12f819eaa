package sentiment

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestReadModelMatchesJSON checks readModel against encoding/json on the
// embedded model and on variants of it: keys with escapes, other layouts,
// and documents JSON rejects, which readModel must reject too.
func TestReadModelMatchesJSON(t *testing.T) {
	if _, _, ok := cutGrams(embeddedModel); !ok {
		t.Fatal("the embedded model is not in Marshal's layout: readModel reads it the slow way")
	}
	if _, ok := readGramLines(mustCut(t, embeddedModel)); !ok {
		t.Fatal("readGramLines does not read the embedded model's n-grams")
	}
	at := strings.Index(string(embeddedModel), gramsStart) + len(gramsStart)
	with := func(lines string) []byte {
		return []byte(string(embeddedModel[:at]) + lines + string(embeddedModel[at:]))
	}
	docs := map[string][]byte{
		"embedded":        embeddedModel,
		"escaped key":     with(`    "a\u00e9 \"q\"": [1, 2, 3],` + "\n"),
		"surrogate pair":  with(`    "\ud83d\ude00": [1, 2, 3],` + "\n"),
		"exponent":        with(`    "exp": [1e-3, -2.5E+2, 0],` + "\n"),
		"duplicate":       with(`    "0": [9, 9, 9],` + "\n"),
		"no spaces":       with(`    "tight": [1,2,3],` + "\n"),
		"hex number":      with(`    "hex": [0x10, 2, 3],` + "\n"),
		"leading zero":    with(`    "zero": [01, 2, 3],` + "\n"),
		"two numbers":     with(`    "short": [1, 2],` + "\n"),
		"missing comma":   with(`    "nocomma": [1, 2, 3]` + "\n"),
		"compact":         compactJSON(t, embeddedModel),
		"raw control":     with("    \"tab\there\": [1, 2, 3],\n"),
		"invalid UTF-8":   with("    \"bad\xff\": [1, 2, 3],\n"),
		"last with comma": []byte(strings.Replace(string(embeddedModel), "]\n  }\n}", "],\n  }\n}", 1)),
	}
	for name, doc := range docs {
		var want, got Model
		wantErr := json.Unmarshal(doc, &want)
		gotErr := readModel(doc, &got)
		if (gotErr != nil) != (wantErr != nil) {
			t.Errorf("%s: error %v, encoding/json's %v", name, gotErr, wantErr)
			continue
		}
		if wantErr == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("%s: readModel and encoding/json read different models", name)
		}
	}
}

func mustCut(t *testing.T, data []byte) []byte {
	lines, _, ok := cutGrams(data)
	if !ok {
		t.Fatal("no n-grams in Marshal's layout")
	}
	return lines
}

func compactJSON(t *testing.T, data []byte) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, data); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
