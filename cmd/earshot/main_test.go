package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	neturl "net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/sentiment/linescore"
	"github.com/earshot/earshot/internal/config"
	"github.com/earshot/earshot/internal/lines"
)

func testEnv(stdin string) (env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}, &out, &errb
}

func TestRunExitCodes(t *testing.T) {
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{nil, 2, "Usage: earshot COMMAND"},
		{[]string{"help"}, 0, "analyze"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"version"}, 0, ""},
		{[]string{"version", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"analyze", "-nope"}, 2, "flag provided but not defined"},
		{[]string{"serve", "--config", "/does/not/exist.yaml"}, 2, "reading config"},
		{[]string{"demo", "-days", "0"}, 2, "-days 0"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			e, _, errb := testEnv("")
			if code := run(t.Context(), tt.args, e); code != tt.code {
				t.Errorf("exit code %d, want %d; stderr: %s", code, tt.code, errb)
			}
			if !strings.Contains(errb.String(), tt.msg) {
				t.Errorf("stderr %q does not mention %q", errb, tt.msg)
			}
		})
	}
}

func TestAnalyze(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"1","text":"your app has been down for an hour, this is unacceptable"}`,
		`{"id":7,"text":"thanks, it's back up and working great"}`,
		`the site is not working`,
		`{"id":"broken", "text": `,
		``,
		`{"id":"x"}`,
	}, "\n")
	e, out, errb := testEnv(in)
	if code := run(t.Context(), []string{"analyze"}, e); code != 2 {
		t.Fatalf("exit code %d with two bad lines, want 2; stderr: %s", code, errb)
	}
	var rows []linescore.Row
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var r linescore.Row
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("output line %q: %v", sc.Text(), err)
		}
		rows = append(rows, r)
	}
	if len(rows) != 6 {
		t.Fatalf("%d output lines for 6 input lines: %+v", len(rows), rows)
	}
	if rows[0].ID != "1" || rows[0].Label != "negative" || rows[0].Score >= 0 {
		t.Errorf("outage complaint: %+v", rows[0])
	}
	if rows[1].ID != "7" || rows[1].Label != "positive" {
		t.Errorf("thanks: %+v", rows[1])
	}
	if rows[2].ID != "3" || rows[2].Label != "negative" {
		t.Errorf("plain text line: %+v", rows[2])
	}
	if rows[3].Error == "" || !strings.Contains(rows[3].Error, "line 4") {
		t.Errorf("broken JSON line: %+v", rows[3])
	}
	if rows[4].ID != "5" || rows[4].Label != "neutral" {
		t.Errorf("empty line: %+v", rows[4])
	}
	if rows[5].ID != "x" || !strings.Contains(rows[5].Error, `no "text"`) {
		t.Errorf("line without text: %+v", rows[5])
	}
}

func TestAnalyzeLongLine(t *testing.T) {
	in := strings.Repeat("a", lines.MaxBytes+10) + "\nfine\n"
	e, out, _ := testEnv(in)
	run(t.Context(), []string{"analyze"}, e)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "longer than") || !strings.Contains(lines[1], `"id":"2"`) {
		t.Errorf("output = %q", lines)
	}
}

// TestDemoServes runs the demo end to end: generate, pipeline, DuckDB,
// dashboard, then a clean stop.
func TestDemoServes(t *testing.T) {
	if testing.Short() {
		t.Skip("demo end to end is not short")
	}
	url, log, stop := startCommand(t, []string{"demo", "-addr", "127.0.0.1:0"}, `dashboard at (http://\S+/)`)
	if !strings.Contains(log, "stored") {
		t.Errorf("demo printed no progress: %s", log)
	}

	// A browser's first visit is signed in as the demo user, with a
	// session cookie for the next ones.
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept", "text/html")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "earshot_session" {
			session = c
		}
	}
	if resp.StatusCode != 200 || session == nil || !session.HttpOnly || !strings.Contains(string(body), "Acme") {
		t.Errorf("first visit: %d, cookie %+v; want the dashboard and an HttpOnly session cookie", resp.StatusCode, session)
	}
	page := get(t, url)
	for _, want := range []string{"Acme", "Elevated API error rates"} {
		if !strings.Contains(page, want) {
			t.Errorf("dashboard page lacks %q", want)
		}
	}
	var series struct {
		Points []struct {
			Count    int64 `json:"count"`
			Negative int64 `json:"negative"`
		} `json:"points"`
	}
	if err := json.Unmarshal([]byte(get(t, url+"api/series?bucket=1h")), &series); err != nil {
		t.Fatal(err)
	}
	var total, neg, peak int64
	for _, p := range series.Points {
		total += p.Count
		neg += p.Negative
		peak = max(peak, p.Negative)
	}
	if total == 0 || neg == 0 {
		t.Fatalf("series has %d posts, %d negative", total, neg)
	}
	// The outage hour must stand out: its negative count is several times
	// the mean hourly negative count.
	if mean := float64(neg) / float64(len(series.Points)); float64(peak) < 4*mean {
		t.Errorf("no negative spike in the series: peak %d vs mean %.1f per hour", peak, mean)
	}

	// The outage is detected within its first buckets: customers report it
	// 15 to 25 minutes before the incident opens.
	var inc struct {
		Incidents []earshot.Incident `json:"incidents"`
	}
	var sp struct {
		Spikes []earshot.Spike `json:"spikes"`
	}
	json.Unmarshal([]byte(get(t, url+"api/incidents")), &inc)
	json.Unmarshal([]byte(get(t, url+"api/spikes")), &sp)
	var outage earshot.Incident
	for _, i := range inc.Incidents {
		if i.Severity == "major" {
			outage = i
		}
	}
	found := false
	for _, s := range sp.Spikes {
		if s.Scope == (earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"}) {
			if d := s.Start.Sub(outage.StartedAt); d >= -40*time.Minute && d <= 10*time.Minute && s.IncidentID == outage.ID {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("no spike on the acme watch within 10 minutes of the outage opened at %s and linked to it; spikes: %+v", outage.StartedAt, sp.Spikes)
	}
	// After the outage, upset customers are its aftermath, not a "no known
	// incident" spike (issue 13), on the page's scopes: all posts and each
	// watch.
	for _, s := range sp.Spikes {
		if s.Scope.Kind != earshot.ScopeSource && s.IncidentID == "" && s.Start.After(outage.StartedAt) && s.Start.Before(outage.ResolvedAt.Add(6*time.Hour)) {
			t.Errorf("spike %s at %s, after the outage, explained by no incident", s.ID, s.Start)
		}
	}
	// Comms can draft an update about the outage from what customers say.
	draft := get(t, url+"api/v1/incidents/"+neturl.PathEscape(outage.ID)+"/draft?phase=investigating&channel=statuspage")
	if !strings.Contains(draft, "Customers are reporting") || !strings.Contains(draft, "[ETA]") {
		t.Errorf("draft of the outage: %s", draft)
	}
	if page := get(t, url+"incidents/"+neturl.PathEscape(outage.ID)+"/publish"); !strings.Contains(page, "Load draft") {
		t.Error("the outage's publish page has no draft button")
	}
	if code := stop(); code != 0 {
		t.Errorf("demo exited %d after Ctrl-C", code)
	}
}

// startCommand runs an earshot command in-process until it prints a line
// matching pattern, and returns the pattern's first group, what the command
// printed so far, and a function that stops it (as Ctrl-C would) and
// returns its exit code.
func startCommand(t *testing.T, args []string, pattern string) (string, string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	e := env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: pw, getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, args, e)
		pw.Close()
	}()
	re := regexp.MustCompile(pattern)
	var found string
	var log strings.Builder
	sc := bufio.NewScanner(pr)
	for found == "" && sc.Scan() {
		log.WriteString(sc.Text() + "\n")
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			found = m[1]
		}
	}
	go io.Copy(io.Discard, pr)
	stop := func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(30 * time.Second):
			t.Fatalf("earshot %s did not stop after its context ended", args[0])
			return -1
		}
	}
	if found == "" {
		stop()
		t.Fatalf("earshot %s never printed %q; output:\n%s", args[0], pattern, log.String())
	}
	return found, log.String(), stop
}

func get(t *testing.T, url string) string {
	t.Helper()
	return getAs(t, url, "")
}

// getAs GETs url with "Authorization: Bearer token" (none when ""), and
// fails the test unless it answers 200.
func getAs(t *testing.T, url, token string) string {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s: %s", url, resp.Status, b)
	}
	return string(b)
}

// TestDefaultStoreOpens guards the default configuration: with no config
// file, serve, import and collect open the default store in the working
// directory.
func TestDefaultStoreOpens(t *testing.T) {
	t.Chdir(t.TempDir())
	st, err := openStore(t.Context(), config.Default().Store)
	if err != nil {
		t.Fatalf("the default store %q does not open: %v", config.Default().Store, err)
	}
	st.Close()
	if _, err := os.Stat("earshot.duckdb"); err != nil {
		t.Errorf("no earshot.duckdb in the working directory: %v", err)
	}
}
