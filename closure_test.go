package earshot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
	"github.com/earshot/earshot/store/storetest"
)

var (
	admin   = earshot.User{Name: "ada", Role: earshot.RoleAdmin}
	comms   = earshot.User{Name: "cam", Role: earshot.RoleComms}
	support = earshot.User{Name: "sue", Role: earshot.RoleSupport}
	exec    = earshot.User{Name: "eve", Role: earshot.RoleExec}
)

func TestCloseRule(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	inc := earshot.Incident{ID: "manual:1", StartedAt: at.Add(-5 * time.Hour), ResolvedAt: at.Add(-2 * time.Hour)}
	clear := earshot.ClosureCheck{
		FollowUps: earshot.FollowUpCounts{Resolved: 3, Dismissed: 1},
		Recovery:  earshot.Recovery{BaselineScored: 100, BaselineNegative: 10, SinceScored: 50, SinceNegative: 5},
	}
	waiting := clear
	waiting.FollowUps.Open, waiting.FollowUps.Contacted = 2, 1
	unhappy := clear
	unhappy.Recovery.SinceNegative = 6 // 12% > 10%

	tests := []struct {
		name     string
		check    earshot.ClosureCheck
		user     earshot.User
		override string
		err      error
		words    []string // in the error, or in the recorded refusals
	}{
		{"comms closes a clear incident", clear, comms, "", nil, nil},
		{"admin closes a clear incident", clear, admin, "", nil, nil},
		{"support may not close", clear, support, "", earshot.ErrForbidden, []string{"sue", "support"}},
		{"exec may not close", clear, exec, "", earshot.ErrForbidden, nil},
		{"waiting follow-ups refuse", waiting, comms, "", earshot.ErrClosureRefused, []string{"3 follow-up(s) still waiting", "2 open", "1 contacted"}},
		{"negative share above baseline refuses", unhappy, comms, "", earshot.ErrClosureRefused, []string{"12.0%", "6 of 50", "10.0%", "10 of 100"}},
		{"comms cannot override", waiting, comms, "customers called", earshot.ErrForbidden, []string{"only an admin"}},
		{"admin overrides with a reason", waiting, admin, "  all called by phone  ", nil, []string{"3 follow-up(s) still waiting"}},
		{"a blank override is no override", unhappy, admin, "   ", earshot.ErrClosureRefused, nil},
		{"the service is still down", earshot.ClosureCheck{ServiceOngoing: true}, comms, "", earshot.ErrClosureRefused, []string{"the service is not resolved yet"}},
		{"admin closes a still-down incident with a reason", earshot.ClosureCheck{ServiceOngoing: true}, admin, "public story moved to the postmortem", nil, []string{"the service is not resolved yet"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := inc.Close(tc.check, tc.user, tc.override, at)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("Close: err %v, want %v", err, tc.err)
				}
				if got.Closure != nil {
					t.Errorf("refused close set Closure %+v", got.Closure)
				}
				for _, w := range tc.words {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not say %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Close: %v", err)
			}
			c := got.Closure
			if c == nil || c.By != tc.user.Name || !c.At.Equal(at) || !got.UpdatedAt.Equal(at) {
				t.Fatalf("Closure = %+v, UpdatedAt %v; want by %s at %v", c, got.UpdatedAt, tc.user.Name, at)
			}
			if inc.Closure != nil {
				t.Error("Close changed the incident it was called on")
			}
			if tc.override == "" {
				if c.Override != "" || c.Overridden != nil {
					t.Errorf("unforced close recorded an override: %+v", c)
				}
				return
			}
			if c.Override != strings.TrimSpace(tc.override) {
				t.Errorf("Override = %q, want %q", c.Override, strings.TrimSpace(tc.override))
			}
			if !strings.Contains(strings.Join(c.Overridden, "\n"), tc.words[0]) {
				t.Errorf("Overridden = %q, want it to say %q", c.Overridden, tc.words[0])
			}
		})
	}

	closed, err := inc.Close(clear, comms, "", at)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := closed.Close(clear, admin, "again", at.Add(time.Hour)); !errors.Is(err, earshot.ErrInvalidTransition) {
		t.Errorf("closing twice: err %v, want ErrInvalidTransition", err)
	}
}

func TestRecoveredAtBaseline(t *testing.T) {
	for _, tc := range []struct {
		r    earshot.Recovery
		want bool
	}{
		{earshot.Recovery{BaselineScored: 10, BaselineNegative: 1, SinceScored: 20, SinceNegative: 2}, true}, // equal
		{earshot.Recovery{BaselineScored: 10, BaselineNegative: 1, SinceScored: 20, SinceNegative: 3}, false},
		{earshot.Recovery{BaselineScored: 10, BaselineNegative: 1}, true},             // nothing said since
		{earshot.Recovery{SinceScored: 4, SinceNegative: 1}, false},                   // no baseline: any negative is above it
		{earshot.Recovery{BaselineScored: 3, SinceScored: 4, SinceNegative: 0}, true}, // all calm
	} {
		if got := tc.r.Recovered(); got != tc.want {
			t.Errorf("%+v.Recovered() = %v, want %v", tc.r, got, tc.want)
		}
	}
}

// seriesRecorder is the in-memory store, recording the series asked of it.
type seriesRecorder struct {
	*memstore.Store
	queries []earshot.SeriesQuery
}

func (r *seriesRecorder) Series(ctx context.Context, q earshot.SeriesQuery) ([]earshot.Bucket, error) {
	r.queries = append(r.queries, q)
	return r.Store.Series(ctx, q)
}

// scoredPosts returns n posts of watch created from at on, a minute apart,
// the first neg of them negative and the others positive.
func scoredPosts(watch string, at time.Time, n, neg int) []earshot.Post {
	var out []earshot.Post
	for i := range n {
		score := 0.8
		if i < neg {
			score = -0.8
		}
		id := fmt.Sprintf("%s-%d-%d", strings.ReplaceAll(watch, " ", "-"), at.Unix(), i)
		out = append(out, storetest.NewPost("rss", id, at.Add(time.Duration(i)*time.Minute)).Watches(watch).Score(score).Post())
	}
	return out
}

func TestCheckClosure(t *testing.T) {
	now := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	inc := earshot.Incident{ID: "manual:7", Watches: []string{"acme", "acme pay"},
		StartedAt: now.Add(-50 * time.Hour), ResolvedAt: now.Add(-30 * time.Hour)}
	src := &seriesRecorder{Store: memstore.New()}
	for _, f := range []earshot.FollowUp{
		{ID: "a", IncidentID: "manual:7", State: earshot.FollowUpOpen},
		{ID: "b", IncidentID: "manual:7", State: earshot.FollowUpResolved},
		{ID: "c", IncidentID: "manual:7", State: earshot.FollowUpDismissed},
		{ID: "d", IncidentID: "manual:8", State: earshot.FollowUpOpen},
		{ID: "e", State: earshot.FollowUpOpen},
	} {
		f.Source, f.Author, f.CreatedAt = "rss", earshot.Author{ID: "u-" + f.ID}, now.Add(-time.Hour)
		if err := src.SaveFollowUp(t.Context(), f); err != nil {
			t.Fatal(err)
		}
	}
	// Each watch: 40 scored posts, 4 negative, in the baseline week; 10, 3
	// negative, in the last day; and negative ones between, which neither
	// window holds.
	for _, w := range inc.Watches {
		posts := scoredPosts(w, inc.StartedAt.Add(-3*24*time.Hour), 40, 4)
		posts = append(posts, scoredPosts(w, now.Add(-2*time.Hour), 10, 3)...)
		posts = append(posts, scoredPosts(w, inc.StartedAt.Add(time.Hour), 5, 5)...)
		if err := src.SavePosts(t.Context(), posts); err != nil {
			t.Fatal(err)
		}
	}
	c, fs, err := earshot.CheckClosure(t.Context(), src, inc, now)
	if err != nil {
		t.Fatal(err)
	}
	if c.ServiceOngoing {
		t.Error("a resolved incident checks as ongoing")
	}
	if len(fs) != 3 || c.FollowUps != (earshot.FollowUpCounts{Open: 1, Resolved: 1, Dismissed: 1}) {
		t.Errorf("follow-ups %d, counts %+v; want the incident's 3: 1 open, 1 resolved, 1 dismissed", len(fs), c.FollowUps)
	}
	r := c.Recovery
	if r.BaselineScored != 80 || r.BaselineNegative != 8 || r.SinceScored != 20 || r.SinceNegative != 6 {
		t.Errorf("recovery %+v: want both watches summed (80/8 before, 20/6 since)", r)
	}
	// Resolved 30h ago: the recent window is capped at the last day.
	if !r.SinceFrom.Equal(now.Add(-24*time.Hour)) || !r.SinceTo.Equal(now) ||
		!r.BaselineTo.Equal(inc.StartedAt) || !r.BaselineFrom.Equal(inc.StartedAt.Add(-7*24*time.Hour)) {
		t.Errorf("windows: baseline %v–%v, since %v–%v", r.BaselineFrom, r.BaselineTo, r.SinceFrom, r.SinceTo)
	}
	watches := map[string]int{}
	for _, q := range src.queries {
		watches[q.Watch]++
	}
	if watches["acme"] != 2 || watches["acme pay"] != 2 || len(watches) != 2 {
		t.Errorf("queried watches %v, want acme and acme pay for each window", watches)
	}
	if got := len(c.Refusals()); got != 2 {
		t.Errorf("Refusals() = %q, want 2 (one waiting, 30%% > 10%%)", c.Refusals())
	}

	// Resolved an hour ago: the recent window starts at the resolution.
	inc.ResolvedAt = now.Add(-time.Hour)
	c, _, err = earshot.CheckClosure(t.Context(), src, inc, now)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Recovery.SinceFrom.Equal(inc.ResolvedAt) {
		t.Errorf("SinceFrom %v, want the resolution %v", c.Recovery.SinceFrom, inc.ResolvedAt)
	}

	// Not resolved: ongoing, and the recent window starts at the start.
	inc.ResolvedAt = time.Time{}
	inc.StartedAt = now.Add(-2 * time.Hour)
	c, _, err = earshot.CheckClosure(t.Context(), src, inc, now)
	if err != nil {
		t.Fatal(err)
	}
	if !c.ServiceOngoing || !c.Recovery.SinceFrom.Equal(inc.StartedAt) || c.Refusals()[0] != "the service is not resolved yet: resolve the incident first" {
		t.Errorf("ongoing incident: %+v, refusals %q", c, c.Refusals())
	}
}
