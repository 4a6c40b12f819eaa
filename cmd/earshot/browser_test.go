package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
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
	t.Skip("no chromium on PATH: sign-in is not tried in a browser (apt-get install chromium)")
	return ""
}

// TestSignInInChromium drives serve as a person would, in headless
// Chromium: a page asked for without a session shows the sign-in form; a
// wrong password is refused on the form; the right one shows the
// dashboard; a page on another origin that auto-submits a form to
// Earshot (here: signing the user out) is refused with 403, and the
// session survives it; signing out from Earshot's own page works.
func TestSignInInChromium(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "earshot.yaml")
	if err := os.WriteFile(cfgPath, []byte(fmt.Sprintf("store: duckdb://%s/e.duckdb\nlisten: 127.0.0.1:0\n", dir)), 0o600); err != nil {
		t.Fatal(err)
	}
	e, _, errb := testEnv("a good long password\n")
	if code := run(t.Context(), []string{"user", "add", "sam", "--config", cfgPath, "--role", "support", "--password-stdin"}, e); code != 0 {
		t.Fatalf("user add: exit %d: %s", code, errb)
	}
	base, _, stop := startCommand(t, []string{"serve", "--config", cfgPath}, `url=(http://\S+/)`)
	defer stop()

	// The forger: another origin whose page posts a form to Earshot as
	// soon as it loads.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>Win a prize</title><form id="f" method="post" action="%ssignout"></form>
<script>document.getElementById("f").submit()</script>`, base)
	}))
	defer evil.Close()

	alloc, cancel := chromedp.NewExecAllocator(t.Context(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU, chromedp.WindowSize(1024, 768))...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("reading %s: %v", sel, err)
		}
		return s
	}
	title := func() string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Title())
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	signIn := func(name, password string) {
		t.Helper()
		if err := chromedp.Do(ctx,
			chromedp.WaitVisible(chromedp.CSS(`input[name="password"]`)),
			chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), name),
			chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password),
			chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		); err != nil {
			t.Fatal(err)
		}
	}

	// Refused without a session: the form, not the page.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"support"), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatal(err)
	}
	if got := title(); !strings.HasPrefix(got, "Sign in") {
		t.Fatalf("without a session, /support shows %q, want the sign-in form", got)
	}
	signIn("sam", "not the password")
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`p.err`))); err != nil {
		t.Fatal(err)
	}
	if got := text(`p.err`); !strings.Contains(got, "Wrong user name or password") {
		t.Errorf("wrong password: %q", got)
	}
	signIn("sam", "a good long password")
	// The form's page has an h1 too: wait for the browser to leave it.
	var loc string
	for range 200 {
		loc, _ = chromedp.Run(ctx, chromedp.Location())
		if !strings.HasSuffix(loc, "/signin") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`h1`))); err != nil {
		t.Fatal(err)
	}
	if got := title(); strings.HasPrefix(got, "Sign in") || !strings.HasSuffix(loc, "/support") {
		t.Fatalf("after signing in: %q at %s, want the support page", got, loc)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base), chromedp.WaitVisible(chromedp.CSS(`h1`))); err != nil {
		t.Fatal(err)
	}
	if got := title(); !strings.HasPrefix(got, "Earshot") {
		t.Errorf("the dashboard's title is %q", got)
	}

	// The forged cross-site post is refused, and the session lives on.
	if err := chromedp.Do(ctx, chromedp.Navigate(evil.URL), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatal(err)
	}
	var body string
	for range 100 { // the form submits as the page loads: wait for its answer
		body = text("body")
		if strings.Contains(body, "cross-origin") || strings.Contains(body, "Sign in") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(body, "refused") || !strings.Contains(body, "cross-origin") {
		t.Errorf("the forged post answered %q, want a refusal", body)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatal(err)
	}
	if got := title(); strings.HasPrefix(got, "Sign in") {
		t.Error("the forged post signed the user out")
	}

	// Signing out from Earshot's own page works.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"signout"), chromedp.WaitVisible(chromedp.CSS(`input[type="submit"]`)),
		chromedp.Click(chromedp.CSS(`input[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`input[name="password"]`))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatal(err)
	}
	if got := title(); !strings.HasPrefix(got, "Sign in") {
		t.Errorf("after signing out, / shows %q, want the sign-in form", got)
	}
}
