package main

import (
	"html"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/ingest"
	"github.com/earshot/earshot/internal/demo"
)

func TestDigestCommand(t *testing.T) {
	ctx := t.Context()
	dsn := "duckdb://" + filepath.Join(t.TempDir(), "digest.duckdb")
	sc := demo.Generate(demo.Options{Days: 14, Scale: 0.3})
	st, err := openStore(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	p := ingest.NewPipeline(st, nil, sc.Watches, ingest.PipelineOptions{BatchSize: 2000, DropUnmatched: true})
	if err := p.Add(ctx, sc.Posts...); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for _, inc := range sc.Incidents {
		if err := st.SaveIncident(ctx, inc); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	outage := sc.Outage()
	if outage.Title == "" {
		t.Fatal("the demo has no outage")
	}
	end := demo.DefaultEnd.Format(time.RFC3339)

	digestRun := func(want int, args ...string) (string, string) {
		t.Helper()
		e, out, errb := testEnv("")
		if code := run(ctx, append([]string{"digest"}, args...), e); code != want {
			t.Fatalf("earshot digest %s: exit %d, want %d; stderr: %s", strings.Join(args, " "), code, want, errb)
		}
		return out.String(), errb.String()
	}

	out, _ := digestRun(0, "--period", "7d", "--end", end, "--format", "html", "--store", dsn)
	if !strings.HasPrefix(out, "<!doctype html>") || !strings.Contains(out, html.EscapeString(outage.Title)) ||
		!strings.Contains(out, "week on week") || strings.Contains(out, "<script") {
		t.Errorf("HTML digest lacks the outage %q or is unsafe:\n%s", outage.Title, out)
	}
	out, _ = digestRun(0, "--period", "7d", "--end", end, "--format", "md", "--watch", "acme", "--store", dsn)
	if !strings.HasPrefix(out, "# Reputation digest") || !strings.Contains(out, "Elevated API error rates") ||
		!strings.Contains(out, "## Incidents") {
		t.Errorf("Markdown digest lacks the outage %q:\n%s", outage.Title, out)
	}

	// A period long ago is empty, and says so.
	out, _ = digestRun(0, "--period", "24h", "--end", "2020-01-01T00:00:00Z", "--format", "md", "--store", dsn)
	if !strings.Contains(out, "Nothing to report") {
		t.Errorf("empty digest:\n%s", out)
	}

	for _, c := range []struct {
		args []string
		flag string
	}{
		{[]string{"--period", "0d"}, "--period"},
		{[]string{"--period", "soon"}, "--period"},
		{[]string{"--period", "400d"}, "--period"},
		{[]string{"--end", "yesterday"}, "--end"},
		{[]string{"--format", "pdf"}, "--format"},
		{[]string{"--bogus"}, "-bogus"},
	} {
		_, stderr := digestRun(2, append(c.args, "--store", dsn)...)
		lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
		if last := lines[len(lines)-1]; !strings.HasPrefix(last, "earshot digest: ") || !strings.Contains(last, c.flag) {
			t.Errorf("%v: stderr %q does not name %s", c.args, stderr, c.flag)
		}
	}
}
