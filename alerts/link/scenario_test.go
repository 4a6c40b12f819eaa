package link

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// t0 is when the test spikes begin.
var t0 = time.Date(2025, 3, 4, 14, 0, 0, 0, time.UTC)

var acme = earshot.Watch{Name: "acme", Terms: []string{"Acme", "Acme Cloud"}, Handles: []string{"acmecloud"},
	Services: []string{"api", "login", "dashboard"}}

type text struct {
	text   string
	score  float64
	reason earshot.Reason
	source string
}

var chatter = []text{
	{"Just migrated our staging cluster to Acme and it was painless. Love it.", 0.7, "", "twitter"},
	{"How do I rotate API keys in Acme without downtime?", 0, "", "reddit"},
	{"Acme docs are excellent, had my first deploy live in under an hour.", 0.6, "", "hackernews"},
	{"Is there a way to export Acme billing data as CSV?", 0, "", "reddit"},
	{"Thanks Acme for the free tier, perfect for side projects.", 0.6, "", "twitter"},
	{"The new Acme dashboard design looks clean.", 0.3, "", "mastodon"},
	{"Acme support took two days to reply to my ticket.", -0.4, earshot.ReasonSupport, "twitter"},
	{"Anyone running Postgres 17 on Acme? Curious about your setup.", 0, "", "reddit"},
}

var outage = []text{
	{"@acmecloud is down again?? Our whole app is broken.", -0.8, earshot.ReasonOutage, "twitter"},
	{"Can't log in to Acme Cloud. Login page just spins. #acmedown", -0.7, earshot.ReasonLogin, "twitter"},
	{"Getting 500 errors from the Acme Cloud API on every request.", -0.7, earshot.ReasonOutage, "reddit"},
	{"Acme Cloud API returning 503s, production is down. This is unacceptable.", -0.9, earshot.ReasonOutage, "hackernews"},
	{"Is Acme down for everyone or just me? Login fails every time.", -0.6, earshot.ReasonLogin, "twitter"},
	{"Login broken on Acme Cloud, 2FA codes rejected. Useless.", -0.8, earshot.ReasonLogin, "mastodon"},
}

var launch = []text{
	{"Acme just shipped edge functions and they are fantastic!", 0.8, "", "twitter"},
	{"Loving the new Acme edge functions launch, deploys in seconds.", 0.7, "", "twitter"},
	{"Acme edge functions launch went smoothly, not down once, no errors at all.", 0.6, "", "hackernews"},
	{"Trying Acme edge functions today, the launch docs are great.", 0.5, "", "reddit"},
	{"Acme edge functions are in beta, anyone tried them?", 0, "", "reddit"},
}

// recovered is what people say once the outage is over.
var recovered = []text{
	{"Acme Cloud is working again, great job on the recovery.", 0.8, "", "twitter"},
	{"@acmecloud back up here, appreciate the updates.", 0.6, "", "mastodon"},
	{"Can log in to Acme again. Thank you!", 0.6, "", "twitter"},
	{"Everything green again on Acme, thanks for the quick fix.", 0.7, "", "reddit"},
}

func mkPost(i int, at time.Time, t text) earshot.Post {
	label := earshot.Neutral
	switch {
	case t.score < -0.05:
		label = earshot.Negative
	case t.score > 0.05:
		label = earshot.Positive
	}
	p := earshot.Post{
		ID:        fmt.Sprintf("%s:%d", t.source, i),
		Source:    t.source,
		Kind:      earshot.KindPost,
		Author:    earshot.Author{ID: fmt.Sprintf("u%d", i), Handle: fmt.Sprintf("user%d", i), Followers: int64(i*37) % 5000},
		Text:      t.text,
		CreatedAt: at,
		Watches:   []string{"acme"},
		Sentiment: earshot.Sentiment{Score: t.score, Label: label},
	}
	if label == earshot.Negative {
		p.Sentiment.Reason = t.reason
	}
	return p
}

// posts returns n posts cycling through texts, every step from start,
// numbered from first.
func posts(first, n int, start time.Time, step time.Duration, texts []text) []earshot.Post {
	var out []earshot.Post
	for i := range n {
		out = append(out, mkPost(first+i, start.Add(time.Duration(i)*step), texts[i%len(texts)]))
	}
	return out
}

// world is a day of chatter about acme, then what happens from t0.
func world(during ...[]earshot.Post) []earshot.Post {
	all := posts(0, 48, t0.Add(-24*time.Hour), 30*time.Minute, chatter)
	for _, d := range during {
		all = append(all, d...)
	}
	return all
}

// outagePosts are 24 outage complaints and 4 ordinary posts over the
// spike's first 20 minutes.
func outagePosts() []earshot.Post {
	return append(posts(1000, 24, t0, 50*time.Second, outage), posts(2000, 4, t0.Add(time.Minute), 5*time.Minute, chatter)...)
}

func launchPosts() []earshot.Post {
	return posts(3000, 30, t0, 40*time.Second, launch)
}

// recoveryPosts are 8 posts saying the service is back and 8 ordinary
// ones over the spike's first 10 minutes: a volume spike of twice the
// usual posts.
func recoveryPosts() []earshot.Post {
	return append(posts(4000, 8, t0, 75*time.Second, recovered), posts(5000, 8, t0.Add(30*time.Second), 75*time.Second, chatter)...)
}

func spikeOf(metric earshot.Metric) earshot.Spike {
	return earshot.Spike{
		ID:       fmt.Sprintf("watch:acme:%s:%d", metric, t0.Unix()),
		Scope:    earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"},
		Metric:   metric,
		Start:    t0,
		Peak:     t0.Add(15 * time.Minute),
		Bucket:   5 * time.Minute,
		Observed: 0.62,
		Expected: 0.08,
		Score:    0.9,
	}
}

func volumeSpike() earshot.Spike {
	s := spikeOf(earshot.MetricVolume)
	s.Observed, s.Expected = 8, 1
	return s
}

func apiIncident(start time.Time) earshot.Incident {
	return earshot.Incident{
		ID:        "statuspage:api",
		Source:    "statuspage",
		Title:     "Elevated API error rates and login failures",
		Status:    earshot.Investigating,
		Severity:  "major",
		Services:  []string{"api", "login"},
		StartedAt: start,
		UpdatedAt: start,
		Updates: []earshot.IncidentUpdate{{At: start, Status: earshot.Investigating,
			Body: "We are investigating elevated error rates on the API and failed logins to the dashboard."}},
	}
}

func dashIncident() earshot.Incident {
	return earshot.Incident{
		ID:         "statuspage:dash",
		Source:     "statuspage",
		Title:      "Dashboard slow to load",
		Status:     earshot.Resolved,
		Severity:   "minor",
		Services:   []string{"dashboard"},
		StartedAt:  t0.Add(-10 * time.Minute),
		ResolvedAt: t0.Add(50 * time.Minute),
		UpdatedAt:  t0.Add(50 * time.Minute),
		Updates: []earshot.IncidentUpdate{{At: t0.Add(-10 * time.Minute), Status: earshot.Investigating,
			Body: "We are investigating reports of the dashboard loading slowly. The API is not affected."}},
	}
}

func newLinker(t *testing.T, deps Deps) *Linker {
	t.Helper()
	if deps.Watches == nil {
		deps.Watches = []earshot.Watch{acme}
	}
	l, err := New(deps, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func kinds(as []earshot.Alert) string {
	var ks []string
	for _, a := range as {
		ks = append(ks, string(a.Kind))
	}
	return strings.Join(ks, ",")
}

// doubledVolume is a volume spike of twice the posts expected.
func doubledVolume() earshot.Spike {
	s := spikeOf(earshot.MetricVolume)
	s.Observed, s.Expected = 16, 8
	return s
}
