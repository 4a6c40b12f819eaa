package main

import (
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/app"
	"github.com/earshot/earshot/internal/demo"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	demoOnce sync.Once
	demoDSN  string
	demoErr  error
)

// demoStore is a DuckDB file holding the demo scenario ending at
// demo.DefaultEnd, as `earshot demo` fills it: built once per test run.
func demoStore(t *testing.T) string {
	t.Helper()
	demoOnce.Do(func() {
		dir, err := os.MkdirTemp("", "earshot-digest-demo-")
		if err != nil {
			demoErr = err
			return
		}
		demoDSN = "duckdb://" + filepath.Join(dir, "demo.duckdb")
		ctx := t.Context()
		st, err := openStore(ctx, demoDSN)
		if err != nil {
			demoErr = err
			return
		}
		defer st.Close()
		sc := demo.Generate(demo.Options{End: demo.DefaultEnd, Days: 14, Scale: 0.3})
		e, _, _ := testEnv("")
		demoErr = app.PopulateDemo(ctx, st, sc, demo.DefaultEnd, 14, e.stderr, slog.New(slog.DiscardHandler))
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoDSN
}

// TestDigestGolden: the digest of the demo scenario's last week, in each
// format, is exactly testdata/digest/demo.<format> (go test -update
// rewrites them after a deliberate change).
func TestDigestGolden(t *testing.T) {
	dsn := demoStore(t)
	for _, format := range []string{"html", "md"} {
		t.Run(format, func(t *testing.T) {
			e, out, errb := testEnv("")
			args := []string{"digest", "--period", "7d", "--end", demo.DefaultEnd.Format(time.RFC3339), "--format", format, "--store", dsn}
			if code := run(t.Context(), args, e); code != 0 {
				t.Fatalf("exit %d: %s", code, errb)
			}
			path := filepath.Join("testdata", "digest", "demo."+format)
			if *updateGolden {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if got := out.String(); got != string(want) {
				t.Errorf("the %s digest differs from %s (go test -update rewrites it); got:\n%s", format, path, got[:min(3000, len(got))])
			}
		})
	}
}

// TestDigestSendNow: `earshot digest send --now NAME` sends the configured
// digest to its Slack receiver and keeps it for /digests; an unknown name
// is bad usage.
func TestDigestSendNow(t *testing.T) {
	dsn := demoStore(t)
	var got []map[string]any
	var mu sync.Mutex
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			http.Error(w, "invalid_payload", http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, m)
		mu.Unlock()
		io.WriteString(w, "ok")
	}))
	defer hook.Close()
	cfgPath := filepath.Join(t.TempDir(), "earshot.yaml")
	if err := os.WriteFile(cfgPath, []byte(`
digests:
  - name: daily
    schedule: "@daily"
    period: 24h
    watches: [acme]
    slack:
      - url: env:TEST_SLACK_URL
        allow_private_networks: true
`), 0o600); err != nil {
		t.Fatal(err)
	}
	e, out, errb := testEnv("")
	e.getenv = func(k string) string {
		if k == "TEST_SLACK_URL" {
			return hook.URL + "/services/x"
		}
		return ""
	}
	if code := run(t.Context(), []string{"digest", "send", "--now", "daily", "--config", cfgPath, "--store", dsn}, e); code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	if !strings.Contains(out.String(), "daily.acme.") || !strings.Contains(out.String(), ": sent to slack[0]") {
		t.Errorf("stdout = %q", out)
	}
	mu.Lock()
	if len(got) != 1 || !strings.Contains(got[0]["text"].(string), "Reputation digest, acme") {
		t.Errorf("Slack got %v", got)
	}
	mu.Unlock()
	st, err := openStore(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	sent, err := st.(earshot.DigestStore).SentDigests(t.Context(), 0)
	st.Close()
	if err != nil || len(sent) == 0 || sent[0].Name != "daily" || !sent[0].OK {
		t.Errorf("kept: %+v, %v", sent, err)
	}

	getenv := e.getenv
	e, _, errb = testEnv("")
	e.getenv = getenv
	if code := run(t.Context(), []string{"digest", "send", "--now", "weekly", "--config", cfgPath, "--store", dsn}, e); code != 2 || !strings.Contains(errb.String(), `no digest is named "weekly"`) {
		t.Errorf("unknown digest: exit %d, %s", code, errb)
	}
}
