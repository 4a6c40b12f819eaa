package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/analysis/sentiment/remote"
	"github.com/earshot/earshot/collectors"
	_ "github.com/earshot/earshot/collectors/all" // register every collector
	"github.com/earshot/earshot/dashboards/digest/deliver"
	"github.com/earshot/earshot/inbound/incidentapi"
	"github.com/earshot/earshot/inbound/opsgeniehook"
	"github.com/earshot/earshot/inbound/pagerdutyhook"
	"github.com/earshot/earshot/ingest"
	"github.com/earshot/earshot/internal/auth"
	"github.com/earshot/earshot/internal/badinput"
	"github.com/earshot/earshot/internal/config"
)

// NewScorer builds the configured scorer: the local ensemble, or a remote
// model that falls back to it.
func NewScorer(cfg config.Config, log *slog.Logger) (earshot.Scorer, error) {
	local, err := sentiment.New()
	if err != nil {
		return nil, fmt.Errorf("loading the sentiment model: %w", err)
	}
	if cfg.Sentiment.Scorer != "remote" {
		return local, nil
	}
	opts := []remote.Option{}
	if log != nil {
		opts = append(opts, remote.WithLogger(log.With("part", "remote-scorer")))
	}
	r, err := remote.New(cfg.Sentiment.Remote, local, opts...)
	if err != nil {
		return nil, badinput.Errorf("sentiment.remote: %v", err)
	}
	return r, nil
}

type (
	collectorRun = collectors.Configured[earshot.Collector]
	incidentRun  = collectors.Configured[earshot.IncidentCollector]
)

// buildCollectors builds every configured collector without touching the
// network, so a configuration mistake is reported at once, naming the
// collector and key.
func buildCollectors(cfg config.Config, log *slog.Logger, version string) ([]collectorRun, error) {
	return collectors.BuildAll("collectors", entries(cfg.Collectors), collectors.New, log, "earshot/"+version)
}

// buildIncidentCollectors builds every configured incident collector
// likewise.
func buildIncidentCollectors(cfg config.Config, log *slog.Logger, version string) ([]incidentRun, error) {
	return collectors.BuildAll("incidents", entries(cfg.Incidents), collectors.NewIncidents, log, "earshot/"+version)
}

// entries are the configuration's collector entries as collectors.Build
// takes them.
func entries(cs []config.Collector) []collectors.Entry {
	out := make([]collectors.Entry, len(cs))
	for i, c := range cs {
		opts := c.Options
		out[i] = collectors.Entry{Type: c.Type, Name: c.Name, Options: &opts, Interval: c.Interval,
			AllowPrivateNetworks: c.AllowPrivateNetworks, Watches: c.Watches}
	}
	return out
}

// pipelineOptions are the pipeline settings of cfg.
func pipelineOptions(cfg config.Config, log *slog.Logger) ingest.PipelineOptions {
	return ingest.PipelineOptions{
		BatchSize:     cfg.Pipeline.BatchSize,
		FlushInterval: cfg.Pipeline.FlushInterval,
		MaxTextBytes:  cfg.Pipeline.MaxTextBytes,
		DropUnmatched: cfg.Pipeline.Unmatched == "drop",
		Log:           log.With("part", "pipeline"),
	}
}

// addTo adapts the pipeline's Add to the sinks collectors feed.
func addTo(p *ingest.Pipeline) func(context.Context, []earshot.Post) error {
	return func(ctx context.Context, posts []earshot.Post) error { return p.Add(ctx, posts...) }
}

// incidentPollers makes a poller for each incident collector, saving into
// st.
func incidentPollers(runs []incidentRun, incidents earshot.IncidentStore, cursors earshot.CursorStore, health earshot.HealthStore, log *slog.Logger) []*ingest.Poller {
	var out []*ingest.Poller
	for _, r := range runs {
		p := ingest.NewIncidentPoller(r.C, ingest.ScopedIncidents(incidents, r.Watches), cursors)
		p.Kind, p.Interval, p.Health = r.Kind, r.Interval, health
		p.Log = log.With("collector", r.C.Name(), "kind", r.Kind)
		out = append(out, p)
	}
	return out
}

// incidentRoutes builds the webhook endpoints and the incident API that the
// configuration turns on, by the path to serve each at.
// Closing an incident for comms reads follow-ups and posts from closing.
func incidentRoutes(cfg config.Config, st earshot.IncidentStore, closing earshot.ClosureSource, limit *auth.Limiter, getenv func(string) string, log *slog.Logger) (map[string]http.Handler, error) {
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
		h, err := incidentapi.New(st, incidentapi.Options{Tokens: tokens, MaxBytes: cfg.IncidentAPI.MaxBytes, Log: log.With("part", "incident-api"), Limit: limit, Closing: closing})
		if err != nil {
			return nil, err
		}
		routes["/api/v1/incidents"] = h
		routes["/api/v1/incidents/"] = h
	}
	return routes, nil
}

// DigestJobs validates the config's digests and resolves their secrets
// (env:NAME, file:PATH).
func DigestJobs(cfg config.Config, getenv func(string) string) ([]*deliver.Job, error) {
	return deliver.ResolvedJobs("digests", cfg.Digests, func(ref string) (string, error) { return collectors.Secret(ref).Resolve(getenv) })
}

// digestScheduler fires the configured digests on the wall clock.
func digestScheduler(cfg config.Config, st earshot.Store, getenv func(string) string, log *slog.Logger, observe func(string, bool)) (*deliver.Scheduler, error) {
	jobs, err := DigestJobs(cfg, getenv)
	if err != nil {
		return nil, err
	}
	log = log.With("part", "digests")
	sender := deliver.NewSender(st, log, observe)
	sender.Quiet = QuietAdvisor(cfg.WarRoom.QuietPeriod, st)
	return deliver.NewScheduler(jobs, sender, log), nil
}

// webTokens resolves web.api_tokens, the dashboard's write tokens.
func webTokens(cfg config.Config, getenv func(string) string) ([]string, error) {
	return resolveTokens("web.api_tokens", cfg.Web.APITokens, getenv)
}

// resolveTokens resolves the secrets of the list at key; an error names
// the entry (key[i]) and is a *badinput.Error.
func resolveTokens(key string, secrets []collectors.Secret, getenv func(string) string) ([]string, error) {
	var tokens []string
	for i, t := range secrets {
		v, err := t.Resolve(getenv)
		if err != nil {
			return nil, badinput.Errorf("%s[%d]: %v", key, i, err)
		}
		tokens = append(tokens, v)
	}
	return tokens, nil
}
