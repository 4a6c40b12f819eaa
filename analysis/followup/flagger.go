package followup

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/earshot/earshot"
)

// Store is what the Flagger reads and writes: posts, incidents and the
// follow-up queue. Any earshot.Store that is also an earshot.PostLister
// will do.
type Store interface {
	earshot.PostLister
	// Post returns one post, or ErrNotFound (its author may have been
	// erased).
	Post(ctx context.Context, id string) (earshot.Post, error)
	Incident(ctx context.Context, id string) (earshot.Incident, error)
	Incidents(ctx context.Context, from, to time.Time) ([]earshot.Incident, error)
	FollowUp(ctx context.Context, id string) (earshot.FollowUp, error)
	FollowUps(ctx context.Context, states ...earshot.FollowUpState) ([]earshot.FollowUp, error)
	SaveFollowUp(ctx context.Context, f earshot.FollowUp) error
}

// Actor is the author of the notes the Flagger adds to follow-ups.
const Actor = "earshot"

// maxPage is the most posts PostLister.Posts returns at once.
const maxPage = 10_000

// Options are a Flagger's collaborators. The zero value is usable.
type Options struct {
	// Log receives failures of Run's steps; nothing is logged when nil.
	Log *slog.Logger
	// Now is Run's clock; time.Now when nil.
	Now func() time.Time
}

// Stats counts what one Step (or a Replay) did.
type Stats struct {
	// Read counts the posts read; Negative the customers' negative posts
	// among them not seen by an earlier step.
	Read     int `json:"read"`
	Negative int `json:"negative"`
	// Opened counts new follow-ups, Updated follow-ups in progress that got
	// new posts, a higher priority or an incident.
	Opened  int `json:"opened"`
	Updated int `json:"updated"`
	// Held counts customers with new negative posts held out of the queue
	// (marked, or likely media or bots; see Flagger.Held).
	Held int `json:"held"`
}

func (s *Stats) add(o Stats) {
	s.Read += o.Read
	s.Negative += o.Negative
	s.Opened += o.Opened
	s.Updated += o.Updated
	s.Held += o.Held
}

// customer is one author on one source.
type customer struct{ source, author string }

// Flagger flags dissatisfied customers into follow-ups (see the package
// documentation for the rules). Its methods are safe for concurrent use;
// steps run one at a time.
type Flagger struct {
	store    Store
	cfg      Config
	log      *slog.Logger
	now      func() time.Time
	pageSize int

	mu   sync.Mutex
	last time.Time // the end of the last step's read; zero before the first
	// recent holds each customer's negative posts created in the last
	// Window, by ID.
	recent map[customer]map[string]earshot.Post
	// activity holds what the media and bot signals need of every post
	// of the last Window, by author and ID.
	activity map[customer]map[string]seen
	held     map[customer]Held
}

// New returns a Flagger over store, or an error when cfg is not valid.
func New(store Store, cfg Config, opts Options) (*Flagger, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Flagger{store: store, cfg: cfg, log: opts.Log, now: opts.Now, pageSize: maxPage, recent: map[customer]map[string]earshot.Post{},
		activity: map[customer]map[string]seen{}, held: map[customer]Held{}}, nil
}

// Run steps every Config.Interval on the Options' clock until ctx ends,
// logging failed steps (the next step reads their posts again).
func (f *Flagger) Run(ctx context.Context) {
	t := time.NewTicker(f.cfg.Interval)
	defer t.Stop()
	for {
		if st, err := f.Step(ctx, f.now()); err != nil {
			if ctx.Err() == nil {
				f.log.Warn("flagging follow-ups", "err", err)
			}
		} else if st.Opened+st.Updated > 0 {
			f.log.Info("flagged follow-ups", "opened", st.Opened, "updated", st.Updated)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Replay forgets what earlier steps read and steps through [from, to) on
// the data's clock: at from+every, from+2*every, ... and at to, each step
// reading the posts since the one before. Follow-ups are flagged, and are
// due, as they would have been live.
func (f *Flagger) Replay(ctx context.Context, from, to time.Time, every time.Duration) (Stats, error) {
	if every <= 0 {
		return Stats{}, errors.New("replaying follow-ups: the step must be positive")
	}
	f.mu.Lock()
	f.last, f.recent = from.UTC(), map[customer]map[string]earshot.Post{}
	f.activity, f.held = map[customer]map[string]seen{}, map[customer]Held{}
	f.mu.Unlock()
	var total Stats
	for t := from.Add(every); ; t = t.Add(every) {
		t = minTime(t, to)
		st, err := f.Step(ctx, t)
		total.add(st)
		if err != nil {
			return total, err
		}
		if !t.Before(to) {
			return total, nil
		}
	}
}

// Step reads the posts created since the last step (the first step reads
// the last Window) up to now, and opens or updates follow-ups. A failed
// step leaves the position alone, so the next one reads its posts again.
func (f *Flagger) Step(ctx context.Context, now time.Time) (Stats, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now = now.UTC()
	from := now.Add(-f.cfg.Window)
	if !f.last.IsZero() {
		from = maxTime(from, f.last.Add(-f.cfg.Overlap))
	}
	var st Stats
	if !from.Before(now) {
		return st, nil
	}
	posts, err := f.read(ctx, from, now)
	if err != nil {
		return st, err
	}
	st.Read = len(posts)
	touched := map[customer]bool{}
	for _, p := range posts {
		f.note(p)
		if !complaint(p) {
			continue
		}
		c := customer{p.Source, p.Author.ID}
		byID := f.recent[c]
		if byID == nil {
			byID = map[string]earshot.Post{}
			f.recent[c] = byID
		}
		old, seen := byID[p.ID]
		byID[p.ID] = p
		if !seen {
			st.Negative++
			touched[c] = true
		} else if old.IncidentID != p.IncidentID || old.Sentiment.Score != p.Sentiment.Score {
			touched[c] = true
		}
	}
	f.prune(now.Add(-f.cfg.Window))
	if len(touched) > 0 {
		if err := f.flag(ctx, now, touched, &st); err != nil {
			return st, err
		}
	}
	f.last = now
	return st, nil
}

// complaint reports whether p is a customer's negative post.
func complaint(p earshot.Post) bool {
	return !p.FromBrand && p.Author.ID != "" && p.Sentiment.Label == earshot.Negative
}

// read returns the posts created in [from, to), paging back from to.
func (f *Flagger) read(ctx context.Context, from, to time.Time) ([]earshot.Post, error) {
	var out []earshot.Post
	seen := map[string]bool{}
	for {
		page, err := f.store.Posts(ctx, earshot.PostQuery{From: from, To: to, Limit: f.pageSize})
		if err != nil {
			return nil, fmt.Errorf("reading posts: %w", err)
		}
		for _, p := range page {
			if !seen[p.ID] {
				seen[p.ID] = true
				out = append(out, p)
			}
		}
		if len(page) < f.pageSize {
			return out, nil
		}
		// Page on before the oldest post's second: posts sharing it are
		// read again and skipped, whatever the store's time precision.
		next := page[len(page)-1].CreatedAt.Truncate(time.Second).Add(time.Second)
		if !next.Before(to) {
			return nil, fmt.Errorf("reading posts: more than %d posts within one second at %s", f.pageSize, next.Add(-time.Second).Format(time.RFC3339))
		}
		to = next
	}
}

// prune forgets the posts created before cutoff.
func (f *Flagger) prune(cutoff time.Time) {
	for c, byID := range f.recent {
		maps.DeleteFunc(byID, func(_ string, p earshot.Post) bool { return p.CreatedAt.Before(cutoff) })
		if len(byID) == 0 {
			delete(f.recent, c)
		}
	}
	for c, byID := range f.activity {
		maps.DeleteFunc(byID, func(_ string, s seen) bool { return s.at.Before(cutoff) })
		if len(byID) == 0 {
			delete(f.activity, c)
		}
	}
}

// queue is what the store's follow-ups say about each customer.
type queue struct {
	active map[customer]earshot.FollowUp // the one in progress
	closed map[customer]time.Time        // when the last final one closed
	done   map[string]bool               // posts of closed follow-ups
}

func (f *Flagger) loadQueue(ctx context.Context) (queue, error) {
	all, err := f.store.FollowUps(ctx)
	if err != nil {
		return queue{}, fmt.Errorf("loading follow-ups: %w", err)
	}
	q := queue{active: map[customer]earshot.FollowUp{}, closed: map[customer]time.Time{}, done: map[string]bool{}}
	for _, fu := range all {
		c := customer{fu.Source, fu.Author.ID}
		if fu.State.Final() {
			if fu.UpdatedAt.After(q.closed[c]) {
				q.closed[c] = fu.UpdatedAt
			}
			for _, id := range fu.PostIDs {
				q.done[id] = true
			}
			continue
		}
		if cur, ok := q.active[c]; !ok || fu.CreatedAt.Before(cur.CreatedAt) {
			q.active[c] = fu
		}
	}
	return q, nil
}

// flag opens or updates the follow-ups of the touched customers.
func (f *Flagger) flag(ctx context.Context, now time.Time, touched map[customer]bool, st *Stats) error {
	q, err := f.loadQueue(ctx)
	if err != nil {
		return err
	}
	dir, err := f.loadDirectory(ctx)
	if err != nil {
		return err
	}
	inc := &incidents{store: f.store, byID: map[string]earshot.Incident{}}
	if inc.open, err = f.store.Incidents(ctx, now.Add(-f.cfg.Window-f.cfg.Overlap), now); err != nil {
		return fmt.Errorf("loading incidents: %w", err)
	}
	for _, i := range inc.open {
		inc.byID[i.ID] = i
	}
	keys := slices.SortedFunc(maps.Keys(touched), func(a, b customer) int {
		return cmp.Or(strings.Compare(a.source, b.source), strings.Compare(a.author, b.author))
	})
	for _, c := range keys {
		var fresh []earshot.Post // negative posts not yet handled by a closed follow-up
		for _, p := range f.recent[c] {
			if !q.done[p.ID] && p.CreatedAt.After(q.closed[c]) {
				fresh = append(fresh, p)
			}
		}
		if len(fresh) == 0 {
			continue
		}
		who := whoOf(fresh)
		acc, known := dir.lookup(c.source, who)
		var cust earshot.Customer
		switch {
		case known && acc.Kind != earshot.AccountCustomer:
			f.hold(c, who, acc.Kind, true, []string{"imported as " + string(acc.Kind)}, len(fresh))
			st.Held++
			continue
		case known:
			cust = acc.CustomerOf()
		case f.cfg.HoldLikely == HoldLikelyHold:
			if kind, signals := f.likely(c, who); kind != "" {
				f.hold(c, who, kind, false, signals, len(fresh))
				st.Held++
				continue
			}
		}
		delete(f.held, c)
		if cur, ok := q.active[c]; ok {
			changed, err := f.update(ctx, now, cur, fresh, inc, cust)
			if err != nil {
				return err
			}
			if changed {
				st.Updated++
			}
			continue
		}
		fu, ok, err := f.open(ctx, now, c, fresh, inc, cust)
		if err != nil {
			return err
		}
		if ok {
			if err := f.store.SaveFollowUp(ctx, fu); err != nil {
				return fmt.Errorf("saving follow-up: %w", err)
			}
			st.Opened++
		}
	}
	return nil
}

// open returns a new follow-up for c when its posts call for one.
func (f *Flagger) open(ctx context.Context, now time.Time, c customer, posts []earshot.Post, inc *incidents, cust earshot.Customer) (earshot.FollowUp, bool, error) {
	sortPosts(posts)
	sig, err := f.assess(ctx, posts, inc, cust)
	if err != nil || !sig.flagged(f.cfg) {
		return earshot.FollowUp{}, false, err
	}
	p := sig.priority(f.cfg)
	fu := earshot.FollowUp{
		ID:         followUpID(c, posts[0].ID),
		Source:     c.source,
		Author:     author(posts, sig.reach),
		Customer:   cust,
		PostIDs:    ids(posts),
		Reason:     sig.reason(f.cfg),
		Priority:   p,
		State:      earshot.FollowUpOpen,
		IncidentID: sig.incident.ID,
		Due:        now.Add(f.cfg.Due.For(p)),
		CreatedAt:  now,
		UpdatedAt:  now,
	}
	return fu, true, nil
}

// update adds posts to the follow-up in progress cur, raising its
// priority when they call for it, and reports whether it changed. It
// works on a fresh copy, so that a move support made meanwhile is kept.
func (f *Flagger) update(ctx context.Context, now time.Time, cur earshot.FollowUp, posts []earshot.Post, inc *incidents, cust earshot.Customer) (bool, error) {
	cur, err := f.store.FollowUp(ctx, cur.ID)
	if err != nil {
		return false, fmt.Errorf("reading follow-up: %w", err)
	}
	if cur.State.Final() {
		return false, nil // closed meanwhile: what it held is handled
	}
	have := map[string]earshot.Post{}
	for _, p := range posts {
		have[p.ID] = p
	}
	var added []string
	for _, p := range posts {
		if !slices.Contains(cur.PostIDs, p.ID) {
			added = append(added, p.ID)
		}
	}
	all := make([]earshot.Post, 0, len(cur.PostIDs)+len(added))
	for _, id := range cur.PostIDs {
		p, ok := have[id]
		if !ok {
			if p, err = f.store.Post(ctx, id); errors.Is(err, earshot.ErrNotFound) {
				continue // erased since
			} else if err != nil {
				return false, fmt.Errorf("reading post of follow-up %s: %w", cur.ID, err)
			}
		}
		all = append(all, p)
	}
	for _, id := range added {
		all = append(all, have[id])
	}
	if len(all) == 0 {
		return false, nil
	}
	sortPosts(all)
	sig, err := f.assess(ctx, all, inc, cust)
	if err != nil {
		return false, err
	}
	next := cur
	next.PostIDs = ids(all)
	// Keep posts that could not be read: they are still why it was flagged.
	for _, id := range cur.PostIDs {
		if !slices.Contains(next.PostIDs, id) {
			next.PostIDs = append(next.PostIDs, id)
		}
	}
	next.Author = author(all, max(sig.reach, cur.Author.Followers))
	next.Reason = sig.reason(f.cfg)
	if !cust.IsZero() {
		next.Customer = cust
	}
	if sig.incident.ID != "" {
		next.IncidentID = sig.incident.ID // the latest incident the customer complained in
	}
	var what []string
	if n := len(added); n == 1 {
		what = append(what, "1 more negative post")
	} else if n > 1 {
		what = append(what, fmt.Sprintf("%d more negative posts", n))
	}
	if p := sig.priority(f.cfg); p < cur.Priority || cur.Priority < 1 {
		next.Priority = p
		next.Due = minTime(cur.Due, now.Add(f.cfg.Due.For(p)))
		if cur.Due.IsZero() {
			next.Due = now.Add(f.cfg.Due.For(p))
		}
		what = append(what, fmt.Sprintf("priority P%d → P%d", cur.Priority, p))
	}
	if next.IncidentID != cur.IncidentID {
		what = append(what, "during incident "+quote(sig.incident.Title, next.IncidentID))
	}
	if len(what) == 0 && next.Reason == cur.Reason && next.Customer == cur.Customer {
		return false, nil
	}
	next.UpdatedAt = now
	if len(what) > 0 {
		next.Notes = append(slices.Clone(cur.Notes), earshot.Note{At: now, Author: Actor, Text: strings.Join(what, "; ")})
	}
	if err := f.store.SaveFollowUp(ctx, next); err != nil {
		return false, fmt.Errorf("saving follow-up: %w", err)
	}
	return true, nil
}

// incidents looks incidents up for a step: those open in its window, and
// any other a post is linked to.
type incidents struct {
	store Store
	open  []earshot.Incident
	byID  map[string]earshot.Incident
}

func (in *incidents) linked(ctx context.Context, id string) (earshot.Incident, error) {
	if i, ok := in.byID[id]; ok {
		return i, nil
	}
	i, err := in.store.Incident(ctx, id)
	if errors.Is(err, earshot.ErrNotFound) {
		i, err = earshot.Incident{ID: id}, nil // linked, but gone: keep the ID
	}
	if err != nil {
		return i, fmt.Errorf("reading incident %s: %w", id, err)
	}
	in.byID[id] = i
	return i, nil
}

// activeAt returns the incident open at t that started last, if any.
func (in *incidents) activeAt(t time.Time) (earshot.Incident, bool) {
	var best earshot.Incident
	found := false
	for _, i := range in.open {
		if i.ActiveAt(t) && (!found || i.StartedAt.After(best.StartedAt)) {
			best, found = i, true
		}
	}
	return best, found
}

// signals are what a customer's negative posts say.
type signals struct {
	n           int
	first, last time.Time
	worst       float64
	repeat      int // most posts within one Window
	reach       int64
	incident    earshot.Incident
	customer    earshot.Customer
	tier        int // points the customer's tier adds
}

// assess reads the signals of posts, sorted by creation time.
func (f *Flagger) assess(ctx context.Context, posts []earshot.Post, inc *incidents, cust earshot.Customer) (signals, error) {
	s := signals{n: len(posts), first: posts[0].CreatedAt, last: posts[len(posts)-1].CreatedAt, worst: 1,
		customer: cust, tier: f.tierPoints(cust)}
	lo := 0
	for hi, p := range posts {
		s.worst = min(s.worst, p.Sentiment.Score)
		s.reach = max(s.reach, p.Author.Followers)
		for posts[hi].CreatedAt.Sub(posts[lo].CreatedAt) >= f.cfg.Window {
			lo++
		}
		s.repeat = max(s.repeat, hi-lo+1)
	}
	// A linked incident wins over one that was merely open; the latest
	// post's wins over earlier ones.
	for _, p := range slices.Backward(posts) {
		if p.IncidentID != "" {
			i, err := inc.linked(ctx, p.IncidentID)
			if err != nil {
				return s, err
			}
			s.incident = i
			return s, nil
		}
	}
	for _, p := range slices.Backward(posts) {
		if i, ok := inc.activeAt(p.CreatedAt); ok {
			s.incident = i
			break
		}
	}
	return s, nil
}

func (s signals) strong(cfg Config) bool   { return s.worst <= cfg.StrongScore }
func (s signals) repeated(cfg Config) bool { return s.repeat >= cfg.RepeatCount }
func (s signals) loud(cfg Config) bool     { return s.reach >= cfg.HighReach }

// flagged reports whether the signals call for a follow-up: repeated
// complaints, or a strongly negative post with the context OnePost asks
// for.
func (s signals) flagged(cfg Config) bool {
	if s.repeated(cfg) {
		return true
	}
	if !s.strong(cfg) {
		return false
	}
	switch cfg.OnePost {
	case OnePostAlways:
		return true
	case OnePostContext:
		return s.loud(cfg) || s.tier > 0 || s.incident.ID != ""
	}
	return s.loud(cfg) || s.tier > 0

}

// priority is 5 less one point per signal (strong, repeated, reach,
// incident) and the tier's points.
func (s signals) priority(cfg Config) int {
	points := s.tier
	for _, on := range []bool{s.strong(cfg), s.repeated(cfg), s.loud(cfg), s.incident.ID != ""} {
		if on {
			points++
		}
	}
	return min(4, max(1, 5-points))
}

// reason says why, in plain words.
func (s signals) reason(cfg Config) string {
	var b strings.Builder
	switch {
	case s.n == 1 && s.strong(cfg):
		fmt.Fprintf(&b, "a strongly negative post (%+.2f)", s.worst)
	case s.n == 1:
		b.WriteString("a negative post")
	default:
		fmt.Fprintf(&b, "%d negative posts in %s", s.n, span(s.last.Sub(s.first)))
	}
	if s.incident.ID != "" {
		b.WriteString(" during incident " + quote(s.incident.Title, s.incident.ID))
	}
	if s.n > 1 && s.strong(cfg) {
		fmt.Fprintf(&b, "; strongly negative, down to %+.2f", s.worst)
	}
	if s.loud(cfg) {
		b.WriteString("; " + humanCount(s.reach) + " followers")
	}
	if c := s.customer; !c.IsZero() {
		b.WriteString("; customer")
		if c.Name != "" {
			b.WriteString(" " + c.Name)
		}
		if c.Tier != "" {
			b.WriteString(" (" + c.Tier + ")")
		}
	}
	return b.String()
}

func quote(title, id string) string {
	if title == "" {
		return id
	}
	return "'" + title + "'"
}

// span says a duration the way people do: minutes, hours, then days.
func span(d time.Duration) string {
	plural := func(n int64, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case d < time.Hour:
		return plural(max(1, int64(d.Round(time.Minute)/time.Minute)), "minute")
	case d < 48*time.Hour:
		return plural(int64(d.Round(time.Hour)/time.Hour), "hour")
	}
	return plural(int64(d.Round(24*time.Hour)/(24*time.Hour)), "day")
}

func humanCount(n int64) string {
	switch {
	case n >= 1_000_000:
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	case n >= 10_000:
		return fmt.Sprintf("%.0fk", float64(n)/1e3)
	case n >= 1_000:
		return fmt.Sprintf("%.1fk", float64(n)/1e3)
	}
	return fmt.Sprint(n)
}

// followUpID is stable for one customer's follow-up: it hashes the source,
// the author and the follow-up's first post.
func followUpID(c customer, firstPost string) string {
	h := sha256.Sum256([]byte(c.source + "\x00" + c.author + "\x00" + firstPost))
	return "fu-" + hex.EncodeToString(h[:8])
}

// whoOf is the author of the latest of posts, with the largest reach
// seen.
func whoOf(posts []earshot.Post) earshot.Author {
	latest := slices.MaxFunc(posts, func(a, b earshot.Post) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
	})
	a := latest.Author
	for _, p := range posts {
		a.Followers = max(a.Followers, p.Author.Followers)
	}
	return a
}

// author is the latest post's author, with the largest reach seen.
func author(posts []earshot.Post, reach int64) earshot.Author {
	a := posts[len(posts)-1].Author
	a.Followers = max(a.Followers, reach)
	return a
}

func ids(posts []earshot.Post) []string {
	out := make([]string, len(posts))
	for i, p := range posts {
		out[i] = p.ID
	}
	return out
}

func sortPosts(posts []earshot.Post) {
	slices.SortFunc(posts, func(a, b earshot.Post) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
	})
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
