package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earshot/earshot/engine"
)

func TestSilenceCLI(t *testing.T) {
	store := "duckdb://" + filepath.Join(t.TempDir(), "silences.duckdb")
	silence := func(want int, args ...string) (string, string) {
		t.Helper()
		e, out, errb := testEnv("")
		if code := run(t.Context(), append([]string{"silence"}, args...), e); code != want {
			t.Fatalf("earshot silence %s: exit %d, want %d; stderr: %s", strings.Join(args, " "), code, want, errb)
		}
		return out.String(), errb.String()
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{nil, "name a command"},
		{[]string{"mute"}, `unknown command "mute"`},
		{[]string{"add", "--store", store, "--match", `watch="acme"`, "--for", "2h"}, "--author: required"},
		{[]string{"add", "--store", store, "--author", "zoë", "--for", "2h"}, "--match: at least one"},
		{[]string{"add", "--store", store, "--author", "zoë", "--match", `watch=~"("`, "--for", "2h"}, "--match"},
		{[]string{"add", "--store", store, "--author", "zoë", "--match", `watch="acme"`}, "--until/--for: required"},
		{[]string{"add", "--store", store, "--author", "zoë", "--match", `watch="acme"`, "--until", "soon"}, "--until"},
		{[]string{"add", "--store", store, "--author", "zoë", "--match", `watch="acme"`, "--for", "2h", "--until", "2030-01-01T00:00:00Z"}, "not both"},
		{[]string{"expire", "--store", store}, "name the silence"},
		{[]string{"expire", "nope", "--store", store}, `silence "nope"`},
	} {
		if _, errb := silence(2, tc.args...); !strings.Contains(errb, tc.msg) {
			t.Errorf("silence %v: stderr %q, want %q", tc.args, errb, tc.msg)
		}
	}

	out, _ := silence(0, "add", "--store", store, "--match", `watch="acme"`, "--match", `severity!="critical"`, "--for", "2h",
		"--author", "zoë", "--comment", "planned maintenance")
	id := strings.TrimSpace(out)
	if id == "" || strings.Contains(id, "\n") {
		t.Fatalf("add printed %q, want one ID", out)
	}
	out, _ = silence(0, "list", "--store", store)
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || !strings.Contains(lines[1], id) ||
		!strings.Contains(lines[1], "active") || !strings.Contains(lines[1], `watch="acme", severity!="critical"`) || !strings.Contains(lines[1], "zoë") {
		t.Errorf("list:\n%s", out)
	}
	if out, _ := silence(0, "expire", id, "--store", store); !strings.Contains(out, id+" expired at") {
		t.Errorf("expire printed %q", out)
	}
	out, _ = silence(0, "list", "--store", store, "--json")
	var views []engine.SilenceView
	if err := json.Unmarshal([]byte(out), &views); err != nil || len(views) != 1 || views[0].State != "expired" || views[0].Comment != "planned maintenance" {
		t.Errorf("list --json after expiring: %s (%v)", out, err)
	}
}
