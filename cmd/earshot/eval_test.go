package main

import (
	"encoding/json"
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
		{[]string{"eval", "sentiment", "--data", good, "--part", "nope"}, 2, `unknown sentiment part "nope"`},
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
		{"ensemble", nil},
		{"bayes alone", []string{"--part", "bayes"}},
		{"vader alone", []string{"--part", "vader"}},
		{"domain alone", []string{"--part", "domain"}},
		{"learned alone", []string{"--part", "learned"}},
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
	t.Run("ensemble gets the easy ones", func(t *testing.T) {
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
