package replay

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts"
	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/analysis/spikes"
	"github.com/earshot/earshot/engine"
	"github.com/earshot/earshot/ingest"
)

// AllWatch is the watch every post belongs to when replay has no
// configuration (or one with no watch).
const AllWatch = "all"

// Line is one line of replay's output: one message routing would send,
// new or an update of an open conversation (episode). Kind, metric,
// incident, confidence and summary are the message's headline alert's
// (the most severe, firing first); kind is "resolved" when the episode is
// over.
type Line struct {
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

// Store is what replay runs on: an empty store (in memory) that lists and
// links posts and keeps silences.
type Store interface {
	earshot.Store
	earshot.PostLister
	earshot.PostLinker
	earshot.SilenceStore
}

// Options is a replay: the history, what to run it through, and where its
// output goes.
type Options struct {
	Store  Store
	Scorer earshot.Scorer
	// ReadPosts hands every post of the history to add (reporting the
	// lines it rejects itself).
	ReadPosts func(add func(earshot.Post) error) error
	// PostsName names the posts in errors.
	PostsName string
	// Watches, Pipeline and Alerting are the configuration's.
	Watches       []earshot.Watch
	MaxTextBytes  int
	DropUnmatched bool
	Alerting      *alerts.Config
	// Alerts keeps alerts and deliveries (the Store when nil).
	Alerts earshot.AlertStore
	// Deliver, when set, delivers the notifications (--deliver).
	Deliver   earshot.Notifier
	Incidents []engine.IncidentAt
	Silences  []earshot.Silence
	// Truth, when set, is scored against and reported on Stderr.
	Truth *Truth
	// Learn is the history the detectors learn from before anything may
	// alert (at most half the data).
	Learn time.Duration
	// Out takes the lines; Stderr progress (when Progress), the summary
	// and the truth's report.
	Out, Stderr io.Writer
	Progress    bool
	Log         *slog.Logger
}

// batch is how many posts are scored and stored at once.
const batch = 20_000

// Run replays o's history: every post scored and stored first (nothing
// downstream reads a post created after the clock: the monitor reads
// completed buckets, the linker the spike's window and the day before it,
// so this is the same as feeding posts in as the clock reaches them, and
// much faster), then the engine driven on the data's clock in detection
// buckets, each step reading the bucket that ended Lag before it, as serve
// does, an hour past the data so that spikes close and groups due are
// flushed. It writes a Line per notification to Out.
func Run(ctx context.Context, o Options) error {
	started := time.Now()
	pipe := ingest.NewPipeline(postsOnly{o.Store}, o.Scorer, o.Watches, ingest.PipelineOptions{
		BatchSize:     batch,
		MaxTextBytes:  o.MaxTextBytes,
		DropUnmatched: o.DropUnmatched,
		DedupeWindow:  1 << 20,
		Overlap:       true,
		Log:           o.Log,
	})
	defer pipe.Wait() // no save under way when the store closes
	first, last, err := load(ctx, pipe, o)
	if err != nil {
		return err
	}
	ps := pipe.Stats()
	loaded := time.Since(started)
	if ps.Stored == 0 {
		return badf("%s: no post to replay", o.PostsName)
	}
	for _, sl := range o.Silences {
		if err := o.Store.SaveSilence(ctx, sl); err != nil {
			return fmt.Errorf("storing silence: %w", err)
		}
	}

	bucket, lag := 5*time.Minute, 2*time.Minute
	warm := min(o.Learn, last.Sub(first)/2).Truncate(bucket)
	postsCache := &engine.PostsCache{Lister: o.Store, Linker: o.Store}
	ecfg := engine.Config{
		Store: o.Store, Watches: o.Watches, Alerting: o.Alerting,
		Alerts: o.Alerts, Series: engine.NewSeriesCache(o.Store), ManualIncidents: true,
		Posts: postsCache, PostLinker: postsCache,
		Monitor: spikes.MonitorOptions{Bucket: bucket, Lag: lag, History: warm + 2*bucket},
		Log:     o.Log, Deliver: o.Deliver,
	}
	if len(o.Watches) == 0 {
		ecfg.AllWatch = AllWatch
	}
	eng, err := engine.New(ecfg)
	if err != nil {
		return BadInput{err}
	}
	if n := len(o.Incidents); n > 0 && o.Incidents[n-1].At.After(last) {
		last = o.Incidents[n-1].At
	}
	end := last.Add(time.Hour)
	out := bufio.NewWriter(o.Out)
	defer out.Flush()
	w := &writer{enc: json.NewEncoder(out), truth: o.Truth, from: first, to: end, o: o}
	w.enc.SetEscapeHTML(false)
	clock := &engine.Data{From: first.Truncate(bucket).Add(warm + bucket + lag), To: end.Add(bucket), Step: bucket,
		Incidents: o.Incidents, Store: o.Store, Notes: w.notes}
	if err := eng.Drive(ctx, clock); err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("writing: %w", err)
	}
	if o.Progress {
		fmt.Fprint(o.Stderr, "\r\x1b[K")
	}
	s := eng.Stats()
	fmt.Fprintf(o.Stderr, "earshot replay: %d posts (%s to %s) stored in %.1fs, replayed in %.1fs: %d spike events, %d notifications, %d lines\n",
		ps.Stored, first.Format(time.RFC3339), last.Format(time.RFC3339), loaded.Seconds(),
		(time.Since(started) - loaded).Seconds(), s.SpikeEvents, s.Notifications, w.lines)
	if o.Truth != nil {
		o.Truth.Report(o.Stderr)
	}
	return nil
}

// writer writes each step's notifications as lines, scores them against
// the truth and draws progress.
type writer struct {
	enc      *json.Encoder
	truth    *Truth
	from, to time.Time
	o        Options
	lines    int
	lastDraw time.Time
}

func (w *writer) notes(t time.Time, notes []earshot.Notification) error {
	for _, n := range notes {
		l := lineOf(n)
		if err := w.enc.Encode(l); err != nil {
			return fmt.Errorf("writing: %w", err)
		}
		w.lines++
		if w.truth != nil {
			w.truth.add(l, n)
		}
	}
	if w.o.Progress && time.Since(w.lastDraw) > 100*time.Millisecond {
		w.lastDraw = time.Now()
		pct := 100 * t.Sub(w.from) / max(w.to.Sub(w.from), 1)
		fmt.Fprintf(w.o.Stderr, "\r\x1b[Kreplaying %s %3d%%, %d lines", t.Format("2006-01-02 15:04"), min(pct, 100), w.lines)
	}
	return nil
}

// lineOf is n's line: its headline alert's, the first (Episodes puts the
// firing, most severe first).
func lineOf(n earshot.Notification) Line {
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
		watch = AllWatch
	}
	l := Line{At: n.At.UTC().Format(time.RFC3339), Episode: n.Episode, Update: n.Update, Kind: kind, Watch: watch, Metric: string(a.Metric),
		Confidence: a.Confidence, Summary: a.Summary}
	if a.IncidentID != "" {
		id := a.IncidentID
		l.Incident = &id
	}
	return l
}

// load reads the posts into the pipeline (ingest's bulk Load: parsing,
// scoring and storing overlap) and returns the first and last creation
// times.
func load(ctx context.Context, pipe *ingest.Pipeline, o Options) (first, last time.Time, err error) {
	err = pipe.Load(ctx, func(send func([]earshot.Post) error) error {
		posts := make([]earshot.Post, 0, batch)
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
			posts = append(posts, p)
			if len(posts) < batch {
				return nil
			}
			read += len(posts)
			if err := send(posts); err != nil {
				return err
			}
			posts = make([]earshot.Post, 0, batch)
			if o.Progress && time.Since(lastDraw) > 100*time.Millisecond {
				lastDraw = time.Now()
				fmt.Fprintf(o.Stderr, "\r\x1b[Kloading %d posts", read)
			}
			return nil
		}
		if err := o.ReadPosts(add); err != nil {
			return err
		}
		if len(posts) > 0 {
			return send(posts)
		}
		return nil
	})
	if err != nil {
		return first, last, err
	}
	if o.Progress {
		fmt.Fprint(o.Stderr, "\r\x1b[K")
	}
	return first.UTC(), last.UTC(), nil
}

// postsOnly hides the optional interfaces of a store (PostHashStore):
// replay's store starts empty, so there is nothing stored to compare with.
type postsOnly struct{ earshot.PostStore }
