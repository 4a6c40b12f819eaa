package main

import (
	"context"
	"flag"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/inbound/incidentapi"
	"github.com/earshot/earshot/internal/oncall"
)

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
	return f.withStore(ctx, e, func(st earshot.Store) error { return oncall.Create(ctx, st, inc, e.stdout) })
}

func incidentUpdate(ctx context.Context, args []string, e env) error {
	return changeIncident(ctx, args, e, false)
}

func incidentResolve(ctx context.Context, args []string, e env) error {
	return changeIncident(ctx, args, e, true)
}

// changeIncident is incident update, or with resolve incident resolve.
func changeIncident(ctx context.Context, args []string, e env, resolve bool) error {
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
	return f.withStore(ctx, e, func(st earshot.Store) error { return oncall.Update(ctx, st, f.id, req, time.Now(), e.stdout) })
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
	return f.withStore(ctx, e, func(st earshot.Store) error {
		return oncall.List(ctx, st, *active, *since, time.Now(), *asJSON, e.stdout)
	})
}

func incidentClose(ctx context.Context, args []string, e env) error {
	f := newIncidentFlags("close", e)
	override := f.fs.String("override", "", "close despite waiting follow-ups or unhappy sentiment, saying why (recorded on the incident)")
	asJSON := f.fs.Bool("json", false, "print the incident and the check as JSON")
	if help, err := f.parse(args, true); help || err != nil {
		return err
	}
	if flagSet(f.fs, "override") && strings.TrimSpace(*override) == "" {
		return usagef("--override: give a reason")
	}
	return f.withStore(ctx, e, func(st earshot.Store) error {
		return oncall.Close(ctx, st, f.id, strings.TrimSpace(*override), time.Now(), *asJSON, e.stdout)
	})
}

// flagSet reports whether the flag name was given.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
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
