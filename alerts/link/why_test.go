package link

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot"
)

func TestWhy(t *testing.T) {
	during := outagePosts()
	// The loudest complaint, retweeted by big accounts: shown once.
	loud := mkPost(9000, t0.Add(3*time.Minute), text{"Acme Cloud is down and we are losing money. Awful!", -0.95, earshot.ReasonOutage, "twitter"})
	loud.Author.Followers = 900_000
	during = append(during, loud)
	for i := range 3 {
		rt := mkPost(9001+i, t0.Add(time.Duration(4+i)*time.Minute), text{"RT @bigco: Acme Cloud is down and we are losing money. Awful!", -0.95, earshot.ReasonOutage, "twitter"})
		rt.Author.Followers = 1_000_000
		during = append(during, rt)
	}
	// A negative post with no reason: classified locally.
	during = append(during, mkPost(9100, t0.Add(5*time.Minute), text{"Acme keeps charging my card twice", -0.5, "", "reddit"}))

	l := newLinker(t, Deps{Incidents: incidentStore(t), Posts: postStore(t, world(during)...)})
	as, err := l.Build(t.Context(), spikeOf(earshot.MetricNegativeShare))
	if err != nil {
		t.Fatal(err)
	}
	why := as[0].Why

	t.Run("terms", func(t *testing.T) {
		byTerm := map[string]earshot.TermLift{}
		for i, tl := range why.Terms {
			byTerm[tl.Term] = tl
			if i > 0 && tl.Lift > why.Terms[i-1].Lift {
				t.Errorf("terms not by lift: %v", why.Terms)
			}
			if tl.Count < 3 || tl.Lift < 1.5 {
				t.Errorf("term %+v under the minimums", tl)
			}
		}
		if len(why.Terms) == 0 || len(why.Terms) > 8 {
			t.Fatalf("%d terms, want 1 to 8: %v", len(why.Terms), why.Terms)
		}
		down, ok := byTerm["down"]
		if !ok {
			t.Fatalf("no \"down\" in %v", why.Terms)
		}
		// 16 of the 33 spike posts, none of the 48 baseline posts.
		wantLift := (17.0 / 35) / (1.0 / 50)
		if down.Count != 16 || down.Lift < wantLift-0.01 || down.Lift > wantLift+0.01 {
			t.Errorf("down = %+v, want count 16 and lift %.2f", down, wantLift)
		}
		for _, brand := range []string{"acme", "cloud", "acmecloud"} {
			if _, ok := byTerm[brand]; ok {
				t.Errorf("the watch's own name %q is a term: %v", brand, why.Terms)
			}
		}
		if _, ok := byTerm["errors"]; ok {
			t.Errorf("\"errors\" listed apart from its stem: %v", why.Terms)
		}
	})

	t.Run("reasons", func(t *testing.T) {
		want := []earshot.Count{
			{Name: "availability", Count: 16, Share: 0.55},
			{Name: "login", Count: 12, Share: 0.41},
			{Name: "billing", Count: 1, Share: 0.03},
		}
		if fmt.Sprint(why.Reasons) != fmt.Sprint(want) {
			t.Errorf("reasons %v, want %v", why.Reasons, want)
		}
	})

	t.Run("sources", func(t *testing.T) {
		total := 0
		for i, c := range why.Sources {
			total += c.Count
			if i > 0 && c.Count > why.Sources[i-1].Count {
				t.Errorf("sources not by count: %v", why.Sources)
			}
		}
		if total != 33 || why.Sources[0].Name != "twitter" || why.Sources[0].Count != 17 {
			t.Errorf("sources %v, want 33 posts, twitter first with 17", why.Sources)
		}
	})

	t.Run("posts", func(t *testing.T) {
		if len(why.Posts) != 3 {
			t.Fatalf("%d posts, want 3", len(why.Posts))
		}
		seen := map[string]bool{}
		for _, p := range why.Posts {
			key := strings.TrimPrefix(p.Text, "RT @bigco: ")
			if seen[key] {
				t.Errorf("near-identical posts shown twice: %q", p.Text)
			}
			seen[key] = true
			if p.Sentiment.Label != earshot.Negative {
				t.Errorf("representative post %q is %s", p.Text, p.Sentiment.Label)
			}
		}
		if !strings.Contains(why.Posts[0].Text, "losing money") {
			t.Errorf("first post %q, want the loud complaint", why.Posts[0].Text)
		}
	})
}

func TestWhyPositiveSpikePosts(t *testing.T) {
	l := newLinker(t, Deps{Incidents: incidentStore(t), Posts: postStore(t, world(launchPosts())...)})
	as, err := l.Build(t.Context(), volumeSpike())
	if err != nil {
		t.Fatal(err)
	}
	why := as[0].Why
	if len(why.Posts) != 3 || why.Posts[0].Sentiment.Score < 0.7 {
		t.Errorf("posts %v, want the 3 most positive", why.Posts)
	}
	if len(why.Reasons) != 0 {
		t.Errorf("reasons %v for a spike without negative posts", why.Reasons)
	}
	found := false
	for _, tl := range why.Terms {
		found = found || tl.Term == "edge" || tl.Term == "functions"
	}
	if !found {
		t.Errorf("terms %v lack the launch's words", why.Terms)
	}
}

func TestHostileText(t *testing.T) {
	hostile := []string{
		"",
		"\xff\xfe\xfd invalid utf-8 down \xc3",
		strings.Repeat("down ", 100_000),
		strings.Repeat("🔥", 10_000) + " outage",
		"<script>alert('down')</script> & \"quotes\" 'n' \\backslashes\\",
		"\x00\x01\x02 control \u202e right-to-left override \u200b zero width",
		strings.Repeat("#", 5000) + strings.Repeat("@", 5000) + strings.Repeat("'", 5000),
		"http://" + strings.Repeat("a", 10000),
		"not",
		"can't",
		"ö" + strings.Repeat("\u0301", 1000),
	}
	var ps []earshot.Post
	for i, h := range hostile {
		for j := range 3 {
			p := mkPost(100*i+j, t0.Add(time.Duration(j)*time.Minute), text{h, -0.9, "", "twitter"})
			p.Author.Followers = -5 // a source lying about reach
			ps = append(ps, p)
		}
	}
	inc := apiIncident(t0.Add(5 * time.Minute))
	inc.Title = strings.Repeat("\xff down ", 1000)
	l := newLinker(t, Deps{Incidents: incidentStore(t, inc), Posts: postStore(t, world(ps)...)})
	as, err := l.Build(t.Context(), spikeOf(earshot.MetricNegativeShare))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		if !utf8.ValidString(a.Summary) || !utf8.ValidString(a.Why.Link) {
			t.Errorf("invalid UTF-8 in %s alert", a.Kind)
		}
		if len(a.Summary) > 400 {
			t.Errorf("summary of %d bytes", len(a.Summary))
		}
		for _, p := range a.Why.Posts {
			if !utf8.ValidString(p.Text) || len(p.Text) > maxPostText {
				t.Errorf("representative text of %d bytes, valid %v", len(p.Text), utf8.ValidString(p.Text))
			}
		}
		for _, tl := range a.Why.Terms {
			if utf8.RuneCountInString(tl.Term) > maxWordRunes {
				t.Errorf("term of %d runes", utf8.RuneCountInString(tl.Term))
			}
		}
	}
}
