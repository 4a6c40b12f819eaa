package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/earshot/earshot/analysis/sentiment/linescore"
)

func TestAnalyzeMustHold(t *testing.T) {
	tests := []struct {
		text      string
		want      string
		wantLabel bool // want == label, else label != want
	}{
		{"the site is not working", "negative", true},
		{"not bad at all", "negative", false},
		{"your app has been down for an hour, this is unacceptable", "negative", true},
		{"thanks, it's back up and working great", "positive", true},
		{"la aplicación no funciona desde ayer, qué desastre", "unscored", true},
	}
	var in strings.Builder
	for _, tt := range tests {
		in.WriteString(tt.text + "\n")
	}
	e, out, errb := testEnv(in.String())
	if code := run(t.Context(), []string{"analyze"}, e); code != 0 {
		t.Fatalf("exit code %d; stderr: %s", code, errb)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != len(tests) {
		t.Fatalf("%d lines out for %d in", len(lines), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var row linescore.Row
			if err := json.Unmarshal([]byte(lines[i]), &row); err != nil {
				t.Fatal(err)
			}
			if (row.Label == tt.want) != tt.wantLabel {
				t.Errorf("label %q; want %s%q", row.Label, map[bool]string{false: "not "}[tt.wantLabel], tt.want)
			}
			if row.Parts != nil || row.Reason != "" || row.Lang != "" {
				t.Errorf("explanation without --explain: %s", lines[i])
			}
		})
	}
}

func TestAnalyzeExplain(t *testing.T) {
	in := `{"id":"a","text":"I was charged twice and support never answered"}` + "\n" +
		`the site is not working` + "\n" +
		`{"id":"c","text":"la aplicación no funciona desde ayer, qué desastre"}` + "\n" +
		"\n"
	e, out, errb := testEnv(in)
	if code := run(t.Context(), []string{"analyze", "--explain"}, e); code != 0 {
		t.Fatalf("exit code %d; stderr: %s", code, errb)
	}
	var rows []linescore.Row
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var r linescore.Row
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		rows = append(rows, r)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4", len(rows))
	}
	tests := []struct {
		name               string
		row                linescore.Row
		label, reason, lng string
		parts              bool
	}{
		{"billing", rows[0], "negative", "billing", "en", true},
		{"outage", rows[1], "negative", "availability", "en", true},
		{"spanish", rows[2], "unscored", "", "es", false},
		{"empty", rows[3], "neutral", "", "und", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.row.Label != tt.label || tt.row.Reason != tt.reason || tt.row.Lang != tt.lng {
				t.Errorf("row %+v, want label %q, reason %q, lang %q", tt.row, tt.label, tt.reason, tt.lng)
			}
			if !tt.parts {
				return
			}
			var sum float64
			for _, p := range []string{"bias", "bayes", "vader", "domain", "learned"} {
				v, ok := tt.row.Parts[p]
				if !ok {
					t.Errorf("parts %v lack %q", tt.row.Parts, p)
				}
				sum += v
			}
			if (sum < 0) != (tt.row.Score < 0) {
				t.Errorf("contributions sum to %v, score %v: want the same sign", sum, tt.row.Score)
			}
		})
	}
}

// BenchmarkAnalyze runs analyze over the JSON lines file named by
// EARSHOT_BENCH_ANALYZE (docs/sentiment.md makes one from the held-out
// texts), for a CPU profile of the whole command: with -benchtime 1x the
// run loads the models as a process does.
func BenchmarkAnalyze(b *testing.B) {
	path := os.Getenv("EARSHOT_BENCH_ANALYZE")
	if path == "" {
		b.Skip("set EARSHOT_BENCH_ANALYZE to a JSON lines file")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		e := env{stdin: bytes.NewReader(data), stdout: io.Discard, stderr: io.Discard, getenv: os.Getenv}
		if code := run(b.Context(), []string{"analyze"}, e); code != 0 {
			b.Fatalf("exit code %d", code)
		}
	}
}
