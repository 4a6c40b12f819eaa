package alerts

import (
	"context"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify"
)

// Outcome says what Add did with an alert.
type Outcome string

// Outcomes of Add.
const (
	// Admitted: a new alert, routed into its groups.
	Admitted Outcome = "admitted"
	// Updated: a known alert, replaced (and re-routed if its labels
	// changed).
	Updated Outcome = "updated"
	// Resolving: the alert resolves a known alert.
	Resolving Outcome = "resolving"
	// Ignored: the alert resolves one never admitted, or has no ID.
	Ignored Outcome = "ignored"
	// BelowMinScore: its spike's score is under the watch's min_score.
	BelowMinScore Outcome = "below_min_score"
	// TooShort: its spike has not lasted min_duration yet; add it again
	// as the spike grows.
	TooShort Outcome = "too_short"
	// CoolingDown: an alert of the same kind on the same watch was sent
	// within cooldown and this one's spike is no new wave.
	CoolingDown Outcome = "cooling_down"
)

// Options are what a Dispatcher takes from its surroundings.
type Options struct {
	// Now is the clock Run flushes on; nil means time.Now. Add and Flush
	// never read it: they run on the times they are given, so the same
	// code serves a data-driven clock (replay).
	Now func() time.Time
	// Silences mute alerts; nil means none.
	Silences *Silences
	// Logger gets Run's delivery failures; nil discards.
	Logger *slog.Logger
	// QueueSize bounds the notifications Run holds per receiver while
	// they are delivered; 0 means 64.
	QueueSize int
}

// Dispatcher routes alerts into groups and decides when each group is
// notified, as Alertmanager does: group_wait after a group appears, then
// every group_interval when it changed, and every repeat_interval while
// it fires. It applies the noise controls as alerts come in, and
// inhibitions, silences and quiet hours as notifications go out.
//
// It is a step function on an injected clock: Add feeds alerts in, Flush
// returns the notifications due at a time. Run drives both on the wall
// clock; replay calls Flush with the data's timestamps. It is safe for
// concurrent use.
type Dispatcher struct {
	cfg      *compiled
	now      func() time.Time
	silences *Silences
	log      *slog.Logger
	queue    int
	wake     chan struct{}
	dropped  atomic.Int64

	mu    sync.Mutex
	clock time.Time
	// pending holds notifications that fell due before an Add, for the
	// next Flush.
	pending []earshot.Notification
	alerts  map[string]*tracked
	groups  map[string]*group
	cool    map[coolKey]coolState
	counts  map[countKey]*WeeklyCount
}

// tracked is an admitted alert.
type tracked struct {
	alert    earshot.Alert
	labels   map[string]string
	peak     float64
	groups   []string
	notified bool
}

// group is the alerts of one route sharing its group labels.
type group struct {
	key      string
	route    *route
	labels   map[string]string
	alerts   map[string]bool
	next     time.Time
	lastSent time.Time
	// sent holds each alert's fingerprint as last notified.
	sent    map[string]string
	dropped map[string]bool
}

// NewDispatcher validates cfg and returns a dispatcher for it.
func NewDispatcher(cfg Config, opts Options) (*Dispatcher, error) {
	cc, err := compile(cfg)
	if err != nil {
		return nil, err
	}
	d := &Dispatcher{
		cfg: cc, now: opts.Now, silences: opts.Silences, log: opts.Logger, queue: opts.QueueSize,
		wake:   make(chan struct{}, 1),
		alerts: map[string]*tracked{}, groups: map[string]*group{},
		cool: map[coolKey]coolState{}, counts: map[countKey]*WeeklyCount{},
	}
	if d.now == nil {
		d.now = time.Now
	}
	if d.log == nil {
		d.log = slog.New(slog.DiscardHandler)
	}
	if d.queue <= 0 {
		d.queue = 64
	}
	return d, nil
}

// Add takes an alert in, with the spike it reports (nil when unknown: the
// min_score and new-wave controls then do not apply). Its time is a.At,
// or the dispatcher's clock (the latest time it was given) when a.At is
// earlier or zero. Whatever fell due before that time is settled first, as
// if Flush had run then; the next Flush returns it. So feeding alerts in
// time order gives the same notifications however often Flush is called.
//
// Add an alert again whenever it changes (its spike grows, gets linked,
// ends): the dispatcher replaces it by ID. An alert whose EndsAt has
// passed is resolved; so are the alerts of the same spike when a is of
// kind "resolved". A spike or unreported-incident alert turned away by the
// noise controls is forgotten, so adding it again later (once it has
// lasted min_duration, say) may admit it.
func (d *Dispatcher) Add(a earshot.Alert, s *earshot.Spike) Outcome {
	d.mu.Lock()
	defer d.mu.Unlock()
	t := a.At
	if t.IsZero() && d.clock.IsZero() {
		t = d.now()
	}
	if t.Before(d.clock) {
		t = d.clock
	}
	if a.ID == "" {
		return Ignored
	}
	// What fell due before this alert came in goes out without it.
	d.settle(t, false)
	if a.Kind == earshot.AlertResolved {
		return d.resolveSpike(a, t)
	}
	if tr := d.alerts[a.ID]; tr != nil {
		tr.alert = a
		if p := peak(s); p > tr.peak {
			tr.peak = p
		}
		d.route(tr, t)
		d.signal()
		if notify.Resolved(a, t) {
			return Resolving
		}
		return Updated
	}
	if notify.Resolved(a, t) {
		return Ignored
	}
	if o := d.admit(a, s, t); o != Admitted {
		return o
	}
	tr := &tracked{alert: a, peak: peak(s)}
	d.alerts[a.ID] = tr
	d.route(tr, t)
	d.signal()
	return Admitted
}

// resolveSpike ends the alerts of a's spike at a's EndsAt (or At),
// taking a's summary. They keep their kind, so they stay in their groups.
func (d *Dispatcher) resolveSpike(a earshot.Alert, t time.Time) Outcome {
	end := a.EndsAt
	if end.IsZero() {
		end = t
	}
	out := Ignored
	for _, tr := range d.alerts {
		if a.SpikeID != "" && tr.alert.SpikeID == a.SpikeID && (tr.alert.EndsAt.IsZero() || tr.alert.EndsAt.After(end)) {
			tr.alert.EndsAt = end
			if a.Summary != "" {
				// "Over: ...": what the resolve message should say.
				tr.alert.Summary = a.Summary
			}
			out = Resolving
		}
	}
	if out == Resolving {
		d.signal()
	}
	return out
}

// route puts tr in the groups its labels lead to, and takes it out of the
// ones they no longer do.
func (d *Dispatcher) route(tr *tracked, t time.Time) {
	tr.labels = Labels(tr.alert)
	keys := map[string]bool{}
	for _, r := range d.cfg.root.match(tr.labels) {
		gl := r.groupLabels(tr.labels)
		key := r.groupKey(gl)
		keys[key] = true
		g := d.groups[key]
		if g == nil {
			g = &group{key: key, route: r, labels: gl, alerts: map[string]bool{}, next: t.Add(r.groupWait),
				sent: map[string]string{}, dropped: map[string]bool{}}
			d.groups[key] = g
		}
		g.alerts[tr.alert.ID] = true
	}
	for _, old := range tr.groups {
		if !keys[old] {
			if g := d.groups[old]; g != nil {
				// Gone from the group: its next notification leaves it out.
				delete(g.alerts, tr.alert.ID)
				delete(g.dropped, tr.alert.ID)
			}
		}
	}
	tr.groups = sortedKeys(keys)
}

// detach takes an alert out of g, and forgets it when it is in no group.
func (d *Dispatcher) detach(g *group, id string) {
	delete(g.alerts, id)
	delete(g.sent, id)
	delete(g.dropped, id)
	tr := d.alerts[id]
	if tr == nil {
		return
	}
	keep := tr.groups[:0]
	for _, k := range tr.groups {
		if k != g.key {
			keep = append(keep, k)
		}
	}
	tr.groups = keep
	if len(keep) == 0 {
		delete(d.alerts, id)
	}
}

func (d *Dispatcher) signal() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Flush returns the notifications due at or before now, in time order
// (ties by group key), each stamped with the time it fell due. It never
// reads the clock: live, pass the wall clock; in replay, the data's time.
func (d *Dispatcher) Flush(now time.Time) []earshot.Notification {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.settle(now, true)
	out := d.pending
	d.pending = nil
	return out
}

// settle flushes every group due before t (or at t, when inclusive) into
// d.pending, and moves the clock to t.
func (d *Dispatcher) settle(t time.Time, inclusive bool) {
	if t.After(d.clock) {
		d.clock = t
	}
	for {
		var g *group
		for _, c := range d.groups {
			if c.next.After(t) || (!inclusive && c.next.Equal(t)) {
				continue
			}
			if g == nil || c.next.Before(g.next) || (c.next.Equal(g.next) && c.key < g.key) {
				g = c
			}
		}
		if g == nil {
			return
		}
		if n, ok := d.flushGroup(g, g.next); ok {
			d.pending = append(d.pending, n)
		}
	}
}

// NextFlush is when the next group falls due; false when none is waiting.
func (d *Dispatcher) NextFlush() (time.Time, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var next time.Time
	for _, g := range d.groups {
		if next.IsZero() || g.next.Before(next) {
			next = g.next
		}
	}
	return next, !next.IsZero()
}

// Run flushes on the wall clock (Options.Now) until ctx is done, handing
// each notification to n. Every receiver has its own queue and goroutine,
// so a slow one delays only itself; a notification its full queue cannot
// take is dropped, logged and counted (see Dropped). Delivery failures are
// logged here: wrap n in notify.Retrier to retry and record them.
func (d *Dispatcher) Run(ctx context.Context, n earshot.Notifier) {
	queues := NewQueues(ctx, n, d.queue, func(note earshot.Notification, err error) {
		d.log.Error("delivering notification", "receiver", note.Receiver, "group_key", note.GroupKey, "err", err.Error())
	})
	defer queues.Close()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-d.wake:
		}
		for _, note := range d.Flush(d.now()) {
			if !queues.Put(note) {
				d.dropped.Add(1)
				d.log.Warn("delivery queue full, notification dropped", "receiver", note.Receiver, "group_key", note.GroupKey)
			}
		}
		wait := time.Minute
		if next, ok := d.NextFlush(); ok {
			wait = min(max(next.Sub(d.now()), 0), time.Minute)
		}
		timer.Reset(wait)
	}
}

// Dropped counts the notifications Run could not queue.
func (d *Dispatcher) Dropped() int64 { return d.dropped.Load() }

// WeeklyCount is how much one route sent one receiver about one watch in
// one week, so teams can tune their settings.
type WeeklyCount struct {
	// Week starts on Monday, 00:00 UTC.
	Week     time.Time `json:"week"`
	Route    string    `json:"route"`
	Receiver string    `json:"receiver"`
	// Watch is "" for alerts over all posts.
	Watch string `json:"watch"`
	// Alerts counts alerts notified for the first time.
	Alerts int `json:"alerts"`
	// Notifications counts notifications that carried the watch.
	Notifications int `json:"notifications"`
}

type countKey struct {
	week                   time.Time
	route, receiver, watch string
}

// WeekStart is the Monday 00:00 UTC starting t's week.
func WeekStart(t time.Time) time.Time {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
}

// keptWeeks is how many weeks of counts are kept.
const keptWeeks = 12

func (d *Dispatcher) count(t time.Time, r *route, n earshot.Notification, first []*tracked) {
	week := WeekStart(t)
	get := func(watch string) *WeeklyCount {
		k := countKey{week, r.id, r.receiver, watch}
		c := d.counts[k]
		if c == nil {
			c = &WeeklyCount{Week: week, Route: r.id, Receiver: r.receiver, Watch: watch}
			d.counts[k] = c
			for old := range d.counts {
				if old.week.Before(week.AddDate(0, 0, -7*keptWeeks)) {
					delete(d.counts, old)
				}
			}
		}
		return c
	}
	seen := map[string]bool{}
	for _, a := range n.Alerts {
		w := Labels(a)["watch"]
		if !seen[w] {
			seen[w] = true
			get(w).Notifications++
		}
	}
	for _, tr := range first {
		get(tr.labels["watch"]).Alerts++
	}
}

// WeeklyCounts returns the counts of the week holding at (the last 12
// weeks are kept), by route, receiver and watch.
func (d *Dispatcher) WeeklyCounts(at time.Time) []WeeklyCount {
	week := WeekStart(at)
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []WeeklyCount
	for k, c := range d.counts {
		if k.week.Equal(week) {
			out = append(out, *c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Route != b.Route {
			return a.Route < b.Route
		}
		if a.Receiver != b.Receiver {
			return a.Receiver < b.Receiver
		}
		return a.Watch < b.Watch
	})
	return out
}
