package digest

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium on PATH: the HTML digest is not rendered in a browser (apt-get install chromium)")
	return ""
}

// TestHTMLInChromium renders the HTML digest in headless Chromium: the
// page lays out as meant (four cards in a row, both charts decoded at
// their size), the hostile post shows as text, no script runs and nothing
// is fetched from elsewhere.
func TestHTMLInChromium(t *testing.T) {
	bin := chromium(t)
	d := build(t, scenario(), Options{End: end, Watch: "acme"})
	var page bytes.Buffer
	if err := HTML(&page, d); err != nil {
		t.Fatal(err)
	}
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/favicon.ico" { // the browser's own
			http.NotFound(w, r)
			return
		}
		requests++
		if r.URL.Path != "/digest" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page.Bytes())
	}))
	defer srv.Close()

	alloc, cancel := chromedp.NewExecAllocator(t.Context(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU, chromedp.WindowSize(1024, 768))...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/digest"), chromedp.WaitReady("main")); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	eval := func(expr string, dst any) {
		t.Helper()
		var err error
		switch d := dst.(type) {
		case *[]float64:
			*d, err = chromedp.Run(ctx, chromedp.Evaluate[[]float64](expr, chromedp.EvalAwaitPromise))
		case *bool:
			*d, err = chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		case *string:
			*d, err = chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		case *int:
			*d, err = chromedp.Run(ctx, chromedp.Evaluate[int](expr))
		}
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
	}
	var (
		charts, cardTops []float64
		scripts          bool
		blockquotes      string
		recs             int
	)
	eval(`Promise.all([...document.images].map(i => i.decode().then(() => i.naturalWidth, () => -1)))`, &charts)
	eval(`[...document.querySelectorAll('.card')].map(c => c.getBoundingClientRect().top)`, &cardTops)
	eval(`document.querySelectorAll('script').length > 0`, &scripts)
	eval(`[...document.querySelectorAll('blockquote')].map(b => b.textContent).join('\n')`, &blockquotes)
	eval(`document.querySelectorAll('.recs li').length`, &recs)
	if !strings.HasPrefix(title, "Reputation digest: acme") {
		t.Errorf("title = %q", title)
	}
	if len(charts) != 2 || charts[0] != 560 || charts[1] != 560 {
		t.Errorf("charts decoded at widths %v, want two of 560", charts)
	}
	if len(cardTops) != 4 || cardTops[0] != cardTops[3] {
		t.Errorf("cards at tops %v, want four in one row", cardTops)
	}
	if scripts {
		t.Error("a script is in the page")
	}
	if !strings.Contains(blockquotes, "<script>alert(1)</script>") {
		t.Errorf("the hostile post does not show as text: %q", blockquotes)
	}
	if recs != len(d.Recommendations) {
		t.Errorf("%d recommendations shown, want %d", recs, len(d.Recommendations))
	}
	if requests != 1 {
		t.Errorf("the page made %d requests, want only itself", requests)
	}
}
