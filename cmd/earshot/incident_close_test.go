package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/inbound/incidentapi"
	"github.com/earshot/earshot/internal/oncall"
	"github.com/earshot/earshot/store/duckdb"
)

func TestIncidentCloseCLI(t *testing.T) {
	path := filepath.Join(t.TempDir(), "close.duckdb")
	store := "duckdb://" + path
	incident := func(want int, args ...string) (string, string) {
		t.Helper()
		e, out, errb := testEnv("")
		if code := run(t.Context(), append([]string{"incident"}, args...), e); code != want {
			t.Fatalf("earshot incident %s: exit %d, want %d; stderr: %s", strings.Join(args, " "), code, want, errb)
		}
		return out.String(), errb.String()
	}
	started := time.Now().UTC().Add(-3 * time.Hour).Truncate(time.Second)
	incident(0, "open", "--store", store, "--title", "Checkout failing", "--id", "co-1", "--at", started.Format(time.RFC3339))
	incident(0, "resolve", "manual:co-1", "--store", store, "--at", started.Add(time.Hour).Format(time.RFC3339))

	st, err := duckdb.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SaveFollowUp(t.Context(), earshot.FollowUp{ID: "f1", Source: "twitter", Author: earshot.Author{ID: "1"},
		IncidentID: "manual:co-1", State: earshot.FollowUpOpen, Priority: 1, CreatedAt: started}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	_, stderr := incident(2, "close", "manual:co-1", "--store", store)
	if !strings.Contains(stderr, "incident manual:co-1 not closed: 1 follow-up(s) still waiting (1 open, 0 assigned, 0 contacted)") || !strings.Contains(stderr, "--override REASON") {
		t.Errorf("refusal: %q", stderr)
	}
	incident(2, "close", "manual:co-1", "--store", store, "--override", "  ")
	incident(2, "close", "manual:nope", "--store", store)

	out, _ := incident(0, "close", "manual:co-1", "--store", store, "--override", "handled by the account team", "--json")
	var res incidentapi.CloseResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("close --json: %v: %s", err, out)
	}
	c := res.Incident.Closure
	if c == nil || c.By != oncall.CLIUser().Name || c.Override != "handled by the account team" || len(c.Overridden) != 1 || res.Check.FollowUps.Open != 1 {
		t.Fatalf("closed: %+v, check %+v", c, res.Check)
	}
	// Stored, and shown by list --json.
	out, _ = incident(0, "list", "--store", store, "--since", "24h", "--json")
	var list []earshot.Incident
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 || list[0].Closure == nil || list[0].Closure.Override != "handled by the account team" {
		t.Errorf("list after closing: %v %s", err, out)
	}
	if _, stderr := incident(2, "close", "manual:co-1", "--store", store); !strings.Contains(stderr, "was closed already") {
		t.Errorf("closing twice: %q", stderr)
	}
}
