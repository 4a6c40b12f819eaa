package publish

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

// fakeChannel records what it is sent and answers with numbered IDs, or
// fails with err.
type fakeChannel struct {
	name string
	max  int
	unit Unit
	err  error
	mu   sync.Mutex
	sent []Message
}

func (f *fakeChannel) Name() string       { return f.name }
func (f *fakeChannel) Limit() (int, Unit) { return f.max, f.unit }
func (f *fakeChannel) messages() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Message(nil), f.sent...)
}
func (f *fakeChannel) Send(_ context.Context, m Message) (Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, m)
	if f.err != nil {
		return Result{}, f.err
	}
	id := fmt.Sprintf("%s-%d", f.name, len(f.sent))
	return Result{RemoteID: id, URL: "https://" + f.name + ".example/" + id}, nil
}

var (
	started = time.Date(2026, 12, 7, 14, 5, 0, 0, time.UTC)
	now     = started.Add(80 * time.Minute)
	comms   = earshot.User{Name: "ana", Role: earshot.RoleComms}
	comms2  = earshot.User{Name: "ben", Role: earshot.RoleComms}
	exec    = earshot.User{Name: "eve", Role: earshot.RoleExec}
)

func newService(t *testing.T, cfg Config, chans ...Channel) (*Service, *memstore.Store) {
	t.Helper()
	st := memstore.New()
	ctx := t.Context()
	inc := earshot.Incident{ID: "inc-1", Source: "manual", Title: "Login failures", Status: earshot.Investigating,
		Services: []string{"login", "checkout"}, StartedAt: started, UpdatedAt: started}
	if err := st.SaveIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	var posts []earshot.Post
	add := func(id string, at time.Time, watch string, label earshot.Label, reason earshot.Reason, text string) {
		posts = append(posts, earshot.Post{ID: "t:" + id, Source: "t", Kind: "post", Text: text, CreatedAt: at, CollectedAt: at,
			Watches: []string{watch}, Sentiment: earshot.Sentiment{Score: -0.8, Label: label, Reason: reason}})
	}
	for i := range 5 {
		add(fmt.Sprintf("login%d", i), started.Add(time.Duration(i+1)*time.Minute), "acme", earshot.Negative, earshot.ReasonLogin, "can't log in to the app")
	}
	for i := range 3 {
		add(fmt.Sprintf("slow%d", i), started.Add(time.Duration(i+1)*time.Minute), "acme", earshot.Negative, earshot.ReasonPerformance, "checkout so slow")
	}
	// Billing problems come third, from one post.
	add("both", started.Add(time.Minute), "acme", earshot.Negative, earshot.ReasonBilling, "slow and charged twice")
	add("billing-before", started.Add(-time.Hour), "acme", earshot.Negative, earshot.ReasonBilling, "double charged") // before the incident
	add("other-watch", started.Add(time.Minute), "other", earshot.Negative, earshot.ReasonSecurity, "hacked?")        // another brand
	if err := st.SavePosts(ctx, posts); err != nil {
		t.Fatal(err)
	}
	watches := []earshot.Watch{{Name: "acme", Keywords: []string{"app", "checkout"}, Services: []string{"login"}},
		{Name: "other", Services: []string{"mail"}}}
	s, err := New(st, cfg, Options{Channels: chans, Watches: watches, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return s, st
}

func TestDraft(t *testing.T) {
	s, _ := newService(t, DefaultConfig(), &fakeChannel{name: "x", max: 280, unit: Weighted})
	ctx := t.Context()
	text, err := s.Draft(ctx, "inc-1", "investigating", "statuspage")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"login and checkout", "14:05 UTC", "trouble signing in, slowness and billing problems", "[ETA]"} {
		if !strings.Contains(text, want) {
			t.Errorf("statuspage draft %q lacks %q", text, want)
		}
	}
	for _, not := range []string{"security"} {
		if strings.Contains(text, not) {
			t.Errorf("statuspage draft %q speaks of %s (before the incident, or another watch)", text, not)
		}
	}
	resolved, err := s.Draft(ctx, "inc-1", "resolved", "statuspage")
	if err != nil || !strings.Contains(resolved, "after 1h 20m") {
		t.Errorf("resolved draft = %q, %v; want how long it lasted", resolved, err)
	}
	social, err := s.Draft(ctx, "inc-1", "investigating", "social")
	if err != nil {
		t.Fatal(err)
	}
	if Weighted.Count(social) > 280 || !strings.Contains(social, "[ETA]") {
		t.Errorf("social draft %q (%d) is too long or lacks the ETA", social, Weighted.Count(social))
	}

	for _, c := range []struct{ phase, kind string }{{"panicking", "social"}, {"resolved", "fax"}} {
		if _, err := s.Draft(ctx, "inc-1", c.phase, c.kind); !errors.Is(err, ErrInvalid) {
			t.Errorf("Draft(%s, %s): %v, want ErrInvalid", c.phase, c.kind, err)
		}
	}
	if _, err := s.Draft(ctx, "nope", "resolved", "social"); !errors.Is(err, earshot.ErrNotFound) {
		t.Errorf("Draft(unknown incident): %v, want ErrNotFound", err)
	}
}

func TestDraftTemplatesAndLimits(t *testing.T) {
	cfg := DefaultConfig()
	long := strings.Repeat("Still on it. ", 40)
	cfg.Templates = map[string]map[string]string{"social": {"monitoring": "{{.Title}}: watching. " + long}}
	short := &fakeChannel{name: "bluesky", max: 60, unit: Graphemes}
	s, _ := newService(t, cfg, short, &fakeChannel{name: "mastodon", max: 500, unit: Graphemes})
	text, err := s.Draft(t.Context(), "inc-1", "monitoring", "social")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text, "Login failures: watching.") || Graphemes.Count(text) > 60 || !strings.HasSuffix(text, "on it. Still…") {
		t.Errorf("draft = %q (%d), want the configured template cut on a word within 60", text, Graphemes.Count(text))
	}
	bad := DefaultConfig()
	bad.Templates = map[string]map[string]string{"social": {"resolved": "{{.Nope"}}
	if _, err := New(memstore.New(), bad, Options{}); err == nil || !strings.Contains(err.Error(), "publishing.templates.social.resolved") {
		t.Errorf("a broken template: %v, want an error naming its key", err)
	}
}

func TestPublishEverywhere(t *testing.T) {
	sp := &fakeChannel{name: "statuspage", max: 5000, unit: Runes}
	x := &fakeChannel{name: "x", max: 40, unit: Weighted}
	down := &fakeChannel{name: "mastodon", max: 500, unit: Graphemes, err: errors.New("mastodon answered 503 Service Unavailable")}
	s, st := newService(t, DefaultConfig(), sp, down, x)
	ctx := t.Context()

	req := Request{Phase: "investigating", Text: "We are looking into failed logins and slow checkouts right now.", Channels: []string{"statuspage", "mastodon", "x"}}
	if _, err := s.Publish(ctx, exec, "inc-1", req); !errors.Is(err, ErrForbidden) {
		t.Errorf("an exec publishing: %v, want ErrForbidden", err)
	}
	eta := req
	eta.Text = "Back by [ETA]."
	if _, err := s.Publish(ctx, comms, "inc-1", eta); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "[ETA]") {
		t.Errorf("a text with the ETA placeholder: %v, want ErrInvalid naming it", err)
	}
	pm := Request{Phase: "postmortem", Text: "What happened: [CAUSE].", Channels: []string{"statuspage"}}
	if _, err := s.Publish(ctx, comms, "inc-1", pm); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "[CAUSE]") {
		t.Errorf("a postmortem with [CAUSE] left: %v, want ErrInvalid naming it", err)
	}
	for _, bad := range []Request{
		{Phase: "investigating", Text: "x", Channels: []string{"fax"}},
		{Phase: "investigating", Text: "x"},
		{Phase: "investigating", Text: "  ", Channels: []string{"x"}},
		{Phase: "later", Text: "x", Channels: []string{"x"}},
		{Phase: "investigating", Text: "x", Channels: []string{"x", "x"}},
	} {
		if _, err := s.Publish(ctx, comms, "inc-1", bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("Publish(%+v): %v, want ErrInvalid", bad, err)
		}
	}
	if len(sp.messages())+len(x.messages())+len(down.messages()) != 0 {
		t.Fatal("a refused request sent something")
	}

	pubs, err := s.Publish(ctx, comms, "inc-1", req)
	if err != nil {
		t.Fatal(err)
	}
	if len(pubs) != 3 || pubs[0].State != StatePublished || pubs[1].State != StateFailed || pubs[2].State != StatePublished {
		t.Fatalf("publications: %+v", pubs)
	}
	if pubs[1].Error != "mastodon answered 503 Service Unavailable" || pubs[0].URL != "https://statuspage.example/statuspage-1" {
		t.Errorf("failed one's error %q, statuspage URL %q", pubs[1].Error, pubs[0].URL)
	}
	if got := x.messages()[0].Text; got != "We are looking into failed logins and…" {
		t.Errorf("x was sent %q, want the text cut to 40", got)
	}
	if pubs[2].Text != x.messages()[0].Text || pubs[0].By != "ana" || !pubs[0].PublishedAt.Equal(now) {
		t.Errorf("stored %+v", pubs[2])
	}

	// The next update answers the first on each channel: Statuspage
	// updates its incident, X replies; Mastodon, which failed, starts.
	req2 := Request{Phase: "identified", Text: "Found it.", Texts: map[string]string{"statuspage": "We found the cause."}, Channels: []string{"statuspage", "x", "mastodon"}}
	pubs2, err := s.Publish(ctx, comms2, "inc-1", req2)
	if err != nil {
		t.Fatal(err)
	}
	if m := sp.messages()[1]; m.Root != "statuspage-1" || m.Text != "We found the cause." || m.Phase != "identified" || m.Title != "Login failures" {
		t.Errorf("statuspage's second message: %+v", m)
	}
	if m := x.messages()[1]; m.Root != "x-1" || m.Parent != "x-1" || pubs2[1].ReplyTo != "x-1" {
		t.Errorf("x's second message: %+v (reply to %q)", m, pubs2[1].ReplyTo)
	}
	if m := down.messages()[1]; m.Root != "" || m.Parent != "" {
		t.Errorf("mastodon's second message answers a post that failed: %+v", m)
	}
	if _, err := s.Publish(ctx, comms, "inc-1", Request{Phase: "monitoring", Text: "Watching.", Channels: []string{"x"}}); err != nil {
		t.Fatal(err)
	}
	if m := x.messages()[2]; m.Root != "x-1" || m.Parent != "x-2" {
		t.Errorf("x's third message: root %q parent %q, want x-1 and x-2", m.Root, m.Parent)
	}

	stored, err := st.Publications(ctx, "inc-1")
	if err != nil || len(stored) != 7 {
		t.Fatalf("stored %d publications (%v), want 7", len(stored), err)
	}
	if _, err := s.Publish(ctx, comms, "nope", Request{Phase: "resolved", Text: "x", Channels: []string{"x"}}); !errors.Is(err, earshot.ErrNotFound) {
		t.Errorf("publishing about an unknown incident: %v", err)
	}
}

func TestApproval(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Approval = ApprovalSecondPerson
	x := &fakeChannel{name: "x", max: 280, unit: Weighted}
	s, st := newService(t, cfg, x)
	ctx := t.Context()
	pubs, err := s.Publish(ctx, comms, "inc-1", Request{Phase: "investigating", Text: "Looking into it.", Channels: []string{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	if pubs[0].State != StatePending || len(x.messages()) != 0 {
		t.Fatalf("with approval on, publish sent at once: %+v", pubs)
	}
	id := pubs[0].ID
	if _, err := s.Approve(ctx, comms, "inc-1", id); !errors.Is(err, ErrForbidden) {
		t.Errorf("the author approving: %v, want ErrForbidden", err)
	}
	if _, err := s.Approve(ctx, exec, "inc-1", id); !errors.Is(err, ErrForbidden) {
		t.Errorf("an exec approving: %v, want ErrForbidden", err)
	}
	if _, err := s.Approve(ctx, comms2, "inc-1", "pub-nope"); !errors.Is(err, earshot.ErrNotFound) {
		t.Errorf("approving an unknown publication: %v, want ErrNotFound", err)
	}
	if len(x.messages()) != 0 {
		t.Fatal("a refused approval sent")
	}
	p, err := s.Approve(ctx, comms2, "inc-1", id)
	if err != nil {
		t.Fatal(err)
	}
	if p.State != StatePublished || p.ApprovedBy != "ben" || p.By != "ana" || p.RemoteID != "x-1" || len(x.messages()) != 1 {
		t.Errorf("approved: %+v", p)
	}
	if _, err := s.Approve(ctx, earshot.User{Name: "cy", Role: earshot.RoleAdmin}, "inc-1", id); !errors.Is(err, ErrInvalid) {
		t.Errorf("approving twice: %v, want ErrInvalid", err)
	}
	stored, _ := st.Publications(ctx, "inc-1")
	if len(stored) != 1 || stored[0].State != StatePublished || stored[0].ApprovedBy != "ben" {
		t.Errorf("stored: %+v", stored)
	}
}
