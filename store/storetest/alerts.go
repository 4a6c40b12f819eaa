package storetest

import (
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/model"
)

func saveAlert(t *testing.T, as earshot.AlertStore, a earshot.Alert) {
	t.Helper()
	must(t, as.SaveAlert(t.Context(), a), "SaveAlert(%s)", a.ID)
}

func alerts(t *testing.T, as earshot.AlertStore, from, to time.Time) []earshot.Alert {
	t.Helper()
	return got(as.Alerts(t.Context(), from, to)).or(t, "Alerts(%s)", span(from, to))
}

func saveDelivery(t *testing.T, as earshot.AlertStore, d earshot.Delivery) {
	t.Helper()
	must(t, as.SaveDelivery(t.Context(), d), "SaveDelivery(%s)", d.ID)
}

func deliveries(t *testing.T, as earshot.AlertStore, from, to time.Time) []earshot.Delivery {
	t.Helper()
	return got(as.Deliveries(t.Context(), from, to)).or(t, "Deliveries(%s)", span(from, to))
}

// alert is a warning raised at at about a spike on watch "acme".
func alert(id string, at time.Time) earshot.Alert {
	return earshot.Alert{
		ID: id, Kind: earshot.AlertSpike, SpikeID: "spike:" + id, Watch: "acme", Metric: earshot.MetricVolume,
		Severity: "warning", Labels: map[string]string{"watch": "acme"}, Summary: "acme: more posts than usual",
		StartsAt: at.Add(-10 * time.Minute), At: at,
	}
}

// testAlertRoundTrip: an alert comes back as saved, its Why whole (terms,
// reasons, sources, representative posts with every field, times in UTC,
// the link's explanation), its labels, a zero EndsAt; saving the same ID
// replaces it whole, fewer labels and an emptier Why included.
func testAlertRoundTrip(t *testing.T, st earshot.Store) {
	as := st
	if got := alerts(t, as, wide.From, wide.To); len(got) != 0 {
		t.Errorf("Alerts on an empty store: got %d, want none", len(got))
	}
	angry := NewPost("twitter", "1893", Base.Add(-5*time.Minute+123*time.Millisecond)).Kind(earshot.KindReply).
		URL("https://example.com/p/1893?a=b&c=%20").
		AuthorFull(earshot.Author{ID: "9912", Handle: "zoë", Name: "Zoë \"Z\" O'Brien 🦊", Followers: 1 << 40}).
		Text("Acme est en panne 😡\n'single' \"double\" back\\slash").Lang("fr-CA").
		Watches("acme", "Ünïcode watch").Sentiment(-0.734, earshot.Negative).Reason(earshot.ReasonOutage).
		Parts(map[string]float64{"lexicon": -0.5, "model/v2": -0.968}).Incident("statuspage:inc-42").
		Parent("twitter:1890").Post()
	// Times in another zone come back as the same instant, in UTC.
	zoned := NewPost("rss", "z", Base).Score(-0.3).Post()
	zoned.CreatedAt = Base.Add(-3 * time.Minute).In(time.FixedZone("CET", 3600))
	zoned.CollectedAt = Base.Add(-2 * time.Minute).In(time.FixedZone("PST", -8*3600))
	full := earshot.Alert{
		ID:       "alert:spike-1:spike",
		Kind:     earshot.AlertSpike,
		SpikeID:  "spike-1",
		Watch:    "acme",
		Metric:   earshot.MetricNegativeShare,
		Severity: "critical",
		Labels: map[string]string{"watch": "acme", "severity": "critical", "kind": "spike",
			"ünï 'code'": "val\"ue\n2", "empty": ""},
		IncidentID: "statuspage:inc-42",
		Confidence: 0.8125,
		Summary:    "acme: 4.2× the usual negative share — “EU” outage 🔥",
		Why: earshot.Why{
			Terms: []earshot.TermLift{{Term: "down", Count: 31, Lift: 12.25}, {Term: "panne", Count: 4, Lift: 1.0 / 3}},
			Reasons: []earshot.Count{{Name: "availability", Count: 25, Share: 0.8064516129032258},
				{Name: "login", Count: 6, Share: 0.1935483870967742}},
			Sources: []earshot.Count{{Name: "twitter", Count: 40, Share: 0.9}, {Name: "rss", Count: 4, Share: 0.1}},
			Posts:   []earshot.Post{angry, zoned},
			Link:    "started 3 minutes after incident inc-42; shares the term \"api\"",
		},
		StartsAt: Base.Add(-15*time.Minute + 250*time.Millisecond),
		At:       Base.Add(999 * time.Millisecond),
	}
	bare := earshot.Alert{ID: "alert:bare", Kind: earshot.AlertResolved, At: Base.Add(time.Minute)}
	saveAlert(t, as, full)
	saveAlert(t, as, bare)
	checkAlerts(t, "Alerts", alerts(t, as, wide.From, wide.To), []earshot.Alert{full, bare})

	// Replaced whole: fewer labels, no terms or posts, ended.
	resolved := full
	resolved.Kind = earshot.AlertResolved
	resolved.Severity = "info"
	resolved.Labels = map[string]string{"watch": "acme"}
	resolved.IncidentID, resolved.Confidence = "", 0
	resolved.Why = earshot.Why{Sources: []earshot.Count{{Name: "twitter", Count: 1, Share: 1}}}
	resolved.EndsAt = Base.Add(time.Hour + 5*time.Millisecond)
	resolved.At = Base.Add(time.Hour + 5*time.Millisecond)
	saveAlert(t, as, resolved)
	checkAlerts(t, "Alerts after replacing", alerts(t, as, wide.From, wide.To), []earshot.Alert{bare, resolved})
	checkAlerts(t, "Alerts in the replaced alert's first window", alerts(t, as, Base, Base.Add(time.Second)), nil)

	// And back to an alert with a Why and no end.
	saveAlert(t, as, full)
	checkAlerts(t, "Alerts after replacing again", alerts(t, as, wide.From, wide.To), []earshot.Alert{full, bare})
}

// testAlertWindows: Alerts(from, to) holds the alerts raised in [from,
// to), ordered by At, then ID compared byte by byte.
func testAlertWindows(t *testing.T, st earshot.Store) {
	as := st
	before := alert("before", Base.Add(-time.Millisecond))
	atFrom := alert("b", Base)
	tieUpper := alert("B", Base)
	tieLower := alert("a", Base)
	mid := alert("mid", Base.Add(30*time.Minute))
	last := alert("last", Base.Add(time.Hour-time.Millisecond))
	atTo := alert("at-to", Base.Add(time.Hour))
	for _, a := range []earshot.Alert{mid, atTo, tieLower, before, last, atFrom, tieUpper} {
		saveAlert(t, as, a)
	}
	all := []earshot.Alert{before, atFrom, tieUpper, tieLower, mid, last, atTo}
	for _, tc := range []struct {
		from, to time.Time
		want     []earshot.Alert // written out by hand; the model must agree
	}{
		{Base, Base.Add(time.Hour), []earshot.Alert{tieUpper, tieLower, atFrom, mid, last}},
		{Base.Add(-time.Millisecond), Base.Add(time.Hour + time.Millisecond), []earshot.Alert{before, tieUpper, tieLower, atFrom, mid, last, atTo}},
		{Base.Add(time.Millisecond), Base.Add(time.Hour - time.Millisecond), []earshot.Alert{mid}},
		{Base, Base, nil},
		{Base.Add(time.Hour), Base, nil},
	} {
		checkAlerts(t, "storetest bug: model disagrees", model.Alerts(all, tc.from, tc.to), tc.want)
		checkAlerts(t, "Alerts("+span(tc.from, tc.to)+")",
			alerts(t, as, tc.from, tc.to), tc.want)
	}
}

// testDeliveryRoundTrip: a delivery attempt comes back as saved; saving
// the same ID replaces it whole (a later attempt that worked has no error).
func testDeliveryRoundTrip(t *testing.T, st earshot.Store) {
	as := st
	if got := deliveries(t, as, wide.From, wide.To); len(got) != 0 {
		t.Errorf("Deliveries on an empty store: got %d, want none", len(got))
	}
	failed := earshot.Delivery{
		ID: "slack-comms/acme/3", Receiver: "slack-comms", GroupKey: "{watch=\"acme\"}",
		AlertIDs: []string{"alert:spike-1:spike", "alert:spike-2:unreported_incident", "ünï 'q'"},
		Attempt:  3, At: Base.Add(2*time.Minute + 7*time.Millisecond),
		Error: "POST https://hooks.slack.example/services/[redacted]: 503 Service Unavailable — “retry”",
	}
	ok := earshot.Delivery{ID: "webhook/1", Receiver: "webhook", Attempt: 1, At: Base, OK: true}
	saveDelivery(t, as, failed)
	saveDelivery(t, as, ok)
	checkDeliveries(t, "Deliveries", deliveries(t, as, wide.From, wide.To), []earshot.Delivery{ok, failed})

	retried := failed
	retried.AlertIDs = []string{"alert:spike-1:spike"}
	retried.Attempt, retried.OK, retried.Error = 4, true, ""
	retried.At = Base.Add(-time.Minute)
	saveDelivery(t, as, retried)
	checkDeliveries(t, "Deliveries after replacing", deliveries(t, as, wide.From, wide.To), []earshot.Delivery{retried, ok})
}

// testDeliveryWindows: Deliveries(from, to) holds the attempts made in
// [from, to), ordered by At, then ID compared byte by byte.
func testDeliveryWindows(t *testing.T, st earshot.Store) {
	as := st
	d := func(id string, at time.Time) earshot.Delivery {
		return earshot.Delivery{ID: id, Receiver: "slack", GroupKey: "g", AlertIDs: []string{"alert:" + id}, Attempt: 1, At: at, OK: true}
	}
	before := d("before", Base.Add(-time.Millisecond))
	tieB := d("b", Base)
	tieUpper := d("B", Base)
	tieA := d("a", Base)
	last := d("last", Base.Add(time.Hour-time.Millisecond))
	atTo := d("at-to", Base.Add(time.Hour))
	for _, x := range []earshot.Delivery{last, tieB, atTo, tieA, before, tieUpper} {
		saveDelivery(t, as, x)
	}
	all := []earshot.Delivery{before, tieB, tieUpper, tieA, last, atTo}
	for _, tc := range []struct {
		from, to time.Time
		want     []earshot.Delivery // written out by hand; the model must agree
	}{
		{Base, Base.Add(time.Hour), []earshot.Delivery{tieUpper, tieA, tieB, last}},
		{Base.Add(-time.Millisecond), Base.Add(time.Hour + time.Millisecond), []earshot.Delivery{before, tieUpper, tieA, tieB, last, atTo}},
		{Base.Add(time.Millisecond), Base.Add(time.Hour), []earshot.Delivery{last}},
		{Base, Base, nil},
	} {
		checkDeliveries(t, "storetest bug: model disagrees", model.Deliveries(all, tc.from, tc.to), tc.want)
		checkDeliveries(t, "Deliveries("+span(tc.from, tc.to)+")",
			deliveries(t, as, tc.from, tc.to), tc.want)
	}
}
