package publish

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/earshot/earshot"
)

// Errors callers tell apart (with errors.Is): a request that is wrong
// (answered 400), and a person who may not do it (403).
var (
	ErrInvalid   = errors.New("invalid request")
	ErrForbidden = errors.New("not allowed")
)

// Publication states.
const (
	StatePending   = "pending"
	StatePublished = "published"
	StateFailed    = "failed"
)

// Store is what a Service reads and writes.
type Store interface {
	earshot.PublicationStore
	earshot.IncidentStore
	earshot.PostStore
}

// Options configures a Service.
type Options struct {
	// Channels are the places to publish to (see Open).
	Channels []Channel
	// Watches are the configured watches: a draft reads the complaints of
	// the watches an incident affects.
	Watches []earshot.Watch
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Log receives a line per publication sent or failed (never its
	// credentials); nothing when nil.
	Log *slog.Logger
}

// Service drafts, previews, publishes and approves updates.
type Service struct {
	store    Store
	channels []Channel
	drafts   *drafter
	approval bool
	eta      string
	watches  []earshot.Watch
	now      func() time.Time
	log      *slog.Logger
	// mu makes sending an incident's publications one at a time, so a
	// thread's parent is always the latest post, and a publication is
	// approved once.
	mu  sync.Mutex
	seq atomic.Int64
}

// New returns a Service over st with cfg's templates and approval.
func New(st Store, cfg Config, opts Options) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	d, err := newDrafter(cfg)
	if err != nil {
		return nil, err
	}
	s := &Service{store: st, channels: opts.Channels, drafts: d, approval: cfg.Approval == ApprovalSecondPerson,
		eta: d.eta, watches: opts.Watches, now: opts.Now, log: opts.Log}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s, nil
}

// ChannelInfo describes a configured channel.
type ChannelInfo struct {
	Name  string `json:"name"`
	Limit int    `json:"limit"`
	Unit  Unit   `json:"unit"`
	// Kind is the kind of draft that suits it: statuspage or social.
	Kind string `json:"kind"`
}

// Channels lists the configured channels in ChannelOrder.
func (s *Service) Channels() []ChannelInfo {
	out := make([]ChannelInfo, 0, len(s.channels))
	for _, c := range s.channels {
		max, unit := c.Limit()
		out = append(out, ChannelInfo{Name: c.Name(), Limit: max, Unit: unit, Kind: kindOf(c.Name())})
	}
	return out
}

// RequiresApproval reports whether publications wait for a second person.
func (s *Service) RequiresApproval() bool { return s.approval }

func kindOf(channel string) string {
	switch channel {
	case "statuspage", "slack":
		return "statuspage"
	}
	return "social"
}

// fillIns are the places the default templates leave to fill besides
// the ETA: publishing refuses a text still holding one.
var fillIns = []string{"[CAUSE]", "[ACTIONS]", "[LINK]"}

// socialLimits are the limits a social draft is fitted to when no social
// channel is configured: X's, Bluesky's and Mastodon's.
var socialLimits = []struct {
	max  int
	unit Unit
}{{280, Weighted}, {300, Graphemes}, {500, Graphemes}}

// Draft writes the kind (statuspage or social) of update for phase of the
// incident with id, fitted to the limits of the channels of that kind.
func (s *Service) Draft(ctx context.Context, incidentID, phase, kind string) (string, error) {
	if !slices.Contains(Phases, phase) {
		return "", fmt.Errorf("%w: phase %q is not one of %s", ErrInvalid, phase, strings.Join(Phases, ", "))
	}
	if !slices.Contains(DraftKinds, kind) {
		return "", fmt.Errorf("%w: channel %q is not statuspage or social", ErrInvalid, kind)
	}
	inc, err := s.store.Incident(ctx, incidentID)
	if err != nil {
		return "", err
	}
	data, err := draftData(ctx, s.store, s.watches, inc, phase, s.eta, s.now())
	if err != nil {
		return "", err
	}
	text, err := s.drafts.write(kind, phase, data)
	if err != nil {
		return "", err
	}
	fitted := false
	for _, c := range s.channels {
		if kindOf(c.Name()) == kind {
			max, unit := c.Limit()
			text, _ = unit.Fit(text, max)
			fitted = true
		}
	}
	if !fitted && kind == "social" {
		for _, l := range socialLimits {
			text, _ = l.unit.Fit(text, l.max)
		}
	}
	return text, nil
}

// Request asks to publish one update.
type Request struct {
	Phase string `json:"phase"`
	// Text goes to every channel in Channels, fitted to each, unless
	// Texts has the channel's own.
	Text     string            `json:"text"`
	Texts    map[string]string `json:"texts,omitempty"`
	Channels []string          `json:"channels"`
}

// Preview is one channel's text as it would be sent.
type Preview struct {
	Channel string `json:"channel"`
	Text    string `json:"text"`
	// Count is the text's length as the channel counts it, Limit its
	// limit; Cut says the text was shortened to fit.
	Count int  `json:"count"`
	Limit int  `json:"limit"`
	Unit  Unit `json:"unit"`
	Cut   bool `json:"cut"`
}

// Previews returns each chosen channel's text as it would be sent, or
// an error wrapping ErrInvalid naming what is wrong.
func (s *Service) Previews(r Request) ([]Preview, error) {
	if len(r.Channels) == 0 {
		return nil, fmt.Errorf("%w: choose at least one channel", ErrInvalid)
	}
	var out []Preview
	for _, name := range r.Channels {
		c := s.channel(name)
		if c == nil {
			return nil, fmt.Errorf("%w: channel %q is not configured (configured: %s)", ErrInvalid, name, strings.Join(s.names(), ", "))
		}
		text := r.Text
		if t, ok := r.Texts[name]; ok {
			text = t
		}
		text = strings.TrimSpace(text)
		if text == "" {
			return nil, fmt.Errorf("%w: the text for %s is empty", ErrInvalid, name)
		}
		max, unit := c.Limit()
		fitted, cut := unit.Fit(text, max)
		out = append(out, Preview{Channel: name, Text: fitted, Count: unit.Count(fitted), Limit: max, Unit: unit, Cut: cut})
	}
	return out, nil
}

func (s *Service) channel(name string) Channel {
	for _, c := range s.channels {
		if c.Name() == name {
			return c
		}
	}
	return nil
}

func (s *Service) names() []string {
	var out []string
	for _, c := range s.channels {
		out = append(out, c.Name())
	}
	if len(out) == 0 {
		return []string{"none"}
	}
	return out
}

// Publish publishes r about the incident with id as u, to each channel,
// and returns the publications stored, one per channel in r's order: sent
// (published or failed, each channel on its own), or pending when
// approval by a second person is on. It refuses a person who may not run
// incidents (ErrForbidden), an unknown incident (earshot.ErrNotFound), and
// a bad request (ErrInvalid): an unknown phase or channel, an empty text,
// a text still holding the ETA placeholder or another place to fill
// ([CAUSE], [ACTIONS], [LINK]).
func (s *Service) Publish(ctx context.Context, u earshot.User, incidentID string, r Request) ([]earshot.Publication, error) {
	if !u.CanRunIncidents() {
		return nil, fmt.Errorf("%w: %s (%s) may not publish about incidents; comms and admins may", ErrForbidden, u.Name, u.Role)
	}
	if !slices.Contains(Phases, r.Phase) {
		return nil, fmt.Errorf("%w: phase %q is not one of %s", ErrInvalid, r.Phase, strings.Join(Phases, ", "))
	}
	for i, name := range r.Channels {
		if slices.Contains(r.Channels[:i], name) {
			return nil, fmt.Errorf("%w: channel %s is chosen twice", ErrInvalid, name)
		}
	}
	previews, err := s.Previews(r)
	if err != nil {
		return nil, err
	}
	for _, p := range previews {
		for _, ph := range append([]string{s.eta}, fillIns...) {
			if ph != "" && strings.Contains(p.Text, ph) {
				return nil, fmt.Errorf("%w: the text for %s still holds %s: fill it in first", ErrInvalid, p.Channel, ph)
			}
		}
	}
	inc, err := s.store.Incident(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	pubs := make([]earshot.Publication, len(previews))
	for i, p := range previews {
		pubs[i] = earshot.Publication{ID: s.newID(now), IncidentID: inc.ID, Channel: p.Channel, Phase: r.Phase,
			Text: p.Text, State: StatePending, By: u.Name, CreatedAt: now}
	}
	if s.approval {
		for _, p := range pubs {
			if err := s.store.SavePublication(ctx, p); err != nil {
				return nil, fmt.Errorf("saving a publication: %w", err)
			}
		}
		return pubs, nil
	}
	return s.send(ctx, inc, pubs)
}

// Approve approves the pending publication with id of an incident as u
// and sends it. u must run incidents and must not be its author
// (ErrForbidden); a publication that is not pending is ErrInvalid.
func (s *Service) Approve(ctx context.Context, u earshot.User, incidentID, id string) (earshot.Publication, error) {
	if !u.CanRunIncidents() {
		return earshot.Publication{}, fmt.Errorf("%w: %s (%s) may not approve publications; comms and admins may", ErrForbidden, u.Name, u.Role)
	}
	s.mu.Lock()
	pubs, err := s.store.Publications(ctx, incidentID)
	s.mu.Unlock()
	if err != nil {
		return earshot.Publication{}, err
	}
	i := slices.IndexFunc(pubs, func(p earshot.Publication) bool { return p.ID == id })
	if i < 0 {
		return earshot.Publication{}, fmt.Errorf("publication %s of incident %s: %w", id, incidentID, earshot.ErrNotFound)
	}
	p := pubs[i]
	switch {
	case p.State != StatePending:
		return p, fmt.Errorf("%w: publication %s is %s, not pending", ErrInvalid, id, p.State)
	case p.By == u.Name:
		return p, fmt.Errorf("%w: %s wrote this update; another person must approve it", ErrForbidden, u.Name)
	}
	inc, err := s.store.Incident(ctx, incidentID)
	if err != nil {
		return p, err
	}
	p.ApprovedBy = u.Name
	out, err := s.send(ctx, inc, []earshot.Publication{p})
	if err != nil {
		return p, err
	}
	return out[0], nil
}

// Publications lists an incident's publications, oldest first.
func (s *Service) Publications(ctx context.Context, incidentID string) ([]earshot.Publication, error) {
	return s.store.Publications(ctx, incidentID)
}

// send sends each pending publication to its channel, at once, each in
// its channel's thread, and stores the outcome.
func (s *Service) send(ctx context.Context, inc earshot.Incident, pubs []earshot.Publication) ([]earshot.Publication, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Re-read under the lock: an approval racing another sees it sent.
	before, err := s.store.Publications(ctx, inc.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range pubs {
		for _, b := range before {
			if b.ID == p.ID && b.State != StatePending {
				return nil, fmt.Errorf("%w: publication %s is already %s", ErrInvalid, p.ID, b.State)
			}
		}
	}
	var wg sync.WaitGroup
	for i := range pubs {
		p := &pubs[i]
		var thread []earshot.Publication
		for _, b := range before {
			if b.Channel == p.Channel && b.State == StatePublished && b.RemoteID != "" {
				thread = append(thread, b)
			}
		}
		m := Message{Key: p.ID, IncidentID: inc.ID, Title: inc.Title, Phase: p.Phase, Text: p.Text}
		if len(thread) > 0 {
			m.Root, m.Parent = thread[0].RemoteID, thread[len(thread)-1].RemoteID
			p.ReplyTo = m.Parent
		}
		c := s.channel(p.Channel)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if c == nil {
				p.State, p.Error = StateFailed, "channel "+p.Channel+" is no longer configured"
				return
			}
			res, err := c.Send(ctx, m)
			if err != nil {
				p.State, p.Error = StateFailed, err.Error()
				s.log.Warn("publishing failed", "incident", inc.ID, "channel", p.Channel, "publication", p.ID, "err", err)
				return
			}
			p.State, p.Error, p.RemoteID, p.URL, p.PublishedAt = StatePublished, "", res.RemoteID, res.URL, s.now().UTC()
			s.log.Info("published", "incident", inc.ID, "channel", p.Channel, "publication", p.ID, "url", res.URL)
		}()
	}
	wg.Wait()
	var errs []error
	for _, p := range pubs {
		// The outcome is stored even when the request was cancelled.
		if err := s.store.SavePublication(context.WithoutCancel(ctx), p); err != nil {
			errs = append(errs, fmt.Errorf("saving publication %s (%s, %s): %w", p.ID, p.Channel, p.State, err))
		}
	}
	return pubs, errors.Join(errs...)
}

// newID returns a publication ID: the time, a sequence number (so IDs of
// one instant sort in the order they were made: the store lists ties by
// ID), then random hex.
func (s *Service) newID(now time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return fmt.Sprintf("pub-%s-%06d-%s", now.UTC().Format("20060102T150405.000000"), s.seq.Add(1)%1e6, hex.EncodeToString(b[:]))
}
