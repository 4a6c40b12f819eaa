package followup

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

// testStore is the in-memory store, recording the queries Posts is
// asked; err, when set, fails Posts.
type testStore struct {
	*memstore.Store
	err     error
	queries []earshot.PostQuery
}

func newStore(t *testing.T, posts ...earshot.Post) *testStore {
	t.Helper()
	s := &testStore{Store: memstore.New()}
	s.add(t, posts...)
	return s
}

func (s *testStore) Posts(ctx context.Context, q earshot.PostQuery) ([]earshot.Post, error) {
	s.queries = append(s.queries, q)
	if s.err != nil {
		return nil, s.err
	}
	return s.Store.Posts(ctx, q)
}

func (s *testStore) add(t *testing.T, posts ...earshot.Post) {
	t.Helper()
	if err := s.SavePosts(t.Context(), posts); err != nil {
		t.Fatal(err)
	}
}

func (s *testStore) addIncident(t *testing.T, inc earshot.Incident) {
	t.Helper()
	if err := s.SaveIncident(t.Context(), inc); err != nil {
		t.Fatal(err)
	}
}

func (s *testStore) move(t *testing.T, id string, tr earshot.Transition) {
	t.Helper()
	if _, err := s.MoveFollowUp(t.Context(), id, tr); err != nil {
		t.Fatal(err)
	}
}

func (s *testStore) followUp(t *testing.T, id string) earshot.FollowUp {
	t.Helper()
	f, err := s.FollowUp(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (s *testStore) all() []earshot.FollowUp {
	out, _ := s.FollowUps(context.Background())
	return out
}

var (
	now    = time.Date(2026, 3, 13, 17, 0, 0, 0, time.UTC)
	outage = earshot.Incident{
		ID: "statuspage:abc", Source: "statuspage", Title: "Elevated API error rates", Status: earshot.Resolved,
		Severity: "major", StartedAt: now.Add(-30 * time.Hour), ResolvedAt: now.Add(-27 * time.Hour),
	}
)

// post is a twitter post by author, ago before now, with score (labelled
// by its sign).
func post(id, author string, ago time.Duration, score float64) earshot.Post {
	label := earshot.Neutral
	switch {
	case score <= -0.2:
		label = earshot.Negative
	case score >= 0.2:
		label = earshot.Positive
	}
	return earshot.Post{
		ID: "twitter:" + id, Source: "twitter", Kind: earshot.KindPost,
		Author:    earshot.Author{ID: author, Handle: "h_" + author, Name: "Name " + author, Followers: 120},
		Text:      "text of " + id,
		CreatedAt: now.Add(-ago), CollectedAt: now.Add(-ago).Add(time.Minute),
		Sentiment: earshot.Sentiment{Score: score, Label: label},
	}
}

func with(p earshot.Post, change func(*earshot.Post)) earshot.Post {
	change(&p)
	return p
}

// always flags every strongly negative post.
func always(c *Config) { c.OnePost = OnePostAlways }

// inContext flags a strongly negative post during an incident too.
func inContext(c *Config) { c.OnePost = OnePostContext }

func newFlagger(t *testing.T, s *testStore, opts ...func(*Config)) *Flagger {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Window = 48 * time.Hour // the tests' times are written for a two-day window
	for _, o := range opts {
		o(&cfg)
	}
	f, err := New(s, cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestFlagRules(t *testing.T) {
	loud := func(p *earshot.Post) { p.Author.Followers = 48_000 }
	linked := func(p *earshot.Post) { p.IncidentID = outage.ID }
	tests := []struct {
		name     string
		cfg      func(*Config)
		posts    []earshot.Post
		want     int // follow-ups
		priority int
		reason   string
		incident string
		due      time.Duration
	}{
		{name: "one strongly negative everyday post", posts: []earshot.Post{post("1", "a", time.Hour, -0.85)}},
		{name: "one strongly negative post, one_post always", cfg: always, posts: []earshot.Post{post("1", "a", time.Hour, -0.85)},
			want: 1, priority: 4, reason: "a strongly negative post (-0.85)", due: 7 * 24 * time.Hour},
		{name: "score at the threshold is strong", cfg: always, posts: []earshot.Post{post("1", "a", time.Hour, -0.6)},
			want: 1, priority: 4, reason: "a strongly negative post (-0.60)"},
		{name: "one mildly negative post", cfg: always, posts: []earshot.Post{post("1", "a", time.Hour, -0.4)}},
		{name: "one mildly negative post during an incident", posts: []earshot.Post{post("1", "a", 28*time.Hour, -0.4)}},
		{name: "positive and neutral posts", posts: []earshot.Post{post("1", "a", time.Hour, 0.9), post("2", "a", 2*time.Hour, 0), post("3", "a", 3*time.Hour, 0.5)}},
		{name: "two mild complaints are not enough", posts: []earshot.Post{post("1", "a", time.Hour, -0.4), post("2", "a", 3*time.Hour, -0.3)}},
		{name: "three mild complaints in five hours",
			posts: []earshot.Post{post("1", "a", time.Hour, -0.4), post("2", "a", 3*time.Hour, -0.3), post("3", "a", 6*time.Hour, -0.5)},
			want:  1, priority: 4, reason: "3 negative posts in 5 hours"},
		{name: "three mild complaints within the window",
			posts: []earshot.Post{post("1", "a", time.Hour, -0.4), post("2", "a", 20*time.Hour, -0.3), post("3", "a", 47*time.Hour, -0.5)},
			want:  1, priority: 4, reason: "3 negative posts in 46 hours"},
		{name: "complaints by different authors do not add up",
			posts: []earshot.Post{post("1", "a", time.Hour, -0.4), post("2", "b", 3*time.Hour, -0.3), post("3", "c", 6*time.Hour, -0.5)}},
		{name: "the same author ID on another source is another customer",
			posts: []earshot.Post{post("1", "a", time.Hour, -0.4), post("2", "a", 3*time.Hour, -0.3),
				with(post("3", "a", 6*time.Hour, -0.5), func(p *earshot.Post) { p.Source, p.ID = "mastodon", "mastodon:3" })}},
		{name: "the brand's own posts", posts: []earshot.Post{
			with(post("1", "acme", time.Hour, -0.9), func(p *earshot.Post) { p.FromBrand = true }),
			with(post("2", "acme", 2*time.Hour, -0.9), func(p *earshot.Post) { p.FromBrand = true }),
			with(post("3", "acme", 3*time.Hour, -0.9), func(p *earshot.Post) { p.FromBrand = true }),
		}},
		{name: "authors with no ID", posts: []earshot.Post{post("1", "", time.Hour, -0.95), post("2", "", 2*time.Hour, -0.9), post("3", "", 3*time.Hour, -0.9)}},
		{name: "high reach raises the priority", posts: []earshot.Post{with(post("1", "a", time.Hour, -0.7), loud)},
			want: 1, priority: 3, reason: "a strongly negative post (-0.70); 48k followers", due: 72 * time.Hour},
		{name: "high reach alone flags nothing", posts: []earshot.Post{with(post("1", "a", time.Hour, -0.3), loud)}},
		{name: "one strongly negative post during an incident", posts: []earshot.Post{post("1", "a", 28*time.Hour, -0.8)}},
		{name: "created while an incident was open, one_post context", cfg: inContext, posts: []earshot.Post{post("1", "a", 28*time.Hour, -0.8)},
			want: 1, priority: 3, reason: "a strongly negative post (-0.80) during incident 'Elevated API error rates'", incident: outage.ID},
		{name: "linked to an incident after it ended, one_post context", cfg: inContext, posts: []earshot.Post{with(post("1", "a", 2*time.Hour, -0.8), linked)},
			want: 1, priority: 3, incident: outage.ID},
		{name: "repeated, during an incident, high reach",
			posts: []earshot.Post{with(post("1", "a", 29*time.Hour, -0.4), loud), post("2", "a", 10*time.Hour, -0.3), post("3", "a", 5*time.Hour, -0.5)},
			want:  1, priority: 2, reason: "3 negative posts in 24 hours during incident 'Elevated API error rates'; 48k followers", incident: outage.ID, due: 24 * time.Hour},
		{name: "every signal", posts: []earshot.Post{with(post("1", "a", 29*time.Hour, -0.9), loud), post("2", "a", 10*time.Hour, -0.3), post("3", "a", 5*time.Hour, -0.5)},
			want: 1, priority: 1, reason: "3 negative posts in 24 hours during incident 'Elevated API error rates'; strongly negative, down to -0.90; 48k followers",
			incident: outage.ID, due: 4 * time.Hour},
		{name: "1-star reviews count by their label", posts: []earshot.Post{
			with(post("1", "a", time.Hour, 0.1), func(p *earshot.Post) { p.Rating, p.Sentiment.Label = 1, earshot.Negative }),
			with(post("2", "a", 2*time.Hour, 0.1), func(p *earshot.Post) { p.Rating, p.Sentiment.Label = 2, earshot.Negative }),
			with(post("3", "a", 3*time.Hour, 0.1), func(p *earshot.Post) { p.Rating, p.Sentiment.Label = 1, earshot.Negative }),
		}, want: 1, priority: 4, reason: "3 negative posts in 2 hours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, tt.posts...)
			s.addIncident(t, outage)
			var opts []func(*Config)
			if tt.cfg != nil {
				opts = append(opts, tt.cfg)
			}
			f := newFlagger(t, s, opts...)
			st, err := f.Step(t.Context(), now)
			if err != nil {
				t.Fatal(err)
			}
			got := s.all()
			if len(got) != tt.want || st.Opened != tt.want {
				t.Fatalf("%d follow-ups (stats %+v), want %d: %+v", len(got), st, tt.want, got)
			}
			if tt.want == 0 {
				return
			}
			fu := got[0]
			if fu.Priority != tt.priority {
				t.Errorf("priority %d, want %d (%s)", fu.Priority, tt.priority, fu.Reason)
			}
			if tt.reason != "" && fu.Reason != tt.reason {
				t.Errorf("reason %q\nwant   %q", fu.Reason, tt.reason)
			}
			if fu.IncidentID != tt.incident {
				t.Errorf("incident %q, want %q", fu.IncidentID, tt.incident)
			}
			if tt.due != 0 && !fu.Due.Equal(now.Add(tt.due)) {
				t.Errorf("due %s, want %s", fu.Due, now.Add(tt.due))
			}
			if fu.State != earshot.FollowUpOpen || fu.Source != "twitter" || fu.Author.ID != "a" || fu.Author.Handle != "h_a" ||
				!fu.CreatedAt.Equal(now) || !strings.HasPrefix(fu.ID, "fu-") || len(fu.PostIDs) != len(tt.posts) {
				t.Errorf("follow-up %+v", fu)
			}
		})
	}
}

func TestIdempotent(t *testing.T) {
	s := newStore(t, post("1", "a", 5*time.Hour, -0.8), post("2", "a", 4*time.Hour, -0.3), post("3", "b", 3*time.Hour, -0.9))
	f := newFlagger(t, s, always)
	if _, err := f.Step(t.Context(), now); err != nil {
		t.Fatal(err)
	}
	first := s.all()
	if len(first) != 2 {
		t.Fatalf("%d follow-ups, want 2: %+v", len(first), first)
	}
	// Again with the same flagger, with a fresh one (a restart) and a
	// replay: nothing new, nothing changed.
	for _, run := range []func() (Stats, error){
		func() (Stats, error) { return f.Step(t.Context(), now.Add(time.Minute)) },
		func() (Stats, error) { return newFlagger(t, s, always).Step(t.Context(), now.Add(2*time.Minute)) },
		func() (Stats, error) {
			return newFlagger(t, s, always).Replay(t.Context(), now.Add(-48*time.Hour), now.Add(3*time.Minute), time.Hour)
		},
	} {
		st, err := run()
		if err != nil {
			t.Fatal(err)
		}
		if st.Opened != 0 || st.Updated != 0 {
			t.Errorf("stats %+v on the same posts", st)
		}
		if got := s.all(); !slices.EqualFunc(got, first, func(a, b earshot.FollowUp) bool {
			return a.ID == b.ID && a.UpdatedAt.Equal(b.UpdatedAt) && slices.Equal(a.PostIDs, b.PostIDs)
		}) {
			t.Errorf("follow-ups changed:\n%+v\nwant\n%+v", got, first)
		}
	}
	// The ID depends on the customer and the first post only.
	if id := followUpID(customer{"twitter", "a"}, "twitter:1"); first[0].ID != id && first[1].ID != id {
		t.Errorf("IDs %s, %s; want one to be %s", first[0].ID, first[1].ID, id)
	}
}

func TestNewPostsJoinTheOpenFollowUp(t *testing.T) {
	s := newStore(t, post("1", "a", 5*time.Hour, -0.8))
	s.addIncident(t, outage)
	f := newFlagger(t, s, always)
	if _, err := f.Step(t.Context(), now); err != nil {
		t.Fatal(err)
	}
	fu := s.all()[0]
	if fu.Priority != 4 {
		t.Fatalf("priority %d", fu.Priority)
	}
	// Support assigns it; then the customer posts twice more, once linked
	// to the outage, and has grown an audience.
	s.move(t, fu.ID, earshot.Transition{To: earshot.FollowUpAssigned, Assignee: "sam", Actor: "lee", Note: "on it", At: now.Add(time.Minute)})
	later := now.Add(time.Hour)
	s.add(t,
		with(post("2", "a", -30*time.Minute, -0.3), func(p *earshot.Post) { p.IncidentID = outage.ID }),
		with(post("3", "a", -50*time.Minute, -0.4), func(p *earshot.Post) { p.Author.Followers = 50_000; p.Author.Handle = "new_handle" }),
	)
	st, err := f.Step(t.Context(), later)
	if err != nil {
		t.Fatal(err)
	}
	all := s.all()
	if len(all) != 1 || st.Opened != 0 || st.Updated != 1 {
		t.Fatalf("stats %+v, follow-ups %+v", st, all)
	}
	got := all[0]
	if got.ID != fu.ID || got.State != earshot.FollowUpAssigned || got.Assignee != "sam" {
		t.Errorf("support's move was lost: %+v", got)
	}
	if !slices.Equal(got.PostIDs, []string{"twitter:1", "twitter:2", "twitter:3"}) {
		t.Errorf("posts %v", got.PostIDs)
	}
	// strong, repeated, reach, incident: P1, due 4h from the raise.
	if got.Priority != 1 || !got.Due.Equal(later.Add(4*time.Hour)) || got.IncidentID != outage.ID || got.Author.Handle != "new_handle" {
		t.Errorf("priority %d due %s incident %q author %+v", got.Priority, got.Due, got.IncidentID, got.Author)
	}
	if want := "3 negative posts in 6 hours during incident 'Elevated API error rates'; strongly negative, down to -0.80; 50k followers"; got.Reason != want {
		t.Errorf("reason %q\nwant   %q", got.Reason, want)
	}
	if n := len(got.Notes); n != 2 || got.Notes[1].Author != Actor || got.Notes[1].Text != "2 more negative posts; priority P4 → P1; during incident 'Elevated API error rates'" {
		t.Errorf("notes %+v", got.Notes)
	}
	if !got.CreatedAt.Equal(now) || !got.UpdatedAt.Equal(later) {
		t.Errorf("created %s updated %s", got.CreatedAt, got.UpdatedAt)
	}

	// A milder post never lowers the priority nor delays the due time.
	s.add(t, post("4", "a", -70*time.Minute, -0.25))
	if _, err := f.Step(t.Context(), later.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if g := s.all()[0]; g.Priority != 1 || !g.Due.Equal(got.Due) || len(g.PostIDs) != 4 {
		t.Errorf("after a milder post: %+v", g)
	}
}

func TestClosedFollowUpsStayClosed(t *testing.T) {
	for _, final := range []earshot.FollowUpState{earshot.FollowUpResolved, earshot.FollowUpDismissed} {
		t.Run(string(final), func(t *testing.T) {
			s := newStore(t, post("1", "a", 5*time.Hour, -0.8), post("2", "a", 4*time.Hour, -0.3))
			f := newFlagger(t, s, always)
			if _, err := f.Step(t.Context(), now); err != nil {
				t.Fatal(err)
			}
			fu := s.all()[0]
			if final == earshot.FollowUpResolved {
				s.move(t, fu.ID, earshot.Transition{To: earshot.FollowUpContacted, At: now.Add(time.Minute)})
			}
			closed := now.Add(2 * time.Minute)
			s.move(t, fu.ID, earshot.Transition{To: final, At: closed})
			// A post written before it was closed but collected after:
			// handled along with the others.
			s.add(t, post("3", "a", -time.Minute, -0.9))
			for _, fl := range []*Flagger{f, newFlagger(t, s, always)} {
				st, err := fl.Step(t.Context(), now.Add(10*time.Minute))
				if err != nil {
					t.Fatal(err)
				}
				if len(s.all()) != 1 || st.Opened+st.Updated != 0 {
					t.Fatalf("closed follow-up reopened by old posts: stats %+v, %+v", st, s.all())
				}
			}
			// A new complaint after it closed opens a new follow-up, with
			// the new post only.
			s.add(t, post("4", "a", -time.Hour, -0.85))
			st, err := f.Step(t.Context(), now.Add(2*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			all := s.all()
			if len(all) != 2 || st.Opened != 1 {
				t.Fatalf("stats %+v, follow-ups %+v", st, all)
			}
			var next earshot.FollowUp
			for _, x := range all {
				if x.ID != fu.ID {
					next = x
				}
			}
			if next.State != earshot.FollowUpOpen || !slices.Equal(next.PostIDs, []string{"twitter:4"}) || s.followUp(t, fu.ID).State != final {
				t.Errorf("new follow-up %+v; old one %+v", next, s.followUp(t, fu.ID))
			}
		})
	}
}

func TestStepReadsSinceLastStep(t *testing.T) {
	s := newStore(t, post("1", "a", 3*time.Hour, -0.4), post("2", "a", 2*time.Hour, -0.4))
	f := newFlagger(t, s)
	if _, err := f.Step(t.Context(), now); err != nil {
		t.Fatal(err)
	}
	if len(s.all()) != 0 {
		t.Fatal("two mild complaints flagged")
	}
	// A third, created before the last step but collected after it: the
	// overlap catches it, and the two earlier ones still count.
	s.add(t, post("3", "a", 10*time.Minute, -0.3))
	if _, err := f.Step(t.Context(), now.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	q := s.queries[len(s.queries)-1]
	if want := now.Add(-2 * time.Hour); !q.From.Equal(want) || !q.To.Equal(now.Add(5*time.Minute)) {
		t.Errorf("second step read [%s, %s), want from %s", q.From, q.To, want)
	}
	if all := s.all(); len(all) != 1 || len(all[0].PostIDs) != 3 {
		t.Fatalf("follow-ups %+v", all)
	}
	// A first step reads the whole window.
	if q := s.queries[0]; !q.From.Equal(now.Add(-48 * time.Hour)) {
		t.Errorf("first step read from %s", q.From)
	}
}

func TestReadPages(t *testing.T) {
	var posts []earshot.Post
	for i, ago := range []time.Duration{time.Hour, time.Hour, time.Hour, 2 * time.Hour, 3 * time.Hour, 3*time.Hour + 300*time.Millisecond, 4 * time.Hour} {
		posts = append(posts, post(string(rune('a'+i)), "x", ago, -0.3))
	}
	s := newStore(t, posts...)
	f := newFlagger(t, s)
	f.pageSize = 4
	got, err := f.read(t.Context(), now.Add(-48*time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(posts) {
		t.Errorf("read %d posts in %d queries, want %d", len(got), len(s.queries), len(posts))
	}
	// A page full of posts of one second cannot be paged through.
	f.pageSize = 3
	if _, err := f.read(t.Context(), now.Add(-48*time.Hour), now); err == nil || !strings.Contains(err.Error(), "within one second") {
		t.Errorf("err = %v", err)
	}
}

func TestReplay(t *testing.T) {
	start := now.Add(-4 * 24 * time.Hour)
	s := newStore(t,
		post("1", "a", 70*time.Hour, -0.9), // flagged at start+27h
		post("2", "b", 40*time.Hour, -0.3),
		post("3", "b", 39*time.Hour, -0.3),
		post("4", "b", 20*time.Hour, -0.3), // third within 48h: flagged at start+77h
		post("5", "a", 10*time.Hour, -0.3), // joins a's follow-up
		// Three complaints, never three within 48h: not flagged.
		post("6", "c", 90*time.Hour, -0.3),
		post("7", "c", 60*time.Hour, -0.3),
		post("8", "c", 20*time.Hour, -0.3),
	)
	f := newFlagger(t, s, always)
	st, err := f.Replay(t.Context(), start, now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if st.Opened != 2 || st.Updated != 1 || st.Negative != 8 {
		t.Errorf("stats %+v", st)
	}
	byAuthor := map[string]earshot.FollowUp{}
	for _, fu := range s.all() {
		byAuthor[fu.Author.ID] = fu
	}
	if a := byAuthor["a"]; !a.CreatedAt.Equal(start.Add(27*time.Hour)) || !a.Due.Equal(a.CreatedAt.Add(7*24*time.Hour)) || len(a.PostIDs) != 2 {
		t.Errorf("a: %+v", a)
	}
	if b := byAuthor["b"]; !b.CreatedAt.Equal(start.Add(77*time.Hour)) || b.Reason != "3 negative posts in 20 hours" {
		t.Errorf("b: %+v", b)
	}
	if _, err := f.Replay(t.Context(), start, now, 0); err == nil {
		t.Error("a zero step was accepted")
	}
}

func TestStoreFailureKeepsPosition(t *testing.T) {
	s := newStore(t, post("1", "a", time.Hour, -0.9))
	f := newFlagger(t, s, always)
	s.err = errors.New("store down")
	if _, err := f.Step(t.Context(), now); !errors.Is(err, s.err) {
		t.Fatalf("err = %v", err)
	}
	s.err = nil
	if _, err := f.Step(t.Context(), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if q := s.queries[len(s.queries)-1]; !q.From.Equal(now.Add(time.Hour - 48*time.Hour)) {
		t.Errorf("after a failure the step read from %s, want the whole window", q.From)
	}
	if len(s.all()) != 1 {
		t.Errorf("follow-ups %+v", s.all())
	}
}

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	tests := []struct {
		change func(*Config)
		key    string
	}{
		{func(c *Config) { c.Interval = 0 }, "followups.interval"},
		{func(c *Config) { c.Window = time.Minute }, "followups.window"},
		{func(c *Config) { c.Overlap = 200 * time.Hour }, "followups.overlap"},
		{func(c *Config) { c.Tiers = map[string]int{"gold": 3} }, "followups.tiers.gold"},
		{func(c *Config) { c.HoldLikely = "maybe" }, "followups.hold_likely"},
		{func(c *Config) { c.BotRate = 0 }, "followups.bot_rate"},
		{func(c *Config) { c.Overlap = -time.Hour }, "followups.overlap"},
		{func(c *Config) { c.StrongScore = 0 }, "followups.strong_score"},
		{func(c *Config) { c.StrongScore = -1.5 }, "followups.strong_score"},
		{func(c *Config) { c.RepeatCount = 1 }, "followups.repeat_count"},
		{func(c *Config) { c.OnePost = "sometimes" }, "followups.one_post"},
		{func(c *Config) { c.HighReach = 0 }, "followups.high_reach"},
		{func(c *Config) { c.Due.P1 = 0 }, "followups.due.p1"},
		{func(c *Config) { c.Due.P3 = time.Hour }, "followups.due.p3"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			c := DefaultConfig()
			tt.change(&c)
			err := c.Validate()
			if err == nil || !strings.HasPrefix(err.Error(), tt.key+": ") {
				t.Errorf("err = %v, want one naming %s", err, tt.key)
			}
			if _, err := New(newStore(t), c, Options{}); err == nil {
				t.Error("New accepted it")
			}
		})
	}
}

func TestSpan(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "1 minute", 20 * time.Second: "1 minute", 40 * time.Minute: "40 minutes", time.Hour: "1 hour",
		5*time.Hour + 10*time.Minute: "5 hours", 47 * time.Hour: "47 hours", 48 * time.Hour: "2 days", 80 * time.Hour: "3 days",
	} {
		if got := span(d); got != want {
			t.Errorf("span(%s) = %q, want %q", d, got, want)
		}
	}
}

// accountStore is a test store with imported accounts.
func (s *testStore) import_(t *testing.T, accounts ...earshot.SocialAccount) {
	t.Helper()
	if err := s.SaveSocialAccounts(t.Context(), accounts); err != nil {
		t.Fatal(err)
	}
}

func TestCustomersAndMarkedAccounts(t *testing.T) {
	three := func(author string) []earshot.Post {
		return []earshot.Post{post(author+"1", author, time.Hour, -0.4), post(author+"2", author, 2*time.Hour, -0.5), post(author+"3", author, 3*time.Hour, -0.3)}
	}
	s := newStore(t)
	for _, a := range []string{"cust", "media", "bot", "rival", "own", "plain"} {
		s.add(t, three(a)...)
	}
	// One strongly negative post of an enterprise customer is enough, and
	// the tier raises the priority.
	s.add(t, post("ent1", "ent", time.Hour, -0.8))
	s.import_(t,
		earshot.SocialAccount{Source: "twitter", Handle: "@H_Cust", Kind: earshot.AccountCustomer, CustomerID: "crm-7", Name: "Cust Ltd", Tier: "business"},
		earshot.SocialAccount{Source: "twitter", Handle: "h_ent", Kind: earshot.AccountCustomer, CustomerID: "crm-8", Name: "Ent Inc", Tier: "Enterprise"},
		earshot.SocialAccount{Source: "twitter", Handle: "h_media", Kind: earshot.AccountMedia},
		earshot.SocialAccount{Source: "twitter", Handle: "h_bot", Kind: earshot.AccountBot},
		earshot.SocialAccount{Source: "twitter", Handle: "h_rival", Kind: earshot.AccountCompetitor},
		earshot.SocialAccount{Source: "twitter", Handle: "h_own", Kind: earshot.AccountBrand},
		earshot.SocialAccount{Source: "mastodon", Handle: "h_plain", Kind: earshot.AccountMedia}, // another source
	)
	f := newFlagger(t, s)
	st, err := f.Step(t.Context(), now)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]earshot.FollowUp{}
	for _, fu := range s.all() {
		got[fu.Author.ID] = fu
	}
	if len(got) != 3 || st.Held != 4 {
		t.Fatalf("flagged %v (stats %+v), want cust, ent and plain, 4 held", slices.Sorted(mapsKeys(got)), st)
	}
	if c := got["cust"].Customer; c != (earshot.Customer{ID: "crm-7", Name: "Cust Ltd", Tier: "business"}) {
		t.Errorf("customer of cust: %+v", c)
	}
	if got["cust"].Priority != 4 || !strings.HasSuffix(got["cust"].Reason, "; customer Cust Ltd (business)") {
		t.Errorf("cust: P%d %q, want P4 (business adds nothing) naming the customer", got["cust"].Priority, got["cust"].Reason)
	}
	if ent := got["ent"]; ent.Priority != 3 || ent.Customer.Tier != "Enterprise" {
		t.Errorf("ent: P%d %+v, want P3 (strong + enterprise's point)", ent.Priority, ent.Customer)
	}
	if !got["plain"].Customer.IsZero() {
		t.Errorf("plain is no known customer: %+v", got["plain"].Customer)
	}
	held := f.Held()
	if len(held) != 4 {
		t.Fatalf("held %+v, want 4", held)
	}
	for _, h := range held {
		if !h.Marked || h.Posts != 3 || !strings.HasPrefix(h.Reason, "held out: marked ") {
			t.Errorf("held %+v", h)
		}
	}
}

func mapsKeys(m map[string]earshot.FollowUp) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestLikelyMediaAndBotsHeldOut(t *testing.T) {
	loud := func(name, handle string) func(*earshot.Post) {
		return func(p *earshot.Post) { p.Author.Name, p.Author.Handle, p.Author.Followers = name, handle, 96_400 }
	}
	s := newStore(t,
		// A news account with reach: held, the name and reach explain it.
		with(post("n1", "news", time.Hour, -0.9), loud("Cloud Outage Watch", "cloudoutagewatch")),
		// A person with high reach: flagged.
		with(post("p1", "priya", time.Hour, -0.9), loud("Priya Raman", "priyaraman_tech")),
		// The same text again and again: a bot.
		with(post("b1", "rob", time.Hour, -0.5), func(p *earshot.Post) { p.Text = "Acme is DOWN" }),
		with(post("b2", "rob", 2*time.Hour, -0.5), func(p *earshot.Post) { p.Text = "acme is down" }),
		with(post("b3", "rob", 3*time.Hour, -0.5), func(p *earshot.Post) { p.Text = "Acme  is down" }),
		// Links and little else, three complaints: a feed.
		with(post("l1", "linky", time.Hour, -0.5), func(p *earshot.Post) { p.Text = "Acme outage https://x.example/1" }),
		with(post("l2", "linky", 2*time.Hour, -0.5), func(p *earshot.Post) { p.Text = "https://x.example/2" }),
		with(post("l3", "linky", 3*time.Hour, -0.5), func(p *earshot.Post) { p.Text = "Acme down: https://x.example/3" }),
		// An article writer.
		with(post("a1", "writer", time.Hour, -0.5), func(p *earshot.Post) { p.Kind = earshot.KindArticle }),
		with(post("a2", "writer", 2*time.Hour, -0.5), func(p *earshot.Post) { p.Kind = earshot.KindArticle }),
		with(post("a3", "writer", 3*time.Hour, -0.5), func(p *earshot.Post) { p.Kind = earshot.KindArticle }),
		// A person whose name has a news word, little reach: flagged.
		with(post("w1", "watcher", time.Hour, -0.5), func(p *earshot.Post) { p.Author.Name = "Watch Maker Jo" }),
		with(post("w2", "watcher", 2*time.Hour, -0.5), func(p *earshot.Post) { p.Author.Name = "Watch Maker Jo" }),
		with(post("w3", "watcher", 3*time.Hour, -0.5), func(p *earshot.Post) { p.Author.Name = "Watch Maker Jo" }),
	)
	f := newFlagger(t, s)
	if _, err := f.Step(t.Context(), now); err != nil {
		t.Fatal(err)
	}
	var flagged []string
	for _, fu := range s.all() {
		flagged = append(flagged, fu.Author.ID)
	}
	slices.Sort(flagged)
	if !slices.Equal(flagged, []string{"priya", "watcher"}) {
		t.Errorf("flagged %v, want priya and watcher", flagged)
	}
	want := map[string]string{
		"news":   "held out: likely media (signals: name says watch, outage; 96k followers)",
		"rob":    "held out: likely bot (signals: the same text 3 times",
		"linky":  "held out: likely media (signals: 3 of 3 posts just a link",
		"writer": "held out: likely media (signals: 3 article(s))",
	}
	held := f.Held()
	if len(held) != len(want) {
		t.Fatalf("held %+v, want %v", held, want)
	}
	for _, h := range held {
		if w := want[h.Author.ID]; !strings.HasPrefix(h.Reason, w) || h.Marked {
			t.Errorf("held %s: %q, want %q...", h.Author.ID, h.Reason, w)
		}
	}

	// hold_likely flag puts them back in the queue; marked accounts stay out.
	s2 := newStore(t, with(post("n1", "news", time.Hour, -0.9), loud("Cloud Outage Watch", "cloudoutagewatch")))
	f2 := newFlagger(t, s2, func(c *Config) { c.HoldLikely = HoldLikelyFlag })
	if _, err := f2.Step(t.Context(), now); err != nil || len(s2.all()) != 1 {
		t.Errorf("hold_likely flag: %d follow-ups, %v; want the news account flagged", len(s2.all()), err)
	}
}
