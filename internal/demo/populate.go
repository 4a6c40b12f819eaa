package demo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/followup"
	"github.com/earshot/earshot/analysis/spikes"
	"github.com/earshot/earshot/engine"
	"github.com/earshot/earshot/ingest"
)

// Run says how Populate runs a scenario: the end and length of its
// window, the scorer, the follow-up flagger, where progress goes.
type Run struct {
	End      time.Time
	Days     int
	Scorer   earshot.Scorer
	Flagger  *followup.Flagger
	Progress io.Writer
	Log      *slog.Logger
}

// Populate runs sc into st as the demo shows it: posts through the
// pipeline, detection and linking on the scenario's clock, then the
// follow-up queue, writing progress to r.Progress.
func Populate(ctx context.Context, st earshot.Store, sc Scenario, r Run) error {
	start := time.Now()
	end, days, log := r.End, r.Days, r.Log
	if err := fill(ctx, st, r.Scorer, sc, r.Progress); err != nil {
		return err
	}
	// Detection, linking and alerting over the whole scenario, on its own
	// clock, as replay does: incidents become known as they were opened
	// and updated, so the outage's spike is first a possible unreported
	// incident, then linked.
	es, err := detect(ctx, st, sc, end.Add(-time.Duration(days)*24*time.Hour), end, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(r.Progress, "earshot demo: %d spike events, %d alerts routed (%s)\n", es.SpikeEvents, es.Notifications, time.Since(start).Round(10*time.Millisecond))
	// The accounts support imported, then the customers support should
	// reach, flagged stepping through the scenario as serve would have
	// live.
	if err := st.SaveSocialAccounts(ctx, sc.Accounts); err != nil {
		return fmt.Errorf("saving demo accounts: %w", err)
	}
	fst, err := r.Flagger.Replay(ctx, end.Add(-time.Duration(days)*24*time.Hour), end, 6*time.Hour)
	if err != nil {
		return fmt.Errorf("flagging follow-ups: %w", err)
	}
	fmt.Fprintf(r.Progress, "earshot demo: flagged %d customers to follow up, held out %d likely media, bots and marked accounts (%s)\n",
		fst.Opened, len(r.Flagger.Held()), time.Since(start).Round(10*time.Millisecond))
	return nil
}

// fill runs the scenario through the pipeline into st, with progress.
func fill(ctx context.Context, st earshot.Store, scorer earshot.Scorer, sc Scenario, w io.Writer) error {
	p := ingest.NewPipeline(st, scorer, sc.Watches, ingest.PipelineOptions{BatchSize: 2000, DropUnmatched: true})
	const step = 2000
	for i := 0; i < len(sc.Posts); i += step {
		if err := p.Add(ctx, sc.Posts[i:min(i+step, len(sc.Posts))]...); err != nil {
			return fmt.Errorf("storing demo posts: %w", err)
		}
		fmt.Fprintf(w, "\rearshot demo: storing posts %3d%%", 100*min(i+step, len(sc.Posts))/len(sc.Posts))
	}
	if err := p.Flush(ctx); err != nil {
		return fmt.Errorf("storing demo posts: %w", err)
	}
	s := p.Stats()
	fmt.Fprintf(w, "\rearshot demo: stored %d posts (%d matched no watch, %d duplicates, %d rejected)\n", s.Stored, s.Unmatched, s.Duplicates, s.Rejected)
	return nil
}

// detect steps the engine through [from, to] in detection buckets,
// telling it of each incident as of each of its updates.
func detect(ctx context.Context, st earshot.Store, sc Scenario, from, to time.Time, log *slog.Logger) (engine.Stats, error) {
	const bucket, lag = 5 * time.Minute, 2 * time.Minute
	warm := min(7*24*time.Hour, to.Sub(from)/2).Truncate(bucket)
	cfg := engine.Config{
		Store: st, Watches: sc.Watches, Series: engine.NewSeriesCache(st), ManualIncidents: true,
		Monitor: spikes.MonitorOptions{Bucket: bucket, Lag: lag, History: warm + 2*bucket},
		Log:     log,
	}
	lister, okL := st.(earshot.PostLister)
	linker, okK := st.(earshot.PostLinker)
	if okL && okK {
		// The linker asks for the same baseline posts at every event of a
		// spike; the cache answers the repeats.
		cache := &engine.PostsCache{Lister: lister, Linker: linker}
		cfg.Posts, cfg.PostLinker = cache, cache
	}
	eng, err := engine.New(cfg)
	if err != nil {
		return engine.Stats{}, fmt.Errorf("starting the engine: %w", err)
	}
	clock := &engine.Data{From: from.Truncate(bucket).Add(warm + bucket + lag), To: to.Add(bucket), Step: bucket,
		Incidents: incidentVersions(sc.Incidents), Store: st}
	if err := eng.Drive(ctx, clock); err != nil {
		return engine.Stats{}, fmt.Errorf("detecting spikes: %w", err)
	}
	return eng.Stats(), nil
}

// incidentVersions returns each incident as it stood after each of its
// updates (as opened, when it has none), in time order.
func incidentVersions(incidents []earshot.Incident) []engine.IncidentAt {
	var out []engine.IncidentAt
	for _, inc := range incidents {
		if len(inc.Updates) == 0 {
			out = append(out, engine.IncidentAt{At: inc.StartedAt, Incident: inc})
			continue
		}
		for i, u := range inc.Updates {
			v := inc
			v.Updates = slices.Clone(inc.Updates[:i+1])
			v.Status, v.UpdatedAt = u.Status, u.At
			if u.Status != earshot.Resolved {
				v.ResolvedAt = time.Time{}
			}
			out = append(out, engine.IncidentAt{At: u.At, Incident: v})
		}
	}
	slices.SortStableFunc(out, func(a, b engine.IncidentAt) int { return a.At.Compare(b.At) })
	return out
}
