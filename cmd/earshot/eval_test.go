package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earshot/earshot/analysis/sentiment/eval"
)

func TestEvalUsage(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "set.jsonl")
	if err := os.WriteFile(good, []byte(`{"id":"1","text":"the app is down again","label":"negative"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"eval"}, 2, "which eval"},
		{[]string{"eval", "frob"}, 2, `unknown eval "frob"`},
		{[]string{"eval", "-h"}, 0, "sentiment"},
		{[]string{"eval", "sentiment"}, 2, "--data is required"},
		{[]string{"eval", "sentiment", "--data", filepath.Join(dir, "missing.csv")}, 2, "missing.csv"},
		{[]string{"eval", "sentiment", "--data", good, "--cv", "1"}, 2, "at least 2 folds"},
		{[]string{"eval", "sentiment", "--data", good, "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"eval", "sentiment", "--data", good}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			e, _, errb := testEnv("")
			if code := run(t.Context(), tt.args, e); code != tt.code {
				t.Errorf("exit code %d, want %d; stderr: %s", code, tt.code, errb)
			}
			if !strings.Contains(errb.String(), tt.msg) {
				t.Errorf("stderr %q does not mention %q", errb, tt.msg)
			}
		})
	}
}

func TestEvalSentiment(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "mine.csv")
	csv := "id,text,label,reason\n" +
		"1,\"the site is down again, nothing loads\",negative,availability\n" +
		"2,I was charged twice for one month,negative,billing\n" +
		"3,thanks the fix works great,positive,\n" +
		"4,the meeting is at noon,neutral,\n" +
		"5,\"love it, best update yet\",positive,\n"
	if err := os.WriteFile(data, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	dump := filepath.Join(dir, "dump.jsonl")
	tests := []struct {
		name string
		args []string
	}{
		{"all", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, out, errb := testEnv("")
			args := append([]string{"eval", "sentiment", "--data", data, "--json", "--dump", dump}, tt.args...)
			if code := run(t.Context(), args, e); code != 0 {
				t.Fatalf("exit code %d; stderr: %s", code, errb)
			}
			var sum eval.Summary
			if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
				t.Fatalf("output %q: %v", out, err)
			}
			if sum.Items != 5 || sum.Set != "mine" || sum.Split != "all" {
				t.Errorf("summary %+v, want 5 items of set mine, all split", sum)
			}
			if sum.MacroF1 < 0 || sum.MacroF1 > 1 || sum.Accuracy < 0 || sum.Accuracy > 1 {
				t.Errorf("figures out of [0, 1]: %+v", sum)
			}
			if sum.Reasons == nil || sum.Reasons.Items != 2 {
				t.Errorf("reasons %+v, want 2 items", sum.Reasons)
			}
		})
	}
	t.Run("the model gets the easy ones", func(t *testing.T) {
		e, out, errb := testEnv("")
		if code := run(t.Context(), []string{"eval", "sentiment", "--data", data}, e); code != 0 {
			t.Fatalf("exit code %d; stderr: %s", code, errb)
		}
		for _, want := range []string{"set mine (csv)", "accuracy 1.0000", "gold \\ predicted", "reasons of the 2 gold-negative items"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	dumped, err := os.ReadFile(dump)
	if err != nil || strings.Count(string(dumped), "\n") != 5 {
		t.Errorf("dump has %d lines (%v), want 5", strings.Count(string(dumped), "\n"), err)
	}
}

// TestEvalSentimentCV cross-validates on a small set written for the test:
// the model is fitted per fold, so the obvious classes must come out.
func TestEvalSentimentCV(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "mine.jsonl")
	var b strings.Builder
	texts := map[string][]string{
		"negative": {"the service is down and I am angry", "outage again, so annoying", "it crashed twice today, awful"},
		"positive": {"love it, works great", "thanks for the quick fix, great", "really happy with support, love it"},
		"neutral":  {"the office opens at nine", "new version released today", "meeting moved to monday"},
	}
	n := 0
	for copy := range 8 {
		for label, ts := range texts {
			for _, text := range ts {
				n++
				fmt.Fprintf(&b, "{\"id\":\"%d\",\"text\":\"%s %d\",\"label\":\"%s\"}\n", n, text, copy, label)
			}
		}
	}
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	e, out, errb := testEnv("")
	if code := run(t.Context(), []string{"eval", "sentiment", "--cv", "3", "--data", data}, e); code != 0 {
		t.Fatalf("exit code %d; stderr: %s", code, errb)
	}
	var f1 float64
	for line := range strings.SplitSeq(out.String(), "\n") {
		if strings.HasPrefix(line, "mine ") {
			if _, err := fmt.Sscanf(line[strings.Index(line, "macro-F1"):], "macro-F1 %f", &f1); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
		}
	}
	if f1 < 0.9 {
		t.Errorf("3-fold macro-F1 %.3f on the obvious, want at least 0.9:\n%s", f1, out)
	}
	if c := strings.Count(out.String(), "chose epochs"); c != 3 {
		t.Errorf("%d folds report their choice, want 3:\n%s", c, out)
	}
}
