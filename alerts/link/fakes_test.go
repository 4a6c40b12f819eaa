package link

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// fakePosts is an in-memory earshot.PostLister.
type fakePosts struct {
	posts []earshot.Post
}

func (f *fakePosts) Posts(_ context.Context, q earshot.PostQuery) ([]earshot.Post, error) {
	var out []earshot.Post
	for _, p := range f.posts {
		if p.CreatedAt.Before(q.From) || !p.CreatedAt.Before(q.To) {
			continue
		}
		if q.Watch != "" && !slices.Contains(p.Watches, q.Watch) {
			continue
		}
		if q.Source != "" && p.Source != q.Source {
			continue
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b earshot.Post) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	limit := q.Limit
	if limit == 0 {
		limit = 100
	}
	return out[:min(limit, len(out))], nil
}

// linkingPosts is a fakePosts that is also an earshot.PostLinker, and
// records what it was asked to link.
type linkingPosts struct {
	fakePosts
	calls []linkCall
}

type linkCall struct {
	q        earshot.PostQuery
	incident string
}

func (f *linkingPosts) LinkPosts(_ context.Context, q earshot.PostQuery, incidentID string) (int64, error) {
	f.calls = append(f.calls, linkCall{q, incidentID})
	var n int64
	for i, p := range f.posts {
		if p.CreatedAt.Before(q.From) || !p.CreatedAt.Before(q.To) {
			continue
		}
		if q.Watch != "" && !slices.Contains(p.Watches, q.Watch) {
			continue
		}
		if q.Source != "" && p.Source != q.Source {
			continue
		}
		f.posts[i].IncidentID = incidentID
		n++
	}
	return n, nil
}

// fakeIncidents is an in-memory IncidentLister.
type fakeIncidents []earshot.Incident

func (f fakeIncidents) Incidents(_ context.Context, from, to time.Time) ([]earshot.Incident, error) {
	var out []earshot.Incident
	for _, inc := range f {
		if inc.Overlaps(from, to) {
			out = append(out, inc)
		}
	}
	slices.SortFunc(out, func(a, b earshot.Incident) int { return a.StartedAt.Compare(b.StartedAt) })
	return out, nil
}

// failing fails every call.
type failing struct{}

func (failing) Incidents(context.Context, time.Time, time.Time) ([]earshot.Incident, error) {
	return nil, fmt.Errorf("store down")
}

func (failing) Posts(context.Context, earshot.PostQuery) ([]earshot.Post, error) {
	return nil, fmt.Errorf("store down")
}

// fakeSpikes is an in-memory SpikeLister that spikes can be saved to.
type fakeSpikes struct {
	spikes []earshot.Spike
}

func (f *fakeSpikes) Spikes(_ context.Context, from, to time.Time) ([]earshot.Spike, error) {
	var out []earshot.Spike
	for _, s := range f.spikes {
		if s.Start.Before(to) && (s.End.IsZero() || s.End.After(from)) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b earshot.Spike) int {
		return cmp.Or(a.Start.Compare(b.Start), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}

func (f *fakeSpikes) save(s earshot.Spike) {
	for i := range f.spikes {
		if f.spikes[i].ID == s.ID {
			f.spikes[i] = s
			return
		}
	}
	f.spikes = append(f.spikes, s)
}
