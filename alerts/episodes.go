package alerts

import (
	"iter"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify"
)

// EpisodeOptions tune how notifications become episodes.
type EpisodeOptions struct {
	// Rejoin is how long after an episode of a watch was resolved a new
	// alert on the watch joins it again rather than opening another
	// (1h): the tail of the same trouble.
	Rejoin time.Duration
	// Aftermath is how long after an episode was resolved an alert linked
	// to its incident joins it again (6h): customers still upset after
	// the incident.
	Aftermath time.Duration
}

// DefaultEpisodeOptions returns the defaults named in EpisodeOptions.
func DefaultEpisodeOptions() EpisodeOptions {
	return EpisodeOptions{Rejoin: time.Hour, Aftermath: 6 * time.Hour}
}

// Episodes turns the dispatcher's notifications into conversations: per
// watch, the first notification of trouble opens an episode with one
// message, and later notifications become updates of it only when they say
// something new (another alert, the incident that explains it, a higher
// severity, the end of it all). Repeats and partial ends are dropped.
// Every message carries the episode's ID, its sequence number per receiver
// and Update. It is safe for concurrent use.
type Episodes struct {
	opts EpisodeOptions

	mu sync.Mutex
	// latest is each watch's latest episode.
	latest map[string]*episode
}

type episode struct {
	ep     earshot.Episode
	alerts map[string]earshot.Alert
	// told holds, per receiver, each alert's fingerprint as last sent.
	told map[string]map[string]string
	seq  map[string]int
	// loudest is, per receiver, the highest severity it was told.
	loudest map[string]int
	// quiet is set while the episode is reopened by alerts not worth a
	// message (see apply); its end is then no news either.
	quiet bool
	// endTold is set once a message said the episode is over (until it
	// fires again).
	endTold bool
}

// NewEpisodes returns an empty tracker; zero options take their defaults.
func NewEpisodes(opts EpisodeOptions) *Episodes {
	def := DefaultEpisodeOptions()
	if opts.Rejoin <= 0 {
		opts.Rejoin = def.Rejoin
	}
	if opts.Aftermath <= 0 {
		opts.Aftermath = def.Aftermath
	}
	return &Episodes{opts: opts, latest: map[string]*episode{}}
}

// part is what notifications due at one time tell one receiver about one
// watch.
type part struct {
	at       time.Time
	receiver string
	watch    string
	groupKey string
	labels   map[string]string
	alerts   []earshot.Alert
}

// Apply takes notifications in time order (as Flush returns them) and
// returns the messages to send, in the same order, and the episodes they
// opened or changed (to be saved).
func (e *Episodes) Apply(notes []earshot.Notification) ([]earshot.Notification, []earshot.Episode) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var (
		parts   []*part
		index   = map[string]*part{}
		out     []earshot.Notification
		changed = map[string]earshot.Episode{}
		order   []string
	)
	for _, n := range notes {
		for _, a := range n.Alerts {
			w := watchOf(a)
			k := n.At.String() + "\x00" + n.Receiver + "\x00" + w
			p := index[k]
			if p == nil {
				p = &part{at: n.At, receiver: n.Receiver, watch: w, groupKey: n.GroupKey, labels: n.Labels}
				index[k] = p
				parts = append(parts, p)
			}
			p.alerts = append(p.alerts, a)
		}
	}
	for _, p := range parts {
		st, msg, ok := e.apply(p)
		if st == nil {
			continue
		}
		if _, seen := changed[st.ep.ID]; !seen {
			order = append(order, st.ep.ID)
		}
		changed[st.ep.ID] = st.ep
		if ok {
			out = append(out, msg)
		}
	}
	eps := make([]earshot.Episode, 0, len(order))
	for _, id := range order {
		eps = append(eps, changed[id])
	}
	return out, eps
}

func watchOf(a earshot.Alert) string {
	if a.Watch != "" {
		return a.Watch
	}
	return a.Labels["watch"]
}

// joins reports whether p belongs to the episode st.
func (e *Episodes) joins(st *episode, p *part) bool {
	if st == nil {
		return false
	}
	resolved := st.ep.ResolvedAt
	if resolved.IsZero() {
		// No message said it is over; its alerts may all have ended
		// without one (SpikeClosed).
		for _, a := range st.alerts {
			if !notify.Resolved(a, p.at) {
				return true
			}
			if a.EndsAt.After(resolved) {
				resolved = a.EndsAt
			}
		}
		if resolved.IsZero() {
			return true
		}
	} else if resolved.After(p.at) {
		return true
	}
	since := p.at.Sub(resolved)
	if since <= e.opts.Rejoin {
		return true
	}
	if st.ep.IncidentID == "" || since > e.opts.Aftermath {
		return false
	}
	for _, a := range p.alerts {
		if a.IncidentID == st.ep.IncidentID && !notify.Resolved(a, p.at) {
			return true
		}
	}
	return false
}

// apply folds p into its watch's episode and returns the message to send,
// if p says something new.
func (e *Episodes) apply(p *part) (*episode, earshot.Notification, bool) {
	st := e.episodeFor(p)
	if st == nil {
		// The end of something nobody heard of here.
		return nil, earshot.Notification{}, false
	}
	// Reopening: firing alerts join an episode that was over.
	reopening := st.ep.Messages > 0 && !st.ep.Open(p.at) && anyFiring(slices.Values(p.alerts), p.at)
	sevBefore, incBefore := st.ep.Severity, st.ep.IncidentID
	for _, a := range p.alerts {
		st.take(a, p.at)
	}
	over := st.settleEnd(p.at)
	told := st.toldTo(p.receiver)
	news := st.news(p, told, over)
	if over {
		st.quiet = false
	}
	st.ep.UpdatedAt = p.at
	if news && reopening && severityRank(st.ep.Severity) <= severityRank(sevBefore) && st.ep.IncidentID == incBefore {
		// The tail of trouble already told and over (a few more upset
		// posts, the aftermath of its incident): kept in the episode, not
		// worth waking anyone. Its end is no news either.
		st.quiet = true
		news = false
	}
	if !news {
		if st.quiet {
			for id, a := range st.alerts {
				told[id] = fingerprint(a, notify.Resolved(a, p.at))
			}
		}
		return st, earshot.Notification{}, false
	}
	st.quiet = false
	st.endTold = over
	return st, st.message(p, told), true
}

// episodeFor returns the episode p belongs to: its watch's latest when p
// joins it, else a new one when p has something firing; nil when p only
// ends what no episode holds.
func (e *Episodes) episodeFor(p *part) *episode {
	st := e.latest[p.watch]
	if e.joins(st, p) {
		return st
	}
	if !anyFiring(slices.Values(p.alerts), p.at) {
		return nil
	}
	st = &episode{
		ep: earshot.Episode{ID: EpisodeID(p.watch, p.at), Watch: p.watch, OpenedAt: p.at,
			AlertIDs: []string{}},
		alerts: map[string]earshot.Alert{}, told: map[string]map[string]string{}, seq: map[string]int{},
		loudest: map[string]int{},
	}
	e.latest[p.watch] = st
	return st
}

// take folds one alert into the episode at t: its alerts, metrics,
// incident and severity.
func (st *episode) take(a earshot.Alert, t time.Time) {
	resolved := notify.Resolved(a, t)
	if _, known := st.alerts[a.ID]; !known {
		if resolved {
			return
		}
		st.ep.AlertIDs = append(st.ep.AlertIDs, a.ID)
	}
	st.alerts[a.ID] = a
	if resolved && a.SpikeID != "" {
		// The spike is over, and so are its other alerts (an
		// unreported incident muted once the spike was linked, say),
		// whether or not routing says so.
		for id, o := range st.alerts {
			if o.SpikeID == a.SpikeID && !notify.Resolved(o, t) {
				o.EndsAt = a.EndsAt
				if o.EndsAt.IsZero() {
					o.EndsAt = t
				}
				st.alerts[id] = o
			}
		}
	}
	if a.Metric != "" && !containsMetric(st.ep.Metrics, a.Metric) && !resolved {
		st.ep.Metrics = append(st.ep.Metrics, a.Metric)
	}
	if a.IncidentID != "" && !resolved {
		st.ep.IncidentID = a.IncidentID
	}
	if severityRank(a.Severity) > severityRank(st.ep.Severity) {
		st.ep.Severity = a.Severity
	}
}

// settleEnd marks the episode resolved at t when none of its alerts fires
// any more, or open again when one does; it reports whether it is over.
func (st *episode) settleEnd(t time.Time) bool {
	over := !anyFiring(maps.Values(st.alerts), t)
	switch {
	case over && st.ep.ResolvedAt.IsZero():
		st.ep.ResolvedAt = t
	case !over:
		st.ep.ResolvedAt = time.Time{}
		st.endTold = false
	}
	return over
}

// toldTo returns what receiver was told of each alert, by ID.
func (st *episode) toldTo(receiver string) map[string]string {
	told := st.told[receiver]
	if told == nil {
		told = map[string]string{}
		st.told[receiver] = told
	}
	return told
}

// news reports whether the episode, as p leaves it, has something to tell
// p's receiver, which was told told: an alert it never heard of firing,
// one come back, a new incident or a higher severity, or the end of it
// all.
func (st *episode) news(p *part, told map[string]string, over bool) bool {
	news := false
	for id, a := range st.alerts {
		resolved := notify.Resolved(a, p.at)
		prev, heard := told[id]
		switch {
		case !heard:
			// A new alert is news unless the receiver was already told
			// the incident that explains it, at this severity or
			// higher: another metric of an outage already linked adds
			// nothing comms must act on (it is in the next message).
			news = news || !resolved && (a.IncidentID == "" || !toldIncident(told, a.IncidentID) ||
				severityRank(a.Severity) > st.loudest[p.receiver])
		case resolved:
			// One alert's end is news only with the episode's.
		case strings.HasPrefix(prev, resolvedFP):
			news = true // it came back
		default:
			// The incident that explains it changed, or it is more severe
			// than anything told so far (a severity going down and up
			// again is no news).
			_, pinc, _ := splitFP(prev)
			if a.IncidentID != pinc || severityRank(a.Severity) > st.loudest[p.receiver] {
				news = true
			}
		}
	}
	return news || (over && !st.endTold && st.ep.Messages > 0 && !st.quiet)
}

// message records that p's receiver is told the episode's alerts, and
// returns the message telling it.
func (st *episode) message(p *part, told map[string]string) earshot.Notification {
	answered := false
	for _, a := range st.alerts {
		if a.IncidentID != "" && !notify.Resolved(a, p.at) {
			answered = true
		}
	}
	show := make([]earshot.Alert, 0, len(st.alerts))
	for id, a := range st.alerts {
		resolved := notify.Resolved(a, p.at)
		told[id] = fingerprint(a, resolved)
		if r := severityRank(a.Severity); !resolved && r > st.loudest[p.receiver] {
			st.loudest[p.receiver] = r
		}
		if answered && a.Kind == earshot.AlertUnreported && !resolved {
			// An incident now explains the trouble: the possible
			// unreported incident is answered.
			continue
		}
		show = append(show, a)
	}
	sortForEpisode(show, p.at)
	if st.ep.Messages == 0 {
		st.ep.Kind = show[0].Kind
	}
	st.seq[p.receiver]++
	st.ep.Messages++
	st.ep.Summary = show[0].Summary
	labels := map[string]string{}
	for k, v := range p.labels {
		labels[k] = v
	}
	if p.watch != "" {
		labels["watch"] = p.watch
	}
	return earshot.Notification{Receiver: p.receiver, GroupKey: p.groupKey, Labels: labels, Alerts: show, At: p.at,
		Episode: st.ep.ID, Seq: st.seq[p.receiver], Update: st.seq[p.receiver] > 1}
}

// sortForEpisode orders a message's alerts: firing first, then the most
// severe, those with an incident, unreported incidents, the oldest.
func sortForEpisode(show []earshot.Alert, at time.Time) {
	sort.SliceStable(show, func(i, j int) bool {
		ri, rj := notify.Resolved(show[i], at), notify.Resolved(show[j], at)
		if ri != rj {
			return !ri
		}
		if si, sj := severityRank(show[i].Severity), severityRank(show[j].Severity); si != sj {
			return si > sj
		}
		if (show[i].IncidentID != "") != (show[j].IncidentID != "") {
			return show[i].IncidentID != ""
		}
		if ui, uj := show[i].Kind == earshot.AlertUnreported, show[j].Kind == earshot.AlertUnreported; ui != uj {
			return ui
		}
		if !show[i].StartsAt.Equal(show[j].StartsAt) {
			return show[i].StartsAt.Before(show[j].StartsAt)
		}
		return show[i].ID < show[j].ID
	})
}

// anyFiring reports whether one of alerts is not resolved at t.
func anyFiring(alerts iter.Seq[earshot.Alert], t time.Time) bool {
	for a := range alerts {
		if !notify.Resolved(a, t) {
			return true
		}
	}
	return false
}

// SpikeClosed tells the episodes that the spike with spikeID ended at
// end, whether or not routing tells them (an alert muted while it fired
// is resolved without a notification). The alerts of that spike end then;
// an episode left with nothing firing is over (without a message: nobody
// heard the rest) and returned, to be saved.
func (e *Episodes) SpikeClosed(spikeID string, end time.Time) []earshot.Episode {
	if spikeID == "" {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []earshot.Episode
	for _, st := range e.latest {
		touched := false
		for id, a := range st.alerts {
			if a.SpikeID == spikeID && (a.EndsAt.IsZero() || a.EndsAt.After(end)) {
				a.EndsAt = end
				st.alerts[id] = a
				touched = true
			}
		}
		if !touched || !st.ep.ResolvedAt.IsZero() {
			continue
		}
		if len(st.alerts) > 0 && !anyFiring(maps.Values(st.alerts), end) {
			// Saved as over; in memory, the end is the message saying so,
			// which comes with the dispatcher's resolve notification if
			// there is one (joins falls back on the alerts' end if not).
			ep := st.ep
			ep.ResolvedAt = end
			out = append(out, ep)
		}
	}
	return out
}

// EpisodeID is the ID of the episode a watch opens at t.
func EpisodeID(watch string, t time.Time) string {
	w := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, watch)
	if w == "" {
		w = "all"
	}
	return "ep-" + w + "-" + t.UTC().Format("20060102T150405Z")
}

// splitFP reverses fingerprint for a firing alert.
func splitFP(fp string) (state, incident, severity string) {
	parts := strings.SplitN(fp, "\x00", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	return parts[0], parts[2], parts[1]
}

// toldIncident reports whether told (what a receiver was told of each
// alert) names incident id.
func toldIncident(told map[string]string, id string) bool {
	for _, fp := range told {
		if _, inc, _ := splitFP(fp); inc == id {
			return true
		}
	}
	return false
}

func containsMetric(ms []earshot.Metric, m earshot.Metric) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

func severityRank(s string) int {
	switch s {
	case "critical":
		return 3
	case "warning":
		return 2
	case "info":
		return 1
	}
	return 0
}
