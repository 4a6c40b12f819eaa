package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/opsgenie"
	"github.com/earshot/earshot/collectors/pagerduty"
	"github.com/earshot/earshot/dashboards/incidentapi"
	"github.com/earshot/earshot/ingest"
	"github.com/earshot/earshot/internal/auth"
	"github.com/earshot/earshot/internal/config"
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
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, incidentUsage)
		return usagef("name a command: open, update, resolve or list")
	}
	switch args[0] {
	case "open":
		return incidentOpen(ctx, args[1:], e)
	case "update":
		return incidentUpdate(ctx, args[1:], e, false)
	case "resolve":
		return incidentUpdate(ctx, args[1:], e, true)
	case "list":
		return incidentList(ctx, args[1:], e)
	case "help", "-h", "--help":
		fmt.Fprintln(e.stderr, incidentUsage)
		return nil
	}
	return usagef("unknown command %q; use open, update, resolve or list", args[0])
}

// incidentFlags are the flags every incident command takes.
type incidentFlags struct {
	fs             *flag.FlagSet
	config, store  *string
	id             string
	message, atStr *string
}

func newIncidentFlags(name string, e env) *incidentFlags {
	return newStoreFlags("incident "+name, e)
}

// newStoreFlags are the flags of a command (incident ..., silence ...)
// that works on the configured store.
func newStoreFlags(command string, e env) *incidentFlags {
	fs := newFlags(command, e.stderr)
	return &incidentFlags{
		fs:     fs,
		config: fs.String("config", "", "configuration file: its store is used"),
		store:  fs.String("store", "", "store address (default: $EARSHOT_STORE, the config's, or duckdb://earshot.duckdb)"),
	}
}

// parse parses args; takesID says whether one ID comes before or after the
// flags. help is true when -h was asked for.
func (f *incidentFlags) parse(args []string, takesID bool) (help bool, err error) {
	if takesID && len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		f.id, args = args[0], args[1:]
	}
	if err := f.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return false, usageError{err}
	}
	rest := f.fs.Args()
	if takesID && f.id == "" && len(rest) > 0 {
		f.id, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 {
		return false, usagef("unexpected argument %q", rest[0])
	}
	if takesID && strings.TrimSpace(f.id) == "" {
		what, _, _ := strings.Cut(strings.TrimPrefix(f.fs.Name(), "earshot "), " ")
		return false, usagef("name the %s: %s ID", what, f.fs.Name())
	}
	return false, nil
}

// at reads --at, or returns the zero time when it is not set.
func (f *incidentFlags) at() (time.Time, error) {
	if f.atStr == nil || *f.atStr == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, *f.atStr)
	if err != nil {
		return t, usagef("--at: %q is not an RFC 3339 time such as 2026-03-02T09:15:00Z", *f.atStr)
	}
	return t, nil
}

func (f *incidentFlags) openStore(ctx context.Context, e env) (earshot.Store, error) {
	cfg, err := loadConfig(*f.config, *f.store, e)
	if err != nil {
		return nil, err
	}
	return openStore(ctx, cfg.Store)
}

// flagNames maps the fields incidentapi names to the flags that set them.
var flagNames = map[string]string{"started_at": "at", "services": "services", "watches": "watches"}

// refused turns a change incidentapi refused into a usage error naming the
// flag, in plain words.
func refused(err error) error {
	var fe *incidentapi.FieldError
	if errors.As(err, &fe) {
		field, _, _ := strings.Cut(fe.Field, "[")
		if f, ok := flagNames[field]; ok {
			field = f
		}
		return usagef("--%s: %s", field, fe.Problem)
	}
	if errors.Is(err, earshot.ErrInvalidTransition) {
		return usagef("%s", strings.TrimSuffix(err.Error(), ": "+earshot.ErrInvalidTransition.Error()))
	}
	return usageError{err}
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
	for s := range strings.SplitSeq(*services, ",") {
		if s = strings.TrimSpace(s); s != "" {
			req.Services = append(req.Services, s)
		}
	}
	for s := range strings.SplitSeq(*watches, ",") {
		if s = strings.TrimSpace(s); s != "" {
			req.Watches = append(req.Watches, s)
		}
	}
	inc, err := incidentapi.Open(req, time.Now())
	if err != nil {
		return refused(err)
	}
	st, err := f.openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	switch _, err := st.Incident(ctx, inc.ID); {
	case err == nil:
		return usagef("incident %s already exists", inc.ID)
	case !errors.Is(err, earshot.ErrNotFound):
		return fmt.Errorf("reading incident %s: %w", inc.ID, err)
	}
	if err := st.SaveIncident(ctx, inc); err != nil {
		return fmt.Errorf("saving incident: %w", err)
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
	inc, err := st.Incident(ctx, f.id)
	switch {
	case errors.Is(err, earshot.ErrNotFound):
		return usagef("no incident %q (earshot incident list shows them)", f.id)
	case err != nil:
		return fmt.Errorf("reading incident %s: %w", f.id, err)
	}
	inc, err = incidentapi.Update(inc, req, time.Now())
	if err != nil {
		return refused(err)
	}
	if err := st.SaveIncident(ctx, inc); err != nil {
		return fmt.Errorf("saving incident %s: %w", inc.ID, err)
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
	now := time.Now()
	var incidents []earshot.Incident
	if *active {
		incidents, err = st.ActiveIncidents(ctx, now)
	} else {
		incidents, err = st.Incidents(ctx, now.Add(-*since), now.Add(time.Second))
	}
	if err != nil {
		return fmt.Errorf("listing incidents: %w", err)
	}
	if *asJSON {
		if incidents == nil {
			incidents = []earshot.Incident{}
		}
		return json.NewEncoder(e.stdout).Encode(incidents)
	}
	printIncidents(e.stdout, incidents)
	return nil
}

func printIncidents(w io.Writer, incidents []earshot.Incident) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tSEVERITY\tSTARTED\tRESOLVED\tSERVICES\tWATCHES\tTITLE")
	for _, inc := range incidents {
		resolved := "-"
		if !inc.ResolvedAt.IsZero() {
			resolved = inc.ResolvedAt.UTC().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cell(inc.ID), inc.Status, or(cell(inc.Severity), "-"),
			inc.StartedAt.UTC().Format("2006-01-02 15:04"), resolved, or(cell(strings.Join(inc.Services, ",")), "-"),
			or(cell(strings.Join(inc.Watches, ",")), "-"), cell(inc.Title))
	}
	tw.Flush()
}

// cell keeps a table cell on one line and free of terminal controls:
// incidents come from status pages and webhooks too.
func cell(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
}

func or(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}

// incidentRun is a configured incident collector.
type incidentRun struct {
	c        earshot.IncidentCollector
	kind     string
	interval time.Duration
}

// buildIncidentCollectors builds every configured incident collector
// without touching the network, so a mistake is reported at once.
func buildIncidentCollectors(cfg config.Config, log *slog.Logger) ([]incidentRun, error) {
	clients := newOutboundClients()
	var runs []incidentRun
	for i, ic := range cfg.Incidents {
		opts := ic.Options
		c, err := collectors.NewIncidents(ic.Type, ic.Name, &opts, collectors.Deps{HTTP: clients.get(ic.AllowPrivateNetworks), Log: log, UserAgent: "earshot/" + version})
		if err != nil {
			return nil, usagef("incidents[%d]: %v", i, err)
		}
		runs = append(runs, incidentRun{c, ic.Type, ic.Interval})
	}
	return runs, nil
}

// incidentPollers makes a poller for each incident collector, saving into
// st.
func incidentPollers(runs []incidentRun, incidents earshot.IncidentStore, cursors earshot.CursorStore, health earshot.HealthStore, log *slog.Logger) []*ingest.Poller {
	var out []*ingest.Poller
	for _, r := range runs {
		p := ingest.NewIncidentPoller(r.c, incidents, cursors)
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
		h, err := pagerduty.New(cfg.Webhooks.PagerDuty, st, getenv, log.With("part", "pagerduty"))
		if err != nil {
			return nil, err
		}
		h.Limit = limit
		routes["/hooks/pagerduty"] = h
	}
	if cfg.Webhooks.Opsgenie.Enabled() {
		h, err := opsgenie.New(cfg.Webhooks.Opsgenie, st, getenv, log.With("part", "opsgenie"))
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
