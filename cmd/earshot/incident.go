package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/inbound/incidentapi"
	"github.com/earshot/earshot/inbound/opsgeniehook"
	"github.com/earshot/earshot/inbound/pagerdutyhook"
	"github.com/earshot/earshot/ingest"
	"github.com/earshot/earshot/internal/auth"
	"github.com/earshot/earshot/internal/config"
	"github.com/earshot/earshot/internal/oncall"
)

const incidentUsage = `Usage: earshot incident COMMAND [flags]

Opens, updates, resolves and lists incidents by hand, in the store the
configuration names (--store, else $EARSHOT_STORE, else the --config file's).

  earshot incident open --title T [--services api,login] [--watches acme] [--severity major]
                        [--status investigating] [--message M] [--at RFC3339] [--id ID]
      opens an incident and prints its ID (manual:...)
  earshot incident update ID [--status identified] [--message M] [--at RFC3339]
      posts an update; a status moves the incident (resolved resolves it)
  earshot incident resolve ID [--message M] [--at RFC3339]
      resolves it; a resolved incident cannot be updated or resolved again
  earshot incident list [--active] [--since 720h] [--json]
      lists the incidents open in the last --since (or open now, with
      --active) as a table, or as a JSON array with --json

Exit status: 0 ok, 2 bad usage or a refused change, 1 when the store fails.
Run 'earshot incident COMMAND -h' for a command's flags.`

func runIncident(ctx context.Context, args []string, e env) error {
	return runSubcommand(ctx, args, e, incidentUsage, []subcommand{
		{"open", incidentOpen},
		{"update", func(ctx context.Context, args []string, e env) error { return incidentUpdate(ctx, args, e, false) }},
		{"resolve", func(ctx context.Context, args []string, e env) error { return incidentUpdate(ctx, args, e, true) }},
		{"list", incidentList},
	})
}

// newIncidentFlags are the flags every incident command takes.
func newIncidentFlags(name string, e env) *storeFlags {
	return newStoreFlags("incident "+name, e)
}

func incidentOpen(ctx context.Context, args []string, e env) error {
	f := newIncidentFlags("open", e)
	title := f.fs.String("title", "", "what is wrong, in a line (required)")
	services := f.fs.String("services", "", "affected services, comma-separated, as watches name them (api,login)")
	watches := f.fs.String("watches", "", "the watches (brands) it affects, comma-separated; then it explains only their spikes")
	severity := f.fs.String("severity", "", "none, minor, major or critical")
	status := f.fs.String("status", "investigating", "investigating, identified or monitoring")
	f.message = f.fs.String("message", "", "the first update's text (default \"Incident opened\")")
	f.atStr = f.fs.String("at", "", "when it started, RFC 3339 (default now)")
	id := f.fs.String("id", "", "the incident's ID after manual: (default: the time and a random suffix)")
	if help, err := f.parse(args, false); help || err != nil {
		return err
	}
	at, err := f.at()
	if err != nil {
		return err
	}
	req := incidentapi.OpenRequest{ID: *id, Title: *title, Severity: *severity, Status: earshot.IncidentStatus(*status),
		Message: *f.message, StartedAt: at}
	req.Services, req.Watches = commaList(*services), commaList(*watches)
	inc, err := oncall.NewIncident(req, time.Now())
	if err != nil {
		return err
	}
	st, err := f.openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := oncall.Create(ctx, st, inc); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, inc.ID)
	return nil
}

func incidentUpdate(ctx context.Context, args []string, e env, resolve bool) error {
	name := "update"
	if resolve {
		name = "resolve"
	}
	f := newIncidentFlags(name, e)
	var status *string
	if !resolve {
		status = f.fs.String("status", "", "investigating, identified, monitoring or resolved (default: unchanged)")
	}
	f.message = f.fs.String("message", "", "the update's text")
	f.atStr = f.fs.String("at", "", "when, RFC 3339 (default now)")
	if help, err := f.parse(args, true); help || err != nil {
		return err
	}
	at, err := f.at()
	if err != nil {
		return err
	}
	req := incidentapi.UpdateRequest{Message: *f.message, At: at}
	if resolve {
		req.Status = earshot.Resolved
	} else {
		req.Status = earshot.IncidentStatus(*status)
		if req.Status == "" && strings.TrimSpace(req.Message) == "" {
			return usagef("give --status, --message or both")
		}
	}
	st, err := f.openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	inc, err := oncall.Update(ctx, st, f.id, req, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s %s\n", inc.ID, inc.Status)
	return nil
}

func incidentList(ctx context.Context, args []string, e env) error {
	f := newIncidentFlags("list", e)
	active := f.fs.Bool("active", false, "only the incidents open now")
	since := f.fs.Duration("since", 30*24*time.Hour, "list the incidents open at any time in this long before now")
	asJSON := f.fs.Bool("json", false, "print a JSON array of incidents")
	if help, err := f.parse(args, false); help || err != nil {
		return err
	}
	if *since <= 0 {
		return usagef("--since: must be positive, such as 168h")
	}
	st, err := f.openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	incidents, err := oncall.List(ctx, st, *active, *since, time.Now())
	if err != nil {
		return err
	}
	if *asJSON {
		if incidents == nil {
			incidents = []earshot.Incident{}
		}
		return json.NewEncoder(e.stdout).Encode(incidents)
	}
	oncall.WriteIncidents(e.stdout, incidents)
	return nil
}

// commaList splits a comma-separated flag, leaving out empty entries.
func commaList(s string) []string {
	var out []string
	for v := range strings.SplitSeq(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// incidentPollers makes a poller for each incident collector, saving into
// st.
func incidentPollers(runs []incidentRun, incidents earshot.IncidentStore, cursors earshot.CursorStore, health earshot.HealthStore, log *slog.Logger) []*ingest.Poller {
	var out []*ingest.Poller
	for _, r := range runs {
		p := ingest.NewIncidentPoller(r.c, ingest.ScopedIncidents(incidents, r.watches), cursors)
		p.Kind, p.Interval, p.Health = r.kind, r.interval, health
		p.Log = log.With("collector", r.c.Name(), "kind", r.kind)
		out = append(out, p)
	}
	return out
}

// incidentRoutes builds the webhook endpoints and the incident API that the
// configuration turns on, by the path to serve each at.
func incidentRoutes(cfg config.Config, st earshot.IncidentStore, limit *auth.Limiter, getenv func(string) string, log *slog.Logger) (map[string]http.Handler, error) {
	routes := map[string]http.Handler{}
	if cfg.Webhooks.PagerDuty.Enabled() {
		h, err := pagerdutyhook.New(cfg.Webhooks.PagerDuty, st, getenv, log.With("part", "pagerduty"))
		if err != nil {
			return nil, err
		}
		h.Limit = limit
		routes["/hooks/pagerduty"] = h
	}
	if cfg.Webhooks.Opsgenie.Enabled() {
		h, err := opsgeniehook.New(cfg.Webhooks.Opsgenie, st, getenv, log.With("part", "opsgenie"))
		if err != nil {
			return nil, err
		}
		h.Limit = limit
		routes["/hooks/opsgenie"] = h
	}
	if len(cfg.IncidentAPI.Tokens) > 0 {
		tokens, err := resolveTokens("incident_api.tokens", cfg.IncidentAPI.Tokens, getenv)
		if err != nil {
			return nil, err
		}
		h, err := incidentapi.New(st, incidentapi.Options{Tokens: tokens, MaxBytes: cfg.IncidentAPI.MaxBytes, Log: log.With("part", "incident-api"), Limit: limit})
		if err != nil {
			return nil, err
		}
		routes["/api/v1/incidents"] = h
		routes["/api/v1/incidents/"] = h
	}
	return routes, nil
}

// wakingIncidents is an IncidentStore that calls wake after every incident
// it saves.
type wakingIncidents struct {
	earshot.IncidentStore
	wake func()
}

func (w wakingIncidents) SaveIncident(ctx context.Context, inc earshot.Incident) error {
	if err := w.IncidentStore.SaveIncident(ctx, inc); err != nil {
		return err
	}
	w.wake()
	return nil
}
