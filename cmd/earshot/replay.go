package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts"
	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/analysis/spikes"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/engine"
	"github.com/earshot/earshot/ingest"
	"github.com/earshot/earshot/internal/config"
	"github.com/earshot/earshot/store/duckdb"
)

// allWatch is the watch every post belongs to when replay has no
// configuration (or one with no watch).
const allWatch = "all"

// replayLine is one line of replay's output: one message routing would
// send, new or an update of an open conversation (episode). Kind, metric,
// incident, confidence and summary are the message's headline alert's
// (the most severe, firing first); kind is "resolved" when the episode is
// over.
type replayLine struct {
	At         string  `json:"at"`
	Episode    string  `json:"episode"`
	Update     bool    `json:"update"`
	Kind       string  `json:"kind"`
	Watch      string  `json:"watch"`
	Metric     string  `json:"metric"`
	Incident   *string `json:"incident"`
	Confidence float64 `json:"confidence"`
	Summary    string  `json:"summary"`
}

// replayIncident is a line of --incidents.
type replayIncident struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Services   []string `json:"services"`
	Watches    []string `json:"watches"`
	StartedAt  string   `json:"started_at"`
	ResolvedAt string   `json:"resolved_at"`
}

func runReplay(ctx context.Context, args []string, e env) error {
	fs := newFlags("replay", e.stderr)
	postsPath := fs.String("posts", "", "posts in the import format, JSON lines (required)")
	incPath := fs.String("incidents", "", `incidents, JSON lines {"id","title","services":[...],"watches":[...],"started_at","resolved_at"}`)
	cfgPath := fs.String("config", "", "configuration file: its watches, pipeline and alerting sections are used")
	deliver := fs.Bool("deliver", false, "deliver notifications through the configured receivers (default: only print them)")
	silPath := fs.String("silences", "", `silences, JSON lines {"matchers":[...],"starts_at","ends_at" (or "duration"),"created_by","comment"}`)
	truthPath := fs.String("truth", "", `what really happened, JSON lines {"start","end","kind"}: prints latency, precision and messages per episode on stderr`)
	learn := fs.Duration("learn", 7*24*time.Hour, "history the detectors learn from before anything may alert (at most half the data)")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, `Usage: earshot replay --posts FILE [--incidents FILE] [--silences FILE] [--config FILE] [--truth FILE] [--deliver]

Runs history through the live pipeline: the same scoring, detection, linking,
routing and grouping code as serve, on an in-memory store, on a clock driven
by the data's timestamps. Each incident becomes known at its started_at and
its resolution at its resolved_at. Without --config every post belongs to one
watch, "all", and every alert goes to one receiver.

As when serve starts on a store that holds history, the detectors first learn
the data's rhythm: the clock starts --learn (7 days; at most half the data)
after the first post, the first step reads everything before it, and spikes
found in that history are linked and saved but raise no alert.

Writes one JSON line per message routing would send, new or an update of
an open conversation (episode: one per watch and trouble), in order:
  {"at":RFC3339,"episode":ID,"update":bool,
   "kind":"spike"|"unreported_incident"|"resolved","watch":...,
   "metric":...,"incident":ID or null,"confidence":0..1,"summary":...}
--silences mute the alerts they match while they last, on the data's clock.
With --truth (JSON lines {"start","end","kind"}), prints on stderr each true
episode's latency, conversations and messages, and the precision.
Notifiers deliver only with --deliver.

Flags:`)
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *postsPath == "" {
		return usagef("--posts FILE is required")
	}
	if *learn < 0 {
		return usagef("--learn %v: must not be negative", *learn)
	}
	cfg := config.Default()
	if *cfgPath != "" {
		var err error
		if cfg, err = config.Load(*cfgPath, e.getenv); err != nil {
			return usageError{err}
		}
	}
	events, err := readReplayIncidents(*incPath)
	if err != nil {
		return err
	}
	silences, err := readReplaySilences(*silPath)
	if err != nil {
		return err
	}
	truth, err := readTruth(*truthPath)
	if err != nil {
		return err
	}
	posts, err := os.Open(*postsPath)
	if err != nil {
		return usagef("cannot read %s: %v", *postsPath, errors.Unwrap(err))
	}
	defer posts.Close()

	st, err := duckdb.Open(ctx, ":memory:")
	if err != nil {
		return fmt.Errorf("opening the in-memory store: %w", err)
	}
	defer st.Close()
	scorer, err := sentiment.New()
	if err != nil {
		return fmt.Errorf("loading the sentiment model: %w", err)
	}
	log := newLogger(e, "warn")
	progress := isTerminal(e.stderr)
	started := time.Now()

	// Score and store every post first. Nothing downstream reads a post
	// created after the clock (the monitor reads completed buckets, the
	// linker the spike's window and the day before it), so this is the
	// same as feeding posts in as the clock reaches them, and much faster.
	pipe := ingest.NewPipeline(postsOnly{st}, scorer, cfg.Watches, ingest.PipelineOptions{
		BatchSize:     replayBatch,
		MaxTextBytes:  cfg.Pipeline.MaxTextBytes,
		DropUnmatched: cfg.Pipeline.Unmatched == "drop",
		DedupeWindow:  1 << 20,
		Overlap:       true,
		Log:           log,
	})
	defer pipe.Wait() // no save under way when the store closes
	first, last, err := loadReplayPosts(ctx, pipe, posts, *postsPath, e, progress)
	if err != nil {
		return err
	}
	ps := pipe.Stats()
	loaded := time.Since(started)
	if ps.Stored == 0 {
		return usagef("%s: no post to replay", *postsPath)
	}

	for _, sl := range silences {
		if err := st.SaveSilence(ctx, sl); err != nil {
			return fmt.Errorf("storing silence: %w", err)
		}
	}

	bucket, lag := 5*time.Minute, 2*time.Minute
	warm := min(*learn, last.Sub(first)/2).Truncate(bucket)
	alertStore := engine.AlertStoreOf(st)
	postsCache := &engine.PostsCache{Lister: st, Linker: st}
	ecfg := engine.Config{
		Store: st, Watches: cfg.Watches, Alerting: &cfg.Alerting,
		Alerts: alertStore, Series: engine.NewSeriesCache(st), ManualIncidents: true,
		Posts: postsCache, PostLinker: postsCache,
		Monitor: spikes.MonitorOptions{Bucket: bucket, Lag: lag, History: warm + 2*bucket},
		Log:     log,
	}
	if len(cfg.Watches) == 0 {
		ecfg.AllWatch = allWatch
	}
	if *deliver {
		receivers, err := cfg.Alerting.Notifiers(alerts.NotifierOptions{
			Resolve:    func(ref string) (string, error) { return collectors.Secret(ref).Resolve(e.getenv) },
			Deliveries: alertStore,
			Logger:     log.With("part", "notify"),
			Threads:    threadStoreOf(st),
		})
		if err != nil {
			return usageError{err}
		}
		ecfg.Deliver = receivers
	}
	eng, err := engine.New(ecfg)
	if err != nil {
		return usageError{err}
	}

	// The clock walks the data in detection buckets, each step reading the
	// bucket that ended Lag before it, as serve does; it runs an hour past
	// the data so that spikes close and groups due are flushed.
	if len(events) > 0 && events[len(events)-1].At.After(last) {
		last = events[len(events)-1].At
	}
	end := last.Add(time.Hour)
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	lines := 0
	lastDraw := time.Time{}
	clock := &engine.Data{From: first.Truncate(bucket).Add(warm + bucket + lag), To: end.Add(bucket), Step: bucket, Incidents: events, Store: st,
		Notes: func(t time.Time, notes []earshot.Notification) error {
			for _, n := range notes {
				l := lineOf(n)
				if err := enc.Encode(l); err != nil {
					return fmt.Errorf("writing: %w", err)
				}
				lines++
				if truth != nil {
					truth.add(l, n)
				}
			}
			if progress && time.Since(lastDraw) > 100*time.Millisecond {
				lastDraw = time.Now()
				pct := 100 * t.Sub(first) / max(end.Sub(first), 1)
				fmt.Fprintf(e.stderr, "\r\x1b[Kreplaying %s %3d%%, %d lines", t.Format("2006-01-02 15:04"), min(pct, 100), lines)
			}
			return nil
		}}
	if err := eng.Drive(ctx, clock); err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("writing: %w", err)
	}
	if progress {
		fmt.Fprint(e.stderr, "\r\x1b[K")
	}
	s := eng.Stats()
	fmt.Fprintf(e.stderr, "earshot replay: %d posts (%s to %s) stored in %.1fs, replayed in %.1fs: %d spike events, %d notifications, %d lines\n",
		ps.Stored, first.Format(time.RFC3339), last.Format(time.RFC3339), loaded.Seconds(),
		(time.Since(started) - loaded).Seconds(), s.SpikeEvents, s.Notifications, lines)
	if truth != nil {
		truth.report(e.stderr)
	}
	return nil
}

// lineOf is n's line: its headline alert's, the first (Episodes puts the
// firing, most severe first).
func lineOf(n earshot.Notification) replayLine {
	a := n.Alerts[0]
	kind := string(a.Kind)
	if notify.Resolved(a, n.At) {
		kind = string(earshot.AlertResolved)
	}
	watch := a.Watch
	if watch == "" {
		watch = a.Labels["watch"]
	}
	if watch == "" {
		watch = allWatch
	}
	l := replayLine{At: n.At.UTC().Format(time.RFC3339), Episode: n.Episode, Update: n.Update, Kind: kind, Watch: watch, Metric: string(a.Metric),
		Confidence: a.Confidence, Summary: a.Summary}
	if a.IncidentID != "" {
		id := a.IncidentID
		l.Incident = &id
	}
	return l
}

// loadReplayPosts reads posts into the pipeline (ingest's bulk Load:
// parsing, scoring and storing overlap) and returns the first and last
// creation times. Rejected lines are reported on stderr, as import does.
func loadReplayPosts(ctx context.Context, pipe *ingest.Pipeline, r io.Reader, name string, e env, progress bool) (first, last time.Time, err error) {
	err = pipe.Load(ctx, func(send func([]earshot.Post) error) error {
		batch := make([]earshot.Post, 0, replayBatch)
		read := 0
		lastDraw := time.Time{}
		add := func(p earshot.Post) error {
			// Collected as created: the data's clock.
			p.CollectedAt = p.CreatedAt
			if first.IsZero() || p.CreatedAt.Before(first) {
				first = p.CreatedAt
			}
			if p.CreatedAt.After(last) {
				last = p.CreatedAt
			}
			batch = append(batch, p)
			if len(batch) < replayBatch {
				return nil
			}
			read += len(batch)
			if err := send(batch); err != nil {
				return err
			}
			batch = make([]earshot.Post, 0, replayBatch)
			if progress && time.Since(lastDraw) > 100*time.Millisecond {
				lastDraw = time.Now()
				fmt.Fprintf(e.stderr, "\r\x1b[Kloading %d posts", read)
			}
			return nil
		}
		reject := func(line int, reason string) {
			if progress {
				fmt.Fprint(e.stderr, "\r\x1b[K")
			}
			fmt.Fprintf(e.stderr, "%s:%d: rejected: %s\n", name, line, reason)
		}
		if err := readJSONLines(bufio.NewReaderSize(r, 1<<20), add, reject); err != nil {
			return err
		}
		if len(batch) > 0 {
			return send(batch)
		}
		return nil
	})
	if err != nil {
		return first, last, err
	}
	if progress {
		fmt.Fprint(e.stderr, "\r\x1b[K")
	}
	return first.UTC(), last.UTC(), nil
}

// replayBatch is how many posts are scored and stored at once.
const replayBatch = 20_000

// postsOnly hides the optional interfaces of a store (PostHashStore):
// replay's store starts empty, so there is nothing stored to compare with.
type postsOnly struct{ earshot.PostStore }

// readReplayIncidents reads --incidents into the events that make each
// incident known: opened at started_at, resolved at resolved_at, in time
// order. Any bad line is bad input.
func readReplayIncidents(path string) ([]engine.IncidentAt, error) {
	if path == "" {
		return nil, nil
	}
	var events []engine.IncidentAt
	seen := map[string]bool{}
	err := eachJSONLine(path, "an incident", func(_ int, dec func(any) error, bad func(string, ...any) error) error {
		var ri replayIncident
		if err := dec(&ri); err != nil {
			return err
		}
		if strings.TrimSpace(ri.ID) == "" {
			return bad("missing id")
		}
		if seen[ri.ID] {
			return bad("incident %q appears twice", ri.ID)
		}
		seen[ri.ID] = true
		started, err := time.Parse(time.RFC3339, ri.StartedAt)
		if err != nil {
			return bad("started_at %q is not an RFC 3339 time", ri.StartedAt)
		}
		var resolved time.Time
		if ri.ResolvedAt != "" {
			if resolved, err = time.Parse(time.RFC3339, ri.ResolvedAt); err != nil {
				return bad("resolved_at %q is not an RFC 3339 time", ri.ResolvedAt)
			}
			if !resolved.After(started) {
				return bad("resolved_at is not after started_at")
			}
		}
		source := "replay"
		if s, _, ok := strings.Cut(ri.ID, ":"); ok && s != "" {
			source = s
		}
		started = started.UTC()
		open := earshot.Incident{ID: ri.ID, Source: source, Title: ri.Title, Status: earshot.Investigating,
			Services: ri.Services, Watches: ri.Watches, StartedAt: started, UpdatedAt: started,
			Updates: []earshot.IncidentUpdate{{At: started, Status: earshot.Investigating}}}
		events = append(events, engine.IncidentAt{At: started, Incident: open})
		if !resolved.IsZero() {
			resolved = resolved.UTC()
			done := open
			done.Status, done.ResolvedAt, done.UpdatedAt = earshot.Resolved, resolved, resolved
			done.Updates = append(slices.Clone(open.Updates), earshot.IncidentUpdate{At: resolved, Status: earshot.Resolved})
			events = append(events, engine.IncidentAt{At: resolved, Incident: done})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(events, func(a, b engine.IncidentAt) int { return a.At.Compare(b.At) })
	return events, nil
}

// readReplaySilences reads --silences: one silence a line, as the API
// takes them, with starts_at required (the data's clock is not now). Any
// bad line is bad input.
func readReplaySilences(path string) ([]earshot.Silence, error) {
	if path == "" {
		return nil, nil
	}
	var out []earshot.Silence
	err := eachJSONLine(path, "a silence", func(line int, dec func(any) error, bad func(string, ...any) error) error {
		var req engine.SilenceRequest
		if err := dec(&req); err != nil {
			return err
		}
		if req.StartsAt.IsZero() {
			return bad("starts_at: required in replay")
		}
		sl, err := engine.NewSilence(req, req.StartsAt)
		if err != nil {
			return bad("%v", err)
		}
		sl.ID = fmt.Sprintf("replay-%d", line)
		out = append(out, sl)
		return nil
	})
	return out, err
}

// eachJSONLine reads the JSON lines of path (blank ones skipped), handing
// each to f with a strict decoder (unknown fields refused; an error says
// the line is not what) and bad, which makes a usage error naming the
// file and line.
func eachJSONLine(path, what string, f func(line int, dec func(any) error, bad func(string, ...any) error) error) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return usagef("cannot read %s: %v", path, errors.Unwrap(err))
	}
	for i, raw := range bytes.Split(b, []byte("\n")) {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		bad := func(format string, args ...any) error {
			return usagef("%s:%d: %s", path, i+1, fmt.Sprintf(format, args...))
		}
		if !utf8.Valid(raw) {
			return bad("invalid UTF-8")
		}
		dec := func(v any) error {
			d := json.NewDecoder(bytes.NewReader(raw))
			d.DisallowUnknownFields()
			if err := d.Decode(v); err != nil {
				return bad("not %s: %v", what, err)
			}
			return nil
		}
		if err := f(i+1, dec, bad); err != nil {
			return err
		}
	}
	return nil
}
