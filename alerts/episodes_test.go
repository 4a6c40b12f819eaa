package alerts

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// messages renders episode messages compactly: "12:00:30 ep-acme-... #1 new [a b]".
func messages(ns []earshot.Notification) []string {
	var out []string
	for _, n := range ns {
		var ids []string
		for _, a := range n.Alerts {
			id := a.ID
			if !a.EndsAt.IsZero() && !a.EndsAt.After(n.At) {
				id = "-" + id
			}
			if a.IncidentID != "" {
				id += "@" + a.IncidentID
			}
			ids = append(ids, id)
		}
		kind := "new"
		if n.Update {
			kind = "update"
		}
		out = append(out, fmt.Sprintf("%s %s %s #%d %s %v", n.At.Format("15:04:05"), n.Receiver, n.Episode, n.Seq, kind, ids))
	}
	return out
}

func TestEpisodesOneConversation(t *testing.T) {
	d := newDispatcher(t, timing(), Options{})
	eps := NewEpisodes(EpisodeOptions{})
	var got []earshot.Notification
	var saved []earshot.Episode
	flush := func(at time.Time) {
		msgs, changed := eps.Apply(d.Flush(at))
		got = append(got, msgs...)
		saved = append(saved, changed...)
	}
	volume := func(id string, at time.Time) earshot.Alert {
		a := alert(id, "acme", earshot.AlertSpike, "warning", at)
		a.Metric, a.SpikeID = earshot.MetricVolume, "s-vol"
		return a
	}
	negative := func(id string, kind earshot.AlertKind, sev string, at time.Time) earshot.Alert {
		a := alert(id, "acme", kind, sev, at)
		a.SpikeID = "s-neg"
		return a
	}
	ep := EpisodeID("acme", t0.Add(30*time.Second))

	// The first evidence: two metrics, each a spike and a possible
	// unreported incident, all at once: one message.
	d.Add(volume("vol", t0), nil)
	d.Add(negative("neg", earshot.AlertSpike, "warning", t0), nil)
	unrep := negative("neg-unrep", earshot.AlertUnreported, "critical", t0)
	d.Add(unrep, nil)
	flush(t0.Add(time.Minute))
	// The link is found 10 minutes later.
	linked := negative("neg", earshot.AlertSpike, "critical", t0.Add(10*time.Minute))
	linked.IncidentID = "inc1"
	d.Add(linked, nil)
	flush(t0.Add(20 * time.Minute))
	// Four hours of the same: the dispatcher repeats, the episode stays quiet.
	flush(t0.Add(4*time.Hour + 30*time.Minute))
	// It ends: one message.
	end := t0.Add(5 * time.Hour)
	d.Add(earshot.Alert{ID: "end-vol", Kind: earshot.AlertResolved, SpikeID: "s-vol", Watch: "acme", At: end, EndsAt: end}, nil)
	flush(end.Add(2 * time.Minute))
	d.Add(earshot.Alert{ID: "end-neg", Kind: earshot.AlertResolved, SpikeID: "s-neg", Watch: "acme", At: end.Add(5 * time.Minute), EndsAt: end.Add(5 * time.Minute)}, nil)
	flush(end.Add(20 * time.Minute))
	// Three hours later, customers still upset, linked to the same incident
	// as aftermath: the same episode, told nobody (it is over, and this
	// says nothing new); nor is its end.
	after := negative("after", earshot.AlertSpike, "warning", end.Add(3*time.Hour))
	after.SpikeID, after.IncidentID = "s-after", "inc1"
	d.Add(after, nil)
	flush(end.Add(3*time.Hour + time.Minute))
	d.Add(earshot.Alert{ID: "end-after", Kind: earshot.AlertResolved, SpikeID: "s-after", Watch: "acme", At: end.Add(4 * time.Hour), EndsAt: end.Add(4 * time.Hour)}, nil)
	flush(end.Add(5 * time.Hour))
	// The next day, something new: a new episode.
	next := volume("next", t0.Add(30*time.Hour))
	next.SpikeID = "s-next"
	d.Add(next, nil)
	flush(t0.Add(30*time.Hour + time.Minute))

	want := []string{
		"12:00:30 default " + ep + " #1 new [neg-unrep neg vol]",
		"12:10:30 default " + ep + " #2 update [neg@inc1 vol]",
		"17:05:30 default " + ep + " #3 update [-neg@inc1 -neg-unrep -vol]",
		"18:00:30 default " + EpisodeID("acme", t0.Add(30*time.Hour+30*time.Second)) + " #1 new [next]",
	}
	if g := messages(got); !slices.Equal(g, want) {
		t.Errorf("messages:\n%q\nwant\n%q", g, want)
	}
	last := map[string]earshot.Episode{}
	for _, e := range saved {
		last[e.ID] = e
	}
	e := last[ep]
	if e.IncidentID != "inc1" || e.Messages != 3 || !slices.Equal(e.AlertIDs, []string{"neg", "vol", "neg-unrep", "after"}) || e.Severity != "critical" || e.Kind != earshot.AlertUnreported ||
		!slices.Equal(e.Metrics, []earshot.Metric{earshot.MetricNegativeShare, earshot.MetricVolume}) || !e.ResolvedAt.Equal(end.Add(4*time.Hour+30*time.Second)) {
		t.Errorf("episode: %+v", e)
	}
}

func TestEpisodesPerReceiver(t *testing.T) {
	eps := NewEpisodes(EpisodeOptions{})
	a := alert("a", "acme", earshot.AlertSpike, "warning", t0)
	at := t0.Add(time.Minute)
	msgs, _ := eps.Apply([]earshot.Notification{
		{Receiver: "slack", Alerts: []earshot.Alert{a}, At: at},
		{Receiver: "pager", Alerts: []earshot.Alert{a}, At: at},
	})
	want := []string{
		"12:01:00 slack " + EpisodeID("acme", at) + " #1 new [a]",
		"12:01:00 pager " + EpisodeID("acme", at) + " #1 new [a]",
	}
	if g := messages(msgs); !slices.Equal(g, want) {
		t.Errorf("messages:\n%q\nwant\n%q", g, want)
	}
	// A resolved alert nobody heard of opens nothing.
	b := alert("b", "beta", earshot.AlertSpike, "warning", t0)
	b.EndsAt = t0
	if msgs, eps := eps.Apply([]earshot.Notification{{Receiver: "slack", Alerts: []earshot.Alert{b}, At: at}}); len(msgs)+len(eps) != 0 {
		t.Errorf("a resolved alert opened %v %v", msgs, eps)
	}
}

// TestEpisodesReopen: an episode over and told comes back with a message
// only when it says more than before.
func TestEpisodesReopen(t *testing.T) {
	eps := NewEpisodes(EpisodeOptions{})
	at := t0.Add(time.Minute)
	send := func(a earshot.Alert, at time.Time) []string {
		msgs, _ := eps.Apply([]earshot.Notification{{Receiver: "slack", Alerts: []earshot.Alert{a}, At: at}})
		return messages(msgs)
	}
	a := alert("a", "acme", earshot.AlertSpike, "warning", t0)
	send(a, at)
	a.EndsAt = t0.Add(time.Hour)
	if got := send(a, t0.Add(time.Hour)); len(got) != 1 {
		t.Fatalf("the end: %q", got)
	}
	// Within Rejoin, a warning again: kept quiet.
	b := alert("b", "acme", earshot.AlertSpike, "warning", t0.Add(90*time.Minute))
	if got := send(b, t0.Add(90*time.Minute)); len(got) != 0 {
		t.Errorf("a quiet tail sent %q", got)
	}
	// Then critical: worth a message, in the same episode.
	b.Severity = "critical"
	want := "13:40:00 slack " + EpisodeID("acme", at) + " #3 update [b -a]"
	if got := send(b, t0.Add(100*time.Minute)); !slices.Equal(got, []string{want}) {
		t.Errorf("severity up: %q, want %q", got, want)
	}
	// Beyond Rejoin and with no incident, new trouble is a new episode.
	c := alert("c", "acme", earshot.AlertSpike, "warning", t0.Add(5*time.Hour))
	b.EndsAt = t0.Add(2 * time.Hour)
	send(b, t0.Add(2*time.Hour))
	want = "17:00:00 slack " + EpisodeID("acme", t0.Add(5*time.Hour)) + " #1 new [c]"
	if got := send(c, t0.Add(5*time.Hour)); !slices.Equal(got, []string{want}) {
		t.Errorf("new trouble: %q, want %q", got, want)
	}
}

// TestEpisodesSpikeClosed: an alert muted while it fired ends with its
// spike though routing never says so; the episode is then over, and a
// later resolve notification still tells it.
func TestEpisodesSpikeClosed(t *testing.T) {
	eps := NewEpisodes(EpisodeOptions{})
	a := alert("a", "acme", earshot.AlertSpike, "warning", t0)
	muted := alert("m", "acme", earshot.AlertUnreported, "critical", t0)
	at := t0.Add(time.Minute)
	eps.Apply([]earshot.Notification{{Receiver: "slack", Alerts: []earshot.Alert{a, muted}, At: at}})
	end := t0.Add(time.Hour)
	if got := eps.SpikeClosed("s-m", end); len(got) != 0 {
		t.Errorf("one spike of two ended: episodes %+v", got)
	}
	got := eps.SpikeClosed("s-a", end)
	if len(got) != 1 || !got[0].ResolvedAt.Equal(end) {
		t.Fatalf("both spikes ended: episodes %+v", got)
	}
	a.EndsAt = end
	msgs, _ := eps.Apply([]earshot.Notification{{Receiver: "slack", Alerts: []earshot.Alert{a}, At: end.Add(30 * time.Second)}})
	if g := messages(msgs); len(g) != 1 || !strings.Contains(g[0], "#2 update [-m -a]") {
		t.Errorf("the end: %q", g)
	}
}

// TestEpisodesSameIncidentNoNews: once a receiver was told the incident
// that explains an episode, another metric's spike explained by the same
// incident, no more severe, is kept in the episode but sends nothing (it
// is in the next message); one explained by another incident, or by
// none, or more severe, is news.
func TestEpisodesSameIncidentNoNews(t *testing.T) {
	eps := NewEpisodes(EpisodeOptions{})
	linked := func(id string, m earshot.Metric, sev, inc string) earshot.Alert {
		a := alert(id, "acme", earshot.AlertSpike, sev, t0)
		a.Metric, a.IncidentID = m, inc
		return a
	}
	neg := linked("neg", earshot.MetricNegativeShare, "warning", "inc1")
	var got []earshot.Notification
	send := func(at time.Time, as ...earshot.Alert) {
		msgs, _ := eps.Apply([]earshot.Notification{{Receiver: "slack", Alerts: as, At: at}})
		got = append(got, msgs...)
	}
	send(t0.Add(time.Minute), neg)
	send(t0.Add(30*time.Minute), neg, linked("vol", earshot.MetricVolume, "warning", "inc1"))
	send(t0.Add(40*time.Minute), neg, linked("net", earshot.MetricNetSentiment, "critical", "inc1"))
	send(t0.Add(50*time.Minute), neg, linked("vol2", earshot.MetricVolume, "warning", "inc2"))
	send(t0.Add(60*time.Minute), neg, linked("plain", earshot.MetricVolume, "warning", ""))
	ep := EpisodeID("acme", t0.Add(time.Minute))
	want := []string{
		"12:01:00 slack " + ep + " #1 new [neg@inc1]",
		"12:40:00 slack " + ep + " #2 update [net@inc1 neg@inc1 vol@inc1]",
		"12:50:00 slack " + ep + " #3 update [net@inc1 neg@inc1 vol@inc1 vol2@inc2]",
		"13:00:00 slack " + ep + " #4 update [net@inc1 neg@inc1 vol@inc1 vol2@inc2 plain]",
	}
	if g := messages(got); !slices.Equal(g, want) {
		t.Errorf("messages:\n%q\nwant\n%q", g, want)
	}
}
