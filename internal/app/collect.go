package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/ingest"
	"github.com/earshot/earshot/internal/badinput"
	"github.com/earshot/earshot/internal/config"
)

// CollectOnce runs every collector cfg configures once, into its store
// through the pipeline, and writes to w a table of what each collected,
// then what was stored. A collector failing is an error once all have run.
func CollectOnce(ctx context.Context, cfg config.Config, log *slog.Logger, version string, w io.Writer) error {
	cols, err := buildCollectors(cfg, log, version)
	if err != nil {
		return err
	}
	incidentCols, err := buildIncidentCollectors(cfg, log, version)
	if err != nil {
		return err
	}
	if len(cols)+len(incidentCols) == 0 {
		return badinput.Errorf("no collectors configured; add some under collectors: or incidents: (see earshot.example.yaml)")
	}
	st, err := OpenStore(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer st.Close()
	scorer, err := NewScorer(cfg, log)
	if err != nil {
		return err
	}
	pipe := ingest.NewPipeline(st, scorer, cfg.Watches, pipelineOptions(cfg, log))

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
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
		runOnce(&ingest.Poller{Collector: cr.C, Kind: cr.Kind, Cursors: st, Sink: addTo(pipe)}, true)
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
	fmt.Fprintf(w, "\nstored %d posts (%d duplicates, %d rejected, %d matched no watch)\n", s.Stored, s.Duplicates, s.Rejected, s.Unmatched)
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
