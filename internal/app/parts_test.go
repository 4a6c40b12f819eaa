package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/internal/badinput"
	"github.com/earshot/earshot/internal/config"
	"github.com/earshot/earshot/store/duckdb"
)

func TestWebTokens(t *testing.T) {
	cfg := config.Default()
	cfg.Web.APITokens = []collectors.Secret{"env:EARSHOT_WEB_TOKEN", "plain"}
	env := func(name string) string {
		if name == "EARSHOT_WEB_TOKEN" {
			return "from-env"
		}
		return ""
	}
	got, err := WebTokens(cfg, env)
	if err != nil || !slices.Equal(got, []string{"from-env", "plain"}) {
		t.Fatalf("tokens %q, err %v", got, err)
	}
	_, err = WebTokens(cfg, func(string) string { return "" })
	if !errors.As(err, new(*badinput.Error)) || !strings.Contains(err.Error(), "web.api_tokens[0]: environment variable EARSHOT_WEB_TOKEN is not set") {
		t.Errorf("err = %v", err)
	}
}

// failingIncidents refuses every save.
type failingIncidents struct{ earshot.IncidentStore }

func (failingIncidents) SaveIncident(context.Context, earshot.Incident) error {
	return errors.New("store down")
}

func TestWakingIncidents(t *testing.T) {
	st, err := duckdb.Open(t.Context(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	wakes := 0
	w := wakingIncidents{IncidentStore: st, wake: func() { wakes++ }}
	inc := earshot.Incident{ID: "manual:1", Title: "Login failures", Status: earshot.Investigating,
		StartedAt: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC), Source: "manual"}
	if err := w.SaveIncident(t.Context(), inc); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Incident(t.Context(), "manual:1"); err != nil || got.Title != inc.Title {
		t.Fatalf("saved incident not in the store: %+v, %v", got, err)
	}
	if wakes != 1 {
		t.Errorf("%d wakes after one save, want 1", wakes)
	}
	f := wakingIncidents{IncidentStore: failingIncidents{st}, wake: func() { wakes++ }}
	if err := f.SaveIncident(t.Context(), inc); err == nil {
		t.Error("a failed save reported no error")
	}
	if wakes != 1 {
		t.Errorf("a failed save woke the engine (%d wakes)", wakes)
	}
}
