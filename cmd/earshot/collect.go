package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/ingest"
	"github.com/earshot/earshot/internal/app"
)

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
	cols, err := app.BuildCollectors(cfg, log, version)
	if err != nil {
		return err
	}
	incidentCols, err := app.BuildIncidentCollectors(cfg, log, version)
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
	scorer, err := app.NewScorer(cfg, log)
	if err != nil {
		return err
	}
	pipe := ingest.NewPipeline(st, scorer, cfg.Watches, app.PipelineOptions(cfg, log))

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
		runOnce(&ingest.Poller{Collector: cr.C, Kind: cr.Kind, Cursors: st, Sink: app.AddTo(pipe)}, true)
	}
	for _, p := range app.IncidentPollers(incidentCols, st, st, nil, log) {
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

func firstLine(err error) string {
	s := err.Error()
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}
