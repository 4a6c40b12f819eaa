package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// closingStore is the queue with sentiment around the outage: a calm
// week before (10% negative), and since its resolution either still angry
// (40%) or calm again (5%).
func closingStore(t *testing.T, angry bool) *queueStore {
	t.Helper()
	q := queue()
	ctx := context.Background()
	inc := outage
	inc.Watches = []string{"acme"}
	inc.ResolvedAt = now.Add(-2 * time.Hour)
	must(q.SaveIncident(ctx, inc))
	var posts []earshot.Post
	add := func(prefix string, at time.Time, n, neg int) {
		for i := range n {
			s := earshot.Sentiment{Score: 0.3, Label: earshot.Positive}
			if i < neg {
				s = earshot.Sentiment{Score: -0.6, Label: earshot.Negative}
			}
			posts = append(posts, earshot.Post{ID: "twitter:" + prefix + string(rune('a'+i)), Source: "twitter", Kind: earshot.KindPost,
				Text: "acme", CreatedAt: at.Add(time.Duration(i) * time.Minute), Watches: []string{"acme"}, Sentiment: s})
		}
	}
	add("base", inc.StartedAt.Add(-48*time.Hour), 20, 2)
	if angry {
		add("since", now.Add(-time.Hour), 10, 4)
	} else {
		add("since", now.Add(-time.Hour), 20, 1)
	}
	must(q.SavePosts(ctx, posts))
	return q
}

func TestIncidentPage(t *testing.T) {
	q := closingStore(t, true)
	srv, _ := newSupport(t, q)
	code, body := newBrowser(t, srv, cam).get("/incidents/" + url.PathEscape(outage.ID))
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	for _, want := range []string{
		"Incident: Elevated API error rates and login failures",
		`<span class="num neg">1</span><span class="lbl">open</span>`, // fu-p2late
		`<span class="num">0</span><span class="lbl">assigned</span>`,
		"Not ready to close:",
		"1 follow-up(s) still waiting (1 open, 0 assigned, 0 contacted)",
		"negative share is 40.0% (4 of 10 scored posts since",
		"above the baseline of 10.0% (2 of 20 before the incident)",
		"not recovered yet",
		`<button type="submit" name="close" value="1">Close for comms</button>`,
		"Maya Kim", `href="/support?incident=statuspage%3Aabc&amp;state=all"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "Override and close") {
		t.Error("comms is offered the admin override")
	}
	_, body = newBrowser(t, srv, ada).get("/incidents/" + outage.ID)
	if !strings.Contains(body, "Override and close") {
		t.Error("the admin is not offered the override")
	}
	_, body = newBrowser(t, srv, sue).get("/incidents/" + outage.ID)
	if strings.Contains(body, "Close for comms</button>") || !strings.Contains(body, "Comms or an admin closes incidents.") {
		t.Error("support is offered the close button")
	}
	if code, _ := newBrowser(t, srv, cam).get("/incidents/nope"); code != http.StatusNotFound {
		t.Errorf("unknown incident: %d", code)
	}
}

func TestIncidentClose(t *testing.T) {
	path := "/incidents/" + url.PathEscape(outage.ID) + "/close"

	// Refused while a customer waits and sentiment is above baseline.
	q := closingStore(t, true)
	srv, _ := newSupport(t, q)
	code, body := newBrowser(t, srv, cam).submit(path, url.Values{"close": {"1"}})
	if code != http.StatusOK || !strings.Contains(flashOf(body), "Not closed: 1 follow-up(s) still waiting") ||
		!strings.Contains(flashOf(body), "negative share is 40.0%") || !strings.Contains(flashOf(body), "An admin can override") {
		t.Errorf("refusal: %d, flash %q", code, flashOf(body))
	}
	// Comms cannot override.
	_, body = newBrowser(t, srv, cam).submit(path, url.Values{"force": {"1"}, "override": {"the CEO says so"}})
	if !strings.Contains(flashOf(body), "only an admin can override") {
		t.Errorf("comms override: flash %q", flashOf(body))
	}
	// An override needs a reason.
	_, body = newBrowser(t, srv, ada).submit(path, url.Values{"force": {"1"}, "override": {"  "}})
	if !strings.Contains(flashOf(body), "Overriding needs a reason") {
		t.Errorf("empty override: flash %q", flashOf(body))
	}
	if inc, _ := q.Incident(t.Context(), outage.ID); inc.Closure != nil {
		t.Fatalf("refused closes closed it: %+v", inc.Closure)
	}
	// Support may not close at all.
	if code, _ := newBrowser(t, srv, sue).submit(path, url.Values{"close": {"1"}}); code != http.StatusForbidden {
		t.Errorf("support closing: %d", code)
	}
	// The admin overrides with a reason: recorded with who, when, why.
	_, body = newBrowser(t, srv, ada).submit(path, url.Values{"force": {"1"}, "override": {"Maya is handled by her account manager"}})
	if !strings.Contains(flashOf(body), "Closed for comms, overriding: 1 follow-up(s) still waiting") {
		t.Errorf("override: flash %q", flashOf(body))
	}
	inc, _ := q.Incident(t.Context(), outage.ID)
	if c := inc.Closure; c == nil || c.By != "ada" || !c.At.Equal(now) || c.Override != "Maya is handled by her account manager" || len(c.Overridden) != 2 {
		t.Fatalf("closure %+v", inc.Closure)
	}
	for _, want := range []string{"<strong>Closed for comms</strong> by ada on Fri Mar 13 17:00 UTC.", "Admin override: Maya is handled by her account manager"} {
		if !strings.Contains(body, want) {
			t.Errorf("closed page lacks %q", want)
		}
	}
	// Closing twice is refused.
	_, body = newBrowser(t, srv, ada).submit(path, url.Values{"close": {"1"}})
	if !strings.Contains(flashOf(body), "was closed already, by ada") {
		t.Errorf("closing twice: flash %q", flashOf(body))
	}

	// Once the customer is resolved and sentiment is calm, comms closes.
	q = closingStore(t, false)
	must2(q.MoveFollowUp(t.Context(), "fu-p2late", earshot.Transition{To: earshot.FollowUpDismissed, Reason: "x", Actor: "sue", At: now}))
	srv, _ = newSupport(t, q)
	_, body = newBrowser(t, srv, cam).submit(path, url.Values{"close": {"1"}})
	if flashOf(body) != "Closed for comms." {
		t.Errorf("clear close: flash %q", flashOf(body))
	}
	if inc, _ := q.Incident(t.Context(), outage.ID); inc.Closure == nil || inc.Closure.By != "cam" || inc.Closure.Override != "" {
		t.Errorf("closure %+v", inc.Closure)
	}
}

func must2[T any](_ T, err error) { must(err) }

func TestDashboardLinksIncidentPage(t *testing.T) {
	q := closingStore(t, false)
	srv, _ := newSupport(t, q)
	_, body := get(t, srv, "/support")
	if !strings.Contains(body, `<a href="/incidents/statuspage:abc">Elevated API error rates and login failures</a>`) {
		t.Error("the queue does not link the incident page")
	}
}

func TestTimelineLinksIncidentPage(t *testing.T) {
	q := closingStore(t, false)
	srv, _ := newSupport(t, q)
	_, body := get(t, srv, "/?range=30d")
	if !strings.Contains(body, `<a href="/incidents/statuspage:abc">customers and closing</a>`) {
		t.Error("the timeline's incident list does not link the incident page")
	}
}
