package web

import (
	"context"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/earshot/earshot"
)

func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium: the support pages are not tried in a browser (apt-get install chromium)")
	return ""
}

// tab is one browser tab on a test server where every request is a
// signed-in user's; dialogs counts the JavaScript dialogs that opened.
type tab struct {
	t       *testing.T
	ctx     context.Context
	url     string
	dialogs *atomic.Int32
}

func openTab(t *testing.T, alloc context.Context, srv *Server, u earshot.User) *tab {
	t.Helper()
	ts := httptest.NewServer(signedIn(u, srv))
	t.Cleanup(ts.Close)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancel)
	tb := &tab{t: t, ctx: ctx, url: ts.URL, dialogs: new(atomic.Int32)}
	if err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			tb.dialogs.Add(1)
		}
	}); err != nil {
		t.Fatal(err)
	}
	return tb
}

func (tb *tab) open(path string) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, chromedp.Navigate(tb.url+path), chromedp.WaitReady(chromedp.CSS("main"))); err != nil {
		tb.t.Fatalf("opening %s: %v", path, err)
	}
}

// press fills the fields (CSS selector → text typed, or option chosen for
// a select) and clicks the button, then waits for the page it leads to.
func (tb *tab) press(button string, fields ...[2]string) {
	tb.t.Helper()
	var steps []chromedp.Action[chromedp.Void]
	for _, f := range fields {
		if strings.Contains(f[0], "select") {
			steps = append(steps, chromedp.SetValue(chromedp.CSS(f[0]), f[1]))
		} else {
			steps = append(steps, chromedp.SendKeys(chromedp.CSS(f[0]), f[1]))
		}
	}
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatalf("filling the form for %s: %v", button, err)
	}
	res, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.CSS(button)))
	if err != nil {
		tb.t.Fatalf("pressing %s: %v", button, err)
	}
	if res.Status != 200 {
		tb.t.Fatalf("pressing %s: the page came back %d", button, res.Status)
	}
}

func (tb *tab) text(sel string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("reading %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func (tb *tab) eval(expr string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		tb.t.Fatalf("%s: %v", expr, err)
	}
	return s
}

// TestSupportInChromium works the queue as people do, in headless
// Chromium: a support agent filters, takes a follow-up, notes, contacts
// and resolves it, and the trail names her; a hostile post shows as text;
// comms sees an incident's follow-ups and is told why it cannot close.
func TestSupportInChromium(t *testing.T) {
	bin := chromium(t)
	alloc, cancel := chromedp.NewExecAllocator(t.Context(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU, chromedp.WindowSize(1280, 900))...)
	defer cancel()

	t.Run("work a follow-up", func(t *testing.T) {
		q := queue()
		srv, _ := newSupport(t, q)
		tb := openTab(t, alloc, srv, sue)
		tb.open("/support")
		if n := tb.eval(`String(document.querySelectorAll('li.fu').length)`); n != "3" {
			t.Fatalf("%s follow-ups on the page, want 3", n)
		}
		tb.press(`form.filters button[type=submit]`, [2]string{`form.filters select[name=source]`, "twitter"})
		if loc := tb.eval(`location.search`); loc != "?state=active&watch=&source=twitter&priority=&incident=&assignee=" {
			t.Errorf("filters in the query string: %q", loc)
		}
		if ids := tb.eval(`[...document.querySelectorAll('li.fu')].map(li => li.id).join()`); ids != "fu-fu-p2late" {
			t.Fatalf("filtered to %q, want only fu-p2late", ids)
		}
		row := `#fu-fu-p2late `
		tb.press(row + `button[value=assign-me]`)
		if got := tb.text(".flash"); got != "Assigned 1 follow-up to you." {
			t.Errorf("after assigning: %q", got)
		}
		if got := tb.eval(`location.search`); !strings.Contains(got, "source=twitter") {
			t.Errorf("the filter was lost after acting: %q", got)
		}
		tb.press(row+`button[value=note]`, [2]string{row + `input[name=note]`, "asked for the account ID"})
		if got := tb.text(".flash"); got != "Added a note to 1 follow-up." {
			t.Errorf("after the note: %q", got)
		}
		tb.press(row+`button[value=contacted]`, [2]string{row + `select[name=channel]`, "phone"})
		if got := tb.text(".flash"); got != "Marked 1 follow-up contacted." {
			t.Errorf("after contacting: %q", got)
		}
		tb.press(row+`button[value=resolve]`, [2]string{row + `input[name=note]`, "refund issued"})
		if got := tb.text(".flash"); got != "Resolved 1 follow-up." {
			t.Errorf("after resolving: %q", got)
		}
		tb.open("/support?state=resolved")
		notes := tb.text(row + ".notes")
		for _, want := range []string{"sue: state → resolved: refund issued", "sue: state → contacted by phone", "sue: asked for the account ID", "sue: state → assigned"} {
			if !strings.Contains(notes, want) {
				t.Errorf("the trail %q lacks %q", notes, want)
			}
		}
		if f := q.followUp("fu-p2late"); f.State != earshot.FollowUpResolved || f.Assignee != "sue" || len(f.Notes) != 4 {
			t.Errorf("stored: %s, %q, %d notes", f.State, f.Assignee, len(f.Notes))
		}
		// A plain error for a move that cannot be made: dismissing
		// without a reason.
		tb.open("/support")
		tb.press(`#fu-fu-p1 button[value=dismiss]`)
		if got := tb.text(".flash-error"); !strings.Contains(got, "Dismissing needs a reason") {
			t.Errorf("dismissing without a reason: %q", got)
		}
	})

	t.Run("hostile post shown as text", func(t *testing.T) {
		q := queue()
		const evil = `<img src=x onerror=alert(1)>`
		must(q.SavePosts(t.Context(), []earshot.Post{{ID: "twitter:66", Source: "twitter", Kind: earshot.KindPost,
			Author: earshot.Author{ID: "66", Name: evil}, Text: evil + " still down", CreatedAt: now.Add(-time.Hour),
			Sentiment: earshot.Sentiment{Score: -0.9, Label: earshot.Negative}}}))
		must(q.SaveFollowUp(t.Context(), earshot.FollowUp{ID: "fu-evil", Source: "twitter", Author: earshot.Author{ID: "66", Name: evil},
			PostIDs: []string{"twitter:66"}, Priority: 1, State: earshot.FollowUpOpen, Reason: evil, CreatedAt: now, Due: now.Add(time.Hour)}))
		srv, _ := newSupport(t, q)
		tb := openTab(t, alloc, srv, sue)
		tb.open("/support")
		if got := tb.text(`#fu-fu-evil .fu-posts .text`); got != evil+" still down" {
			t.Errorf("the post reads %q, want its text as written", got)
		}
		if got := tb.text(`#fu-fu-evil .author`); got != evil {
			t.Errorf("the author reads %q", got)
		}
		if n := tb.eval(`String(document.images.length)`); n != "0" {
			t.Errorf("%s images in the page: the post's HTML was parsed", n)
		}
		tb.press(`#fu-fu-evil button[value=assign-me]`) // the page after a move too
		if n := tb.dialogs.Load(); n != 0 {
			t.Errorf("%d dialogs opened", n)
		}
	})

	t.Run("incident page refuses closing", func(t *testing.T) {
		q := closingStore(t, true)
		srv, _ := newSupport(t, q)
		tb := openTab(t, alloc, srv, cam)
		tb.open("/incidents/statuspage:abc")
		counts := tb.eval(`[...document.querySelectorAll('.counts .card')].map(c => c.querySelector('.lbl').textContent + '=' + c.querySelector('.num').textContent).join()`)
		if counts != "open=1,assigned=0,contacted=0,resolved=0,dismissed=0" {
			t.Errorf("counts %q", counts)
		}
		if got := tb.text("#closure .refusals"); !strings.Contains(got, "1 follow-up(s) still waiting") || !strings.Contains(got, "negative share is 40.0%") {
			t.Errorf("refusals shown: %q", got)
		}
		tb.press(`button[name=close]`)
		got := tb.text(".flash-error")
		for _, want := range []string{"Not closed: 1 follow-up(s) still waiting (1 open, 0 assigned, 0 contacted)", "(4 of 10 scored posts since", "above the baseline of 10.0% (2 of 20"} {
			if !strings.Contains(got, want) {
				t.Errorf("refusal %q lacks %q", got, want)
			}
		}
		if inc, _ := q.Incident(t.Context(), outage.ID); inc.Closure != nil {
			t.Errorf("closed despite the refusal: %+v", inc.Closure)
		}
	})
}
