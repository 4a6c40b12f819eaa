package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"text/tabwriter"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
	_ "github.com/earshot/earshot/collectors/all" // register every collector
	"github.com/earshot/earshot/ingest"
	"github.com/earshot/earshot/internal/config"
	"github.com/earshot/earshot/internal/netguard"
)

// configured is a collector built from its configuration entry, with how
// often it runs.
type configured[C any] struct {
	c        C
	kind     string
	interval time.Duration
	watches  []string // an incident source's (see config.Collector.Watches)
}

type (
	collectorRun = configured[earshot.Collector]
	incidentRun  = configured[earshot.IncidentCollector]
)

// buildCollectors builds every configured collector without touching the
// network, so a configuration mistake is reported at once, naming the
// collector and key.
func buildCollectors(cfg config.Config, log *slog.Logger) ([]collectorRun, error) {
	return buildEach("collectors", cfg.Collectors, collectors.New, log)
}

// buildIncidentCollectors builds every configured incident collector
// likewise.
func buildIncidentCollectors(cfg config.Config, log *slog.Logger) ([]incidentRun, error) {
	return buildEach("incidents", cfg.Incidents, collectors.NewIncidents, log)
}

// buildEach builds each entry of the list at key with build; an error
// names the entry (key[i]) and is a usage error.
func buildEach[C any](key string, entries []config.Collector, build func(kind, name string, raw collectors.Decoder, deps collectors.Deps) (C, error), log *slog.Logger) ([]configured[C], error) {
	clients := netguard.NewClients(60 * time.Second)
	var out []configured[C]
	for i, cc := range entries {
		opts := cc.Options
		c, err := build(cc.Type, cc.Name, &opts, collectors.Deps{HTTP: clients.Get(cc.AllowPrivateNetworks), Log: log, UserAgent: "earshot/" + version})
		if err != nil {
			return nil, usagef("%s[%d]: %v", key, i, err)
		}
		out = append(out, configured[C]{c, cc.Type, cc.Interval, cc.Watches})
	}
	return out, nil
}

func runCollect(ctx context.Context, args []string, e env) error {
	fs := newFlags("collect", e.stderr)
	cfgPath := fs.String("config", "", "configuration file (see earshot.example.yaml)")
	storeDSN := fs.String("store", "", "store address (default: $EARSHOT_STORE or the config's)")
	once := fs.Bool("once", false, "run every configured collector once and print what each collected")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if !*once {
		return usagef("only --once is supported; `earshot serve` collects continuously")
	}
	cfg, err := loadConfig(*cfgPath, *storeDSN, e)
	if err != nil {
		return err
	}
	log := newLogger(e, cfg.LogLevel)
	cols, err := buildCollectors(cfg, log)
	if err != nil {
		return err
	}
	incidentCols, err := buildIncidentCollectors(cfg, log)
	if err != nil {
		return err
	}
	if len(cols)+len(incidentCols) == 0 {
		return usagef("no collectors configured; add some under collectors: or incidents: (see earshot.example.yaml)")
	}
	st, err := openStore(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer st.Close()
	scorer, err := newScorer(cfg, log)
	if err != nil {
		return err
	}
	pipe := ingest.NewPipeline(st, scorer, cfg.Watches, pipelineOptions(cfg, log))

	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "COLLECTOR\tKIND\tPOSTS\tTOOK\tRESULT")
	failed := 0
	runOnce := func(p *ingest.Poller, posts bool) {
		start := time.Now()
		n, err := p.Once(ctx)
		result := "ok"
		switch {
		case errors.Is(err, earshot.ErrNotModified):
			result = "ok (not modified)"
		case err != nil:
			failed++
			result = "FAILED: " + firstLine(err)
		}
		count := fmt.Sprint(n)
		if !posts {
			count = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Collector.Name(), p.Kind, count, time.Since(start).Round(time.Millisecond), result)
	}
	for _, cr := range cols {
		runOnce(&ingest.Poller{Collector: cr.c, Kind: cr.kind, Cursors: st, Sink: addTo(pipe)}, true)
	}
	for _, p := range incidentPollers(incidentCols, st, st, nil, log) {
		runOnce(p, false)
	}
	if err := pipe.Flush(ctx); err != nil {
		tw.Flush()
		return fmt.Errorf("storing posts: %w", err)
	}
	tw.Flush()
	s := pipe.Stats()
	fmt.Fprintf(e.stdout, "\nstored %d posts (%d duplicates, %d rejected, %d matched no watch)\n", s.Stored, s.Duplicates, s.Rejected, s.Unmatched)
	if failed > 0 {
		return fmt.Errorf("%d of %d collectors failed; see the table", failed, len(cols)+len(incidentCols))
	}
	return nil
}

func pipelineOptions(cfg config.Config, log *slog.Logger) ingest.PipelineOptions {
	return ingest.PipelineOptions{
		BatchSize:     cfg.Pipeline.BatchSize,
		FlushInterval: cfg.Pipeline.FlushInterval,
		MaxTextBytes:  cfg.Pipeline.MaxTextBytes,
		DropUnmatched: cfg.Pipeline.Unmatched == "drop",
		Log:           log.With("part", "pipeline"),
	}
}

func firstLine(err error) string {
	s := err.Error()
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}

// addTo adapts the pipeline's Add to the sinks collectors feed.
func addTo(p *ingest.Pipeline) func(context.Context, []earshot.Post) error {
	return func(ctx context.Context, posts []earshot.Post) error { return p.Add(ctx, posts...) }
}
