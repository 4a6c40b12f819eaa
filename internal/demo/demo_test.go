package demo

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

func TestGenerateDeterministic(t *testing.T) {
	a := Generate(Options{Seed: 7})
	b := Generate(Options{Seed: 7})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed gave different scenarios")
	}
	c := Generate(Options{Seed: 8})
	if reflect.DeepEqual(a.Posts, c.Posts) {
		t.Fatal("different seeds gave the same posts")
	}
}

func TestGenerateShape(t *testing.T) {
	end := time.Date(2026, 5, 20, 9, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"default", Options{}},
		{"14d", Options{End: end, Days: 14, Seed: 1}},
		{"30d half", Options{End: end, Days: 30, Seed: 2, Scale: 0.5}},
		{"3d", Options{End: end, Days: 3, Seed: 3}},
	} {
		opts := tc.opts
		t.Run(tc.name, func(t *testing.T) {
			s := Generate(opts)
			if opts.End.IsZero() {
				opts.End = DefaultEnd
			}
			if opts.Days == 0 {
				opts.Days = 14
			}
			start := opts.End.Add(-time.Duration(opts.Days) * 24 * time.Hour)
			ids := map[string]bool{}
			for i, p := range s.Posts {
				if ids[p.ID] {
					t.Fatalf("duplicate post ID %q", p.ID)
				}
				ids[p.ID] = true
				if p.CreatedAt.Before(start) || p.CreatedAt.After(opts.End) {
					t.Fatalf("post %s created at %v, outside [%v, %v]", p.ID, p.CreatedAt, start, opts.End)
				}
				if p.CollectedAt.Before(p.CreatedAt) || p.CollectedAt.After(opts.End) {
					t.Fatalf("post %s collected at %v, created at %v", p.ID, p.CollectedAt, p.CreatedAt)
				}
				if i > 0 && p.CreatedAt.Before(s.Posts[i-1].CreatedAt) {
					t.Fatalf("posts out of order at %d", i)
				}
				if !strings.HasPrefix(p.ID, p.Source+":") || p.Author.ID == "" || p.Text == "" || p.Lang != "en" || !p.Kind.Valid() {
					t.Fatalf("post incomplete: %+v", p)
				}
				if p.Sentiment.Scored() || len(p.Watches) > 0 {
					t.Fatalf("post %s is already scored or matched", p.ID)
				}
			}
			for _, inc := range s.Incidents {
				if inc.StartedAt.Before(start) || inc.ResolvedAt.After(opts.End) || !inc.Status.Valid() {
					t.Fatalf("incident out of window or invalid: %+v", inc)
				}
			}
		})
	}
}

func TestDefaultVolume(t *testing.T) {
	s := Generate(Options{Seed: 1})
	if n := len(s.Posts); n < 15_000 || n > 30_000 {
		t.Fatalf("%d posts, want 15k to 30k", n)
	}
	sources := map[string]int{}
	authors := map[string]bool{}
	var maxFollowers int64
	for _, p := range s.Posts {
		sources[p.Source]++
		authors[p.Source+"/"+p.Author.ID] = true
		maxFollowers = max(maxFollowers, p.Author.Followers)
	}
	for _, want := range []string{"twitter", "mastodon", "bluesky", "reddit", "hackernews", "rss"} {
		if sources[want] == 0 {
			t.Errorf("no posts from %s", want)
		}
	}
	if len(authors) < 2000 {
		t.Errorf("%d authors, want a few thousand", len(authors))
	}
	if maxFollowers < 100_000 {
		t.Errorf("largest reach %d, want a high-reach account", maxFollowers)
	}
	t.Logf("%d posts, %d authors, by source %v", len(s.Posts), len(authors), sources)
}

func TestWatchesMatch(t *testing.T) {
	s := Generate(Options{Seed: 1})
	m := earshot.NewMatcher(s.Watches)
	unmatched := 0
	for _, p := range s.Posts {
		if len(m.Match(p.Text)) == 0 {
			unmatched++
		}
	}
	if share := float64(unmatched) / float64(len(s.Posts)); share > 0.02 {
		t.Fatalf("%.1f%% of posts match no watch", 100*share)
	}
}

func hourly(posts []earshot.Post) map[time.Time]int {
	counts := map[time.Time]int{}
	for _, p := range posts {
		counts[p.CreatedAt.Truncate(time.Hour)]++
	}
	return counts
}

func TestDailyRhythm(t *testing.T) {
	s, origins := generate(Options{Seed: 3})
	var day, night int
	for i, p := range s.Posts {
		if origins[i] != fromChatter {
			continue
		}
		switch h := p.CreatedAt.Hour(); {
		case h >= 12 && h < 18:
			day++
		case h >= 0 && h < 6:
			night++
		}
	}
	if day < 2*night {
		t.Fatalf("day hours %d posts, night hours %d: want day at least twice night", day, night)
	}
	var weekday, weekend, weekdays, weekends int
	for h, n := range hourly(s.Posts) {
		if wd := h.Weekday(); wd == time.Saturday || wd == time.Sunday {
			weekend += n
			weekends++
		} else {
			weekday += n
			weekdays++
		}
	}
	if float64(weekend)/float64(weekends) >= float64(weekday)/float64(weekdays) {
		t.Fatalf("weekend hours are as busy as weekday hours")
	}
}

func TestOutageSpike(t *testing.T) {
	for _, seed := range []uint64{0, 1, 42} {
		s, origins := generate(Options{Seed: seed})
		inc := s.Outage()
		if inc.Title != "Elevated API error rates and login failures" || inc.Severity != "major" || inc.Source != "statuspage" {
			t.Fatalf("outage: %+v", inc)
		}
		if !slices.Equal(inc.Services, []string{"api", "login"}) {
			t.Fatalf("outage services %v", inc.Services)
		}
		if before := DefaultEnd.Sub(inc.StartedAt); before < 3*24*time.Hour || before > 4*24*time.Hour {
			t.Fatalf("outage starts %v before the end, want 3 to 4 days", before)
		}
		if d := inc.ResolvedAt.Sub(inc.StartedAt); d < 150*time.Minute || d > 210*time.Minute {
			t.Fatalf("outage lasts %v, want about 3 hours", d)
		}
		var statuses []earshot.IncidentStatus
		for _, u := range inc.Updates {
			statuses = append(statuses, u.Status)
		}
		if !slices.Equal(statuses, []earshot.IncidentStatus{earshot.Investigating, earshot.Identified, earshot.Monitoring, earshot.Resolved}) {
			t.Fatalf("updates %v", statuses)
		}

		counts := hourly(s.Posts)
		var all []int
		for _, n := range counts {
			all = append(all, n)
		}
		slices.Sort(all)
		median := all[len(all)/2]
		peak := 0
		for h := inc.StartedAt.Truncate(time.Hour); h.Before(inc.ResolvedAt); h = h.Add(time.Hour) {
			peak = max(peak, counts[h])
		}
		if peak < 5*median {
			t.Fatalf("seed %d: peak hour in the outage has %d posts, median hour %d: want at least 5x", seed, peak, median)
		}
		t.Logf("seed %d: median hour %d posts, outage peak %d (%.1fx)", seed, median, peak, float64(peak)/float64(median))

		// People notice first: reports start 15 to 25 minutes before
		// the incident is opened.
		var first time.Time
		early := 0
		for i, p := range s.Posts {
			if origins[i] != fromOutage {
				continue
			}
			if first.IsZero() {
				first = p.CreatedAt
			}
			if p.CreatedAt.Before(inc.StartedAt) {
				early++
			}
		}
		if lead := inc.StartedAt.Sub(first); lead < 10*time.Minute || lead > 25*time.Minute {
			t.Fatalf("first report %v before the incident, want 15 to 25 minutes", lead)
		}
		if early < 10 {
			t.Fatalf("%d reports before the incident, want a stream of them", early)
		}
	}
}

func TestRepeatComplainers(t *testing.T) {
	s, origins := generate(Options{Seed: 5})
	inc := s.Outage()
	negative := map[string]int{}
	for i, p := range s.Posts {
		if (origins[i] == fromOutage || origins[i] == fromRepeat) && p.CreatedAt.After(inc.StartedAt.Add(-time.Hour)) {
			negative[p.Source+"/"+p.Author.ID]++
		}
	}
	repeat := 0
	for _, n := range negative {
		if n >= 3 {
			repeat++
		}
	}
	if repeat < 15 {
		t.Fatalf("%d authors complained three times or more, want a couple of dozen", repeat)
	}
	after := 0
	for i, p := range s.Posts {
		if origins[i] == fromRepeat && p.CreatedAt.After(inc.ResolvedAt.Add(24*time.Hour)) {
			after++
		}
	}
	if after == 0 {
		t.Fatal("no repeat complaints in the days after the outage")
	}
}

func TestHostileAndMarkup(t *testing.T) {
	s := Generate(Options{Seed: 1})
	var script, js, markup bool
	for _, p := range s.Posts {
		script = script || strings.Contains(p.Text, "<script>") || strings.Contains(p.Author.Name, "<script>")
		js = js || strings.HasPrefix(p.URL, "javascript:")
		markup = markup || (p.Source == "rss" && strings.Contains(p.Text, "<p>") && strings.Contains(p.Text, "&amp;"))
	}
	if !script || !js || !markup {
		t.Fatalf("script %v, javascript: URL %v, rss markup %v: want all", script, js, markup)
	}
}
