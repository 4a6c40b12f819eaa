package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"sync"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts"
	"github.com/earshot/earshot/alerts/link"
	"github.com/earshot/earshot/analysis/spikes"
)

// Config is what an Engine is built from. Store is required; every other
// field has a working zero value.
type Config struct {
	// Store holds the posts the monitor reads, and keeps spikes and
	// incidents.
	Store earshot.Store
	// Watches give each watch's services, for linking.
	Watches []earshot.Watch
	// Alerting is the routing configuration; the zero value means
	// alerts.DefaultConfig().
	Alerting *alerts.Config
	// Link tunes linking; the zero value means link.DefaultConfig().
	Link *link.Config
	// Monitor tunes detection; its Now is the engine's clock whatever it
	// says.
	Monitor spikes.MonitorOptions
	// Alerts keeps alerts and deliveries; nil means the store.
	Alerts earshot.AlertStore
	// Episodes keeps the conversations notifications belong to; nil
	// means the store.
	Episodes earshot.EpisodeStore
	// EpisodeOptions tune episodes; the zero value means
	// alerts.DefaultEpisodeOptions().
	EpisodeOptions alerts.EpisodeOptions
	// Posts lists posts for linking; nil means the store.
	Posts earshot.PostLister
	// PostLinker marks the posts of linked spikes; nil means the store.
	PostLinker earshot.PostLinker
	// Series is what the monitor reads series from; nil means Store.
	// Replay passes a SeriesCache, the posts being all stored up front.
	Series earshot.PostStore
	// ManualIncidents says the caller reports every incident change with
	// IncidentChanged (replay); otherwise each Step looks in the store for
	// incidents changed since the last one.
	ManualIncidents bool
	// Deliver, when set, delivers every notification Step returns
	// (alerts.Config.Notifiers builds one). Nil: notifications are only
	// returned (replay without --deliver).
	Deliver earshot.Notifier
	// Silences mute alerts; nil means a new, empty set. When SilenceStore
	// is set, each Step replaces them with the store's.
	Silences *alerts.Silences
	// SilenceStore keeps the silences the CLI and the API write; nil means
	// the store.
	SilenceStore earshot.SilenceStore
	// AllWatch, when set, makes spikes over all posts alert as a watch of
	// this name ("all").
	AllWatch string
	// MaxEventAge is how old a spike event may be when found and still
	// alert (30m): older ones are linked and saved only.
	MaxEventAge time.Duration
	// Lookback is how far back incidents are looked at for changes (48h).
	Lookback time.Duration
	// GoingDark, when positive, raises a going_dark alert for every open
	// incident nothing was published about (an incident update, a
	// publication) for that long; it ends with the next update or the
	// incident's resolution. Zero turns it off.
	GoingDark time.Duration
	// Publications are the incidents' publications, which count as public
	// updates for GoingDark; nil: incident updates only.
	Publications earshot.PublicationStore
	Log          *slog.Logger
}

// Engine runs detection, linking and alerting on one clock. Its methods
// are safe for concurrent use; they run one at a time.
type Engine struct {
	cfg        Config
	store      earshot.Store
	monitor    *spikes.Monitor
	linker     *link.Linker
	dispatcher *alerts.Dispatcher
	episodes   *alerts.Episodes
	alerts     earshot.AlertStore
	epStore    earshot.EpisodeStore
	log        *slog.Logger

	mu  sync.Mutex
	now time.Time
	// seen is each incident's fingerprint as last handled.
	seen map[string]incidentSeen
	// links are the incidents linked to the open spikes, which the
	// monitor's events do not carry.
	links map[string]spikeLink
	// relinked holds the incident of each spike whose "now linked" alert
	// was raised since the last flush (see spikeEvent).
	relinked map[string]string
	// counters
	stats Stats
	// wake asks Run to step now (Wake).
	wake chan struct{}
	// dark holds the firing going-dark alert of each incident.
	dark map[string]earshot.Alert
}

type spikeLink struct {
	incident   string
	confidence float64
}

type incidentSeen struct {
	fp   string
	last time.Time
}

// Stats count what the engine did.
type Stats struct {
	Steps         int64 `json:"steps"`
	SpikeEvents   int64 `json:"spike_events"`
	Linked        int64 `json:"linked"`
	Relinked      int64 `json:"relinked"`
	Alerts        int64 `json:"alerts"`
	Notifications int64 `json:"notifications"`
	// Refused counts alerts the noise controls turned away.
	Refused int64 `json:"refused"`
}

// New builds an engine: a spike monitor, a linker and a dispatcher on the
// engine's clock.
func New(cfg Config) (*Engine, error) {
	if cfg.Store == nil {
		return nil, errors.New("engine: a store is required")
	}
	if cfg.Alerting == nil {
		c := alerts.DefaultConfig()
		cfg.Alerting = &c
	}
	if cfg.Link == nil {
		c := link.DefaultConfig()
		cfg.Link = &c
	}
	if cfg.Posts == nil {
		cfg.Posts = cfg.Store
	}
	if cfg.PostLinker == nil {
		cfg.PostLinker = cfg.Store
	}
	if cfg.Alerts == nil {
		cfg.Alerts = cfg.Store
	}
	if cfg.Episodes == nil {
		cfg.Episodes = cfg.Store
	}
	if cfg.SilenceStore == nil {
		cfg.SilenceStore = cfg.Store
	}
	if cfg.MaxEventAge <= 0 {
		cfg.MaxEventAge = 30 * time.Minute
	}
	if cfg.Lookback <= 0 {
		cfg.Lookback = 48 * time.Hour
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	e := &Engine{cfg: cfg, store: cfg.Store, alerts: cfg.Alerts, epStore: cfg.Episodes, episodes: alerts.NewEpisodes(cfg.EpisodeOptions), log: cfg.Log, seen: map[string]incidentSeen{}, links: map[string]spikeLink{}, relinked: map[string]string{},
		wake: make(chan struct{}, 1), dark: map[string]earshot.Alert{}}
	clock := func() time.Time { return e.now }
	if cfg.Silences == nil {
		e.cfg.Silences = alerts.NewSilences(clock)
	}

	mo := cfg.Monitor
	mo.Now = clock
	if mo.Log == nil {
		mo.Log = cfg.Log.With("part", "spikes")
	}
	series := cfg.Series
	if series == nil {
		series = cfg.Store
	}
	e.monitor = spikes.NewMonitor(series, cfg.Store, mo)

	deps := link.Deps{Incidents: cfg.Store, Posts: cfg.Posts, Spikes: cfg.Store, Watches: cfg.Watches, Now: clock,
		PostLinker: cfg.PostLinker}
	var err error
	if e.linker, err = link.New(deps, *cfg.Link); err != nil {
		return nil, err
	}
	if e.dispatcher, err = alerts.NewDispatcher(*cfg.Alerting, alerts.Options{
		Now: clock, Silences: e.cfg.Silences, Logger: cfg.Log.With("part", "alerts"),
	}); err != nil {
		return nil, err
	}
	return e, nil
}

// Dispatcher is the engine's dispatcher (for its weekly counts).
func (e *Engine) Dispatcher() *alerts.Dispatcher { return e.dispatcher }

// Alerts is where the engine keeps alerts and deliveries.
func (e *Engine) Alerts() earshot.AlertStore { return e.alerts }

// SilenceStore is where the engine reads silences from (nil: none).
func (e *Engine) SilenceStore() earshot.SilenceStore { return e.cfg.SilenceStore }

// Episodes is where the engine keeps episodes.
func (e *Engine) Episodes() earshot.EpisodeStore { return e.epStore }

// Stats returns the engine's counters.
func (e *Engine) Stats() Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.stats
}

// Step runs the engine at now (see the package documentation) and returns
// the messages due by then, in time order, after delivering them when
// Config.Deliver is set: the dispatcher's notifications folded into
// episodes (alerts.Episodes), each with its episode, sequence number and
// whether it updates an earlier message. A failure leaves the engine where it stopped; the
// next Step carries on from there.
func (e *Engine) Step(ctx context.Context, now time.Time) ([]earshot.Notification, error) {
	notes, err := e.step(ctx, now)
	e.deliver(ctx, notes)
	return notes, err
}

// deliver delivers notes through Config.Deliver, when set, one after the
// other.
func (e *Engine) deliver(ctx context.Context, notes []earshot.Notification) {
	if e.cfg.Deliver == nil {
		return
	}
	for _, n := range notes {
		if _, derr := e.cfg.Deliver.Notify(ctx, n); derr != nil {
			// The Retrier has logged and recorded every attempt.
			e.log.Warn("delivering notification", "receiver", n.Receiver, "group_key", n.GroupKey, "err", derr.Error())
		}
	}
}

func (e *Engine) step(ctx context.Context, now time.Time) ([]earshot.Notification, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now = now.UTC()
	if now.After(e.now) {
		e.now = now
	}
	e.stats.Steps++
	var errs []error
	if !e.cfg.ManualIncidents {
		if err := e.incidents(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if e.cfg.SilenceStore != nil {
		list, err := e.cfg.SilenceStore.Silences(ctx, e.now.Add(-silenceHistory))
		if err == nil {
			err = e.cfg.Silences.Replace(list)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("reading silences: %w", err))
		}
	}
	events, err := e.monitor.Step(ctx)
	if err != nil {
		errs = append(errs, err)
	}
	for _, ev := range events {
		if err := e.spikeEvent(ctx, ev); err != nil {
			errs = append(errs, err)
		}
	}
	if e.cfg.GoingDark > 0 {
		if err := e.goingDark(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	notes, eps := e.episodes.Apply(e.dispatcher.Flush(e.now))
	clear(e.relinked)
	for _, ep := range eps {
		if err := e.epStore.SaveEpisode(ctx, ep); err != nil {
			errs = append(errs, fmt.Errorf("saving episode %s: %w", ep.ID, err))
		}
	}
	e.stats.Notifications += int64(len(notes))
	return notes, errors.Join(errs...)
}

// IncidentChanged relinks the spikes inc now explains, at the engine's
// clock (or inc's time, if later), as Step does for the changes it finds.
// It is for callers that learn of a change directly rather than through
// the store.
func (e *Engine) IncidentChanged(ctx context.Context, inc earshot.Incident) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if t := lastChange(inc).UTC(); t.After(e.now) {
		e.now = t
	}
	e.seen[inc.ID] = incidentSeen{fp: fingerprint(inc), last: lastChange(inc)}
	return e.relink(ctx, inc)
}

// incidents relinks every incident new or changed since last seen.
func (e *Engine) incidents(ctx context.Context) error {
	incs, err := e.store.Incidents(ctx, e.now.Add(-e.cfg.Lookback), e.now.Add(time.Nanosecond))
	if err != nil {
		return fmt.Errorf("listing incidents: %w", err)
	}
	var errs []error
	for _, inc := range incs {
		fp := fingerprint(inc)
		if old, ok := e.seen[inc.ID]; ok && old.fp == fp {
			continue
		}
		e.seen[inc.ID] = incidentSeen{fp: fp, last: lastChange(inc)}
		if err := e.relink(ctx, inc); err != nil {
			errs = append(errs, err)
		}
	}
	// Forget incidents that left the window long ago.
	for id, s := range e.seen {
		if s.last.Before(e.now.Add(-2 * e.cfg.Lookback)) {
			delete(e.seen, id)
		}
	}
	return errors.Join(errs...)
}

func (e *Engine) relink(ctx context.Context, inc earshot.Incident) error {
	rs, err := e.linker.Relink(ctx, inc)
	var errs []error
	if err != nil {
		errs = append(errs, fmt.Errorf("relinking incident %s: %w", inc.ID, err))
	}
	for _, r := range rs {
		e.stats.Relinked++
		if r.Spike.End.IsZero() {
			e.links[r.Spike.ID] = spikeLink{r.Spike.IncidentID, r.Spike.LinkConfidence}
		}
		if err := e.store.SaveSpike(ctx, r.Spike); err != nil {
			errs = append(errs, fmt.Errorf("saving spike %s: %w", r.Spike.ID, err))
		}
		if e.alerting(r.Spike.Scope) {
			if err := e.raise(ctx, r.Alert, r.Spike); err != nil {
				errs = append(errs, err)
			}
			e.relinked[r.Spike.ID] = r.Spike.IncidentID
		}
	}
	return errors.Join(errs...)
}

// spikeEvent links one spike event's spike, saves it and raises its
// alerts.
func (e *Engine) spikeEvent(ctx context.Context, ev spikes.Event) error {
	e.stats.SpikeEvents++
	s := ev.Spike
	if l, ok := e.links[s.ID]; ok {
		// The link so far, which the monitor's spike does not carry: kept
		// unless another incident explains the spike clearly better.
		s.IncidentID, s.LinkConfidence = l.incident, l.confidence
	}
	if ev.Kind == spikes.Closed {
		delete(e.links, s.ID)
		end := s.End
		if end.IsZero() {
			end = e.now
		}
		for _, ep := range e.episodes.SpikeClosed(s.ID, end) {
			if err := e.epStore.SaveEpisode(ctx, ep); err != nil {
				return fmt.Errorf("saving episode %s: %w", ep.ID, err)
			}
		}
	}
	alerting := e.alerting(s.Scope)
	if !alerting && ev.Kind == spikes.Updated {
		// A spike that raises no alert is linked when it opens and when it
		// closes; in between it keeps its link, at no cost.
		if err := e.store.SaveSpike(ctx, s); err != nil {
			return fmt.Errorf("saving spike %s: %w", s.ID, err)
		}
		return nil
	}
	x, err := e.linker.Explain(ctx, s)
	if err != nil {
		return fmt.Errorf("explaining spike %s: %w", s.ID, err)
	}
	if x.Match.Linked() {
		e.stats.Linked++
		if ev.Kind != spikes.Closed {
			e.links[s.ID] = spikeLink{x.Spike.IncidentID, x.Spike.LinkConfidence}
		}
	} else {
		delete(e.links, s.ID)
	}
	if err := e.store.SaveSpike(ctx, x.Spike); err != nil {
		return fmt.Errorf("saving spike %s: %w", x.Spike.ID, err)
	}
	if !alerting {
		return nil
	}
	// A spike found long after it peaked (history read on the first
	// live Step) raises nothing; its close always goes through, since the
	// dispatcher ignores the close of an alert it never took.
	if ev.Kind != spikes.Closed && ev.Spike.Peak.Add(ev.Spike.Bucket).Before(e.now.Add(-e.cfg.MaxEventAge)) {
		return nil
	}
	var errs []error
	for _, a := range x.Alerts {
		if inc, ok := e.relinked[s.ID]; ok && ev.Kind != spikes.Closed && a.Kind == earshot.AlertSpike && a.IncidentID == inc {
			// The spike grew in the step its incident was linked: its
			// "now linked" alert, not yet sent, says more than this one
			// would, which replaces it (the same ID) as a plain "linked
			// to"; the spike's next change tells its new size.
			continue
		}
		if err := e.raise(ctx, a, x.Spike); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// raise adds an alert to the dispatcher and keeps it when taken.
func (e *Engine) raise(ctx context.Context, a earshot.Alert, s earshot.Spike) error {
	if s.Scope.Kind == earshot.ScopeAll && e.cfg.AllWatch != "" {
		a.Watch = e.cfg.AllWatch
		a.Labels = maps.Clone(a.Labels)
		if a.Labels == nil {
			a.Labels = map[string]string{}
		}
		a.Labels["watch"] = e.cfg.AllWatch
	}
	switch e.dispatcher.Add(a, &s) {
	case alerts.Admitted, alerts.Updated, alerts.Resolving:
		e.stats.Alerts++
		if err := e.alerts.SaveAlert(ctx, a); err != nil {
			return fmt.Errorf("saving alert %s: %w", a.ID, err)
		}
	case alerts.BelowMinScore, alerts.TooShort, alerts.CoolingDown:
		e.stats.Refused++
	}
	return nil
}

// alerting reports whether spikes of scope raise alerts.
func (e *Engine) alerting(sc earshot.Scope) bool {
	switch sc.Kind {
	case earshot.ScopeWatch:
		return true
	case earshot.ScopeAll:
		return e.cfg.AllWatch != ""
	}
	return false
}

// fingerprint changes whenever an incident changes in a way linking reads.
func fingerprint(inc earshot.Incident) string {
	fp := fmt.Sprintf("%s|%s|%d|%d|%d|%d|%s", inc.Status, inc.Title, inc.StartedAt.UnixNano(),
		inc.ResolvedAt.UnixNano(), inc.UpdatedAt.UnixNano(), len(inc.Updates), inc.Severity)
	for _, s := range inc.Services {
		fp += "|" + s
	}
	return fp
}

func lastChange(inc earshot.Incident) time.Time {
	t := inc.StartedAt
	for _, c := range []time.Time{inc.UpdatedAt, inc.ResolvedAt} {
		if c.After(t) {
			t = c
		}
	}
	return t
}
